//! Terraform: the shell commands in `provisioner "local-exec"` (`command = "..."` or a
//! `<<EOT` heredoc) and in `data "external"` (`program = ["bash", "-c", "..."]`, or the words of
//! an `aws` call). Strings are decoded as HCL decodes them: quoted strings take `\n`, `\t`, `\"`,
//! `\\`, `\uXXXX`; heredocs take no backslash escapes and `<<-` strips the common indentation;
//! `${...}` interpolations and `%{...}` directives are Terraform's, so they are unknown parts of
//! the script (`$${` and `%%{` stand for a literal `${` and `%{`). A local-exec whose
//! `interpreter` is PowerShell or cmd is not read (I011).
//!
//! This is a reader for these string attributes only; Terraform's trust policies and OIDC
//! providers are read by a full HCL front end (a later issue).

use super::findings::SCRIPT_NOT_READ;
use super::shell::embedded::{c_escape, lex_embedded, template_end, Decoded, Marking};
use super::shell::{Command, Lexed};
use crate::source::{SourceId, Span, Text};
use regex::Regex;
use std::sync::LazyLock;

const OPERATION: &str = "assume-role-with-web-identity";

static ATTRIBUTE: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r#"(?m)^[ \t]*(command|program|interpreter)[ \t]*=[ \t]*"#)
        .expect("attribute pattern")
});

/// Reads the commands of a Terraform file that name the operation.
pub fn lex(text: &str, source: SourceId) -> Lexed {
    let mut out = Lexed::default();
    let mut interpreter_not_shell: Option<usize> = None;
    for m in ATTRIBUTE.captures_iter(text) {
        let name = m.get(1).map_or("", |g| g.as_str());
        let at = m.get(0).map_or(0, |g| g.end());
        if name == "interpreter" {
            let line = text[at..].lines().next().unwrap_or("").to_ascii_lowercase();
            let not_shell = ["powershell", "pwsh", "cmd"]
                .iter()
                .any(|s| line.contains(s));
            interpreter_not_shell = not_shell.then_some(at);
            continue;
        }
        let rest = &text[at..];
        let strings: Vec<(Text, usize)> = if name == "program" && rest.starts_with('[') {
            list(text, at, source)
        } else {
            value(text, at, source).into_iter().collect()
        };
        let end = strings.last().map_or(at, |s| s.1);
        if !text[at..end].contains(OPERATION) {
            continue;
        }
        // An `interpreter` belongs to the same provisioner when it comes shortly before or after.
        let block_end = text[end..].find("\n}").map_or(text.len(), |p| end + p);
        let after = ATTRIBUTE.captures_iter(&text[end..block_end]).any(|c| {
            c.get(1).is_some_and(|g| g.as_str() == "interpreter")
                && text[end + c.get(0).map_or(0, |g| g.end())..]
                    .lines()
                    .next()
                    .is_some_and(|l| {
                        let l = l.to_ascii_lowercase();
                        l.contains("powershell") || l.contains("pwsh") || l.contains("cmd")
                    })
        });
        let before = interpreter_not_shell.is_some_and(|p| !text[p..at].contains("\n}"));
        if name == "command" && (before || after) {
            out.errors.push(
                SCRIPT_NOT_READ
                    .report("this local-exec command runs under the PowerShell or cmd.exe `interpreter`, which stslint does not read: the `assume-role-with-web-identity` call in it was not checked")
                    .at(Span::new(source, at..end), "not read")
                    .help("to check the call, run it under `interpreter = [\"/bin/bash\", \"-c\"]`, or check the command with `stslint check -- aws sts assume-role-with-web-identity ...`"),
            );
            continue;
        }
        let words: Vec<Text> = strings.into_iter().map(|s| s.0).collect();
        if name == "program" {
            // `["bash", "-c", SCRIPT]` runs SCRIPT; `["aws", "sts", ...]` is an argument vector.
            if let Some(c) = words.iter().position(|w| w.value == "-c") {
                if let Some(script) = words.get(c + 1) {
                    read(&mut out, script, text);
                }
            } else {
                out.commands.push(Command::of(words));
            }
        } else if let Some(script) = words.first() {
            read(&mut out, script, text);
        }
    }
    out
}

fn read(out: &mut Lexed, script: &Text, file: &str) {
    let lexed = lex_embedded(script, file, Marking::default());
    out.commands.extend(lexed.commands);
    out.errors.extend(lexed.errors);
}

/// The strings of a `[ "a", "b" ]` list starting at `at`, each with the end of its literal.
fn list(text: &str, at: usize, source: SourceId) -> Vec<(Text, usize)> {
    let mut out = Vec::new();
    let s = text.as_bytes();
    let mut i = at + 1;
    while i < s.len() && s[i] != b']' {
        if s[i] == b'"' {
            let (t, end) = quoted(text, i, source);
            out.push((t, end));
            i = end;
        } else {
            i += 1;
        }
    }
    out
}

