//! Differential test against the real AWS CLI (awscli from PyPI, installed by `tests/run.sh` into
//! `target/awscli-venv`, or here if missing): every invocation of the corpus in
//! `tests/awscli/probe.py` is run by the CLI against a loopback listener that records the form body it
//! POSTs (`tests/awscli/record.py`), and compared with what stslint parsed
//! (`tests/awscli/differential.py`). Skips, saying why, only when python3 is missing — and fails
//! instead when STSLINT_REQUIRE_AWSCLI=1 (as `.ci/run` sets).

use std::path::PathBuf;
use std::process::Command;

const AWSCLI_VERSION: &str = "1.46.3";

fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

fn ensure_venv() -> PathBuf {
    let venv = root().join("target/awscli-venv");
    let python = venv.join("bin/python");
    let aws = venv.join("bin/aws");
    let ok = Command::new(&aws).arg("--version").output().is_ok_and(|o| {
        String::from_utf8_lossy(&o.stdout).contains(&format!("aws-cli/{AWSCLI_VERSION} "))
            || String::from_utf8_lossy(&o.stderr).contains(&format!("aws-cli/{AWSCLI_VERSION} "))
    });
    if !ok {
        let st = Command::new("python3")
            .args(["-m", "venv"])
            .arg(&venv)
            .status()
            .expect("python3 -m venv");
        assert!(st.success(), "creating the venv failed");
        let st = Command::new(venv.join("bin/pip"))
            .args([
                "install",
                "--quiet",
                "--disable-pip-version-check",
                &format!("awscli=={AWSCLI_VERSION}"),
            ])
            .status()
            .expect("pip install awscli");
        assert!(st.success(), "pip install awscli=={AWSCLI_VERSION} failed");
    }
    python
}

#[test]
fn parsed_requests_match_what_the_aws_cli_sends() {
    let required = std::env::var("STSLINT_REQUIRE_AWSCLI").is_ok_and(|v| v == "1");
    if Command::new("python3").arg("--version").output().is_err() {
        assert!(!required, "python3 is missing, and STSLINT_REQUIRE_AWSCLI=1 requires the AWS CLI differential test");
        println!("SKIPPED: python3 is not installed, so the real AWS CLI cannot be run");
        return;
    }
    let python = ensure_venv();
    let out = Command::new(python)
        .arg(root().join("tests/awscli/differential.py"))
        .arg(env!("CARGO_BIN_EXE_stslint"))
        .current_dir(root())
        .output()
        .expect("run differential.py");
    let stdout = String::from_utf8_lossy(&out.stdout);
    println!("{stdout}");
    eprintln!("{}", String::from_utf8_lossy(&out.stderr));
    assert!(
        out.status.success(),
        "stslint and the AWS CLI disagree:\n{stdout}"
    );
    let cases: usize = stdout
        .lines()
        .find_map(|l| l.strip_prefix("awscli differential: "))
        .and_then(|l| l.split(' ').next())
        .and_then(|n| n.parse().ok())
        .unwrap_or(0);
    assert!(
        cases >= 30,
        "the corpus has at least 30 invocations (got {cases})"
    );
}
