//! Finds `aws [globals] sts assume-role-with-web-identity ...` commands and reads their arguments
//! the way the AWS CLI does (argparse, then awscli's value handling), into a [`Request`].
//!
//! What the CLI does, and so what this does (awscli 1.46, verified by `tests/awscli_differential.rs`):
//! - options may be abbreviated to an unambiguous prefix (argparse); global options are matched first;
//! - `--opt=value` works; a repeated option's last value wins;
//! - a value that starts with `-` is taken as the next option, unless it looks like a negative number
//!   or contains a space;
//! - `--policy-arns` takes every following word up to the next option;
//! - `file://PATH` is replaced by the file's text (see [`crate::input::load`]), `fileb://` by bytes, and
//!   (v1 only) `http(s)://` by the fetched page;
//! - `--cli-input-json` supplies members that explicit options then override.

pub mod request_file;
pub mod shorthand;

use crate::diagnostic::{closest, Diagnostic};
use crate::input::findings::*;
use crate::input::load::Loader;
use crate::input::shell::Command;
use crate::json::{self, Json};
use crate::model::request::{self, Duration, Origin, Param, PolicyArns, Request};
use crate::source::{Dynamic, Span, Text};
use shorthand::Sh;

/// What an option does.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Kind {
    /// A string member of the request.
    Member(&'static str),
    PolicyArns,
    Duration,
    CliInputJson,
    CliInputYaml,
    Skeleton,
    /// A global option; `true` when it takes a value.
    Global(bool),
}

const OPTIONS: [(&str, Kind); 10] = [
    ("--role-arn", Kind::Member("RoleArn")),
    ("--role-session-name", Kind::Member("RoleSessionName")),
    ("--web-identity-token", Kind::Member("WebIdentityToken")),
    ("--provider-id", Kind::Member("ProviderId")),
    ("--policy-arns", Kind::PolicyArns),
    ("--policy", Kind::Member("Policy")),
    ("--duration-seconds", Kind::Duration),
    ("--cli-input-json", Kind::CliInputJson),
    ("--cli-input-yaml", Kind::CliInputYaml),
    ("--generate-cli-skeleton", Kind::Skeleton),
];

/// Global options of AWS CLI v1 and v2 (`awscli/data/cli.json`), and whether each takes a value.
const GLOBALS: [(&str, bool); 19] = [
    ("--debug", false),
    ("--v2-debug", false),
    ("--endpoint-url", true),
    ("--no-verify-ssl", false),
    ("--no-paginate", false),
    ("--output", true),
    ("--query", true),
    ("--profile", true),
    ("--region", true),
    ("--version", false),
    ("--color", true),
    ("--no-sign-request", false),
    ("--ca-bundle", true),
    ("--cli-read-timeout", true),
    ("--cli-connect-timeout", true),
    ("--cli-binary-format", true),
    ("--no-cli-pager", false),
    ("--cli-auto-prompt", false),
    ("--no-cli-auto-prompt", false),
];

/// Options of other STS operations, with the API member they set.
const OTHER_OPTIONS: [(&str, &str); 8] = [
    ("--tags", "Tags"),
    ("--transitive-tag-keys", "TransitiveTagKeys"),
    ("--external-id", "ExternalId"),
    ("--serial-number", "SerialNumber"),
    ("--token-code", "TokenCode"),
    ("--source-identity", "SourceIdentity"),
    ("--provided-contexts", "ProvidedContexts"),
    ("--saml-assertion", "SAMLAssertion"),
];

/// Words that may stand before `aws` in a command.
const PREFIX_WORDS: [&str; 16] = [
    "if", "then", "elif", "else", "do", "while", "until", "!", "{", "time", "exec", "command",
    "sudo", "env", "nohup", "builtin",
];

/// A request read from a command, with what was found on the way.
#[derive(Debug)]
pub struct Parsed {
    pub request: Request,
    pub diagnostics: Vec<Diagnostic>,
}

/// Finds and reads every AssumeRoleWithWebIdentity invocation among `commands`.
pub fn find_requests(commands: &[Command], origin: Origin, loader: &mut Loader) -> Vec<Parsed> {
    commands
        .iter()
        .filter_map(|c| operation_args(&c.words).map(|args| read(c, args, origin, loader)))
        .flatten()
        .collect()
}

fn is_static(w: &Text, s: &str) -> bool {
    w.is_static() && w.value == s
}

/// If the command is `aws ... sts ... assume-role-with-web-identity ...`, the words after the operation.
fn operation_args(words: &[Text]) -> Option<&[Text]> {
    let mut i = 0;
    while i < words.len() {
        let w = &words[i];
        let v = w.value.as_str();
        let is_assignment = w.value.split_once('=').is_some_and(|(n, _)| {
            !n.is_empty() && n.bytes().all(|b| b == b'_' || b.is_ascii_alphanumeric())
        });
        // In CI YAML (`- run: aws ...`, `script: aws ...`) the key and list marker come first.
        let is_yaml_key = v.len() > 1
            && v.ends_with(':')
            && v[..v.len() - 1]
                .bytes()
                .all(|b| b == b'_' || b == b'-' || b.is_ascii_alphanumeric());
        if w.is_static() && (PREFIX_WORDS.contains(&v) || v.starts_with('-') || is_yaml_key)
            || is_assignment
        {
            i += 1;
            continue;
        }
        break;
    }
    let aws = words.get(i)?;
    let name = aws.value.trim_start_matches(['@', '+']);
    let base = name.rsplit(['/', '\\']).next().unwrap_or(name);
    if !aws.is_static() || !matches!(base, "aws" | "aws.exe" | "aws.cmd") {
        return None;
    }
    let mut j = i + 1;
    let mut want = ["sts", "assume-role-with-web-identity"].into_iter();
    let mut next = want.next();
    while let Some(w) = words.get(j) {
        let Some(expect) = next else { break };
        if is_static(w, expect) {
            next = want.next();
            j += 1;
            if next.is_none() {
                return Some(&words[j..]);
            }
            continue;
        }
        if !w.is_static() && w.value.is_empty() {
            j += 1; // an unquoted `$AWS_ARGS` before the operation
            continue;
        }
        let (name, has_eq) = match w.value.split_once('=') {
            Some((n, _)) => (n, true),
            None => (w.value.as_str(), false),
        };
        match GLOBALS.iter().find(|(g, _)| *g == name) {
            Some((_, takes)) => j += if *takes && !has_eq { 2 } else { 1 },
            None => return None,
        }
    }
    None
}

