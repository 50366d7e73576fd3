//! What CI platforms put in the variables they set (`rules/ci-variables.json`, with its sources,
//! compiled in and read once): which characters a value may have and how long it can be, for a
//! RoleSessionName built from them. `variables` can hold characters a session name may not have
//! (`dependabot[bot]`, `feature/login`; some on every run, `octocat/Hello-World`), with the fix in
//! each platform's own terms; every value of a `safe` variable fits a session name.

use serde::Deserialize;
use std::sync::LazyLock;

#[derive(Debug, Deserialize)]
struct File {
    charsets: std::collections::BTreeMap<String, String>,
    variables: Vec<Variable>,
    safe: Vec<Safe>,
}

/// The characters a variable's values may have.
#[derive(Debug, Deserialize, Clone, Copy, PartialEq, Eq)]
#[serde(rename_all = "lowercase")]
pub enum Charset {
    /// `[0-9]`
    Digits,
    /// `[0-9a-f]`
    Hex,
    /// `[0-9a-f-]`
    Uuid,
    /// `[a-z0-9-]`
    Slug,
    /// `[A-Za-z0-9_.-]`
    Name,
    /// Any character, `/` and spaces included.
    Text,
}

impl Charset {
    /// Whether every character of this set may be in a session name (`[\w+=,.@-]`).
    pub fn fits_session_name(self) -> bool {
        self != Charset::Text
    }
}

/// Variables whose every value fits a session name.
#[derive(Debug, Deserialize)]
pub struct Safe {
    pub names: Vec<String>,
    pub platform: String,
    /// What the values are (`decimal numbers`).
    pub what: String,
    pub charset: Charset,
    /// The most characters a value can have.
    pub max_length: usize,
    /// A length real values do reach (a SHA-1's 40 hex digits), when one is known.
    #[serde(default)]
    pub length_reached: Option<usize>,
    /// The length every value has at least (a UUID's 36 characters), when one is known.
    #[serde(default)]
    pub min_length: Option<usize>,
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
    pub charset: Charset,
    /// Characters of which every value the platform sets has at least one (`/` in `owner/repo`).
    #[serde(default)]
    pub every_value_contains: Option<String>,
    #[serde(default)]
    pub sources: Vec<String>,
}

impl Variable {
    /// Whether no value the platform sets fits a session name.
    pub fn never_fits(&self) -> bool {
        self.every_value_contains
            .as_deref()
            .is_some_and(|cs| !cs.is_empty() && cs.chars().all(|c| !crate::limits::is_name_char(c)))
    }
}

