//! The rule registry: every rule stslint has, and the checks that run on each request.
//!
//! Each check is a pure function of a [`Request`] and a [`Ctx`]; it reports [`Diagnostic`]s and
//! never reads files or the clock. Rules reported by the front ends while reading input are
//! declared in [`crate::input::findings`], and those of the pipeline around the checks in [`input`];
//! [`all`] lists them with the rest. May import `crate::eval`, `crate::model`, the foundations,
//! and from `crate::input` only the declarations in `findings` (and front ends in tests).

use crate::diagnostic::{Diagnostic, Rule};
use crate::input::findings;
use crate::model::request::{Param, Request};
use crate::source::Text;

pub mod duration;
pub mod input;
pub mod missing_required;
pub mod placeholder;
pub mod policy_arns;
pub mod policy_basics;
pub mod policy_elements;
pub mod policy_grammar;
pub mod policy_session;
pub mod provider_id;
pub mod role_arn;
pub mod session_name;
pub mod token_basics;
pub mod token_header;
pub mod token_identity;
pub mod token_kind;
pub mod token_profile;
pub mod token_signature;
pub mod token_source;
pub mod token_tags;
pub mod token_times;
pub mod trust_hygiene;
pub mod trust_inputs;
pub mod trust_token_variable;
pub mod trust_verdict;
pub mod windows_text;

/// What checks may know besides the request.
#[derive(Debug, Clone)]
pub struct Ctx {
    /// The time to check against (`--now`, else the clock at start).
    pub now: chrono::DateTime<chrono::Utc>,
    /// Keys to check token signatures with (`--jwks`).
    pub jwks: Option<std::sync::Arc<crate::model::jwks::Jwks>>,
    /// The role, trust policies and OIDC providers given (`--role`, `--trust-policy`, `--oidc-provider`).
    pub trust: Option<std::sync::Arc<crate::model::trust::Inputs>>,
}

/// A check: reads a request, reports findings.
pub type Check = fn(&Request, &Ctx, &mut Vec<Diagnostic>);

/// The checks of the request's own parameters that come before the token's.
const REQUEST_CHECKS: &[Check] = &[
    missing_required::check,
    role_arn::check,
    session_name::check,
];

/// The checks of the token, the only ones `stslint token` needs besides the trust checks.
pub const TOKEN_CHECKS: &[Check] = &[
    token_basics::check,
    token_kind::check,
    token_header::check,
    token_identity::check,
    token_times::check,
    token_profile::check,
    token_tags::check,
    token_signature::check,
    token_source::check,
];

/// The checks of the other parameters.
const PARAMETER_CHECKS: &[Check] = &[
    provider_id::check,
    policy_arns::check,
    policy_basics::check,
    policy_grammar::check,
    policy_session::check,
    policy_elements::check,
    duration::check,
    placeholder::check,
];

/// The checks against the role's side (`--role`, `--trust-policy`, `--oidc-provider`).
pub const TRUST_CHECKS: &[Check] = &[
    trust_verdict::check,
    trust_inputs::check,
    trust_hygiene::check,
    trust_token_variable::check,
];

/// Every check, in the order their findings are listed for one request.
pub const CHECKS: [&[Check]; 4] = [REQUEST_CHECKS, TOKEN_CHECKS, PARAMETER_CHECKS, TRUST_CHECKS];

/// Runs the token checks (and the trust checks) on a request holding only a token.
pub fn check_token(req: &Request, ctx: &Ctx) -> Vec<Diagnostic> {
    let mut out = Vec::new();
    for check in TOKEN_CHECKS.iter().chain(TRUST_CHECKS) {
        check(req, ctx, &mut out);
    }
    out
}

