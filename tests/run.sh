#!/usr/bin/env bash
# The whole test suite, with what it needs: the peers from PyPI, each in a venv under target/
# (the real AWS CLI for the differential test, PyJWT, parliament, and jsonschema for SARIF), then
# `cargo test`. Usage: bash tests/run.sh [cargo test options]
set -euo pipefail
cd "$(dirname "$0")/.."

# peer VENV PROBE PACKAGE...: make target/VENV with PACKAGES unless PROBE (Python) succeeds in it.
peer() {
  local venv="target/$1" probe="$2"
  shift 2
  if ! "$venv/bin/python" -c "$probe" 2>/dev/null; then
    echo "tests/run.sh: installing $* into $venv"
    python3 -m venv "$venv"
    "$venv/bin/pip" install --quiet --disable-pip-version-check "$@"
  fi
}

if command -v python3 >/dev/null 2>&1; then
  # The AWS CLI, for the differential test (tests/awscli_differential.rs).
  peer awscli-venv "import awscli; assert awscli.__version__ == '1.46.3'" "awscli==1.46.3"
  # PyJWT, the peer for token decoding and signature checks (tests/pyjwt_peer.rs).
  peer pyjwt-venv "import jwt; assert jwt.__version__ == '2.10.1'" "pyjwt[crypto]==2.10.1" "cryptography==50.0.2"
  # parliament, the peer for the session-policy linter (tests/parliament_peer.rs).
  peer parliament-venv "import parliament; assert parliament.__version__ == '1.6.4'" "parliament==1.6.4"
  # jsonschema, to validate SARIF output against the SARIF 2.1.0 schema (tests/sarif_schema.rs).
  peer jsonschema-venv "import jsonschema; assert jsonschema.__version__ == '4.26.0'" "jsonschema==4.26.0"
  # pre-commit, to run the shipped hook with `pre-commit try-repo` (tests/integrations.rs).
  peer precommit-venv "import pre_commit.constants as c; assert c.VERSION == '4.7.0'" "pre-commit==4.7.0"
else
  echo "tests/run.sh: python3 not found; the peer tests will skip (or fail with STSLINT_REQUIRE_AWSCLI=1 / STSLINT_REQUIRE_PEERS=1)"
fi

cargo test --all-targets "$@"
