//! Rules the front ends report while reading input, declared here so that the front ends need
//! nothing from `crate::rules` (whose registry lists them): text stslint could not read, values
//! only the shell knows, and — while reading a request's parameters (by [`super::awscli`] and
//! [`super::awscli::request_file`]) — options and keys the operation does not have, values of the
//! wrong type, and values the AWS CLI refuses to parse. Their cases are in those modules' tests and
//! in `tests/`.

use crate::diagnostic::{Rule, Severity};

/// Shell text that cannot be split into words: an unterminated quote or substitution.
pub static SHELL_SYNTAX: Rule = Rule {
    code: "I001",
    name: "shell-syntax",
    severity: Severity::Error,
    summary: "Shell text that the shell itself would refuse (unterminated quote, `$(`, `${`)",
};

/// A here-document whose closing delimiter line never comes: bash and dash run it with the rest of
/// the input as its body, so the script works, but probably not as meant.
pub static HEREDOC_UNTERMINATED: Rule = Rule {
    code: "I009",
    name: "heredoc-unterminated",
    severity: Severity::Warning,
    summary: "A here-document with no closing delimiter line: the shell reads the rest of the input as its body",
};

/// A YAML file (a CI definition) that does not parse, so its scripts could not be read.
pub static YAML_SYNTAX: Rule = Rule {
    code: "I010",
    name: "yaml-syntax",
    severity: Severity::Error,
    summary:
        "A YAML file holding an invocation that is not valid YAML, so its scripts were not read",
};

/// A `\` at the end of a line of a plain or single-quoted multi-line YAML scalar: YAML folds the
/// line break into a space first, so the shell reads an escaped space, not a continuation.
pub static YAML_FOLDED_CONTINUATION: Rule = Rule {
    code: "I012",
    name: "yaml-folded-continuation",
    severity: Severity::Error,
    summary:
        "A `\\` line continuation in a plain YAML scalar, which YAML folds into an escaped space",
};

/// A CI script in a language other than POSIX shell (PowerShell, cmd.exe, Python) that names the
/// operation: it was not read.
pub static SCRIPT_NOT_READ: Rule = Rule {
    code: "I011",
    name: "script-not-read",
    severity: Severity::Info,
    summary:
        "A CI script in a language stslint does not read (PowerShell, cmd.exe, Python); not checked",
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

/// Q001: RoleArn, RoleSessionName and WebIdentityToken must be given. The check is
/// `crate::rules::missing_required`; the AWS CLI front end reports it too (AWS CLI v1 and an
/// abbreviated `--cli-input-json`).
pub static MISSING_REQUIRED: Rule = Rule {
    code: "Q001",
    name: "missing-required-parameter",
    severity: Severity::Error,
    summary: "RoleArn, RoleSessionName or WebIdentityToken is missing",
};

pub static UNKNOWN_PARAMETER: Rule = Rule {
    code: "Q002",
    name: "unknown-parameter",
    severity: Severity::Error,
    summary: "An option or request key that AssumeRoleWithWebIdentity does not have",
};

pub static OTHER_OPERATION_PARAMETER: Rule = Rule {
    code: "Q003",
    name: "parameter-of-other-operation",
    severity: Severity::Error,
    summary: "A parameter of another STS operation (Tags, ExternalId, SerialNumber...)",
};

pub static INVALID_TYPE: Rule = Rule {
    code: "Q004",
    name: "invalid-parameter-type",
    severity: Severity::Error,
    summary: "A value of the wrong type (DurationSeconds \"3600\" or 1h, a number for a string)",
};

pub static MISSING_VALUE: Rule = Rule {
    code: "Q005",
    name: "option-missing-value",
    severity: Severity::Error,
    summary: "An option given without its value",
};

pub static POLICY_ARNS_SYNTAX: Rule = Rule {
    code: "Q006",
    name: "policy-arns-syntax",
    severity: Severity::Error,
    summary: "A --policy-arns value the AWS CLI cannot parse (bare ARNs, comma-joined entries, wrong keys)",
};

pub static REPEATED_PARAMETER: Rule = Rule {
    code: "Q007",
    name: "repeated-parameter",
    severity: Severity::Warning,
    summary: "A parameter given twice: only the last value is sent",
};

pub static UNEXPECTED_ARGUMENT: Rule = Rule {
    code: "Q008",
    name: "unexpected-argument",
    severity: Severity::Error,
    summary: "A word that is not an option or an option's value",
};

pub static AMBIGUOUS_OPTION: Rule = Rule {
    code: "Q009",
    name: "ambiguous-option",
    severity: Severity::Error,
    summary: "An abbreviated option that matches several options",
};

pub static ABBREVIATED_OPTION: Rule = Rule {
    code: "Q010",
    name: "abbreviated-option",
    severity: Severity::Warning,
    summary: "An option abbreviated to a prefix (accepted by argparse, fragile)",
};

pub static FILE_REFERENCE_NOT_READ: Rule = Rule {
    code: "Q012",
    name: "file-reference-not-read",
    severity: Severity::Error,
    summary: "A file:// (or URL) value inside a --cli-input-json document, which the CLI sends as literal text",
};

/// Q011: a documentation placeholder in a value. The check on literal values is
/// `crate::rules::placeholder`; the front ends report placeholders in documentation's code blocks
/// (`<ROLE ARN>`, `YOUR_ACCOUNT_ID`), which they read as unknown parts of the value.
pub static PLACEHOLDER_VALUE: Rule = Rule {
    code: "Q011",
    name: "placeholder-value",
    severity: Severity::Warning,
    summary:
        "A documentation placeholder left in a value (account 123456789012, EXAMPLE, <ROLE ARN>)",
};

/// A CI job or step that uses its platform's ID-token variable without asking the platform for a
/// token: Bitbucket's `$BITBUCKET_STEP_OIDC_TOKEN` in a step without `oidc: true`, a GitLab job
/// using an `id_tokens:` variable declared only for other jobs.
pub static TOKEN_NOT_REQUESTED: Rule = Rule {
    code: "T024",
    name: "token-not-requested",
    severity: Severity::Error,
    summary: "An ID-token variable used where the CI job does not request the token (Bitbucket step without `oidc: true`, GitLab job without the `id_tokens:` entry)",
};
