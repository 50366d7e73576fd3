//! What a script's variables hold where they are used: `ROLE=arn:aws:iam::...` a few lines above
//! `--role-arn "$ROLE"` puts the value in, its bytes still pointing at the assignment.
//!
//! Sound first: a value is put in only when the assignment runs before the use on every path and
//! nothing between may change the variable. So it must be the last thing that touches the
//! variable before the use, in a block that encloses the use (not in one branch of an `if`, not
//! after `&&`/`||`, not in a pipeline, subshell or background job), with no later change in a loop
//! around the use, no `source`/`.`/`eval` after it, and, for a use inside a function body, in the
//! same body (or the only assignment in the file, before the function is defined). Everything else
//! stays unknown, as before.
//!
//! The lexer tells [`Blocks`] where each command sits ([`Place`]); [`resolve`] then walks the
//! commands in order. [`environment`] puts in values a CI file gives the script (`env:`,
//! `variables:`) for variables the script itself never sets.

use super::is_name;
use super::setters::{events_of, Event, Pos};
use super::{Command, Lexed};
use crate::source::{Dynamic, Span, Text, Via};
use std::collections::{HashMap, HashSet};

use super::blocks::Block;
use super::blocks::Blocks;
pub use super::setters::Place;

/// Values bigger than this are not put in (a chain of `B=$A$A` doubling).
const MAX_VALUE: usize = 4096;
/// A variable set more often than this is left unknown (bounded work on hostile input).
const MAX_EVENTS: usize = 256;
/// How many bytes of values one script may have put in (bounded memory on hostile input).
const BUDGET: usize = 1 << 20;

/// What a script does to its variables, for [`environment`]: a CI file's value holds in it only
/// for a variable it never sets.
#[derive(Debug, Clone, Default)]
pub struct Assigned {
    pub names: HashSet<String>,
    /// It runs `source`, `.` or `eval`: any variable may change.
    pub any: bool,
}

/// The variable an expression reads and how: `$X`, `${X}`, `${X:-d}`, `${X-d}`.
fn reference(expr: &str) -> Option<(&str, Option<(&str, bool)>)> {
    if let Some(name) = expr.strip_prefix('$').filter(|n| is_name(n)) {
        return Some((name, None));
    }
    let inner = expr.strip_prefix("${")?.strip_suffix('}')?;
    if is_name(inner) {
        return Some((inner, None));
    }
    let end = inner.find(|c: char| c != '_' && !c.is_ascii_alphanumeric())?;
    let (name, rest) = inner.split_at(end);
    if !is_name(name) {
        return None;
    }
    if let Some(d) = rest.strip_prefix(":-") {
        return Some((name, Some((d, true))));
    }
    rest.strip_prefix('-').map(|d| (name, Some((d, false))))
}

/// A known value for a variable: the text and where it was set.
#[derive(Debug, Clone)]
pub struct Binding {
    pub value: Text,
    /// The assignment word, or the CI file's key.
    pub set: Span,
}

/// Variables a CI file gives a script, by name.
pub type Env = HashMap<String, Binding>;

fn is_isolated(kind: Block) -> bool {
    matches!(kind, Block::Function | Block::Child)
}

/// Every variable's events in order, and the values known so far.
pub(super) struct State<'a> {
    kinds: &'a [Block],
    pub(super) events: HashMap<String, Vec<Event>>,
    pub(super) every: Vec<Event>,
    /// Values of `NAME=value` events, by position.
    pub(super) values: HashMap<Pos, Binding>,
    /// The first command of each function body (by block id).
    body_start: HashMap<u32, usize>,
}

