//! RoleArn: R001 role-arn-length, R002 role-arn-malformed, R003 role-arn-not-a-role, R004 role-name-invalid.
//!
//! STS answers a RoleArn that is not a role ARN with `ValidationError: Request ARN is invalid`
//! (or `1 validation error detected: Value ... at 'roleArn' failed to satisfy constraint` for the
//! length), long after the script started: these rules say which part is wrong.

use super::{chars, known, Ctx};
use crate::diagnostic::closest;
use crate::diagnostic::{Diagnostic, Rule, Severity};
use crate::limits::{self, ARN_MAX, ARN_MIN, PARTITIONS, ROLE_NAME_MAX, ROLE_PATH_MAX};
use crate::model::arn::{self, offset};
use crate::model::request::Request;
use crate::source::Text;

pub static LENGTH: Rule = Rule {
    code: "R001",
    name: "role-arn-length",
    severity: Severity::Error,
    summary: "RoleArn shorter than 20 or longer than 2048 characters",
};
pub static MALFORMED: Rule = Rule {
    code: "R002",
    name: "role-arn-malformed",
    severity: Severity::Error,
    summary:
        "RoleArn that is not a well-formed IAM ARN (prefix, partition, region, account, characters)",
};
pub static NOT_A_ROLE: Rule = Rule { code: "R003", name: "role-arn-not-a-role", severity: Severity::Error, summary: "RoleArn that names something else: a role name, a user, a policy, an OIDC provider, an assumed-role session" };
pub static NAME: Rule = Rule {
    code: "R004",
    name: "role-name-invalid",
    severity: Severity::Error,
    summary: "Role name or path with characters or a length IAM does not allow",
};

