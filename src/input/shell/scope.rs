//! What a script defines and later runs: functions that run their arguments (`run() { "$@"; }`
//! then `run aws sts ...`) and arrays assembled then expanded (`cmd=(aws sts ...)`,
//! `cmd+=(--duration-seconds "$D")`, then `"${cmd[@]}"`). Also, after lexing, each command's
//! wrappers ([`super::wrappers`]) and `sh -c` strings ([`super::nested`]) are followed.
//!
//! The lexer tells [`Scope`] about every word at the start of a command (for the nesting of `if`,
//! loops, `case` and braces) and every finished command; [`resolve`] then rewrites the commands.

use super::nested::lex_string;
use super::wrappers::{is_assignment, is_shell, shell_run, unwrap, ShellRun};
use super::{is_meta, is_name, Command, Lexed, Lexer};
use crate::source::Text;

/// Reserved words after which a word still starts a command.
pub(super) const LEADING: [&str; 10] = [
    "if", "then", "elif", "else", "do", "while", "until", "!", "{", "time",
];

/// Words that declare variables: `local cmd=(...)`, `export STS=($(aws ...))`.
const DECLARE: [&str; 5] = ["local", "declare", "typeset", "export", "readonly"];

/// A function being read.
struct Function {
    name: String,
    /// Brace depth outside its body.
    braces: usize,
    /// Compound-command depth outside its body.
    cond: usize,
    /// Arguments shifted off before it runs `"$@"`; `None` when that depends on the run.
    shifts: Option<usize>,
    runs_args: bool,
}

/// One `name=(...)` or `name+=(...)`.
pub(super) struct Array {
    name: String,
    append: bool,
    /// The `name=` / `name+=` word.
    head: Text,
    words: Vec<Text>,
    /// Inside `if`/`case`/a loop deeper than the definition, or after `&&`/`||`.
    cond: usize,
    andor: bool,
    /// How many commands came before it: it applies to the commands after.
    at: usize,
}

/// Functions and arrays met so far, and where the lexer is in compound commands.
#[derive(Default)]
pub(super) struct Scope {
    cond: usize,
    andor: bool,
    braces: usize,
    pending_function: Option<String>,
    functions: Vec<Function>,
    /// Functions that run `"$@"`, with the arguments they shift off first.
    wrappers: Vec<(String, Option<usize>)>,
    arrays: Vec<Array>,
    commands: usize,
}

fn is_word(w: &Text, s: &str) -> bool {
    w.is_static() && w.value == s
}

/// `"$@"`, `$@`, `"${@}"`: all the arguments, as words.
fn is_all_args(w: &Text) -> bool {
    w.value.is_empty()
        && w.dynamic.len() == 1
        && matches!(w.dynamic[0].expr.as_str(), "$@" | "${@}")
}

/// The array `"${name[@]}"` names, if `w` is exactly that.
fn array_ref(w: &Text) -> Option<&str> {
    if !w.value.is_empty() || w.dynamic.len() != 1 {
        return None;
    }
    let name = w.dynamic[0].expr.strip_prefix("${")?.strip_suffix("[@]}")?;
    is_name(name).then_some(name)
}

/// If `w` followed by `(` starts an array assignment (the words before it only declare or
/// assign), its name and whether it appends.
pub(super) fn array_head(w: &Text, before: &[Text]) -> Option<(String, bool)> {
    if !w.is_static()
        || !before.iter().all(|b| {
            is_assignment(b)
                || DECLARE.iter().chain(&LEADING).any(|d| is_word(b, d))
                || (b.is_static() && b.value.starts_with('-'))
        })
    {
        return None;
    }
    let head = w.value.strip_suffix('=')?;
    let (name, append) = match head.strip_suffix('+') {
        Some(n) => (n, true),
        None => (head, false),
    };
    is_name(name).then(|| (name.to_string(), append))
}

impl Scope {
    /// A function's name and `()` were just read: the next `{` opens its body.
    pub(super) fn defining_function(&self) -> bool {
        self.pending_function.is_some()
    }

    fn at_command_start(words: &[Text]) -> bool {
        words.iter().all(|w| LEADING.iter().any(|l| is_word(w, l)))
    }

