//! The command line: clap definitions turned into plain library calls. The only place that knows
//! about arguments, the terminal and exit codes.

use clap::{Parser, Subcommand, ValueEnum};
use std::io::{IsTerminal, Write};
use std::path::PathBuf;
use stslint::output::render::{self, HumanOptions};
use stslint::{Input, Options};

/// A message on standard error: anything shaped like a token redacted (an argument may be one,
/// `--now eyJ...`), and a closed or full stderr ignored instead of panicking.
macro_rules! say {
    ($($arg:tt)*) => {{
        use std::io::Write as _;
        let text = format!($($arg)*);
        let _ = writeln!(std::io::stderr(), "{}", stslint::redact::shapes(&text));
    }};
}

/// Exit codes: a public contract.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Exit {
    /// No error-level finding.
    Clean = 0,
    /// At least one error-level finding.
    Findings = 1,
    /// Could not run: bad usage, unreadable input, internal error.
    Trouble = 2,
}

#[derive(Parser, Debug)]
#[command(name = "stslint", version, about = "Offline linter for sts:AssumeRoleWithWebIdentity requests", long_about = None)]
pub struct Cli {
    #[command(subcommand)]
    pub command: Command,
}

#[derive(Subcommand, Debug)]
pub enum Command {
    /// Check shell scripts, request files, directories, stdin (-), or an invocation after `--`.
    #[command(
        after_help = "Examples:\n  stslint check deploy.sh request.json\n  stslint check scripts/\n  stslint check -- aws sts assume-role-with-web-identity --role-arn ARN --role-session-name ci --web-identity-token file://token\n\nExit codes: 0 no errors, 1 errors found, 2 could not run."
    )]
    Check(CheckArgs),
    /// Decode one web identity token and say what STS will make of it.
    #[command(
        after_help = "TOKEN is the token itself, file://PATH to read it from a file (as the AWS CLI would), or - for standard input.\nThe token and its signature are never printed: only its length, sha256, header and claims.\n\nExamples:\n  stslint token file://$AWS_WEB_IDENTITY_TOKEN_FILE\n  stslint token --jwks jwks.json file://token.jwt\n  printf %s \"$TOKEN\" | stslint token --format json -\n\nExit codes: 0 no errors, 1 errors found, 2 could not run."
    )]
    Token(TokenArgs),
    /// List every rule: code, name, default severity, summary.
    Rules,
    /// Print a shell completion script: `stslint completions bash > /etc/bash_completion.d/stslint`.
    Completions {
        #[arg(value_enum)]
        shell: clap_complete::Shell,
    },
    /// Print the man page (roff): `stslint man > /usr/local/share/man/man1/stslint.1`.
    Man,
    /// Print a rule's documentation: what it checks, why it matters, an example, the fix.
    Explain {
        /// The rule's code (`T012`) or name (`token-audience`).
        #[arg(value_name = "CODE")]
        code: String,
    },
}

#[derive(clap::Args, Debug)]
pub struct CheckArgs {
    /// Files or directories to check; `-` reads standard input.
    #[arg(value_name = "PATH")]
    pub paths: Vec<PathBuf>,
    /// An invocation to check as the shell passed it: `-- aws sts assume-role-with-web-identity ...`.
    #[arg(last = true, value_name = "AWS_COMMAND")]
    pub argv: Vec<String>,
    /// Output format.
    #[arg(long, value_enum, default_value_t = Format::Human)]
    pub format: Format,
    /// The time to check tokens against (RFC 3339), instead of the system clock.
    #[arg(long, value_name = "RFC3339", value_parser = parse_now)]
    pub now: Option<chrono::DateTime<chrono::Utc>>,
    /// Colour in human output: auto (a terminal, and NO_COLOR unset), always, never.
    #[arg(long, value_enum, default_value_t = ColorChoice::Auto)]
    pub color: ColorChoice,
    /// A JWKS file saved from the issuer's `jwks_uri`, to verify token signatures offline.
    #[arg(long, value_name = "FILE")]
    pub jwks: Option<PathBuf>,
    #[command(flatten)]
    pub trust: TrustArgs,
    /// A configuration file to use instead of the nearest stslint.toml / .stslint.toml.
    #[arg(long, value_name = "FILE", conflicts_with = "isolated")]
    pub config: Option<PathBuf>,
    /// Use no configuration file at all.
    #[arg(long)]
    pub isolated: bool,
    /// Skip named files a directory walk would not read (by name or shebang), that hold no
    /// invocation or request document, or that are excluded; for pre-commit and editors, which
    /// pass every text file.
    #[arg(long)]
    pub skip_unrelated: bool,
    /// Report only findings not recorded in this baseline file (made with --write-baseline).
    #[arg(long, value_name = "FILE", conflicts_with = "write_baseline")]
    pub baseline: Option<PathBuf>,
    /// Record every finding of this run in FILE (a baseline) and exit 0.
    #[arg(long, value_name = "FILE")]
    pub write_baseline: Option<PathBuf>,
    /// The lowest severity that makes stslint exit 1 (default: error, or the configuration's `fail-on`).
    #[arg(long, value_enum, value_name = "SEVERITY")]
    pub fail_on: Option<FailOn>,
    /// The name to show for standard input.
    #[arg(long, value_name = "NAME", default_value = "<stdin>")]
    pub stdin_filename: String,
}

