#!/usr/bin/env bash
# The whole test suite, with what it needs: the real AWS CLI (from PyPI, into a venv under
# target/) for the differential test, then `cargo test`. Usage: bash tests/run.sh
set -euo pipefail
cd "$(dirname "$0")/.."

AWSCLI_VERSION="1.46.3"
venv="target/awscli-venv"
if command -v python3 >/dev/null 2>&1; then
  if ! "$venv/bin/aws" --version 2>&1 | grep -q "aws-cli/$AWSCLI_VERSION "; then
    echo "tests/run.sh: installing awscli==$AWSCLI_VERSION into $venv"
    python3 -m venv "$venv"
    "$venv/bin/pip" install --quiet --disable-pip-version-check "awscli==$AWSCLI_VERSION"
  fi
else
  echo "tests/run.sh: python3 not found; the AWS CLI differential test will skip (or fail with STSLINT_REQUIRE_AWSCLI=1)"
fi

# PyJWT, the peer for token decoding and signature checks (tests/pyjwt_peer.rs).
pyjwt_venv="target/pyjwt-venv"
if command -v python3 >/dev/null 2>&1; then
  if ! "$pyjwt_venv/bin/python" -c "import jwt, cryptography; assert jwt.__version__ == '2.10.1'" 2>/dev/null; then
    echo "tests/run.sh: installing pyjwt[crypto]==2.10.1 into $pyjwt_venv"
    python3 -m venv "$pyjwt_venv"
    "$pyjwt_venv/bin/pip" install --quiet --disable-pip-version-check "pyjwt[crypto]==2.10.1" "cryptography==50.0.2"
  fi
fi

# parliament, the peer for the session-policy linter (tests/parliament_peer.rs).
parliament_venv="target/parliament-venv"
if command -v python3 >/dev/null 2>&1; then
  if ! "$parliament_venv/bin/python" -c "import parliament; assert parliament.__version__ == '1.6.4'" 2>/dev/null; then
    echo "tests/run.sh: installing parliament==1.6.4 into $parliament_venv"
    python3 -m venv "$parliament_venv"
    "$parliament_venv/bin/pip" install --quiet --disable-pip-version-check "parliament==1.6.4"
  fi
fi

# jsonschema, to validate the SARIF output against the SARIF 2.1.0 schema (tests/sarif_schema.rs).
jsonschema_venv="target/jsonschema-venv"
if command -v python3 >/dev/null 2>&1; then
  if ! "$jsonschema_venv/bin/python" -c "import jsonschema; assert jsonschema.__version__ == '4.26.0'" 2>/dev/null; then
    echo "tests/run.sh: installing jsonschema==4.26.0 into $jsonschema_venv"
    python3 -m venv "$jsonschema_venv"
    "$jsonschema_venv/bin/pip" install --quiet --disable-pip-version-check "jsonschema==4.26.0"
  fi
fi

cargo test --all-targets "$@"
