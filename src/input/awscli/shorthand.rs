//! The AWS CLI's shorthand syntax (`arn=ARN`), ported from `awscli/shorthand.py` (awscli 1.46).
//!
//! `--policy-arns` takes a list of structures; each shell word that does not start with `[` or `{`
//! is parsed by the CLI's `ShorthandParser`. This is a faithful port of its grammar, including the
//! corners users hit: a bare ARN is a *key* (its characters are all key characters), so it fails with
//! `Expected: '=', received: 'EOF'`; `arn=A,arn=B` fails with `Second instance of key "arn"`.
//! Values keep their spans so diagnostics point at the offending part of the word.

use crate::source::{Seg, Text};

/// A parsed shorthand value.
#[derive(Debug, Clone)]
pub enum Sh {
    Str(Text),
    List(Vec<Sh>),
    Map(Vec<(Text, Sh)>),
}

/// A parse failure, with the CLI's own message and the byte offset in the word.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ShError {
    pub message: String,
    pub at: usize,
}

/// Parses one word. `Ok` holds the top-level `key=value` pairs in order.
pub fn parse(word: &Text) -> Result<Vec<(Text, Sh)>, ShError> {
    let mut p = P {
        t: word,
        s: &word.value,
        i: 0,
        depth: 0,
    };
    p.parameter()
}

/// Python's `str.isspace` (what `\s` matches in a Unicode regex).
fn py_space(c: char) -> bool {
    c.is_whitespace() || ('\u{1c}'..='\u{1f}').contains(&c)
}

fn start_word(c: char) -> bool {
    matches!(c, '!' | '#'..='&' | '('..='+' | '-'..='<' | '>'..='Z' | '\\'..='z' | '|'..='\u{ffff}')
}
fn first_follow(c: char) -> bool {
    py_space(c)
        || matches!(c, '!' | '#'..='&' | '('..='+' | '-'..='\\' | '^'..='|' | '~'..='\u{ffff}')
}
fn second_follow(c: char) -> bool {
    py_space(c) || matches!(c, '!' | '#'..='&' | '('..='+' | '-'..='<' | '>'..='\u{ffff}')
}

struct P<'a> {
    t: &'a Text,
    s: &'a str,
    i: usize,
    /// Lists and hashes open at the cursor.
    depth: usize,
}

/// How deep `[` and `{` may nest. The AWS CLI's recursive parser fails with Python's
/// RecursionError past 496 levels of `[` (awscli 1.46.3); a PolicyArns value needs one, and
/// stslint stops here, long before its own stack would overflow.
const MAX_DEPTH: usize = 100;

impl<'a> P<'a> {
    fn cur(&self) -> Option<char> {
        self.s[self.i..].chars().next()
    }
    fn eof(&self) -> bool {
        self.i >= self.s.len()
    }
    fn syntax(&self, expected: &str, actual: Option<&str>) -> ShError {
        let actual = actual
            .map(str::to_string)
            .unwrap_or_else(|| match self.cur() {
                Some(c) => c.to_string(),
                None => "EOF".into(),
            });
        ShError {
            message: format!("Expected: '{expected}', received: '{actual}'"),
            at: self.i,
        }
    }
    fn ws(&mut self) {
        while let Some(c) = self.cur() {
            if matches!(c, ' ' | '\t' | '\n' | '\r' | '\u{b}' | '\u{c}') {
                self.i += 1;
            } else {
                break;
            }
        }
    }
    fn expect(&mut self, ch: char, consume_ws: bool) -> Result<(), ShError> {
        if consume_ws {
            self.ws();
        }
        if self.cur() != Some(ch) {
            return Err(self.syntax(&ch.to_string(), None));
        }
        self.i += 1;
        if consume_ws {
            self.ws();
        }
        Ok(())
    }

    fn parameter(&mut self) -> Result<Vec<(Text, Sh)>, ShError> {
        let mut params: Vec<(Text, Sh)> = Vec::new();
        params.push(self.keyval()?);
        let mut last = self.i;
        while !self.eof() {
            self.expect(',', true)?;
            let (k, v) = self.keyval()?;
            if params.iter().any(|(pk, _)| pk.value == k.value) {
                return Err(ShError {
                    message: format!("Second instance of key \"{}\" encountered (this is often because there is a preceding \",\" instead of a space)", k.value),
                    at: last + 1,
                });
            }
            params.push((k, v));
            last = self.i;
        }
        Ok(params)
    }

