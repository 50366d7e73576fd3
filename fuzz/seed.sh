#!/usr/bin/env bash
# Writes the seed corpora fuzz/corpus/TARGET from the test fixtures (sourced by run.sh and smoke.sh).
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")"
root=..
seed() { # target, files...
  local dir="corpus/$1"; shift
  mkdir -p "$dir"
  for f in "$@"; do [ -f "$f" ] && cp "$f" "$dir/$(basename "$f")"; done
  return 0
}
seed shell $root/tests/fixtures/*.sh $root/examples/*.sh
seed request_json $root/tests/fixtures/*.json $root/examples/*.json
seed check $root/tests/fixtures/*.sh $root/tests/fixtures/*.json $root/tests/fixtures/*.yml $root/examples/* $root/tests/dialects/*
seed policy $root/tests/fixtures/policies/*.json $root/tests/peers/policies/*.json
# The token target reads "HEADER-JSON\nCLAIMS-JSON": the fixture tokens, decoded.
mkdir -p corpus/token
python3 - "$root/tests/fixtures/tokens" corpus/token <<'PY'
import base64, pathlib, sys
for p in pathlib.Path(sys.argv[1]).glob("*.jwt"):
    parts = p.read_text().strip().split(".")
    if len(parts) != 3: continue
    dec = lambda s: base64.urlsafe_b64decode(s + "=" * (-len(s) % 4))
    try: pathlib.Path(sys.argv[2], p.stem).write_bytes(dec(parts[0]) + b"\n" + dec(parts[1]))
    except Exception: pass
PY
