#!/usr/bin/env bash
# Whole-program figures: builds in release mode, writes corpora with the generator, and times with
# hyperfine (medians over repeated runs):
#   (a) one file, process start included;      (b) 10,000 files in a directory;
#   (c) the same files read by `cat` (the floor); (d) the AWS CLI's own client-side handling of the
#       same single invocation, aimed at a loopback listener (tests/awscli/record.py) — the peer;
# and peak RSS (/usr/bin/time -v) for 1,000 and 10,000 files. Prints the ratios.
# Needs hyperfine (apt install hyperfine); (d) needs target/awscli-venv (bash tests/run.sh makes it).
# Usage: bash scripts/bench.sh [N=10000]
set -euo pipefail
cd "$(dirname "$0")/.."
n="${1:-10000}"
command -v hyperfine >/dev/null || { echo "scripts/bench.sh: needs hyperfine (apt install hyperfine)"; exit 2; }
cargo build --release --quiet --bin stslint --example gen-corpus
bin="$PWD/target/release/stslint"
work="$PWD/target/bench"
rm -rf "$work" && mkdir -p "$work"
target/release/examples/gen-corpus 1000 "$work/c1k"
target/release/examples/gen-corpus "$n" "$work/cN"
one="$work/cN/d000/s00000.sh"
now="--now 2026-11-23T12:00:00Z"
median() { python3 -c "import json,sys; print(json.load(open(sys.argv[1]))['results'][0]['median'])" "$1"; }

cd "$work/cN"
hyperfine -N -w 5 -r 50 --ignore-failure --export-json "$work/a.json" "$bin check $now --format short $one" >/dev/null
hyperfine -w 2 -r 10 --ignore-failure --export-json "$work/b.json" "$bin check $now --format short . > /dev/null" >/dev/null
hyperfine -w 2 -r 10 --export-json "$work/c.json" "find . -type f -exec cat {} + > /dev/null" >/dev/null
a=$(median "$work/a.json"); b=$(median "$work/b.json"); c=$(median "$work/c.json")

d=""
if [ -x "$OLDPWD/target/awscli-venv/bin/aws" ]; then
  # A loopback listener that answers every request at once (the CLI's client side is what is timed).
  python3 -c '
import http.server, sys
class H(http.server.BaseHTTPRequestHandler):
    def do_POST(self):
        self.rfile.read(int(self.headers.get("Content-Length", 0)))
        body = b"<ErrorResponse><Error><Code>AccessDenied</Code><Message>bench</Message></Error></ErrorResponse>"
        self.send_response(403); self.send_header("Content-Length", str(len(body))); self.end_headers(); self.wfile.write(body)
    def log_message(self, *a): pass
s = http.server.HTTPServer(("127.0.0.1", 0), H)
print(s.server_address[1], flush=True)
s.serve_forever()' > "$work/port" &
  rec=$!
  sleep 1
  port=$(head -1 "$work/port" 2>/dev/null || true)
  if [ -n "$port" ]; then
    token=$(cat tokens/t0.jwt)
    AWS_ACCESS_KEY_ID=x AWS_SECRET_ACCESS_KEY=x AWS_DEFAULT_REGION=us-east-1 AWS_MAX_ATTEMPTS=1 \
      hyperfine -w 2 -r 10 --ignore-failure --export-json "$work/d.json" \
      "$OLDPWD/target/awscli-venv/bin/aws --endpoint-url http://127.0.0.1:$port sts assume-role-with-web-identity --role-arn arn:aws:iam::111122223333:role/ci --role-session-name ci --web-identity-token $token" >/dev/null || true
    [ -f "$work/d.json" ] && d=$(median "$work/d.json")
  fi
  kill "$rec" 2>/dev/null || true
fi

rss() { { /usr/bin/time -v "$bin" check $now --format short "$1" 2>&1 >/dev/null || true; } | awk -F': ' '/Maximum resident/ {print $2}'; }
r1=$(cd "$work/c1k" && rss .); rN=$(rss .)

python3 - "$a" "$b" "$c" "${d:-}" "$r1" "$rN" "$n" <<'PY'
import sys
a, b, c = (float(x) for x in sys.argv[1:4])
d = float(sys.argv[4]) if sys.argv[4] else None
r1, rN, n = int(sys.argv[5]), int(sys.argv[6]), int(sys.argv[7])
print(f"(a) one file, process start included: {a*1000:.1f} ms median")
print(f"(b) {n} files:                        {b*1000:.0f} ms median")
print(f"(c) cat of the same files:             {c*1000:.0f} ms median   (b)/(c) = {b/c:.1f}x")
if d: print(f"(d) AWS CLI, same invocation:          {d*1000:.0f} ms median   (d)/(a) = {d/a:.0f}x")
else: print("(d) AWS CLI: not measured (run bash tests/run.sh first to install it)")
print(f"peak RSS: {r1/1024:.0f} MB for 1000 files, {rN/1024:.0f} MB for {n} files")
PY
