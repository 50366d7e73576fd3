//! Files a script writes before a command reads them as `file://PATH`:
//! `printf %s "$GITLAB_OIDC_TOKEN" > /tmp/token` a few lines above
//! `--web-identity-token file:///tmp/token` makes the token `$GITLAB_OIDC_TOKEN`, its bytes mapped
//! to the `printf`, and the `file://` word no longer "a file that is not here".
//!
//! The same rules as for variables ([`super::assign`]) decide what is certain: the last write
//! before the use must run on every path (not in a branch, after `&&`/`||`, in a pipeline, a
//! subshell or a function), and nothing between may change the file. What changes it, for stslint:
//! another redirection to it, any command that names it other than the few that only read
//! (`cat`, `chmod`, `test`, ...), a redirection to a path only the run knows, `cd`, and
//! `source`/`.`/`eval`. Only `echo` and `printf` with a plain format give a known content; any
//! other writer (`curl ... > PATH`, `tee PATH`) makes the file written by the script with content
//! known only when it runs.

use super::assign::{Binding, State};
use super::blocks::Blocks;
use super::setters::{Event, Pos};
use super::{Command, Lexed};
use crate::source::{Seg, SourceId, Span, Text, Via};
use std::collections::HashMap;

/// A redirection that writes a file.
#[derive(Debug, Clone)]
pub struct Redirect {
    /// The target word.
    pub target: Text,
    /// `>`, `>|` or `1>`: the command's standard output replaces the file's content. Anything
    /// else (`>>`, `2>`, `&>`, `<>`) writes what stslint does not follow.
    pub stdout: bool,
}

/// A file a command reads as `file://PATH` that the script writes before it.
#[derive(Debug, Clone)]
pub struct Written {
    /// The path as the `file://` word names it.
    pub path: String,
    /// What the file certainly holds when the command runs; `None` when it is written by a
    /// command whose output only the run knows, or not on every path.
    pub content: Option<Text>,
    /// Where it is written (the redirection target of the last write before the use).
    pub at: Span,
}

/// More distinct paths than this and the rest are not followed (bounded work on hostile input).
const MAX_FILES: usize = 64;

/// Commands that may name a file without changing it.
const READ_ONLY: &[&str] = &[
    "[",
    "[[",
    "test",
    "cat",
    "chmod",
    "chown",
    "ls",
    "stat",
    "wc",
    "head",
    "tail",
    "grep",
    "jq",
    "base64",
    "cut",
    "file",
    "md5sum",
    "sha1sum",
    "sha256sum",
    "xxd",
    "od",
    "echo",
    "printf",
    "export",
    "local",
    "declare",
    "readonly",
    "typeset",
];

/// Variables that name files a CI platform reads (`>> $GITHUB_ENV`): never the token file.
const PLATFORM_FILES: &[&str] = &[
    "GITHUB_ENV",
    "GITHUB_OUTPUT",
    "GITHUB_STEP_SUMMARY",
    "GITHUB_PATH",
    "GITHUB_STATE",
    "BASH_ENV",
];

/// The path a written word names, as the AWS CLI's `file://` would name it (`./t` is `t`).
fn normal(path: &str) -> &str {
    let mut p = path;
    while let Some(rest) = p.strip_prefix("./") {
        p = rest;
    }
    p
}

/// The file a redirection target names, when it is known.
fn path_of(target: &Text) -> Option<&str> {
    let p = normal(&target.value);
    (target.is_static() && !p.is_empty() && !p.starts_with("/dev/")).then_some(p)
}

/// A target that is certainly not a file a later `file://` reads.
fn is_elsewhere(target: &Text) -> bool {
    if target.is_static() {
        return target.value.starts_with("/dev/");
    }
    crate::model::token_variables::whole_variable(target)
        .is_some_and(|(_, name)| PLATFORM_FILES.contains(&name))
}

/// Whether `word` names `path`: the whole word, or after `=`, `://` or `:` (`of=PATH`, `file://PATH`).
fn names(word: &Text, path: &str) -> bool {
    word.value.strip_suffix(path).is_some_and(|before| {
        before.is_empty()
            || before.ends_with('=')
            || before.ends_with("://")
            || before.ends_with(':')
    })
}

/// The command's name: its first word that is not an assignment.
fn name(c: &Command) -> Option<&Text> {
    c.words.iter().find(|w| {
        !w.value
            .split_once('=')
            .is_some_and(|(n, _)| super::is_name(n) && w.dynamic.iter().all(|d| d.at > n.len()))
    })
}