pub fn check(req: &Request, _: &Ctx, out: &mut Vec<Diagnostic>) {
    if let Some(p) = req.role_arn.as_ref().filter(|p| !p.text.is_static()) {
        written_parts(&p.text, out);
    }
    let Some(t) = known(&req.role_arn) else {
        return;
    };
    let v = t.value.as_str();
    let sv = crate::diagnostic::shown(v);
    let p = "RoleArn";
    let n = chars(v);
    if !(ARN_MIN..=ARN_MAX).contains(&n) {
        let cli = if n < ARN_MIN {
            format!("the AWS CLI refuses it before sending: `Invalid length for parameter RoleArn, value: {n}, valid min length: {ARN_MIN}`")
        } else {
            "STS answers `ValidationError`".into()
        };
        out.push(
            LENGTH
                .report(format!(
                    "RoleArn `{}` is {n} character{}; it must be {ARN_MIN} to {ARN_MAX}: {cli}",
                    sv.clone(),
                    if n == 1 { "" } else { "s" }
                ))
                .at(t.content_span(), format!("{n} characters"))
                .help("give the role's full ARN: arn:aws:iam::ACCOUNT_ID:role/ROLE_NAME")
                .param(p),
        );
    }
    if let Some((i, c)) = v.char_indices().find(|(_, c)| !limits::is_arn_char(*c)) {
        out.push(MALFORMED.report(format!("RoleArn contains the character {c:?} (U+{:04X}), which STS does not accept", c as u32)).at(t.span_of(i..i + c.len_utf8()), "not allowed").help("remove the character; copy the ARN from `aws iam get-role --role-name NAME --query Role.Arn`").param(p));
        return;
    }
    if v != v.trim() {
        out.push(
            MALFORMED
                .report("RoleArn has leading or trailing whitespace, which becomes part of the ARN")
                .at(t.content_span(), "whitespace around the ARN")
                .help(format!("write `{}`", v.trim()))
                .param(p),
        );
        return;
    }
    if !v.starts_with("arn:") {
        if !v.is_empty() && v.chars().all(limits::is_name_char) {
            // Under 20 characters the AWS CLI refuses it first (R001 says so); STS would refuse the rest.
            let who = if n < ARN_MIN {
                ""
            } else {
                ": STS answers `ValidationError: Request ARN is invalid`"
            };
            out.push(
                NOT_A_ROLE
                    .report(format!("RoleArn `{sv}` is a role name, not an ARN{who}"))
                    .at(t.content_span(), "a role name")
                    .help(format!(
                        "give the full ARN: arn:aws:iam::ACCOUNT_ID:role/{sv}"
                    ))
                    .param(p),
            );
        } else {
            out.push(
                MALFORMED
                    .report(format!(
                        "RoleArn `{}` is not an ARN: it must start with `arn:`",
                        sv.clone()
                    ))
                    .at(t.content_span(), "not an ARN")
                    .help("give the role's ARN: arn:aws:iam::ACCOUNT_ID:role/ROLE_NAME")
                    .param(p),
            );
        }
        return;
    }
    let arn = match arn::parse(v) {
        Ok(a) => a,
        Err(e) => {
            out.push(MALFORMED.report(format!("RoleArn `{sv}` is not a valid ARN: {}", e.to_string().to_lowercase())).at(t.content_span(), "malformed ARN").help("an IAM role ARN has six parts: arn:PARTITION:iam::ACCOUNT_ID:role/ROLE_NAME").param(p));
            return;
        }
    };
    let at = |s: &str| t.span_of(offset(v, s)..offset(v, s) + s.len());
    if !PARTITIONS.contains(&arn.partition) {
        let d = MALFORMED
            .report(format!(
                "RoleArn partition `{}` is not an AWS partition",
                arn.partition
            ))
            .at(at(arn.partition), "unknown partition")
            .param(p);
        out.push(match closest(arn.partition, PARTITIONS) {
            Some(s) => d.help(format!(
                "did you mean `{s}`? Partitions are {}",
                PARTITIONS.join(", ")
            )),
            None => d.help(format!("use one of {}", PARTITIONS.join(", "))),
        });
    }
    if arn.service == "sts" && arn.resource.starts_with("assumed-role/") {
        let role = arn.resource.split('/').nth(1).unwrap_or("ROLE");
        out.push(
            NOT_A_ROLE
                .report(format!("RoleArn `{sv}` is an assumed-role session ARN (what `aws sts get-caller-identity` prints), not a role ARN"))
                .at(t.content_span(), "a session, not a role")
                .help(format!("use the role's ARN: arn:{}:iam::{}:role/{role} (add its path if it has one)", arn.partition, arn.account_id.unwrap_or("ACCOUNT_ID")))
                .param(p),
        );
        return;
    }
    if arn.service != "iam" {
        out.push(NOT_A_ROLE.report(format!("RoleArn names a resource of service `{}`, not an IAM role: STS answers `ValidationError: Request ARN is invalid`", arn.service)).at(at(arn.service), "not `iam`").help("give an IAM role ARN: arn:aws:iam::ACCOUNT_ID:role/ROLE_NAME").param(p));
        return;
    }
    if let Some(region) = arn.region {
        out.push(
            MALFORMED
                .report(format!(
                    "RoleArn has region `{region}`, but IAM ARNs have an empty region field"
                ))
                .at(at(region), "region must be empty")
                .help(format!(
                    "write arn:{}:iam::{}:{}",
                    arn.partition,
                    arn.account_id.unwrap_or("ACCOUNT_ID"),
                    arn.resource
                ))
                .param(p),
        );
    }
    match arn.account_id {
        None => out.push(
            MALFORMED
                .report("RoleArn has no account ID")
                .at(t.content_span(), "account ID missing")
                .help(format!(
                    "write arn:{}:iam::ACCOUNT_ID:{} with the 12-digit account ID",
                    arn.partition, arn.resource
                ))
                .param(p),
        ),
        // A placeholder (`YOUR_ACCOUNT_ID`) is Q011's, with the right diagnosis.
        Some(acct) if !(is_account(acct) || is_placeholder(acct)) => {
            let digits: String = acct.chars().filter(char::is_ascii_digit).collect();
            let help = if digits.len() == 12 {
                format!("write the account ID as 12 digits without separators: {digits}")
            } else {
                "an account ID is exactly 12 digits, leading zeros included".to_string()
            };
            out.push(
                MALFORMED
                    .report(format!("RoleArn account ID `{acct}` is not 12 digits"))
                    .at(at(acct), "not a 12-digit account ID")
                    .help(help)
                    .param(p),
            );
        }
        _ => {}
    }
    let (kind, rest) = arn.resource.split_once('/').unwrap_or((arn.resource, ""));
    if kind != "role" {
        let what = match kind {
            "user" => "an IAM user",
            "group" => "an IAM group",
            "policy" => "a managed policy (policies go in --policy-arns)",
            "oidc-provider" => "an OIDC identity provider (it belongs in the role's trust policy as the Federated principal)",
            "saml-provider" => "a SAML provider",
            "instance-profile" => "an instance profile",
            "root" => "the account root",
            _ => "not a role",
        };
        out.push(
            NOT_A_ROLE
                .report(format!("RoleArn `{sv}` names {what}: STS answers `ValidationError: Request ARN is invalid`"))
                .at(at(arn.resource), format!("`{kind}`, not `role/`"))
                .help(format!("give the ARN of the role to assume: arn:{}:iam::{}:role/ROLE_NAME", arn.partition, arn.account_id.unwrap_or("ACCOUNT_ID")))
                .param(p),
        );
        return;
    }
    role_name(t, v, rest, out);
}

