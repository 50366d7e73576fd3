//! Which values of a YAML document a CI runner hands to a shell, and in which language.
//!
//! The keys that hold shell, per system (each value is a script; a sequence of them is a sequence
//! of scripts, run one after another):
//! - GitHub Actions: `jobs.*.steps[*].run`, composite actions' `runs.steps[*].run`; the step's
//!   `shell:` or the `defaults.run.shell` above it decides the language (`actions/github-script`'s
//!   `with: script:` is JavaScript);
//! - GitLab CI: `script`, `before_script`, `after_script` (jobs, hidden `.jobs`, `default:`);
//! - CircleCI: `run:` as a string or its `command:`; Buildkite `command`/`commands`; Bitbucket
//!   `script`; Drone/Woodpecker `commands`; Taskfile `cmds` (a string or `cmd:`);
//! - Azure Pipelines: `script`, `bash`, and the `script`/`inlineScript` inputs of `Bash@3` and
//!   `AzureCLI@2`; `pwsh`, `powershell` and PowerShell tasks are PowerShell;
//! - Concourse `run: {path, args}` and Kubernetes `command`/`args`: argument vectors, no shell,
//!   unless they run `sh -c SCRIPT` (then SCRIPT is a script).
//!
//! A value is read only when it contains the operation's name, so a file costs one tree walk.
//! Values under keys that hold prose (`name`, `description`, ...) and variable definitions (`env:`,
//! `environment:`, `variables:`) are never read as shell.

use super::tree::{Kind, Node};
use super::variables::{self, Doc};
use crate::input::shell::assign::Env;
use crate::source::{Span, Text};
use std::collections::HashSet;
use std::rc::Rc;

const OPERATION: &str = "assume-role-with-web-identity";

/// Keys whose values are prose or labels, never commands.
const PROSE_KEYS: [&str; 14] = [
    "name",
    "description",
    "desc",
    "summary",
    "title",
    "label",
    "displayName",
    "display_name",
    "help",
    "comment",
    "message",
    "usage",
    "about",
    "note",
];

/// Keys whose sequences are argument vectors (no shell).
const ARGV_KEYS: [&str; 4] = ["args", "command", "entrypoint", "cmd"];

/// A script found in a document.
#[derive(Debug)]
pub enum Found {
    /// Shell text, decoded and mapped to the file, how the scalar was written, the variables
    /// the file declares for it, and the scripts the same shell runs before it (the earlier items
    /// of a GitLab job's `before_script` and `script`, of a Bitbucket `script`, of Buildkite or
    /// Drone `commands`).
    Shell(Text, super::scalar::Style, Rc<Env>, Rc<Vec<Text>>),
    /// An argument vector run without a shell: the words as given.
    Argv(Vec<Text>),
    /// A script in a language stslint does not read; it holds the operation's name.
    NotRead { span: Span, language: String },
}

/// What the enclosing nodes say about the values below them.
#[derive(Clone, Default)]
struct Scope<'a> {
    /// GitHub `shell:` of the step, or the nearest `defaults.run.shell`.
    shell: Option<&'a str>,
    /// Azure Pipelines `task:` of the enclosing step.
    task: Option<&'a str>,
    /// GitHub `uses:` of the enclosing step (its `with:` inputs are the action's, not a shell's).
    uses: Option<&'a str>,
    /// Inside variable definitions (`env:`, `environment:`, `variables:`): values, not scripts.
    variables: bool,
    /// The variables the file declares for the scripts here.
    env: Rc<Env>,
    /// The scripts the same shell ran before this item (see [`Found::Shell`]).
    prelude: Rc<Vec<Text>>,
}

/// Keys whose sequence items one shell runs one after another, so a variable one item sets holds
/// in the next: GitLab `before_script`/`script`/`after_script` (and Travis's), Bitbucket `script`,
/// Buildkite and Drone `commands`.
const SHARED_SHELL_KEYS: [&str; 4] = ["script", "before_script", "after_script", "commands"];

/// More earlier items than this and none are used (bounded work on hostile input).
const MAX_PRELUDE: usize = 256;

