//! One text, read by its front end into requests; each request's rules run, inline suppressions
//! apply, and the findings are sorted.

use super::finish::sort_findings;
use super::Options;
use crate::config::suppress;
use crate::diagnostic::Diagnostic;
use crate::input::awscli::{self, request_file};
use crate::input::kind::Kind;
use crate::input::load::{self, Loader};
use crate::input::{self, dockerfile, docs, jenkinsfile, makefile, shell, terraform, yaml};
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
        _ => {
            let mut windows = Vec::new();
            let mut documents = Vec::new();
            let lexed = match kind {
                Kind::Yaml => yaml::lex(text, id, false),
                Kind::Docs(markup) => {
                    let read = docs::read(text, id, markup);
                    documents = read.requests;
                    read.lexed
                }
                Kind::Dockerfile => dockerfile::lex(text, id),
                Kind::Jenkinsfile => jenkinsfile::lex(text, id),
                Kind::Terraform => terraform::lex(text, id),
                Kind::NotRead(language) => input::not_read(text, id, language),
                Kind::Makefile => {
                    let name = report.sources.get(id).name.clone();
                    windows = rules::windows_text::check(&name, text, id);
                    makefile::lex(text, id)
                }
                Kind::Shell | Kind::RequestJson => {
                    let name = report.sources.get(id).name.clone();
                    windows = rules::windows_text::check(&name, text, id);
                    shell::lex(text, id)
                }
            };
            // Where the shell cannot read the text as written (I001, and I012's folded `\`s).
            let broken: Vec<usize> = lexed
                .errors
                .iter()
                .filter(|d| matches!(d.rule.code, "I001" | "I012"))
                .flat_map(|d| d.primary.iter().chain(d.notes.iter().map(|(s, _)| s)))
                .map(|s| s.range.start)
                .collect();
            let mut loader = Loader::new(&mut report.sources, opts.cwd.clone()).shared(reads);
            if origin != Origin::Argv {
                loader = loader.confined();
            }
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
            out.extend(documents.into_iter().map(|(req, diags)| (req, diags, true)));
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
            if !req.via.is_empty() {
                point_at_uses(&mut diags, &req, src);
            }
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
    // `# stslint: ignore[CODE]` comments in shell and YAML text (JSON has no comments).
    if kind != Kind::RequestJson && text.contains("stslint:") {
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

/// A finding inside a value a variable brought from elsewhere in the file points at where the
/// request uses the variable, and at the assignment as a second label.
fn point_at_uses(diags: &mut [Diagnostic], req: &Request, src: &source::SourceFile) {
    for d in diags {
        let Some(p) = d.primary.clone() else { continue };
        let inside_request = |v: &&source::Via| {
            v.at.source == req.span.source
                && req.span.range.start <= v.at.range.start
                && v.at.range.end <= req.span.range.end
        };
        let from_value = |v: &&source::Via| {
            p.source == v.set.source
                && !(v.at.range.start <= p.range.start && p.range.end <= v.at.range.end)
                && v.from
                    .iter()
                    .any(|r| r.start <= p.range.start && p.range.end <= r.end.max(r.start + 1))
        };
        let Some(v) = req.via.iter().filter(inside_request).find(from_value) else {
            continue;
        };
        let line = src.line_col(v.set.range.start).0;
        let done = if v.expr.starts_with("file://") {
            "written"
        } else {
            "set"
        };
        let label = std::mem::replace(
            &mut d.label,
            format!("`{}` is {done} on line {line}", v.expr),
        );
        d.primary = Some(v.at.clone());
        d.notes.insert(0, (p, label));
    }
}
