//! Renderers: human (miette's graphical reports, tokens redacted) and JSON (a stable schema).

use crate::diagnostic::{Diagnostic, Severity};
use crate::output::Report;
use crate::redact::{long_line_elisions, redact, Redacted};
use crate::source::SourceFile;
use crate::source::SourceId;
use miette::{GraphicalReportHandler, GraphicalTheme, LabeledSpan, MietteDiagnostic, SpanContents};
use serde_json::Value;
use std::collections::HashMap;
use std::sync::Arc;

/// The version of the JSON output schema; bumped only on incompatible changes.
pub const JSON_SCHEMA_VERSION: u32 = 1;

/// How to draw human output.
#[derive(Debug, Clone, Copy)]
pub struct HumanOptions {
    pub color: bool,
    pub width: usize,
}

/// The byte ranges in `source` that hold token values, for redaction. A leading `Bearer ` is not
/// part of the secret and stays visible, so the finding about it can be seen.
fn token_ranges(report: &Report, source: SourceId) -> Vec<std::ops::Range<usize>> {
    let mut out = Vec::new();
    for r in &report.requests {
        let Some(p) = &r.web_identity_token else {
            continue;
        };
        let t = &p.text;
        if t.source != source {
            continue;
        }
        let lead = t.value.len() - t.value.trim_start().len();
        let keep = if t.value[lead..]
            .get(..7)
            .is_some_and(|s| s.eq_ignore_ascii_case("bearer "))
        {
            lead + 7
        } else {
            0
        };
        for seg in &t.segs {
            if seg.val.end <= keep {
                continue;
            }
            if seg.val.start >= keep || seg.val.len() != seg.src.len() {
                out.push(seg.src.clone());
            } else {
                out.push(seg.src.start + (keep - seg.val.start)..seg.src.end);
            }
        }
    }
    out
}

/// A source as human output shows it: tokens redacted and long lines shortened, while line and
/// column numbers stay those of the original text.
#[derive(Clone)]
struct Shown(Arc<(SourceFile, Redacted)>, Option<(usize, usize)>);

impl miette::SourceCode for Shown {
    fn read_span<'a>(
        &'a self,
        span: &miette::SourceSpan,
        before: usize,
        after: usize,
    ) -> Result<Box<dyn miette::SpanContents<'a> + 'a>, miette::MietteError> {
        let (original, redacted) = &*self.0;
        // Only the lines around the span are handed to miette, which scans what it is given from
        // the start: a finding costs its context, not the file.
        let text = redacted.text.as_str();
        let (first_line, _) = redacted.line_of(span.offset().min(text.len()));
        let (last_line, _) = redacted.line_of((span.offset() + span.len()).min(text.len()));
        // A line more on each side than asked: miette also breaks lines at a lone `\r`.
        let from_line = first_line.saturating_sub(before + 1);
        let from = redacted.line_start(from_line);
        let to = redacted.line_start(last_line + after + 2).min(text.len());
        let local = miette::SourceSpan::new((span.offset() - from).into(), span.len());
        let window = &text[from..to];
        let part = window.read_span(&local, before, after)?;
        let inner = miette::MietteSpanContents::new(
            part.data(),
            miette::SourceSpan::new((part.span().offset() + from).into(), part.span().len()),
            part.line() + from_line,
            part.column(),
            // miette counts the lines it scanned from the start of what it was given.
            part.line_count() + from_line,
        );
        // Redaction keeps every newline, so lines agree; columns come from the original text.
        // The primary span may start inside a placeholder: its own original offset is known.
        let at = inner.span().offset();
        let old = match self.1 {
            Some((new, old)) if new == at => old,
            _ => redacted.unmap(at),
        };
        let column = match before {
            0 => original.line_col(old).1 - 1,
            _ => inner.column(),
        };
        Ok(Box::new(miette::MietteSpanContents::new_named(
            original.name.clone(),
            inner.data(),
            *inner.span(),
            inner.line(),
            column,
            inner.line_count(),
        )))
    }
}

