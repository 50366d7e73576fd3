//! Actions, resources and conditions of the session policy: P016 policy-action, P017
//! policy-resource, P018 policy-condition-operator, P019 policy-condition-value, P020
//! policy-condition-key.
//!
//! IAM refuses an action or condition key without a service prefix ("Actions/Conditions must be
//! prefaced by a vendor"), a resource that is neither `*` nor an ARN, and an unknown condition
//! operator, as `MalformedPolicyDocument`. Service prefixes and global condition keys are data in
//! `rules/` with their sources. IAM does not care about case in action names, prefixes or condition
//! key names, so neither does stslint.

use super::Ctx;
use crate::diagnostic::{shown, Diagnostic, Rule, Severity};
use crate::json::{Json, Node};
use crate::model::policy::{
    global_key, key_span, operator, strings, Policy, OPERATORS, SERVICE_PREFIXES,
};
use crate::model::request::Request;
use crate::source::Text;

pub static ACTION: Rule = Rule { code: "P016", name: "policy-action", severity: Severity::Error, summary: "action that is not `*` or `service:Action` (a warning for a service prefix IAM does not know)" };
pub static RESOURCE: Rule = Rule {
    code: "P017",
    name: "policy-resource",
    severity: Severity::Error,
    summary: "resource that is not `*` or an ARN (a warning for a partition other than the role's)",
};
pub static OPERATOR: Rule = Rule { code: "P018", name: "policy-condition-operator", severity: Severity::Error, summary: "Condition that is not operator → key → values, or an operator or qualifier IAM does not know" };
pub static VALUE: Rule = Rule { code: "P019", name: "policy-condition-value", severity: Severity::Error, summary: "condition value of the wrong shape for its operator (Bool true/false, IpAddress CIDR, Date*, Numeric*), or an operator of another type than its key" };
pub static KEY: Rule = Rule { code: "P020", name: "policy-condition-key", severity: Severity::Warning, summary: "condition key without a service prefix (error), or an `aws:` key or service prefix IAM does not know" };

const P: &str = "Policy";

pub fn check(req: &Request, _: &Ctx, out: &mut Vec<Diagnostic>) {
    let Some(policy) = &req.policy_doc else {
        return;
    };
    let role_partition = super::known(&req.role_arn)
        .and_then(|t| crate::model::arn::partition(&t.value).map(str::to_string));
    for s in policy.statements() {
        let name = s.name();
        for m in ["Action", "NotAction"].iter().filter_map(|k| s.get(k)) {
            for t in strings(&m.value) {
                action(t, &name, out);
            }
        }
        for m in ["Resource", "NotResource"].iter().filter_map(|k| s.get(k)) {
            for t in strings(&m.value) {
                resource(t, &name, role_partition.as_deref(), out);
            }
        }
        if let Some(c) = s.get("Condition") {
            condition(policy, &c.value, &name, out);
        }
    }
}

