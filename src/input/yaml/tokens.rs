//! Where a CI file uses an ID token its job never asks for: a Bitbucket Pipelines step that reads
//! `$BITBUCKET_STEP_OIDC_TOKEN` without `oidc: true`, and a GitLab job that uses a variable the file
//! declares under `id_tokens:` elsewhere but not for that job (nor in `default:` or the jobs it
//! `extends`). Either way the variable is not set and the exchange gets an empty token.

use super::tree::{Kind, Node};
use std::collections::HashSet;
use std::ops::Range;
use std::rc::Rc;

/// Bitbucket Pipelines steps that use `$BITBUCKET_STEP_OIDC_TOKEN` without `oidc: true`: the
/// variable is then not set. The byte range of each use, with the step's `script:` key.
pub fn bitbucket_steps_without_oidc(docs: &[Rc<Node>]) -> Vec<Range<usize>> {
    const VAR: &str = "BITBUCKET_STEP_OIDC_TOKEN";
    fn visit(
        n: &Node,
        key: Option<&str>,
        seen: &mut HashSet<*const Node>,
        out: &mut Vec<Range<usize>>,
    ) {
        if !seen.insert(n as *const Node) {
            return;
        }
        let oidc = n
            .get("oidc")
            .and_then(|v| v.str())
            .is_some_and(|v| v.eq_ignore_ascii_case("true"));
        if key == Some("step") && matches!(n.kind, Kind::Map(_)) && !oidc {
            let script = n.get("script");
            let lines: Vec<&Rc<Node>> = match script.map(|s| &s.kind) {
                Some(Kind::Seq(items)) => items.iter().collect(),
                Some(Kind::Scalar(_)) => script.into_iter().collect(),
                _ => Vec::new(),
            };
            for line in lines {
                if let Kind::Scalar(s) = &line.kind {
                    if let Some(at) = s.text.value.find(VAR) {
                        out.push(s.text.span_of(at..at + VAR.len()).range);
                    }
                }
            }
        }
        match &n.kind {
            Kind::Map(entries) => entries
                .iter()
                .for_each(|(k, v)| visit(v, k.str(), seen, out)),
            Kind::Seq(items) => items.iter().for_each(|i| visit(i, key, seen, out)),
            _ => {}
        }
    }
    let mut out = Vec::new();
    let mut seen = HashSet::new();
    for d in docs {
        visit(d, None, &mut seen, &mut out);
    }
    out
}

/// GitLab keywords at the top of a file that are not jobs.
const GITLAB_KEYWORDS: [&str; 12] = [
    "default",
    "include",
    "stages",
    "variables",
    "workflow",
    "image",
    "services",
    "cache",
    "before_script",
    "after_script",
    "spec",
    "pages",
];

