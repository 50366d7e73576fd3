//! RoleSessionName: S001 session-name-length, S002 session-name-characters.
//!
//! STS answers `ValidationError: 1 validation error detected: Value 'dependabot[bot]' at
//! 'roleSessionName' failed to satisfy constraint: Member must satisfy regular expression pattern:
//! [\w+=,.@-]*` (its `\w` is ASCII) and, for the length, `Member must have length less than or equal
//! to 64`. A value built from the shell (`"gh-${GITHUB_RUN_ID}"`) has its literal part checked.

use super::{chars, Ctx};
use crate::diagnostic::{Diagnostic, Rule, Severity};
use crate::limits::{is_name_char, SESSION_NAME_MAX, SESSION_NAME_MIN};
use crate::model::ci_variables as ci;
use crate::model::request::Request;
use crate::source::Text;

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
        // Branch, tag, user and path variables of every platform (`rules/ci-variables.json`).
        match ci::known(&d.expr) {
            Some(ci::Known::Risky(v)) if v.never_fits() => {
                let name = ci::variable(&d.expr).unwrap_or(&d.expr);
                let chars: Vec<String> = v
                    .every_value_contains
                    .iter()
                    .flat_map(|cs| cs.chars())
                    .map(|c| format!("{c:?}"))
                    .collect();
                out.push(
                    CHARACTERS
                        .report(format!("RoleSessionName takes `{}` at run time, and every value {} gives {name} has {}, which session names may not have (e.g. `{}`): STS answers `ValidationError` on every run", d.expr, v.platform, chars.join(" or "), v.example))
                        .at(d.span.clone(), "never a valid session name")
                        .help(v.fix.clone())
                        .param("RoleSessionName"),
                );
            }
            _ => {
                if let Some((v, name)) = ci::risky(&d.expr) {
                    out.push(
                        CHARACTERS
                            .report(format!("RoleSessionName takes `{}` at run time, and {name} ({}) can hold characters session names may not have (e.g. `{}`): STS then answers `ValidationError`", d.expr, v.platform, v.example))
                            .at(d.span.clone(), "may hold other characters")
                            .severity(Severity::Warning)
                            .help(v.fix.clone())
                            .param("RoleSessionName"),
                    );
                }
            }
        }
    }
    if !t.is_static() && chars(&t.value) <= SESSION_NAME_MAX {
        run_time_length(t, out);
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

/// S001 for a name whose CI variables make it too long: on every run when the lengths every value
/// has add up to more than 64 (a 40-digit SHA after a long prefix), on some runs when the lengths
/// real values reach do (a 63-character branch slug and a SHA).
fn run_time_length(t: &Text, out: &mut Vec<Diagnostic>) {
    let exprs: Vec<&str> = t.dynamic.iter().map(|d| d.expr.as_str()).collect();
    let lengths = ci::lengths(chars(&t.value), &exprs);
    let every_run = lengths.min > SESSION_NAME_MAX;
    if !every_run && lengths.reached <= SESSION_NAME_MAX {
        return;
    }
    let parts: Vec<String> = t
        .dynamic
        .iter()
        .filter_map(|d| {
            let s = ci::safe(ci::variable(&d.expr)?)?;
            let n = if every_run {
                s.min_length
            } else {
                s.length_reached
            }?;
            Some(format!("`{}` {n}", d.expr))
        })
        .collect();
    let shown = crate::diagnostic::shown(&t.display());
    let literal = chars(&t.value);
    let d = if every_run {
        LENGTH
            .report(format!("RoleSessionName `{shown}` has at least {} characters on every run ({literal} written, {}); STS allows at most {SESSION_NAME_MAX}: it answers `Member must have length less than or equal to 64`", lengths.min, parts.join(", ")))
            .at(t.content_span(), "always past 64 characters")
    } else {
        LENGTH
            .report(format!("RoleSessionName `{shown}` can have {} characters ({literal} written, {}); STS allows at most {SESSION_NAME_MAX}: it answers `Member must have length less than or equal to 64` on those runs", lengths.reached, parts.join(", ")))
            .at(t.content_span(), "can pass 64 characters")
            .severity(Severity::Warning)
    };
    out.push(
        d.help("build the name from shorter parts (a run number, a short commit SHA), or cut it to 64 characters before use: `NAME=\"...\"` then `--role-session-name \"${NAME:0:64}\"`")
            .param("RoleSessionName"),
    );
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
        assert_eq!(name("\"c$CI_COMMIT_REF_SLUG\""), Vec::<&str>::new());
        // 63 characters of slug after `ci-` make 66.
        assert_eq!(name("\"ci-$CI_COMMIT_REF_SLUG\""), vec!["S001"]);
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

    /// Each finding's code and severity.
    fn found(v: &str) -> Vec<(&'static str, crate::diagnostic::Severity)> {
        let s = format!("aws sts assume-role-with-web-identity --role-arn arn:aws:iam::111122223333:role/ci --web-identity-token abcd --role-session-name {v}");
        crate::rules::testing::run(&s)
            .into_iter()
            .filter(|d| d.rule.code.starts_with('S'))
            .map(|d| (d.rule.code, d.severity))
            .collect()
    }

    #[test]
    fn ci_variables_of_every_platform() {
        use crate::diagnostic::Severity::{Error, Warning};
        // (value, findings): valid on every run, some runs, or none, per platform.
        let cases: &[(&str, &[(&str, crate::diagnostic::Severity)])] = &[
            // GitHub Actions
            (
                "\"gha-${{ github.run_id }}-${{ github.run_attempt }}\"",
                &[],
            ),
            ("\"gha-$GITHUB_SHA\"", &[]),
            ("\"gha-$GITHUB_ACTOR_ID\"", &[]),
            ("\"gha-${{ github.ref_name }}\"", &[("S002", Warning)]),
            ("\"gha-$GITHUB_WORKFLOW\"", &[("S002", Warning)]),
            ("\"gha-${{ github.repository }}\"", &[("S002", Error)]),
            ("\"gha-$GITHUB_WORKSPACE\"", &[("S002", Error)]),
            ("\"gha-${GITHUB_REPOSITORY#*/}\"", &[]),
            (
                "\"github-actions-deployment-${GITHUB_SHA}\"",
                &[("S001", Error)],
            ),
            // GitLab CI
            ("\"gl-$CI_PIPELINE_ID-$CI_COMMIT_SHORT_SHA\"", &[]),
            ("\"gl-$CI_COMMIT_BRANCH\"", &[("S002", Warning)]),
            ("\"gl-$CI_JOB_NAME\"", &[("S002", Warning)]),
            ("\"gl-$CI_PROJECT_PATH\"", &[("S002", Error)]),
            ("\"gl-$CI_COMMIT_TIMESTAMP\"", &[("S002", Error)]),
            (
                "\"gl-${CI_COMMIT_REF_SLUG}-${CI_COMMIT_SHA}\"",
                &[("S001", Warning)],
            ),
            // CircleCI
            ("\"cc-$CIRCLE_BUILD_NUM-$CIRCLE_WORKFLOW_ID\"", &[]),
            ("\"cc-$CIRCLE_TAG\"", &[("S002", Warning)]),
            ("\"cc-$CIRCLE_BUILD_URL\"", &[("S002", Error)]),
            (
                "\"cc-${CIRCLE_WORKFLOW_ID}-${CIRCLE_SHA1}\"",
                &[("S001", Error)],
            ),
            // Bitbucket Pipelines
            ("\"bb-$BITBUCKET_BUILD_NUMBER-$BITBUCKET_COMMIT\"", &[]),
            (
                "\"bb-$BITBUCKET_PR_DESTINATION_BRANCH\"",
                &[("S002", Warning)],
            ),
            ("\"bb-$BITBUCKET_REPO_FULL_NAME\"", &[("S002", Error)]),
            // Buildkite
            ("\"bk-$BUILDKITE_BUILD_ID\"", &[]),
            ("\"bk-$BUILDKITE_BUILD_AUTHOR\"", &[("S002", Warning)]),
            ("\"bk-$BUILDKITE_BUILD_URL\"", &[("S002", Error)]),
            // Azure Pipelines, as macros and as environment variables
            ("\"az-$(Build.BuildId)-$(System.JobAttempt)\"", &[]),
            ("\"az-$BUILD_SOURCEVERSION\"", &[]),
            ("\"az-$(Build.SourceBranchName)\"", &[("S002", Warning)]),
            ("\"az-$(Build.SourceBranch)\"", &[("S002", Error)]),
            ("\"az-$BUILD_SOURCESDIRECTORY\"", &[("S002", Error)]),
            // Jenkins
            ("\"jenkins-$BUILD_NUMBER\"", &[]),
            ("\"jenkins-$JOB_NAME\"", &[("S002", Warning)]),
            ("\"jenkins-$BUILD_DISPLAY_NAME\"", &[("S002", Warning)]),
            // HCP Terraform
            ("\"tfc-$TFC_CONFIGURATION_VERSION_GIT_COMMIT_SHA\"", &[]),
            (
                "\"tfc-$TFC_CONFIGURATION_VERSION_GIT_BRANCH\"",
                &[("S002", Warning)],
            ),
            ("\"tfc-$TFC_WORKSPACE_SLUG\"", &[("S002", Error)]),
            // Not a CI variable: nothing to say.
            ("\"ci-$MY_NAME\"", &[]),
        ];
        for (v, want) in cases {
            assert_eq!(found(v), want.to_vec(), "{v}");
        }
    }

    #[test]
    fn run_time_findings_name_the_variable_and_the_worst_case() {
        let msg = |v: &str, code: &str| {
            crate::rules::testing::run(&format!("aws sts assume-role-with-web-identity --role-arn arn:aws:iam::111122223333:role/ci --web-identity-token abcd --role-session-name {v}"))
                .into_iter()
                .find(|d| d.rule.code == code)
                .map(|d| d.message)
                .unwrap_or_default()
        };
        let m = msg("\"gl-${CI_COMMIT_REF_SLUG}-${CI_COMMIT_SHA}\"", "S001");
        assert!(
            m.contains("can have 107 characters") && m.contains("`${CI_COMMIT_REF_SLUG}` 63"),
            "{m}"
        );
        let m = msg("\"gh-$GITHUB_REPOSITORY\"", "S002");
        assert!(
            m.contains("every value") && m.contains("`octocat/Hello-World`"),
            "{m}"
        );
        let m = msg("\"bb-$BITBUCKET_BRANCH\"", "S002");
        assert!(
            m.contains("BITBUCKET_BRANCH (Bitbucket Pipelines)") && m.contains("`feature/login`"),
            "{m}"
        );
    }

    #[test]
    fn sanitized_names_are_valid() {
        assert_eq!(sanitize("dependabot[bot]"), "dependabot-bot-");
        assert_eq!(sanitize("x"), "x-");
        assert_eq!(sanitize(&"y".repeat(70)).len(), 64);
    }
}
