//! Peer test against parliament (PyPI `parliament`, duo-labs' IAM policy linter, installed by
//! `tests/run.sh` into `target/parliament-venv`, or here if missing): for each of the policies in
//! `tests/peers/policies/`, every one parliament reports as malformed must get an error from
//! stslint, and the valid ones none (`tests/peers/parliament_policies.py`, whose KNOWN list holds
//! the deliberate differences). Skips only when python3 is missing, and fails instead when
//! STSLINT_REQUIRE_PEERS=1 (as `.ci/run` sets).

mod common;

#[test]
fn malformed_policies_are_errors_as_parliament_says() {
    let Some(python) = common::peer_venv(
        "parliament-venv",
        &["parliament==1.6.4"],
        "import parliament; assert parliament.__version__ == '1.6.4'",
    ) else {
        return;
    };
    common::run_peer_script(
        &python,
        "tests/peers/parliament_policies.py",
        " 0 disagreements",
    );
}
