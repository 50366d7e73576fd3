//! Peer test against PyJWT (PyPI `pyjwt[crypto]`, installed by `tests/run.sh` into
//! `target/pyjwt-venv`, or here if missing): for every token fixture, PyJWT and `stslint token` must
//! decode the same header and claims and agree on whether the signature verifies with
//! `tests/fixtures/keys/jwks.json` (`tests/peers/pyjwt_tokens.py`). Skips, saying why, only when
//! python3 is missing — and fails instead when STSLINT_REQUIRE_PEERS=1 (as `.ci/run` sets).

use std::path::PathBuf;
use std::process::Command;

const PACKAGES: &[&str] = &["pyjwt[crypto]==2.10.1", "cryptography==50.0.2"];

fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

fn ensure_venv() -> PathBuf {
    let venv = root().join("target/pyjwt-venv");
    let python = venv.join("bin/python");
    let ok = Command::new(&python)
        .args([
            "-c",
            "import jwt, cryptography; assert jwt.__version__ == '2.10.1'",
        ])
        .status()
        .is_ok_and(|s| s.success());
    if !ok {
        let st = Command::new("python3")
            .args(["-m", "venv"])
            .arg(&venv)
            .status()
            .expect("python3 -m venv");
        assert!(st.success(), "creating the venv failed");
        let st = Command::new(venv.join("bin/pip"))
            .args(["install", "--quiet", "--disable-pip-version-check"])
            .args(PACKAGES)
            .status()
            .expect("pip install pyjwt");
        assert!(st.success(), "pip install {PACKAGES:?} failed");
    }
    python
}

#[test]
fn tokens_decode_and_verify_as_pyjwt_says() {
    let required = std::env::var("STSLINT_REQUIRE_PEERS").is_ok_and(|v| v == "1");
    if Command::new("python3").arg("--version").output().is_err() {
        assert!(
            !required,
            "python3 is missing, and STSLINT_REQUIRE_PEERS=1 requires the PyJWT peer test"
        );
        println!("SKIPPED: python3 is not installed, so PyJWT cannot be run");
        return;
    }
    let out = Command::new(ensure_venv())
        .arg(root().join("tests/peers/pyjwt_tokens.py"))
        .arg(env!("CARGO_BIN_EXE_stslint"))
        .current_dir(root())
        .output()
        .expect("run pyjwt_tokens.py");
    let stdout = String::from_utf8_lossy(&out.stdout);
    println!("{stdout}");
    assert!(
        out.status.success(),
        "PyJWT and stslint disagree:\n{stdout}\n{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(stdout.contains(" 0 disagreements"), "{stdout}");
}
