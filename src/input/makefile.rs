//! Makefiles: each recipe line is a script of its own (make starts one shell per line), after make
//! has expanded it: `$$` is the shell's `$`, `$(VAR)` and `${VAR}` are make variables. A variable
//! the makefile assigns plainly (`VAR = x`, `VAR := x`, `override`/`export VAR = x`) and nowhere
//! else conditionally is put in, its bytes mapped to the assignment; any other make expansion
//! (`$@`, `$(shell ...)`, `?=`, `+=`, a variable set in an `ifeq` or for one target, anything once
//! the makefile `include`s another) is a part known only at run time. `$(shell ...)` outside
//! recipes is read as a script too. A variable given on make's command line (`make VAR=y`) wins
//! over the file's: stslint cannot see that.

use super::shell::embedded::{lex_embedded, Decoded, Marking};
use super::shell::Lexed;
use crate::source::{SourceId, Span, Via};
use std::collections::HashMap;

const OPERATION: &str = "assume-role-with-web-identity";

/// A make variable's certain value: its source range, and the whole assignment line.
#[derive(Clone)]
struct Value {
    range: std::ops::Range<usize>,
    line: std::ops::Range<usize>,
}

/// Logical lines (continued by a trailing `\`), as (start, end without the line break).
fn logical_lines(text: &str) -> Vec<(usize, usize)> {
    let b = text.as_bytes();
    let mut out = Vec::new();
    let mut start = 0;
    let mut i = 0;
    while i < b.len() {
        if b[i] == b'\n' {
            let mut k = i;
            while k > start && b[k - 1] == b'\r' {
                k -= 1;
            }
            let backslashes = b[start..k]
                .iter()
                .rev()
                .take_while(|&&c| c == b'\\')
                .count();
            if backslashes % 2 == 0 {
                out.push((start, k));
                start = i + 1;
            }
        }
        i += 1;
    }
    if start < b.len() {
        out.push((start, b.len()));
    }
    out
}

fn is_name(s: &str) -> bool {
    !s.is_empty()
        && s.bytes()
            .all(|b| b == b'_' || b == b'-' || b == b'.' || b.is_ascii_alphanumeric())
}

/// The makefile's variables whose value is certain.
fn variables(text: &str, lines: &[(usize, usize)]) -> HashMap<String, Value> {
    let mut known: HashMap<String, Option<Value>> = HashMap::new();
    let mut depth = 0usize;
    let mut in_define = false;
    for &(s, e) in lines {
        let line = &text[s..e];
        if line.starts_with('\t') {
            continue;
        }
        let t = line.trim_start();
        let first = t.split_whitespace().next().unwrap_or("");
        if in_define {
            in_define = first != "endef";
            continue;
        }
        match first {
            "ifeq" | "ifneq" | "ifdef" | "ifndef" => depth += 1,
            "endif" => depth = depth.saturating_sub(1),
            "include" | "-include" | "sinclude" => return HashMap::new(),
            "define" => {
                in_define = true;
                if let Some(name) = t.split_whitespace().nth(1) {
                    known.insert(name.to_string(), None);
                }
            }
            _ => {}
        }
        // `[override|export] NAME op value`, or `target: NAME op value` (for one target).
        let mut rest = t;
        for prefix in ["override ", "export ", "private "] {
            rest = rest.strip_prefix(prefix).unwrap_or(rest).trim_start();
        }
        let Some(op_at) = rest.find('=') else {
            continue;
        };
        let head = &rest[..op_at];
        let (name_part, op) = match head.chars().last() {
            Some(c @ (':' | '?' | '+' | '!')) => (&head[..head.len() - 1], c),
            _ => (head, '='),
        };
        let name_part = name_part.trim_end_matches(':');
        let (target_specific, name) = match name_part.rsplit_once(':') {
            Some((_, n)) => (true, n.trim()),
            None => (false, name_part.trim()),
        };
        if !is_name(name) {
            continue;
        }
        let value_start = s
            + (t.as_ptr() as usize - line.as_ptr() as usize)
            + (rest.as_ptr() as usize - t.as_ptr() as usize)
            + op_at
            + 1;
        let raw = &text[value_start..e];
        let lead = raw.len() - raw.trim_start().len();
        let value = value_start + lead..value_start + raw.trim_end().len();
        let certain = !target_specific
            && depth == 0
            && matches!(op, '=' | ':')
            && !text[value.clone()].contains(['\\', '#']);
        known.insert(
            name.to_string(),
            certain.then_some(Value {
                range: value,
                line: s..e,
            }),
        );
    }
    known
        .into_iter()
        .filter_map(|(k, v)| v.map(|v| (k, v)))
        .collect()
}