/// Every rule, sorted by code.
pub fn all() -> Vec<&'static Rule> {
    let mut v: Vec<&'static Rule> = vec![
        &findings::SHELL_SYNTAX,
        &findings::JSON_SYNTAX,
        &findings::FILE_UNREADABLE,
        &findings::FILEB_NOT_TEXT,
        &findings::VALUE_NOT_CHECKED,
        &input::UNUSED_SUPPRESSION,
        &input::CONFIG_INVALID,
        &windows_text::RULE,
        &findings::HEREDOC_UNTERMINATED,
        &findings::YAML_SYNTAX,
        &findings::SCRIPT_NOT_READ,
        &findings::YAML_FOLDED_CONTINUATION,
        &missing_required::RULE,
        &findings::UNKNOWN_PARAMETER,
        &findings::OTHER_OPERATION_PARAMETER,
        &findings::INVALID_TYPE,
        &findings::MISSING_VALUE,
        &findings::POLICY_ARNS_SYNTAX,
        &findings::REPEATED_PARAMETER,
        &findings::UNEXPECTED_ARGUMENT,
        &findings::AMBIGUOUS_OPTION,
        &findings::ABBREVIATED_OPTION,
        &findings::FILE_REFERENCE_NOT_READ,
        &placeholder::RULE,
        &role_arn::LENGTH,
        &role_arn::MALFORMED,
        &role_arn::NOT_A_ROLE,
        &role_arn::NAME,
        &session_name::LENGTH,
        &session_name::CHARACTERS,
        &token_basics::LENGTH,
        &token_basics::WHITESPACE,
        &token_basics::BEARER,
        &token_basics::URL_ENCODED,
        &token_basics::PATH,
        &token_kind::NOT_A_JWT,
        &token_kind::PART_MALFORMED,
        &token_kind::NEEDS_PROVIDER_ID,
        &token_header::ALGORITHM,
        &token_header::KID_MISSING,
        &token_identity::ISSUER,
        &token_identity::AUDIENCE,
        &token_identity::SUBJECT,
        &token_times::EXPIRED,
        &token_times::TIMESTAMP,
        &token_times::NOT_YET_VALID,
        &token_times::EXPIRES_IN,
        &token_profile::RULE,
        &token_tags::TAGS,
        &token_tags::SOURCE_IDENTITY,
        &token_tags::NEEDS_PERMISSION,
        &token_signature::RULE,
        &token_source::RULE,
        &findings::TOKEN_NOT_REQUESTED,
        &provider_id::INVALID,
        &provider_id::WITH_JWT,
        &policy_arns::TOO_MANY,
        &policy_arns::INVALID,
        &policy_arns::PARTITION,
        &policy_arns::DUPLICATE,
        &policy_basics::LENGTH,
        &policy_basics::CHARACTERS,
        &policy_basics::NOT_JSON,
        &policy_grammar::UNKNOWN_ELEMENT,
        &policy_grammar::VERSION,
        &policy_grammar::STATEMENT,
        &policy_grammar::SID,
        &policy_grammar::EFFECT,
        &policy_grammar::PAIR,
        &policy_grammar::VALUE_TYPE,
        &policy_grammar::DUPLICATE_KEY,
        &policy_session::PRINCIPAL,
        &policy_session::ALLOWS_EVERYTHING,
        &policy_session::DENY_ONLY,
        &policy_session::NOT_ACTION_ALLOW,
        &policy_elements::ACTION,
        &policy_elements::RESOURCE,
        &policy_elements::OPERATOR,
        &policy_elements::VALUE,
        &policy_elements::KEY,
        &duration::RANGE,
        &duration::ABOVE_DEFAULT_MAX,
        &trust_verdict::DENIED,
        &trust_verdict::NOT_MATCHING,
        &trust_verdict::ALLOWED,
        &trust_verdict::NEVER_PRESENT,
        &trust_verdict::DEPENDS,
        &trust_inputs::PROVIDER_URL,
        &trust_inputs::PROVIDER_AUDIENCE,
        &trust_inputs::THUMBPRINT,
        &trust_inputs::ROLE_ARN,
        &trust_inputs::MAX_SESSION,
        &trust_hygiene::NO_AUD,
        &trust_hygiene::NO_SUB,
        &trust_hygiene::SET_OPERATOR,
        &trust_hygiene::BROAD_SUB,
        &trust_hygiene::DUPLICATE_OPERATOR,
        &trust_token_variable::RULE,
    ];
    v.sort_by_key(|r| r.code);
    v
}

mod docs {
    include!(concat!(env!("OUT_DIR"), "/rule_docs.rs"));
}

/// The rule's documentation as shown to users (`stslint explain`, SARIF help): example tokens redacted.
pub fn doc_shown(code: &str) -> Option<String> {
    doc(code).map(crate::redact::redact_prose)
}

/// The rule's documentation (`rules/CODE-name.md`, embedded at build time).
pub fn doc(code: &str) -> Option<&'static str> {
    docs::DOCS
        .iter()
        .find(|(c, _)| c.eq_ignore_ascii_case(code))
        .map(|(_, d)| *d)
}

