//! Rules reported while reading the parameters of a request (by `crate::input::awscli` and
//! `crate::input::awscli::request_file`): options and keys the operation does not have, values of the wrong type,
//! and values the AWS CLI refuses to parse. Their cases are in those modules' tests and in `tests/`.

use crate::diagnostic::{Rule, Severity};

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

/// The options and keys of the operation, for did-you-mean suggestions.
pub fn closest<'a>(word: &str, candidates: impl IntoIterator<Item = &'a str>) -> Option<&'a str> {
    let lower = word.to_ascii_lowercase();
    let mut best: Option<(usize, &str)> = None;
    for c in candidates {
        if c.to_ascii_lowercase() == lower {
            return Some(c);
        }
        let d = edit_distance(&lower, &c.to_ascii_lowercase());
        if d <= 3.max(c.len() / 4) && best.is_none_or(|(bd, _)| d < bd) {
            best = Some((d, c));
        }
    }
    best.map(|(_, c)| c)
}

/// Levenshtein distance over characters.
pub fn edit_distance(a: &str, b: &str) -> usize {
    let b: Vec<char> = b.chars().collect();
    let mut prev: Vec<usize> = (0..=b.len()).collect();
    for (i, ca) in a.chars().enumerate() {
        let mut cur = vec![i + 1; b.len() + 1];
        for (j, cb) in b.iter().enumerate() {
            cur[j + 1] = (prev[j] + usize::from(ca != *cb))
                .min(prev[j + 1] + 1)
                .min(cur[j] + 1);
        }
        prev = cur;
    }
    prev[b.len()]
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn suggestions() {
        let opts = ["--role-arn", "--role-session-name", "--web-identity-token"];
        assert_eq!(
            closest("--role-sesion-name", opts),
            Some("--role-session-name")
        );
        assert_eq!(closest("--ROLE-ARN", opts), Some("--role-arn"));
        assert_eq!(closest("--frobnicate", opts), None);
        assert_eq!(closest("RoleARN", ["RoleArn", "Policy"]), Some("RoleArn"));
    }
}
