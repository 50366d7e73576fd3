#!/usr/bin/env bash
# Runs every fuzz target for SECONDS each (default 60), with AddressSanitizer, seeded from the test
# fixtures. Needs a nightly toolchain and cargo-fuzz (cargo install cargo-fuzz).
# Usage: bash fuzz/run.sh [SECONDS] [TARGET...]
set -euo pipefail
cd "$(dirname "$0")"
secs="${1:-60}"; shift || true
targets=("$@"); [ ${#targets[@]} -gt 0 ] || targets=(shell request_json token policy check)
bash seed.sh
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
