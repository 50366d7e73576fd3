//! T023 token-wrong-variable: the web identity token is taken from a CI variable that never holds
//! an ID token STS accepts — GitLab's removed `CI_JOB_JWT_V2` or its API `CI_JOB_TOKEN`, GitHub's
//! `GITHUB_TOKEN` or `ACTIONS_ID_TOKEN_REQUEST_TOKEN` (the credential to *request* a token). The
//! variables, what each holds and the fix are data: `rules/token-variables.json`.

use super::Ctx;
use crate::diagnostic::{Diagnostic, Rule, Severity};
use crate::model::request::Request;
use crate::model::token_variables;

pub static RULE: Rule = Rule {
    code: "T023",
    name: "token-wrong-variable",
    severity: Severity::Error,
    summary: "WebIdentityToken taken from a CI variable that holds no ID token (CI_JOB_JWT_V2, GITHUB_TOKEN, ACTIONS_ID_TOKEN_REQUEST_TOKEN...)",
};

pub fn check(req: &Request, ctx: &Ctx, out: &mut Vec<Diagnostic>) {
    requested_audience(req, ctx, out);
    let Some(p) = &req.web_identity_token else {
        return;
    };
    // The whole value is one variable: `"$CI_JOB_JWT_V2"`, `${{ secrets.GITHUB_TOKEN }}`.
    let Some((d, name)) = token_variables::whole_variable(&p.text) else {
        return;
    };
    let Some(v) = token_variables::find(name) else {
        return;
    };
    out.push(
        RULE.report(format!(
            "WebIdentityToken is `{}`: on {}, {}",
            d.expr, v.platform, v.why
        ))
        .at(d.span.clone(), "not an ID token")
        .help(v.fix.clone())
        .param("WebIdentityToken"),
    );
}

/// T012 for a GitHub token requested with a known-wrong audience: the token comes from
/// `curl "$ACTIONS_ID_TOKEN_REQUEST_URL&audience=X"` (often through a variable assigned above),
/// so its `aud` is X even though the token itself is only known at run time.
fn requested_audience(req: &Request, _: &Ctx, out: &mut Vec<Diagnostic>) {
    let Some(p) = &req.web_identity_token else {
        return;
    };
    let Some(github) = crate::model::issuers::all()
        .iter()
        .find(|c| c.profile.id == "github-actions")
    else {
        return;
    };
    for d in &p.text.dynamic {
        if !d.expr.contains("ACTIONS_ID_TOKEN_REQUEST_URL") {
            continue;
        }
        let Some(at) = d.expr.find("audience=").map(|i| i + "audience=".len()) else {
            continue;
        };
        let len = d.expr[at..]
            .find(|c: char| c.is_whitespace() || "\"'&)`;|".contains(c))
            .unwrap_or(d.expr.len() - at);
        let value = &d.expr[at..at + len];
        let Some(wrong) = github
            .profile
            .wrong_audiences
            .iter()
            .find(|w| w.value == value)
        else {
            continue;
        };
        // The expression is the source text when the lengths agree: point at the value itself.
        let span = if d.span.range.len() == d.expr.len() {
            let start = d.span.range.start + at;
            crate::source::Span::new(d.span.source, start..start + len)
        } else {
            d.span.clone()
        };
        let want = github
            .profile
            .audiences
            .first()
            .map_or("sts.amazonaws.com", String::as_str);
        out.push(
            super::token_identity::AUDIENCE
                .report(format!(
                    "the token is requested from GitHub with `audience={value}`, so its `aud` is `{value}`, a known mistake for {}: {}",
                    github.profile.name,
                    wrong.why.trim_end_matches('.')
                ))
                .at(span, format!("aud {value}"))
                .severity(Severity::Warning)
                .help(format!("request the token with `audience={want}`"))
                .param("WebIdentityToken"),
        );
    }
}

#[cfg(test)]
mod tests {
    use crate::rules::testing::codes;

