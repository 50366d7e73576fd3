#!/usr/bin/env python3
"""Record what the real AWS CLI sends for a batch of argv cases.

Usage:
    AWS_BIN=/path/to/aws python3 tests/awscli/record.py < cases.json > results.json

stdin:  JSON array of cases
            {"name": str, "argv": [str, ...], "cwd": str (optional),
             "stdin": str (optional), "env": {str: str} (optional),
             "no_sign_request": bool (optional, default true)}
        ``argv`` holds the words after ``aws``, e.g.
        ["sts", "assume-role-with-web-identity", "--role-arn", "..."].
        In every argv word the placeholders ``{{PORT}}`` (server port) and
        ``{{CASE_URL}}`` (``http://127.0.0.1:PORT/case-N``, no trailing slash)
        are substituted, so a case can point a parameter at the recorder's own
        loopback server (``--policy {{CASE_URL}}/get/any``) without touching
        the internet.
stdout: JSON array, one object per case, in input order:
            {"name": ..., "sent": {form fields minus Action/Version} | null,
             "exit_code": int, "stderr": last 2000 chars,
             "stdout": last 2000 chars,
             "fetched": [paths of GETs]   # only present if the CLI did a GET}
        ``sent`` is null when the CLI refused before sending anything.
        A timed-out case gets exit_code 124 and a note at the end of stderr.

The aws executable is $AWS_BIN, else the ``aws`` next to sys.executable
(run this script with the venv's python to get that one).  If it cannot be
found or started, the script prints an error to stderr and exits 2.

Each case runs as
    aws --endpoint-url http://127.0.0.1:PORT/case-N/ --region us-east-1 \
        --no-sign-request ARGV...        (--no-sign-request unless the case
                                          says "no_sign_request": false)
i.e. the recorder's global options are put *before* the case argv (so an option
left without a value at the very end of ARGV really is at the end; a global
option repeated inside ARGV wins, argparse being last-wins).  The environment is
the caller's minus every AWS_* variable, plus AWS_CONFIG_FILE=/dev/null,
AWS_SHARED_CREDENTIALS_FILE=/dev/null, AWS_PAGER="", AWS_EC2_METADATA_DISABLED=true,
AWS_MAX_ATTEMPTS=1, then the case's own "env".  The server answers every POST
with HTTP 400 and an STS <ErrorResponse> (code RecorderStop) so the CLI exits at
once (awscli v1 then exits 255), and every GET with 200 (or CODE if the path
contains /status/CODE/) and the body ``fetched:<path>``.  botocore keeps the
endpoint's path (/case-N/) on the POST, which is how requests are matched to
cases.  Stdlib only, Python 3.8+.
"""

import json
import os
import shutil
import signal
import subprocess
import re
import sys
import threading
import urllib.parse
from concurrent.futures import ThreadPoolExecutor
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

TIMEOUT_S = 60
WORKERS = 4
TAIL = 2000

ERROR_BODY = (
    b'<ErrorResponse xmlns="https://sts.amazonaws.com/doc/2011-06-15/">'
    b"<Error><Type>Sender</Type><Code>RecorderStop</Code>"
    b"<Message>request recorded by stslint tests/awscli/record.py</Message>"
    b"</Error><RequestId>00000000-0000-0000-0000-000000000000</RequestId>"
    b"</ErrorResponse>"
)


def die(msg):
    print("record.py: " + msg, file=sys.stderr)
    sys.exit(2)


class Store:
    def __init__(self):
        self.lock = threading.Lock()
        self.posts = {}  # case index -> [form dict, ...]
        self.gets = {}  # case index -> [path, ...]
        self.stray = []  # requests whose path named no case

    @staticmethod
    def case_of(path):
        seg = urllib.parse.urlsplit(path).path.lstrip("/").split("/", 1)[0]
        if seg.startswith("case-") and seg[5:].isdigit():
            return int(seg[5:])
        return None

    def add(self, kind, path, item):
        idx = self.case_of(path)
        with self.lock:
            if idx is None:
                self.stray.append((kind, path))
            else:
                (self.posts if kind == "POST" else self.gets).setdefault(idx, []).append(item)


def make_handler(store):
    class Handler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"

        def log_message(self, *args):  # keep stderr clean
            pass

        def _reply(self, code, body, ctype):
            self.send_response(code)
            self.send_header("Content-Type", ctype)
            self.send_header("Content-Length", str(len(body)))
            self.send_header("x-amzn-RequestId", "00000000-0000-0000-0000-000000000000")
            self.end_headers()
            self.wfile.write(body)

        def do_POST(self):
            n = int(self.headers.get("Content-Length") or 0)
            raw = self.rfile.read(n) if n else b""
            text = raw.decode("utf-8", "surrogateescape")
            form = {}
            for k, v in urllib.parse.parse_qsl(
                text, keep_blank_values=True, encoding="utf-8", errors="surrogateescape"
            ):
                if k in form:  # never seen from botocore; keep every value
                    prev = form[k]
                    form[k] = (prev if isinstance(prev, list) else [prev]) + [v]
                else:
                    form[k] = v
            store.add("POST", self.path, form)
            self._reply(400, ERROR_BODY, "text/xml")

        def do_GET(self):
            store.add("GET", self.path, self.path)
            m = re.search(r"/status/(\d{3})(?:/|$)", self.path)
            code = int(m.group(1)) if m else 200
            self._reply(code, ("fetched:" + self.path).encode(), "text/plain")

    return Handler


