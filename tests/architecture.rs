//! The layering of `src/` (ARCHITECTURE.md): every `crate::` path in a module names a module of a
//! lower layer or its own, so imports point one way and there is no import circle; and within a
//! stage no two files import each other, directly or round a longer circle. Test code counts too;
//! comments do not.

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

/// The module path of a file under `src/`: `input::awscli::read` for `input/awscli/read.rs`,
/// `input::awscli` for its `mod.rs`.
fn module_path(rel: &Path) -> String {
    let mut parts: Vec<String> = rel
        .with_extension("")
        .components()
        .map(|c| c.as_os_str().to_str().unwrap().to_string())
        .collect();
    if parts.last().is_some_and(|l| l == "mod") {
        parts.pop();
    }
    parts.join("::")
}

/// Module paths a line names through `crate::a::b` and `super::x` (from the module `me`).
fn module_refs(line: &str, me: &str) -> Vec<String> {
    let mut out = Vec::new();
    for (prefix, base) in [
        ("crate::", String::new()),
        ("super::", {
            let mut p: Vec<&str> = me.split("::").collect();
            p.pop();
            p.join("::")
        }),
    ] {
        let mut rest = line;
        while let Some(at) = rest.find(prefix) {
            let before = rest[..at].chars().next_back();
            let after = &rest[at + prefix.len()..];
            if !before.is_some_and(|c| c.is_alphanumeric() || c == '_' || c == ':' || c == '$') {
                let path: String = after
                    .chars()
                    .take_while(|c| c.is_alphanumeric() || *c == '_' || *c == ':')
                    .collect();
                let path = path.trim_end_matches(':');
                if !path.is_empty() {
                    out.push(if base.is_empty() {
                        path.to_string()
                    } else {
                        format!("{base}::{path}")
                    });
                }
            }
            rest = after;
        }
    }
    out
}

#[test]
fn no_circle_between_files() {
    let src = Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
    let mut files = Vec::new();
    rust_files(&src, &mut files);
    let modules: Vec<String> = files
        .iter()
        .map(|f| module_path(f.strip_prefix(&src).unwrap()))
        .collect();
    // The file a path lands in: its longest prefix that is a file's module.
    let file_of = |path: &str| -> Option<String> {
        let parts: Vec<&str> = path.split("::").collect();
        (1..=parts.len())
            .rev()
            .map(|i| parts[..i].join("::"))
            .find(|c| modules.contains(c))
    };
    let mut graph: BTreeMap<String, Vec<String>> = BTreeMap::new();
    for (f, me) in files.iter().zip(&modules) {
        let text = std::fs::read_to_string(f).unwrap();
        for line in text.lines().filter(|l| !l.trim_start().starts_with("//")) {
            for r in module_refs(line, me) {
                // A module may use what its parent (or an ancestor) declares: the parent owns it.
                if let Some(to) =
                    file_of(&r).filter(|t| t != me && !me.starts_with(&format!("{t}::")))
                {
                    let e = graph.entry(me.clone()).or_default();
                    if !e.contains(&to) {
                        e.push(to);
                    }
                }
            }
        }
    }
    // Depth-first search for a back edge.
    fn visit(
        n: &str,
        graph: &BTreeMap<String, Vec<String>>,
        state: &mut BTreeMap<String, u8>,
        stack: &mut Vec<String>,
    ) -> Option<Vec<String>> {
        state.insert(n.to_string(), 1);
        stack.push(n.to_string());
        for m in graph.get(n).into_iter().flatten() {
            match state.get(m) {
                Some(1) => {
                    let at = stack.iter().position(|s| s == m).unwrap();
                    let mut c = stack[at..].to_vec();
                    c.push(m.clone());
                    return Some(c);
                }
                Some(_) => {}
                None => {
                    if let Some(c) = visit(m, graph, state, stack) {
                        return Some(c);
                    }
                }
            }
        }
        stack.pop();
        state.insert(n.to_string(), 2);
        None
    }
    let mut state = BTreeMap::new();
    for n in graph.keys() {
        if !state.contains_key(n) {
            if let Some(c) = visit(n, &graph, &mut state, &mut Vec::new()) {
                panic!("import circle between files: {}", c.join(" -> "));
            }
        }
    }
    assert!(
        graph.len() > 20,
        "the scan found too few modules: {graph:?}"
    );
}

#[test]
fn the_file_scanner_resolves_super_and_crate_paths() {
    assert_eq!(
        module_refs(
            "use super::values::*; let x = crate::model::token::decode(t);",
            "input::awscli::read"
        ),
        ["model::token::decode", "input::awscli::values"]
    );
    assert_eq!(
        module_path(Path::new("input/awscli/mod.rs")),
        "input::awscli"
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
