//! Commands that run another command: `env`, `timeout`, `nice`, `nohup`, `time`, `stdbuf`,
//! `sudo`, `exec`, `command`, `xargs`, `kubectl exec|debug|run ... --`, `docker|podman run|exec`,
//! `aws-vault exec PROFILE --`, and shells (`sh -c STRING`, `bash -s` reading a script on stdin).
//!
//! Each wrapper's options are known, with the ones that take a value, so the wrapped command is
//! found exactly. An option stslint does not know, or a form that does not run the words that
//! follow (`command -v`, `sudo -l`, `xargs -I`), stops the search: the command is then not read,
//! never misread.

use crate::source::Text;

/// Words that may stand before a command without changing what runs.
const RESERVED: [&str; 10] = [
    "if", "then", "elif", "else", "do", "while", "until", "!", "{", "builtin",
];

/// The options of one wrapper: short option letters with and without a value, long options.
struct Spec {
    /// Short options without a value (`-i`).
    flags: &'static str,
    /// Short options that take a value, attached (`-oL`) or as the next word (`-u NAME`).
    values: &'static str,
    /// Short options whose value is optional and only ever attached (`xargs -e[EOF]`).
    attached: &'static str,
    long_flags: &'static [&'static str],
    long_values: &'static [&'static str],
    /// Options after which the words that follow are not run as a command as they stand.
    stop: &'static str,
    long_stop: &'static [&'static str],
}

const NONE: Spec = Spec {
    flags: "",
    values: "",
    attached: "",
    long_flags: &[],
    long_values: &[],
    stop: "",
    long_stop: &[],
};

const ENV: Spec = Spec {
    flags: "i0v",
    values: "uCP",
    long_flags: &[
        "ignore-environment",
        "null",
        "debug",
        "block-signal",
        "default-signal",
        "ignore-signal",
        "list-signal-handling",
    ],
    long_values: &["unset", "chdir"],
    // `env -S 'aws sts ...'` splits a string into the command: not followed.
    stop: "S",
    long_stop: &["split-string"],
    ..NONE
};

const TIMEOUT: Spec = Spec {
    flags: "v",
    values: "ks",
    long_flags: &["preserve-status", "foreground", "verbose"],
    long_values: &["kill-after", "signal"],
    ..NONE
};

const NICE: Spec = Spec {
    flags: "0123456789",
    values: "n",
    long_values: &["adjustment"],
    ..NONE
};

const TIME: Spec = Spec {
    flags: "pavq",
    values: "fo",
    long_flags: &["portability", "append", "verbose", "quiet"],
    long_values: &["format", "output"],
    ..NONE
};

const STDBUF: Spec = Spec {
    values: "ioe",
    long_values: &["input", "output", "error"],
    ..NONE
};

const SUDO: Spec = Spec {
    flags: "AbBEHiknNPSs",
    values: "CDghpRrtTUu",
    long_flags: &[
        "askpass",
        "background",
        "bell",
        "preserve-env",
        "set-home",
        "login",
        "non-interactive",
        "preserve-groups",
        "stdin",
        "shell",
        "reset-timestamp",
    ],
    long_values: &[
        "close-from",
        "chdir",
        "group",
        "host",
        "prompt",
        "chroot",
        "role",
        "type",
        "command-timeout",
        "other-user",
        "user",
    ],
    // -l lists, -v validates, -e edits, -V and -h print: none runs the command.
    stop: "lveVhK",
    long_stop: &[
        "list",
        "validate",
        "edit",
        "version",
        "help",
        "remove-timestamp",
    ],
    ..NONE
};

/// A wrapper with short options only.
const fn short(flags: &'static str, values: &'static str) -> Spec {
    Spec {
        flags,
        values,
        ..NONE
    }
}

const EXEC: Spec = short("cl", "a");

const COMMAND: Spec = Spec {
    // `command -v aws` prints where aws is.
    stop: "vV",
    ..short("p", "")
};

