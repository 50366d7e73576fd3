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

/// A literal token after `--web-identity-token` (not a `file://` reference or a shell variable).
static TOKEN_OPTION: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r#"(--web-identity-token[ =]+['"]?)([^\s'"$]+)"#).expect("valid regex")
});

/// Redacts prose that quotes commands (rule docs): literal `--web-identity-token` values and
/// anything shaped like a signed JWT become placeholders.
pub fn redact_prose(text: &str) -> String {
    let t = TOKEN_OPTION.replace_all(text, |c: &regex::Captures| {
        let v = &c[2];
        if v.starts_with("file://") || v.starts_with("fileb://") || v.len() < 12 {
            c[0].to_string()
        } else {
            format!("{}{}", &c[1], placeholder(v))
        }
    });
    JWT.replace_all(&t, |c: &regex::Captures| placeholder(&c[0]))
        .into_owned()
}

/// Replaces anything shaped like a signed JWT with its placeholder, wherever it stands: a token
/// given as a session name or an ARN is still a credential.
pub fn shapes(text: &str) -> std::borrow::Cow<'_, str> {
    if !text.contains("eyJ") {
        return std::borrow::Cow::Borrowed(text);
    }
    JWT.replace_all(text, |c: &regex::Captures| placeholder(&c[0]))
}

/// Every string in a JSON value, with [`shapes`] applied.
pub fn shapes_in(v: &mut serde_json::Value) {
    match v {
        serde_json::Value::String(s) => {
            if let std::borrow::Cow::Owned(clean) = shapes(s) {
                *s = clean;
            }
        }
        serde_json::Value::Array(items) => items.iter_mut().for_each(shapes_in),
        serde_json::Value::Object(m) => m.values_mut().for_each(shapes_in),
        _ => {}
    }
}

/// A run of token-alphabet characters this long could be a signature or an opaque access token.
static LONG_RUN: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"[A-Za-z0-9_\-+/=|.%]{16,}").expect("valid regex"));

/// What stslint prints when it panics (a bug): where, and the message with anything that could be
/// part of a token removed, since a panic message may quote the text being read (Rust's own
/// "byte index is not a char boundary" message quotes the string). Runs of 16 or more
/// token-alphabet characters that mix cases, or letters and digits (base64 text, not words such
/// as `--web-identity-token`), become a length.
pub fn panic_report(message: &str, location: Option<(&str, u32)>) -> String {
    let message = redact_prose(message);
    let message = LONG_RUN.replace_all(&message, |c: &regex::Captures| {
        let run = &c[0];
        let (digit, upper, lower) = (
            run.bytes().any(|b| b.is_ascii_digit()),
            run.bytes().any(|b| b.is_ascii_uppercase()),
            run.bytes().any(|b| b.is_ascii_lowercase()),
        );
        let mixed = (upper && lower) || (digit && (upper || lower));
        if mixed {
            format!("«{} chars removed»", run.chars().count())
        } else {
            run.to_string()
        }
    });
    let at = location.map_or(String::new(), |(file, line)| format!(" at {file}:{line}"));
    format!(
        "stslint: internal error{at}: {message}\n\
         stslint: this is a bug; please report it with the command you ran (token-like text was removed from this message). Exit code 2."
    )
}

/// Hex sha256 of the exact bytes.
pub fn sha256_hex(s: &str) -> String {
    let d = Sha256::digest(s.as_bytes());
    d.iter().map(|b| format!("{b:02x}")).collect()
}

/// What debug output (`{:?}`) shows of text the user wrote, which may hold a token: its length
/// and fingerprint, never the text.
pub fn debug_fingerprint(s: &str) -> String {
    format!(
        "«{} chars, sha256:{}»",
        s.chars().count(),
        &sha256_hex(s)[..12]
    )
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
    /// Where each line of `text` after the first starts.
    line_starts: Vec<usize>,
}

impl Redacted {
    /// Maps an old offset to the new text. An offset inside a replaced range maps to the start
    /// (`end == false`) or the end (`end == true`) of its replacement. A binary search: many
    /// findings on a file with many edits cost O(log edits) each.
    pub fn map(&self, offset: usize, end: bool) -> usize {
        let passed = self
            .edits
            .partition_point(|(old, _)| old.start < offset || (old.start == offset && end));
        let Some((old, new)) = passed.checked_sub(1).map(|i| &self.edits[i]) else {
            return offset;
        };
        if offset < old.end || (offset == old.end && end && offset == old.start) {
            return if end { new.end } else { new.start };
        }
        (offset as isize + new.end as isize - old.end as isize) as usize
    }

