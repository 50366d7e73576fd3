//! Shell scripts that live inside another file's values: a YAML `run:` scalar, a Markdown fence, a
//! Dockerfile `RUN`. The script's decoded text (a [`Text`] mapped to the file) is lexed as a script
//! of its own, and every word, unknown part and finding is mapped back through that text, so a
//! finding points at the file's own line and column — inside a folded scalar too.
//!
//! Template expressions that a CI system replaces before any shell runs — GitHub's `${{ ... }}`,
//! CircleCI's `<< parameters.x >>`, GitLab's `$[[ inputs.x ]]`, Concourse's `((var))`, Go
//! templates' `{{ .X }}` (Taskfile) — are values known only at run time, inside quotes or not:
//! each becomes one private-use marker character before lexing and an unknown part
//! ([`Dynamic`]) after, with the expression as written.

use super::{lex, Lexed};
use crate::source::{Dynamic, Seg, SourceId, Span, Text};
use regex::Regex;
use std::ops::Range;
use std::sync::LazyLock;

/// What a template expression is replaced with while the shell text is lexed.
pub(super) const MARKER: char = '\u{E000}';

/// A script being decoded out of a string literal of another language (a Groovy `sh '...'`, an
/// HCL `command = "..."`), each value byte mapped to the source bytes it stands for.
pub struct Decoded {
    value: String,
    segs: Vec<Seg>,
    start: usize,
}

impl Decoded {
    /// An empty script whose literal starts at `start`.
    pub fn new(start: usize) -> Decoded {
        Decoded {
            value: String::new(),
            segs: Vec::new(),
            start,
        }
    }
    /// Appends source bytes `src` of `file` as they are.
    pub fn copy(&mut self, file: &str, src: Range<usize>) {
        let at = self.value.len();
        self.value.push_str(&file[src.clone()]);
        match self.segs.last_mut() {
            Some(last)
                if last.val.len() == last.src.len()
                    && last.val.end == at
                    && last.src.end == src.start =>
            {
                last.val.end = self.value.len();
                last.src.end = src.end;
            }
            _ => self.segs.push(Seg {
                val: at..self.value.len(),
                src,
            }),
        }
    }
    /// Appends the character at `i` of `file` as it is: the offset after it.
    pub fn copy_char(&mut self, file: &str, i: usize) -> usize {
        let len = file[i..].chars().next().map_or(1, char::len_utf8);
        self.copy(file, i..i + len);
        i + len
    }
    /// Appends `value`, written as source bytes `src` (an escape sequence).
    pub fn put(&mut self, value: &str, src: Range<usize>) {
        let at = self.value.len();
        self.value.push_str(value);
        self.segs.push(Seg {
            val: at..self.value.len(),
            src,
        });
    }
    /// Appends an expression the host language fills in before any shell runs (`${x}` in a
    /// Groovy GString or an HCL template): an unknown part once lexed.
    pub fn template(&mut self, src: Range<usize>) {
        self.put(&MARKER.to_string(), src);
    }
    /// The script, for [`lex_embedded`].
    pub fn finish(self, source: SourceId, end: usize) -> Text {
        Text {
            value: self.value,
            source,
            span: self.start..end,
            segs: self.segs,
            dynamic: Vec::new(),
        }
    }
}

static TEMPLATE: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(concat!(
        r"\$\{\{[^\n]*?\}\}",                    // GitHub Actions, Azure templates
        r"|<<\s*[A-Za-z_][^\n<>]*?>>",           // CircleCI parameters, pipeline values, include()
        r"|\$\[\[[^\n]*?\]\]",                   // GitLab CI/CD inputs
        r"|\(\([A-Za-z_][\w.:/-]*\)\)",          // Concourse credentials
        r"|\{\{-?\s*[.$A-Za-z_][^\n{}]*?-?\}\}", // Go templates (Taskfile, Helm)
    ))
    .expect("template pattern")
});

/// What, besides the CI templates, a script's text holds that no shell sees.
#[derive(Debug, Clone, Copy, Default)]
pub struct Marking {
    /// Documentation placeholders (`<ROLE ARN>`, `YOUR_ACCOUNT_ID`) are unknown parts too.
    pub placeholders: bool,
    /// YAML CI files: CircleCI's `\<<` escape stands for a literal `<<` (so `\<<<` is a
    /// here-string); no other CI system writes `\<<` in a script.
    pub yaml: bool,
}

/// Whether an unknown part's expression is a documentation placeholder (only documentation's code
/// blocks produce these: see [`Marking::placeholders`]).
pub fn is_placeholder(expr: &str) -> bool {
    crate::model::placeholders::PATTERN
        .find(expr)
        .is_some_and(|m| m.start() == 0 && m.end() == expr.len())
}