fn role_name(t: &Text, v: &str, rest: &str, out: &mut Vec<Diagnostic>) {
    let sv = crate::diagnostic::shown(v);
    let p = "RoleArn";
    let (path, name) = match rest.rfind('/') {
        Some(i) => (&rest[..i + 1], &rest[i + 1..]),
        None => ("", rest),
    };
    let at = |s: &str| t.span_of(offset(v, s)..offset(v, s) + s.len());
    if name.is_empty() {
        out.push(
            NAME.report(if rest.is_empty() && !v.ends_with('/') {
                format!("RoleArn `{sv}` ends at `role` with no `/ROLE_NAME`")
            } else {
                format!("RoleArn `{sv}` has no role name after `role/`")
            })
            .at(t.content_span(), "role name missing")
            .help("end the ARN with the role's name: ...:role/ROLE_NAME")
            .param(p),
        );
        return;
    }
    if chars(name) > ROLE_NAME_MAX {
        out.push(
            NAME.report(format!(
                "role name `{name}` is {} characters; IAM allows at most {ROLE_NAME_MAX}",
                chars(name)
            ))
            .at(at(name), "too long")
            .help("check the name against `aws iam get-role --role-name NAME`")
            .param(p),
        );
    }
    if let Some((i, c)) = name
        .char_indices()
        .find(|(_, c)| !crate::limits::is_name_char(*c))
    {
        let o = offset(v, name) + i;
        out.push(NAME.report(format!("role name `{name}` contains {c:?}; role names use only letters, digits and _+=,.@-")).at(t.span_of(o..o + c.len_utf8()), "not allowed in a role name").help("copy the ARN from `aws iam get-role --role-name NAME --query Role.Arn`").param(p));
    }
    if !path.is_empty() {
        if chars(path) + 1 > ROLE_PATH_MAX {
            out.push(
                NAME.report(format!(
                    "role path is {} characters; IAM allows at most {ROLE_PATH_MAX}",
                    chars(path) + 1
                ))
                .at(at(path), "too long")
                .param(p)
                .help("check the role's path with `aws iam get-role`"),
            );
        }
        if let Some((i, c)) = path.char_indices().find(|(_, c)| !('!'..='~').contains(c)) {
            let o = offset(v, path) + i;
            out.push(
                NAME.report(format!(
                    "role path contains {c:?}; paths use only printable ASCII without spaces"
                ))
                .at(t.span_of(o..o + c.len_utf8()), "not allowed in a path")
                .help("copy the ARN from `aws iam get-role --role-name NAME --query Role.Arn`")
                .param(p),
            );
        }
        if path.contains("//") {
            out.push(
                NAME.report("role path has an empty segment (`//`)")
                    .at(at(path), "empty path segment")
                    .help("remove the doubled slash")
                    .param(p),
            );
        }
    }
}

