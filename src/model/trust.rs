//! The role's side, read from what the user exported with read-only IAM calls
//! (`aws iam get-role`, a trust policy document, `aws iam get-open-id-connect-provider`), and the
//! evaluation of the role's trust policy against the request and its token, with IAM semantics.
//! Pure once read: no clock (the time is an input), no network.

use crate::json::{Json, Member, Node};
use crate::model::policy::{key_span, operator, strings, Policy, Statement};
use crate::source::{SourceFile, Sources, Span, Text};
use serde_json::Value;
use std::collections::HashMap;

/// Everything given with `--role`, `--trust-policy` and `--oidc-provider`.
#[derive(Debug, Default)]
pub struct Inputs {
    pub roles: Vec<RoleDoc>,
    pub policies: Vec<Policy>,
    pub providers: Vec<ProviderDoc>,
}

/// `aws iam get-role --role-name X`: `{"Role": {...}}`.
#[derive(Debug)]
pub struct RoleDoc {
    pub name: String,
    pub arn: Option<Text>,
    pub max_session: Option<(i64, Span)>,
    pub trust: Option<Policy>,
    pub head: Span,
}

/// `aws iam get-open-id-connect-provider`: `{"Url": ..., "ClientIDList": [...], "ThumbprintList": [...]}`.
#[derive(Debug)]
pub struct ProviderDoc {
    pub name: String,
    pub url: Option<Text>,
    pub client_ids: Vec<Text>,
    pub client_ids_span: Option<Span>,
    pub thumbprints: Vec<Text>,
    pub thumbprints_span: Option<Span>,
    /// The provider's ARN, when the file has one (`Arn` or `OpenIDConnectProviderArn`).
    pub arn: Option<Text>,
    pub head: Span,
}

impl ProviderDoc {
    /// The URL as IAM stores it: without `https://`.
    pub fn host_path(&self) -> Option<&str> {
        self.url
            .as_ref()
            .map(|u| u.value.strip_prefix("https://").unwrap_or(&u.value))
    }
}

fn member<'a>(members: &'a [Member], name: &str) -> Option<&'a Member> {
    members.iter().rev().find(|m| m.key.value == name)
}

fn read(
    path: &std::path::Path,
    sources: &mut Sources,
) -> Result<(crate::source::SourceId, Node), String> {
    let shown = path.display().to_string();
    let text = crate::input::load::read_text(path, crate::input::load::MAX_PARAM_FILE_BYTES)
        .map_err(|e| format!("{shown}: {e}"))?;
    let id = sources.add(SourceFile::new(
        shown.trim_start_matches("./"),
        text.clone(),
    ));
    let node = crate::json::parse(&text, id, 0)
        .map_err(|e| format!("{shown}: not JSON: {}", e.message))?;
    Ok((id, node))
}

impl Inputs {
    pub fn is_empty(&self) -> bool {
        self.roles.is_empty() && self.policies.is_empty() && self.providers.is_empty()
    }

