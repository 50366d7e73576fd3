//! The variables a CI file declares for its scripts: GitHub Actions, Buildkite and Drone `env:`
//! (workflow, job, step), GitLab `variables:` (global and job, through `extends:`, cut by
//! `inherit: variables:`), CircleCI `environment:` (job and step). A mapping's declarations hold
//! for every script below it; a nearer one wins.
//!
//! Only values certain on every run become known: a value that refers to another variable
//! (`$X`, `${{ }}`, `<< >>`), a GitLab variable a user may change when running the pipeline by
//! hand (`description:`, `options:`), one a `rules:` entry, `workflow:rules` or a `parallel:
//! matrix:` may set instead, and (when a step writes `$GITHUB_ENV`, whose values can replace
//! them) GitHub's workflow and job `env:` stay unknown. Variables set in the CI system's settings
//! (secrets, protected variables) are never in the file; a name the file does not declare stays
//! unknown.

use super::tree::{Kind, Node};
use crate::input::shell::assign::{Binding, Env};
use crate::input::shell::is_name;
use crate::source::Span;
use std::rc::Rc;

/// What kind of CI file a document is, as far as its variables go.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Dialect {
    /// `environment:` maps are CircleCI's (or Drone's) variables.
    EnvironmentIsVariables,
    /// `environment:` is a deployment environment (GitHub, GitLab), not variables.
    Other,
}

/// The document's dialect, from its top-level keys.
pub fn dialect(root: &Node) -> Dialect {
    let circleci = root.get("version").is_some()
        && root.get("jobs").is_some()
        && ["workflows", "orbs", "executors"]
            .iter()
            .any(|k| root.get(k).is_some());
    let drone = root.get("kind").and_then(|k| k.str()) == Some("pipeline");
    if circleci || drone {
        Dialect::EnvironmentIsVariables
    } else {
        Dialect::Other
    }
}

/// Whether a document is an Azure Pipelines definition, whose scripts name variables as
/// `$(NAME)` macros, replaced before the shell runs.
pub fn is_azure(root: &Node) -> bool {
    let azure_step = |s: &Rc<Node>| {
        ["bash", "task", "pwsh", "powershell", "checkout"]
            .iter()
            .any(|k| s.get(k).is_some())
    };
    ["pool", "trigger", "pr"]
        .iter()
        .any(|k| root.get(k).is_some())
        || root
            .get("steps")
            .is_some_and(|st| st.items().iter().any(azure_step))
}

/// What the walk knows about the document while it reads a mapping's variables.
pub struct Doc<'a> {
    pub root: &'a Node,
    /// The file's text (for the expressions in a value).
    pub text: &'a str,
    pub dialect: Dialect,
    /// A step writes `$GITHUB_ENV`: workflow and job `env:` may be replaced for later steps.
    pub github_env: bool,
}

/// A declared value that is the same on every run: no reference to anything else.
fn plain(v: &str) -> bool {
    !["$", "{{", "<<", "((", "%{", "{%"]
        .iter()
        .any(|m| v.contains(m))
}

/// A value that is plain text around GitHub expressions (`deploy-${{ github.run_id }}`): the
/// expressions become unknown parts, the rest is known.
fn plain_around_expressions(v: &str) -> bool {
    let mut rest = String::new();
    let mut s = v;
    while let Some(i) = s.find("${{") {
        rest.push_str(&s[..i]);
        let Some(j) = s[i..].find("}}") else {
            return false;
        };
        s = &s[i + j + 2..];
    }
    rest.push_str(s);
    plain(&rest)
}

/// A GitLab value that refers to other variables (`gitlab-$CI_PIPELINE_ID`, `${ACCOUNT}`), which
/// GitLab expands before the job runs: those references become unknown parts, the rest is known.
fn references_unknown(t: &crate::source::Text) -> Option<crate::source::Text> {
    let v = t.value.as_str();
    let mut out = t.slice(0..0);
    let mut last = 0;
    let mut i = 0;
    while let Some(off) = v[i..].find('$') {
        let at = i + off;
        let rest = &v[at + 1..];
        let (name, len) = if let Some(inner) = rest.strip_prefix('{') {
            let end = inner.find('}')?;
            (&inner[..end], end + 3)
        } else {
            let end = rest
                .find(|c: char| c != '_' && !c.is_ascii_alphanumeric())
                .unwrap_or(rest.len());
            (&rest[..end], end + 1)
        };
        if !is_name(name) {
            return None;
        }
        out.push_text(&t.slice(last..at));
        out.dynamic.push(crate::source::Dynamic {
            at: out.value.len(),
            expr: v[at..at + len].to_string(),
            span: t.span_of(at..at + len),
            quoted: false,
            assigned: false,
        });
        last = at + len;
        i = last;
    }
    out.push_text(&t.slice(last..v.len()));
    plain(&out.value).then_some(out)
}