#[derive(clap::Args, Debug)]
pub struct TokenArgs {
    /// The token, `file://PATH`, or `-` for standard input.
    #[arg(value_name = "TOKEN")]
    pub token: String,
    /// Output format.
    #[arg(long, value_enum, default_value_t = TokenFormat::Human)]
    pub format: TokenFormat,
    /// The time to check the token against (RFC 3339), instead of the system clock.
    #[arg(long, value_name = "RFC3339", value_parser = parse_now)]
    pub now: Option<chrono::DateTime<chrono::Utc>>,
    /// A JWKS file saved from the issuer's `jwks_uri`, to verify the signature offline.
    #[arg(long, value_name = "FILE")]
    pub jwks: Option<PathBuf>,
    #[command(flatten)]
    pub trust: TrustArgs,
    /// Colour in human output: auto (a terminal, and NO_COLOR unset), always, never.
    #[arg(long, value_enum, default_value_t = ColorChoice::Auto)]
    pub color: ColorChoice,
}

/// The role's side, to evaluate its trust policy against the token (each may be given several times).
#[derive(clap::Args, Debug, Clone)]
pub struct TrustArgs {
    /// The output of `aws iam get-role --role-name NAME` (its Arn, MaxSessionDuration and trust policy).
    #[arg(long, value_name = "FILE")]
    pub role: Vec<PathBuf>,
    /// A role trust policy document (when you do not have the get-role output).
    #[arg(long, value_name = "FILE")]
    pub trust_policy: Vec<PathBuf>,
    /// The output of `aws iam get-open-id-connect-provider --open-id-connect-provider-arn ARN`.
    #[arg(long, value_name = "FILE")]
    pub oidc_provider: Vec<PathBuf>,
}

#[derive(ValueEnum, Clone, Copy, Debug, PartialEq, Eq)]
pub enum Format {
    /// miette's reports with the source text (tokens redacted).
    Human,
    /// The JSON document described in the README.
    Json,
    /// SARIF 2.1.0, for GitHub code scanning and other viewers.
    Sarif,
    /// GitHub Actions workflow commands (`::error file=...`): annotations on the pull request.
    Github,
    /// One line per finding: `path:line:col: severity[CODE] message`.
    Short,
    /// JUnit XML, for CI systems that show test reports.
    Junit,
}

/// `--fail-on` levels.
#[derive(ValueEnum, Clone, Copy, Debug, PartialEq, Eq)]
pub enum FailOn {
    Error,
    Warning,
    Info,
}

impl From<FailOn> for stslint::diagnostic::Severity {
    fn from(f: FailOn) -> Self {
        match f {
            FailOn::Error => stslint::diagnostic::Severity::Error,
            FailOn::Warning => stslint::diagnostic::Severity::Warning,
            FailOn::Info => stslint::diagnostic::Severity::Info,
        }
    }
}

/// Formats of `stslint token`.
#[derive(ValueEnum, Clone, Copy, Debug, PartialEq, Eq)]
pub enum TokenFormat {
    Human,
    Json,
}

#[derive(ValueEnum, Clone, Copy, Debug, PartialEq, Eq)]
pub enum ColorChoice {
    Auto,
    Always,
    Never,
}

fn parse_now(s: &str) -> Result<chrono::DateTime<chrono::Utc>, String> {
    chrono::DateTime::parse_from_rfc3339(s)
        .map(|d| d.with_timezone(&chrono::Utc))
        .map_err(|e| format!("{e}: give a time like 2026-11-23T12:00:00Z"))
}

