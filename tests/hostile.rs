//! Hostile input: each case ends with a clear diagnostic or error message and a defined exit code
//! (2 for input stslint cannot read), never a panic, a hang or unbounded memory.
//! Limits (README "Limits"): input files and standard input 16 MiB, `file://` targets 1 MiB,
//! JSON 256 levels, shorthand 100 levels, `$(...)` 64 levels; only regular files are read.

mod common;
use common::{stslint, NOW};
use std::path::{Path, PathBuf};
use std::process::Output;

const INVOCATION: &str = "aws sts assume-role-with-web-identity --role-arn arn:aws:iam::111122223333:role/ci --role-session-name 'bad name' --web-identity-token file://t.jwt";

fn dir(name: &str) -> PathBuf {
    let d = std::env::temp_dir().join(format!("stslint-hostile-{name}-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&d);
    std::fs::create_dir_all(&d).unwrap();
    d
}

fn run(dir: &Path, args: &[&str]) -> (i32, String, String) {
    let mut full = vec!["check", "--now", NOW, "--format", "short"];
    if !args.contains(&"--config") {
        full.push("--isolated");
    }
    full.extend_from_slice(args);
    let o: Output = stslint(dir, &full, None);
    let code = o.status.code().expect("exited, not killed by a signal");
    (
        code,
        String::from_utf8_lossy(&o.stdout).into_owned(),
        String::from_utf8_lossy(&o.stderr).into_owned(),
    )
}

#[test]
fn text_that_is_not_utf8_is_refused_with_the_offset() {
    let d = dir("utf8");
    std::fs::write(d.join("latin1.sh"), b"# caf\xe9\naws sts ...\n").unwrap();
    let (code, _, err) = run(&d, &["latin1.sh"]);
    assert_eq!(code, 2);
    assert!(
        err.contains("latin1.sh: not UTF-8 text (invalid byte at offset 5)"),
        "{err}"
    );
}

#[test]
fn binary_files_are_refused_or_skipped() {
    let d = dir("binary");
    let mut elf = b"\x7fELF\x02\x01\x01\0\0\0\0\0\0\0\0\0".to_vec();
    elf.extend((0..4096u32).map(|i| (i * 7919 % 251) as u8));
    std::fs::write(d.join("tool.sh"), &elf).unwrap();
    let (code, _, err) = run(&d, &["tool.sh"]);
    assert_eq!(code, 2, "a named binary file is an error");
    assert!(err.contains("tool.sh: not UTF-8 text"), "{err}");
    // In a directory walk it is skipped, said on stderr, and the other files are still checked.
    std::fs::write(d.join("ok.sh"), format!("{INVOCATION}\n")).unwrap();
    std::fs::write(d.join("t.jwt"), "x").unwrap();
    let (code, out, err) = run(&d, &["."]);
    assert!(
        err.contains("stslint: skipped tool.sh: not UTF-8 text"),
        "{err}"
    );
    assert!(out.contains("ok.sh:1:"), "{out}");
    assert_eq!(
        code, 1,
        "the walk's exit code is that of the files it could read"
    );
}

#[test]
fn nul_bytes_are_read_as_text() {
    let d = dir("nul");
    std::fs::write(d.join("t.jwt"), "x").unwrap();
    std::fs::write(d.join("nul.sh"), format!("echo a\0b\n{INVOCATION}\n")).unwrap();
    let (code, out, _) = run(&d, &["nul.sh"]);
    assert_eq!(code, 1, "{out}");
    assert!(
        out.contains("nul.sh:2:"),
        "the invocation after the NUL is checked: {out}"
    );
}

#[test]
fn a_100_mb_file_is_refused_by_its_size() {
    let d = dir("big");
    let f = std::fs::File::create(d.join("big.sh")).unwrap();
    f.set_len(100 * 1024 * 1024).unwrap(); // sparse: no disk used
    let (code, _, err) = run(&d, &["big.sh"]);
    assert_eq!(code, 2);
    assert!(
        err.contains("big.sh: larger than stslint's limit of 16777216 bytes"),
        "{err}"
    );
    // The same through standard input: read up to the limit, then refused.
    let big = "#".repeat(17 * 1024 * 1024);
    let o = stslint(&d, &["check", "--now", NOW, "-"], Some(&big));
    assert_eq!(o.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&o.stderr)
        .contains("cannot read standard input: larger than stslint's limit"));
}

#[test]
fn a_10_mb_line_is_checked_and_not_echoed() {
    let d = dir("longline");
    let line = format!(
        "aws sts assume-role-with-web-identity --role-arn arn:aws:iam::111122223333:role/ci --role-session-name ci --web-identity-token {}\n",
        "a".repeat(10 * 1024 * 1024)
    );
    std::fs::write(d.join("long.sh"), line).unwrap();
    for format in ["short", "human", "json"] {
        let (code, out) = common::check_with(&d, "long.sh", format, &["--isolated"]);
        assert_eq!(code, 1);
        assert!(out.contains("T001"), "{format}: {out}");
        assert!(
            out.len() < 20_000,
            "{format}: {} bytes of output",
            out.len()
        );
    }
}

#[test]
fn deep_nesting_is_bounded() {
    let d = dir("deep");
    std::fs::write(d.join("t.jwt"), "x").unwrap();
    // A request file thousands of levels deep.
    std::fs::write(
        d.join("deep.json"),
        format!("{}{}", "[".repeat(100_000), "]".repeat(100_000)),
    )
    .unwrap();
    let (code, out, _) = run(&d, &["deep.json"]);
    assert_eq!(code, 1);
    assert!(
        out.contains("error[I002] not valid JSON: JSON nested more than 256 levels deep"),
        "{out}"
    );
    // An inline policy, shorthand PolicyArns, and `$(` in a script.
    let policy = format!("{}1{}", "{\"a\":".repeat(50_000), "}".repeat(50_000));
    std::fs::write(
        d.join("policy.sh"),
        format!("{INVOCATION} --policy '{policy}'\n"),
    )
    .unwrap();
    let (code, out, _) = run(&d, &["policy.sh"]);
    assert_eq!(code, 1);
    assert!(
        out.contains("error[P003] Policy is not valid JSON: JSON nested more than 256 levels deep"),
        "{out}"
    );
    std::fs::write(
        d.join("arns.sh"),
        format!("{INVOCATION} --policy-arns 'arn={}'\n", "[".repeat(100_000)),
    )
    .unwrap();
    let (code, out, _) = run(&d, &["arns.sh"]);
    assert_eq!(code, 1);
    assert!(
        out.contains("error[Q006]") && out.contains("nested more than 100 levels deep"),
        "{out}"
    );
    std::fs::write(
        d.join("subst.sh"),
        format!("echo {}\n", "\"$(".repeat(50_000)),
    )
    .unwrap();
    let (code, out, _) = run(&d, &["subst.sh"]);
    assert_eq!(code, 1);
    assert!(out.contains("error[I001]"), "{out}");
    // A configuration file.
    std::fs::write(
        d.join("deep.toml"),
        format!("select = {}\n", "[".repeat(100_000)),
    )
    .unwrap();
    std::fs::write(d.join("ok.sh"), format!("{INVOCATION}\n")).unwrap();
    let o = stslint(
        &d,
        &["check", "--now", NOW, "--config", "deep.toml", "ok.sh"],
        None,
    );
    assert_eq!(o.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&o.stdout).contains("I007"));
}