/// Every span some finding shows in `source`.
fn shown_spans(report: &Report, source: SourceId, drawn: &[bool]) -> Vec<std::ops::Range<usize>> {
    let mut out = Vec::new();
    for (d, _) in report.diagnostics.iter().zip(drawn).filter(|(_, &x)| x) {
        out.extend(
            d.primary
                .iter()
                .chain(d.notes.iter().map(|(s, _)| s))
                .filter(|s| s.source == source)
                .map(|s| s.range.clone()),
        );
    }
    out
}

/// How many findings of one rule on one request (or file) human output draws; the rest are
/// counted in one line, so output stays bounded by the kinds of mistakes, not their number.
const FOLD_AFTER: usize = 3;

/// Which findings human output draws, and at which finding the count of the rest of its group
/// (rule, request or file) is said.
fn fold_repeats(report: &Report) -> (Vec<bool>, HashMap<usize, usize>) {
    // (rule, request, file) → (findings so far, the first one folded)
    type Group<'a> = (&'a str, Option<usize>, Option<SourceId>);
    let mut seen: HashMap<Group, (usize, usize)> = HashMap::new();
    let mut drawn = Vec::with_capacity(report.diagnostics.len());
    for (k, d) in report.diagnostics.iter().enumerate() {
        // A request's I005 notes fold into one of their own.
        if is_unknown_note(d) {
            drawn.push(true);
            continue;
        }
        let key = (d.rule.code, d.request, d.primary.as_ref().map(|p| p.source));
        let e = seen.entry(key).or_insert((0, k));
        e.0 += 1;
        if e.0 == FOLD_AFTER + 1 {
            e.1 = k;
        }
        drawn.push(e.0 <= FOLD_AFTER);
    }
    let folded = seen
        .into_values()
        .filter(|(n, _)| *n > FOLD_AFTER)
        .map(|(n, at)| (at, n - FOLD_AFTER))
        .collect();
    (drawn, folded)
}

/// The widest line (in bytes, once shortened) a finding that shares it with many others draws.
const MAX_SHARED_LINE: usize = 2_000;

/// The furthest column a label is drawn at (miette's own limit is 65,535).
const MAX_DRAWN_COLUMN: usize = 60_000;

/// How many findings on a long line shared with other findings get a view of the source cut
/// around their own spots alone (each costs a pass over the file).
const MAX_OWN_VIEWS: usize = 32;

/// The findings' spots per source, sorted (to count those on one line), and the own views left.
struct OwnViews<'a> {
    spots: HashMap<SourceId, Vec<usize>>,
    made: usize,
    /// Which findings are drawn (not folded into a count).
    drawn: &'a [bool],
}

/// A view of the source cut around `d`'s own spots, when its line is wider than the output and
/// other findings' spots on the same line would keep it wide in the shared view.
fn own_view(
    report: &Report,
    d: &Diagnostic,
    span: &crate::source::Span,
    width: usize,
    views: &mut OwnViews<'_>,
) -> Option<Arc<(crate::source::SourceFile, Redacted)>> {
    if views.made >= MAX_OWN_VIEWS {
        return None;
    }
    let src = report.sources.get(span.source);
    let text = &src.text;
    let at = span.range.start.min(text.len());
    let line_start = text[..at].rfind('\n').map_or(0, |i| i + 1);
    let line_end = text[at..].find('\n').map_or(text.len(), |i| at + i);
    let room = width
        .saturating_sub(GUTTER)
        .clamp(60, crate::redact::MAX_SHOWN_LINE);
    if line_end - line_start <= room || text[line_start..line_end].chars().count() <= room {
        return None;
    }
    let own: Vec<std::ops::Range<usize>> = d
        .primary
        .iter()
        .chain(d.notes.iter().map(|(s, _)| s))
        .filter(|s| s.source == span.source)
        .map(|s| s.range.clone())
        .collect();
    let spots = views.spots.entry(span.source).or_insert_with(|| {
        let mut v: Vec<usize> = shown_spans(report, span.source, views.drawn)
            .iter()
            .map(|r| r.start)
            .collect();
        v.sort_unstable();
        v
    });
    let on_line =
        spots.partition_point(|&p| p <= line_end) - spots.partition_point(|&p| p < line_start);
    let own_on_line = own
        .iter()
        .filter(|r| (line_start..=line_end).contains(&r.start))
        .count();
    if on_line <= own_on_line {
        return None;
    }
    views.made += 1;
    let redacted = redact(
        text,
        &token_ranges(report, span.source),
        &long_line_elisions(text, &own, width.saturating_sub(GUTTER)),
    );
    Some(Arc::new((src.clone(), redacted)))
}

