//! The role's side, as read from what the user exported with read-only IAM calls (`aws iam
//! get-role`, a trust policy document, `aws iam get-open-id-connect-provider`); read by
//! `crate::input::trust`, evaluated by `crate::eval`.

use crate::model::policy::Policy;
use crate::source::{Span, Text};

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

impl Inputs {
    pub fn is_empty(&self) -> bool {
        self.roles.is_empty() && self.policies.is_empty() && self.providers.is_empty()
    }
}
