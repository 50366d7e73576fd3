//! Dockerfiles (and Containerfiles): the shell form of `RUN`, `CMD` and `ENTRYPOINT` — the text
//! after the instruction and its `--flags`, over the lines its escape character continues, without
//! the comment lines Docker drops inside an instruction — the bodies of `RUN <<EOF` here-documents,
//! and the exec form `RUN ["aws", "sts", ...]` as an argument vector. The `# escape=`` ` ``
//! parser directive is honoured. `SHELL ["pwsh", ...]` makes the following shell forms PowerShell:
//! they are not read (I011).

use super::findings::SCRIPT_NOT_READ;
use super::shell::assign::{self, Binding, Env};
use super::shell::embedded::{lex_embedded, Decoded, Marking};
use super::shell::{Command, Lexed};
use crate::json::{self, Json};
use crate::source::{SourceId, Span, Text};
use std::collections::HashMap;

const OPERATION: &str = "assume-role-with-web-identity";

/// Every line of `text` as (start, end without the line break, end with it).
fn lines(text: &str) -> Vec<(usize, usize, usize)> {
    let mut out = Vec::new();
    let mut start = 0;
    for (i, b) in text.bytes().enumerate() {
        if b == b'\n' {
            let end = if i > start && text.as_bytes()[i - 1] == b'\r' {
                i - 1
            } else {
                i
            };
            out.push((start, end, i + 1));
            start = i + 1;
        }
    }
    if start < text.len() {
        out.push((start, text.len(), text.len()));
    }
    out
}

/// Reads the instructions of a Dockerfile that name the operation.
pub fn lex(text: &str, source: SourceId) -> Lexed {
    let mut out = Lexed::default();
    let lines = lines(text);
    // Parser directives come first: `# escape=`` ` ``.
    let escape = lines
        .iter()
        .map(|&(s, e, _)| text[s..e].trim())
        .take_while(|l| l.starts_with('#'))
        .find_map(|l| l.trim_start_matches('#').trim().strip_prefix("escape="))
        .and_then(|v| v.trim().chars().next())
        .unwrap_or('\\');
    let mut powershell = false;
    // `ENV` values of the current build stage, and of the stages named so far (`FROM name`).
    let mut env = Env::new();
    let mut stages: HashMap<String, Env> = HashMap::new();
    let mut stage: Option<String> = None;
    let mut i = 0;
    while i < lines.len() {
        let (s, e, _) = lines[i];
        let line = &text[s..e];
        let trimmed = line.trim_start();
        let word_end = trimmed
            .find(|c: char| c.is_whitespace())
            .unwrap_or(trimmed.len());
        let instruction = trimmed[..word_end].to_ascii_uppercase();
        // The instruction's lines: continued while a line ends with the escape character.
        let first = i;
        let mut last = i;
        while last + 1 < lines.len()
            && text[lines[last].0..lines[last].1]
                .trim_end()
                .ends_with(escape)
        {
            last += 1;
            // Comment lines inside an instruction are dropped by Docker, and do not end it.
            while last + 1 < lines.len()
                && text[lines[last].0..lines[last].1]
                    .trim_start()
                    .starts_with('#')
            {
                last += 1;
            }
        }
        i = last + 1;
        let args_start = s + (line.len() - trimmed.len()) + word_end;
        match instruction.as_str() {
            "FROM" => {
                if let Some(name) = stage.take() {
                    stages.insert(name, std::mem::take(&mut env));
                }
                let words: Vec<&str> = text[args_start..lines[last].1]
                    .split_whitespace()
                    .filter(|w| !w.starts_with("--"))
                    .collect();
                env = words
                    .first()
                    .and_then(|base| stages.get(&base.to_ascii_lowercase()))
                    .cloned()
                    .unwrap_or_default();
                if let [_, as_, name, ..] = words.as_slice() {
                    if as_.eq_ignore_ascii_case("as") {
                        stage = Some(name.to_ascii_lowercase());
                    }
                }
                continue;
            }
            "ENV" | "ARG" => {
                declare(
                    &mut env,
                    &instruction,
                    text,
                    args_start..lines[last].1,
                    source,
                );
                continue;
            }
            _ => {}
        }
        if instruction == "SHELL" {
            let l = line.to_ascii_lowercase();
            powershell = l.contains("pwsh") || l.contains("powershell") || l.contains("cmd");
            continue;
        }
        if !matches!(instruction.as_str(), "RUN" | "CMD" | "ENTRYPOINT") {
            continue;
        }
        let whole = &text[s..lines[last].2];
        let mut at = s + (line.len() - trimmed.len()) + word_end;
        // `RUN --mount=... --network=none cmd`: the flags are Docker's.
        if instruction == "RUN" {
            loop {
                let rest = &text[at..lines[last].2];
                let skip = rest.len() - rest.trim_start_matches([' ', '\t']).len();
                if rest[skip..].starts_with("--") {
                    at += skip
                        + rest[skip..]
                            .find(char::is_whitespace)
                            .unwrap_or(rest.len() - skip);
                } else {
                    at += skip;
                    break;
                }
            }
        }
        let body_text = &text[at..lines[last].1];
        // A here-document body (`RUN <<EOF` / `RUN <<-"EOF"`) is the script.
        if let Some(delim) = heredoc_delimiter(body_text) {
            let mut script = Decoded::new(lines[last].2);
            let mut j = last + 1;
            while j < lines.len() {
                let (ls, le, lend) = lines[j];
                if text[ls..le].trim_start_matches('\t') == delim {
                    break;
                }
                script.copy(text, ls..lend);
                j += 1;
            }
            let end = lines.get(j).map_or(text.len(), |l| l.2);
            i = i.max(j + 1);
            if text[lines[last].2..end].contains(OPERATION) {
                read_script(&mut out, script.finish(source, end), text, powershell, &env);
            }
            continue;
        }
        if !whole.contains(OPERATION) {
            continue;
        }
        if body_text.trim_start().starts_with('[') {
            // Exec form: a JSON array of words, no shell.
            let end = lines[last].1;
            let array = Text::verbatim(&text[at..end], source, at);
            if let Ok(node) = json::parse_in(&array) {
                if let Json::Array(items) = &node.value {
                    let words: Vec<Text> =
                        items.iter().filter_map(|n| n.as_str().cloned()).collect();
                    if words.len() == items.len() {
                        out.commands.push(Command::of(words));
                    }
                }
            }
            continue;
        }
        // Shell form: the lines as written, minus dropped comment lines; an escape character
        // other than `\` continues lines in Docker but not in the shell, so it is dropped.
        let mut script = Decoded::new(at);
        for (n, &(ls, le, lend)) in lines[first..=last].iter().enumerate() {
            let from = if n == 0 { at } else { ls };
            if n > 0 && text[ls..le].trim_start().starts_with('#') {
                continue;
            }
            let content = &text[from..le];
            if escape != '\\' && content.trim_end().ends_with(escape) {
                let cut = from + content.trim_end().len() - escape.len_utf8();
                script.copy(text, from..cut);
                script.put(" ", cut..lend);
            } else {
                script.copy(text, from..lend);
            }
        }
        read_script(
            &mut out,
            script.finish(source, lines[last].2),
            text,
            powershell,
            &env,
        );
    }
    out
}