/// Room miette's gutter (`NNN │ `) and margin take from a source line.
const GUTTER: usize = 10;

/// miette's rendering of every finding, then a summary line.
pub fn human(report: &Report, opts: HumanOptions) -> String {
    let mut out = human_findings(report, opts);
    out.push_str(&summary(report));
    out.push('\n');
    out
}

/// miette's rendering of every finding (a part of a streamed run: no summary line).
pub fn human_findings(report: &Report, opts: HumanOptions) -> String {
    let theme = if opts.color {
        GraphicalTheme::unicode()
    } else {
        GraphicalTheme::unicode_nocolor()
    };
    let handler = GraphicalReportHandler::new_themed(theme)
        .with_width(opts.width)
        .with_links(false)
        .with_break_words(false)
        .with_word_separator(textwrap::WordSeparator::AsciiSpace)
        .with_word_splitter(textwrap::WordSplitter::NoHyphenation);
    let (drawn, folded) = fold_repeats(report);
    let mut shown_sources: HashMap<SourceId, Shown> = HashMap::new();
    let mut own_views = OwnViews {
        spots: HashMap::new(),
        made: 0,
        drawn: &drawn,
    };
    let shown_of = |shown_sources: &mut HashMap<SourceId, Shown>, source: SourceId| {
        shown_sources
            .entry(source)
            .or_insert_with(|| {
                let src = report.sources.get(source);
                let spans = shown_spans(report, source, &drawn);
                let redacted = redact(
                    &src.text,
                    &token_ranges(report, source),
                    &long_line_elisions(&src.text, &spans, opts.width.saturating_sub(GUTTER)),
                );
                Shown(Arc::new((src.clone(), redacted)), None)
            })
            .0
            .clone()
    };
    // A request's "not checked" notes (I005) fold into one finding, shown where the first was.
    let mut unknown: HashMap<usize, Vec<&Diagnostic>> = HashMap::new();
    for d in &report.diagnostics {
        if let (true, Some(i), Some(_)) = (is_unknown_note(d), d.request, &d.primary) {
            unknown.entry(i).or_default().push(d);
        }
    }
    let mut out = String::new();
    for (k, d) in report.diagnostics.iter().enumerate() {
        if let Some(more) = folded.get(&k) {
            out.push_str(&format!(
                "  … and {more} more {} {} finding{} like {} in this {} (`--format short` or `json` lists each)\n\n",
                d.rule.code,
                d.rule.name,
                if *more == 1 { "" } else { "s" },
                if FOLD_AFTER == 1 { "this" } else { "these" },
                if d.request.is_some() { "request" } else { "file" },
            ));
        }
        if !drawn[k] {
            continue;
        }
        if let (true, Some(i)) = (is_unknown_note(d), d.request) {
            let Some(notes) = unknown.remove(&i) else {
                continue; // folded into the request's first note
            };
            let md = folded_unknowns(&notes, |source| shown_of(&mut shown_sources, source));
            let mut s = String::new();
            if handler.render_report(&mut s, &md).is_ok() {
                out.push_str(&s);
                out.push('\n');
            }
            continue;
        }
        let mut md = MietteDiagnostic::new(d.message.clone())
            .with_code(format!("{} {}", d.rule.code, d.rule.name))
            .with_severity(match d.severity {
                Severity::Error => miette::Severity::Error,
                Severity::Warning => miette::Severity::Warning,
                Severity::Info => miette::Severity::Advice,
            });
        if let Some(h) = &d.help {
            md = md.with_help(h.clone());
        }
        let rendered = match &d.primary {
            Some(span) => {
                let own = own_view(report, d, span, opts.width, &mut own_views);
                let shared = own.is_none();
                let shown = own.unwrap_or_else(|| shown_of(&mut shown_sources, span.source));
                let r = &shown.1;
                let (here, elsewhere): (Vec<_>, Vec<_>) =
                    d.notes.iter().partition(|(s, _)| s.source == span.source);
                // miette cannot draw a label past column 65,535 (it panics): a line the shortening
                // could not bring within reach is not drawn, and the finding says where it is.
                // A line still wider than a few screens, shared with many other findings, would be
                // printed whole for each of them: they say where they are instead.
                let crowded = shared && {
                    let at = r.map(span.range.start, false);
                    let (line, start) = r.line_of(at);
                    r.line_start(line + 1) - start > MAX_SHARED_LINE
                };
                let beyond = crowded
                    || std::iter::once(&span.range)
                        .chain(here.iter().map(|(s, _)| &s.range))
                        .any(|x| r.column(r.map(x.end, true)) > MAX_DRAWN_COLUMN);
                if beyond {
                    let src = report.sources.get(span.source);
                    let (line, col) = src.line_col(span.range.start);
                    let md = md.with_help(format!(
                        "at {}:{line}:{col}, on a line too long to show here{}",
                        src.name,
                        d.help
                            .as_deref()
                            .map(|h| format!("; {h}"))
                            .unwrap_or_default()
                    ));
                    let mut s = String::new();
                    if handler.render_report(&mut s, &md).is_ok() {
                        out.push_str(&s);
                        out.push('\n');
                    }
                    continue;
                }
                let mut labels = vec![label(r, &span.range, &d.label, true)];
                labels.extend(here.iter().map(|(s, l)| label(r, &s.range, l, false)));
                md = md.with_labels(labels);
                let primary = Some((r.map(span.range.start, false), span.range.start));
                let report =
                    miette::Report::new(md).with_source_code(Shown(shown.clone(), primary));
                let mut s = String::new();
                let mut done = handler.render_report(&mut s, report.as_ref());
                // A second label in another file (the trust policy a script's call fails) gets a
                // box of its own, headed by the label.
                for (at, text) in elsewhere {
                    let other = shown_of(&mut shown_sources, at.source);
                    let r = &other.1;
                    let md = MietteDiagnostic::new(text.clone())
                        .with_severity(miette::Severity::Advice)
                        .with_labels(vec![label(r, &at.range, "", true)]);
                    let primary = Some((r.map(at.range.start, false), at.range.start));
                    let report =
                        miette::Report::new(md).with_source_code(Shown(other.clone(), primary));
                    s.push('\n');
                    done = done.and(handler.render_report(&mut s, report.as_ref()));
                }
                done.map(|_| s)
            }
            None => {
                let mut s = String::new();
                handler.render_report(&mut s, &md).map(|_| s)
            }
        };
        if let Ok(s) = rendered {
            out.push_str(&s);
            out.push('\n');
        }
    }
    out
}

