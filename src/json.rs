//! A JSON parser that keeps the span of every value and key.
//!
//! serde_json forgets positions; stslint needs them to point into request files and into policies.
//! Objects keep their members in order, duplicates included (IAM keeps only one of a duplicated key,
//! and a later rule reports that). Strings are [`Text`]s mapped back through their escapes.

use crate::source::{Seg, SourceId, Text};
use std::ops::Range;

/// How deep arrays and objects may nest. Real requests and policies stay under 10.
pub const MAX_DEPTH: usize = 256;

#[derive(Debug, Clone)]
pub enum Json {
    Null,
    Bool(bool),
    /// The number as written.
    Number(String),
    String(Text),
    Array(Vec<Node>),
    Object(Vec<Member>),
}

#[derive(Debug, Clone)]
pub struct Node {
    pub value: Json,
    pub span: Range<usize>,
}

#[derive(Debug, Clone)]
pub struct Member {
    pub key: Text,
    pub value: Node,
}

impl Node {
    /// The JSON type's name, as the AWS CLI's errors and our messages use it.
    pub fn type_name(&self) -> &'static str {
        match self.value {
            Json::Null => "null",
            Json::Bool(_) => "boolean",
            Json::Number(_) => "number",
            Json::String(_) => "string",
            Json::Array(_) => "array",
            Json::Object(_) => "object",
        }
    }
    pub fn as_str(&self) -> Option<&Text> {
        match &self.value {
            Json::String(t) => Some(t),
            _ => None,
        }
    }
    pub fn members(&self) -> Option<&[Member]> {
        match &self.value {
            Json::Object(m) => Some(m),
            _ => None,
        }
    }
}

/// A syntax error at a byte range of the parsed text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct JsonError {
    pub message: String,
    pub range: Range<usize>,
}

/// Parses one JSON document; `source` and `base` say where `text` sits, for the [`Text`]s of strings.
pub fn parse(text: &str, source: SourceId, base: usize) -> Result<Node, JsonError> {
    let mut p = Parser {
        s: text.as_bytes(),
        text,
        pos: 0,
        source,
        base,
        depth: 0,
    };
    p.ws();
    // A UTF-8 byte-order mark is not JSON; say so rather than "expected value".
    if text.starts_with('\u{feff}') {
        return Err(p.err(0..3, "byte-order mark (U+FEFF) before the JSON document"));
    }
    let node = p.value()?;
    p.ws();
    if p.pos < p.s.len() {
        return Err(p.err(
            p.pos..p.pos + 1,
            "trailing characters after the JSON document",
        ));
    }
    Ok(node)
}

/// Parses JSON written inside another value (a shell word, a `file://` target, a JSON string):
/// every span, of nodes, strings and the error, is mapped through `outer` to its source.
pub fn parse_in(outer: &Text) -> Result<Node, JsonError> {
    if let Some(base) = outer.identity_base() {
        return match parse(&outer.value, outer.source, base) {
            Ok(mut node) => {
                shift(&mut node, base);
                Ok(node)
            }
            Err(e) => Err(JsonError {
                range: e.range.start + base..e.range.end + base,
                ..e
            }),
        };
    }
    match parse(&outer.value, outer.source, 0) {
        Ok(mut node) => {
            remap(&mut node, outer);
            Ok(node)
        }
        Err(e) => Err(JsonError {
            range: outer.span_of(e.range.clone()).range,
            ..e
        }),
    }
}

/// Moves node spans by `base` (strings already carry source positions).
fn shift(node: &mut Node, base: usize) {
    node.span = node.span.start + base..node.span.end + base;
    match &mut node.value {
        Json::Array(items) => items.iter_mut().for_each(|i| shift(i, base)),
        Json::Object(members) => members.iter_mut().for_each(|m| shift(&mut m.value, base)),
        _ => {}
    }
}

/// Moves a tree parsed from `outer.value` to source coordinates (depth is bounded by [`MAX_DEPTH`]).
fn remap(node: &mut Node, outer: &Text) {
    node.span = outer.span_of(node.span.clone()).range;
    match &mut node.value {
        Json::String(t) => *t = outer.within(t),
        Json::Array(items) => items.iter_mut().for_each(|i| remap(i, outer)),
        Json::Object(members) => {
            for m in members {
                m.key = outer.within(&m.key);
                remap(&mut m.value, outer);
            }
        }
        _ => {}
    }
}