    /// Reads the files; a file that cannot be read or is not of its kind is an input error (exit 2).
    pub fn read(
        roles: &[std::path::PathBuf],
        policies: &[std::path::PathBuf],
        providers: &[std::path::PathBuf],
        sources: &mut Sources,
    ) -> Result<Inputs, String> {
        let mut out = Inputs::default();
        for path in roles {
            let (id, node) = read(path, sources)?;
            let name = sources.get(id).name.clone();
            let role = node
                .members()
                .and_then(|m| member(m, "Role"))
                .map(|m| &m.value)
                .unwrap_or(&node);
            let Some(members) = role.members() else {
                return Err(format!(
                    "{name}: not the output of `aws iam get-role` (`{{\"Role\": {{...}}}}`)"
                ));
            };
            let arn = member(members, "Arn")
                .and_then(|m| m.value.as_str())
                .cloned();
            let max_session =
                member(members, "MaxSessionDuration").and_then(|m| match &m.value.value {
                    Json::Number(n) => n
                        .parse::<i64>()
                        .ok()
                        .map(|v| (v, Span::new(id, m.value.span.clone()))),
                    _ => None,
                });
            let trust = match member(members, "AssumeRolePolicyDocument") {
                None => None,
                Some(m) => Some(trust_document(&m.value, id, &name, sources)?),
            };
            if arn.is_none() && trust.is_none() {
                return Err(format!("{name}: has neither `Arn` nor `AssumeRolePolicyDocument`; give the output of `aws iam get-role --role-name NAME`"));
            }
            out.roles.push(RoleDoc {
                name,
                arn,
                max_session,
                trust,
                head: Span::new(id, role.span.start..role.span.start + 1),
            });
        }
        for path in policies {
            let (id, node) = read(path, sources)?;
            // Accept a bare policy, or a get-role document given here by mistake.
            let node = match node
                .members()
                .and_then(|m| member(m, "Role"))
                .and_then(|r| r.value.members())
                .and_then(|m| member(m, "AssumeRolePolicyDocument"))
            {
                Some(m) => {
                    let name = sources.get(id).name.clone();
                    out.policies
                        .push(trust_document(&m.value, id, &name, sources)?);
                    continue;
                }
                None => node,
            };
            out.policies.push(Policy {
                root: node,
                source: id,
            });
        }
        for path in providers {
            let (id, node) = read(path, sources)?;
            let name = sources.get(id).name.clone();
            let Some(members) = node.members() else {
                return Err(format!(
                    "{name}: not the output of `aws iam get-open-id-connect-provider`"
                ));
            };
            let list = |k: &str| -> (Vec<Text>, Option<Span>) {
                match member(members, k) {
                    Some(m) => (
                        strings(&m.value).into_iter().cloned().collect(),
                        Some(Span::new(id, m.value.span.clone())),
                    ),
                    None => (Vec::new(), None),
                }
            };
            let (client_ids, client_ids_span) = list("ClientIDList");
            let (thumbprints, thumbprints_span) = list("ThumbprintList");
            let url = member(members, "Url")
                .and_then(|m| m.value.as_str())
                .cloned();
            if url.is_none() {
                return Err(format!("{name}: has no `Url`; give the output of `aws iam get-open-id-connect-provider --open-id-connect-provider-arn ARN`"));
            }
            let arn = member(members, "OpenIDConnectProviderArn")
                .or_else(|| member(members, "Arn"))
                .and_then(|m| m.value.as_str())
                .cloned();
            out.providers.push(ProviderDoc {
                name,
                url,
                client_ids,
                client_ids_span,
                thumbprints,
                thumbprints_span,
                arn,
                head: Span::new(id, node.span.start..node.span.start + 1),
            });
        }
        Ok(out)
    }
}

/// `AssumeRolePolicyDocument` as `get-role` gives it: an object (the AWS CLI decodes it), a
/// URL-encoded string (the raw API), or a JSON string.
fn trust_document(
    v: &Node,
    id: crate::source::SourceId,
    name: &str,
    sources: &mut Sources,
) -> Result<Policy, String> {
    match &v.value {
        Json::Object(_) => Ok(Policy {
            root: v.clone(),
            source: id,
        }),
        Json::String(t) if t.value.trim_start().starts_with('{') => crate::json::parse_in(t)
            .map(|root| Policy { root, source: id })
            .map_err(|e| {
                format!(
                    "{name}: AssumeRolePolicyDocument is not JSON: {}",
                    e.message
                )
            }),
        Json::String(t) => {
            let decoded = percent_decode(&t.value).ok_or_else(|| {
                format!("{name}: AssumeRolePolicyDocument is neither JSON nor URL-encoded JSON")
            })?;
            let sid = sources.add(SourceFile::new(
                format!("{name} (AssumeRolePolicyDocument, URL-decoded)"),
                decoded.clone(),
            ));
            crate::json::parse(&decoded, sid, 0)
                .map(|root| Policy { root, source: sid })
                .map_err(|e| {
                    format!(
                        "{name}: the URL-decoded AssumeRolePolicyDocument is not JSON: {}",
                        e.message
                    )
                })
        }
        _ => Err(format!(
            "{name}: AssumeRolePolicyDocument is a JSON {}",
            v.type_name()
        )),
    }
}