/// A RoleArn the shell builds (`arn:aws:iam::${ACCOUNT_ID}:role/ci`): what is written is checked
/// where it is wrong whatever the run fills in — a character no ARN may have, a written start that
/// is not `arn:`, a partition, service, region or account already ended by its `:`, a resource
/// that already is not `role/`, and the path and name after the last unknown part.
fn written_parts(t: &Text, out: &mut Vec<Diagnostic>) {
    let p = "RoleArn";
    let v = t.value.as_str();
    let (Some(first), Some(last)) = (t.dynamic.first(), t.dynamic.last()) else {
        return;
    };
    let shown = crate::diagnostic::shown(&t.display());
    let whatever = format!("whatever `{}` holds", first.expr);
    if let Some((i, c)) = v.char_indices().find(|(_, c)| !limits::is_arn_char(*c)) {
        out.push(
            MALFORMED
                .report(format!(
                    "RoleArn contains the character {c:?} (U+{:04X}), which STS does not accept",
                    c as u32
                ))
                .at(t.span_of(i..i + c.len_utf8()), "not allowed")
                .help("remove the character")
                .param(p),
        );
        return;
    }
    if chars(v) > ARN_MAX {
        out.push(LENGTH.report(format!("RoleArn is {} characters even before the shell fills in the rest; STS allows at most {ARN_MAX}", chars(v))).at(t.content_span(), "too long").help("give the role's ARN: arn:aws:iam::ACCOUNT_ID:role/ROLE_NAME").param(p));
    }
    let start = &v[..first.at];
    let at = |s: &str| t.span_of(offset(v, s)..offset(v, s) + s.len());
    if !start.is_empty() {
        let Some(f) = arn::prefix(start) else {
            if !"arn:".starts_with(start) {
                out.push(
                    MALFORMED
                        .report(format!(
                            "RoleArn `{shown}` is not an ARN {whatever}: it must start with `arn:`"
                        ))
                        .at(t.span_of(0..start.len()), "not `arn:`")
                        .help("give the role's ARN: arn:aws:iam::ACCOUNT_ID:role/ROLE_NAME")
                        .param(p),
                );
            }
            return;
        };
        if let Some(part) = f.partition.filter(|x| !PARTITIONS.contains(x)) {
            let d = MALFORMED
                .report(format!(
                    "RoleArn partition `{part}` is not an AWS partition"
                ))
                .at(at(part), "unknown partition")
                .param(p);
            out.push(match closest(part, PARTITIONS) {
                Some(s) => d.help(format!(
                    "did you mean `{s}`? Partitions are {}",
                    PARTITIONS.join(", ")
                )),
                None => d.help(format!("use one of {}", PARTITIONS.join(", "))),
            });
        }
        if let Some(service) = f.service.filter(|x| *x != "iam") {
            out.push(NOT_A_ROLE.report(format!("RoleArn names a resource of service `{service}`, not an IAM role, {whatever}: STS answers `ValidationError: Request ARN is invalid`")).at(at(service), "not `iam`").help("give an IAM role ARN: arn:aws:iam::ACCOUNT_ID:role/ROLE_NAME").param(p));
            return;
        }
        if let Some(region) = f.region.filter(|x| !x.is_empty()) {
            out.push(
                MALFORMED
                    .report(format!(
                        "RoleArn has region `{region}`, but IAM ARNs have an empty region field"
                    ))
                    .at(at(region), "region must be empty")
                    .help("remove the region: arn:PARTITION:iam::ACCOUNT_ID:role/ROLE_NAME")
                    .param(p),
            );
        }
        if let Some(acct) = f
            .account
            .filter(|a| !(a.len() == 12 && a.bytes().all(|b| b.is_ascii_digit())))
            .filter(|a| !is_placeholder(a))
        {
            out.push(
                MALFORMED
                    .report(format!("RoleArn account ID `{acct}` is not 12 digits"))
                    .at(at(acct), "not a 12-digit account ID")
                    .help("an account ID is exactly 12 digits, leading zeros included")
                    .param(p),
            );
        }
        if let Some(res) = f.resource {
            let kind = res.split('/').next().unwrap_or(res);
            if (res.contains('/') && kind != "role")
                || !(res.contains('/') || "role".starts_with(res))
            {
                out.push(NOT_A_ROLE.report(format!("RoleArn `{shown}` names a `{kind}`, not a role, {whatever}: STS answers `ValidationError: Request ARN is invalid`")).at(at(kind), format!("`{kind}`, not `role/`")).help("give the ARN of the role to assume: arn:aws:iam::ACCOUNT_ID:role/ROLE_NAME").param(p));
                return;
            }
            if let (Some(_), Some(last)) = (res.strip_prefix("role/"), res.rfind('/')) {
                bad_path(t, v, &res[4..=last], out);
            }
        }
    }
    if start.starts_with("arn:") {
        if let Some(res) = arn::resource_after(v, last.at) {
            let kind = res.split('/').next().unwrap_or(res);
            if kind != "role" {
                let exprs: Vec<String> =
                    t.dynamic.iter().map(|d| format!("`{}`", d.expr)).collect();
                out.push(NOT_A_ROLE.report(format!("RoleArn `{shown}` names a `{kind}`, not a role, unless {} holds a `:`: STS answers `ValidationError: Request ARN is invalid`", exprs.join(" or "))).at(at(kind), format!("`{kind}`, not `role/`")).severity(Severity::Warning).help("give the ARN of the role to assume: arn:aws:iam::ACCOUNT_ID:role/ROLE_NAME").param(p));
                return;
            }
        }
    }
    let end = &v[last.at..];
    let Some((path, name)) = arn::tail(end) else {
        return;
    };
    let (path, name) = (&end[path], &end[name]);
    let whatever = format!("whatever `{}` holds", last.expr);
    bad_path(t, v, path, out);
    if name.is_empty() {
        out.push(
            NAME.report(format!(
                "RoleArn `{shown}` ends with `/`: no role name follows, {whatever}"
            ))
            .at(t.span_of(v.len() - 1..v.len()), "role name missing")
            .help("end the ARN with the role's name: ...:role/ROLE_NAME")
            .param(p),
        );
    } else if chars(name) > ROLE_NAME_MAX {
        out.push(
            NAME.report(format!(
                "role name `{name}` is {} characters; IAM allows at most {ROLE_NAME_MAX}",
                chars(name)
            ))
            .at(at(name), "too long")
            .help("check the name against `aws iam get-role --role-name NAME`")
            .param(p),
        );
    } else if let Some((i, c)) = name.char_indices().find(|(_, c)| !limits::is_name_char(*c)) {
        let o = offset(v, name) + i;
        out.push(NAME.report(format!("role name `{name}` contains {c:?}; role names use only letters, digits and _+=,.@-")).at(t.span_of(o..o + c.len_utf8()), "not allowed in a role name").help("copy the ARN from `aws iam get-role --role-name NAME --query Role.Arn`").param(p));
    }
}

