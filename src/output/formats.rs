//! Machine formats for CI: SARIF 2.1.0 (GitHub code scanning), GitHub workflow commands
//! (annotations), one line per finding (`short`, like compilers and ruff), and JUnit XML.
//! Every format carries the same findings as the JSON output; none shows a token.

use crate::diagnostic::{Diagnostic, Severity};
use crate::output::Report;
use serde_json::{json, Value};

/// Where a finding is: path as shown, 1-based line/column, end line/column.
struct Place {
    path: String,
    line: usize,
    column: usize,
    end_line: usize,
    end_column: usize,
}

fn place_of(report: &Report, span: &crate::source::Span) -> Place {
    let src = report.sources.get(span.source);
    let (line, column) = src.line_col(span.range.start);
    let (end_line, end_column) = src.line_col(span.range.end);
    Place {
        path: src.name.clone(),
        line,
        column,
        end_line,
        end_column,
    }
}

/// A SARIF `physicalLocation` (an empty stretch is widened to one column, as viewers need).
fn physical(p: &Place) -> Value {
    json!({
        "artifactLocation": {"uri": uri(&p.path)},
        "region": {
            "startLine": p.line,
            "startColumn": p.column,
            "endLine": p.end_line,
            "endColumn": p.end_column.max(if p.end_line == p.line { p.column + 1 } else { 1 }),
        }
    })
}

fn place(report: &Report, d: &Diagnostic) -> Place {
    match &d.primary {
        Some(span) => place_of(report, span),
        // Findings always have a place; the first source stands in for the rare one without.
        None => Place {
            path: report
                .sources
                .iter_names()
                .next()
                .unwrap_or("<input>")
                .to_string(),
            line: 1,
            column: 1,
            end_line: 1,
            end_column: 1,
        },
    }
}

/// One line of text: newlines and tabs folded to spaces.
fn one_line(s: &str) -> String {
    s.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// `path:line:col: severity[CODE] message`, one finding per line, then nothing else.
pub fn short(report: &Report) -> String {
    let mut out = String::new();
    for d in &report.diagnostics {
        let p = place(report, d);
        out.push_str(&format!(
            "{}:{}:{}: {}[{}] {}\n",
            p.path,
            p.line,
            p.column,
            d.severity.as_str(),
            d.rule.code,
            one_line(&d.message)
        ));
    }
    out
}

/// GitHub Actions workflow commands: `::error file=...,line=...,col=...,title=CODE::message`.
pub fn github(report: &Report) -> String {
    // Escaping per GitHub's toolkit (`escapeData` / `escapeProperty`).
    let data = |s: &str| {
        s.replace('%', "%25")
            .replace('\r', "%0D")
            .replace('\n', "%0A")
    };
    let prop = |s: &str| data(s).replace(':', "%3A").replace(',', "%2C");
    let mut out = String::new();
    // No annotation per value only known at run time: they would bury the pull request's diff.
    for d in report
        .diagnostics
        .iter()
        .filter(|d| !super::render::is_unknown_note(d))
    {
        let p = place(report, d);
        let level = match d.severity {
            Severity::Error => "error",
            Severity::Warning => "warning",
            Severity::Info => "notice",
        };
        let mut msg = d.message.clone();
        if let Some(h) = &d.help {
            msg.push_str("\nhelp: ");
            msg.push_str(h);
        }
        out.push_str(&format!(
            "::{level} file={},line={},col={},endLine={},endColumn={},title={}::{}\n",
            prop(&p.path),
            p.line,
            p.column,
            p.end_line,
            p.end_column,
            prop(&format!("{} {}", d.rule.code, d.rule.name)),
            data(&msg)
        ));
    }
    out
}

/// A path as a SARIF `artifactLocation.uri`: forward slashes, percent-encoded where a URI needs it;
/// `<argv>` and `<stdin>` become relative names a viewer can show.
fn uri(path: &str) -> String {
    let p = match path {
        "<argv>" => "argv",
        "<stdin>" => "stdin",
        other => other,
    };
    let mut out = String::new();
    for b in p.replace('\\', "/").bytes() {
        if b.is_ascii_alphanumeric() || b"-._~/".contains(&b) {
            out.push(b as char);
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
    out
}

fn level(s: Severity) -> &'static str {
    match s {
        Severity::Error => "error",
        Severity::Warning => "warning",
        Severity::Info => "note",
    }
}

/// The first paragraph under a `## ` heading of a rule doc.
fn section<'a>(doc: &'a str, heading: &str) -> Option<&'a str> {
    let start = doc.find(heading)? + heading.len();
    let body = doc[start..].trim_start();
    let end = body.find("\n\n").unwrap_or(body.len());
    Some(body[..end].trim())
}

/// The URL of the first Markdown link `[text](https://...)` in `s`.
fn first_link(s: &str) -> Option<&str> {
    let at = s.find("](https://")? + 2;
    let end = s[at..].find(')')?;
    Some(&s[at..at + end])
}