    fn keyval(&mut self) -> Result<(Text, Sh), ShError> {
        let key = self.key();
        // `key@=file://...` loads the value from a file; stslint reads the `@` and takes the value as written.
        self.ws();
        if self.cur() == Some('@') {
            self.i += 1;
        }
        self.expect('=', true)?;
        let v = self.values()?;
        Ok((key, v))
    }

    fn key(&mut self) -> Text {
        let start = self.i;
        while let Some(c) = self.cur() {
            if c.is_ascii_alphanumeric() || "-_.#/:".contains(c) {
                self.i += 1;
            } else {
                break;
            }
        }
        self.t.slice(start..self.i)
    }

    fn values(&mut self) -> Result<Sh, ShError> {
        match self.cur() {
            None => Ok(Sh::Str(self.t.slice(self.i..self.i))),
            Some('[' | '{') => self.nested(),
            _ => self.csv_value(),
        }
    }

    /// A list or hash at the cursor, at most [`MAX_DEPTH`] deep.
    fn nested(&mut self) -> Result<Sh, ShError> {
        if self.depth >= MAX_DEPTH {
            return Err(ShError {
                message: format!("`[` and `{{` nested more than {MAX_DEPTH} levels deep, which no PolicyArns value needs (a list of `arn=ARN` entries is one level); stslint reads no further, and the AWS CLI's parser fails with RecursionError at about 500 levels"),
                at: self.i,
            });
        }
        self.depth += 1;
        let v = if self.cur() == Some('[') {
            self.explicit_list()
        } else {
            self.hash_literal()
        };
        self.depth -= 1;
        v
    }

    /// Matches `(\\,|[first])(\\,|[follow])*` at the cursor; returns the consumed range.
    fn word_regex(&mut self, follow: fn(char) -> bool) -> Option<(usize, usize)> {
        let start = self.i;
        let mut first = true;
        loop {
            if self.s[self.i..].starts_with("\\,") {
                self.i += 2;
            } else if let Some(c) = self
                .cur()
                .filter(|&c| if first { start_word(c) } else { follow(c) })
            {
                self.i += c.len_utf8();
            } else {
                break;
            }
            first = false;
        }
        (self.i > start).then_some((start, self.i))
    }

    /// The value of a matched word: `\,` becomes `,`, trailing whitespace is dropped.
    fn processed(&self, start: usize, end: usize) -> Sh {
        let raw = &self.s[start..end];
        let trimmed_end = start + raw.trim_end_matches(py_space).len();
        if !raw.contains("\\,") {
            return Sh::Str(self.t.slice(start..trimmed_end));
        }
        let value = self.s[start..trimmed_end].replace("\\,", ",");
        Sh::Str(self.rebuilt(value, start..trimmed_end))
    }

    /// A value that is not a plain slice of the word: map all of it to the written range.
    fn rebuilt(&self, value: String, range: std::ops::Range<usize>) -> Text {
        let span = self.t.span_of(range);
        Text {
            segs: vec![Seg {
                val: 0..value.len(),
                src: span.range.clone(),
            }],
            value,
            source: self.t.source,
            span: span.range,
            dynamic: Vec::new(),
        }
    }

    fn first_value(&mut self) -> Result<Sh, ShError> {
        match self.cur() {
            Some('\'') => self.quoted('\''),
            Some('"') => self.quoted('"'),
            _ => Ok(match self.word_regex(first_follow) {
                Some((a, b)) => self.processed(a, b),
                None => Sh::Str(self.t.slice(self.i..self.i)),
            }),
        }
    }

    fn second_value(&mut self) -> Result<Sh, ShError> {
        match self.cur() {
            Some('\'') => self.quoted('\''),
            Some('"') => self.quoted('"'),
            _ => match self.word_regex(second_follow) {
                Some((a, b)) => Ok(self.processed(a, b)),
                None => Err(self.syntax("<second>", Some("<none>"))),
            },
        }
    }

