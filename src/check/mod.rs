//! The pipeline: inputs in, a [`Report`] out. It reads each input with its front end
//! (`crate::input`), runs the rules on each request (`crate::rules`), applies the configuration
//! (`crate::config`), and streams the findings, sorted and de-duplicated, to the caller. The only
//! stage that sees every other; nothing below imports it.

mod configs;
mod finish;
pub mod fuzzing;
mod text;
pub mod token;
mod walk;

use crate::config;
use crate::diagnostic::Severity;
use crate::input::kind::{kind_by_name, Kind};
use crate::input::load;
use crate::input::shell::quote::argv_text;
use crate::model::request::Origin;
use crate::model::{jwks::Jwks, trust};
use crate::output::Report;
use crate::source::{self, SourceFile, Sources};
use crate::{redact, rules};
use configs::Configs;
pub(crate) use finish::finish;
use finish::finish_seen;
use std::path::{Path, PathBuf};
use text::check_text;
use walk::{check_path, display};

/// One thing to check.
#[derive(Clone)]
pub enum Input {
    /// A file or directory.
    Path(PathBuf),
    /// Text read from standard input, with the name to show for it.
    Text { name: String, text: String },
    /// An invocation passed as arguments: `aws sts assume-role-with-web-identity ...`.
    Argv(Vec<String>),
}

// Debug output never shows text or arguments the user gave: they may hold a token.
impl std::fmt::Debug for Input {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Input::Path(p) => f.debug_tuple("Path").field(p).finish(),
            Input::Text { name, text } => f
                .debug_struct("Text")
                .field("name", name)
                .field("text", &redact::debug_fingerprint(text))
                .finish(),
            Input::Argv(words) => f
                .debug_tuple("Argv")
                .field(&redact::debug_fingerprint(&words.join(" ")))
                .finish(),
        }
    }
}

/// Settings of one run.
#[derive(Debug, Clone)]
pub struct Options {
    /// The time checks compare against.
    pub now: chrono::DateTime<chrono::Utc>,
    /// The directory `file://` paths are relative to.
    pub cwd: PathBuf,
    /// A JWKS file to check token signatures with (`--jwks`).
    pub jwks: Option<PathBuf>,
    /// `aws iam get-role` outputs (`--role`).
    pub roles: Vec<PathBuf>,
    /// Trust policy documents (`--trust-policy`).
    pub trust_policies: Vec<PathBuf>,
    /// `aws iam get-open-id-connect-provider` outputs (`--oidc-provider`).
    pub oidc_providers: Vec<PathBuf>,
    /// A configuration file to use instead of discovering `stslint.toml` (`--config`).
    pub config: Option<PathBuf>,
    /// Ignore configuration files altogether (`--isolated`).
    pub isolated: bool,
    /// Treat named files like files found in a directory walk: skip those with no invocation or
    /// request document (`--skip-unrelated`, for pre-commit, which passes every shell/JSON file).
    pub skip_unrelated: bool,
    /// The lowest severity that fails the check (`--fail-on`), over the configuration's.
    pub fail_on: Option<Severity>,
}

impl Default for Options {
    fn default() -> Self {
        Options {
            now: chrono::Utc::now(),
            cwd: PathBuf::from("."),
            jwks: None,
            roles: Vec::new(),
            trust_policies: Vec::new(),
            oidc_providers: Vec::new(),
            config: None,
            isolated: false,
            skip_unrelated: false,
            fail_on: None,
        }
    }
}

/// Checks every input.
pub fn check(inputs: &[Input], opts: &Options) -> Report {
    check_inner(inputs, opts, &mut None)
}

/// How many files of a directory walk are checked (in parallel) before their findings are handed
/// over by [`check_streaming`].
pub const STREAM_CHUNK: usize = 256;

/// Checks every input like [`check`], but hands the findings over as they are ready — after each
/// input, and after every [`STREAM_CHUNK`] files of a directory walk, in path order — and then
/// forgets them, so memory stays flat however many files there are. Each part is a report of its
/// own: its sources, its requests (indexed from 0) and its findings, sorted, with findings about a
/// shared file (a trust policy, a token file several scripts read) given only the first time.
/// The report returned holds what is left: input errors, skipped files, the failing severity.
pub fn check_streaming(inputs: &[Input], opts: &Options, emit: &mut dyn FnMut(Report)) -> Report {
    let mut stream = Some(Stream {
        emit,
        base: None,
        seen: Default::default(),
    });
    check_inner(inputs, opts, &mut stream)
}

/// Where [`check_streaming`] sends parts.
pub(super) struct Stream<'a> {
    emit: &'a mut dyn FnMut(Report),
    /// The last source every part shares (trust documents, configurations), set before the
    /// first input is read.
    base: Option<Option<source::SourceId>>,
    /// Findings already handed over, for findings about shared files (hashes of their keys).
    seen: std::collections::HashSet<u64>,
}