/// The names `node`'s `rules:` entries (and `workflow:rules`, for the top) or `parallel: matrix:`
/// may set instead of the declared value.
fn conditional_names(node: &Node, out: &mut Vec<String>) {
    let mut rules: Vec<&Rc<Node>> = node.get("rules").into_iter().collect();
    rules.extend(node.get("workflow").and_then(|w| w.get("rules")));
    for r in rules {
        for item in r.items() {
            if let Some(vars) = item.get("variables") {
                out.extend(
                    vars.entries()
                        .iter()
                        .filter_map(|(k, _)| k.str().map(String::from)),
                );
            }
        }
    }
    if let Some(m) = node.get("parallel").and_then(|p| p.get("matrix")) {
        for item in m.items() {
            out.extend(
                item.entries()
                    .iter()
                    .filter_map(|(k, _)| k.str().map(String::from)),
            );
        }
    }
}

/// Adds `node`'s own declarations under `key` to `env`.
fn declare(doc: &Doc, env: &mut Env, key: &str, vars: &Node) {
    let Kind::Map(entries) = &vars.kind else {
        // `env: ${{ fromJSON(...) }}`, Azure's list form, an alias to something else: any name.
        env.clear();
        return;
    };
    for (k, v) in entries {
        let Some(name) = k.str().filter(|n| is_name(n)) else {
            continue;
        };
        let (value, raw) = match &v.kind {
            Kind::Scalar(s) => (Some(&s.text), false),
            // GitLab's long form: `value:`, with `expand: false` for text taken as written.
            Kind::Map(_) if key == "variables" => {
                let user_set = v.get("description").is_some() || v.get("options").is_some();
                let raw = v
                    .get("expand")
                    .and_then(|e| e.str())
                    .is_some_and(|e| e == "false");
                match v.get("value").map(|x| &x.kind) {
                    Some(Kind::Scalar(s)) if !user_set => (Some(&s.text), raw),
                    _ => (None, false),
                }
            }
            _ => (None, false),
        };
        let value = value.and_then(|t| {
            if raw || plain(&t.value) {
                Some(t.clone())
            } else if key == "env" && plain_around_expressions(&t.value) {
                Some(crate::input::shell::embedded::word(t, doc.text))
            } else if key == "variables" {
                references_unknown(t)
            } else {
                None
            }
        });
        match value {
            Some(t) => {
                env.insert(
                    name.to_string(),
                    Binding {
                        set: Span::new(t.source, k.span.start..v.span.end),
                        value: t,
                    },
                );
            }
            None => {
                env.remove(name);
            }
        }
    }
}

/// A GitLab job's variables from the jobs it `extends`, in order, theirs first.
fn extended(doc: &Doc, node: &Node, env: &mut Env, depth: usize) {
    if depth > 10 {
        return;
    }
    let names: Vec<&str> = match node.get("extends").map(|e| &e.kind) {
        Some(Kind::Scalar(s)) => vec![s.text.value.as_str()],
        Some(Kind::Seq(items)) => items.iter().filter_map(|i| i.str()).collect(),
        _ => return,
    };
    for name in names {
        let Some(base) = doc.root.get(name) else {
            // Defined in an included file: its variables are unknown.
            env.clear();
            continue;
        };
        extended(doc, base, env, depth + 1);
        if let Some(vars) = base.get("variables") {
            declare(doc, env, "variables", vars);
        }
        let mut names = Vec::new();
        conditional_names(base, &mut names);
        for n in names {
            env.remove(&n);
        }
    }
}