/// Decodes `%XX` escapes (and `+` as a space, as IAM's form encoding writes it).
pub fn percent_decode(s: &str) -> Option<String> {
    let b = s.as_bytes();
    let mut out = Vec::with_capacity(b.len());
    let mut i = 0;
    while i < b.len() {
        match b[i] {
            b'%' => {
                let hex = s.get(i + 1..i + 3)?;
                out.push(u8::from_str_radix(hex, 16).ok()?);
                i += 3;
            }
            b'+' => {
                out.push(b' ');
                i += 1;
            }
            c => {
                out.push(c);
                i += 1;
            }
        }
    }
    String::from_utf8(out).ok()
}

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

/// Three-valued logic: a condition on a key known only at call time is `Unknown`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Tri {
    True,
    False,
    Unknown,
}

impl Tri {
    fn and(self, o: Tri) -> Tri {
        match (self, o) {
            (Tri::False, _) | (_, Tri::False) => Tri::False,
            (Tri::Unknown, _) | (_, Tri::Unknown) => Tri::Unknown,
            _ => Tri::True,
        }
    }
}

/// One condition (operator, key) and how it went.
#[derive(Debug, Clone)]
pub struct CondResult {
    pub operator: String,
    pub key: String,
    pub key_span: Span,
    pub expected: Vec<String>,
    pub actual: Lookup,
    pub result: Tri,
}

/// Why a statement does or does not apply.
#[derive(Debug, Clone)]
pub struct StmtResult {
    pub name: String,
    pub span: Span,
    pub effect_allow: bool,
    /// `Some(reason, span)` when the principal does not match.
    pub principal: Option<(String, Span)>,
    /// `Some(reason, span)` when the action is not covered.
    pub action: Option<(String, Span)>,
    pub conditions: Vec<CondResult>,
    pub result: Tri,
}

/// The caller as a trust policy's `Principal` sees it.
#[derive(Debug, Clone)]
pub struct Caller {
    /// `arn:PART:iam::ACCOUNT:oidc-provider/HOST/PATH`, or the built-in provider's name.
    pub federated: String,
    /// The account of the role, to explain a provider ARN in another account.
    pub account: Option<String>,
}

/// Glob match with `*` and `?`; case-insensitive when asked.
pub fn glob(pattern: &str, s: &str, ignore_case: bool) -> bool {
    let (p, t): (Vec<char>, Vec<char>) = if ignore_case {
        (
            pattern.to_lowercase().chars().collect(),
            s.to_lowercase().chars().collect(),
        )
    } else {
        (pattern.chars().collect(), s.chars().collect())
    };
    let (mut pi, mut ti, mut star, mut mark) = (0, 0, None, 0);
    while ti < t.len() {
        if pi < p.len() && (p[pi] == '?' || p[pi] == t[ti]) {
            pi += 1;
            ti += 1;
        } else if pi < p.len() && p[pi] == '*' {
            star = Some(pi);
            mark = ti;
            pi += 1;
        } else if let Some(s) = star {
            pi = s + 1;
            mark += 1;
            ti = mark;
        } else {
            return false;
        }
    }
    while pi < p.len() && p[pi] == '*' {
        pi += 1;
    }
    pi == p.len()
}

fn date(s: &str) -> Option<i64> {
    s.parse::<i64>()
        .ok()
        .or_else(|| {
            chrono::DateTime::parse_from_rfc3339(s)
                .ok()
                .map(|d| d.timestamp())
        })
        .or_else(|| {
            chrono::NaiveDate::parse_from_str(s, "%Y-%m-%d")
                .ok()
                .and_then(|d| d.and_hms_opt(0, 0, 0))
                .map(|d| d.and_utc().timestamp())
        })
}

