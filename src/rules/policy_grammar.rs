//! The session policy's grammar, as IAM parses it: P004 policy-unknown-element, P005
//! policy-version, P006 policy-statement-structure, P007 policy-sid, P008 policy-effect,
//! P009 policy-element-pair, P010 policy-value-type, P011 policy-duplicate-key.
//!
//! STS answers `MalformedPolicyDocument` for a policy that breaks the IAM policy grammar
//! (IAMUG reference_policies_grammar, reference_policies_elements).

use super::Ctx;
use crate::diagnostic::{shown, Diagnostic, Rule, Severity};
use crate::json::{Json, Node};
use crate::model::policy::{key_span, Policy};
use crate::model::request::Request;

pub static UNKNOWN_ELEMENT: Rule = Rule { code: "P004", name: "policy-unknown-element", severity: Severity::Error, summary: "session policy element IAM does not know (top level: Version, Id, Statement; statement: Sid, Effect, Action, NotAction, Resource, NotResource, Condition)" };
pub static VERSION: Rule = Rule { code: "P005", name: "policy-version", severity: Severity::Warning, summary: "session policy Version missing or 2008-10-17 (policy variables off), or not a version IAM knows" };
pub static STATEMENT: Rule = Rule {
    code: "P006",
    name: "policy-statement-structure",
    severity: Severity::Error,
    summary:
        "session policy that is not an object, or whose Statement is missing, empty, or not objects",
};
pub static SID: Rule = Rule {
    code: "P007",
    name: "policy-sid",
    severity: Severity::Error,
    summary: "statement Sid with characters other than A–Z, a–z, 0–9, or used twice",
};
pub static EFFECT: Rule = Rule {
    code: "P008",
    name: "policy-effect",
    severity: Severity::Error,
    summary: "statement Effect missing or not exactly `Allow` or `Deny`",
};
pub static PAIR: Rule = Rule {
    code: "P009",
    name: "policy-element-pair",
    severity: Severity::Error,
    summary: "statement without exactly one of Action/NotAction and one of Resource/NotResource",
};
pub static VALUE_TYPE: Rule = Rule {
    code: "P010",
    name: "policy-value-type",
    severity: Severity::Error,
    summary: "Action, Resource (or Not-) that is not a string or a non-empty array of strings",
};
pub static DUPLICATE_KEY: Rule = Rule {
    code: "P011",
    name: "policy-duplicate-key",
    severity: Severity::Error,
    summary: "JSON key written twice in one object of the policy: IAM silently keeps only the last",
};

const P: &str = "Policy";
const TOP: [&str; 3] = ["Version", "Id", "Statement"];
const ELEMENTS: [&str; 9] = [
    "Sid",
    "Effect",
    "Principal",
    "NotPrincipal",
    "Action",
    "NotAction",
    "Resource",
    "NotResource",
    "Condition",
];

