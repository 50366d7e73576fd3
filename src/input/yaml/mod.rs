//! YAML, read with spans: the front end for CI definitions (GitHub Actions, GitLab CI, CircleCI,
//! ...), being built for the issue "Read CI files, docs and scripts the way their runners read
//! them".
//!
//! Parsing is `granit-parser`'s event API: the one well-kept YAML parser whose spans are UTF-8 byte
//! offsets with a start and an end for every scalar (saphyr-parser and yaml-rust2 count
//! characters, and yaml-rust2 and marked-yaml give a start only; libyaml-safer panics on a block
//! scalar at the end of a file without a newline). [`scalar`] turns one scalar event back into the
//! exact value the parser decoded, as a [`crate::source::Text`] whose every byte maps to the source
//! bytes it came from, so a finding inside a folded `script:` line points at the right column of
//! the YAML file. [`tree`] builds documents of spanned nodes on top, with anchors, aliases and
//! merge keys resolved.

pub mod scalar;
pub mod scripts;
pub mod tokens;
pub mod tree;
pub mod variables;

use crate::input::findings::{
    SCRIPT_NOT_READ, TOKEN_NOT_REQUESTED, YAML_FOLDED_CONTINUATION, YAML_SYNTAX,
};
use crate::input::shell::embedded::{self, lex_embedded, Marking};
use crate::input::shell::{assign, Command, Lexed};
use crate::source::Text;
use crate::source::{SourceId, Span};
use scalar::Style;
use scripts::Found;

/// Reads a YAML file (`text`, source `source`): the commands of every script in it that holds the
/// operation, lexed with their spans in the file, and what could not be read. `in_docs`: the YAML is
/// an example in documentation, whose placeholders (`<ROLE ARN>`) are unknown values.
pub fn lex(text: &str, source: SourceId, in_docs: bool) -> Lexed {
    let mut out = Lexed::default();
    let docs = match tree::parse(text, source) {
        Ok(d) => d,
        Err(e) => {
            let at = e.at.min(text.len());
            // A template (Helm, Jinja) is YAML only once rendered: not wrong, just not readable here.
            let template = text.contains("{{") || text.contains("{%");
            let mut d = YAML_SYNTAX
                .report(format!(
                    "not valid YAML: {}; the scripts in this file were not read",
                    e.message
                ))
                .at(Span::new(source, at..at), "YAML stops making sense here");
            d = if in_docs {
                d.severity(crate::diagnostic::Severity::Warning).help(
                    "this YAML example does not parse, so a reader who copies it gets a file the CI system refuses; fix the example",
                )
            } else if template {
                d.severity(crate::diagnostic::Severity::Warning).help(
                    "this looks like a template (`{{`, `{%`); check the rendered file instead, e.g. `helm template ... | stslint check --stdin-filename rendered.yaml -`",
                )
            } else {
                d.help("fix the YAML (the CI system refuses the file as it is), then run stslint again")
            };
            out.errors.push(d);
            return out;
        }
    };
    for range in tokens::bitbucket_steps_without_oidc(&docs) {
        let d = TOKEN_NOT_REQUESTED
            .report("this step uses `$BITBUCKET_STEP_OIDC_TOKEN` but does not set `oidc: true`: Bitbucket then does not issue a token, the variable is empty, and the exchange fails")
            .at(Span::new(source, range), "not set in this step")
            .help("add `oidc: true` to the step (next to `script:`)");
        // An example in documentation may leave keys out on purpose.
        out.errors.push(if in_docs {
            d.severity(crate::diagnostic::Severity::Warning)
        } else {
            d
        });
    }
    for (range, var) in tokens::gitlab_jobs_without_id_token(&docs) {
        let d = TOKEN_NOT_REQUESTED
            .report(format!("this job uses `${var}`, an ID token this file declares under `id_tokens:` for other jobs but not for this one (nor in `default:` or a job it `extends`): GitLab does not set the variable here, so the exchange gets an empty token"))
            .at(Span::new(source, range), "not declared for this job")
            .help(format!("declare it in this job, as the other jobs do (`id_tokens:` / `  {var}:` / `    aud: ...`), or in `default:`, or extend a job that declares it"));
        out.errors.push(if in_docs {
            d.severity(crate::diagnostic::Severity::Warning)
        } else {
            d
        });
    }
    let azure = docs.first().is_some_and(|d| variables::is_azure(d));
    for found in scripts::scripts(&docs, text) {
        match found {
            Found::Shell(script, style, env, prelude) => {
                if matches!(style, Style::Plain | Style::Single) {
                    folded_continuations(&script, text, &mut out.errors);
                }
                let marking = Marking {
                    placeholders: in_docs,
                    yaml: true,
                };
                let mut lexed = if prelude.is_empty() {
                    lex_embedded(&script, text, marking)
                } else {
                    with_prelude(&script, &prelude, text, marking)
                };
                // Azure names variables without regard to case and gives them to the environment
                // upper-cased, `.` as `_`: `roleArn` is `$ROLEARN` there, `$(roleArn)` or `$(ROLEARN)`.
                let env = if azure {
                    std::rc::Rc::new(
                        env.iter()
                            .map(|(k, b)| (azure_name(k), b.clone()))
                            .collect(),
                    )
                } else {
                    env
                };
                let template = |expr: &str| {
                    github_env_expression(expr).or_else(|| azure.then(|| azure_macro(expr)).flatten())
                };
                assign::environment(&mut lexed, &env, &template);
                out.commands.extend(lexed.commands);
                out.errors.extend(lexed.errors);
            }
            Found::Argv(words) => out.commands.push(Command::of(
                words.iter().map(|w| embedded::word(w, text)).collect(),
            )),
            Found::NotRead { span, language } => out.errors.push(
                SCRIPT_NOT_READ
                    .report(format!(
                        "this script runs under {language}, which stslint does not read: the `assume-role-with-web-identity` call in it was not checked"
                    ))
                    .at(span, "not read")
                    .help("to check the call, write it in a bash step, or check the expanded command with `stslint check -- aws sts assume-role-with-web-identity ...`"),
            ),
        }
    }
    out
}

