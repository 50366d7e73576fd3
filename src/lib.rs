//! stslint: an offline linter for `sts:AssumeRoleWithWebIdentity` requests.

pub mod check;
pub mod config;
pub mod diagnostic;
pub mod eval;
pub mod input;
pub mod json;
pub mod limits;
pub mod model;
pub mod output;
pub mod redact;
pub mod rules;
pub mod source;

pub use check::{
    argv_text, check, check_streaming, fuzzing, read_jwks, read_trust, shell_quote, Input, Options,
    Report, STREAM_CHUNK,
};