pub fn check(req: &Request, _: &Ctx, out: &mut Vec<Diagnostic>) {
    let Some(policy) = &req.policy_doc else {
        return;
    };
    duplicates(&policy.root, "the policy", out);
    let Some(top) = policy.members() else {
        out.push(STATEMENT.report(format!("the session policy is a JSON {}, not an object `{{\"Version\": ..., \"Statement\": [...]}}`; STS answers `MalformedPolicyDocument`", policy.root.type_name()))
            .at(policy.span(&policy.root.span), "not an object").help("write the policy as `{\"Version\": \"2012-10-17\", \"Statement\": [{\"Effect\": \"Allow\", \"Action\": \"...\", \"Resource\": \"...\"}]}`").param(P));
        return;
    };
    for m in top.iter().filter(|m| !TOP.contains(&m.key.value.as_str())) {
        out.push(unknown(
            &m.key.value,
            &TOP,
            "a top-level element IAM knows".into(),
            key_span(m),
        ));
    }
    version(policy, out);
    let whole = policy.span(&(policy.root.span.start..policy.root.span.start + 1));
    match policy.get("Statement") {
        None => out.push(STATEMENT.report("the session policy has no `Statement`; STS answers `MalformedPolicyDocument`")
            .at(whole.clone(), "no Statement").help("add `\"Statement\": [{\"Effect\": \"Allow\", \"Action\": \"...\", \"Resource\": \"...\"}]`").param(P)),
        Some(st) => match &st.value.value {
            Json::Object(_) => {}
            Json::Array(items) if items.is_empty() => out.push(STATEMENT.report("the session policy's `Statement` is an empty array; STS answers `MalformedPolicyDocument`")
                .at(policy.span(&st.value.span), "empty").help("add at least one statement, or leave --policy out").param(P)),
            Json::Array(items) => {
                for (i, item) in items.iter().enumerate().filter(|(_, i)| i.members().is_none()) {
                    out.push(STATEMENT.report(format!("statement {} is a JSON {}, not an object; STS answers `MalformedPolicyDocument`", i + 1, item.type_name()))
                        .at(policy.span(&item.span), "not a statement").help("write each statement as an object `{\"Effect\": ..., \"Action\": ..., \"Resource\": ...}`").param(P));
                }
            }
            _ => out.push(STATEMENT.report(format!("the session policy's `Statement` is a JSON {}; it must be a statement object or an array of them", st.value.type_name()))
                .at(policy.span(&st.value.span), "not statements").help("write `\"Statement\": [{\"Effect\": ..., \"Action\": ..., \"Resource\": ...}]`").param(P)),
        },
    }
    let mut sids: Vec<(&str, crate::source::Span)> = Vec::new();
    for s in policy.statements() {
        let name = s.name();
        let at = policy.span(&s.node.span);
        for m in s
            .members
            .iter()
            .filter(|m| !ELEMENTS.contains(&m.key.value.as_str()))
        {
            out.push(unknown(
                &m.key.value,
                &ELEMENTS,
                format!("an element IAM knows, in {name}"),
                key_span(m),
            ));
        }
        if let Some(sid) = s.get("Sid") {
            match sid.value.as_str() {
                None => out.push(SID.report(format!("the Sid of {name} is a JSON {}, not a string", sid.value.type_name())).at(policy.span(&sid.value.span), "Sid").help("write the Sid as a string of letters and digits, e.g. `\"Sid\": \"ReadBuckets\"`").param(P)),
                Some(t) => {
                    if let Some(c) = t.value.chars().find(|c| !c.is_ascii_alphanumeric()) {
                        let fixed: String = t.value.chars().filter(char::is_ascii_alphanumeric).collect();
                        out.push(SID.report(format!("the Sid `{}` has {c:?}; IAM allows only letters A–Z, a–z and digits 0–9 in a Sid, and STS answers `MalformedPolicyDocument`", shown(&t.value)))
                            .at(t.content_span(), "Sid").help(format!("write `\"Sid\": \"{}\"`", shown(&fixed))).param(P));
                    }
                    if let Some((_, first)) = sids.iter().find(|(v, _)| *v == t.value && !t.value.is_empty()) {
                        out.push(SID.report(format!("the Sid `{}` is used by two statements; Sids must be unique within a policy, and STS answers `MalformedPolicyDocument`", shown(&t.value)))
                            .at(t.content_span(), "second use").note(first.clone(), "first use").help("give each statement its own Sid, or leave Sid out").param(P));
                    } else {
                        sids.push((&t.value, t.content_span()));
                    }
                }
            }
        }
        match s.get("Effect") {
            None => out.push(
                EFFECT
                    .report(format!(
                        "{name} has no `Effect`; STS answers `MalformedPolicyDocument`"
                    ))
                    .at(at.clone(), "no Effect")
                    .help("add `\"Effect\": \"Allow\"` (or `\"Deny\"`)")
                    .param(P),
            ),
            Some(e) => match e.value.as_str().map(|t| t.value.as_str()) {
                Some("Allow" | "Deny") => {}
                Some(v) => {
                    let fix = if v.eq_ignore_ascii_case("allow") {
                        "Allow"
                    } else if v.eq_ignore_ascii_case("deny") {
                        "Deny"
                    } else {
                        "Allow` or `Deny"
                    };
                    out.push(EFFECT.report(format!("the Effect of {name} is `{}`; IAM accepts exactly `Allow` or `Deny` (case matters), and STS answers `MalformedPolicyDocument`", shown(v)))
                        .at(policy.span(&e.value.span), "Effect").help(format!("write `\"Effect\": \"{fix}\"`")).param(P));
                }
                None => out.push(
                    EFFECT
                        .report(format!(
                            "the Effect of {name} is a JSON {}, not `\"Allow\"` or `\"Deny\"`",
                            e.value.type_name()
                        ))
                        .at(policy.span(&e.value.span), "Effect")
                        .help("write `\"Effect\": \"Allow\"` (or `\"Deny\"`)")
                        .param(P),
                ),
            },
        }
        for (a, b) in [("Action", "NotAction"), ("Resource", "NotResource")] {
            match (s.get(a), s.get(b)) {
                (Some(x), Some(_)) => out.push(PAIR.report(format!("{name} has both `{a}` and `{b}`; a statement has exactly one of them, and STS answers `MalformedPolicyDocument`"))
                    .at(key_span(x), format!("{a} and {b}")).help(format!("keep `{a}` (what the statement applies to) or `{b}` (everything except it), not both")).param(P)),
                (None, None) => out.push(PAIR.report(format!("{name} has neither `{a}` nor `{b}`; IAM answers `Policy statement must contain {}.` and STS `MalformedPolicyDocument`", if a == "Action" { "actions" } else { "resources" }))
                    .at(at.clone(), format!("no {a}")).help(if a == "Action" { "add the actions it allows or denies, e.g. `\"Action\": \"s3:GetObject\"`" } else { "add the resources, e.g. `\"Resource\": \"arn:aws:s3:::my-bucket/*\"` (or `\"*\"`)" }).param(P)),
                _ => {}
            }
            for m in [s.get(a), s.get(b)].into_iter().flatten() {
                value_type(policy, &m.value, &m.key.value, &name, out);
            }
        }
    }
}

