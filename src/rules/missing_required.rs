//! Q001 missing-required-parameter: RoleArn, RoleSessionName and WebIdentityToken must be given.

use super::Ctx;
use crate::diagnostic::Diagnostic;
use crate::model::request::{Origin, Request};

pub use crate::input::findings::MISSING_REQUIRED as RULE;

const REQUIRED: [(&str, &str, &str); 3] = [
    ("RoleArn", "--role-arn", "arn:aws:iam::ACCOUNT:role/NAME"),
    (
        "RoleSessionName",
        "--role-session-name",
        "a name such as ci-${RUN_ID}",
    ),
    (
        "WebIdentityToken",
        "--web-identity-token",
        "file://PATH/TO/TOKEN",
    ),
];

pub fn check(req: &Request, _: &Ctx, out: &mut Vec<Diagnostic>) {
    // Arguments the shell adds (`$EXTRA_ARGS`) may hold the parameter: don't claim it is missing.
    if req.open_ended.is_some() {
        return;
    }
    for (member, option, example) in REQUIRED {
        if req.has(member) {
            continue;
        }
        let (message, help) = match req.origin {
            Origin::File => (
                format!("required parameter {member} is missing: the AWS CLI answers `Missing required parameter in input: \"{member}\"`"),
                format!("add \"{member}\": \"...\" ({example})"),
            ),
            _ => (
                format!("required parameter {member} is missing: the AWS CLI answers `the following arguments are required: {option}`"),
                format!("add `{option} ...` ({example})"),
            ),
        };
        out.push(
            RULE.report(message)
                .at(req.head.clone(), format!("{member} missing"))
                .help(help)
                .param(member),
        );
    }
}

#[cfg(test)]
mod tests {
    use crate::rules::testing::{codes, with};

    #[test]
    fn complete_request_passes() {
        assert!(!codes(&with("")).contains(&"Q001"));
    }

    #[test]
    fn each_missing_member_fails() {
        let c = codes(
            "aws sts assume-role-with-web-identity --role-arn arn:aws:iam::111122223333:role/ci",
        );
        assert_eq!(c.iter().filter(|c| **c == "Q001").count(), 2);
        let c = codes("aws sts assume-role-with-web-identity");
        assert_eq!(c.iter().filter(|c| **c == "Q001").count(), 3);
    }

    #[test]
    fn open_ended_arguments_are_not_called_missing() {
        assert!(!codes("aws sts assume-role-with-web-identity $ARGS").contains(&"Q001"));
    }
}