/// How argparse classifies a word that follows an option.
fn looks_like_option(w: &Text) -> bool {
    let v = &w.value;
    if !v.starts_with('-') || v.len() == 1 || !w.dynamic.is_empty() && w.dynamic[0].at == 0 {
        return false;
    }
    let name = v.split_once('=').map_or(v.as_str(), |(n, _)| n);
    if OPTIONS.iter().any(|(o, _)| *o == name) || GLOBALS.iter().any(|(g, _)| *g == name) {
        return true;
    }
    let negative_number = {
        let rest = &v[1..];
        !rest.is_empty()
            && (rest.bytes().all(|b| b.is_ascii_digit())
                || rest.split_once('.').is_some_and(|(a, b)| {
                    a.bytes().all(|c| c.is_ascii_digit())
                        && !b.is_empty()
                        && b.bytes().all(|c| c.is_ascii_digit())
                }))
    };
    !negative_number && !v.contains(' ')
}

/// An option resolved from what was written.
struct Resolved {
    name: &'static str,
    kind: Kind,
    abbreviated: bool,
}

/// Options that only AWS CLI v2 has: accepted when written in full, but not abbreviation targets,
/// since v1's argparse does not know them.
const V2_ONLY: [&str; 5] = [
    "--cli-input-yaml",
    "--cli-binary-format",
    "--no-cli-pager",
    "--cli-auto-prompt",
    "--no-cli-auto-prompt",
];