/// An I005 "only known when the script runs" note about a request's value: folded into one per
/// request in human output, left out of `--format github` annotations. (I005's other notes — a URL
/// the AWS CLI v1 fetches — say something of their own and are shown as they are.)
pub(crate) fn is_unknown_note(d: &Diagnostic) -> bool {
    d.rule.code == crate::input::findings::VALUE_NOT_CHECKED.code
        && d.message.contains("only known when the script runs")
}

/// One request's I005 notes as one finding without a source box: each value as written (with the
/// same redaction as the boxes) and its line and column.
fn folded_unknowns(
    notes: &[&Diagnostic],
    mut shown: impl FnMut(SourceId) -> Arc<(SourceFile, Redacted)>,
) -> MietteDiagnostic {
    let mut parts = Vec::new();
    let mut place = String::new();
    for d in notes {
        let Some(span) = &d.primary else { continue };
        let s = shown(span.source);
        let (src, r) = (&s.0, &s.1);
        let (line, col) = src.line_col(span.range.start);
        if place.is_empty() {
            place = format!("{}:{line}:{col}", src.name);
        }
        let written = r.text.get(r.map_range(&span.range)).unwrap_or("");
        let written = crate::diagnostic::shown(&written.replace('\n', " "));
        parts.push(match d.parameter {
            Some(p) => format!("{p} `{written}` ({line}:{col})"),
            None => format!("`{written}` ({line}:{col})"),
        });
    }
    MietteDiagnostic::new(format!(
        "{place}: known only when the script runs, so not checked: {}",
        parts.join(", ")
    ))
    .with_code(format!(
        "{} {}",
        crate::input::findings::VALUE_NOT_CHECKED.code,
        crate::input::findings::VALUE_NOT_CHECKED.name
    ))
    .with_severity(miette::Severity::Advice)
    .with_help("check the expanded command with `stslint check -- aws sts assume-role-with-web-identity ...`; `--format json` lists each value")
}

