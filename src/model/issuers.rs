//! Issuer profiles: what tokens of GitHub Actions, EKS, GitLab CI, Google and the others look
//! like. The data lives in `rules/issuers.json` (with its sources), compiled in and read once.

use regex::Regex;
use serde::Deserialize;
use std::sync::LazyLock;

/// The profiles file as written.
#[derive(Debug, Deserialize)]
struct File {
    profiles: Vec<Profile>,
}

/// One identity provider.
#[derive(Debug, Deserialize)]
pub struct Profile {
    pub id: String,
    pub name: String,
    /// Regex on `iss`; `None` for profiles recognised by `sub` alone.
    issuer: Option<String>,
    /// Regex on `sub` recognising the issuer when `issuer` is `None`.
    #[serde(default)]
    subject_match: Option<String>,
    pub issuer_example: Option<String>,
    /// `aud` values expected with AWS STS; empty when the user picks it.
    #[serde(default)]
    pub audiences: Vec<String>,
    #[serde(default)]
    pub audience_hint: Option<String>,
    #[serde(default)]
    pub wrong_audiences: Vec<WrongAudience>,
    /// Regex of well-formed `sub` values; `None` when free-form.
    subject: Option<String>,
    #[serde(default)]
    pub subject_shapes: Vec<String>,
    /// Claims this issuer always sets.
    #[serde(default)]
    pub claims: Vec<String>,
    /// Suffixes of the condition keys STS makes from the token (`aud`, `sub`...).
    #[serde(default)]
    pub condition_keys: Vec<String>,
    /// An AWS built-in provider that needs no IAM OIDC provider.
    #[serde(default)]
    pub built_in: bool,
    #[serde(default)]
    pub notes: Option<String>,
    #[serde(default)]
    pub sources: Vec<String>,
}

#[derive(Debug, Deserialize)]
pub struct WrongAudience {
    pub value: String,
    pub why: String,
}

/// A profile with its regexes compiled.
pub struct Compiled {
    pub profile: Profile,
    // Compiled on first use: a run usually meets one or two issuers, and start-up is on the
    // one-file path that pre-commit pays on every commit.
    issuer: std::sync::OnceLock<Option<Regex>>,
    subject_match: std::sync::OnceLock<Option<Regex>>,
    subject: std::sync::OnceLock<Option<Regex>>,
}

fn compiled<'a>(
    cell: &'a std::sync::OnceLock<Option<Regex>>,
    src: &Option<String>,
) -> Option<&'a Regex> {
    cell.get_or_init(|| {
        src.as_deref()
            .map(|s| Regex::new(s).expect("valid regex (tested)"))
    })
    .as_ref()
}

static PROFILES: LazyLock<Vec<Compiled>> = LazyLock::new(|| {
    let file: File = serde_json::from_str(include_str!("../../rules/issuers.json"))
        .expect("rules/issuers.json is valid (tested)");
    file.profiles
        .into_iter()
        .map(|p| Compiled {
            issuer: Default::default(),
            subject_match: Default::default(),
            subject: Default::default(),
            profile: p,
        })
        .collect()
});

/// Every profile, in matching order.
pub fn all() -> &'static [Compiled] {
    &PROFILES
}

/// The first profile that recognises a token with these `iss` and `sub` claims.
pub fn find(iss: Option<&str>, sub: Option<&str>) -> Option<&'static Compiled> {
    PROFILES
        .iter()
        .find(|c| match compiled(&c.issuer, &c.profile.issuer) {
            Some(re) => iss.is_some_and(|i| re.is_match(i)),
            None => compiled(&c.subject_match, &c.profile.subject_match)
                .is_some_and(|re| sub.is_some_and(|s| re.is_match(s))),
        })
}

impl Compiled {
    /// Whether `sub` has a shape this issuer produces (true when the shape is free-form).
    pub fn subject_fits(&self, sub: &str) -> bool {
        compiled(&self.subject, &self.profile.subject).is_none_or(|re| re.is_match(sub))
    }
    /// Whether this is the catch-all profile for any `https://` issuer.
    pub fn is_generic(&self) -> bool {
        self.profile.id == "generic-oidc"
    }
}

/// The IAM name of an issuer: its URL without `https://`, which prefixes its condition keys and
/// ends its OIDC provider ARN (`arn:aws:iam::ACCOUNT:oidc-provider/NAME`).
pub fn provider_name(iss: &str) -> &str {
    iss.strip_prefix("https://").unwrap_or(iss)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_data_file_loads_and_every_regex_compiles() {
        assert!(all().len() >= 12);
        for c in all() {
            compiled(&c.issuer, &c.profile.issuer);
            compiled(&c.subject_match, &c.profile.subject_match);
            compiled(&c.subject, &c.profile.subject);
        }
        let ids: std::collections::HashSet<_> = all().iter().map(|c| &c.profile.id).collect();
        assert_eq!(ids.len(), all().len(), "profile ids are unique");
        assert!(all()
            .iter()
            .all(|c| !c.profile.sources.is_empty() || c.is_generic()));
    }

    #[test]
    fn issuers_are_recognised() {
        let id = |iss: &str, sub: &str| find(Some(iss), Some(sub)).map(|c| c.profile.id.as_str());
        assert_eq!(
            id(
                "https://token.actions.githubusercontent.com",
                "repo:a/b:pull_request"
            ),
            Some("github-actions")
        );
        assert_eq!(
            id(
                "https://oidc.eks.eu-west-1.amazonaws.com/id/5C5B5F1A2D1E4F0C8B0E6D9B4A3C2F10",
                "system:serviceaccount:a:b"
            ),
            Some("eks")
        );
        assert_eq!(
            id(
                "https://gitlab.com",
                "project_path:a/b:ref_type:branch:ref:main"
            ),
            Some("gitlab")
        );
        assert_eq!(id("https://accounts.google.com", "1"), Some("google"));
        assert_eq!(
            id("https://cognito-identity.amazonaws.com", "us-east-1:x"),
            Some("cognito-identity")
        );
        assert_eq!(
            id("https://k8s.example.com", "system:serviceaccount:a:b"),
            Some("kubernetes")
        );
        assert_eq!(id("https://idp.example.com", "x"), Some("generic-oidc"));
        assert_eq!(
            provider_name("https://token.actions.githubusercontent.com"),
            "token.actions.githubusercontent.com"
        );
    }
}
