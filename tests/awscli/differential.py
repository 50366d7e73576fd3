#!/usr/bin/env python3
"""Differential test: what the real AWS CLI sends vs. what stslint parsed.

Usage (from the repository root, with the venv's python so record.py finds `aws`):
    target/awscli-venv/bin/python tests/awscli/differential.py STSLINT_BINARY

Every case of probe.py that stslint's argv form can express (no custom environment, stdin or config)
is run twice: by the AWS CLI through record.py (which records the form body it POSTs to a loopback
listener), and by `stslint check --format json -- aws ARGV` in the same directory. Then:

- the CLI sent the request: stslint must have parsed exactly that request (every form field equal;
  the token compared by sha256) and must not report an error that claims the CLI refuses it;
- the CLI refused it: stslint must report an error, on the parameter the CLI named when it named one;
- the command is not this operation at all (a typo in `sts` or the operation): stslint finds nothing.

Deliberate differences are listed in KNOWN with the reason. Prints one line per failure and ends with
`N passed, N failed`; exits 1 on any failure.
"""

import hashlib
import json
import os
import re
import subprocess
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(os.path.dirname(HERE))
sys.path.insert(0, HERE)
import probe  # noqa: E402

# Codes that say "the AWS CLI refuses this before sending".
REFUSAL_CODES = {"I001", "I002", "I003", "I004", "Q001", "Q002", "Q003", "Q004", "Q005", "Q006", "Q008", "Q009"}
# Codes whose message quotes a CLI refusal only for values under the model's minimum length.
MIN_LENGTH_CODES = {"R001", "S001", "T001", "P001", "A002", "D001", "V001"}

MEMBERS = {"RoleArn", "RoleSessionName", "WebIdentityToken", "ProviderId", "PolicyArns", "Policy", "DurationSeconds"}

KNOWN = {
    # Global options: their values are the machine's business (profiles, endpoints, output formats).
    "abbr_p": "`--p x` is --profile: the CLI fails on the missing profile, which stslint cannot see",
    "abbr_pr": "`--pr X` is --profile: the CLI fails on the missing profile, which stslint cannot see",
    "abbr_pro": "`--pro X` is --profile (stslint says so with Q010): the missing profile is the machine's",
    "g_profile_before": "the profile does not exist on the test machine",
    "help_and_unknown": "`--bogus help`: stslint takes `help` as the unknown option's value; the CLI prints help",
    "g_profile_after": "the profile does not exist on the test machine",
    "g_profile_eq": "the profile does not exist on the test machine",
    "g_endpoint_closed_port": "the endpoint is unreachable: a network condition, not the request",
    "abbr_e_global": "`--e URL` is --endpoint-url (Q010 warns); the endpoint is unreachable",
    "http_token_closed_port": "a URL value is fetched by AWS CLI v1; stslint does not fetch (I005 says so)",
    "g_region_bad_format": "global option values (--region) are not checked",
    "g_query_bad": "global option values (--query) are not checked",
    "g_color_bad": "global option values (--color) are not checked",
    "g_read_timeout_bad": "global option values (--cli-read-timeout) are not checked",
    "g_output_yaml_after": "--output yaml is AWS CLI v2 only; stslint accepts what either version accepts",
    # AWS CLI v2 options, which v1 refuses: stslint serves users of both.
    "g_no_cli_pager_v2only": "--no-cli-pager is a v2 option",
    "g_cli_binary_format_v2only": "--cli-binary-format is a v2 option",
    "g_cli_input_yaml_v2only": "--cli-input-yaml is a v2 option (I005: not checked)",
    "skeleton_yaml_input": "--generate-cli-skeleton yaml-input is v2 only",
    # --generate-cli-skeleton variants print or fake output instead of calling STS.
    "skeleton_output": "`--generate-cli-skeleton output` fakes a response; no request is made",
    "skeleton_output_full": "`--generate-cli-skeleton output` fakes a response; no request is made",
    "skeleton_eq_input": "v1 only honours `--generate-cli-skeleton` as a separate word; stslint skips the command either way",
    "abbr_gen": "v1 only honours `--generate-cli-skeleton` in full; stslint treats the abbreviation as no skeleton and checks",
    "abbr_gen_with_required": "v1 only honours `--generate-cli-skeleton` in full",
    # Corners where stslint is stricter or simpler, on purpose.
    "dur_huge": "a DurationSeconds beyond 64 bits: stslint reports it out of range (D001) but keeps it as i64::MAX",
    "cij_nan_duration": "NaN is not JSON: stslint reports the JSON (I002) where Python's json accepts it",
    "pa_json_empty_obj_list": "`[{}]`: botocore sends no PolicyArns at all; stslint keeps an empty list",
    "pa_kv_at_file": "`arn@=file://...` is not followed; stslint says so (I005)",
}