    /// The lexer pushed a word onto the command `words`.
    pub(super) fn word(&mut self, words: &[Text]) {
        let Some((w, before)) = words.split_last() else {
            return;
        };
        if let [f, name] = words {
            if is_word(f, "function") && is_name(&name.value) {
                self.pending_function = Some(name.value.clone());
            }
        }
        let fn_head = matches!(before, [f, _] if is_word(f, "function"));
        if !Self::at_command_start(before) && !fn_head || !w.is_static() {
            return;
        }
        match w.value.as_str() {
            "if" | "case" | "while" | "until" | "for" | "select" => self.cond += 1,
            "fi" | "esac" | "done" => self.cond = self.cond.saturating_sub(1),
            "{" => {
                if let Some(name) = self.pending_function.take() {
                    self.functions.push(Function {
                        name,
                        braces: self.braces,
                        cond: self.cond,
                        shifts: Some(0),
                        runs_args: false,
                    });
                }
                self.braces += 1;
            }
            "}" => {
                self.braces = self.braces.saturating_sub(1);
                if self
                    .functions
                    .last()
                    .is_some_and(|f| f.braces == self.braces)
                {
                    let f = self.functions.pop().expect("checked");
                    if f.runs_args {
                        self.wrappers.push((f.name, f.shifts));
                    }
                }
            }
            _ => {}
        }
    }

    /// A command separator: `&&` or `||` when `andor`.
    pub(super) fn separator(&mut self, andor: bool) {
        self.andor = andor;
    }

    /// The lexer finished the command `words`.
    pub(super) fn command(&mut self, words: &[Text]) {
        self.commands += 1;
        let cond = self.cond;
        let Some(f) = self.functions.last_mut() else {
            return;
        };
        if f.runs_args {
            return;
        }
        let mut i = 0;
        while words.get(i).is_some_and(|w| {
            LEADING
                .iter()
                .chain(&["function", "eval", "exec", "command", "builtin"])
                .any(|l| is_word(w, l))
                || (i == 1 && is_word(&words[0], "function"))
        }) {
            i += 1;
        }
        let Some(w) = words.get(i) else { return };
        if is_all_args(w) {
            f.runs_args = true;
        } else if is_word(w, "shift") {
            let n = match words.get(i + 1) {
                None => Some(1),
                Some(n) => n.value.parse().ok().filter(|_| n.is_static()),
            };
            f.shifts = match (f.shifts, n) {
                (Some(s), Some(n)) if cond == f.cond => Some(s + n),
                _ => None,
            };
        }
    }

    /// The words `"${name[@]}"` stands for in the command after the first `at` commands, with an
    /// unknown part when a conditional `+=` may or may not have added its words.
    fn expand(&self, name: &str, at: usize) -> Option<Vec<Text>> {
        let known: Vec<&Array> = self
            .arrays
            .iter()
            .filter(|a| a.at <= at && a.name == name)
            .collect();
        let def = known.iter().rposition(|a| !a.append)?;
        let base = known[def];
        let mut out = base.words.clone();
        let mut unknown = None;
        for ext in &known[def + 1..] {
            out.extend(ext.words.iter().cloned());
            if ext.cond > base.cond || ext.andor {
                unknown.get_or_insert(&ext.head);
            }
        }
        if let Some(head) = unknown {
            // The words of a `+=` in a branch may not be there: arguments known only at run time.
            out.push(Text::unknown(format!("{}(...)", head.value), &head.whole()));
        }
        Some(out)
    }

    /// `words` with function wrappers that run `"$@"` taken off the front.
    fn strip_functions(&self, mut words: Vec<Text>) -> Vec<Text> {
        for _ in 0..8 {
            let mut i = 0;
            while words
                .get(i)
                .is_some_and(|w| LEADING.iter().any(|l| is_word(w, l)) || is_assignment(w))
            {
                i += 1;
            }
            let Some((_, shifts)) = words
                .get(i)
                .and_then(|w| self.wrappers.iter().find(|(n, _)| is_word(w, n)))
            else {
                break;
            };
            let from = i + 1 + shifts.unwrap_or(0);
            if from >= words.len() {
                break;
            }
            words.drain(..from);
        }
        words
    }
}

