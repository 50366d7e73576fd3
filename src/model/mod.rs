pub mod arn;
pub mod issuers;
pub mod jwks;
pub mod policy;
pub mod request;
pub mod token;
pub mod trust;
