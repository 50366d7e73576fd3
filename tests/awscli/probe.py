#!/usr/bin/env python3
"""Probe the real AWS CLI with the cases behind FINDINGS.md.

Run from the repository root with the venv's python:
    target/awscli-venv/bin/python tests/awscli/probe.py [--only SUBSTRING] [--out FILE]

(AWS_BIN=... selects another aws, e.g. one installed under another Python.)

Writes fixture files into target/awscli-probe/fixtures/, feeds the cases to
record.py and writes tests/awscli/probe_results.json (port and fixture dir
normalised to {{PORT}} / {{FIXTURES}}, debug timestamps to {{TIME}}, so reruns
diff cleanly; case-N numbers shift when cases are added).
"""

import json
import os
import re
import subprocess
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(os.path.dirname(HERE))
FIX = os.path.join(ROOT, "target", "awscli-probe", "fixtures")

OP = ["sts", "assume-role-with-web-identity"]
R = "arn:aws:iam::123456789012:role/demo"
PA = "arn:aws:iam::123456789012:policy/pa"
PB = "arn:aws:iam::123456789012:policy/pb"
SEED = ("arn:aws:iam::123456789012:policy/q=webidentitydemopolicy1,"
        "arn:aws:iam::123456789012:policy/webidentitydemopolicy2")
BASE = OP + ["--role-arn", R, "--role-session-name", "sess", "--web-identity-token", "tok-abc"]


def fixtures():
    os.makedirs(os.path.join(FIX, "subdir"), exist_ok=True)
    files = {
        "token.txt": b"tok-file\n",
        "token_nonl.txt": b"tok-file",
        "token_crlf.txt": b"tok-file\r\n",
        "token_bom.txt": b"\xef\xbb\xbftok-file\n",
        "token_latin1.txt": b"tok-\xe9\n",
        "token_2lines.txt": b"line1\nline2\n",
        "empty.txt": b"",
        "dur.txt": b"900\n",
        "dur_1h.txt": b"1h\n",
        "rsn.txt": b"sess\n",
        "pa_short.txt": ("arn=%s\n" % PA).encode(),
        "pa_short2.txt": ("arn=%s arn=%s\n" % (PA, PB)).encode(),
        "pa_json.json": ('[{"arn": "%s"}]\n' % PA).encode(),
        "pa_json_obj.json": ('{"arn": "%s"}\n' % PA).encode(),
        "pa_bare.txt": (PA + "\n").encode(),
        "policy.json": b'{\n  "Version": "2012-10-17",\n  "Statement": []\n}\n',
        "input.json": json.dumps({"RoleArn": R, "RoleSessionName": "fromfile",
                                  "WebIdentityToken": "tok-json", "DurationSeconds": 900}).encode(),
        "input_fileref.json": json.dumps({"RoleArn": R, "RoleSessionName": "sess",
                                          "WebIdentityToken": "file://token.txt"}).encode(),
        "subdir/token.txt": b"tok-subdir\n",
        "input_bom.json": b"\xef\xbb\xbf" + json.dumps({"RoleArn": R, "RoleSessionName": "sess",
                                                           "WebIdentityToken": "tok-json"}).encode(),
        "pa_json_bom.json": b"\xef\xbb\xbf" + ('[{"arn": "%s"}]' % PA).encode(),
        "config_nofollow": b"[default]\ncli_follow_urlparam = false\n",
    }
    for name, data in files.items():
        with open(os.path.join(FIX, name), "wb") as f:
            f.write(data)