/// GitLab jobs that use an `id_tokens:` variable declared elsewhere in the file but not for them:
/// the byte range of each use and the variable's name. Files that `include:` others, jobs that
/// extend a job of another file and `!reference`d `id_tokens` are not judged.
pub fn gitlab_jobs_without_id_token(docs: &[Rc<Node>]) -> Vec<(Range<usize>, String)> {
    let mut out = Vec::new();
    for doc in docs {
        if doc.get("include").is_some() {
            continue;
        }
        let declared_in = |n: &Node| -> Option<Vec<String>> {
            match n.get("id_tokens") {
                None => Some(Vec::new()),
                Some(t) if t.tag.is_some() => None,
                Some(t) => Some(
                    t.entries()
                        .iter()
                        .filter_map(|(k, _)| k.str().map(str::to_string))
                        .collect(),
                ),
            }
        };
        // Every name declared anywhere: a use of any other variable is none of this check's business.
        let mut all: HashSet<String> = HashSet::new();
        let mut unknowable = false;
        for (_, job) in doc.entries() {
            match declared_in(job) {
                Some(names) => all.extend(names),
                None => unknowable = true,
            }
        }
        if all.is_empty() || unknowable {
            continue;
        }
        let default: Vec<String> = doc
            .get("default")
            .and_then(|d| declared_in(d))
            .unwrap_or_default();
        // What a job declares, through its `extends` chain; `None` when that leaves the file.
        let declares = |job: &Node| -> Option<HashSet<String>> {
            let mut names: HashSet<String> = default.iter().cloned().collect();
            let mut todo = vec![job];
            let mut seen = HashSet::new();
            while let Some(j) = todo.pop() {
                if !seen.insert(j as *const Node) {
                    continue;
                }
                names.extend(declared_in(j)?);
                let parents: Vec<&str> = match j.get("extends").map(|e| &e.kind) {
                    Some(Kind::Scalar(s)) => vec![s.text.value.as_str()],
                    Some(Kind::Seq(items)) => items.iter().filter_map(|i| i.str()).collect(),
                    _ => Vec::new(),
                };
                for p in parents {
                    todo.push(doc.get(p)?);
                }
            }
            Some(names)
        };
        for (key, job) in doc.entries() {
            let Some(name) = key.str() else { continue };
            if name.starts_with('.')
                || GITLAB_KEYWORDS.contains(&name)
                || job.get("script").is_none()
            {
                continue;
            }
            let Some(declared) = declares(job) else {
                continue;
            };
            for k in ["before_script", "script", "after_script"] {
                let Some(lines) = job.get(k) else { continue };
                let lines: Vec<&Rc<Node>> = match &lines.kind {
                    Kind::Seq(items) => items.iter().collect(),
                    _ => vec![lines],
                };
                for line in lines {
                    let Kind::Scalar(s) = &line.kind else {
                        continue;
                    };
                    for var in all.iter().filter(|v| !declared.contains(*v)) {
                        if let Some(at) = find_use(&s.text.value, var) {
                            out.push((s.text.span_of(at..at + var.len()).range, var.clone()));
                        }
                    }
                }
            }
        }
    }
    out.sort_by_key(|(r, _)| r.start);
    out
}

/// Where `$NAME` or `${NAME}` is used in a script (the name's offset).
fn find_use(script: &str, name: &str) -> Option<usize> {
    script.match_indices(name).map(|(i, _)| i).find(|&i| {
        let before = &script[..i];
        let after = &script[i + name.len()..];
        let whole = !after.starts_with(|c: char| c == '_' || c.is_ascii_alphanumeric());
        whole && (before.ends_with('$') || (before.ends_with("${") && after.starts_with('}')))
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::input::yaml::tree::parse;

    #[test]
    fn bitbucket_steps_must_ask_for_the_token() {
        let src = "pipelines:\n  default:\n    - step:\n        oidc: true\n        script:\n          - echo $BITBUCKET_STEP_OIDC_TOKEN\n    - step:\n        script:\n          - export T=$BITBUCKET_STEP_OIDC_TOKEN\n";
        let docs = parse(src, 0).unwrap();
        let found = bitbucket_steps_without_oidc(&docs);
        assert_eq!(found.len(), 1);
        assert_eq!(&src[found[0].clone()], "BITBUCKET_STEP_OIDC_TOKEN");
        assert!(found[0].start > src.find("export").unwrap());
    }

    #[test]
    fn gitlab_jobs_must_declare_their_id_tokens() {
        let src = "default:\n  image: x\n.auth:\n  id_tokens:\n    AWS_TOKEN:\n      aud: sts.amazonaws.com\na:\n  extends: .auth\n  script:\n    - aws sts x --web-identity-token $AWS_TOKEN\nb:\n  script:\n    - aws sts x --web-identity-token \"${AWS_TOKEN}\"\n    - echo $AWS_TOKEN_FILE $OTHER\nc:\n  id_tokens:\n    AWS_TOKEN:\n      aud: x\n  script: aws sts x --web-identity-token $AWS_TOKEN\n";
        let docs = parse(src, 0).unwrap();
        let found = gitlab_jobs_without_id_token(&docs);
        assert_eq!(found.len(), 1, "{found:?}");
        assert_eq!(found[0].1, "AWS_TOKEN");
        assert!(
            found[0].0.start > src.find("\nb:").unwrap()
                && found[0].0.start < src.find("echo").unwrap()
        );
        // A file that includes others, or a job extending one it does not hold, is not judged.
        let included = format!("include: x.yml\n{src}");
        assert!(gitlab_jobs_without_id_token(&parse(&included, 0).unwrap()).is_empty());
        let elsewhere = src.replace(
            "b:\n  script",
            "b:\n  extends: .from-another-file\n  script",
        );
        assert!(gitlab_jobs_without_id_token(&parse(&elsewhere, 0).unwrap()).is_empty());
    }
}