#[test]
fn only_regular_files_are_read() {
    let d = dir("special");
    std::fs::create_dir(d.join("adir")).unwrap();
    let fifo = d.join("fifo");
    let made = std::process::Command::new("mkfifo")
        .arg(&fifo)
        .status()
        .unwrap();
    assert!(made.success(), "mkfifo");
    // Named inputs: exit 2 without opening (a FIFO would block, /dev/zero never ends).
    for p in ["fifo", "/dev/zero"] {
        let (code, _, err) = run(&d, &[p]);
        assert_eq!(code, 2, "{p}");
        assert!(err.contains(&format!("{p}: not a regular file")), "{err}");
    }
    // file:// targets: I003 at the value.
    std::fs::write(
        d.join("targets.sh"),
        "aws sts assume-role-with-web-identity --role-arn arn:aws:iam::111122223333:role/ci --role-session-name ci --web-identity-token file:///dev/zero --policy file://fifo\n\
         aws sts assume-role-with-web-identity --role-arn arn:aws:iam::111122223333:role/ci --role-session-name ci --web-identity-token file://adir\n",
    )
    .unwrap();
    let (code, out, _) = run(&d, &["targets.sh"]);
    assert_eq!(code, 1);
    for (at, what) in [
        (
            "targets.sh:1:",
            // a device outside the checked directory is not even opened
            "WebIdentityToken is read from `file:///dev/zero`, outside the directory being checked",
        ),
        (
            "targets.sh:1:",
            "cannot read Policy from `file://fifo`: not a regular file",
        ),
        (
            "targets.sh:2:",
            "cannot read WebIdentityToken from `file://adir`: not a regular file",
        ),
    ] {
        assert!(
            out.lines().any(|l| l.starts_with(at) && l.contains(what)),
            "{what}: {out}"
        );
    }
    // Option files: --jwks, --trust-policy, --role, --oidc-provider, --config, --baseline.
    std::fs::write(d.join("ok.sh"), format!("{INVOCATION}\n")).unwrap();
    for opt in [
        "--jwks",
        "--trust-policy",
        "--role",
        "--oidc-provider",
        "--config",
        "--baseline",
    ] {
        for p in ["fifo", "/dev/zero", "adir"] {
            let (code, _, err) = run(&d, &[opt, p, "ok.sh"]);
            assert_eq!(code, 2, "{opt} {p}: {err}");
            assert!(
                err.contains("not a regular file") || err.contains("I007"),
                "{opt} {p}: {err}"
            );
        }
    }
    // The token command.
    let o = stslint(&d, &["token", "file:///dev/zero"], None);
    assert_eq!(o.status.code(), Some(2));
    let o = stslint(&d, &["token", "-"], Some(&"a".repeat(2 * 1024 * 1024)));
    assert_eq!(
        o.status.code(),
        Some(2),
        "a token on stdin is at most 1 MiB"
    );
}

