//! A POSIX-shell word splitter that keeps spans.
//!
//! It reads a whole script (or Makefile recipe, or CI step) and returns every simple command in it
//! as a list of words, each a [`Text`]: the value the shell would pass, mapped back to where it was
//! written. It knows quoting (single, double, `$'...'`, backslash), line continuations, comments,
//! command separators, redirections and here-documents. Expansions (`$VAR`, `${...}`, `$(...)`,
//! backticks, arithmetic) are kept as [`Dynamic`] parts because only the shell knows their value;
//! commands inside `$(...)` and backticks are returned too, so `CREDS=$(aws sts ...)` is found.
//! It never fails: what it cannot read is reported as an `I001` finding and skipped.
//!
//! It also follows what a script runs indirectly, so that every invocation is found where it is
//! written: here-document bodies ([`heredoc`]), `sh -c` strings ([`nested`]), command wrappers
//! such as `env -u X`, `timeout 60`, `docker run amazon/aws-cli` ([`wrappers`]), and functions
//! that run `"$@"` and arrays run as `"${cmd[@]}"` ([`scope`]).

mod ansi_c;
pub mod assign;
mod blocks;
pub mod embedded;
pub mod files;
mod heredoc;
mod literal;
mod nested;
pub mod quote;
mod scope;
mod setters;
pub mod wrappers;

use crate::diagnostic::Diagnostic;
use crate::input::findings::SHELL_SYNTAX;
use crate::source::{Dynamic, Seg, SourceId, Span, Text, Via};

/// One simple command: its words in order.
#[derive(Debug, Clone, Default)]
pub struct Command {
    pub words: Vec<Text>,
    /// Where it sits in the script (for what its variables hold).
    pub place: assign::Place,
    /// Variables whose values were put into its words.
    pub via: Vec<Via>,
    /// The files its redirections write (`> PATH`, `2>> PATH`), targets with values put in.
    pub writes: Vec<files::Redirect>,
    /// Files its words read as `file://PATH` that the script writes before it runs.
    pub files: Vec<files::Written>,
}

impl Command {
    /// A command with no place (read from a CI file's argument list, an exec-form `RUN`).
    pub fn of(words: Vec<Text>) -> Command {
        Command {
            words,
            ..Command::default()
        }
    }
}

/// The result of splitting a script.
#[derive(Debug, Default)]
pub struct Lexed {
    pub commands: Vec<Command>,
    pub errors: Vec<Diagnostic>,
    /// The variables the script sets (once values are put in).
    pub assigned: Option<assign::Assigned>,
}

/// Whether `s` is a shell variable name (`[A-Za-z_][A-Za-z0-9_]*`).
pub fn is_name(s: &str) -> bool {
    s.bytes()
        .next()
        .is_some_and(|b| b == b'_' || b.is_ascii_alphabetic())
        && s.bytes().all(|b| b == b'_' || b.is_ascii_alphanumeric())
}

/// How deep `$(...)` may nest before the inside is skipped unread.
const MAX_NESTING: usize = 64;

/// Splits `text` (source `source`) into commands.
pub fn lex(text: &str, source: SourceId) -> Lexed {
    lex_at(text, source, 0)
}

/// [`lex`] for a script nested `depth` deep in another (a `sh -c` string).
fn lex_at(text: &str, source: SourceId, depth: usize) -> Lexed {
    let mut lx = Lexer::new(text, source, depth);
    lx.run(false);
    let Lexer {
        mut out,
        scope,
        blocks,
        ..
    } = lx;
    assign::resolve(&mut out, &blocks);
    files::resolve(&mut out, &blocks);
    scope::resolve(&mut out, &scope, depth);
    out
}

/// The commands as written, without following wrappers, functions or arrays (for tests).
#[cfg(test)]
fn lex_plain(text: &str) -> Lexed {
    let mut lx = Lexer::new(text, 0, 0);
    lx.run(false);
    lx.out
}

/// Each command's words as shown in messages (for tests).
#[cfg(test)]
fn shown(src: &str) -> Vec<Vec<String>> {
    lex(src, 0)
        .commands
        .iter()
        .map(|c| c.words.iter().map(Text::display).collect())
        .collect()
}

/// The words of each command that starts with `aws`, as shown in messages (for tests).
#[cfg(test)]
fn aws_commands(src: &str) -> Vec<Vec<String>> {
    aws_words(&lex(src, 0))
}

