//! Documentation: the code blocks of Markdown (fenced with ```` ``` ```` or `~~~`), reStructuredText
//! (`::` literal blocks and `.. code-block::` directives) and AsciiDoc (`----` listings). Prose is
//! never parsed: only blocks that name the operation are read, each by the front end for its
//! language, with spans in the document itself:
//!
//! - `sh`, `bash`, `shell`, `zsh` blocks are scripts; `console`-style blocks (and any block whose
//!   lines start with a `$ ` prompt) keep only the prompted lines and their continuations, so
//!   example output is skipped; a block without a language is read as shell only when it is shell
//!   (it lexes without an error);
//! - `yaml`/`yml` blocks go through the YAML front end (a CI file shown in a README);
//! - `json` blocks that look like a request document go through the request reader.
//!
//! Docs write placeholders where the reader fills in a value: `<ROLE ARN>`, `YOUR_ACCOUNT_ID`,
//! `ACCOUNT_ID`, `xxxxxxxxxxxx`. In a code block they are unknown parts of the value (like
//! `$VAR`), which the request reader reports once as placeholders (Q011) instead of as a cascade
//! of redirections and malformed ARNs.

use super::awscli::request_file;
use super::findings::SCRIPT_NOT_READ;
use super::shell::{embedded, Lexed};
use super::yaml;
use crate::diagnostic::Diagnostic;
use crate::model::request::Request;
use crate::source::{Seg, SourceId, Span, Text};
use regex::Regex;
use std::ops::Range;
use std::sync::LazyLock;

const OPERATION: &str = "assume-role-with-web-identity";

/// `sts assume-role-with-web-identity` as a command or an argument vector writes it.
static CALL: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r#"\bsts\b[\s,'"\[\]]+assume-role-with-web-identity"#).expect("call pattern")
});

/// A document's markup language.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Markup {
    Markdown,
    Rst,
    AsciiDoc,
}

/// What the code blocks of a document hold: commands to look through, and request documents.
#[derive(Debug, Default)]
pub struct Read {
    pub lexed: Lexed,
    pub requests: Vec<(Option<Request>, Vec<Diagnostic>)>,
}

/// A code block: its language (lowercase, empty when none is given) and its content lines, each a
/// source range without the block's indentation, line break included.
#[derive(Default)]
struct Block {
    lang: String,
    lines: Vec<Range<usize>>,
}