    /// The byte column of `offset` in `text` (0-based).
    pub fn column(&self, offset: usize) -> usize {
        let line = self.line_starts.partition_point(|&s| s <= offset);
        offset - line.checked_sub(1).map_or(0, |i| self.line_starts[i])
    }

    /// Maps an offset in the new text back to the old one (a placeholder maps to its start).
    pub fn unmap(&self, offset: usize) -> usize {
        let passed = self.edits.partition_point(|(_, new)| new.start <= offset);
        let Some((old, new)) = passed.checked_sub(1).map(|i| &self.edits[i]) else {
            return offset;
        };
        if offset < new.end {
            return old.start;
        }
        (offset as isize + old.end as isize - new.end as isize) as usize
    }

    /// The 0-based line of `offset` in `text`, and where that line starts.
    pub fn line_of(&self, offset: usize) -> (usize, usize) {
        let line = self.line_starts.partition_point(|&s| s <= offset);
        (line, line.checked_sub(1).map_or(0, |i| self.line_starts[i]))
    }

    /// Where 0-based line `line` of `text` starts (the end of the text past the last line).
    pub fn line_start(&self, line: usize) -> usize {
        match line.checked_sub(1) {
            None => 0,
            Some(i) => self.line_starts.get(i).copied().unwrap_or(self.text.len()),
        }
    }

    pub fn map_range(&self, r: &Range<usize>) -> Range<usize> {
        let start = self.map(r.start, false);
        let end = self.map(r.end, true).max(start);
        start..end
    }
}

/// Replaces `secrets` (byte ranges of `text`) and every JWT-shaped run with placeholders, and
/// shortens the `elide` ranges (stretches of very long lines far from anything shown) to `…`.
pub fn redact(text: &str, secrets: &[Range<usize>], elide: &[Range<usize>]) -> Redacted {
    // Widen to character boundaries: a secret is never left partly shown.
    let widen = |r: &Range<usize>| {
        let mut a = r.start.min(text.len());
        let mut b = r.end.min(text.len());
        while !text.is_char_boundary(a) {
            a -= 1;
        }
        while !text.is_char_boundary(b) {
            b += 1;
        }
        a..b
    };
    let mut ranges: Vec<Range<usize>> = secrets
        .iter()
        .map(widen)
        .filter(|r| r.start < r.end)
        .collect();
    ranges.extend(JWT.find_iter(text).map(|m| m.range()));
    // Line breaks inside a secret (a token file's final newline) are kept, so line numbers hold.
    let secret: Vec<Range<usize>> = merge(ranges)
        .into_iter()
        .flat_map(|r| {
            let mut parts = Vec::new();
            let mut at = r.start;
            for (i, b) in text.as_bytes()[r.clone()].iter().enumerate() {
                if *b == b'\n' || *b == b'\r' {
                    parts.push(at..r.start + i);
                    at = r.start + i + 1;
                }
            }
            parts.push(at..r.end);
            parts.into_iter().filter(|p| p.start < p.end)
        })
        .collect();
    // An elision stops at a secret: the secret is shown as its placeholder (length, fingerprint).
    let mut elided: Vec<Range<usize>> = Vec::new();
    for e in elide.iter().map(widen).filter(|e| e.start < e.end) {
        let first = secret.partition_point(|s| s.end <= e.start);
        let mut at = e.start;
        for s in secret[first..].iter().take_while(|s| s.start < e.end) {
            if s.start > at + 20 {
                elided.push(at..s.start);
            }
            at = at.max(s.end);
        }
        if e.end > at + 20 {
            elided.push(at..e.end);
        }
    }
    let mut all: Vec<(Range<usize>, bool)> = secret
        .into_iter()
        .map(|r| (r, true))
        .chain(elided.into_iter().map(|r| (r, false)))
        .collect();
    all.sort_by_key(|(r, _)| r.start);
    let mut out = String::with_capacity(text.len().min(1 << 20));
    let mut edits = Vec::new();
    let mut last = 0;
    for (r, is_secret) in all {
        if r.start < last {
            continue;
        }
        out.push_str(&text[last..r.start]);
        let start = out.len();
        if is_secret {
            out.push_str(&placeholder(&text[r.clone()]));
        } else {
            out.push_str(&format!("…[{} chars]…", text[r.clone()].chars().count()));
        }
        edits.push((r.clone(), start..out.len()));
        last = r.end;
    }
    out.push_str(&text[last..]);
    let line_starts = out.match_indices('\n').map(|(i, _)| i + 1).collect();
    Redacted {
        text: out,
        edits,
        line_starts,
    }
}

