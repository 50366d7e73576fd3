//! T022 token-signature: the token's signature checked offline against a JWKS the user saved from
//! the issuer's `jwks_uri` (`--jwks FILE`). Without `--jwks` nothing is checked.
//!
//! STS fetches the issuer's keys itself and answers `InvalidIdentityToken` when the signature
//! does not verify with the key the header's `kid` names.

use super::{token_jws, Ctx};
use crate::diagnostic::{Diagnostic, Rule, Severity};
use crate::model::request::Request;
use crate::model::token::SignatureCheck;

pub static RULE: Rule = Rule {
    code: "T022",
    name: "token-signature",
    severity: Severity::Error,
    summary: "token signature that does not verify with the JWKS given by `--jwks` (key not found, wrong key, bad signature, algorithm not allowed)",
};

const P: &str = "WebIdentityToken";

pub fn check(req: &Request, _: &Ctx, out: &mut Vec<Diagnostic>) {
    let (Some((t, jws)), Some(token)) = (token_jws(req), req.token.as_ref()) else {
        return;
    };
    let Some(verdict) = &token.signature else {
        return;
    };
    let span = t.span_of(jws.signature.clone());
    let kid_s = |k: &Option<String>| {
        k.as_deref()
            .map(|k| format!("`kid` `{}`", crate::diagnostic::shown(k)))
            .unwrap_or_else(|| "no `kid`".into())
    };
    let list = |kids: &Vec<String>| {
        if kids.is_empty() {
            "no `kid`s".to_string()
        } else {
            kids.iter()
                .map(|k| format!("`{}`", crate::diagnostic::shown(k)))
                .collect::<Vec<_>>()
                .join(", ")
        }
    };
    let (msg, help) = match verdict {
        SignatureCheck::Verified { .. } | SignatureCheck::Skipped => return,
        SignatureCheck::KeyNotFound { kid, kids, verified_by: Some(by) } => (
            format!("the JWKS has no key with the token's {} (it has {}), yet its key `{by}` verifies the signature: the token's header names the wrong key, and STS answers `InvalidIdentityToken`", kid_s(kid), list(kids)),
            format!("configure the identity provider to put its signing key's `kid` (`{by}`) in the header"),
        ),
        SignatureCheck::KeyNotFound { kid, kids, verified_by: None } => (
            format!("the JWKS has no key with the token's {} (it has {}); STS answers `InvalidIdentityToken` when the issuer's published keys lack it", kid_s(kid), list(kids)),
            "save the JWKS again from the issuer's `jwks_uri` (keys rotate), and check that the token comes from that issuer".to_string(),
        ),
        SignatureCheck::WrongKey { kid, verified_by } => (
            format!("the signature does not verify with the key the token names ({}), but it does with the JWKS key `{verified_by}`: STS uses the named key and answers `InvalidIdentityToken`", kid_s(kid)),
            "configure the identity provider to put the signing key's own `kid` in the header".to_string(),
        ),
        SignatureCheck::BadSignature { kid } => (
            format!("the signature does not verify with the JWKS key ({}) nor with any other key of the set: the token was changed after signing, or signed by a key the issuer does not publish; STS answers `InvalidIdentityToken`", kid_s(kid)),
            "pass the token exactly as issued; if it is, the issuer signs with a key missing from its JWKS (save the JWKS again to compare)".to_string(),
        ),
        SignatureCheck::AlgorithmNotAllowed { kid, reason } => (
            format!("the JWKS key with the token's {} cannot verify a {} signature: {reason}; STS answers `InvalidIdentityToken`", kid_s(kid), jws.alg().unwrap_or("?")),
            "check that the token's `alg` and `kid` match a key the issuer publishes for signing".to_string(),
        ),
    };
    out.push(RULE.report(msg).at(span, "signature").help(help).param(P));
}

#[cfg(test)]
mod tests {
    use super::super::testing;
    use crate::model::jwks::Jwks;
    use crate::model::token::SignatureCheck;

    #[test]
    fn verdicts_become_findings_except_verified() {
        // Verification itself is tested with real keys in tests/tokens.rs; here, that each
        // verdict reports (or not).
        let script = testing::with("");
        let (mut req, _) = testing::parse(&script);
        req.decode_token(Some(&Jwks::default()));
        let ctx = testing::ctx();
        let run = |req: &crate::model::request::Request| {
            let mut out = Vec::new();
            super::check(req, &ctx, &mut out);
            out.len()
        };
        assert_eq!(run(&req), 1, "empty JWKS: key not found");
        for (v, n) in [
            (SignatureCheck::Verified { kid: None }, 0),
            (SignatureCheck::Skipped, 0),
            (SignatureCheck::BadSignature { kid: None }, 1),
            (
                SignatureCheck::WrongKey {
                    kid: None,
                    verified_by: "k".into(),
                },
                1,
            ),
            (
                SignatureCheck::AlgorithmNotAllowed {
                    kid: None,
                    reason: "r".into(),
                },
                1,
            ),
        ] {
            req.token.as_mut().unwrap().signature = Some(v.clone());
            assert_eq!(run(&req), n, "{v:?}");
        }
    }
}
