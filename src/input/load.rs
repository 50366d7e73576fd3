//! Reading files: the inputs named on the command line and the targets of `file://` values.
//!
//! Reads are bounded (a FIFO or `/dev/zero` must not hang or exhaust memory) and only of regular
//! files the user named. Nothing is ever written.

use crate::source::{Seg, SourceFile, SourceId, Sources, Text};
use std::collections::HashMap;
use std::io::Read;
use std::path::{Path, PathBuf};

/// The largest input file stslint reads (a request is at most a few tens of kilobytes).
pub const MAX_INPUT_BYTES: u64 = 16 * 1024 * 1024;
/// The largest `file://` target read as a parameter value (the longest member is 20,000 characters).
pub const MAX_PARAM_FILE_BYTES: u64 = 1024 * 1024;

/// Why a file could not be read.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ReadError {
    /// The path does not exist (a script may create the file before the command runs).
    NotFound,
    Io(String),
    NotAFile,
    TooLarge(u64),
    NotUtf8(usize),
    /// Named by a checked file but outside the directory stslint checks (`~/.aws/credentials`,
    /// `/proc/self/environ`, `../../secret`): not read, so its content never reaches any output.
    Outside,
}

impl std::fmt::Display for ReadError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            ReadError::NotFound => write!(f, "No such file or directory"),
            ReadError::Io(e) => write!(f, "{e}"),
            ReadError::NotAFile => write!(f, "not a regular file"),
            ReadError::TooLarge(limit) => write!(f, "larger than stslint's limit of {limit} bytes"),
            ReadError::NotUtf8(at) => write!(f, "not UTF-8 text (invalid byte at offset {at})"),
            ReadError::Outside => write!(f, "outside the directory being checked, so not read"),
        }
    }
}

/// Reads a regular file as UTF-8, at most `limit` bytes.
pub fn read_text(path: &Path, limit: u64) -> Result<String, ReadError> {
    let meta = std::fs::metadata(path).map_err(|e| match e.kind() {
        std::io::ErrorKind::NotFound => ReadError::NotFound,
        _ => ReadError::Io(io_message(&e)),
    })?;
    if !meta.is_file() {
        return Err(ReadError::NotAFile);
    }
    if meta.len() > limit {
        return Err(ReadError::TooLarge(limit));
    }
    let file = std::fs::File::open(path).map_err(|e| ReadError::Io(io_message(&e)))?;
    // Still bounded: the file may have grown since, or be a /proc file that reports size 0.
    read_bounded(file, meta.len(), limit)
}

/// Reads standard input as UTF-8, at most `limit` bytes (`cat /dev/zero | stslint check -` ends
/// with an error instead of filling memory).
pub fn read_stdin(limit: u64) -> Result<String, ReadError> {
    read_bounded(std::io::stdin().lock(), 0, limit)
}

fn read_bounded(r: impl Read, hint: u64, limit: u64) -> Result<String, ReadError> {
    let mut bytes = Vec::with_capacity(hint.min(limit) as usize);
    r.take(limit + 1)
        .read_to_end(&mut bytes)
        .map_err(|e| ReadError::Io(io_message(&e)))?;
    if bytes.len() as u64 > limit {
        return Err(ReadError::TooLarge(limit));
    }
    String::from_utf8(bytes).map_err(|e| ReadError::NotUtf8(e.utf8_error().valid_up_to()))
}

/// An I/O error as a sentence without Rust's "(os error 2)" suffix.
pub fn io_message(e: &std::io::Error) -> String {
    let s = e.to_string();
    match s.find(" (os error") {
        Some(i) => s[..i].to_string(),
        None => s,
    }
}

/// `file://` targets read once per run and shared by every file that names them (a token file
/// that thousands of scripts read is opened once), up to [`MAX_SHARED_READS`] of them.
#[derive(Default)]
pub struct Reads(std::sync::Mutex<HashMap<PathBuf, Result<std::sync::Arc<str>, ReadError>>>);

/// How many `file://` targets a run keeps read (each at most [`MAX_PARAM_FILE_BYTES`]).
pub const MAX_SHARED_READS: usize = 4096;

impl Reads {
    /// The text of `path`, read now or earlier in the run.
    pub fn read(&self, path: &Path) -> Result<std::sync::Arc<str>, ReadError> {
        let lock = || self.0.lock().unwrap_or_else(|e| e.into_inner());
        if let Some(r) = lock().get(path) {
            return r.clone();
        }
        let r = read_text(path, MAX_PARAM_FILE_BYTES).map(std::sync::Arc::from);
        let mut m = lock();
        if m.len() < MAX_SHARED_READS {
            m.insert(path.to_path_buf(), r.clone());
        }
        r
    }
}

/// Loads `file://` targets into [`Sources`], once per path.
pub struct Loader<'a> {
    pub sources: &'a mut Sources,
    pub cwd: PathBuf,
    cache: HashMap<PathBuf, Result<SourceId, ReadError>>,
    reads: Option<&'a Reads>,
    /// Reading for a checked file (not a command the user runs): `file://` targets outside `cwd`
    /// are not read.
    confined: bool,
}