/// In a rule line `targets: prerequisites ; recipe`, the offset of the `;` that starts the recipe.
fn rule_recipe(line: &str) -> Option<usize> {
    let colon = line.find(':')?;
    let head = &line[..colon];
    // Not an assignment (`X := y`, `X = a:b`) and not inside an expansion.
    if head.contains(['=', '$', '#'])
        || line[colon..].starts_with(":=")
        || line[colon..].starts_with("::=")
    {
        return None;
    }
    let semi = colon + line[colon..].find(';')?;
    (!line[colon..semi].contains(['=', '#'])).then_some(semi)
}

/// The end of a make expansion `$(...)` / `${...}` opening at `i` (balanced), if it closes.
fn expansion_end(b: &[u8], i: usize, limit: usize) -> Option<usize> {
    let (open, close) = match b.get(i + 1) {
        Some(b'(') => (b'(', b')'),
        Some(b'{') => (b'{', b'}'),
        _ => return None,
    };
    let mut depth = 0usize;
    let mut k = i + 1;
    while k < limit {
        if b[k] == open {
            depth += 1;
        } else if b[k] == close {
            depth -= 1;
            if depth == 0 {
                return Some(k + 1);
            }
        }
        k += 1;
    }
    None
}

/// Decodes the text `range` as make passes it to the shell; a recipe's continuation lines lose
/// their leading tab. A variable's value is expanded in turn (to a depth of 8).
fn expand(
    text: &str,
    range: std::ops::Range<usize>,
    vars: &HashMap<String, Value>,
    source: SourceId,
    uses: &mut Vec<Via>,
) -> crate::source::Text {
    let mut d = Decoded::new(range.start);
    expand_into(&mut d, text, range.clone(), vars, source, uses, 0);
    d.finish(source, range.end)
}

fn expand_into(
    d: &mut Decoded,
    text: &str,
    range: std::ops::Range<usize>,
    vars: &HashMap<String, Value>,
    source: SourceId,
    uses: &mut Vec<Via>,
    depth: usize,
) {
    let b = text.as_bytes();
    let mut i = range.start;
    while i < range.end {
        match b[i] {
            b'$' if b.get(i + 1) == Some(&b'$') => {
                d.put("$", i..i + 2);
                i += 2;
            }
            b'$' => {
                let end = expansion_end(b, i, range.end).unwrap_or((i + 2).min(range.end));
                let inner = text.get(i + 2..end.saturating_sub(1)).unwrap_or("");
                match vars.get(inner).filter(|_| end > i + 2 && depth < 8) {
                    Some(v) => {
                        if depth == 0 {
                            uses.push(Via {
                                expr: text[i..end].to_string(),
                                at: Span::new(source, i..end),
                                set: Span::new(source, v.line.clone()),
                                from: vec![v.line.clone()],
                            });
                        }
                        expand_into(d, text, v.range.clone(), vars, source, uses, depth + 1);
                    }
                    None => d.template(i..end),
                }
                i = end;
            }
            b'\n' => {
                d.copy(text, i..i + 1);
                i += 1;
                if b.get(i) == Some(&b'\t') {
                    i += 1;
                }
            }
            _ => i = d.copy_char(text, i),
        }
    }
}

