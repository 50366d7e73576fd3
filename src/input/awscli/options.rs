//! The options of `aws sts assume-role-with-web-identity` and the CLI's global options, and how
//! argparse resolves what was written: exact names, unambiguous prefixes (global options first),
//! and which words it takes for an option rather than a value.

use crate::source::Text;

/// What an option does.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Kind {
    /// A string member of the request.
    Member(&'static str),
    PolicyArns,
    Duration,
    CliInputJson,
    CliInputYaml,
    Skeleton,
    /// A global option; `true` when it takes a value.
    Global(bool),
}

pub(super) const OPTIONS: [(&str, Kind); 10] = [
    ("--role-arn", Kind::Member("RoleArn")),
    ("--role-session-name", Kind::Member("RoleSessionName")),
    ("--web-identity-token", Kind::Member("WebIdentityToken")),
    ("--provider-id", Kind::Member("ProviderId")),
    ("--policy-arns", Kind::PolicyArns),
    ("--policy", Kind::Member("Policy")),
    ("--duration-seconds", Kind::Duration),
    ("--cli-input-json", Kind::CliInputJson),
    ("--cli-input-yaml", Kind::CliInputYaml),
    ("--generate-cli-skeleton", Kind::Skeleton),
];

/// Global options of AWS CLI v1 and v2 (`awscli/data/cli.json`), and whether each takes a value.
pub(super) const GLOBALS: [(&str, bool); 19] = [
    ("--debug", false),
    ("--v2-debug", false),
    ("--endpoint-url", true),
    ("--no-verify-ssl", false),
    ("--no-paginate", false),
    ("--output", true),
    ("--query", true),
    ("--profile", true),
    ("--region", true),
    ("--version", false),
    ("--color", true),
    ("--no-sign-request", false),
    ("--ca-bundle", true),
    ("--cli-read-timeout", true),
    ("--cli-connect-timeout", true),
    ("--cli-binary-format", true),
    ("--no-cli-pager", false),
    ("--cli-auto-prompt", false),
    ("--no-cli-auto-prompt", false),
];

/// Options of other STS operations, with the API member they set.
pub(super) const OTHER_OPTIONS: [(&str, &str); 8] = [
    ("--tags", "Tags"),
    ("--transitive-tag-keys", "TransitiveTagKeys"),
    ("--external-id", "ExternalId"),
    ("--serial-number", "SerialNumber"),
    ("--token-code", "TokenCode"),
    ("--source-identity", "SourceIdentity"),
    ("--provided-contexts", "ProvidedContexts"),
    ("--saml-assertion", "SAMLAssertion"),
];

/// How argparse classifies a word that follows an option.
pub(super) fn looks_like_option(w: &Text) -> bool {
    let v = &w.value;
    if !v.starts_with('-') || v.len() == 1 || !w.dynamic.is_empty() && w.dynamic[0].at == 0 {
        return false;
    }
    let name = v.split_once('=').map_or(v.as_str(), |(n, _)| n);
    if OPTIONS.iter().any(|(o, _)| *o == name) || GLOBALS.iter().any(|(g, _)| *g == name) {
        return true;
    }
    let negative_number = {
        let rest = &v[1..];
        !rest.is_empty()
            && (rest.bytes().all(|b| b.is_ascii_digit())
                || rest.split_once('.').is_some_and(|(a, b)| {
                    a.bytes().all(|c| c.is_ascii_digit())
                        && !b.is_empty()
                        && b.bytes().all(|c| c.is_ascii_digit())
                }))
    };
    !negative_number && !v.contains(' ')
}

/// An option resolved from what was written.
pub(super) struct Resolved {
    pub(super) name: &'static str,
    pub(super) kind: Kind,
    pub(super) abbreviated: bool,
}

/// Options that only AWS CLI v2 has: accepted when written in full, but not abbreviation targets,
/// since v1's argparse does not know them.
const V2_ONLY: [&str; 5] = [
    "--cli-input-yaml",
    "--cli-binary-format",
    "--no-cli-pager",
    "--cli-auto-prompt",
    "--no-cli-auto-prompt",
];

pub(super) fn resolve(written: &str) -> Result<Resolved, Vec<&'static str>> {
    let globals = || GLOBALS.iter().map(|(g, t)| (*g, Kind::Global(*t)));
    if let Some((name, kind)) = globals()
        .chain(OPTIONS.iter().copied())
        .find(|(n, _)| *n == written)
    {
        return Ok(Resolved {
            name,
            kind,
            abbreviated: false,
        });
    }
    // argparse's abbreviations: the main parser (global options) sees the words first.
    let tables: [Vec<(&'static str, Kind)>; 2] = [globals().collect(), OPTIONS.to_vec()];
    for table in tables {
        let matches: Vec<_> = table
            .iter()
            .filter(|(n, _)| written.len() > 2 && n.starts_with(written) && !V2_ONLY.contains(n))
            .collect();
        match matches.len() {
            0 => continue,
            1 => {
                return Ok(Resolved {
                    name: matches[0].0,
                    kind: matches[0].1,
                    abbreviated: true,
                })
            }
            _ => return Err(matches.iter().map(|(n, _)| *n).collect()),
        }
    }
    Err(Vec::new())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn resolves_abbreviations_like_argparse() {
        assert_eq!(resolve("--role-a").map(|r| r.name).ok(), Some("--role-arn"));
        assert_eq!(resolve("--reg").map(|r| r.name).ok(), Some("--region"));
        assert!(matches!(resolve("--ro"), Err(c) if c.len() == 2));
        assert!(matches!(resolve("--nope"), Err(c) if c.is_empty()));
        assert!(!resolve("--policy").unwrap().abbreviated);
    }
}
