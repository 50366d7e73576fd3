#!/usr/bin/env bash
# Runs every fuzz target for SECONDS each (default 10: the CI smoke run), seeded from the test
# fixtures. Needs a nightly toolchain and cargo-fuzz (cargo install cargo-fuzz).
# Usage: bash fuzz/run.sh [SECONDS] [TARGET...]
set -euo pipefail
cd "$(dirname "$0")"
secs="${1:-10}"; shift || true
targets=("$@"); [ ${#targets[@]} -gt 0 ] || targets=(shell request_json token policy check)
root=..
seed() { # target, files...
  local dir="corpus/$1"; shift
  mkdir -p "$dir"
  for f in "$@"; do [ -f "$f" ] && cp "$f" "$dir/$(basename "$f")"; done
}
seed shell $root/tests/fixtures/*.sh $root/examples/*.sh
seed request_json $root/tests/fixtures/*.json $root/examples/*.json
seed check $root/tests/fixtures/*.sh $root/tests/fixtures/*.json $root/examples/*
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
for t in "${targets[@]}"; do
  echo "== $t (${secs}s)"
  rm -rf "artifacts/$t"
  cargo +nightly fuzz run -O "$t" "corpus/$t" -- -max_total_time="$secs" -max_len=8192 -timeout=10 -rss_limit_mb=2048 -print_final_stats=1 2>&1 \
    | grep -E "^(stat::number_of_executed_units|stat::peak_rss_mb|==[0-9]+==|SUMMARY|.*(panicked|Test unit written|deadly signal))" || true
  # A crash leaves an artifact; the regression tests replay fuzz/regressions/.
  if find "artifacts/$t" -type f \( -name 'crash-*' -o -name 'timeout-*' -o -name 'oom-*' \) 2>/dev/null | grep -q .; then
    echo "fuzz/run.sh: $t found a failing input in fuzz/artifacts/$t"; exit 1
  fi
done
