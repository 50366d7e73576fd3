//! The command line as users and CI scripts meet it: exit codes, stdin, argv, directories, formats,
//! and that no token ever reaches the output.

mod common;
use common::{assert_no_token, check_argv, check_json, codes, root, stslint, NOW};

fn code(o: &std::process::Output) -> i32 {
    o.status.code().unwrap_or(-1)
}
fn stdout(o: &std::process::Output) -> String {
    String::from_utf8_lossy(&o.stdout).into_owned()
}

const GOOD: &str = "aws sts assume-role-with-web-identity --role-arn arn:aws:iam::111122223333:role/ci --role-session-name ci-run --web-identity-token file://tokens/plain.jwt\n";

#[test]
fn exit_codes() {
    let fx = root().join("tests/fixtures");
    // 0: no error-level findings (warnings and infos don't fail).
    let o = stslint(&fx, &["check", "--now", NOW, "-"], Some(GOOD));
    assert_eq!(code(&o), 0, "{}", stdout(&o));
    let o = stslint(
        &fx,
        &["check", "--now", NOW, "T002-token-whitespace.sh"],
        None,
    );
    assert_eq!(code(&o), 0, "a warning alone exits 0");
    // 1: errors.
    let o = stslint(
        &fx,
        &["check", "--now", NOW, "S002-session-name-characters.sh"],
        None,
    );
    assert_eq!(code(&o), 1);
    // 2: could not run.
    let o = stslint(&fx, &["check", "no-such-file.sh"], None);
    assert_eq!(code(&o), 2);
    assert!(String::from_utf8_lossy(&o.stderr).contains("no-such-file.sh"));
    let o = stslint(&fx, &["check"], None);
    assert_eq!(code(&o), 2, "nothing to check is a usage error");
    let o = stslint(&fx, &["check", "--format", "xml", "-"], Some(GOOD));
    assert_eq!(code(&o), 2);
    let o = stslint(&fx, &["check", "--now", "yesterday", "-"], Some(GOOD));
    assert_eq!(code(&o), 2);
    let o = stslint(&fx, &["frobnicate"], None);
    assert_eq!(code(&o), 2);
}

#[test]
fn help_and_version() {
    let o = stslint(&root(), &["--help"], None);
    assert_eq!(code(&o), 0);
    assert!(stdout(&o).contains("check"));
    let o = stslint(&root(), &["check", "--help"], None);
    assert!(stdout(&o).contains("Exit codes: 0 no errors, 1 errors found, 2 could not run."));
    let o = stslint(&root(), &["--version"], None);
    assert!(stdout(&o).starts_with("stslint "));
}

#[test]
fn stdin_is_read_only_with_dash() {
    let fx = root().join("tests/fixtures");
    let (_, v) = check_json(&fx, &["--stdin-filename", "deploy.sh", "-"], Some(GOOD));
    assert_eq!(v["requests"][0]["path"], "deploy.sh");
    assert_eq!(v["requests"][0]["request"]["RoleSessionName"], "ci-run");
    // A JSON request document on stdin is recognised by its content.
    let doc = r#"{"RoleArn": "arn:aws:iam::111122223333:role/ci", "RoleSessionName": "ci", "WebIdentityToken": "abcd", "DurationSeconds": 99999}"#;
    let (code, v) = check_json(&fx, &["-"], Some(doc));
    assert_eq!(v["requests"][0]["origin"], "file");
    assert!(codes(&v).contains(&"D001"), "{:?}", codes(&v));
    assert_eq!(code, 1);
}

#[test]
fn argv_form_checks_the_command_as_passed() {
    let (code, v) = check_argv("dependabot[bot]", "file://tokens/plain.jwt");
    assert_eq!(code, 1);
    assert_eq!(v["requests"][0]["origin"], "argv");
    assert_eq!(
        v["requests"][0]["request"]["RoleSessionName"],
        "dependabot[bot]"
    );
    let d = &v["diagnostics"][0];
    assert_eq!(d["code"], "S002");
    assert_eq!(d["path"], "<argv>");
    assert_eq!(d["parameter"], "RoleSessionName");
    // `$` in an argv word is literal: the shell already expanded what it would.
    let (code, v) = check_argv("a$b", "file://tokens/plain.jwt");
    assert_eq!(v["requests"][0]["request"]["RoleSessionName"], "a$b");
    assert_eq!(code, 1, "`$` is not allowed in a session name");
}