const XARGS: Spec = Spec {
    flags: "0rtpxo",
    values: "adEnLPs",
    attached: "el",
    long_flags: &[
        "null",
        "no-run-if-empty",
        "verbose",
        "interactive",
        "exit",
        "open-tty",
        "show-limits",
    ],
    long_values: &[
        "arg-file",
        "delimiter",
        "eof",
        "max-lines",
        "max-args",
        "max-procs",
        "max-chars",
        "process-slot-var",
    ],
    // `-I {}` puts the input inside the words instead of after them.
    stop: "Ii",
    long_stop: &["replace"],
};

const DOCKER_RUN: Spec = Spec {
    flags: "itdPq",
    values: "eavwlpuhmc",
    long_flags: &[
        "rm",
        "interactive",
        "tty",
        "detach",
        "init",
        "privileged",
        "publish-all",
        "read-only",
        "quiet",
        "no-healthcheck",
        "oom-kill-disable",
        "sig-proxy",
        "env-host",
        "replace",
    ],
    long_values: &[
        "add-host",
        "annotation",
        "arch",
        "attach",
        "authfile",
        "blkio-weight",
        "cap-add",
        "cap-drop",
        "cgroup-parent",
        "cgroupns",
        "cidfile",
        "cpu-period",
        "cpu-quota",
        "cpu-shares",
        "cpus",
        "cpuset-cpus",
        "cpuset-mems",
        "detach-keys",
        "device",
        "device-cgroup-rule",
        "dns",
        "dns-option",
        "dns-search",
        "domainname",
        "entrypoint",
        "env",
        "env-file",
        "expose",
        "gpus",
        "group-add",
        "health-cmd",
        "health-interval",
        "health-retries",
        "health-start-period",
        "health-timeout",
        "hostname",
        "ip",
        "ip6",
        "ipc",
        "isolation",
        "label",
        "label-file",
        "link",
        "log-driver",
        "log-opt",
        "mac-address",
        "memory",
        "memory-reservation",
        "memory-swap",
        "mount",
        "name",
        "net",
        "network",
        "network-alias",
        "oom-score-adj",
        "os",
        "pid",
        "pids-limit",
        "platform",
        "pod",
        "publish",
        "pull",
        "restart",
        "runtime",
        "secret",
        "security-opt",
        "shm-size",
        "stop-signal",
        "stop-timeout",
        "storage-opt",
        "sysctl",
        "tmpfs",
        "ulimit",
        "user",
        "userns",
        "uts",
        "volume",
        "volume-driver",
        "volumes-from",
        "workdir",
    ],
    ..NONE
};

const DOCKER_EXEC: Spec = Spec {
    flags: "itd",
    values: "euw",
    long_flags: &["interactive", "tty", "detach", "privileged"],
    long_values: &["env", "env-file", "user", "workdir", "detach-keys"],
    ..NONE
};

const AWS_VAULT_EXEC: Spec = Spec {
    flags: "njs",
    values: "dt",
    long_flags: &[
        "no-session",
        "json",
        "server",
        "ec2-server",
        "ecs-server",
        "lazy",
        "stdout",
        "debug",
    ],
    long_values: &[
        "duration",
        "mfa-token",
        "region",
        "prompt",
        "backend",
        "keychain",
        "pass-dir",
        "pass-cmd",
        "pass-prefix",
        "file-dir",
        "secret-service-collection",
    ],
    ..NONE
};

const SSH: Spec = short("46AaCfGgKkMNnqsTtVvXxYy", "BbcDEeFIiJLlmOoPpQRSWw");

/// Shell options: `-o NAME` and `-O NAME` take a value; `-c` means the first operand is a script.
const SHELL: Spec = Spec {
    flags: "abcefhikmnprstuvxBCEHPTils",
    values: "oO",
    long_flags: &[
        "login",
        "noprofile",
        "norc",
        "posix",
        "restricted",
        "verbose",
        "noediting",
        "debugger",
        "dump-strings",
        "dump-po-strings",
        "protected",
        "help",
        "version",
    ],
    long_values: &["rcfile", "init-file"],
    ..NONE
};

