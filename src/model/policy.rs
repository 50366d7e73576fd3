//! The inline session policy as IAM reads it: the span-keeping JSON tree of `--policy`, ways to
//! walk its statements, and the IAM data the policy rules check against (service prefixes and
//! global condition keys, in `rules/*.json` with their sources).

use crate::json::{Json, Member, Node};
use crate::source::{Span, Text};
use serde::Deserialize;
use std::collections::BTreeMap;
use std::sync::LazyLock;

/// A parsed policy: its root node, in the coordinates of the source it was written in.
#[derive(Debug, Clone)]
pub struct Policy {
    pub root: Node,
    pub source: crate::source::SourceId,
}

/// One statement object, with the member IAM uses for each element (the last of duplicates).
#[derive(Debug)]
pub struct Statement<'a> {
    pub node: &'a Node,
    pub index: usize,
    pub members: &'a [Member],
}

impl<'a> Statement<'a> {
    /// The element IAM reads: the last member with this name (JSON parsers keep the last duplicate).
    pub fn get(&self, name: &str) -> Option<&'a Member> {
        self.members.iter().rev().find(|m| m.key.value == name)
    }
    /// `Sid "x"` or `statement 2`, for messages.
    pub fn name(&self) -> String {
        match self.get("Sid").and_then(|m| m.value.as_str()) {
            Some(sid) if !sid.value.is_empty() => {
                format!("statement `{}`", crate::diagnostic::shown(&sid.value))
            }
            _ => format!("statement {}", self.index + 1),
        }
    }
    pub fn effect(&self) -> Option<&'a str> {
        self.get("Effect")
            .and_then(|m| m.value.as_str())
            .map(|t| t.value.as_str())
    }
}

impl Policy {
    pub fn span(&self, range: &std::ops::Range<usize>) -> Span {
        Span::new(self.source, range.clone())
    }
    /// The top-level members, when the document is an object.
    pub fn members(&self) -> Option<&[Member]> {
        self.root.members()
    }
    /// The last top-level member with this name.
    pub fn get(&self, name: &str) -> Option<&Member> {
        self.members()?.iter().rev().find(|m| m.key.value == name)
    }
    /// The statements that are objects, in order (`Statement` may be one object or an array).
    pub fn statements(&self) -> Vec<Statement<'_>> {
        let Some(st) = self.get("Statement") else {
            return Vec::new();
        };
        let nodes: Vec<&Node> = match &st.value.value {
            Json::Object(_) => vec![&st.value],
            Json::Array(items) => items.iter().collect(),
            _ => Vec::new(),
        };
        nodes
            .into_iter()
            .enumerate()
            .filter_map(|(index, node)| {
                node.members().map(|members| Statement {
                    node,
                    index,
                    members,
                })
            })
            .collect()
    }
}

/// The strings of a value that is a string or an array of strings (other items skipped).
pub fn strings(node: &Node) -> Vec<&Text> {
    match &node.value {
        Json::String(t) => vec![t],
        Json::Array(items) => items.iter().filter_map(Node::as_str).collect(),
        _ => Vec::new(),
    }
}

/// The span of a key as written (with its quotes).
pub fn key_span(m: &Member) -> Span {
    Span::new(m.key.source, m.key.span.clone())
}

#[derive(Deserialize)]
struct Prefixes {
    prefixes: BTreeMap<String, String>,
}

#[derive(Deserialize)]
struct GlobalKeys {
    keys: BTreeMap<String, String>,
}

/// IAM service prefixes, lowercase, with the service's name.
pub static SERVICE_PREFIXES: LazyLock<BTreeMap<String, String>> = LazyLock::new(|| {
    let p: Prefixes = serde_json::from_str(include_str!("../../rules/iam-service-prefixes.json"))
        .expect("rules/iam-service-prefixes.json is valid (tested)");
    p.prefixes
});

