//! What a shell command does to the script's variables: `NAME=value`, `export`/`local`/`declare`,
//! `read`, `for`, `unset`, `printf -v`, `${X:=v}`, arithmetic, and `source`/`.`/`eval`, which may
//! change any of them. [`super::assign`] reads these events to know which values are certain.

use super::is_name;
use super::scope::LEADING;
use crate::source::Text;

/// Where a command sits: the blocks around it, and whether it surely runs when its block does.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Place {
    /// Ids of the enclosing blocks, outermost first. Each branch of an `if` or a `case`, each part
    /// of a loop, each function body, brace group, subshell and here-document script is a block.
    pub path: Vec<u32>,
    /// After `&&`/`||` (it may not run), or in a pipeline or the background (a subshell).
    pub partial: bool,
    /// Read out of a string another shell runs (`sh -c '...'`): its variables are that shell's.
    pub foreign: bool,
}

pub(super) fn is_leading(w: &Text) -> bool {
    w.is_static() && LEADING.contains(&w.value.as_str())
}

/// Position of an event: (command, word + 1); arrays sort before the command they precede.
pub(super) type Pos = (usize, usize);

/// Something that sets a variable.
#[derive(Debug, Clone)]
pub(super) struct Event {
    pub(super) pos: Pos,
    /// `None`: every variable (`source`, `eval`).
    pub(super) name: Option<String>,
    /// A plain `NAME=value` word: the offset of the value in it.
    pub(super) value_at: Option<usize>,
    pub(super) place: Place,
}

/// The `=` of a word `NAME=value` whose name is written plainly.
fn assignment_eq(w: &Text) -> Option<usize> {
    let eq = w.value.find('=')?;
    (is_name(&w.value[..eq]) && w.dynamic.iter().all(|d| d.at > eq)).then_some(eq)
}

/// The name a `NAME+=value` word appends to.
fn append_name(w: &Text) -> Option<&str> {
    let eq = w.value.find("+=")?;
    let name = &w.value[..eq];
    (is_name(name) && w.dynamic.iter().all(|d| d.at > eq)).then_some(name)
}

