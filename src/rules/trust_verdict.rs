//! The role's trust policy evaluated against the token, offline: X001 trust-denied, X002
//! trust-statement-not-matching, X003 trust-allowed, X004 trust-key-never-present, X005
//! trust-depends-on-request.
//!
//! STS answers a trust policy that does not allow the call with only
//! `AccessDenied: Not authorized to perform sts:AssumeRoleWithWebIdentity`. These rules say which
//! statement, operator, key and value decided it. Runs only with `--role` or `--trust-policy`.

use super::Ctx;
use crate::diagnostic::{shown, Diagnostic, Rule, Severity};
use crate::eval::{assess, CondResult, Lookup, StmtResult, Tri, Verdict};
use crate::model::request::Request;

pub static DENIED: Rule = Rule { code: "X001", name: "trust-denied", severity: Severity::Error, summary: "the role's trust policy does not allow this token: no statement allows the call, or a Deny matches" };
pub static NOT_MATCHING: Rule = Rule {
    code: "X002",
    name: "trust-statement-not-matching",
    severity: Severity::Info,
    summary: "why another statement of a denying trust policy does not apply",
};
pub static ALLOWED: Rule = Rule {
    code: "X003",
    name: "trust-allowed",
    severity: Severity::Info,
    summary: "the statement of the role's trust policy that allows this token",
};
pub static NEVER_PRESENT: Rule = Rule {
    code: "X004",
    name: "trust-key-never-present",
    severity: Severity::Warning,
    summary:
        "trust policy condition on an issuer key STS never makes from the token (a custom claim)",
};
pub static DEPENDS: Rule = Rule { code: "X005", name: "trust-depends-on-request", severity: Severity::Warning, summary: "trust policy outcome that depends on what is known only at call time (source IP, VPC, region)" };

const P: &str = "RoleArn";

fn value_list(v: &[String]) -> String {
    v.iter()
        .map(|s| format!("`{}`", shown(s)))
        .collect::<Vec<_>>()
        .join(" or ")
}

/// Why one condition failed, in words.
/// `` `H:aud`, `H:sub`, `H:actor` and 8 more `` — the keys STS makes, briefly.
pub fn key_list(issuer_keys: &[String], issuer: &str) -> String {
    let shown: Vec<String> = issuer_keys
        .iter()
        .take(3)
        .map(|k| format!("`{issuer}:{k}`"))
        .collect();
    match issuer_keys.len() {
        n if n > 3 => format!("{} and {} more", shown.join(", "), n - 3),
        _ => shown.join(", "),
    }
}

pub fn explain(c: &CondResult, issuer_keys: &[String], issuer: &str) -> String {
    let key = shown(&c.key);
    match &c.actual {
        Lookup::Absent
            if c.key
                .to_ascii_lowercase()
                .starts_with(&format!("{}:", issuer.to_ascii_lowercase())) =>
        {
            format!(
            "`{key}` is not a key STS makes from this token (it makes {}), so `{}` never matches",
            key_list(issuer_keys, issuer),
            c.operator
        )
        }
        Lookup::Absent => format!(
            "this request has no `{key}`, so `{}` does not match",
            c.operator
        ),
        Lookup::Unknown => format!("`{key}` is known only when the call is made"),
        Lookup::Values(v) => {
            let actual = if v.len() == 1 {
                format!("`{}`", shown(&v[0]))
            } else {
                format!(
                    "[{}]",
                    v.iter()
                        .map(|s| format!("`{}`", shown(s)))
                        .collect::<Vec<_>>()
                        .join(", ")
                )
            };
            format!(
                "`{key}` is {actual}, which does not match {} (`{}`)",
                value_list(&c.expected),
                c.operator
            )
        }
    }
}

/// The first reason a statement does not apply: principal, action, or its failing conditions.
fn reason(
    s: &StmtResult,
    issuer_keys: &[String],
    issuer: &str,
) -> (
    String,
    crate::source::Span,
    Vec<(crate::source::Span, String)>,
) {
    if let Some((why, span)) = &s.principal {
        return (why.clone(), span.clone(), Vec::new());
    }
    if let Some((why, span)) = &s.action {
        return (why.clone(), span.clone(), Vec::new());
    }
    let failing: Vec<&CondResult> = s
        .conditions
        .iter()
        .filter(|c| c.result == Tri::False)
        .collect();
    match failing.first() {
        Some(first) => {
            let mut text = explain(first, issuer_keys, issuer);
            if failing.len() > 1 {
                text.push_str(&format!(
                    "; and {} more condition{} fail",
                    failing.len() - 1,
                    if failing.len() > 2 { "s" } else { "" }
                ));
            }
            let notes = failing[1..]
                .iter()
                .map(|c| (c.key_span.clone(), "also fails".to_string()))
                .collect();
            (text, first.key_span.clone(), notes)
        }
        None => (
            "its conditions depend on the call".into(),
            s.span.clone(),
            Vec::new(),
        ),
    }
}

