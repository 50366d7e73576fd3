//! What a run found ([`Report`]) and every way of showing it: human text ([`render`]), JSON ([`json`]),
//! SARIF, GitHub annotations, short lines and JUnit ([`formats`]), what `stslint token` shows
//! ([`inspect`]), and baselines ([`baseline`]). Renderers return text or values; writing to the
//! terminal is the binary's. No token or signature is ever rendered (see `crate::redact`). May
//! import `crate::rules` (the catalogue, for SARIF), `crate::config`, `crate::eval`,
//! `crate::model` and the foundations.

pub mod baseline;
pub mod formats;
pub mod inspect;
pub mod json;
pub mod render;
pub mod report;

pub use report::Report;