#[test]
fn unterminated_quotes_and_heredocs_are_shell_syntax_errors() {
    let d = dir("unterminated");
    for (name, text, what) in [
        (
            "sq.sh",
            format!("{INVOCATION} --policy '{{\n"),
            "unterminated single quote",
        ),
        (
            "dq.sh",
            format!("{INVOCATION} --role-session-name \"ci\n"),
            "unterminated double quote",
        ),
        (
            "subst.sh",
            format!("X=$({INVOCATION}\n"),
            "unterminated command substitution",
        ),
    ] {
        std::fs::write(d.join(name), text).unwrap();
        let (code, out, _) = run(&d, &[name]);
        assert_eq!(code, 1, "{name}: {out}");
        assert!(
            out.contains("error[I001]") && out.contains(what),
            "{name}: {out}"
        );
    }
}

#[test]
fn an_unterminated_heredoc_is_a_warning_as_bash_and_dash_accept_it() {
    let d = dir("unterminated-heredoc");
    std::fs::write(d.join("heredoc.sh"), format!("cat <<EOF\n{INVOCATION}\n")).unwrap();
    let (code, out, _) = run(&d, &["heredoc.sh"]);
    assert_eq!(code, 0, "{out}");
    assert!(
        out.contains("warning[I009]") && out.contains("delimited by end-of-file"),
        "{out}"
    );
}

