//! One YAML scalar, decoded from its source with a map back to it: the exact token (quotes
//! included; for a block scalar from the `|`/`>` header to the end of its last line), and the value
//! as a [`Text`] whose segments say which source bytes each value byte came from.
//!
//! YAML 1.2's rules, as granit-parser applies them: plain and quoted scalars fold line breaks
//! (one break is a space, each further empty line a `\n`, blanks around breaks dropped);
//! double-quoted escapes, including an escaped line break; literal `|` and folded `>` block
//! scalars with indentation indicators and chomping (`-` strip, clip, `+` keep). A folded space or
//! a kept `\n` maps to the line break it stands for, an escape to the whole escape sequence.
//!
//! The parser's span of a block scalar starts at its first content character and ends after the
//! next line's indentation; [`decode`] finds the header by scanning forward from the end of the
//! previous event, and drops that indentation. `tests` checks the decoding against the parser's
//! own values.

use crate::source::{Seg, SourceId, Text};
use std::ops::Range;

/// How a scalar is written.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Style {
    Plain,
    Single,
    Double,
    Literal,
    Folded,
}

impl Style {
    /// The style of a granit-parser scalar event.
    pub fn of(s: granit_parser::ScalarStyle) -> Style {
        use granit_parser::ScalarStyle as S;
        match s {
            S::SingleQuoted => Style::Single,
            S::DoubleQuoted => Style::Double,
            S::Literal => Style::Literal,
            S::Folded => Style::Folded,
            _ => Style::Plain,
        }
    }
}

/// A scalar as written and as decoded.
#[derive(Debug)]
pub struct Scalar {
    pub style: Style,
    /// The whole token: quotes included; a block scalar's header to its last line break.
    pub token: Range<usize>,
    /// The decoded value, mapped to the source.
    pub text: Text,
}

fn is_blank(b: u8) -> bool {
    b == b' ' || b == b'\t'
}

fn is_break(b: u8) -> bool {
    b == b'\n' || b == b'\r'
}

/// The length of the line break at `i` (0 when there is none).
fn break_len(s: &[u8], i: usize) -> usize {
    match s.get(i) {
        Some(b'\r') if s.get(i + 1) == Some(&b'\n') => 2,
        Some(b'\r' | b'\n') => 1,
        _ => 0,
    }
}

/// Skips blanks, breaks, comments, the `:`, `-` and `?` indicators and `&anchor` / `!tag`
/// properties forward from `i`: the offset of the first other byte.
fn skip_to_content(s: &[u8], mut i: usize) -> usize {
    loop {
        match s.get(i) {
            Some(&b) if is_blank(b) || is_break(b) => i += 1,
            Some(b'#') => {
                while i < s.len() && !is_break(s[i]) {
                    i += 1;
                }
            }
            Some(b':' | b'-' | b'?')
                if s.get(i + 1).is_none_or(|&b| is_blank(b) || is_break(b)) =>
            {
                i += 1
            }
            Some(b'&' | b'!') => {
                while i < s.len() && !is_blank(s[i]) && !is_break(s[i]) {
                    i += 1;
                }
            }
            _ => return i,
        }
    }
}

/// The value being decoded, with its segments.
struct Out {
    value: Vec<u8>,
    segs: Vec<Seg>,
    /// Whether the last segment is a run of copied bytes (which the next copy may extend).
    copying: bool,
}

impl Out {
    /// Appends the source byte at `i` itself, extending the last segment when it is contiguous.
    fn copy(&mut self, s: &[u8], i: usize) {
        let v = self.value.len();
        self.value.push(s[i]);
        if let Some(last) = self.segs.last_mut() {
            if self.copying && last.val.end == v && last.src.end == i {
                last.val.end += 1;
                last.src.end += 1;
                return;
            }
        }
        self.segs.push(Seg {
            val: v..v + 1,
            src: i..i + 1,
        });
        self.copying = true;
    }

    /// Appends `bytes`, which stand for the source bytes `src` (an escape, a folded break).
    fn put(&mut self, bytes: &[u8], src: Range<usize>) {
        let v = self.value.len();
        self.value.extend_from_slice(bytes);
        self.segs.push(Seg {
            val: v..self.value.len(),
            src,
        });
        self.copying = false;
    }
}

