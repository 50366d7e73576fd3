//! Embeds the rule docs (`rules/CODE-name.md`) in the binary for `stslint explain` and SARIF help.

use std::fmt::Write;

fn main() {
    println!("cargo:rerun-if-changed=rules");
    let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("rules");
    let mut docs: Vec<(String, std::path::PathBuf)> = std::fs::read_dir(&dir)
        .expect("rules/ exists")
        .filter_map(|e| {
            let p = e.ok()?.path();
            let name = p.file_name()?.to_str()?.to_string();
            let code = name.split('-').next()?;
            let is_doc = name.ends_with(".md")
                && code.len() == 4
                && code.as_bytes()[0].is_ascii_uppercase()
                && code[1..].bytes().all(|b| b.is_ascii_digit());
            is_doc.then(|| (code.to_string(), p))
        })
        .collect();
    docs.sort();
    let mut out =
        String::from("/// Every rule doc, by code.\npub static DOCS: &[(&str, &str)] = &[\n");
    for (code, path) in &docs {
        println!("cargo:rerun-if-changed={}", path.display());
        writeln!(
            out,
            "    ({code:?}, include_str!({:?})),",
            path.display().to_string()
        )
        .unwrap();
    }
    out.push_str("];\n");
    let dest = std::path::Path::new(&std::env::var("OUT_DIR").unwrap()).join("rule_docs.rs");
    std::fs::write(dest, out).unwrap();
}
