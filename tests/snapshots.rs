//! Snapshots of stslint's human and JSON output for every rule fixture (`tests/fixtures/CODE-*.*`)
//! every bundled example (`examples/`) and every CI dialect and documentation format (`tests/dialects/`).

mod common;
use common::{check_with, root};

fn snapshot_dir(dir: &str, pattern: &str, expect_code_in_name: bool) {
    let base = root().join(dir);
    insta::glob!(base.as_path(), pattern, |path| {
        let name = path.file_name().unwrap().to_str().unwrap();
        // Options a fixture needs (`--jwks ...`) sit beside it in `NAME.args`.
        let args = std::fs::read_to_string(path.with_extension("args")).unwrap_or_default();
        let extra: Vec<&str> = args.split_whitespace().collect();
        let (code_h, human) = check_with(&base, name, "human", &extra);
        let (code_j, json) = check_with(&base, name, "json", &extra);
        assert_eq!(code_h, code_j, "exit code does not depend on the format");
        let parsed: serde_json::Value = serde_json::from_str(&json).expect("JSON output parses");
        if expect_code_in_name {
            let code = name.split('-').next().unwrap();
            let codes = common::codes(&parsed);
            assert!(
                codes.contains(&code),
                "{name} must trigger {code}, got {codes:?}"
            );
            assert!(human.contains(code), "{name}: human output names {code}");
        }
        // The human header `╭─[path:line:column]` names the same place as the JSON.
        let headers: Vec<String> = human
            .lines()
            .filter_map(|l| l.split("╭─[").nth(1))
            .map(|h| h.trim_end_matches(']').to_string())
            .collect();
        // A request's "only known when the script runs" notes (I005) fold into one, with no box.
        let folded = |d: &&serde_json::Value| {
            d["code"] == "I005"
                && d["message"]
                    .as_str()
                    .is_some_and(|m| m.contains("only known when the script runs"))
        };
        // Past three findings of one rule on one request (or file), human output counts the rest.
        let mut group = std::collections::HashMap::new();
        let mut drawn = |d: &&serde_json::Value| {
            let n = group
                .entry((
                    d["code"].to_string(),
                    d["request"].to_string(),
                    d["path"].to_string(),
                ))
                .or_insert(0);
            *n += 1;
            *n <= 3
        };
        let places: Vec<String> = parsed["diagnostics"]
            .as_array()
            .unwrap()
            .iter()
            .filter(|d| !d["path"].is_null() && !folded(d))
            .filter(|d| drawn(d))
            .map(|d| {
                format!(
                    "{}:{}:{}",
                    d["path"].as_str().unwrap(),
                    d["line"],
                    d["column"]
                )
            })
            .collect();
        // A finding with a second label far from the first (a value assigned above its use) has
        // a header for each part: the JSON places appear among the headers, in order.
        let mut rest = headers.iter();
        assert!(
            places.iter().all(|p| rest.any(|h| h == p)),
            "{name}: human and JSON positions agree: {headers:?} vs {places:?}"
        );
        assert!(headers.len() <= 2 * places.len(), "{name}: {headers:?}");
        insta::assert_snapshot!("human", format!("exit code: {code_h}\n{human}"));
        insta::assert_snapshot!("json", json);
    });
}

#[test]
fn rule_fixtures() {
    snapshot_dir("tests/fixtures", "*-*.{sh,json,yml}", true);
}

#[test]
fn examples() {
    snapshot_dir("examples", "*.{sh,json,yml}", false);
}

/// One file per CI dialect and documentation format (`tests/dialects/`): every finding's position
/// lands in the original file, also inside folded scalars, templates and code blocks.
#[test]
fn dialects() {
    snapshot_dir(
        "tests/dialects",
        "{*.yml,*.md,*.rst,*.adoc,*.tf,*.sh,Dockerfile,Jenkinsfile,Makefile}",
        false,
    );
}

/// `stslint token` on every token fixture: human and JSON, checked with the test keys' JWKS.
#[test]
fn token_command() {
    let base = root().join("tests/fixtures");
    insta::glob!(base.as_path(), "tokens/*.jwt", |path| {
        let name = path.file_name().unwrap().to_str().unwrap();
        let arg = format!("file://tokens/{name}");
        let run = |format: &str| {
            let out = common::stslint(
                &base,
                &[
                    "token",
                    "--now",
                    common::NOW,
                    "--color",
                    "never",
                    "--jwks",
                    "keys/jwks.json",
                    "--format",
                    format,
                    &arg,
                ],
                None,
            );
            (
                out.status.code().unwrap_or(-1),
                String::from_utf8(out.stdout).expect("utf-8 output"),
            )
        };
        let (code_h, human) = run("human");
        let (code_j, json) = run("json");
        assert_eq!(code_h, code_j, "exit code does not depend on the format");
        let parsed: serde_json::Value = serde_json::from_str(&json).expect("JSON output parses");
        assert_eq!(parsed["token"]["source"], format!("tokens/{name}"));
        insta::assert_snapshot!("token_human", format!("exit code: {code_h}\n{human}"));
        insta::assert_snapshot!("token_json", json);
    });
}

/// The trust-policy verdict for each scenario of `tests/fixtures/trust/scenarios.txt`
/// (`name | token | options`), from `stslint token`: human and JSON.
#[test]
fn trust_scenarios() {
    let base = root().join("tests/fixtures");
    let list = std::fs::read_to_string(base.join("trust/scenarios.txt")).unwrap();
    let mut n = 0;
    for line in list
        .lines()
        .filter(|l| !l.starts_with('#') && !l.trim().is_empty())
    {
        let parts: Vec<&str> = line.split('|').map(str::trim).collect();
        let (name, token, opts) = (parts[0], parts[1], parts[2]);
        let arg = format!("file://tokens/{token}.jwt");
        let run = |format: &str| {
            let mut args = vec![
                "token",
                "--now",
                common::NOW,
                "--color",
                "never",
                "--format",
                format,
            ];
            args.extend(opts.split_whitespace());
            args.push(&arg);
            let out = common::stslint(&base, &args, None);
            (
                out.status.code().unwrap_or(-1),
                String::from_utf8(out.stdout).unwrap(),
            )
        };
        let (code, human) = run("human");
        let (_, json) = run("json");
        let v: serde_json::Value = serde_json::from_str(&json).expect("JSON output parses");
        let codes = common::codes(&v);
        let want = if name.ends_with("-allowed") {
            "X003"
        } else {
            "X001"
        };
        assert!(
            codes.contains(&want),
            "{name}: expected {want}, got {codes:?}"
        );
        insta::assert_snapshot!(
            format!("trust_{name}_human"),
            format!("exit code: {code}\n{human}")
        );
        insta::assert_snapshot!(format!("trust_{name}_json"), json);
        n += 1;
    }
    assert!(n >= 15, "{n} scenarios");
}
