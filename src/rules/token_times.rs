//! The token's times, against `--now` (else the clock at start): T014 token-expired,
//! T015 token-timestamp-invalid, T016 token-not-yet-valid, T017 token-expires-in.
//!
//! IAM allows 5 minutes of clock skew past `exp` (IAMUG id_roles_providers_oidc); after that STS
//! answers `ExpiredTokenException: Token expired: current date/time X must be before the
//! expiration date/time Y`. Timestamps are integers (NumericDate, STS model documentation).

use super::{claims_of, Ctx};
use crate::diagnostic::{Diagnostic, Rule, Severity};
use crate::limits::TOKEN_CLOCK_SKEW_SECONDS as SKEW;
use crate::model::request::Request;
use crate::model::token::{human_duration as ago, rfc3339, type_name};
use serde_json::Value;

pub static EXPIRED: Rule = Rule {
    code: "T014",
    name: "token-expired",
    severity: Severity::Error,
    summary: "token past its `exp` (a warning within the 5 minutes of clock skew STS allows)",
};
pub static TIMESTAMP: Rule = Rule {
    code: "T015",
    name: "token-timestamp-invalid",
    severity: Severity::Error,
    summary: "`exp` missing, or `exp`/`iat`/`nbf` not an integer NumericDate",
};
pub static NOT_YET_VALID: Rule = Rule {
    code: "T016",
    name: "token-not-yet-valid",
    severity: Severity::Warning,
    summary: "token whose `nbf` or `iat` is in the future (clocks disagree, or the token is not valid yet)",
};
pub static EXPIRES_IN: Rule = Rule {
    code: "T017",
    name: "token-expires-in",
    severity: Severity::Info,
    summary: "when a valid token expires",
};

const P: &str = "WebIdentityToken";

/// An integer NumericDate, or what is wrong with the value.
fn numeric_date(v: &Value) -> Result<i64, String> {
    match v {
        Value::Number(n) => n.as_i64().ok_or_else(|| format!("{n}, not an integer")),
        Value::String(s) => Err(format!(
            "the string \"{}\", not a number",
            crate::diagnostic::shown(s)
        )),
        other => Err(format!("a JSON {}, not a number", type_name(other))),
    }
}

