//! What `stslint token` shows about one token, for a person at a terminal or a script: what STS
//! and IAM will make of it (issuer profile, IAM OIDC provider, condition keys, session tags),
//! beside the token findings `crate::check::token` adds. Never the token or its signature.

use crate::model::issuers;
use crate::model::request::Request;
use crate::model::token::{human_duration, rfc3339, Kind, SignatureCheck};
use crate::output::Report;
use crate::redact::sha256_hex;
use serde_json::{Map, Value};

/// A token looked at on its own.
#[derive(Debug)]
pub struct Inspection {
    /// One request holding only the token, and the findings about it.
    pub report: Report,
    pub facts: Facts,
}

/// What the token says, decoded. Never the token or its signature.
#[derive(Debug, Default)]
pub struct Facts {
    pub length: usize,
    pub sha256: String,
    /// `jws`, `jwe`, `access-token`, `foreign` or `unknown`.
    pub kind: &'static str,
    /// The kind in words.
    pub kind_text: String,
    pub header: Option<Map<String, Value>>,
    pub claims: Option<Map<String, Value>>,
    /// (claim, NumericDate, RFC 3339, "in 10 min" / "3 h ago") for exp, iat, nbf, auth_time.
    pub times: Vec<(String, i64, String, String)>,
    /// The recognised issuer profile: (id, name).
    pub profile: Option<(String, String)>,
    pub provider: Option<Provider>,
    /// Condition keys STS makes from this token, with their values.
    pub condition_keys: Vec<(String, Value)>,
    pub session_tags: Option<Value>,
    pub source_identity: Option<Value>,
    pub signature: Option<SignatureCheck>,
}

/// The IAM side of the issuer.
#[derive(Debug, Clone)]
pub struct Provider {
    /// The issuer URL without `https://`: condition-key prefix and the end of the provider ARN.
    pub name: String,
    /// `arn:aws:iam::ACCOUNT_ID:oidc-provider/NAME`, or `None` for a built-in provider.
    pub arn: Option<String>,
    /// What the trust policy's `Principal.Federated` names.
    pub federated: String,
}

/// The kind of a token as a stable word for JSON: `jws`, `jwe`, `access-token`, `foreign`, `unknown`.
pub fn kind_id(kind: &Kind) -> &'static str {
    match kind {
        Kind::Jws(_) => "jws",
        Kind::Jwe => "jwe",
        Kind::AccessToken(_) => "access-token",
        Kind::Foreign(_) => "foreign",
        Kind::Unknown(_) => "unknown",
    }
}

/// What the token in `req` (whose text is `value`) says, decoded, at `now` (seconds).
pub fn facts(req: &Request, value: &str, now: i64) -> Facts {
    let mut f = Facts {
        length: value.chars().count(),
        sha256: sha256_hex(value),
        ..Facts::default()
    };
    let Some(token) = &req.token else {
        return f;
    };
    f.signature = token.signature.clone();
    f.kind = kind_id(&token.kind);
    f.kind_text = match &token.kind {
        Kind::Jws(j) => format!(
            "signed JWT (JWS){}{}",
            j.alg().map(|a| format!(", {a}")).unwrap_or_default(),
            j.kid().map(|k| format!(", kid {k}")).unwrap_or_default()
        ),
        Kind::Jwe => "encrypted JWT (JWE), which STS cannot read".into(),
        Kind::AccessToken(a) => format!("{} (for ProviderId {})", a.name(), a.provider_id()),
        Kind::Foreign(x) => x.describe().to_string(),
        Kind::Unknown(why) => format!("not a JWT: {why}"),
    };
    let Kind::Jws(jws) = &token.kind else {
        return f;
    };
    f.header = jws.header().cloned();
    let Some(claims) = jws.claims() else {
        return f;
    };
    f.claims = Some(claims.clone());
    for claim in ["exp", "iat", "nbf", "auth_time"] {
        if let Some(secs) = claims.get(claim).and_then(Value::as_i64) {
            if let Some(t) = rfc3339(secs) {
                let d = secs - now;
                let rel = match d {
                    0 => "now".to_string(),
                    d if d > 0 => format!("in {}", human_duration(d)),
                    d => format!("{} ago", human_duration(d)),
                };
                f.times.push((claim.into(), secs, t, rel));
            }
        }
    }
    let iss = claims.get("iss").and_then(Value::as_str);
    let sub = claims.get("sub").and_then(Value::as_str);
    let profile = issuers::find(iss, sub);
    if let Some(p) = profile {
        f.profile = Some((p.profile.id.clone(), p.profile.name.clone()));
    }
    if let Some(iss) = iss {
        let name = issuers::provider_name(iss).to_string();
        let built_in = profile.is_some_and(|p| p.profile.built_in);
        f.provider = Some(Provider {
            arn: (!built_in).then(|| format!("arn:aws:iam::ACCOUNT_ID:oidc-provider/{name}")),
            federated: if built_in {
                name.clone()
            } else {
                format!("arn:aws:iam::ACCOUNT_ID:oidc-provider/{name}")
            },
            name: name.clone(),
        });
        let default = ["aud".to_string(), "sub".to_string()];
        let keys = profile
            .map(|p| p.profile.condition_keys.as_slice())
            .unwrap_or(&default);
        let google = profile.is_some_and(|p| p.profile.id == "google");
        for k in keys {
            // Google: `:aud` is the authorized party (`azp`) when the token has one, and the
            // original audience is `:oaud` (IAMUG reference_policies_iam-condition-keys).
            let v = match (google, k.as_str()) {
                (true, "aud") => claims.get("azp").or_else(|| claims.get("aud")),
                (true, "oaud") => claims.get("aud").filter(|_| claims.contains_key("azp")),
                _ => claims.get(k.as_str()),
            };
            if let Some(v) = v {
                f.condition_keys.push((format!("{name}:{k}"), v.clone()));
            }
        }
    }
    f.session_tags = claims.get(crate::limits::TAGS_CLAIM).cloned();
    f.source_identity = claims.get(crate::limits::SOURCE_IDENTITY_CLAIM).cloned();
    f
}
