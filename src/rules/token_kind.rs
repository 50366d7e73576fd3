//! What kind of token it is: T006 token-not-a-jwt, T007 token-part-malformed,
//! T008 token-needs-provider-id.
//!
//! Without ProviderId, STS expects an OpenID Connect ID token: a signed JWT, three base64url parts
//! `HEADER.PAYLOAD.SIGNATURE`, the first two JSON objects. With ProviderId it expects an OAuth 2.0
//! access token of that provider (Login with Amazon `Atza|...`, Facebook).

use super::{known, token_text, Ctx};
use crate::diagnostic::{Diagnostic, Rule, Severity};
use crate::model::request::Request;
use crate::model::token::{Kind, PartError};

pub static NOT_A_JWT: Rule = Rule {
    code: "T006",
    name: "token-not-a-jwt",
    severity: Severity::Error,
    summary: "WebIdentityToken that is not a signed JWT (an encrypted JWT, another credential, or no JWT at all) where STS needs one",
};
pub static PART_MALFORMED: Rule = Rule {
    code: "T007",
    name: "token-part-malformed",
    severity: Severity::Error,
    summary: "JWT header or payload that is not base64url-encoded JSON object",
};
pub static NEEDS_PROVIDER_ID: Rule = Rule {
    code: "T008",
    name: "token-needs-provider-id",
    severity: Severity::Error,
    summary: "OAuth 2.0 access token (Login with Amazon, Facebook) without the matching ProviderId",
};

const P: &str = "WebIdentityToken";

pub fn check(req: &Request, _: &Ctx, out: &mut Vec<Diagnostic>) {
    let Some((t, token)) = token_text(req) else {
        return;
    };
    let span = t.span_of(token.range.clone());
    let provider = known(&req.provider_id).map(|p| p.value.as_str());
    // A ProviderId only the shell knows (`--provider-id "$PROVIDER"`) is there, value unknown.
    let provider_given = req.provider_id.is_some();
    match &token.kind {
        Kind::Jwe => out.push(
            NOT_A_JWT
                .report("WebIdentityToken is an encrypted JWT (JWE, five parts): STS reads only signed JWTs (three parts) and answers `InvalidIdentityToken`")
                .at(span, "an encrypted JWT")
                .help("ask the identity provider for a signed ID token instead (turn off ID token encryption for this client)")
                .param(P),
        ),
        Kind::Foreign(f) => out.push(
            NOT_A_JWT
                .report(format!("WebIdentityToken is {}; STS answers `InvalidIdentityToken`", f.describe()))
                .at(span, "not a web identity token")
                .help(f.fix())
                .param(P),
        ),
        // With a ProviderId, an opaque access token is expected and its format is the provider's.
        Kind::Unknown(reason) if !provider_given => out.push(
            NOT_A_JWT
                .report(format!("WebIdentityToken is not a JWT: it has {reason}. Without ProviderId, STS expects an OpenID Connect ID token and answers `InvalidIdentityToken`"))
                .at(span, "not a JWT")
                .help("pass the provider's ID token (it starts with `eyJ`), not an access token, a key or a token file's name")
                .param(P),
        ),
        Kind::Jws(jws) => {
            for (part, name) in [(&jws.header, "header"), (&jws.payload, "payload")] {
                let Err(e) = &part.json else { continue };
                let range = match e {
                    PartError::Base64 { at, found } => *at..at + found.len_utf8(),
                    _ => part.range.clone(),
                };
                let what = if name == "header" { "first" } else { "second" };
                out.push(
                    PART_MALFORMED
                        .report(format!("the token's {name} (its {what} part) {}; STS answers `InvalidIdentityToken`", e.describe()))
                        .at(t.span_of(range), format!("{name} part"))
                        .help(match e {
                            PartError::Base64 { .. } | PartError::Length(_) | PartError::Empty => "pass the token exactly as the provider issued it: it was cut, joined or re-encoded on the way",
                            _ => "the token was not made by an OpenID Connect provider; pass the provider's ID token as issued",
                        })
                        .param(P),
                );
            }
            if jws.header.padded || jws.payload.padded {
                out.push(
                    PART_MALFORMED
                        .report("the token's parts end with `=` padding, which a JWT leaves out (RFC 7515 base64url without padding); strict verifiers refuse it")
                        .at(span, "padded base64")
                        .help("pass the token exactly as the provider issued it, without `=` added")
                        .severity(Severity::Warning)
                        .param(P),
                );
            }
        }
        Kind::AccessToken(a) => match provider {
            None if !provider_given => out.push(
                NEEDS_PROVIDER_ID
                    .report(format!("WebIdentityToken is {}, which STS accepts only with `ProviderId` {}: without it STS reads the token as an OpenID Connect ID token and answers `InvalidIdentityToken`", a.name(), a.provider_id()))
                    .at(span, "an access token")
                    .help(format!("add `--provider-id {}`", a.provider_id()))
                    .param(P),
            ),
            Some(p) if crate::limits::PROVIDER_IDS.contains(&p) && p != a.provider_id() => out.push(
                NEEDS_PROVIDER_ID
                    .report(format!("ProviderId is `{p}`, but the token is {} (ProviderId `{}`); STS sends it to the wrong provider, which refuses it", a.name(), a.provider_id()))
                    .at(span, "an access token")
                    .help(format!("write `--provider-id {}`", a.provider_id()))
                    .param(P),
            ),
            _ => {}
        },
        Kind::Unknown(_) => {}
    }
}

#[cfg(test)]
mod tests {
    use super::super::testing::{codes, with};

    #[test]
    fn signed_jwts_pass() {
        assert!(!codes(&with(""))
            .iter()
            .any(|c| ["T006", "T007", "T008"].contains(c)));
        assert!(!codes("aws sts assume-role-with-web-identity --role-arn arn:aws:iam::111122223333:role/ci --role-session-name s --web-identity-token 'Atza|IwEBIAbc' --provider-id www.amazon.com").contains(&"T008"));
    }

    #[test]
    fn other_kinds_fail() {
        let tok = |t: &str, extra: &str| {
            codes(&format!("aws sts assume-role-with-web-identity --role-arn arn:aws:iam::111122223333:role/ci --role-session-name s --web-identity-token '{t}' {extra}"))
        };
        assert!(tok("eyJhbGciOiJSU0EtT0FFUCJ9.a.b.c.d", "").contains(&"T006"));
        assert!(tok("ghs_16C7e42F292c6912E7710c838347Ae178B4a", "").contains(&"T006"));
        assert!(tok("opaque-token-value", "").contains(&"T006"));
        assert!(!tok("opaque-token-value", "--provider-id graph.facebook.com").contains(&"T006"));
        assert!(tok("eyJ+bGciOiJSUzI1NiJ9.eyJzdWIiOiJ4In0.c2ln", "").contains(&"T007"));
        assert!(tok("WzFd.eyJzdWIiOiJ4In0.c2ln", "").contains(&"T007"));
        assert!(tok("Atza|IwEBIAbc", "").contains(&"T008"));
        assert!(tok("Atza|IwEBIAbc", "--provider-id graph.facebook.com").contains(&"T008"));
        // A ProviderId only the shell knows is given, just not known.
        assert!(!tok("Atza|IwEBIAbc", "--provider-id \"$PROVIDER\"").contains(&"T008"));
        assert!(!tok("opaque-token-value", "--provider-id \"$PROVIDER\"").contains(&"T006"));
    }
}