fn ip_in(cidr: &str, ip: &str) -> bool {
    let (net, bits) = cidr
        .split_once('/')
        .map_or((cidr, None), |(a, b)| (a, b.parse::<u32>().ok()));
    match (
        net.parse::<std::net::IpAddr>(),
        ip.parse::<std::net::IpAddr>(),
    ) {
        (Ok(std::net::IpAddr::V4(n)), Ok(std::net::IpAddr::V4(a))) => {
            let b = bits.unwrap_or(32).min(32);
            let mask = if b == 0 { 0 } else { u32::MAX << (32 - b) };
            u32::from(n) & mask == u32::from(a) & mask
        }
        (Ok(std::net::IpAddr::V6(n)), Ok(std::net::IpAddr::V6(a))) => {
            let b = bits.unwrap_or(128).min(128);
            let mask = if b == 0 { 0 } else { u128::MAX << (128 - b) };
            u128::from(n) & mask == u128::from(a) & mask
        }
        _ => false,
    }
}

/// Whether one value matches one expected value, for the base operator (negation applied by the caller).
fn matches(base: &str, expected: &str, actual: &str) -> bool {
    match base {
        "StringEquals" | "StringNotEquals" => expected == actual,
        "StringEqualsIgnoreCase" | "StringNotEqualsIgnoreCase" => {
            expected.eq_ignore_ascii_case(actual)
        }
        "StringLike" | "StringNotLike" => glob(expected, actual, false),
        "ArnEquals" | "ArnNotEquals" | "ArnLike" | "ArnNotLike" => glob(expected, actual, false),
        "Bool" => expected.eq_ignore_ascii_case(actual),
        "BinaryEquals" => expected == actual,
        "IpAddress" | "NotIpAddress" => ip_in(expected, actual),
        b if b.starts_with("Numeric") => match (expected.parse::<f64>(), actual.parse::<f64>()) {
            (Ok(e), Ok(a)) => compare(b.trim_start_matches("Numeric"), a.partial_cmp(&e)),
            _ => false,
        },
        b if b.starts_with("Date") => match (date(expected), date(actual)) {
            (Some(e), Some(a)) => compare(b.trim_start_matches("Date"), Some(a.cmp(&e))),
            _ => false,
        },
        _ => false,
    }
}

fn compare(rel: &str, ord: Option<std::cmp::Ordering>) -> bool {
    use std::cmp::Ordering::*;
    matches!(
        (rel, ord),
        ("Equals" | "NotEquals", Some(Equal))
            | ("LessThan", Some(Less))
            | ("LessThanEquals", Some(Less | Equal))
            | ("GreaterThan", Some(Greater))
            | ("GreaterThanEquals", Some(Greater | Equal))
    )
}

fn negated(base: &str) -> bool {
    base.contains("Not") && base != "Null"
}

/// Evaluates one condition with IAM semantics.
pub fn eval_condition(op_name: &str, expected: &[String], actual: &Lookup) -> Tri {
    let op = operator(op_name);
    let Some(_) = op.kind else { return Tri::False };
    if op.base == "Null" {
        let want_absent = expected.iter().any(|e| e.eq_ignore_ascii_case("true"));
        return match actual {
            Lookup::Unknown => Tri::Unknown,
            Lookup::Absent => {
                if want_absent {
                    Tri::True
                } else {
                    Tri::False
                }
            }
            Lookup::Values(v) => {
                if want_absent == v.is_empty() {
                    Tri::True
                } else {
                    Tri::False
                }
            }
        };
    }
    let values = match actual {
        Lookup::Unknown => return Tri::Unknown,
        Lookup::Absent => {
            // A missing key: IfExists and negated operators match, ForAllValues matches (the empty
            // set is a subset of anything), everything else does not.
            let t = op.if_exists || negated(op.base) || op.qualifier == Some("ForAllValues");
            return if t { Tri::True } else { Tri::False };
        }
        Lookup::Values(v) => v,
    };
    let neg = negated(op.base);
    let one = |a: &str| {
        let hit = expected.iter().any(|e| matches(op.base, e, a));
        if neg {
            !hit
        } else {
            hit
        }
    };
    let r = match op.qualifier {
        Some("ForAllValues") => values.iter().all(|a| one(a)),
        Some("ForAnyValue") => values.iter().any(|a| one(a)),
        _ if neg => values.iter().all(|a| one(a)),
        _ => values.iter().any(|a| one(a)),
    };
    if r {
        Tri::True
    } else {
        Tri::False
    }
}

