//! The claims STS matches against IAM: T011 token-issuer, T012 token-audience,
//! T013 token-subject-missing.
//!
//! STS finds the IAM OIDC provider whose URL is exactly the token's `iss` (https only, no port, no
//! query; case and trailing slash count), checks that `aud` is in that provider's client-ID list,
//! and makes the condition keys `ISSUER:aud` and `ISSUER:sub` for the role's trust policy.

use super::{claims_of, Ctx};
use crate::diagnostic::{shown, Diagnostic, Rule, Severity};
use crate::model::issuers;
use crate::model::request::Request;
use crate::model::token::type_name;
use serde_json::Value;

pub static ISSUER: Rule = Rule {
    code: "T011",
    name: "token-issuer",
    severity: Severity::Error,
    summary: "`iss` claim missing or not a URL an IAM OIDC provider can have (https, no port, no query); trailing slash called out",
};
pub static AUDIENCE: Rule = Rule {
    code: "T012",
    name: "token-audience",
    severity: Severity::Error,
    summary: "`aud` claim missing, empty or of the wrong type, or a value known to be wrong for the issuer",
};
pub static SUBJECT: Rule = Rule {
    code: "T013",
    name: "token-subject-missing",
    severity: Severity::Error,
    summary: "`sub` claim missing, empty or not a string",
};

const P: &str = "WebIdentityToken";

pub fn check(req: &Request, _: &Ctx, out: &mut Vec<Diagnostic>) {
    let Some((t, jws, claims)) = claims_of(req) else {
        return;
    };
    let span = t.span_of(jws.payload.range.clone());
    let iss = claims.get("iss");
    let sub = claims.get("sub");
    let profile = issuers::find(iss.and_then(Value::as_str), sub.and_then(Value::as_str));
    let at = |claim: &str| (span.clone(), format!("claim `{claim}`"));

    // iss
    match iss {
        None => out.push(ISSUER.report("the token has no `iss` claim: STS cannot tell which IAM OIDC provider to check it against, and answers `InvalidIdentityToken`")
            .at(at("iss").0, "payload without iss")
            .help("pass an ID token from an OpenID Connect provider; its `iss` is the URL of the IAM OIDC provider to create").param(P)),
        Some(Value::String(s)) => issuer_url(s, profile, at("iss"), out),
        Some(v) => out.push(ISSUER.report(format!("the token's `iss` claim is a JSON {}, not a URL string; STS answers `InvalidIdentityToken`", type_name(v)))
            .at(at("iss").0, at("iss").1).help("pass an ID token from an OpenID Connect provider; `iss` is its https URL").param(P)),
    }

    // aud
    let host = iss
        .and_then(Value::as_str)
        .map(issuers::provider_name)
        .unwrap_or("ISSUER");
    match claims.get("aud") {
        None => out.push(AUDIENCE.report("the token has no `aud` claim; STS answers `InvalidIdentityToken: Missing a required claim: aud`")
            .at(at("aud").0, "payload without aud")
            .help(match profile.and_then(|p| p.profile.audiences.first()) {
                Some(a) => format!("request the token with audience `{a}` (the value in the IAM OIDC provider's client-ID list)"),
                None => "request the token with an audience, and add that audience to the IAM OIDC provider's client-ID list".to_string(),
            }).param(P)),
        Some(v) => {
            let values: Option<Vec<&str>> = match v {
                Value::String(s) => Some(vec![s.as_str()]),
                Value::Array(a) => a.iter().map(Value::as_str).collect(),
                _ => None,
            };
            match values {
                None => out.push(AUDIENCE.report(format!("the token's `aud` claim is a JSON {}; it must be a string or an array of strings, and STS answers `InvalidIdentityToken`", type_name(v)))
                    .at(at("aud").0, at("aud").1).help("request the token with a string audience, e.g. `sts.amazonaws.com`").param(P)),
                Some(vals) if vals.is_empty() || vals.iter().all(|s| s.is_empty()) => out.push(AUDIENCE.report("the token's `aud` claim is empty; STS matches it against the IAM OIDC provider's client-ID list, and nothing matches")
                    .at(at("aud").0, at("aud").1).help("request the token with an audience, e.g. `sts.amazonaws.com`").param(P)),
                Some(vals) => {
                    if let Some(p) = profile {
                        for wrong in &p.profile.wrong_audiences {
                            if vals.contains(&wrong.value.as_str()) {
                                let want = p.profile.audiences.first().map(String::as_str).unwrap_or("the audience your IAM OIDC provider lists");
                                let consequence = if wrong.why.contains("Incorrect token audience") {
                                    String::new()
                                } else {
                                    format!(". Unless the IAM OIDC provider for {host} lists it, STS answers `InvalidIdentityToken: Incorrect token audience`")
                                };
                                out.push(AUDIENCE.report(format!("the token's audience is `{}`, a known mistake for {}: {}{consequence}", shown(&wrong.value), p.profile.name, wrong.why.trim_end_matches('.')))
                                    .at(at("aud").0, format!("aud {}", shown(&wrong.value)))
                                    .help(format!("request the token with audience `{want}`{}", p.profile.audience_hint.as_deref().map(|h| format!(" ({h})")).unwrap_or_default()))
                                    .severity(Severity::Warning).param(P));
                            }
                        }
                    }
                }
            }
        }
    }

    // sub
    let bad_sub = match sub {
        None => Some("the token has no `sub` claim".to_string()),
        Some(Value::String(s)) if s.is_empty() => {
            Some("the token's `sub` claim is empty".to_string())
        }
        Some(Value::String(_)) => None,
        Some(v) => Some(format!(
            "the token's `sub` claim is a JSON {}, not a string",
            type_name(v)
        )),
    };
    if let Some(what) = bad_sub {
        out.push(SUBJECT.report(format!("{what}: STS needs the subject to identify the caller (and for `{host}:sub` in the trust policy), and answers `InvalidIdentityToken`"))
            .at(at("sub").0, "claim `sub`")
            .help("pass an ID token from an OpenID Connect provider; every ID token names its subject in `sub`").param(P));
    }
}

