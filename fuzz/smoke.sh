#!/usr/bin/env bash
# CI's fuzz smoke run: every target for SECONDS (default 10) from the seed corpus, built with the
# stable toolchain and no sanitizer (coverage instrumentation only: the flags cargo-fuzz passes with
# --sanitizer none), so neither nightly nor cargo-fuzz is needed. A panic, a timeout or running out
# of memory fails it; the input is left in fuzz/artifacts/TARGET/.
# Usage: bash fuzz/smoke.sh [SECONDS]
set -euo pipefail
cd "$(dirname "$0")"
secs="${1:-10}"
bash seed.sh
export RUSTFLAGS="-Cpasses=sancov-module -Cllvm-args=-sanitizer-coverage-level=4 \
-Cllvm-args=-sanitizer-coverage-inline-8bit-counters -Cllvm-args=-sanitizer-coverage-pc-table \
-Cllvm-args=-sanitizer-coverage-trace-compares --cfg fuzzing -Cdebug-assertions"
# A lighter build than fuzzing proper: no debug info, less optimisation.
export CARGO_PROFILE_RELEASE_DEBUG=0 CARGO_PROFILE_RELEASE_OPT_LEVEL=1
triple="$(rustc -vV | sed -n 's/^host: //p')"
cargo build --release --locked --bins --target "$triple" --target-dir ../target/fuzz-smoke
for t in shell request_json token policy check; do
  rm -rf "artifacts/$t" && mkdir -p "artifacts/$t"
  out="$(mktemp)"
  if ! "../target/fuzz-smoke/$triple/release/$t" "corpus/$t" -max_total_time="$secs" -max_len=8192 \
      -timeout=10 -rss_limit_mb=2048 -print_final_stats=1 -artifact_prefix="artifacts/$t/" >"$out" 2>&1; then
    tail -40 "$out"; echo "fuzz/smoke.sh: $t failed; the input is in fuzz/artifacts/$t/"; exit 1
  fi
  echo "fuzz smoke: $t: $(sed -n 's/^stat::number_of_executed_units: *//p' "$out") executions in ${secs}s, no failure"
  rm -f "$out"
done