const SHELLS: [&str; 7] = ["sh", "bash", "zsh", "dash", "ksh", "ash", "mksh"];

fn is_word(w: &Text, s: &str) -> bool {
    w.is_static() && w.value == s
}

/// The program a word names, without its directory (`/usr/bin/env` is `env`).
fn program(w: &Text) -> Option<&str> {
    if !w.is_static() {
        return None;
    }
    w.value.rsplit('/').next()
}

/// True for `NAME=value`.
pub fn is_assignment(w: &Text) -> bool {
    w.value.split_once('=').is_some_and(|(n, _)| {
        !n.is_empty()
            && !n.as_bytes()[0].is_ascii_digit()
            && n.bytes().all(|b| b == b'_' || b.is_ascii_alphanumeric())
    })
}

/// Skips the options of a wrapper from `i`: the index of its first operand (after `--`), or
/// `None` for an unknown option, a stop option, or an option only the shell knows.
fn skip_options(words: &[Text], mut i: usize, spec: &Spec, dash_is_flag: bool) -> Option<usize> {
    while let Some(w) = words.get(i) {
        let v = w.value.as_str();
        if !w.is_static() {
            // An operand (`timeout "$T"`), or options only the run knows (`sudo $OPTS`): either
            // way no word after it is taken for an option here.
            return (!v.starts_with('-')).then_some(i);
        }
        if v == "--" {
            return Some(i + 1);
        }
        if v == "-" && dash_is_flag {
            i += 1;
            continue;
        }
        if !v.starts_with('-') || v == "-" {
            return Some(i);
        }
        if let Some(long) = v.strip_prefix("--") {
            let (name, has_value) = match long.split_once('=') {
                Some((n, _)) => (n, true),
                None => (long, false),
            };
            if spec.long_stop.contains(&name) {
                return None;
            }
            if spec.long_values.contains(&name) {
                i += if has_value { 1 } else { 2 };
            } else if spec.long_flags.contains(&name) {
                i += 1;
            } else {
                return None;
            }
            continue;
        }
        let mut consumed = 1;
        for (k, c) in v[1..].char_indices() {
            if spec.stop.contains(c) {
                return None;
            }
            if spec.attached.contains(c) {
                break;
            }
            if spec.values.contains(c) {
                if k + c.len_utf8() == v.len() - 1 {
                    consumed = 2; // the value is the next word
                }
                break;
            }
            if !spec.flags.contains(c) {
                return None;
            }
        }
        i += consumed;
    }
    Some(i)
}

fn skip_assignments(words: &[Text], mut i: usize) -> usize {
    while words.get(i).is_some_and(is_assignment) {
        i += 1;
    }
    i
}

/// An image whose entrypoint is `aws`: `amazon/aws-cli[:tag]`, `public.ecr.aws/aws-cli/aws-cli`.
fn is_aws_cli_image(w: &Text) -> bool {
    if !w.is_static() {
        return false;
    }
    let name = w.value.split('@').next().unwrap_or("");
    let last = name.rsplit('/').next().unwrap_or("");
    last.split(':').next() == Some("aws-cli")
}

/// A stand-in word with value `value`, written as all of `at` (an image that runs `aws`).
fn stand_in(value: &str, at: &Text) -> Text {
    Text {
        value: value.to_string(),
        source: at.source,
        span: at.span.clone(),
        segs: Vec::new(),
        dynamic: Vec::new(),
    }
}

/// What one wrapper at `words[i]` runs: the index of the wrapped command, or the wrapped words
/// when they differ from the written ones.
enum Step {
    At(usize),
    Words(Vec<Text>),
}

