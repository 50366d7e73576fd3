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
    for dir in ["tests/fixtures", "examples"] {
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
    // A path passed where the token belongs (T005) is shown on purpose: it is not a secret.
    tokens
        .into_iter()
        .filter(|t| !t.contains('/'))
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
        for format in ["human", "json", "sarif", "github", "short", "junit"] {
            let out = stslint(
                &base,
                &[
                    "check",
                    "--now",
                    NOW,
                    "--jwks",
                    "keys/jwks.json",
                    "--format",
                    format,
                    &name,
                ],
                None,
            );
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
