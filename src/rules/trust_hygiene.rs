//! Trust policy hygiene, from the policy alone (IAM Access Analyzer has similar checks, but only
//! online): X011 trust-no-audience-condition, X012 trust-no-subject-condition, X013
//! trust-set-operator-single-valued, X014 trust-broad-subject-wildcard, X015
//! trust-duplicate-operator. Run on the trust policy matched to each request.

use super::Ctx;
use crate::diagnostic::{shown, Diagnostic, Rule, Severity};
use crate::model::policy::{key_span, strings, Policy};
use crate::model::request::Request;

pub static NO_AUD: Rule = Rule {
    code: "X011",
    name: "trust-no-audience-condition",
    severity: Severity::Warning,
    summary: "trust statement for an OIDC provider without a condition on its `aud` key",
};
pub static NO_SUB: Rule = Rule { code: "X012", name: "trust-no-subject-condition", severity: Severity::Warning, summary: "trust statement for a shared issuer (GitHub, GitLab.com, HCP Terraform, Google) without a condition on `sub`" };
pub static SET_OPERATOR: Rule = Rule {
    code: "X013",
    name: "trust-set-operator-single-valued",
    severity: Severity::Warning,
    summary: "`ForAnyValue:`/`ForAllValues:` on the single-valued `aud` or `sub` key",
};
pub static BROAD_SUB: Rule = Rule { code: "X014", name: "trust-broad-subject-wildcard", severity: Severity::Warning, summary: "`sub` condition with a wildcard that lets any repository, branch or project of a shared issuer in" };
pub static DUPLICATE_OPERATOR: Rule = Rule {
    code: "X015",
    name: "trust-duplicate-operator",
    severity: Severity::Warning,
    summary:
        "condition operator or key written twice in one Condition block: only the last one is kept",
};

const P: &str = "RoleArn";

/// Issuers many customers share: without a `sub` condition anyone on them can assume the role.
const SHARED: &[(&str, &str)] = &[
    (
        "token.actions.githubusercontent.com",
        "any GitHub Actions workflow of any repository",
    ),
    ("gitlab.com", "any GitLab.com CI job of any project"),
    (
        "app.terraform.io",
        "any HCP Terraform run of any organization",
    ),
    (
        "accounts.google.com",
        "any Google account or service account",
    ),
];

/// The issuer a statement trusts: the part after `oidc-provider/`, or a built-in provider.
fn issuer_of(s: &crate::model::policy::Statement<'_>) -> Option<String> {
    let p = s.get("Principal")?;
    let fed = p
        .value
        .members()?
        .iter()
        .filter(|m| m.key.value == "Federated")
        .flat_map(|m| strings(&m.value))
        .next()?;
    match fed.value.split_once(":oidc-provider/") {
        Some((_, host)) => Some(host.to_string()),
        // A SAML provider has no `aud`/`sub` keys of this kind.
        None if fed.value.contains(":saml-provider/") => None,
        None => Some(fed.value.clone()),
    }
}

pub fn check(req: &Request, ctx: &Ctx, out: &mut Vec<Diagnostic>) {
    let Some(inputs) = &ctx.trust else { return };
    let policy = super::named_role(req, inputs)
        .and_then(|r| r.trust.as_ref())
        .or_else(|| crate::eval::assess(req, inputs, ctx.now).and_then(|a| a.policy))
        .or(inputs.policies.first());
    if let Some(p) = policy {
        hygiene(p, out);
    }
}

