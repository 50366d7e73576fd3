#!/usr/bin/env python3
"""Tests the integrations shipped in the repository, for real:

- `.pre-commit-hooks.yaml`, with `pre-commit try-repo` (PyPI pre-commit) on a scratch git repository:
  the hook builds stslint from this repository (language: rust), fails on a script with a finding,
  skips unrelated JSON/YAML/shell files, and passes once the script is fixed;
- `action.yml`, a composite GitHub Action: its structure, and its "Run stslint" step executed with
  bash as the runner would, in both formats (annotations; SARIF written and valid JSON).

Usage: integrations.py STSLINT_BINARY   (from the repository root; exit 1 on any problem)
"""

import json
import os
import shutil
import subprocess
import sys
import tempfile
import time

import yaml

ROOT = os.getcwd()
PY_BIN = os.path.dirname(sys.executable)
# The token comes from a variable, so nothing depends on the clock.
BAD = "aws sts assume-role-with-web-identity --role-arn arn:aws:iam::111122223333:role/ci --role-session-name 'nightly build' --web-identity-token \"file://$TOKEN_FILE\"\n"
GOOD = BAD.replace("'nightly build'", "nightly-build")
problems = []


def check(cond, what):
    print(("ok   " if cond else "FAIL ") + what)
    if not cond:
        problems.append(what)


def scratch_repo(files):
    d = tempfile.mkdtemp(prefix="stslint-integration-")
    for path, text in files.items():
        p = os.path.join(d, path)
        os.makedirs(os.path.dirname(p), exist_ok=True)
        open(p, "w").write(text)
    env = dict(os.environ, GIT_AUTHOR_NAME="t", GIT_AUTHOR_EMAIL="t@example.com", GIT_COMMITTER_NAME="t", GIT_COMMITTER_EMAIL="t@example.com")
    for cmd in (["git", "init", "-q"], ["git", "add", "-A"], ["git", "commit", "-q", "-m", "init"]):
        subprocess.run(cmd, cwd=d, check=True, env=env)
    return d


def pre_commit(binary):
    hooks = yaml.safe_load(open(".pre-commit-hooks.yaml"))
    hook = next((h for h in hooks if h.get("id") == "stslint"), None)
    check(hook is not None, "a hook with id stslint")
    check(hook["entry"].startswith("stslint check"), "the hook runs stslint check")
    check(hook["language"] == "rust", "the hook builds from this repository with cargo")
    check(hook.get("types") == ["text"] and "types_or" not in hook, "the hook passes every text file (stslint chooses the kinds a walk reads)")
    token = open(os.path.join("tests", "fixtures", "tokens", "plain.jwt")).read()
    repo = scratch_repo({
        "deploy.sh": BAD, "ok.sh": GOOD, "token.jwt": token,
        "Makefile": "deploy:\n\t" + BAD.replace("$TOKEN_FILE", "$$TOKEN_FILE"),
        ".gitlab-ci.yml": "deploy:\n  script:\n    - >\n      " + GOOD.replace(" --", "\n      --"),
        "notes.txt": "aws sts assume-role-with-web-identity, don't forget --role-sesion-name\n",
        "package.json": '{"name": "app", "version": "1.0.0"}\n',
        ".github/workflows/ci.yml": "jobs:\n  build:\n    steps:\n      - run: echo hi\n",
        "stslint.toml": "ignore = [\"T017\"]\n",
    })
    # A quicker release build for the hook's environment (the code is the same), in a target
    # directory kept under target/ so repeated runs reuse the compiled dependencies.
    env = dict(os.environ, PRE_COMMIT_HOME=os.path.join(ROOT, "target", "pre-commit-home"), PATH=PY_BIN + os.pathsep + os.environ["PATH"],
               CARGO_TARGET_DIR=os.path.join(ROOT, "target", "pre-commit-cargo"), CARGO_PROFILE_RELEASE_LTO="false",
               CARGO_PROFILE_RELEASE_CODEGEN_UNITS="256", CARGO_PROFILE_RELEASE_OPT_LEVEL="0", CARGO_PROFILE_RELEASE_DEBUG="false", CARGO_INCREMENTAL="0")
    # The committed HEAD (a fixed ref, so both runs share one build of the hook's environment).
    head = subprocess.run(["git", "rev-parse", "HEAD"], cwd=ROOT, capture_output=True, text=True).stdout.strip()
    run = lambda: subprocess.run(["pre-commit", "try-repo", ROOT, "stslint", "--ref", head, "--all-files", "--verbose"], cwd=repo, capture_output=True, text=True, env=env)
    t = time.time()
    r = run()
    print("     (first run, building the hook: %.0f s)" % (time.time() - t))
    out = r.stdout + r.stderr
    check(r.returncode == 1, "pre-commit try-repo fails on a script with an error (exit %d)" % r.returncode)
    check("S002" in out and "deploy.sh" in out, "the hook output names the finding and the file\n" + out[-1500:])
    check("package.json" not in out.split("- hook id: stslint")[-1] or "Q001" not in out, "unrelated JSON is skipped (no Q001 for package.json)")
    check("Makefile:2:" in out, "the hook checks Makefiles\n" + out[-1500:])
    ci_blocks = [b for b in out.split("\n\n") if ".gitlab-ci.yml" in b]
    check(all("\u261e" in b and "\u00d7" not in b and "\u26a0" not in b for b in ci_blocks) and "notes.txt" not in out,
          "a working CI file gets no error or warning (an I005 note at most), a text file nothing\n" + "\n\n".join(ci_blocks))
    open(os.path.join(repo, "deploy.sh"), "w").write(GOOD)
    open(os.path.join(repo, "Makefile"), "w").write("deploy:\n\t" + GOOD.replace("$TOKEN_FILE", "$$TOKEN_FILE"))
    t = time.time()
    r = run()
    print("     (second run: %.0f s)" % (time.time() - t))
    check(r.returncode == 0, "pre-commit try-repo passes once the script is fixed (exit %d)\n%s" % (r.returncode, (r.stdout + r.stderr)[-2000:]))
    shutil.rmtree(repo, ignore_errors=True)