    /// `'(?:\\'|[^'])*'` (likewise for `"`), with the regex engine's backtracking.
    fn quoted(&mut self, q: char) -> Result<Sh, ShError> {
        let start = self.i;
        let b = self.s.as_bytes();
        let qb = q as u8;
        let mut j = start + 1;
        let mut last_escaped_quote = None;
        let mut end = None;
        while j < b.len() {
            if b[j] == b'\\' && b.get(j + 1) == Some(&qb) {
                last_escaped_quote = Some(j + 1);
                j += 2;
            } else if b[j] == qb {
                end = Some(j + 1);
                break;
            } else {
                j += 1;
            }
        }
        let Some(end) = end.or(last_escaped_quote.map(|k| k + 1)) else {
            let name = if q == '\'' {
                "singled quoted"
            } else {
                "double quoted"
            };
            return Err(self.syntax(&format!("<{name}>"), Some("<none>")));
        };
        self.i = end;
        let inner = &self.s[start + 1..end - 1];
        let value = inner
            .replace(&format!("\\{q}"), &q.to_string())
            .replace("\\\\", "\\");
        if value == inner {
            return Ok(Sh::Str(self.t.slice(start + 1..end - 1)));
        }
        Ok(Sh::Str(self.rebuilt(value, start..end)))
    }

    fn csv_value(&mut self) -> Result<Sh, ShError> {
        let first = self.first_value()?;
        self.ws();
        if self.eof() || self.cur() != Some(',') {
            return Ok(first);
        }
        self.expect(',', true)?;
        let mut list = vec![first.clone()];
        loop {
            let step = self.second_value().and_then(|v| {
                self.ws();
                if self.eof() {
                    return Ok((v, true));
                }
                self.expect(',', true).map(|_| (v, false))
            });
            match step {
                Ok((v, done)) => {
                    list.push(v);
                    if done {
                        break;
                    }
                }
                Err(e) => {
                    if self.eof() {
                        return Err(e);
                    }
                    self.backtrack_to_comma();
                    break;
                }
            }
        }
        if list.len() == 1 {
            return Ok(first);
        }
        Ok(Sh::List(list))
    }

    fn backtrack_to_comma(&mut self) {
        let b = self.s.as_bytes();
        let mut k = self.i.min(b.len().saturating_sub(1));
        while b.get(k) != Some(&b',') {
            if k == 0 {
                self.i = 0;
                return;
            }
            k -= 1;
        }
        self.i = k;
    }

    fn explicit_list(&mut self) -> Result<Sh, ShError> {
        self.expect('[', true)?;
        let mut values = Vec::new();
        while self.cur() != Some(']') {
            if self.eof() {
                return Err(self.syntax("]", None));
            }
            values.push(self.explicit_values()?);
            self.ws();
            if self.cur() != Some(']') {
                self.expect(',', false)?;
                self.ws();
            }
        }
        self.expect(']', false)?;
        Ok(Sh::List(values))
    }

    fn explicit_values(&mut self) -> Result<Sh, ShError> {
        match self.cur() {
            Some('[' | '{') => self.nested(),
            _ => self.first_value(),
        }
    }

    fn hash_literal(&mut self) -> Result<Sh, ShError> {
        self.expect('{', true)?;
        let mut kv = Vec::new();
        while self.cur() != Some('}') {
            if self.eof() {
                return Err(self.syntax("=", None));
            }
            let key = self.key();
            self.ws();
            if self.cur() == Some('@') {
                self.i += 1;
            }
            self.expect('=', true)?;
            let v = self.explicit_values()?;
            self.ws();
            if self.cur() != Some('}') {
                self.expect(',', false)?;
                self.ws();
            }
            kv.push((key, v));
        }
        self.expect('}', false)?;
        Ok(Sh::Map(kv))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse_str(s: &str) -> Result<Vec<(Text, Sh)>, ShError> {
        parse(&Text::verbatim(s, 0, 0))
    }

    #[test]
    fn nesting_is_bounded_instead_of_exhausting_the_stack() {
        let deep =
            |n: usize, open: &str, close: &str| format!("a={}{}", open.repeat(n), close.repeat(n));
        let ok = parse_str(&deep(MAX_DEPTH, "[", "]"));
        assert!(ok.is_ok(), "{ok:?}");
        let ok = parse_str(&format!(
            "a={}x{}",
            "{a=".repeat(MAX_DEPTH),
            "}".repeat(MAX_DEPTH)
        ));
        assert!(ok.is_ok(), "{ok:?}");
        for (s, unit) in [
            (deep(MAX_DEPTH + 1, "[", "]"), 1),
            (deep(100_000, "[", ""), 1),
            (deep(100_000, "{a=", ""), 3),
        ] {
            let e = parse_str(&s).unwrap_err();
            assert!(
                e.message.contains("nested more than 100 levels"),
                "{}",
                e.message
            );
            assert_eq!(
                e.at,
                2 + MAX_DEPTH * unit,
                "points at the first `[` or `{{` too deep"
            );
        }
    }
}
