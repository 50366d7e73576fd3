//! Q011 placeholder-value: values copied from AWS documentation (account 123456789012, `EXAMPLE`).

use super::{known, Ctx};
use crate::diagnostic::Diagnostic;
use crate::model::request::Request;

pub use crate::input::findings::PLACEHOLDER_VALUE as RULE;

/// Account IDs used in AWS documentation.
const DOC_ACCOUNTS: [&str; 4] = [
    "123456789012",
    "111122223333",
    "444455556666",
    "777788889999",
];

pub fn check(req: &Request, _: &Ctx, out: &mut Vec<Diagnostic>) {
    let mut texts: Vec<(&'static str, &crate::source::Text)> = Vec::new();
    for (name, p) in [
        ("RoleArn", &req.role_arn),
        ("ProviderId", &req.provider_id),
        ("RoleSessionName", &req.role_session_name),
    ] {
        if let Some(t) = known(p) {
            texts.push((name, t));
        }
    }
    if let Some(pa) = &req.policy_arns {
        texts.extend(
            pa.arns
                .iter()
                .filter(|t| t.is_static())
                .map(|t| ("PolicyArns", t)),
        );
    }
    for (name, t) in texts {
        // 111122223333 and friends are also what stslint's own docs use; only the classic one is flagged.
        if let Some(i) = t.value.find(DOC_ACCOUNTS[0]) {
            out.push(
                RULE.report(format!("{name} uses account ID 123456789012, the placeholder from AWS documentation"))
                    .at(t.span_of(i..i + 12), "documentation placeholder")
                    .help("put your own 12-digit account ID here (`aws sts get-caller-identity --query Account`)")
                    .param(name),
            );
        } else if let Some(r) = written_placeholder(name, &t.value) {
            // `<account-id>`, `YOUR_ACCOUNT_ID`, `xxxxxxxxxxxx`: never a real value where an ARN's
            // account or any `<...>` stands, so an error there; elsewhere a likely mistake.
            let shown = &t.value[r.clone()];
            let certain = shown.starts_with('<') || name == "RoleArn" || name == "PolicyArns";
            let d = RULE
                .report(format!(
                    "{name} contains `{shown}`, a documentation placeholder left in{}",
                    if certain {
                        ": STS rejects the value"
                    } else {
                        ""
                    }
                ))
                .at(t.span_of(r), "documentation placeholder")
                .help("replace the placeholder with your own value")
                .param(name);
            out.push(if certain {
                d.severity(crate::diagnostic::Severity::Error)
            } else {
                d
            });
        } else if let Some(i) = t.value.find("EXAMPLE") {
            out.push(
                RULE.report(format!(
                    "{name} contains `EXAMPLE`, a placeholder from AWS documentation"
                ))
                .at(t.span_of(i..i + 7), "documentation placeholder")
                .help("replace the example value with your own")
                .param(name),
            );
        }
    }
}

/// A placeholder written into a value: `<...>`, `YOUR_...`, `xxxxxx` anywhere, or an ARN whose
/// account is a placeholder name (`ACCOUNT_ID`).
pub fn written_placeholder(name: &str, v: &str) -> Option<std::ops::Range<usize>> {
    if let Some(r) = crate::model::placeholders::find(v) {
        return Some(r);
    }
    if name != "RoleArn" && name != "PolicyArns" {
        return None;
    }
    let f = crate::model::arn::fields(v)?;
    let account = f[4];
    let at = crate::model::arn::offset(v, account);
    crate::model::placeholders::is_whole(account).then(|| at..at + account.len())
}

#[cfg(test)]
mod tests {
    use crate::rules::testing::codes;

    #[test]
    fn real_values_pass() {
        assert!(!codes(&crate::rules::testing::with("")).contains(&"Q011"));
    }

    #[test]
    fn doc_values_fail() {
        let s = "aws sts assume-role-with-web-identity --role-arn arn:aws:iam::123456789012:role/x --role-session-name ci --web-identity-token abcd";
        assert!(codes(s).contains(&"Q011"));
        let s = "aws sts assume-role-with-web-identity --role-arn arn:aws:iam::111122223333:role/EXAMPLE --role-session-name ci --web-identity-token abcd";
        assert!(codes(s).contains(&"Q011"));
        // placeholders written in: the right diagnosis, not R002's "not 12 digits"
        for arn in [
            "arn:aws:iam::YOUR_ACCOUNT_ID:role/x",
            "'arn:aws:iam::<account-id>:role/x'",
            "arn:aws:iam::ACCOUNT_ID:role/x",
            "arn:aws:iam::xxxxxxxxxxxx:role/x",
        ] {
            let s = format!("aws sts assume-role-with-web-identity --role-arn {arn} --role-session-name ci --web-identity-token abcd");
            let c = codes(&s);
            assert!(c.contains(&"Q011") && !c.contains(&"R002"), "{arn}: {c:?}");
        }
        let s = "aws sts assume-role-with-web-identity --role-arn arn:aws:iam::111122223333:role/account-id --role-session-name my-session --web-identity-token abcd";
        assert!(!codes(s).contains(&"Q011"));
    }
}