/// Global condition keys (`aws:...`), lowercase, to (canonical spelling, type). Keys ending in `/`
/// take a tag key after the slash.
pub static GLOBAL_KEYS: LazyLock<BTreeMap<String, (String, String)>> = LazyLock::new(|| {
    let g: GlobalKeys =
        serde_json::from_str(include_str!("../../rules/iam-global-condition-keys.json"))
            .expect("rules/iam-global-condition-keys.json is valid (tested)");
    g.keys
        .into_iter()
        .map(|(k, t)| (k.to_ascii_lowercase(), (k, t)))
        .collect()
});

/// The canonical spelling and type of a global condition key (`aws:sourceip` → `aws:SourceIp`, Ip).
pub fn global_key(key: &str) -> Option<(&'static str, &'static str)> {
    let lower = key.to_ascii_lowercase();
    let hit = GLOBAL_KEYS.get(&lower).or_else(|| {
        let (head, _) = lower.split_once('/')?;
        GLOBAL_KEYS.get(&format!("{head}/"))
    })?;
    Some((hit.0.as_str(), hit.1.as_str()))
}

/// Condition operators and the type of value each compares (IAMUG reference_policies_elements_condition_operators).
pub const OPERATORS: &[(&str, &str)] = &[
    ("StringEquals", "String"),
    ("StringNotEquals", "String"),
    ("StringEqualsIgnoreCase", "String"),
    ("StringNotEqualsIgnoreCase", "String"),
    ("StringLike", "String"),
    ("StringNotLike", "String"),
    ("NumericEquals", "Numeric"),
    ("NumericNotEquals", "Numeric"),
    ("NumericLessThan", "Numeric"),
    ("NumericLessThanEquals", "Numeric"),
    ("NumericGreaterThan", "Numeric"),
    ("NumericGreaterThanEquals", "Numeric"),
    ("DateEquals", "Date"),
    ("DateNotEquals", "Date"),
    ("DateLessThan", "Date"),
    ("DateLessThanEquals", "Date"),
    ("DateGreaterThan", "Date"),
    ("DateGreaterThanEquals", "Date"),
    ("Bool", "Bool"),
    ("BinaryEquals", "Binary"),
    ("IpAddress", "Ip"),
    ("NotIpAddress", "Ip"),
    ("ArnEquals", "Arn"),
    ("ArnLike", "Arn"),
    ("ArnNotEquals", "Arn"),
    ("ArnNotLike", "Arn"),
    ("Null", "Null"),
];

/// A condition operator taken apart: `ForAnyValue:StringLikeIfExists` → qualifier, base, if-exists.
#[derive(Debug, PartialEq, Eq)]
pub struct Operator<'a> {
    pub qualifier: Option<&'a str>,
    pub base: &'a str,
    pub if_exists: bool,
    /// The value type of the base operator, when it is one IAM knows.
    pub kind: Option<&'static str>,
}

/// Splits an operator name the way IAM reads it.
pub fn operator(name: &str) -> Operator<'_> {
    let (qualifier, rest) = match name.split_once(':') {
        Some((q, r)) => (Some(q), r),
        None => (None, name),
    };
    let (base, if_exists) = match rest.strip_suffix("IfExists") {
        Some(b) if !b.is_empty() => (b, true),
        _ => (rest, false),
    };
    let kind = OPERATORS.iter().find(|(n, _)| *n == base).map(|(_, k)| *k);
    Operator {
        qualifier,
        base,
        if_exists,
        kind,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn data_files_load() {
        assert!(SERVICE_PREFIXES.len() > 400);
        assert!(SERVICE_PREFIXES.contains_key("s3") && SERVICE_PREFIXES.contains_key("sts"));
        assert_eq!(global_key("aws:sourceip"), Some(("aws:SourceIp", "Ip")));
        assert_eq!(
            global_key("aws:PrincipalTag/team"),
            Some(("aws:PrincipalTag/", "String"))
        );
        assert_eq!(global_key("aws:SourceIpAddress"), None);
    }

    #[test]
    fn operators_split_like_iam() {
        let o = operator("ForAnyValue:StringLikeIfExists");
        assert_eq!(
            (o.qualifier, o.base, o.if_exists, o.kind),
            (Some("ForAnyValue"), "StringLike", true, Some("String"))
        );
        assert_eq!(operator("Null").kind, Some("Null"));
        assert_eq!(operator("StringEqual").kind, None);
    }
}
