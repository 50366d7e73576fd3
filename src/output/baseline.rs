//! Baselines: record today's findings once (`--write-baseline FILE`), then report only new ones
//! (`--baseline FILE`), so a team can adopt stslint without fixing everything first.
//!
//! A finding is identified by its rule, the file of its invocation and its message — not its line,
//! so edits elsewhere in the file do not make old findings new. Messages never hold a token, so
//! neither does a baseline.

use crate::diagnostic::Diagnostic;
use crate::output::Report;
use serde_json::{json, Value};
use std::collections::HashMap;

/// One recorded finding.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct Entry {
    pub code: String,
    pub path: String,
    pub fingerprint: String,
}

/// The file a finding belongs to: its invocation's, else where it points.
fn home(report: &Report, d: &Diagnostic) -> String {
    let source = d
        .request
        .and_then(|i| report.requests.get(i))
        .map(|r| r.span.source)
        .or_else(|| d.primary.as_ref().map(|s| s.source));
    source
        .map(|s| report.sources.get(s).name.clone())
        .unwrap_or_default()
}

/// The baseline entry of a finding.
pub fn entry(report: &Report, d: &Diagnostic) -> Entry {
    let path = home(report, d);
    let digest =
        crate::redact::sha256_hex(&format!("{}\u{0}{}\u{0}{}", d.rule.code, path, d.message));
    Entry {
        code: d.rule.code.to_string(),
        path,
        fingerprint: digest[..16].to_string(),
    }
}

/// The baseline document for a report.
pub fn to_json(report: &Report) -> Value {
    let findings: Vec<Value> = report
        .diagnostics
        .iter()
        .map(|d| {
            let e = entry(report, d);
            json!({"code": e.code, "path": e.path, "fingerprint": e.fingerprint})
        })
        .collect();
    json!({"version": 1, "tool": "stslint", "findings": findings})
}

/// Reads a baseline document; the message says what is wrong with it.
pub fn parse(text: &str) -> Result<Vec<Entry>, String> {
    let v: Value = serde_json::from_str(text).map_err(|e| format!("not JSON: {e}"))?;
    if v["tool"] != "stslint" || v["version"] != 1 {
        return Err("not a stslint baseline (version 1); make one with --write-baseline".into());
    }
    let items = v["findings"].as_array().ok_or("no `findings` array")?;
    items
        .iter()
        .map(|f| {
            let s = |k: &str| {
                f[k].as_str()
                    .map(str::to_string)
                    .ok_or(format!("a finding without `{k}`"))
            };
            Ok(Entry {
                code: s("code")?,
                path: s("path")?,
                fingerprint: s("fingerprint")?,
            })
        })
        .collect()
}

/// Drops the findings the baseline records (each entry absorbs one finding); returns how many.
pub fn filter(report: &mut Report, baseline: &[Entry]) -> usize {
    Filter::new(baseline).apply(report)
}

/// A baseline applied part by part (a streamed run): each entry absorbs one finding in all.
pub struct Filter {
    left: HashMap<Entry, usize>,
}

impl Filter {
    pub fn new(baseline: &[Entry]) -> Filter {
        let mut left: HashMap<Entry, usize> = HashMap::new();
        for e in baseline {
            *left.entry(e.clone()).or_default() += 1;
        }
        Filter { left }
    }

    /// Drops the findings of `report` the baseline still has entries for; returns how many.
    pub fn apply(&mut self, report: &mut Report) -> usize {
        let keep: Vec<bool> = report
            .diagnostics
            .iter()
            .map(|d| {
                let e = entry(report, d);
                match self.left.get_mut(&e) {
                    Some(n) if *n > 0 => {
                        *n -= 1;
                        false
                    }
                    _ => true,
                }
            })
            .collect();
        let before = report.diagnostics.len();
        let mut it = keep.into_iter();
        report.diagnostics.retain(|_| it.next().unwrap_or(true));
        before - report.diagnostics.len()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::source::SourceFile;

    fn report(messages: &[&str]) -> Report {
        let mut r = Report::default();
        let id = r.sources.add(SourceFile::new("deploy.sh", "x"));
        for m in messages {
            r.diagnostics.push(
                crate::rules::duration::ABOVE_DEFAULT_MAX
                    .report(*m)
                    .at(crate::source::Span::new(id, 0..1), ""),
            );
        }
        r
    }

    #[test]
    fn recorded_findings_are_dropped_new_ones_kept() {
        let old = report(&["a", "a", "b"]);
        let base = parse(&to_json(&old).to_string()).unwrap();
        assert_eq!(base.len(), 3);
        let mut now = report(&["a", "a", "a", "b", "c"]);
        assert_eq!(filter(&mut now, &base), 3);
        let left: Vec<&str> = now.diagnostics.iter().map(|d| d.message.as_str()).collect();
        assert_eq!(left, ["a", "c"], "a third `a` and the new `c` are new");
    }

    #[test]
    fn bad_baselines_say_why() {
        assert!(parse("[]").unwrap_err().contains("not a stslint baseline"));
        assert!(parse("{").unwrap_err().contains("not JSON"));
        assert!(
            parse(r#"{"tool":"stslint","version":1,"findings":[{"code":"D002"}]}"#)
                .unwrap_err()
                .contains("path")
        );
    }
}
