//! What a file is, decided cheaply: by its name first, then by its first bytes, so that a directory
//! walk parses only files that can hold a request.

use super::awscli::request_file;
use super::docs::Markup;
use std::path::Path;

/// What kind of text a file holds, and so which front end reads it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    /// Shell scripts, Justfiles.
    Shell,
    /// Makefiles: recipes, expanded as make does.
    Makefile,
    RequestJson,
    /// YAML: CI definitions whose values hold scripts.
    Yaml,
    /// Documentation, whose code blocks hold examples.
    Docs(Markup),
    Dockerfile,
    Jenkinsfile,
    Terraform,
    /// A program in a language stslint does not read (named when a file is given explicitly).
    NotRead(&'static str),
}

impl Kind {
    /// Whether a text of this kind can hold a request: the cheap scan before any parsing.
    pub fn wanted(self, text: &str) -> bool {
        match self {
            Kind::RequestJson => request_file::looks_like_request(text),
            _ => text.contains("assume-role-with-web-identity"),
        }
    }
}

/// The kind a file's name says, if it says one.
fn by_name(path: &Path) -> Option<Kind> {
    let name = path.file_name()?.to_str()?;
    let ext = path
        .extension()
        .and_then(|e| e.to_str())
        .unwrap_or("")
        .to_ascii_lowercase();
    let stem = name.split('.').next().unwrap_or(name);
    let lower = name.to_ascii_lowercase();
    Some(match ext.as_str() {
        "json" => Kind::RequestJson,
        "yml" | "yaml" => Kind::Yaml,
        "md" | "markdown" | "mdx" => Kind::Docs(Markup::Markdown),
        "rst" => Kind::Docs(Markup::Rst),
        "adoc" | "asciidoc" => Kind::Docs(Markup::AsciiDoc),
        "tf" => Kind::Terraform,
        "groovy" | "jenkinsfile" => Kind::Jenkinsfile,
        "dockerfile" | "containerfile" => Kind::Dockerfile,
        "sh" | "bash" | "zsh" | "ksh" => Kind::Shell,
        "mk" | "mak" => Kind::Makefile,
        "py" => Kind::NotRead("Python"),
        "js" | "mjs" | "cjs" | "ts" => Kind::NotRead("JavaScript/TypeScript"),
        "go" => Kind::NotRead("Go"),
        "rb" => Kind::NotRead("Ruby"),
        "java" | "kt" | "scala" => Kind::NotRead("JVM source"),
        "ps1" | "psm1" => Kind::NotRead("PowerShell"),
        "bat" | "cmd" => Kind::NotRead("cmd.exe"),
        // `Dockerfile.prod`, `api.Dockerfile`, `Jenkinsfile-deploy`, `release.Jenkinsfile`.
        _ if ["dockerfile", "containerfile"]
            .iter()
            .any(|d| lower.starts_with(d) || lower.ends_with(d)) =>
        {
            Kind::Dockerfile
        }
        _ if lower.starts_with("jenkinsfile") || lower.ends_with("jenkinsfile") => {
            Kind::Jenkinsfile
        }
        _ => match stem {
            "Makefile" | "makefile" | "GNUmakefile" => Kind::Makefile,
            "Justfile" | "justfile" => Kind::Shell,
            _ => return None,
        },
    })
}

/// The kind of a file given by name: its name, else JSON when it is a request, else shell.
pub fn kind_by_name(path: &Path, text: &str) -> Kind {
    by_name(path).unwrap_or_else(|| {
        if text.trim_start().starts_with('{') && request_file::looks_like_request(text) {
            Kind::RequestJson
        } else {
            Kind::Shell
        }
    })
}

/// Files picked when walking a directory: by extension or name, or a shell shebang (the first
/// bytes are read only when the name does not decide). Programs in other languages are skipped.
pub fn walk_kind(path: &Path, head: impl FnOnce() -> Vec<u8>) -> Option<Kind> {
    if let Some(kind) = by_name(path) {
        return (!matches!(kind, Kind::NotRead(_))).then_some(kind);
    }
    let head = head();
    let first_line = head.split(|&b| b == b'\n').next().unwrap_or(&[]);
    let shebang = first_line.starts_with(b"#!")
        && [&b"sh"[..], b"bash", b"zsh", b"ksh", b"dash"]
            .iter()
            .any(|s| {
                first_line.ends_with(s)
                    || first_line
                        .windows(s.len() + 1)
                        .any(|w| (w[0] == b'/' || w[0] == b' ') && &w[1..] == *s)
            });
    shebang.then_some(Kind::Shell)
}

/// The first bytes of a file, for [`walk_kind`] (empty when it cannot be read).
pub fn read_head(p: &Path) -> Vec<u8> {
    use std::io::Read;
    let mut buf = vec![0u8; 128];
    match std::fs::File::open(p).and_then(|mut f| f.read(&mut buf)) {
        Ok(n) => {
            buf.truncate(n);
            buf
        }
        Err(_) => Vec::new(),
    }
}