/// Lexes `script` after the scripts its shell ran before it (`prelude`), so the variables they set
/// are known in it; only `script`'s own commands and findings are kept.
fn with_prelude(script: &Text, prelude: &[Text], text: &str, marking: Marking) -> Lexed {
    let mut whole = Text {
        value: String::new(),
        source: script.source,
        span: script.span.clone(),
        segs: Vec::new(),
        dynamic: Vec::new(),
    };
    for p in prelude {
        whole.push_text(p);
        // The newline between items is the runner's: it sits at the end of the item.
        let end = p.span.end;
        whole.push_text(&Text {
            value: "\n".into(),
            source: p.source,
            span: end..end,
            segs: vec![crate::source::Seg {
                val: 0..1,
                src: end..end,
            }],
            dynamic: Vec::new(),
        });
    }
    whole.push_text(script);
    let mut lexed = lex_embedded(&whole, text, marking);
    let own = |s: &Span| script.span.start <= s.range.start && s.range.end <= script.span.end;
    // An earlier item the shell cannot read (an open quote) may swallow this one, so with any
    // syntax error the item is read alone, with its own findings.
    if !lexed.errors.is_empty() {
        return lex_embedded(script, text, marking);
    }
    lexed
        .commands
        .retain(|c| c.words.first().is_some_and(|w| own(&w.whole())));
    lexed
}

/// Reports the `\` continuations that YAML folding turned into escaped spaces in a plain or
/// single-quoted scalar: one finding per scalar, at the first.
fn folded_continuations(script: &Text, file: &str, out: &mut Vec<crate::diagnostic::Diagnostic>) {
    let v = script.value.as_bytes();
    let folded: Vec<usize> = (0..v.len().saturating_sub(1))
        .filter(|&i| v[i] == b'\\' && v[i + 1] == b' ' && (i == 0 || v[i - 1] != b'\\'))
        .filter(|&i| {
            let src = script.span_of(i + 1..i + 2).range;
            file.get(src).is_some_and(|s| s.contains('\n'))
        })
        .collect();
    let Some(&first) = folded.first() else { return };
    // The word the folded space is glued to, as the shell passes it.
    let rest = &script.value[first + 2..];
    let next: String = rest
        .chars()
        .take_while(|c| !c.is_whitespace())
        .take(40)
        .collect();
    let more = match folded.len() {
        1 => String::new(),
        n => format!(" ({n} lines end this way)"),
    };
    let mut d = YAML_FOLDED_CONTINUATION
            .report(format!("this `\\` does not continue the command{more}: YAML folds the line break after it into a space before the shell runs the script, so the shell reads `\\ ` (an escaped space) and the next line's first word arrives with a leading space: ` {next}`"))
            .at(script.span_of(first..first + 1), "folded into `\\ `")
            .help("write the script as a block scalar: `- >` (folded: the lines become one command, no `\\` needed) or `- |` (literal: lines and `\\` continuations kept as written)");
    for &i in folded.iter().skip(1).take(MAX_NOTES) {
        d = d.note(script.span_of(i..i + 1), "folded too");
    }
    out.push(d);
}