/// What the catalogue knows of one expansion written as a whole variable.
#[derive(Debug, Clone, Copy)]
pub enum Known {
    Safe(&'static Safe),
    Risky(&'static Variable),
}

static FILE: LazyLock<File> = LazyLock::new(|| {
    serde_json::from_str(include_str!("../../rules/ci-variables.json"))
        .expect("rules/ci-variables.json is valid")
});

/// Whether `name` is `n` as written in the catalogue. Dotted names (`github.run_id`,
/// `Build.BuildId`) are expression properties and Azure Pipelines variables, which both platforms
/// look up without regard to case; environment variable names keep their case.
fn same(n: &str, name: &str) -> bool {
    if n.contains('.') {
        n.eq_ignore_ascii_case(name)
    } else {
        n == name
    }
}

/// The variable an expansion is, when it is one variable and nothing else: `$NAME`, `${NAME}`, a
/// GitHub context (`${{ github.sha }}`, `${{ env.NAME }}`), an Azure Pipelines macro
/// (`$(Build.BuildId)`), a Jenkinsfile's `${env.NAME}` or a Terraform `${var.NAME}`.
pub fn variable(expr: &str) -> Option<&str> {
    let e = expr.trim();
    if let Some(inner) = e.strip_prefix("$(").and_then(|r| r.strip_suffix(')')) {
        // Azure Pipelines replaces `$(Name.Part)` before the shell runs; `$(cmd)` is a command.
        return (inner.contains('.')
            && inner
                .bytes()
                .all(|b| b == b'_' || b == b'.' || b.is_ascii_alphanumeric()))
        .then_some(inner);
    }
    if !e.starts_with("${{") {
        if let Some(inner) = e.strip_prefix("${").and_then(|r| r.strip_suffix('}')) {
            let name = inner
                .strip_prefix("env.")
                .or_else(|| inner.strip_prefix("var."))
                .unwrap_or(inner);
            return name
                .bytes()
                .all(|b| b == b'_' || b.is_ascii_alphanumeric())
                .then_some(name);
        }
    }
    super::token_variables::named(e)
}

/// The catalogue's entry for an expansion that is one variable and nothing else.
pub fn known(expr: &str) -> Option<Known> {
    let name = variable(expr)?;
    if let Some(s) = FILE
        .safe
        .iter()
        .find(|v| v.names.iter().any(|n| same(n, name)))
    {
        return Some(Known::Safe(s));
    }
    FILE.variables
        .iter()
        .find(|v| v.names.iter().any(|n| same(n, name)))
        .map(Known::Risky)
}

/// The entry and the name matched for an expansion as written (`${{ github.actor }}`,
/// `${GITHUB_REF#refs/heads/}`): a `variables` name anywhere in it, as a whole name. Variables
/// that never fit (`$GITHUB_REPOSITORY`, a path) are left out: used whole they are [`known`], and
/// an expression around them (`${GITHUB_REPOSITORY#*/}`) is usually there to cut what breaks it.
pub fn risky(expr: &str) -> Option<(&'static Variable, &'static str)> {
    FILE.variables
        .iter()
        .filter(|v| !v.never_fits())
        .find_map(|v| {
            v.names
                .iter()
                .find(|n| mentions(expr, n))
                .map(|n| (v, n.as_str()))
        })
}

/// Whether `expr` mentions the variable `name` as a whole name (`GITHUB_REF` is not in
/// `$GITHUB_REF_NAME`, `github.ref` not in `github.ref_name`).
fn mentions(expr: &str, name: &str) -> bool {
    let word = |b: u8| b == b'_' || b.is_ascii_alphanumeric();
    let found = |hay: &str, needle: &str| {
        hay.match_indices(needle).any(|(i, _)| {
            let before = hay[..i].bytes().next_back();
            let after = hay[i + needle.len()..].bytes().next();
            !before.is_some_and(word) && !after.is_some_and(word)
        })
    };
    if !name.contains('.') {
        // Environment variable names keep their case: no copies needed.
        return found(expr, name);
    }
    expr.contains('.') && found(&expr.to_ascii_lowercase(), &name.to_ascii_lowercase())
}

/// The entry for a variable (by its exact name) whose every value fits a session name.
pub fn safe(name: &str) -> Option<&'static Safe> {
    FILE.safe
        .iter()
        .find(|v| v.names.iter().any(|n| same(n, name)))
}

/// How long a RoleSessionName of `literal_len` characters plus the expansions `exprs` is, from
/// what the catalogue knows of each.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Lengths {
    /// Every value has at least this many characters.
    pub min: usize,
    /// Real values reach this many characters.
    pub reached: usize,
    /// No value has more, when every expansion is a `safe` variable.
    pub max: Option<usize>,
}

/// The lengths a session name made of `literal_len` characters and the expansions `exprs` has.
pub fn lengths(literal_len: usize, exprs: &[&str]) -> Lengths {
    let mut l = Lengths {
        min: literal_len,
        reached: literal_len,
        max: Some(literal_len),
    };
    for e in exprs {
        let s = variable(e).and_then(safe);
        l.min += s.and_then(|s| s.min_length).unwrap_or(0);
        l.reached += s.and_then(|s| s.length_reached).unwrap_or(0);
        l.max = l.max.zip(s).map(|(m, s)| m + s.max_length);
    }
    l
}

/// Whether every expansion is a variable the catalogue describes.
pub fn all_known(exprs: &[&str]) -> bool {
    exprs.iter().all(|e| known(e).is_some())
}

/// Whether an expansion is a variable that can hold characters a session name may not have.
pub fn is_risky(expr: &str) -> bool {
    matches!(known(expr), Some(Known::Risky(_)))
}