def action(binary):
    a = yaml.safe_load(open("action.yml"))
    check(a["runs"]["using"] == "composite", "action.yml is a composite action")
    check({"paths", "format", "args", "sarif-file"} <= set(a["inputs"]), "action.yml has the documented inputs")
    steps = a["runs"]["steps"]
    check(all("shell" in s for s in steps if "run" in s), "every run step names its shell")
    check(any(s.get("uses", "").startswith("github/codeql-action/upload-sarif@") for s in steps), "SARIF is uploaded with upload-sarif")
    script = next(s["run"] for s in steps if s.get("name") == "Run stslint")
    token = open(os.path.join("tests", "fixtures", "tokens", "plain.jwt")).read()
    d = tempfile.mkdtemp(prefix="stslint-action-")
    for name, text in (("deploy.sh", BAD.replace('"file://$TOKEN_FILE"', "file://token.jwt")), ("token.jwt", token)):
        open(os.path.join(d, name), "w").write(text)
    path = os.path.dirname(binary) + os.pathsep + os.environ["PATH"]
    for fmt, want in (("github", 1), ("sarif", 0)):
        env = dict(os.environ, PATH=path, STSLINT_PATHS=".", STSLINT_FORMAT=fmt, STSLINT_ARGS="--now 2026-11-23T12:00:00Z", STSLINT_SARIF="out.sarif")
        r = subprocess.run(["bash", "-e", "-c", script], cwd=d, capture_output=True, text=True, env=env)
        check(r.returncode == want, "the action's step with format %s exits %d (got %d: %s)" % (fmt, want, r.returncode, r.stderr[-300:]))
        if fmt == "github":
            check(r.stdout.startswith("::error file=deploy.sh,"), "annotations are workflow commands")
        else:
            doc = json.load(open(os.path.join(d, "out.sarif")))
            check(doc["version"] == "2.1.0" and doc["runs"][0]["results"], "the SARIF file holds the findings")
    shutil.rmtree(d, ignore_errors=True)


def main():
    binary = os.path.abspath(sys.argv[1])
    pre_commit(binary)
    action(binary)
    print("%d problems" % len(problems))
    sys.exit(1 if problems else 0)


if __name__ == "__main__":
    main()
