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
pub mod tree;

use crate::input::findings::{SCRIPT_NOT_READ, YAML_SYNTAX};
use crate::input::shell::{embedded::lex_embedded, Command, Lexed};
use crate::source::{SourceId, Span};
use scripts::Found;

/// Reads a YAML file (`text`, source `source`): the commands of every script in it that holds the
/// operation, lexed with their spans in the file, and what could not be read.
pub fn lex(text: &str, source: SourceId) -> Lexed {
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
            d = if template {
                d.severity(crate::diagnostic::Severity::Warning).help(
                    "this looks like a template (`{{`, `{%`); check the rendered file instead, e.g. `helm template ... | stslint check -`",
                )
            } else {
                d.help("fix the YAML (the CI system refuses the file as it is), then run stslint again")
            };
            out.errors.push(d);
            return out;
        }
    };
    for found in scripts::scripts(&docs) {
        match found {
            Found::Shell(script) => {
                let lexed = lex_embedded(&script, text);
                out.commands.extend(lexed.commands);
                out.errors.extend(lexed.errors);
            }
            Found::Argv(words) => out.commands.push(Command { words }),
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