/// Reads the code blocks of `text` (source `source`).
pub fn read(text: &str, source: SourceId, markup: Markup) -> Read {
    let mut out = Read::default();
    let blocks = match markup {
        Markup::Markdown => markdown_blocks(text),
        Markup::Rst => rst_blocks(text),
        // Asciidoctor also takes Markdown's fences.
        Markup::AsciiDoc => {
            let mut b = asciidoc_blocks(text);
            b.extend(markdown_blocks(text));
            b
        }
    };
    for b in blocks {
        if !b.lines.iter().any(|l| text[l.clone()].contains(OPERATION)) {
            continue;
        }
        let lang = b.lang.trim_start_matches(['{', '.']);
        let lang = lang.split([',', '}', ' ']).next().unwrap_or("");
        let range = b.lines[0].start..b.lines[b.lines.len() - 1].end;
        let body = &text[range.clone()];
        let unlabeled = matches!(lang, "" | "text" | "none");
        // A block without a language is YAML when it starts like a mapping and parses as one,
        // and a request when it is a JSON object that looks like one.
        // (A CI file is also shown under a shell label now and then: `variables:` is no command.)
        let shellish = matches!(lang, "sh" | "bash" | "shell");
        let lang = if (unlabeled || shellish) && looks_like_yaml_mapping(body) {
            "yaml"
        } else if unlabeled && body.trim_start().starts_with('{') {
            "json"
        } else {
            lang
        };
        match lang {
            "yaml" | "yml" => {
                let map = Text::verbatim(body, source, range.start);
                let mut lexed = yaml::lex(body, source, true);
                // An example that does not parse matters only if it shows a call: one that names
                // the operation as a plugin (`aws-assume-role-with-web-identity#v1`) is let be.
                if !CALL.is_match(body) {
                    lexed.errors.retain(|d| d.rule.code != "I010");
                }
                embedded::remap(&mut out.lexed, lexed, &map);
            }
            "json" if request_file::looks_like_request(body) => {
                out.requests
                    .push(request_file::read_at(body, source, range.start));
            }
            "" | "text" | "none" | "sh" | "bash" | "shell" | "zsh" | "ksh" | "console"
            | "shell-session" | "shellsession" | "sh-session" | "bash-session" | "terminal"
            | "shell-script" | "shellscript" | "cli" | "awscli" => {
                let console = matches!(
                    lang,
                    "console"
                        | "shell-session"
                        | "shellsession"
                        | "sh-session"
                        | "bash-session"
                        | "terminal"
                ) || b
                    .lines
                    .iter()
                    .any(|l| prompt_len(&text[l.clone()]).is_some());
                let lines = if console {
                    prompted(text, &b.lines)
                } else {
                    b.lines
                };
                let script = mapped(text, source, &lines);
                let marking = embedded::Marking {
                    placeholders: true,
                    yaml: false,
                };
                let lexed = embedded::lex_embedded(&script, text, marking);
                // A block without a language that is not shell (prose, output) is not read.
                if unlabeled && !lexed.errors.is_empty() {
                    continue;
                }
                out.lexed.commands.extend(lexed.commands);
                out.lexed.errors.extend(lexed.errors);
            }
            "powershell" | "pwsh" | "ps1" | "ps" | "posh" | "bat" | "batch" | "cmd" | "python"
            | "py" => {
                let span = Span::new(source, range);
                out.lexed.errors.push(
                    SCRIPT_NOT_READ
                        .report(format!("this `{lang}` example is in a language stslint does not read: the `assume-role-with-web-identity` call in it was not checked"))
                        .at(span, "not read")
                        .help("to have it checked, add a bash version of the example, or check the command with `stslint check -- aws sts assume-role-with-web-identity ...`"),
                );
            }
            _ => {}
        }
    }
    out
}

/// Whether a block's first line is a mapping key (`job:`, `image: x`) and the block parses as a
/// YAML mapping: a CI file shown without a language.
fn looks_like_yaml_mapping(body: &str) -> bool {
    let first = body
        .lines()
        .find(|l| !l.trim().is_empty() && !l.trim_start().starts_with('#'));
    let key = first
        .and_then(|l| l.trim_start().split_once(':'))
        .is_some_and(|(k, rest)| {
            !k.is_empty()
                && k.bytes()
                    .all(|b| b.is_ascii_alphanumeric() || b"_.- \"'".contains(&b))
                && (rest.is_empty() || rest.starts_with([' ', '\n', '\r']))
        });
    key && yaml::tree::parse(body, 0)
        .is_ok_and(|docs| docs.first().is_some_and(|d| !d.entries().is_empty()))
}

/// The length of a `$ ` prompt (after indentation) at the start of a line.
fn prompt_len(line: &str) -> Option<usize> {
    let indent = line.len() - line.trim_start_matches([' ', '\t']).len();
    let rest = &line[indent..];
    (rest.starts_with("$ ") || rest == "$\n" || rest == "$").then_some(indent + 2)
}

/// The command lines of a console block: prompted lines without their prompt, and the lines a
/// trailing `\` continues them onto. Output lines are dropped.
fn prompted(text: &str, lines: &[Range<usize>]) -> Vec<Range<usize>> {
    let mut out = Vec::new();
    let mut continued = false;
    for l in lines {
        let line = &text[l.clone()];
        let body = line.trim_end_matches(['\n', '\r']);
        if continued {
            out.push(l.clone());
        } else if let Some(p) = prompt_len(line) {
            out.push((l.start + p).min(l.end)..l.end);
        } else {
            continue;
        }
        continued = body.ends_with('\\');
    }
    out
}

