//! The role's side (`crate::model::trust::Inputs`) matched to one request, and the verdicts for
//! the actions the call needs.

use super::context::Context;
use super::statement::{evaluate, Caller, Verdict};
use crate::model::arn;
use crate::model::policy::Policy;
use crate::model::trust::{Inputs, ProviderDoc, RoleDoc};
use serde_json::Value;

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
    let (partition, account) = arn_source
        .as_deref()
        .and_then(|a| arn::partition_and_account(a).map(|(p, a)| (p.to_string(), a.to_string())))
        .unzip();
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