impl Lexer<'_> {
    /// At `(` after a word: `name ()` (or `function name ()`) defines a function. Reads the `()`.
    pub(super) fn function_definition(&mut self, words: &mut Vec<Text>) -> bool {
        let name = match words.as_slice() {
            [n] => n,
            [f, n] if is_word(f, "function") => n,
            _ => return false,
        };
        let mut p = self.pos + 1;
        while p < self.end && (self.s[p] == b' ' || self.s[p] == b'\t') {
            p += 1;
        }
        if !name.is_static() || !is_name(&name.value) || p >= self.end || self.s[p] != b')' {
            return false;
        }
        self.scope.pending_function = Some(name.value.clone());
        words.clear();
        self.pos = p + 1;
        true
    }

    /// Reads the elements of `name=(...)` (the lexer is at the `(`): they are not a command.
    pub(super) fn array(&mut self, head: Text) {
        let Some((name, append)) = array_head(&head, &[]) else {
            return;
        };
        self.pos += 1;
        let mut words = Vec::new();
        loop {
            self.skip_blanks();
            match self.peek(0) {
                None => break,
                Some(b')') => {
                    self.pos += 1;
                    break;
                }
                Some(b'\n') => {
                    self.pos += 1;
                    self.read_heredocs();
                }
                Some(b'#') => {
                    while self.peek(0).is_some_and(|b| b != b'\n') {
                        self.pos += 1;
                    }
                }
                Some(c) if is_meta(c) => self.pos += 1,
                Some(_) => words.push(self.word()),
            }
        }
        self.blocks.array(self.out.commands.len(), name.clone());
        self.scope.arrays.push(Array {
            name,
            append,
            head,
            words,
            cond: self.scope.cond,
            andor: self.scope.andor,
            at: self.scope.commands,
        });
    }
}

/// Rewrites the lexed commands into what they run: arrays expanded, function wrappers and
/// command wrappers taken off, `sh -c` strings lexed as scripts of their own.
pub(super) fn resolve(out: &mut Lexed, scope: &Scope, depth: usize) {
    let commands = std::mem::take(&mut out.commands);
    for (i, c) in commands.into_iter().enumerate() {
        let mut words = Vec::with_capacity(c.words.len());
        let (place, via, writes, files) = (c.place, c.via, c.writes, c.files);
        for w in c.words {
            match array_ref(&w).and_then(|name| scope.expand(name, i)) {
                Some(items) => words.extend(items),
                None => words.push(w),
            }
        }
        let words = scope.strip_functions(words);
        let words = unwrap(&words).unwrap_or(words);
        let mut k = 0;
        while words
            .get(k)
            .is_some_and(|w| LEADING.iter().any(|l| is_word(w, l)) || is_assignment(w))
        {
            k += 1;
        }
        if words.get(k).is_some_and(is_shell) {
            if let ShellRun::String(script) = shell_run(&words[k..]) {
                let inner = lex_string(script, depth + 1);
                out.commands.extend(inner.commands.into_iter().map(|mut c| {
                    c.place.foreign = true;
                    c
                }));
                out.errors.extend(inner.errors);
            }
        }
        out.commands.push(Command {
            words,
            place,
            via,
            writes,
            files,
        });
    }
}

#[cfg(test)]
mod tests {
    use super::super::{aws_commands as aws, first_aws, lex};

    #[test]
    fn functions_that_run_their_arguments() {
        let call = "aws sts assume-role-with-web-identity --role-arn r";
        let want = vec![vec![
            "aws",
            "sts",
            "assume-role-with-web-identity",
            "--role-arn",
            "r",
        ]];
        for def in [
            "run_logged() { echo \"+ $*\"; \"$@\"; }",
            "run_logged () {\n  echo \"+ $*\" >&2\n  \"$@\"\n}",
            "function run_logged {\n  eval \"$@\"\n}",
            "function run_logged() { if [ -n \"$V\" ]; then echo \"$*\"; fi; \"$@\" || exit 1; }",
        ] {
            let src = format!("{def}\nrun_logged {call}\n");
            assert_eq!(aws(&src), want, "{src}");
        }
        // arguments shifted off first
        let src = format!("retry() {{ local n=$1; shift; \"$@\"; }}\nretry 3 {call}\n");
        assert_eq!(aws(&src), want);
        // not a wrapper: it never runs "$@"; and an unknown function is not followed
        for src in [
            format!("log() {{ echo \"$@\"; }}\nlog {call}\n"),
            format!("other {call}\n"),
            format!("f() {{ \"$@\"; }}\necho f {call}\n"),
        ] {
            assert!(aws(&src).is_empty(), "{src}");
        }
    }