/// Whether `n` (a scalar, or a sequence of them) holds the operation's name.
fn mentions(n: &Node) -> bool {
    match &n.kind {
        Kind::Scalar(_) => has_operation(n),
        Kind::Seq(items) => items.iter().any(|i| mentions(i)),
        _ => false,
    }
}

/// Appends the scripts of `n` (a scalar, or nested sequences of them, which GitLab flattens);
/// false when it holds anything else.
fn scalars(n: &Node, out: &mut Vec<Text>) -> bool {
    match &n.kind {
        Kind::Scalar(s) => {
            out.push(s.text.clone());
            true
        }
        Kind::Seq(items) => items.iter().all(|i| scalars(i, out)),
        _ => false,
    }
}

/// What a GitLab job's shell runs before its `script`: the job's `before_script`, or else the one
/// in `default:` (or at the top, the old form) unless the job names what it inherits. Empty when
/// none is known (a job it `extends` may have one, which stays unread).
fn before_script(doc: &Doc, job: Option<&Node>) -> Vec<Text> {
    let mut out = Vec::new();
    let Some(job) = job else { return out };
    let own = job.get("before_script");
    let inherited = || {
        if job.get("inherit").is_some() || job.get("extends").is_some() {
            return None;
        }
        doc.root
            .get("default")
            .and_then(|d| d.get("before_script"))
            .or_else(|| doc.root.get("before_script"))
    };
    if let Some(b) = own.or_else(inherited) {
        if !scalars(b, &mut out) {
            out.clear();
        }
    }
    out
}

/// Keys whose mappings define variables: a value there is text handed to a program, not a script
/// any shell runs as it stands.
const VARIABLE_KEYS: [&str; 3] = ["env", "environment", "variables"];

/// Every script holding the operation's name in `docs` (read from `text`), in document order.
pub fn scripts(docs: &[Rc<Node>], text: &str) -> Vec<Found> {
    let mut w = Walker {
        out: Vec::new(),
        seen: HashSet::new(),
    };
    for d in docs {
        let doc = Doc {
            root: d,
            text,
            dialect: variables::dialect(d),
            github_env: text.contains("GITHUB_ENV"),
        };
        w.node(&doc, d, None, None, &Scope::default());
    }
    w.out
}

struct Walker {
    out: Vec<Found>,
    /// Nodes already read: an alias or a merged mapping is read once, where it was written.
    seen: HashSet<*const Node>,
}

fn has_operation(n: &Node) -> bool {
    n.str().is_some_and(|s| s.contains(OPERATION))
}

fn text_of(n: &Node) -> Option<&Text> {
    match &n.kind {
        Kind::Scalar(s) => Some(&s.text),
        _ => None,
    }
}