fn resolve(written: &str) -> Result<Resolved, Vec<&'static str>> {
    let globals = || GLOBALS.iter().map(|(g, t)| (*g, Kind::Global(*t)));
    if let Some((name, kind)) = globals()
        .chain(OPTIONS.iter().copied())
        .find(|(n, _)| *n == written)
    {
        return Ok(Resolved {
            name,
            kind,
            abbreviated: false,
        });
    }
    // argparse's abbreviations: the main parser (global options) sees the words first.
    let tables: [Vec<(&'static str, Kind)>; 2] = [globals().collect(), OPTIONS.to_vec()];
    for table in tables {
        let matches: Vec<_> = table
            .iter()
            .filter(|(n, _)| written.len() > 2 && n.starts_with(written) && !V2_ONLY.contains(n))
            .collect();
        match matches.len() {
            0 => continue,
            1 => {
                return Ok(Resolved {
                    name: matches[0].0,
                    kind: matches[0].1,
                    abbreviated: true,
                })
            }
            _ => return Err(matches.iter().map(|(n, _)| *n).collect()),
        }
    }
    Err(Vec::new())
}

struct Reader<'l, 'a> {
    loader: &'l mut Loader<'a>,
    diags: Vec<Diagnostic>,
    origin: Origin,
}

/// One option occurrence: its resolved kind, the span of its name, and its value words.
struct Occurrence {
    kind: Kind,
    /// Written as a prefix or with `=`: AWS CLI v1 only honours `--cli-input-json` and
    /// `--generate-cli-skeleton` written in full as separate words.
    abbreviated: bool,
    name: &'static str,
    name_span: Span,
    values: Vec<Text>,
}

fn read(cmd: &Command, args: &[Text], origin: Origin, loader: &mut Loader) -> Option<Parsed> {
    let first = cmd.words.first()?;
    let last = cmd.words.last()?;
    let span = Span::new(first.source, first.span.start..last.span.end);
    let op = &cmd.words[cmd.words.len() - args.len() - 1];
    let aws = cmd
        .words
        .iter()
        .find(|w| {
            w.value
                .trim_start_matches(['@', '+'])
                .rsplit(['/', '\\'])
                .next()
                .is_some_and(|b| b.starts_with("aws"))
        })
        .unwrap_or(first);
    let head = Span::new(first.source, aws.span.start..op.span.end);
    let mut req = Request::new(origin, span, head);
    let mut r = Reader {
        loader,
        diags: Vec::new(),
        origin,
    };
    let mut occurrences: Vec<Occurrence> = Vec::new();

    let mut i = 0;
    while i < args.len() {
        let w = &args[i];
        i += 1;
        // A word that starts with an expansion: the shell decides what it is.
        if w.dynamic.first().is_some_and(|d| d.at == 0) {
            req.open_ended.get_or_insert(w.whole());
            r.diags.push(
                VALUE_NOT_CHECKED
                    .report(format!("arguments from `{}` are only known when the script runs; they were not checked", crate::diagnostic::shown(&w.display())))
                    .at(w.whole(), "filled in at run time")
                    .help("check the expanded command with `stslint check -- aws sts assume-role-with-web-identity ...`, or pass the values as literal options"),
            );
            continue;
        }
        if w.is_static() && w.value == "help" && !r.diags.iter().any(|d| d.rule.code == "Q008") {
            return None; // The AWS CLI prints the operation's help page and calls nothing.
        }
        if w.value == "--" {
            for rest in &args[i..] {
                r.diags.push(
                    UNEXPECTED_ARGUMENT
                        .report(format!(
                            "unexpected argument `{}` after `--`: the AWS CLI answers `Unknown options: {}`",
                            crate::diagnostic::shown(&rest.display()),
                            crate::diagnostic::shown(&rest.display())
                        ))
                        .at(rest.whole(), "not an option")
                        .help("remove it, or put the right option in front of it"),
                );
            }
            break;
        }
        if !w.value.starts_with('-')
            || w.value.len() == 1
            || !looks_like_option(w) && !w.value.starts_with("--")
        {
            r.diags.push(
                UNEXPECTED_ARGUMENT
                    .report(format!("unexpected argument `{}`: the AWS CLI answers `Unknown options: {}`", crate::diagnostic::shown(&w.display()), crate::diagnostic::shown(&w.display())))
                    .at(w.whole(), "not an option or an option's value")
                    .help("remove the word, or put the option it belongs to in front of it (a value with spaces needs quotes)"),
            );
            continue;
        }
        let (written, explicit) = match w.value.find('=') {
            Some(eq) if w.dynamic.first().is_none_or(|d| d.at > eq) => {
                (&w.value[..eq], Some(w.slice(eq + 1..w.value.len())))
            }
            _ => (w.value.as_str(), None),
        };
        let name_span = w.span_of(0..written.len());
        let resolved = match resolve(written) {
            Ok(res) => res,
            Err(candidates) if !candidates.is_empty() => {
                r.diags.push(
                    AMBIGUOUS_OPTION
                        .report(format!(
                            "`{written}` is ambiguous: it could be {}",
                            candidates.join(", ")
                        ))
                        .at(name_span, "ambiguous abbreviation")
                        .help(format!(
                            "write the option in full, e.g. `{}`",
                            candidates[0]
                        )),
                );
                skip_values(args, &mut i, explicit.is_some());
                continue;
            }
            Err(_) => {
                // The CLI lists the unknown option with the word after it: `Unknown options: --x, v`.
                let listed = match args
                    .get(i)
                    .filter(|n| explicit.is_none() && !looks_like_option(n))
                {
                    Some(n) => format!(
                        "{}, {}",
                        crate::diagnostic::shown(&w.display()),
                        crate::diagnostic::shown(&n.display())
                    ),
                    None => crate::diagnostic::shown(&w.display()),
                };
                unknown_option(&mut r, written, &listed, name_span);
                skip_values(args, &mut i, explicit.is_some());
                continue;
            }
        };
        if resolved.abbreviated {
            r.diags.push(
                ABBREVIATED_OPTION
                    .report(format!("`{written}` is an abbreviation of `{}`", resolved.name))
                    .at(name_span.clone(), "abbreviated option")
                    .help(format!("write `{}` in full: abbreviations break when a new option shares the prefix", resolved.name)),
            );
        }
        let mut values = Vec::new();
        match resolved.kind {
            Kind::Global(false) | Kind::Skeleton if explicit.is_none() => {
                if resolved.kind == Kind::Skeleton
                    && args.get(i).is_some_and(|n| {
                        !looks_like_option(n)
                            && matches!(n.value.as_str(), "input" | "output" | "yaml-input")
                    })
                {
                    i += 1;
                }
            }
            Kind::PolicyArns => {
                values.extend(explicit);
                while let Some(n) = args
                    .get(i)
                    .filter(|n| !looks_like_option(n) && n.value != "--")
                {
                    values.push(n.clone());
                    i += 1;
                }
            }
            _ => match explicit {
                Some(v) => values.push(v),
                None => {
                    if let Some(n) = args
                        .get(i)
                        .filter(|n| !looks_like_option(n) && n.value != "--")
                    {
                        values.push(n.clone());
                        i += 1;
                    }
                }
            },
        }
        let needs_value = !matches!(
            resolved.kind,
            Kind::Global(false) | Kind::Skeleton | Kind::PolicyArns
        );
        if needs_value && values.is_empty() {
            let what = if resolved.kind == Kind::PolicyArns {
                "at least one argument"
            } else {
                "one argument"
            };
            let d = MISSING_VALUE
                .report(format!("`{}` has no value: the AWS CLI answers `argument {}: expected {what}`", resolved.name, resolved.name))
                .at(name_span, "value missing")
                .help(match args.get(i) {
                    Some(n) if n.value.starts_with('-') => format!("put the value right after `{}`; a value that starts with `-` must be written `{}={}`", resolved.name, resolved.name, crate::diagnostic::shown(&n.display())),
                    _ => format!("put the value right after `{}`", resolved.name),
                });
            r.diags.push(d.param_opt(member_of(resolved.kind)));
            if let Some(m) = member_of(resolved.kind) {
                req.unreadable.push(m);
            }
            // The CLI stops at this error; the `-value` it could not take is not reported again.
            if args.get(i).is_some_and(|n| {
                n.value.starts_with('-')
                    && resolve(n.value.split('=').next().unwrap_or("")).is_err()
            }) {
                i += 1;
            }
            continue;
        }
        occurrences.push(Occurrence {
            kind: resolved.kind,
            abbreviated: resolved.abbreviated || w.value.contains('='),
            name: resolved.name,
            name_span,
            values,
        });
    }

    // `--generate-cli-skeleton` prints a template and `--version` the version: neither calls STS.
    if occurrences
        .iter()
        .any(|o| o.kind == Kind::Skeleton && !o.abbreviated || o.name == "--version")
    {
        return None;
    }

    // Repeated options: the last one wins, as in argparse.
    for (k, o) in occurrences.iter().enumerate() {
        if matches!(o.kind, Kind::Global(_)) {
            continue;
        }
        if let Some(later) = occurrences[k + 1..].iter().find(|l| l.kind == o.kind) {
            r.diags.push(
                REPEATED_PARAMETER
                    .report(format!(
                        "`{}` is given more than once: only the last value is sent",
                        o.name
                    ))
                    .at(o.name_span.clone(), "ignored")
                    .note(later.name_span.clone(), "this one wins")
                    .help(format!("remove one of the `{}` options", o.name))
                    .param_opt(member_of(o.kind)),
            );
        }
    }
    let last_of = |kind: Kind| occurrences.iter().rev().find(|o| o.kind == kind);

    // `--cli-input-json` first; explicit options override its members.
    if let Some(o) = last_of(Kind::CliInputJson).filter(|o| o.abbreviated) {
        // AWS CLI v1 relaxes the required options only for `--cli-input-json VALUE` written in full.
        for (member, option) in [
            ("RoleArn", "--role-arn"),
            ("RoleSessionName", "--role-session-name"),
            ("WebIdentityToken", "--web-identity-token"),
        ] {
            if !occurrences
                .iter()
                .any(|x| member_of(x.kind) == Some(member))
            {
                r.diags.push(
                    MISSING_REQUIRED
                        .report(format!("{option} is required on the command line here: AWS CLI v1 takes required members from --cli-input-json only when it is written in full, as `--cli-input-json VALUE` (it answers `the following arguments are required: {option}`)"))
                        .at(o.name_span.clone(), "abbreviated or written with `=`")
                        .help("write `--cli-input-json VALUE` in full, with a space instead of `=`")
                        .param(member),
                );
            }
        }
    }
    if let Some(o) = last_of(Kind::CliInputJson) {
        if let Some(text) = r.load(&o.values[0], None) {
            if text.is_static() {
                match json::parse_in(&text) {
                    Ok(node) => request_file::read_members(&node, &mut req, &mut r.diags),
                    Err(e) => {
                        let d = JSON_SYNTAX
                            .report(format!("--cli-input-json is not valid JSON: {}", e.message))
                            .at(Span::new(text.source, e.range), "here")
                            .help("fix the JSON; `aws sts assume-role-with-web-identity --generate-cli-skeleton` prints a valid template");
                        r.diags.push(d);
                    }
                }
            } else {
                req.open_ended.get_or_insert(o.values[0].whole());
            }
        }
    }
    if let Some(o) = last_of(Kind::CliInputYaml) {
        req.open_ended.get_or_insert(o.values[0].whole());
        r.diags.push(
            VALUE_NOT_CHECKED
                .report("--cli-input-yaml is not checked by stslint")
                .at(o.values[0].whole(), "not checked")
                .help("use --cli-input-json (same members) to have the request checked"),
        );
    }

    for (_, kind) in OPTIONS {
        let Some(o) = last_of(kind) else { continue };
        match kind {
            Kind::Member(m) => {
                let slot = req.string_param_mut(m).expect("string member");
                *slot = None;
                match r.load(&o.values[0], Some(m)) {
                    Some(text) => {
                        *req.string_param_mut(m).expect("string member") = Some(Param {
                            text,
                            name: o.name_span.clone(),
                        });
                    }
                    None => req.unreadable.push(m),
                }
            }
            Kind::Duration => {
                req.duration_seconds = None;
                match r.load(&o.values[0], Some("DurationSeconds")) {
                    Some(text) => {
                        let seconds = if text.is_static() {
                            python_int(&text.value)
                        } else {
                            None
                        };
                        if text.is_static() && seconds.is_none() {
                            r.diags.push(
                                INVALID_TYPE
                                    .report(format!("DurationSeconds `{}` is not an integer: the AWS CLI answers `invalid literal for int() with base 10: '{}'`", crate::diagnostic::shown(&text.value), crate::diagnostic::shown(&text.value)))
                                    .at(text.content_span(), "not an integer")
                                    .help(duration_help(&text.value))
                                    .param("DurationSeconds"),
                            );
                            req.unreadable.push("DurationSeconds");
                        } else {
                            req.duration_seconds = Some(Duration {
                                param: Param {
                                    text,
                                    name: o.name_span.clone(),
                                },
                                seconds,
                            });
                        }
                    }
                    None => req.unreadable.push("DurationSeconds"),
                }
            }
            Kind::PolicyArns => {
                req.policy_arns = None;
                match r.policy_arns(o) {
                    Some(p) => req.policy_arns = Some(p),
                    None => req.unreadable.push("PolicyArns"),
                }
            }
            _ => {}
        }
    }
    Some(Parsed {
        request: req,
        diagnostics: r.diags,
    })
}

fn member_of(kind: Kind) -> Option<&'static str> {
    match kind {
        Kind::Member(m) => Some(m),
        Kind::PolicyArns => Some("PolicyArns"),
        Kind::Duration => Some("DurationSeconds"),
        _ => None,
    }
}