/// The lines joined into one script, mapped byte for byte to where they are written.
fn mapped(text: &str, source: SourceId, lines: &[Range<usize>]) -> Text {
    let mut value = String::new();
    let mut segs = Vec::with_capacity(lines.len());
    for l in lines {
        let at = value.len();
        value.push_str(&text[l.clone()]);
        if !text[l.clone()].ends_with('\n') {
            value.push('\n');
        }
        segs.push(Seg {
            val: at..at + l.len(),
            src: l.clone(),
        });
    }
    let span = match (lines.first(), lines.last()) {
        (Some(a), Some(b)) => a.start..b.end,
        _ => 0..0,
    };
    Text {
        value,
        source,
        span,
        segs,
        dynamic: Vec::new(),
    }
}

/// Every line of `text` as a range, line break included.
fn line_ranges(text: &str) -> Vec<Range<usize>> {
    let mut out = Vec::new();
    let mut start = 0;
    for (i, b) in text.bytes().enumerate() {
        if b == b'\n' {
            out.push(start..i + 1);
            start = i + 1;
        }
    }
    if start < text.len() {
        out.push(start..text.len());
    }
    out
}

fn indent_of(line: &str) -> usize {
    line.len() - line.trim_start_matches(' ').len()
}

/// `line` without up to `n` leading spaces, as a range starting at `start`.
fn dedent(line: &str, start: usize, end: usize, n: usize) -> Range<usize> {
    (start + indent_of(line).min(n))..end
}

/// Markdown fenced code blocks (CommonMark: three or more backticks or tildes; the closing fence
/// uses the same character, at least as many; an unclosed fence runs to the end, or to the next
/// fence that names a language). Fences inside list items are indented: their content loses that
/// indentation.
fn markdown_blocks(text: &str) -> Vec<Block> {
    let mut out = Vec::new();
    let mut open: Option<(u8, usize, usize, Block)> = None; // (char, length, indent, block)
    for l in line_ranges(text) {
        let line = &text[l.clone()];
        let indent = indent_of(line);
        let rest = line[indent..].trim_end();
        let fence = |c: u8| rest.bytes().take_while(|&b| b == c).count();
        if let Some((c, n, ind, block)) = &mut open {
            let f = fence(*c);
            let closing = f >= *n && rest.bytes().all(|b| b == *c);
            // A fence with a language inside an open block is, for CommonMark, a line of code;
            // in practice it is the next block of a document whose author forgot to close this
            // one, and reading it as code gives shell errors about backquotes: start a new block.
            let reopening = f >= 3
                && rest[f..]
                    .trim()
                    .starts_with(|ch: char| ch.is_ascii_alphabetic());
            if !closing && !reopening {
                block.lines.push(dedent(line, l.start, l.end, *ind));
                continue;
            }
            out.push(std::mem::take(block));
            open = None;
            if closing {
                continue;
            }
        }
        for c in [b'`', b'~'] {
            let n = fence(c);
            if n >= 3 {
                let info = rest[n..].trim();
                if c == b'`' && info.contains('`') {
                    break; // inline code, not a fence
                }
                let lang = info
                    .split_whitespace()
                    .next()
                    .unwrap_or("")
                    .to_ascii_lowercase();
                open = Some((
                    c,
                    n,
                    indent,
                    Block {
                        lang,
                        lines: Vec::new(),
                    },
                ));
                break;
            }
        }
    }
    if let Some((_, _, _, block)) = open {
        out.push(block);
    }
    out.retain(|b| !b.lines.is_empty());
    out
}

/// The indented block that follows line `i` (after blank lines and, for a directive, its
/// `:option:` lines): every line indented more than `base`, blank lines inside kept.
fn indented_block(
    text: &str,
    lines: &[Range<usize>],
    mut i: usize,
    base: usize,
    lang: String,
) -> (Block, usize) {
    let blank = |r: &Range<usize>| text[r.clone()].trim().is_empty();
    let mut block = Block {
        lang,
        lines: Vec::new(),
    };
    // Directive options (`:linenos:`) and the blank line after the marker.
    while i < lines.len()
        && (blank(&lines[i])
            || text[lines[i].clone()].trim_start().starts_with(':')
                && indent_of(&text[lines[i].clone()]) > base)
    {
        i += 1;
    }
    let Some(first) = lines.get(i) else {
        return (block, i);
    };
    let inner = indent_of(&text[first.clone()]);
    if inner <= base {
        return (block, i);
    }
    while i < lines.len() {
        let l = &lines[i];
        let line = &text[l.clone()];
        if !blank(l) && indent_of(line) < inner {
            break;
        }
        block.lines.push(dedent(line, l.start, l.end, inner));
        i += 1;
    }
    while block
        .lines
        .last()
        .is_some_and(|l| text[l.clone()].trim().is_empty())
    {
        block.lines.pop();
    }
    (block, i)
}