/// The words of each command in `lexed` that starts with `aws`, as shown (for tests).
#[cfg(test)]
pub fn aws_words(lexed: &Lexed) -> Vec<Vec<String>> {
    lexed
        .commands
        .iter()
        .filter(|c| c.words.first().is_some_and(|w| w.value == "aws"))
        .map(|c| c.words.iter().map(Text::display).collect())
        .collect()
}

/// The first command that starts with `aws` (for tests).
#[cfg(test)]
fn first_aws(lexed: &Lexed) -> &Command {
    lexed
        .commands
        .iter()
        .find(|c| c.words.first().is_some_and(|w| w.value == "aws"))
        .expect("an aws command")
}

struct Lexer<'a> {
    s: &'a [u8],
    text: &'a str,
    pos: usize,
    end: usize,
    source: SourceId,
    depth: usize,
    /// Here-documents whose bodies start at the next newline.
    heredocs: Vec<heredoc::Heredoc>,
    /// Functions, arrays and the nesting of compound commands met so far.
    scope: scope::Scope,
    /// The blocks around the current command and how it runs, for [`assign`].
    blocks: blocks::Blocks,
    /// Inside double quotes (an expansion here is not split into words).
    quoted: bool,
    /// The file descriptor written just before a redirection operator (`2` in `2>`).
    fd: Option<u32>,
    /// The current command's redirections that write files.
    writes: Vec<files::Redirect>,
    out: Lexed,
}

/// A word being built.
#[derive(Default)]
struct WordBuf {
    value: Vec<u8>,
    segs: Vec<Seg>,
    dynamic: Vec<Dynamic>,
}

impl WordBuf {
    /// Appends value bytes written as source bytes `src`.
    fn push(&mut self, bytes: &[u8], src: std::ops::Range<usize>) {
        let start = self.value.len();
        self.value.extend_from_slice(bytes);
        let val = start..self.value.len();
        if let Some(last) = self.segs.last_mut() {
            let exact = |s: &Seg| s.val.len() == s.src.len();
            if exact(last)
                && val.len() == src.len()
                && last.val.end == val.start
                && last.src.end == src.start
            {
                last.val.end = val.end;
                last.src.end = src.end;
                return;
            }
        }
        if !val.is_empty() {
            self.segs.push(Seg { val, src });
        }
    }
}

fn utf8_len(b: u8) -> usize {
    match b {
        0xF0..=0xFF => 4,
        0xE0..=0xEF => 3,
        0xC0..=0xDF => 2,
        _ => 1,
    }
}

fn is_blank(b: u8) -> bool {
    b == b' ' || b == b'\t' || b == b'\r'
}

fn is_meta(b: u8) -> bool {
    is_blank(b) || matches!(b, b'\n' | b';' | b'&' | b'|' | b'(' | b')' | b'<' | b'>')
}

impl<'a> Lexer<'a> {
    fn new(text: &'a str, source: SourceId, depth: usize) -> Self {
        Lexer {
            s: text.as_bytes(),
            text,
            // A byte-order mark is read past (I008 reports it), so the script is still checked.
            pos: if text.starts_with('\u{feff}') { 3 } else { 0 },
            end: text.len(),
            source,
            depth,
            heredocs: Vec::new(),
            scope: scope::Scope::default(),
            blocks: blocks::Blocks::default(),
            quoted: false,
            fd: None,
            writes: Vec::new(),
            out: Lexed::default(),
        }
    }

    fn peek(&self, off: usize) -> Option<u8> {
        let p = self.pos + off;
        if p < self.end {
            Some(self.s[p])
        } else {
            None
        }
    }

    fn error(&mut self, range: std::ops::Range<usize>, message: &str, label: &str, help: &str) {
        let d = SHELL_SYNTAX
            .report(message)
            .at(Span::new(self.source, range), label)
            .help(format!(
                "{help}; stslint checks the command once the shell can read it"
            ));
        self.out.errors.push(d);
    }

