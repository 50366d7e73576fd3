#!/usr/bin/env python3
"""Refresh the example output in every rules/CODE-name.md from the human snapshot of its fixture.

Run after `INSTA_UPDATE=always cargo test --test snapshots` when a message or the rendering changed:
    python3 tests/update_rule_docs.py
Only the ```text block of each doc's "## Example" section is rewritten (with this rule's findings
and the summary line); the prose is maintained by hand. tests/registry.rs checks the result.
"""

import os
import re
import sys

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
HEAD = re.compile(r"^([A-Z]\d{3}) [a-z0-9-]+$")


def snapshot_body(fixture):
    text = open(os.path.join(ROOT, "tests", "snapshots", "snapshots__human@%s.snap" % fixture), encoding="utf-8").read()
    body = text[text.index("\n---\n", 4) + 5:]
    lines = body.split("\n")
    assert lines[0].startswith("exit code: "), fixture
    return "\n".join(lines[1:])


def only(body, code):
    blocks, cur, summary = [], None, None
    for line in body.rstrip("\n").split("\n"):
        if line.startswith("stslint: "):
            summary = line
            continue
        m = HEAD.match(line)
        if m:
            cur = [m.group(1), [line]]
            blocks.append(cur)
        elif cur is not None:
            cur[1].append(line)
    kept = []
    for c, lines in blocks:
        if c == code:
            while lines and lines[-1] == "":
                lines.pop()
            kept.append("\n".join(lines))
    assert kept, code
    return "\n\n".join(kept) + "\n\n" + summary


def main():
    fixtures = os.path.join(ROOT, "tests", "fixtures")
    changed = 0
    for f in sorted(os.listdir(fixtures)):
        # `CODE-name.sh` / `.json` are fixtures; `CODE-name.args` holds options a fixture needs.
        if not re.match(r"^[A-Z]\d{3}-", f) or not f.endswith((".sh", ".json", ".yml")):
            continue
        stem = f.rsplit(".", 1)[0]
        doc_path = os.path.join(ROOT, "rules", stem + ".md")
        if not os.path.exists(doc_path):
            print("no doc yet for %s (tests/registry.rs will fail until there is one)" % stem)
            continue
        doc = open(doc_path, encoding="utf-8").read()
        start = doc.index("```text\n") + len("```text\n")
        end = doc.index("```", start)
        new = doc[:start] + only(snapshot_body(f), stem[:4]) + "\n" + doc[end:]
        if new != doc:
            open(doc_path, "w", encoding="utf-8").write(new)
            changed += 1
    print("updated %d rule docs" % changed)


if __name__ == "__main__":
    sys.exit(main())
