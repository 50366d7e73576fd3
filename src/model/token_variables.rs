//! CI variables passed as the web identity token by mistake (`$CI_JOB_JWT_V2`, `$GITHUB_TOKEN`,
//! `$ACTIONS_ID_TOKEN_REQUEST_TOKEN`...). The data lives in `rules/token-variables.json` (with its
//! sources), compiled in and read once.

use serde::Deserialize;
use std::sync::LazyLock;

#[derive(Debug, Deserialize)]
struct File {
    variables: Vec<Variable>,
    id_tokens: Vec<IdToken>,
}

/// Variables a platform fills with an OpenID Connect ID token (a JWT).
#[derive(Debug, Deserialize)]
pub struct IdToken {
    pub names: Vec<String>,
    pub platform: String,
    /// The shape the variable gives the token's `sub`, where it fixes one.
    #[serde(default)]
    pub subject: Option<Subject>,
    #[serde(default)]
    pub sources: Vec<String>,
}

/// What a token variable fixes of its token's `sub` (CircleCI's V1 and V2 tokens).
#[derive(Debug, Deserialize)]
pub struct Subject {
    /// The start of the issuer's condition keys (`oidc.circleci.com/org/`).
    pub key_prefix: String,
    /// The `sub` as documented, with its parts named.
    pub shape: String,
    /// Text the `sub` never holds.
    pub never_contains: Vec<String>,
    /// Text the `sub` always holds.
    pub always_contains: Vec<String>,
    /// The variable whose token has the other shape, and that shape.
    pub other: String,
    pub other_shape: String,
}

/// One mistaken variable (or several names for the same thing).
#[derive(Debug, Deserialize)]
pub struct Variable {
    pub names: Vec<String>,
    pub platform: String,
    /// What the variable holds instead of an ID token.
    pub why: String,
    /// Which variable or request gives the ID token.
    pub fix: String,
    #[serde(default)]
    pub sources: Vec<String>,
}

static FILE: LazyLock<File> = LazyLock::new(|| {
    serde_json::from_str(include_str!("../../rules/token-variables.json"))
        .expect("rules/token-variables.json is valid")
});

/// The variable an expansion names: `$NAME`, `${NAME}`, `${{ secrets.NAME }}`, `${{ env.NAME }}`,
/// `${{ vars.NAME }}`, or a GitHub context such as `${{ github.token }}`.
pub fn named(expr: &str) -> Option<&str> {
    let e = expr.trim();
    if let Some(inner) = e.strip_prefix("${{").and_then(|r| r.strip_suffix("}}")) {
        let inner = inner.trim();
        return Some(
            ["secrets.", "env.", "vars."]
                .iter()
                .find_map(|p| inner.strip_prefix(p))
                .unwrap_or(inner),
        );
    }
    let name = e
        .strip_prefix("${")
        .and_then(|r| r.strip_suffix('}'))
        .or_else(|| e.strip_prefix('$'))?;
    name.bytes()
        .all(|b| b == b'_' || b.is_ascii_alphanumeric())
        .then_some(name)
}

/// The entry for a variable name, if it is a known mistake.
pub fn find(name: &str) -> Option<&'static Variable> {
    FILE.variables
        .iter()
        .find(|v| v.names.iter().any(|n| n == name))
}

/// The platform entry when `name` is a variable that holds an ID token.
pub fn id_token(name: &str) -> Option<&'static IdToken> {
    FILE.id_tokens
        .iter()
        .find(|v| v.names.iter().any(|n| n == name))
}

/// The variable named by a value that is one expansion and nothing else (`"$CI_JOB_JWT_V2"`,
/// `${{ secrets.GITHUB_TOKEN }}`), or followed only by the newline `echo` writes after it into a
/// token file, and not one the script sets itself: the expansion as written and the name.
pub fn whole_variable(t: &crate::source::Text) -> Option<(&crate::source::Dynamic, &str)> {
    let [d] = t.dynamic.as_slice() else {
        return None;
    };
    // A variable the script sets itself may hold anything.
    if d.at != 0 || !t.value.trim().is_empty() || d.assigned {
        return None;
    }
    named(&d.expr).map(|n| (d, n))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn expansions_name_their_variable() {
        assert_eq!(named("$CI_JOB_JWT_V2"), Some("CI_JOB_JWT_V2"));
        assert_eq!(named("${CI_JOB_JWT}"), Some("CI_JOB_JWT"));
        assert_eq!(named("${{ secrets.GITHUB_TOKEN }}"), Some("GITHUB_TOKEN"));
        assert_eq!(named("${{ github.token }}"), Some("github.token"));
        assert_eq!(named("$(cat token)"), None);
        assert_eq!(named("${TOKEN:-x}"), None);
        assert!(find("CI_JOB_JWT_V2").is_some() && find("GITLAB_OIDC_TOKEN").is_none());
        assert!(FILE.variables.iter().all(|v| !v.sources.is_empty()));
        assert!(FILE.id_tokens.iter().all(|v| !v.sources.is_empty()));
        assert!(id_token("CIRCLE_OIDC_TOKEN_V2").is_some() && id_token("GITHUB_TOKEN").is_none());
    }
}
