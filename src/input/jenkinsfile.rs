//! Jenkinsfiles (Groovy): the scripts of `sh` steps — `sh '...'`, `sh "..."`, `sh '''...'''`,
//! `sh """..."""`, `sh(script: '...', returnStdout: true)`, `sh label: 'x', script: '...'` —
//! decoded the way Groovy decodes the string before the shell sees it: `\\`, `\'`, `\"`, `\$`,
//! `\n`, `\t`, `\uXXXX`, a `\` before a line break joins the lines; in double-quoted strings
//! (GStrings) `${expr}` and `$name.field` are filled in by Groovy, so they are unknown parts of
//! the script. `bat`, `powershell` and `pwsh` steps are not read (I011).

use super::findings::SCRIPT_NOT_READ;
use super::shell::embedded::{c_escape, lex_embedded, template_end, Decoded, Marking};
use super::shell::Lexed;
use crate::source::{SourceId, Span};
use regex::Regex;
use std::sync::LazyLock;

const OPERATION: &str = "assume-role-with-web-identity";

/// The step a string literal is the script of: what stands before the literal in its statement.
static STEP: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(concat!(
        r"(?:^|[^\w.])(sh|bat|powershell|pwsh)\s*(?:\(\s*)?",
        r#"(?:(?:label|encoding|returnStdout|returnStatus)\s*:\s*(?:'[^'\n]*'|"[^"\n]*"|\w+)\s*,\s*)*"#,
        r"(?:script\s*:\s*)?$",
    ))
    .expect("step pattern")
});

/// A string literal: its quote, where its content starts and ends, and where it ends.
struct Literal {
    quote: &'static str,
    content: std::ops::Range<usize>,
    end: usize,
}

/// Reads the `sh` scripts of a Jenkinsfile that name the operation.
pub fn lex(text: &str, source: SourceId) -> Lexed {
    let mut out = Lexed::default();
    for lit in literals(text) {
        if !text[lit.content.clone()].contains(OPERATION) {
            continue;
        }
        let start = lit.content.start - lit.quote.len();
        let mut from = start.saturating_sub(200);
        while !text.is_char_boundary(from) {
            from += 1;
        }
        let before = &text[from..start];
        let Some(step) = STEP.captures(before).and_then(|c| c.get(1)) else {
            continue;
        };
        if step.as_str() != "sh" {
            out.errors.push(
                SCRIPT_NOT_READ
                    .report(format!("this `{}` step is not a POSIX shell script, which stslint does not read: the `assume-role-with-web-identity` call in it was not checked", step.as_str()))
                    .at(Span::new(source, start..lit.end), "not read")
                    .help("to check the call, run it in an `sh` step, or check the command with `stslint check -- aws sts assume-role-with-web-identity ...`"),
            );
            continue;
        }
        let script = decode(text, &lit).finish(source, lit.end);
        let lexed = lex_embedded(&script, text, Marking::default());
        out.commands.extend(lexed.commands);
        out.errors.extend(lexed.errors);
    }
    out
}

/// Every string literal of the Groovy text, comments skipped.
fn literals(text: &str) -> Vec<Literal> {
    let s = text.as_bytes();
    let mut out = Vec::new();
    let mut i = 0;
    while i < s.len() {
        if s[i..].starts_with(b"//") {
            i += s[i..]
                .iter()
                .position(|&b| b == b'\n')
                .unwrap_or(s.len() - i);
        } else if s[i..].starts_with(b"/*") {
            i += s[i + 2..]
                .windows(2)
                .position(|w| w == b"*/")
                .map_or(s.len() - i, |p| p + 4);
        } else if let Some(quote) = ["'''", "\"\"\"", "'", "\""]
            .into_iter()
            .find(|q| s[i..].starts_with(q.as_bytes()))
        {
            let content = i + quote.len();
            let mut j = content;
            let close = loop {
                if j >= s.len() {
                    break s.len();
                }
                if s[j] == b'\\' {
                    j += 2;
                    continue;
                }
                if s[j..].starts_with(quote.as_bytes()) {
                    break j;
                }
                // A one-quote string ends at the line's end (an unterminated literal is Groovy's
                // error; stop there rather than swallow the file).
                if quote.len() == 1 && s[j] == b'\n' {
                    break j;
                }
                j += 1;
            };
            let close = close.min(s.len());
            let end = (close + quote.len()).min(s.len());
            out.push(Literal {
                quote,
                content: content..close,
                end,
            });
            i = end;
        } else {
            i += 1;
        }
    }
    out
}

