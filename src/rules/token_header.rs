//! The JWT header: T009 token-algorithm, T010 token-kid-missing.
//!
//! STS verifies the signature with the issuer's published keys and accepts only RS256, RS384,
//! RS512, ES256, ES384 and ES512 (STS model documentation of WebIdentityToken).

use super::{token_jws, Ctx};
use crate::diagnostic::{shown, Diagnostic, Rule, Severity};
use crate::limits::TOKEN_ALGORITHMS;
use crate::model::request::Request;

pub static ALGORITHM: Rule = Rule {
    code: "T009",
    name: "token-algorithm",
    severity: Severity::Error,
    summary: "JWT signed with an algorithm STS does not accept (none, HS*, EdDSA, PS*...)",
};
pub static KID_MISSING: Rule = Rule {
    code: "T010",
    name: "token-kid-missing",
    severity: Severity::Warning,
    summary: "JWT header without `kid`, so STS cannot tell which of the issuer's keys to use",
};

const P: &str = "WebIdentityToken";

pub fn check(req: &Request, _: &Ctx, out: &mut Vec<Diagnostic>) {
    let Some((t, jws)) = token_jws(req) else {
        return;
    };
    let Some(header) = jws.header() else {
        return;
    };
    let span = t.span_of(jws.header.range.clone());
    let accepted = TOKEN_ALGORITHMS.join(", ");
    match header.get("alg") {
        None => out.push(
            ALGORITHM
                .report(format!("the token's header has no `alg`; STS accepts only {accepted} and answers `InvalidIdentityToken`"))
                .at(span.clone(), "header without alg")
                .help("pass the identity provider's ID token as issued; a token without `alg` was not made by an OpenID Connect provider")
                .param(P),
        ),
        Some(v) => {
            let alg = v.as_str().map(str::to_string).unwrap_or_else(|| v.to_string());
            if !v.is_string() || !TOKEN_ALGORITHMS.contains(&alg.as_str()) {
                let why = match alg.as_str() {
                    "none" => "`none`: the token is unsigned, and anyone could have written it".to_string(),
                    a if a.starts_with("HS") => format!("{a}, an HMAC with a shared secret that STS does not have"),
                    "EdDSA" | "Ed25519" => format!("{alg}, which STS does not support (OpenID Connect providers such as Nomad had to switch to RS256)"),
                    a if a.starts_with("PS") => format!("{a} (RSA-PSS), which STS does not accept"),
                    a => format!("`{}`, which STS does not accept", shown(a)),
                };
                out.push(
                    ALGORITHM
                        .report(format!("the token's signing algorithm is {why}; STS accepts only {accepted} and answers `InvalidIdentityToken`"))
                        .at(span.clone(), format!("alg {}", shown(&alg)))
                        .help("configure the identity provider to sign ID tokens with RS256 (or ES256), and publish that key in its JWKS")
                        .param(P),
                );
            }
        }
    }
    if !header.contains_key("kid")
        && header
            .get("alg")
            .and_then(|a| a.as_str())
            .is_some_and(|a| TOKEN_ALGORITHMS.contains(&a))
    {
        out.push(
            KID_MISSING
                .report("the token's header has no `kid`: STS must find the signing key in the issuer's JWKS without it, which fails when the issuer publishes more than one key (`InvalidIdentityToken`)")
                .at(span, "header without kid")
                .help("configure the identity provider to put the key ID (`kid`) of its signing key in the header")
                .param(P),
        );
    }
}

#[cfg(test)]
mod tests {
    use super::super::testing::codes;
    use crate::model::token::b64url_encode as b64;

    fn with_header(h: &str) -> Vec<&'static str> {
        let claims =
            b64(br#"{"iss":"https://idp.example.com","sub":"s","aud":"a","exp":1795435800}"#);
        codes(&format!("aws sts assume-role-with-web-identity --role-arn arn:aws:iam::111122223333:role/ci --role-session-name s --web-identity-token {}.{claims}.c2ln", b64(h.as_bytes())))
    }

    #[test]
    fn accepted_algorithms_with_kid_pass() {
        for alg in ["RS256", "RS384", "RS512", "ES256", "ES384", "ES512"] {
            let c = with_header(&format!(r#"{{"alg":"{alg}","kid":"k"}}"#));
            assert!(!c.contains(&"T009") && !c.contains(&"T010"), "{alg}: {c:?}");
        }
    }

    #[test]
    fn other_algorithms_and_missing_kid_fail() {
        for alg in [r#""none""#, r#""HS256""#, r#""EdDSA""#, r#""PS256""#, "7"] {
            assert!(
                with_header(&format!(r#"{{"alg":{alg},"kid":"k"}}"#)).contains(&"T009"),
                "{alg}"
            );
        }
        assert!(with_header(r#"{"kid":"k"}"#).contains(&"T009"));
        assert!(with_header(r#"{"alg":"RS256"}"#).contains(&"T010"));
        // No kid warning on top of a refused algorithm.
        assert!(!with_header(r#"{"alg":"none"}"#).contains(&"T010"));
    }
}
