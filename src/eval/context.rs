//! The request context STS builds for `AssumeRoleWithWebIdentity`, as far as it is known offline:
//! the condition keys made from the token's claims, and the keys known only at call time.

use serde_json::Value;
use std::collections::HashMap;

/// What a condition key holds for this request.
#[derive(Debug, Clone, PartialEq)]
pub enum Lookup {
    Values(Vec<String>),
    /// The request cannot carry this key: a condition on it never matches (except IfExists,
    /// negated operators, `ForAllValues:` and `Null`).
    Absent,
    /// Known only when the call is made (the caller's IP address, VPC, region...).
    Unknown,
}

/// The request context STS builds for `AssumeRoleWithWebIdentity`, as far as it is known offline.
#[derive(Debug, Default)]
pub struct Context {
    /// The issuer URL without `https://`: the prefix of the token's condition keys.
    pub issuer: String,
    values: HashMap<String, Vec<String>>,
    /// Keys of the issuer's prefix that STS does not make from this token (custom claims).
    pub issuer_keys: Vec<String>,
    /// Whether the issuer's key list is known to be complete. For Google and CircleCI, AWS added
    /// claim keys in early 2026 whose names are not confirmed (rules/issuers.json), so another key
    /// of their prefix is unknown rather than absent.
    pub keys_complete: bool,
}

/// Keys whose value depends on how and from where the call is made.
const REQUEST_DEPENDENT: &[&str] = &[
    "aws:sourceip",
    "aws:sourcevpc",
    "aws:sourcevpce",
    "aws:vpcsourceip",
    "aws:useragent",
    "aws:referer",
    "aws:requestedregion",
    "aws:federatedprovider",
    "aws:calledvia",
    "aws:calledviafirst",
    "aws:calledvialast",
    "aws:viaawsservice",
];

fn claim_values(v: &Value) -> Vec<String> {
    match v {
        Value::String(s) => vec![s.clone()],
        Value::Array(a) => a.iter().flat_map(claim_values).collect(),
        Value::Bool(b) => vec![b.to_string()],
        Value::Number(n) => vec![n.to_string()],
        Value::Null => Vec::new(),
        other => vec![other.to_string()],
    }
}

impl Context {
    /// Builds the context from the token's claims, the session name and the time.
    pub fn new(
        claims: &serde_json::Map<String, Value>,
        session_name: Option<&str>,
        now: chrono::DateTime<chrono::Utc>,
    ) -> Context {
        let iss = claims.get("iss").and_then(Value::as_str).unwrap_or("");
        let sub = claims.get("sub").and_then(Value::as_str);
        let issuer = crate::model::issuers::provider_name(iss).to_string();
        let profile = crate::model::issuers::find(Some(iss), sub);
        let keys_complete =
            !profile.is_some_and(|p| matches!(p.profile.id.as_str(), "google" | "circleci"));
        let mut c = Context {
            issuer: issuer.clone(),
            keys_complete,
            ..Context::default()
        };
        let mut keys: Vec<String> = profile
            .map(|p| p.profile.condition_keys.clone())
            .unwrap_or_else(|| vec!["aud".into(), "sub".into()]);
        for extra in ["amr", "azp"] {
            if claims.contains_key(extra) && !keys.iter().any(|k| k == extra) {
                keys.push(extra.into());
            }
        }
        let google = profile.is_some_and(|p| p.profile.id == "google");
        for k in &keys {
            let v = match (google, k.as_str()) {
                (true, "aud") => claims.get("azp").or_else(|| claims.get("aud")),
                (true, "oaud") => claims.get("aud").filter(|_| claims.contains_key("azp")),
                _ => claims.get(k.as_str()),
            };
            if let Some(v) = v {
                c.set(&format!("{issuer}:{k}"), claim_values(v));
            }
        }
        c.issuer_keys = keys;
        if let Some(n) = session_name {
            c.set("sts:RoleSessionName", vec![n.to_string()]);
        }
        if let Some(tags) = claims.get(crate::limits::TAGS_CLAIM) {
            if let Some(pt) = tags.get("principal_tags").and_then(Value::as_object) {
                for (k, v) in pt {
                    c.set(&format!("aws:RequestTag/{k}"), claim_values(v));
                }
                c.set("aws:TagKeys", pt.keys().cloned().collect());
            }
            if let Some(t) = tags.get("transitive_tag_keys") {
                c.set("sts:TransitiveTagKeys", claim_values(t));
            }
        }
        if let Some(s) = claims.get(crate::limits::SOURCE_IDENTITY_CLAIM) {
            c.set("sts:SourceIdentity", claim_values(s));
        }
        c.set(
            "aws:CurrentTime",
            vec![now.to_rfc3339_opts(chrono::SecondsFormat::Secs, true)],
        );
        c.set("aws:EpochTime", vec![now.timestamp().to_string()]);
        c.set("aws:SecureTransport", vec!["true".into()]);
        c
    }

    fn set(&mut self, key: &str, values: Vec<String>) {
        self.values.insert(key.to_ascii_lowercase(), values);
    }

    /// What the key holds. Condition key names are case-insensitive in IAM.
    pub fn get(&self, key: &str) -> Lookup {
        let lower = key.to_ascii_lowercase();
        if let Some(v) = self.values.get(&lower) {
            return Lookup::Values(v.clone());
        }
        if REQUEST_DEPENDENT.contains(&lower.as_str())
            || (!self.keys_complete && self.is_unsupported_claim(key))
        {
            return Lookup::Unknown;
        }
        Lookup::Absent
    }

    /// Whether the key has the issuer's prefix but is not one STS makes from the token.
    pub fn is_unsupported_claim(&self, key: &str) -> bool {
        if self.issuer.is_empty() {
            return false;
        }
        let lower = key.to_ascii_lowercase();
        let prefix = format!("{}:", self.issuer.to_ascii_lowercase());
        lower
            .strip_prefix(&prefix)
            .is_some_and(|k| !self.issuer_keys.iter().any(|x| x.eq_ignore_ascii_case(k)))
    }
}
