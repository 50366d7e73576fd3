//! Configuration: `stslint.toml` (top-level keys) or `.stslint.toml` (top level or a
//! `[tool.stslint]` table), found by walking up from each checked file, or named with `--config`.
//!
//! ```toml
//! select = ["T", "P0"]        # rules to run: codes or prefixes (default: all)
//! ignore = ["T017", "I005"]   # rules to drop: codes or prefixes (the more specific of select/ignore wins)
//! fail-on = "warning"         # the lowest severity that makes `check` exit 1 (default: error)
//! exclude = ["vendor/**"]     # globs of files a directory walk skips
//! [severity]                  # per-rule or per-prefix severity overrides
//! D002 = "error"
//! ```
//!
//! Unknown keys and bad values are errors that point into the file (I007). Inline
//! `# stslint: ignore[...]` comments are read by [`suppress`]. May import `crate::rules` (the
//! catalogue), `crate::input` (to read files) and the foundations.

pub mod suppress;

use crate::diagnostic::{Diagnostic, Severity};
use crate::source::{SourceFile, SourceId, Sources, Span};
use std::path::{Path, PathBuf};
use toml::de::{DeTable, DeValue};

/// The names looked for in each directory, in order.
pub const NAMES: [&str; 2] = ["stslint.toml", ".stslint.toml"];

/// One configuration.
#[derive(Debug, Clone, Default)]
pub struct Config {
    /// The file it came from (`None`: the defaults).
    pub path: Option<PathBuf>,
    pub select: Vec<String>,
    pub ignore: Vec<String>,
    pub severity: Vec<(String, Severity)>,
    pub fail_on: Option<Severity>,
    pub exclude: Option<globset::GlobSet>,
    /// The directory `exclude` globs are relative to.
    pub root: PathBuf,
}

/// The longest of `prefixes` that `code` starts with (codes compare case-insensitively).
fn best<'a>(code: &str, prefixes: impl Iterator<Item = &'a String>) -> Option<usize> {
    prefixes
        .filter(|p| {
            code.get(..p.len())
                .is_some_and(|head| head.eq_ignore_ascii_case(p))
        })
        .map(|p| p.len())
        .max()
}

impl Config {
    /// Whether a rule runs under this configuration.
    pub fn enabled(&self, code: &str) -> bool {
        let sel = if self.select.is_empty() {
            Some(0)
        } else {
            best(code, self.select.iter())
        };
        match (sel, best(code, self.ignore.iter())) {
            (None, _) => false,
            (Some(_), None) => true,
            (Some(s), Some(i)) => s > i,
        }
    }

    /// The severity for a rule: the most specific override, else `default`.
    pub fn severity_of(&self, code: &str, default: Severity) -> Severity {
        self.severity
            .iter()
            .filter(|(p, _)| {
                code.to_ascii_uppercase()
                    .starts_with(&p.to_ascii_uppercase())
            })
            .max_by_key(|(p, _)| p.len())
            .map(|(_, s)| *s)
            .unwrap_or(default)
    }

    /// Whether a directory walk skips this file.
    pub fn excludes(&self, path: &Path) -> bool {
        let Some(set) = &self.exclude else {
            return false;
        };
        let rel = path.strip_prefix(&self.root).unwrap_or(path);
        let rel = rel.strip_prefix(".").unwrap_or(rel);
        set.is_match(rel) || path.file_name().is_some_and(|n| set.is_match(n))
    }

    /// Applies the configuration to the findings from index `start` on.
    pub fn apply_from(&self, diagnostics: &mut Vec<Diagnostic>, start: usize) {
        let mut tail = diagnostics.split_off(start.min(diagnostics.len()));
        self.apply(&mut tail);
        diagnostics.extend(tail);
    }

    /// Applies select/ignore and severity overrides to findings.
    pub fn apply(&self, diagnostics: &mut Vec<Diagnostic>) {
        diagnostics.retain(|d| self.enabled(d.rule.code) || d.rule.code == "I007");
        for d in diagnostics.iter_mut() {
            // A finding whose rule chose its own severity (a warning-level case of an error rule)
            // keeps it unless the configuration names the rule.
            if self.severity.iter().any(|(p, _)| {
                d.rule
                    .code
                    .to_ascii_uppercase()
                    .starts_with(&p.to_ascii_uppercase())
            }) {
                d.severity = self.severity_of(d.rule.code, d.severity);
            }
        }
    }
}

/// The nearest configuration file at or above `dir`.
pub fn discover(dir: &Path) -> Option<PathBuf> {
    let mut d = Some(dir);
    while let Some(cur) = d {
        for n in NAMES {
            let p = cur.join(n);
            if p.is_file() {
                return Some(p);
            }
        }
        d = cur.parent();
    }
    None
}