/// `iss` must be a URL an IAM OIDC provider can have: `https://HOST[/PATH]`.
fn issuer_url(
    iss: &str,
    profile: Option<&issuers::Compiled>,
    (span, label): (crate::source::Span, String),
    out: &mut Vec<Diagnostic>,
) {
    let s = shown(iss);
    let report = |msg: String, help: String, severity: Severity| {
        ISSUER
            .report(msg)
            .at(span.clone(), label.clone())
            .help(help)
            .severity(severity)
            .param(P)
    };
    // Google's built-in provider accepts its scheme-less issuer.
    if profile.is_some_and(|p| p.profile.built_in) && !iss.contains("://") {
        return;
    }
    let Some(rest) = iss.strip_prefix("https://") else {
        let fixed = match iss.split_once("://") {
            Some((_, r)) => format!("https://{r}"),
            None => format!("https://{iss}"),
        };
        out.push(report(
            format!("the token's issuer `{s}` is not an https URL: IAM OIDC provider URLs begin with `https://`, so STS finds no provider for it and answers `InvalidIdentityToken`"),
            format!("configure the identity provider to issue tokens with `iss` `{}` (and serve its discovery document there)", shown(&fixed)),
            Severity::Error,
        ));
        return;
    };
    let host_end = rest.find(['/', '?', '#']).unwrap_or(rest.len());
    let host = &rest[..host_end];
    if host.is_empty() {
        out.push(report(
            format!(
                "the token's issuer `{s}` has no host name; STS answers `InvalidIdentityToken`"
            ),
            "pass a token from an OpenID Connect provider; `iss` is its https URL".into(),
            Severity::Error,
        ));
        return;
    }
    if let Some((h, port)) = host.rsplit_once(':') {
        out.push(report(
            format!("the token's issuer `{s}` has a port (`:{}`): IAM OIDC provider URLs cannot, so STS finds no provider for it", shown(port)),
            format!("serve the issuer on the default https port and issue tokens with `iss` `https://{}{}`", shown(h), shown(&rest[host_end..])),
            Severity::Error,
        ));
    }
    if let Some(i) = rest.find(['?', '#']) {
        out.push(report(
            format!("the token's issuer `{s}` has a query or fragment (`{}`): IAM OIDC provider URLs cannot, so STS finds no provider for it", shown(&rest[i..])),
            format!("issue tokens with `iss` `https://{}`", shown(&rest[..i])),
            Severity::Error,
        ));
        return;
    }
    if rest.ends_with('/') {
        out.push(report(
            format!("the token's issuer `{s}` ends with `/`: STS looks up the IAM OIDC provider by this exact URL, so the provider must have been created with the trailing slash, and the trust policy's condition keys start `{}`", shown(issuers::provider_name(iss))),
            format!("make sure the IAM OIDC provider URL is exactly `{s}` (with the slash); `aws iam list-open-id-connect-providers` shows the ARNs"),
            Severity::Warning,
        ));
    }
}

