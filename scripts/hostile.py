#!/usr/bin/env python3
"""Hostile inputs, measured: for each case, generate the input, run stslint on it once, and report
wall time, peak memory (the child's own maxrss) and output size, against generous budgets.

A linear case never comes near a budget; a quadratic one blows through it. Budgets: 10 s, 500 MB,
and output at most OUT_FACTOR times the input plus OUT_SLACK bytes. A panic (exit code 101 or a
signal) fails a case whatever its figures.

Usage: python3 scripts/hostile.py BINARY [--only NAME[,NAME]] [--skip NAME[,NAME]] [--list] [--markdown]
Exit code: 0 when every case is within its budgets, 1 otherwise.
"""

import base64
import json
import os
import shutil
import subprocess
import sys
import tempfile
import time

TIME_BUDGET = 10.0
MEM_BUDGET = 500 * 1024 * 1024
OUT_FACTOR = 64
OUT_SLACK = 256 * 1024

ROLE = "arn:aws:iam::111122223333:role/ci"
CALL = "aws sts assume-role-with-web-identity"
GOOD = f"{CALL} --role-arn {ROLE} --role-session-name ci-run --web-identity-token tok"


def b64(data):
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode()


def jwt(claims, kid="k1", sig=256):
    head = b64(json.dumps({"alg": "RS256", "typ": "JWT", "kid": kid}).encode())
    body = b64(json.dumps(claims).encode())
    return f"{head}.{body}.{b64(os.urandom(sig))}"


GITHUB = "https://token.actions.githubusercontent.com"


def claims(sub="repo:acme/app:ref:refs/heads/main"):
    return {"iss": GITHUB, "sub": sub, "aud": "sts.amazonaws.com", "iat": 1764763200,
            "nbf": 1764763200, "exp": 1764766800}


def write(d, name, text):
    p = os.path.join(d, name)
    os.makedirs(os.path.dirname(p), exist_ok=True)
    with open(p, "w", encoding="utf-8") as f:
        f.write(text)
    return p


def trust(conditions):
    return json.dumps({"Version": "2012-10-17", "Statement": [{
        "Effect": "Allow",
        "Principal": {"Federated": "arn:aws:iam::111122223333:oidc-provider/token.actions.githubusercontent.com"},
        "Action": "sts:AssumeRoleWithWebIdentity", "Condition": conditions}]})


# Each case: name -> function(dir) -> (args, human?) where args are stslint's arguments (run in dir).
CASES = {}


def case(fn):
    CASES[fn.__name__.replace("_", "-")] = fn
    return fn


@case
def stray_words_long_line(d):
    """A 20 KB line with 10,000 stray words (Q008 each), human output."""
    write(d, "s.sh", GOOD + " w" * 10000 + "\n")
    return ["check", "s.sh"]


@case
def labels_past_column_65535(d):
    """Findings on one line past column 65,535 that the shortening cannot shorten."""
    write(d, "s.sh", GOOD + " " + "x" * 70000 + " w" * 200 + "\n")
    return ["check", "s.sh"]


@case
def json_duplicate_keys(d):
    """A request file with 10,000 duplicate keys on one line."""
    body = ", ".join(['"RoleSessionName": "ci-run"'] * 10000)
    write(d, "req.json", '{"RoleArn": "%s", %s, "WebIdentityToken": "tok"}' % (ROLE, body))
    write(d, "s.sh", f"{CALL} --cli-input-json file://req.json\n")
    return ["check", "s.sh"]


@case
def trust_duplicate_operators(d):
    """A trust policy with 10,000 duplicate condition operators on one line."""
    ops = ", ".join(['"StringEquals": {"token.actions.githubusercontent.com:aud": "sts.amazonaws.com"}'] * 10000)
    pol = trust({}).replace('"Condition": {}', '"Condition": {%s}' % ops)
    write(d, "trust.json", pol)
    write(d, "s.sh", f"{CALL} --role-arn {ROLE} --role-session-name ci-run --web-identity-token {jwt(claims())}\n")
    return ["check", "--trust-policy", "trust.json", "--now", "2025-12-03T12:30:00Z", "s.sh"]


@case
def config_bad_items(d):
    """A configuration with 50,000 unknown rule codes."""
    items = ", ".join('"Z%05d"' % i for i in range(50000))
    write(d, "stslint.toml", f"ignore = [{items}]\n")
    write(d, "s.sh", GOOD + "\n")
    return ["check", "--config", "stslint.toml", "s.sh"]


