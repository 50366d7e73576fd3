//! A trust policy statement, and a whole policy, evaluated for one action by one caller: principal,
//! action and conditions, an explicit Deny winning over any Allow.

use super::condition::{condition_values, eval_condition, glob, Tri};
use super::context::{Context, Lookup};
use crate::json::Member;
use crate::model::policy::{key_span, strings, Policy, Statement};
use crate::source::{Span, Text};

/// One condition (operator, key) and how it went.
#[derive(Debug, Clone)]
pub struct CondResult {
    pub operator: String,
    pub key: String,
    pub key_span: Span,
    pub expected: Vec<String>,
    pub actual: Lookup,
    pub result: Tri,
}

/// Why a statement does or does not apply.
#[derive(Debug, Clone)]
pub struct StmtResult {
    pub name: String,
    pub span: Span,
    pub effect_allow: bool,
    /// `Some(reason, span)` when the principal does not match.
    pub principal: Option<(String, Span)>,
    /// `Some(reason, span)` when the action is not covered.
    pub action: Option<(String, Span)>,
    pub conditions: Vec<CondResult>,
    pub result: Tri,
}

/// The caller as a trust policy's `Principal` sees it.
#[derive(Debug, Clone)]
pub struct Caller {
    /// `arn:PART:iam::ACCOUNT:oidc-provider/HOST/PATH`, or the built-in provider's name.
    pub federated: String,
    /// The account of the role, to explain a provider ARN in another account.
    pub account: Option<String>,
}

/// Evaluates a statement for `action` by `caller` in `ctx`.
pub fn eval_statement(
    policy: &Policy,
    s: &Statement<'_>,
    action: &str,
    caller: &Caller,
    ctx: &Context,
) -> StmtResult {
    let span = policy.span(&s.node.span);
    let mut r = StmtResult {
        name: s.name(),
        span: span.clone(),
        effect_allow: s.effect() == Some("Allow"),
        principal: None,
        action: None,
        conditions: Vec::new(),
        result: Tri::True,
    };
    r.principal = principal_mismatch(policy, s, caller);
    r.action = match (s.get("Action"), s.get("NotAction")) {
        (Some(m), _)
            if !strings(&m.value)
                .iter()
                .any(|t| glob(&t.value, action, true)) =>
        {
            Some((
                format!(
                    "its Action ({}) does not include `{action}`",
                    strings(&m.value)
                        .iter()
                        .map(|t| format!("`{}`", t.value))
                        .collect::<Vec<_>>()
                        .join(", ")
                ),
                policy.span(&m.value.span),
            ))
        }
        (None, Some(m))
            if strings(&m.value)
                .iter()
                .any(|t| glob(&t.value, action, true)) =>
        {
            Some((
                format!("its NotAction excludes `{action}`"),
                policy.span(&m.value.span),
            ))
        }
        (None, None) => Some(("it has no Action".into(), span.clone())),
        _ => None,
    };
    if let Some(cond) = s.get("Condition").and_then(|c| c.value.members()) {
        // A JSON key written twice keeps only its last value, as IAM reads it (X015 reports it).
        let last =
            |ms: &[Member], i: usize| !ms[i + 1..].iter().any(|m| m.key.value == ms[i].key.value);
        for op in cond
            .iter()
            .enumerate()
            .filter(|(i, _)| last(cond, *i))
            .map(|(_, o)| o)
        {
            let Some(keys) = op.value.members() else {
                continue;
            };
            for k in keys
                .iter()
                .enumerate()
                .filter(|(j, _)| last(keys, *j))
                .map(|(_, k)| k)
            {
                let expected = condition_values(&k.value);
                let actual = ctx.get(&k.key.value);
                let result = eval_condition(&op.key.value, &expected, &actual);
                r.conditions.push(CondResult {
                    operator: op.key.value.clone(),
                    key: k.key.value.clone(),
                    key_span: key_span(k),
                    expected,
                    actual,
                    result,
                });
            }
        }
    }
    r.result = if r.principal.is_some() || r.action.is_some() {
        Tri::False
    } else {
        r.conditions
            .iter()
            .fold(Tri::True, |acc, c| acc.and(c.result))
    };
    r
}