/// The hygiene checks on one trust policy.
pub fn hygiene(policy: &Policy, out: &mut Vec<Diagnostic>) {
    for s in policy.statements() {
        // Duplicates (X015) matter in every statement; the rest only in Allow statements for an OIDC issuer.
        let issuer = issuer_of(&s)
            .filter(|_| s.effect() == Some("Allow"))
            .unwrap_or_default();
        let mut keys: Vec<(String, String, crate::json::Member)> = Vec::new(); // (operator, key, member)
        if let Some(cond) = s.get("Condition").and_then(|c| c.value.members()) {
            for (i, op) in cond.iter().enumerate() {
                if let Some(later) = cond[i + 1..].iter().find(|o| o.key.value == op.key.value) {
                    out.push(DUPLICATE_OPERATOR.report(format!("`{}` is written twice in the Condition of {}; JSON parsers keep only the last one, so the conditions in this one are silently dropped and the statement is broader than it reads", shown(&op.key.value), s.name()))
                        .at(key_span(op), "dropped").note(key_span(later), "kept")
                        .help(format!("merge the two `{}` blocks into one object with every key", shown(&op.key.value))).param(P));
                }
                let Some(members) = op.value.members() else {
                    continue;
                };
                for (j, k) in members.iter().enumerate() {
                    if let Some(later) =
                        members[j + 1..].iter().find(|x| x.key.value == k.key.value)
                    {
                        out.push(DUPLICATE_OPERATOR.report(format!("`{}` is written twice under `{}` in {}; only the last one is kept, so the values of this one are silently dropped", shown(&k.key.value), shown(&op.key.value), s.name()))
                            .at(key_span(k), "dropped").note(key_span(later), "kept")
                            .help("merge the values into one array: `\"KEY\": [\"a\", \"b\"]` matches either").param(P));
                    }
                    // Only what survives JSON parsing counts (the last of duplicates).
                    let op_survives = !cond[i + 1..].iter().any(|o| o.key.value == op.key.value);
                    let key_survives = !members[j + 1..].iter().any(|x| x.key.value == k.key.value);
                    if op_survives && key_survives {
                        keys.push((op.key.value.clone(), k.key.value.clone(), k.clone()));
                    }
                }
            }
        }
        if issuer.is_empty() {
            continue;
        }
        // Only a positive test restricts: `Null`, negated operators and `IfExists` let others in.
        let has = |suffix: &str| {
            keys.iter().any(|(op, k, _)| {
                let o = crate::model::policy::operator(op);
                k.eq_ignore_ascii_case(&format!("{issuer}:{suffix}"))
                    && o.base != "Null"
                    && !o.base.contains("Not")
                    && !o.if_exists
            })
        };
        let builtin = !issuer.contains('/') && !issuer.contains('.')
            || [
                "accounts.google.com",
                "cognito-identity.amazonaws.com",
                "www.amazon.com",
                "graph.facebook.com",
            ]
            .contains(&issuer.as_str());
        let principal_span = s
            .get("Principal")
            .map(|p| policy.span(&p.value.span))
            .unwrap_or(policy.span(&s.node.span));
        if !(has("aud") || issuer == "www.amazon.com" || issuer == "graph.facebook.com") {
            out.push(NO_AUD.report(format!("{} trusts `{issuer}` without a condition on `{issuer}:aud`: any audience the provider's client-ID list accepts may assume the role{}", s.name(), if builtin { ", and for a built-in provider that is any client of it" } else { "" }))
                .at(principal_span.clone(), "no aud condition")
                .help(format!("add `\"StringEquals\": {{\"{issuer}:aud\": \"AUDIENCE\"}}` (for GitHub Actions and EKS, `sts.amazonaws.com`)")).param(P));
        }
        if let Some((_, who)) = SHARED.iter().find(|(h, _)| *h == issuer) {
            // GitHub's repository keys (since early 2026) pin the repository as `sub` does.
            let pinned = has("sub")
                || (issuer == "token.actions.githubusercontent.com"
                    && (has("repository") || has("repository_id") || has("job_workflow_ref")));
            if !pinned {
                out.push(NO_SUB.report(format!("{} trusts the shared issuer `{issuer}` without a condition on `{issuer}:sub`: {who} can assume this role", s.name()))
                    .at(principal_span.clone(), "no sub condition")
                    .help(format!("add `\"StringEquals\": {{\"{issuer}:sub\": \"...\"}}` naming your repository and branch or environment, e.g. `repo:ORG/REPO:ref:refs/heads/main`")).param(P));
            }
        }
        for (op, k, m) in &keys {
            let lower = k.to_ascii_lowercase();
            let single = [format!("{issuer}:aud"), format!("{issuer}:sub")]
                .iter()
                .any(|x| x.eq_ignore_ascii_case(&lower));
            if single && (op.starts_with("ForAnyValue:") || op.starts_with("ForAllValues:")) {
                let base = op.split_once(':').map(|(_, b)| b).unwrap_or(op);
                out.push(SET_OPERATOR.report(format!("`{}` tests the single-valued `{}` in {}: set operators are for multi-valued keys, and `ForAllValues:` is true when the key is missing", shown(op), shown(k), s.name()))
                    .at(key_span(m), "single-valued key").help(format!("write `{base}`")).param(P));
            }
            if lower == format!("{issuer}:sub").to_ascii_lowercase()
                && (op.contains("Like"))
                && !op.contains("Not")
            {
                for t in strings(&m.value) {
                    if let Some(why) = broad(&issuer, &t.value) {
                        out.push(BROAD_SUB.report(format!("`{}` in {} {why}", shown(&t.value), s.name()))
                            .at(t.content_span(), "broad wildcard")
                            .help("name the repository and the branch, tag or environment: `repo:ORG/REPO:ref:refs/heads/main` or `repo:ORG/REPO:environment:prod`").param(P));
                    }
                }
            }
        }
    }
}