/// Looks a rule up by its code or name.
pub fn find(code_or_name: &str) -> Option<&'static Rule> {
    all()
        .into_iter()
        .find(|r| r.code.eq_ignore_ascii_case(code_or_name) || r.name == code_or_name)
}

/// Runs every check on one request.
pub fn check_request(req: &Request, ctx: &Ctx) -> Vec<Diagnostic> {
    let mut out = Vec::new();
    for check in CHECKS.iter().flat_map(|group| group.iter()) {
        check(req, ctx, &mut out);
    }
    out
}

/// The parameter's text when its whole value is known.
pub fn known(p: &Option<Param>) -> Option<&Text> {
    p.as_ref().map(|p| &p.text).filter(|t| t.is_static())
}

/// The role a request assumes among those given with `--role`: the one whose ARN it names, or
/// the only one.
pub fn named_role<'a>(
    req: &Request,
    inputs: &'a crate::model::trust::Inputs,
) -> Option<&'a crate::model::trust::RoleDoc> {
    let arn = known(&req.role_arn).map(|t| t.value.as_str());
    arn.and_then(|arn| {
        inputs
            .roles
            .iter()
            .find(|r| r.arn.as_ref().is_some_and(|a| a.value == arn))
    })
    .or_else(|| (inputs.roles.len() == 1).then(|| &inputs.roles[0]))
}

/// The token's text and its decoding, when the whole value is known and the basic checks (length,
/// a path instead of a token) leave something worth decoding.
pub fn token_text(req: &Request) -> Option<(&Text, &crate::model::token::Token)> {
    let t = known(&req.web_identity_token)?;
    let token = req.token.as_ref()?;
    token.plausible.then_some((t, token))
}

/// The token as a JWS, when it is one.
pub fn token_jws(req: &Request) -> Option<(&Text, &crate::model::token::Jws)> {
    let (t, token) = token_text(req)?;
    match &token.kind {
        crate::model::token::Kind::Jws(jws) => Some((t, jws)),
        _ => None,
    }
}

/// The token's claims, when it is a JWS whose header and payload decode.
pub fn claims_of(
    req: &Request,
) -> Option<(
    &Text,
    &crate::model::token::Jws,
    &serde_json::Map<String, serde_json::Value>,
)> {
    let (t, jws) = token_jws(req)?;
    jws.header()?;
    Some((t, jws, jws.claims()?))
}

/// Count of characters, as AWS counts lengths.
pub fn chars(s: &str) -> usize {
    s.chars().count()
}

#[cfg(test)]
pub mod testing {
    //! Builds requests from shell text for rule tests.
    use super::*;
    use crate::input::load::Loader;
    use crate::model::request::Origin;
    use crate::source::{SourceFile, Sources};

