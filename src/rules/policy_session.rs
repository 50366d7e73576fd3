//! What a session policy means for the session: P012 policy-principal, P013
//! policy-allows-everything, P014 policy-deny-only, P015 policy-not-action-allow.
//!
//! A session policy only narrows the role's permissions: the session gets what both the role's
//! policies and the session policy allow (IAMUG access_policies#policies_session). It names no
//! principal — the session is the principal.

use super::Ctx;
use crate::diagnostic::{Diagnostic, Rule, Severity};
use crate::model::policy::{key_span, strings};
use crate::model::request::Request;

pub static PRINCIPAL: Rule = Rule { code: "P012", name: "policy-principal", severity: Severity::Error, summary: "session policy statement with Principal or NotPrincipal, which session policies cannot have" };
pub static ALLOWS_EVERYTHING: Rule = Rule {
    code: "P013",
    name: "policy-allows-everything",
    severity: Severity::Info,
    summary: "session policy that allows every action on every resource, so it restricts nothing",
};
pub static DENY_ONLY: Rule = Rule {
    code: "P014",
    name: "policy-deny-only",
    severity: Severity::Warning,
    summary:
        "session policy with only Deny statements, which leaves the session no permissions at all",
};
pub static NOT_ACTION_ALLOW: Rule = Rule { code: "P015", name: "policy-not-action-allow", severity: Severity::Warning, summary: "Allow statement with NotAction, which allows every action not listed (including future ones)" };

const P: &str = "Policy";

pub fn check(req: &Request, _: &Ctx, out: &mut Vec<Diagnostic>) {
    let Some(policy) = &req.policy_doc else {
        return;
    };
    let statements = policy.statements();
    let any_deny = statements.iter().any(|s| s.effect() == Some("Deny"));
    for s in &statements {
        let name = s.name();
        for m in ["Principal", "NotPrincipal"]
            .iter()
            .filter_map(|k| s.get(k))
        {
            out.push(PRINCIPAL.report(format!("{name} has `{}`; a session policy applies to the session itself and cannot name a principal, so STS answers `MalformedPolicyDocument`", m.key.value))
                .at(key_span(m), m.key.value.clone())
                .help(format!("remove `{}`: the principal is the role session; who may assume the role belongs in the role's trust policy", m.key.value)).param(P));
        }
        if s.effect() == Some("Allow") {
            if let Some(na) = s.get("NotAction") {
                out.push(NOT_ACTION_ALLOW.report(format!("{name} allows with `NotAction`: every action except those listed, including actions AWS adds later, as far as the role's own policies allow"))
                    .at(key_span(na), "NotAction with Allow")
                    .help("list the actions the session needs in `Action` instead; use `NotAction` with `Deny`").param(P));
            }
            let all = |k: &str, star: &[&str]| {
                s.get(k).is_some_and(|m| {
                    strings(&m.value)
                        .iter()
                        .any(|t| star.contains(&t.value.as_str()))
                })
            };
            if all("Action", &["*", "*:*"])
                && all("Resource", &["*"])
                && s.get("Condition").is_none()
                && !any_deny
            {
                out.push(ALLOWS_EVERYTHING.report(format!("{name} allows every action on every resource, so this session policy restricts nothing: the session gets all the role's permissions"))
                    .at(policy.span(&s.node.span), "allows everything")
                    .help("list only the actions and resources this session needs, or leave --policy out").param(P));
            }
        }
    }
    if !statements.is_empty() && statements.iter().all(|s| s.effect() == Some("Deny")) {
        out.push(DENY_ONLY.report("the session policy has only Deny statements: a session gets what both the role and the session policy allow, and this policy allows nothing, so every call of the session is denied")
            .at(policy.span(&policy.root.span), "only Deny")
            .help("add an Allow statement for what the session may do (`{\"Effect\": \"Allow\", \"Action\": \"*\", \"Resource\": \"*\"}` keeps the role's permissions), then the Deny statements carve out of it").param(P));
    }
}

#[cfg(test)]
mod tests {
    use crate::rules::testing::policy_codes as pol;

    #[test]
    fn narrowing_policies_pass() {
        assert_eq!(
            pol(
                r#"{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"*","Resource":"*"},{"Effect":"Deny","Action":"iam:*","Resource":"*"}]}"#
            ),
            Vec::<&str>::new()
        );
        assert_eq!(
            pol(
                r#"{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"*","Resource":"*","Condition":{"Bool":{"aws:SecureTransport":"true"}}}]}"#
            ),
            Vec::<&str>::new()
        );
    }

    #[test]
    fn session_policy_mistakes_are_reported() {
        assert_eq!(
            pol(
                r#"{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"AWS":"*"},"Action":"s3:GetObject","Resource":"*"}]}"#
            ),
            ["P012"]
        );
        assert_eq!(
            pol(
                r#"{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"*","Resource":"*"}]}"#
            ),
            ["P013"]
        );
        assert_eq!(
            pol(
                r#"{"Version":"2012-10-17","Statement":[{"Effect":"Deny","Action":"s3:DeleteObject","Resource":"*"}]}"#
            ),
            ["P014"]
        );
        assert_eq!(
            pol(
                r#"{"Version":"2012-10-17","Statement":[{"Effect":"Allow","NotAction":"iam:*","Resource":"*"}]}"#
            ),
            ["P015"]
        );
    }
}
