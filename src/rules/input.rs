//! Rules reported by the front ends while reading input (their cases are in the front ends' tests
//! and in `tests/`): text stslint could not read, and values only the shell knows.

use crate::diagnostic::{Rule, Severity};

/// Shell text that cannot be split into words: an unterminated quote, substitution or here-document.
pub static SHELL_SYNTAX: Rule = Rule {
    code: "I001",
    name: "shell-syntax",
    severity: Severity::Error,
    summary:
        "Shell text that the shell itself would refuse (unterminated quote, `$(`, here-document)",
};

/// A request document (or `--cli-input-json` value) that is not JSON, or not a JSON object.
pub static JSON_SYNTAX: Rule = Rule {
    code: "I002",
    name: "json-syntax",
    severity: Severity::Error,
    summary: "A request file or --cli-input-json value that is not a JSON object",
};

/// A `file://` value whose file cannot be read as text.
pub static FILE_UNREADABLE: Rule = Rule {
    code: "I003",
    name: "file-unreadable",
    severity: Severity::Error,
    summary: "A file:// value naming a file that cannot be read as text",
};

/// A `fileb://` value for a string parameter.
pub static FILEB_NOT_TEXT: Rule = Rule {
    code: "I004",
    name: "fileb-not-text",
    severity: Severity::Error,
    summary: "A fileb:// (binary) value for a parameter that must be text",
};

/// A value the shell fills in at run time (or the CLI fetches from a URL), so it was not checked.
pub static VALUE_NOT_CHECKED: Rule = Rule {
    code: "I005",
    name: "value-not-checked",
    severity: Severity::Info,
    summary: "A value only known at run time ($VAR, $(...), a URL); what could be checked was",
};

/// An inline `# stslint: ignore[...]` that silences nothing.
pub static UNUSED_SUPPRESSION: Rule = Rule {
    code: "I006",
    name: "unused-suppression",
    severity: Severity::Info,
    summary: "A `# stslint: ignore[CODE]` comment that silences no finding (or names no rule)",
};

/// A configuration file (`stslint.toml`, `.stslint.toml`, `--config`) stslint cannot use.
pub static CONFIG_INVALID: Rule = Rule {
    code: "I007",
    name: "config-invalid",
    severity: Severity::Error,
    summary:
        "A configuration file with a syntax error, an unknown key, or a bad value (exit code 2)",
};
