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
        let me = module_path(&rel);
        let text = std::fs::read_to_string(&f).unwrap();
        for (n, code) in code_lines(&text) {
            for path in module_refs(code, &me) {
                let to = path.split("::").next().unwrap_or_default().to_string();
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

/// The lines of code of a file, numbered from 0: comment lines and trailing ` // ` comments left out.
fn code_lines(text: &str) -> impl Iterator<Item = (usize, &str)> {
    text.lines()
        .enumerate()
        .filter(|(_, l)| !l.trim_start().starts_with("//"))
        .map(|(n, l)| (n, l.split(" // ").next().unwrap_or(l)))
}

/// Module paths a line names through `crate::a::b` and `super::x` (from the module `me`), with
/// one level of `{a, b::c}` groups expanded.
fn module_refs(line: &str, me: &str) -> Vec<String> {
    let path_char = |c: char| c.is_alphanumeric() || c == '_' || c == ':';
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
            rest = after;
            if before.is_some_and(|c| path_char(c) || c == '$') {
                continue;
            }
            let path: String = after.chars().take_while(|&c| path_char(c)).collect();
            let mut heads = vec![path.trim_end_matches(':').to_string()];
            if let Some(group) = after[path.len()..].strip_prefix('{') {
                let group = &group[..group.find('}').unwrap_or(group.len())];
                heads = group
                    .split(',')
                    .map(|item| {
                        item.trim()
                            .chars()
                            .take_while(|&c| path_char(c))
                            .collect::<String>()
                    })
                    .filter(|item| !item.is_empty())
                    .map(|item| match item.as_str() {
                        "self" => path.trim_end_matches(':').to_string(),
                        _ => format!("{path}{item}"),
                    })
                    .collect();
            }
            for h in heads.into_iter().filter(|h| !h.is_empty()) {
                out.push(if base.is_empty() {
                    h
                } else {
                    format!("{base}::{h}")
                });
            }
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
        for (_, line) in code_lines(&text) {
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
    assert_eq!(module_refs("use crate::{a, b::c};", "x"), ["a", "b::c"]);
    assert_eq!(
        module_refs("use super::shorthand::{self, Sh};", "input::awscli::values"),
        ["input::awscli::shorthand", "input::awscli::shorthand::Sh"]
    );
    assert!(module_refs("let notcrate::x = 1; let y = $crate::z;", "x").is_empty());
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