/// Why a `sub` pattern lets too much in, if it does.
fn broad(issuer: &str, pattern: &str) -> Option<String> {
    if pattern == "*" {
        return Some("matches every subject of the issuer".into());
    }
    if issuer == "token.actions.githubusercontent.com" {
        if !pattern.contains(['*', '?']) {
            return None;
        }
        let rest = pattern.strip_prefix("repo:")?;
        if rest.starts_with('*') {
            return Some("lets any repository on GitHub assume the role".into());
        }
        let (owner, tail) = rest.split_once('/')?;
        if owner.contains('*') {
            return Some("lets repositories of any matching owner assume the role".into());
        }
        if tail.starts_with('*') {
            return Some(format!("lets any repository of `{owner}` (and any branch, tag or pull request of it) assume the role"));
        }
        let (repo, ctx) = tail.split_once(':').unwrap_or((tail, ""));
        if repo.contains(['*', '?']) {
            return Some(format!("lets every repository of `{owner}` whose name matches `{repo}` (and any branch, tag or pull request of them) assume the role"));
        }
        if ctx == "*" || ctx.starts_with('*') {
            return Some("lets any branch, tag, environment or pull request of the repository assume the role".into());
        }
    }
    None
}

#[cfg(test)]
mod tests {
    use super::broad;

    #[test]
    fn broad_patterns() {
        let gh = "token.actions.githubusercontent.com";
        assert!(broad(gh, "repo:*").is_some());
        assert!(broad(gh, "repo:acme/*").is_some());
        assert!(broad(gh, "repo:acme/app:*").is_some());
        assert!(broad(gh, "*").is_some());
        assert!(broad(gh, "repo:acme/app:ref:refs/heads/*").is_none());
        assert!(broad(gh, "repo:acme/app").is_none(), "no wildcard");
        assert!(broad(gh, "repo:acme/app*").is_some());
        assert!(broad(gh, "repo:acme/app:environment:prod").is_none());
        assert!(broad(
            "oidc.eks.eu-west-1.amazonaws.com/id/X",
            "system:serviceaccount:ci:*"
        )
        .is_none());
    }
}

#[cfg(test)]
mod hygiene_tests {
    use crate::rules::testing::{codes_with_trust, github_role, with};