fn principal_mismatch(
    policy: &Policy,
    s: &Statement<'_>,
    caller: &Caller,
) -> Option<(String, Span)> {
    let fits = |id: &str| id == "*" || id == caller.federated;
    if let Some(p) = s.get("Principal") {
        let span = policy.span(&p.value.span);
        if p.value.as_str().is_some_and(|t| t.value == "*") {
            return None;
        }
        let Some(members) = p.value.members() else {
            return Some(("its Principal is not an object".into(), span));
        };
        let federated: Vec<&Text> = members
            .iter()
            .filter(|m| m.key.value == "Federated")
            .flat_map(|m| strings(&m.value))
            .collect();
        if federated.iter().any(|t| fits(&t.value))
            || members
                .iter()
                .any(|m| m.key.value == "AWS" && strings(&m.value).iter().any(|t| t.value == "*"))
        {
            return None;
        }
        if federated.is_empty() {
            let kinds: Vec<&str> = members.iter().map(|m| m.key.value.as_str()).collect();
            return Some((
                format!(
                    "its Principal names {} principals, not `Federated`",
                    kinds.join("/")
                ),
                span,
            ));
        }
        let named = federated
            .iter()
            .map(|t| format!("`{}`", t.value))
            .collect::<Vec<_>>()
            .join(", ");
        // Explain the near misses: another account, case, a slash.
        let why = federated
            .iter()
            .find_map(|t| {
                let v = &t.value;
                if v.eq_ignore_ascii_case(&caller.federated) {
                    Some(" (it differs only in case; IAM compares exactly)".to_string())
                } else if v.trim_end_matches('/') == caller.federated.trim_end_matches('/') {
                    Some(" (it differs in a trailing slash; IAM compares exactly)".to_string())
                } else {
                    let acct = crate::model::arn::fields(v)?[4];
                    let tail = v.rsplit_once(":oidc-provider/").map(|(_, t)| t)?;
                    let mine = caller
                        .federated
                        .rsplit_once(":oidc-provider/")
                        .map(|(_, t)| t)?;
                    (tail == mine && Some(acct) != caller.account.as_deref()).then(|| {
                        format!(
                            " (that is a provider in account {acct}; the role's account is {})",
                            caller.account.as_deref().unwrap_or("?")
                        )
                    })
                }
            })
            .unwrap_or_default();
        return Some((
            format!(
                "its Principal names {named}, not `{}`{why}",
                caller.federated
            ),
            span,
        ));
    }
    if let Some(np) = s.get("NotPrincipal") {
        let listed = np
            .value
            .members()
            .into_iter()
            .flatten()
            .filter(|m| m.key.value == "Federated")
            .flat_map(|m| strings(&m.value))
            .any(|t| t.value == caller.federated);
        if listed {
            return Some((
                "its NotPrincipal lists the caller".into(),
                policy.span(&np.value.span),
            ));
        }
        return None;
    }
    Some(("it has no Principal".into(), policy.span(&s.node.span)))
}

/// The outcome for one action.
#[derive(Debug, Clone)]
pub struct Verdict {
    pub action: String,
    pub statements: Vec<StmtResult>,
    /// `True`: allowed; `False`: denied; `Unknown`: depends on what is only known at call time.
    pub allowed: Tri,
    /// The Deny statement that matched, if any.
    pub denied_by: Option<usize>,
    /// The Allow statement that matched, if any.
    pub allowed_by: Option<usize>,
}

/// Evaluates the trust policy for one action: an explicit Deny wins, else an Allow is needed.
pub fn evaluate(policy: &Policy, action: &str, caller: &Caller, ctx: &Context) -> Verdict {
    let statements: Vec<StmtResult> = policy
        .statements()
        .iter()
        .map(|s| eval_statement(policy, s, action, caller, ctx))
        .collect();
    let denied_by = statements
        .iter()
        .position(|s| !s.effect_allow && s.result == Tri::True);
    let allowed_by = statements
        .iter()
        .position(|s| s.effect_allow && s.result == Tri::True);
    let deny_unknown = statements
        .iter()
        .any(|s| !s.effect_allow && s.result == Tri::Unknown);
    let allow_unknown = statements
        .iter()
        .any(|s| s.effect_allow && s.result == Tri::Unknown);
    let allowed = if denied_by.is_some() {
        Tri::False
    } else if allowed_by.is_some() {
        if deny_unknown {
            Tri::Unknown
        } else {
            Tri::True
        }
    } else if allow_unknown {
        Tri::Unknown
    } else {
        Tri::False
    };
    Verdict {
        action: action.into(),
        statements,
        allowed,
        denied_by,
        allowed_by,
    }
}