fn condition_values(n: &Node) -> Vec<String> {
    let one = |n: &Node| match &n.value {
        Json::String(t) => Some(t.value.clone()),
        Json::Number(s) => Some(s.clone()),
        Json::Bool(b) => Some(b.to_string()),
        _ => None,
    };
    match &n.value {
        Json::Array(items) => items.iter().filter_map(one).collect(),
        _ => one(n).into_iter().collect(),
    }
}

/// Evaluates a statement for `action` by `caller` in `ctx`.
pub fn eval_statement(
    policy: &Policy,
    s: &Statement<'_>,
    action: &str,
    caller: &Caller,
    ctx: &Context,
) -> StmtResult {
    let span = policy.span(&s.node.span);
    let mut r = StmtResult {
        name: s.name(),
        span: span.clone(),
        effect_allow: s.effect() == Some("Allow"),
        principal: None,
        action: None,
        conditions: Vec::new(),
        result: Tri::True,
    };
    r.principal = principal_mismatch(policy, s, caller);
    r.action = match (s.get("Action"), s.get("NotAction")) {
        (Some(m), _)
            if !strings(&m.value)
                .iter()
                .any(|t| glob(&t.value, action, true)) =>
        {
            Some((
                format!(
                    "its Action ({}) does not include `{action}`",
                    strings(&m.value)
                        .iter()
                        .map(|t| format!("`{}`", t.value))
                        .collect::<Vec<_>>()
                        .join(", ")
                ),
                policy.span(&m.value.span),
            ))
        }
        (None, Some(m))
            if strings(&m.value)
                .iter()
                .any(|t| glob(&t.value, action, true)) =>
        {
            Some((
                format!("its NotAction excludes `{action}`"),
                policy.span(&m.value.span),
            ))
        }
        (None, None) => Some(("it has no Action".into(), span.clone())),
        _ => None,
    };
    if let Some(cond) = s.get("Condition").and_then(|c| c.value.members()) {
        // A JSON key written twice keeps only its last value, as IAM reads it (X015 reports it).
        let last =
            |ms: &[Member], i: usize| !ms[i + 1..].iter().any(|m| m.key.value == ms[i].key.value);
        for op in cond
            .iter()
            .enumerate()
            .filter(|(i, _)| last(cond, *i))
            .map(|(_, o)| o)
        {
            let Some(keys) = op.value.members() else {
                continue;
            };
            for k in keys
                .iter()
                .enumerate()
                .filter(|(j, _)| last(keys, *j))
                .map(|(_, k)| k)
            {
                let expected = condition_values(&k.value);
                let actual = ctx.get(&k.key.value);
                let result = eval_condition(&op.key.value, &expected, &actual);
                r.conditions.push(CondResult {
                    operator: op.key.value.clone(),
                    key: k.key.value.clone(),
                    key_span: key_span(k),
                    expected,
                    actual,
                    result,
                });
            }
        }
    }
    r.result = if r.principal.is_some() || r.action.is_some() {
        Tri::False
    } else {
        r.conditions
            .iter()
            .fold(Tri::True, |acc, c| acc.and(c.result))
    };
    r
}