/// R004 for a written role path (`/deploy/`, from its first to its last `/`) no role may have:
/// characters outside printable ASCII, or an empty segment (`//`).
fn bad_path(t: &Text, v: &str, path: &str, out: &mut Vec<Diagnostic>) {
    if let Some((i, c)) = path.char_indices().find(|(_, c)| !('!'..='~').contains(c)) {
        let o = offset(v, path) + i;
        out.push(
            NAME.report(format!(
                "role path contains {c:?}; paths use only printable ASCII without spaces"
            ))
            .at(t.span_of(o..o + c.len_utf8()), "not allowed in a path")
            .help("copy the ARN from `aws iam get-role --role-name NAME --query Role.Arn`")
            .param("RoleArn"),
        );
    } else if let Some(i) = path.find("//") {
        let o = offset(v, path) + i;
        out.push(
            NAME.report("role path has an empty segment (`//`)")
                .at(t.span_of(o..o + 2), "empty path segment")
                .help("remove the doubled slash")
                .param("RoleArn"),
        );
    }
}

fn is_account(acct: &str) -> bool {
    acct.len() == 12 && acct.bytes().all(|b| b.is_ascii_digit())
}

/// An account field that is a documentation placeholder (reported by Q011 instead).
fn is_placeholder(acct: &str) -> bool {
    crate::model::placeholders::is_whole(acct) || crate::model::placeholders::find(acct).is_some()
}