/// The script a literal holds, decoded as Groovy decodes it.
fn decode(text: &str, lit: &Literal) -> Decoded {
    let s = text.as_bytes();
    let gstring = lit.quote.starts_with('"');
    let mut d = Decoded::new(lit.content.start - lit.quote.len());
    let mut i = lit.content.start;
    let end = lit.content.end;
    while i < end {
        let b = s[i];
        if b == b'\\' && i + 1 < end {
            let n = s[i + 1];
            let (value, len) = match n {
                b'\n' => (String::new(), 2),
                b'\r' if s.get(i + 2) == Some(&b'\n') => (String::new(), 3),
                b'b' => ("\u{8}".into(), 2),
                b'f' => ("\u{c}".into(), 2),
                b'\'' | b'$' => ((n as char).to_string(), 2),
                // Groovy refuses other escapes; keep the character.
                _ => c_escape(text, i, end).unwrap_or_else(|| {
                    let len = text[i + 1..].chars().next().map_or(1, char::len_utf8);
                    (text[i + 1..i + 1 + len].to_string(), 1 + len)
                }),
            };
            d.put(&value, i..i + len);
            i += len;
        } else if gstring && b == b'$' && i + 1 < end && s[i + 1] == b'{' {
            let close = template_end(s, i + 1, end);
            d.template(i..close);
            i = close;
        } else if gstring
            && b == b'$'
            && s.get(i + 1)
                .is_some_and(|c| c.is_ascii_alphabetic() || *c == b'_')
        {
            let mut j = i + 1;
            while j < end
                && (s[j].is_ascii_alphanumeric()
                    || s[j] == b'_'
                    || (s[j] == b'.' && s.get(j + 1).is_some_and(|c| c.is_ascii_alphabetic())))
            {
                j += 1;
            }
            d.template(i..j);
            i = j;
        } else {
            i = d.copy_char(text, i);
        }
    }
    d
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The commands found, as words.
    fn words(text: &str) -> Vec<Vec<String>> {
        crate::input::shell::embedded::words(&lex(text, 0))
    }

    #[test]
    fn sh_steps_in_every_form() {
        let j = r#"
pipeline { stages { stage('x') { steps {
  // sh 'aws sts assume-role-with-web-identity --commented'
  sh '''
    aws sts assume-role-with-web-identity \
      --role-arn $ROLE --role-session-name a1
  '''
  sh "aws sts assume-role-with-web-identity --role-arn ${env.ROLE} --role-session-name \$NAME"
  script { CREDS = sh(script: 'aws sts assume-role-with-web-identity --role-session-name \'b 2\'', returnStdout: true) }
  sh label: 'assume', script: """aws sts assume-role-with-web-identity --role-session-name $BUILD_NUMBER"""
  echo "aws sts assume-role-with-web-identity is not run"
  powershell 'aws sts assume-role-with-web-identity --role-arn $env:R'
}}}}
"#;
        let w = words(j);
        assert_eq!(w.len(), 4, "{w:?}");
        assert_eq!(
            w[0][3..],
            ["--role-arn", "$ROLE", "--role-session-name", "a1"]
        );
        assert_eq!(
            w[1][3..],
            ["--role-arn", "${env.ROLE}", "--role-session-name", "$NAME"]
        );
        assert_eq!(w[2][4], "b 2");
        assert_eq!(w[3][4], "$BUILD_NUMBER");
        let l = lex(j, 0);
        assert_eq!(l.errors.len(), 1, "{:?}", l.errors);
        assert_eq!(l.errors[0].rule.code, "I011");
        // Spans land in the file: the GString template and the escaped quote.
        let c = &l.commands[1].words[4];
        assert_eq!(&j[c.dynamic[0].span.range.clone()], "${env.ROLE}");
        let b2 = &l.commands[2].words[4];
        assert_eq!(&j[b2.span.clone()], "\\'b 2\\'");
    }
}
