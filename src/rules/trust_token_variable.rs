//! X016 trust-subject-shape: the token comes from a CI variable that fixes the shape of its `sub`
//! (CircleCI's `$CIRCLE_OIDC_TOKEN` is `org/ORG/project/PROJECT/user/USER`; `$CIRCLE_OIDC_TOKEN_V2`
//! adds `/vcs-origin/REPO/vcs-ref/REF`), and every statement of the role's trust policy that could
//! allow it tests `sub` with values that shape can never meet. The token is unknown until the job
//! runs, but the denial is certain: STS answers `AccessDenied` on every run. The shapes are data:
//! the `subject` entries of `rules/token-variables.json`. Runs only with `--role` or
//! `--trust-policy`.

use super::Ctx;
use crate::diagnostic::{shown, Diagnostic, Rule, Severity};
use crate::model::policy::{key_span, operator, strings, Policy, Statement};
use crate::model::request::Request;
use crate::model::token_variables::{self, Subject};
use crate::source::Span;

pub static RULE: Rule = Rule {
    code: "X016",
    name: "trust-subject-shape",
    severity: Severity::Error,
    summary: "trust policy whose `sub` conditions the token variable's subject shape never meets (CircleCI `$CIRCLE_OIDC_TOKEN` vs `$CIRCLE_OIDC_TOKEN_V2`)",
};

/// Whether a `sub` of `shape` can never match `value` under the operator `base`.
fn never_matches(shape: &Subject, base: &str, value: &str) -> bool {
    // A policy variable (`${aws:username}`) may put in anything.
    if value.contains("${") {
        return false;
    }
    let ignore_case = base == "StringEqualsIgnoreCase";
    let has = |part: &str| {
        if ignore_case {
            value.to_lowercase().contains(&part.to_lowercase())
        } else {
            value.contains(part)
        }
    };
    // Any match of the value holds its literal text, so text the `sub` never holds rules it out.
    if shape.never_contains.iter().any(|p| has(p)) {
        return true;
    }
    // Without wildcards the `sub` must be the value itself, which lacks what the `sub` always holds.
    let exact = base != "StringLike" || !value.contains(['*', '?']);
    exact && shape.always_contains.iter().any(|p| !has(p))
}

/// The `sub` condition of `s` that `shape` can never meet: the key as written and the values.
fn failing_condition<'p>(s: &Statement<'p>, shape: &Subject) -> Option<(Span, Vec<String>)> {
    let cond = s.get("Condition")?.value.members()?;
    for (i, op) in cond.iter().enumerate() {
        // Only the last of duplicate operators counts (X015).
        if cond[i + 1..].iter().any(|o| o.key.value == op.key.value) {
            continue;
        }
        // `sub` is always there and single-valued: `ForAnyValue:`/`ForAllValues:` test it as the
        // bare operator does.
        let o = operator(&op.key.value);
        let set = matches!(o.qualifier, None | Some("ForAnyValue" | "ForAllValues"));
        if !set
            || !matches!(
                o.base,
                "StringEquals" | "StringEqualsIgnoreCase" | "StringLike"
            )
        {
            continue;
        }
        let Some(keys) = op.value.members() else {
            continue;
        };
        for (j, k) in keys.iter().enumerate() {
            let key = k.key.value.to_ascii_lowercase();
            let is_sub = key.starts_with(&shape.key_prefix) && key.ends_with(":sub");
            if !is_sub || keys[j + 1..].iter().any(|x| x.key.value == k.key.value) {
                continue;
            }
            let values = strings(&k.value);
            let all_strings = match &k.value.value {
                crate::json::Json::String(_) => true,
                crate::json::Json::Array(items) => items.len() == values.len(),
                _ => false,
            };
            if all_strings
                && !values.is_empty()
                && values
                    .iter()
                    .all(|v| never_matches(shape, o.base, &v.value))
            {
                return Some((
                    key_span(k),
                    values.iter().map(|v| v.value.clone()).collect(),
                ));
            }
        }
    }
    None
}

/// Whether statement `s` could allow the call for a token of this issuer: Allow, the action, a
/// principal that may be the issuer's provider. `NotAction`/`NotPrincipal` count as could.
fn could_allow(s: &Statement<'_>, shape: &Subject) -> bool {
    if s.effect() != Some("Allow") {
        return false;
    }
    let action = |m: &crate::json::Member| {
        strings(&m.value)
            .iter()
            .any(|t| crate::eval::glob(&t.value, "sts:AssumeRoleWithWebIdentity", true))
    };
    match (s.get("Action"), s.get("NotAction")) {
        (Some(m), _) if !action(m) => return false,
        (None, None) => return false,
        _ => {}
    }
    let Some(p) = s.get("Principal") else {
        return s.get("NotPrincipal").is_some();
    };
    let Some(members) = p.value.members() else {
        return true; // "*"
    };
    let federated: Vec<_> = members
        .iter()
        .filter(|m| m.key.value == "Federated")
        .flat_map(|m| strings(&m.value))
        .collect();
    federated.is_empty()
        || federated.iter().any(|f| {
            f.value
                .split_once(":oidc-provider/")
                .is_some_and(|(_, host)| host.to_ascii_lowercase().starts_with(&shape.key_prefix))
        })
}

