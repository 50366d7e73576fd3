//! T018 token-unusual-for-issuer: what is unusual for the issuer that made the token.
//!
//! Issuer profiles (expected audiences, subject shapes, claims always set) are data in
//! `rules/issuers.json`, with their sources.

use super::{claims_of, Ctx};
use crate::diagnostic::{shown, Diagnostic, Rule, Severity};
use crate::model::issuers;
use crate::model::request::Request;
use serde_json::Value;

pub static RULE: Rule = Rule {
    code: "T018",
    name: "token-unusual-for-issuer",
    severity: Severity::Warning,
    summary: "token whose subject, audience or claims are unusual for the issuer that made it (GitHub Actions, EKS, GitLab...)",
};

const P: &str = "WebIdentityToken";

pub fn check(req: &Request, _: &Ctx, out: &mut Vec<Diagnostic>) {
    let Some((t, jws, claims)) = claims_of(req) else {
        return;
    };
    let iss = claims.get("iss").and_then(Value::as_str);
    let sub = claims.get("sub").and_then(Value::as_str);
    let Some(c) = issuers::find(iss, sub).filter(|c| !c.is_generic()) else {
        return;
    };
    let p = &c.profile;
    let span = t.span_of(jws.payload.range.clone());
    if let Some(s) = sub.filter(|s| !s.is_empty() && !c.subject_fits(s)) {
        let shapes = p
            .subject_shapes
            .iter()
            .map(|s| format!("`{s}`"))
            .collect::<Vec<_>>()
            .join(", ");
        out.push(RULE.report(format!("the token's subject `{}` does not have the shape {} gives its tokens ({shapes}); a trust policy written for that shape will not match it", shown(s), p.name))
            .at(span.clone(), "claim `sub`")
            .help(format!("check that this token comes from {} as configured; if the subject template was customised, write the role's `sub` condition for the customised shape", p.name))
            .param(P));
    }
    let missing: Vec<&str> = p
        .claims
        .iter()
        .map(String::as_str)
        .filter(|k| !claims.contains_key(*k))
        .collect();
    if !missing.is_empty() {
        out.push(RULE.report(format!("the token says it comes from {} but lacks the claim{} {} that {} always sets: it may come from another issuer using the same URL, or have been made by hand", p.name, if missing.len() > 1 { "s" } else { "" }, missing.iter().map(|k| format!("`{k}`")).collect::<Vec<_>>().join(", "), p.name))
            .at(span.clone(), "payload")
            .help(format!("use the token {} issued, unchanged", p.name))
            .param(P));
    }
    // A custom audience is legitimate when the IAM OIDC provider lists it, so it is only noted.
    let auds: Vec<&str> = match claims.get("aud") {
        Some(Value::String(s)) => vec![s],
        Some(Value::Array(a)) => a.iter().filter_map(Value::as_str).collect(),
        _ => Vec::new(),
    };
    let known_wrong = |a: &str| p.wrong_audiences.iter().any(|w| w.value == a);
    if !p.audiences.is_empty()
        && !auds.is_empty()
        && !auds
            .iter()
            .any(|a| p.audiences.iter().any(|x| x == a) || known_wrong(a))
    {
        out.push(RULE.report(format!("the token's audience {} is not the one {} uses for AWS (`{}`); STS accepts it only if the IAM OIDC provider's client-ID list has it, and answers `InvalidIdentityToken: Incorrect token audience` otherwise", auds.iter().map(|a| format!("`{}`", shown(a))).collect::<Vec<_>>().join(", "), p.name, p.audiences.join("`, `")))
            .at(span, "claim `aud`")
            .help(format!("add the audience to the provider's client-ID list (`aws iam add-client-id-to-open-id-connect-provider`), or request the token with `{}`{}", p.audiences[0], p.audience_hint.as_deref().map(|h| format!(" ({h})")).unwrap_or_default()))
            .severity(Severity::Info)
            .param(P));
    }
}

#[cfg(test)]
mod tests {
    use super::super::testing::codes;
    use crate::model::token::b64url_encode as b64;

    fn t018(c: &str) -> usize {
        codes(&format!("aws sts assume-role-with-web-identity --role-arn arn:aws:iam::111122223333:role/ci --role-session-name s --web-identity-token eyJhbGciOiJSUzI1NiIsImtpZCI6ImsifQ.{}.c2ln", b64(c.as_bytes())))
            .iter().filter(|c| **c == "T018").count()
    }

    const GH: &str = r#""iss":"https://token.actions.githubusercontent.com","repository":"a/b","repository_owner":"a","ref":"refs/heads/main","exp":1795435800"#;

    #[test]
    fn usual_tokens_pass() {
        assert_eq!(
            t018(&format!(
                r#"{{{GH},"sub":"repo:a/b:ref:refs/heads/main","aud":"sts.amazonaws.com"}}"#
            )),
            0
        );
        assert_eq!(
            t018(
                r#"{"iss":"https://k8s.example.com","sub":"system:serviceaccount:ci:builder","aud":"x","exp":1795435800,"kubernetes.io":{}}"#
            ),
            0
        );
        assert_eq!(
            t018(
                r#"{"iss":"https://idp.example.com","sub":"anything","aud":"x","exp":1795435800}"#
            ),
            0
        );
    }

    #[test]
    fn unusual_tokens_fail() {
        assert_eq!(
            t018(&format!(
                r#"{{{GH},"sub":"a/b:main","aud":"sts.amazonaws.com"}}"#
            )),
            1
        );
        assert_eq!(
            t018(&format!(
                r#"{{{GH},"sub":"repo:a/b:ref:refs/heads/main","aud":"custom"}}"#
            )),
            1
        );
        assert_eq!(
            t018(
                r#"{"iss":"https://token.actions.githubusercontent.com","sub":"repo:a/b:pull_request","aud":"sts.amazonaws.com","exp":1795435800}"#
            ),
            1
        );
    }
}
