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

pub fn check(req: &Request, _: &Ctx, out: &mut Vec<Diagnostic>) {
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
    }
}
