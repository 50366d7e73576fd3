//! PolicyArns: A001 policy-arns-too-many, A002 policy-arn-invalid, A003 policy-arn-partition-mismatch,
//! A004 policy-arn-duplicate.
//!
//! Up to 10 managed policy ARNs may narrow the session (the model sets no maximum and the CLI
//! sends 11; STS refuses them). Each must be an IAM `policy/` ARN, in the role's partition.

use super::{known, Ctx};
use crate::diagnostic::{Diagnostic, Rule, Severity};
use crate::limits::{self, ARN_MIN, PARTITIONS, POLICY_ARNS_MAX, POLICY_NAME_MAX};
use crate::model::arn::{self, offset};
use crate::model::request::Request;
use crate::source::Text;

pub static TOO_MANY: Rule = Rule {
    code: "A001",
    name: "policy-arns-too-many",
    severity: Severity::Error,
    summary: "More than 10 PolicyArns",
};
pub static INVALID: Rule = Rule {
    code: "A002",
    name: "policy-arn-invalid",
    severity: Severity::Error,
    summary: "A PolicyArns entry that is not a managed policy ARN",
};
pub static PARTITION: Rule = Rule {
    code: "A003",
    name: "policy-arn-partition-mismatch",
    severity: Severity::Error,
    summary: "A policy ARN in another partition than the role",
};
pub static DUPLICATE: Rule = Rule {
    code: "A004",
    name: "policy-arn-duplicate",
    severity: Severity::Warning,
    summary: "The same policy ARN listed twice",
};

pub fn check(req: &Request, _: &Ctx, out: &mut Vec<Diagnostic>) {
    let Some(pa) = &req.policy_arns else { return };
    let p = "PolicyArns";
    if pa.arns.len() > POLICY_ARNS_MAX {
        let extra = &pa.arns[POLICY_ARNS_MAX];
        out.push(
            TOO_MANY
                .report(format!("{} PolicyArns given; STS accepts at most {POLICY_ARNS_MAX} (the AWS CLI sends them all, and STS answers `ValidationError`)", pa.arns.len()))
                .at(extra.content_span(), "the 11th")
                .help("attach fewer managed policies to the session, or combine them into one managed policy")
                .param(p),
        );
    }
    let role_partition = known(&req.role_arn)
        .and_then(|t| arn::parse(&t.value).ok().map(|a| a.partition.to_string()));
    // The first of each value, for duplicates (a map: 100,000 ARNs are not compared in pairs).
    let mut first: std::collections::HashMap<&str, &Text> = std::collections::HashMap::new();
    for t in &pa.arns {
        if !t.is_static() {
            written_parts(t, role_partition.as_deref(), out);
            continue;
        }
        if let Some(prev) = first.get(t.value.as_str()).copied().or_else(|| {
            first.insert(&t.value, t);
            None
        }) {
            out.push(
                DUPLICATE
                    .report(format!("policy ARN `{}` is listed twice", t.value))
                    .at(t.content_span(), "duplicate")
                    .note(prev.content_span(), "first listed here")
                    .help("remove the duplicate")
                    .param(p),
            );
            continue;
        }
        one(t, role_partition.as_deref(), out);
    }
}