/// reStructuredText literal blocks: after a paragraph ending in `::`, and `.. code-block:: LANG`
/// (also `.. code::`, `.. sourcecode::`, `.. prompt:: LANG`).
fn rst_blocks(text: &str) -> Vec<Block> {
    let lines = line_ranges(text);
    let mut out = Vec::new();
    let mut i = 0;
    while i < lines.len() {
        let line = &text[lines[i].clone()];
        let t = line.trim();
        let base = indent_of(line);
        let directive = ["code-block::", "code::", "sourcecode::", "prompt::"]
            .iter()
            .find_map(|d| {
                t.strip_prefix(".. ")
                    .and_then(|r| r.trim_start().strip_prefix(d))
            });
        let lang = if let Some(rest) = directive {
            Some(
                rest.split_whitespace()
                    .next()
                    .unwrap_or("")
                    .to_ascii_lowercase(),
            )
        } else if t.ends_with("::") && !t.starts_with("..") {
            Some(String::new())
        } else {
            None
        };
        match lang {
            Some(lang) => {
                let (block, next) = indented_block(text, &lines, i + 1, base, lang);
                if !block.lines.is_empty() {
                    out.push(block);
                }
                i = next.max(i + 1);
            }
            None => i += 1,
        }
    }
    out
}

/// AsciiDoc listing blocks: `----` delimited, with the language from a `[source,LANG]` line above.
fn asciidoc_blocks(text: &str) -> Vec<Block> {
    let lines = line_ranges(text);
    let mut out = Vec::new();
    let mut i = 0;
    while i < lines.len() {
        let t = text[lines[i].clone()].trim_end();
        if t.len() >= 4 && t.bytes().all(|b| b == b'-') {
            let lang = i
                .checked_sub(1)
                .map(|p| text[lines[p].clone()].trim())
                .and_then(|p| p.strip_prefix("[source,"))
                .map(|r| {
                    r.split([',', ']'])
                        .next()
                        .unwrap_or("")
                        .trim()
                        .to_ascii_lowercase()
                })
                .unwrap_or_default();
            let mut block = Block {
                lang,
                lines: Vec::new(),
            };
            i += 1;
            while i < lines.len() && text[lines[i].clone()].trim_end() != t {
                block.lines.push(lines[i].clone());
                i += 1;
            }
            if !block.lines.is_empty() {
                out.push(block);
            }
        }
        i += 1;
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn commands(text: &str, markup: Markup) -> Vec<Vec<String>> {
        read(text, 0, markup)
            .lexed
            .commands
            .iter()
            .map(|c| c.words.iter().map(|w| w.display()).collect())
            .collect()
    }

    const OP: &str = "aws sts assume-role-with-web-identity";

    #[test]
    fn prose_is_not_read_and_fences_are() {
        let md = format!("Don't run `{OP}` yet.\n\n```bash\n{OP} --role-arn x\n```\n\n- item:\n\n   ```sh\n   {OP} --y\n   ```\n");
        let got = commands(&md, Markup::Markdown);
        assert_eq!(got.len(), 2, "{got:?}");
        assert_eq!(got[0].last().unwrap(), "x");
        assert_eq!(got[1].last().unwrap(), "--y");
    }

    #[test]
    fn an_unclosed_fence_ends_at_the_next_fence_with_a_language() {
        let md = format!(
            "```bash\nnpm ci\n\n## Next\n\n```yaml\njob:\n  script:\n    - {OP} --q\n```\n"
        );
        let r = read(&md, 0, Markup::Markdown);
        assert!(r.lexed.errors.is_empty(), "{:?}", r.lexed.errors);
        assert_eq!(r.lexed.commands.len(), 1);
    }

    #[test]
    fn broken_yaml_examples_are_reported_only_when_they_show_a_call() {
        let plugin = "```yaml\nsteps:\n  - ...\n    plugins:\n    - aws-assume-role-with-web-identity#v1.2.0:\n        role-arn: \"a\\:b\"\n```\n";
        assert!(read(plugin, 0, Markup::Markdown).lexed.errors.is_empty());
        let call = format!("```yaml\njob:\n  script:\n   - {OP}\n  - x\n```\n");
        let errors = read(&call, 0, Markup::Markdown).lexed.errors;
        assert_eq!(errors.len(), 1);
        assert_eq!(
            (errors[0].rule.code, errors[0].severity),
            ("I010", crate::diagnostic::Severity::Warning)
        );
    }

    #[test]
    fn console_output_is_skipped() {
        let md = format!(
            "```console\n$ {OP} \\\n    --role-arn x\n{{\n    \"Credentials\": 'x\n}}\n```\n"
        );
        let got = commands(&md, Markup::Markdown);
        assert_eq!(
            got,
            [vec![
                "aws",
                "sts",
                "assume-role-with-web-identity",
                "--role-arn",
                "x"
            ]]
        );
        let r = read(&md, 0, Markup::Markdown);
        assert!(r.lexed.errors.is_empty());
        let w = &r.lexed.commands[0].words[4];
        assert_eq!(&md[w.span.clone()], "x");
    }

    #[test]
    fn placeholders_are_unknown_parts() {
        let md = format!("```\n{OP} --role-arn <ROLE ARN> --role-session-name s \\\n  --web-identity-token file://<path> --provider-id arn:aws:iam::YOUR_ACCOUNT_ID:x\n```\n");
        let r = read(&md, 0, Markup::Markdown);
        assert!(r.lexed.errors.is_empty(), "{:?}", r.lexed.errors);
        let words = &r.lexed.commands[0].words;
        let exprs: Vec<&str> = words
            .iter()
            .flat_map(|w| &w.dynamic)
            .map(|d| d.expr.as_str())
            .collect();
        assert_eq!(exprs, ["<ROLE ARN>", "<path>", "YOUR_ACCOUNT_ID"]);
        assert!(words
            .iter()
            .flat_map(|w| &w.dynamic)
            .all(|d| embedded::is_placeholder(&d.expr)));
    }

    #[test]
    fn rst_literal_blocks_and_directives() {
        let rst = format!("Run it (OAuth 2.\"0)::\n\n    {OP} \\\n        --role-arn x\n\nOutput::\n\n    {{}}\n\n.. code-block:: bash\n   :linenos:\n\n   {OP} --y\n");
        let got = commands(&rst, Markup::Rst);
        assert_eq!(got.len(), 2, "{got:?}");
        assert_eq!(got[0].last().unwrap(), "x");
        assert_eq!(got[1].last().unwrap(), "--y");
    }

    #[test]
    fn asciidoc_listings() {
        let adoc = format!("[source,shell]\n----\n{OP} --z\n----\n");
        assert_eq!(commands(&adoc, Markup::AsciiDoc).len(), 1);
    }

    #[test]
    fn yaml_and_json_blocks() {
        let md = format!("```yaml\njob:\n  script:\n    - >\n      {OP}\n      --role-arn x\n```\n\n```json\n{{\"RoleArn\": \"arn:aws:iam::111122223333:role/r\", \"X\": \"{OP}\"}}\n```\n");
        let r = read(&md, 0, Markup::Markdown);
        assert_eq!(r.lexed.commands.len(), 1);
        let w = r.lexed.commands[0].words.last().unwrap();
        assert_eq!(&md[w.span.clone()], "x");
        assert_eq!(r.requests.len(), 1);
        let req = r.requests[0].0.as_ref().unwrap();
        let arn = &req.role_arn.as_ref().unwrap().text;
        assert_eq!(&md[arn.span_of(0..3).range], "arn");
    }
}