fn principal_mismatch(
    policy: &Policy,
    s: &Statement<'_>,
    caller: &Caller,
) -> Option<(String, Span)> {
    let fits = |id: &str| id == "*" || id == caller.federated;
    if let Some(p) = s.get("Principal") {
        let span = policy.span(&p.value.span);
        if p.value.as_str().is_some_and(|t| t.value == "*") {
            return None;
        }
        let Some(members) = p.value.members() else {
            return Some(("its Principal is not an object".into(), span));
        };
        let federated: Vec<&Text> = members
            .iter()
            .filter(|m| m.key.value == "Federated")
            .flat_map(|m| strings(&m.value))
            .collect();
        if federated.iter().any(|t| fits(&t.value))
            || members
                .iter()
                .any(|m| m.key.value == "AWS" && strings(&m.value).iter().any(|t| t.value == "*"))
        {
            return None;
        }
        if federated.is_empty() {
            let kinds: Vec<&str> = members.iter().map(|m| m.key.value.as_str()).collect();
            return Some((
                format!(
                    "its Principal names {} principals, not `Federated`",
                    kinds.join("/")
                ),
                span,
            ));
        }
        let named = federated
            .iter()
            .map(|t| format!("`{}`", t.value))
            .collect::<Vec<_>>()
            .join(", ");
        // Explain the near misses: another account, case, a slash.
        let why = federated
            .iter()
            .find_map(|t| {
                let v = &t.value;
                if v.eq_ignore_ascii_case(&caller.federated) {
                    Some(" (it differs only in case; IAM compares exactly)".to_string())
                } else if v.trim_end_matches('/') == caller.federated.trim_end_matches('/') {
                    Some(" (it differs in a trailing slash; IAM compares exactly)".to_string())
                } else {
                    let acct = v.split(':').nth(4)?;
                    let tail = v.rsplit_once(":oidc-provider/").map(|(_, t)| t)?;
                    let mine = caller
                        .federated
                        .rsplit_once(":oidc-provider/")
                        .map(|(_, t)| t)?;
                    (tail == mine && Some(acct) != caller.account.as_deref()).then(|| {
                        format!(
                            " (that is a provider in account {acct}; the role's account is {})",
                            caller.account.as_deref().unwrap_or("?")
                        )
                    })
                }
            })
            .unwrap_or_default();
        return Some((
            format!(
                "its Principal names {named}, not `{}`{why}",
                caller.federated
            ),
            span,
        ));
    }
    if let Some(np) = s.get("NotPrincipal") {
        let listed = np
            .value
            .members()
            .into_iter()
            .flatten()
            .filter(|m| m.key.value == "Federated")
            .flat_map(|m| strings(&m.value))
            .any(|t| t.value == caller.federated);
        if listed {
            return Some((
                "its NotPrincipal lists the caller".into(),
                policy.span(&np.value.span),
            ));
        }
        return None;
    }
    Some(("it has no Principal".into(), policy.span(&s.node.span)))
}

/// The outcome for one action.
#[derive(Debug, Clone)]
pub struct Verdict {
    pub action: String,
    pub statements: Vec<StmtResult>,
    /// `True`: allowed; `False`: denied; `Unknown`: depends on what is only known at call time.
    pub allowed: Tri,
    /// The Deny statement that matched, if any.
    pub denied_by: Option<usize>,
    /// The Allow statement that matched, if any.
    pub allowed_by: Option<usize>,
}