/// Reads the recipes (and `$(shell ...)` calls) of a makefile that name the operation.
pub fn lex(text: &str, source: SourceId) -> Lexed {
    let mut out = Lexed::default();
    let lines = logical_lines(text);
    let vars = variables(text, &lines);
    let mut scripts = Vec::new();
    for &(s, e) in &lines {
        let line = &text[s..e];
        if !line.contains(OPERATION) {
            continue;
        }
        if let Some(body) = line.strip_prefix('\t') {
            // `@`, `-` and `+` before a recipe line are make's, not the shell's.
            let skip = body.len() - body.trim_start_matches(['@', '-', '+', ' ', '\t']).len();
            scripts.push(s + 1 + skip..e);
            continue;
        }
        // `target: prerequisites ; recipe`: the text after the `;` is the rule's first recipe line.
        if let Some(semi) = rule_recipe(line) {
            let body = &line[semi + 1..];
            let skip = body.len() - body.trim_start_matches(['@', '-', '+', ' ', '\t']).len();
            scripts.push(s + semi + 1 + skip..e);
            continue;
        }
        let b = text.as_bytes();
        let mut from = s;
        while let Some(at) = text[from..e].find("$(shell ").map(|p| from + p) {
            let end = expansion_end(b, at, e).unwrap_or(e);
            scripts.push(at + 8..end.saturating_sub(1).max(at + 8));
            from = end.max(at + 1);
        }
    }
    for range in scripts {
        let mut uses = Vec::new();
        let script = expand(text, range, &vars, source, &mut uses);
        let mut lexed = lex_embedded(&script, text, Marking::default());
        for c in &mut lexed.commands {
            let span = c.words.iter().map(|w| w.span.clone());
            let (lo, hi) = span.fold((usize::MAX, 0), |(lo, hi), r| {
                (lo.min(r.start), hi.max(r.end))
            });
            c.via.extend(
                uses.iter()
                    .filter(|u| lo <= u.at.range.start && u.at.range.end <= hi)
                    .cloned(),
            );
        }
        out.commands.append(&mut lexed.commands);
        out.errors.append(&mut lexed.errors);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn aws(src: &str) -> Vec<Vec<String>> {
        crate::input::shell::aws_words(&lex(src, 0))
    }

    const OP: &str = "aws sts assume-role-with-web-identity";

    #[test]
    fn recipes_are_expanded_as_make_does() {
        let src = format!("ROLE := arn:aws:iam::111122223333:role/x\nSESSION = ci\n\ndeploy:\n\t@{OP} \\\n\t  --role-arn $(ROLE) --role-session-name ${{SESSION}}-$$RUN --web-identity-token $$(cat $@)\n");
        let got = aws(&src);
        assert_eq!(
            got,
            [[
                "aws",
                "sts",
                "assume-role-with-web-identity",
                "--role-arn",
                "arn:aws:iam::111122223333:role/x",
                "--role-session-name",
                "ci-$RUN",
                "--web-identity-token",
                "$(cat $…)"
            ]]
        );
        let l = lex(&src, 0);
        let c = l
            .commands
            .iter()
            .find(|c| c.words[0].value == "aws")
            .unwrap();
        let arn = &c.words[4];
        assert_eq!(
            &src[arn.span_of(0..3).range],
            "arn",
            "maps to the assignment"
        );
        assert_eq!(c.via.len(), 2);
        assert_eq!(&src[c.via[0].at.range.clone()], "$(ROLE)");
        // the shell's own `$RUN` points at `$$RUN`
        let name = &c.words[6];
        assert_eq!(&src[name.dynamic[0].span.range.clone()], "$$RUN");
    }

    #[test]
    fn uncertain_variables_stay_unknown() {
        for def in [
            "ROLE ?= a",
            "ROLE += a",
            "ROLE != echo a",
            "ifeq ($(X),y)\nROLE = a\nendif",
            "deploy: ROLE = a",
            "ROLE = a\ninclude other.mk",
            "define ROLE\na\nendef",
        ] {
            let src = format!("{def}\ndeploy:\n\t{OP} --role-arn $(ROLE)\n");
            assert_eq!(aws(&src)[0][4], "$(ROLE)", "{def}");
        }
    }

    #[test]
    fn variables_expand_through_variables() {
        // a variable that is not certain stays an unknown part, named as written in the value
        let src = format!("ROLE = $(OTHER)\nOTHER ?= x\ndeploy:\n\t{OP} --role-arn $(ROLE)\n");
        assert_eq!(aws(&src)[0][4], "$(OTHER)");
        let src = format!("A := 111122223333\nROLE = arn:aws:iam::$(A):role/$(NAME)\ndeploy:\n\t{OP} --role-arn $(ROLE)\n");
        assert_eq!(aws(&src)[0][4], "arn:aws:iam::111122223333:role/$(NAME)");
    }

    #[test]
    fn a_recipe_on_the_rule_line() {
        let src =
            format!("R = arn:x\ndeploy: build ; @{OP} --role-arn $(R)\nX := a:b ; {OP} --no\n");
        assert_eq!(
            aws(&src),
            [[
                "aws",
                "sts",
                "assume-role-with-web-identity",
                "--role-arn",
                "arn:x"
            ]]
        );
    }

    #[test]
    fn shell_function_calls_are_scripts() {
        let src = format!("CREDS := $(shell {OP} --role-arn r)\n");
        assert_eq!(aws(&src)[0][4], "r");
        // outside recipes and `$(shell)`, text is make's own
        assert!(aws(&format!("# {OP}\nX = {OP}\n")).is_empty());
    }
}