/// Decodes the scalar the parser reported at `start..end` (byte offsets) with `style`;
/// `previous_end` is where the previous event ended, for finding a block scalar's header.
pub fn decode(
    src: &str,
    source: SourceId,
    style: Style,
    start: usize,
    end: usize,
    previous_end: usize,
) -> Result<Scalar, String> {
    let s = src.as_bytes();
    let mut out = Out {
        value: Vec::new(),
        segs: Vec::new(),
        copying: false,
    };
    let token = match style {
        Style::Plain => {
            flow(s, start, end, style, &mut out)?;
            start..end
        }
        Style::Single | Style::Double => {
            if end < start + 2 {
                return Err(format!("a quoted scalar at {start} without its quotes"));
            }
            flow(s, start + 1, end - 1, style, &mut out)?;
            start..end
        }
        Style::Literal | Style::Folded => {
            let h = skip_to_content(s, previous_end.min(start));
            let want = if style == Style::Literal { b'|' } else { b'>' };
            if s.get(h) != Some(&want) {
                return Err(format!("no block scalar header found before {start}"));
            }
            // The parser's end takes in the next line's indentation: drop it.
            let mut e = end.min(s.len());
            let line_start = s[..e]
                .iter()
                .rposition(|&b| is_break(b))
                .map_or(0, |p| p + 1);
            if line_start > h && e != s.len() && s[line_start..e].iter().all(|&b| b == b' ') {
                e = line_start;
            }
            block(s, h, e, start, style, &mut out)?;
            h..e
        }
    };
    let value =
        String::from_utf8(out.value).map_err(|e| format!("decoded bytes are not UTF-8: {e}"))?;
    Ok(Scalar {
        style,
        text: Text {
            value,
            source,
            span: token.clone(),
            segs: out.segs,
            dynamic: Vec::new(),
        },
        token,
    })
}

/// A plain or quoted scalar's content, `lo..hi` (quotes excluded).
fn flow(s: &[u8], lo: usize, hi: usize, style: Style, out: &mut Out) -> Result<(), String> {
    let mut i = lo;
    // Blanks since the last content: dropped when a line break follows.
    let mut blanks: Vec<usize> = Vec::new();
    while i < hi {
        let b = s[i];
        if is_break(b) {
            blanks.clear();
            let first = i..i + break_len(s, i);
            i = first.end;
            let mut empty_lines = Vec::new();
            loop {
                while i < hi && is_blank(s[i]) {
                    i += 1;
                }
                if i < hi && is_break(s[i]) {
                    empty_lines.push(i..i + break_len(s, i));
                    i += break_len(s, i);
                } else {
                    break;
                }
            }
            if empty_lines.is_empty() {
                out.put(b" ", first);
            } else {
                for r in empty_lines {
                    out.put(b"\n", r);
                }
            }
            continue;
        }
        if is_blank(b) {
            blanks.push(i);
            i += 1;
            continue;
        }
        for p in blanks.drain(..) {
            out.copy(s, p);
        }
        match (style, b) {
            (Style::Single, b'\'') => {
                out.put(b"'", i..i + 2);
                i += 2;
            }
            (Style::Double, b'\\') => {
                let at = i;
                let c = *s.get(i + 1).ok_or("an escape at the end of a scalar")?;
                if is_break(c) {
                    // An escaped line break joins the lines; the next line's blanks go, and
                    // empty lines still give a `\n` each.
                    i += 1 + break_len(s, i + 1);
                    loop {
                        while i < hi && is_blank(s[i]) {
                            i += 1;
                        }
                        if i < hi && is_break(s[i]) {
                            out.put(b"\n", i..i + break_len(s, i));
                            i += break_len(s, i);
                        } else {
                            break;
                        }
                    }
                    continue;
                }
                let (ch, len) = escape(s, i, c)?;
                let mut buf = [0u8; 4];
                out.put(ch.encode_utf8(&mut buf).as_bytes(), at..at + len);
                i += len;
            }
            _ => {
                out.copy(s, i);
                i += 1;
            }
        }
    }
    for p in blanks.drain(..) {
        out.copy(s, p);
    }
    Ok(())
}

