#!/usr/bin/env python3
"""Compares stslint's JSON output on the corpus files with the hand counts in manifest.json.

Fetch the files the manifest names (repository, path, commit) into one directory under the names in
its `file` field, then, in that directory:
    stslint check --now 2026-12-03T12:00:00Z --isolated --format json $(ls) > out.json
    python3 tests/corpus/compare.py out.json
Prints every file where the count found differs from the count present or that gets an error, then a
table per dialect: invocations present (by hand), found, invented, and errors.
"""
import collections
import json
import os
import sys

out = json.load(open(sys.argv[1]))
here = os.path.dirname(os.path.abspath(__file__))
man = {m['file']: m for m in json.load(open(os.path.join(here, 'manifest.json')))}
found = collections.Counter(r['path'] for r in out['requests'])
errs = collections.defaultdict(list)
for d in out['diagnostics']:
    if d['severity'] == 'error':
        errs[d.get('path')].append(d['code'])
dial = collections.defaultdict(lambda: [0, 0, 0, 0, 0])  # files, present, found, invented/missed, errors
tp = fp = fn = 0
for f, m in sorted(man.items()):
    p, g = m['invocations'], found.get(f, 0)
    row = dial[m['dialect']]
    row[0] += 1; row[1] += p; row[2] += min(p, g); row[3] += max(0, g - p); row[4] += len(errs.get(f, []))
    tp += min(p, g); fp += max(0, g - p); fn += max(0, p - g)
    if p != g or errs.get(f):
        print(f"{f[:90]:90} present {p} found {g} errors {collections.Counter(errs.get(f, []))}")
print()
print("| dialect | files | invocations | found | invented | errors |")
print("|---|---|---|---|---|---|")
for k, v in sorted(dial.items()):
    print(f"| {k} | {v[0]} | {v[1]} | {v[2]} | {v[3]} | {v[4]} |")
tot = [sum(v[i] for v in dial.values()) for i in range(5)]
print(f"| all | {tot[0]} | {tot[1]} | {tot[2]} | {tot[3]} | {tot[4]} |")
print("missed", fn, "invented", fp)