fn one(t: &Text, role_partition: Option<&str>, out: &mut Vec<Diagnostic>) {
    let p = "PolicyArns";
    let v = t.value.as_str();
    let sv = crate::diagnostic::shown(v);
    let at = |s: &str| t.span_of(offset(v, s)..offset(v, s) + s.len());
    let bad = |msg: String, label: &str, help: &str, span| {
        INVALID.report(msg).at(span, label).help(help).param(p)
    };
    let n = v.chars().count();
    if n < ARN_MIN {
        out.push(bad(format!("policy ARN `{sv}` is {n} characters: the AWS CLI refuses it before sending (`Invalid length for parameter PolicyArns[].arn, value: {n}, valid min length: {ARN_MIN}`)"), "too short", "give the policy's full ARN: arn:aws:iam::ACCOUNT_ID:policy/NAME", t.content_span()));
        return;
    }
    if let Some(d) = bad_character(t) {
        out.push(d);
        return;
    }
    let arn = match arn::parse(v) {
        Ok(a) if v.starts_with("arn:") => a,
        _ => {
            let help = if v.chars().all(limits::is_name_char) {
                format!("give the policy's ARN: arn:aws:iam::ACCOUNT_ID:policy/{sv}")
            } else {
                "give the policy's ARN: arn:aws:iam::ACCOUNT_ID:policy/NAME".to_string()
            };
            out.push(bad(
                format!("policy ARN `{sv}` is not an ARN"),
                "not an ARN",
                &help,
                t.content_span(),
            ));
            return;
        }
    };
    if !PARTITIONS.contains(&arn.partition) {
        out.push(bad(
            format!(
                "policy ARN partition `{}` is not an AWS partition",
                arn.partition
            ),
            "unknown partition",
            &format!("use one of {}", PARTITIONS.join(", ")),
            at(arn.partition),
        ));
        return;
    }
    if let Some(rp) = role_partition {
        if rp != arn.partition && PARTITIONS.contains(&rp) {
            out.push(PARTITION.report(format!("policy ARN is in partition `{}` but the role is in `{rp}`: access cannot cross partitions", arn.partition)).at(at(arn.partition), "other partition").help(format!("use the policy's ARN in `{rp}`: arn:{rp}:{}", v.splitn(3, ':').nth(2).unwrap_or(""))).param(p));
        }
    }
    if arn.service != "iam" {
        out.push(bad(format!("policy ARN names a resource of service `{}`, not an IAM managed policy", arn.service), "not `iam`", "give a managed policy ARN: arn:aws:iam::ACCOUNT_ID:policy/NAME (inline JSON goes in --policy)", at(arn.service)));
        return;
    }
    if let Some(region) = arn.region {
        out.push(bad(
            format!("policy ARN has region `{region}`, but IAM ARNs have an empty region field"),
            "region must be empty",
            "remove the region",
            at(region),
        ));
    }
    match arn.account_id {
        Some("aws") => {}
        Some(a) if a.len() == 12 && a.bytes().all(|b| b.is_ascii_digit()) => {}
        Some(a) => out.push(bad(format!("policy ARN account `{a}` is neither a 12-digit account ID nor `aws` (AWS managed policies)"), "bad account", "use the 12-digit account ID that owns the policy, or `aws` for an AWS managed policy", at(a))),
        None => out.push(bad("policy ARN has no account".to_string(), "account missing", "write arn:aws:iam::ACCOUNT_ID:policy/NAME", t.content_span())),
    }
    let Some(rest) = arn.resource.strip_prefix("policy/") else {
        let kind = arn.resource.split('/').next().unwrap_or(arn.resource);
        out.push(bad(
            format!("PolicyArns entry `{sv}` names a `{kind}`, not a managed policy"),
            "not `policy/`",
            "give a managed policy ARN: arn:aws:iam::ACCOUNT_ID:policy/NAME",
            at(arn.resource),
        ));
        return;
    };
    let name = rest.rsplit('/').next().unwrap_or(rest);
    if name.is_empty() || name.chars().count() > POLICY_NAME_MAX {
        out.push(bad(
            format!("policy name `{name}` must be 1 to {POLICY_NAME_MAX} characters"),
            "policy name",
            "check the name with `aws iam list-policies`",
            at(arn.resource),
        ));
    } else if let Some((i, c)) = name.char_indices().find(|(_, c)| !limits::is_name_char(*c)) {
        let o = offset(v, name) + i;
        out.push(bad(format!("policy name `{name}` contains {c:?}; policy names use only letters, digits and _+=,.@-"), "not allowed", "copy the ARN from `aws iam list-policies --query 'Policies[].Arn'`", t.span_of(o..o + c.len_utf8())));
    }
}

/// A character no ARN may have, in the known part of `t`.
fn bad_character(t: &Text) -> Option<Diagnostic> {
    let (i, c) = t
        .value
        .char_indices()
        .find(|(_, c)| !limits::is_arn_char(*c))?;
    Some(
        INVALID
            .report(format!(
                "policy ARN contains {c:?}, which STS does not accept"
            ))
            .at(t.span_of(i..i + c.len_utf8()), "not allowed")
            .help("remove the character")
            .param("PolicyArns"),
    )
}

