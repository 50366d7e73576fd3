//! The last step of every check: findings sorted by place, exact duplicates dropped, and findings
//! about a shared input (a trust policy several requests use) given once.

use crate::diagnostic::Diagnostic;
use crate::output::Report;

/// Sorts one input's findings: those about the file itself first, then each request's by place.
pub(super) fn sort_findings(diags: &mut [Diagnostic]) {
    diags.sort_by(|a, b| {
        let key = |d: &Diagnostic| {
            (
                d.request,
                d.primary
                    .as_ref()
                    .map(|s| (s.source, s.range.start, s.range.end)),
                d.rule.code,
            )
        };
        key(a).cmp(&key(b))
    });
}

/// Sorts findings by place, and drops exact duplicates.
pub(crate) fn finish(report: &mut Report) {
    sort_findings(&mut report.diagnostics);
    finish_seen(report, &mut Default::default());
}

/// Drops exact duplicates, and findings whose key is in `seen` (handed over in an earlier part).
/// Findings stay in input order (each input's sorted by [`sort_findings`]).
pub(super) fn finish_seen(report: &mut Report, seen: &mut std::collections::HashSet<u64>) {
    // A token quoted in a finding about another parameter is still a secret: redacted by shape,
    // once, for every format.
    for d in &mut report.diagnostics {
        let clean = |s: &mut String| {
            if let std::borrow::Cow::Owned(c) = crate::redact::shapes(s) {
                *s = c;
            }
        };
        clean(&mut d.message);
        clean(&mut d.label);
        if let Some(h) = &mut d.help {
            clean(h);
        }
        for (_, l) in &mut d.notes {
            clean(l);
        }
    }
    // The same finding about a shared input (a role's trust policy used by several requests) is
    // reported once.
    // Keyed by the source's name, not its id: a file read for several requests (a shared token
    // file) may have been loaded more than once, by files checked in parallel.
    // Kept as 64-bit hashes, so a stream remembers every finding it handed over in a few bytes.
    let keep: Vec<bool> = report
        .diagnostics
        .iter()
        .map(|d| {
            use std::hash::{Hash, Hasher};
            let mut h = std::hash::DefaultHasher::new();
            (
                d.rule.code,
                d.primary
                    .as_ref()
                    .map(|s| (report.sources.get(s.source).name.as_str(), s.range.clone())),
                d.message.as_str(),
            )
                .hash(&mut h);
            seen.insert(h.finish())
        })
        .collect();
    let mut keep = keep.into_iter();
    report.diagnostics.retain(|_| keep.next().unwrap_or(true));
}
