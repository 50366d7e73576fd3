//! The pipeline (moved from lib.rs).

pub mod fuzzing;

use crate::config::{self, suppress};
use crate::diagnostic::{Diagnostic, Severity};
use crate::input::awscli::{self, request_file};
use crate::input::load::{self, Loader, MAX_INPUT_BYTES};
use crate::input::shell;
use crate::model::request::{Origin, Request};
use crate::model::{token, trust};
use crate::source::{self, SourceFile, Sources};
use crate::{redact, rules};
use std::path::{Path, PathBuf};

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
    fn merge(&mut self, part: Report) {
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

/// The configuration for each directory, discovered once (or the one `--config` names).
struct Configs {
    explicit: Option<config::Config>,
    isolated: bool,
    by_dir: std::collections::HashMap<PathBuf, config::Config>,
    by_file: std::collections::HashMap<PathBuf, config::Config>,
    /// The same, by the directory as written (a walk asks for each file's: no system call).
    by_written: std::collections::HashMap<PathBuf, config::Config>,
}

impl Configs {
    /// The configuration for files in `dir`; `None` when it is broken (reported in `report`).
    fn for_dir(&mut self, dir: &Path, report: &mut Report) -> Option<config::Config> {
        if let Some(c) = &self.explicit {
            return Some(c.clone());
        }
        if self.isolated {
            return Some(config::Config::default());
        }
        let dir = if dir.as_os_str().is_empty() {
            Path::new(".")
        } else {
            dir
        };
        if let Some(c) = self.by_written.get(dir) {
            return Some(c.clone());
        }
        let key = std::fs::canonicalize(dir).unwrap_or_else(|_| dir.to_path_buf());
        if let Some(c) = self.by_dir.get(&key) {
            self.by_written.insert(dir.to_path_buf(), c.clone());
            return Some(c.clone());
        }
        let cfg = match config::discover(&key) {
            None => config::Config::default(),
            Some(file) => match self.by_file.get(&file) {
                Some(c) => c.clone(),
                None => match config::load(&file, &mut report.sources) {
                    Ok(c) => {
                        self.by_file.insert(file, c.clone());
                        c
                    }
                    Err(diags) => {
                        report
                            .input_errors
                            .push(format!("{}: invalid configuration (I007)", file.display()));
                        report.diagnostics.extend(diags);
                        return None;
                    }
                },
            },
        };
        self.by_dir.insert(key, cfg.clone());
        self.by_written.insert(dir.to_path_buf(), cfg.clone());
        Some(cfg)
    }
}

/// What kind of text a file holds.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Kind {
    Shell,
    RequestJson,
}

fn kind_by_name(path: &Path, text: &str) -> Kind {
    let json_ext = path
        .extension()
        .is_some_and(|e| e.eq_ignore_ascii_case("json"));
    if json_ext || (text.trim_start().starts_with('{') && request_file::looks_like_request(text)) {
        Kind::RequestJson
    } else {
        Kind::Shell
    }
}

/// Shell-like files picked when walking a directory: by extension or name, or a shell shebang
/// (the first bytes are read only when the name does not decide).
fn walk_kind(path: &Path, head: impl FnOnce() -> Vec<u8>) -> Option<Kind> {
    let name = path.file_name()?.to_str()?;
    let ext = path.extension().and_then(|e| e.to_str()).unwrap_or("");
    if ext.eq_ignore_ascii_case("json") {
        return Some(Kind::RequestJson);
    }
    // CI definitions (GitHub Actions, GitLab CI...) hold shell in `run:` / `script:` blocks.
    if matches!(
        ext,
        "sh" | "bash" | "zsh" | "ksh" | "mk" | "mak" | "yml" | "yaml"
    ) || matches!(
        name,
        "Makefile" | "makefile" | "GNUmakefile" | "Justfile" | "justfile" | "Dockerfile"
    ) {
        return Some(Kind::Shell);
    }
    let head = head();
    let first_line = head.split(|&b| b == b'\n').next().unwrap_or(&[]);
    let shebang = first_line.starts_with(b"#!")
        && [&b"sh"[..], b"bash", b"zsh", b"ksh", b"dash"]
            .iter()
            .any(|s| {
                first_line.ends_with(s)
                    || first_line
                        .windows(s.len() + 1)
                        .any(|w| (w[0] == b'/' || w[0] == b' ') && &w[1..] == *s)
            });
    shebang.then_some(Kind::Shell)
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
struct Stream<'a> {
    emit: &'a mut dyn FnMut(Report),
    /// The last source every part shares (trust documents, configurations), set before the
    /// first input is read.
    base: Option<Option<source::SourceId>>,
    /// Findings already handed over, for findings about shared files (hashes of their keys).
    seen: std::collections::HashSet<u64>,
}

