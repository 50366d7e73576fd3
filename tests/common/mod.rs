//! Running the real binary in tests.
#![allow(dead_code)]

use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};

pub const NOW: &str = "2026-11-23T12:00:00Z";

pub fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

/// `stslint ARGS` in `dir`, with a fixed clock, width and no colour; `stdin` fed if given.
pub fn stslint(dir: &Path, args: &[&str], stdin: Option<&str>) -> Output {
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_stslint"));
    cmd.current_dir(dir)
        .args(args)
        .env("COLUMNS", "100")
        .env_remove("NO_COLOR");
    cmd.stdin(if stdin.is_some() {
        Stdio::piped()
    } else {
        Stdio::null()
    });
    cmd.stdout(Stdio::piped()).stderr(Stdio::piped());
    let mut child = cmd.spawn().expect("run stslint");
    if let Some(text) = stdin {
        use std::io::Write;
        // stslint may exit before reading (a usage error): a closed pipe is not a test failure.
        let written = child.stdin.take().unwrap().write_all(text.as_bytes());
        if let Err(e) = written {
            assert_eq!(e.kind(), std::io::ErrorKind::BrokenPipe, "{e}");
        }
    }
    child.wait_with_output().expect("wait for stslint")
}

/// `stslint check --now NOW [--format F] PATH` in `dir`: (exit code, stdout).
pub fn check(dir: &Path, path: &str, format: &str) -> (i32, String) {
    check_with(dir, path, format, &[])
}

/// `stslint check --now NOW [--format F] EXTRA... PATH` in `dir`: (exit code, stdout).
pub fn check_with(dir: &Path, path: &str, format: &str, extra: &[&str]) -> (i32, String) {
    let mut args = vec![
        "check", "--now", NOW, "--color", "never", "--format", format,
    ];
    args.extend_from_slice(extra);
    args.push(path);
    let out = stslint(dir, &args, None);
    (
        out.status.code().unwrap_or(-1),
        String::from_utf8(out.stdout).expect("utf-8 output"),
    )
}

/// `stslint check --now NOW --format json ARGS` in `dir`: (exit code, parsed JSON output).
pub fn check_json(dir: &Path, args: &[&str], stdin: Option<&str>) -> (i32, serde_json::Value) {
    let mut all = vec!["check", "--now", NOW, "--format", "json"];
    all.extend_from_slice(args);
    let out = stslint(dir, &all, stdin);
    let text = String::from_utf8(out.stdout).expect("utf-8 output");
    let v = serde_json::from_str(&text).unwrap_or_else(|e| panic!("JSON output ({e}):\n{text}"));
    (out.status.code().unwrap_or(-1), v)
}

/// The codes of the diagnostics in a JSON report, in order.
pub fn codes(v: &serde_json::Value) -> Vec<&str> {
    v["diagnostics"]
        .as_array()
        .expect("diagnostics")
        .iter()
        .map(|d| d["code"].as_str().expect("code"))
        .collect()
}

/// `stslint check --format json -- aws sts assume-role-with-web-identity` with a valid role ARN and
/// this session name and token, run in `tests/fixtures`.
pub fn check_argv(session_name: &str, token: &str) -> (i32, serde_json::Value) {
    let argv = [
        "--",
        "aws",
        "sts",
        "assume-role-with-web-identity",
        "--role-arn",
        "arn:aws:iam::111122223333:role/ci",
        "--role-session-name",
        session_name,
        "--web-identity-token",
        token,
    ];
    check_json(&root().join("tests/fixtures"), &argv, None)
}

/// Fails if `output` contains any token in `dir` (whole) or any JWT's signature segment.
pub fn assert_no_token(output: &str, tokens: &[String]) {
    for t in tokens {
        let t = t.trim();
        assert!(!output.contains(t), "output contains a whole token");
        let parts: Vec<&str> = t.split('.').collect();
        if parts.len() == 3 && parts[2].len() >= 8 {
            assert!(
                !output.contains(parts[2]),
                "output contains a token signature"
            );
        }
        if t.len() >= 24 && !t.starts_with('/') {
            assert!(
                !output.contains(&t[t.len() - 24..]),
                "output contains the end of a token"
            );
        }
    }
}

/// A Python virtual environment under `target/` with `packages` installed (pip, from PyPI), made
/// when `probe` (a Python statement) fails in it; returns its python. `None` when python3 is
/// missing: the caller skips, or fails when STSLINT_REQUIRE_PEERS=1 (as `.ci/run` sets).
pub fn peer_venv(name: &str, packages: &[&str], probe: &str) -> Option<PathBuf> {
    peer_venv_required_by("STSLINT_REQUIRE_PEERS", name, packages, probe)
}

/// [`peer_venv`], failing instead of skipping when the environment variable `var` is `1`.
pub fn peer_venv_required_by(
    var: &str,
    name: &str,
    packages: &[&str],
    probe: &str,
) -> Option<PathBuf> {
    let required = std::env::var(var).is_ok_and(|v| v == "1");
    if Command::new("python3").arg("--version").output().is_err() {
        assert!(
            !required,
            "python3 is missing, and {var}=1 requires this peer test"
        );
        println!("SKIPPED: python3 is not installed, so {packages:?} cannot be run");
        return None;
    }
    let venv = root().join("target").join(name);
    let python = venv.join("bin/python");
    let ok = Command::new(&python)
        .args(["-c", probe])
        .status()
        .is_ok_and(|s| s.success());
    if !ok {
        let st = Command::new("python3")
            .args(["-m", "venv"])
            .arg(&venv)
            .status()
            .expect("python3 -m venv");
        assert!(st.success(), "creating {name} failed");
        let st = Command::new(venv.join("bin/pip"))
            .args(["install", "--quiet", "--disable-pip-version-check"])
            .args(packages)
            .status()
            .expect("pip install");
        assert!(st.success(), "pip install {packages:?} failed");
    }
    Some(python)
}

/// Runs a peer script (`python SCRIPT STSLINT`) from the repository root; fails the test, showing
/// its output, unless it exits 0 and prints `expect`.
pub fn run_peer_script(python: &Path, script: &str, expect: &str) {
    let out = Command::new(python)
        .arg(root().join(script))
        .arg(env!("CARGO_BIN_EXE_stslint"))
        .current_dir(root())
        .output()
        .expect("run the peer script");
    let stdout = String::from_utf8_lossy(&out.stdout);
    println!("{stdout}");
    assert!(
        out.status.success() && stdout.contains(expect),
        "{script} disagrees:\n{stdout}\n{}",
        String::from_utf8_lossy(&out.stderr)
    );
}