    fn with_token(token: &str) -> Vec<&'static str> {
        codes(&format!("aws sts assume-role-with-web-identity --role-arn arn:aws:iam::111122223333:role/ci --role-session-name ci --web-identity-token {token}"))
    }

    #[test]
    fn id_token_variables_pass() {
        for t in [
            "\"$GITLAB_OIDC_TOKEN\"",
            "$CIRCLE_OIDC_TOKEN_V2",
            "\"$(cat token)\"",
            "\"x$CI_JOB_JWT_V2\"",
            "\"${CI_JOB_JWT_V2:-$T}\"",
        ] {
            assert!(!with_token(t).contains(&"T023"), "{t}");
        }
    }

    #[test]
    fn a_wrong_audience_in_the_token_request_is_reported() {
        let request = |aud: &str| {
            codes(&format!("TOKEN=$(curl -sH \"Authorization: bearer $ACTIONS_ID_TOKEN_REQUEST_TOKEN\" \"$ACTIONS_ID_TOKEN_REQUEST_URL&audience={aud}\" | jq -r .value)\naws sts assume-role-with-web-identity --role-arn arn:aws:iam::111122223333:role/ci --role-session-name ci --web-identity-token \"$TOKEN\""))
        };
        assert!(request("sigstore").contains(&"T012"));
        assert!(request("sts.amazon.com").contains(&"T012"));
        assert!(!request("sts.amazonaws.com").contains(&"T012"));
        // a token variable set only in a branch is not known to come from that request
        let src = "if x; then TOKEN=$(curl \"$ACTIONS_ID_TOKEN_REQUEST_URL&audience=sigstore\"); fi\naws sts assume-role-with-web-identity --role-arn arn:aws:iam::111122223333:role/ci --role-session-name ci --web-identity-token \"$TOKEN\"";
        assert!(!codes(src).contains(&"T012"));
    }

    #[test]
    fn credentials_that_are_not_id_tokens_fail() {
        for t in [
            "$CI_JOB_JWT_V2",
            "\"${CI_JOB_JWT}\"",
            "$CI_JOB_TOKEN",
            "\"$ACTIONS_ID_TOKEN_REQUEST_TOKEN\"",
            "$GITHUB_TOKEN",
        ] {
            assert!(with_token(t).contains(&"T023"), "{t}");
        }
        // written to a token file first
        let via_file = "echo \"$CI_JOB_JWT_V2\" > /tmp/t\naws sts assume-role-with-web-identity --role-arn arn:aws:iam::111122223333:role/ci --role-session-name ci --web-identity-token file:///tmp/t";
        assert!(codes(via_file).contains(&"T023"));
    }

    #[test]
    fn a_variable_the_script_sets_may_hold_anything() {
        for pre in [
            "if [ -z \"$GITHUB_TOKEN\" ]; then GITHUB_TOKEN=$(get-id-token); fi\n",
            "read -r GITHUB_TOKEN < /tmp/t\n",
            "source ./env.sh\n",
        ] {
            let src = format!("{pre}aws sts assume-role-with-web-identity --role-arn arn:aws:iam::111122223333:role/ci --role-session-name ci --web-identity-token \"$GITHUB_TOKEN\"");
            assert!(!codes(&src).contains(&"T023"), "{pre}");
        }
        // set only after the use (not in a loop around it): the use still has the platform's
        let call = "aws sts assume-role-with-web-identity --role-arn arn:aws:iam::111122223333:role/ci --role-session-name ci --web-identity-token $CI_JOB_JWT_V2";
        for src in [
            format!("{call}\nCI_JOB_JWT_V2=x\n"),
            format!("export $(printf 'A=%s' $({call} --output text))\n"),
        ] {
            assert!(codes(&src).contains(&"T023"), "{src}");
        }
        let looped = format!("while true; do\n  {call}\n  CI_JOB_JWT_V2=x\ndone\n");
        assert!(!codes(&looped).contains(&"T023"));
    }
}