#[cfg(test)]
mod tests {
    use crate::rules::testing::{run, with};

    fn role(arn: &str) -> Vec<(&'static str, String)> {
        let s = format!("aws sts assume-role-with-web-identity --role-arn '{arn}' --role-session-name ci --web-identity-token abcd");
        run(&s)
            .into_iter()
            .filter(|d| d.parameter == Some("RoleArn"))
            .map(|d| (d.rule.code, d.message))
            .collect()
    }

    #[test]
    fn valid_role_arns_pass() {
        for ok in [
            "arn:aws:iam::111122223333:role/ci",
            "arn:aws-cn:iam::111122223333:role/service-role/x.y@z",
            "arn:aws-us-gov:iam::111122223333:role/a/b/c/Deploy+Role=1,2",
        ] {
            assert_eq!(role(ok), vec![], "{ok}");
        }
        assert!(run(&with(""))
            .iter()
            .all(|d| d.parameter != Some("RoleArn")));
    }

    #[test]
    fn mixups_are_named() {
        let cases = [
            ("FederatedWebIdentityRole", "R003", "role name"),
            ("arn:aws:iam::111122223333:user/alice", "R003", "IAM user"),
            (
                "arn:aws:iam::111122223333:policy/p",
                "R003",
                "managed policy",
            ),
            (
                "arn:aws:iam::111122223333:oidc-provider/token.actions.githubusercontent.com",
                "R003",
                "OIDC",
            ),
            (
                "arn:aws:sts::111122223333:assumed-role/ci/session",
                "R003",
                "assumed-role",
            ),
            ("arn:aws:s3:::my-bucket-name-here", "R003", "service `s3`"),
        ];
        for (arn, code, word) in cases {
            let got = role(arn);
            assert!(
                got.iter().any(|(c, m)| *c == code && m.contains(word)),
                "{arn}: {got:?}"
            );
        }
    }

    #[test]
    fn malformed_parts_fail() {
        let cases = [
            ("arn:aws", "R001"),
            ("arn:awz:iam::111122223333:role/ci", "R002"),
            ("arn:aws:iam:us-east-1:111122223333:role/ci", "R002"),
            ("arn:aws:iam::1111-2222-3333:role/ci", "R002"),
            ("arn:aws:iam::11112222333:role/ci", "R002"),
            ("arn:aws:iam::111122223333:role/", "R004"),
            ("arn:aws:iam::111122223333:role/bad name", "R004"),
            ("arn:aws:iam::111122223333:role/path with space/ok", "R004"),
            ("arn:aws:iam::111122223333:role/ci ", "R002"),
            ("example.com/some/role", "R002"),
        ];
        for (arn, code) in cases {
            let got = role(arn);
            assert!(got.iter().any(|(c, _)| *c == code), "{arn}: {got:?}");
        }
    }