fn merge(mut ranges: Vec<Range<usize>>) -> Vec<Range<usize>> {
    ranges.sort_by_key(|r| (r.start, std::cmp::Reverse(r.end)));
    let mut merged: Vec<Range<usize>> = Vec::new();
    for r in ranges {
        match merged.last_mut() {
            Some(last) if r.start < last.end => last.end = last.end.max(r.end),
            _ => merged.push(r),
        }
    }
    merged
}

/// The longest line shown whole however wide the output is.
pub const MAX_SHOWN_LINE: usize = 240;
/// Lines are never cut shorter than this, however narrow the output.
const MIN_SHOWN_LINE: usize = 60;

/// The stretches of over-long lines of `text` that are far from every span in `shown`: a line
/// longer than `width` characters (the room the output has for a source line, at most
/// [`MAX_SHOWN_LINE`]) keeps its start and the text around each end of each span, so it fits and
/// the underline stays under its text.
pub fn long_line_elisions(text: &str, shown: &[Range<usize>], width: usize) -> Vec<Range<usize>> {
    let max_line = width.clamp(MIN_SHOWN_LINE, MAX_SHOWN_LINE);
    let mut out = Vec::new();
    let mut line_start = 0;
    for line in text.split_inclusive('\n') {
        let line_end = line_start + line.trim_end_matches('\n').len();
        let long = line_end - line_start > max_line
            && text[line_start..line_end].chars().count() > max_line;
        if long {
            // As much around each span as still fits: the widest context that does.
            // A span is kept whole; a long one (over half the room) by its ends.
            let pieces: Vec<Range<usize>> = shown
                .iter()
                .filter(|s| s.start <= line_end && s.end >= line_start)
                .map(|s| s.start.clamp(line_start, line_end)..s.end.clamp(line_start, line_end))
                .flat_map(|s| {
                    if s.len() <= max_line / 2 {
                        vec![s]
                    } else {
                        vec![s.start..s.start, s.end..s.end]
                    }
                })
                .collect();
            let cut = |context: usize, head: bool| {
                let mut keep: Vec<Range<usize>> = pieces
                    .iter()
                    .map(|p| {
                        p.start.saturating_sub(context).max(line_start)
                            ..(p.end + context).min(line_end)
                    })
                    .collect();
                if head {
                    keep.push(line_start..(line_start + context).min(line_end));
                }
                let keep = merge(keep);
                let mut gaps = Vec::new();
                let mut at = line_start;
                for k in keep.iter().chain(std::iter::once(&(line_end..line_end))) {
                    if k.start > at + 20 {
                        gaps.push(at..k.start);
                    }
                    at = at.max(k.end);
                }
                // Each gap becomes a marker such as `…[123 chars]…`.
                let elided: usize = gaps.iter().map(|g| g.len().saturating_sub(14)).sum();
                ((line_end - line_start).saturating_sub(elided), gaps)
            };
            // The line's start is kept too while it fits (it shows what the command is).
            let mut best = cut(4, false).1;
            'search: for head in [true, false] {
                for context in [
                    max_line / 2,
                    max_line / 3,
                    max_line / 4,
                    max_line / 6,
                    max_line / 8,
                    4,
                ] {
                    let (len, gaps) = cut(context.max(4), head);
                    if len <= max_line {
                        best = gaps;
                        break 'search;
                    }
                }
            }
            out.extend(best);
        }
        line_start += line.len();
    }
    out
}

