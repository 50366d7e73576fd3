#!/usr/bin/env python3
"""Regenerates rules/iam-service-prefixes.json from the IAM definition parliament ships.

Usage (from the repository root, with parliament installed, e.g. target/parliament-venv):
    target/parliament-venv/bin/python tests/peers/service_prefixes.py > rules/iam-service-prefixes.json
"""

import datetime
import json
import os

import parliament

path = os.path.join(os.path.dirname(parliament.__file__), "iam_definition.json")
prefixes = {}
for service in json.load(open(path)):
    prefixes.setdefault(service["prefix"], service["service_name"])
version = getattr(parliament, "__version__", "?")
print(json.dumps({
    "about": "IAM service prefixes (the part before the colon in an action such as `s3:GetObject`, and of service condition keys such as `s3:prefix`). stslint warns (P016, P020) when a policy names a prefix that is not here. Extracted from iam_definition.json of parliament %s (PyPI, duo-labs/parliament), which is scraped from the AWS Service Authorization Reference; regenerate with tests/peers/service_prefixes.py after installing a newer parliament, or add a prefix by hand with its source." % version,
    "source": "https://docs.aws.amazon.com/service-authorization/latest/reference/reference_policies_actions-resources-contextkeys.html via parliament %s iam_definition.json" % version,
    "extracted": datetime.date.today().isoformat(),
    "prefixes": {k: prefixes[k] for k in sorted(prefixes)},
}, indent=1, ensure_ascii=False))