fn action(t: &Text, name: &str, out: &mut Vec<Diagnostic>) {
    let v = t.value.as_str();
    if v == "*" || v == "*:*" {
        return;
    }
    let at = t.content_span();
    let bad = |msg: String, help: String| {
        ACTION
            .report(msg)
            .at(at.clone(), "action")
            .help(help)
            .param(P)
    };
    let Some((prefix, act)) = v.split_once(':') else {
        out.push(bad(format!("the action `{}` in {name} has no service prefix; IAM answers `Actions/Conditions must be prefaced by a vendor, e.g., iam, sdb, ec2, etc.` and STS `MalformedPolicyDocument`", shown(v)), "write it as `service:Action`, e.g. `s3:GetObject` (or `*` for every action)".into()));
        return;
    };
    if act.contains(':') {
        out.push(bad(format!("the action `{}` in {name} has more than one colon; IAM answers `Actions/Condition can contain only one colon.` and STS `MalformedPolicyDocument`", shown(v)), format!("write it as `service:Action`, e.g. `{}:{}`", shown(prefix), shown(act.rsplit(':').next().unwrap_or(act)))));
        return;
    }
    let ok_prefix = !prefix.is_empty()
        && prefix
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || c == '-');
    let ok_action = !act.is_empty()
        && act
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || c == '*' || c == '?');
    if !ok_prefix || !ok_action {
        let what = if !ok_prefix {
            format!(
                "its service prefix `{}` is not letters, digits and `-`",
                shown(prefix)
            )
        } else {
            format!(
                "its action name `{}` is not letters, digits and the wildcards `*` `?`",
                shown(act)
            )
        };
        out.push(bad(format!("the action `{}` in {name} is not `service:Action`: {what}; STS answers `MalformedPolicyDocument`", shown(v)), format!("write it as `service:Action`, e.g. `{}:GetObject`", if ok_prefix { prefix } else { "s3" })));
        return;
    }
    let lower = prefix.to_ascii_lowercase();
    if !SERVICE_PREFIXES.contains_key(&lower) {
        let hint = crate::diagnostic::closest(&lower, SERVICE_PREFIXES.keys().map(String::as_str));
        out.push(ACTION.report(format!("the action `{}` in {name} names the service prefix `{}`, which is not an IAM service prefix; IAM accepts the policy, but the action matches nothing", shown(v), shown(prefix)))
            .at(t.span_of(0..prefix.len()), "unknown service")
            .help(match hint {
                Some(h) => format!("did you mean `{h}:{act}`? (`{h}` is {})", SERVICE_PREFIXES[h]),
                None => "check the prefix in the Service Authorization Reference (docs.aws.amazon.com/service-authorization)".into(),
            })
            .severity(Severity::Warning).param(P));
    }
}

fn resource(t: &Text, name: &str, role_partition: Option<&str>, out: &mut Vec<Diagnostic>) {
    let v = t.value.as_str();
    if v == "*" {
        return;
    }
    let at = t.content_span();
    let parts = crate::model::arn::fields(v).unwrap_or_default();
    if parts[0] != "arn" || parts[1].is_empty() || parts[2].is_empty() {
        let hint = if v.starts_with("arn:") {
            "an ARN has six parts, `arn:PARTITION:SERVICE:REGION:ACCOUNT:RESOURCE` (region and account may be empty, e.g. `arn:aws:s3:::bucket/*`)".to_string()
        } else if !v.contains(':') && !v.contains('/') {
            format!("for an S3 bucket write `arn:aws:s3:::{}` (and `arn:aws:s3:::{}/*` for its objects)", shown(v), shown(v))
        } else {
            "write the resource's ARN, or `*`".to_string()
        };
        out.push(RESOURCE.report(format!("the resource `{}` in {name} is neither `*` nor an ARN; IAM answers `Resource {} must be in ARN format or \"*\".` and STS `MalformedPolicyDocument`", shown(v), shown(v)))
            .at(at, "resource").help(hint).param(P));
        return;
    }
    let partition = parts[1];
    if partition.contains(['*', '?', '$']) {
        return;
    }
    if !crate::limits::PARTITIONS.contains(&partition) {
        out.push(RESOURCE.report(format!("the resource `{}` in {name} has the partition `{}`, which is not an AWS partition ({})", shown(v), shown(partition), crate::limits::PARTITIONS.join(", ")))
            .at(t.span_of(4..4 + partition.len()), "partition").help("write the partition the resources live in, usually `aws`").severity(Severity::Warning).param(P));
    } else if let Some(rp) =
        role_partition.filter(|rp| crate::limits::PARTITIONS.contains(rp) && *rp != partition)
    {
        out.push(RESOURCE.report(format!("the resource `{}` in {name} is in partition `{partition}`, but the role is in `{rp}`; a session cannot reach resources in another partition, so this grants nothing", shown(v)))
            .at(t.span_of(4..4 + partition.len()), "partition").help(format!("write `arn:{rp}:...`")).severity(Severity::Warning).param(P));
    }
}