/// Text the command adds itself (`echo`'s spaces and newline, a format's `\\n`): mapped to the
/// empty stretch at `at`, so it is pointed at but never hidden as part of a token.
fn added(value: &str, source: SourceId, at: usize) -> Text {
    Text {
        value: value.to_string(),
        source,
        span: at..at,
        segs: vec![Seg {
            val: 0..value.len(),
            src: at..at,
        }],
        dynamic: Vec::new(),
    }
}

/// What `echo ARGS` or `printf FORMAT ARGS` prints, when the shell's word splitting cannot change
/// it: the arguments' texts and the format's text where they are written, with what the command
/// adds (spaces, escapes, the newline) at the end of the word before it.
pub(super) fn printed(words: &[Text]) -> Option<Text> {
    let (head, mut args) = words.split_first()?;
    if !head.is_static() {
        return None;
    }
    let source = head.source;
    let end = words.last().map_or(head.span.end, |w| w.span.end);
    let mut out = Text {
        span: head.span.start..end,
        ..added("", source, head.span.start)
    };
    out.segs.clear();
    let unquoted = |a: &[Text]| a.iter().any(|w| w.dynamic.iter().any(|d| !d.quoted));
    match head.value.as_str() {
        "echo" => {
            let mut newline = true;
            while let Some((f, rest)) = args.split_first() {
                let flag = f.is_static()
                    && f.value.len() > 1
                    && f.value.starts_with('-')
                    && f.value[1..].bytes().all(|b| b"neE".contains(&b));
                if !flag {
                    break;
                }
                if f.value.contains('e') {
                    return None;
                }
                newline &= !f.value.contains('n');
                args = rest;
            }
            // `sh`'s echo reads backslashes; an unquoted expansion may vanish or split.
            if args.iter().any(|a| a.value.contains('\\')) || (args.len() > 1 && unquoted(args)) {
                return None;
            }
            let mut last = head.span.end;
            for (i, a) in args.iter().enumerate() {
                if i > 0 {
                    out.push_text(&added(" ", source, last));
                }
                out.push_text(a);
                last = a.span.end;
            }
            if newline {
                out.push_text(&added("\n", source, last));
            }
        }
        "printf" => {
            let (format, args) = args.split_first()?;
            if !format.is_static() || format.value.starts_with('-') || unquoted(args) {
                return None;
            }
            let mut args = args.iter();
            let f = &format.value;
            let (mut i, mut run) = (0, 0);
            while let Some(k) = f[i..].find(['%', '\\']).map(|k| i + k) {
                out.push_text(&format.slice(run..k));
                let escape = |v: &str| added(v, source, format.span_of(k..k + 2).range.end);
                match f.get(k..k + 2) {
                    Some("%%") => out.push_text(&escape("%")),
                    Some("\\n") => out.push_text(&escape("\n")),
                    Some("\\\\") => out.push_text(&escape("\\")),
                    Some("%s") => {
                        if let Some(a) = args.next() {
                            out.push_text(a);
                        }
                    }
                    _ => return None,
                }
                i = k + 2;
                run = i;
            }
            out.push_text(&format.slice(run..f.len()));
            // More arguments than `%s`: printf prints the format again.
            if args.next().is_some() {
                return None;
            }
        }
        _ => return None,
    }
    Some(out)
}

