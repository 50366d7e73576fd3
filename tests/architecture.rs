//! The layering of `src/` (ARCHITECTURE.md): every `crate::` path in a module names a module of a
//! lower layer or its own, so imports point one way and there is no import circle. Test code and
//! doc links count too; comments do not.

use std::collections::BTreeMap;
use std::path::Path;

/// Layers, lowest first. A module may import its own layer's module and those of lower layers.
const LAYERS: &[&[&str]] = &[
    &["limits", "redact"],
    &["source"],
    &["diagnostic", "json"],
    &["model"],
    &["eval"],
    &["input"],
    &["rules"],
    &["config"],
    &["output"],
    &["check"],
];

fn layer(module: &str) -> Option<usize> {
    LAYERS.iter().position(|l| l.contains(&module))
}

/// The module a file belongs to: its folder under `src/`, or its own name for a top-level file.
fn module_of(rel: &Path) -> String {
    let mut parts = rel.components();
    let first = parts
        .next()
        .unwrap()
        .as_os_str()
        .to_str()
        .unwrap()
        .to_string();
    match parts.next() {
        Some(_) => first,
        None => first.trim_end_matches(".rs").to_string(),
    }
}

/// The top-level modules a line of code names through `crate::`.
fn crate_refs(line: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut rest = line;
    while let Some(at) = rest.find("crate::") {
        let before = &rest[..at];
        let after = &rest[at + "crate::".len()..];
        // `stslint::crate::` cannot occur; `$crate::` in macros would be the same crate.
        let word_before = before
            .chars()
            .next_back()
            .is_some_and(|c| c.is_alphanumeric() || c == '_');
        if !word_before {
            if let Some(group) = after.strip_prefix('{') {
                // `use crate::{a, b::c}`: the first path segment of each item.
                let end = group.find('}').unwrap_or(group.len());
                for item in group[..end].split(',') {
                    let name: String = item
                        .trim()
                        .chars()
                        .take_while(|c| c.is_alphanumeric() || *c == '_')
                        .collect();
                    if !name.is_empty() {
                        out.push(name);
                    }
                }
            } else {
                let name: String = after
                    .chars()
                    .take_while(|c| c.is_alphanumeric() || *c == '_')
                    .collect();
                if !name.is_empty() {
                    out.push(name);
                }
            }
        }
        rest = after;
    }
    out
}

fn rust_files(dir: &Path, out: &mut Vec<std::path::PathBuf>) {
    for e in std::fs::read_dir(dir).unwrap() {
        let p = e.unwrap().path();
        if p.is_dir() {
            rust_files(&p, out);
        } else if p.extension().is_some_and(|x| x == "rs") {
            out.push(p);
        }
    }
}

/// (importing module, imported module) → the first place it happens.
fn imports() -> BTreeMap<(String, String), String> {
    let src = Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
    let mut files = Vec::new();
    rust_files(&src, &mut files);
    let mut edges = BTreeMap::new();
    for f in files {
        let rel = f.strip_prefix(&src).unwrap().to_path_buf();
        let from = module_of(&rel);
        let text = std::fs::read_to_string(&f).unwrap();
        for (n, line) in text.lines().enumerate() {
            if line.trim_start().starts_with("//") {
                continue;
            }
            let code = line.split(" // ").next().unwrap_or(line);
            for to in crate_refs(code) {
                if to != from {
                    edges
                        .entry((from.clone(), to))
                        .or_insert_with(|| format!("src/{}:{}", rel.display(), n + 1));
                }
            }
        }
    }
    edges
}

#[test]
fn imports_point_down_the_layers() {
    let mut wrong = Vec::new();
    for ((from, to), at) in imports() {
        // lib.rs declares the modules and re-exports the public API; main.rs and cli.rs are the
        // binary, which reaches the library as `stslint::`.
        if matches!(from.as_str(), "lib" | "main" | "cli") {
            continue;
        }
        match (layer(&from), layer(&to)) {
            (None, _) => wrong.push(format!(
                "{at}: module `{from}` is in no layer of tests/architecture.rs"
            )),
            (_, None) => wrong.push(format!("{at}: `crate::{to}` is in no layer")),
            (Some(a), Some(b)) if b >= a => wrong.push(format!(
                "{at}: `{from}` (layer {a}) imports `crate::{to}` (layer {b})"
            )),
            _ => {}
        }
    }
    assert!(
        wrong.is_empty(),
        "imports against the layering:\n{}",
        wrong.join("\n")
    );
}

#[test]
fn every_module_has_a_layer() {
    let src = Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
    for e in std::fs::read_dir(&src).unwrap() {
        let p = e.unwrap().path();
        let name = p.file_stem().unwrap().to_str().unwrap().to_string();
        if matches!(name.as_str(), "lib" | "main" | "cli") {
            continue;
        }
        assert!(
            layer(&name).is_some(),
            "src/{name} is in no layer of tests/architecture.rs and ARCHITECTURE.md"
        );
    }
}

#[test]
fn the_scanner_sees_grouped_and_inline_paths() {
    assert_eq!(crate_refs("use crate::{a, b::c};"), ["a", "b"]);
    assert_eq!(
        crate_refs("let x = crate::model::token::decode(crate::json::parse(t));"),
        ["model", "json"]
    );
    assert!(crate_refs("let notcrate::x = 1;").is_empty());
}

#[test]
fn files_stay_small() {
    let src = Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
    let mut files = Vec::new();
    rust_files(&src, &mut files);
    let mut big = Vec::new();
    for f in files {
        let n = std::fs::read_to_string(&f).unwrap().lines().count();
        let limit = if f.ends_with("lib.rs") { 150 } else { 800 };
        if n > limit {
            big.push(format!("{}: {n} lines (at most {limit})", f.display()));
        }
    }
    assert!(
        big.is_empty(),
        "split these by responsibility:\n{}",
        big.join("\n")
    );
}