/// Lexes `script` (a value read out of `file`, mapped to it) as a shell script; every span in the
/// result is a span of `file`.
pub fn lex_embedded(script: &Text, file: &str, marking: Marking) -> Lexed {
    let map = mark_templates(script, marking);
    let lexed = lex(&map.value, script.source);
    let mut out = Lexed::default();
    remap(&mut out, lexed, &map);
    for c in &mut out.commands {
        for w in &mut c.words {
            if w.value.contains(MARKER) || w.dynamic.iter().any(|d| d.expr.contains(MARKER)) {
                *w = unmark(w, file);
            }
        }
    }
    out
}

/// Appends `lexed` (read out of `map`'s value) to `out`, every span mapped through `map`.
pub fn remap(out: &mut Lexed, mut lexed: Lexed, map: &Text) {
    for c in &mut lexed.commands {
        for w in &mut c.words {
            *w = map.within(w);
        }
        for r in &mut c.writes {
            r.target = map.within(&r.target);
        }
        for f in &mut c.files {
            f.at = map.span_of(f.at.range.clone());
            if let Some(t) = &mut f.content {
                *t = map.within(t);
            }
        }
        for v in &mut c.via {
            v.at = map.span_of(v.at.range.clone());
            v.set = map.span_of(v.set.range.clone());
            for r in &mut v.from {
                *r = map.span_of(r.clone()).range;
            }
        }
    }
    if let Some(a) = lexed.assigned.take() {
        let into = out.assigned.get_or_insert_with(Default::default);
        into.names.extend(a.names);
        into.any |= a.any;
    }
    for d in &mut lexed.errors {
        if let Some(p) = &mut d.primary {
            *p = map.span_of(p.range.clone());
        }
        for (s, _) in &mut d.notes {
            *s = map.span_of(s.range.clone());
        }
    }
    out.commands.append(&mut lexed.commands);
    out.errors.append(&mut lexed.errors);
}

/// One word written in a CI file (an argument vector's item), its template expressions unknown.
pub fn word(w: &Text, file: &str) -> Text {
    let marked = mark_templates(w, Marking::default());
    if marked.value.contains(MARKER) {
        unmark(&marked, file)
    } else {
        w.clone()
    }
}

/// The end of a `${...}` / `%{...}` expression whose `{` is at `open` in `s` (nested braces
/// counted), not past `limit`: the offset after its `}`.
pub fn template_end(s: &[u8], open: usize, limit: usize) -> usize {
    let mut depth = 0usize;
    let mut j = open;
    while j < limit {
        match s[j] {
            b'{' => depth += 1,
            b'}' => {
                depth = depth.saturating_sub(1);
                if depth == 0 {
                    return j + 1;
                }
            }
            _ => {}
        }
        j += 1;
    }
    limit
}

/// The backslash escape at `i` of a C-like string literal (Groovy, HCL) ending before `to`: the
/// value it stands for and its length; `None` for an escape the language does not define.
pub fn c_escape(text: &str, i: usize, to: usize) -> Option<(String, usize)> {
    let s = text.as_bytes();
    let simple = |c: &str| Some((c.to_string(), 2));
    match *s.get(i + 1).filter(|_| i + 1 < to)? {
        b'n' => simple("\n"),
        b't' => simple("\t"),
        b'r' => simple("\r"),
        b'"' => simple("\""),
        b'\\' => simple("\\"),
        b'u' if i + 6 <= to => u32::from_str_radix(text.get(i + 2..i + 6)?, 16)
            .ok()
            .and_then(char::from_u32)
            .map(|c| (c.to_string(), 6)),
        _ => None,
    }
}

/// `script` with every template expression replaced by [`MARKER`], still mapped to the file (a
/// marker maps to the whole expression).
fn mark_templates(script: &Text, marking: Marking) -> Text {
    let value = &script.value;
    // `((` right after `$` is shell arithmetic, not a Concourse variable.
    let mut found: Vec<_> = TEMPLATE
        .find_iter(value)
        .filter(|m| !(value[m.range()].starts_with("((") && value[..m.start()].ends_with('$')))
        .map(|m| m.range())
        .collect();
    if marking.yaml {
        found.extend(value.match_indices("\\<<").map(|(i, _)| i..i + 3));
        found.sort_by_key(|r| r.start);
    }
    if marking.placeholders {
        // Not a variable's name (`$ACCOUNT_ID`, `${YOUR_ROLE}`), an assignment (`ACCOUNT_ID=1`),
        // or inside a template already found.
        let taken = found.clone();
        found.extend(
            crate::model::placeholders::PATTERN
                .find_iter(value)
                .filter(|m| {
                    let before = value[..m.start()].chars().next_back();
                    !matches!(before, Some('$' | '{' | '<'))
                        && !value[m.end()..].starts_with('=')
                        && !value[m.end()..].starts_with('<')
                        && taken
                            .get(taken.partition_point(|t| t.end <= m.start()))
                            .is_none_or(|t| t.start >= m.end())
                })
                .map(|m| m.range()),
        );
        found.sort_by_key(|r| r.start);
    }
    if found.is_empty() {
        return script.clone();
    }
    let mut out = Text {
        value: String::with_capacity(value.len()),
        source: script.source,
        span: script.span.clone(),
        segs: Vec::new(),
        dynamic: Vec::new(),
    };
    let mut last = 0;
    for m in found {
        if m.start < last {
            continue; // inside an expression already replaced
        }
        append(&mut out, &script.slice(last..m.start));
        if &value[m.clone()] == "\\<<" {
            append(&mut out, &script.slice(m.start + 1..m.end));
            last = m.end;
            continue;
        }
        let at = out.value.len();
        out.value.push(MARKER);
        out.segs.push(Seg {
            val: at..out.value.len(),
            src: script.span_of(m.clone()).range,
        });
        last = m.end;
    }
    append(&mut out, &script.slice(last..value.len()));
    out
}