impl Walker {
    fn node<'a>(
        &mut self,
        doc: &Doc,
        n: &'a Rc<Node>,
        key: Option<&'a str>,
        parent: Option<&'a Node>,
        scope: &Scope<'a>,
    ) {
        if !self.seen.insert(Rc::as_ptr(n)) {
            return;
        }
        match &n.kind {
            Kind::Map(entries) => {
                let mut inner = scope.clone();
                if key.is_some_and(|k| VARIABLE_KEYS.contains(&k)) {
                    inner.variables = true;
                }
                if let Some(s) = n
                    .get("defaults")
                    .and_then(|d| d.get("run"))
                    .and_then(|r| r.get("shell"))
                    .and_then(|s| s.str())
                {
                    inner.shell = Some(s);
                }
                if let Some(s) = n.get("shell").and_then(|s| s.str()) {
                    inner.shell = Some(s);
                }
                if let Some(t) = n.get("task").and_then(|s| s.str()) {
                    inner.task = Some(t);
                }
                if let Some(u) = n.get("uses").and_then(|s| s.str()) {
                    inner.uses = Some(u);
                }
                if !scope.variables {
                    if let Some(env) = variables::declared(doc, n, &scope.env) {
                        inner.env = Rc::new(env);
                    }
                }
                for (k, v) in entries {
                    self.node(doc, v, k.str(), Some(n), &inner);
                }
            }
            Kind::Seq(items) if key.is_some_and(|k| SHARED_SHELL_KEYS.contains(&k)) => {
                // Each item sees what the items before it ran (nested sequences continue it).
                let mut seen: Vec<Text> = scope.prelude.as_ref().clone();
                if key == Some("script") && scope.prelude.is_empty() {
                    seen = before_script(doc, parent);
                }
                let mut ok = true;
                for i in items {
                    let mut inner = scope.clone();
                    inner.prelude = if ok && mentions(i) {
                        Rc::new(seen.clone())
                    } else {
                        Rc::default()
                    };
                    self.node(doc, i, key, parent, &inner);
                    ok = ok && scalars(i, &mut seen) && seen.len() <= MAX_PRELUDE;
                }
            }
            Kind::Seq(items) => {
                if key.is_some_and(|k| ARGV_KEYS.contains(&k))
                    && items.iter().any(|i| has_operation(i))
                {
                    if let Some(words) = argv(items, key, parent) {
                        self.out.push(Found::Argv(words));
                        return;
                    }
                }
                for i in items {
                    self.node(doc, i, key, parent, scope);
                }
            }
            Kind::Scalar(s) => {
                if !s.text.value.contains(OPERATION)
                    || key.is_some_and(|k| PROSE_KEYS.contains(&k))
                    || scope.variables
                {
                    return;
                }
                match language(key, parent, scope, &s.text.value) {
                    None => self.out.push(Found::Shell(
                        s.text.clone(),
                        s.style,
                        Rc::clone(&scope.env),
                        Rc::clone(&scope.prelude),
                    )),
                    Some(language) => self.out.push(Found::NotRead {
                        span: Span::new(s.text.source, s.token.clone()),
                        language,
                    }),
                }
            }
            Kind::Null => {}
        }
    }
}

/// The language of a script value when it is not POSIX shell (`None`: shell).
fn language(
    key: Option<&str>,
    parent: Option<&Node>,
    scope: &Scope,
    value: &str,
) -> Option<String> {
    // actions/github-script runs its `script` input as JavaScript.
    if let Some(uses) = scope
        .uses
        .filter(|u| u.starts_with("actions/github-script"))
    {
        return Some(format!("JavaScript (`uses: {uses}`)"));
    }
    let key = key.unwrap_or("");
    if key == "run" {
        if let Some(shell) = scope.shell {
            let program = shell.split_whitespace().next().unwrap_or("");
            let base = program.rsplit('/').next().unwrap_or(program);
            if !matches!(base, "bash" | "sh" | "dash" | "zsh" | "ksh") {
                return Some(format!("`shell: {shell}`"));
            }
        }
    }
    if matches!(key, "pwsh" | "powershell") {
        return Some(format!("PowerShell (`{key}:`)"));
    }
    if let Some(task) = scope.task {
        let t = task.to_ascii_lowercase();
        let cmd_continued = value.lines().any(|l| l.trim_end().ends_with('^'));
        if t.starts_with("powershell@")
            || t.starts_with("azurepowershell@")
            || (t.starts_with("cmdline@") && cmd_continued)
        {
            return Some(format!("`task: {task}`"));
        }
    }
    if let Some(p) = parent {
        for k in ["scriptType", "scriptLanguage"] {
            if let Some(t) = p.get(k).and_then(|v| v.str()) {
                if matches!(
                    t.to_ascii_lowercase().as_str(),
                    "ps" | "pscore" | "powershell" | "batch" | "cmd"
                ) {
                    return Some(format!("`{k}: {t}`"));
                }
            }
        }
    }
    // Azure's `script:` runs cmd.exe on Windows agents, where `^` continues a line.
    if key == "script" && value.lines().any(|l| l.trim_end().ends_with(" ^")) {
        return Some("cmd.exe (`^` line continuations)".into());
    }
    None
}