    /// Reads commands until the end, or (when `in_subst`) until the `)` that closes a `$(`.
    fn run(&mut self, in_subst: bool) {
        let mut words: Vec<Text> = Vec::new();
        let mut parens = 0usize;
        loop {
            self.skip_blanks();
            let Some(c) = self.peek(0) else { break };
            match c {
                b'#' if true => {
                    while self.peek(0).is_some_and(|b| b != b'\n') {
                        self.pos += 1;
                    }
                }
                b'\n' => {
                    let had = !words.is_empty();
                    self.flush(&mut words);
                    if had {
                        self.blocks.plain();
                    }
                    self.pos += 1;
                    self.scope.separator(false);
                    self.read_heredocs();
                }
                b'&' if self.peek(1) == Some(b'>') => self.redirect(&words),
                b';' | b'&' | b'|' => {
                    let had = !words.is_empty();
                    self.flush(&mut words);
                    self.pos += 1;
                    let doubled = self.peek(0) == Some(c);
                    if doubled || (c == b'|' && self.peek(0) == Some(b'&')) {
                        self.pos += 1;
                    }
                    if c != b'|' || doubled {
                        self.scope.separator(doubled && c != b';');
                    }
                    // A command in a pipeline or the background runs in a subshell.
                    if had && !doubled && c != b';' {
                        if let Some(last) = self.out.commands.last_mut() {
                            last.place.partial = true;
                        }
                    }
                    match (c, doubled) {
                        (b';', true) => {
                            self.blocks.case_branch();
                            self.blocks.plain();
                        }
                        (b'|', false) => self.blocks.pipe(),
                        (b'&' | b'|', true) => self.blocks.and_or(),
                        _ => self.blocks.plain(),
                    }
                }
                b'(' if self.function_definition(&mut words) => {}
                b'(' => {
                    self.flush(&mut words);
                    parens += 1;
                    self.blocks.open_paren();
                    self.pos += 1;
                }
                b')' => {
                    self.flush(&mut words);
                    self.pos += 1;
                    if parens == 0 && in_subst {
                        return;
                    }
                    if parens > 0 {
                        self.blocks.close_paren();
                    }
                    parens = parens.saturating_sub(1);
                }
                b'<' | b'>' => self.redirect(&words),
                _ => {
                    let start = self.pos;
                    let w = self.word();
                    let fd = self.pos > start
                        && self.s[start..self.pos].iter().all(u8::is_ascii_digit)
                        && matches!(self.peek(0), Some(b'<' | b'>'));
                    if fd {
                        self.fd = w.value.parse().ok();
                    } else if self.peek(0) == Some(b'(') && scope::array_head(&w, &words).is_some()
                    {
                        self.array(w);
                    } else {
                        words.push(w);
                        self.blocks.word(&words, self.scope.defining_function());
                        self.scope.word(&words);
                    }
                }
            }
        }
        self.flush(&mut words);
        if in_subst {
            self.error(
                self.end..self.end,
                "unterminated command substitution: `$(` has no closing `)`",
                "input ends here",
                "close the `$(` with a `)`",
            );
        }
        if !self.heredocs.is_empty() {
            let doc = self.heredocs.remove(0);
            self.heredocs.clear();
            self.unterminated(&doc);
        }
    }

    /// Reads a script nested in this one (`$(...)`, a backquote, a here-document a shell reads):
    /// its own quoting, and a block of its own.
    fn nested_run(&mut self, in_subst: bool, child: bool) {
        let quoted = std::mem::replace(&mut self.quoted, false);
        let writes = std::mem::take(&mut self.writes);
        let saved = self.blocks.enter(child);
        self.run(in_subst);
        self.blocks.leave(saved);
        self.quoted = quoted;
        self.writes = writes;
    }

    fn flush(&mut self, words: &mut Vec<Text>) {
        if words.is_empty() {
            // `> file` alone empties the file: kept as the command `:` it is equivalent to.
            let Some(first) = self.writes.first() else {
                return;
            };
            let at = first.target.span.start;
            words.push(Text {
                value: ":".into(),
                source: self.source,
                span: at..at,
                segs: vec![Seg {
                    val: 0..1,
                    src: at..at,
                }],
                dynamic: Vec::new(),
            });
        }
        let words = std::mem::take(words);
        self.scope.command(&words);
        let place = self.blocks.place();
        self.out.commands.push(Command {
            words,
            place,
            writes: std::mem::take(&mut self.writes),
            ..Command::default()
        });
    }