/// A policy ARN the shell builds (`arn:aws:iam::${ACCOUNT_ID}:policy/ci`): what is written is
/// checked where it is wrong whatever the run fills in (see `role_arn`'s written parts): a
/// character no ARN may have, a start that is not `arn:`, fields already ended by their `:`, a
/// resource that already is not `policy/`, and the name after the last unknown part.
fn written_parts(t: &Text, role_partition: Option<&str>, out: &mut Vec<Diagnostic>) {
    let p = "PolicyArns";
    let v = t.value.as_str();
    let (Some(first), Some(last)) = (t.dynamic.first(), t.dynamic.last()) else {
        return;
    };
    let shown = crate::diagnostic::shown(&t.display());
    let at = |s: &str| t.span_of(offset(v, s)..offset(v, s) + s.len());
    let bad = |msg: String, label: &str, help: &str, span| {
        INVALID.report(msg).at(span, label).help(help).param(p)
    };
    let whatever = format!("whatever `{}` holds", first.expr);
    let give = "give a managed policy ARN: arn:aws:iam::ACCOUNT_ID:policy/NAME";
    if let Some(d) = bad_character(t) {
        out.push(d);
        return;
    }
    let start = &v[..first.at];
    if !start.is_empty() {
        let Some(f) = arn::prefix(start) else {
            if !"arn:".starts_with(start) {
                out.push(bad(
                    format!(
                        "policy ARN `{shown}` is not an ARN {whatever}: it must start with `arn:`"
                    ),
                    "not `arn:`",
                    give,
                    t.span_of(0..start.len()),
                ));
            }
            return;
        };
        if let Some(part) = f.partition {
            if !PARTITIONS.contains(&part) {
                out.push(bad(
                    format!("policy ARN partition `{part}` is not an AWS partition"),
                    "unknown partition",
                    &format!("use one of {}", PARTITIONS.join(", ")),
                    at(part),
                ));
                return;
            }
            if let Some(rp) = role_partition.filter(|rp| *rp != part && PARTITIONS.contains(rp)) {
                out.push(PARTITION.report(format!("policy ARN is in partition `{part}` but the role is in `{rp}`: access cannot cross partitions")).at(at(part), "other partition").help(format!("use the policy's ARN in `{rp}`")).param(p));
            }
        }
        if let Some(service) = f.service.filter(|x| *x != "iam") {
            out.push(bad(format!("policy ARN names a resource of service `{service}`, not an IAM managed policy, {whatever}"), "not `iam`", give, at(service)));
            return;
        }
        if let Some(region) = f.region.filter(|x| !x.is_empty()) {
            out.push(bad(
                format!(
                    "policy ARN has region `{region}`, but IAM ARNs have an empty region field"
                ),
                "region must be empty",
                "remove the region",
                at(region),
            ));
        }
        if let Some(a) = f
            .account
            .filter(|a| *a != "aws" && !(a.len() == 12 && a.bytes().all(|b| b.is_ascii_digit())))
        {
            out.push(bad(format!("policy ARN account `{a}` is neither a 12-digit account ID nor `aws` (AWS managed policies)"), "bad account", "use the 12-digit account ID that owns the policy, or `aws` for an AWS managed policy", at(a)));
        }
        if let Some(res) = f.resource {
            let kind = res.split('/').next().unwrap_or(res);
            if (res.contains('/') && kind != "policy")
                || !(res.contains('/') || "policy".starts_with(res))
            {
                out.push(bad(format!("PolicyArns entry `{shown}` names a `{kind}`, not a managed policy, {whatever}"), "not `policy/`", give, at(kind)));
                return;
            }
        }
    }
    if start.starts_with("arn:") {
        if let Some(res) = arn::resource_after(v, last.at) {
            let kind = res.split('/').next().unwrap_or(res);
            if kind != "policy" {
                let exprs: Vec<String> =
                    t.dynamic.iter().map(|d| format!("`{}`", d.expr)).collect();
                out.push(bad(format!("PolicyArns entry `{shown}` names a `{kind}`, not a managed policy, unless {} holds a `:`", exprs.join(" or ")), "not `policy/`", give, at(kind)).severity(crate::diagnostic::Severity::Warning));
                return;
            }
        }
    }
    let end = &v[last.at..];
    let Some((_, name)) = arn::tail(end) else {
        return;
    };
    let name = &end[name];
    let whatever = format!("whatever `{}` holds", last.expr);
    if name.is_empty() || name.chars().count() > POLICY_NAME_MAX {
        out.push(bad(
            format!("policy name `{name}` must be 1 to {POLICY_NAME_MAX} characters, {whatever}"),
            "policy name",
            "check the name with `aws iam list-policies`",
            if name.is_empty() {
                t.span_of(v.len() - 1..v.len())
            } else {
                at(name)
            },
        ));
    } else if let Some((i, c)) = name.char_indices().find(|(_, c)| !limits::is_name_char(*c)) {
        let o = offset(v, name) + i;
        out.push(bad(format!("policy name `{name}` contains {c:?}; policy names use only letters, digits and _+=,.@-"), "not allowed", "copy the ARN from `aws iam list-policies --query 'Policies[].Arn'`", t.span_of(o..o + c.len_utf8())));
    }
}

#[cfg(test)]
mod tests {
    use crate::rules::testing::{codes, with};

