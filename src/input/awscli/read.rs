//! One command's arguments read the way the AWS CLI reads them (argparse, then awscli's value
//! handling) into a [`Request`], with the findings on the way: unknown and repeated options,
//! missing values, stray words, abbreviations.

use super::options::*;
use super::request_file;
use super::values::*;
use super::Parsed;
use crate::diagnostic::closest;
use crate::input::findings::*;
use crate::input::load::Loader;
use crate::input::shell::Command;
use crate::json;
use crate::model::request::{self, Duration, Origin, Param, Request};
use crate::source::{Span, Text};

pub(super) fn read(
    cmd: &Command,
    args: &[Text],
    origin: Origin,
    loader: &mut Loader,
) -> Option<Parsed> {
    let first = cmd.words.first()?;
    // Words may come from elsewhere in the file (an array's elements, a marker for what `xargs`
    // appends): the request covers all of them.
    let start = cmd.words.iter().map(|w| w.span.start).min()?;
    let end = cmd.words.iter().map(|w| w.span.end).max()?;
    let span = Span::new(first.source, start..end);
    let op = &cmd.words[cmd.words.len() - args.len() - 1];
    let aws = cmd
        .words
        .iter()
        .find(|w| {
            w.value
                .trim_start_matches(['@', '+', '-'])
                .rsplit(['/', '\\'])
                .next()
                .is_some_and(|b| b.starts_with("aws"))
        })
        .unwrap_or(first);
    let head = Span::new(first.source, aws.span.start..op.span.end);
    let mut req = Request::new(origin, span, head);
    req.via = cmd.via.clone();
    let mut r = Reader {
        loader,
        diags: Vec::new(),
        origin,
        files: &cmd.files,
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