fn condition(policy: &Policy, c: &Node, name: &str, out: &mut Vec<Diagnostic>) {
    let shape = "write `\"Condition\": {\"StringEquals\": {\"aws:RequestedRegion\": \"eu-west-1\"}}`: operator, then key, then value(s)";
    let Some(ops) = c.members() else {
        out.push(OPERATOR.report(format!("the Condition of {name} is a JSON {}, not an object of operators; STS answers `MalformedPolicyDocument`", c.type_name()))
            .at(policy.span(&c.span), "Condition").help(shape).param(P));
        return;
    };
    for op in ops {
        let o = operator(&op.key.value);
        let kind = match (o.kind, o.qualifier) {
            (None, _) => {
                let hint = crate::diagnostic::closest(o.base, OPERATORS.iter().map(|(n, _)| *n));
                out.push(OPERATOR.report(format!("`{}` in {name} is not a condition operator IAM knows; STS answers `MalformedPolicyDocument`", shown(&op.key.value)))
                    .at(key_span(op), "operator")
                    .help(match hint { Some(h) => format!("did you mean `{}{h}{}`?", o.qualifier.map(|q| format!("{q}:")).unwrap_or_default(), if o.if_exists { "IfExists" } else { "" }), None => "use an operator such as StringEquals, StringLike, ArnLike, NumericLessThan, DateGreaterThan, Bool, IpAddress or Null".into() })
                    .param(P));
                continue;
            }
            (Some(_), Some(q)) if q != "ForAllValues" && q != "ForAnyValue" => {
                let fix = crate::diagnostic::closest(q, ["ForAllValues", "ForAnyValue"])
                    .unwrap_or("ForAnyValue");
                out.push(OPERATOR.report(format!("`{}` in {name} has the qualifier `{}`; IAM knows only `ForAllValues:` and `ForAnyValue:`, and STS answers `MalformedPolicyDocument`", shown(&op.key.value), shown(q)))
                    .at(key_span(op), "qualifier").help(format!("write `{fix}:{}`", o.base)).param(P));
                continue;
            }
            (Some("Null"), _) if o.if_exists => {
                out.push(OPERATOR.report(format!("`{}` in {name}: `Null` has no `IfExists` form (it already tests whether the key exists)", shown(&op.key.value)))
                    .at(key_span(op), "operator").help("write `Null`").param(P));
                continue;
            }
            (Some(k), _) => k,
        };
        let Some(keys) = op.value.members() else {
            out.push(OPERATOR.report(format!("`{}` in {name} holds a JSON {}, not an object of condition keys; STS answers `MalformedPolicyDocument`", shown(&op.key.value), op.value.type_name()))
                .at(policy.span(&op.value.span), "not keys").help(shape).param(P));
            continue;
        };
        for k in keys {
            key(k, name, out);
            values(policy, &op.key.value, kind, k, name, out);
        }
    }
}