    /// Code and severity of each RoleArn finding for a value the shell completes.
    fn built(arn: &str) -> Vec<(&'static str, crate::diagnostic::Severity)> {
        let s = format!("aws sts assume-role-with-web-identity --role-arn \"{arn}\" --role-session-name ci --web-identity-token abcd");
        run(&s)
            .into_iter()
            .filter(|d| d.parameter == Some("RoleArn") && d.rule.code.starts_with('R'))
            .map(|d| (d.rule.code, d.severity))
            .collect()
    }

    #[test]
    fn written_parts_of_built_arns_are_checked() {
        use crate::diagnostic::Severity::{Error, Warning};
        // Valid whatever the variables hold, in each CI system's syntax.
        for ok in [
            "arn:aws:iam::${AWS_ACCOUNT_ID}:role/ci",
            "arn:aws:iam::${{ vars.AWS_ACCOUNT_ID }}:role/gha-deploy",
            "arn:aws:iam::$(AccountId):role/azure",
            "arn:${PARTITION}:iam::111122223333:role/x",
            "arn:aws:iam::${ACCOUNT}:role/team/${ROLE}",
            "arn:aws:iam::111122223333:role/${ROLE}",
            "arn:aws:iam::111122223333:${KIND}/x",
            "arn:aws:iam::111122223333:ro${LE}",
            "arn:${ARN_TAIL}",
            "ar${N}",
            "${ROLE_ARN}",
        ] {
            assert_eq!(built(ok), vec![], "{ok}");
        }
        // Wrong whatever the variables hold.
        let cases: &[(&str, &[(&str, crate::diagnostic::Severity)])] = &[
            ("role/${ROLE}", &[("R002", Error)]),
            ("arn:awz:iam::${ACCOUNT}:role/ci", &[("R002", Error)]),
            ("arn:aws:s3:::${BUCKET}", &[("R003", Error)]),
            (
                "arn:aws:iam:us-east-1:${ACCOUNT}:role/ci",
                &[("R002", Error)],
            ),
            (
                "arn:aws:iam::1111-2222-3333:role/${ROLE}",
                &[("R002", Error)],
            ),
            ("arn:aws:iam::111122223333:user/${USER}", &[("R003", Error)]),
            ("arn:aws:iam::${ACCOUNT}:role/", &[("R004", Error)]),
            ("arn:aws:iam::${ACCOUNT}:role/ci#1", &[("R004", Error)]),
            ("arn:aws:iam::${ACCOUNT}:role/a//ci", &[("R004", Error)]),
            (
                "arn:aws:iam::111122223333:role/my team/${ROLE}",
                &[("R004", Error)],
            ),
            ("arn:aws:iam::${ACCOUNT}:role/\u{1}", &[("R002", Error)]),
            // Unless the variable itself holds a `:`, a `user/` resource is not a role.
            ("arn:aws:iam::${ACCOUNT}:user/ci", &[("R003", Warning)]),
            (
                "arn:aws:iam::${{ secrets.ACCOUNT }}:oidc-provider/x",
                &[("R003", Warning)],
            ),
        ];
        for (arn, want) in cases {
            assert_eq!(built(arn), want.to_vec(), "{arn}");
        }
    }

    #[test]
    fn points_into_cli_input_json_through_shell_escapes() {
        let script = r#"aws sts assume-role-with-web-identity --cli-input-json "{\"RoleArn\": \"arn:aws:iam::111122223333:user/x\", \"RoleSessionName\": \"ci\", \"WebIdentityToken\": \"abcd\"}""#;
        let d = run(script)
            .into_iter()
            .find(|d| d.rule.code == "R003")
            .expect("R003 on the user ARN");
        assert_eq!(&script[d.primary.unwrap().range], "user/x");
    }
}
