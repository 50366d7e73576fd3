//! ProviderId: V001 provider-id-invalid, V002 provider-id-with-jwt.
//!
//! ProviderId is only for OAuth 2.0 access tokens from Login with Amazon (`www.amazon.com`) and
//! Facebook (`graph.facebook.com`). With an OpenID Connect ID token (a JWT) it must be left out.

use super::{chars, known, Ctx};
use crate::diagnostic::{Diagnostic, Rule, Severity};
use crate::limits::{PROVIDER_IDS, PROVIDER_ID_MAX, PROVIDER_ID_MIN};
use crate::model::request::Request;

pub static INVALID: Rule = Rule {
    code: "V001",
    name: "provider-id-invalid",
    severity: Severity::Error,
    summary: "ProviderId other than www.amazon.com or graph.facebook.com",
};
pub static WITH_JWT: Rule = Rule {
    code: "V002",
    name: "provider-id-with-jwt",
    severity: Severity::Error,
    summary: "ProviderId given with an OpenID Connect ID token (JWT)",
};

/// Whether a token looks like a JWS compact JWT (three base64url parts, the first a JSON header).
pub fn looks_like_jwt(token: &str) -> bool {
    let t = token.trim();
    let parts: Vec<&str> = t.split('.').collect();
    parts.len() == 3
        && t.starts_with("eyJ")
        && parts.iter().take(2).all(|p| {
            !p.is_empty()
                && p.bytes()
                    .all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_' || b == b'=')
        })
}

pub fn check(req: &Request, _: &Ctx, out: &mut Vec<Diagnostic>) {
    let Some(t) = known(&req.provider_id) else {
        return;
    };
    let v = t.value.as_str();
    let sv = crate::diagnostic::shown(v);
    let p = "ProviderId";
    let n = chars(v);
    if !PROVIDER_IDS.contains(&v) {
        let bare = v
            .trim()
            .trim_start_matches("https://")
            .trim_start_matches("http://")
            .trim_end_matches('/');
        let bare = bare.split(':').next().unwrap_or(bare);
        let (msg, help) = if PROVIDER_IDS.contains(&bare) {
            (format!("ProviderId `{sv}` must be the bare host name `{bare}`, without scheme, port, slash or spaces"), format!("write `--provider-id {bare}`"))
        } else if !(PROVIDER_ID_MIN..=PROVIDER_ID_MAX).contains(&n) {
            (format!("ProviderId `{sv}` is {n} characters; it must be {PROVIDER_ID_MIN} to {PROVIDER_ID_MAX}, and only www.amazon.com or graph.facebook.com are accepted"), "for an OpenID Connect provider, leave ProviderId out".to_string())
        } else {
            (
                format!("ProviderId `{sv}` is not accepted: STS takes only `www.amazon.com` (Login with Amazon) or `graph.facebook.com` (Facebook) here"),
                "for an OpenID Connect provider (GitHub, EKS, Google, GitLab...), leave --provider-id out: the token's `iss` claim names the provider".to_string(),
            )
        };
        out.push(
            INVALID
                .report(msg)
                .at(t.content_span(), "not an accepted provider")
                .help(help)
                .param(p),
        );
    }
    // A variable the platform fills with an ID token (`$CIRCLE_OIDC_TOKEN`) is a JWT too.
    let from_variable = req.web_identity_token.as_ref().and_then(|p| {
        let (d, name) = crate::model::token_variables::whole_variable(&p.text)?;
        let v = crate::model::token_variables::id_token(name)?;
        Some(format!(
            "`{}`, which {} fills with an OpenID Connect ID token",
            d.expr, v.platform
        ))
    });
    let message = match from_variable {
        Some(what) => Some(format!("ProviderId `{sv}` is given with {what}: ProviderId is only for OAuth 2.0 access tokens, and STS refuses the pair")),
        None => known(&req.web_identity_token)
            .filter(|tok| looks_like_jwt(&tok.value))
            .map(|_| format!("ProviderId `{sv}` is given with an OpenID Connect ID token (a JWT): ProviderId is only for OAuth 2.0 access tokens")),
    };
    if let Some(message) = message {
        out.push(
            WITH_JWT
                .report(message)
                .at(t.content_span(), "remove for OIDC tokens")
                .note(
                    req.provider_id
                        .as_ref()
                        .map(|p| p.name.clone())
                        .unwrap_or_else(|| t.whole()),
                    "this option",
                )
                .help("remove --provider-id; STS finds the provider from the token's `iss` claim")
                .param(p),
        );
    }
}

#[cfg(test)]
mod tests {
    use crate::rules::testing::codes;

    fn v(provider: &str, token: &str) -> Vec<&'static str> {
        let s = format!("aws sts assume-role-with-web-identity --role-arn arn:aws:iam::111122223333:role/ci --role-session-name ci --web-identity-token '{token}' --provider-id '{provider}'");
        codes(&s)
            .into_iter()
            .filter(|c| c.starts_with('V'))
            .collect()
    }

    #[test]
    fn oauth_providers_pass() {
        assert_eq!(
            v("www.amazon.com", "Atza|IQEBLjAsAhRFiXuWpUXuRvQ9"),
            Vec::<&str>::new()
        );
        assert_eq!(
            v("graph.facebook.com", "EAAGm0PX4ZCpsBAKZA"),
            Vec::<&str>::new()
        );
    }

    #[test]
    fn other_providers_fail() {
        assert_eq!(v("www.amazon.com:443", "Atza|abc"), vec!["V001"]);
        assert_eq!(v("www.amazon.com/", "Atza|abc"), vec!["V001"]);
        assert_eq!(v("accounts.google.com", "opaque-token"), vec!["V001"]);
        assert_eq!(v("x", "opaque-token"), vec!["V001"]);
    }

    #[test]
    fn provider_with_jwt_fails() {
        assert_eq!(
            v(
                "www.amazon.com",
                "eyJhbGciOiJSUzI1NiJ9.eyJzdWIiOiJ4In0.c2ln"
            ),
            vec!["V002"]
        );
        assert_eq!(
            v(
                "token.actions.githubusercontent.com",
                "eyJhbGciOiJSUzI1NiJ9.eyJzdWIiOiJ4In0.c2ln"
            ),
            vec!["V001", "V002"]
        );
    }

    #[test]
    fn id_token_variables_are_jwts() {
        let s = |token: &str| {
            format!("aws sts assume-role-with-web-identity --role-arn arn:aws:iam::111122223333:role/ci --role-session-name ci --web-identity-token {token} --provider-id www.amazon.com")
        };
        assert!(codes(&s("\"$CIRCLE_OIDC_TOKEN_V2\"")).contains(&"V002"));
        assert!(codes(&s("$BITBUCKET_STEP_OIDC_TOKEN")).contains(&"V002"));
        assert!(!codes(&s("$ACCESS_TOKEN")).contains(&"V002"));
    }
}