fn step(words: &[Text], i: usize) -> Option<Step> {
    let w = &words[i];
    let at = |spec: &Spec| {
        skip_options(words, i + 1, spec, false).map(|j| Step::At(skip_assignments(words, j)))
    };
    match program(w)? {
        "env" => {
            skip_options(words, i + 1, &ENV, true).map(|j| Step::At(skip_assignments(words, j)))
        }
        "timeout" => skip_options(words, i + 1, &TIMEOUT, false).map(|j| Step::At(j + 1)),
        "nice" => at(&NICE),
        "nohup" => at(&NONE),
        "time" => at(&TIME),
        "stdbuf" => at(&STDBUF),
        "sudo" => at(&SUDO),
        "exec" => at(&EXEC),
        "command" => at(&COMMAND),
        "xargs" => {
            let j = skip_options(words, i + 1, &XARGS, false)?;
            words.get(j)?;
            // xargs appends the words it reads to the command: unknown arguments at the end.
            let mut out = words[j..].to_vec();
            out.push(Text::unknown("xargs", &w.whole()));
            Some(Step::Words(out))
        }
        "kubectl" | "oc" => {
            let dash = words[i + 1..].iter().position(|x| is_word(x, "--"))? + i + 1;
            let sub = words[i + 1..dash]
                .iter()
                .find(|x| ["exec", "debug", "run"].iter().any(|s| is_word(x, s)))?;
            if sub.value == "run" {
                let image = words[i + 1..dash].iter().enumerate().find_map(|(k, x)| {
                    match x.value.strip_prefix("--image") {
                        Some("") => words.get(i + 1 + k + 1),
                        Some(v) if v.starts_with('=') => Some(x),
                        _ => None,
                    }
                });
                let command = words[i + 1..dash].iter().any(|x| is_word(x, "--command"));
                if let Some(img) =
                    image.filter(|img| !command && is_aws_cli_image(&image_word(img)))
                {
                    let mut out = vec![stand_in("aws", img)];
                    out.extend_from_slice(&words[dash + 1..]);
                    return Some(Step::Words(out));
                }
            }
            Some(Step::At(dash + 1))
        }
        "docker" | "podman" | "nerdctl" => {
            let mut j = i + 1;
            if words.get(j).is_some_and(|x| is_word(x, "container")) {
                j += 1;
            }
            let sub = words.get(j)?;
            if is_word(sub, "exec") {
                let container = skip_options(words, j + 1, &DOCKER_EXEC, false)?;
                words.get(container)?;
                return Some(Step::At(container + 1));
            }
            if !is_word(sub, "run") {
                return None;
            }
            let image = skip_options(words, j + 1, &DOCKER_RUN, false)?;
            let img = words.get(image)?;
            let entrypoint = words[j + 1..image].iter().enumerate().find_map(|(k, x)| {
                match x.value.strip_prefix("--entrypoint") {
                    Some("") => words.get(j + 1 + k + 1).cloned(),
                    Some(v) if v.starts_with('=') => Some(x.slice(13..x.value.len())),
                    _ => None,
                }
            });
            let first = match entrypoint {
                Some(e) if !e.value.is_empty() => Some(e),
                Some(_) => None,
                None if is_aws_cli_image(img) => Some(stand_in("aws", img)),
                None => None,
            };
            match first {
                Some(f) => {
                    let mut out = vec![f];
                    out.extend_from_slice(&words[image + 1..]);
                    Some(Step::Words(out))
                }
                None => Some(Step::At(image + 1)),
            }
        }
        "aws-vault" => {
            if !words.get(i + 1).is_some_and(|x| is_word(x, "exec")) {
                return None;
            }
            if let Some(dash) = words[i + 2..].iter().position(|x| is_word(x, "--")) {
                return Some(Step::At(i + 2 + dash + 1));
            }
            let profile = skip_options(words, i + 2, &AWS_VAULT_EXEC, false)?;
            words.get(profile)?;
            at_options(words, profile + 1, &AWS_VAULT_EXEC)
        }
        _ => None,
    }
}

