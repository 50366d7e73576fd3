//! What a command substitution prints when it is literal: `$(printf 'ci-%s' x)`, `$(echo x)`.

use crate::source::{Dynamic, Text};

/// What `$(printf 'FORMAT' ARGS...)` or `$(echo WORDS...)` prints when every word is literal and
/// the format holds only `%s` and `%%` (trailing newlines dropped, as command substitution does).
pub(super) fn output(d: &Dynamic) -> Option<Text> {
    let inner = d.expr.strip_prefix("$(")?.strip_suffix(')')?;
    if inner.contains(['$', '`', '|', ';', '&', '<', '>']) {
        return None;
    }
    let lexed = super::lex(inner, d.span.source);
    let [c] = lexed.commands.as_slice() else {
        return None;
    };
    if !lexed.errors.is_empty() || !c.words.iter().all(Text::is_static) {
        return None;
    }
    let words: Vec<&str> = c.words.iter().map(|w| w.value.as_str()).collect();
    let out = match words.as_slice() {
        ["echo", args @ ..] if args.iter().all(|a| !a.starts_with('-')) => args.join(" "),
        ["printf", format, args @ ..] if !format.contains('\\') && !format.starts_with('-') => {
            let mut out = String::new();
            let mut args = args.iter();
            let mut rest = *format;
            while let Some(i) = rest.find('%') {
                out.push_str(&rest[..i]);
                match rest.get(i + 1..i + 2) {
                    Some("s") => out.push_str(args.next()?),
                    Some("%") => out.push('%'),
                    _ => return None,
                }
                rest = &rest[i + 2..];
            }
            out.push_str(rest);
            if args.next().is_some() {
                return None;
            }
            out
        }
        _ => return None,
    };
    let out = out.trim_end_matches('\n').to_string();
    let len = out.len();
    // Every byte of the output maps to the whole `$(...)`.
    Some(Text {
        value: out,
        source: d.span.source,
        span: d.span.range.clone(),
        segs: vec![crate::source::Seg {
            val: 0..len,
            src: d.span.range.clone(),
        }],
        dynamic: Vec::new(),
    })
}
