//! Source texts the user wrote, and positions in them.
//!
//! Every value stslint checks keeps where it came from: a [`Span`] is a byte range in one
//! [`SourceFile`] (a shell script, a JSON request, a `file://` target, or the synthetic text of an
//! argv invocation). A [`Text`] is a value as the AWS CLI would send it, together with the map from
//! its bytes back to the source bytes they were written as (quotes and escapes make the two differ).

use std::ops::Range;
use std::sync::Arc;

/// Index of a file in [`Sources`].
pub type SourceId = usize;

/// One text the user wrote.
#[derive(Clone)]
pub struct SourceFile {
    /// The name shown to the user: a path as given, or `<stdin>` / `<argv>`.
    pub name: String,
    pub text: Arc<str>,
    /// Byte offset of the start of each line.
    line_starts: Vec<usize>,
    /// (byte offset, characters before it) about every [`CHECKPOINT`] bytes: a column is counted
    /// from the nearest one, so many findings on one long line do not each count the whole line.
    checkpoints: Vec<(usize, usize)>,
}

/// Bytes between character-count checkpoints.
const CHECKPOINT: usize = 4096;

// Debug output never shows the user's text: it may hold a token (see crate::redact).
impl std::fmt::Debug for SourceFile {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("SourceFile")
            .field("name", &self.name)
            .field("text", &crate::redact::debug_fingerprint(&self.text))
            .field("lines", &self.line_starts.len())
            .finish()
    }
}

impl SourceFile {
    pub fn new(name: impl Into<String>, text: impl Into<Arc<str>>) -> Self {
        let text: Arc<str> = text.into();
        let mut line_starts = vec![0];
        line_starts.extend(
            text.bytes()
                .enumerate()
                .filter(|(_, b)| *b == b'\n')
                .map(|(i, _)| i + 1),
        );
        let mut checkpoints = vec![(0, 0)];
        let mut at = 0;
        while at + CHECKPOINT < text.len() {
            let mut next = at + CHECKPOINT;
            while !text.is_char_boundary(next) {
                next += 1;
            }
            let chars = checkpoints.last().map_or(0, |c| c.1) + text[at..next].chars().count();
            checkpoints.push((next, chars));
            at = next;
        }
        SourceFile {
            name: name.into(),
            text,
            line_starts,
            checkpoints,
        }
    }

    /// How many characters come before byte `offset` (a character boundary, or a byte inside
    /// one, which counts as that character).
    fn chars_before(&self, offset: usize) -> usize {
        let i = self.checkpoints.partition_point(|c| c.0 <= offset) - 1;
        let (at, chars) = self.checkpoints[i];
        let end = (at..=offset)
            .rev()
            .find(|&e| self.text.is_char_boundary(e))
            .unwrap_or(at);
        chars + self.text[at..end].chars().count()
    }

    /// 1-based line and column (in characters) of a byte offset.
    pub fn line_col(&self, offset: usize) -> (usize, usize) {
        let offset = offset.min(self.text.len());
        let line = self.line_starts.partition_point(|&s| s <= offset) - 1;
        let start = self.line_starts[line];
        let col = if self.text.is_char_boundary(offset) {
            self.chars_before(offset) - self.chars_before(start)
        } else {
            offset - start
        };
        (line + 1, col + 1)
    }
}

/// All the texts of one run.
#[derive(Debug, Default, Clone)]
pub struct Sources {
    files: std::collections::BTreeMap<SourceId, SourceFile>,
    /// Shared by forks, so sources added in parallel get distinct ids.
    next: Arc<std::sync::atomic::AtomicUsize>,
}
impl Sources {
    pub fn add(&mut self, file: SourceFile) -> SourceId {
        let id = self.next.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
        self.files.insert(id, file);
        id
    }
    /// The names of every source, in the order they were added.
    pub fn iter_names(&self) -> impl Iterator<Item = &str> {
        self.files.values().map(|f| f.name.as_str())
    }
    pub fn get(&self, id: SourceId) -> &SourceFile {
        &self.files[&id]
    }
    pub fn len(&self) -> usize {
        self.files.len()
    }
    pub fn is_empty(&self) -> bool {
        self.files.is_empty()
    }
    /// An empty set of sources whose ids never collide with this one's (for parallel work).
    pub fn fork(&self) -> Sources {
        Sources {
            files: Default::default(),
            next: self.next.clone(),
        }
    }
    /// The id of the last source added, if any.
    pub fn last_id(&self) -> Option<SourceId> {
        self.files.keys().next_back().copied()
    }
    /// Moves the sources added after `base` into a new set (which also gets a copy of the others),
    /// leaving only those up to `base` here.
    pub fn split_off_after(&mut self, base: Option<SourceId>) -> Sources {
        let newer = match base {
            Some(b) => self.files.split_off(&(b + 1)),
            None => std::mem::take(&mut self.files),
        };
        let mut files = self.files.clone();
        files.extend(newer);
        Sources {
            files,
            next: self.next.clone(),
        }
    }
    /// Takes in the sources of a fork.
    pub fn absorb(&mut self, other: Sources) {
        self.files.extend(other.files);
    }
}

