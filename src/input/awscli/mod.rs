//! Finds `aws [globals] sts assume-role-with-web-identity ...` commands and reads their arguments
//! the way the AWS CLI does (argparse, then awscli's value handling), into a [`Request`].
//!
//! What the CLI does, and so what this does (awscli 1.46, verified by `tests/awscli_differential.rs`):
//! - options may be abbreviated to an unambiguous prefix (argparse); global options are matched first;
//! - `--opt=value` works; a repeated option's last value wins;
//! - a value that starts with `-` is taken as the next option, unless it looks like a negative number
//!   or contains a space;
//! - `--policy-arns` takes every following word up to the next option;
//! - `file://PATH` is replaced by the file's text (see [`crate::input::load`]), `fileb://` by bytes, and
//!   (v1 only) `http(s)://` by the fetched page;
//! - `--cli-input-json` supplies members that explicit options then override.

mod options;
mod read;
pub mod request_file;
pub mod shorthand;
mod values;

use crate::diagnostic::Diagnostic;
use crate::input::load::Loader;
use crate::input::shell::Command;
use crate::model::request::{Origin, Request};
use crate::source::Text;
use options::GLOBALS;
pub use values::python_int;

/// Words that may stand before `aws` in a command. Wrappers (`sudo -E`, `env -u X`, `timeout 60`)
/// are taken off by the lexer ([`crate::input::shell::wrappers`]), which knows their options.
const PREFIX_WORDS: [&str; 9] = [
    "if", "then", "elif", "else", "do", "while", "until", "!", "{",
];

/// A request read from a command, with what was found on the way.
#[derive(Debug)]
pub struct Parsed {
    pub request: Request,
    pub diagnostics: Vec<Diagnostic>,
}

/// Finds and reads every AssumeRoleWithWebIdentity invocation among `commands`.
pub fn find_requests(commands: &[Command], origin: Origin, loader: &mut Loader) -> Vec<Parsed> {
    commands
        .iter()
        .filter_map(|c| operation_args(&c.words).map(|args| read::read(c, args, origin, loader)))
        .flatten()
        .collect()
}

fn is_static(w: &Text, s: &str) -> bool {
    w.is_static() && w.value == s
}

