//! The IAM OIDC provider and the role, against the request: X006 oidc-provider-url, X007
//! oidc-provider-audience, X008 oidc-provider-thumbprint, X009 role-arn-mismatch, X010
//! role-max-session-duration. Run only with `--oidc-provider` / `--role`.

use super::Ctx;
use crate::diagnostic::{shown, Diagnostic, Rule, Severity};
use crate::eval::assess;
use crate::model::request::Request;
use serde_json::Value;

pub static PROVIDER_URL: Rule = Rule { code: "X006", name: "oidc-provider-url", severity: Severity::Error, summary: "no IAM OIDC provider given has the token's issuer as its URL (exactly: case, path, trailing slash)" };
pub static PROVIDER_AUDIENCE: Rule = Rule {
    code: "X007",
    name: "oidc-provider-audience",
    severity: Severity::Error,
    summary: "the IAM OIDC provider's client-ID list does not contain the token's audience",
};
pub static THUMBPRINT: Rule = Rule {
    code: "X008",
    name: "oidc-provider-thumbprint",
    severity: Severity::Warning,
    summary: "IAM OIDC provider thumbprint that is not 40 hex characters, or more than 5 of them",
};
pub static ROLE_ARN: Rule = Rule {
    code: "X009",
    name: "role-arn-mismatch",
    severity: Severity::Error,
    summary: "the request's RoleArn is not the role given with --role",
};
pub static MAX_SESSION: Rule = Rule {
    code: "X010",
    name: "role-max-session-duration",
    severity: Severity::Error,
    summary: "DurationSeconds above the role's MaxSessionDuration",
};