/// A byte range in one source.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct Span {
    pub source: SourceId,
    pub range: Range<usize>,
}

impl Span {
    pub fn new(source: SourceId, range: Range<usize>) -> Self {
        Span { source, range }
    }
    /// The smallest span covering both (which must be in the same source).
    /// The first character of the span (for pointing at an object by its opening brace).
    pub fn start(&self) -> Span {
        Span::new(
            self.source,
            self.range.start..(self.range.start + 1).min(self.range.end),
        )
    }
    pub fn to(&self, other: &Span) -> Span {
        Span::new(
            self.source,
            self.range.start.min(other.range.start)..self.range.end.max(other.range.end),
        )
    }
}

/// One stretch of a [`Text`]: value bytes `val` were written as source bytes `src`.
/// Where both have the same length the map is byte for byte; otherwise (an escape such as `\"` or
/// `\u00e9`) every value byte maps to the whole source stretch.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Seg {
    pub val: Range<usize>,
    pub src: Range<usize>,
}

/// A part of a shell word whose value only the shell knows (`$VAR`, `$(...)`, backticks).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Dynamic {
    /// Where in the known value the unknown part would be inserted.
    pub at: usize,
    /// The expression as written, e.g. `${RUN_ID}`.
    pub expr: String,
    pub span: Span,
    /// Written inside double quotes (or where the shell does not split words): a value put in
    /// here stays one word whatever it holds.
    pub quoted: bool,
    /// A variable the script itself sets somewhere (not certainly before this use): it may hold
    /// the script's value rather than what the CI platform puts in it.
    pub assigned: bool,
}

/// A variable's value put in where the variable is used (`ROLE=arn:...` then `--role-arn "$ROLE"`):
/// the value's bytes still map to where they were assigned, and a finding inside them points at the
/// use first, with the assignment as a second label.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Via {
    /// The expression at the use, e.g. `$ROLE` or `${{ env.ROLE }}`.
    pub expr: String,
    /// Where the variable is used.
    pub at: Span,
    /// Where it was set (the assignment word, the YAML key).
    pub set: Span,
    /// Source ranges the value's bytes come from.
    pub from: Vec<Range<usize>>,
}

/// A value as it would be sent, mapped back to where it was written.
#[derive(Clone, PartialEq, Eq)]
pub struct Text {
    /// The known part of the value (for a fully static value, the whole value).
    pub value: String,
    pub source: SourceId,
    /// The whole written form, quotes included.
    pub span: Range<usize>,
    pub segs: Vec<Seg>,
    /// Parts the shell would fill in; empty for a static value.
    pub dynamic: Vec<Dynamic>,
}

// Debug output shows a value's length and fingerprint, not the value: it may be a token.
impl std::fmt::Debug for Text {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Text")
            .field("value", &crate::redact::debug_fingerprint(&self.value))
            .field("source", &self.source)
            .field("span", &self.span)
            .field("segs", &self.segs.len())
            .field("dynamic", &self.dynamic)
            .finish()
    }
}

impl Text {
    /// A value written verbatim at `start` in `source` (a file read through `file://`, a JSON key).
    pub fn verbatim(value: impl Into<String>, source: SourceId, start: usize) -> Text {
        let value = value.into();
        let len = value.len();
        Text {
            segs: vec![Seg {
                val: 0..len,
                src: start..start + len,
            }],
            value,
            source,
            span: start..start + len,
            dynamic: Vec::new(),
        }
    }

    /// A value known only at run time: the expression `expr`, written as `at`.
    pub fn unknown(expr: impl Into<String>, at: &Span) -> Text {
        Text {
            value: String::new(),
            source: at.source,
            span: at.range.clone(),
            segs: Vec::new(),
            dynamic: vec![Dynamic {
                at: 0,
                expr: expr.into(),
                span: at.clone(),
                quoted: false,
                assigned: false,
            }],
        }
    }