/// The `rules` of a SARIF run: every rule with its documentation, built once (redacting and
/// splitting 90-odd docs was most of the work of a small run).
static SARIF_RULES: std::sync::LazyLock<Vec<Value>> = std::sync::LazyLock::new(|| {
    crate::rules::all()
        .iter()
        .map(|r| {
            let doc = crate::rules::doc_shown(r.code).unwrap_or_else(|| r.summary.to_string());
            let what = section(&doc, "## What it checks").unwrap_or(r.summary);
            let mut rule = json!({
                "id": r.code,
                "name": r.name,
                "shortDescription": {"text": r.summary},
                "fullDescription": {"text": what},
                "help": {"text": doc, "markdown": doc},
                "defaultConfiguration": {"level": level(r.severity)},
                "properties": {"tags": ["sts", "AssumeRoleWithWebIdentity"]},
            });
            // The first reference of the doc (AWS documentation, mostly) as the rule's link.
            if let Some(url) = first_link(section(&doc, "## References").unwrap_or("")) {
                rule["helpUri"] = json!(url);
            }
            rule
        })
        .collect()
});

/// SARIF 2.1.0, as GitHub code scanning takes it: every rule with its help, every finding with a
/// region (the argv form gets the synthetic artifact `argv`).
pub fn sarif(report: &Report) -> Value {
    let rules = crate::rules::all();
    let rule_json = SARIF_RULES.clone();
    let results: Vec<Value> = report
        .diagnostics
        .iter()
        .map(|d| {
            let p = place(report, d);
            let index = rules
                .iter()
                .position(|r| r.code == d.rule.code)
                .unwrap_or(0);
            let mut text = d.message.clone();
            if let Some(h) = &d.help {
                text.push_str(&format!(" Help: {h}"));
            }
            let mut result = json!({
                "ruleId": d.rule.code,
                "ruleIndex": index,
                "level": level(d.severity),
                "message": {"text": text},
                "locations": [{"physicalLocation": physical(&p)}],
            });
            // The other labelled places (an assignment, the trust policy condition).
            let related: Vec<Value> = d
                .notes
                .iter()
                .enumerate()
                .map(|(i, (span, label))| {
                    let at = place_of(report, span);
                    json!({"id": i, "physicalLocation": physical(&at), "message": {"text": label}})
                })
                .collect();
            if !related.is_empty() {
                result["relatedLocations"] = json!(related);
            }
            result
        })
        .collect();
    json!({
        "$schema": "https://json.schemastore.org/sarif-2.1.0.json",
        "version": "2.1.0",
        "runs": [{
            "tool": {"driver": {
                "name": "stslint",
                "version": env!("CARGO_PKG_VERSION"),
                "semanticVersion": env!("CARGO_PKG_VERSION"),
                "informationUri": "https://docs.aws.amazon.com/STS/latest/APIReference/API_AssumeRoleWithWebIdentity.html",
                "rules": rule_json,
            }},
            "results": results,
            "columnKind": "unicodeCodePoints",
        }],
    })
}

fn xml(s: &str) -> String {
    s.chars()
        .filter(|c| !c.is_control() || matches!(c, '\n' | '\t'))
        .collect::<String>()
        .replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
}

/// JUnit XML: one test suite per file with findings, one failing test case per finding (errors
/// and warnings; infos are left out), or one passing case when there is nothing to report.
pub fn junit(report: &Report) -> String {
    let counted: Vec<&Diagnostic> = report
        .diagnostics
        .iter()
        .filter(|d| d.severity != Severity::Info)
        .collect();
    let mut by_file: Vec<(String, Vec<&Diagnostic>)> = Vec::new();
    for d in &counted {
        let p = place(report, d).path;
        match by_file.iter_mut().find(|(f, _)| *f == p) {
            Some((_, v)) => v.push(d),
            None => by_file.push((p, vec![d])),
        }
    }
    let mut out = String::from("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n");
    out.push_str(&format!(
        "<testsuites name=\"stslint\" tests=\"{}\" failures=\"{}\">\n",
        counted.len().max(1),
        counted.len()
    ));
    if by_file.is_empty() {
        out.push_str("  <testsuite name=\"stslint\" tests=\"1\" failures=\"0\">\n    <testcase name=\"No errors or warnings\" classname=\"stslint\"/>\n  </testsuite>\n");
    }
    for (file, ds) in &by_file {
        out.push_str(&format!(
            "  <testsuite name=\"{}\" tests=\"{}\" failures=\"{}\">\n",
            xml(file),
            ds.len(),
            ds.len()
        ));
        for d in ds {
            let p = place(report, d);
            out.push_str(&format!(
                "    <testcase name=\"{} {} at {}:{}\" classname=\"{}\" file=\"{}\" line=\"{}\">\n      <failure type=\"{}\" message=\"{}\">{}:{}:{}: {}[{}] {}{}</failure>\n    </testcase>\n",
                d.rule.code,
                d.rule.name,
                p.line,
                p.column,
                xml(file),
                xml(file),
                p.line,
                d.rule.code,
                xml(&one_line(&d.message)),
                xml(file),
                p.line,
                p.column,
                d.severity.as_str(),
                d.rule.code,
                xml(&d.message),
                d.help.as_ref().map(|h| format!("\nhelp: {}", xml(h))).unwrap_or_default(),
            ));
        }
        out.push_str("  </testsuite>\n");
    }
    out.push_str("</testsuites>\n");
    out
}
