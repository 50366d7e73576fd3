#!/usr/bin/env python3
"""Peer check of stslint's session-policy linter against parliament (PyPI, duo-labs).

For every tests/peers/policies/*.json, parliament analyses the policy (its own auditors only) and
stslint checks a request carrying it (`--policy file://...`). Every policy parliament reports as
malformed must get an error from stslint on the Policy parameter. "Malformed" means a finding of
parliament's groups ERROR and MALFORMED, or one of the grammar findings IAM itself refuses
(INVALID_SID, INVALID_ARN, INVALID_VERSION, UNKNOWN_OPERATOR). The deliberate differences are listed
in KNOWN, each with its reason, and in the README.

Usage: parliament_policies.py STSLINT_BINARY   (from the repository root; exit 1 on a disagreement)
"""

import glob
import json
import os
import subprocess
import sys

import parliament
from parliament import analyze_policy_string

MALFORMED_GROUPS = {"ERROR", "MALFORMED"}
GRAMMAR = {"INVALID_SID", "INVALID_ARN", "INVALID_VERSION", "UNKNOWN_OPERATOR"}

# parliament findings stslint deliberately does not treat as errors, with the reason (README lists them).
KNOWN = {
    "RESOURCE_MISMATCH":
        "IAM accepts an action on a resource of a type it does not apply to (s3:GetObject on a bucket ARN, "
        "or s3:* on object ARNs, which parliament flags because some s3 actions take other resource types); "
        "that part of the statement grants nothing. stslint ships service prefixes, not each action's "
        "resource types.",
    "RESOURCE_EFFECTIVELY_STAR":
        "a resource pattern as broad as `*` is accepted by IAM; stslint reports only `*` with `*` (P013).",
}

ROOT = os.getcwd()
TOKEN = "file://tests/fixtures/tokens/plain.jwt"


def parliament_findings(text):
    try:
        policy = analyze_policy_string(text, include_community_auditors=False)
    except Exception as e:  # parliament raises on some broken documents
        return [("EXCEPTION", "ERROR", str(e))]
    out = []
    for f in policy.findings:
        group = parliament.config.get(f.issue, {}).get("group", "?")
        out.append((f.issue, group, str(f.detail)[:80]))
    return out


def stslint_errors(binary, path):
    out = subprocess.run(
        [binary, "check", "--now", "2026-11-23T12:00:00Z", "--format", "json", "--",
         "aws", "sts", "assume-role-with-web-identity", "--role-arn", "arn:aws:iam::111122223333:role/ci",
         "--role-session-name", "ci", "--web-identity-token", TOKEN, "--policy", "file://" + path],
        cwd=ROOT, capture_output=True, text=True,
    )
    doc = json.loads(out.stdout)
    return [(d["code"], d["severity"]) for d in doc["diagnostics"] if d["parameter"] == "Policy"]


def main():
    binary = os.path.abspath(sys.argv[1])
    files = sorted(glob.glob(os.path.join("tests", "peers", "policies", "*.json")))
    problems, malformed_n = [], 0
    for path in files:
        name = os.path.basename(path)
        text = open(path).read()
        findings = parliament_findings(text)
        mine = stslint_errors(binary, path)
        errors = [c for c, s in mine if s == "error"]
        malformed = [f for f in findings if f[1] in MALFORMED_GROUPS or f[0] in GRAMMAR]
        unexplained = [f for f in malformed if f[0] not in KNOWN]
        if malformed:
            malformed_n += 1
        if unexplained and not errors:
            problems.append("%s: parliament says %s, stslint reports no error (%s)" % (name, [f[0] for f in unexplained], mine))
        if name.startswith("valid-") and errors:
            problems.append("%s: a valid policy, yet stslint reports %s" % (name, errors))
        if name.startswith("valid-") and unexplained:
            problems.append("%s: a valid policy, yet parliament reports %s" % (name, unexplained))
        print("%-40s parliament %-60s stslint %s" % (name, ",".join(sorted({f[0] for f in findings})) or "-", ",".join("%s:%s" % m for m in mine) or "-"))
    print("%d policies, %d reported malformed by parliament, %d disagreements" % (len(files), malformed_n, len(problems)))
    for p in problems:
        print("DISAGREE: " + p)
    sys.exit(1 if problems or len(files) < 40 else 0)


if __name__ == "__main__":
    main()
