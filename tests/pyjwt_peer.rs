//! Peer test against PyJWT (PyPI `pyjwt[crypto]`, installed by `tests/run.sh` into
//! `target/pyjwt-venv`, or here if missing): for every token fixture, PyJWT and `stslint token` must
//! decode the same header and claims and agree on whether the signature verifies with
//! `tests/fixtures/keys/jwks.json` (`tests/peers/pyjwt_tokens.py`). Skips, saying why, only when
//! python3 is missing — and fails instead when STSLINT_REQUIRE_PEERS=1 (as `.ci/run` sets).

mod common;

#[test]
fn tokens_decode_and_verify_as_pyjwt_says() {
    let Some(python) = common::peer_venv(
        "pyjwt-venv",
        &["pyjwt[crypto]==2.10.1", "cryptography==50.0.2"],
        "import jwt, cryptography; assert jwt.__version__ == '2.10.1'",
    ) else {
        return;
    };
    common::run_peer_script(&python, "tests/peers/pyjwt_tokens.py", " 0 disagreements");
}