/// The statement that came closest to allowing: right principal and action, fewest failing conditions.
fn closest(v: &Verdict) -> Option<&StmtResult> {
    v.statements
        .iter()
        .filter(|s| s.effect_allow)
        .min_by_key(|s| {
            let fails = s
                .conditions
                .iter()
                .filter(|c| c.result == Tri::False)
                .count();
            (
                s.principal.is_some() as usize,
                s.action.is_some() as usize,
                fails,
            )
        })
}

pub fn check(req: &Request, ctx: &Ctx, out: &mut Vec<Diagnostic>) {
    let Some(inputs) = &ctx.trust else { return };
    let Some(a) = assess(req, inputs, ctx.now) else {
        return;
    };
    let Some(policy) = a.policy else { return };
    let keys = &a.ctx.issuer_keys;
    let issuer = &a.ctx.issuer;
    let whole = policy.span(&(policy.root.span.start..policy.root.span.start + 1));
    // X004: conditions on issuer keys STS does not make, anywhere in the policy.
    if let Some(v) = a.verdicts.first() {
        for s in &v.statements {
            for c in s
                .conditions
                .iter()
                .filter(|c| a.ctx.keys_complete && a.ctx.is_unsupported_claim(&c.key))
            {
                out.push(NEVER_PRESENT.report(format!("{} conditions on `{}`, which STS does not make from {issuer} tokens (it makes {}): custom claims are not condition keys, so `{}` finds no value{}", s.name, shown(&c.key), key_list(keys, issuer), c.operator, if c.result == Tri::True { " — and with this operator a missing key makes the condition true, so it restricts nothing" } else { " and never matches" }))
                    .at(c.key_span.clone(), "not a key STS makes")
                    .help(format!("test the claim through a key STS makes, e.g. `{issuer}:sub`"))
                    .param(P));
            }
        }
    }
    for v in &a.verdicts {
        match v.allowed {
            Tri::True => {
                let s = &v.statements[v.allowed_by.unwrap_or(0)];
                out.push(ALLOWED.report(format!("the role's trust policy allows `{}` for this token: {} matches (principal `{}`{})", v.action, s.name, a.caller.federated, if s.conditions.is_empty() { String::new() } else { format!(", {} condition{} true", s.conditions.len(), if s.conditions.len() == 1 { "" } else { "s" }) }))
                    .at(s.span.start(), "allows").param(P));
            }
            Tri::Unknown => {
                let unknown: Vec<&str> = v
                    .statements
                    .iter()
                    .flat_map(|s| s.conditions.iter())
                    .filter(|c| c.result == Tri::Unknown)
                    .map(|c| c.key.as_str())
                    .collect();
                let span = v
                    .statements
                    .iter()
                    .flat_map(|s| s.conditions.iter())
                    .find(|c| c.result == Tri::Unknown)
                    .map(|c| c.key_span.clone())
                    .unwrap_or(whole.clone());
                out.push(DEPENDS.report(format!("whether the trust policy allows `{}` depends on {}, known only when the call is made", v.action, unknown.iter().map(|k| format!("`{}`", shown(k))).collect::<Vec<_>>().join(", ")))
                    .at(span, "known at call time").help("check those values where the call runs (e.g. the runner's public IP for `aws:SourceIp`)").param(P));
            }
            Tri::False => {
                if let Some(d) = v.denied_by {
                    let s = &v.statements[d];
                    out.push(DENIED.report(format!("denied: {} of the role's trust policy explicitly denies `{}` for this token, and an explicit Deny wins; STS answers `AccessDenied: Not authorized to perform {}`", s.name, v.action, v.action))
                        .at(s.span.clone(), "Deny matches").help("narrow the Deny statement's conditions, or do not call with this token").param(P));
                    continue;
                }
                let extra = if v.action == "sts:AssumeRoleWithWebIdentity" {
                    String::new()
                } else {
                    format!(
                        " (the token carries {}, so STS also checks `{}`)",
                        if v.action == "sts:TagSession" {
                            "session tags"
                        } else {
                            "a source identity"
                        },
                        v.action
                    )
                };
                match closest(v) {
                    None => out.push(DENIED.report(format!("denied: the role's trust policy has no Allow statement, so it allows no `{}`{extra}; STS answers `AccessDenied: Not authorized to perform {}`", v.action, v.action))
                        .at(whole.clone(), "no Allow").help(format!("add a statement allowing `{}` for `{}`", v.action, a.caller.federated)).param(P)),
                    Some(best) => {
                        let (why, span, notes) = reason(best, keys, issuer);
                        let mut d = DENIED.report(format!("denied: no statement of the role's trust policy allows `{}` for this token{extra}. Closest: {} — {why}. STS answers `AccessDenied: Not authorized to perform {}`", v.action, best.name, v.action))
                            .at(span, "does not match")
                            .help(fix_help(best, &v.action, &a.caller.federated))
                            .param(P);
                        for (s, l) in notes {
                            d = d.note(s, l);
                        }
                        out.push(d);
                        for other in v.statements.iter().filter(|s| s.effect_allow && !std::ptr::eq(*s, best)) {
                            let (why, span, _) = reason(other, keys, issuer);
                            out.push(NOT_MATCHING.report(format!("{} does not allow it either: {why}", other.name)).at(span, "does not match").param(P));
                        }
                    }
                }
            }
        }
    }
}

