//! `$'...'` strings: bash's C-style escapes, each value byte mapped to the escape it came from.

use super::{Lexer, WordBuf};

impl Lexer<'_> {
    pub(super) fn ansi_c_quoted(&mut self, w: &mut WordBuf) {
        let open = self.pos;
        self.pos += 2;
        loop {
            let Some(c) = self.peek(0) else {
                self.error(
                    open..open + 2,
                    "unterminated `$'` string",
                    "this quote is never closed",
                    "close the string with a `'`",
                );
                return;
            };
            match c {
                b'\'' => {
                    self.pos += 1;
                    return;
                }
                b'\\' if self.peek(1).is_some() => {
                    let n = self.peek(1).unwrap_or(b'\\');
                    let out: Option<u8> = match n {
                        b'n' => Some(b'\n'),
                        b't' => Some(b'\t'),
                        b'r' => Some(b'\r'),
                        b'a' => Some(7),
                        b'b' => Some(8),
                        b'e' | b'E' => Some(27),
                        b'f' => Some(12),
                        b'v' => Some(11),
                        b'\\' | b'\'' | b'"' | b'?' => Some(n),
                        _ => None,
                    };
                    if out.is_none() {
                        if let Some((ch, len)) = self.numeric_escape() {
                            let mut buf = [0u8; 4];
                            w.push(
                                ch.encode_utf8(&mut buf).as_bytes(),
                                self.pos..self.pos + len,
                            );
                            self.pos += len;
                            continue;
                        }
                    }
                    match out {
                        Some(b) => {
                            w.push(&[b], self.pos..self.pos + 2);
                            self.pos += 2;
                        }
                        None => {
                            w.push(b"\\", self.pos..self.pos + 1);
                            self.pos += 1;
                        }
                    }
                }
                _ => {
                    w.push(&[c], self.pos..self.pos + 1);
                    self.pos += 1;
                }
            }
        }
    }

    /// In `$'...'` at a backslash: `\xHH`, `\uHHHH`, `\UHHHHHHHH` or octal `\NNN`, as bash reads them.
    fn numeric_escape(&self) -> Option<(char, usize)> {
        let (radix, max, skip) = match self.peek(1)? {
            b'x' => (16, 2, 2),
            b'u' => (16, 4, 2),
            b'U' => (16, 8, 2),
            b'0'..=b'7' => (8, 3, 1),
            _ => return None,
        };
        let start = self.pos + skip;
        let digits = self.s[start..self.end]
            .iter()
            .take(max)
            .take_while(|b| (**b as char).is_digit(radix))
            .count();
        if digits == 0 {
            return None;
        }
        let text = std::str::from_utf8(&self.s[start..start + digits]).ok()?;
        let n = u32::from_str_radix(text, radix).ok()?;
        // `\xHH` and octal give a byte; a byte of 0x80 or more is not valid UTF-8 alone, so keep it as U+FFFD.
        let ch = if radix == 8 || self.peek(1) == Some(b'x') {
            if n < 0x80 {
                char::from(n as u8)
            } else {
                '\u{fffd}'
            }
        } else {
            char::from_u32(n)?
        };
        Some((ch, skip + digits))
    }
}