/// Runs the command line and returns the exit code.
pub fn run() -> Exit {
    // Fault injection for tests/secrets.rs: a panic whose message quotes a token must reach the
    // user redacted, with exit code 2.
    if let Some(m) = std::env::var_os("STSLINT_TEST_PANIC") {
        panic!("injected for a test: {}", m.to_string_lossy());
    }
    let cli = match Cli::try_parse() {
        Ok(c) => c,
        Err(e) => {
            // clap quotes the argument it refused, which may be a token.
            let text = e.render().to_string();
            let text = stslint::redact::shapes(&text);
            if e.use_stderr() {
                let _ = std::io::stderr().write_all(text.as_bytes());
            } else {
                let _ = std::io::stdout().write_all(text.as_bytes());
            }
            return if e.use_stderr() {
                Exit::Trouble
            } else {
                Exit::Clean
            };
        }
    };
    match cli.command {
        Command::Check(args) => check(args),
        Command::Token(args) => token(args),
        Command::Completions { shell } => {
            let mut out = Vec::new();
            clap_complete::generate(
                shell,
                &mut <Cli as clap::CommandFactory>::command(),
                "stslint",
                &mut out,
            );
            write_out(&String::from_utf8_lossy(&out))
        }
        Command::Man => {
            let mut out = Vec::new();
            match clap_mangen::Man::new(<Cli as clap::CommandFactory>::command()).render(&mut out) {
                Ok(()) => write_out(&String::from_utf8_lossy(&out)),
                Err(e) => {
                    say!("stslint: cannot render the man page: {e}");
                    Exit::Trouble
                }
            }
        }
        Command::Explain { code } => match stslint::rules::find(&code) {
            Some(r) => write_out(
                &stslint::rules::doc_shown(r.code)
                    .unwrap_or_else(|| format!("{} {}\n\n{}\n", r.code, r.name, r.summary)),
            ),
            None => {
                let names: Vec<&str> = stslint::rules::all().iter().map(|r| r.name).collect();
                let hint = stslint::diagnostic::closest(&code, names)
                    .map(|n| format!(" (did you mean `{n}`?)"))
                    .unwrap_or_default();
                say!("stslint: no rule `{code}`{hint}; `stslint rules` lists them");
                Exit::Trouble
            }
        },
        Command::Rules => {
            let mut out = String::new();
            for r in stslint::rules::all() {
                out.push_str(&format!(
                    "{:<6} {:<36} {:<8} {}\n",
                    r.code,
                    r.name,
                    r.severity.as_str(),
                    r.summary
                ));
            }
            write_out(&out)
        }
    }
}

fn check(args: CheckArgs) -> Exit {
    let mut inputs = Vec::new();
    for p in &args.paths {
        if p.as_os_str() == "-" {
            let text = match stslint::input::load::read_stdin(stslint::input::load::MAX_INPUT_BYTES)
            {
                Ok(t) => t,
                Err(e) => {
                    say!("stslint: cannot read standard input: {e}");
                    return Exit::Trouble;
                }
            };
            inputs.push(Input::Text {
                name: args.stdin_filename.clone(),
                text,
            });
        } else {
            inputs.push(Input::Path(p.clone()));
        }
    }
    if !args.argv.is_empty() {
        inputs.push(Input::Argv(args.argv.clone()));
    }
    if inputs.is_empty() {
        say!("stslint: nothing to check: give a PATH, `-` for standard input, or `-- aws sts assume-role-with-web-identity ...`");
        return Exit::Trouble;
    }
    let cwd = std::env::current_dir().unwrap_or_else(|_| PathBuf::from("."));
    let opts = Options {
        now: args.now.unwrap_or_else(chrono::Utc::now),
        cwd,
        jwks: args.jwks.clone(),
        roles: args.trust.role.clone(),
        trust_policies: args.trust.trust_policy.clone(),
        oidc_providers: args.trust.oidc_provider.clone(),
        config: args.config.clone(),
        isolated: args.isolated,
        skip_unrelated: args.skip_unrelated,
        fail_on: args.fail_on.map(Into::into),
    };
    // The baseline is read first: a broken one stops the run before anything is checked.
    let baseline = match &args.baseline {
        None => None,
        Some(path) => {
            match stslint::input::load::read_text(path, stslint::input::load::MAX_INPUT_BYTES)
                .map_err(|e| e.to_string())
                .and_then(|t| stslint::output::baseline::parse(&t))
            {
                Ok(entries) => Some((path, stslint::output::baseline::Filter::new(&entries))),
                Err(e) => {
                    say!(
                    "stslint: cannot use the baseline {}: {e} (make one with --write-baseline {})",
                    path.display(),
                    path.display()
                );
                    return Exit::Trouble;
                }
            }
        }
    };
    let streamed = matches!(args.format, Format::Human | Format::Short | Format::Github)
        && args.write_baseline.is_none();
    if streamed {
        return check_streamed(&args, &inputs, &opts, baseline);
    }
    let mut report = stslint::check(&inputs, &opts);
    report_input_trouble(&report);
    no_files_note(&inputs, report.files_checked);
    if let Some((path, mut filter)) = baseline {
        let n = filter.apply(&mut report);
        baseline_note(n, path);
    }
    if let Some(path) = &args.write_baseline {
        let mut text = serde_json::to_string_pretty(&stslint::output::baseline::to_json(&report))
            .unwrap_or_default();
        text.push('\n');
        // Written whole to a temporary file first, so a failure never leaves half a baseline.
        let tmp = path.with_extension("stslint-tmp");
        if let Err(e) = std::fs::write(&tmp, text).and_then(|_| std::fs::rename(&tmp, path)) {
            let _ = std::fs::remove_file(&tmp);
            say!("stslint: cannot write the baseline {}: {e}", path.display());
            return Exit::Trouble;
        }
        say!(
            "stslint: recorded {} finding(s) in {}",
            report.diagnostics.len(),
            path.display()
        );
        return if report.input_errors.is_empty() {
            Exit::Clean
        } else {
            Exit::Trouble
        };
    }
    let text = match args.format {
        Format::Json => {
            // Written as it is serialized: the document is never held whole.
            let written = write_with(|out| {
                stslint::output::json::write_json(&report, &mut *out)?;
                out.write_all(b"\n")
            });
            return finish_exit(report, written);
        }
        Format::Sarif => {
            let mut s = serde_json::to_string_pretty(&stslint::output::formats::sarif(&report))
                .unwrap_or_default();
            s.push('\n');
            s
        }
        Format::Junit => stslint::output::formats::junit(&report),
        Format::Github => stslint::output::formats::github(&report),
        Format::Short => stslint::output::formats::short(&report),
        Format::Human => render::human(&report, human_options(args.color)),
    };
    let written = write_out(&text);
    finish_exit(report, written)
}