    fn x(cond: &str) -> Vec<&'static str> {
        codes_with_trust(&with(""), &github_role(cond, 3600), None)
            .into_iter()
            .filter(|c| *c >= "X011")
            .collect()
    }

    #[test]
    fn tight_conditions_pass() {
        assert_eq!(
            x(
                r#"{"StringEquals": {"token.actions.githubusercontent.com:aud": "sts.amazonaws.com", "token.actions.githubusercontent.com:sub": "repo:acme/app:ref:refs/heads/main"}}"#
            ),
            Vec::<&str>::new()
        );
    }

    #[test]
    fn loose_conditions_are_reported() {
        assert_eq!(
            x(
                r#"{"StringEquals": {"token.actions.githubusercontent.com:sub": "repo:acme/app:ref:refs/heads/main"}}"#
            ),
            ["X011"]
        );
        assert_eq!(
            x(
                r#"{"StringEquals": {"token.actions.githubusercontent.com:aud": "sts.amazonaws.com"}}"#
            ),
            ["X012"]
        );
        assert_eq!(
            x(
                r#"{"ForAllValues:StringEquals": {"token.actions.githubusercontent.com:aud": "sts.amazonaws.com"}, "StringEquals": {"token.actions.githubusercontent.com:sub": "repo:acme/app:ref:refs/heads/main"}}"#
            ),
            ["X013"]
        );
        assert_eq!(
            x(
                r#"{"StringEquals": {"token.actions.githubusercontent.com:aud": "sts.amazonaws.com"}, "StringLike": {"token.actions.githubusercontent.com:sub": "repo:acme/*"}}"#
            ),
            ["X014"]
        );
        let dup = r#"{"StringEquals": {"token.actions.githubusercontent.com:sub": "repo:acme/app:ref:refs/heads/main"}, "StringEquals": {"token.actions.githubusercontent.com:aud": "sts.amazonaws.com"}}"#;
        let c = x(dup);
        assert!(c.contains(&"X015") && c.contains(&"X012"), "{c:?}");
        // A negated or Null test of sub does not pin anything; GitHub's repository key does.
        assert_eq!(
            x(
                r#"{"StringEquals": {"token.actions.githubusercontent.com:aud": "sts.amazonaws.com"}, "StringNotEquals": {"token.actions.githubusercontent.com:sub": "repo:evil/x:pull_request"}}"#
            ),
            ["X012"]
        );
        assert_eq!(
            x(
                r#"{"StringEquals": {"token.actions.githubusercontent.com:aud": "sts.amazonaws.com", "token.actions.githubusercontent.com:repository": "acme/app"}}"#
            ),
            Vec::<&str>::new()
        );
        // A pattern without wildcard is not broad.
        assert_eq!(
            x(
                r#"{"StringEquals": {"token.actions.githubusercontent.com:aud": "sts.amazonaws.com"}, "StringLike": {"token.actions.githubusercontent.com:sub": "repo:acme/app"}}"#
            ),
            Vec::<&str>::new()
        );
    }

    #[test]
    fn saml_and_deny_statements() {
        let saml = r#"{"Role": {"Arn": "arn:aws:iam::111122223333:role/ci", "AssumeRolePolicyDocument": {"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Principal": {"Federated": "arn:aws:iam::111122223333:saml-provider/Okta"}, "Action": "sts:AssumeRoleWithSAML"}, {"Effect": "Deny", "Principal": "*", "Action": "*", "Condition": {"StringEquals": {"aws:SourceVpc": "vpc-1"}, "StringEquals": {"aws:SourceVpc": "vpc-2"}}}]}}}"#;
        let c: Vec<&str> = codes_with_trust(&with(""), saml, None)
            .into_iter()
            .filter(|c| *c >= "X011")
            .collect();
        assert_eq!(c, ["X015"], "no X011 for SAML; X015 in a Deny statement");
    }
}
