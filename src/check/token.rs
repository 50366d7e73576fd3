//! `stslint token`: one token decoded and run through the token and trust checks, the same ones
//! `stslint check` runs on a request's token.

use super::Options;
use crate::model::request::{Origin, Param, Request};
use crate::output::inspect::{self, Inspection};
use crate::output::Report;
use crate::rules::{self, Ctx};
use crate::source::{SourceFile, Span, Text};

/// Decodes `value` (read from `name`) and runs the token checks on it.
pub fn inspect(name: &str, value: &str, opts: &Options) -> Inspection {
    let mut report = Report::default();
    let id = report.sources.add(SourceFile::new(name, value));
    let span = Span::new(id, 0..value.len());
    let mut req = Request::new(Origin::Argv, span.clone(), span.clone());
    req.web_identity_token = Some(Param {
        text: Text::verbatim(value, id, 0),
        name: span,
    });
    let jwks = match &opts.jwks {
        Some(path) => match super::read_jwks(path) {
            Ok(j) => Some(std::sync::Arc::new(j)),
            Err(e) => {
                report.input_errors.push(e);
                None
            }
        },
        None => None,
    };
    let trust = match super::read_trust(opts, &mut report.sources) {
        Ok(t) => t,
        Err(e) => {
            report.input_errors.push(e);
            None
        }
    };
    req.decode_token(jwks.as_deref());
    let ctx = Ctx {
        now: opts.now,
        jwks,
        trust,
    };
    let mut diags = rules::check_token(&req, &ctx);
    for d in &mut diags {
        d.request = Some(0);
    }
    let facts = inspect::facts(&req, value, opts.now.timestamp());
    report.diagnostics = diags;
    report.requests.push(req);
    report.files_checked = 1;
    super::finish(&mut report);
    Inspection { report, facts }
}
