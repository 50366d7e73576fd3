//! Rules reported by the pipeline around the checks (their cases are in `tests/`): inline
//! suppressions that silence nothing, and configuration files stslint cannot use. The rules the
//! front ends report while reading are in [`crate::input::findings`].

use crate::diagnostic::{Rule, Severity};

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
