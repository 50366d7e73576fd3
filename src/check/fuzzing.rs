//! Entry points for the fuzz targets in `fuzz/` and their regression tests
//! (`tests/fuzz_regressions.rs`), and the invariants every report must keep whatever the input:
//! no panic, every span inside its source and on character boundaries, every output format
//! renders. Not part of the stable API.
#![doc(hidden)]

use crate::check::{check, Input, Options};
use crate::output::formats;
use crate::output::render::{self, HumanOptions};
use crate::output::Report;
use crate::source::{SourceId, Sources, Span};

/// Options for fuzzing: a fixed clock, no configuration files, `file://` relative to an empty
/// directory.
fn options() -> Options {
    let cwd = std::env::temp_dir().join("stslint-fuzz-cwd");
    let _ = std::fs::create_dir_all(&cwd);
    Options {
        now: chrono::DateTime::from_timestamp(1_795_000_000, 0).expect("valid time"),
        cwd,
        isolated: true,
        ..Options::default()
    }
}

/// Panics unless `span` lies inside its source and starts and ends on character boundaries.
pub fn assert_span(sources: &Sources, span: &Span, what: &str) {
    let text = &sources.get(span.source).text;
    let r = &span.range;
    assert!(
        r.start <= r.end && r.end <= text.len(),
        "{what}: span {r:?} outside its source of {} bytes",
        text.len()
    );
    assert!(
        text.is_char_boundary(r.start) && text.is_char_boundary(r.end),
        "{what}: span {r:?} splits a character"
    );
}

/// The invariants of a finished report: spans valid, and every format renders.
pub fn assert_report(report: &Report) {
    for d in &report.diagnostics {
        if let Some(s) = &d.primary {
            assert_span(&report.sources, s, d.rule.code);
        }
        for (s, _) in &d.notes {
            assert_span(&report.sources, s, d.rule.code);
        }
        if let Some(i) = d.request {
            assert!(
                i < report.requests.len(),
                "{}: request {i} of {}",
                d.rule.code,
                report.requests.len()
            );
        }
    }
    for r in &report.requests {
        assert_span(&report.sources, &r.span, "request");
        assert_span(&report.sources, &r.head, "request head");
    }
    let _ = render::human(
        report,
        HumanOptions {
            color: true,
            width: 80,
        },
    );
    let _ = crate::output::json::json(report);
    let _ = formats::sarif(report);
    let _ = formats::github(report);
    let _ = formats::short(report);
    let _ = formats::junit(report);
}

/// The shell front end alone: lexing and reading invocations, with each request's spans checked.
pub fn shell(data: &[u8]) {
    let text = String::from_utf8_lossy(data);
    let mut sources = Sources::default();
    let id: SourceId = sources.add(crate::source::SourceFile::new("fuzz.sh", text.as_ref()));
    let lexed = crate::input::shell::lex(&text, id);
    for d in &lexed.errors {
        if let Some(s) = &d.primary {
            assert_span(&sources, s, d.rule.code);
        }
    }
    let mut loader = crate::input::load::Loader::new(&mut sources, options().cwd);
    let parsed = crate::input::awscli::find_requests(
        &lexed.commands,
        crate::model::request::Origin::Shell,
        &mut loader,
    );
    for p in &parsed {
        assert_span(&sources, &p.request.span, "request");
        for d in &p.diagnostics {
            if let Some(s) = &d.primary {
                assert_span(&sources, s, d.rule.code);
            }
        }
    }
}

/// The `--cli-input-json` front end alone.
pub fn request_json(data: &[u8]) {
    let text = String::from_utf8_lossy(data);
    let mut sources = Sources::default();
    let id = sources.add(crate::source::SourceFile::new("fuzz.json", text.as_ref()));
    let (req, diags) = crate::input::awscli::request_file::read(&text, id);
    for d in &diags {
        if let Some(s) = &d.primary {
            assert_span(&sources, s, d.rule.code);
        }
    }
    if let Some(r) = req {
        assert_span(&sources, &r.span, "request");
    }
}

/// A request document with these members besides a valid role and session name, checked whole.
fn check_request_with(members: serde_json::Map<String, serde_json::Value>) -> Report {
    let mut doc = serde_json::json!({
        "RoleArn": "arn:aws:iam::111122223333:role/fuzz",
        "RoleSessionName": "fuzz",
    });
    for (k, v) in members {
        doc[k] = v;
    }
    let text = serde_json::to_string_pretty(&doc).expect("serialisable");
    let report = check(
        &[Input::Text {
            name: "fuzz.json".into(),
            text,
        }],
        &options(),
    );
    assert_report(&report);
    report
}

/// The token decoder and every token rule. Bytes with a newline are taken as a JWS's header and
/// claims JSON (before and after it), base64url-encoded here so the fuzzer reaches the claims
/// rules; other bytes are the token as written.
pub fn token(data: &[u8]) {
    let value = match data.iter().position(|&b| b == b'\n') {
        Some(i) => format!(
            "{}.{}.c2lnbmF0dXJl",
            crate::model::token::b64url_encode(&data[..i]),
            crate::model::token::b64url_encode(&data[i + 1..])
        ),
        None => String::from_utf8_lossy(data).into_owned(),
    };
    let _ = crate::model::token::decode(&value);
    let mut m = serde_json::Map::new();
    m.insert("WebIdentityToken".into(), value.into());
    check_request_with(m);
}

/// The session policy parser and every policy rule: the bytes are the `Policy` string.
pub fn policy(data: &[u8]) {
    let mut m = serde_json::Map::new();
    m.insert(
        "WebIdentityToken".into(),
        "eyJhbGciOiJSUzI1NiIsImtpZCI6ImsifQ.eyJpc3MiOiJodHRwczovL3Rva2VuLmFjdGlvbnMuZ2l0aHVidXNlcmNvbnRlbnQuY29tIiwiYXVkIjoic3RzLmFtYXpvbmF3cy5jb20iLCJzdWIiOiJyZXBvOm8vcjpyZWY6cmVmcy9oZWFkcy9tYWluIiwiZXhwIjoxNzk1MDAzNjAwfQ.c2lnbmF0dXJl".into(),
    );
    m.insert(
        "Policy".into(),
        String::from_utf8_lossy(data).into_owned().into(),
    );
    check_request_with(m);
}

/// The whole `check` on arbitrary bytes, read by every front end: as a shell script, a request
/// document, a CI file (YAML), documentation, a Dockerfile, a Jenkinsfile and Terraform.
pub fn whole(data: &[u8]) {
    let text = String::from_utf8_lossy(data).into_owned();
    for name in [
        "fuzz.sh",
        "fuzz.json",
        "fuzz.yml",
        "fuzz.md",
        "fuzz.rst",
        "fuzz.adoc",
        "Dockerfile",
        "Jenkinsfile",
        "fuzz.tf",
    ] {
        let report = check(
            &[Input::Text {
                name: name.into(),
                text: text.clone(),
            }],
            &options(),
        );
        assert_report(&report);
    }
}

/// Runs the named target on `data` (for the regression tests).
pub fn run(target: &str, data: &[u8]) {
    match target {
        "shell" => shell(data),
        "request_json" => request_json(data),
        "token" => token(data),
        "policy" => policy(data),
        "check" => whole(data),
        other => panic!("no fuzz target {other}"),
    }
}

/// The fuzz targets, as `fuzz/fuzz_targets/` names them.
pub const TARGETS: [&str; 5] = ["shell", "request_json", "token", "policy", "check"];
