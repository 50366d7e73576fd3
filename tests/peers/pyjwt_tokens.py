#!/usr/bin/env python3
"""Peer check of stslint's token decoding and signature verification against PyJWT.

For every tests/fixtures/tokens/*.jwt, PyJWT (with `cryptography`) decodes the header and claims
without verifying, then verifies the signature with the key of tests/fixtures/keys/jwks.json named
by the header's `kid` (every key when there is none), allowing only the algorithms STS accepts.
stslint runs `stslint token --format json --jwks keys/jwks.json` on the same file. They must agree
on the header, the claims, and whether the signature verifies.

Usage: pyjwt_tokens.py STSLINT_BINARY   (run from the repository root; exit 1 on disagreement)
"""

import glob
import json
import os
import subprocess
import sys

import jwt

STS_ALGORITHMS = ["RS256", "RS384", "RS512", "ES256", "ES384", "ES512"]
FIXTURES = os.path.join("tests", "fixtures")


def pyjwt_verdict(token, jwks):
    header = jwt.get_unverified_header(token)
    claims = jwt.decode(token, options={"verify_signature": False})
    keys = jwt.PyJWKSet.from_dict(jwks).keys
    kid = header.get("kid")
    candidates = [k for k in keys if kid is None or k.key_id == kid]
    verified = False
    for k in candidates:
        try:
            jwt.decode(
                token,
                k.key,
                algorithms=STS_ALGORITHMS,
                options={"verify_exp": False, "verify_nbf": False, "verify_iat": False, "verify_aud": False, "verify_iss": False},
            )
            verified = True
            break
        except (jwt.PyJWTError, TypeError, ValueError):  # a key of the wrong type raises TypeError
            pass
    return header, claims, verified


def main():
    stslint = os.path.abspath(sys.argv[1])
    jwks = json.load(open(os.path.join(FIXTURES, "keys", "jwks.json")))
    problems, n = [], 0
    for path in sorted(glob.glob(os.path.join(FIXTURES, "tokens", "*.jwt"))):
        name = os.path.basename(path)
        token = open(path).read().strip()
        header, claims, verified = pyjwt_verdict(token, jwks)
        out = subprocess.run(
            [stslint, "token", "--format", "json", "--now", "2026-11-23T12:00:00Z", "--jwks", "keys/jwks.json", "file://tokens/" + name],
            cwd=FIXTURES, capture_output=True, text=True,
        )
        doc = json.loads(out.stdout)["token"]
        n += 1
        if doc["header"] != header:
            problems.append("%s: header differs: pyjwt %r, stslint %r" % (name, header, doc["header"]))
        if doc["claims"] != claims:
            problems.append("%s: claims differ" % name)
        if (doc["signature"] == "verified") != verified:
            problems.append("%s: pyjwt says verified=%s, stslint says %s" % (name, verified, doc["signature"]))
        print("%-36s pyjwt verified=%-5s stslint %s" % (name, verified, doc["signature"]))
    print("%d tokens, %d disagreements" % (n, len(problems)))
    for p in problems:
        print("DISAGREE: " + p)
    sys.exit(1 if problems or n < 30 else 0)


if __name__ == "__main__":
    main()