/// P020: `service:key`, a known service, and for `aws:` a known global key.
fn key(k: &crate::json::Member, name: &str, out: &mut Vec<Diagnostic>) {
    let v = k.key.value.as_str();
    let at = k.key.content_span();
    let Some((prefix, rest)) = v
        .split_once(':')
        .filter(|(p, r)| !p.is_empty() && !r.is_empty())
    else {
        out.push(KEY.report(format!("the condition key `{}` in {name} has no service prefix; IAM answers `Actions/Conditions must be prefaced by a vendor` and STS `MalformedPolicyDocument`", shown(v)))
            .at(at, "condition key").help("write the key with its prefix, e.g. `aws:SourceIp` or `s3:prefix`").severity(Severity::Error).param(P));
        return;
    };
    if rest.contains(':') && !rest.contains('/') {
        out.push(KEY.report(format!("the condition key `{}` in {name} has more than one colon; IAM answers `Actions/Condition can contain only one colon.` and STS `MalformedPolicyDocument`", shown(v)))
            .at(at, "condition key").help("write the key as `service:key`, e.g. `aws:SourceVpc`").severity(Severity::Error).param(P));
        return;
    }
    let lower = prefix.to_ascii_lowercase();
    if lower == "aws" {
        if global_key(v).is_none() {
            let all = crate::model::policy::GLOBAL_KEYS
                .values()
                .map(|(k, _)| k.as_str())
                .filter(|k| !k.ends_with('/'));
            let hint = crate::diagnostic::closest(v, all);
            out.push(KEY.report(format!("`{}` in {name} is not a global condition key; a condition on a key the request never has does not match (and with `...IfExists` or a negated operator always does)", shown(v)))
                .at(at, "unknown key")
                .help(match hint { Some(h) => format!("did you mean `{h}`?"), None => "see the global condition keys in the IAM User Guide (reference_policies_condition-keys)".into() })
                .param(P));
        }
    } else if !SERVICE_PREFIXES.contains_key(&lower) && !rest.is_empty() {
        out.push(KEY.report(format!("the condition key `{}` in {name} names the service prefix `{}`, which is not an IAM service prefix; the condition never matches", shown(v), shown(prefix)))
            .at(k.key.span_of(0..prefix.len()), "unknown service")
            .help(match crate::diagnostic::closest(&lower, SERVICE_PREFIXES.keys().map(String::as_str)) { Some(h) => format!("did you mean `{h}:{rest}`?"), None => "check the key in the Service Authorization Reference".into() })
            .param(P));
    }
}

/// P019: the values' shape for the operator, and the operator's type against the key's.
fn values(
    policy: &Policy,
    op: &str,
    kind: &str,
    k: &crate::json::Member,
    name: &str,
    out: &mut Vec<Diagnostic>,
) {
    let items: Vec<&Node> = match &k.value.value {
        Json::Array(items) => items.iter().collect(),
        _ => vec![&k.value],
    };
    let key = k.key.value.as_str();
    let report = |msg: String, help: String, node: &Node| {
        VALUE
            .report(msg)
            .at(policy.span(&node.span), "value")
            .help(help)
            .param(P)
    };
    if items.is_empty() {
        out.push(report(
            format!(
                "`{}` in {name} has an empty list of values for `{}`, which matches nothing",
                shown(op),
                shown(key)
            ),
            "give at least one value, or remove the key".into(),
            &k.value,
        ));
        return;
    }
    for item in &items {
        let text = match &item.value {
            Json::String(t) => t.value.clone(),
            Json::Number(n) => n.clone(),
            Json::Bool(b) => b.to_string(),
            _ => {
                out.push(report(format!("the value of `{}` under `{}` in {name} is a JSON {}; condition values are strings, numbers or booleans", shown(key), shown(op), item.type_name()), "write the value as a string, or a list of strings".into(), item));
                continue;
            }
        };
        let s = shown(&text);
        if text.contains("${") {
            // Policy variables work only with String and Arn operators (IAMUG reference_policies_variables).
            if !matches!(kind, "String" | "Arn") {
                out.push(report(format!("`{s}` under `{}` in {name} uses a policy variable, which IAM substitutes only for String and Arn operators; here it is compared as literal text", shown(op)), "use a String or Arn operator, or a literal value".into(), item));
            }
            continue;
        }
        let problem = match kind {
            "Bool" | "Null" if !text.eq_ignore_ascii_case("true") && !text.eq_ignore_ascii_case("false") => Some((format!("`{}` wants `true` or `false`, and `{s}` is neither", shown(op)), "write `\"true\"` or `\"false\"`".to_string())),
            "Numeric" if !text.parse::<f64>().is_ok_and(f64::is_finite) => Some((format!("`{}` compares numbers, and `{s}` is not one", shown(op)), "write a number, e.g. `\"3600\"`".to_string())),
            "Date" if !is_date(&text) => Some((format!("`{}` compares dates, and `{s}` is not an ISO 8601 date or an epoch time", shown(op)), "write a date such as `\"2026-12-31T23:59:59Z\"`".to_string())),
            "Ip" if !is_cidr(&text) => Some((format!("`{}` compares IP addresses, and `{s}` is not an IPv4 or IPv6 address or CIDR block", shown(op)), "write a CIDR block such as `\"203.0.113.0/24\"`".to_string())),
            _ => None,
        };
        if let Some((msg, help)) = problem {
            out.push(report(
                format!(
                    "{msg} (key `{}` in {name}); the condition can never match as meant",
                    shown(key)
                ),
                help,
                item,
            ));
        }
    }
    // The operator's type against the key's type, for global keys whose type IAM documents.
    if let Some((canonical, key_kind)) = global_key(key) {
        let fits = key_kind == kind
            || kind == "Null"
            || (key_kind == "Arn" && kind == "String")
            || (key_kind == "Date" && kind == "Numeric" && canonical == "aws:EpochTime");
        if !fits {
            let want = OPERATORS
                .iter()
                .filter(|(_, t)| *t == key_kind)
                .map(|(n, _)| *n)
                .take(2)
                .collect::<Vec<_>>()
                .join("` or `");
            out.push(VALUE.report(format!("`{}` compares {} values, but `{canonical}` is of type {key_kind} in {name}; the comparison does not work as meant", shown(op), kind.to_lowercase()))
                .at(k.key.content_span(), "key").help(format!("use {} {key_kind} operator such as `{want}`", if key_kind.starts_with(['A', 'E', 'I', 'O', 'U']) { "an" } else { "a" })).severity(Severity::Warning).param(P));
        }
    }
}