#[cfg(test)]
mod tests {
    use super::super::testing::codes;
    use crate::model::token::b64url_encode as b64;

    fn claims(c: &str) -> Vec<&'static str> {
        codes(&format!("aws sts assume-role-with-web-identity --role-arn arn:aws:iam::111122223333:role/ci --role-session-name s --web-identity-token eyJhbGciOiJSUzI1NiIsImtpZCI6ImsifQ.{}.c2ln", b64(c.as_bytes())))
    }

    #[test]
    fn good_identity_claims_pass() {
        for c in [
            r#"{"iss":"https://token.actions.githubusercontent.com","sub":"repo:a/b:pull_request","aud":"sts.amazonaws.com","exp":1795435800}"#,
            r#"{"iss":"accounts.google.com","sub":"1","aud":"x.apps.googleusercontent.com","exp":1795435800}"#,
            r#"{"iss":"https://idp.example.com/tenant/1","sub":"1","aud":["a","b"],"exp":1795435800}"#,
        ] {
            let c2 = claims(c);
            assert!(
                !c2.iter().any(|c| ["T011", "T012", "T013"].contains(c)),
                "{c}: {c2:?}"
            );
        }
    }

    #[test]
    fn bad_identity_claims_fail() {
        let base = |iss: &str| {
            claims(&format!(
                r#"{{"iss":{iss},"sub":"s","aud":"a","exp":1795435800}}"#
            ))
        };
        for iss in [
            r#""http://idp.example.com""#,
            r#""idp.example.com""#,
            r#""https://idp.example.com:8443""#,
            r#""https://idp.example.com/?x=1""#,
            r#""https://idp.example.com/""#,
            "1",
            r#""https://""#,
        ] {
            assert!(base(iss).contains(&"T011"), "{iss}");
        }
        assert!(claims(r#"{"sub":"s","aud":"a","exp":1795435800}"#).contains(&"T011"));
        for aud in [
            "",
            r#","aud":1"#,
            r#","aud":[]"#,
            r#","aud":"""#,
            r#","aud":[1]"#,
        ] {
            let c = claims(&format!(
                r#"{{"iss":"https://idp.example.com","sub":"s","exp":1795435800{aud}}}"#
            ));
            assert!(c.contains(&"T012"), "{aud}: {c:?}");
        }
        for aud in ["sts.amazon.com", "sigstore"] {
            let c = claims(&format!(
                r#"{{"iss":"https://token.actions.githubusercontent.com","sub":"repo:a/b:pull_request","aud":"{aud}","exp":1795435800}}"#
            ));
            assert!(c.contains(&"T012"), "{aud}: {c:?}");
        }
        for sub in ["", r#","sub":"""#, r#","sub":7"#] {
            assert!(
                claims(&format!(
                    r#"{{"iss":"https://idp.example.com","aud":"a","exp":1795435800{sub}}}"#
                ))
                .contains(&"T013"),
                "{sub}"
            );
        }
    }
}