    fn skip_blanks(&mut self) {
        while let Some(c) = self.peek(0) {
            if is_blank(c) {
                self.pos += 1;
            } else if c == b'\\' && self.peek(1) == Some(b'\n') {
                self.pos += 2;
            } else if c == b'\\' && self.peek(1) == Some(b'\r') && self.peek(2) == Some(b'\n') {
                self.pos += 3;
            } else {
                break;
            }
        }
    }

    /// A redirection operator and its target word (discarded: it is not an argument). `words`
    /// are the command's words so far: they say what a here-document is fed to.
    fn redirect(&mut self, words: &[Text]) {
        let at = self.pos;
        let ops: [&[u8]; 12] = [
            b"<<<", b"<<-", b"&>>", b"<<", b"<>", b"<&", b">>", b">|", b">&", b"&>", b"<", b">",
        ];
        let rest = &self.s[self.pos..self.end];
        let op = ops
            .iter()
            .find(|op| rest.starts_with(op))
            .copied()
            .unwrap_or(b">");
        self.pos += op.len();
        let fd = self.fd.take();
        self.skip_blanks();
        if self
            .peek(0)
            .is_none_or(|c| c == b'\n' || (is_meta(c) && c != b'('))
        {
            return;
        }
        if op == b"<<" || op == b"<<-" {
            let w = self.word();
            let quoted = self.text[w.span.clone()].contains(['\'', '"', '\\']);
            self.heredocs.push(heredoc::Heredoc::new(
                w.value,
                op == b"<<-",
                at,
                quoted,
                words,
            ));
        } else if !(op == b"<" && self.peek(0) == Some(b'(')) {
            let target = self.word();
            // `>&2`, `2>&1`, `<&-`: a copy of a descriptor, not a file.
            let dup = op.ends_with(b"&") && target.is_static() && {
                let v = target.value.trim_end_matches('-');
                v.bytes().all(|b| b.is_ascii_digit())
            };
            let writes = op.contains(&b'>') && !dup;
            if writes {
                let stdout = matches!(op, b">" | b">|") && fd.is_none_or(|n| n == 1);
                self.writes.push(files::Redirect { target, stdout });
            }
        }
    }

    /// Reads one word starting at a non-meta character.
    fn word(&mut self) -> Text {
        let start = self.pos;
        let mut w = WordBuf::default();
        while let Some(c) = self.peek(0) {
            if is_meta(c) {
                break;
            }
            match c {
                b'\\' => match self.peek(1) {
                    Some(b'\n') => self.pos += 2,
                    Some(b'\r') if self.peek(2) == Some(b'\n') => self.pos += 3,
                    Some(n) => {
                        let len = utf8_len(n).min(self.end - self.pos - 1);
                        let ch = &self.s[self.pos + 1..self.pos + 1 + len];
                        w.push(ch, self.pos..self.pos + 1 + len);
                        self.pos += 1 + len;
                    }
                    None => {
                        w.push(b"\\", self.pos..self.pos + 1);
                        self.pos += 1;
                    }
                },
                b'\'' => self.single_quoted(&mut w),
                b'"' => self.double_quoted(&mut w),
                b'$' if self.peek(1) == Some(b'\'') => self.ansi_c_quoted(&mut w),
                b'$' if self.peek(1) == Some(b'"') => {
                    self.pos += 1;
                    self.double_quoted(&mut w);
                }
                b'$' => self.dollar(&mut w),
                b'`' => self.backtick(&mut w),
                _ => {
                    w.push(&[c], self.pos..self.pos + 1);
                    self.pos += 1;
                }
            }
        }
        let value = String::from_utf8(w.value)
            .unwrap_or_else(|e| String::from_utf8_lossy(e.as_bytes()).into_owned());
        Text {
            value,
            source: self.source,
            span: start..self.pos,
            segs: w.segs,
            dynamic: w.dynamic,
        }
    }

    fn single_quoted(&mut self, w: &mut WordBuf) {
        let open = self.pos;
        self.pos += 1;
        let close = self.s[self.pos..self.end]
            .iter()
            .position(|&b| b == b'\'')
            .map(|p| self.pos + p);
        let stop = close.unwrap_or(self.end);
        w.push(&self.s[self.pos..stop], self.pos..stop);
        match close {
            Some(c) => self.pos = c + 1,
            None => {
                self.pos = self.end;
                self.error(
                    open..open + 1,
                    "unterminated single quote",
                    "this quote is never closed",
                    "close the string with a `'`",
                );
            }
        }
    }