/// Skips the value words of an unknown option, as argparse would leave them as extras.
fn skip_values(args: &[Text], i: &mut usize, had_explicit: bool) {
    if had_explicit {
        return;
    }
    // The AWS CLI reports the option and its value together as unknown; skipping one value word
    // keeps that value from being reported again as an unexpected argument.
    if args.get(*i).is_some_and(|n| !looks_like_option(n)) {
        *i += 1;
    }
}

/// Q002/Q003 for an option the operation does not have; `listed` is what the CLI's message lists.
fn unknown_option(r: &mut Reader, written: &str, listed: &str, span: Span) {
    if let Some((opt, member)) = OTHER_OPTIONS.iter().find(|(o, _)| *o == written) {
        let op = request::OTHER_OPERATION_MEMBERS
            .iter()
            .find(|(m, _)| m == member)
            .map_or("another operation", |(_, op)| op);
        r.diags.push(
            OTHER_OPERATION_PARAMETER
                .report(format!("`{opt}` is not an option of assume-role-with-web-identity: {member} belongs to {op}"))
                .at(span, "not accepted by this operation")
                .help(format!("remove `{opt}`; the AWS CLI answers `Unknown options: {listed}`")),
        );
        return;
    }
    let candidates = OPTIONS
        .iter()
        .map(|(o, _)| *o)
        .chain(GLOBALS.iter().map(|(g, _)| *g));
    let d = UNKNOWN_PARAMETER
        .report(format!(
            "unknown option `{written}`: the AWS CLI answers `Unknown options: {listed}`"
        ))
        .at(span, "unknown option");
    r.diags.push(match closest(written, candidates) {
        Some(s) => d.help(format!("did you mean `{s}`?")),
        None => d.help("see `aws sts assume-role-with-web-identity help` for the options"),
    });
}