/// The words of an argument vector: the sequence's scalars, after the program named by the
/// sibling `path`/`command` key (Concourse `run.path`, Kubernetes `command` before `args`).
fn argv(items: &[Rc<Node>], key: Option<&str>, parent: Option<&Node>) -> Option<Vec<Text>> {
    let mut words = Vec::new();
    if key == Some("args") {
        let program = parent.and_then(|p| p.get("path").or_else(|| p.get("command")))?;
        match &program.kind {
            Kind::Scalar(s) => words.push(s.text.clone()),
            Kind::Seq(items) => words.extend(items.iter().filter_map(|i| text_of(i).cloned())),
            _ => return None,
        }
    }
    for i in items {
        words.push(text_of(i)?.clone());
    }
    // `sh -c SCRIPT` runs SCRIPT through a shell: it is read as a script instead.
    if words.iter().any(|w| w.value == "-c") {
        return None;
    }
    let first = words.first()?.value.as_str();
    let base = first.rsplit('/').next().unwrap_or(first);
    (base == "aws").then_some(words)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::input::yaml::tree::parse;

    fn found(src: &str) -> Vec<String> {
        let docs = parse(src, 0).unwrap();
        scripts(&docs, src)
            .into_iter()
            .map(|f| match f {
                Found::Shell(t, _, _, _) => format!("sh:{}", t.value),
                Found::Argv(w) => format!(
                    "argv:{}",
                    w.iter()
                        .map(|w| w.value.as_str())
                        .collect::<Vec<_>>()
                        .join(" ")
                ),
                Found::NotRead { language, .. } => format!("not read:{language}"),
            })
            .collect()
    }

    const OP: &str = "aws sts assume-role-with-web-identity";

    #[test]
    fn github_steps_and_shells() {
        let src = format!(
            "defaults:\n  run:\n    shell: bash\njobs:\n  a:\n    steps:\n      - name: {OP}\n        run: {OP} --x\n      - shell: pwsh\n        run: {OP} `\n          --y\n  b:\n    defaults:\n      run:\n        shell: python\n    steps:\n      - run: {OP}\n"
        );
        assert_eq!(
            found(&src),
            [
                format!("sh:{OP} --x"),
                "not read:`shell: pwsh`".into(),
                "not read:`shell: python`".into()
            ]
        );
    }

    #[test]
    fn gitlab_anchors_are_read_once() {
        let src = format!(".assume: &assume\n  - >\n    {OP}\n    --role-arn x\njob:\n  script:\n    - *assume\n    - echo done\nother:\n  <<: *assume\n");
        let f = found(&src);
        assert_eq!(f, [format!("sh:{OP} --role-arn x\n")]);
    }

    #[test]
    fn argument_vectors() {
        let src = format!("run:\n  path: aws\n  args: [sts, assume-role-with-web-identity, --role-arn, x]\n---\ncontainers:\n  - command: [sh, -c, '{OP} --y']\n");
        assert_eq!(
            found(&src),
            [
                "argv:aws sts assume-role-with-web-identity --role-arn x".to_string(),
                format!("sh:{OP} --y")
            ]
        );
    }

    #[test]
    fn variable_definitions_are_not_scripts() {
        let src = format!("env:\n  CMD: {OP} --x
jobs:\n  a:\n    variables:\n      V:\n        value: {OP} --y\n    environment:\n      E: {OP}\n    script: {OP} --z\n");
        assert_eq!(found(&src), [format!("sh:{OP} --z")]);
    }

    #[test]
    fn github_script_is_javascript() {
        let src = format!("steps:\n  - uses: actions/github-script@v7\n    with:\n      script: |\n        await exec.exec('{OP}')\n");
        assert_eq!(
            found(&src),
            ["not read:JavaScript (`uses: actions/github-script@v7`)"]
        );
    }

    #[test]
    fn azure_languages() {
        let src = format!("steps:\n- pwsh: {OP}\n- task: AzureCLI@2\n  inputs:\n    scriptType: pscore\n    inlineScript: {OP}\n- task: AzureCLI@2\n  inputs:\n    scriptType: bash\n    inlineScript: {OP} --z\n- script: |\n    {OP} ^\n      --q\n");
        assert_eq!(
            found(&src),
            [
                "not read:PowerShell (`pwsh:`)".to_string(),
                "not read:`scriptType: pscore`".into(),
                format!("sh:{OP} --z"),
                "not read:cmd.exe (`^` line continuations)".into()
            ]
        );
    }
}
