//! Files and directories: a directory walk (ignore files honoured, hidden paths skipped, each file's
//! kind decided by name before it is read), files checked in parallel and merged in path order.

use super::configs::Configs;
use super::text::check_text;
use super::{flush, Options, Stream, STREAM_CHUNK};
use crate::config;
use crate::input::kind::{kind_by_name, read_head, walk_kind, Kind};
use crate::input::load::{self, MAX_INPUT_BYTES};
use crate::model::request::Origin;
use crate::output::Report;
use crate::rules;
use crate::source::SourceFile;
use std::path::{Path, PathBuf};

/// Checks a file or a directory; `false` when a broken configuration stops the run.
pub(super) fn check_path(
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
        let mut jobs: Vec<(PathBuf, Kind, std::sync::Arc<config::Config>)> = Vec::new();
        // Ignore files inside the walked directory are honoured; none above it, and not the
        // global gitignore named in ~/.gitconfig: stslint reads only under what it was given.
        // Hidden paths are skipped, except where CI definitions live.
        let walk = ignore::WalkBuilder::new(path)
            .follow_links(false)
            .parents(false)
            .git_global(false)
            .hidden(false)
            .filter_entry(|e| {
                e.depth() == 0 || !is_hidden(e.file_name()) || ci_location(e.file_name())
            })
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
        let one =
            |(p, kind, cfg): &(PathBuf, Kind, std::sync::Arc<config::Config>)| -> Option<Report> {
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
                if !kind.wanted(&text) {
                    return None;
                }
                let mut part = Report {
                    sources: ids.fork(),
                    ..Report::default()
                };
                // One copy of the text, shared by the source table and the front end.
                let text: std::sync::Arc<str> = text.into();
                let id = part.sources.add(SourceFile::new(display(p), text.clone()));
                part.files_checked = 1;
                check_text(&mut part, id, &text, *kind, Origin::Shell, opts, ctx, reads);
                cfg.apply_from(&mut part.diagnostics, 0);
                Some(part)
            };
        let parallel = jobs.len() > 8;
        let run =
            |chunk: &[(PathBuf, Kind, std::sync::Arc<config::Config>)]| -> Vec<Option<Report>> {
                if parallel {
                    use rayon::prelude::*;
                    chunk.par_iter().map(one).collect()
                } else {
                    chunk.iter().map(one).collect()
                }
            };
        let mut chunks = jobs.chunks(STREAM_CHUNK);
        let mut pending = chunks.next().map(run);
        while let Some(parts) = pending.take() {
            let next = chunks.next();
            // The next chunk is read and checked on the thread pool while this one is merged and
            // printed here, so printing does not leave the pool idle.
            rayon::in_place_scope(|s| {
                if let Some(next) = next {
                    let pending = &mut pending;
                    s.spawn(move |_| *pending = Some(run(next)));
                }
                for part in parts.into_iter().flatten() {
                    report.merge(part);
                }
                flush(report, stream);
            });
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
            // Named by pre-commit or an editor: chosen as a directory walk would choose it.
            let walked = walk_kind(path, || text.as_bytes().iter().take(128).copied().collect());
            if opts.skip_unrelated && (walked.is_none() || !kind.wanted(&text)) {
                return true;
            }
            let id = report.sources.add(SourceFile::new(
                display(path),
                std::sync::Arc::<str>::from(text.as_str()),
            ));
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

fn is_hidden(name: &std::ffi::OsStr) -> bool {
    name.to_str().is_some_and(|n| n.starts_with('.'))
}

/// Hidden files and directories a walk enters: where CI systems keep their definitions.
pub(super) fn ci_location(name: &std::ffi::OsStr) -> bool {
    let Some(n) = name.to_str() else { return false };
    matches!(
        n,
        ".github"
            | ".gitlab"
            | ".circleci"
            | ".buildkite"
            | ".woodpecker"
            | ".azure-pipelines"
            | ".azuredevops"
            | ".tekton"
            | ".harness"
    ) || [".gitlab-ci.", ".drone.", ".woodpecker.", ".travis."]
        .iter()
        .any(|p| n.starts_with(p))
}

pub(super) fn display(p: &Path) -> String {
    let s = p.display().to_string();
    s.strip_prefix("./").map(str::to_string).unwrap_or(s)
}