fn label(r: &Redacted, range: &std::ops::Range<usize>, text: &str, primary: bool) -> LabeledSpan {
    let m = r.map_range(range);
    let span = (m.start, m.end - m.start);
    let text = (!text.is_empty()).then(|| text.to_string());
    if primary {
        LabeledSpan::new_primary_with_span(text, span)
    } else {
        LabeledSpan::new_with_span(text, span)
    }
}

/// `2 errors, 1 warning, 0 infos in 1 request (1 file checked)`.
pub fn summary(report: &Report) -> String {
    Totals::of(report).summary()
}

/// The counts a summary line gives, added up over the parts of a streamed run.
#[derive(Debug, Default, Clone, Copy)]
pub struct Totals {
    pub errors: usize,
    pub warnings: usize,
    pub infos: usize,
    pub requests: usize,
    pub files: usize,
}

impl Totals {
    pub fn of(report: &Report) -> Totals {
        Totals {
            errors: report.count(Severity::Error),
            warnings: report.count(Severity::Warning),
            infos: report.count(Severity::Info),
            requests: report.requests.len(),
            files: report.files_checked,
        }
    }
    pub fn add(&mut self, o: Totals) {
        self.errors += o.errors;
        self.warnings += o.warnings;
        self.infos += o.infos;
        self.requests += o.requests;
        self.files += o.files;
    }
    pub fn summary(&self) -> String {
        let plural = |n: usize, w: &str| format!("{n} {w}{}", if n == 1 { "" } else { "s" });
        format!(
            "stslint: {}, {}, {} in {} ({} checked)",
            plural(self.errors, "error"),
            plural(self.warnings, "warning"),
            plural(self.infos, "info"),
            plural(self.requests, "request"),
            plural(self.files, "file"),
        )
    }
}

/// The signature verdict as a stable word for JSON.
pub fn signature_status(s: &crate::model::token::SignatureCheck) -> &'static str {
    use crate::model::token::SignatureCheck::*;
    match s {
        Verified { .. } => "verified",
        KeyNotFound { .. } => "key-not-found",
        WrongKey { .. } => "wrong-key",
        BadSignature { .. } => "bad-signature",
        AlgorithmNotAllowed { .. } => "algorithm-not-allowed",
        Skipped => "not-checked",
    }
}

/// A claim value on one line: strings as they are, the rest as compact JSON; long values cut.
fn claim_value(v: &Value) -> String {
    match v {
        Value::String(s) => crate::diagnostic::shown_max(s, 200),
        other => crate::diagnostic::shown_max(&other.to_string(), 200),
    }
}

