#!/usr/bin/env bash
# Hostile inputs with time, peak memory and output size per case, against generous budgets
# (10 s, 500 MB, output at most 64x the input + 256 KB); see scripts/hostile.py for the cases.
# Usage: bash scripts/hostile.sh [--only NAME[,NAME]] [--skip NAME[,NAME]] [--list] [--markdown]
set -euo pipefail
cd "$(dirname "$0")/.."
cargo build --release --quiet --bin stslint
exec python3 scripts/hostile.py target/release/stslint "$@"