/// The exit code of a whole (not streamed) run, once its output is written.
fn finish_exit(report: stslint::Report, written: Exit) -> Exit {
    if written != Exit::Clean || !report.input_errors.is_empty() {
        return Exit::Trouble;
    }
    let exit = if report.fails() {
        Exit::Findings
    } else {
        Exit::Clean
    };
    // The process ends next: freeing every source and finding one by one is wasted time.
    std::mem::forget(report);
    exit
}

/// The line formats (human, short, github), written part by part as the check goes: a large
/// directory never holds more than a chunk of files in memory.
fn check_streamed(
    args: &CheckArgs,
    inputs: &[Input],
    opts: &Options,
    mut baseline: Option<(&PathBuf, stslint::output::baseline::Filter)>,
) -> Exit {
    let hopts = human_options(args.color);
    let mut totals = render::Totals::default();
    let mut hidden = 0;
    let mut fails = false;
    let mut written = Exit::Clean;
    let report = stslint::check_streaming(inputs, opts, &mut |mut part| {
        if let Some((_, filter)) = &mut baseline {
            hidden += filter.apply(&mut part);
        }
        totals.add(render::Totals::of(&part));
        fails |= part.fails();
        if written == Exit::Clean {
            let text = match args.format {
                Format::Human => render::human_findings(&part, hopts),
                Format::Github => stslint::output::formats::github(&part),
                _ => stslint::output::formats::short(&part),
            };
            written = write_out(&text);
        }
    });
    report_input_trouble(&report);
    no_files_note(inputs, totals.files);
    if let Some((path, _)) = baseline {
        baseline_note(hidden, path);
    }
    if matches!(args.format, Format::Human) && written == Exit::Clean {
        written = write_out(&format!("{}\n", totals.summary()));
    }
    if written != Exit::Clean || !report.input_errors.is_empty() {
        return Exit::Trouble;
    }
    if fails {
        Exit::Findings
    } else {
        Exit::Clean
    }
}

fn report_input_trouble(report: &stslint::Report) {
    for e in &report.input_errors {
        say!("stslint: cannot read {e}");
    }
    for e in &report.skipped {
        say!("stslint: skipped {e}");
    }
}

/// A directory walk that checked no file says so (like ruff's "No files found"): a wrong path or
/// a repository without invocations should not look like a clean bill of health.
fn no_files_note(inputs: &[Input], files_checked: usize) {
    let dirs: Vec<String> = inputs
        .iter()
        .filter_map(|i| match i {
            Input::Path(p) if p.is_dir() => Some(format!("`{}`", p.display())),
            _ => None,
        })
        .collect();
    if files_checked == 0 && !dirs.is_empty() {
        say!(
            "stslint: no files checked: nothing under {} calls `aws sts assume-role-with-web-identity` or is a request document",
            dirs.join(", ")
        );
    }
}