fn unknown(key: &str, known: &[&str], what: String, span: crate::source::Span) -> Diagnostic {
    let hint = known
        .iter()
        .find(|k| k.eq_ignore_ascii_case(key))
        .copied()
        .or_else(|| crate::diagnostic::closest(key, known.iter().copied()));
    let principal = matches!(key, "Principal" | "NotPrincipal");
    UNKNOWN_ELEMENT
        .report(format!(
            "`{}` is not {what}; STS answers `MalformedPolicyDocument`",
            shown(key)
        ))
        .at(span, "unknown element")
        .help(match hint {
            Some(h) => format!("write `{h}`"),
            None if principal => "remove it".to_string(),
            None => format!("remove it; the elements are {}", known.join(", ")),
        })
        .param(P)
}

fn version(policy: &Policy, out: &mut Vec<Diagnostic>) {
    let vars = policy.root.span.clone();
    let uses_variables = crate::json::strings_anywhere(&policy.root)
        .iter()
        .any(|t| t.value.contains("${"));
    // Point at the opening brace: a missing element has no place of its own.
    let whole = policy.span(&(vars.start..vars.start + 1));
    let effect = if uses_variables {
        " — and this policy uses them, so `${...}` is matched as literal text"
    } else {
        ""
    };
    match policy.get("Version") {
        None => out.push(VERSION.report(format!("the session policy has no `Version`, so IAM reads it as version 2008-10-17, where policy variables such as `${{aws:userid}}` are not supported{effect}"))
            .at(whole, "no Version").help("add `\"Version\": \"2012-10-17\"` as the first element").severity(if uses_variables { Severity::Error } else { Severity::Warning }).param(P)),
        Some(m) => match m.value.as_str().map(|t| t.value.as_str()) {
            Some("2012-10-17") => {}
            Some("2008-10-17") => out.push(VERSION.report(format!("the session policy's Version is 2008-10-17, where policy variables such as `${{aws:userid}}` are not supported{effect}"))
                .at(policy.span(&m.value.span), "old version").help("write `\"Version\": \"2012-10-17\"`").severity(if uses_variables { Severity::Error } else { Severity::Warning }).param(P)),
            Some(v) => out.push(VERSION.report(format!("the session policy's Version is `{}`; IAM knows only `2012-10-17` (and the old `2008-10-17`), and STS answers `MalformedPolicyDocument`", shown(v)))
                .at(policy.span(&m.value.span), "unknown version").help("write `\"Version\": \"2012-10-17\"` (the version of the policy language, not today's date)").severity(Severity::Error).param(P)),
            None => out.push(VERSION.report(format!("the session policy's Version is a JSON {}, not the string `\"2012-10-17\"`", m.value.type_name()))
                .at(policy.span(&m.value.span), "Version").help("write `\"Version\": \"2012-10-17\"`").severity(Severity::Error).param(P)),
        },
    }
}

