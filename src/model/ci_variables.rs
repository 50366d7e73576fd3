//! CI variables whose values can break a RoleSessionName (`dependabot[bot]`, `feature/login`), with
//! the fix in each platform's own terms. The data lives in `rules/ci-variables.json` (with its
//! sources), compiled in and read once.

use serde::Deserialize;
use std::sync::LazyLock;

#[derive(Debug, Deserialize)]
struct File {
    variables: Vec<Variable>,
    safe: Vec<Safe>,
}

/// Variables whose every value fits a session name.
#[derive(Debug, Deserialize)]
pub struct Safe {
    pub names: Vec<String>,
    pub platform: String,
    /// What the values are (`decimal numbers`).
    pub what: String,
    /// The most characters a value can have.
    pub max_length: usize,
    #[serde(default)]
    pub sources: Vec<String>,
}

/// Variables of one platform that share an example and a fix.
#[derive(Debug, Deserialize)]
pub struct Variable {
    pub names: Vec<String>,
    pub platform: String,
    /// A real value that breaks a session name.
    pub example: String,
    /// The help, in the platform's terms.
    pub fix: String,
    #[serde(default)]
    pub sources: Vec<String>,
}

static FILE: LazyLock<File> = LazyLock::new(|| {
    serde_json::from_str(include_str!("../../rules/ci-variables.json"))
        .expect("rules/ci-variables.json is valid")
});

/// The entry and the name matched for an expansion as written (`${{ github.actor }}`,
/// `$GITHUB_REF_NAME`): a name matches its longer forms too.
pub fn risky(expr: &str) -> Option<(&'static Variable, &'static str)> {
    FILE.variables.iter().find_map(|v| {
        v.names
            .iter()
            .find(|n| expr.contains(n.as_str()))
            .map(|n| (v, n.as_str()))
    })
}

/// The entry for a variable (by its exact name) whose every value fits a session name.
pub fn safe(name: &str) -> Option<&'static Safe> {
    FILE.safe.iter().find(|v| v.names.iter().any(|n| n == name))
}

/// The most characters a RoleSessionName can have when it is `literal` text plus the expansions
/// `exprs`, if every one of them is a variable whose every value fits a session name.
pub fn safe_session_name_max(literal_len: usize, exprs: &[&str]) -> Option<usize> {
    exprs.iter().try_fold(literal_len, |n, e| {
        let name = super::token_variables::named(e)?;
        Some(n + safe(name)?.max_length)
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn variables_are_found_with_their_platform() {
        assert_eq!(
            risky("${{ github.actor }}").map(|v| v.0.platform.as_str()),
            Some("GitHub Actions")
        );
        assert_eq!(
            risky("$CI_COMMIT_REF_NAME").map(|v| v.0.platform.as_str()),
            Some("GitLab CI")
        );
        assert_eq!(
            risky("${CIRCLE_BRANCH}").map(|v| v.1),
            Some("CIRCLE_BRANCH")
        );
        assert!(risky("$CI_COMMIT_REF_SLUG").is_none() && risky("$GITHUB_RUN_ID").is_none());
        assert!(FILE
            .variables
            .iter()
            .all(|v| !v.sources.is_empty() && !v.names.is_empty()));
    }
}