/// The delimiter of a `<<EOF` that starts an instruction's text.
fn heredoc_delimiter(body: &str) -> Option<String> {
    let rest = body.trim_start().strip_prefix("<<")?;
    let rest = rest.strip_prefix('-').unwrap_or(rest);
    let word = rest.split_whitespace().next()?;
    let delim = word.trim_matches(['"', '\'']);
    (!delim.is_empty()).then(|| delim.to_string())
}

/// `ENV NAME=value ...` (or the old `ENV NAME value`) sets what the later `RUN`s of the stage see;
/// a value that refers to another variable, or is escaped, stays unknown. `ARG NAME[=default]`
/// makes NAME unknown: `--build-arg` can give it any value.
fn declare(
    env: &mut Env,
    instruction: &str,
    text: &str,
    range: std::ops::Range<usize>,
    source: SourceId,
) {
    let body = &text[range.clone()];
    let mut pairs: Vec<(&str, Option<(usize, &str)>)> = Vec::new();
    let first = body.trim_start();
    let first_word = first.split_whitespace().next().unwrap_or("");
    if instruction == "ENV" && !first_word.contains('=') {
        // Legacy form: the rest of the line is the value.
        let rest = first[first_word.len()..].trim();
        let at = range.start + (body.len() - first.len()) + first.find(rest).unwrap_or(0);
        pairs.push((first_word, Some((at, rest))));
    } else {
        let mut off = 0;
        for word in body.split_whitespace() {
            let at = range.start + off + body[off..].find(word).unwrap_or(0);
            off = at - range.start + word.len();
            match word.split_once('=') {
                Some((name, value)) => pairs.push((name, Some((at + name.len() + 1, value)))),
                None => pairs.push((word, None)),
            }
        }
    }
    for (name, value) in pairs {
        let known = value.filter(|_| instruction == "ENV").and_then(|(at, v)| {
            let (at, v) = match v.as_bytes().first() {
                Some(q @ (b'"' | b'\'')) if v.len() >= 2 && v.as_bytes()[v.len() - 1] == *q => {
                    (at + 1, &v[1..v.len() - 1])
                }
                _ => (at, v),
            };
            let plain = !v.is_empty() && !v.contains(['$', '\\', '"', '\'', ' ', '\t']);
            plain.then(|| Text::verbatim(v, source, at))
        });
        match known {
            Some(value) => {
                let set = Span::new(source, value.span.clone());
                env.insert(name.to_string(), Binding { value, set });
            }
            None => {
                env.remove(name);
            }
        }
    }
}