fn duration_help(v: &str) -> String {
    let t = v.trim();
    let unit = |suffix: &str, mul: i64| {
        t.strip_suffix(suffix)
            .and_then(|n| n.trim().parse::<i64>().ok())
            .map(|n| n * mul)
    };
    match unit("h", 3600).or(unit("m", 60)).or(unit("s", 1)) {
        Some(secs) => format!("give the duration in whole seconds: `--duration-seconds {secs}`"),
        None => {
            "give the duration in whole seconds, from 900 to 43200, e.g. `--duration-seconds 3600`"
                .into()
        }
    }
}

/// Python's `int(str)`: surrounding whitespace, a sign, ASCII digits with single underscores between.
/// Whether shorthand text has a `key@=` (value read from a file): `@=` right after a key, at the
/// start or after a `,`. Inside a value (`arn=arn:aws:iam::1:policy/a@=b`) it is text.
fn loads_from_file(v: &str) -> bool {
    v.split(',').any(|item| {
        let rest = item
            .trim_start()
            .trim_start_matches(|c: char| c.is_ascii_alphanumeric() || "-_.#/:".contains(c));
        rest.trim_start().starts_with("@=")
    })
}

pub fn python_int(s: &str) -> Option<i64> {
    let t = s.trim_matches(|c: char| c.is_whitespace() || ('\u{1c}'..='\u{1f}').contains(&c));
    let (neg, digits) = match t.as_bytes().first() {
        Some(b'-') => (true, &t[1..]),
        Some(b'+') => (false, &t[1..]),
        _ => (false, t),
    };
    let chars: Vec<char> = digits.chars().collect();
    if chars.first().and_then(|&c| decimal(c)).is_none()
        || chars.last().and_then(|&c| decimal(c)).is_none()
    {
        return None;
    }
    let mut n: i64 = 0;
    for (k, &c) in chars.iter().enumerate() {
        match decimal(c) {
            Some(d) => n = n.saturating_mul(10).saturating_add(i64::from(d)),
            None if c == '_' && chars[k + 1] != '_' => {}
            None => return None,
        }
    }
    Some(if neg { -n } else { n })
}

/// The value of a decimal digit as Python's `int()` reads it: ASCII and the Unicode `Nd` digit runs
/// of the common scripts (Arabic-Indic, Devanagari, fullwidth...).
fn decimal(c: char) -> Option<u32> {
    const ZEROS: [u32; 37] = [
        0x30, 0x660, 0x6F0, 0x7C0, 0x966, 0x9E6, 0xA66, 0xAE6, 0xB66, 0xBE6, 0xC66, 0xCE6, 0xD66,
        0xDE6, 0xE50, 0xED0, 0xF20, 0x1040, 0x1090, 0x17E0, 0x1810, 0x1946, 0x19D0, 0x1A80, 0x1A90,
        0x1B50, 0x1BB0, 0x1C40, 0x1C50, 0xA620, 0xA8D0, 0xA900, 0xA9D0, 0xA9F0, 0xAA50, 0xABF0,
        0xFF10,
    ];
    let u = c as u32;
    ZEROS
        .iter()
        .find(|&&z| (z..z + 10).contains(&u))
        .map(|z| u - z)
}

