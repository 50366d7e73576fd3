#!/usr/bin/env python3
"""Validates stslint's SARIF output against the SARIF 2.1.0 JSON schema.

Runs `stslint check --format sarif` on every fixture (with the options of its `.args` file), every
example and the argv form, validates each document with `jsonschema` against
tests/sarif/sarif-schema-2.1.0.json (the OASIS schema, as shipped in the serde-sarif crate), and
checks what GitHub code scanning needs beyond the schema: every result has a location with a region,
its ruleIndex names its rule, and the rules carry help text.

Usage: sarif_validate.py STSLINT_BINARY   (from the repository root; exit 1 on any problem)
"""

import glob
import json
import os
import subprocess
import sys

import jsonschema

NOW = "2026-11-23T12:00:00Z"


def run(binary, args, cwd):
    out = subprocess.run([binary, "check", "--now", NOW, "--format", "sarif"] + args, cwd=cwd, capture_output=True, text=True)
    return json.loads(out.stdout)


def main():
    binary = os.path.abspath(sys.argv[1])
    schema = json.load(open(os.path.join("tests", "sarif", "sarif-schema-2.1.0.json")))
    validator = jsonschema.Draft7Validator(schema)
    docs = []
    for path in sorted(glob.glob(os.path.join("tests", "fixtures", "*-*.*"))):
        if path.endswith(".args"):
            continue
        name = os.path.basename(path)
        args_file = os.path.splitext(path)[0] + ".args"
        extra = open(args_file).read().split() if os.path.exists(args_file) else []
        docs.append((name, run(binary, extra + [name], os.path.join("tests", "fixtures"))))
    for path in sorted(glob.glob(os.path.join("examples", "*"))):
        docs.append((path, run(binary, [os.path.basename(path)], "examples")))
    docs.append(("argv", run(binary, ["--", "aws", "sts", "assume-role-with-web-identity", "--role-arn", "x", "--role-session-name", "s", "--web-identity-token", "abcd"], ".")))
    problems, results = [], 0
    for name, doc in docs:
        for e in validator.iter_errors(doc):
            problems.append("%s: %s at %s" % (name, e.message[:200], "/".join(str(p) for p in e.absolute_path)))
        run0 = doc["runs"][0]
        rules = run0["tool"]["driver"]["rules"]
        if not all(r.get("help", {}).get("text") and r.get("helpUri", "").startswith("https://") for r in rules):
            problems.append("%s: a rule without help text or link" % name)
        for r in run0["results"]:
            results += 1
            loc = r.get("locations") or [{}]
            region = loc[0].get("physicalLocation", {}).get("region")
            if not region or "startLine" not in region:
                problems.append("%s: result %s without a region" % (name, r["ruleId"]))
            if rules[r["ruleIndex"]]["id"] != r["ruleId"]:
                problems.append("%s: ruleIndex of %s names %s" % (name, r["ruleId"], rules[r["ruleIndex"]]["id"]))
    print("%d SARIF documents, %d results, %d problems" % (len(docs), results, len(problems)))
    for p in problems[:50]:
        print("PROBLEM: " + p)
    sys.exit(1 if problems or len(docs) < 50 else 0)


if __name__ == "__main__":
    main()