impl<'a> State<'a> {
    /// No events yet, for `commands` lexed with `blocks`.
    pub(super) fn new(blocks: &'a Blocks, commands: &[Command]) -> State<'a> {
        let mut body_start = HashMap::new();
        for (i, c) in commands.iter().enumerate() {
            for &id in &c.place.path {
                body_start.entry(id).or_insert(i);
            }
        }
        State {
            kinds: &blocks.kinds,
            events: HashMap::new(),
            every: Vec::new(),
            values: HashMap::new(),
            body_start,
        }
    }

    /// The innermost function body or child script around `path`.
    fn isolated(&self, path: &[u32]) -> Option<u32> {
        path.iter()
            .rev()
            .copied()
            .find(|&id| is_isolated(self.kinds[id as usize]))
    }

    pub(super) fn shares_loop(&self, a: &[u32], b: &[u32]) -> bool {
        a.iter()
            .zip(b)
            .take_while(|(x, y)| x == y)
            .any(|(&id, _)| self.kinds[id as usize] == Block::Loop)
    }

    /// Whether something may set `name` before `pos` in a command at `place`: earlier in the
    /// file, or later in a loop around it.
    fn may_set_before(&self, name: &str, pos: Pos, place: &Place) -> bool {
        // Events are in order: the first says whether any is earlier (bounded, as `lookup`).
        let any = |es: &[Event]| {
            es.first().is_some_and(|e| e.pos < pos)
                || es.len() > MAX_EVENTS
                || es
                    .iter()
                    .any(|e| self.shares_loop(&e.place.path, &place.path))
        };
        any(&self.every) || self.events.get(name).is_some_and(|es| any(es))
    }

    /// The value `name` certainly holds at `pos` in a command at `place`.
    pub(super) fn lookup(&self, name: &str, pos: Pos, place: &Place) -> Option<&Binding> {
        let events = self.events.get(name)?;
        if events.len() > MAX_EVENTS || self.every.len() > MAX_EVENTS {
            return None;
        }
        let n = events.partition_point(|e| e.pos < pos);
        let last = events[..n].last()?;
        let every = self.every.partition_point(|e| e.pos < pos);
        if self.every[..every].last().is_some_and(|e| e.pos > last.pos) {
            return None;
        }
        // A later change in a loop around the use may run before it on the next pass.
        if events[n..]
            .iter()
            .chain(&self.every[every..])
            .any(|e| self.shares_loop(&e.place.path, &place.path))
        {
            return None;
        }
        let binding = self.values.get(&last.pos)?;
        let dominates = !last.place.partial
            && last.place.path.len() <= place.path.len()
            && last.place.path[..] == place.path[..last.place.path.len()];
        match self.isolated(&place.path) {
            Some(f) if last.place.path.contains(&f) => dominates.then_some(binding),
            Some(f) => {
                // The only assignment in the file, at the top, before the function is defined.
                let before = self
                    .body_start
                    .get(&f)
                    .is_some_and(|&start| last.pos.0 < start);
                (self.kinds[f as usize] == Block::Function
                    && events.len() == 1
                    && self.every.is_empty()
                    && last.place.path.is_empty()
                    && !last.place.partial
                    && before)
                    .then_some(binding)
            }
            None => {
                // A function may run anywhere: what its body sets is unknown outside it.
                let in_function = |e: &Event| {
                    e.place
                        .path
                        .iter()
                        .any(|&id| self.kinds[id as usize] == Block::Function)
                };
                if events.iter().chain(&self.every).any(in_function) {
                    return None;
                }
                dominates.then_some(binding)
            }
        }
    }
}

/// Whether a value put in unquoted stays exactly one word with exactly this text.
fn splits(value: &Text) -> bool {
    !value.is_static()
        || value.value.is_empty()
        || value
            .value
            .contains([' ', '\t', '\n', '*', '?', '[', '\\', '\''])
}

/// `word` with the expressions `value_of` knows put in; the vias say where from.
fn substitute(
    word: &Text,
    as_value: bool,
    value_of: &dyn Fn(&Dynamic) -> Option<(Binding, bool)>,
    vias: &mut Vec<Via>,
) -> Option<Text> {
    let mut out = Text {
        value: String::new(),
        source: word.source,
        span: word.span.clone(),
        segs: Vec::new(),
        dynamic: Vec::new(),
    };
    let mut changed = false;
    let mut last = 0;
    for d in &word.dynamic {
        let piece = word.slice(last..d.at);
        out.value.push_str(&piece.value);
        let off = out.value.len() - piece.value.len();
        out.segs
            .extend(piece.segs.iter().map(|s| crate::source::Seg {
                val: s.val.start + off..s.val.end + off,
                src: s.src.clone(),
            }));
        last = d.at;
        let value = value_of(d).filter(|(b, one_word)| {
            (as_value || d.quoted || *one_word || !splits(&b.value))
                && b.value.value.len() <= MAX_VALUE
        });
        match value.map(|(b, _)| b) {
            Some(b) => {
                let mut from: Vec<_> = b.value.segs.iter().map(|s| s.src.clone()).collect();
                from.extend(b.value.dynamic.iter().map(|x| x.span.range.clone()));
                from.push(b.set.range.clone());
                vias.push(Via {
                    expr: d.expr.clone(),
                    at: d.span.clone(),
                    set: b.set.clone(),
                    from,
                });
                let mut v = b.value.clone();
                if !as_value && !d.quoted {
                    for x in &mut v.dynamic {
                        x.quoted = false;
                    }
                }
                out.push_text(&v);
                changed = true;
            }
            None => out.dynamic.push(Dynamic {
                at: out.value.len(),
                ..d.clone()
            }),
        }
    }
    if !changed {
        return None;
    }
    let tail = word.slice(last..word.value.len());
    let off = out.value.len();
    out.value.push_str(&tail.value);
    out.segs
        .extend(tail.segs.iter().map(|s| crate::source::Seg {
            val: s.val.start + off..s.val.end + off,
            src: s.src.clone(),
        }));
    (out.value.len() <= MAX_VALUE).then_some(out)
}

/// The value of `${X:-d}` when X is known: X's value, or the default when X is empty (`:-`) and the
/// default is plain text.
fn with_default(b: &Binding, default: Option<(&str, bool)>, d: &Dynamic) -> Option<Binding> {
    match default {
        None => Some(b.clone()),
        Some(_) if !b.value.value.is_empty() || !b.value.dynamic.is_empty() => Some(b.clone()),
        Some((_, false)) => Some(b.clone()),
        Some((text, true)) => {
            let plain = text
                .bytes()
                .all(|c| c.is_ascii_alphanumeric() || b"_-./:@=,+".contains(&c));
            let at = d.span.range.end.checked_sub(1 + text.len())?;
            plain.then(|| Binding {
                value: Text::verbatim(text, d.span.source, at),
                set: b.set.clone(),
            })
        }
    }
}

/// Whether a value holds a template's placeholder (`{{ X }}`, `%{{X}}`, `{% %}`, `<%= %>`,
/// `@NAME@`): the file is rendered before it runs, so the value is not the text written.
fn is_templated(v: &str) -> bool {
    let pair = |open: &str, close: &str| v.find(open).is_some_and(|i| v[i..].contains(close));
    pair("{{", "}}")
        || pair("{%", "%}")
        || pair("<%", "%>")
        || v.split('@')
            .skip(1)
            .step_by(2)
            .zip(v.split('@').skip(2))
            .any(|(name, _)| {
                !name.is_empty()
                    && name
                        .bytes()
                        .all(|b| b == b'_' || b.is_ascii_uppercase() || b.is_ascii_digit())
            })
}

/// What each expansion certainly holds at `pos` in a command at `place`: a literal `$(printf ...)`
/// or a variable's value.
fn expansions<'s>(
    state: &'s State,
    place: &'s Place,
    pos: Pos,
) -> impl Fn(&Dynamic) -> Option<(Binding, bool)> + 's {
    move |d: &Dynamic| {
        if let Some(value) = super::literal::output(d) {
            let set = d.span.clone();
            return Some((Binding { value, set }, false));
        }
        let (name, default) = reference(&d.expr)?;
        let b = state.lookup(name, pos, place)?;
        with_default(b, default, d).map(|b| (b, false))
    }
}