struct Parser<'a> {
    s: &'a [u8],
    text: &'a str,
    pos: usize,
    source: SourceId,
    base: usize,
    depth: usize,
}

impl<'a> Parser<'a> {
    fn err(&self, range: Range<usize>, message: &str) -> JsonError {
        let end = range
            .end
            .min(self.s.len())
            .max(range.start.min(self.s.len()));
        let start = range.start.min(self.s.len());
        // Widen to a whole character so spans stay on character boundaries.
        let mut end = end.max(start);
        while end < self.s.len() && !self.text.is_char_boundary(end) {
            end += 1;
        }
        JsonError {
            message: message.to_string(),
            range: start..end,
        }
    }

    fn ws(&mut self) {
        while self.pos < self.s.len() && matches!(self.s[self.pos], b' ' | b'\t' | b'\n' | b'\r') {
            self.pos += 1;
        }
    }

    fn here(&self) -> Range<usize> {
        self.pos..self.pos + 1
    }

    fn value(&mut self) -> Result<Node, JsonError> {
        let start = self.pos;
        let Some(&c) = self.s.get(self.pos) else {
            return Err(self.err(
                self.pos..self.pos,
                "expected a JSON value, found the end of the input",
            ));
        };
        let value = match c {
            b'{' => self.object()?,
            b'[' => self.array()?,
            b'"' => Json::String(self.string()?),
            b't' => self.literal("true", Json::Bool(true))?,
            b'f' => self.literal("false", Json::Bool(false))?,
            b'n' => self.literal("null", Json::Null)?,
            b'-' | b'0'..=b'9' => self.number()?,
            b'\'' => {
                return Err(self.err(
                    self.here(),
                    "JSON strings use double quotes, not single quotes",
                ))
            }
            _ => return Err(self.err(self.here(), "expected a JSON value")),
        };
        Ok(Node {
            value,
            span: start..self.pos,
        })
    }

    fn literal(&mut self, word: &str, value: Json) -> Result<Json, JsonError> {
        if self.s[self.pos..].starts_with(word.as_bytes()) {
            self.pos += word.len();
            Ok(value)
        } else {
            Err(self.err(self.here(), "expected a JSON value"))
        }
    }

    fn number(&mut self) -> Result<Json, JsonError> {
        let start = self.pos;
        let digits = |p: &mut Parser| {
            let s = p.pos;
            while p.pos < p.s.len() && p.s[p.pos].is_ascii_digit() {
                p.pos += 1;
            }
            p.pos - s
        };
        if self.s[self.pos] == b'-' {
            self.pos += 1;
        }
        let int_start = self.pos;
        if digits(self) == 0 {
            return Err(self.err(start..self.pos + 1, "invalid number"));
        }
        if self.s[int_start] == b'0' && self.pos - int_start > 1 {
            return Err(self.err(
                start..self.pos,
                "invalid number: leading zeros are not allowed",
            ));
        }
        if self.s.get(self.pos) == Some(&b'.') {
            self.pos += 1;
            if digits(self) == 0 {
                return Err(self.err(start..self.pos + 1, "invalid number"));
            }
        }
        if matches!(self.s.get(self.pos), Some(b'e' | b'E')) {
            self.pos += 1;
            if matches!(self.s.get(self.pos), Some(b'+' | b'-')) {
                self.pos += 1;
            }
            if digits(self) == 0 {
                return Err(self.err(start..self.pos + 1, "invalid number"));
            }
        }
        Ok(Json::Number(self.text[start..self.pos].to_string()))
    }