/// The trust policy of the role this request assumes, when it is certain which one that is.
fn policy_for<'a>(req: &Request, inputs: &'a crate::model::trust::Inputs) -> Option<&'a Policy> {
    match super::named_role(req, inputs) {
        Some(r) => r.trust.as_ref(),
        None => (inputs.policies.len() == 1).then(|| &inputs.policies[0]),
    }
}

pub fn check(req: &Request, ctx: &Ctx, out: &mut Vec<Diagnostic>) {
    let (Some(inputs), Some(p)) = (&ctx.trust, &req.web_identity_token) else {
        return;
    };
    let Some((d, name)) = token_variables::whole_variable(&p.text) else {
        return;
    };
    let Some(shape) = token_variables::id_token(name).and_then(|v| v.subject.as_ref()) else {
        return;
    };
    let Some(policy) = policy_for(req, inputs) else {
        return;
    };
    let mut failing = Vec::new();
    for s in policy.statements().iter().filter(|s| could_allow(s, shape)) {
        match failing_condition(s, shape) {
            Some(f) => failing.push((s.name(), f)),
            // This statement may allow the token: nothing is certain.
            None => return,
        }
    }
    let Some((first_name, (first_key, values))) = failing.first() else {
        return;
    };
    let needs = if shape.never_contains.is_empty() {
        "lacks what".to_string()
    } else {
        format!(
            "needs {}, which",
            shape
                .never_contains
                .iter()
                .map(|s| format!("`{s}`"))
                .collect::<Vec<_>>()
                .join(" or ")
        )
    };
    let mut diag = RULE
        .report(format!(
            "WebIdentityToken is `{}`, whose `sub` is always `{}`; the role's trust policy allows only subjects it never has ({first_name} tests `sub` against {}: it {needs} this token's `sub` never {}), so STS answers `AccessDenied` on every run",
            d.expr,
            shape.shape,
            values.iter().map(|v| format!("`{}`", shown(v))).collect::<Vec<_>>().join(" or "),
            if shape.never_contains.is_empty() { "lacks" } else { "has" },
        ))
        .at(d.span.clone(), "subject never matches")
        .note(first_key.clone(), "the condition it fails")
        .help(format!(
            "pass `${}`, whose `sub` is `{}`, or change the trust policy's `sub` condition to match `{}`",
            shape.other, shape.other_shape, shape.shape
        ))
        .param("WebIdentityToken");
    for (_, (key, _)) in &failing[1..] {
        diag = diag.note(key.clone(), "fails too");
    }
    out.push(diag);
}

#[cfg(test)]
mod tests {
    use crate::rules::testing::codes_with_trust;

    fn call(token: &str) -> String {
        format!("aws sts assume-role-with-web-identity --role-arn arn:aws:iam::111122223333:role/ci --role-session-name ci-run --web-identity-token {token}")
    }

    fn trust(sub_op: &str, sub: &str) -> String {
        format!(
            r#"{{"Version":"2012-10-17","Statement":[{{"Effect":"Allow","Principal":{{"Federated":"arn:aws:iam::111122223333:oidc-provider/oidc.circleci.com/org/0b2d5b7e-1c3a-4d5e-9f60-7a8b9c0d1e2f"}},"Action":"sts:AssumeRoleWithWebIdentity","Condition":{{"{sub_op}":{{"oidc.circleci.com/org/0b2d5b7e-1c3a-4d5e-9f60-7a8b9c0d1e2f:sub":{sub}}}}}}}]}}"#
        )
    }

    /// `aws iam get-role` output around a trust policy.
    fn role(policy: &str) -> String {
        format!(
            r#"{{"Role": {{"Arn": "arn:aws:iam::111122223333:role/ci", "AssumeRolePolicyDocument": {policy}}}}}"#
        )
    }

    fn x016_with(token: &str, policy: &str) -> bool {
        codes_with_trust(&call(token), &role(policy), None).contains(&"X016")
    }

    fn x016(token: &str, op: &str, sub: &str) -> bool {
        x016_with(token, &trust(op, sub))
    }

    const V2_SUB: &str = r#""org/0b2d5b7e-1c3a-4d5e-9f60-7a8b9c0d1e2f/project/*/user/*/vcs-origin/github.com/my-org/*/vcs-ref/refs/heads/main""#;
    const V1_SUB: &str = r#""org/0b2d5b7e-1c3a-4d5e-9f60-7a8b9c0d1e2f/project/4a5b6c7d-0000-4000-8000-000000000001/user/9e8d7c6b-0000-4000-8000-000000000002""#;

