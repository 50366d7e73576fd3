//! A script inside a word: the string of `sh -c '...'`, `bash -lc "..."`. The word's value (after
//! the outer shell's quoting) is lexed as a script of its own, and every word, unknown part and
//! finding of it is mapped back through the outer word to the file (see [`Text::within`]).
//!
//! The outer shell fills in the word's own `$VAR`s before the inner shell reads the string, so each
//! becomes a private-use marker character while the string is lexed, and an unknown part
//! ([`Dynamic`]) of the inner word it lands in afterwards.

use super::embedded::{remap, unmark_with, MARKER};
use super::{lex_at, Lexed, MAX_NESTING};
use crate::source::{Seg, Text};

/// Lexes the value of `word` as a script nested `depth` deep; every span is one of `word`'s source.
pub(super) fn lex_string(word: &Text, depth: usize) -> Lexed {
    if depth >= MAX_NESTING {
        return Lexed::default();
    }
    let map = marked(word);
    let mut out = Lexed::default();
    remap(&mut out, lex_at(&map.value, word.source, depth), &map);
    for c in &mut out.commands {
        for w in &mut c.words {
            *w = unmark(w, word);
        }
    }
    out
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

/// `w` (a word of the string, mapped to the file) with each marker made an unknown part again,
/// with the outer word's expression.
fn unmark(w: &Text, outer: &Text) -> Text {
    if !w.value.contains(MARKER) {
        return w.clone();
    }
    unmark_with(w, &|span| {
        outer
            .dynamic
            .iter()
            .find(|d| d.span.range == span.range)
            .map_or_else(|| "$?".to_string(), |d| d.expr.clone())
    })
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
