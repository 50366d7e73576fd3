//! Keeping tokens out of output.
//!
//! A web identity token is a credential. Human output shows snippets of the user's text, so before
//! rendering, every token value (and anything else that looks like a signed JWT) is replaced by a
//! placeholder that gives only its length and a sha256 fingerprint; spans are moved to match.

use regex::Regex;
use sha2::{Digest, Sha256};
use std::ops::Range;
use std::sync::LazyLock;

/// Anything shaped like a JWS compact token: header, payload and a signature of some length.
static JWT: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"eyJ[A-Za-z0-9_-]+\.[A-Za-z0-9_-]*\.[A-Za-z0-9_-]+").expect("valid regex")
});

/// Hex sha256 of the exact bytes.
pub fn sha256_hex(s: &str) -> String {
    let d = Sha256::digest(s.as_bytes());
    d.iter().map(|b| format!("{b:02x}")).collect()
}

/// The placeholder shown instead of a token.
pub fn placeholder(token: &str) -> String {
    format!(
        "«token redacted: {} chars, sha256:{}»",
        token.chars().count(),
        &sha256_hex(token)[..12]
    )
}

/// A text with some ranges replaced, and the map from old offsets to new ones.
#[derive(Debug, Clone)]
pub struct Redacted {
    pub text: String,
    /// (old range, new range), sorted, non-overlapping.
    edits: Vec<(Range<usize>, Range<usize>)>,
}

impl Redacted {
    /// Maps an old offset to the new text. An offset inside a replaced range maps to the start
    /// (`end == false`) or the end (`end == true`) of its replacement.
    pub fn map(&self, offset: usize, end: bool) -> usize {
        let mut delta: isize = 0;
        for (old, new) in &self.edits {
            if offset < old.start || (offset == old.start && !end) {
                break;
            }
            if offset < old.end || (offset == old.end && end && offset == old.start) {
                return if end { new.end } else { new.start };
            }
            delta = new.end as isize - old.end as isize;
        }
        (offset as isize + delta) as usize
    }

    pub fn map_range(&self, r: &Range<usize>) -> Range<usize> {
        let start = self.map(r.start, false);
        let end = self.map(r.end, true).max(start);
        start..end
    }
}

/// Replaces `secrets` (byte ranges of `text`) and every JWT-shaped run with placeholders.
pub fn redact(text: &str, secrets: &[Range<usize>]) -> Redacted {
    let mut ranges: Vec<Range<usize>> = secrets
        .iter()
        .filter(|r| r.start < r.end && r.end <= text.len())
        .cloned()
        .collect();
    ranges.extend(JWT.find_iter(text).map(|m| m.range()));
    ranges.sort_by_key(|r| (r.start, std::cmp::Reverse(r.end)));
    let mut merged: Vec<Range<usize>> = Vec::new();
    for r in ranges {
        match merged.last_mut() {
            Some(last) if r.start < last.end => last.end = last.end.max(r.end),
            _ => merged.push(r),
        }
    }
    let mut out = String::with_capacity(text.len());
    let mut edits = Vec::new();
    let mut last = 0;
    for r in merged {
        if !text.is_char_boundary(r.start) || !text.is_char_boundary(r.end) {
            continue;
        }
        out.push_str(&text[last..r.start]);
        let start = out.len();
        out.push_str(&placeholder(&text[r.clone()]));
        edits.push((r.clone(), start..out.len()));
        last = r.end;
    }
    out.push_str(&text[last..]);
    Redacted { text: out, edits }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tokens_are_replaced_and_spans_follow() {
        let tok = "eyJhbGciOiJSUzI1NiJ9.eyJzdWIiOiJ4In0.c2lnbmF0dXJl";
        let text = format!("--web-identity-token {tok} --role-arn bad");
        let r = redact(&text, &[]);
        assert!(!r.text.contains("c2lnbmF0dXJl"));
        assert!(r
            .text
            .contains(&format!("«token redacted: {} chars", tok.len())));
        let bad = text.find("bad").unwrap();
        let m = r.map_range(&(bad..bad + 3));
        assert_eq!(&r.text[m], "bad");
        let inside = r.map_range(&(25..30));
        assert!(r.text[inside].starts_with("«token"));
    }

    #[test]
    fn explicit_secret_ranges_are_replaced() {
        let r = redact(
            "a Atza|secretvalue b",
            &[std::ops::Range { start: 2, end: 18 }],
        );
        assert_eq!(r.text, format!("a {} b", placeholder("Atza|secretvalue")));
        assert_eq!(r.map(19, false), r.text.len() - 1);
    }
}