    /// True when the whole value is known.
    pub fn is_static(&self) -> bool {
        self.dynamic.is_empty()
    }

    /// The span of the whole written value.
    pub fn whole(&self) -> Span {
        Span::new(self.source, self.span.clone())
    }

    /// Source range of the value byte at `offset` (or of the position just after the value).
    fn map_point(&self, offset: usize) -> Range<usize> {
        // Segments are in value order: the one holding `offset` is found by binary search.
        let i = self.segs.partition_point(|s| s.val.end <= offset);
        let found = self
            .segs
            .get(i)
            .filter(|s| s.val.start <= offset && offset < s.val.end)
            .or_else(|| {
                self.segs
                    .iter()
                    .find(|s| s.val.start <= offset && offset < s.val.end)
            });
        if let Some(seg) = found {
            if seg.val.len() == seg.src.len() {
                let p = seg.src.start + (offset - seg.val.start);
                return p..p + 1;
            }
            return seg.src.clone();
        }
        // Past the end (or an empty value): the point after the last written byte.
        let end = self.segs.last().map_or(self.span.start, |s| s.src.end);
        end..end
    }

    /// The source span of the value bytes `range`.
    pub fn span_of(&self, range: Range<usize>) -> Span {
        if self.segs.is_empty() {
            return self.whole();
        }
        let start = self.map_point(range.start);
        if range.is_empty() {
            return Span::new(self.source, start.start..start.start);
        }
        let end = self.map_point(range.end - 1);
        // A value put together from several places (a variable's value put in where it is used)
        // maps out of order: a stretch across them is pointed at as the whole written value.
        if end.end < start.start || self.crosses_places(range) {
            return self.whole();
        }
        Span::new(self.source, start.start..end.end)
    }

    /// Whether the value bytes `range` were written out of order (they come from several places).
    fn crosses_places(&self, range: Range<usize>) -> bool {
        let first = self.segs.partition_point(|s| s.val.end <= range.start);
        let mut last_end = None;
        for s in self.segs[first..]
            .iter()
            .take_while(|s| s.val.start < range.end)
        {
            if last_end.is_some_and(|e| s.src.start < e) {
                return true;
            }
            last_end = Some(s.src.end);
        }
        false
    }

    /// Appends `part`'s value, map and unknown parts.
    pub fn push_text(&mut self, part: &Text) {
        let off = self.value.len();
        self.value.push_str(&part.value);
        self.segs.extend(part.segs.iter().map(|s| Seg {
            val: s.val.start + off..s.val.end + off,
            src: s.src.clone(),
        }));
        self.dynamic.extend(part.dynamic.iter().map(|d| Dynamic {
            at: d.at + off,
            ..d.clone()
        }));
    }

    /// The source span of the value's content, without surrounding quotes.
    pub fn content_span(&self) -> Span {
        match (self.segs.first(), self.segs.last()) {
            (Some(a), Some(b)) => Span::new(self.source, a.src.start..b.src.end),
            _ => self.whole(),
        }
    }

    /// A sub-text: value bytes `range`, still mapped to the source. Dynamic parts inside are kept.
    pub fn slice(&self, range: Range<usize>) -> Text {
        // Segments and unknown parts are in value order: only those in `range` are visited.
        let first = self.segs.partition_point(|s| s.val.end <= range.start);
        let segs = self.segs[first..]
            .iter()
            .take_while(|s| s.val.start < range.end)
            .filter_map(|s| {
                let lo = s.val.start.max(range.start);
                let hi = s.val.end.min(range.end);
                if lo >= hi {
                    return None;
                }
                let src = if s.val.len() == s.src.len() {
                    s.src.start + (lo - s.val.start)..s.src.start + (hi - s.val.start)
                } else {
                    s.src.clone()
                };
                Some(Seg {
                    val: lo - range.start..hi - range.start,
                    src,
                })
            })
            .collect();
        let span = self.span_of(range.clone()).range;
        Text {
            value: self.value[range.clone()].to_string(),
            source: self.source,
            span,
            segs,
            dynamic: self.dynamic[self.dynamic.partition_point(|d| d.at < range.start)..]
                .iter()
                .take_while(|d| d.at <= range.end)
                .map(|d| Dynamic {
                    at: d.at - range.start,
                    ..d.clone()
                })
                .collect(),
        }
    }