fn is_date(s: &str) -> bool {
    // Epoch seconds, or the W3C profile of ISO 8601 IAM accepts: YYYY, YYYY-MM, YYYY-MM-DD, and
    // with a time hh:mm, hh:mm:ss or hh:mm:ss.s plus Z or an offset.
    static ISO: std::sync::LazyLock<regex::Regex> = std::sync::LazyLock::new(|| {
        regex::Regex::new(r"^\d{4}(-(0[1-9]|1[0-2])(-(0[1-9]|[12]\d|3[01])(T([01]\d|2[0-3]):[0-5]\d(:[0-5]\d(\.\d+)?)?(Z|[+-]([01]\d|2[0-3]):[0-5]\d)?)?)?)?$").expect("valid regex")
    });
    s.parse::<i64>().is_ok() || ISO.is_match(s)
}

fn is_cidr(s: &str) -> bool {
    let (addr, bits) = match s.split_once('/') {
        Some((a, b)) => (a, Some(b)),
        None => (s, None),
    };
    let max = match addr.parse::<std::net::IpAddr>() {
        Ok(std::net::IpAddr::V4(_)) => 32,
        Ok(std::net::IpAddr::V6(_)) => 128,
        Err(_) => return false,
    };
    bits.is_none_or(|b| b.parse::<u8>().is_ok_and(|n| n <= max))
}

#[cfg(test)]
mod tests {
    use crate::rules::testing::policy_codes as pol;