impl Reader<'_, '_> {
    /// The value the CLI would use for an argument: `file://` read, `fileb://` and URLs refused or noted.
    fn load(&mut self, w: &Text, member: Option<&'static str>) -> Option<Text> {
        let known_prefix = match w.dynamic.first() {
            Some(d) => &w.value[..d.at],
            None => w.value.as_str(),
        };
        let what = member.unwrap_or("--cli-input-json");
        if let Some(path) = known_prefix.strip_prefix("file://") {
            if !w.is_static() || path.contains('$') {
                self.diags.push(
                    VALUE_NOT_CHECKED
                        .report(format!("{what} is read from `{}`, a path only known when the script runs; its content was not checked", crate::diagnostic::shown(&w.display())))
                        .at(w.whole(), "path filled in by the shell")
                        .help("run `stslint check` on the file itself, or on the expanded command".to_string()),
                );
                return Some(dynamic_text(w));
            }
            return match self.loader.param_file(path) {
                Ok(t) => Some(t),
                Err(e) => {
                    // In a script the file may well be written by an earlier command; in a command
                    // about to run (argv) it must exist now.
                    let later = self.origin == Origin::Shell
                        && e == crate::input::load::ReadError::NotFound;
                    let d = FILE_UNREADABLE
                        .report(if later {
                            format!("cannot read {what} from `file://{path}`: no such file here; the AWS CLI answers `Unable to load paramfile` unless the file exists when the command runs")
                        } else {
                            format!("cannot read {what} from `file://{path}`: {e}")
                        })
                        .at(w.content_span(), "file:// value")
                        .help(format!("the AWS CLI opens `{path}` relative to the directory it runs in (`~` is your home directory); check the path, or pass the value itself"))
                        .param_opt(member);
                    self.diags.push(if later {
                        d.severity(crate::diagnostic::Severity::Warning)
                    } else {
                        d
                    });
                    None
                }
            };
        }
        if let (Some(path), None | Some("DurationSeconds")) =
            (known_prefix.strip_prefix("fileb://"), member)
        {
            // Python's int() accepts bytes, so the CLI reads fileb:// here like file://.
            if w.is_static() {
                let as_file = Text {
                    value: format!("file://{path}"),
                    ..w.clone()
                };
                return self.load(&as_file, member);
            }
        }
        if let Some(fileb_path) = known_prefix.strip_prefix("fileb://") {
            self.diags.push(
                FILEB_NOT_TEXT
                    .report(format!("{what} is a string, but `fileb://` passes bytes: the AWS CLI answers `Invalid type for parameter {what}, ... type: <class 'bytes'>, valid types: <class 'str'>`"))
                    .at(w.span_of(0..8), "binary file reference")
                    .help(format!("use `file://{}` to pass the file's text", fileb_path))
                    .param_opt(member),
            );
            return None;
        }
        if known_prefix.starts_with("http://") || known_prefix.starts_with("https://") {
            self.diags.push(
                VALUE_NOT_CHECKED
                    .report(format!("{what} starts with a URL: AWS CLI v1 replaces it with the page it fetches (v2 sends the URL itself); not checked"))
                    .at(w.whole(), "fetched by AWS CLI v1")
                    .help("save the content to a file and pass file://PATH, which both CLI versions read the same way")
                    .param_opt(member),
            );
            return Some(dynamic_text(w));
        }
        if !w.is_static() {
            self.diags.push(
                VALUE_NOT_CHECKED
                    .report(format!("{what} {} is only known when the script runs; {}", shown(w, member), if w.value.is_empty() { "it was not checked".to_string() } else { "only its literal part was checked".into() }))
                    .at(w.whole(), "filled in at run time")
                    .help("check the expanded command with `stslint check -- aws sts assume-role-with-web-identity ...`".to_string())
                    .param_opt(member),
            );
        }
        Some(w.clone())
    }

    fn policy_arns(&mut self, o: &Occurrence) -> Option<PolicyArns> {
        let Some(first) = o.values.first() else {
            // `--policy-arns` with no words: argparse's nargs='*' gives an empty list, sent as such.
            return Some(PolicyArns {
                arns: Vec::new(),
                name: o.name_span.clone(),
                span: o.name_span.clone(),
            });
        };
        let span = first.whole().to(&o.values[o.values.len() - 1].whole());
        let mut words: Vec<Text> = o.values.clone();
        // The CLI resolves `file://` only when there is exactly one word, and then parses the file's
        // text as one string: only a JSON list is a valid list there.
        if words.len() == 1 {
            let written = words[0].clone();
            words[0] = self.load(&words[0], Some("PolicyArns"))?;
            if words[0].source != written.source
                && words[0].is_static()
                && !words[0].value.trim_start().starts_with('[')
            {
                self.diags.push(
                    POLICY_ARNS_SYNTAX
                        .report("a `file://` value for --policy-arns must hold a JSON list: the AWS CLI parses the file's text as one value, and anything else fails (`Invalid type for parameter PolicyArns ... valid types: <class 'list'>`)")
                        .at(written.whole(), "file content is not a JSON list")
                        .help("write the file as [{\"arn\": \"ARN1\"}, {\"arn\": \"ARN2\"}]")
                        .param("PolicyArns"),
                );
                return None;
            }
        }
        // `key@=file://...` loads a shorthand value from a file: not followed by stslint.
        if let Some(w) = words
            .iter()
            .find(|w| !w.value.trim_start().starts_with(['[', '{']) && loads_from_file(&w.value))
        {
            self.diags.push(
                VALUE_NOT_CHECKED
                    .report("--policy-arns uses `@=`, which makes the AWS CLI read the value from a file; stslint does not follow it, so the ARNs were not checked")
                    .at(w.whole(), "value read from a file")
                    .help("write the ARNs inline (`arn=ARN`) or as a JSON list in a file passed with file://")
                    .param("PolicyArns"),
            );
            return Some(PolicyArns {
                arns: vec![dynamic_text(w)],
                name: o.name_span.clone(),
                span,
            });
        }
        // Words the shell fills in are entries stslint cannot read; the literal words are still
        // checked, unless the first word (which decides JSON or shorthand) is unknown.
        if words.len() > 1 {
            for w in words.iter().filter(|w| !w.is_static()) {
                self.load(w, Some("PolicyArns"));
            }
        }
        let undecidable = words[0]
            .dynamic
            .first()
            .is_some_and(|d| words[0].value[..d.at].trim_start().is_empty());
        if undecidable {
            return Some(PolicyArns {
                arns: words.iter().map(dynamic_text).collect(),
                name: o.name_span.clone(),
                span,
            });
        }
        let mut arns = Vec::new();
        let looks_json = words[0].value.trim_start().starts_with(['[', '{']);
        let bad = |me: &mut Self, at: Span, message: String, help: &str| {
            me.diags.push(
                POLICY_ARNS_SYNTAX
                    .report(message)
                    .at(at, "here")
                    .help(help)
                    .param("PolicyArns"),
            );
        };
        if looks_json {
            let single_list = words.len() == 1 && words[0].value.trim_start().starts_with('[');
            for (k, w) in words.iter().enumerate() {
                if !w.is_static() {
                    arns.push(dynamic_text(w));
                    continue;
                }
                if !single_list && !w.value.trim_start().starts_with('{') {
                    bad(self, w.whole(), format!("Error parsing parameter '--policy-arns': Invalid JSON: `{}`", w.value), "give one JSON list (`'[{\"arn\":\"ARN1\"},{\"arn\":\"ARN2\"}]'`) or shorthand words (`arn=ARN1 arn=ARN2`)");
                    return None;
                }
                let node = match json::parse_in(w) {
                    Ok(n) => n,
                    Err(e) => {
                        bad(self, Span::new(w.source, e.range), format!("Error parsing parameter '--policy-arns': Invalid JSON: {}", e.message), "fix the JSON, e.g. `'[{\"arn\":\"arn:aws:iam::111122223333:policy/Name\"}]'`");
                        return None;
                    }
                };
                let items: Vec<&json::Node> = match &node.value {
                    Json::Array(items) if single_list => items.iter().collect(),
                    _ => vec![&node],
                };
                for (n, item) in items.iter().enumerate() {
                    let index = if single_list { n } else { k };
                    if !self.json_descriptor(item, w.source, index, &mut arns) {
                        return None;
                    }
                }
            }
        } else {
            for (k, w) in words.iter().enumerate() {
                if !w.is_static() {
                    arns.push(dynamic_text(w));
                    continue;
                }
                match shorthand::parse(w) {
                    Err(e) => {
                        // The character the parser stopped at (one byte would split a multi-byte one).
                        let from = e.at.min(w.value.len());
                        let to = from + w.value[from..].chars().next().map_or(0, char::len_utf8);
                        let at = w.span_of(from..to);
                        let help = shorthand_help(w, &e);
                        bad(
                            self,
                            at,
                            format!("Error parsing parameter '--policy-arns': {}", e.message),
                            &help,
                        );
                        return None;
                    }
                    Ok(pairs) => {
                        for (key, value) in pairs {
                            if key.value != "arn" {
                                let msg = format!("Unknown parameter in PolicyArns[{k}]: \"{}\", must be one of: arn", key.value);
                                let help = if key.value.starts_with("arn:") {
                                    "a bare ARN is read as a key: write each entry as `arn=ARN`, separated by spaces".to_string()
                                } else {
                                    format!("write `arn={}`", shorthand_value_text(&value))
                                };
                                bad(self, key.whole(), msg, &help);
                                return None;
                            }
                            match value {
                                Sh::Str(t) => arns.push(t),
                                other => {
                                    let kind = if matches!(other, Sh::List(_)) {
                                        "list"
                                    } else {
                                        "dict"
                                    };
                                    bad(self, w.whole(), format!("Invalid type for parameter PolicyArns[{k}].arn, type: <class '{kind}'>, valid types: <class 'str'>"), "give one ARN per `arn=` entry and separate entries with spaces: `arn=ARN1 arn=ARN2`");
                                    return None;
                                }
                            }
                        }
                    }
                }
            }
        }
        Some(PolicyArns {
            arns,
            name: o.name_span.clone(),
            span,
        })
    }