    /// A text parsed out of this one's value (`inner`'s offsets are offsets in `self.value`),
    /// mapped through both to the source: byte for byte wherever both maps are, so a word lexed out
    /// of a folded YAML scalar still points at its own column. Unknown parts keep their place.
    pub fn within(&self, inner: &Text) -> Text {
        let mut segs: Vec<Seg> = Vec::with_capacity(inner.segs.len());
        for s in &inner.segs {
            if s.val.len() != s.src.len() {
                segs.push(Seg {
                    val: s.val.clone(),
                    src: self.span_of(s.src.clone()).range,
                });
                continue;
            }
            // Byte for byte in `inner`: split along this text's own segments.
            let first = self.segs.partition_point(|o| o.val.end <= s.src.start);
            for o in self.segs[first..]
                .iter()
                .take_while(|o| o.val.start < s.src.end)
            {
                let lo = s.src.start.max(o.val.start);
                let hi = s.src.end.min(o.val.end);
                if lo >= hi {
                    continue;
                }
                let val = s.val.start + (lo - s.src.start)..s.val.start + (hi - s.src.start);
                let src = if o.val.len() == o.src.len() {
                    o.src.start + (lo - o.val.start)..o.src.start + (hi - o.val.start)
                } else {
                    o.src.clone()
                };
                segs.push(Seg { val, src });
            }
        }
        Text {
            value: inner.value.clone(),
            source: self.source,
            span: self.span_of(inner.span.clone()).range,
            segs,
            dynamic: inner
                .dynamic
                .iter()
                .map(|d| Dynamic {
                    at: d.at,
                    expr: d.expr.clone(),
                    span: Span::new(self.source, self.span_of(d.span.range.clone()).range),
                    quoted: d.quoted,
                    assigned: d.assigned,
                })
                .collect(),
        }
    }

    /// The byte offset in the source where this value's bytes start, when they are written there
    /// byte for byte (no quotes or escapes inside): then value offsets map by a plain shift.
    pub fn identity_base(&self) -> Option<usize> {
        match self.segs.as_slice() {
            [s] if s.val == (0..self.value.len()) && s.src.len() == s.val.len() => {
                Some(s.src.start)
            }
            [] if self.value.is_empty() => Some(self.span.start),
            _ => None,
        }
    }

    /// The value with each unknown part shown as its shell expression, for messages.
    pub fn display(&self) -> String {
        if self.dynamic.is_empty() {
            return self.value.clone();
        }
        let mut out = String::new();
        let mut last = 0;
        for d in &self.dynamic {
            out.push_str(&self.value[last..d.at]);
            out.push_str(&d.expr);
            last = d.at;
        }
        out.push_str(&self.value[last..]);
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn line_col_counts_characters() {
        let f = SourceFile::new("x", "ab\ncé d\n");
        assert_eq!(f.line_col(0), (1, 1));
        assert_eq!(f.line_col(3), (2, 1));
        assert_eq!(f.line_col(7), (2, 4)); // 'd' after the two-byte é
        assert_eq!(f.line_col(100), (3, 1));
        // long lines with multi-byte characters, across checkpoints: the same as counting
        let text = format!("x\n{}\n{}é", "aé€😀".repeat(3000), "b".repeat(9000));
        let f = SourceFile::new("x", text.as_str());
        for offset in (0..=text.len())
            .step_by(997)
            .chain([text.len() - 2, text.len()])
        {
            if !text.is_char_boundary(offset) {
                continue;
            }
            let line = text[..offset].matches('\n').count();
            let start = text[..offset].rfind('\n').map_or(0, |i| i + 1);
            let col = text[start..offset].chars().count();
            assert_eq!(f.line_col(offset), (line + 1, col + 1), "{offset}");
        }
    }

    #[test]
    fn span_of_maps_through_escapes() {
        // Source `"a\"b"` holds the value `a"b`.
        let t = Text {
            value: "a\"b".into(),
            source: 0,
            span: 0..6,
            segs: vec![
                Seg {
                    val: 0..1,
                    src: 1..2,
                },
                Seg {
                    val: 1..2,
                    src: 2..4,
                },
                Seg {
                    val: 2..3,
                    src: 4..5,
                },
            ],
            dynamic: vec![],
        };
        assert_eq!(t.span_of(0..1).range, 1..2);
        assert_eq!(t.span_of(1..2).range, 2..4);
        assert_eq!(t.span_of(0..3).range, 1..5);
        assert_eq!(t.span_of(3..3).range, 5..5);
        assert_eq!(t.slice(1..3).value, "\"b");
        assert_eq!(t.slice(1..3).span_of(1..2).range, 4..5);
    }
}