/// Evaluates the trust policy for one action: an explicit Deny wins, else an Allow is needed.
pub fn evaluate(policy: &Policy, action: &str, caller: &Caller, ctx: &Context) -> Verdict {
    let statements: Vec<StmtResult> = policy
        .statements()
        .iter()
        .map(|s| eval_statement(policy, s, action, caller, ctx))
        .collect();
    let denied_by = statements
        .iter()
        .position(|s| !s.effect_allow && s.result == Tri::True);
    let allowed_by = statements
        .iter()
        .position(|s| s.effect_allow && s.result == Tri::True);
    let deny_unknown = statements
        .iter()
        .any(|s| !s.effect_allow && s.result == Tri::Unknown);
    let allow_unknown = statements
        .iter()
        .any(|s| s.effect_allow && s.result == Tri::Unknown);
    let allowed = if denied_by.is_some() {
        Tri::False
    } else if allowed_by.is_some() {
        if deny_unknown {
            Tri::Unknown
        } else {
            Tri::True
        }
    } else if allow_unknown {
        Tri::Unknown
    } else {
        Tri::False
    };
    Verdict {
        action: action.into(),
        statements,
        allowed,
        denied_by,
        allowed_by,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn vals(v: &[&str]) -> Lookup {
        Lookup::Values(v.iter().map(|s| s.to_string()).collect())
    }
    fn ev(op: &str, expected: &[&str], actual: Lookup) -> Tri {
        eval_condition(
            op,
            &expected.iter().map(|s| s.to_string()).collect::<Vec<_>>(),
            &actual,
        )
    }

    #[test]
    fn globs_match_like_iam() {
        assert!(glob(
            "repo:acme/*:ref:refs/heads/main",
            "repo:acme/app:ref:refs/heads/main",
            false
        ));
        assert!(!glob(
            "repo:acme/app:ref:refs/heads/main",
            "repo:acme/app:pull_request",
            false
        ));
        assert!(glob("a?c", "abc", false) && !glob("a?c", "abbc", false));
        assert!(glob("STS:Assume*", "sts:AssumeRoleWithWebIdentity", true));
        assert!(!glob("Repo:*", "repo:x", false));
    }

    #[test]
    fn conditions_follow_iam_semantics() {
        use Tri::*;
        assert_eq!(ev("StringEquals", &["a", "b"], vals(&["b"])), True);
        assert_eq!(ev("StringEquals", &["a"], vals(&["A"])), False);
        assert_eq!(ev("StringEqualsIgnoreCase", &["a"], vals(&["A"])), True);
        assert_eq!(
            ev(
                "StringLike",
                &["repo:acme/*"],
                vals(&["repo:acme/app:pull_request"])
            ),
            True
        );
        assert_eq!(ev("StringNotEquals", &["a"], vals(&["b"])), True);
        // Missing keys.
        assert_eq!(ev("StringEquals", &["a"], Lookup::Absent), False);
        assert_eq!(ev("StringEqualsIfExists", &["a"], Lookup::Absent), True);
        assert_eq!(ev("StringNotEquals", &["a"], Lookup::Absent), True);
        assert_eq!(
            ev("ForAllValues:StringEquals", &["a"], Lookup::Absent),
            True
        );
        assert_eq!(
            ev("ForAnyValue:StringEquals", &["a"], Lookup::Absent),
            False
        );
        assert_eq!(ev("Null", &["true"], Lookup::Absent), True);
        assert_eq!(ev("Null", &["false"], vals(&["x"])), True);
        // Sets.
        assert_eq!(
            ev(
                "ForAnyValue:StringLike",
                &["authenticated"],
                vals(&["authenticated", "cognito-idp.x"])
            ),
            True
        );
        assert_eq!(
            ev("ForAllValues:StringEquals", &["a", "b"], vals(&["a", "c"])),
            False
        );
        // Unknown offline.
        assert_eq!(ev("IpAddress", &["10.0.0.0/8"], Lookup::Unknown), Unknown);
        assert_eq!(ev("IpAddress", &["10.0.0.0/8"], vals(&["10.1.2.3"])), True);
        assert_eq!(ev("NumericLessThan", &["10"], vals(&["9"])), True);
        assert_eq!(
            ev(
                "DateLessThan",
                &["2027-01-01T00:00:00Z"],
                vals(&["2026-11-23T12:00:00Z"])
            ),
            True
        );
        assert_eq!(ev("Bool", &["true"], vals(&["true"])), True);
    }

    #[test]
    fn url_encoded_documents_decode() {
        assert_eq!(
            percent_decode("%7B%22a%22%3A+1%7D").as_deref(),
            Some("{\"a\": 1}")
        );
        assert_eq!(percent_decode("%zz"), None);
    }
}

/// The role's side matched to one request, and the verdicts for the actions the call needs.
#[derive(Debug)]
pub struct Assessment<'a> {
    pub policy: Option<&'a Policy>,
    pub role: Option<&'a RoleDoc>,
    pub provider: Option<&'a ProviderDoc>,
    pub caller: Caller,
    pub ctx: Context,
    /// `sts:AssumeRoleWithWebIdentity`, then `sts:TagSession` / `sts:SetSourceIdentity` when the
    /// token carries session tags / a source identity.
    pub verdicts: Vec<Verdict>,
}