/// The variables scripts below the mapping `node` see, when it declares any; `outer` is what the
/// mappings above declare.
pub fn declared(doc: &Doc, node: &Node, outer: &Env) -> Option<Env> {
    let keys: &[&str] = match doc.dialect {
        Dialect::EnvironmentIsVariables => &["env", "variables", "environment"],
        Dialect::Other => &["env", "variables"],
    };
    let touches = keys.iter().any(|k| node.get(k).is_some())
        || ["extends", "inherit", "rules", "parallel", "workflow"]
            .iter()
            .any(|k| node.get(k).is_some());
    if !touches {
        return None;
    }
    let mut env = outer.clone();
    // GitLab: `inherit: variables: false` drops the global ones, a list keeps only those named.
    match node
        .get("inherit")
        .and_then(|i| i.get("variables"))
        .map(|v| &v.kind)
    {
        Some(Kind::Scalar(s)) if s.text.value == "false" => env.clear(),
        Some(Kind::Seq(items)) => {
            let keep: Vec<&str> = items.iter().filter_map(|i| i.str()).collect();
            env.retain(|k, _| keep.contains(&k.as_str()));
        }
        _ => {}
    }
    extended(doc, node, &mut env, 0);
    let step = node.get("run").is_some() || node.get("uses").is_some();
    for key in keys {
        let Some(vars) = node.get(key) else { continue };
        if *key == "env" && doc.github_env && !step {
            // A step's `$GITHUB_ENV` may replace these for the steps after it.
            for (k, _) in vars.entries() {
                if let Some(n) = k.str() {
                    env.remove(n);
                }
            }
            continue;
        }
        declare(doc, &mut env, key, vars);
    }
    let mut names = Vec::new();
    conditional_names(node, &mut names);
    for n in names {
        env.remove(&n);
    }
    Some(env)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::input::yaml::tree::parse;

    /// The variables the `run`/`script` mapping at `path` (keys, then seq indexes as numbers) sees.
    fn env_at(src: &str, path: &[&str]) -> Vec<(String, String)> {
        let docs = parse(src, 0).unwrap();
        let root = &docs[0];
        let doc = Doc {
            root,
            text: src,
            dialect: dialect(root),
            github_env: src.contains("GITHUB_ENV"),
        };
        let mut env = declared(&doc, root, &Env::new()).unwrap_or_default();
        let mut node: &Node = root;
        for p in path {
            node = match p.parse::<usize>() {
                Ok(i) => &node.items()[i],
                Err(_) => node.get(p).unwrap(),
            };
            if let Some(e) = declared(&doc, node, &env) {
                env = e;
            }
        }
        let mut out: Vec<_> = env.into_iter().map(|(k, b)| (k, b.value.value)).collect();
        out.sort();
        out
    }

    fn pairs(p: &[(&str, &str)]) -> Vec<(String, String)> {
        p.iter()
            .map(|(a, b)| (a.to_string(), b.to_string()))
            .collect()
    }

    #[test]
    fn github_env_at_every_level() {
        let src = "on: push\nenv:\n  A: w\n  B: w\njobs:\n  j:\n    env:\n      B: j\n      C: ${{ secrets.C }}\n    steps:\n      - env:\n          D: 7200\n        run: x\n";
        assert_eq!(
            env_at(src, &["jobs", "j", "steps", "0"]),
            pairs(&[("A", "w"), ("B", "j"), ("C", ""), ("D", "7200")])
        );
        // expressions are unknown parts of a value
        let src2 = src.replace("B: j", "B: deploy/${{ github.run_id }}");
        assert!(
            env_at(&src2, &["jobs", "j", "steps", "0"]).contains(&("B".into(), "deploy/".into()))
        );
        // a step writing $GITHUB_ENV: only step-level values are certain
        let src = src.replace("run: x", "run: echo B=x >> $GITHUB_ENV");
        assert_eq!(
            env_at(&src, &["jobs", "j", "steps", "0"]),
            pairs(&[("D", "7200")])
        );
        // `environment:` is a deployment environment here
        let src = "on: push\njobs:\n  j:\n    environment:\n      name: prod\n    steps:\n      - run: x\n";
        assert_eq!(env_at(src, &["jobs", "j", "steps", "0"]), pairs(&[]));
    }

    #[test]
    fn gitlab_variables_extends_inherit_rules() {
        let src = "variables:\n  G: g\n  ACCT: \"111122223333\"\n.base:\n  variables:\n    B: base\n    R: base\njob:\n  extends: .base\n  variables:\n    R: job\n    REF: arn:$ACCT\n    M:\n      value: m\n      description: pick one\n    E:\n      value: $raw\n      expand: false\n  script: x\n";
        assert_eq!(
            env_at(src, &["job"]),
            pairs(&[
                ("ACCT", "111122223333"),
                ("B", "base"),
                ("E", "$raw"),
                ("G", "g"),
                ("R", "job"),
                ("REF", "arn:")
            ])
        );
        let src2 = src.replace(
            "  extends: .base\n",
            "  extends: .base\n  inherit:\n    variables: false\n",
        );
        assert_eq!(
            env_at(&src2, &["job"]),
            pairs(&[("B", "base"), ("E", "$raw"), ("R", "job"), ("REF", "arn:")])
        );
        let src3 = src.replace(
            "  script: x\n",
            "  rules:\n    - if: $CI_COMMIT_TAG\n      variables:\n        R: tag\n  script: x\n",
        );
        assert!(!env_at(&src3, &["job"]).iter().any(|(k, _)| k == "R"));
        let src4 = format!("workflow:\n  rules:\n    - variables:\n        G: other\n{src}");
        assert!(!env_at(&src4, &["job"]).iter().any(|(k, _)| k == "G"));
        // extending a job from an included file: nothing is certain
        let src5 = "variables:\n  G: g\njob:\n  extends: .elsewhere\n  script: x\n";
        assert_eq!(env_at(src5, &["job"]), pairs(&[]));
    }

    #[test]
    fn circleci_environment() {
        let src = "version: 2.1\njobs:\n  j:\n    environment:\n      ROLE: arn:x\n      P: << parameters.p >>\n    steps:\n      - run:\n          environment:\n            S: s\n          command: x\nworkflows: {}\n";
        assert_eq!(
            env_at(src, &["jobs", "j", "steps", "0", "run"]),
            pairs(&[("ROLE", "arn:x"), ("S", "s")])
        );
    }
}