    /// One `{"arn": ...}` entry of a JSON --policy-arns value (spans already in `source`).
    fn json_descriptor(
        &mut self,
        item: &json::Node,
        source: crate::source::SourceId,
        index: usize,
        arns: &mut Vec<Text>,
    ) -> bool {
        let at = |r: &std::ops::Range<usize>| Span::new(source, r.clone());
        let Some(members) = item.members() else {
            self.diags.push(
                INVALID_TYPE
                    .report(format!("Invalid type for parameter PolicyArns[{index}]: a JSON {}, but each entry must be an object `{{\"arn\": \"...\"}}`", item.type_name()))
                    .at(at(&item.span), "not an object")
                    .help("write each entry as {\"arn\": \"arn:aws:iam::111122223333:policy/Name\"}")
                    .param("PolicyArns"),
            );
            return false;
        };
        for m in members {
            if m.key.value != "arn" {
                self.diags.push(
                    POLICY_ARNS_SYNTAX
                        .report(format!(
                            "Unknown parameter in PolicyArns[{index}]: \"{}\", must be one of: arn",
                            m.key.value
                        ))
                        .at(m.key.whole(), "unknown key")
                        .help("the key is `arn`, in lower case")
                        .param("PolicyArns"),
                );
                return false;
            }
            if members
                .iter()
                .skip_while(|x| !std::ptr::eq(*x, m))
                .skip(1)
                .any(|later| later.key.value == "arn")
            {
                continue; // Python's json keeps the last of duplicated keys.
            }
            match m.value.as_str() {
                Some(t) => arns.push(t.clone()),
                None => {
                    self.diags.push(
                        INVALID_TYPE
                            .report(format!("Invalid type for parameter PolicyArns[{index}].arn: a JSON {}, valid types: string", m.value.type_name()))
                            .at(at(&m.value.span), "not a string")
                            .help("give the ARN as a string")
                            .param("PolicyArns"),
                    );
                    return false;
                }
            }
        }
        true
    }
}

fn shorthand_value_text(v: &Sh) -> String {
    match v {
        Sh::Str(t) => t.value.clone(),
        _ => "ARN".into(),
    }
}

fn shorthand_help(w: &Text, e: &shorthand::ShError) -> String {
    if e.message.starts_with("Second instance") {
        return "separate the entries with spaces, not commas: `arn=ARN1 arn=ARN2`".into();
    }
    if w.value.starts_with("arn:") {
        let arns: Vec<&str> = w.value.split(',').map(str::trim).collect();
        return format!(
            "write each entry as `arn=ARN`, separated by spaces: `{}`",
            arns.iter()
                .map(|a| format!("arn={a}"))
                .collect::<Vec<_>>()
                .join(" ")
        );
    }
    "write each entry as `arn=ARN`, separated by spaces, or give JSON: `'[{\"arn\":\"ARN\"}]'`"
        .into()
}