    fn stmt(extra: &str) -> String {
        format!(r#"{{"Version":"2012-10-17","Statement":[{{"Effect":"Allow",{extra}}}]}}"#)
    }

    #[test]
    fn good_elements_pass() {
        for s in [
            r#""Action":["s3:Get*","S3:listbucket","ec2:Describe?nstances"],"Resource":["arn:aws:s3:::b","arn:aws:s3:::b/${aws:username}/*"]"#,
            r#""Action":"*:*","Resource":"*","Condition":{"DateGreaterThan":{"aws:CurrentTime":["2026-12","2026-12-31T23:59Z","2026-12-31T23:59:59+01:00","1795435200"]}}"#,
            r#""Action":"sts:GetCallerIdentity","Resource":"*","Condition":{"IpAddress":{"aws:SourceIp":["203.0.113.0/24","2001:db8::/32"]},"Bool":{"aws:SecureTransport":true},"DateLessThan":{"aws:CurrentTime":"2026-12-31T23:59:59Z"},"NumericLessThan":{"aws:MultiFactorAuthAge":"3600"},"ForAnyValue:StringLike":{"aws:TagKeys":["team*"]},"StringEqualsIfExists":{"aws:RequestTag/team":"ci","s3:prefix":"home/"},"Null":{"aws:TokenIssueTime":"false"},"ArnLike":{"aws:PrincipalArn":"arn:aws:iam::*:role/ci-*"}}"#,
        ] {
            assert_eq!(pol(&stmt(s)), Vec::<&str>::new(), "{s}");
        }
    }

    #[test]
    fn bad_elements_fail() {
        let cases: &[(&str, &str)] = &[
            (r#""Action":"GetObject","Resource":"*""#, "P016"),
            (r#""Action":"s3:Get Object","Resource":"*""#, "P016"),
            (r#""Action":"s4:GetObject","Resource":"*""#, "P016"),
            (r#""Action":"s3:GetObject","Resource":"my-bucket""#, "P017"),
            (
                r#""Action":"s3:GetObject","Resource":"arn:aws:s3:my-bucket""#,
                "P017",
            ),
            (
                r#""Action":"s3:GetObject","Resource":"arn:aws-cn:s3:::b""#,
                "P017",
            ),
            (
                r#""Action":"s3:GetObject","Resource":"*","Condition":["x"]"#,
                "P018",
            ),
            (
                r#""Action":"s3:GetObject","Resource":"*","Condition":{"StringEqual":{"aws:SourceVpc":"vpc-1"}}"#,
                "P018",
            ),
            (
                r#""Action":"s3:GetObject","Resource":"*","Condition":{"ForAnyValues:StringLike":{"aws:TagKeys":"x"}}"#,
                "P018",
            ),
            (
                r#""Action":"s3:GetObject","Resource":"*","Condition":{"NullIfExists":{"aws:TagKeys":"true"}}"#,
                "P018",
            ),
            (
                r#""Action":"s3:GetObject","Resource":"*","Condition":{"Bool":{"aws:SecureTransport":"yes"}}"#,
                "P019",
            ),
            (
                r#""Action":"s3:GetObject","Resource":"*","Condition":{"IpAddress":{"aws:SourceIp":"10.0.0.0/33"}}"#,
                "P019",
            ),
            (
                r#""Action":"s3:GetObject","Resource":"*","Condition":{"DateLessThan":{"aws:CurrentTime":"tomorrow"}}"#,
                "P019",
            ),
            (
                r#""Action":"s3:GetObject","Resource":"*","Condition":{"NumericLessThan":{"aws:MultiFactorAuthAge":"an hour"}}"#,
                "P019",
            ),
            (
                r#""Action":"s3:GetObject","Resource":"*","Condition":{"StringEquals":{"aws:SourceIp":"10.0.0.1"}}"#,
                "P019",
            ),
            (
                r#""Action":"s3:GetObject","Resource":"*","Condition":{"StringEquals":{"SourceVpc":"vpc-1"}}"#,
                "P020",
            ),
            (
                r#""Action":"s3:GetObject","Resource":"*","Condition":{"StringEquals":{"aws:SourceVPCe":"x","aws:SourceVpcId":"vpc-1"}}"#,
                "P020",
            ),
            (
                r#""Action":"s3:GetObject","Resource":"*","Condition":{"StringEquals":{"s4:prefix":"x"}}"#,
                "P020",
            ),
        ];
        for (s, code) in cases {
            let p = stmt(s);
            assert!(pol(&p).contains(code), "{code} for {s}: {:?}", pol(&p));
        }
        // Case does not matter to IAM: `aws:SourceVPCe` is `aws:SourceVpce`; only `aws:SourceVpcId` is unknown.
        let p = stmt(
            r#""Action":"s3:GetObject","Resource":"*","Condition":{"StringEquals":{"aws:SourceVPCe":"x","aws:SourceVpcId":"vpc-1"}}"#,
        );
        assert_eq!(pol(&p), ["P020"]);
    }
}