fn at_options(words: &[Text], from: usize, spec: &Spec) -> Option<Step> {
    skip_options(words, from, spec, false).map(Step::At)
}

/// The image named by `--image=X` (a slice of the word) or `--image X`.
fn image_word(w: &Text) -> Text {
    match w.value.strip_prefix("--image=") {
        Some(_) => w.slice(8..w.value.len()),
        None => w.clone(),
    }
}

/// The command that `words` runs once its wrappers are skipped, when there are wrappers and they
/// could all be read; `None` when the command has no wrapper (or one stslint cannot follow).
pub fn unwrap(words: &[Text]) -> Option<Vec<Text>> {
    let mut cur: Vec<Text> = Vec::new();
    let mut changed = false;
    // Bounded: each round consumes at least one word.
    for _ in 0..words.len() {
        let ws: &[Text] = if changed { &cur } else { words };
        let mut i = 0;
        while ws
            .get(i)
            .is_some_and(|w| RESERVED.iter().any(|r| is_word(w, r)) || is_assignment(w))
        {
            i += 1;
        }
        let next = match ws.get(i).map(|_| step(ws, i)) {
            Some(Some(Step::At(j))) if j > i && j < ws.len() => ws[j..].to_vec(),
            Some(Some(Step::Words(v))) if !v.is_empty() => v,
            Some(Some(_)) => return None,
            _ => break,
        };
        cur = next;
        changed = true;
    }
    changed.then_some(cur)
}

/// How a shell command (`words[0]` is `sh`, `bash`, ...) gets its script.
#[derive(Debug, PartialEq)]
pub enum ShellRun<'a> {
    /// `sh -c STRING`.
    String(&'a Text),
    /// From standard input (`bash`, `sh -s`): a here-document fed to it is a script.
    Stdin,
    /// From a file, or not at all.
    Other,
}

/// True when `w` names a shell.
pub fn is_shell(w: &Text) -> bool {
    program(w).is_some_and(|p| SHELLS.contains(&p))
}

/// What the shell command `words` (whose first word is a shell) runs.
pub fn shell_run(words: &[Text]) -> ShellRun<'_> {
    let Some(end) = skip_options(words, 1, &SHELL, false) else {
        return ShellRun::Other;
    };
    let clusters = || {
        words[1..end]
            .iter()
            .filter(|w| w.value.starts_with('-') && !w.value.starts_with("--"))
    };
    let has = |c: char| clusters().any(|w| w.value[1..].contains(c));
    // `-o pipefail`: only the letters of the cluster itself count, not the value after it.
    if has('c') {
        return match words.get(end) {
            Some(s) => ShellRun::String(s),
            None => ShellRun::Other,
        };
    }
    if end >= words.len() || has('s') {
        ShellRun::Stdin
    } else {
        ShellRun::Other
    }
}

/// True when a here-document given to the command `words` is read as a script: `bash`,
/// `sh -s`, `sudo bash`, `ssh HOST`, `ssh HOST bash -s`, `docker exec -i C sh`.
pub fn reads_script_from_stdin(words: &[Text]) -> bool {
    let unwrapped = unwrap(words);
    let ws = unwrapped.as_deref().unwrap_or(words);
    let mut i = 0;
    while ws
        .get(i)
        .is_some_and(|w| RESERVED.iter().any(|r| is_word(w, r)) || is_assignment(w))
    {
        i += 1;
    }
    let Some(first) = ws.get(i) else { return false };
    if is_shell(first) {
        return shell_run(&ws[i..]) == ShellRun::Stdin;
    }
    if program(first) == Some("ssh") {
        // Without a remote command, the remote login shell reads the script.
        let Some(host) = skip_options(ws, i + 1, &SSH, false) else {
            return false;
        };
        return match ws.get(host + 1) {
            None => host < ws.len(),
            Some(cmd) if is_shell(cmd) => shell_run(&ws[host + 1..]) == ShellRun::Stdin,
            Some(_) => false,
        };
    }
    false
}

