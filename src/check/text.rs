//! One text, read by its front end into requests; each request's rules run, inline suppressions
//! apply, and the findings are sorted.

use super::finish::sort_findings;
use super::Options;
use crate::config::suppress;
use crate::diagnostic::Diagnostic;
use crate::input::awscli::{self, request_file};
use crate::input::kind::Kind;
use crate::input::load::{self, Loader};
use crate::input::shell;
use crate::model::request::{Origin, Request};
use crate::output::Report;
use crate::rules;
use crate::source;

#[allow(clippy::too_many_arguments)]
pub(super) fn check_text(
    report: &mut Report,
    id: source::SourceId,
    text: &str,
    kind: Kind,
    origin: Origin,
    opts: &Options,
    ctx: &rules::Ctx,
    reads: &load::Reads,
) {
    // (request, what reading it found, whether its rules run)
    let parsed: Vec<(Option<Request>, Vec<Diagnostic>, bool)> = match kind {
        Kind::RequestJson => {
            let (req, diags) = request_file::read(text, id);
            vec![(req, diags, true)]
        }
        Kind::Shell => {
            let lexed = shell::lex(text, id);
            let name = report.sources.get(id).name.clone();
            let windows = rules::windows_text::check(&name, text, id);
            let broken: Vec<usize> = lexed
                .errors
                .iter()
                .filter(|d| d.rule.code == "I001")
                .filter_map(|d| d.primary.as_ref().map(|s| s.range.start))
                .collect();
            let mut loader = Loader::new(&mut report.sources, opts.cwd.clone()).shared(reads);
            let mut out = vec![(None, lexed.errors, false), (None, windows, false)];
            for p in awscli::find_requests(&lexed.commands, origin, &mut loader) {
                // A command the shell cannot even read (I001) is not checked further: its words
                // are whatever the unterminated quote swallowed, and findings about them would mislead.
                let r = &p.request.span.range;
                if broken.iter().any(|&at| r.start <= at && at <= r.end) {
                    out.push((Some(p.request), Vec::new(), false));
                } else {
                    out.push((Some(p.request), p.diagnostics, true));
                }
            }
            out
        }
    };
    let mut found = Vec::new();
    let mut lines = Vec::new();
    for (req, mut diags, run_rules) in parsed {
        if let Some(mut req) = req {
            if run_rules {
                req.prepare(ctx.jwks.as_deref());
                diags.extend(rules::check_request(&req, ctx));
                req.compact();
            }
            let index = report.requests.len();
            for d in &mut diags {
                d.request = Some(index);
            }
            let src = report.sources.get(id);
            let first = src.line_col(req.span.range.start).0;
            let last = src
                .line_col(
                    req.span
                        .range
                        .end
                        .saturating_sub(1)
                        .max(req.span.range.start),
                )
                .0;
            lines.push((index, first, last));
            report.requests.push(req);
        }
        found.extend(diags);
    }
    // `# stslint: ignore[CODE]` comments in shell text (JSON has no comments).
    if kind == Kind::Shell && text.contains("stslint:") {
        let sups = suppress::find(report.sources.get(id), id);
        for (item, span) in suppress::apply(&sups, &lines, &mut found) {
            let known = rules::find(&item).is_some();
            found.push(
                rules::input::UNUSED_SUPPRESSION
                    .report(if known {
                        format!("`# stslint: ignore[{item}]` silences nothing: no {item} finding on the invocation it applies to (the next line, or the line it ends)")
                    } else {
                        format!("`# stslint: ignore[{item}]` names no rule; `stslint rules` lists the codes and names")
                    })
                    .at(span, if known { "unused" } else { "no such rule" })
                    .help("remove it, or put it on the line above the invocation (or at the end of its last line)"),
            );
        }
    }
    sort_findings(&mut found);
    report.diagnostics.extend(found);
}