/// Finds the files each command reads as `file://PATH` that the script writes before it.
pub(super) fn resolve(out: &mut Lexed, blocks: &Blocks) {
    // The files read as `file://PATH`: only they matter.
    let mut tracked: Vec<String> = Vec::new();
    for w in out.commands.iter().flat_map(|c| &c.words) {
        let Some(p) = w.value.strip_prefix("file://").filter(|_| w.is_static()) else {
            continue;
        };
        let p = normal(p);
        if tracked.len() < MAX_FILES && !p.is_empty() && !tracked.iter().any(|t| t == p) {
            tracked.push(p.to_string());
        }
    }
    if tracked.is_empty() {
        return;
    }
    let mut state = State::new(blocks, &out.commands);
    let mut targets: HashMap<Pos, Span> = HashMap::new();
    for (i, c) in out.commands.iter().enumerate() {
        if c.place.foreign {
            continue;
        }
        let pos = (i, c.words.len() + 1);
        let event = |name: Option<&str>| Event {
            pos,
            name: name.map(str::to_string),
            value_at: None,
            place: c.place.clone(),
        };
        let head = name(c).filter(|w| w.is_static()).map(|w| w.value.as_str());
        // The directory changes (relative paths name other files), or anything may be written.
        if matches!(
            head,
            Some("cd" | "pushd" | "popd" | "source" | "." | "eval")
        ) {
            state.every.push(event(None));
        }
        for w in &c.writes {
            match path_of(&w.target).filter(|p| tracked.iter().any(|t| t == p)) {
                Some(p) => {
                    state
                        .events
                        .entry(p.to_string())
                        .or_default()
                        .push(event(Some(p)));
                    targets.insert(pos, w.target.whole());
                    let content = (w.stdout && c.writes.len() == 1)
                        .then(|| printed(&c.words))
                        .flatten();
                    if let Some(value) = content {
                        let set = w.target.whole();
                        state.values.insert(pos, Binding { value, set });
                    }
                }
                None if is_elsewhere(&w.target) => {}
                None => state.every.push(event(None)),
            }
        }
        // A command that names the file may write it (`cp`, `mv`, `rm`, `tee`, `curl -o`).
        let reads_only = head.is_some_and(|h| READ_ONLY.contains(&h))
            || (head == Some("aws") && c.words.iter().any(|w| w.value == "sts"))
            || head.is_none();
        if !reads_only {
            for t in &tracked {
                if c.words.iter().any(|w| names(w, t)) {
                    state
                        .events
                        .entry(t.clone())
                        .or_default()
                        .push(event(Some(t)));
                }
            }
        }
    }
    for events in state.events.values_mut() {
        events.sort_by_key(|e| e.pos);
    }
    state.every.sort_by_key(|e| e.pos);
    let mut found: Vec<(usize, Written, Option<Via>)> = Vec::new();
    for (i, c) in out.commands.iter().enumerate() {
        for (k, w) in c.words.iter().enumerate() {
            let Some(path) = w.value.strip_prefix("file://").filter(|_| w.is_static()) else {
                continue;
            };
            let path = normal(path);
            let pos = (i, k + 1);
            let Some(events) = state.events.get(path) else {
                continue;
            };
            // Written only after the use (and not in a loop around it): the file is not there yet.
            let Some(last) = events
                .iter()
                .rev()
                .find(|e| e.pos < pos || state.shares_loop(&e.place.path, &c.place.path))
            else {
                continue;
            };
            let binding = (!c.place.foreign)
                .then(|| state.lookup(path, pos, &c.place))
                .flatten();
            let at = binding
                .map(|b| b.set.clone())
                .or_else(|| targets.get(&last.pos).cloned())
                .unwrap_or_else(|| w.whole());
            let via = binding.map(|b| {
                let v = &b.value;
                let mut from: Vec<_> = v.segs.iter().map(|s| s.src.clone()).collect();
                from.extend(v.dynamic.iter().map(|d| d.span.range.clone()));
                from.push(b.set.range.clone());
                Via {
                    expr: w.value.clone(),
                    at: w.whole(),
                    set: b.set.clone(),
                    from,
                }
            });
            let content = binding.map(|b: &Binding| b.value.clone());
            let path = path.to_string();
            found.push((i, Written { path, content, at }, via));
        }
    }
    for (i, written, via) in found {
        out.commands[i].files.push(written);
        out.commands[i].via.extend(via);
    }
}

#[cfg(test)]
mod tests {
    use super::super::lex;

    /// What the first `aws` command's `file://` word reads: the content as shown, or "written"
    /// when the script writes it with a content only the run knows, or "-" when not followed.
    fn read(src: &str) -> String {
        let lexed = lex(src, 0);
        let c = lexed
            .commands
            .iter()
            .find(|c| c.words.first().is_some_and(|w| w.value == "aws"))
            .expect("an aws command");
        match c.files.first() {
            Some(f) => f.content.as_ref().map_or("written".into(), |t| t.display()),
            None => "-".into(),
        }
    }

    const USE: &str = "aws sts a --web-identity-token file:///tmp/t\n";