@case
def many_bad_lines(d):
    """4,000 lines, each a call missing two required parameters (human output)."""
    write(d, "s.sh", f"{CALL} --role-arn {ROLE}\n" * 4000)
    return ["check", "s.sh"]


@case
def bare_invocations_16mb(d):
    """16 MiB of bare invocations (memory per request)."""
    line = f"{CALL}\n"
    write(d, "s.sh", line * ((16 * 1024 * 1024 - 1024) // len(line)))
    return ["check", "--format", "json", "s.sh"]


@case
def walk_shared_config(d):
    """2,000 files in a walk under a 140 KB configuration."""
    codes = ["T017", "I005", "S001", "Q008", "R002"]
    items = ", ".join('"%s"' % codes[i % len(codes)] for i in range(20000))
    write(d, "stslint.toml", f"ignore = [{items}]\n")
    for i in range(2000):
        write(d, f"w/{i:04d}.sh", GOOD + "\n")
    return ["check", "--config", "stslint.toml", "w"]


@case
def semicolon_joined(d):
    """100,000 invocations joined by `;` on one line."""
    write(d, "s.sh", "; ".join([CALL] * 100000) + "\n")
    return ["check", "--format", "short", "s.sh"]


@case
def json_policy_escapes(d):
    """A request file whose Policy string holds 50,000 actions (escaped quotes)."""
    actions = ",".join(['\\"s3:GetObject\\"'] * 50000)
    pol = '{\\"Version\\":\\"2012-10-17\\",\\"Statement\\":[{\\"Effect\\":\\"Allow\\",\\"Action\\":[%s],\\"Resource\\":\\"*\\"}]}' % actions
    write(d, "req.json", '{"RoleArn": "%s", "RoleSessionName": "ci-run", "WebIdentityToken": "tok", "Policy": "%s"}' % (ROLE, pol))
    write(d, "s.sh", f"{CALL} --cli-input-json file://req.json\n")
    return ["check", "s.sh"]


@case
def policy_arns_100k(d):
    """100,000 `--policy-arns` entries."""
    arns = " ".join("arn=arn:aws:iam::aws:policy/P%d" % i for i in range(100000))
    write(d, "s.sh", f"{GOOD} --policy-arns {arns}\n")
    return ["check", "s.sh"]


@case
def stray_words_200k(d):
    """200,000 stray words (short output)."""
    write(d, "s.sh", GOOD + " w" * 200000 + "\n")
    return ["check", "--format", "short", "s.sh"]


@case
def abbreviated_options_200k(d):
    """200,000 abbreviated options."""
    write(d, "s.sh", GOOD + " --dur 900" * 200000 + "\n")
    return ["check", "--format", "short", "s.sh"]


@case
def trust_wildcard(d):
    """`StringLike "*aaa…b"` against a long `sub`."""
    pattern = "*" + "a" * 6000 + "b"
    write(d, "trust.json", trust({"StringLike": {"token.actions.githubusercontent.com:sub": [pattern] * 50}}))
    tok = jwt(claims(sub="a" * 14000))
    write(d, "s.sh", f"{CALL} --role-arn {ROLE} --role-session-name ci-run --web-identity-token {tok}\n")
    return ["check", "--trust-policy", "trust.json", "--now", "2025-12-03T12:30:00Z", "s.sh"]


@case
def jwks_large_keys(d):
    """A JWKS of 200 4096-bit RSA keys, none with the token's kid, and 20 tokens."""
    keys = []
    for i in range(200):
        n = bytearray(os.urandom(512))
        n[0] |= 0x80
        n[-1] |= 1
        keys.append({"kty": "RSA", "kid": "other-%d" % i, "alg": "RS256", "n": b64(bytes(n)), "e": "AQAB"})
    write(d, "jwks.json", json.dumps({"keys": keys}))
    lines = [f"{CALL} --role-arn {ROLE} --role-session-name ci-run --web-identity-token {jwt(claims(), kid='none', sig=512)}" for _ in range(20)]
    write(d, "s.sh", "\n".join(lines) + "\n")
    return ["check", "--jwks", "jwks.json", "--now", "2025-12-03T12:30:00Z", "s.sh"]


def input_size(d):
    total = 0
    for root, _, files in os.walk(d):
        for f in files:
            total += os.path.getsize(os.path.join(root, f))
    return total


def run_case(binary, name, fn):
    d = tempfile.mkdtemp(prefix="stslint-hostile-")
    try:
        args = fn(d)
        size = input_size(d)
        start = time.monotonic()
        proc = subprocess.Popen([binary, *args], cwd=d, stdout=subprocess.PIPE,
                                stderr=subprocess.PIPE, env={**os.environ, "COLUMNS": "100"})
        out = 0
        timed_out = False
        import selectors
        sel = selectors.DefaultSelector()
        sel.register(proc.stdout, selectors.EVENT_READ)
        sel.register(proc.stderr, selectors.EVENT_READ)
        err_tail = b""
        open_streams = 2
        while open_streams:
            left = TIME_BUDGET * 3 - (time.monotonic() - start)
            if left <= 0:
                timed_out = True
                proc.kill()
                break
            for key, _ in sel.select(timeout=min(left, 1.0)):
                chunk = os.read(key.fileobj.fileno(), 1 << 20)
                if not chunk:
                    sel.unregister(key.fileobj)
                    open_streams -= 1
                elif key.fileobj is proc.stdout:
                    out += len(chunk)
                else:
                    out += len(chunk)
                    err_tail = (err_tail + chunk)[-400:]
        _, status, usage = os.wait4(proc.pid, 0)
        elapsed = time.monotonic() - start
        rss = usage.ru_maxrss * 1024
        code = os.waitstatus_to_exitcode(status)
        problems = []
        if timed_out or elapsed > TIME_BUDGET:
            problems.append("time")
        if rss > MEM_BUDGET:
            problems.append("memory")
        if out > OUT_FACTOR * size + OUT_SLACK:
            problems.append("output")
        if code == 101 or code < 0 or b"panicked" in err_tail or code not in (0, 1, 2):
            problems.append("exit %d" % code)
        return {"case": name, "input": size, "seconds": elapsed, "rss": rss, "output": out,
                "exit": code, "timed_out": timed_out, "problems": problems,
                "stderr": err_tail.decode("utf-8", "replace").strip().splitlines()[-1:]}
    finally:
        shutil.rmtree(d, ignore_errors=True)


def human(n):
    for unit in ["B", "KB", "MB", "GB"]:
        if n < 1024 or unit == "GB":
            return f"{n:.0f} {unit}" if unit == "B" else f"{n:.1f} {unit}"
        n /= 1024


def main():
    argv = sys.argv[1:]
    if not argv:
        print(__doc__)
        return 2
    binary = os.path.abspath(argv[0])
    only = None
    if "--only" in argv:
        only = set(argv[argv.index("--only") + 1].split(","))
    skip = set()
    if "--skip" in argv:
        skip = set(argv[argv.index("--skip") + 1].split(","))
    unknown = (only or set()) | skip
    if unknown - set(CASES):
        print(f"hostile.py: no case {sorted(unknown - set(CASES))}; --list lists them")
        return 2
    if "--list" in argv:
        for name, fn in CASES.items():
            print(f"{name}: {fn.__doc__}")
        return 0
    markdown = "--markdown" in argv
    failed = 0
    if markdown:
        print("| case | input | time | peak memory | output | exit | verdict |")
        print("|---|---|---|---|---|---|---|")
    for name, fn in CASES.items():
        if (only and name not in only) or name in skip:
            if name in skip:
                print(f"{name:28} SKIPPED (named with --skip)")
            continue
        r = run_case(binary, name, fn)
        verdict = "ok" if not r["problems"] else "FAIL: " + ", ".join(r["problems"])
        failed += bool(r["problems"])
        t = (">%.0f s (killed)" % r["seconds"]) if r["timed_out"] else "%.2f s" % r["seconds"]
        if markdown:
            print(f"| {name} | {human(r['input'])} | {t} | {human(r['rss'])} | {human(r['output'])} | {r['exit']} | {verdict} |")
        else:
            print(f"{name:28} in {human(r['input']):>9}  {t:>16}  rss {human(r['rss']):>9}  out {human(r['output']):>9}  exit {r['exit']:>3}  {verdict}")
            if r["problems"] and r["stderr"]:
                print(f"{'':28} stderr: {r['stderr'][0][:160]}")
        sys.stdout.flush()
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