pub fn check(req: &Request, ctx: &Ctx, out: &mut Vec<Diagnostic>) {
    let Some(inputs) = &ctx.trust else { return };
    // The role, even without a decoded token.
    let role_arn = super::known(&req.role_arn);
    let role = match role_arn {
        Some(t) => inputs
            .roles
            .iter()
            .find(|r| r.arn.as_ref().is_some_and(|a| a.value == t.value)),
        None => None,
    };
    match (role_arn, role) {
        (Some(t), None) if inputs.roles.len() == 1 => {
            if let Some(other) = &inputs.roles[0].arn {
                out.push(ROLE_ARN.report(format!("the request assumes `{}`, but --role {} describes `{}`; the trust policy checked is that role's", shown(&t.value), inputs.roles[0].name, shown(&other.value)))
                    .at(t.content_span(), "RoleArn").help("give the get-role output of the role the request assumes, or fix the RoleArn").param("RoleArn"));
            }
        }
        (Some(t), None) if inputs.roles.len() > 1 => {
            out.push(ROLE_ARN.report(format!("none of the {} --role files describes `{}`; its trust policy is not checked", inputs.roles.len(), shown(&t.value)))
                .at(t.content_span(), "RoleArn").help("add `--role` with the output of `aws iam get-role --role-name NAME` for this role").severity(Severity::Warning).param("RoleArn"));
        }
        _ => {}
    }
    let role = role.or_else(|| (inputs.roles.len() == 1).then(|| &inputs.roles[0]));
    if let (Some(r), Some(d)) = (role, &req.duration_seconds) {
        if let (Some((max, max_span)), Some(secs)) = (&r.max_session, d.seconds) {
            if secs > *max
                && (crate::limits::DURATION_MIN..=crate::limits::DURATION_MAX).contains(&secs)
            {
                out.push(MAX_SESSION.report(format!("DurationSeconds is {secs}, above the role's MaxSessionDuration of {max} ({}); STS answers `ValidationError: The requested DurationSeconds exceeds the MaxSessionDuration set for this role.`", r.name))
                    .at(d.param.text.content_span(), "DurationSeconds").note(max_span.clone(), "MaxSessionDuration")
                    .help(format!("ask for at most {max} seconds, or raise the role's limit: `aws iam update-role --role-name NAME --max-session-duration {secs}`")).param("DurationSeconds"));
            }
        }
    }
    for p in &inputs.providers {
        let n = p.thumbprints.len();
        if n > 5 {
            if let Some(span) = &p.thumbprints_span {
                out.push(THUMBPRINT.report(format!("the IAM OIDC provider in {} lists {n} thumbprints; IAM allows at most 5", p.name)).at(span.clone(), "thumbprints").help("remove thumbprints of certificates no longer in use").param("WebIdentityToken"));
            }
        }
        for t in p
            .thumbprints
            .iter()
            .filter(|t| t.value.len() != 40 || !t.value.chars().all(|c| c.is_ascii_hexdigit()))
        {
            out.push(THUMBPRINT.report(format!("the thumbprint `{}` in {} is not 40 hex characters (a SHA-1 fingerprint)", shown(&t.value), p.name)).at(t.content_span(), "thumbprint").help("write the certificate's SHA-1 fingerprint without colons, e.g. `6938fd4d98bab03faadb97b34396831e3780aea1`").param("WebIdentityToken"));
        }
    }
    let Some(a) = assess(req, inputs, ctx.now) else {
        return;
    };
    if inputs.providers.is_empty() {
        return;
    }
    let Some(claims) = req.token.as_ref().and_then(|t| match &t.kind {
        crate::model::token::Kind::Jws(j) => j.claims(),
        _ => None,
    }) else {
        return;
    };
    let iss = claims.get("iss").and_then(Value::as_str).unwrap_or("");
    let host = crate::model::issuers::provider_name(iss);
    if crate::model::issuers::find(Some(iss), None).is_some_and(|p| p.profile.built_in) {
        return;
    }
    let Some(p) = a.provider else {
        // Several providers given, none for this issuer.
        out.push(PROVIDER_URL.report(format!("none of the {} IAM OIDC providers given has the URL `{}` of the token's issuer (they have {}); unless the account has another, STS answers `InvalidIdentityToken: No OpenIDConnect provider found in your account for {}`", inputs.providers.len(), shown(host), inputs.providers.iter().filter_map(|p| p.host_path()).map(|h| format!("`{}`", shown(h))).collect::<Vec<_>>().join(", "), shown(iss)))
            .at(inputs.providers[0].head.clone(), "providers given").help(format!("give the provider for this issuer, or create it: `aws iam create-open-id-connect-provider --url {}`", shown(iss))).param("WebIdentityToken"));
        return;
    };
    if p.host_path() != Some(host) {
        let have = p.host_path().unwrap_or("");
        let why = if have.eq_ignore_ascii_case(host) {
            " (they differ only in case)"
        } else if have.trim_end_matches('/') == host.trim_end_matches('/') {
            " (they differ in a trailing slash)"
        } else {
            ""
        };
        if let Some(url) = &p.url {
            out.push(PROVIDER_URL.report(format!("the IAM OIDC provider in {} has URL `{}`, but the token's issuer is `{}`{why}; STS looks the provider up by the exact issuer and answers `InvalidIdentityToken: No OpenIDConnect provider found in your account for {}`", p.name, shown(have), shown(iss), shown(iss)))
                .at(url.content_span(), "provider URL").help(format!("create the provider for the issuer exactly: `aws iam create-open-id-connect-provider --url {}`", shown(iss))).param("WebIdentityToken"));
        }
        return;
    }
    let auds: Vec<&str> = match claims.get("aud") {
        Some(Value::String(s)) => vec![s.as_str()],
        Some(Value::Array(v)) => v.iter().filter_map(Value::as_str).collect(),
        _ => Vec::new(),
    };
    if !auds.is_empty()
        && !auds
            .iter()
            .any(|a| p.client_ids.iter().any(|c| c.value == *a))
    {
        let span = p.client_ids_span.clone().unwrap_or(p.head.clone());
        out.push(PROVIDER_AUDIENCE.report(format!("the token's audience {} is not in the client-ID list of the IAM OIDC provider for {host} ({}); STS answers `InvalidIdentityToken: Incorrect token audience`", auds.iter().map(|a| format!("`{}`", shown(a))).collect::<Vec<_>>().join(", "), if p.client_ids.is_empty() { "it is empty".to_string() } else { p.client_ids.iter().map(|c| format!("`{}`", shown(&c.value))).collect::<Vec<_>>().join(", ") }))
            .at(span, "client IDs")
            .help(format!("add it: `aws iam add-client-id-to-open-id-connect-provider --open-id-connect-provider-arn {} --client-id {}`, or request the token with an audience the list has", p.arn.as_ref().map(|a| a.value.clone()).unwrap_or_else(|| a.caller.federated.clone()), shown(auds[0])))
            .param("WebIdentityToken"));
    }
}