/// Puts each variable's certain value in where it is used, in `commands` read from one script.
pub(super) fn resolve(out: &mut Lexed, blocks: &Blocks) {
    let mut state = State::new(blocks, &out.commands);
    let mut all = Vec::new();
    for (at, name, place) in &blocks.arrays {
        all.push(Event {
            pos: (*at, 0),
            name: Some(name.clone()),
            value_at: None,
            place: place.clone(),
        });
    }
    for (i, c) in out.commands.iter().enumerate() {
        if c.place.foreign {
            continue;
        }
        events_of(&c.words, i, &c.place, &mut all);
    }
    all.sort_by_key(|e| e.pos);
    let mut assigned = Assigned::default();
    for e in all {
        match &e.name {
            Some(n) => {
                assigned.names.insert(n.clone());
                state.events.entry(n.clone()).or_default().push(e);
            }
            None => {
                assigned.any = true;
                state.every.push(e);
            }
        }
    }
    let setters: HashMap<Pos, Option<usize>> = state
        .events
        .values()
        .flatten()
        .map(|e| (e.pos, e.value_at))
        .collect();
    let mut budget = BUDGET;
    for i in 0..out.commands.len() {
        if out.commands[i].place.foreign {
            continue;
        }
        let place = out.commands[i].place.clone();
        // Redirection targets are expanded before the command's own assignments take effect,
        // and never split.
        for r in 0..out.commands[i].writes.len() {
            let target = &out.commands[i].writes[r].target;
            if let Some(new) = (budget > 0)
                .then(|| {
                    substitute(
                        target,
                        true,
                        &expansions(&state, &place, (i, 1)),
                        &mut Vec::new(),
                    )
                })
                .flatten()
            {
                budget = budget.saturating_sub(new.value.len());
                out.commands[i].writes[r].target = new;
            }
        }
        for k in 0..out.commands[i].words.len() {
            let pos = (i, k + 1);
            let value_at = setters.get(&pos).copied().flatten();
            let word = &out.commands[i].words[k];
            let mut vias = Vec::new();
            let as_value = value_at.is_some_and(|v| word.dynamic.iter().all(|d| d.at >= v));
            // Once the budget is spent, the rest stays unknown.
            let new = (budget > 0)
                .then(|| substitute(word, as_value, &expansions(&state, &place, pos), &mut vias))
                .flatten();
            if let Some(new) = new {
                budget = budget.saturating_sub(new.value.len());
                out.commands[i].words[k] = new;
                // A command's output is where it is written: no second place to point at.
                out.commands[i]
                    .via
                    .extend(vias.into_iter().filter(|v| v.at != v.set));
            }
            // `X=~/t` is expanded by the shell (a home directory only the run knows).
            let certain = |w: &Text, v: usize| {
                !is_templated(&w.display()) && !w.value.get(v..).is_some_and(|r| r.starts_with('~'))
            };
            if let Some(v) = value_at.filter(|&v| certain(&out.commands[i].words[k], v)) {
                let word = &out.commands[i].words[k];
                state.values.insert(
                    pos,
                    Binding {
                        value: word.slice(v..word.value.len()),
                        set: word.whole(),
                    },
                );
            }
        }
    }
    // What stays unknown of a variable the script may set before the use is not (only) the
    // platform's.
    for (i, c) in out.commands.iter_mut().enumerate() {
        if c.place.foreign {
            continue;
        }
        for (k, w) in c.words.iter_mut().enumerate() {
            for d in &mut w.dynamic {
                d.assigned = reference(&d.expr)
                    .is_some_and(|(name, _)| state.may_set_before(name, (i, k + 1), &c.place));
            }
        }
    }
    out.assigned = Some(assigned);
}