/// The character sets the file describes, by name (for its own tests and documentation).
pub fn charsets() -> impl Iterator<Item = (&'static str, &'static str)> {
    FILE.charsets.iter().map(|(k, v)| (k.as_str(), v.as_str()))
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
    }

    #[test]
    fn names_match_only_as_whole_names() {
        // `GITHUB_ACTOR_ID` is a number, `GITHUB_REF_TYPE` is `branch` or `tag`.
        assert!(risky("$GITHUB_ACTOR_ID").is_none());
        assert!(risky("$GITHUB_REF_TYPE").is_none() && risky("${{ github.ref_type }}").is_none());
        assert_eq!(
            risky("$GITHUB_REF_NAME").map(|v| v.1),
            Some("GITHUB_REF_NAME")
        );
        assert_eq!(
            risky("${GITHUB_REF#refs/heads/}").map(|v| v.1),
            Some("GITHUB_REF")
        );
        assert_eq!(risky("${{ github.event.ref }}").map(|v| v.1), None);
        assert!(
            risky("${GITHUB_REPOSITORY#*/}").is_none() && risky("$GITHUB_REPOSITORY").is_none()
        );
        // A GitLab merge request's branch is GitLab's, not Jenkins' BRANCH_NAME.
        assert_eq!(
            risky("$CI_MERGE_REQUEST_TARGET_BRANCH_NAME").map(|v| v.0.platform.as_str()),
            Some("GitLab CI")
        );
        assert_eq!(
            risky("${{ GitHub.Actor }}").map(|v| v.1),
            Some("github.actor")
        );
    }

    #[test]
    fn every_written_form_names_its_variable() {
        assert_eq!(variable("$(Build.BuildId)"), Some("Build.BuildId"));
        assert_eq!(variable("$(git rev-parse HEAD)"), None);
        assert_eq!(variable("$(date)"), None);
        assert_eq!(variable("${env.BUILD_NUMBER}"), Some("BUILD_NUMBER"));
        assert_eq!(
            variable("${var.TFC_WORKSPACE_SLUG}"),
            Some("TFC_WORKSPACE_SLUG")
        );
        assert_eq!(variable("${{ github.run_id }}"), Some("github.run_id"));
        assert_eq!(variable("$CI_PIPELINE_ID"), Some("CI_PIPELINE_ID"));
        assert_eq!(variable("${GITHUB_REF#refs/heads/}"), None);
        assert!(matches!(known("$(build.buildid)"), Some(Known::Safe(_))));
        assert!(matches!(known("$BUILD_BUILDID"), Some(Known::Safe(_))));
        assert!(matches!(known("$GITHUB_REPOSITORY"), Some(Known::Risky(v)) if v.never_fits()));
        assert!(matches!(known("$GITHUB_REF_NAME"), Some(Known::Risky(v)) if !v.never_fits()));
        assert!(
            known("$github_run_id").is_none(),
            "environment names keep their case"
        );
        assert!(known("$MY_VAR").is_none());
    }

    #[test]
    fn the_catalogue_is_consistent() {
        let names: Vec<&str> = charsets().map(|c| c.0).collect();
        assert_eq!(names, ["digits", "hex", "name", "slug", "text", "uuid"]);
        let mut seen = std::collections::HashSet::new();
        for v in &FILE.variables {
            assert!(
                !v.sources.is_empty() && !v.names.is_empty(),
                "{:?}",
                v.names
            );
            assert_eq!(v.charset, Charset::Text, "{:?}", v.names);
            assert!(!v.fix.contains("$$"), "{:?}", v.names);
            assert!(
                v.example.chars().any(|c| !crate::limits::is_name_char(c)),
                "{:?}",
                v.names
            );
            if let Some(cs) = &v.every_value_contains {
                assert!(v.never_fits(), "{:?}", v.names);
                assert!(v.example.chars().any(|c| cs.contains(c)), "{:?}", v.names);
            }
            for n in &v.names {
                assert!(seen.insert(n.to_ascii_lowercase()), "{n} twice");
            }
        }
        for s in &FILE.safe {
            assert!(
                !s.sources.is_empty() && !s.names.is_empty(),
                "{:?}",
                s.names
            );
            assert!(s.charset.fits_session_name(), "{:?}", s.names);
            assert!(s.min_length.unwrap_or(0) <= s.length_reached.unwrap_or(s.max_length));
            assert!(
                s.length_reached.unwrap_or(0) <= s.max_length,
                "{:?}",
                s.names
            );
            for n in &s.names {
                assert!(seen.insert(n.to_ascii_lowercase()), "{n} twice");
            }
        }
        // Every platform the issue names is described.
        for p in [
            "GitHub Actions",
            "GitLab CI",
            "CircleCI",
            "Bitbucket Pipelines",
            "Buildkite",
            "Azure Pipelines",
            "Jenkins",
            "HCP Terraform",
        ] {
            assert!(FILE.variables.iter().any(|v| v.platform == p), "{p}");
            assert!(FILE.safe.iter().any(|v| v.platform == p), "{p}");
        }
    }
}