/// The character a double-quoted escape `\c...` at `i` stands for, and the escape's length.
fn escape(s: &[u8], i: usize, c: u8) -> Result<(char, usize), String> {
    let simple = match c {
        b'0' => '\0',
        b'a' => '\x07',
        b'b' => '\x08',
        b't' | b'\t' => '\t',
        b'n' => '\n',
        b'v' => '\x0b',
        b'f' => '\x0c',
        b'r' => '\r',
        b'e' => '\x1b',
        b' ' => ' ',
        b'"' => '"',
        b'/' => '/',
        b'\\' => '\\',
        b'N' => '\u{85}',
        b'_' => '\u{a0}',
        b'L' => '\u{2028}',
        b'P' => '\u{2029}',
        b'x' | b'u' | b'U' => {
            let n = match c {
                b'x' => 2,
                b'u' => 4,
                _ => 8,
            };
            let hex = s
                .get(i + 2..i + 2 + n)
                .and_then(|h| std::str::from_utf8(h).ok())
                .ok_or("a short escape")?;
            let cp = u32::from_str_radix(hex, 16).map_err(|e| e.to_string())?;
            let ch = char::from_u32(cp).ok_or("an escape that is no character")?;
            return Ok((ch, 2 + n));
        }
        _ => return Err(format!("an unknown escape at {i}")),
    };
    Ok((simple, 2))
}

/// One line of a block scalar: content `lo..hi`, and its line break.
struct Line {
    lo: usize,
    hi: usize,
    brk: Option<Range<usize>>,
    empty: bool,
}