/// With a stream, hands over what `report` holds beyond the shared sources.
fn flush(report: &mut Report, stream: &mut Option<Stream>) {
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
            Ok(c) => configs.explicit = Some(c),
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

/// Checks a file or a directory; `false` when a broken configuration stops the run.
fn check_path(
    report: &mut Report,
    path: &Path,
    opts: &Options,
    ctx: &rules::Ctx,
    configs: &mut Configs,
    reads: &load::Reads,
    stream: &mut Option<Stream>,
) -> bool {
    let meta = match std::fs::metadata(path) {
        Ok(m) => m,
        Err(e) => {
            report
                .input_errors
                .push(format!("{}: {}", path.display(), load::io_message(&e)));
            return true;
        }
    };
    if meta.is_dir() {
        let mut jobs: Vec<(PathBuf, Kind, config::Config)> = Vec::new();
        // Ignore files inside the walked directory are honoured; none above it, and not the
        // global gitignore named in ~/.gitconfig: stslint reads only under what it was given.
        let walk = ignore::WalkBuilder::new(path)
            .follow_links(false)
            .parents(false)
            .git_global(false)
            .build();
        for entry in walk {
            let Ok(entry) = entry else { continue };
            if !entry.file_type().is_some_and(|t| t.is_file()) {
                continue;
            }
            let p = entry.path();
            let dir = p.parent().unwrap_or(Path::new("."));
            let Some(cfg) = configs.for_dir(dir, report) else {
                return false;
            };
            if cfg.excludes(p) {
                continue;
            }
            if let Some(kind) = walk_kind(p, || read_head(p)) {
                jobs.push((p.to_path_buf(), kind, cfg));
            }
        }
        // Configurations first (cached per directory), then the files in parallel when there are
        // more than a handful; the parts are merged in path order, so output does not depend on
        // scheduling.
        jobs.sort_by(|a, b| a.0.cmp(&b.0));
        // Parts take source ids from the shared counter, through a fork made here.
        let ids = report.sources.fork();
        let one = |(p, kind, cfg): &(PathBuf, Kind, config::Config)| -> Option<Report> {
            let text = match load::read_text(p, MAX_INPUT_BYTES) {
                Ok(t) => t,
                Err(load::ReadError::NotFound) => return None,
                Err(e) => {
                    return Some(Report {
                        skipped: vec![format!("{}: {e}", display(p))],
                        ..Report::default()
                    })
                }
            };
            let wanted = match kind {
                Kind::Shell => text.contains("assume-role-with-web-identity"),
                Kind::RequestJson => request_file::looks_like_request(&text),
            };
            if !wanted {
                return None;
            }
            let mut part = Report {
                sources: ids.fork(),
                ..Report::default()
            };
            let id = part.sources.add(SourceFile::new(display(p), text.clone()));
            part.files_checked = 1;
            check_text(&mut part, id, &text, *kind, Origin::Shell, opts, ctx, reads);
            cfg.apply_from(&mut part.diagnostics, 0);
            Some(part)
        };
        let parallel = jobs.len() > 8;
        for chunk in jobs.chunks(STREAM_CHUNK) {
            let parts: Vec<Option<Report>> = if parallel {
                use rayon::prelude::*;
                chunk.par_iter().map(one).collect()
            } else {
                chunk.iter().map(one).collect()
            };
            for part in parts.into_iter().flatten() {
                report.merge(part);
            }
            flush(report, stream);
        }
        return true;
    }
    let Some(cfg) = configs.for_dir(path.parent().unwrap_or(Path::new(".")), report) else {
        return false;
    };
    let start = report.diagnostics.len();
    if opts.skip_unrelated && cfg.excludes(path) {
        return true;
    }
    match load::read_text(path, MAX_INPUT_BYTES) {
        Ok(text) => {
            let kind = kind_by_name(path, &text);
            let related = match kind {
                Kind::Shell => text.contains("assume-role-with-web-identity"),
                Kind::RequestJson => request_file::looks_like_request(&text),
            };
            if opts.skip_unrelated && !related {
                return true;
            }
            let id = report
                .sources
                .add(SourceFile::new(display(path), text.clone()));
            report.files_checked += 1;
            check_text(report, id, &text, kind, Origin::Shell, opts, ctx, reads);
            cfg.apply_from(&mut report.diagnostics, start);
        }
        Err(e) => {
            let why = e.to_string();
            report
                .input_errors
                .push(format!("{}: {why}", path.display()));
        }
    }
    true
}

fn read_head(p: &Path) -> Vec<u8> {
    use std::io::Read;
    let mut buf = vec![0u8; 128];
    match std::fs::File::open(p).and_then(|mut f| f.read(&mut buf)) {
        Ok(n) => {
            buf.truncate(n);
            buf
        }
        Err(_) => Vec::new(),
    }
}

fn display(p: &Path) -> String {
    let s = p.display().to_string();
    s.strip_prefix("./").map(str::to_string).unwrap_or(s)
}

#[allow(clippy::too_many_arguments)]
fn check_text(
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
pub fn read_jwks(path: &Path) -> Result<token::Jwks, String> {
    let text = load::read_text(path, load::MAX_PARAM_FILE_BYTES)
        .map_err(|e| format!("{}: {e}", display(path)))?;
    token::Jwks::parse(&text).map_err(|e| format!("{}: not a usable JWKS: {e}", display(path)))
}

/// Sorts one input's findings: those about the file itself first, then each request's by place.
fn sort_findings(diags: &mut [Diagnostic]) {
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
fn finish_seen(report: &mut Report, seen: &mut std::collections::HashSet<u64>) {
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

/// The words of an argv invocation as one line of shell text, each quoted so it reads back the same.
pub fn argv_text(words: &[String]) -> String {
    words
        .iter()
        .map(|w| shell_quote(w))
        .collect::<Vec<_>>()
        .join(" ")
}

/// Quotes a word for a POSIX shell, only when needed.
pub fn shell_quote(w: &str) -> String {
    if !w.is_empty()
        && w.bytes()
            .all(|b| b.is_ascii_alphanumeric() || b"-_./:=@,+%^".contains(&b))
    {
        return w.to_string();
    }
    format!("'{}'", w.replace('\'', "'\\''"))
}