    fn a(arns: &str) -> Vec<&'static str> {
        codes(&with(&format!("--policy-arns {arns}")))
            .into_iter()
            .filter(|c| c.starts_with('A') || c.starts_with("Q0"))
            .collect()
    }

    #[test]
    fn valid_arns_pass() {
        assert_eq!(a("arn=arn:aws:iam::111122223333:policy/p1 arn=arn:aws:iam::aws:policy/ReadOnlyAccess"), Vec::<&str>::new());
        assert_eq!(
            a("'[{\"arn\":\"arn:aws:iam::111122223333:policy/team/p1\"}]'"),
            Vec::<&str>::new()
        );
    }

    #[test]
    fn invalid_arns_fail() {
        assert_eq!(
            a("arn=arn:aws:iam::111122223333:role/notapolicy"),
            vec!["A002"]
        );
        assert_eq!(a("arn=arn:aws:s3:::bucket/key/object"), vec!["A002"]);
        assert_eq!(
            a("arn=arn:aws-cn:iam::111122223333:policy/p1"),
            vec!["A003"]
        );
        assert_eq!(
            a("arn=arn:aws:iam::111122223333:policy/p1 arn=arn:aws:iam::111122223333:policy/p1"),
            vec!["A004"]
        );
        assert_eq!(a("arn=arn:aws:iam::1111:policy/p1"), vec!["A002"]);
        let eleven: Vec<String> = (0..11)
            .map(|i| format!("arn=arn:aws:iam::111122223333:policy/p{i}"))
            .collect();
        assert_eq!(a(&eleven.join(" ")), vec!["A001"]);
    }

    #[test]
    fn literal_entries_next_to_shell_values_are_checked() {
        assert_eq!(
            a("arn=\"$EXTRA_POLICY\" arn=arn:aws:iam::111122223333:role/not-a-policy"),
            vec!["A002"]
        );
        let eleven: Vec<String> = (0..10)
            .map(|i| format!("arn=arn:aws:iam::111122223333:policy/p{i}"))
            .collect();
        assert_eq!(
            a(&format!("{} \"arn=$MORE\"", eleven.join(" "))),
            vec!["A001"],
            "a shell word is one more entry"
        );
        assert_eq!(
            a("\"$ALL_POLICY_ARNS\""),
            Vec::<&str>::new(),
            "an unknown first word: nothing to check"
        );
    }

    #[test]
    fn written_parts_of_built_arns_are_checked() {
        for ok in [
            "arn=arn:aws:iam::${ACCOUNT_ID}:policy/p1",
            "arn=arn:aws:iam::aws:policy/${POLICY}",
            "\"arn=arn:aws:iam::${{ vars.ACCOUNT }}:policy/team/ci\"",
            "arn=${POLICY_ARN}",
            "arn=arn:aws:iam::${A},arn=arn:aws:iam::1:role/x",
        ] {
            assert_eq!(a(ok), Vec::<&str>::new(), "{ok}");
        }
        assert_eq!(a("arn=arn:aws:s3:::${BUCKET}"), vec!["A002"]);
        assert_eq!(a("arn=arn:aws:iam::aws-managed:policy/${P}"), vec!["A002"]);
        assert_eq!(a("arn=arn:aws:iam::${A}:policy/bad#name"), vec!["A002"]);
        assert_eq!(a("arn=arn:aws:iam::${A}:policy/"), vec!["A002"]);
        assert_eq!(a("arn=arn:aws-cn:iam::${A}:policy/p"), vec!["A003"]);
        assert_eq!(a("arn=arn:aws:iam::111122223333:role/${R}"), vec!["A002"]);
        // Unless the variable holds a `:`: a warning.
        let d = crate::rules::testing::run(&with(
            "--policy-arns arn=arn:aws:iam::${ACCOUNT_ID}:role/p2",
        ))
        .into_iter()
        .find(|d| d.rule.code == "A002")
        .expect("A002");
        assert_eq!(d.severity, crate::diagnostic::Severity::Warning);
    }

    #[test]
    fn cli_refusals_are_reported() {
        assert_eq!(a("arn:aws:iam::111122223333:policy/p1"), vec!["Q006"]);
        assert_eq!(
            a("arn=arn:aws:iam::111122223333:policy/p1,arn=arn:aws:iam::111122223333:policy/p2"),
            vec!["Q006"]
        );
        assert_eq!(a("'\"arn:aws:iam::123456789012:policy/q=webidentitydemopolicy1\",\"arn:aws:iam::123456789012:policy/webidentitydemopolicy2\"'"), vec!["Q006"]);
        assert_eq!(
            a("'[{\"Arn\":\"arn:aws:iam::111122223333:policy/p1\"}]'"),
            vec!["Q006"]
        );
    }
}
