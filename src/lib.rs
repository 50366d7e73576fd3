//! stslint: an offline linter for `sts:AssumeRoleWithWebIdentity` requests.
//!
//! Data flows one way, one folder per stage (see `ARCHITECTURE.md`):
//! text → [`input`] (front ends: shell, AWS CLI arguments, request JSON, the role's files) →
//! [`model`] (requests, tokens, policies, the role's side) → [`rules`] (with [`eval`], the IAM
//! evaluation of trust policies) → [`diagnostic::Diagnostic`]s → [`output`] (a [`Report`] and its
//! renderers). [`mod@check`] runs the pipeline, [`config`] adjusts it. [`source`], [`json`],
//! [`diagnostic`], [`limits`] and [`redact`] are the foundations every stage may use.
//!
//! The library knows nothing of the command line or the terminal; `src/cli.rs` and `src/main.rs`
//! do.

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
    check, check_streaming, fuzzing, read_jwks, read_trust, Input, Options, STREAM_CHUNK,
};
pub use input::shell::quote::{argv_text, shell_quote};
pub use output::Report;
