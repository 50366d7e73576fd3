//! RoleSessionName: S001 session-name-length, S002 session-name-characters.
//!
//! STS answers `ValidationError: 1 validation error detected: Value 'dependabot[bot]' at
//! 'roleSessionName' failed to satisfy constraint: Member must satisfy regular expression pattern:
//! [\w+=,.@-]*` (its `\w` is ASCII) and, for the length, `Member must have length less than or equal
//! to 64`. A value built from the shell (`"gh-${GITHUB_RUN_ID}"`) has its literal part checked.

use super::{chars, Ctx};
use crate::diagnostic::{Diagnostic, Rule, Severity};
use crate::limits::{is_name_char, SESSION_NAME_MAX, SESSION_NAME_MIN};
use crate::model::request::Request;

pub static LENGTH: Rule = Rule {
    code: "S001",
    name: "session-name-length",
    severity: Severity::Error,
    summary: "RoleSessionName shorter than 2 or longer than 64 characters",
};
pub static CHARACTERS: Rule = Rule {
    code: "S002",
    name: "session-name-characters",
    severity: Severity::Error,
    summary: "RoleSessionName with characters outside [A-Za-z0-9_+=,.@-]",
};

/// A session name STS accepts, derived from `v`: other characters become `-`, cut to 64, padded to 2.
pub fn sanitize(v: &str) -> String {
    let mut s: String = v
        .chars()
        .map(|c| if is_name_char(c) { c } else { '-' })
        .take(SESSION_NAME_MAX)
        .collect();
    while s.len() < SESSION_NAME_MIN {
        s.push('-');
    }
    s
}

pub fn check(req: &Request, _: &Ctx, out: &mut Vec<Diagnostic>) {
    let Some(p) = &req.role_session_name else {
        return;
    };
    let t = &p.text;
    for d in &t.dynamic {
        // Branch, tag and user variables of every platform (`rules/ci-variables.json`);
        // `github.ref_name`, `GITHUB_REF_NAME` and friends match by prefix too.
        if let Some((v, name)) = crate::model::ci_variables::risky(&d.expr) {
            out.push(
                CHARACTERS
                    .report(format!("RoleSessionName takes `{}` at run time, and {name} ({}) can hold characters session names may not have (e.g. `{}`): STS then answers `ValidationError`", d.expr, v.platform, v.example))
                    .at(d.span.clone(), "may hold other characters")
                    .severity(crate::diagnostic::Severity::Warning)
                    .help(v.fix.clone())
                    .param("RoleSessionName"),
            );
        }
    }
    let v = t.value.as_str();
    let sv = crate::diagnostic::shown(v);
    let n = chars(v);
    let fixed = if t.is_static() {
        format!(": `{}`", sanitize(v))
    } else {
        String::new()
    };
    if t.is_static() && n < SESSION_NAME_MIN {
        out.push(
            LENGTH
                .report(format!("RoleSessionName `{sv}` is {n} character{}; it must be {SESSION_NAME_MIN} to {SESSION_NAME_MAX}: the AWS CLI refuses it before sending (`Invalid length for parameter RoleSessionName, value: {n}, valid min length: {SESSION_NAME_MIN}`)", if n == 1 { "" } else { "s" }))
                .at(t.content_span(), "too short")
                .help(format!("use a longer name{fixed}"))
                .param("RoleSessionName"),
        );
    } else if n > SESSION_NAME_MAX {
        let dynamic = if t.is_static() {
            ""
        } else {
            " even before the shell fills in the rest"
        };
        out.push(
            LENGTH
                .report(format!("RoleSessionName is {n} characters{dynamic}; STS allows at most {SESSION_NAME_MAX}: it answers `Member must have length less than or equal to 64`"))
                .at(t.span_of(t.value.char_indices().nth(SESSION_NAME_MAX).map_or(0, |(i, _)| i)..v.len()), "past 64 characters")
                .help(format!("shorten the name{fixed}"))
                .param("RoleSessionName"),
        );
    }
    let bad: Vec<(usize, char)> = v
        .char_indices()
        .filter(|(_, c)| !is_name_char(*c))
        .collect();
    if let Some(&(i, c)) = bad.first() {
        let mut listed: Vec<String> = Vec::new();
        for (_, c) in &bad {
            let s = format!("{c:?}");
            if !listed.contains(&s) {
                listed.push(s);
            }
        }
        let d = CHARACTERS
            .report(format!(
                "RoleSessionName `{}` contains {} not allowed in session names: STS answers `ValidationError: ... failed to satisfy constraint: Member must satisfy regular expression pattern: [\\w+=,.@-]*`",
                crate::diagnostic::shown(&t.display()),
                listed.join(", ")
            ))
            .at(t.span_of(i..i + c.len_utf8()), format!("{c:?} not allowed"))
            .param("RoleSessionName");
        let help = if t.is_static() {
            format!("use only letters, digits and _+=,.@- : `{}`", sanitize(v))
        } else {
            "use only letters, digits and _+=,.@- in the literal part, and make sure what the shell fills in does the same (e.g. `${VAR//[^A-Za-z0-9_+=,.@-]/-}`)".to_string()
        };
        out.push(d.help(help));
    }
}