    /// The diagnostics (codes) of every check on the one request in `script`, leaving out
    /// T017, the expiry note every valid token gets.
    pub fn codes(script: &str) -> Vec<&'static str> {
        run(script)
            .into_iter()
            .map(|d| d.rule.code)
            .filter(|c| *c != "T017")
            .collect()
    }

    /// The codes for `script` checked with a role (`get-role` JSON) and, optionally, an OIDC
    /// provider (`get-open-id-connect-provider` JSON), written to temporary files.
    pub fn codes_with_trust(script: &str, role: &str, provider: Option<&str>) -> Vec<&'static str> {
        all_codes_with_trust(script, role, provider)
            .into_iter()
            .filter(|c| c.starts_with('X'))
            .collect()
    }

    /// Like [`codes_with_trust`], every code (T017 left out).
    pub fn all_codes_with_trust(
        script: &str,
        role: &str,
        provider: Option<&str>,
    ) -> Vec<&'static str> {
        use std::sync::atomic::{AtomicUsize, Ordering};
        static N: AtomicUsize = AtomicUsize::new(0);
        let dir = std::env::temp_dir().join(format!(
            "stslint-trust-{}-{}",
            std::process::id(),
            N.fetch_add(1, Ordering::SeqCst)
        ));
        std::fs::create_dir_all(&dir).unwrap();
        let role_path = dir.join("role.json");
        std::fs::write(&role_path, role).unwrap();
        let mut providers = Vec::new();
        if let Some(p) = provider {
            let pp = dir.join("provider.json");
            std::fs::write(&pp, p).unwrap();
            providers.push(pp);
        }
        let mut sources = Sources::default();
        let id = sources.add(SourceFile::new("test.sh", script));
        let inputs =
            crate::model::trust::Inputs::read(&[role_path], &[], &providers, &mut sources).unwrap();
        let lexed = crate::input::shell::lex(script, id);
        let mut loader = Loader::new(&mut sources, std::env::current_dir().unwrap());
        let mut found =
            crate::input::awscli::find_requests(&lexed.commands, Origin::Shell, &mut loader);
        let mut req = found.remove(0).request;
        req.prepare(None);
        let mut c = ctx();
        c.trust = Some(std::sync::Arc::new(inputs));
        let _ = std::fs::remove_dir_all(&dir);
        check_request(&req, &c)
            .into_iter()
            .map(|d| d.rule.code)
            .filter(|c| *c != "T017")
            .collect()
    }

    /// A get-role document for `arn:aws:iam::111122223333:role/ci` trusting GitHub Actions with
    /// these extra statement members (JSON text after `"Action": ...,`).
    pub fn github_role(condition: &str, max_session: u32) -> String {
        format!(
            r#"{{"Role": {{"Arn": "arn:aws:iam::111122223333:role/ci", "MaxSessionDuration": {max_session}, "AssumeRolePolicyDocument": {{"Version": "2012-10-17", "Statement": [{{"Sid": "GitHub", "Effect": "Allow", "Principal": {{"Federated": "arn:aws:iam::111122223333:oidc-provider/token.actions.githubusercontent.com"}}, "Action": "sts:AssumeRoleWithWebIdentity", "Condition": {condition}}}]}}}}}}"#
        )
    }

    /// The policy codes (P...) for a valid request with `--policy 'POLICY'`.
    pub fn policy_codes(policy: &str) -> Vec<&'static str> {
        codes(&with(&format!("--policy '{policy}'")))
            .into_iter()
            .filter(|c| c.starts_with('P'))
            .collect()
    }

    /// A GitHub Actions token valid at [`ctx`]'s time (with a made-up signature).
    pub const TOKEN: &str = "eyJhbGciOiJSUzI1NiIsImtpZCI6ImsifQ.eyJpc3MiOiJodHRwczovL3Rva2VuLmFjdGlvbnMuZ2l0aHVidXNlcmNvbnRlbnQuY29tIiwic3ViIjoicmVwbzphY21lL2FwcDpyZWY6cmVmcy9oZWFkcy9tYWluIiwiYXVkIjoic3RzLmFtYXpvbmF3cy5jb20iLCJyZXBvc2l0b3J5IjoiYWNtZS9hcHAiLCJyZXBvc2l0b3J5X293bmVyIjoiYWNtZSIsInJlZiI6InJlZnMvaGVhZHMvbWFpbiIsImlhdCI6MTc5NTQzNTE0MCwiZXhwIjoxNzk1NDM1ODAwfQ.c2ln";

    /// The context rule tests run in: 2026-11-23T12:00:00Z, no JWKS.
    pub fn ctx() -> Ctx {
        Ctx {
            now: chrono::DateTime::parse_from_rfc3339("2026-11-23T12:00:00Z")
                .unwrap()
                .into(),
            jwks: None,
            trust: None,
        }
    }

    /// The diagnostics of every check on the one request in `script`.
    pub fn run(script: &str) -> Vec<Diagnostic> {
        let (mut req, mut diags) = parse(script);
        req.prepare(None);
        let ctx = ctx();
        diags.extend(check_request(&req, &ctx));
        diags
    }

    /// Parses `script`, which must hold exactly one invocation.
    pub fn request(script: &str) -> Request {
        parse(script).0
    }

    /// The request in `script` and what reading it found.
    pub fn parse(script: &str) -> (Request, Vec<Diagnostic>) {
        let mut sources = Sources::default();
        let id = sources.add(SourceFile::new("test.sh", script));
        let lexed = crate::input::shell::lex(script, id);
        assert!(lexed.errors.is_empty(), "{:?}", lexed.errors);
        let mut loader = Loader::new(&mut sources, std::env::current_dir().unwrap());
        let mut found =
            crate::input::awscli::find_requests(&lexed.commands, Origin::Shell, &mut loader);
        assert_eq!(found.len(), 1, "one invocation in {script}");
        let p = found.remove(0);
        (p.request, p.diagnostics)
    }

    /// A valid invocation with `extra` options appended; `token` replaces the token.
    pub fn with(extra: &str) -> String {
        format!("aws sts assume-role-with-web-identity --role-arn arn:aws:iam::111122223333:role/ci --role-session-name ci-run --web-identity-token {TOKEN} {extra}")
    }
}