    #[test]
    fn a_printed_file_is_read_back() {
        let r = |pre: &str| read(&format!("{pre}\n{USE}"));
        assert_eq!(r("printf %s \"$T\" > /tmp/t"), "$T");
        assert_eq!(r("printf '%s' \"$T\" >/tmp/t"), "$T");
        assert_eq!(r("printf '%s\\n' \"$T\" > /tmp/t"), "$T\n");
        assert_eq!(r("echo \"$T\" > /tmp/t"), "$T\n");
        assert_eq!(r("echo -n \"$T\" > /tmp/t"), "$T");
        assert_eq!(r("echo $T > /tmp/t"), "$T\n");
        assert_eq!(r("echo eyJa.b.c > /tmp/t"), "eyJa.b.c\n");
        // the path through a variable, the token through one
        assert_eq!(
            r("F=/tmp/t\nX=\"$CI_JOB_JWT\"\necho \"$X\" > \"$F\""),
            "$CI_JOB_JWT\n"
        );
        assert_eq!(
            read("F=/tmp/t\nprintf %s \"$T\" > $F\naws sts a --web-identity-token \"file://$F\"\n"),
            "$T"
        );
        // relative paths, `./` as the CLI reads it
        assert_eq!(
            read("printf %s \"$T\" > ./t\naws sts a --web-identity-token file://t\n"),
            "$T"
        );
        // the last write wins; reading it in between changes nothing
        assert_eq!(
            r("echo a > /tmp/t\nchmod 600 /tmp/t\ncat /tmp/t\nprintf %s b > /tmp/t"),
            "b"
        );
        assert_eq!(
            r("echo x >> /dev/null\necho a > /tmp/t\necho b >> \"$GITHUB_ENV\""),
            "a\n"
        );
    }

    #[test]
    fn unknown_content_is_written_but_not_known() {
        let r = |pre: &str| read(&format!("{pre}\n{USE}"));
        for pre in [
            "curl -s \"$URL\" > /tmp/t",
            "echo \"$T\" | tee /tmp/t",
            "echo \"$T\" >> /tmp/t",
            "echo \"$T\" 2> /tmp/t",
            "echo \"$T\" &> /tmp/t",
            "echo -e \"$T\" > /tmp/t",
            "echo 'a\\nb' > /tmp/t",
            "echo $A $B > /tmp/t",
            "printf \"$F\" > /tmp/t",
            "printf %s $T > /tmp/t",
            "printf '%s %d' a 1 > /tmp/t",
            "printf %s a b > /tmp/t",
            "echo a > /tmp/t > /tmp/u",
            "cat > /tmp/t <<EOF\n$T\nEOF",
            // on one path only, or changed after
            "if x; then echo a > /tmp/t; fi",
            "x && echo a > /tmp/t",
            "(echo a > /tmp/t)",
            "f() { echo a > /tmp/t; }\nf",
            "echo a > /tmp/t\ncp b /tmp/t",
            "echo a > /tmp/t\nrm -f /tmp/t\ncurl -o /tmp/t u",
            "echo a > /tmp/t\necho b > \"$OUT\"",
            "echo a > /tmp/t\nsource ./env.sh",
            "echo a > /tmp/t\n> /tmp/t",
            "for i in 1 2; do\n  aws sts a --web-identity-token file:///tmp/t\n  echo a > /tmp/t\ndone\necho b > /tmp/t",
        ] {
            assert_eq!(r(pre), "written", "{pre:?}");
        }
    }

    #[test]
    fn files_not_written_before_are_left_to_the_reader() {
        assert_eq!(read(USE), "-");
        assert_eq!(read(&format!("{USE}echo a > /tmp/t\n")), "-");
        assert_eq!(read(&format!("echo a > /tmp/u\n{USE}")), "-");
        // `cd` between: a relative path names another file
        assert_eq!(
            read("echo a > t\ncd sub\naws sts a --web-identity-token file://t\n"),
            "written"
        );
    }

    #[test]
    fn the_use_points_back_at_the_write() {
        let src = format!("printf %s \"$T\" > /tmp/t\n{USE}");
        let lexed = lex(&src, 0);
        let c = lexed
            .commands
            .iter()
            .find(|c| c.words[0].value == "aws")
            .unwrap();
        let v = c
            .via
            .iter()
            .find(|v| v.expr == "file:///tmp/t")
            .expect("a via");
        assert_eq!(&src[v.set.range.clone()], "/tmp/t");
        assert_eq!(&src[v.at.range.clone()], "file:///tmp/t");
        let t = c.files[0].content.as_ref().unwrap();
        assert_eq!(&src[t.dynamic[0].span.range.clone()], "$T");
    }
}