#[test]
fn directories_pick_requests_and_skip_the_rest() {
    let dir = std::env::temp_dir().join(format!("stslint-dir-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(dir.join("ci")).unwrap();
    std::fs::write(dir.join("ci/deploy.sh"), "#!/bin/sh\naws sts assume-role-with-web-identity --role-arn arn:aws:iam::111122223333:role/ci --role-session-name 'bad name' --web-identity-token abcd\n").unwrap();
    std::fs::write(dir.join("ci/other.sh"), "echo nothing to see\n").unwrap();
    std::fs::write(dir.join("request.json"), r#"{"RoleArn": "arn:aws:iam::111122223333:role/ci", "RoleSessionName": "ci", "WebIdentityToken": "abcd"}"#).unwrap();
    std::fs::write(dir.join("package.json"), r#"{"name": "not-a-request"}"#).unwrap();
    std::fs::write(
        dir.join("notes.txt"),
        "aws sts assume-role-with-web-identity --role-arn x",
    )
    .unwrap();
    std::fs::write(dir.join("run"), "#!/usr/bin/env bash\naws sts assume-role-with-web-identity --role-arn arn:aws:iam::111122223333:role/ci --role-session-name ok --web-identity-token abcd\n").unwrap();
    let (code, v) = check_json(&dir, &["."], None);
    let mut paths: Vec<&str> = v["requests"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| r["path"].as_str().unwrap())
        .collect();
    paths.sort();
    assert_eq!(paths, ["ci/deploy.sh", "request.json", "run"]);
    assert_eq!(v["summary"]["files"], 3);
    assert_eq!(code, 1);
    std::fs::remove_dir_all(&dir).unwrap();
}

#[test]
fn json_schema_fields() {
    let fx = root().join("tests/fixtures");
    let (_, v) = check_json(&fx, &["A004-policy-arn-duplicate.sh"], None);
    assert_eq!(v["version"], 1);
    for key in ["files", "requests", "errors", "warnings", "infos"] {
        assert!(v["summary"][key].is_u64(), "summary.{key}");
    }
    let d = &v["diagnostics"][0];
    for key in [
        "code",
        "name",
        "severity",
        "message",
        "help",
        "parameter",
        "path",
        "line",
        "column",
        "end_line",
        "end_column",
        "request",
    ] {
        assert!(d.get(key).is_some(), "diagnostic.{key}");
    }
    assert_eq!(d["severity"], "warning");
    assert_eq!(d["line"], 1);
    let r = &v["requests"][0]["request"];
    assert_eq!(
        r["PolicyArns"][0]["arn"],
        "arn:aws:iam::aws:policy/ReadOnlyAccess"
    );
    let tok = std::fs::read_to_string(fx.join("tokens/plain.jwt")).unwrap();
    assert_eq!(r["WebIdentityToken"]["length"], tok.len());
    assert_eq!(r["WebIdentityToken"]["sha256"].as_str().unwrap().len(), 64);
}

#[test]
fn colour_follows_no_color_and_the_flag() {
    let fx = root().join("tests/fixtures");
    let o = stslint(
        &fx,
        &[
            "check",
            "--color",
            "always",
            "S002-session-name-characters.sh",
        ],
        None,
    );
    assert!(stdout(&o).contains('\u{1b}'), "--color always colours");
    let o = stslint(&fx, &["check", "S002-session-name-characters.sh"], None);
    assert!(!stdout(&o).contains('\u{1b}'), "not a terminal: no colour");
}

/// Every token in the fixtures and examples, and every output format: never a whole token or signature.
#[test]
fn no_output_contains_a_token() {
    let mut tokens: Vec<String> = Vec::new();
    let fx = root().join("tests/fixtures");
    for f in std::fs::read_dir(fx.join("tokens")).unwrap() {
        tokens.push(std::fs::read_to_string(f.unwrap().path()).unwrap());
    }
    let jwt = regex::Regex::new(
        r"eyJ[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+|Atza[|%][A-Za-z0-9%_-]+",
    )
    .unwrap();
    for dir in [root().join("examples"), fx.clone()] {
        for f in std::fs::read_dir(&dir).unwrap() {
            let p = f.unwrap().path();
            if p.is_file() {
                let text = std::fs::read_to_string(&p).unwrap();
                tokens.extend(jwt.find_iter(&text).map(|m| m.as_str().to_string()));
            }
        }
        for format in ["human", "json"] {
            let o = stslint(
                &dir,
                &["check", "--now", NOW, "--format", format, "."],
                None,
            );
            assert_no_token(&stdout(&o), &tokens);
            assert_no_token(&String::from_utf8_lossy(&o.stderr), &tokens);
        }
    }
    assert!(tokens.len() >= 4, "the test saw the tokens it guards");
}

#[test]
fn inputs_are_never_modified() {
    let ex = root().join("examples");
    let before: Vec<(std::path::PathBuf, Vec<u8>, std::time::SystemTime)> = std::fs::read_dir(&ex)
        .unwrap()
        .map(|e| {
            let p = e.unwrap().path();
            (
                p.clone(),
                std::fs::read(&p).unwrap(),
                std::fs::metadata(&p).unwrap().modified().unwrap(),
            )
        })
        .collect();
    let _ = stslint(&ex, &["check", "."], None);
    for (p, bytes, mtime) in before {
        assert_eq!(std::fs::read(&p).unwrap(), bytes);
        assert_eq!(std::fs::metadata(&p).unwrap().modified().unwrap(), mtime);
    }
}

#[test]
fn a_command_the_shell_cannot_read_is_not_checked_further() {
    let fx = root().join("tests/fixtures");
    let (code, v) = check_json(&fx, &["I001-shell-syntax.sh"], None);
    let codes = codes(&v);
    assert_eq!(
        codes,
        ["I001"],
        "no findings about what the open quote swallowed"
    );
    assert_eq!(code, 1);
    // Other commands in the same file are still checked.
    let script = "aws sts assume-role-with-web-identity --role-arn x --role-session-name ok --web-identity-token abcd\necho 'unterminated\n";
    let (_, v) = check_json(&fx, &["-"], Some(script));
    let codes = common::codes(&v);
    assert!(
        codes.contains(&"I001") && codes.contains(&"R003"),
        "{codes:?}"
    );
}

#[test]
fn a_missing_file_is_an_error_now_but_only_a_warning_in_a_script() {
    let fx = root().join("tests/fixtures");
    let (code, v) = check_argv("ci", "file://tokens/missing.jwt");
    assert_eq!(
        (
            code,
            v["diagnostics"][0]["code"].as_str(),
            v["diagnostics"][0]["severity"].as_str()
        ),
        (1, Some("I003"), Some("error"))
    );
    let (code, v) = check_json(&fx, &["I003-file-unreadable.sh"], None);
    assert_eq!(
        (
            code,
            v["diagnostics"][0]["code"].as_str(),
            v["diagnostics"][0]["severity"].as_str()
        ),
        (0, Some("I003"), Some("warning")),
        "a script may create the file first"
    );
}

#[test]
fn ci_yaml_files_are_walked() {
    let (_, v) = check_json(&root().join("examples"), &["."], None);
    let paths: Vec<&str> = v["requests"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| r["path"].as_str().unwrap())
        .collect();
    assert!(paths.contains(&"github-workflow.yml"), "{paths:?}");
}

#[test]
fn token_command_reads_an_argument_a_file_or_stdin() {
    let fx = root().join("tests/fixtures");
    let token = std::fs::read_to_string(fx.join("tokens/github-actions.jwt")).unwrap();
    let json = |o: &std::process::Output| -> serde_json::Value {
        serde_json::from_str(&stdout(o)).unwrap_or_else(|e| panic!("{e}: {}", stdout(o)))
    };
    // The same token three ways gives the same facts.
    let runs = [
        stslint(
            &fx,
            &["token", "--now", NOW, "--format", "json", &token],
            None,
        ),
        stslint(
            &fx,
            &[
                "token",
                "--now",
                NOW,
                "--format",
                "json",
                "file://tokens/github-actions.jwt",
            ],
            None,
        ),
        stslint(
            &fx,
            &["token", "--now", NOW, "--format", "json", "-"],
            Some(&token),
        ),
    ];
    for o in &runs {
        assert_eq!(code(o), 0, "{}", stdout(o));
        let v = json(o);
        assert_eq!(
            v["token"]["claims"]["sub"],
            "repo:acme/app:ref:refs/heads/main"
        );
        assert_eq!(v["token"]["issuer_profile"]["id"], "github-actions");
        assert_eq!(
            v["token"]["provider"]["arn"],
            "arn:aws:iam::ACCOUNT_ID:oidc-provider/token.actions.githubusercontent.com"
        );
        assert_eq!(
            v["token"]["condition_keys"]["token.actions.githubusercontent.com:aud"],
            "sts.amazonaws.com"
        );
        assert_eq!(v["token"]["times"]["exp"]["relative"], "in 10 min");
        assert_eq!(v["token"]["signature"], "not-checked");
        assert_eq!(v["token"]["sha256"], stslint::redact::sha256_hex(&token));
    }
    assert_eq!(
        json(&runs[1])["token"]["source"],
        "tokens/github-actions.jwt"
    );
    assert_eq!(json(&runs[2])["token"]["source"], "<stdin>");
    // With the issuer's keys the signature is checked.
    let o = stslint(
        &fx,
        &[
            "token",
            "--now",
            NOW,
            "--format",
            "json",
            "--jwks",
            "keys/jwks.json",
            &token,
        ],
        None,
    );
    assert_eq!(json(&o)["token"]["signature"], "verified");
    // Errors exit 1; the time comes from --now.
    let o = stslint(
        &fx,
        &["token", "--now", "2026-11-23T13:00:00Z", &token],
        None,
    );
    assert_eq!(code(&o), 1);
    assert!(stdout(&o).contains("T014 token-expired"), "{}", stdout(&o));
    assert!(
        stdout(&o).contains("Expired     2026-11-23T12:10:00Z (50 min ago)"),
        "{}",
        stdout(&o)
    );
}

#[test]
fn token_command_refuses_what_it_cannot_read() {
    let fx = root().join("tests/fixtures");
    let err = |o: &std::process::Output| String::from_utf8_lossy(&o.stderr).into_owned();
    // A file name without file:// is not taken for a token.
    let o = stslint(&fx, &["token", "T002-token-whitespace.sh"], None);
    assert_eq!(code(&o), 2);
    assert!(
        err(&o).contains("write `file://T002-token-whitespace.sh`"),
        "{}",
        err(&o)
    );
    let o = stslint(&fx, &["token", "file://no/such/token"], None);
    assert_eq!(code(&o), 2);
    assert!(err(&o).contains("cannot read no/such/token"), "{}", err(&o));
    // A JWKS that is not one.
    let o = stslint(
        &fx,
        &[
            "token",
            "--jwks",
            "tokens/plain.jwt",
            "file://tokens/plain.jwt",
        ],
        None,
    );
    assert_eq!(code(&o), 2);
    assert!(err(&o).contains("not a usable JWKS"), "{}", err(&o));
    let o = stslint(
        &fx,
        &[
            "check",
            "--jwks",
            "policies/long.json",
            "T002-token-whitespace.sh",
        ],
        None,
    );
    assert_eq!(code(&o), 2);
    assert!(err(&o).contains("no `keys` member"), "{}", err(&o));
    // No argument is a usage error, not a read of the terminal.
    let o = stslint(&fx, &["token"], None);
    assert_eq!(code(&o), 2);
}

#[test]
fn trust_inputs_that_cannot_be_used_are_exit_2() {
    let fx = root().join("tests/fixtures");
    let err = |o: &std::process::Output| String::from_utf8_lossy(&o.stderr).into_owned();
    for (opt, file, says) in [
        (
            "--role",
            "no/such/role.json",
            "cannot read no/such/role.json",
        ),
        ("--role", "tokens/plain.jwt", "not JSON"),
        (
            "--role",
            "trust/github-provider.json",
            "neither `Arn` nor `AssumeRolePolicyDocument`",
        ),
        (
            "--oidc-provider",
            "trust/github-main-role.json",
            "has no `Url`",
        ),
        ("--trust-policy", "tokens/plain.jwt", "not JSON"),
    ] {
        let o = stslint(&fx, &["check", opt, file, "X003-trust-allowed.sh"], None);
        assert_eq!(code(&o), 2, "{opt} {file}");
        assert!(err(&o).contains(says), "{opt} {file}: {}", err(&o));
        let o = stslint(&fx, &["token", opt, file, "file://tokens/plain.jwt"], None);
        assert_eq!(code(&o), 2, "token {opt} {file}");
    }
    // A bare trust policy works like the get-role output.
    let role: serde_json::Value = serde_json::from_str(
        &std::fs::read_to_string(fx.join("trust/github-main-role.json")).unwrap(),
    )
    .unwrap();
    let dir = std::env::temp_dir().join(format!("stslint-cli-trust-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let policy = dir.join("trust.json");
    std::fs::write(
        &policy,
        role["Role"]["AssumeRolePolicyDocument"].to_string(),
    )
    .unwrap();
    let (code_, v) = check_json(
        &fx,
        &[
            "--trust-policy",
            policy.to_str().unwrap(),
            "X001-trust-denied.sh",
        ],
        None,
    );
    let _ = std::fs::remove_dir_all(&dir);
    assert_eq!(code_, 1);
    assert!(codes(&v).contains(&"X001"), "{:?}", codes(&v));
}

#[test]
fn ci_formats() {
    let fx = root().join("tests/fixtures");
    let run = |format: &str| {
        let o = stslint(
            &fx,
            &[
                "check",
                "--now",
                NOW,
                "--format",
                format,
                "T012-token-audience.sh",
            ],
            None,
        );
        (code(&o), stdout(&o))
    };
    // Every format exits like the others and carries the same findings.
    let (c_json, json) = run("json");
    let v: serde_json::Value = serde_json::from_str(&json).unwrap();
    let n = codes(&v).len();
    for format in ["short", "github", "junit", "sarif"] {
        let (c, out) = run(format);
        assert_eq!(c, c_json, "{format} exit code");
        if format == "sarif" {
            // The rules (with every doc as help) are checked by tests/sarif_schema.rs; the
            // snapshot keeps the results.
            let v: serde_json::Value = serde_json::from_str(&out).unwrap();
            insta::assert_json_snapshot!("format_sarif_results", v["runs"][0]["results"]);
        } else {
            insta::assert_snapshot!(format!("format_{format}"), out);
        }
    }
    assert_eq!(run("short").1.lines().count(), n);
    // Values only known at run time get no annotation (see below).
    let run_time = v["diagnostics"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|d| {
            d["code"] == "I005"
                && d["message"]
                    .as_str()
                    .is_some_and(|m| m.contains("only known when the script runs"))
        })
        .count();
    assert_eq!(
        run("github")
            .1
            .lines()
            .filter(|l| l.starts_with("::"))
            .count(),
        n - run_time
    );
    let sarif: serde_json::Value = serde_json::from_str(&run("sarif").1).unwrap();
    assert_eq!(sarif["runs"][0]["results"].as_array().unwrap().len(), n);
    // Values only known at run time: one finding each in short and JSON, one folded finding in
    // human output, and no annotation at all in github.
    let unknown = |format: &str| {
        let o = stslint(
            &fx,
            &["check", "--now", NOW, "--format", format, "-", "--stdin-filename", "ci.sh"],
            Some("aws sts assume-role-with-web-identity --role-arn \"$R\" --role-session-name \"$S\" --web-identity-token \"$T\"\n"),
        );
        stdout(&o)
    };
    assert_eq!(unknown("short").matches("info[I005]").count(), 3);
    assert_eq!(unknown("github"), "");
    let human = unknown("human");
    assert_eq!(
        human.matches("I005 value-not-checked").count(),
        1,
        "{human}"
    );
    assert!(
        human.contains("RoleArn `\"$R\"` (1:50)") && human.contains("WebIdentityToken `\"$T\"`"),
        "{human}"
    );
    assert!(run("short")
        .1
        .starts_with("tokens/aud-missing.jwt:1:57: error[T012] "));
    assert!(run("github")
        .1
        .starts_with("::error file=tokens/aud-missing.jwt,line=1,col=57,"));
    // A clean run: JUnit has one passing case, short and github print nothing.
    let o = stslint(
        &fx,
        &["check", "--now", NOW, "--format", "junit", "-"],
        Some(GOOD),
    );
    assert!(stdout(&o).contains("failures=\"0\""), "{}", stdout(&o));
    let o = stslint(
        &fx,
        &["check", "--now", NOW, "--format", "github", "-"],
        Some(GOOD),
    );
    assert!(
        stdout(&o).lines().all(|l| l.starts_with("::notice")),
        "{}",
        stdout(&o)
    );
}

#[test]
fn completions_and_man_page() {
    let dir = root();
    for shell in ["bash", "zsh", "fish", "powershell", "elvish"] {
        let o = stslint(&dir, &["completions", shell], None);
        assert_eq!(code(&o), 0, "{shell}");
        let text = stdout(&o);
        assert!(
            text.contains("stslint") && text.contains("trust-policy") && text.contains("explain"),
            "{shell}"
        );
    }
    // The bash script is valid bash.
    let o = stslint(&dir, &["completions", "bash"], None);
    let mut bash = std::process::Command::new("bash")
        .arg("-n")
        .stdin(std::process::Stdio::piped())
        .spawn()
        .expect("bash");
    std::io::Write::write_all(bash.stdin.as_mut().unwrap(), &o.stdout).unwrap();
    assert!(
        bash.wait().unwrap().success(),
        "bash -n accepts the completion script"
    );
    let man = stdout(&stslint(&dir, &["man"], None));
    assert!(
        man.contains(".TH stslint 1") && man.contains("check") && man.contains("token"),
        "{man:.300}"
    );
}

/// A scratch project: `files` written under a fresh temporary directory.
fn project(name: &str, files: &[(&str, &str)]) -> std::path::PathBuf {
    let dir = std::env::temp_dir().join(format!("stslint-{name}-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    for (path, text) in files {
        let p = dir.join(path);
        std::fs::create_dir_all(p.parent().unwrap()).unwrap();
        std::fs::write(p, text).unwrap();
    }
    dir
}

#[test]
fn configuration_is_discovered_and_applied() {
    let token = std::fs::read_to_string(root().join("tests/fixtures/tokens/plain.jwt")).unwrap();
    let cmd = "aws sts assume-role-with-web-identity --role-arn arn:aws:iam::111122223333:role/ci --role-session-name ci-run --web-identity-token file://token.jwt --duration-seconds 7200\n";
    let dir = project("config", &[
        ("stslint.toml", "fail-on = \"warning\"\nignore = [\"T017\"]\nexclude = [\"generated/**\"]\n[severity]\nD002 = \"warning\"\n"),
        ("token.jwt", &token),
        ("deploy.sh", cmd),
        ("generated/deploy.sh", cmd),
        ("sub/.stslint.toml", "[tool.stslint]\nselect = [\"T\"]\n"),
        ("sub/deploy.sh", cmd),
    ]);
    // The root config: T017 dropped, D002 raised to warning, and fail-on warning makes it exit 1.
    let (c, v) = check_json(&dir, &["deploy.sh"], None);
    assert_eq!(codes(&v), ["D002"]);
    assert_eq!(v["diagnostics"][0]["severity"], "warning");
    assert_eq!(c, 1, "fail-on = warning");
    // --fail-on on the command line wins.
    let (c, _) = check_json(&dir, &["--fail-on", "error", "deploy.sh"], None);
    assert_eq!(c, 0);
    // A directory walk skips excluded files and uses the nearest config per file.
    let (_, v) = check_json(&dir, &["."], None);
    let paths: Vec<&str> = v["requests"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| r["path"].as_str().unwrap())
        .collect();
    assert_eq!(
        paths,
        ["deploy.sh", "sub/deploy.sh"],
        "generated/ is excluded"
    );
    let sub: Vec<&str> = v["diagnostics"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|d| d["request"] == 1)
        .map(|d| d["code"].as_str().unwrap())
        .collect();
    assert_eq!(
        sub,
        ["T017"],
        "sub/ selects only T rules (its own config, which does not ignore T017)"
    );
    // --isolated ignores every config.
    let (c, v) = check_json(&dir, &["--isolated", "deploy.sh"], None);
    assert_eq!((c, codes(&v)), (0, vec!["D002", "T017"]));
    // A broken config is exit 2 with I007 pointing into it.
    std::fs::write(dir.join("stslint.toml"), "ignor = [\"T017\"]\n").unwrap();
    let (c, v) = check_json(&dir, &["deploy.sh"], None);
    assert_eq!(c, 2);
    assert_eq!(codes(&v), ["I007"]);
    assert_eq!(
        v["diagnostics"][0]["path"],
        dir.join("stslint.toml")
            .canonicalize()
            .unwrap()
            .display()
            .to_string()
    );
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn baseline_records_today_and_reports_only_new_findings() {
    let token = std::fs::read_to_string(root().join("tests/fixtures/tokens/plain.jwt")).unwrap();
    let cmd = |name: &str| {
        format!("aws sts assume-role-with-web-identity --role-arn arn:aws:iam::111122223333:role/ci --role-session-name '{name}' --web-identity-token file://token.jwt\n")
    };
    let dir = project(
        "baseline",
        &[("token.jwt", &token), ("deploy.sh", &cmd("nightly build"))],
    );
    let base = dir.join("stslint-baseline.json");
    let o = stslint(
        &dir,
        &[
            "check",
            "--now",
            NOW,
            "--write-baseline",
            base.to_str().unwrap(),
            "deploy.sh",
        ],
        None,
    );
    assert_eq!(code(&o), 0, "recording exits 0");
    let recorded: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(&base).unwrap()).unwrap();
    assert_eq!(
        recorded["findings"].as_array().unwrap().len(),
        2,
        "S002 and T017"
    );
    // Nothing new: exit 0, nothing shown. The same finding on another line is still the same.
    std::fs::write(
        dir.join("deploy.sh"),
        format!("\n\n{}", cmd("nightly build")),
    )
    .unwrap();
    let (c, v) = check_json(
        &dir,
        &["--baseline", base.to_str().unwrap(), "deploy.sh"],
        None,
    );
    assert_eq!((c, codes(&v).len()), (0, 0));
    // A new finding is reported.
    std::fs::write(
        dir.join("deploy.sh"),
        format!("{}{}", cmd("nightly build"), cmd("weekly build!")),
    )
    .unwrap();
    let (c, v) = check_json(
        &dir,
        &["--baseline", base.to_str().unwrap(), "deploy.sh"],
        None,
    );
    assert_eq!(c, 1);
    assert_eq!(codes(&v), ["S002"]);
    assert!(v["diagnostics"][0]["message"]
        .as_str()
        .unwrap()
        .contains("weekly build!"));
    // A missing or broken baseline is exit 2, with how to make one.
    let o = stslint(
        &dir,
        &["check", "--baseline", "nope.json", "deploy.sh"],
        None,
    );
    assert_eq!(code(&o), 2);
    assert!(String::from_utf8_lossy(&o.stderr).contains("--write-baseline"));
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn a_parallel_directory_walk_reports_exactly_what_checking_each_file_does() {
    let fx = root().join("tests/fixtures");
    let (_, walk) = check_json(&fx, &["."], None);
    let (_, again) = check_json(&fx, &["."], None);
    assert_eq!(walk, again, "the same output every time");
    // The files the walk checked, named one by one (the sequential path).
    // The files the walk checked: those with a request, and those whose findings belong to no
    // request (a file that is not JSON).
    let mut files: Vec<String> = walk["requests"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| r["path"].as_str().unwrap().to_string())
        .collect();
    files.extend(
        walk["diagnostics"]
            .as_array()
            .unwrap()
            .iter()
            .filter(|d| d["request"].is_null())
            .map(|d| d["path"].as_str().unwrap().to_string()),
    );
    files.sort();
    files.dedup();
    assert!(
        files.len() > 8,
        "enough files for the parallel path: {}",
        files.len()
    );
    let args: Vec<&str> = files.iter().map(String::as_str).collect();
    let (_, each) = check_json(&fx, &args, None);
    assert_eq!(walk["diagnostics"], each["diagnostics"]);
    assert_eq!(walk["requests"], each["requests"]);
}

/// Without `$COLUMNS`, human output wraps at the width of the terminal it is written to (run under
/// a pseudo-terminal 60 columns wide with util-linux `script`).
#[test]
fn human_output_follows_the_terminal_width() {
    let fx = root().join("tests/fixtures");
    let cmd = format!(
        "stty cols 60 rows 40; env -u COLUMNS {} check --isolated --color never --now {NOW} Q005-option-missing-value.sh",
        env!("CARGO_BIN_EXE_stslint")
    );
    let o = std::process::Command::new("script")
        .args(["-qec", &cmd, "/dev/null"])
        .current_dir(&fx)
        .output()
        .expect("util-linux `script` runs (Debian: bsdutils)");
    let out = String::from_utf8_lossy(&o.stdout);
    let message: Vec<&str> = out
        .lines()
        .map(|l| l.trim_end_matches('\r'))
        // The wrapped text: messages (`  × `, `  │ `...) and help lines, not the quoted source.
        .filter(|l| {
            ["  × ", "  │ ", "  ⚠ ", "  ☞ ", "  help: ", "        "]
                .iter()
                .any(|p| l.starts_with(p))
        })
        .collect();
    assert!(!message.is_empty(), "{out}");
    assert!(message.iter().all(|l| l.chars().count() <= 60), "{out}");
    // The same text is wrapped wider without a terminal (the default, 100 columns).
    assert!(message.len() >= 4, "{out}");
}

/// `stslint check` on `src` given on standard input as `s.sh`, human output without colour.
fn human_of_stdin(dir: &std::path::Path, src: &str) -> std::process::Output {
    let args = [
        "check",
        "--isolated",
        "--color",
        "never",
        "--now",
        NOW,
        "-",
        "--stdin-filename",
        "s.sh",
    ];
    stslint(dir, &args, Some(src))
}

/// A source line wider than the output is cut around each finding's own spots, also when other
/// findings sit on the same line (COLUMNS=100 in tests): every shown source line fits.
#[test]
fn long_lines_are_cut_per_finding() {
    let fx = root().join("tests/fixtures");
    let line = format!(
        "aws sts assume-role-with-web-identity {}--role-arn arn:aws:iam::111122223333:role/a --role-session-name \"bad name\" --web-identity-token \"$T\"\n",
        "--role-session-name ok ".repeat(12)
    );
    let out = stdout(&human_of_stdin(&fx, &line));
    let source_lines: Vec<&str> = out.lines().filter(|l| l.starts_with(" 1 │ ")).collect();
    assert!(source_lines.len() >= 4, "{out}");
    for l in &source_lines {
        assert!(l.chars().count() <= 100, "{}: {l}", l.chars().count());
    }
    // each finding still underlines its own text
    assert!(out.contains("\"bad name\""), "{out}");
    // past three findings of one rule on one request, the rest are counted, not drawn
    assert!(
        out.contains("… and 9 more Q007 repeated-parameter findings like these in this request"),
        "{out}"
    );
    assert_eq!(out.matches("Q007 repeated-parameter\n").count(), 3, "{out}");
}

/// Human output stays bounded on hostile input: 10,000 stray words draw three boxes and a count,
/// and a label past column 65,535 (which miette cannot draw) is reported without its source line.
#[test]
fn repeated_findings_fold_and_far_labels_do_not_panic() {
    let fx = root().join("tests/fixtures");
    let call = "aws sts assume-role-with-web-identity --role-arn arn:aws:iam::111122223333:role/a --role-session-name ok --web-identity-token \"$T\"";
    let many = format!("{call}{}\n", " w".repeat(10_000));
    // 3,000 calls on one line, each with findings of its own: the line, shortened around every
    // finding's spot, is still far too long to print for each of them.
    let crowded = format!(
        "{}\n",
        [call; 3000]
            .join("; ")
            .replace("--role-session-name ok ", "")
    );
    for (src, want) in [
        (many, "and 9997 more Q008"),
        (crowded, "on a line too long to show here"),
    ] {
        let o = human_of_stdin(&fx, &src);
        let out = stdout(&o);
        assert_eq!(o.status.code(), Some(1), "{out}");
        assert!(out.contains(want), "{out}");
        assert!(
            out.len() < 200 * src.len().min(20_000) + 20_000,
            "{} bytes",
            out.len()
        );
    }
}