fn fix_help(s: &StmtResult, action: &str, federated: &str) -> String {
    if s.principal.is_some() {
        return format!(
            "name the provider exactly: `\"Principal\": {{\"Federated\": \"{federated}\"}}`"
        );
    }
    if s.action.is_some() {
        return format!("add `{action}` to the statement's Action");
    }
    match s.conditions.iter().find(|c| c.result == Tri::False) {
        Some(c) => match &c.actual {
            Lookup::Values(v) if v.len() == 1 => format!("if this token should be allowed, add `{}` to the values of `{}` (or request a token whose claim matches)", shown(&v[0]), shown(&c.key)),
            Lookup::Values(v) if !v.is_empty() => format!("if this token should be allowed, make the condition on `{}` accept one of its values ({}), or request a token whose claim matches", shown(&c.key), v.iter().map(|x| format!("`{}`", shown(x))).collect::<Vec<_>>().join(", ")),
            _ => format!("remove the condition on `{}`, or test a key the token carries", shown(&c.key)),
        },
        None => "check the conditions at call time".into(),
    }
}

#[cfg(test)]
mod tests {
    use crate::rules::testing::{codes_with_trust, github_role, with};

    const OK: &str = r#"{"StringEquals": {"token.actions.githubusercontent.com:aud": "sts.amazonaws.com", "token.actions.githubusercontent.com:sub": "repo:acme/app:ref:refs/heads/main"}}"#;

    #[test]
    fn a_matching_statement_allows() {
        assert_eq!(
            codes_with_trust(&with(""), &github_role(OK, 3600), None),
            ["X003"]
        );
        let like = r#"{"StringEquals": {"token.actions.githubusercontent.com:aud": "sts.amazonaws.com"}, "StringLike": {"token.actions.githubusercontent.com:sub": "repo:acme/app:ref:refs/heads/*"}}"#;
        assert_eq!(
            codes_with_trust(&with(""), &github_role(like, 3600), None),
            ["X003"]
        );
    }

    #[test]
    fn mismatches_deny_with_the_reason() {
        let other = r#"{"StringEquals": {"token.actions.githubusercontent.com:aud": "sts.amazonaws.com", "token.actions.githubusercontent.com:sub": "repo:acme/app:pull_request"}}"#;
        assert_eq!(
            codes_with_trust(&with(""), &github_role(other, 3600), None),
            ["X001"]
        );
        let custom = r#"{"StringEquals": {"token.actions.githubusercontent.com:aud": "sts.amazonaws.com", "token.actions.githubusercontent.com:sub": "repo:acme/app:ref:refs/heads/main", "token.actions.githubusercontent.com:event_name": "push"}}"#;
        let c = codes_with_trust(&with(""), &github_role(custom, 3600), None);
        assert!(c.contains(&"X001") && c.contains(&"X004"), "{c:?}");
        let ip = r#"{"StringEquals": {"token.actions.githubusercontent.com:aud": "sts.amazonaws.com", "token.actions.githubusercontent.com:sub": "repo:acme/app:ref:refs/heads/main"}, "IpAddress": {"aws:SourceIp": "203.0.113.0/24"}}"#;
        assert_eq!(
            codes_with_trust(&with(""), &github_role(ip, 3600), None),
            ["X005"]
        );
        let deny = github_role(OK, 3600).replace(r#""Effect": "Allow""#, r#""Effect": "Deny""#);
        assert_eq!(codes_with_trust(&with(""), &deny, None), ["X001"]);
    }
}
