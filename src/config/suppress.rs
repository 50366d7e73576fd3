//! Inline suppressions in shell text: `# stslint: ignore[CODE,...]` on the line above an invocation,
//! or at the end of its last line, silences those rules for that invocation. Codes or rule names;
//! a suppression that silences nothing is reported (I006), so stale ones do not pile up.

use crate::diagnostic::Diagnostic;
use crate::source::{SourceFile, Span};
use regex::Regex;
use std::sync::LazyLock;

static MARK: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"#\s*stslint:\s*ignore\[([^\]]*)\]").expect("valid regex"));

/// One `ignore[...]` comment.
#[derive(Debug)]
pub struct Suppression {
    /// 1-based line of the comment.
    pub line: usize,
    /// Each listed code or name, with its span.
    pub items: Vec<(String, Span)>,
    /// Whether the comment is alone on its line (then it applies to the next line).
    pub own_line: bool,
}

/// Every suppression comment in a shell source.
pub fn find(src: &SourceFile, id: crate::source::SourceId) -> Vec<Suppression> {
    let text = &src.text;
    let mut out = Vec::new();
    for m in MARK.captures_iter(text) {
        let whole = m.get(0).expect("match");
        let list = m.get(1).expect("group");
        let line_start = text[..whole.start()].rfind('\n').map_or(0, |i| i + 1);
        let own_line = text[line_start..whole.start()].trim().is_empty();
        let (line, _) = src.line_col(whole.start());
        let mut items = Vec::new();
        let mut at = list.start();
        for part in list.as_str().split(',') {
            let t = part.trim();
            if !t.is_empty() {
                let start = at + part.find(t).unwrap_or(0);
                items.push((t.to_string(), Span::new(id, start..start + t.len())));
            }
            at += part.len() + 1;
        }
        out.push(Suppression {
            line,
            items,
            own_line,
        });
    }
    out
}

/// Whether suppression item `item` (a code or a rule name) names the finding's rule.
fn names(item: &str, d: &Diagnostic) -> bool {
    item.eq_ignore_ascii_case(d.rule.code) || item == d.rule.name
}

/// Drops the findings the comments silence. `requests` gives, for each request of this source
/// (by report index), the 1-based first and last line of its invocation. Returns the unused items.
pub fn apply(
    sups: &[Suppression],
    requests: &[(usize, usize, usize)],
    diagnostics: &mut Vec<Diagnostic>,
) -> Vec<(String, Span)> {
    let mut used = vec![vec![false; 0]; sups.len()];
    for (i, s) in sups.iter().enumerate() {
        used[i] = vec![false; s.items.len()];
    }
    diagnostics.retain(|d| {
        let Some(req) = d.request else { return true };
        let Some(&(_, first, last)) = requests.iter().find(|(r, _, _)| *r == req) else {
            return true;
        };
        for (i, s) in sups.iter().enumerate() {
            let applies = (s.own_line && s.line + 1 == first) || (!s.own_line && s.line == last);
            if !applies {
                continue;
            }
            if let Some(j) = s.items.iter().position(|(item, _)| names(item, d)) {
                used[i][j] = true;
                return false;
            }
        }
        true
    });
    sups.iter()
        .zip(used)
        .flat_map(|(s, u)| {
            s.items
                .iter()
                .zip(u)
                .filter(|(_, used)| !used)
                .map(|(it, _)| it.clone())
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn comments_are_found_with_their_items() {
        let src = SourceFile::new("t.sh", "# stslint: ignore[S002, T017]\naws sts x # stslint: ignore[token-audience]\necho '# not: stslint'\n");
        let s = find(&src, 0);
        assert_eq!(s.len(), 2);
        assert!(s[0].own_line && s[0].line == 1);
        assert_eq!(
            s[0].items
                .iter()
                .map(|(i, _)| i.as_str())
                .collect::<Vec<_>>(),
            ["S002", "T017"]
        );
        assert_eq!(&src.text[s[0].items[1].1.range.clone()], "T017");
        assert!(!s[1].own_line && s[1].line == 2);
        assert_eq!(s[1].items[0].0, "token-audience");
    }

    #[test]
    fn only_the_named_rules_of_the_right_invocation_are_silenced() {
        let src = SourceFile::new("t.sh", "# stslint: ignore[S002]\nA\nB\n");
        let sups = find(&src, 0);
        let d = |code: &'static str, req: usize| {
            let rule = crate::rules::find(code).unwrap();
            let mut d = rule.report("m");
            d.request = Some(req);
            d
        };
        let mut ds = vec![d("S002", 0), d("S001", 0), d("S002", 1)];
        // Request 0 is on line 2 (under the comment), request 1 on line 3.
        let unused = apply(&sups, &[(0, 2, 2), (1, 3, 3)], &mut ds);
        assert_eq!(
            ds.iter()
                .map(|d| (d.rule.code, d.request))
                .collect::<Vec<_>>(),
            [("S001", Some(0)), ("S002", Some(1))]
        );
        assert!(unused.is_empty());
        let mut none = vec![d("S001", 0)];
        assert_eq!(
            apply(&sups, &[(0, 2, 2)], &mut none).len(),
            1,
            "S002 silenced nothing"
        );
    }
}