/// P010: a string or a non-empty array of strings.
fn value_type(policy: &Policy, v: &Node, element: &str, name: &str, out: &mut Vec<Diagnostic>) {
    let bad = match &v.value {
        Json::String(_) => None,
        Json::Array(items) if items.is_empty() => Some(format!("the `{element}` of {name} is an empty array; IAM answers `Policy statement must contain {}.` and STS `MalformedPolicyDocument`", if element.ends_with("Action") { "actions" } else { "resources" })),
        Json::Array(items) => items.iter().find(|i| i.as_str().is_none()).map(|i| format!("the `{element}` of {name} holds a JSON {}; it must hold only strings", i.type_name())),
        _ => Some(format!("the `{element}` of {name} is a JSON {}; it must be a string or an array of strings", v.type_name())),
    };
    if let Some(msg) = bad {
        out.push(
            VALUE_TYPE
                .report(msg)
                .at(policy.span(&v.span), element.to_string())
                .help(format!(
                    "write `\"{element}\": \"...\"` or `\"{element}\": [\"...\", \"...\"]`"
                ))
                .param(P),
        );
    }
}

/// P011: a key written twice in one object, anywhere in the document.
fn duplicates(node: &Node, place: &str, out: &mut Vec<Diagnostic>) {
    match &node.value {
        Json::Object(members) => {
            for (i, m) in members.iter().enumerate() {
                if let Some(later) = members[i + 1..].iter().find(|x| x.key.value == m.key.value) {
                    out.push(DUPLICATE_KEY.report(format!("`{}` is written twice in {place}; IAM's grammar forbids a key twice, and a JSON parser keeps only the last one, so STS refuses the policy or silently drops this one", shown(&m.key.value)))
                        .at(key_span(m), "dropped").note(key_span(later), "kept")
                        .help(format!("merge the two `{}` into one (for Action or Resource, one array with every value)", shown(&m.key.value))).param(P));
                }
            }
            for m in members {
                let inner = match m.key.value.as_str() {
                    "Statement" => "the statement".to_string(),
                    k => format!("`{}`", shown(k)),
                };
                duplicates(&m.value, &inner, out);
            }
        }
        Json::Array(items) => {
            for (i, item) in items.iter().enumerate() {
                let inner = if place == "the statement" {
                    format!("statement {}", i + 1)
                } else {
                    place.to_string()
                };
                duplicates(item, &inner, out);
            }
        }
        _ => {}
    }
}

#[cfg(test)]
mod tests {
    use crate::rules::testing::{policy_codes as pol, with};

