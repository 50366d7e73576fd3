//! SARIF output validated against the SARIF 2.1.0 JSON schema (`tests/sarif/`), with PyPI
//! `jsonschema` in `target/jsonschema-venv` (installed by `tests/run.sh`, or here if missing), for
//! every fixture, example and the argv form (`tests/peers/sarif_validate.py`). Skips only when
//! python3 is missing, and fails instead when STSLINT_REQUIRE_PEERS=1 (as `.ci/run` sets).

mod common;

#[test]
fn sarif_output_is_valid_sarif_2_1_0() {
    let Some(python) = common::peer_venv(
        "jsonschema-venv",
        &["jsonschema==4.26.0"],
        "import jsonschema; assert jsonschema.__version__ == '4.26.0'",
    ) else {
        return;
    };
    common::run_peer_script(&python, "tests/peers/sarif_validate.py", " 0 problems");
}
