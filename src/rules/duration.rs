//! DurationSeconds: D001 duration-out-of-range, D002 duration-above-default-max.
//!
//! STS accepts 900–43200 seconds, and no more than the role's MaxSessionDuration, which defaults to
//! 3600: above that STS answers `ValidationError: The requested DurationSeconds exceeds the
//! MaxSessionDuration set for this role.` The AWS CLI itself refuses values under 900.

use super::Ctx;
use crate::diagnostic::{Diagnostic, Rule, Severity};
use crate::limits::{DEFAULT_MAX_SESSION_DURATION, DURATION_MAX, DURATION_MIN};
use crate::model::request::Request;

pub static RANGE: Rule = Rule {
    code: "D001",
    name: "duration-out-of-range",
    severity: Severity::Error,
    summary: "DurationSeconds outside 900–43200",
};
pub static ABOVE_DEFAULT_MAX: Rule = Rule {
    code: "D002",
    name: "duration-above-default-max",
    severity: Severity::Info,
    summary: "DurationSeconds above 3600 needs a role whose MaxSessionDuration allows it",
};

pub fn check(req: &Request, ctx: &Ctx, out: &mut Vec<Diagnostic>) {
    let Some(d) = &req.duration_seconds else {
        return;
    };
    let Some(secs) = d.seconds else { return };
    let span = d.param.text.content_span();
    if secs < DURATION_MIN {
        out.push(
            RANGE
                .report(format!("DurationSeconds {secs} is below the minimum of {DURATION_MIN} (15 minutes): the AWS CLI refuses it before sending (`Invalid value for parameter DurationSeconds, value: {secs}, valid min value: {DURATION_MIN}`)"))
                .at(span, "below 900")
                .help("use at least 900 seconds, or leave DurationSeconds out for the default of 3600")
                .param("DurationSeconds"),
        );
    } else if secs > DURATION_MAX {
        out.push(
            RANGE
                .report(format!("DurationSeconds {secs} is above the maximum of {DURATION_MAX} (12 hours): STS answers `ValidationError`"))
                .at(span, "above 43200")
                .help(format!("use at most {DURATION_MAX} seconds, and no more than the role's MaxSessionDuration"))
                .param("DurationSeconds"),
        );
    } else if secs > DEFAULT_MAX_SESSION_DURATION && role_max(req, ctx).is_none() {
        // With the role's get-role output (--role), X010 compares with its real MaxSessionDuration.
        out.push(
            ABOVE_DEFAULT_MAX
                .report(format!("DurationSeconds {secs} is above 3600: STS refuses it unless the role's MaxSessionDuration is at least {secs} (`The requested DurationSeconds exceeds the MaxSessionDuration set for this role.`)"))
                .at(span, "needs MaxSessionDuration ≥ this")
                .help(format!("check with `aws iam get-role --role-name NAME --query Role.MaxSessionDuration`; raise it with `aws iam update-role --role-name NAME --max-session-duration {secs}`"))
                .param("DurationSeconds"),
        );
    }
}

/// The role's MaxSessionDuration, when its get-role output was given (`--role`).
fn role_max(req: &Request, ctx: &Ctx) -> Option<i64> {
    let inputs = ctx.trust.as_ref()?;
    let arn = super::known(&req.role_arn).map(|t| t.value.as_str());
    let role = inputs
        .roles
        .iter()
        .find(|r| r.arn.as_ref().map(|a| a.value.as_str()) == arn)
        .or_else(|| (inputs.roles.len() == 1).then(|| &inputs.roles[0]))?;
    role.max_session.as_ref().map(|(m, _)| *m)
}

#[cfg(test)]
mod tests {

    #[test]
    fn the_roles_own_max_replaces_the_default_guess() {
        use crate::rules::testing::{all_codes_with_trust, github_role};
        let cond = r#"{"StringEquals": {"token.actions.githubusercontent.com:aud": "sts.amazonaws.com", "token.actions.githubusercontent.com:sub": "repo:acme/app:ref:refs/heads/main"}}"#;
        let script = with("--duration-seconds 7200");
        assert_eq!(
            all_codes_with_trust(&script, &github_role(cond, 43200), None),
            ["X003"]
        );
        assert_eq!(
            all_codes_with_trust(&script, &github_role(cond, 3600), None),
            ["X003", "X010"]
        );
        assert!(
            codes(&script).contains(&"D002"),
            "without --role, the default is assumed"
        );
    }
    use crate::rules::testing::{codes, with};

    fn d(v: &str) -> Vec<&'static str> {
        codes(&with(&format!("--duration-seconds {v}")))
            .into_iter()
            .filter(|c| c.starts_with('D') || c.starts_with('Q'))
            .collect()
    }

    #[test]
    fn in_range_passes() {
        assert_eq!(d("900"), Vec::<&str>::new());
        assert_eq!(d("3600"), Vec::<&str>::new());
        assert_eq!(d("' 3_600 '"), Vec::<&str>::new());
    }

    #[test]
    fn out_of_range_and_long_durations() {
        assert_eq!(d("899"), vec!["D001"]);
        assert_eq!(d("50000"), vec!["D001"]);
        assert_eq!(d("-5"), vec!["D001"]);
        assert_eq!(d("7200"), vec!["D002"]);
        assert_eq!(d("43200"), vec!["D002"]);
    }

    #[test]
    fn non_integers_are_type_errors() {
        assert_eq!(d("1h"), vec!["Q004"]);
        assert_eq!(d("3600.0"), vec!["Q004"]);
    }
}
