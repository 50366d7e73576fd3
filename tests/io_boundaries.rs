//! What stslint may touch. It reads only what the user named (the inputs, their `file://` targets,
//! the files of --jwks, --role, --trust-policy, --oidc-provider, --config and --baseline, and
//! configuration files found beside the inputs), writes only the --write-baseline file, and never
//! opens a socket. Checked three ways: the dependency tree, the source, and strace on real runs.

mod common;
use common::{root, NOW};
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::process::Command;

/// Crates that speak a network protocol or resolve names. None may be in Cargo.lock, which holds
/// the dependencies of the tool, the tests and the benchmarks alike.
const NETWORK_CRATES: [&str; 26] = [
    "reqwest",
    "hyper",
    "hyper-util",
    "h2",
    "h3",
    "ureq",
    "curl",
    "curl-sys",
    "isahc",
    "attohttpc",
    "surf",
    "tokio",
    "async-std",
    "mio",
    "socket2",
    "native-tls",
    "openssl",
    "openssl-sys",
    "rustls",
    "webpki",
    "webpki-roots",
    "tungstenite",
    "hickory-resolver",
    "trust-dns-resolver",
    "quinn",
    "libssh2-sys",
];

#[test]
fn no_network_crate_is_in_the_dependency_tree() {
    let lock = std::fs::read_to_string(root().join("Cargo.lock")).unwrap();
    let names: Vec<&str> = lock
        .lines()
        .filter_map(|l| l.strip_prefix("name = \""))
        .map(|l| l.trim_end_matches('"'))
        .collect();
    assert!(
        names.len() > 50,
        "read Cargo.lock: {} packages",
        names.len()
    );
    for bad in NETWORK_CRATES {
        assert!(
            !names.contains(&bad),
            "Cargo.lock holds `{bad}`, a network crate"
        );
    }
}

#[test]
fn the_source_uses_no_network_or_process_api() {
    let mut files = vec![root().join("src/main.rs")];
    let mut dirs = vec![root().join("src")];
    while let Some(d) = dirs.pop() {
        for e in std::fs::read_dir(d).unwrap() {
            let p = e.unwrap().path();
            if p.is_dir() {
                dirs.push(p);
            } else if p.extension().is_some_and(|x| x == "rs") {
                files.push(p);
            }
        }
    }
    assert!(files.len() > 40);
    for f in files {
        let text = std::fs::read_to_string(&f).unwrap();
        // (std::net's address types are allowed: IpAddress conditions parse addresses.)
        for api in [
            "TcpStream",
            "TcpListener",
            "UdpSocket",
            "UnixStream",
            "UnixListener",
            "UnixDatagram",
            "ToSocketAddrs",
            "std::process::Command",
            "Command::new",
        ] {
            assert!(!text.contains(api), "{} uses {api}", f.display());
        }
    }
}

/// The fixtures copied to a fresh directory, made read-only.
fn fixtures_copy(name: &str) -> PathBuf {
    let dst = std::env::temp_dir().join(format!("stslint-io-{name}-{}", std::process::id()));
    let _ = Command::new("chmod").args(["-R", "u+w"]).arg(&dst).status();
    let _ = std::fs::remove_dir_all(&dst);
    let ok = Command::new("cp")
        .arg("-r")
        .arg(root().join("tests/fixtures"))
        .arg(&dst)
        .status()
        .unwrap();
    assert!(ok.success());
    let ok = Command::new("chmod")
        .args(["-R", "a-w"])
        .arg(&dst)
        .status()
        .unwrap();
    assert!(ok.success());
    dst
}

/// Every file under `dir` with its bytes and modification time.
fn state(dir: &Path) -> BTreeMap<PathBuf, (Vec<u8>, std::time::SystemTime)> {
    let mut out = BTreeMap::new();
    let mut dirs = vec![dir.to_path_buf()];
    while let Some(d) = dirs.pop() {
        for e in std::fs::read_dir(d).unwrap() {
            let p = e.unwrap().path();
            let meta = std::fs::symlink_metadata(&p).unwrap();
            if meta.is_dir() {
                dirs.push(p);
            } else if meta.is_file() {
                out.insert(
                    p.clone(),
                    (std::fs::read(&p).unwrap(), meta.modified().unwrap()),
                );
            }
        }
    }
    out
}

/// Every command and option that reads files, run in `dir`; the baseline is written to `out`.
fn commands(out: &Path) -> Vec<Vec<String>> {
    let baseline = out.join("baseline.json").display().to_string();
    let mut cmds: Vec<Vec<&str>> = Vec::new();
    for format in ["human", "json", "sarif", "github", "short", "junit"] {
        cmds.push(vec![
            "check",
            "--isolated",
            "--format",
            format,
            "--jwks",
            "keys/jwks.json",
            ".",
        ]);
    }
    cmds.push(vec![
        "check",
        "--isolated",
        "--role",
        "trust/github-main-role.json",
        "--oidc-provider",
        "trust/github-provider.json",
        "X001-trust-denied.sh",
    ]);
    cmds.push(vec![
        "check",
        "--config",
        "configs/invalid.toml",
        "I007-config-invalid.sh",
    ]);
    cmds.push(vec![
        "check",
        "--isolated",
        "--write-baseline",
        &baseline,
        ".",
    ]);
    cmds.push(vec!["check", "--isolated", "--baseline", &baseline, "."]);
    cmds.push(vec![
        "token",
        "--jwks",
        "keys/jwks.json",
        "file://tokens/plain.jwt",
    ]);
    cmds.push(vec!["explain", "T014"]);
    cmds.into_iter()
        .map(|c| {
            let mut v: Vec<String> = c.iter().map(|s| s.to_string()).collect();
            v.insert(1, "--now".into());
            v.insert(2, NOW.into());
            v
        })
        .collect()
}

