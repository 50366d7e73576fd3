//! Inline session policy basics: P001 policy-length, P002 policy-characters, P003 policy-not-json.
//!
//! STS takes 1–2048 characters of tab, newline, carriage return and U+0020–U+00FF, and answers
//! `MalformedPolicyDocument` for anything that is not a JSON policy. A file name given without
//! `file://` is sent as the literal string, a classic way to get that error.

use super::{chars, known, Ctx};
use crate::diagnostic::{Diagnostic, Rule, Severity};
use crate::limits::{is_policy_char, POLICY_MAX, POLICY_MIN};
use crate::model::request::Request;

pub static LENGTH: Rule = Rule {
    code: "P001",
    name: "policy-length",
    severity: Severity::Error,
    summary: "Inline session policy longer than 2048 characters (or empty)",
};
pub static CHARACTERS: Rule = Rule {
    code: "P002",
    name: "policy-characters",
    severity: Severity::Error,
    summary: "Inline session policy with characters outside tab, LF, CR and U+0020–U+00FF",
};
pub static NOT_JSON: Rule = Rule {
    code: "P003",
    name: "policy-not-json",
    severity: Severity::Error,
    summary: "Inline session policy that is not valid JSON (or a file name without file://)",
};

/// The policy with insignificant whitespace removed (`None` if it is not JSON).
pub fn minified_len(policy: &str) -> Option<usize> {
    let v: serde_json::Value = serde_json::from_str(policy).ok()?;
    serde_json::to_string(&v).ok().map(|s| s.chars().count())
}

pub fn check(req: &Request, _: &Ctx, out: &mut Vec<Diagnostic>) {
    let Some(t) = known(&req.policy) else { return };
    let v = t.value.as_str();
    let p = "Policy";
    let trimmed = v.trim();
    let n = chars(v);
    let looks_like_file = !trimmed.starts_with(['{', '['])
        && (trimmed.ends_with(".json") || trimmed.starts_with("./") || trimmed.starts_with('/'))
        && !trimmed.contains(char::is_whitespace);
    if looks_like_file {
        out.push(
            NOT_JSON
                .report(format!("Policy is the file name `{trimmed}`, not a policy: without `file://` the AWS CLI sends the name itself and STS answers `MalformedPolicyDocument`"))
                .at(t.content_span(), "a file name, sent as the policy")
                .help(format!("write `--policy file://{trimmed}`"))
                .param(p),
        );
        return;
    }
    if n < POLICY_MIN {
        out.push(LENGTH.report("Policy is empty: the AWS CLI refuses it before sending (`Invalid length for parameter Policy, value: 0, valid min length: 1`)").at(t.whole(), "empty").help("leave --policy out, or give a policy document").param(p));
        return;
    }
    if n > POLICY_MAX {
        let help = match minified_len(v) {
            Some(m) if m <= POLICY_MAX => format!("remove the whitespace: minified, the policy is {m} characters, which fits (e.g. `jq -c . policy.json`)"),
            Some(m) => format!("even minified the policy is {m} characters: move statements into a managed policy and pass it with --policy-arns"),
            None => "shorten the policy, or move statements into a managed policy passed with --policy-arns".into(),
        };
        let cut = t.value.char_indices().nth(POLICY_MAX).map_or(0, |(i, _)| i);
        out.push(
            LENGTH
                .report(format!("Policy is {n} characters; STS accepts at most {POLICY_MAX} (whitespace counts): STS answers `ValidationError`"))
                .at(
                    t.span_of(cut..cut + v[cut..].chars().next().map_or(0, char::len_utf8)),
                    "character 2049",
                )
                .help(help)
                .param(p),
        );
    }
    if let Some((i, c)) = v.char_indices().find(|(_, c)| !is_policy_char(*c)) {
        out.push(
            CHARACTERS
                .report(format!("Policy contains {c:?} (U+{:04X}); STS accepts only tab, newline, carriage return and U+0020–U+00FF", c as u32))
                .at(t.span_of(i..i + c.len_utf8()), "not allowed")
                .help(if c as u32 > 0xff && !c.is_whitespace() { "replace the character, or write it as a JSON escape (\\uXXXX) inside a string" } else { "replace the character with a space" })
                .param(p),
        );
    }
    if let Err(e) = crate::json::parse_in(t) {
        out.push(
            NOT_JSON
                .report(format!("Policy is not valid JSON: {}; STS answers `MalformedPolicyDocument`", e.message))
                .at(crate::source::Span::new(t.source, e.range), "here")
                .help("fix the JSON; keeping the policy in a file and passing --policy file://policy.json avoids shell-quoting mistakes")
                .param(p),
        );
    }
}

#[cfg(test)]
mod tests {
    use crate::rules::testing::{codes, with};

    fn pol(v: &str) -> Vec<&'static str> {
        codes(&with(&format!("--policy {v}")))
            .into_iter()
            .filter(|c| ["P001", "P002", "P003"].contains(c))
            .collect()
    }

    #[test]
    fn valid_policies_pass() {
        assert_eq!(
            pol(
                r#"'{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"s3:GetObject","Resource":"*"}]}'"#
            ),
            Vec::<&str>::new()
        );
    }

    #[test]
    fn broken_policies_fail() {
        assert_eq!(pol("policy.json"), vec!["P003"]);
        assert_eq!(pol(r#"'{"Version":"2012-10-17",}'"#), vec!["P003"]);
        assert_eq!(pol("''"), vec!["P001"]);
        let long = format!("'{{\"Sid\":\"{}\"}}'", "x".repeat(2100));
        assert_eq!(pol(&long), vec!["P001"]);
        assert_eq!(pol(r#"'{"Sid":"ok€"}'"#), vec!["P002"]);
    }

    #[test]
    fn error_points_inside_the_shell_string() {
        let script = with(r#"--policy '{"Version": "2012-10-17" "Statement": []}'"#);
        let d = crate::rules::testing::run(&script)
            .into_iter()
            .find(|d| d.rule.code == "P003")
            .unwrap();
        let r = d.primary.unwrap().range;
        assert_eq!(
            &script[r], "\"",
            "points at the token after the missing comma"
        );
    }
}