/// Appends `part`'s value and map to `out`.
fn append(out: &mut Text, part: &Text) {
    out.push_text(part);
}

/// A word whose value holds markers: each becomes an unknown part naming its expression.
fn unmark(w: &Text, file: &str) -> Text {
    unmark_with(w, &|span| {
        file.get(span.range.clone()).unwrap_or("").to_string()
    })
}

/// `w` with each marker taken out of its value and made an unknown part, its expression named by
/// `expr` from the source span the marker stands for.
pub(super) fn unmark_with(w: &Text, expr: &dyn Fn(&Span) -> String) -> Text {
    let mut out = Text {
        value: String::with_capacity(w.value.len()),
        source: w.source,
        span: w.span.clone(),
        segs: Vec::new(),
        dynamic: Vec::new(),
    };
    let mut templates = Vec::new();
    let mut last = 0;
    for (at, c) in w.value.match_indices(MARKER) {
        append(&mut out, &w.slice(last..at));
        let span = w.span_of(at..at + c.len());
        templates.push(Dynamic {
            at: out.value.len(),
            expr: expr(&span),
            span,
            quoted: false,
            assigned: false,
        });
        last = at + c.len();
    }
    append(&mut out, &w.slice(last..w.value.len()));
    // A marker inside an unknown part of its own (`$(echo ${{ x }})`) is shown as `$…`.
    for d in &mut out.dynamic {
        if d.expr.contains(MARKER) {
            d.expr = d.expr.replace(MARKER, "$…");
        }
    }
    out.dynamic.extend(templates);
    out.dynamic.sort_by_key(|d| d.at);
    out
}

/// The words of every command, as displayed (unknown parts as written), for tests.
#[cfg(test)]
pub fn words(l: &Lexed) -> Vec<Vec<String>> {
    l.commands
        .iter()
        .map(|c| c.words.iter().map(|w| w.display()).collect())
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A script written at byte `start` of `file`, byte for byte.
    fn lexed(file: &str, start: usize, end: usize) -> Lexed {
        let t = Text::verbatim(&file[start..end], 0, start);
        lex_embedded(
            &t,
            file,
            Marking {
                placeholders: false,
                yaml: true,
            },
        )
    }

    #[test]
    fn spans_land_in_the_file() {
        let file = "run: aws sts x --role-arn 'arn:aws:iam::1:role/r'\n";
        let l = lexed(file, 5, file.len() - 1);
        let w = &l.commands[0].words;
        assert_eq!(w.len(), 5);
        let r = w[4].span_of(0..3).range;
        assert_eq!(&file[r], "arn");
        assert_eq!(&file[w[4].span.clone()], "'arn:aws:iam::1:role/r'");
    }

    #[test]
    fn templates_are_unknown_in_every_quoting() {
        let file = "run: aws --a ${{ vars.R }} --b '${{ x }}-y' --c \"<< parameters.role >>\" --d $[[ inputs.e ]] --e ((cred)) --f {{.ARN}} --g $((1+2)) --h <<include(scripts/x.sh)>>";
        let l = lexed(file, 5, file.len());
        let w = &l.commands[0].words;
        let exprs: Vec<&str> = w
            .iter()
            .flat_map(|w| &w.dynamic)
            .map(|d| d.expr.as_str())
            .collect();
        assert_eq!(
            exprs,
            [
                "${{ vars.R }}",
                "${{ x }}",
                "<< parameters.role >>",
                "$[[ inputs.e ]]",
                "((cred))",
                "{{.ARN}}",
                "$((1+2))",
                "<<include(scripts/x.sh)>>"
            ]
        );
        // The single-quoted template: value `-y`, unknown at 0, spans into the file.
        assert_eq!(w[4].value, "-y");
        assert_eq!(w[4].dynamic[0].at, 0);
        assert_eq!(&file[w[4].dynamic[0].span.range.clone()], "${{ x }}");
        assert_eq!(&file[w[4].span_of(0..2).range], "-y");
        assert!(l.errors.is_empty());
    }

    #[test]
    fn errors_point_into_the_file() {
        let file = "script:\n  - echo 'open\n";
        let start = file.find("echo").unwrap();
        let l = lexed(file, start, file.len() - 1);
        let p = l.errors[0].primary.clone().unwrap();
        assert!(p.range.start >= start && p.range.end <= file.len(), "{p:?}");
    }
}