impl<'a> Loader<'a> {
    pub fn new(sources: &'a mut Sources, cwd: PathBuf) -> Self {
        Loader {
            sources,
            cwd,
            cache: HashMap::new(),
            reads: None,
            confined: false,
        }
    }

    /// Reads only `file://` targets inside the working directory (for files being checked: a
    /// stranger's script must not make stslint print `~/.aws/credentials` or `/proc/self/environ`).
    pub fn confined(mut self) -> Self {
        self.confined = true;
        self
    }

    /// Whether `path` (as written after `file://`) lies outside the working directory: `~`, an
    /// absolute path elsewhere, `..` that climbs out, or a link that leads out.
    fn outside(&self, path: &str, full: &Path) -> bool {
        if path.starts_with('~') {
            return true;
        }
        let mut depth: Vec<&std::ffi::OsStr> = Vec::new();
        let rel = match full.strip_prefix(&self.cwd) {
            Ok(r) => r,
            Err(_) => return true,
        };
        for c in rel.components() {
            match c {
                std::path::Component::ParentDir if depth.pop().is_none() => return true,
                std::path::Component::ParentDir => {}
                std::path::Component::Normal(n) => depth.push(n),
                _ => {}
            }
        }
        // A link inside the tree may point out of it.
        match (
            std::fs::canonicalize(full),
            std::fs::canonicalize(&self.cwd),
        ) {
            (Ok(target), Ok(root)) => !target.starts_with(root),
            _ => false,
        }
    }

    /// Reads through the run's shared reads instead of opening each file again.
    pub fn shared(mut self, reads: &'a Reads) -> Self {
        self.reads = Some(reads);
        self
    }

    /// The path the AWS CLI would open for `file://PATH`: `~` expanded, relative to the working directory.
    pub fn resolve(&self, path: &str) -> PathBuf {
        let expanded = match path.strip_prefix('~') {
            Some(rest) if rest.is_empty() || rest.starts_with('/') => {
                match std::env::var_os("HOME") {
                    Some(home) => PathBuf::from(home).join(rest.trim_start_matches('/')),
                    None => PathBuf::from(path),
                }
            }
            _ => PathBuf::from(path),
        };
        self.cwd.join(expanded)
    }

    /// Reads a `file://` target as the AWS CLI does (text mode: universal newlines, so `\r\n` and
    /// `\r` become `\n`; nothing stripped) and returns its value mapped into the new source.
    pub fn param_file(&mut self, path: &str) -> Result<Text, ReadError> {
        let full = self.resolve(path);
        if self.confined && self.outside(path, &full) {
            return Err(ReadError::Outside);
        }
        let id = match self.cache.get(&full) {
            Some(r) => r.clone()?,
            None => {
                let text = match self.reads {
                    Some(reads) => reads.read(&full),
                    None => read_text(&full, MAX_PARAM_FILE_BYTES).map(std::sync::Arc::from),
                };
                let r = text.map(|text| self.sources.add(SourceFile::new(path, text)));
                self.cache.insert(full, r.clone());
                r?
            }
        };
        Ok(universal_newlines(&self.sources.get(id).text, id))
    }
}

/// The text of a whole file as Python's text mode reads it.
pub fn universal_newlines(content: &str, source: SourceId) -> Text {
    if !content.contains('\r') {
        return Text::verbatim(content, source, 0);
    }
    let mut value = String::with_capacity(content.len());
    let mut segs = Vec::new();
    let b = content.as_bytes();
    let mut run = 0;
    let mut i = 0;
    while i < b.len() {
        if b[i] == b'\r' {
            if run < i {
                let v = value.len();
                value.push_str(&content[run..i]);
                segs.push(Seg {
                    val: v..value.len(),
                    src: run..i,
                });
            }
            let len = if b.get(i + 1) == Some(&b'\n') { 2 } else { 1 };
            let v = value.len();
            value.push('\n');
            segs.push(Seg {
                val: v..v + 1,
                src: i..i + len,
            });
            i += len;
            run = i;
        } else {
            i += 1;
        }
    }
    if run < b.len() {
        let v = value.len();
        value.push_str(&content[run..]);
        segs.push(Seg {
            val: v..value.len(),
            src: run..b.len(),
        });
    }
    Text {
        value,
        source,
        span: 0..content.len(),
        segs,
        dynamic: Vec::new(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn universal_newlines_maps_back() {
        let t = universal_newlines("a\r\nb\rc", 0);
        assert_eq!(t.value, "a\nb\nc");
        assert_eq!(t.span_of(1..2).range, 1..3);
        assert_eq!(t.span_of(2..3).range, 3..4);
        assert_eq!(t.span_of(4..5).range, 5..6);
    }

    #[test]
    fn refuses_directories_and_large_files() {
        assert_eq!(read_text(Path::new("/"), 10), Err(ReadError::NotAFile));
        assert!(matches!(
            read_text(Path::new("/nonexistent/x"), 10),
            Err(ReadError::NotFound)
        ));
        assert_eq!(
            read_text(Path::new("Cargo.toml"), 10),
            Err(ReadError::TooLarge(10))
        );
    }
}