/// If the command is `aws ... sts ... assume-role-with-web-identity ...`, the words after the operation.
fn operation_args(words: &[Text]) -> Option<&[Text]> {
    let mut i = 0;
    while i < words.len() {
        let w = &words[i];
        let v = w.value.as_str();
        let is_assignment = w.value.split_once('=').is_some_and(|(n, _)| {
            !n.is_empty() && n.bytes().all(|b| b == b'_' || b.is_ascii_alphanumeric())
        });
        // In CI YAML (`- run: aws ...`, `script: aws ...`) the key and list marker come first.
        let is_yaml_key = v.len() > 1
            && v.ends_with(':')
            && v[..v.len() - 1]
                .bytes()
                .all(|b| b == b'_' || b == b'-' || b.is_ascii_alphanumeric());
        // `-` is a YAML list marker (`- aws ...`).
        if w.is_static() && (PREFIX_WORDS.contains(&v) || v == "-" || is_yaml_key) || is_assignment
        {
            i += 1;
            continue;
        }
        break;
    }
    let aws = words.get(i)?;
    // make's recipe prefixes: `@` (silent), `-` (ignore errors), `+` (run under -n).
    let name = aws.value.trim_start_matches(['@', '+', '-']);
    let base = name.rsplit(['/', '\\']).next().unwrap_or(name);
    if !aws.is_static() || !matches!(base, "aws" | "aws.exe" | "aws.cmd") {
        return None;
    }
    let mut j = i + 1;
    let mut want = ["sts", "assume-role-with-web-identity"].into_iter();
    let mut next = want.next();
    while let Some(w) = words.get(j) {
        let Some(expect) = next else { break };
        if is_static(w, expect) {
            next = want.next();
            j += 1;
            if next.is_none() {
                return Some(&words[j..]);
            }
            continue;
        }
        if !w.is_static() && w.value.is_empty() {
            j += 1; // an unquoted `$AWS_ARGS` before the operation
            continue;
        }
        let (name, has_eq) = match w.value.split_once('=') {
            Some((n, _)) => (n, true),
            None => (w.value.as_str(), false),
        };
        match GLOBALS.iter().find(|(g, _)| *g == name) {
            Some((_, takes)) => j += if *takes && !has_eq { 2 } else { 1 },
            None => return None,
        }
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parsed(script: &str) -> Vec<Parsed> {
        let mut sources = crate::source::Sources::default();
        let id = sources.add(crate::source::SourceFile::new("t", script));
        let lexed = crate::input::shell::lex(script, id);
        let mut loader = Loader::new(&mut sources, std::env::current_dir().unwrap());
        find_requests(&lexed.commands, Origin::Shell, &mut loader)
    }

    fn found(script: &str) -> Vec<Request> {
        parsed(script).into_iter().map(|p| p.request).collect()
    }

    #[test]
    fn invocations_are_found_where_scripts_put_them() {
        let op = "aws sts assume-role-with-web-identity --role-session-name s1";
        for script in [
            op.to_string(),
            format!("CREDS=$({op})"),
            format!("if {op} > /dev/null; then echo ok; fi"),
            format!("AWS_REGION=eu-west-1 sudo -E {op}"),
            format!("deploy:\n\t@{op} --role-arn $(ROLE_ARN)\n"),
            "/usr/local/bin/aws --region us-east-1 sts --output json assume-role-with-web-identity --role-session-name s1".to_string(),
            format!("steps:\n  - run: {op}\n  - name: x\n    run: |\n      {op}\n"),
            format!("script:\n  - {op} --web-identity-token ${{{{ secrets.TOKEN }}}}\n"),
        ] {
            let reqs = found(&script);
            assert!(!reqs.is_empty(), "not found in {script:?}");
            assert!(reqs.iter().all(|r| r.role_session_name.as_ref().is_some_and(|p| p.text.value == "s1")), "{script:?}");
        }
        for script in [
            "echo aws sts assume-role-with-web-identity",
            "aws sts assume-role --role-arn x",
            "# aws sts assume-role-with-web-identity",
            "aws sts get-caller-identity",
            "aws s3 assume-role-with-web-identity",
        ] {
            assert!(found(script).is_empty(), "{script:?}");
        }
    }

    #[test]
    fn invocations_the_shell_runs_indirectly_are_found() {
        let op = "aws sts assume-role-with-web-identity --role-session-name s1";
        let full = "--role-arn arn:aws:iam::111122223333:role/ci --web-identity-token t";
        for script in [
            format!("read -r A B C <<EOF\n$({op} \\\n  --output text)\nEOF\n"),
            format!("bash <<'EOF'\n{op}\nEOF\n"),
            format!("ssh build-host bash -s <<EOF\n{op}\nEOF\n"),
            format!("sh -c '{op}'"),
            format!("docker run --rm -e AWS_REGION alpine sh -lc \"{op}\""),
            format!("creds=$(env -u AWS_PROFILE -u AWS_SESSION_TOKEN \\\n  {op})"),
            format!("timeout -k 5 60 {op}"),
            format!("nice -n 10 nohup stdbuf -oL {op}"),
            format!("sudo -E -u ci --preserve-env=AWS_REGION {op}"),
            format!("kubectl debug node/x -it --image=amazon/aws-cli -- {op}"),
            format!("aws-vault exec prod --duration=1h -- {op}"),
            format!("run_logged() {{ echo \"+ $*\"; \"$@\"; }}\nrun_logged {op}\n"),
            format!("cmd=({op})\nif [ -n \"$D\" ]; then cmd+=(--duration-seconds \"$D\"); fi\n\"${{cmd[@]}}\""),
        ] {
            let reqs = found(&script);
            assert_eq!(reqs.len(), 1, "{script:?}");
            assert_eq!(reqs[0].role_session_name.as_ref().unwrap().text.value, "s1", "{script:?}");
        }
        // The image's entrypoint is `aws`: the request's head is the image.
        let script = format!(
            "docker run --rm -it -v \"$PWD:/w\" amazon/aws-cli:2.15.0 {} {full}",
            &op[4..]
        );
        let reqs = parsed(&script);
        assert_eq!(reqs.len(), 1);
        assert!(
            reqs[0].diagnostics.iter().all(|d| d.rule.code == "I005"),
            "{:?}",
            reqs[0].diagnostics
        );
        // Arguments xargs appends, or a conditional `+=`, may hold any parameter: never "missing".
        for script in [
            format!("echo t | xargs {op} --role-arn arn:aws:iam::111122223333:role/ci --web-identity-token"),
            format!("cmd=({op})\n[ -n \"$T\" ] && cmd+=({full})\n\"${{cmd[@]}}\""),
        ] {
            let p = parsed(&script);
            assert_eq!(p.len(), 1, "{script:?}");
            assert!(p[0].diagnostics.iter().all(|d| d.rule.code == "I005"), "{script:?}: {:?}", p[0].diagnostics);
        }
        for script in [
            format!("echo '--web-identity-token t' | xargs {op}"),
            format!("cmd=({op})\nfor a in \"$@\"; do cmd+=(\"$a\"); done\n\"${{cmd[@]}}\""),
        ] {
            let p = parsed(&script);
            assert!(p[0].request.open_ended.is_some(), "{script:?}");
        }
        for script in [
            format!("cat > x.sh <<'EOF'\n{op}\nEOF\n"),
            format!("cat > x.sh <<EOF\n{op}\nEOF\n"),
            format!("echo \"{op}\""),
            format!("command -v {op}"),
            format!("sudo -l {op}"),
            format!("xargs -I{{}} {op} --web-identity-token {{}}"),
            format!("cmd=({op})\n"),
            format!("unknown_wrapper {op}"),
        ] {
            assert!(found(&script).is_empty(), "{script:?}");
        }
    }

    #[test]
    fn session_names_valid_on_every_run_get_no_note() {
        let notes = |name: &str| {
            let script = format!("aws sts assume-role-with-web-identity --role-arn arn:aws:iam::111122223333:role/ci --web-identity-token abcd --role-session-name {name}");
            parsed(&script)
                .into_iter()
                .flat_map(|p| p.diagnostics)
                .filter(|d| d.rule.code == "I005")
                .count()
        };
        // Run numbers, IDs, SHAs and GitLab's slug always fit, and 64 characters are not passed.
        assert_eq!(notes("\"gha-${GITHUB_RUN_ID}-${GITHUB_RUN_ATTEMPT}\""), 0);
        assert_eq!(notes("ci-$CI_PIPELINE_ID"), 0);
        assert_eq!(notes("cc-${CIRCLE_WORKFLOW_ID}"), 0);
        assert_eq!(notes("\"az-$(Build.BuildId)-$SYSTEM_JOBATTEMPT\""), 0);
        assert_eq!(notes("\"jenkins-${env.BUILD_NUMBER}\""), 0);
        // A variable that can break the name (S002 says so), or lengths that pass 64 (S001).
        assert_eq!(notes("ci-$CI_COMMIT_REF_NAME"), 0);
        assert_eq!(notes("\"gh-$GITHUB_REPOSITORY\""), 0);
        assert_eq!(notes("\"gl-${CI_COMMIT_REF_SLUG}-${CI_COMMIT_SHA}\""), 0);
        // Too short where the variable is empty, a command, a variable stslint does not know, or
        // too long only if the numbers grow past what they are today.
        assert_eq!(notes("$GITHUB_RUN_ID"), 1);
        assert_eq!(notes("\"x-$(date +%s)\""), 1);
        assert_eq!(notes("\"ci-$CI_COMMIT_REF_NAME-$MY_SUFFIX\""), 1);
        assert_eq!(notes("\"deploy-${CI_COMMIT_SHA}-${CI_PIPELINE_ID}\""), 1);
    }

    #[test]
    fn messages_quote_what_the_cli_says() {
        let codes_msgs = |extra: &str| -> Vec<(&'static str, String)> {
            let script = format!("aws sts assume-role-with-web-identity --role-arn arn:aws:iam::111122223333:role/ci --role-session-name ci-run --web-identity-token abcd {extra}");
            parsed(&script)
                .into_iter()
                .flat_map(|p| p.diagnostics)
                .map(|d| (d.rule.code, d.message))
                .collect()
        };
        let got = codes_msgs("--role-sesion-name ci");
        assert!(
            got.iter()
                .any(|(c, m)| *c == "Q002"
                    && m.contains("`Unknown options: --role-sesion-name, ci`")),
            "{got:?}"
        );
        let got = codes_msgs("--external-id=x1");
        assert!(got.iter().any(|(c, _)| *c == "Q003"), "{got:?}");
        // `--duration-seconds -abc`: the CLI stops at "expected one argument"; `-abc` is not reported again.
        let got = codes_msgs("--duration-seconds -abc");
        assert_eq!(
            got.iter().map(|(c, _)| *c).collect::<Vec<_>>(),
            vec!["Q005"],
            "{got:?}"
        );
    }
}
