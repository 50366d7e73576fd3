//! The IAM evaluation of a role's trust policy against a request and its token, with IAM's
//! condition semantics: the request context STS builds ([`context`]), one condition
//! ([`condition`]), a statement and a whole policy ([`statement`]), and the role's side matched to
//! one request ([`mod@assess`]). Pure: no clock (the time is an input), no file, no network. May import
//! `crate::model` and the foundations.

pub mod assess;
pub mod condition;
pub mod context;
pub mod statement;

pub use assess::{assess, Assessment};
pub use condition::{eval_condition, glob, Tri};
pub use context::{Context, Lookup};
pub use statement::{eval_statement, evaluate, Caller, CondResult, StmtResult, Verdict};