#[test]
fn symlink_loops_in_a_walk_are_not_followed() {
    let d = dir("symlinks");
    std::fs::write(d.join("t.jwt"), "x").unwrap();
    std::fs::write(d.join("real.sh"), format!("{INVOCATION}\n")).unwrap();
    std::os::unix::fs::symlink(".", d.join("self")).unwrap();
    std::os::unix::fs::symlink("b.sh", d.join("a.sh")).unwrap();
    std::os::unix::fs::symlink("a.sh", d.join("b.sh")).unwrap();
    let (code, out, err) = run(&d, &["."]);
    assert_eq!(code, 1, "{out}{err}");
    assert!(out.lines().any(|l| l.starts_with("real.sh:1:")), "{out}");
    assert!(
        out.lines()
            .all(|l| l.starts_with("real.sh:") || l.starts_with("t.jwt:")),
        "nothing through the links: {out}"
    );
    let once = out.lines().filter(|l| l.contains("S002")).count();
    assert_eq!(once, 1, "the real file once: {out}");
    // Named, the loop is an error with the system's reason.
    let (code, _, err) = run(&d, &["a.sh"]);
    assert_eq!(code, 2);
    assert!(
        err.contains("a.sh: Too many levels of symbolic links"),
        "{err}"
    );
}

#[test]
fn windows_text_is_reported_and_still_checked() {
    let d = dir("windows");
    std::fs::write(d.join("t.jwt"), "x").unwrap();
    std::fs::write(
        d.join("crlf.sh"),
        "aws sts assume-role-with-web-identity \\\r\n  --role-arn arn:aws:iam::111122223333:role/ci \\\r\n  --role-session-name 'bad name' \\\r\n  --web-identity-token file://t.jwt\r\n",
    )
    .unwrap();
    let (code, out, _) = run(&d, &["crlf.sh"]);
    assert_eq!(code, 1);
    assert!(
        out.contains("crlf.sh:1:40: error[I008] 4 lines of the script end with CRLF"),
        "{out}"
    );
    assert!(
        out.contains("crlf.sh:3:") && out.contains("S002"),
        "the invocation is read across CRLF continuations: {out}"
    );
    std::fs::write(
        d.join("bom.sh"),
        format!("\u{feff}{INVOCATION} --role-session-name 'bad name'\n"),
    )
    .unwrap();
    let (code, out, _) = run(&d, &["bom.sh"]);
    assert_eq!(code, 1);
    assert!(
        out.contains("bom.sh:1:1: error[I008] the script starts with a byte-order mark"),
        "{out}"
    );
    assert!(
        out.contains("S002"),
        "the invocation after the BOM is checked: {out}"
    );
    std::fs::write(d.join("bom.json"), "\u{feff}{\"RoleArn\": \"x\"}").unwrap();
    let (code, out, _) = run(&d, &["bom.json"]);
    assert_eq!(code, 1);
    assert!(
        out.contains(
            "error[I002] not valid JSON: byte-order mark (U+FEFF) before the JSON document"
        ),
        "{out}"
    );
}

/// A closed standard error or output ends the run quietly with its exit code, instead of a
/// panic inside the panic hook (SIGABRT, exit 134).
#[test]
fn closed_stderr_and_stdout_do_not_abort() {
    let bin = env!("CARGO_BIN_EXE_stslint");
    for (script, want) in [
        (format!("'{bin}' check --now bad x.sh 2>&-"), 2),
        (format!("'{bin}' check no-such-file.sh 2>&-"), 2),
        (
            format!("'{bin}' check -- aws sts assume-role-with-web-identity >&- 2>&-"),
            1,
        ),
    ] {
        let out = std::process::Command::new("sh")
            .arg("-c")
            .arg(&script)
            .output()
            .unwrap();
        assert_eq!(out.status.code(), Some(want), "{script}");
    }
}
