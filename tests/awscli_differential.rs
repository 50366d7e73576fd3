//! Differential test against the real AWS CLI (awscli from PyPI, installed by `tests/run.sh` into
//! `target/awscli-venv`, or here if missing): every invocation of the corpus in
//! `tests/awscli/probe.py` is run by the CLI against a loopback listener that records the form body it
//! POSTs (`tests/awscli/record.py`), and compared with what stslint parsed
//! (`tests/awscli/differential.py`). Skips, saying why, only when python3 is missing — and fails
//! instead when STSLINT_REQUIRE_AWSCLI=1 (as `.ci/run` sets).

mod common;
use common::root;
use std::process::Command;

const AWSCLI_VERSION: &str = "1.46.3";

#[test]
fn parsed_requests_match_what_the_aws_cli_sends() {
    let Some(python) = common::peer_venv_required_by(
        "STSLINT_REQUIRE_AWSCLI",
        "awscli-venv",
        &[&format!("awscli=={AWSCLI_VERSION}")],
        &format!("import awscli; assert awscli.__version__ == '{AWSCLI_VERSION}'"),
    ) else {
        return;
    };
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
