//! The shipped integrations, run for real (`tests/peers/integrations.py`): the pre-commit hook with
//! `pre-commit try-repo` (PyPI pre-commit, in `target/precommit-venv`, installed by `tests/run.sh`
//! or here) on a scratch git repository, and the composite GitHub Action's step with bash. Skips only
//! when python3 is missing, and fails instead when STSLINT_REQUIRE_PEERS=1 (as `.ci/run` sets).

mod common;

#[test]
fn pre_commit_hook_and_github_action_work() {
    let Some(python) = common::peer_venv(
        "precommit-venv",
        &["pre-commit==4.7.0"],
        "import pre_commit.constants as c; assert c.VERSION == '4.7.0'",
    ) else {
        return;
    };
    common::run_peer_script(&python, "tests/peers/integrations.py", "\n0 problems");
}