    fn double_quoted(&mut self, w: &mut WordBuf) {
        let outer = std::mem::replace(&mut self.quoted, true);
        self.double_quoted_body(w);
        self.quoted = outer;
    }

    fn double_quoted_body(&mut self, w: &mut WordBuf) {
        let open = self.pos;
        self.pos += 1;
        loop {
            let Some(c) = self.peek(0) else {
                self.error(
                    open..open + 1,
                    "unterminated double quote",
                    "this quote is never closed",
                    "close the string with a `\"`",
                );
                return;
            };
            match c {
                b'"' => {
                    self.pos += 1;
                    return;
                }
                b'\\' => match self.peek(1) {
                    Some(b'\n') => self.pos += 2,
                    Some(n @ (b'$' | b'`' | b'"' | b'\\')) => {
                        w.push(&[n], self.pos..self.pos + 2);
                        self.pos += 2;
                    }
                    _ => {
                        w.push(b"\\", self.pos..self.pos + 1);
                        self.pos += 1;
                    }
                },
                b'$' => self.dollar(w),
                b'`' => self.backtick(w),
                _ => {
                    w.push(&[c], self.pos..self.pos + 1);
                    self.pos += 1;
                }
            }
        }
    }

    fn dynamic(&mut self, w: &mut WordBuf, start: usize) {
        let expr = self.text.get(start..self.pos).unwrap_or("$").to_string();
        w.dynamic.push(Dynamic {
            at: w.value.len(),
            expr,
            span: Span::new(self.source, start..self.pos),
            quoted: self.quoted,
            assigned: false,
        });
    }

    /// Skips to just after the bracket that closes the one at `self.pos`, minding quotes.
    fn skip_balanced(&mut self, open: u8, close: u8) -> bool {
        let mut depth = 0usize;
        while let Some(c) = self.peek(0) {
            self.pos += 1;
            match c {
                b'\\' => self.pos = (self.pos + 1).min(self.end),
                b'\'' => {
                    while self.peek(0).is_some_and(|b| b != b'\'') {
                        self.pos += 1;
                    }
                    self.pos = (self.pos + 1).min(self.end);
                }
                _ if c == open => depth += 1,
                _ if c == close => {
                    depth -= 1;
                    if depth == 0 {
                        return true;
                    }
                }
                _ => {}
            }
        }
        false
    }

    fn dollar(&mut self, w: &mut WordBuf) {
        let start = self.pos;
        match self.peek(1) {
            Some(b'(') if self.peek(2) == Some(b'(') => {
                self.pos += 1;
                if !self.skip_balanced(b'(', b')') {
                    self.error(
                        start..start + 3,
                        "unterminated arithmetic expansion",
                        "`$((` is never closed",
                        "close it with `))`",
                    );
                }
                self.dynamic(w, start);
            }
            Some(b'(') => {
                if self.depth >= MAX_NESTING {
                    self.pos += 1;
                    self.skip_balanced(b'(', b')');
                } else {
                    self.pos += 2;
                    self.depth += 1;
                    let saved = std::mem::take(&mut self.heredocs);
                    self.nested_run(true, false);
                    self.heredocs = saved;
                    self.depth -= 1;
                }
                self.dynamic(w, start);
            }
            Some(b'{') => {
                self.pos += 1;
                if !self.skip_balanced(b'{', b'}') {
                    self.error(
                        start..start + 2,
                        "unterminated parameter expansion",
                        "`${` is never closed",
                        "close it with `}`",
                    );
                }
                self.dynamic(w, start);
            }
            Some(c) if c == b'_' || c.is_ascii_alphabetic() => {
                self.pos += 1;
                while self
                    .peek(0)
                    .is_some_and(|b| b == b'_' || b.is_ascii_alphanumeric())
                {
                    self.pos += 1;
                }
                self.dynamic(w, start);
            }
            Some(c) if c.is_ascii_digit() || b"@*#?$!-".contains(&c) => {
                self.pos += 2;
                self.dynamic(w, start);
            }
            _ => {
                w.push(b"$", self.pos..self.pos + 1);
                self.pos += 1;
            }
        }
    }