/// A block scalar: header at `h`, token end `e`; `content_start` (where the parser's span
/// starts) gives the indentation when the header states it.
fn block(
    s: &[u8],
    h: usize,
    e: usize,
    content_start: usize,
    style: Style,
    out: &mut Out,
) -> Result<(), String> {
    let mut i = h + 1;
    let mut chomp = b'c';
    while i < s.len() && matches!(s[i], b'+' | b'-' | b'1'..=b'9') {
        if matches!(s[i], b'+' | b'-') {
            chomp = s[i];
        }
        i += 1;
    }
    while i < s.len() && !is_break(s[i]) {
        i += 1; // blanks and a comment
    }
    i += break_len(s, i);
    let explicit = s[h + 1..].iter().take(2).any(u8::is_ascii_digit);
    let indent = if explicit {
        let line = s[..content_start]
            .iter()
            .rposition(|&b| is_break(b))
            .map_or(0, |p| p + 1);
        if content_start >= e || content_start < i || line < i {
            usize::MAX
        } else {
            content_start - line
        }
    } else {
        // The indentation of the first line with a non-space character.
        let mut k = i;
        let mut found = usize::MAX;
        while k < e {
            let ls = k;
            while k < e && s[k] == b' ' {
                k += 1;
            }
            if k < e && !is_break(s[k]) {
                found = k - ls;
                break;
            }
            while k < e && !is_break(s[k]) {
                k += 1;
            }
            k += break_len(s, k).max(1);
        }
        found
    };
    let mut lines = Vec::new();
    while i < e {
        let ls = i;
        let mut j = ls;
        while j < e && !is_break(s[j]) {
            j += 1;
        }
        let brk = (j < e).then(|| j..j + break_len(s, j));
        let empty = j - ls <= indent && s[ls..j].iter().all(|&b| b == b' ');
        lines.push(Line {
            lo: if empty { j } else { ls + indent },
            hi: j,
            brk: brk.clone(),
            empty,
        });
        match brk {
            Some(b) => i = b.end,
            None => break,
        }
    }
    let last = lines.iter().rposition(|l| !l.empty);
    let mut previous_text: Option<bool> = None;
    let mut breaks: Vec<Range<usize>> = Vec::new();
    for (k, l) in lines.iter().enumerate() {
        if last.is_none_or(|last| k > last) {
            break;
        }
        if l.empty {
            breaks.extend(l.brk.clone());
            continue;
        }
        // A line starting with a blank is "more indented": folding keeps its breaks.
        let is_text = !is_blank(s[l.lo]);
        match previous_text {
            None => {
                for b in breaks.drain(..) {
                    out.put(b"\n", b);
                }
            }
            Some(previous) => {
                let first = breaks.remove(0);
                if style == Style::Folded && previous && is_text {
                    if breaks.is_empty() {
                        out.put(b" ", first);
                    }
                } else {
                    out.put(b"\n", first);
                }
                for b in breaks.drain(..) {
                    out.put(b"\n", b);
                }
            }
        }
        for p in l.lo..l.hi {
            out.copy(s, p);
        }
        breaks.extend(l.brk.clone());
        previous_text = Some(is_text);
    }
    // Chomping. Without a final line break the parser still ends a clipped value with `\n`.
    let last_break = |l: &Line| l.brk.clone().unwrap_or(l.hi..l.hi);
    match (chomp, last) {
        (b'-', _) | (b'c', None) => {}
        (b'c', Some(k)) => out.put(b"\n", last_break(&lines[k])),
        (_, Some(k)) => {
            out.put(b"\n", last_break(&lines[k]));
            for l in &lines[k + 1..] {
                if let Some(b) = &l.brk {
                    out.put(b"\n", b.clone());
                }
            }
        }
        (_, None) => {
            for b in lines.iter().filter_map(|l| l.brk.clone()) {
                out.put(b"\n", b);
            }
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use granit_parser::{Event, Parser};

    /// Every scalar of `src` as the parser decodes it and as [`decode`] does, with the value bytes
    /// each source byte stands for checked to lie inside the token.
    fn check_all(src: &str) -> usize {
        let opts = granit_parser::options! { emit_comments: false };
        let mut previous_end = 0;
        let mut n = 0;
        for item in Parser::new_from_str_with_options(src, opts) {
            let Ok((event, span)) = item else { break };
            let r = span.byte_range().expect("byte offsets from a str");
            if let Event::Scalar(value, style, _, _) = &event {
                if r.is_empty() {
                    // An implicit null (`key:`), which the parser gives as `~`.
                    previous_end = r.end;
                    continue;
                }
                let style = Style::of(*style);
                let got = decode(src, 0, style, r.start, r.end, previous_end)
                    .unwrap_or_else(|e| panic!("{e} in {src:?}"));
                assert_eq!(
                    got.text.value,
                    value.as_ref(),
                    "{style:?} scalar in {src:?}"
                );
                let mut val_end = 0;
                for seg in &got.text.segs {
                    assert_eq!(seg.val.start, val_end, "segments cover the value in order");
                    val_end = seg.val.end;
                    assert!(
                        got.token.start <= seg.src.start && seg.src.end <= got.token.end,
                        "{seg:?} outside {:?} in {src:?}",
                        got.token
                    );
                    // A run of more than one byte is copied; one byte may stand for a line break.
                    if seg.val.len() == seg.src.len() && seg.val.len() > 1 {
                        assert_eq!(
                            &got.text.value.as_bytes()[seg.val.clone()],
                            &src.as_bytes()[seg.src.clone()],
                            "an exact segment copies its source"
                        );
                    }
                }
                assert_eq!(val_end, got.text.value.len());
                n += 1;
            }
            previous_end = r.end;
        }
        n
    }

    #[test]
    fn every_style_decodes_like_the_parser() {
        let src = r#"# café ☕ — ünïcödé 🚀
.defaults: &defaults
  image: alpine
job:
  <<: *defaults
  variables:
    GREETING: "héllo 🌍"
  script:
    - >
      echo "folded 🎉 line one"
      && echo two

      && echo after blank
    - |
      literal one
        more indented
      last
    - plain scalar
      continued here
      and here
    - "double \
      joined \t tab \u00e9 \x41 \U0001F600 \" end"
    - 'single ''quoted''
      folded'
    - |-
      strip

    - |+
      keep

    - >2
         two extra
       base
  after: !reference [.setup, script]
"#;
        assert!(check_all(src) >= 14);
    }

    #[test]
    fn block_scalar_edges() {
        for src in [
            "a: |\n  x\n\n\n",
            "a: |\n  x\n  y",
            "a: |\n    x\n  # comment\nb: 1\n",
            "a: |\r\n  x\r\n  y\r\n",
            "a: |\n\n\n  x\n",
            "a: > # a comment é\n  x\n  y\n",
            "--- |\n  x\n---\nb\n",
            "a: |\nb: 1\n",
            "- >\n  one\n\n  two\n   three\n  four\n",
            "- &a !t |2\n    x\n",
        ] {
            check_all(src);
        }
    }

    #[test]
    fn folded_script_maps_each_byte_to_its_line() {
        let src = "script:\n  - >\n    aws sts assume-role-with-web-identity\n    --role-arn x\n";
        let opts = granit_parser::options! { emit_comments: false };
        let mut previous_end = 0;
        for item in Parser::new_from_str_with_options(src, opts) {
            let (event, span) = item.unwrap();
            let r = span.byte_range().unwrap();
            if let Event::Scalar(_, style, _, _) = &event {
                if matches!(style, granit_parser::ScalarStyle::Folded) {
                    let got = decode(src, 0, Style::Folded, r.start, r.end, previous_end).unwrap();
                    let v = &got.text.value;
                    let at = v.find("--role-arn").unwrap();
                    let span = got.text.span_of(at..at + "--role-arn".len());
                    assert_eq!(&src[span.range.clone()], "--role-arn");
                    // The folded space stands for the line break before `--role-arn`.
                    let sp = got.text.span_of(at - 1..at);
                    assert_eq!(&src[sp.range], "\n");
                    return;
                }
            }
            previous_end = r.end;
        }
        panic!("no folded scalar");
    }

    /// One list item of a generated document, written in `style` from `lines` of content.
    fn item(style: u8, lines: &[String], indent: usize) -> String {
        let pad = " ".repeat(indent);
        let indented = || {
            lines
                .iter()
                .map(|l| format!("{pad}{l}"))
                .collect::<Vec<_>>()
                .join("\n")
        };
        match style % 6 {
            0 => format!("- {}\n", lines.join(&format!("\n{pad}"))),
            1 => {
                let quoted: Vec<String> = lines.iter().map(|l| l.replace('\'', "''")).collect();
                format!("- '{}'\n", quoted.join(&format!("\n{pad}")))
            }
            2 => {
                let escaped: Vec<String> = lines
                    .iter()
                    .map(|l| {
                        l.replace('\\', "\\\\")
                            .replace('"', "\\\"")
                            .replace('é', "\\u00e9")
                    })
                    .collect();
                format!("- \"{}\"\n", escaped.join(&format!("\\\n{pad}")))
            }
            3 => format!("- |\n{}\n", indented()),
            4 => format!("- >-\n{}\n", indented()),
            _ => format!("- >+\n{}\n\n", indented()),
        }
    }

    proptest::proptest! {
        #![proptest_config(proptest::prelude::ProptestConfig::with_cases(400))]
        /// Generated scalars of every style, with blank lines, extra indentation, quotes,
        /// backslashes and multi-byte characters, decode to exactly the parser's value and map
        /// inside their token.
        #[test]
        fn generated_scalars_decode_like_the_parser(
            items in proptest::collection::vec(
                (0u8..6, proptest::collection::vec("[a-z$é🚀 '\"\\\\:#-]{0,12}", 1..5)),
                1..6,
            ),
            indent in 2usize..5,
        ) {
            let mut src = String::from("script:\n");
            for (style, lines) in &items {
                // Plain scalars cannot start with an indicator or end with blanks the parser
                // would keep apart; trim and prefix them so most documents are valid.
                let lines: Vec<String> = if style % 6 == 0 {
                    lines.iter().map(|l| format!("x{}", l.trim().replace(": ", ":").replace(" #", "#"))).collect()
                } else {
                    lines.clone()
                };
                src.push_str(&item(*style, &lines, indent));
            }
            check_all(&src);
        }
    }
}