    #[test]
    fn arrays_run_where_they_are_expanded() {
        let src = "cmd=(aws sts assume-role-with-web-identity\n  --role-arn \"$R\"\n  --role-session-name s)\ncmd+=(--web-identity-token t)\nif [ -n \"$D\" ]; then\n  cmd+=(--duration-seconds \"$D\")\nfi\nout=$(\"${cmd[@]}\" 2>&1)\n";
        let got = aws(src);
        assert_eq!(
            got.len(),
            1,
            "the array literal itself runs nothing: {got:?}"
        );
        assert_eq!(
            got[0],
            [
                "aws",
                "sts",
                "assume-role-with-web-identity",
                "--role-arn",
                "$R",
                "--role-session-name",
                "s",
                "--web-identity-token",
                "t",
                "--duration-seconds",
                "$D",
                "cmd+=(...)"
            ]
        );
        let l = lex(src, 0);
        let c = first_aws(&l);
        assert_eq!(&src[c.words[6].span.clone()], "s", "spans at the elements");
        assert_eq!(&src[c.words[11].dynamic[0].span.range.clone()], "cmd+=");
        // unconditional extensions only: no unknown part
        let plain = aws("a=(aws sts x)\na+=(--y z)\n\"${a[@]}\"\n");
        assert_eq!(plain, [["aws", "sts", "x", "--y", "z"]]);
        // `&&` makes an extension conditional; arguments after the expansion stay
        let got = aws("a=(aws sts x)\n[ -n \"$D\" ] && a+=(--d 1)\n${a[@]} --q 2\n");
        assert_eq!(
            got,
            [["aws", "sts", "x", "--d", "1", "a+=(...)", "--q", "2"]]
        );
        // an unknown array is left alone; args arrays expand in place
        assert!(aws("\"${nope[@]}\" x\n").is_empty());
        let got = aws("args=(--role-arn r)\naws sts x \"${args[@]}\"\n");
        assert_eq!(got, [["aws", "sts", "x", "--role-arn", "r"]]);
        // commands inside elements still run
        assert_eq!(
            aws("export STS=($(aws sts q --o text))\n"),
            [["aws", "sts", "q", "--o", "text"]]
        );
    }

    #[test]
    fn wrappers_and_sh_c_are_followed() {
        let got = aws("x=$(env -u A -u B \\\n  aws sts x --r 1)\n");
        assert_eq!(got, [["aws", "sts", "x", "--r", "1"]]);
        let got = aws("echo x | xargs aws sts x --r\n");
        assert_eq!(got, [["aws", "sts", "x", "--r", "xargs"]]);
        let src = "docker run --rm -e A amazon/aws-cli:2.15.0 sts x\n";
        let l = lex(src, 0);
        let c = &l.commands[0];
        assert_eq!(c.words[0].value, "aws");
        assert_eq!(&src[c.words[0].span.clone()], "amazon/aws-cli:2.15.0");
        // sh -c strings, spans through the quoting
        let src = "sudo sh -ec 'aws sts x --r \"a b\"' && bash -lc \"aws sts y --t \\\"q r\\\" --v $V\"\n";
        let got = aws(src);
        assert_eq!(
            got,
            [
                vec!["aws", "sts", "x", "--r", "a b"],
                vec!["aws", "sts", "y", "--t", "q r", "--v", "$V"]
            ]
        );
        let l = lex(src, 0);
        let y = l
            .commands
            .iter()
            .find(|c| c.words.get(2).is_some_and(|w| w.value == "y"))
            .unwrap();
        assert_eq!(&src[y.words[4].span.clone()], "\\\"q r\\\"");
        assert_eq!(&src[y.words[6].dynamic[0].span.range.clone()], "$V");
        // echo is not a wrapper; a quoted string is not a command
        assert!(aws("echo \"aws sts x\"\necho aws sts x\n").is_empty());
    }
}