def find_aws():
    cand = os.environ.get("AWS_BIN") or os.path.join(os.path.dirname(sys.executable), "aws")
    src = "AWS_BIN" if os.environ.get("AWS_BIN") else "default (next to %s)" % sys.executable
    path = cand if os.sep in cand else shutil.which(cand)
    if not path or not os.path.isfile(path) or not os.access(path, os.X_OK):
        die(
            "aws executable not found or not executable: %r [%s]. Set AWS_BIN, or run "
            "this script with the python of a venv that has awscli installed." % (cand, src)
        )
    return path


def load_cases():
    try:
        cases = json.load(sys.stdin)
    except ValueError as e:
        die("stdin is not valid JSON: %s" % e)
    if not isinstance(cases, list):
        die("stdin must be a JSON array of cases")
    for i, c in enumerate(cases):
        ok = (
            isinstance(c, dict)
            and isinstance(c.get("name"), str)
            and isinstance(c.get("argv"), list)
            and all(isinstance(a, str) for a in c["argv"])
            and isinstance(c.get("cwd", ""), str)
            and isinstance(c.get("stdin", ""), str)
            and isinstance(c.get("env", {}), dict)
            and isinstance(c.get("no_sign_request", True), bool)
        )
        if not ok:
            die("case %d is malformed (need name: str, argv: [str]; optional cwd/stdin: str, "
                "env: dict, no_sign_request: bool)" % i)
        if c.get("cwd") and not os.path.isdir(c["cwd"]):
            die("case %r: cwd is not a directory: %s" % (c["name"], c["cwd"]))
    return cases


def base_env():
    env = {k: v for k, v in os.environ.items() if not k.startswith("AWS_")}
    env.update(
        AWS_CONFIG_FILE="/dev/null",
        AWS_SHARED_CREDENTIALS_FILE="/dev/null",
        AWS_PAGER="",
        AWS_EC2_METADATA_DISABLED="true",
        AWS_MAX_ATTEMPTS="1",
    )
    return env


def tail(b):
    return b.decode("utf-8", "replace")[-TAIL:]


def run_case(aws, port, env0, idx, case):
    case_url = "http://127.0.0.1:%d/case-%d" % (port, idx)

    def sub(s):
        return s.replace("{{PORT}}", str(port)).replace("{{CASE_URL}}", case_url)

    argv = [aws, "--endpoint-url", case_url + "/", "--region", "us-east-1"]
    if case.get("no_sign_request", True):
        argv.append("--no-sign-request")
    argv += [sub(a) for a in case["argv"]]
    env = dict(env0)
    env.update({str(k): sub(str(v)) for k, v in case.get("env", {}).items()})
    cwd = case.get("cwd") or None
    stdin_data = case.get("stdin")
    try:
        p = subprocess.Popen(
            argv,
            cwd=cwd,
            env=env,
            stdin=subprocess.PIPE if stdin_data is not None else subprocess.DEVNULL,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            start_new_session=True,
        )
    except OSError as e:
        die("cannot start aws (%s): %s" % (aws, e))
    try:
        out, err = p.communicate(
            stdin_data.encode() if stdin_data is not None else None, timeout=TIMEOUT_S
        )
        code = p.returncode
        note = b""
    except subprocess.TimeoutExpired:
        try:
            os.killpg(p.pid, signal.SIGKILL)
        except OSError:
            pass
        out, err = p.communicate()
        code = 124
        note = b"\n[record.py: timed out after %d s, killed]" % TIMEOUT_S
    return code, out, err + note


def main():
    aws = find_aws()
    cases = load_cases()
    store = Store()
    server = ThreadingHTTPServer(("127.0.0.1", 0), make_handler(store))
    server.daemon_threads = True
    port = server.server_address[1]
    threading.Thread(target=server.serve_forever, daemon=True).start()
    env0 = base_env()
    try:
        with ThreadPoolExecutor(max_workers=WORKERS) as pool:
            futs = [pool.submit(run_case, aws, port, env0, i, c) for i, c in enumerate(cases)]
            runs = [f.result() for f in futs]
    finally:
        server.shutdown()
        server.server_close()
    results = []
    for i, (case, (code, out, err)) in enumerate(zip(cases, runs)):
        posts = store.posts.get(i, [])
        sent = None
        if posts:
            sent = {k: v for k, v in posts[0].items() if k not in ("Action", "Version")}
        r = {"name": case["name"], "sent": sent, "exit_code": code,
             "stderr": tail(err), "stdout": tail(out)}
        if len(posts) > 1:
            r["extra_posts"] = len(posts) - 1
        if store.gets.get(i):
            r["fetched"] = store.gets[i]
        results.append(r)
    if store.stray:
        print("record.py: warning: requests not matched to a case: %r" % store.stray, file=sys.stderr)
    json.dump(results, sys.stdout, indent=1, ensure_ascii=False)
    sys.stdout.write("\n")


if __name__ == "__main__":
    main()