def cases():
    C = []

    def add(name, argv, **kw):
        d = {"name": name, "argv": argv}
        d.update(kw)
        C.append(d)

    def b(*extra, drop=None):
        """BASE with extra args appended; drop removes an option and its value."""
        argv = list(BASE)
        if drop:
            i = argv.index(drop)
            del argv[i:i + 2]
        return argv + list(extra)

    # --- field names / omission
    add("basic", b())
    add("all_params", b("--provider-id", "www.amazon.com", "--policy-arns", "arn=" + PA, "arn=" + PB,
                        "--policy", '{"Version":"2012-10-17"}', "--duration-seconds", "900"))
    add("eq_form", OP + ["--role-arn=" + R, "--role-session-name=sess", "--web-identity-token=tok-abc"])
    add("order_independent", OP + ["--web-identity-token", "tok-abc", "--role-session-name", "sess", "--role-arn", R])
    add("token_special_chars", b("--web-identity-token", "Atza|a+b/c=d%e&f g", drop="--web-identity-token"))
    add("rsn_unicode", b("--role-session-name", "séssion", drop="--role-session-name"))
    add("rsn_65_chars", b("--role-session-name", "a" * 65, drop="--role-session-name"))
    add("rsn_bad_chars", b("--role-session-name", "dependabot[bot]", drop="--role-session-name"))
    add("policy_3000", b("--policy", "x" * 3000))
    add("pa_11", b("--policy-arns", *["arn=%s%d" % (PA, i) for i in range(11)]))

    # --- abbreviations
    add("abbr_role_ar", OP + ["--role-ar", R, "--role-session-name", "sess", "--web-identity-token", "tok-abc"])
    add("abbr_role_ar_eq", OP + ["--role-ar=" + R, "--role-session-name", "sess", "--web-identity-token", "tok-abc"])
    add("abbr_role_s", OP + ["--role-arn", R, "--role-s", "sess", "--web-identity-token", "tok-abc"])
    add("abbr_role_ambiguous", OP + ["--role", R, "--role-session-name", "sess", "--web-identity-token", "tok-abc"])
    add("abbr_web", OP + ["--role-arn", R, "--role-session-name", "sess", "--web", "tok-abc"])
    add("abbr_duration", b("--duration", "900"))
    add("abbr_dur", b("--dur", "900"))
    add("abbr_du", b("--du", "900"))
    add("abbr_d", b("--d", "900"))
    add("abbr_p", b("--p", "x"))
    add("abbr_po", b("--po", "x"))
    add("abbr_pol", b("--pol", "x"))
    add("abbr_policy_exact", b("--policy", "x"))
    add("abbr_policy_a", b("--policy-a", "arn=" + PA))
    add("abbr_pr", b("--pr", "www.amazon.com"))
    add("abbr_prov", b("--prov", "www.amazon.com"))
    add("abbr_r", b("--r", "eu-west-1"))
    add("abbr_reg_global", b("--reg", "eu-west-1"))
    add("abbr_cli_input", OP + ["--cli-input", '{"RoleArn":"%s","RoleSessionName":"sess","WebIdentityToken":"tok-abc"}' % R])
    add("abbr_out_global", b("--out", "json"))
    add("abbr_deb_global", b("--deb"))

    # --- unknown / positional / missing value / dash values
    add("unknown_opt_typo", OP + ["--role-arn", R, "--role-sesion-name", "sess", "--web-identity-token", "tok-abc"])
    add("unknown_opt_extra", b("--role-sesion-name", "x"))
    add("unknown_opt_flag_only", b("--bogus"))
    add("positional_extra", b("extra"))
    add("positional_extra_middle", OP + ["--role-arn", R, "extra", "--role-session-name", "sess", "--web-identity-token", "tok-abc"])
    add("positional_two_words_value", OP + ["--role-arn", R, "--role-session-name", "my", "session", "--web-identity-token", "tok-abc"])
    add("novalue_end_duration", b("--duration-seconds"))
    add("novalue_end_rsn", b("--role-session-name", drop="--role-session-name"))
    add("novalue_middle_rsn", OP + ["--role-arn", R, "--role-session-name", "--web-identity-token", "tok-abc"])
    add("novalue_end_policy_arns", b("--policy-arns"))
    add("dash_rsn", b("--role-session-name", "-abc", drop="--role-session-name"))
    add("dash_rsn_eq", b("--role-session-name=-abc", drop="--role-session-name"))
    add("dash_rsn_negnum", b("--role-session-name", "-5", drop="--role-session-name"))
    add("dash_dur_neg", b("--duration-seconds", "-5"))
    add("dash_dur_neg_eq", b("--duration-seconds=-5"))
    add("dash_token", b("--web-identity-token", "-tok", drop="--web-identity-token"))
    add("dash_token_eq", b("--web-identity-token=-tok", drop="--web-identity-token"))
    add("dash_value_is_global_opt", b("--role-session-name", "--debug", drop="--role-session-name"))
    add("double_dash_sep", b("--", "extra"))
    add("double_dash_as_value", b("--role-session-name", "--", drop="--role-session-name"))
    add("single_dash_opt", OP + ["-role-arn", R, "--role-session-name", "sess", "--web-identity-token", "tok-abc"])
    add("underscore_opt", OP + ["--role_arn", R, "--role-session-name", "sess", "--web-identity-token", "tok-abc"])
    add("uppercase_opt", OP + ["--Role-Arn", R, "--role-session-name", "sess", "--web-identity-token", "tok-abc"])
    add("endash_opt", OP + ["\u2013role-arn", R, "--role-session-name", "sess", "--web-identity-token", "tok-abc"])
    add("emdash_opt", OP + ["\u2014role-arn", R, "--role-session-name", "sess", "--web-identity-token", "tok-abc"])
    add("op_typo", ["sts", "assume-role-with-webidentity", "--role-arn", R])
    add("service_typo", ["sys", "assume-role-with-web-identity"])
    add("op_uppercase", ["sts", "AssumeRoleWithWebIdentity"] + BASE[2:])
    add("eq_empty_rsn", b("--role-session-name=", drop="--role-session-name"))

    # --- repeats
    add("repeat_rsn", b("--role-session-name", "second"))
    add("repeat_rsn_eq_mix", b("--role-session-name=second"))
    add("repeat_duration", b("--duration-seconds", "900", "--duration-seconds", "1000"))
    add("repeat_policy_arns", b("--policy-arns", "arn=" + PA, "--policy-arns", "arn=" + PB))
    add("repeat_policy", b("--policy", "one", "--policy", "two"))

    # --- duration values
    for tag, v in [("3600", "3600"), ("spaces", " 3600 "), ("plus", "+3600"), ("underscore", "3_600"),
                   ("hex", "0x10"), ("1h", "1h"), ("float", "3600.0"), ("arabic_indic", "\u0661\u0662\u0663\u0664"),
                   ("fullwidth", "\uff19\uff10\uff10"), ("899", "899"), ("900", "900"), ("43200", "43200"),
                   ("43201", "43201"), ("50000", "50000"), ("empty", ""), ("leading_zero", "0900"),
                   ("zero", "0"), ("minus_zero", "-0"), ("exp", "1e3"), ("huge", "9" * 30),
                   ("newline", "900\n"), ("tab", "\t900"), ("comma", "3,600"), ("json_str", '"3600"')]:
        add("dur_" + tag, b("--duration-seconds", v))

    # --- min lengths
    add("min_rsn_empty", b("--role-session-name", "", drop="--role-session-name"))
    add("min_rsn_1", b("--role-session-name", "a", drop="--role-session-name"))
    add("min_rsn_2", b("--role-session-name", "ab", drop="--role-session-name"))
    add("min_rsn_space", b("--role-session-name", " ", drop="--role-session-name"))
    add("min_arn_19", b("--role-arn", "arn:aws:iam::1:role", drop="--role-arn"))
    add("min_arn_20", b("--role-arn", "arn:aws:iam::1:role/", drop="--role-arn"))
    add("min_arn_empty", b("--role-arn", "", drop="--role-arn"))
    add("min_token_3", b("--web-identity-token", "abc", drop="--web-identity-token"))
    add("min_token_4", b("--web-identity-token", "abcd", drop="--web-identity-token"))
    add("min_policy_empty", b("--policy", ""))
    add("min_provider_3", b("--provider-id", "abc"))
    add("min_provider_empty", b("--provider-id", ""))
    add("min_pa_arn_short", b("--policy-arns", "arn=arn:aws:iam::1:p"))
    add("min_multi", OP + ["--role-arn", "short", "--role-session-name", "", "--web-identity-token", "abc",
                           "--duration-seconds", "1", "--policy", ""])

    # --- policy-arns
    pa = {
        "kv": ["arn=" + PA],
        "kv_two_words": ["arn=" + PA, "arn=" + PB],
        "kv_comma": ["arn=%s,arn=%s" % (PA, PB)],
        "bare": [PA],
        "bare_comma": ["%s,%s" % (PA, PB)],
        "bare_two_words": [PA, PB],
        "json_list": ['[{"arn":"%s"}]' % PA],
        "json_list_two": ['[{"arn":"%s"},{"arn":"%s"}]' % (PA, PB)],
        "json_obj": ['{"arn":"%s"}' % PA],
        "json_obj_two_words": ['{"arn":"%s"}' % PA, '{"arn":"%s"}' % PB],
        "json_list_two_words": ['[{"arn":"%s"}]' % PA, '[{"arn":"%s"}]' % PB],
        "json_wrong_key_case": ['[{"Arn":"%s"}]' % PA],
        "json_empty_list": ["[]"],
        "json_empty_obj_list": ["[{}]"],
        "json_extra_key": ['[{"arn":"%s","x":1}]' % PA],
        "json_strings": ['["%s"]' % PA],
        "json_null_arn": ['[{"arn":null}]'],
        "json_num_arn": ['[{"arn":5}]'],
        "json_invalid": ['[{"arn":"%s"]' % PA],
        "json_leading_space": ['  [{"arn":"%s"}]' % PA],
        "json_then_kv": ['{"arn":"%s"}' % PA, "arn=" + PB],
        "kv_then_json": ["arn=" + PA, '{"arn":"%s"}' % PB],
        "kv_dquoted": ['arn="%s"' % PA],
        "kv_squoted": ["arn='%s'" % PA],
        "kv_dquoted_comma_inside": ['arn="%s,x"' % PA],
        "kv_empty": ["arn="],
        "kv_spaces_around_eq": ["arn = " + PA],
        "kv_trailing_space": ["arn=%s " % PA],
        "kv_leading_space": [" arn=" + PA],
        "kv_eq_in_value": ["arn=arn:aws:iam::123456789012:policy/q=x"],
        "kv_wrong_key": ["Arn=" + PA],
        "kv_csv_value": ["arn=%s,%s" % (PA, PB)],
        "kv_explicit_list": ["arn=[%s]" % PA],
        "kv_hash": ["arn={a=b}"],
        "kv_escaped_comma": ["arn=%s\\,x" % PA],
        "kv_at_file": ["arn@=file://pa_bare.txt"],
        "kv_file_value": ["arn=file://pa_bare.txt"],
        "seed_one_word": [SEED],
        "seed_two_words": ["arn:aws:iam::123456789012:policy/q=webidentitydemopolicy1",
                           "arn:aws:iam::123456789012:policy/webidentitydemopolicy2"],
        "key_with_colon": ["arn:x=" + PA],
        "empty_string": [""],
        "whitespace": [" "],
        "brace_shorthand": ["{arn=%s}" % PA],
        "kv_newline_sep": ["arn=%s\narn=%s" % (PA, PB)],
        "kv_with_space_in_value": ["arn=%s x" % PA],
    }
    for tag, words in pa.items():
        add("pa_" + tag, b("--policy-arns", *words), cwd=FIX)

    # --- file:// and friends
    add("file_token_rel", b("--web-identity-token", "file://token.txt", drop="--web-identity-token"), cwd=FIX)
    add("file_token_rel_subdir", b("--web-identity-token", "file://subdir/token.txt", drop="--web-identity-token"), cwd=FIX)
    add("file_token_rel_dot", b("--web-identity-token", "file://./token.txt", drop="--web-identity-token"), cwd=FIX)
    add("file_token_abs", b("--web-identity-token", "file://" + FIX + "/token.txt", drop="--web-identity-token"))
    add("file_token_3slash", b("--web-identity-token", "file:///" + FIX.lstrip("/") + "/token.txt", drop="--web-identity-token"))
    add("file_token_nonl", b("--web-identity-token", "file://token_nonl.txt", drop="--web-identity-token"), cwd=FIX)
    add("file_token_crlf", b("--web-identity-token", "file://token_crlf.txt", drop="--web-identity-token"), cwd=FIX)
    add("file_token_bom", b("--web-identity-token", "file://token_bom.txt", drop="--web-identity-token"), cwd=FIX)
    add("file_token_latin1", b("--web-identity-token", "file://token_latin1.txt", drop="--web-identity-token"), cwd=FIX)
    add("file_token_2lines", b("--web-identity-token", "file://token_2lines.txt", drop="--web-identity-token"), cwd=FIX)
    add("file_token_empty", b("--web-identity-token", "file://empty.txt", drop="--web-identity-token"), cwd=FIX)
    add("file_token_missing", b("--web-identity-token", "file://nope.txt", drop="--web-identity-token"), cwd=FIX)
    add("file_token_dir", b("--web-identity-token", "file://subdir", drop="--web-identity-token"), cwd=FIX)
    add("file_token_empty_path", b("--web-identity-token", "file://", drop="--web-identity-token"), cwd=FIX)
    add("file_token_envvar", b("--web-identity-token", "file://$TOKDIR/token.txt", drop="--web-identity-token"),
        env={"TOKDIR": FIX})
    add("file_token_tilde", b("--web-identity-token", "file://~/token.txt", drop="--web-identity-token"),
        env={"HOME": FIX})
    add("file_token_uppercase_scheme", b("--web-identity-token", "FILE://token.txt", drop="--web-identity-token"), cwd=FIX)
    add("file_token_space_after_scheme", b("--web-identity-token", "file:// token.txt", drop="--web-identity-token"), cwd=FIX)
    add("file_token_leading_space", b("--web-identity-token", " file://token.txt", drop="--web-identity-token"), cwd=FIX)
    add("file_token_stdin", b("--web-identity-token", "file:///dev/stdin", drop="--web-identity-token"),
        stdin="tok-stdin\n")
    add("fileb_token", b("--web-identity-token", "fileb://token.txt", drop="--web-identity-token"), cwd=FIX)
    add("fileb_rsn", b("--role-session-name", "fileb://rsn.txt", drop="--role-session-name"), cwd=FIX)
    add("file_rsn", b("--role-session-name", "file://rsn.txt", drop="--role-session-name"), cwd=FIX)
    add("file_role_arn_missing", b("--role-arn", "file://role.txt", drop="--role-arn"), cwd=FIX)
    add("file_policy", b("--policy", "file://policy.json"), cwd=FIX)
    add("file_policy_no_prefix", b("--policy", "policy.json"), cwd=FIX)
    add("file_provider", b("--provider-id", "file://rsn.txt"), cwd=FIX)
    add("file_duration", b("--duration-seconds", "file://dur.txt"), cwd=FIX)
    add("file_duration_1h", b("--duration-seconds", "file://dur_1h.txt"), cwd=FIX)
    add("fileb_duration", b("--duration-seconds", "fileb://dur.txt"), cwd=FIX)
    add("file_pa_shorthand", b("--policy-arns", "file://pa_short.txt"), cwd=FIX)
    add("file_pa_shorthand2", b("--policy-arns", "file://pa_short2.txt"), cwd=FIX)
    add("file_pa_json", b("--policy-arns", "file://pa_json.json"), cwd=FIX)
    add("file_pa_json_obj", b("--policy-arns", "file://pa_json_obj.json"), cwd=FIX)
    add("file_pa_bare", b("--policy-arns", "file://pa_bare.txt"), cwd=FIX)
    add("file_pa_two_words", b("--policy-arns", "file://pa_short.txt", "file://pa_json.json"), cwd=FIX)
    add("fileb_pa", b("--policy-arns", "fileb://pa_json.json"), cwd=FIX)
    add("http_token_loopback", b("--web-identity-token", "{{CASE_URL}}/get/tok", drop="--web-identity-token"))
    add("http_policy_loopback", b("--policy", "{{CASE_URL}}/get/policy"))
    add("http_rsn_loopback", b("--role-session-name", "{{CASE_URL}}/get/rsn", drop="--role-session-name"))
    add("http_duration_loopback", b("--duration-seconds", "{{CASE_URL}}/get/dur"))
    add("http_pa_loopback", b("--policy-arns", "{{CASE_URL}}/get/pa"))
    add("https_token_loopback_tls_fail", b("--web-identity-token", "https://127.0.0.1:{{PORT}}/case-x/get/tok",
                                           drop="--web-identity-token"))
    add("http_token_closed_port", b("--web-identity-token", "http://127.0.0.1:9/tok", drop="--web-identity-token"))
    add("http_role_arn_loopback", b("--role-arn", "{{CASE_URL}}/get/role", drop="--role-arn"))

    # --- cli-input-json
    full = {"RoleArn": R, "RoleSessionName": "fromjson", "WebIdentityToken": "tok-json"}

    def cij(name, obj, *extra, raw=None, **kw):
        add("cij_" + name, OP + ["--cli-input-json", raw if raw is not None else json.dumps(obj)] + list(extra), **kw)

    cij("inline", dict(full, DurationSeconds=900, PolicyArns=[{"arn": PA}], Policy="{}", ProviderId="www.amazon.com"))
    cij("file", None, raw="file://input.json", cwd=FIX)
    cij("file_missing", None, raw="file://nope.json", cwd=FIX)
    cij("fileref_value_not_resolved", None, raw="file://input_fileref.json", cwd=FIX)
    cij("http_loopback", None, raw="{{CASE_URL}}/get/json")
    cij("unknown_key_RoleARN", {"RoleARN": R, "RoleSessionName": "s1", "WebIdentityToken": "tok-json"})
    cij("unknown_key_plus_all", dict(full, RoleARN=R))
    cij("wrong_type_duration_str", dict(full, DurationSeconds="3600"))
    cij("wrong_type_duration_float", dict(full, DurationSeconds=3600.0))
    cij("wrong_type_duration_bool", dict(full, DurationSeconds=True))
    cij("duration_1000", dict(full, DurationSeconds=1000))
    cij("duration_899", dict(full, DurationSeconds=899))
    cij("null_policy", dict(full, Policy=None))
    cij("pa_strings", dict(full, PolicyArns=[PA]))
    cij("pa_object", dict(full, PolicyArns={"arn": PA}))
    cij("pa_Arn_key", dict(full, PolicyArns=[{"Arn": PA}]))
    cij("override_rsn", full, "--role-session-name", "fromopt")
    cij("override_pa", dict(full, PolicyArns=[{"arn": PA}]), "--policy-arns", "arn=" + PB)
    cij("override_dur_invalid_opt", dict(full, DurationSeconds=900), "--duration-seconds", "1h")
    cij("partial_plus_opts", {"RoleArn": R}, "--role-session-name", "sess", "--web-identity-token", "tok-abc")
    cij("tags", dict(full, Tags=[{"Key": "k", "Value": "v"}]))
    cij("external_id", dict(full, ExternalId="x"))
    cij("min_token_size", dict(full, MinimumSessionTokenSize=100))
    cij("action_key", dict(full, Action="AssumeRole"))
    cij("invalid_json", None, raw='{"RoleArn":')
    cij("single_quotes", None, raw="{'RoleArn': 'x'}")
    cij("top_list", None, raw="[%s]" % json.dumps(full))
    cij("top_string", None, raw='"x"')
    cij("top_number", None, raw="5")
    cij("empty_string", None, raw="")
    cij("empty_object_no_opts", {})
    cij("dup_key_last_wins", None, raw='{"RoleArn":"%s","RoleSessionName":"a1","RoleSessionName":"b2","WebIdentityToken":"tok-json"}' % R)
    cij("min_rsn_empty", dict(full, RoleSessionName=""))
    cij("unicode", dict(full, RoleSessionName="s\u00e9"))
    cij("nan_duration", None, raw='{"RoleArn":"%s","RoleSessionName":"sess","WebIdentityToken":"tok-json","DurationSeconds":NaN}' % R)
    cij("repeated_cij", full, "--cli-input-json", json.dumps({"RoleArn": R}))

    # --- required
    add("req_none", OP)
    add("req_missing_arn", b(drop="--role-arn"))
    add("req_missing_rsn", b(drop="--role-session-name"))
    add("req_missing_token", b(drop="--web-identity-token"))
    add("req_missing_two", OP + ["--role-arn", R])
    add("req_missing_plus_unknown", OP + ["--role-arn", R, "--bogus", "x"])
    add("req_missing_plus_bad_dur", OP + ["--role-arn", R, "--duration-seconds", "1h"])

    # --- globals
    add("g_region_after", b("--region", "eu-west-1"))
    add("g_region_before", ["--region", "eu-west-1"] + b())
    add("g_region_between", ["sts", "--region", "eu-west-1"] + b()[1:])
    add("g_region_bad_format", b("--region", "us east 1"))
    add("g_output_json_after", b("--output", "json"))
    add("g_output_yaml_after", b("--output", "yaml"))
    add("g_output_json_before", ["--output", "json"] + b())
    add("g_debug_after", b("--debug"))
    add("g_profile_after", b("--profile", "x"))
    add("g_profile_before", ["--profile", "x"] + b())
    add("g_query_after", b("--query", "Credentials"))
    add("g_query_bad", b("--query", "[["))
    add("g_no_paginate", b("--no-paginate"))
    add("g_color_bad", b("--color", "maybe"))
    add("g_read_timeout_bad", b("--cli-read-timeout", "x"))
    add("g_no_cli_pager_v2only", b("--no-cli-pager"))
    add("g_cli_binary_format_v2only", b("--cli-binary-format", "raw-in-base64-out"))
    add("g_cli_input_yaml_v2only", OP + ["--cli-input-yaml", "RoleArn: x"])
    add("g_version_after", b("--version"))
    add("g_endpoint_closed_port", b("--endpoint-url", "http://127.0.0.1:9"))
    add("g_global_value_missing", b("--region"))
    add("g_profile_eq", b("--profile=x"))
    add("g_v2_debug", b("--v2-debug"))

    # --- skeleton / help
    add("skeleton", OP + ["--generate-cli-skeleton"])
    add("skeleton_input", OP + ["--generate-cli-skeleton", "input"])
    add("skeleton_output", OP + ["--generate-cli-skeleton", "output"])
    add("skeleton_yaml_input", OP + ["--generate-cli-skeleton", "yaml-input"])
    add("help_word_at_end", b("help"))

    # --- second batch: edge cases found while reading the source
    add("help_as_value", b("--role-session-name", "help", drop="--role-session-name"))
    add("help_word_middle", OP + ["--role-arn", R, "help", "--role-session-name", "sess", "--web-identity-token", "tok-abc"])
    add("skeleton_output_full", b("--generate-cli-skeleton", "output"))
    add("skeleton_eq_input", OP + ["--generate-cli-skeleton=input"])
    add("cij_eq_form", OP + ["--cli-input-json=" + json.dumps(full)])
    add("cij_eq_form_with_required", b("--cli-input-json=" + json.dumps({"DurationSeconds": 900})))
    add("http_token_404", b("--web-identity-token", "{{CASE_URL}}/status/404/tok", drop="--web-identity-token"))
    add("pa_kv_trailing_comma", b("--policy-arns", "arn=%s," % PA))
    add("pa_kv_comma_space", b("--policy-arns", "arn=%s , arn=%s" % (PA, PB)))
    add("pa_kv_space_after_eq", b("--policy-arns", "arn= " + PA))
    add("pa_kv_quoted_then_junk", b("--policy-arns", 'arn="%s"x' % PA))
    add("pa_kv_space_one_word", b("--policy-arns", "arn=%s arn=%s" % (PA, PB)))
    add("pa_kv_astral", b("--policy-arns", "arn=%s\U0001F600x" % PA))
    add("pa_quoted_key", b("--policy-arns", '"arn"=' + PA))
    add("pa_json_trailing_garbage", b("--policy-arns", '[{"arn":"%s"}] x' % PA))
    add("pa_json_dup_key", b("--policy-arns", '[{"arn":"%s","arn":"%s"}]' % (PA, PB)))
    add("pa_json_nested_list", b("--policy-arns", '[[{"arn":"%s"}]]' % PA))
    add("pa_json_obj_list_mixed_words", b("--policy-arns", '{"arn":"%s"}' % PA, '[{"arn":"%s"}]' % PB))
    add("pa_kv_dquote_escape", b("--policy-arns", 'arn="%s\\"x"' % PA))
    add("pa_kv_then_empty_word", b("--policy-arns", "arn=" + PA, ""))
    add("pa_empty_then_opt", b("--policy-arns", "--duration-seconds", "900"))
    add("dur_space_only", b("--duration-seconds", " "))
    add("dur_eq_junk", b("--duration-seconds=3600=1"))
    add("rsn_emoji_1", b("--role-session-name", "\U0001F600", drop="--role-session-name"))
    add("rsn_emoji_2", b("--role-session-name", "\U0001F600\U0001F600", drop="--role-session-name"))
    add("arn_whitespace_kept", b("--role-arn", " %s " % R, drop="--role-arn"))
    add("token_4_spaces", b("--web-identity-token", "    ", drop="--web-identity-token"))
    add("token_newline_in_argv", b("--web-identity-token", "tok-abc\n", drop="--web-identity-token"))
    add("signed_no_creds", b(), no_sign_request=False)
    add("cli_follow_urlparam_false", b("--web-identity-token", "{{CASE_URL}}/get/tok", drop="--web-identity-token"),
        env={"AWS_CONFIG_FILE": os.path.join(FIX, "config_nofollow")})
    add("value_eq_cli_input_json_literal", b("--role-session-name", "--cli-input-json", drop="--role-session-name"))
    add("profile_env_var_missing", b(), env={"AWS_PROFILE": "nosuch"})
    add("region_env_only", OP[:0] + b(), env={"AWS_DEFAULT_REGION": "eu-west-1"})
    add("abbr_gen", OP + ["--generate-cli"])
    add("abbr_e_global", b("--e", "http://127.0.0.1:9"))
    add("abbr_q_global", b("--q", "Credentials"))
    add("abbr_ca_global", b("--ca", "x"))
    add("abbr_no_global", b("--no"))
    add("abbr_v_global", b("--v"))
    add("abbr_ve_global", b("--ve"))
    add("abbr_rol_arn_after_global_prefix", b("--re", "eu-west-1"))

    # --- third batch: which error wins when several apply
    add("order_profile_vs_bad_dur", b("--profile", "x", "--duration-seconds", "1h"))
    add("order_bad_dur_vs_min_rsn", b("--duration-seconds", "1h", "--role-session-name", "a"))
    add("order_bad_dur_then_bad_pa", b("--duration-seconds", "1h", "--policy-arns", PA))
    add("order_bad_pa_then_bad_dur", b("--policy-arns", PA, "--duration-seconds", "1h"))
    add("order_missing_file_vs_bad_dur", b("--duration-seconds", "1h", "--policy", "file://nope.json"), cwd=FIX)
    add("order_unknown_vs_bad_dur", b("--duration-seconds", "1h", "--bogus"))
    add("order_bad_region_vs_min", b("--region", "us east 1", "--role-session-name", "a"))
    add("order_missing_token_file_vs_rsn_file", b("--web-identity-token", "file://nope1", "--role-session-name", "file://nope2"), cwd=FIX)
    add("cij_bom_file", OP + ["--cli-input-json", "file://input_bom.json"], cwd=FIX)
    add("pa_json_file_bom", b("--policy-arns", "file://pa_json_bom.json"), cwd=FIX)

    # --- fourth batch: global-option prefixes that shadow operation options
    add("abbr_pro", b("--pro", "www.amazon.com"))
    add("abbr_c", b("--c", "x"))
    add("abbr_w", OP + ["--role-arn", R, "--role-session-name", "sess", "--w", "tok-abc"])
    add("abbr_ro", OP + ["--ro", R, "--role-session-name", "sess", "--web-identity-token", "tok-abc"])
    add("abbr_cli_i_with_required", b("--cli-i", json.dumps({"DurationSeconds": 900})))
    add("abbr_gen_with_required", b("--gen"))
    add("abbr_policy_eq", b("--pol=x"))

    # --- fifth batch: stage order around --cli-input-json, help position
    cij("fileb", None, raw="fileb://input.json", cwd=FIX)
    cij("bad_vs_profile", None, "--profile", "x", raw="{bad")
    cij("bad_vs_region", None, "--region", "us east 1", raw="{bad")
    cij("bad_vs_bad_dur", None, "--duration-seconds", "1h", raw="{bad")
    add("help_and_unknown", b("--bogus", "help"))
    add("extra_then_help", b("extra", "help"))
    return C