#[cfg(test)]
mod tests {
    use super::sanitize;
    use crate::rules::testing::codes;

    fn name(v: &str) -> Vec<&'static str> {
        let s = format!("aws sts assume-role-with-web-identity --role-arn arn:aws:iam::111122223333:role/ci --web-identity-token abcd --role-session-name {v}");
        codes(&s)
            .into_iter()
            .filter(|c| c.starts_with('S'))
            .collect()
    }

    #[test]
    fn valid_names_pass() {
        for ok in [
            "ci",
            "app1",
            "a+b=c,d.e@f-g_h",
            &"x".repeat(64),
            "\"gh-${GITHUB_RUN_ID}\"",
            "$NAME",
        ] {
            assert_eq!(name(ok), Vec::<&str>::new(), "{ok}");
        }
    }

    #[test]
    fn invalid_names_fail() {
        assert_eq!(name("x"), vec!["S001"]);
        assert_eq!(name("''"), vec!["S001"]);
        assert_eq!(name(&"x".repeat(65)), vec!["S001"]);
        assert_eq!(name("'dependabot[bot]'"), vec!["S002"]);
        assert_eq!(name("refs/heads/main"), vec!["S002"]);
        assert_eq!(name("'my session'"), vec!["S002"]);
        assert_eq!(
            name("\"gh/${RUN_ID}\""),
            vec!["S002"],
            "literal part checked"
        );
        assert_eq!(name("ünïcode"), vec!["S002"], "\\w is ASCII");
    }

    #[test]
    fn risky_run_time_values_warn() {
        let s = "aws sts assume-role-with-web-identity --role-arn arn:aws:iam::111122223333:role/ci --web-identity-token abcd --role-session-name \"gha-${{ github.actor }}\"";
        let d = crate::rules::testing::run(s)
            .into_iter()
            .find(|d| d.rule.code == "S002")
            .expect("warning");
        assert_eq!(d.severity, crate::diagnostic::Severity::Warning);
        assert_eq!(name("\"ci-$GITHUB_REF_NAME\""), vec!["S002"]);
        assert_eq!(name("\"ci-$GITHUB_RUN_ID\""), Vec::<&str>::new());
        assert_eq!(name("\"ci-$CIRCLE_BRANCH\""), vec!["S002"]);
        assert_eq!(name("\"ci-$CI_COMMIT_REF_SLUG\""), Vec::<&str>::new());
        // The help speaks the platform's language.
        let help = |v: &str| {
            crate::rules::testing::run(&format!("aws sts assume-role-with-web-identity --role-arn arn:aws:iam::111122223333:role/ci --web-identity-token abcd --role-session-name \"ci-{v}\""))
                .into_iter()
                .find(|d| d.rule.code == "S002")
                .and_then(|d| d.help)
                .unwrap_or_default()
        };
        assert!(help("$CI_COMMIT_REF_NAME").contains("$CI_COMMIT_REF_SLUG"));
        assert!(help("${{ github.actor }}").contains("$GITHUB_ACTOR"));
        assert!(help("$BITBUCKET_BRANCH").contains("$BITBUCKET_BRANCH"));
    }

    #[test]
    fn sanitized_names_are_valid() {
        assert_eq!(sanitize("dependabot[bot]"), "dependabot-bot-");
        assert_eq!(sanitize("x"), "x-");
        assert_eq!(sanitize(&"y".repeat(70)).len(), 64);
    }
}
