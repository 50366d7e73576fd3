//! CI variables whose values can break a RoleSessionName (`dependabot[bot]`, `feature/login`), with
//! the fix in each platform's own terms. The data lives in `rules/ci-variables.json` (with its
//! sources), compiled in and read once.

use serde::Deserialize;
use std::sync::LazyLock;

#[derive(Debug, Deserialize)]
struct File {
    variables: Vec<Variable>,
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