fn severity(s: &str) -> Option<Severity> {
    match s {
        "error" => Some(Severity::Error),
        "warning" => Some(Severity::Warning),
        "info" => Some(Severity::Info),
        _ => None,
    }
}

/// Reads a configuration file. Problems are I007 findings pointing into it (the source is added
/// to `sources`); the configuration is `None` when there are any.
pub fn load(path: &Path, sources: &mut Sources) -> Result<Config, Vec<Diagnostic>> {
    let shown = path.display().to_string();
    let text = match crate::input::load::read_text(path, crate::input::load::MAX_PARAM_FILE_BYTES) {
        Ok(t) => t,
        Err(e) => {
            let id = sources.add(SourceFile::new(shown.clone(), ""));
            return Err(vec![invalid(
                format!("cannot read the configuration {shown}: {e}"),
                Span::new(id, 0..0),
                "give a readable stslint.toml",
            )]);
        }
    };
    let id = sources.add(SourceFile::new(
        shown.trim_start_matches("./"),
        text.clone(),
    ));
    parse(&text, id, path)
}

fn invalid(msg: String, span: Span, help: &str) -> Diagnostic {
    crate::rules::input::CONFIG_INVALID
        .report(msg)
        .at(span, "here")
        .help(help.to_string())
}

/// Parses configuration text (`id` is its source, `path` where it lives).
pub fn parse(text: &str, id: SourceId, path: &Path) -> Result<Config, Vec<Diagnostic>> {
    let span = |r: std::ops::Range<usize>| Span::new(id, r);
    let doc = match DeTable::parse(text) {
        Ok(d) => d,
        Err(e) => {
            let r = e.span().unwrap_or(0..0);
            return Err(vec![invalid(
                format!("the configuration is not valid TOML: {}", e.message()),
                span(r),
                "fix the TOML syntax",
            )]);
        }
    };
    let mut table = doc.get_ref();
    // `.stslint.toml` may hold the settings under [tool.stslint].
    let nested;
    if let Some(DeValue::Table(t)) = table.get("tool").map(|v| v.get_ref()) {
        if let Some(DeValue::Table(s)) = t.get("stslint").map(|v| v.get_ref()) {
            nested = s.clone();
            table = &nested;
        }
    }
    let root = path.parent().map(Path::to_path_buf).unwrap_or_default();
    let mut cfg = Config {
        path: Some(path.to_path_buf()),
        root,
        ..Config::default()
    };
    let mut errors = Vec::new();
    let known_codes = |v: &str| {
        crate::rules::all().iter().any(|r| {
            r.code
                .to_ascii_uppercase()
                .starts_with(&v.to_ascii_uppercase())
        })
    };
    let strings = |v: &toml::Spanned<DeValue>,
                   key: &str,
                   errors: &mut Vec<Diagnostic>|
     -> Vec<(String, std::ops::Range<usize>)> {
        match v.get_ref() {
            DeValue::Array(items) => items
                .iter()
                .filter_map(|i| match i.get_ref() {
                    DeValue::String(s) => Some((s.to_string(), i.span())),
                    _ => {
                        errors.push(invalid(
                            format!("`{key}` holds something other than a string"),
                            span(i.span()),
                            "write strings, e.g. `[\"T017\", \"I005\"]`",
                        ));
                        None
                    }
                })
                .collect(),
            _ => {
                errors.push(invalid(
                    format!("`{key}` must be an array of strings"),
                    span(v.span()),
                    &format!("write `{key} = [\"...\"]`"),
                ));
                Vec::new()
            }
        }
    };
    for (k, v) in table.iter() {
        let key = k.get_ref().as_ref();
        match key {
            "select" | "ignore" => {
                for (code, r) in strings(v, key, &mut errors) {
                    if !known_codes(&code) {
                        errors.push(invalid(
                            format!("`{code}` in `{key}` is not a rule code or prefix"),
                            span(r),
                            "use codes or prefixes that `stslint rules` lists, e.g. `T017` or `P0`",
                        ));
                    } else if key == "select" {
                        cfg.select.push(code);
                    } else {
                        cfg.ignore.push(code);
                    }
                }
            }
            "fail-on" => match v.get_ref() {
                DeValue::String(s) if severity(s).is_some() => cfg.fail_on = severity(s),
                _ => errors.push(invalid(
                    "`fail-on` must be \"error\", \"warning\" or \"info\"".into(),
                    span(v.span()),
                    "write `fail-on = \"warning\"`",
                )),
            },
            "exclude" => {
                let mut b = globset::GlobSetBuilder::new();
                for (g, r) in strings(v, key, &mut errors) {
                    match globset::Glob::new(&g) {
                        Ok(glob) => {
                            b.add(glob);
                        }
                        Err(e) => errors.push(invalid(
                            format!("`{g}` is not a glob: {e}"),
                            span(r),
                            "write a glob such as `vendor/**`",
                        )),
                    }
                }
                cfg.exclude = b.build().ok();
            }
            "severity" => match v.get_ref() {
                DeValue::Table(t) => {
                    for (code, sev) in t.iter() {
                        let c = code.get_ref().as_ref();
                        if !known_codes(c) {
                            errors.push(invalid(
                                format!("`{c}` in [severity] is not a rule code or prefix"),
                                span(code.span()),
                                "use codes or prefixes that `stslint rules` lists",
                            ));
                            continue;
                        }
                        match sev.get_ref() {
                            DeValue::String(s) if severity(s).is_some() => cfg.severity.push((c.to_string(), severity(s).unwrap_or(Severity::Error))),
                            _ => errors.push(invalid(format!("the severity of `{c}` must be \"error\", \"warning\" or \"info\""), span(sev.span()), "write e.g. `D002 = \"error\"`")),
                        }
                    }
                }
                _ => errors.push(invalid(
                    "`severity` must be a table".into(),
                    span(v.span()),
                    "write `[severity]` followed by `CODE = \"error\"` lines",
                )),
            },
            "tool" => {}
            other => {
                let hint = crate::diagnostic::closest(
                    other,
                    ["select", "ignore", "fail-on", "exclude", "severity"],
                )
                .map(|h| format!("did you mean `{h}`?"))
                .unwrap_or_else(|| {
                    "the keys are select, ignore, fail-on, exclude and [severity]".into()
                });
                errors.push(invalid(
                    format!("`{other}` is not a stslint setting"),
                    span(k.span()),
                    &hint,
                ));
            }
        }
    }
    if errors.is_empty() {
        // Repeats say nothing more, and every finding is looked up in these lists.
        for list in [&mut cfg.select, &mut cfg.ignore] {
            list.sort_by_key(|c| c.to_ascii_uppercase());
            list.dedup_by(|a, b| a.eq_ignore_ascii_case(b));
        }
        Ok(cfg)
    } else {
        Err(errors)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn cfg(text: &str) -> Result<Config, Vec<&'static str>> {
        parse(text, 0, Path::new("stslint.toml"))
            .map_err(|e| e.iter().map(|d| d.rule.code).collect())
    }

    #[test]
    fn settings_are_read() {
        let c = cfg("select = [\"T\", \"P0\"]\nignore = [\"T017\"]\nfail-on = \"warning\"\nexclude = [\"vendor/**\"]\n[severity]\nD002 = \"error\"\nT01 = \"info\"\n").unwrap();
        assert!(c.enabled("T012") && c.enabled("P004") && !c.enabled("T017") && !c.enabled("R001"));
        assert_eq!(c.fail_on, Some(Severity::Warning));
        assert_eq!(c.severity_of("D002", Severity::Info), Severity::Error);
        assert_eq!(c.severity_of("T012", Severity::Error), Severity::Info);
        assert!(c.excludes(Path::new("vendor/x/deploy.sh")));
        assert!(!c.excludes(Path::new("ci/deploy.sh")));
        // The more specific of select and ignore wins.
        let c = cfg("ignore = [\"T\"]\nselect = [\"T012\"]\n").unwrap();
        assert!(c.enabled("T012") && !c.enabled("T013"));
        // [tool.stslint] in .stslint.toml.
        let c = cfg("[tool.stslint]\nignore = [\"I005\"]\n").unwrap();
        assert!(!c.enabled("I005"));
    }

    #[test]
    fn mistakes_point_into_the_file() {
        assert_eq!(cfg("selct = [\"T\"]\n").unwrap_err(), ["I007"]);
        assert_eq!(cfg("ignore = [\"Z9\"]\n").unwrap_err(), ["I007"]);
        assert_eq!(cfg("fail-on = \"fatal\"\n").unwrap_err(), ["I007"]);
        assert_eq!(cfg("[severity]\nT012 = \"loud\"\n").unwrap_err(), ["I007"]);
        assert_eq!(cfg("select = \"T\"\n").unwrap_err(), ["I007"]);
        assert_eq!(cfg("select = [\n").unwrap_err(), ["I007"]);
        let e = parse("selct = []\n", 0, Path::new("stslint.toml")).unwrap_err();
        assert_eq!(e[0].primary.as_ref().unwrap().range, 0..5);
        assert!(e[0].help.as_ref().unwrap().contains("select"));
    }
}