/// The string value starting at `at`: a quoted string or a heredoc.
fn value(text: &str, at: usize, source: SourceId) -> Option<(Text, usize)> {
    let rest = &text[at..];
    if rest.starts_with('"') {
        return Some(quoted(text, at, source));
    }
    let marker = rest.strip_prefix("<<")?;
    let indented = marker.starts_with('-');
    let marker = marker.trim_start_matches('-');
    let name_len = marker.find(|c: char| !(c.is_alphanumeric() || c == '_'))?;
    let name = &marker[..name_len];
    let body_start = at + rest.find('\n')? + 1;
    // The body: every line up to the one that holds only the name.
    let mut lines = Vec::new();
    let mut p = body_start;
    let mut end = text.len();
    while p < text.len() {
        let le = text[p..].find('\n').map_or(text.len(), |n| p + n);
        if text[p..le].trim() == name {
            end = le;
            break;
        }
        lines.push((p, (le + 1).min(text.len())));
        p = le + 1;
    }
    let strip = if indented {
        lines
            .iter()
            .filter(|(a, b)| !text[*a..*b].trim().is_empty())
            .map(|(a, b)| text[*a..*b].len() - text[*a..*b].trim_start().len())
            .min()
            .unwrap_or(0)
    } else {
        0
    };
    let mut d = Decoded::new(at);
    for (a, b) in lines {
        let from = (a + strip).min(b);
        template(text, from, b, false, &mut d);
    }
    Some((d.finish(source, end), end))
}

/// A quoted string starting at `at` (the `"`): its value and the end of the literal.
fn quoted(text: &str, at: usize, source: SourceId) -> (Text, usize) {
    let s = text.as_bytes();
    let mut i = at + 1;
    while i < s.len() && s[i] != b'"' && s[i] != b'\n' {
        if s[i] == b'\\' {
            i += 1;
        } else if (s[i] == b'$' || s[i] == b'%') && s.get(i + 1) == Some(&b'{') {
            // A template may hold quotes of its own: skip to its closing brace.
            i = template_end(s, i + 1, s.len()) - 1;
        }
        i += 1;
    }
    let close = i.min(s.len());
    let mut d = Decoded::new(at);
    template(text, at + 1, close, true, &mut d);
    let end = (close + 1).min(s.len());
    (d.finish(source, end), end)
}

/// Decodes HCL template text `from..to` into `d`: escapes (in quoted strings), `$${`/`%%{`, and
/// `${...}`/`%{...}` as unknown parts.
fn template(text: &str, from: usize, to: usize, escapes: bool, d: &mut Decoded) {
    let s = text.as_bytes();
    let mut i = from;
    while i < to {
        if escapes && s[i] == b'\\' && i + 1 < to {
            let (v, len) = c_escape(text, i, to).unwrap_or_else(|| ("\\".to_string(), 1));
            d.put(&v, i..i + len);
            i += len;
        } else if (s[i] == b'$' || s[i] == b'%')
            && s.get(i + 1) == Some(&s[i])
            && s.get(i + 2) == Some(&b'{')
        {
            d.copy(text, i + 1..i + 3);
            i += 3;
        } else if (s[i] == b'$' || s[i] == b'%') && s.get(i + 1) == Some(&b'{') {
            let close = template_end(s, i + 1, to);
            d.template(i..close);
            i = close;
        } else {
            i = d.copy_char(text, i);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The commands found, as words.
    fn words(text: &str) -> Vec<Vec<String>> {
        crate::input::shell::embedded::words(&lex(text, 0))
    }

    #[test]
    fn local_exec_and_external() {
        let tf = r#"
resource "null_resource" "a" {
  provisioner "local-exec" {
    interpreter = ["/bin/bash", "-c"]
    command     = <<-EOF
      aws sts assume-role-with-web-identity \
        --role-arn ${var.role_arn} --role-session-name $${USER}-tf
    EOF
  }
  provisioner "local-exec" {
    command = "aws sts assume-role-with-web-identity --role-session-name \"q t\" --role-arn ${aws_iam_role.x.arn}"
  }
}
data "external" "creds" {
  program = ["bash", "-c", "aws sts assume-role-with-web-identity --role-session-name ext"]
}
data "external" "argv" {
  program = ["aws", "sts", "assume-role-with-web-identity", "--role-session-name", "argv"]
}
resource "null_resource" "w" {
  provisioner "local-exec" {
    command     = "aws sts assume-role-with-web-identity --role-arn $env:R"
    interpreter = ["PowerShell", "-Command"]
  }
}
output "hint" { value = "aws sts assume-role-with-web-identity --not-run" }
"#;
        let w = words(tf);
        assert_eq!(w.len(), 4, "{w:?}");
        assert_eq!(
            w[0][3..],
            [
                "--role-arn",
                "${var.role_arn}",
                "--role-session-name",
                "${USER}-tf"
            ]
        );
        assert_eq!(w[1][4], "q t");
        assert_eq!(w[1][6], "${aws_iam_role.x.arn}");
        assert_eq!(w[2][4], "ext");
        assert_eq!(w[3][4], "argv");
        let l = lex(tf, 0);
        assert_eq!(l.errors.len(), 1, "{:?}", l.errors);
        assert_eq!(l.errors[0].rule.code, "I011");
        let q = &l.commands[1].words[4];
        assert_eq!(&tf[q.span.clone()], "\\\"q t\\\"");
    }
}