def main():
    import argparse
    ap = argparse.ArgumentParser()
    ap.add_argument("--only", help="run only cases whose name contains this")
    ap.add_argument("--out", help="output file (default: tests/awscli/probe_results.json, "
                                  "or target/awscli-probe/partial.json with --only)")
    args = ap.parse_args()
    fixtures()
    cs = cases()
    if args.only:
        cs = [c for c in cs if args.only in c["name"]]
    names = [c["name"] for c in cs]
    assert len(names) == len(set(names)), "duplicate case names"
    p = subprocess.run([sys.executable, os.path.join(HERE, "record.py")], input=json.dumps(cs).encode(),
                       stdout=subprocess.PIPE, cwd=ROOT)
    if p.returncode != 0:
        sys.exit(p.returncode)
    text = p.stdout.decode()
    text = re.sub(r"127\.0\.0\.1:\d{4,5}", "127.0.0.1:{{PORT}}", text).replace(FIX, "{{FIXTURES}}")
    # --debug output: timestamps and object addresses change on every run
    text = re.sub(r"\d{4}-\d\d-\d\d \d\d:\d\d:\d\d,\d{3}", "{{TIME}}", text)
    text = re.sub(r" at 0x[0-9a-f]+", " at 0x0", text)
    out = args.out or (os.path.join(ROOT, "target", "awscli-probe", "partial.json") if args.only
                       else os.path.join(HERE, "probe_results.json"))
    with open(out, "w") as f:
        f.write(text)
    print("wrote %s (%d cases)" % (out, len(cs)))


if __name__ == "__main__":
    main()