/// `stslint token` for a person: what the token says, then the findings.
pub fn token_human(insp: &crate::output::inspect::Inspection, opts: HumanOptions) -> String {
    use std::fmt::Write;
    let f = &insp.facts;
    let bold = |s: &str| {
        if opts.color {
            format!("\x1b[1m{s}\x1b[0m")
        } else {
            s.to_string()
        }
    };
    let mut o = String::new();
    let source = &insp.report.sources.get(0).name;
    let row = |o: &mut String, k: &str, v: &str| {
        let _ = writeln!(
            o,
            "{}{} {v}",
            bold(k),
            " ".repeat(11usize.saturating_sub(k.len()))
        );
    };
    row(
        &mut o,
        "Token",
        &format!("{} chars, sha256:{} ({source})", f.length, f.sha256),
    );
    row(&mut o, "Kind", &f.kind_text);
    if let Some(iss) = f.claims.as_ref().and_then(|c| c.get("iss")) {
        let who = f
            .profile
            .as_ref()
            .filter(|(id, _)| id != "generic-oidc")
            .map(|(_, n)| format!("{n}: "))
            .unwrap_or_default();
        row(&mut o, "Issuer", &format!("{who}{}", claim_value(iss)));
    }
    if let Some(p) = &f.provider {
        match &p.arn {
            Some(arn) => row(
                &mut o,
                "Provider",
                &format!("{arn} (the IAM OIDC provider with URL https://{})", p.name),
            ),
            None => row(
                &mut o,
                "Provider",
                &format!(
                    "{} (built into AWS: no IAM OIDC provider needed)",
                    p.federated
                ),
            ),
        }
    }
    if f.kind == "jws" {
        let sig = match &f.signature {
            None => "not checked: give --jwks FILE, saved from the issuer's jwks_uri".to_string(),
            Some(crate::model::token::SignatureCheck::Verified { kid }) => format!(
                "verified{}",
                kid.as_ref()
                    .map(|k| format!(" with key {k}"))
                    .unwrap_or_default()
            ),
            Some(s) => format!("{} (see below)", signature_status(s).replace('-', " ")),
        };
        row(&mut o, "Signature", &sig);
    }
    for (claim, _, t, rel) in &f.times {
        if claim == "exp" {
            row(
                &mut o,
                if rel.ends_with("ago") {
                    "Expired"
                } else {
                    "Expires"
                },
                &format!("{t} ({rel})"),
            );
        }
    }
    let section = |o: &mut String, title: &str, rows: Vec<(String, String)>| {
        let _ = writeln!(o, "\n{}", bold(title));
        let w = rows
            .iter()
            .map(|(k, _)| k.chars().count())
            .max()
            .unwrap_or(0);
        for (k, v) in rows {
            let line = format!("  {k}{}  {v}", " ".repeat(w - k.chars().count()));
            let _ = writeln!(o, "{}", line.trim_end());
        }
    };
    if let Some(h) = &f.header {
        section(
            &mut o,
            "Header",
            h.iter().map(|(k, v)| (k.clone(), claim_value(v))).collect(),
        );
    }
    if let Some(c) = &f.claims {
        let rows = c
            .iter()
            .map(|(k, v)| {
                let mut s = claim_value(v);
                if let Some((_, _, t, rel)) = f.times.iter().find(|(n, ..)| n == k) {
                    s = format!("{s}  ({t}, {rel})");
                }
                (k.clone(), s)
            })
            .collect();
        section(&mut o, "Claims", rows);
    }
    if !f.condition_keys.is_empty() {
        section(
            &mut o,
            "Condition keys in the role's trust policy",
            f.condition_keys
                .iter()
                .map(|(k, v)| (k.clone(), claim_value(v)))
                .collect(),
        );
    }
    if f.claims.is_some() {
        let mut rows = Vec::new();
        match f
            .session_tags
            .as_ref()
            .and_then(|t| t.get("principal_tags"))
            .and_then(Value::as_object)
        {
            Some(tags) => rows.extend(tags.iter().map(|(k, v)| (k.clone(), claim_value(v)))),
            None => rows.push(("none".to_string(), String::new())),
        }
        if let Some(t) = f
            .session_tags
            .as_ref()
            .and_then(|t| t.get("transitive_tag_keys"))
        {
            rows.push(("transitive".into(), claim_value(t)));
        }
        if let Some(s) = &f.source_identity {
            rows.push(("source identity".into(), claim_value(s)));
        }
        section(&mut o, "Session tags", rows);
    }
    // Findings, without snippets: the only text is the token itself, which is never shown.
    let plain = Report {
        sources: insp.report.sources.clone(),
        requests: insp.report.requests.clone(),
        files_checked: insp.report.files_checked,
        diagnostics: insp
            .report
            .diagnostics
            .iter()
            .cloned()
            .map(|mut d| {
                // The token's own text is never worth showing; a trust policy's is.
                if d.primary.as_ref().is_some_and(|p| p.source == 0) {
                    d.primary = None;
                    d.notes.clear();
                }
                d
            })
            .collect(),
        input_errors: Vec::new(),
        skipped: Vec::new(),
        fail_on: insp.report.fail_on,
    };
    o.push('\n');
    let body = human(&plain, opts);
    o.push_str(&body.replace(" in 1 request (1 file checked)", " in the token"));
    o
}