fn read_script(out: &mut Lexed, script: Text, file: &str, powershell: bool, env: &Env) {
    if powershell {
        out.errors.push(
            SCRIPT_NOT_READ
                .report("this instruction runs under the PowerShell or cmd.exe named by `SHELL`, which stslint does not read: the `assume-role-with-web-identity` call in it was not checked")
                .at(Span::new(script.source, script.span.clone()), "not read")
                .help("to check the call, run it under `SHELL [\"/bin/sh\", \"-c\"]`, or check the command with `stslint check -- aws sts assume-role-with-web-identity ...`"),
        );
        return;
    }
    let mut lexed = lex_embedded(&script, file, Marking::default());
    assign::environment(&mut lexed, env, &|_| None);
    out.commands.extend(lexed.commands);
    out.errors.extend(lexed.errors);
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The commands found, as words.
    fn words(text: &str) -> Vec<Vec<String>> {
        crate::input::shell::embedded::words(&lex(text, 0))
    }

    #[test]
    fn run_forms() {
        let d = "FROM amazon/aws-cli\nARG ROLE\nRUN --mount=type=secret,id=token aws sts assume-role-with-web-identity \\\n  # a comment Docker drops\n  --role-arn $ROLE \\\n  --role-session-name build\nRUN [\"aws\", \"sts\", \"assume-role-with-web-identity\", \"--role-session-name\", \"exec\"]\nRUN <<EOF\nset -e\naws sts assume-role-with-web-identity --role-session-name heredoc\nEOF\nCMD aws sts get-caller-identity\n";
        let w = words(d);
        assert_eq!(w.len(), 4, "{w:?}");
        assert_eq!(
            w[0][3..],
            ["--role-arn", "$ROLE", "--role-session-name", "build"]
        );
        assert_eq!(w[1][4], "exec");
        assert_eq!(w[2], ["set", "-e"]);
        assert_eq!(w[3][4], "heredoc");
        let l = lex(d, 0);
        assert!(l.errors.is_empty(), "{:?}", l.errors);
        let exec = &l.commands[1].words[4];
        assert_eq!(&d[exec.span.clone()], "\"exec\"");
        let heredoc = &l.commands[3].words[4];
        assert_eq!(&d[heredoc.span.clone()], "heredoc");
    }

    #[test]
    fn escape_directive_and_powershell() {
        let d = "# escape=`\nFROM mcr.microsoft.com/windows\nRUN aws sts assume-role-with-web-identity `\n  --role-session-name w\nSHELL [\"pwsh\", \"-Command\"]\nRUN aws sts assume-role-with-web-identity --role-arn $env:R\n";
        let l = lex(d, 0);
        assert_eq!(
            words(d),
            [vec![
                "aws",
                "sts",
                "assume-role-with-web-identity",
                "--role-session-name",
                "w"
            ]]
        );
        assert_eq!(l.errors.len(), 1);
        assert_eq!(l.errors[0].rule.code, "I011");
    }

    #[test]
    fn env_values_reach_later_runs_of_the_stage() {
        let src = "FROM a AS one\nENV R=arn:x \\\n    S=\"s1\" T=$X\nARG D=3600\nRUN aws sts assume-role-with-web-identity --r \"$R\" --s $S --t \"$T\" --d $D\nFROM one\nRUN aws sts assume-role-with-web-identity --r \"$R\"\nFROM other\nRUN aws sts assume-role-with-web-identity --r \"$R\"\nENV R old\nRUN aws sts assume-role-with-web-identity --r $R\n";
        let w: Vec<Vec<String>> = words(src).into_iter().map(|c| c[3..].to_vec()).collect();
        assert_eq!(
            w[0],
            ["--r", "arn:x", "--s", "s1", "--t", "$T", "--d", "$D"]
        );
        assert_eq!(w[1], ["--r", "arn:x"], "a stage built FROM a named one");
        assert_eq!(w[2], ["--r", "$R"], "another image");
        assert_eq!(w[3], ["--r", "old"], "the legacy form");
    }
}
