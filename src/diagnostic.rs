//! Findings: what a rule reports, independent of how it is rendered.

use crate::source::Span;
use serde::Serialize;

/// A value as messages show it: control characters escaped, and cut to 80 characters (with the
/// full length said) so that a pasted megabyte does not become a megabyte of output.
pub fn shown(v: &str) -> String {
    shown_max(v, 80)
}

/// [`shown`] with another limit (in characters).
pub fn shown_max(v: &str, max: usize) -> String {
    // Escapes only as far as can be shown: a megabyte of value costs no more than `max` characters.
    let mut escaped = String::with_capacity(v.len().min(max * 2));
    let mut count = 0;
    for c in v.chars() {
        if c.is_control() {
            for e in c.escape_default() {
                escaped.push(e);
                count += 1;
            }
        } else {
            escaped.push(c);
            count += 1;
        }
        if count > max {
            break;
        }
    }
    if count <= max {
        return escaped;
    }
    format!(
        "{}… ({} characters)",
        escaped.chars().take(max - 8).collect::<String>(),
        v.chars().count()
    )
}

/// How serious a finding is. Errors make `stslint check` exit 1.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Severity {
    Info,
    Warning,
    Error,
}

impl Severity {
    pub fn as_str(self) -> &'static str {
        match self {
            Severity::Info => "info",
            Severity::Warning => "warning",
            Severity::Error => "error",
        }
    }
}

/// A rule's identity: its stable code, kebab-case name, default severity and one-line summary.
#[derive(Debug)]
pub struct Rule {
    pub code: &'static str,
    pub name: &'static str,
    pub severity: Severity,
    pub summary: &'static str,
}

impl Rule {
    /// Starts a finding of this rule with its default severity.
    pub fn report(&'static self, message: impl Into<String>) -> Diagnostic {
        Diagnostic {
            rule: self,
            severity: self.severity,
            message: message.into(),
            help: None,
            parameter: None,
            primary: None,
            label: String::new(),
            notes: Vec::new(),
            request: None,
        }
    }
}

/// One finding.
#[derive(Debug, Clone)]
pub struct Diagnostic {
    pub rule: &'static Rule,
    pub severity: Severity,
    /// What is wrong, naming the actual value.
    pub message: String,
    /// Exactly what to do about it.
    pub help: Option<String>,
    /// The API member it concerns (`RoleArn`, `PolicyArns`...).
    pub parameter: Option<&'static str>,
    /// Where it is; `None` only for findings about a whole input with no text (rare).
    pub primary: Option<Span>,
    /// A short noun phrase shown at the span.
    pub label: String,
    /// Further labelled spans in the same source as `primary`.
    pub notes: Vec<(Span, String)>,
    /// Index of the request it belongs to in the report, if any.
    pub request: Option<usize>,
}

impl Diagnostic {
    pub fn at(mut self, span: Span, label: impl Into<String>) -> Self {
        self.primary = Some(span);
        self.label = label.into();
        self
    }
    pub fn help(mut self, help: impl Into<String>) -> Self {
        self.help = Some(help.into());
        self
    }
    pub fn param(mut self, parameter: &'static str) -> Self {
        self.parameter = Some(parameter);
        self
    }
    /// Sets the parameter when there is one.
    pub fn param_opt(mut self, parameter: Option<&'static str>) -> Self {
        self.parameter = parameter.or(self.parameter);
        self
    }
    pub fn severity(mut self, severity: Severity) -> Self {
        self.severity = severity;
        self
    }
    /// A second label; in another file than the primary one it is shown in a box of its own.
    pub fn note(mut self, span: Span, label: impl Into<String>) -> Self {
        self.notes.push((span, label.into()));
        self
    }
    pub fn code(&self) -> &'static str {
        self.rule.code
    }
}

/// The candidate closest to `word`, for did-you-mean suggestions: equal ignoring ASCII case, else
/// the nearest by Levenshtein distance over characters within `max(3, len / 4)` edits.
pub fn closest<'a>(word: &str, candidates: impl IntoIterator<Item = &'a str>) -> Option<&'a str> {
    let lower = word.to_ascii_lowercase();
    let mut best: Option<(usize, &str)> = None;
    for c in candidates {
        if c.to_ascii_lowercase() == lower {
            return Some(c);
        }
        let d = strsim::levenshtein(&lower, &c.to_ascii_lowercase());
        if d <= 3.max(c.len() / 4) && best.is_none_or(|(bd, _)| d < bd) {
            best = Some((d, c));
        }
    }
    best.map(|(_, c)| c)
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