    fn backtick(&mut self, w: &mut WordBuf) {
        let start = self.pos;
        let mut p = self.pos + 1;
        let mut close = None;
        while p < self.end {
            match self.s[p] {
                b'\\' => p += 2,
                b'`' => {
                    close = Some(p);
                    break;
                }
                _ => p += 1,
            }
        }
        let Some(close) = close else {
            self.pos = self.end;
            self.error(
                start..start + 1,
                "unterminated backquote",
                "this backquote is never closed",
                "close the command substitution with a backquote, or use `$(...)`",
            );
            self.dynamic(w, start);
            return;
        };
        if self.depth < MAX_NESTING {
            let saved_end = self.end;
            let saved_docs = std::mem::take(&mut self.heredocs);
            self.end = close;
            self.pos = start + 1;
            self.depth += 1;
            self.nested_run(false, false);
            self.depth -= 1;
            self.end = saved_end;
            self.heredocs = saved_docs;
        }
        self.pos = close + 1;
        self.dynamic(w, start);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn words(src: &str) -> Vec<Vec<String>> {
        shown(src)
    }

    #[test]
    fn quoting_and_continuations() {
        let src = "aws sts x \\\n  --a 'b c' --d \"e\\\"f\" g\\ h $'i\\tj' # comment\nnext";
        assert_eq!(
            words("x $'\\x41\\u00e9\\101\\ufeff'"),
            vec![vec!["x", "AéA\u{feff}"]]
        );
        assert_eq!(
            words(src),
            vec![
                vec!["aws", "sts", "x", "--a", "b c", "--d", "e\"f", "g h", "i\tj"],
                vec!["next"]
            ]
        );
    }

    #[test]
    fn dynamic_parts_are_kept() {
        let l = lex("x \"gh-${RUN_ID}-$N\" $(cat t) `echo y`", 0);
        let w = &l.commands.last().unwrap().words;
        assert_eq!(w[1].value, "gh--");
        assert_eq!(w[1].display(), "gh-${RUN_ID}-$N");
        assert_eq!(w[2].dynamic[0].expr, "$(cat t)");
        assert_eq!(w[3].dynamic[0].expr, "`echo y`");
        // commands inside substitutions are found too
        let all = words("CREDS=$(aws sts assume-role-with-web-identity --role-arn r)");
        assert!(all.iter().any(|c| c[0] == "aws" && c[3] == "--role-arn"));
    }

    #[test]
    fn separators_redirections_heredocs() {
        let src = "a 1 2>/dev/null && b <<EOF | c\nnot a command\nEOF\nd > out; e";
        assert_eq!(
            words(src),
            vec![vec!["a", "1"], vec!["b"], vec!["c"], vec!["d"], vec!["e"]]
        );
    }

    #[test]
    fn unterminated_quote_is_reported_not_panicked() {
        let l = lex("aws --x 'abc", 0);
        assert_eq!(l.errors.len(), 1);
        assert_eq!(l.errors[0].primary.as_ref().unwrap().range, 8..9);
        assert_eq!(words("aws --x 'abc"), vec![vec!["aws", "--x", "abc"]]);
        assert_eq!(lex("echo \"$(", 0).errors.len(), 2);
        assert_eq!(lex("cat <<EOF\nx\n", 0).errors.len(), 1);
    }

    #[test]
    fn spans_point_at_source() {
        let src = "aws --p \"a\\\"b\"";
        let l = lex(src, 0);
        let w = &l.commands[0].words[2];
        assert_eq!(w.value, "a\"b");
        assert_eq!(&src[w.span_of(2..3).range.clone()], "b");
        assert_eq!(&src[w.span.clone()], "\"a\\\"b\"");
    }

    #[test]
    fn json_in_a_word_maps_through_its_escapes() {
        // The shell word `"{\"a\": 1,}"` at offset 10 holds `{"a": 1,}`.
        let src = r#"--policy "{\"a\": [\"x\"],}""#;
        let word = lex(src, 0).commands[0].words[1].clone();
        let e = crate::json::parse_in(&word).unwrap_err();
        assert_eq!(&src[e.range.clone()], "}");
        let ok = lex(r#"--p "{\"a\": \"xy\"}""#, 0).commands[0].words[1].clone();
        let n = crate::json::parse_in(&ok).unwrap();
        let s = n.members().unwrap()[0].value.as_str().unwrap().clone();
        assert_eq!(s.value, "xy");
        assert_eq!(s.span_of(1..2).range, 16..17, "the `y`");
    }
}
