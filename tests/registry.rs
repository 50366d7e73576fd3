//! The rule catalogue: codes unique, and registry, fixtures and docs (`rules/`) one-to-one; each doc's
//! example output is what stslint prints for the rule's fixture.

mod common;
use common::{check_with, root};
use std::collections::BTreeSet;

fn names(dir: &str, ext: &[&str]) -> BTreeSet<String> {
    std::fs::read_dir(root().join(dir))
        .unwrap()
        .filter_map(|e| {
            let p = e.unwrap().path();
            let e = p.extension()?.to_str()?.to_string();
            let stem = p.file_stem()?.to_str()?.to_string();
            (ext.contains(&e.as_str())
                && stem.chars().next()?.is_ascii_uppercase()
                && stem.contains('-')
                && stem != "README")
                .then_some(stem)
        })
        .collect()
}

#[test]
fn codes_are_unique_and_well_formed() {
    let all = stslint::rules::all();
    let codes: BTreeSet<&str> = all.iter().map(|r| r.code).collect();
    assert_eq!(codes.len(), all.len(), "duplicate rule codes");
    let names: BTreeSet<&str> = all.iter().map(|r| r.name).collect();
    assert_eq!(names.len(), all.len(), "duplicate rule names");
    for r in &all {
        assert!(
            r.code.len() == 4 && r.code[1..].bytes().all(|b| b.is_ascii_digit()),
            "{}",
            r.code
        );
        assert!(
            r.name.bytes().all(|b| b.is_ascii_lowercase() || b == b'-'),
            "{}",
            r.name
        );
    }
}

#[test]
fn registry_fixtures_and_docs_are_one_to_one() {
    let registry: BTreeSet<String> = stslint::rules::all()
        .iter()
        .map(|r| format!("{}-{}", r.code, r.name))
        .collect();
    assert_eq!(
        registry,
        names("tests/fixtures", &["sh", "json", "yml"]),
        "every rule has one fixture tests/fixtures/CODE-name.*"
    );
    assert_eq!(
        registry,
        names("rules", &["md"]),
        "every rule has one doc rules/CODE-name.md"
    );
}

#[test]
fn doc_examples_match_real_output() {
    for r in stslint::rules::all() {
        let stem = format!("{}-{}", r.code, r.name);
        let doc = std::fs::read_to_string(root().join("rules").join(format!("{stem}.md"))).unwrap();
        for section in [
            "## What it checks",
            "## Why it matters",
            "## Example",
            "## Fix",
            "## References",
        ] {
            assert!(doc.contains(section), "{stem}.md lacks {section}");
        }
        let fixture = ["sh", "json", "yml"]
            .iter()
            .map(|e| format!("{stem}.{e}"))
            .find(|f| root().join("tests/fixtures").join(f).exists())
            .unwrap();
        let args =
            std::fs::read_to_string(root().join("tests/fixtures").join(format!("{stem}.args")))
                .unwrap_or_default();
        let extra: Vec<&str> = args.split_whitespace().collect();
        let (_, out) = check_with(&root().join("tests/fixtures"), &fixture, "human", &extra);
        let start = doc
            .find("```text\n")
            .unwrap_or_else(|| panic!("{stem}.md has no ```text example"))
            + 8;
        let block = &doc[start..start + doc[start..].find("```").unwrap()];
        assert!(
            block.contains(&format!("{} {}", r.code, r.name)),
            "{stem}.md example shows the rule"
        );
        for line in block.lines().filter(|l| !l.trim().is_empty()) {
            assert!(
                out.contains(line),
                "{stem}.md example line not in stslint's output:\n{line}\n--- output ---\n{out}"
            );
        }
    }
}

#[test]
fn rules_readme_lists_every_rule_with_its_severity() {
    let table = std::fs::read_to_string(root().join("rules/README.md")).unwrap();
    for r in stslint::rules::all() {
        let row = table
            .lines()
            .find(|l| l.starts_with(&format!("| [{}]", r.code)))
            .unwrap_or_else(|| panic!("rules/README.md has no row for {}", r.code));
        assert!(
            row.contains(&format!("`{}`", r.name))
                && row.contains(&format!("| {} |", r.severity.as_str())),
            "rules/README.md row for {} does not say `{}` and {}: {row}",
            r.code,
            r.name,
            r.severity.as_str()
        );
    }
}

#[test]
fn explain_prints_each_rules_doc_and_rules_lists_them() {
    let dir = root();
    for r in stslint::rules::all() {
        let out = common::stslint(&dir, &["explain", r.code], None);
        assert_eq!(out.status.code(), Some(0), "{}", r.code);
        let text = String::from_utf8(out.stdout).unwrap();
        assert!(
            text.starts_with(&format!("# {} {}\n", r.code, r.name)),
            "{}: {text:.80}",
            r.code
        );
        assert!(text.contains("## Fix"));
        // By name as well.
        let by_name = common::stslint(&dir, &["explain", r.name], None);
        assert_eq!(String::from_utf8(by_name.stdout).unwrap(), text);
    }
    let out = common::stslint(&dir, &["explain", "Z999"], None);
    assert_eq!(out.status.code(), Some(2));
    let list = String::from_utf8(common::stslint(&dir, &["rules"], None).stdout).unwrap();
    assert_eq!(list.lines().count(), stslint::rules::all().len());
    insta::assert_snapshot!("rules", list);
}