#[cfg(test)]
mod tests {
    use crate::rules::testing::{codes_with_trust, github_role, with};

    const OK: &str = r#"{"StringEquals": {"token.actions.githubusercontent.com:aud": "sts.amazonaws.com", "token.actions.githubusercontent.com:sub": "repo:acme/app:ref:refs/heads/main"}}"#;
    const PROVIDER: &str = r#"{"Url": "token.actions.githubusercontent.com", "ClientIDList": ["sts.amazonaws.com"], "ThumbprintList": ["6938fd4d98bab03faadb97b34396831e3780aea1"]}"#;

    #[test]
    fn matching_role_and_provider_pass() {
        assert_eq!(
            codes_with_trust(
                &with("--duration-seconds 3600"),
                &github_role(OK, 3600),
                Some(PROVIDER)
            ),
            ["X003"]
        );
    }

    #[test]
    fn mismatches_fail() {
        let c = |extra: &str, role: String, provider: &str| {
            codes_with_trust(&with(extra), &role, Some(provider))
        };
        assert!(c(
            "",
            github_role(OK, 3600),
            &PROVIDER.replace("githubusercontent.com\"", "githubusercontent.com/\"")
        )
        .contains(&"X006"));
        assert!(c(
            "",
            github_role(OK, 3600),
            &PROVIDER.replace("[\"sts.amazonaws.com\"]", "[\"sigstore\"]")
        )
        .contains(&"X007"));
        assert!(c(
            "",
            github_role(OK, 3600),
            &PROVIDER.replace("6938fd4d", "69:38:fd")
        )
        .contains(&"X008"));
        assert!(c(
            "",
            github_role(OK, 3600).replace("role/ci", "role/other"),
            PROVIDER
        )
        .contains(&"X009"));
        assert!(c("--duration-seconds 7200", github_role(OK, 3600), PROVIDER).contains(&"X010"));
        // Two providers, neither for the issuer.
        let dir =
            std::env::temp_dir().join(format!("stslint-two-providers-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        let (a, b, r) = (dir.join("a.json"), dir.join("b.json"), dir.join("r.json"));
        std::fs::write(
            &a,
            PROVIDER.replace("token.actions.githubusercontent.com", "gitlab.com"),
        )
        .unwrap();
        std::fs::write(
            &b,
            PROVIDER.replace("token.actions.githubusercontent.com", "app.terraform.io"),
        )
        .unwrap();
        std::fs::write(&r, github_role(OK, 3600)).unwrap();
        let mut sources = crate::source::Sources::default();
        let inputs = crate::model::trust::Inputs::read(&[r], &[], &[a, b], &mut sources).unwrap();
        let _ = std::fs::remove_dir_all(&dir);
        let (mut req, _) = crate::rules::testing::parse(&with(""));
        req.prepare(None);
        let mut ctx = crate::rules::testing::ctx();
        ctx.trust = Some(std::sync::Arc::new(inputs));
        let mut out = Vec::new();
        super::check(&req, &ctx, &mut out);
        assert!(out.iter().any(|d| d.rule.code == "X006"), "{out:?}");
    }
}