def param_from_stderr(err):
    """The API member the CLI's error names, if any."""
    m = re.search(r"parameter (?:in )?'?(--[a-z-]+|[A-Z][A-Za-z]+)", err)
    if m:
        name = m.group(1)
        if name.startswith("--"):
            return "".join(p.capitalize() for p in name[2:].split("-")).replace("Arn", "Arn")
        return name
    m = re.search(r"argument (--[a-z-]+): expected", err)
    if m:
        return "".join(p.capitalize() for p in m.group(1)[2:].split("-"))
    return None


def form_of(req):
    """stslint's parsed request as the form fields botocore would send."""
    form = {}
    for key in ("RoleArn", "RoleSessionName", "ProviderId", "Policy"):
        if key in req:
            form[key] = req[key]
    if "DurationSeconds" in req:
        form["DurationSeconds"] = str(req["DurationSeconds"])
    if "PolicyArns" in req:
        if not req["PolicyArns"]:
            form["PolicyArns"] = ""
        for i, pa in enumerate(req["PolicyArns"], 1):
            form["PolicyArns.member.%d.arn" % i] = pa["arn"]
    return form


def main():
    stslint = os.path.abspath(sys.argv[1])
    probe.fixtures()
    cases = [c for c in probe.cases() if set(c) <= {"name", "argv", "cwd"} and "{{" not in json.dumps(c["argv"])]
    p = subprocess.run([sys.executable, os.path.join(HERE, "record.py")], input=json.dumps(cases).encode(), stdout=subprocess.PIPE, cwd=ROOT)
    if p.returncode != 0:
        print("record.py failed with exit code %d" % p.returncode)
        sys.exit(2)
    results = json.loads(p.stdout)
    passed, failed = 0, 0
    for case, res in zip(cases, results):
        name = case["name"]
        cwd = case.get("cwd") or ROOT
        out = subprocess.run([stslint, "check", "--format", "json", "--now", "2026-11-23T12:00:00Z", "--", "aws"] + case["argv"], cwd=cwd, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
        problems = []
        try:
            doc = json.loads(out.stdout)
        except ValueError:
            doc = None
            problems.append("stslint printed no JSON (exit %d): %s" % (out.returncode, out.stderr.decode()[-300:]))
        if doc is not None:
            reqs = doc["requests"]
            errors = [d for d in doc["diagnostics"] if d["severity"] == "error"]
            sent = res["sent"]
            err = res["stderr"]
            is_op = "sts" in case["argv"] and "assume-role-with-web-identity" in case["argv"]
            no_call = sent is None and res["exit_code"] == 0  # --version, --generate-cli-skeleton
            if not is_op or no_call:
                if reqs:
                    problems.append("no call is made, but stslint found a request")
            elif sent is not None:
                if len(reqs) != 1:
                    problems.append("CLI sent a request; stslint found %d" % len(reqs))
                else:
                    r = reqs[0]
                    mine = form_of(r["request"])
                    theirs = {k: v for k, v in sent.items() if k != "WebIdentityToken"}
                    if mine != theirs:
                        problems.append("request differs: CLI sent %s, stslint parsed %s" % (json.dumps(theirs), json.dumps(mine)))
                    tok = sent.get("WebIdentityToken")
                    got = r["request"].get("WebIdentityToken")
                    if tok is not None and (got is None or got["sha256"] != hashlib.sha256(tok.encode()).hexdigest()):
                        problems.append("token differs: CLI sent %d chars, stslint parsed %s" % (len(tok), got))
                    if r["unresolved"]:
                        problems.append("stslint left members unresolved: %s" % r["unresolved"])
                    bad = [d for d in errors if d["code"] in REFUSAL_CODES]
                    if bad:
                        problems.append("the CLI sent it, but stslint says it refuses: %s" % ["%s %s" % (d["code"], d["message"][:120]) for d in bad])
            else:
                if not errors:
                    problems.append("the CLI refused it (%s), stslint reports no error" % err.strip().splitlines()[-1][:160] if err.strip() else "?")
                else:
                    want = param_from_stderr(err)
                    if want not in MEMBERS:
                        want = None
                    if want and not any(d["parameter"] == want for d in errors):
                        problems.append("the CLI refused %s (%s); stslint's errors are on %s" % (want, err.strip().splitlines()[-1][:120], sorted({str(d["parameter"]) for d in errors})))
        if problems and name in KNOWN:
            passed += 1
            continue
        if problems:
            failed += 1
            print("FAIL %s: argv=%s" % (name, json.dumps(case["argv"])[:300]))
            for pr in problems:
                print("    " + pr)
        else:
            passed += 1
    print("awscli differential: %d cases" % len(cases))
    print("%d passed, %d failed" % (passed, failed))
    sys.exit(1 if failed else 0)


if __name__ == "__main__":
    main()