/// With a stream, hands over what `report` holds beyond the shared sources.
pub(super) fn flush(report: &mut Report, stream: &mut Option<Stream>) {
    let Some(s) = stream else { return };
    let base = *s.base.get_or_insert(report.sources.last_id());
    if report.diagnostics.is_empty() && report.requests.is_empty() && report.files_checked == 0 {
        return;
    }
    let mut part = Report {
        sources: report.sources.split_off_after(base),
        requests: std::mem::take(&mut report.requests),
        diagnostics: std::mem::take(&mut report.diagnostics),
        files_checked: std::mem::take(&mut report.files_checked),
        fail_on: report.fail_on,
        ..Report::default()
    };
    finish_seen(&mut part, &mut s.seen);
    (s.emit)(part);
}

fn check_inner(inputs: &[Input], opts: &Options, stream: &mut Option<Stream>) -> Report {
    let mut report = Report::default();
    let jwks = match &opts.jwks {
        None => None,
        Some(path) => match read_jwks(path) {
            Ok(j) => Some(std::sync::Arc::new(j)),
            Err(e) => {
                report.input_errors.push(e);
                return report;
            }
        },
    };
    let trust = match read_trust(opts, &mut report.sources) {
        Ok(t) => t,
        Err(e) => {
            report.input_errors.push(e);
            return report;
        }
    };
    let ctx = rules::Ctx {
        now: opts.now,
        jwks,
        trust,
    };
    let mut configs = Configs {
        explicit: None,
        isolated: opts.isolated,
        by_dir: Default::default(),
        by_file: Default::default(),
        by_written: Default::default(),
    };
    if let Some(path) = &opts.config {
        match config::load(path, &mut report.sources) {
            Ok(c) => configs.explicit = Some(std::sync::Arc::new(c)),
            Err(diags) => {
                report
                    .input_errors
                    .push(format!("{}: invalid configuration (I007)", path.display()));
                report.diagnostics.extend(diags);
                flush(&mut report, stream);
                finish(&mut report);
                return report;
            }
        }
    }
    // The project's configuration (the one found from the current directory) sets fail-on.
    let Some(project) = configs.for_dir(&opts.cwd, &mut report) else {
        flush(&mut report, stream);
        finish(&mut report);
        return report;
    };
    report.fail_on = opts.fail_on.or(project.fail_on).unwrap_or(Severity::Error);
    let reads = load::Reads::default();
    // What every part shares: the trust documents and configurations read so far.
    if let Some(s) = stream {
        s.base = Some(report.sources.last_id());
    }
    for input in inputs {
        let start = report.diagnostics.len();
        match input {
            Input::Argv(words) => {
                let text = argv_text(words);
                let id = report.sources.add(SourceFile::new("<argv>", text.clone()));
                check_text(
                    &mut report,
                    id,
                    &text,
                    Kind::Shell,
                    Origin::Argv,
                    opts,
                    &ctx,
                    &reads,
                );
                project.apply_from(&mut report.diagnostics, start);
            }
            Input::Text { name, text } => {
                let kind = kind_by_name(Path::new(name), text);
                let id = report
                    .sources
                    .add(SourceFile::new(name.clone(), text.clone()));
                report.files_checked += 1;
                check_text(
                    &mut report,
                    id,
                    text,
                    kind,
                    Origin::Shell,
                    opts,
                    &ctx,
                    &reads,
                );
                project.apply_from(&mut report.diagnostics, start);
            }
            Input::Path(path) => {
                if !check_path(&mut report, path, opts, &ctx, &mut configs, &reads, stream) {
                    break;
                }
            }
        }
        flush(&mut report, stream);
    }
    flush(&mut report, stream);
    finish_seen(&mut report, &mut Default::default());
    report
}

/// Reads the files of `--role`, `--trust-policy` and `--oidc-provider`, if any.
pub fn read_trust(
    opts: &Options,
    sources: &mut Sources,
) -> Result<Option<std::sync::Arc<trust::Inputs>>, String> {
    let t = trust::Inputs::read(
        &opts.roles,
        &opts.trust_policies,
        &opts.oidc_providers,
        sources,
    )?;
    Ok((!t.is_empty()).then(|| std::sync::Arc::new(t)))
}

/// Reads a JWKS file named by `--jwks`; the message says what is wrong with it.
pub fn read_jwks(path: &Path) -> Result<Jwks, String> {
    let text = load::read_text(path, load::MAX_PARAM_FILE_BYTES)
        .map_err(|e| format!("{}: {e}", display(path)))?;
    Jwks::parse(&text).map_err(|e| format!("{}: not a usable JWKS: {e}", display(path)))
}