#[cfg(test)]
mod tests {
    use super::*;

    fn words(s: &str) -> Vec<Text> {
        super::super::lex_plain(s).commands.remove(0).words
    }

    fn unwrapped(s: &str) -> Option<Vec<String>> {
        unwrap(&words(s)).map(|v| v.iter().map(Text::display).collect())
    }

    #[test]
    fn wrappers_are_skipped_with_their_options() {
        let aws = Some(vec!["aws".to_string(), "sts".to_string()]);
        for s in [
            "env -u AWS_PROFILE -u X --unset=Y -i - -C /tmp A=1 aws sts",
            "timeout -k 5 --signal=KILL 60s aws sts",
            "timeout 60 aws sts",
            "nice -n 10 aws sts",
            "nice -10 aws sts",
            "nohup aws sts",
            "time -p aws sts",
            "stdbuf -oL -e 0 aws sts",
            "sudo -E -u deploy --preserve-env=AWS_REGION aws sts",
            "sudo -Eu deploy aws sts",
            "exec -a name aws sts",
            "command aws sts",
            "if sudo -E env A=b timeout 5 aws sts",
            "kubectl -n ci exec -it pod-0 -c main -- aws sts",
            "kubectl debug node/x -it --image=busybox -- aws sts",
            "docker exec -i -e A=1 box aws sts",
            "docker run --rm -it alpine aws sts",
            "aws-vault exec prod --duration 1h -- aws sts",
            "aws-vault exec prod aws sts",
            "timeout \"$T\" aws sts",
        ] {
            assert_eq!(unwrapped(s), aws, "{s}");
        }
        for s in [
            "docker run --rm -e A=1 -v a:b --env-file f -it amazon/aws-cli:2.15.0 sts",
            "podman run --rm public.ecr.aws/aws-cli/aws-cli sts",
            "docker run --entrypoint aws img sts",
            "kubectl run x --image=amazon/aws-cli --rm -i -- sts",
        ] {
            assert_eq!(unwrapped(s), aws, "{s}");
        }
        // xargs appends its input: an unknown part at the end.
        assert_eq!(
            unwrapped("xargs -n 1 aws sts"),
            Some(vec!["aws".into(), "sts".into(), "xargs".into()])
        );
        for s in [
            "command -v aws sts",
            "sudo -l aws sts",
            "env -S 'aws sts'",
            "xargs -I{} aws sts {}",
            "timeout --unknown 5 aws sts",
            "docker run --unknown-flag amazon/aws-cli sts",
            "kubectl exec pod aws sts",
            "echo aws sts",
            "aws sts",
        ] {
            assert_eq!(unwrapped(s), None, "{s}");
        }
    }

    #[test]
    fn shells_and_their_scripts() {
        let run = |s: &str| match shell_run(&words(s)) {
            ShellRun::String(t) => Some(t.value.clone()),
            ShellRun::Stdin => Some("<stdin>".into()),
            ShellRun::Other => None,
        };
        assert_eq!(run("sh -c 'aws sts' x"), Some("aws sts".into()));
        assert_eq!(run("bash -lc 'a b'"), Some("a b".into()));
        assert_eq!(run("bash -o pipefail -ec 'a'"), Some("a".into()));
        assert_eq!(run("bash -eo pipefail"), Some("<stdin>".into()));
        assert_eq!(run("bash -s -- x y"), Some("<stdin>".into()));
        assert_eq!(run("bash script.sh"), None);
        for (s, yes) in [
            ("bash", true),
            ("sudo -E bash -s", true),
            ("ssh -i key host", true),
            ("ssh host bash -s", true),
            ("ssh host ls", false),
            ("cat > x.sh", false),
            ("sh -c 'x'", false),
            ("bash x.sh", false),
            ("docker exec -i c sh", true),
        ] {
            assert_eq!(reads_script_from_stdin(&words(s)), yes, "{s}");
        }
    }
}