#[test]
fn inputs_are_never_written() {
    let dir = fixtures_copy("writes");
    let out = std::env::temp_dir().join(format!("stslint-io-out-{}", std::process::id()));
    std::fs::create_dir_all(&out).unwrap();
    let before = state(&dir);
    assert!(before.len() > 200, "{} fixture files", before.len());
    for cmd in commands(&out) {
        let o = Command::new(env!("CARGO_BIN_EXE_stslint"))
            .current_dir(&dir)
            .args(&cmd)
            .output()
            .unwrap();
        assert!(o.status.code().is_some_and(|c| c <= 2), "{cmd:?}");
    }
    let after = state(&dir);
    assert_eq!(before.len(), after.len(), "no file added or removed");
    for (p, (bytes, mtime)) in &before {
        let (b, m) = &after[p];
        assert!(b == bytes, "{} changed", p.display());
        assert_eq!(m, mtime, "{} touched", p.display());
    }
    assert!(
        out.join("baseline.json").is_file(),
        "the one file stslint writes"
    );
    let _ = Command::new("chmod").args(["-R", "u+w"]).arg(&dir).status();
    let _ = std::fs::remove_dir_all(&dir);
    let _ = std::fs::remove_dir_all(&out);
}

/// System files any process reads at start (the dynamic loader, the C library) or that the
/// standard library reads to count CPUs.
fn is_system(path: &str) -> bool {
    [
        "/etc/ld.so",
        "/lib",
        "/usr/lib",
        "/proc/self/",
        "/sys/",
        "/proc/sys/",
    ]
    .iter()
    .any(|p| path.starts_with(p))
}

#[test]
fn runs_open_only_named_files_read_only_and_no_socket() {
    let strace = Command::new("strace").arg("-V").output();
    assert!(
        strace.is_ok_and(|o| o.status.success()),
        "strace is needed (apt install strace)"
    );
    let dir = fixtures_copy("strace");
    let out = std::env::temp_dir().join(format!("stslint-io-strace-out-{}", std::process::id()));
    std::fs::create_dir_all(&out).unwrap();
    let log = out.join("trace");
    let mut opened = 0;
    for cmd in commands(&out) {
        let o = Command::new("strace")
            .args([
                "-f",
                "-qq",
                "-e",
                "trace=open,openat,creat,socket,connect,rename,unlink,truncate,mkdir",
                "-o",
            ])
            .arg(&log)
            .arg(env!("CARGO_BIN_EXE_stslint"))
            .args(&cmd)
            .current_dir(&dir)
            .output()
            .unwrap();
        assert!(
            o.status.code().is_some_and(|c| c <= 2),
            "{cmd:?}: {}",
            String::from_utf8_lossy(&o.stderr)
        );
        let trace = std::fs::read_to_string(&log).unwrap();
        let writes_baseline = cmd.iter().any(|a| a == "--write-baseline");
        for line in trace.lines() {
            // `PID syscall(args) = result`
            let call = line
                .split_once(' ')
                .map_or(line, |(_, rest)| rest)
                .trim_start();
            assert!(
                !call.starts_with("socket(") && !call.starts_with("connect("),
                "{cmd:?} opened a socket: {line}"
            );
            let Some(path) = call.split('"').nth(1) else {
                continue;
            };
            if call.starts_with("open") || call.starts_with("creat") {
                let full = if path.starts_with('/') {
                    PathBuf::from(path)
                } else {
                    dir.join(path)
                };
                let in_run = full.starts_with(&dir) || full.starts_with(&out);
                // A failed open reads nothing (the loader probes library directories).
                let failed = call.contains(") = -1 ");
                assert!(
                    in_run || is_system(path) || failed,
                    "{cmd:?} opened {path}, which it was not given: {line}"
                );
                let writes = call.contains("O_WRONLY")
                    || call.contains("O_RDWR")
                    || call.contains("O_CREAT")
                    || call.starts_with("creat");
                if writes {
                    assert!(
                        writes_baseline && full.starts_with(&out),
                        "{cmd:?} opened {path} for writing: {line}"
                    );
                }
                opened += 1;
            } else {
                // rename/unlink/truncate/mkdir: only the baseline's own temporary file.
                assert!(
                    writes_baseline && Path::new(path).starts_with(&out),
                    "{cmd:?}: {line}"
                );
            }
        }
    }
    assert!(opened > 300, "strace saw {opened} opens");
    let _ = Command::new("chmod").args(["-R", "u+w"]).arg(&dir).status();
    let _ = std::fs::remove_dir_all(&dir);
    let _ = std::fs::remove_dir_all(&out);
}