pub fn check(req: &Request, ctx: &Ctx, out: &mut Vec<Diagnostic>) {
    let Some((t, jws, claims)) = claims_of(req) else {
        return;
    };
    let span = t.span_of(jws.payload.range.clone());
    let now = ctx.now.timestamp();
    let now_s = rfc3339(now).unwrap_or_default();
    let when = |secs: i64| rfc3339(secs).unwrap_or_else(|| format!("{secs}"));
    let mut times = std::collections::HashMap::new();
    for claim in ["exp", "iat", "nbf"] {
        let Some(v) = claims.get(claim) else { continue };
        match numeric_date(v) {
            Ok(secs) if rfc3339(secs).is_some() => {
                times.insert(claim, secs);
            }
            Ok(secs) => out.push(TIMESTAMP.report(format!("the token's `{claim}` is {secs}, which is not a representable time (NumericDate is seconds since 1970)"))
                .at(span.clone(), format!("claim `{claim}`")).help("pass the provider's token as issued").param(P)),
            Err(what) => out.push(TIMESTAMP.report(format!("the token's `{claim}` is {what}: JWT times are whole seconds since 1970 (NumericDate), and STS answers `InvalidIdentityToken`"))
                .at(span.clone(), format!("claim `{claim}`"))
                .help("configure the identity provider to write times as integers, e.g. `\"exp\": 1795435800`").param(P)),
        }
    }
    if !claims.contains_key("exp") {
        out.push(TIMESTAMP.report("the token has no `exp` claim: an ID token must say when it expires, and STS answers `InvalidIdentityToken`")
            .at(span.clone(), "payload without exp")
            .help("pass an ID token from an OpenID Connect provider; every ID token has `exp`").param(P));
    }
    if let Some(&exp) = times.get("exp") {
        let late = now - exp;
        if late > SKEW {
            out.push(EXPIRED.report(format!("the token expired at {} ({} before {now_s}); STS allows 5 minutes of clock skew and answers `ExpiredTokenException: Token expired: current date/time {now_s} must be before the expiration date/time {}`", when(exp), ago(late), when(exp)))
                .at(span.clone(), format!("exp {}", when(exp)))
                .help("fetch a new token right before the call: ID tokens live minutes (read `$AWS_WEB_IDENTITY_TOKEN_FILE` when calling, do not copy its content into a script)").param(P));
        } else if late >= 0 {
            out.push(EXPIRED.report(format!("the token expired at {} ({} before {now_s}); STS still accepts it for {} of clock skew", when(exp), ago(late), ago(SKEW - late)))
                .at(span.clone(), format!("exp {}", when(exp)))
                .help("fetch a new token right before the call").severity(Severity::Warning).param(P));
        }
    }
    for claim in ["nbf", "iat"] {
        let Some(&secs) = times.get(claim) else {
            continue;
        };
        if secs - now > SKEW {
            let what = if claim == "nbf" {
                "is not valid before"
            } else {
                "says it was issued at"
            };
            out.push(NOT_YET_VALID.report(format!("the token {what} {} (`{claim}`), {} after {now_s}: STS may refuse it as not yet valid", when(secs), ago(secs - now)))
                .at(span.clone(), format!("claim `{claim}`"))
                .help("check the clocks of the machine that made the token and of this one (NTP); or wait until the token is valid").param(P));
        }
    }
    if let Some(&exp) = times.get("exp") {
        let left = exp - now;
        let valid_now = times.get("nbf").is_none_or(|nbf| nbf - now <= SKEW);
        if left > 0 && valid_now {
            let life = times
                .get("iat")
                .map(|iat| format!("; it was issued for {}", ago(exp - iat)))
                .unwrap_or_default();
            out.push(
                EXPIRES_IN
                    .report(format!(
                        "the token expires in {} (at {}){life}",
                        ago(left),
                        when(exp)
                    ))
                    .at(span.clone(), format!("exp {}", when(exp)))
                    .param(P),
            );
        }
    }
}

#[cfg(test)]
mod tests {
    use super::super::testing::run;
    use crate::model::token::b64url_encode as b64;

    // testing::run checks at 2026-11-23T12:00:00Z = 1795435200.
    fn times(t: &str) -> Vec<&'static str> {
        let c = format!(r#"{{"iss":"https://idp.example.com","sub":"s","aud":"a"{t}}}"#);
        run(&format!("aws sts assume-role-with-web-identity --role-arn arn:aws:iam::111122223333:role/ci --role-session-name s --web-identity-token eyJhbGciOiJSUzI1NiIsImtpZCI6ImsifQ.{}.c2ln", b64(c.as_bytes())))
            .into_iter().map(|d| d.rule.code).filter(|c| ["T014", "T015", "T016", "T017"].contains(c)).collect()
    }

    #[test]
    fn a_token_valid_now_passes_with_its_expiry_as_info() {
        assert_eq!(
            times(r#","exp":1795435800,"iat":1795435140,"nbf":1795435140"#),
            ["T017"]
        );
        // iat a little ahead (within the skew) is fine.
        assert_eq!(times(r#","exp":1795435800,"iat":1795435300"#), ["T017"]);
    }

    #[test]
    fn bad_times_fail() {
        assert_eq!(times(r#","exp":1795431600"#), ["T014"]);
        assert_eq!(times(r#","exp":1795435080"#), ["T014"]); // 2 minutes ago: warning
        assert_eq!(times(""), ["T015"]);
        assert_eq!(times(r#","exp":1795435800.5"#), ["T015"]);
        assert_eq!(times(r#","exp":"1795435800""#), ["T015"]);
        assert_eq!(times(r#","exp":1795435800,"iat":"now""#), ["T015", "T017"]);
        assert_eq!(times(r#","exp":1795442400,"nbf":1795438800"#), ["T016"]);
        assert_eq!(times(r#","exp":99999999999999"#), ["T015"]);
    }
}
