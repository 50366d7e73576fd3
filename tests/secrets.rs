//! A web identity token is a credential: no output of any command or format may contain a whole
//! token or its signature part. This runs every command and format over every token the fixtures
//! hold (token files and tokens written inline in scripts) and looks for them.

mod common;
use common::{root, stslint, NOW};
use std::collections::BTreeSet;

/// Every token in the fixtures: (whole token, signature part).
fn secrets() -> Vec<(String, String)> {
    let base = root().join("tests/fixtures");
    let mut tokens = BTreeSet::new();
    for e in std::fs::read_dir(base.join("tokens")).unwrap() {
        let p = e.unwrap().path();
        if p.extension().is_some_and(|x| x == "jwt") {
            tokens.insert(std::fs::read_to_string(&p).unwrap().trim().to_string());
        }
    }
    let json = regex::Regex::new(r#""WebIdentityToken":\s*"([^"]+)""#).unwrap();
    let inline = regex::Regex::new(r#"--web-identity-token\s+['"]?([^\s'"$]+)"#).unwrap();
    for dir in ["tests/fixtures", "examples", "rules"] {
        for e in std::fs::read_dir(root().join(dir)).unwrap() {
            let p = e.unwrap().path();
            let Ok(text) = std::fs::read_to_string(&p) else {
                continue;
            };
            for c in inline.captures_iter(&text) {
                let t = &c[1];
                if !t.starts_with("file://") && !t.starts_with("fileb://") && t.len() > 12 {
                    tokens.insert(t.to_string());
                }
            }
            for c in json.captures_iter(&text) {
                if !c[1].starts_with("file://") && c[1].len() > 12 {
                    tokens.insert(c[1].to_string());
                }
            }
        }
    }
    // A path passed where the token belongs (T005) is shown on purpose: it is not a secret; nor
    // is a placeholder the docs already show (`«token redacted: ...»`).
    tokens
        .into_iter()
        .filter(|t| !t.contains('/') && !t.starts_with('«'))
        .map(|t| {
            let sig = t.rsplit('.').next().unwrap_or("").to_string();
            (t, sig)
        })
        .collect()
}

fn assert_clean(what: &str, out: &[u8], secrets: &[(String, String)]) {
    let out = String::from_utf8_lossy(out);
    for (token, sig) in secrets {
        assert!(
            !out.contains(token.as_str()),
            "{what} shows a whole token: {token}"
        );
        // Signatures shorter than this are made-up test values (`c2ln`) that also occur elsewhere.
        if sig.len() >= 16 {
            assert!(
                !out.contains(sig.as_str()),
                "{what} shows a signature part: {sig}"
            );
        }
    }
}

#[test]
fn no_output_contains_a_token_or_its_signature() {
    let secrets = secrets();
    assert!(secrets.len() >= 40, "found {} tokens", secrets.len());
    let base = root().join("tests/fixtures");
    let mut runs = 0;
    for e in std::fs::read_dir(&base).unwrap() {
        let name = e.unwrap().file_name().into_string().unwrap();
        if !(name.ends_with(".sh") || name.ends_with(".json")) {
            continue;
        }
        // The options the fixture needs (trust inputs, a configuration), else a JWKS.
        let extra = std::fs::read_to_string(base.join(&name).with_extension("args"))
            .unwrap_or_else(|_| "--jwks keys/jwks.json".into());
        for format in ["human", "json", "sarif", "github", "short", "junit"] {
            let mut args = vec!["check", "--now", NOW, "--format", format];
            args.extend(extra.split_whitespace());
            args.push(&name);
            let out = stslint(&base, &args, None);
            assert_clean(
                &format!("check --format {format} {name}"),
                &out.stdout,
                &secrets,
            );
            assert_clean(
                &format!("check --format {format} {name} (stderr)"),
                &out.stderr,
                &secrets,
            );
            runs += 1;
        }
    }
    for (token, _) in &secrets {
        for format in ["human", "json"] {
            // The token as an argument, and on standard input.
            let out = stslint(
                &base,
                &[
                    "token",
                    "--now",
                    NOW,
                    "--jwks",
                    "keys/jwks.json",
                    "--format",
                    format,
                    token,
                ],
                None,
            );
            assert_clean(
                &format!("token --format {format} (argument)"),
                &out.stdout,
                &secrets,
            );
            assert_clean(
                &format!("token --format {format} (argument, stderr)"),
                &out.stderr,
                &secrets,
            );
            let out = stslint(
                &base,
                &["token", "--now", NOW, "--format", format, "-"],
                Some(token),
            );
            assert_clean(&format!("token --format {format} -"), &out.stdout, &secrets);
            // The token in an argv invocation.
            let out = stslint(
                &base,
                &[
                    "check",
                    "--now",
                    NOW,
                    "--format",
                    format,
                    "--",
                    "aws",
                    "sts",
                    "assume-role-with-web-identity",
                    "--role-arn",
                    "arn:aws:iam::111122223333:role/ci",
                    "--role-session-name",
                    "s",
                    "--web-identity-token",
                    token,
                ],
                None,
            );
            assert_clean(
                &format!("check --format {format} -- ... (argv)"),
                &out.stdout,
                &secrets,
            );
            assert_clean(
                &format!("check --format {format} -- ... (argv, stderr)"),
                &out.stderr,
                &secrets,
            );
            runs += 3;
        }
    }
    assert!(runs > 200, "{runs} runs");
}

/// A baseline records findings, with their messages: it must not record a token either.
#[test]
fn a_written_baseline_holds_no_token() {
    let secrets = secrets();
    let dir = std::env::temp_dir().join(format!("stslint-secrets-baseline-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let baseline = dir.join("baseline.json");
    let base = root().join("tests/fixtures");
    let out = stslint(
        &base,
        &[
            "check",
            "--now",
            NOW,
            "--write-baseline",
            baseline.to_str().unwrap(),
            ".",
        ],
        None,
    );
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let text = std::fs::read(&baseline).unwrap();
    assert!(
        text.len() > 10_000,
        "the baseline recorded the fixtures' findings"
    );
    assert_clean("--write-baseline", &text, &secrets);
    assert_clean("--write-baseline (stderr)", &out.stderr, &secrets);
    std::fs::remove_dir_all(&dir).unwrap();
}

/// A panic is a bug, and its message may quote the text being read: it reaches the user with
/// token-like text removed, and exit code 2.
#[test]
fn a_panic_message_never_shows_a_token() {
    let secrets = secrets();
    let base = root().join("tests/fixtures");
    for (token, sig) in secrets.iter().take(12) {
        let out = std::process::Command::new(env!("CARGO_BIN_EXE_stslint"))
            .current_dir(&base)
            .args(["check", "x.sh"])
            .env(
                "STSLINT_TEST_PANIC",
                format!("byte index 7 is not a char boundary of `--web-identity-token {token}`; signature {sig}"),
            )
            .output()
            .unwrap();
        assert_eq!(out.status.code(), Some(2));
        let err = String::from_utf8_lossy(&out.stderr);
        assert!(err.contains("stslint: internal error at "), "{err}");
        assert!(err.contains("this is a bug"), "{err}");
        assert_clean("a panic", &out.stderr, &secrets);
        assert_clean("a panic (stdout)", &out.stdout, &secrets);
    }
}

/// Debug output (`{:?}`) of everything a run holds: inputs, sources, requests, tokens, findings.
#[test]
fn debug_output_never_shows_a_token() {
    let secrets = secrets();
    let base = root().join("tests/fixtures");
    let opts = stslint::Options {
        now: chrono::DateTime::parse_from_rfc3339(NOW).unwrap().into(),
        cwd: base.clone(),
        jwks: Some(base.join("keys/jwks.json")),
        isolated: true,
        ..stslint::Options::default()
    };
    let mut inputs = vec![stslint::Input::Path(base.clone())];
    for (token, _) in &secrets {
        inputs.push(stslint::Input::Text {
            name: "t.sh".into(),
            text: format!("aws sts assume-role-with-web-identity --role-arn arn:aws:iam::111122223333:role/ci --role-session-name s --web-identity-token {token}\n"),
        });
        inputs.push(stslint::Input::Argv(
            [
                "aws",
                "sts",
                "assume-role-with-web-identity",
                "--web-identity-token",
                token,
            ]
            .map(String::from)
            .into(),
        ));
    }
    let report = stslint::check(&inputs, &opts);
    assert!(
        report.requests.len() > 100,
        "{} requests",
        report.requests.len()
    );
    for (what, text) in [
        ("inputs", format!("{inputs:?}")),
        ("report", format!("{report:?}")),
        ("report (pretty)", format!("{report:#?}")),
    ] {
        assert!(text.len() > 2_000, "{what} was printed");
        assert_clean(&format!("{{:?}} of the {what}"), text.as_bytes(), &secrets);
    }
    for (token, _) in &secrets {
        let insp = stslint::check::token::inspect("<argument>", token, &opts);
        assert_clean(
            "{:?} of stslint token's inspection",
            format!("{insp:?}").as_bytes(),
            &secrets,
        );
    }
}

/// The commands that take no token print none either: `rules`, `explain` for every rule (the docs'
/// examples quote fixtures with tokens written inline), `man` and the shell completions.
#[test]
fn catalogue_commands_never_show_a_token() {
    let secrets = secrets();
    let base = root().join("tests/fixtures");
    let mut cmds: Vec<Vec<String>> = vec![
        vec!["rules".into()],
        vec!["man".into()],
        vec!["completions".into(), "bash".into()],
    ];
    for r in stslint::rules::all() {
        cmds.push(vec!["explain".into(), r.code.into()]);
    }
    for cmd in &cmds {
        let args: Vec<&str> = cmd.iter().map(String::as_str).collect();
        let out = stslint(&base, &args, None);
        assert_eq!(out.status.code(), Some(0), "{cmd:?}");
        assert_clean(&format!("{cmd:?}"), &out.stdout, &secrets);
        assert_clean(&format!("{cmd:?} (stderr)"), &out.stderr, &secrets);
    }
    assert!(cmds.len() > 90);
}

/// A token is a secret wherever it is written: in a parameter that is not the token
/// (`--role-session-name`, `--provider-id`, `--role-arn`, `--policy`, `--policy-arns`), every
/// format redacts it by its shape.
#[test]
fn a_token_in_another_parameter_is_redacted_too() {
    let secrets = secrets();
    let token = signed_token(&secrets);
    let base = root().join("tests/fixtures");
    let role = "arn:aws:iam::111122223333:role/ci";
    let policy = r#"{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"@T@","Resource":"*"}]}"#;
    for case in [
        format!("--role-arn {role} --role-session-name @T@ --web-identity-token t0k3n"),
        format!("--role-arn {role} --role-session-name s1 --provider-id @T@ --web-identity-token t0k3n"),
        "--role-arn @T@ --role-session-name s1 --web-identity-token t0k3n".to_string(),
        format!("--role-arn {role} --role-session-name s1 --web-identity-token t0k3n --policy {policy}"),
        format!("--role-arn {role} --role-session-name s1 --web-identity-token t0k3n --policy-arns arn=@T@"),
    ] {
        assert!(case.contains("@T@"));
        let words: Vec<String> = case.split_whitespace().map(|w| w.replace("@T@", token)).collect();
        for format in ["human", "json", "sarif", "github", "short", "junit"] {
            let mut args = vec!["check", "--now", NOW, "--format", format, "--"];
            args.extend(["aws", "sts", "assume-role-with-web-identity"]);
            args.extend(words.iter().map(String::as_str));
            let out = stslint(&base, &args, None);
            // the token was there to leak: the JSON names it by its placeholder
            if format == "json" {
                assert!(String::from_utf8_lossy(&out.stdout).contains("«token redacted"), "{case}");
            }
            assert_output_clean(&format!("{format}: {}", &case[..40]), &out, &secrets);
        }
    }
}

/// A token from the fixtures with a real signature.
fn signed_token(secrets: &[(String, String)]) -> &str {
    secrets
        .iter()
        .find(|(t, s)| t.starts_with("eyJ") && s.len() >= 16)
        .map(|(t, _)| t.as_str())
        .expect("a signed token")
}

/// [`assert_clean`] on both standard output and standard error.
fn assert_output_clean(what: &str, out: &std::process::Output, secrets: &[(String, String)]) {
    assert_clean(what, &out.stdout, secrets);
    assert_clean(&format!("{what} (stderr)"), &out.stderr, secrets);
}

/// Usage errors quote the argument they refuse (clap's own messages too): a token given there is
/// redacted as well.
#[test]
fn usage_errors_do_not_echo_a_token() {
    let secrets = secrets();
    let token = signed_token(&secrets);
    let base = root().join("tests/fixtures");
    let file = format!("file://{token}");
    for args in [
        vec!["check", "--now", token, "x.sh"],
        vec!["check", "--format", token, "x.sh"],
        vec!["check", token],
        vec!["token", file.as_str()],
        vec!["rules", token],
    ] {
        let out = stslint(&base, &args, None);
        assert_ne!(out.status.code(), Some(0), "{:?}", &args[..2]);
        assert_output_clean(&format!("{:?}", &args[..2]), &out, &secrets);
    }
}

/// A checked file's `file://` targets outside the directory being checked (`~`, an absolute
/// path, `..`, a link leading out) are not read, so a stranger's script cannot make stslint print
/// the CI machine's files; a command given after `--` is the user's own and reads them.
#[test]
fn file_targets_outside_the_checked_directory_are_not_read() {
    let root_dir = std::env::temp_dir().join(format!("stslint-outside-{}", std::process::id()));
    let inside = root_dir.join("repo");
    std::fs::create_dir_all(&inside).unwrap();
    let secret = root_dir.join("credentials");
    std::fs::write(&secret, "aws_secret_access_key = OUTSIDE-SECRET-VALUE\n").unwrap();
    std::os::unix::fs::symlink(&secret, inside.join("link")).ok();
    std::fs::write(
        inside.join("mine"),
        "arn:aws:iam::111122223333:role/inside\n",
    )
    .unwrap();
    let script = format!(
        "aws sts assume-role-with-web-identity --role-arn file://{} --role-session-name file://../credentials --web-identity-token file://link --policy file://~/x\naws sts assume-role-with-web-identity --role-arn file://mine --role-session-name s1 --web-identity-token t0k3n\n",
        secret.display()
    );
    std::fs::write(inside.join("s.sh"), script).unwrap();
    for format in ["human", "json", "short", "sarif"] {
        let out = stslint(&inside, &["check", "--format", format, "s.sh"], None);
        let text = String::from_utf8_lossy(&out.stdout);
        assert!(!text.contains("OUTSIDE-SECRET-VALUE"), "{format}: {text}");
        if format == "short" {
            assert_eq!(
                text.matches("outside the directory being checked").count(),
                4,
                "{text}"
            );
            // inside the directory, the file is read (its trailing newline is a finding in it)
            assert!(text.contains("mine:1:"), "{text}");
        }
    }
    let out = stslint(
        &inside,
        &[
            "check",
            "--format",
            "short",
            "--",
            "aws",
            "sts",
            "assume-role-with-web-identity",
            "--role-arn",
            &format!("file://{}", secret.display()),
            "--role-session-name",
            "s1",
            "--web-identity-token",
            "t0k3n",
        ],
        None,
    );
    assert!(!String::from_utf8_lossy(&out.stdout).contains("outside the directory"));
    std::fs::remove_dir_all(&root_dir).ok();
}
