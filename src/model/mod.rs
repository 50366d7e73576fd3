//! What the rules read: a request with every parameter as spanned text ([`request`]), its token
//! decoded ([`token`], keys in [`jwks`]), its session policy as a spanned JSON tree ([`policy`]),
//! ARNs ([`arn`]), the issuer profiles ([`issuers`], data in `rules/issuers.json`) and the role's
//! side ([`trust`]). Built by the front ends in `crate::input`; knows nothing of where its text
//! came from. May import only the foundations (`source`, `json`, `diagnostic`, `limits`,
//! `redact`).

pub mod arn;
pub mod ci_variables;
pub mod issuers;
pub mod jwks;
pub mod placeholders;
pub mod policy;
pub mod request;
pub mod token;
pub mod token_variables;
pub mod trust;