/// Puts in the values `env` gives variables `lexed` (one script, read out of a CI file) never sets:
/// `$NAME`, `${NAME}`, and the CI file's own expressions `expr` names (`${{ env.NAME }}`).
pub fn environment(lexed: &mut Lexed, env: &Env, template: &dyn Fn(&str) -> Option<String>) {
    if env.is_empty() {
        return;
    }
    let assigned = lexed.assigned.clone().unwrap_or_default();
    if assigned.any {
        return;
    }
    let mut budget = BUDGET;
    for c in &mut lexed.commands {
        if c.place.foreign {
            continue;
        }
        for w in &mut c.words {
            let value_of = |d: &Dynamic| {
                if let Some(name) = template(&d.expr) {
                    // Put into the script's text before the shell reads it: only plain words.
                    // Its own expressions are put in the same way, so they stay unknown parts.
                    let b = env.get(&name)?;
                    let plain = b.value.dynamic.iter().all(|x| x.expr.starts_with("${{"))
                        && !b.value.value.is_empty()
                        && b.value
                            .value
                            .bytes()
                            .all(|c| c.is_ascii_alphanumeric() || b"_-./:@=,+".contains(&c));
                    return plain.then(|| (b.clone(), true));
                }
                let (name, default) = reference(&d.expr)?;
                if assigned.names.contains(name) {
                    return None;
                }
                with_default(env.get(name)?, default, d).map(|b| (b, false))
            };
            let mut vias = Vec::new();
            if budget == 0 {
                continue;
            }
            if let Some(new) = substitute(w, false, &value_of, &mut vias) {
                budget = budget.saturating_sub(new.value.len());
                *w = new;
                c.via.extend(vias);
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::super::{aws_commands as aws, lex};

    fn arg(src: &str) -> String {
        let got = aws(src);
        let first = got
            .first()
            .unwrap_or_else(|| panic!("no aws command in {src:?}"));
        first.last().cloned().unwrap()
    }

    #[test]
    fn straight_line_assignments_are_put_in() {
        assert_eq!(arg("R=arn:x\naws sts a --r \"$R\"\n"), "arn:x");
        assert_eq!(arg("R=arn:x\naws sts a --r $R\n"), "arn:x");
        assert_eq!(arg("export R='arn:x'\naws sts a --r \"${R}\"\n"), "arn:x");
        assert_eq!(arg("readonly R=arn:x; aws sts a --r \"$R\"\n"), "arn:x");
        assert_eq!(arg("declare -rx R=arn:x\naws sts a --r \"$R\"\n"), "arn:x");
        // the last one wins; values built from others
        assert_eq!(arg("R=a\nR=b\naws sts a --r \"$R\"\n"), "b");
        assert_eq!(
            arg("A=123\nR=\"arn:aws:iam::$A:role/x\"\naws sts a --r \"$R\"\n"),
            "arn:aws:iam::123:role/x"
        );
        assert_eq!(arg("A=1 B=$A\naws sts a --r $B\n"), "1");
        // printf without -v sets nothing, whatever it prints
        assert_eq!(
            arg("R=a\nprintf %s \"$T\" > /tmp/t\naws sts a --r \"$R\"\n"),
            "a"
        );
        // partly known: the unknown part stays
        assert_eq!(
            arg("R=\"arn:aws:iam::${ACCT}:role/x\"\naws sts a --r \"$R\"\n"),
            "arn:aws:iam::${ACCT}:role/x"
        );
        // in the same branch, before the use
        assert_eq!(
            arg("if [ x ]; then\n  R=a\n  aws sts a --r \"$R\"\nfi\n"),
            "a"
        );
        // in a function body, set in the body
        assert_eq!(arg("f() {\n  local R=a\n  aws sts a --r \"$R\"\n}\n"), "a");
        // set once at the top before the function is defined
        assert_eq!(arg("R=a\nf() {\n  aws sts a --r \"$R\"\n}\nf\n"), "a");
        // the output of a literal printf or echo
        assert_eq!(
            arg("N=$(printf 'ci-%s-%s' a b)\naws sts a --r \"$N\"\n"),
            "ci-a-b"
        );
        assert_eq!(arg("aws sts a --r \"$(echo arn:x)\"\n"), "arn:x");
        for src in [
            "N=$(printf '%d' 1)\n",
            "N=$(printf \"$F\" a)\n",
            "N=$(printf 'a\\n')\n",
            "N=$(echo -n a)\n",
            "N=$(printf %s a b)\n",
        ] {
            // the substitution stays an unknown part, as written
            assert!(
                arg(&format!("{src}aws sts a --r \"$N\"\n")).starts_with("$("),
                "{src}"
            );
        }
        // defaults
        assert_eq!(arg("R=a\naws sts a --r \"${R:-b}\"\n"), "a");
        assert_eq!(arg("R=\naws sts a --r \"${R:-b}\"\n"), "b");
        // a template's placeholder is not the value that runs
        for v in [
            "%{{ROLE}}",
            "{{ role }}",
            "<%= role %>",
            "@ROLE_ARN@",
            "{% r %}",
        ] {
            assert_eq!(
                arg(&format!("R=\"{v}\"\naws sts a --r \"$R\"\n")),
                "$R",
                "{v}"
            );
        }
        assert_eq!(arg("R=a@b.c@d\naws sts a --r \"$R\"\n"), "a@b.c@d");
        // also inside an expansion: `${%{{VAR}}:-}`
        assert_eq!(arg("R=\"${%{{V}}:-}\"\naws sts a --r \"$R\"\n"), "$R");
        // bounded: a value used a million times is put in until the budget runs out
        let src = format!(
            "R={}\n{}",
            "a".repeat(4000),
            "aws sts a --r \"$R\"\n".repeat(400)
        );
        let got = aws(&src);
        assert_eq!(got.len(), 400);
        assert!(got[0][4].len() == 4000 && got[399][4] == "$R");
        // before a loop that does not change it
        assert_eq!(
            arg("R=a\nfor i in 1 2; do\n  aws sts a --r \"$R\"\ndone\n"),
            "a"
        );
        assert_eq!(arg("R=a && true\naws sts a --r \"$R\"\n"), "a");
    }

    #[test]
    fn uncertain_values_stay_unknown() {
        for (src, want) in [
            ("if [ x ]; then R=a; fi\naws sts a --r \"$R\"\n", "$R"),
            ("R=a\nif [ x ]; then R=b; fi\naws sts a --r \"$R\"\n", "$R"),
            (
                "if [ x ]; then R=a; else R=b; fi\naws sts a --r \"$R\"\n",
                "$R",
            ),
            ("case $x in a) R=a;; b) aws sts a --r \"$R\";; esac\n", "$R"),
            ("[ x ] && R=a\naws sts a --r \"$R\"\n", "$R"),
            ("true || R=a\naws sts a --r \"$R\"\n", "$R"),
            ("[ x ] &&\n  R=a\naws sts a --r \"$R\"\n", "$R"),
            ("echo | R=a\naws sts a --r \"$R\"\n", "$R"),
            ("R=a &\naws sts a --r \"$R\"\n", "$R"),
            ("(R=a)\naws sts a --r \"$R\"\n", "$R"),
            ("x=$(R=a)\naws sts a --r \"$R\"\n", "$R"),
            ("{ R=a; } | cat\naws sts a --r \"$R\"\n", "$R"),
            ("R=a\nsource ./env.sh\naws sts a --r \"$R\"\n", "$R"),
            ("R=a\n. ./env.sh\naws sts a --r \"$R\"\n", "$R"),
            ("R=a\neval \"$X\"\naws sts a --r \"$R\"\n", "$R"),
            ("R=a\nread -r R\naws sts a --r \"$R\"\n", "$R"),
            ("R=a\nunset R\naws sts a --r \"$R\"\n", "$R"),
            ("R=a\nprintf -v R %s b\naws sts a --r \"$R\"\n", "$R"),
            ("R=a\n: \"${R:=b}\"\naws sts a --r \"$R\"\n", "$R"),
            ("R=1\n: $((R++))\naws sts a --r \"$R\"\n", "$R"),
            ("R=a\nR+=b\naws sts a --r \"$R\"\n", "$R"),
            ("R=a\ndeclare -l R=B\naws sts a --r \"$R\"\n", "$R"),
            ("for R in a b; do\n  aws sts a --r \"$R\"\ndone\n", "$R"),
            (
                "R=a\nwhile true; do\n  aws sts a --r \"$R\"\n  R=b\ndone\n",
                "$R",
            ),
            ("R=a\nset() { R=b; }\nset\naws sts a --r \"$R\"\n", "$R"),
            ("f() {\n  aws sts a --r \"$R\"\n}\nR=a\nf\n", "$R"),
            ("R=a\nf() {\n  aws sts a --r \"$R\"\n}\nR=b\nf\n", "$R"),
            ("R=a\nR=(x y)\naws sts a --r \"$R\"\n", "$R"),
            ("R=a\nIFS= R=b cmd\naws sts a --r \"$R\"\n", "$R"),
            ("R=a\nprintf -v \"$n\" %s b\naws sts a --r \"$R\"\n", "$R"),
            ("R=a\nprintf -vR %s b\naws sts a --r \"$R\"\n", "$R"),
            ("R=a\nprintf $F b\naws sts a --r \"$R\"\n", "$R"),
            ("R=~/role\naws sts a --r \"$R\"\n", "$R"),
            // split or globbed unquoted
            ("R='a b'\naws sts a --r $R\n", "$R"),
            ("R='a*'\naws sts a --r $R\n", "$R"),
            ("R=\naws sts a --r $R\n", "$R"),
            // `cmd` sees R in its environment, but $R on its own line is expanded before
            ("R=b env aws sts a --r \"$R\"\n", "$R"),
            // unknown before the assignment
            ("aws sts a --r \"$R\"\nR=a\n", "$R"),
        ] {
            assert_eq!(arg(src), want, "{src}");
        }
        // a here-document script and `sh -c` run in another shell
        let got = aws("R=a\nbash <<'EOF'\naws sts a --r \"$R\"\nEOF\n");
        assert_eq!(got[0].last().unwrap(), "$R");
        let got = aws("R=a\nsh -c 'aws sts a --r \"$R\"'\n");
        assert_eq!(got[0].last().unwrap(), "$R");
    }

    #[test]
    fn values_point_at_the_assignment_and_the_use_is_recorded() {
        let src = "ROLE=arn:aws:iam::1:role/x\naws sts a --role-arn \"$ROLE\"\n";
        let l = lex(src, 0);
        let c = l
            .commands
            .iter()
            .find(|c| c.words[0].value == "aws")
            .unwrap();
        let w = &c.words[4];
        assert_eq!(w.value, "arn:aws:iam::1:role/x");
        assert_eq!(
            &src[w.span.clone()],
            "\"$ROLE\"",
            "the word is still the use"
        );
        assert_eq!(
            &src[w.span_of(0..3).range],
            "arn",
            "its bytes map to the assignment"
        );
        assert_eq!(&src[w.content_span().range], "arn:aws:iam::1:role/x");
        assert_eq!(c.via.len(), 1);
        assert_eq!(&src[c.via[0].at.range.clone()], "$ROLE");
        assert_eq!(
            &src[c.via[0].set.range.clone()],
            "ROLE=arn:aws:iam::1:role/x"
        );
        assert!(c.via[0]
            .from
            .iter()
            .any(|r| &src[r.clone()] == "arn:aws:iam::1:role/x"));
    }
}
