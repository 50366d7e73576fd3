//! The line formats (human, short, github) are written part by part as a run goes
//! (`stslint::check_streaming`), so memory does not grow with the number of files. A streamed run
//! must report exactly what a whole run does, in the same order, with findings about a shared file
//! (a token file many scripts read, a trust policy) given once.

mod common;
use common::{root, NOW};
use std::path::PathBuf;

/// Every finding as `path:line:col: severity[CODE] message` (the short format).
fn lines(report: &stslint::Report) -> Vec<String> {
    stslint::output::formats::short(report)
        .lines()
        .map(str::to_string)
        .collect()
}

fn opts(cwd: PathBuf) -> stslint::Options {
    stslint::Options {
        now: chrono::DateTime::parse_from_rfc3339(NOW).unwrap().into(),
        cwd,
        isolated: true,
        ..stslint::Options::default()
    }
}

/// 700 scripts (three chunks of a walk) that share one expired token file, each with a finding of
/// its own, plus the fixtures.
fn corpus(name: &str) -> PathBuf {
    let d = std::env::temp_dir().join(format!("stslint-streaming-{name}-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&d);
    std::fs::create_dir_all(d.join("scripts")).unwrap();
    std::fs::copy(
        root().join("tests/fixtures/tokens/expired.jwt"),
        d.join("expired.jwt"),
    )
    .unwrap();
    for i in 0..700 {
        std::fs::write(
            d.join(format!("scripts/s{i:03}.sh")),
            format!("aws sts assume-role-with-web-identity --role-arn arn:aws:iam::111122223333:role/ci --role-session-name 'job {i}' --web-identity-token file://expired.jwt\n"),
        )
        .unwrap();
    }
    d
}

#[test]
fn a_streamed_run_reports_what_a_whole_run_does() {
    let d = corpus("lib");
    let inputs = [
        stslint::Input::Path(d.join("scripts")),
        stslint::Input::Path(root().join("tests/fixtures")),
    ];
    let o = opts(d.clone());
    let whole = stslint::check(&inputs, &o);
    let mut parts = 0;
    let mut streamed = Vec::new();
    let mut files = 0;
    let rest = stslint::check_streaming(&inputs, &o, &mut |part| {
        parts += 1;
        // A part holds its own files (each with the token file it read), not earlier parts'.
        assert!(
            part.sources.len() <= 2 * stslint::STREAM_CHUNK + 8,
            "a part of {} sources",
            part.sources.len()
        );
        files += part.files_checked;
        streamed.extend(lines(&part));
    });
    assert!(
        parts >= 4,
        "{parts} parts: 700 files are three chunks, and the fixtures more"
    );
    assert_eq!(files, whole.files_checked);
    assert_eq!(rest.input_errors, whole.input_errors);
    let whole = lines(&whole);
    assert!(whole.len() > 800, "{} findings", whole.len());
    if let Some(i) = (0..streamed.len().max(whole.len())).find(|&i| streamed.get(i) != whole.get(i))
    {
        panic!(
            "first difference at finding {i} of {}/{}:\nstreamed: {:?}\nwhole:    {:?}",
            streamed.len(),
            whole.len(),
            streamed.get(i),
            whole.get(i)
        );
    }
    // The shared token file's findings are given once, not once per script or per part.
    let expired: Vec<&String> = streamed
        .iter()
        .filter(|l| l.contains("expired.jwt:"))
        .collect();
    assert!(!expired.is_empty());
    let distinct: std::collections::BTreeSet<_> = expired.iter().collect();
    assert_eq!(expired.len(), distinct.len(), "{expired:#?}");
    std::fs::remove_dir_all(&d).unwrap();
}

#[test]
fn the_streamed_formats_match_the_whole_json_report() {
    let d = corpus("cli");
    let run = |format: &str| {
        let (code, out) = common::check_with(&d, "scripts", format, &["--isolated"]);
        assert_eq!(code, 1);
        out
    };
    let json: serde_json::Value = serde_json::from_str(&run("json")).unwrap();
    let from_json: Vec<String> = json["diagnostics"]
        .as_array()
        .unwrap()
        .iter()
        .map(|d| {
            format!(
                "{}:{}:{}: {}[{}]",
                d["path"].as_str().unwrap(),
                d["line"],
                d["column"],
                d["severity"].as_str().unwrap(),
                d["code"].as_str().unwrap()
            )
        })
        .collect();
    let short: Vec<String> = run("short")
        .lines()
        .map(|l| l[..l.find(']').unwrap() + 1].to_string())
        .collect();
    if let Some(i) =
        (0..short.len().max(from_json.len())).find(|&i| short.get(i) != from_json.get(i))
    {
        panic!(
            "first difference at finding {i} of {}/{}: short {:?}, json {:?}",
            short.len(),
            from_json.len(),
            short.get(i),
            from_json.get(i)
        );
    }
    let human = run("human");
    let s = &json["summary"];
    assert!(
        human.ends_with(&format!(
            "stslint: {} errors, {} warnings, {} infos in {} requests ({} files checked)\n",
            s["errors"], s["warnings"], s["infos"], s["requests"], s["files"]
        )),
        "{}",
        &human[human.len() - 200..]
    );
    assert_eq!(
        human.matches("S002 session-name-characters").count(),
        700,
        "each script's own finding"
    );
    let github = run("github");
    assert_eq!(github.lines().count(), from_json.len());
    std::fs::remove_dir_all(&d).unwrap();
}