/// A value for a message: the token's literal part may be a secret, so for it only the shell
/// expressions are named.
fn shown(w: &Text, member: Option<&str>) -> String {
    if member == Some("WebIdentityToken") {
        let exprs: Vec<String> = w.dynamic.iter().map(|d| format!("`{}`", d.expr)).collect();
        return format!("(from {})", exprs.join(" and "));
    }
    format!("`{}`", crate::diagnostic::shown(&w.display()))
}

/// A stand-in for a value whose content is unknown (a URL the CLI fetches, a file only the script knows).
fn dynamic_text(w: &Text) -> Text {
    Text {
        value: String::new(),
        source: w.source,
        span: w.span.clone(),
        segs: Vec::new(),
        dynamic: vec![Dynamic {
            at: 0,
            expr: w.display(),
            span: w.whole(),
        }],
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn at_equals_loads_a_file_only_after_a_key() {
        // Checked against awscli 1.46.3's ShorthandParser: `arn@=x` → {'arn': 'x'} read from a
        // file; `arn=x@=y` → {'arn': 'x@=y'}.
        assert!(loads_from_file("arn@=file://arns.txt"));
        assert!(loads_from_file(" arn @=x"));
        assert!(loads_from_file("a=1,arn@=x"));
        assert!(!loads_from_file("arn=arn:aws:iam::000000000000:policy/@="));
        assert!(!loads_from_file("arn=x@=y"));
        assert!(!loads_from_file("arn=x"));
    }

    #[test]
    fn python_int_matches_python() {
        assert_eq!(python_int("3600"), Some(3600));
        assert_eq!(python_int(" 3600\n"), Some(3600));
        assert_eq!(python_int("+3_600"), Some(3600));
        assert_eq!(python_int("-5"), Some(-5));
        assert_eq!(python_int("\u{661}\u{662}\u{663}\u{664}"), Some(1234));
        assert_eq!(python_int("\u{ff13}\u{ff16}\u{ff10}\u{ff10}"), Some(3600));
        for bad in ["", "1h", "3600.0", "0x10", "3__600", "_1", "1_", "+", " "] {
            assert_eq!(python_int(bad), None, "{bad:?}");
        }
    }

    fn parsed(script: &str) -> Vec<Parsed> {
        let mut sources = crate::source::Sources::default();
        let id = sources.add(crate::source::SourceFile::new("t", script));
        let lexed = crate::input::shell::lex(script, id);
        let mut loader = Loader::new(&mut sources, std::env::current_dir().unwrap());
        find_requests(&lexed.commands, Origin::Shell, &mut loader)
    }

    fn found(script: &str) -> Vec<Request> {
        parsed(script).into_iter().map(|p| p.request).collect()
    }

    #[test]
    fn invocations_are_found_where_scripts_put_them() {
        let op = "aws sts assume-role-with-web-identity --role-session-name s1";
        for script in [
            op.to_string(),
            format!("CREDS=$({op})"),
            format!("if {op} > /dev/null; then echo ok; fi"),
            format!("AWS_REGION=eu-west-1 sudo -E {op}"),
            format!("deploy:\n\t@{op} --role-arn $(ROLE_ARN)\n"),
            "/usr/local/bin/aws --region us-east-1 sts --output json assume-role-with-web-identity --role-session-name s1".to_string(),
            format!("steps:\n  - run: {op}\n  - name: x\n    run: |\n      {op}\n"),
            format!("script:\n  - {op} --web-identity-token ${{{{ secrets.TOKEN }}}}\n"),
        ] {
            let reqs = found(&script);
            assert!(!reqs.is_empty(), "not found in {script:?}");
            assert!(reqs.iter().all(|r| r.role_session_name.as_ref().is_some_and(|p| p.text.value == "s1")), "{script:?}");
        }
        for script in [
            "echo aws sts assume-role-with-web-identity",
            "aws sts assume-role --role-arn x",
            "# aws sts assume-role-with-web-identity",
            "aws sts get-caller-identity",
            "aws s3 assume-role-with-web-identity",
        ] {
            assert!(found(script).is_empty(), "{script:?}");
        }
    }

    #[test]
    fn messages_quote_what_the_cli_says() {
        let codes_msgs = |extra: &str| -> Vec<(&'static str, String)> {
            let script = format!("aws sts assume-role-with-web-identity --role-arn arn:aws:iam::111122223333:role/ci --role-session-name ci-run --web-identity-token abcd {extra}");
            parsed(&script)
                .into_iter()
                .flat_map(|p| p.diagnostics)
                .map(|d| (d.rule.code, d.message))
                .collect()
        };
        let got = codes_msgs("--role-sesion-name ci");
        assert!(
            got.iter()
                .any(|(c, m)| *c == "Q002"
                    && m.contains("`Unknown options: --role-sesion-name, ci`")),
            "{got:?}"
        );
        let got = codes_msgs("--external-id=x1");
        assert!(got.iter().any(|(c, _)| *c == "Q003"), "{got:?}");
        // `--duration-seconds -abc`: the CLI stops at "expected one argument"; `-abc` is not reported again.
        let got = codes_msgs("--duration-seconds -abc");
        assert_eq!(
            got.iter().map(|(c, _)| *c).collect::<Vec<_>>(),
            vec!["Q005"],
            "{got:?}"
        );
    }

    #[test]
    fn resolves_abbreviations_like_argparse() {
        assert_eq!(resolve("--role-a").map(|r| r.name).ok(), Some("--role-arn"));
        assert_eq!(resolve("--reg").map(|r| r.name).ok(), Some("--region"));
        assert!(matches!(resolve("--ro"), Err(c) if c.len() == 2));
        assert!(matches!(resolve("--nope"), Err(c) if c.is_empty()));
        assert!(!resolve("--policy").unwrap().abbreviated);
    }
}