fn baseline_note(hidden: usize, path: &std::path::Path) {
    if hidden > 0 {
        say!(
            "stslint: {hidden} finding(s) recorded in the baseline {} not shown",
            path.display()
        );
    }
}

fn human_options(choice: ColorChoice) -> HumanOptions {
    HumanOptions {
        color: use_color(choice),
        width: terminal_width().unwrap_or(100),
    }
}

fn use_color(choice: ColorChoice) -> bool {
    match choice {
        ColorChoice::Always => true,
        ColorChoice::Never => false,
        ColorChoice::Auto => {
            std::io::stdout().is_terminal()
                && std::env::var_os("NO_COLOR").is_none_or(|v| v.is_empty())
        }
    }
}

fn token(args: TokenArgs) -> Exit {
    let (name, value) = if args.token == "-" {
        match stslint::input::load::read_stdin(stslint::input::load::MAX_PARAM_FILE_BYTES) {
            Ok(text) => ("<stdin>".to_string(), text),
            Err(e) => {
                say!("stslint: cannot read standard input: {e}");
                return Exit::Trouble;
            }
        }
    } else if let Some(path) = args.token.strip_prefix("file://") {
        let p = PathBuf::from(path);
        match stslint::input::load::read_text(&p, stslint::input::load::MAX_PARAM_FILE_BYTES) {
            Ok(t) => (path.to_string(), t),
            Err(e) => {
                say!("stslint: cannot read {path}: {e}");
                return Exit::Trouble;
            }
        }
    } else {
        let v = &args.token;
        if std::path::Path::new(v).is_file() {
            say!("stslint: `{v}` is a file name, not a token: write `file://{v}` to read the token from it");
            return Exit::Trouble;
        }
        ("<argument>".to_string(), v.clone())
    };
    let opts = Options {
        now: args.now.unwrap_or_else(chrono::Utc::now),
        cwd: std::env::current_dir().unwrap_or_else(|_| PathBuf::from(".")),
        jwks: args.jwks.clone(),
        roles: args.trust.role.clone(),
        trust_policies: args.trust.trust_policy.clone(),
        oidc_providers: args.trust.oidc_provider.clone(),
        ..Options::default()
    };
    let insp = stslint::check::token::inspect(&name, &value, &opts);
    for e in &insp.report.input_errors {
        say!("stslint: cannot read {e}");
    }
    if !insp.report.input_errors.is_empty() {
        return Exit::Trouble;
    }
    let text = match args.format {
        TokenFormat::Json => {
            let mut s = serde_json::to_string_pretty(&stslint::output::json::token_json(&insp))
                .unwrap_or_default();
            s.push('\n');
            s
        }
        TokenFormat::Human => render::token_human(
            &insp,
            HumanOptions {
                color: use_color(args.color),
                width: terminal_width().unwrap_or(100),
            },
        ),
    };
    if write_out(&text) != Exit::Clean {
        return Exit::Trouble;
    }
    if insp.report.has_errors() {
        Exit::Findings
    } else {
        Exit::Clean
    }
}

/// The width to wrap human output at: `$COLUMNS` when set, else the width of the terminal standard
/// output is (a pipe or a file has none: the caller's default applies).
fn terminal_width() -> Option<usize> {
    std::env::var("COLUMNS")
        .ok()
        .and_then(|c| c.parse().ok())
        .or_else(|| {
            terminal_size::terminal_size_of(std::io::stdout())
                .map(|(terminal_size::Width(w), _)| usize::from(w))
        })
        .filter(|w| *w >= 40)
}

/// Writes to stdout; a closed pipe (`stslint ... | head`) ends quietly.
fn write_out(s: &str) -> Exit {
    write_with(|out| out.write_all(s.as_bytes()))
}

/// Runs `f` on buffered standard output; a closed pipe (`| head`) is not an error.
fn write_with(f: impl FnOnce(&mut dyn Write) -> std::io::Result<()>) -> Exit {
    let mut out = std::io::BufWriter::with_capacity(64 * 1024, std::io::stdout().lock());
    match f(&mut out).and_then(|_| out.flush()) {
        Ok(()) => Exit::Clean,
        Err(e) if e.kind() == std::io::ErrorKind::BrokenPipe => Exit::Clean,
        Err(e) => {
            say!("stslint: cannot write output: {e}");
            Exit::Trouble
        }
    }
}