    fn string(&mut self) -> Result<Text, JsonError> {
        let open = self.pos;
        self.pos += 1;
        let mut value = String::new();
        let mut segs: Vec<Seg> = Vec::new();
        let mut run_start = self.pos;
        let flush = |value: &mut String,
                     segs: &mut Vec<Seg>,
                     text: &str,
                     from: usize,
                     to: usize,
                     base: usize| {
            if to > from {
                let v = value.len();
                value.push_str(&text[from..to]);
                segs.push(Seg {
                    val: v..value.len(),
                    src: base + from..base + to,
                });
            }
        };
        loop {
            let Some(&c) = self.s.get(self.pos) else {
                return Err(self.err(open..open + 1, "unterminated string"));
            };
            match c {
                b'"' => {
                    flush(
                        &mut value, &mut segs, self.text, run_start, self.pos, self.base,
                    );
                    self.pos += 1;
                    return Ok(Text {
                        value,
                        source: self.source,
                        span: self.base + open..self.base + self.pos,
                        segs,
                        dynamic: Vec::new(),
                    });
                }
                b'\\' => {
                    flush(
                        &mut value, &mut segs, self.text, run_start, self.pos, self.base,
                    );
                    let esc = self.pos;
                    let ch = match self.s.get(self.pos + 1) {
                        Some(b'"') => '"',
                        Some(b'\\') => '\\',
                        Some(b'/') => '/',
                        Some(b'b') => '\u{8}',
                        Some(b'f') => '\u{c}',
                        Some(b'n') => '\n',
                        Some(b'r') => '\r',
                        Some(b't') => '\t',
                        Some(b'u') => {
                            let hex = |p: usize| {
                                self.text
                                    .get(p..p + 4)
                                    .filter(|h| h.bytes().all(|b| b.is_ascii_hexdigit()))
                                    .and_then(|h| u32::from_str_radix(h, 16).ok())
                            };
                            let Some(hi) = hex(self.pos + 2) else {
                                return Err(self.err(
                                    esc..(esc + 6).min(self.s.len()),
                                    "invalid \\u escape: expected four hex digits",
                                ));
                            };
                            self.pos += 6;
                            if (0xD800..0xDC00).contains(&hi) {
                                let lo = if self.s[self.pos..].starts_with(b"\\u") {
                                    hex(self.pos + 2)
                                } else {
                                    None
                                };
                                match lo {
                                    Some(lo) if (0xDC00..0xE000).contains(&lo) => {
                                        self.pos += 6;
                                        char::from_u32(
                                            0x10000 + ((hi - 0xD800) << 10) + (lo - 0xDC00),
                                        )
                                        .unwrap_or('\u{fffd}')
                                    }
                                    _ => {
                                        return Err(
                                            self.err(esc..self.pos, "lone surrogate in \\u escape")
                                        )
                                    }
                                }
                            } else if (0xDC00..0xE000).contains(&hi) {
                                return Err(self.err(esc..self.pos, "lone surrogate in \\u escape"));
                            } else {
                                char::from_u32(hi).unwrap_or('\u{fffd}')
                            }
                        }
                        _ => {
                            return Err(self
                                .err(esc..(esc + 2).min(self.s.len()), "invalid escape in string"))
                        }
                    };
                    if self.pos == esc {
                        self.pos += 2;
                    }
                    let v = value.len();
                    value.push(ch);
                    segs.push(Seg {
                        val: v..value.len(),
                        src: self.base + esc..self.base + self.pos,
                    });
                    run_start = self.pos;
                }
                0x00..=0x1F => {
                    return Err(self.err(
                        self.here(),
                        "control character in string: write it as an escape such as \\n or \\t",
                    ));
                }
                _ => self.pos += 1,
            }
        }
    }

    fn enter(&mut self) -> Result<(), JsonError> {
        self.depth += 1;
        if self.depth > MAX_DEPTH {
            return Err(self.err(
                self.here(),
                &format!("JSON nested more than {MAX_DEPTH} levels deep"),
            ));
        }
        Ok(())
    }