#[cfg(test)]
mod tests {
    #[test]
    fn prose_keeps_commands_but_not_tokens() {
        let doc = "aws sts assume-role-with-web-identity --web-identity-token 'Atza%7CIQEBLjAsAhRFiXuWpUXuRvQ9' --x\n--web-identity-token file://token.jwt and eyJhbGciOiJSUzI1NiJ9.eyJzdWIiOiJ4In0.c2lnbmF0dXJl";
        let r = redact_prose(doc);
        assert!(
            !r.contains("Atza%7CIQEB") && !r.contains("c2lnbmF0dXJl"),
            "{r}"
        );
        assert!(r.contains("--web-identity-token '«token redacted: "), "{r}");
        assert!(r.contains("file://token.jwt"));
    }
    use super::*;

    #[test]
    fn tokens_are_replaced_and_spans_follow() {
        let tok = "eyJhbGciOiJSUzI1NiJ9.eyJzdWIiOiJ4In0.c2lnbmF0dXJl";
        let text = format!("--web-identity-token {tok} --role-arn bad");
        let r = redact(&text, &[], &[]);
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
    fn long_lines_are_shortened_around_what_is_shown() {
        let text = format!("{}BAD{}\nshort\n", "a".repeat(1000), "b".repeat(1000));
        let bad = 1000..1003;
        let e = long_line_elisions(&text, std::slice::from_ref(&bad), 240);
        let r = redact(&text, &[], &e);
        assert!(r.text.len() < 400, "{}", r.text.len());
        assert_eq!(&r.text[r.map_range(&bad)], "BAD");
        assert!(r.text.contains("…[") && r.text.ends_with("\nshort\n"));
    }

    #[test]
    fn lines_wider_than_the_output_are_cut_to_fit() {
        let line = format!(
            "aws sts assume-role-with-web-identity {} --role-session-name 'bad name' --x y",
            "--role-arn arn:aws:iam::111122223333:role/ci ".repeat(3)
        );
        let text = format!("{line}\n");
        let bad = line.find("'bad name'").unwrap();
        let span = bad..bad + 10;
        for width in [60, 92, 150] {
            let r = redact(
                &text,
                &[],
                &long_line_elisions(&text, std::slice::from_ref(&span), width),
            );
            let shown = r.text.lines().next().unwrap();
            assert!(shown.chars().count() <= width, "{width}: {shown}");
            assert_eq!(&r.text[r.map_range(&span)], "'bad name'");
        }
        // a line that fits stays whole
        let r = redact(
            &text,
            &[],
            &long_line_elisions(&text, std::slice::from_ref(&span), 240),
        );
        assert_eq!(r.text, text);
    }

    #[test]
    fn a_long_span_is_shown_by_its_ends() {
        let text = format!("--x {}\n", "v".repeat(100_000));
        let span = 4..100_004;
        let r = redact(
            &text,
            &[],
            &long_line_elisions(&text, std::slice::from_ref(&span), 240),
        );
        assert!(r.text.len() < 400);
        let m = r.map_range(&span);
        assert!(r.text[m].contains("…["));
    }

    #[test]
    fn unmap_inverts_map_and_newlines_survive() {
        let text = "x eyJhbGciOiJSUzI1NiJ9.eyJzdWIiOiJ4In0.c2lnbmF0dXJl\nBAD";
        let r = redact(
            text,
            &[std::ops::Range {
                start: 2,
                end: text.len() - 3,
            }],
            &[],
        );
        assert_eq!(r.text.matches('\n').count(), 1);
        let bad = text.len() - 3;
        assert_eq!(r.unmap(r.map(bad, false)), bad);
        assert_eq!(r.unmap(3), 2, "inside a placeholder: its start");
    }

    #[test]
    fn secrets_are_widened_to_whole_characters() {
        let r = redact("xéy", &[std::ops::Range { start: 2, end: 3 }], &[]);
        assert!(!r.text.contains('é'));
    }

    #[test]
    fn explicit_secret_ranges_are_replaced() {
        let r = redact(
            "a Atza|secretvalue b",
            &[std::ops::Range { start: 2, end: 18 }],
            &[],
        );
        assert_eq!(r.text, format!("a {} b", placeholder("Atza|secretvalue")));
        assert_eq!(r.map(19, false), r.text.len() - 1);
    }
}