/// How many further folded continuations one finding points at.
const MAX_NOTES: usize = 32;

/// The variable a GitHub expression `${{ env.NAME }}` reads.
fn github_env_expression(expr: &str) -> Option<String> {
    let inner = expr.strip_prefix("${{")?.strip_suffix("}}")?.trim();
    let name = inner.strip_prefix("env.")?;
    (!name.is_empty() && name.bytes().all(|b| b == b'_' || b.is_ascii_alphanumeric()))
        .then(|| name.to_string())
}

/// The variable an Azure Pipelines macro `$(NAME)` reads (names are not case-sensitive there, so
/// only a name written as declared is matched).
fn azure_macro(expr: &str) -> Option<String> {
    let name = expr.strip_prefix("$(")?.strip_suffix(')')?;
    (!name.is_empty()
        && name
            .bytes()
            .all(|b| b == b'_' || b == b'.' || b.is_ascii_alphanumeric()))
    .then(|| azure_name(name))
}

/// A variable's name as Azure Pipelines puts it in the environment.
fn azure_name(name: &str) -> String {
    name.to_ascii_uppercase().replace('.', "_")
}

#[cfg(test)]
mod tests {
    use super::lex;

    /// The last word of the first `aws` command found in a CI file, as shown.
    fn last_word(yaml: &str) -> String {
        let lexed = lex(yaml, 0, false);
        let c = lexed
            .commands
            .iter()
            .find(|c| c.words.first().is_some_and(|w| w.value == "aws"))
            .expect("an aws command");
        c.words.last().unwrap().display()
    }

    const USE: &str = "aws sts assume-role-with-web-identity --role-arn \"$R\"";

    #[test]
    fn items_of_one_shell_share_variables() {
        let job = |keys: &str| last_word(&format!("job:\n{keys}"));
        // earlier items of `script`, the job's `before_script`, nested lists
        assert_eq!(job(&format!("  script:\n    - R=a\n    - {USE}\n")), "a");
        assert_eq!(
            job(&format!(
                "  before_script:\n    - export R=b\n  script:\n    - {USE}\n"
            )),
            "b"
        );
        assert_eq!(
            job(&format!("  script:\n    - [R=c, 'echo x']\n    - {USE}\n")),
            "c"
        );
        // `default:` before_script, for a job that inherits it
        assert_eq!(
            last_word(&format!(
                "default:\n  before_script:\n    - R=d\njob:\n  script:\n    - {USE}\n"
            )),
            "d"
        );
        // Buildkite/Drone `commands`
        assert_eq!(
            last_word(&format!(
                "steps:\n  - commands:\n      - R=e\n      - {USE}\n"
            )),
            "e"
        );
    }

    #[test]
    fn separate_shells_do_not_share_variables() {
        let job = |keys: &str| last_word(&format!("job:\n{keys}"));
        // `after_script` runs in a shell of its own; GitHub steps, Taskfile `cmds` too
        assert_eq!(
            job(&format!(
                "  script:\n    - R=a\n  after_script:\n    - {USE}\n"
            )),
            "$R"
        );
        assert_eq!(
            last_word(&format!(
                "jobs:\n  j:\n    steps:\n      - run: R=a\n      - run: {USE}\n"
            )),
            "$R"
        );
        assert_eq!(
            last_word(&format!(
                "tasks:\n  t:\n    cmds:\n      - R=a\n      - {USE}\n"
            )),
            "$R"
        );
        // a job that extends another or names what it inherits may have another before_script
        for keys in ["  extends: .base\n", "  inherit:\n    default: false\n"] {
            assert_eq!(
                last_word(&format!(
                    "default:\n  before_script:\n    - R=d\njob:\n{keys}  script:\n    - {USE}\n"
                )),
                "$R",
                "{keys}"
            );
        }
        // a later item, or one in a branch, changes nothing before it
        assert_eq!(job(&format!("  script:\n    - {USE}\n    - R=a\n")), "$R");
        assert_eq!(
            job(&format!(
                "  script:\n    - if x; then R=a; fi\n    - {USE}\n"
            )),
            "$R"
        );
    }

    #[test]
    fn an_unreadable_earlier_item_does_not_hide_the_call() {
        let yaml = format!("job:\n  script:\n    - R=a; echo \"open\n    - {USE}\n");
        let lexed = lex(&yaml, 0, false);
        assert!(lexed
            .commands
            .iter()
            .any(|c| c.words.first().is_some_and(|w| w.value == "aws")));
        assert!(lexed.errors.is_empty());
    }
}
