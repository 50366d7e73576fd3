//! What a file is, decided cheaply: by its name first, then by its first bytes, so that a directory
//! walk parses only files that can hold a request.

use super::awscli::request_file;
use super::docs::Markup;
use std::path::Path;

/// What kind of text a file holds.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    Shell,
    RequestJson,
    /// YAML: CI definitions whose values hold scripts.
    Yaml,
    /// Documentation, whose code blocks hold examples.
    Docs(Markup),
}

impl Kind {
    /// Whether a text of this kind can hold a request: the cheap scan before any parsing.
    pub fn wanted(self, text: &str) -> bool {
        match self {
            Kind::Shell | Kind::Yaml | Kind::Docs(_) => {
                text.contains("assume-role-with-web-identity")
            }
            Kind::RequestJson => request_file::looks_like_request(text),
        }
    }
}

/// Documentation by its extension.
fn docs(path: &Path) -> Option<Markup> {
    let ext = path.extension()?.to_str()?.to_ascii_lowercase();
    match ext.as_str() {
        "md" | "markdown" | "mdx" => Some(Markup::Markdown),
        "rst" => Some(Markup::Rst),
        "adoc" | "asciidoc" => Some(Markup::AsciiDoc),
        _ => None,
    }
}

fn is_yaml(path: &Path) -> bool {
    path.extension()
        .is_some_and(|e| e.eq_ignore_ascii_case("yml") || e.eq_ignore_ascii_case("yaml"))
}

pub fn kind_by_name(path: &Path, text: &str) -> Kind {
    let json_ext = path
        .extension()
        .is_some_and(|e| e.eq_ignore_ascii_case("json"));
    if is_yaml(path) {
        Kind::Yaml
    } else if let Some(m) = docs(path) {
        Kind::Docs(m)
    } else if json_ext
        || (text.trim_start().starts_with('{') && request_file::looks_like_request(text))
    {
        Kind::RequestJson
    } else {
        Kind::Shell
    }
}

/// Shell-like files picked when walking a directory: by extension or name, or a shell shebang
/// (the first bytes are read only when the name does not decide).
pub fn walk_kind(path: &Path, head: impl FnOnce() -> Vec<u8>) -> Option<Kind> {
    let name = path.file_name()?.to_str()?;
    let ext = path.extension().and_then(|e| e.to_str()).unwrap_or("");
    if ext.eq_ignore_ascii_case("json") {
        return Some(Kind::RequestJson);
    }
    if is_yaml(path) {
        return Some(Kind::Yaml);
    }
    if let Some(m) = docs(path) {
        return Some(Kind::Docs(m));
    }
    if matches!(ext, "sh" | "bash" | "zsh" | "ksh" | "mk" | "mak")
        || matches!(
            name,
            "Makefile" | "makefile" | "GNUmakefile" | "Justfile" | "justfile" | "Dockerfile"
        )
    {
        return Some(Kind::Shell);
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