/// What command `words` (the `cmd`th) sets.
pub(super) fn events_of(words: &[Text], cmd: usize, place: &Place, out: &mut Vec<Event>) {
    let mut ev = |word: usize, name: Option<&str>, value_at: Option<usize>| {
        out.push(Event {
            pos: (cmd, word + 1),
            name: name.map(str::to_string),
            value_at,
            place: place.clone(),
        })
    };
    // `${X:=v}`, `${X=v}` and arithmetic assignments anywhere in the command.
    for (i, w) in words.iter().enumerate() {
        for d in &w.dynamic {
            for name in expansion_sets(&d.expr) {
                ev(i, Some(name), None);
            }
        }
    }
    let mut i = 0;
    while words.get(i).is_some_and(|w| {
        is_leading(w) || (w.is_static() && matches!(w.value.as_str(), "command" | "builtin"))
    }) {
        i += 1;
    }
    let start = i;
    while let Some(w) = words.get(i) {
        if assignment_eq(w).is_none() && append_name(w).is_none() {
            break;
        }
        i += 1;
    }
    let Some(cmd_word) = words.get(i) else {
        // Only assignments: they set shell variables, in order.
        for (k, w) in words.iter().enumerate().skip(start) {
            match assignment_eq(w) {
                Some(eq) => ev(k, Some(&w.value[..eq]), Some(eq + 1)),
                None => ev(k, append_name(w), None),
            }
        }
        return;
    };
    // Assignments before a command are for its environment; some shells keep them (POSIX's
    // special built-ins), so they count as unknown changes.
    for (k, w) in words.iter().enumerate().take(i).skip(start) {
        let name = assignment_eq(w)
            .map(|eq| &w.value[..eq])
            .or_else(|| append_name(w));
        ev(k, name, None);
    }
    if !cmd_word.is_static() {
        return;
    }
    let rest = &words[i + 1..];
    let names = || {
        rest.iter()
            .enumerate()
            .filter(|(_, w)| w.is_static() && is_name(&w.value))
            .map(move |(k, w)| (i + 1 + k, w.value.as_str()))
    };
    match cmd_word.value.as_str() {
        "source" | "." | "eval" => ev(i, None, None),
        "export" | "readonly" | "declare" | "typeset" | "local" => {
            let bare_sets = cmd_word.value != "export" && cmd_word.value != "readonly";
            // `-a`, `-i`, `-l`, `-u`, `-n`...: the value is not the text written.
            let plain = rest
                .iter()
                .filter(|w| w.value.starts_with(['-', '+']))
                .all(|w| w.value[1..].bytes().all(|b| b"xrgp".contains(&b)));
            for (k, w) in rest.iter().enumerate() {
                let k = i + 1 + k;
                if !w.is_static() && assignment_eq(w).is_none() {
                    ev(k, None, None);
                } else if let Some(eq) = assignment_eq(w) {
                    ev(k, Some(&w.value[..eq]), plain.then_some(eq + 1));
                } else if let Some(name) = append_name(w) {
                    ev(k, Some(name), None);
                } else if bare_sets && is_name(&w.value) {
                    ev(k, Some(&w.value), None);
                }
            }
        }
        // `printf` sets a variable only with `-v NAME` first.
        "printf" => match rest.first() {
            Some(w) if w.is_static() && w.value == "-v" => match rest.get(1) {
                Some(n) if n.is_static() && is_name(&n.value) => ev(i + 2, Some(&n.value), None),
                _ => ev(i + 1, None, None),
            },
            Some(w) if w.is_static() && w.value.starts_with("-v") => ev(i + 1, None, None),
            Some(w) if w.dynamic.iter().any(|d| d.at == 0 && !d.quoted) => ev(i + 1, None, None),
            _ => {}
        },
        "read" | "mapfile" | "readarray" | "getopts" | "unset" | "wait" | "let" | "for"
        | "select" | "exec" => {
            for (k, name) in names() {
                ev(k, Some(name), None);
            }
            // A name only the run knows (`read "$var"`, `printf -v "$name"`): any variable.
            if let Some(k) = rest.iter().position(|w| !w.is_static()) {
                ev(i + 1 + k, None, None);
            }
            if cmd_word.value == "let" {
                for (k, w) in rest.iter().enumerate() {
                    for name in arithmetic_sets(&w.value) {
                        ev(i + 1 + k, Some(name), None);
                    }
                }
            }
        }
        _ => {}
    }
}

/// Variables an expansion may set: `${X:=v}`, `${X=v}`, `$((X=1))`, `$((X++))`.
fn expansion_sets(expr: &str) -> Vec<&str> {
    if let Some(inner) = expr.strip_prefix("${") {
        let end = inner
            .find(|c: char| c != '_' && !c.is_ascii_alphanumeric())
            .unwrap_or(inner.len());
        let rest = &inner[end..];
        if end > 0 && (rest.starts_with(":=") || rest.starts_with('=')) {
            return vec![&inner[..end]];
        }
        return Vec::new();
    }
    if expr.starts_with("$((") {
        return arithmetic_sets(expr);
    }
    Vec::new()
}

/// Names an arithmetic expression assigns (`X=1`, `X+=2`, `X++`, `--X`).
fn arithmetic_sets(expr: &str) -> Vec<&str> {
    let b = expr.as_bytes();
    let mut out = Vec::new();
    let mut i = 0;
    while i < b.len() {
        if b[i] == b'_' || b[i].is_ascii_alphabetic() {
            let s = i;
            while i < b.len() && (b[i] == b'_' || b[i].is_ascii_alphanumeric()) {
                i += 1;
            }
            let after = expr[i..].trim_start();
            let before = expr[..s].trim_end();
            let assigns = (after.starts_with('=') && !after.starts_with("=="))
                || after.starts_with("++")
                || after.starts_with("--")
                || ["+=", "-=", "*=", "/=", "%=", "&=", "|=", "^=", "<<=", ">>="]
                    .iter()
                    .any(|op| after.starts_with(op))
                || before.ends_with("++")
                || before.ends_with("--");
            if assigns {
                out.push(&expr[s..i]);
            }
        } else {
            i += 1;
        }
    }
    out
}