    fn array(&mut self) -> Result<Json, JsonError> {
        self.enter()?;
        self.pos += 1;
        let mut items = Vec::new();
        self.ws();
        if self.s.get(self.pos) == Some(&b']') {
            self.pos += 1;
            self.depth -= 1;
            return Ok(Json::Array(items));
        }
        loop {
            self.ws();
            if self.s.get(self.pos) == Some(&b']') {
                return Err(self.err(self.here(), "trailing comma before `]`"));
            }
            items.push(self.value()?);
            self.ws();
            match self.s.get(self.pos) {
                Some(b',') => self.pos += 1,
                Some(b']') => {
                    self.pos += 1;
                    self.depth -= 1;
                    return Ok(Json::Array(items));
                }
                None => {
                    return Err(self.err(
                        self.pos..self.pos,
                        "unterminated array: expected `,` or `]`",
                    ))
                }
                _ => return Err(self.err(self.here(), "expected `,` or `]`")),
            }
        }
    }

    fn object(&mut self) -> Result<Json, JsonError> {
        self.enter()?;
        self.pos += 1;
        let mut members = Vec::new();
        self.ws();
        if self.s.get(self.pos) == Some(&b'}') {
            self.pos += 1;
            self.depth -= 1;
            return Ok(Json::Object(members));
        }
        loop {
            self.ws();
            match self.s.get(self.pos) {
                Some(b'"') => {}
                Some(b'}') => return Err(self.err(self.here(), "trailing comma before `}`")),
                None => {
                    return Err(self.err(self.pos..self.pos, "unterminated object: expected a key"))
                }
                _ => return Err(self.err(self.here(), "expected a key in double quotes")),
            }
            let key = self.string()?;
            self.ws();
            if self.s.get(self.pos) != Some(&b':') {
                return Err(self.err(self.here(), "expected `:` after the key"));
            }
            self.pos += 1;
            self.ws();
            let value = self.value()?;
            members.push(Member { key, value });
            self.ws();
            match self.s.get(self.pos) {
                Some(b',') => self.pos += 1,
                Some(b'}') => {
                    self.pos += 1;
                    self.depth -= 1;
                    return Ok(Json::Object(members));
                }
                None => {
                    return Err(self.err(
                        self.pos..self.pos,
                        "unterminated object: expected `,` or `}`",
                    ))
                }
                _ => return Err(self.err(self.here(), "expected `,` or `}`")),
            }
        }
    }
}

/// Every string value in a tree (keys not included), in document order.
pub fn strings_anywhere(node: &Node) -> Vec<&Text> {
    let mut out = Vec::new();
    fn walk<'a>(n: &'a Node, out: &mut Vec<&'a Text>) {
        match &n.value {
            Json::String(t) => out.push(t),
            Json::Array(items) => items.iter().for_each(|i| walk(i, out)),
            Json::Object(members) => members.iter().for_each(|m| walk(&m.value, out)),
            _ => {}
        }
    }
    walk(node, &mut out);
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_with_spans() {
        let src = r#"{"a": [1, "x\"y"], "a": null}"#;
        let n = parse(src, 0, 0).unwrap();
        let m = n.members().unwrap();
        assert_eq!(m.len(), 2, "duplicate keys are kept");
        assert_eq!(&src[m[0].value.span.clone()], r#"[1, "x\"y"]"#);
        let Json::Array(items) = &m[0].value.value else {
            panic!()
        };
        let s = items[1].as_str().unwrap();
        assert_eq!(s.value, "x\"y");
        assert_eq!(&src[s.span_of(2..3).range.clone()], "y");
    }

    #[test]
    fn errors_point_at_the_problem() {
        let e = parse(r#"{"a": 1,}"#, 0, 0).unwrap_err();
        assert_eq!(e.range, 8..9);
        let e = parse(r#"{"a" 1}"#, 0, 0).unwrap_err();
        assert_eq!(e.message, "expected `:` after the key");
        assert!(parse("[1] x", 0, 0).is_err());
        assert!(parse("\"\\ud800\"", 0, 0).is_err());
        assert_eq!(
            parse("\"\\u00e9\\ud83d\\ude00\"", 0, 0)
                .unwrap()
                .as_str()
                .unwrap()
                .value,
            "é😀"
        );
        assert!(parse("01", 0, 0).is_err());
        assert!(parse("'a'", 0, 0).is_err());
    }

    #[test]
    fn deep_nesting_is_an_error_not_a_crash() {
        let deep = "[".repeat(100_000);
        let e = parse(&deep, 0, 0).unwrap_err();
        assert!(e.message.contains("nested"));
    }
}