    #[test]
    fn v1_token_against_a_v2_subject() {
        assert!(x016("\"$CIRCLE_OIDC_TOKEN\"", "StringLike", V2_SUB));
        assert!(x016("$CIRCLE_OIDC_TOKEN", "StringEquals", V2_SUB));
        assert!(x016("$CIRCLE_OIDC_TOKEN", "StringLikeIfExists", V2_SUB));
        // the V2 token, or a V1-shaped pattern with a wildcard, may match
        assert!(!x016("$CIRCLE_OIDC_TOKEN_V2", "StringLike", V2_SUB));
        let v1_wild = r#""org/0b2d5b7e-1c3a-4d5e-9f60-7a8b9c0d1e2f/project/*/user/*""#;
        assert!(!x016("$CIRCLE_OIDC_TOKEN", "StringLike", v1_wild));
        assert!(!x016("$CIRCLE_OIDC_TOKEN_V2", "StringLike", v1_wild));
        // one value of the list may match
        let either = format!("[{V2_SUB}, {v1_wild}]");
        assert!(!x016("$CIRCLE_OIDC_TOKEN", "StringLike", &either));
        // on the always-present, single-valued sub, set operators test as the bare one
        let v1 = "$CIRCLE_OIDC_TOKEN";
        assert!(x016(v1, "ForAnyValue:StringLike", V2_SUB));
        assert!(x016(v1, "ForAllValues:StringLike", V2_SUB));
        // negated operators, policy variables: not decided here
        assert!(!x016(v1, "StringNotLike", V2_SUB));
        assert!(!x016(v1, "ForAnyValue:StringNotLike", V2_SUB));
        let var = r#""org/${aws:PrincipalTag/x}/vcs-origin/x""#;
        assert!(!x016("$CIRCLE_OIDC_TOKEN", "StringLike", var));
        // an unknown token, or another variable, or one the script may set itself (the orb
        // replaces both with `circleci run oidc get` when they are empty)
        assert!(!x016("\"$TOKEN\"", "StringLike", V2_SUB));
        let orb = "if [ -z \"$CIRCLE_OIDC_TOKEN\" ]; then CIRCLE_OIDC_TOKEN=$(circleci run oidc get); fi\n";
        let policy = trust("StringLike", V2_SUB);
        let src = format!("{orb}{}", call("\"$CIRCLE_OIDC_TOKEN\""));
        assert!(!codes_with_trust(&src, &role(&policy), None).contains(&"X016"));
        assert!(!x016(
            "\"$BITBUCKET_STEP_OIDC_TOKEN\"",
            "StringLike",
            V2_SUB
        ));
    }

    #[test]
    fn v2_token_against_an_exact_v1_subject() {
        assert!(x016("$CIRCLE_OIDC_TOKEN_V2", "StringEquals", V1_SUB));
        assert!(x016("$CIRCLE_OIDC_TOKEN_V2", "StringLike", V1_SUB));
        assert!(!x016("$CIRCLE_OIDC_TOKEN", "StringEquals", V1_SUB));
    }

    #[test]
    fn another_statement_that_may_allow_keeps_it_open() {
        let policy = r#"{"Version":"2012-10-17","Statement":[
          {"Effect":"Allow","Principal":{"Federated":"arn:aws:iam::111122223333:oidc-provider/oidc.circleci.com/org/0b2d5b7e-1c3a-4d5e-9f60-7a8b9c0d1e2f"},"Action":"sts:AssumeRoleWithWebIdentity","Condition":{"StringLike":{"oidc.circleci.com/org/0b2d5b7e-1c3a-4d5e-9f60-7a8b9c0d1e2f:sub":"org/*/vcs-origin/*"}}},
          {"Effect":"Allow","Principal":{"Federated":"arn:aws:iam::111122223333:oidc-provider/oidc.circleci.com/org/0b2d5b7e-1c3a-4d5e-9f60-7a8b9c0d1e2f"},"Action":"sts:AssumeRoleWithWebIdentity","Condition":{"StringEquals":{"oidc.circleci.com/org/0b2d5b7e-1c3a-4d5e-9f60-7a8b9c0d1e2f:aud":"0b2d5b7e-1c3a-4d5e-9f60-7a8b9c0d1e2f"}}}]}"#;
        assert!(!x016_with("$CIRCLE_OIDC_TOKEN", policy));
        // a statement for another provider, a Deny, another action: they allow nothing here
        let policy = r#"{"Version":"2012-10-17","Statement":[
          {"Effect":"Allow","Principal":{"Federated":"arn:aws:iam::111122223333:oidc-provider/oidc.circleci.com/org/0b2d5b7e-1c3a-4d5e-9f60-7a8b9c0d1e2f"},"Action":"sts:AssumeRoleWithWebIdentity","Condition":{"StringLike":{"oidc.circleci.com/org/0b2d5b7e-1c3a-4d5e-9f60-7a8b9c0d1e2f:sub":"org/*/vcs-origin/*"}}},
          {"Effect":"Allow","Principal":{"Federated":"arn:aws:iam::111122223333:oidc-provider/token.actions.githubusercontent.com"},"Action":"sts:AssumeRoleWithWebIdentity"},
          {"Effect":"Deny","Principal":"*","Action":"sts:AssumeRoleWithWebIdentity"},
          {"Effect":"Allow","Principal":{"AWS":"arn:aws:iam::111122223333:root"},"Action":"sts:TagSession"}]}"#;
        assert!(x016_with("$CIRCLE_OIDC_TOKEN", policy));
    }
}
