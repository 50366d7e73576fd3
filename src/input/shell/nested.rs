//! A script inside a word: the string of `sh -c '...'`, `bash -lc "..."`. The word's value (after
//! the outer shell's quoting) is lexed as a script of its own, and every word, unknown part and
//! finding of it is mapped back through the outer word to the file (see [`Text::within`]).
//!
//! The outer shell fills in the word's own `$VAR`s before the inner shell reads the string, so each
//! becomes a private-use marker character while the string is lexed, and an unknown part
//! ([`Dynamic`]) of the inner word it lands in afterwards.

use super::{lex_at, Lexed, MAX_NESTING};
use crate::source::{Dynamic, Seg, Text};

/// What an unknown part of the outer word is while the string is lexed.
const MARKER: char = '\u{E000}';

/// Lexes the value of `word` as a script nested `depth` deep; every span is one of `word`'s source.
pub(super) fn lex_string(word: &Text, depth: usize) -> Lexed {
    if depth >= MAX_NESTING {
        return Lexed::default();
    }
    let map = marked(word);
    let mut lexed = lex_at(&map.value, word.source, depth);
    for c in &mut lexed.commands {
        for w in &mut c.words {
            *w = unmark(&map.within(w), word);
        }
    }
    for d in &mut lexed.errors {
        if let Some(p) = &mut d.primary {
            *p = map.span_of(p.range.clone());
        }
        for (s, _) in &mut d.notes {
            *s = map.span_of(s.range.clone());
        }
    }
    lexed
}

/// `word` with a [`MARKER`] where each unknown part goes, mapped to the source (a marker maps to
/// the whole expression).
fn marked(word: &Text) -> Text {
    let mut value = String::with_capacity(word.value.len());
    let mut segs: Vec<Seg> = Vec::new();
    let known = |range: std::ops::Range<usize>, value: &mut String, segs: &mut Vec<Seg>| {
        let base = value.len();
        let part = word.slice(range.clone());
        segs.extend(part.segs.iter().map(|s| Seg {
            val: base + s.val.start..base + s.val.end,
            src: s.src.clone(),
        }));
        value.push_str(&word.value[range]);
    };
    let mut last = 0;
    for d in &word.dynamic {
        known(last..d.at, &mut value, &mut segs);
        let at = value.len();
        value.push(MARKER);
        segs.push(Seg {
            val: at..value.len(),
            src: d.span.range.clone(),
        });
        last = d.at;
    }
    known(last..word.value.len(), &mut value, &mut segs);
    Text {
        value,
        source: word.source,
        span: word.span.clone(),
        segs,
        dynamic: Vec::new(),
    }
}

/// `w` (a word of the string, mapped to the file) with each marker taken out of its value and
/// made an unknown part again, with the outer word's expression.
fn unmark(w: &Text, outer: &Text) -> Text {
    if !w.value.contains(MARKER) {
        return w.clone();
    }
    // New offset of each old value offset.
    let mut shift = vec![0usize; w.value.len() + 1];
    let mut value = String::with_capacity(w.value.len());
    let mut dynamic: Vec<Dynamic> = Vec::new();
    for (i, ch) in w.value.char_indices() {
        for s in &mut shift[i..i + ch.len_utf8()] {
            *s = value.len();
        }
        if ch == MARKER {
            let src = w.span_of(i..i + ch.len_utf8());
            let d = outer
                .dynamic
                .iter()
                .find(|d| d.span.range == src.range)
                .cloned()
                .unwrap_or(Dynamic {
                    at: 0,
                    expr: "$?".to_string(),
                    span: src,
                });
            dynamic.push(Dynamic {
                at: value.len(),
                ..d
            });
        } else {
            value.push(ch);
        }
    }
    shift[w.value.len()] = value.len();
    let segs = w
        .segs
        .iter()
        .filter(|s| !w.value[s.val.clone()].contains(MARKER))
        .map(|s| Seg {
            val: shift[s.val.start]..shift[s.val.end],
            src: s.src.clone(),
        })
        .filter(|s| !s.val.is_empty())
        .collect();
    dynamic.extend(w.dynamic.iter().map(|d| Dynamic {
        at: shift[d.at.min(w.value.len())],
        expr: d.expr.replace(MARKER, "$…"),
        span: d.span.clone(),
    }));
    dynamic.sort_by_key(|d| d.at);
    Text {
        value,
        source: w.source,
        span: w.span.clone(),
        segs,
        dynamic,
    }
}

#[cfg(test)]
mod tests {
    use super::super::{first_aws, lex};

    #[test]
    fn a_dynamic_part_of_the_string_stays_unknown_where_it_lands() {
        let src = "sh -c \"aws sts x --arn arn:$P:iam --t $T\" _";
        let l = lex(src, 0);
        let c = first_aws(&l);
        assert_eq!(c.words[4].value, "arn::iam");
        assert_eq!(c.words[4].display(), "arn:$P:iam");
        assert_eq!(&src[c.words[4].span_of(5..8).range.clone()], "iam");
        assert_eq!(c.words[6].display(), "$T");
        assert!(c.words[6].dynamic[0].at == 0 && c.words[6].value.is_empty());
    }

    #[test]
    fn errors_inside_the_string_point_into_the_file() {
        let src = "bash -c 'aws sts x --r \"unclosed'";
        let l = lex(src, 0);
        assert_eq!(l.errors.len(), 1);
        assert_eq!(
            &src[l.errors[0].primary.as_ref().unwrap().range.clone()],
            "\""
        );
    }

    #[test]
    fn strings_nest() {
        let mut s = "aws sts x".to_string();
        for _ in 0..8 {
            s = format!("sh -c {}", super::super::quote::shell_quote(&s));
        }
        let l = lex(&s, 0);
        assert!(l.errors.is_empty());
        assert!(l.commands.iter().any(|c| c.words[0].value == "aws"));
    }
}
