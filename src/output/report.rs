//! What one run found: the sources read, the requests, the findings, and what could not be read.
//! The check fills it in (`crate::check`); the renderers in this module's siblings show it.

use crate::diagnostic::{Diagnostic, Severity};
use crate::model::request::Request;
use crate::source::Sources;

/// Everything one run found.
#[derive(Debug)]
pub struct Report {
    pub sources: Sources,
    pub requests: Vec<Request>,
    /// Sorted by file and position; each knows its request (if any).
    pub diagnostics: Vec<Diagnostic>,
    /// Files read as inputs (not counting `file://` targets).
    pub files_checked: usize,
    /// Inputs that could not be read at all (exit code 2).
    pub input_errors: Vec<String>,
    /// Files a directory walk picked but could not read as text (not UTF-8, over the size
    /// limit): reported on standard error, without failing the run.
    pub skipped: Vec<String>,
    /// The lowest severity that fails the check (exit 1): `--fail-on`, else the configuration's,
    /// else error.
    pub fail_on: Severity,
}

impl Report {
    pub fn count(&self, severity: Severity) -> usize {
        self.diagnostics
            .iter()
            .filter(|d| d.severity == severity)
            .count()
    }
    pub fn has_errors(&self) -> bool {
        self.count(Severity::Error) > 0
    }
    /// Takes in the findings of a part checked on its own (a file checked in parallel).
    pub(crate) fn merge(&mut self, part: Report) {
        let base = self.requests.len();
        self.requests.extend(part.requests);
        self.diagnostics
            .extend(part.diagnostics.into_iter().map(|mut d| {
                d.request = d.request.map(|r| r + base);
                d
            }));
        self.sources.absorb(part.sources);
        self.files_checked += part.files_checked;
        self.input_errors.extend(part.input_errors);
        self.skipped.extend(part.skipped);
    }

    /// Whether any finding is at or above the failing severity (exit code 1).
    pub fn fails(&self) -> bool {
        self.diagnostics.iter().any(|d| d.severity >= self.fail_on)
    }
}

impl Default for Report {
    fn default() -> Self {
        Report {
            sources: Sources::default(),
            requests: Vec::new(),
            diagnostics: Vec::new(),
            files_checked: 0,
            input_errors: Vec::new(),
            skipped: Vec::new(),
            fail_on: Severity::Error,
        }
    }
}