    const OK: &str = r#"{"Version":"2012-10-17","Statement":[{"Sid":"Read1","Effect":"Allow","Action":["s3:GetObject"],"Resource":"arn:aws:s3:::b/*"}]}"#;

    #[test]
    fn well_formed_policies_pass() {
        assert_eq!(pol(OK), Vec::<&str>::new());
        assert_eq!(
            pol(
                r#"{"Version":"2012-10-17","Id":"x","Statement":{"Effect":"Allow","Action":"s3:*","NotResource":"arn:aws:s3:::private/*"}}"#
            ),
            Vec::<&str>::new()
        );
    }

    #[test]
    fn grammar_errors_fail() {
        let cases: &[(&str, &str)] = &[
            (
                r#"{"Version":"2012-10-17","Statment":[],"Statement":[{"Effect":"Allow","Action":"s3:GetObject","Resource":"*"}]}"#,
                "P004",
            ),
            (
                r#"{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Actions":"s3:GetObject","Action":"s3:GetObject","Resource":"*"}]}"#,
                "P004",
            ),
            (
                r#"{"Statement":[{"Effect":"Allow","Action":"s3:GetObject","Resource":"*"}]}"#,
                "P005",
            ),
            (
                r#"{"Version":"2008-10-17","Statement":[{"Effect":"Allow","Action":"s3:GetObject","Resource":"*"}]}"#,
                "P005",
            ),
            (
                r#"{"Version":"2024-01-01","Statement":[{"Effect":"Allow","Action":"s3:GetObject","Resource":"*"}]}"#,
                "P005",
            ),
            (r#"[1]"#, "P006"),
            (r#"{"Version":"2012-10-17"}"#, "P006"),
            (r#"{"Version":"2012-10-17","Statement":[]}"#, "P006"),
            (r#"{"Version":"2012-10-17","Statement":["x"]}"#, "P006"),
            (
                r#"{"Version":"2012-10-17","Statement":[{"Sid":"read-1","Effect":"Allow","Action":"s3:GetObject","Resource":"*"}]}"#,
                "P007",
            ),
            (
                r#"{"Version":"2012-10-17","Statement":[{"Sid":"A","Effect":"Allow","Action":"s3:GetObject","Resource":"*"},{"Sid":"A","Effect":"Allow","Action":"s3:PutObject","Resource":"*"}]}"#,
                "P007",
            ),
            (
                r#"{"Version":"2012-10-17","Statement":[{"Effect":"allow","Action":"s3:GetObject","Resource":"*"}]}"#,
                "P008",
            ),
            (
                r#"{"Version":"2012-10-17","Statement":[{"Action":"s3:GetObject","Resource":"*"}]}"#,
                "P008",
            ),
            (
                r#"{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"s3:GetObject","NotAction":"s3:PutObject","Resource":"*"}]}"#,
                "P009",
            ),
            (
                r#"{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"s3:GetObject"}]}"#,
                "P009",
            ),
            (
                r#"{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":[],"Resource":"*"}]}"#,
                "P010",
            ),
            (
                r#"{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"s3:GetObject","Resource":7}]}"#,
                "P010",
            ),
            (
                r#"{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"s3:GetObject","Action":"s3:*","Resource":"*"}]}"#,
                "P011",
            ),
        ];
        for (policy, code) in cases {
            assert!(
                pol(policy).contains(code),
                "{code} for {policy}: {:?}",
                pol(policy)
            );
        }
        // A policy variable without Version 2012-10-17 is an error, not only a warning.
        let vars = r#"{"Statement":[{"Effect":"Allow","Action":"s3:GetObject","Resource":"arn:aws:s3:::b/${aws:username}/*"}]}"#;
        let d = crate::rules::testing::run(&with(&format!("--policy '{vars}'")));
        assert!(d
            .iter()
            .any(|d| d.rule.code == "P005" && d.severity == crate::diagnostic::Severity::Error));
    }
}