/// `arn:PARTITION:...:ACCOUNT:...` → (partition, account).
fn arn_parts(arn: &str) -> Option<(String, String)> {
    let p: Vec<&str> = arn.splitn(6, ':').collect();
    (p.len() == 6 && p[0] == "arn").then(|| (p[1].to_string(), p[4].to_string()))
}

/// Matches the inputs to a request and evaluates its trust policy. `None` without inputs or
/// without a decoded token.
pub fn assess<'a>(
    req: &crate::model::request::Request,
    inputs: &'a Inputs,
    now: chrono::DateTime<chrono::Utc>,
) -> Option<Assessment<'a>> {
    let token = req.token.as_ref()?;
    let crate::model::token::Kind::Jws(jws) = &token.kind else {
        return None;
    };
    let claims = jws.claims()?;
    let role_arn = req
        .role_arn
        .as_ref()
        .map(|p| &p.text)
        .filter(|t| t.is_static())
        .map(|t| t.value.as_str());
    let role = match role_arn {
        Some(arn) => inputs
            .roles
            .iter()
            .find(|r| r.arn.as_ref().is_some_and(|a| a.value == arn)),
        None => None,
    }
    .or_else(|| (inputs.roles.len() == 1).then(|| &inputs.roles[0]));
    let iss = claims.get("iss").and_then(Value::as_str).unwrap_or("");
    let host = crate::model::issuers::provider_name(iss);
    let policy = role.and_then(|r| r.trust.as_ref()).or_else(|| {
        let mentions = |p: &&Policy| {
            crate::json::strings_anywhere(&p.root)
                .iter()
                .any(|t| t.value.ends_with(&format!("oidc-provider/{host}")) || t.value == host)
        };
        inputs
            .policies
            .iter()
            .find(mentions)
            .or(inputs.policies.first())
    });
    let provider = inputs
        .providers
        .iter()
        .find(|p| p.host_path() == Some(host))
        .or_else(|| (inputs.providers.len() == 1).then(|| &inputs.providers[0]));
    let arn_source = role_arn
        .map(str::to_string)
        .or_else(|| role.and_then(|r| r.arn.as_ref()).map(|a| a.value.clone()))
        .or_else(|| {
            provider
                .and_then(|p| p.arn.as_ref())
                .map(|a| a.value.clone())
        });
    let (partition, account) = arn_source.as_deref().and_then(arn_parts).unzip();
    let sub = claims.get("sub").and_then(Value::as_str);
    let built_in = crate::model::issuers::find(Some(iss), sub).is_some_and(|p| p.profile.built_in);
    let provider_id = req
        .provider_id
        .as_ref()
        .map(|p| &p.text)
        .filter(|t| t.is_static())
        .map(|t| t.value.clone());
    let federated = match (provider_id, built_in) {
        (Some(p), _) => p,
        (None, true) => host.to_string(),
        (None, false) => format!(
            "arn:{}:iam::{}:oidc-provider/{host}",
            partition.as_deref().unwrap_or("aws"),
            account.as_deref().unwrap_or("ACCOUNT_ID")
        ),
    };
    let caller = Caller { federated, account };
    let session = req
        .role_session_name
        .as_ref()
        .map(|p| &p.text)
        .filter(|t| t.is_static())
        .map(|t| t.value.as_str());
    let ctx = Context::new(claims, session, now);
    let mut actions = vec!["sts:AssumeRoleWithWebIdentity"];
    if claims
        .get(crate::limits::TAGS_CLAIM)
        .and_then(|t| t.get("principal_tags"))
        .and_then(Value::as_object)
        .is_some_and(|m| !m.is_empty())
    {
        actions.push("sts:TagSession");
    }
    if claims.contains_key(crate::limits::SOURCE_IDENTITY_CLAIM) {
        actions.push("sts:SetSourceIdentity");
    }
    let verdicts = match policy {
        Some(p) => actions
            .iter()
            .map(|a| evaluate(p, a, &caller, &ctx))
            .collect(),
        None => Vec::new(),
    };
    Some(Assessment {
        policy,
        role,
        provider,
        caller,
        ctx,
        verdicts,
    })
}
