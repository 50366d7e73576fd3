//! Option values as awscli handles them: `file://` and `fileb://` loading, URLs, Python's `int()`
//! for `--duration-seconds`, `--policy-arns` in shorthand or JSON, and `--cli-input-json`.

use super::options::Kind;
use super::shorthand::{self, Sh};
use crate::diagnostic::Diagnostic;
use crate::input::findings::*;
use crate::input::load::Loader;
use crate::json::{self, Json};
use crate::model::request::{Origin, PolicyArns};
use crate::source::{Span, Text};

/// The state of reading one command: where files are loaded from, and the findings so far.
pub(super) struct Reader<'l, 'a> {
    pub(super) loader: &'l mut Loader<'a>,
    pub(super) diags: Vec<Diagnostic>,
    pub(super) origin: Origin,
    /// Files the script writes before the command reads them.
    pub(super) files: &'l [crate::input::shell::files::Written],
}

/// One option occurrence: its resolved kind, the span of its name, and its value words.
pub(super) struct Occurrence {
    pub(super) kind: Kind,
    /// Written as a prefix or with `=`: AWS CLI v1 only honours `--cli-input-json` and
    /// `--generate-cli-skeleton` written in full as separate words.
    pub(super) abbreviated: bool,
    pub(super) name: &'static str,
    pub(super) name_span: Span,
    pub(super) values: Vec<Text>,
}

/// Whether shorthand text has a `key@=` (value read from a file): `@=` right after a key, at the
/// start or after a `,`. Inside a value (`arn=arn:aws:iam::1:policy/a@=b`) it is text.
pub(super) fn loads_from_file(v: &str) -> bool {
    v.split(',').any(|item| {
        let rest = item
            .trim_start()
            .trim_start_matches(|c: char| c.is_ascii_alphanumeric() || "-_.#/:".contains(c));
        rest.trim_start().starts_with("@=")
    })
}

/// Python's `int(str)`: surrounding whitespace, a sign, ASCII digits with single underscores between.
pub fn python_int(s: &str) -> Option<i64> {
    let t = s.trim_matches(|c: char| c.is_whitespace() || ('\u{1c}'..='\u{1f}').contains(&c));
    let (neg, digits) = match t.as_bytes().first() {
        Some(b'-') => (true, &t[1..]),
        Some(b'+') => (false, &t[1..]),
        _ => (false, t),
    };
    let chars: Vec<char> = digits.chars().collect();
    if chars.first().and_then(|&c| decimal(c)).is_none()
        || chars.last().and_then(|&c| decimal(c)).is_none()
    {
        return None;
    }
    let mut n: i64 = 0;
    for (k, &c) in chars.iter().enumerate() {
        match decimal(c) {
            Some(d) => n = n.saturating_mul(10).saturating_add(i64::from(d)),
            None if c == '_' && chars[k + 1] != '_' => {}
            None => return None,
        }
    }
    Some(if neg { -n } else { n })
}

/// The value of a decimal digit as Python's `int()` reads it: ASCII and the Unicode `Nd` digit runs
/// of the common scripts (Arabic-Indic, Devanagari, fullwidth...).
fn decimal(c: char) -> Option<u32> {
    const ZEROS: [u32; 37] = [
        0x30, 0x660, 0x6F0, 0x7C0, 0x966, 0x9E6, 0xA66, 0xAE6, 0xB66, 0xBE6, 0xC66, 0xCE6, 0xD66,
        0xDE6, 0xE50, 0xED0, 0xF20, 0x1040, 0x1090, 0x17E0, 0x1810, 0x1946, 0x19D0, 0x1A80, 0x1A90,
        0x1B50, 0x1BB0, 0x1C40, 0x1C50, 0xA620, 0xA8D0, 0xA900, 0xA9D0, 0xA9F0, 0xAA50, 0xABF0,
        0xFF10,
    ];
    let u = c as u32;
    ZEROS
        .iter()
        .find(|&&z| (z..z + 10).contains(&u))
        .map(|z| u - z)
}

impl Reader<'_, '_> {
    /// The value the CLI would use for an argument: `file://` read, `fileb://` and URLs refused or noted.
    pub(super) fn load(&mut self, w: &Text, member: Option<&'static str>) -> Option<Text> {
        let known_prefix = match w.dynamic.first() {
            Some(d) => &w.value[..d.at],
            None => w.value.as_str(),
        };
        let what = member.unwrap_or("--cli-input-json");
        if let Some(path) = known_prefix.strip_prefix("file://") {
            if !w.is_static() || path.contains('$') {
                self.diags.push(
                    VALUE_NOT_CHECKED
                        .report(format!("{what} is read from `{}`, a path only known when the script runs; its content was not checked", crate::diagnostic::shown(&w.display())))
                        .at(w.whole(), "path filled in by the shell")
                        .help("run `stslint check` on the file itself, or on the expanded command".to_string()),
                );
                return Some(dynamic_text(w));
            }
            if let Some(f) = self
                .files
                .iter()
                .find(|f| f.path == path.trim_start_matches("./"))
            {
                return match &f.content {
                    Some(content) if !content.is_static() => {
                        let part = if content.value.trim().is_empty() {
                            "it was not checked"
                        } else {
                            "only its literal part was checked"
                        };
                        self.diags.push(
                            VALUE_NOT_CHECKED
                                .report(format!("{what} {} is only known when the script runs (the script writes it to `{path}` first); {part}", shown(content, member)))
                                .at(w.whole(), "filled in at run time")
                                .note(f.at.clone(), "written here")
                                .help("check the expanded command with `stslint check -- aws sts assume-role-with-web-identity ...`")
                                .param_opt(member),
                        );
                        Some(content.clone())
                    }
                    Some(content) => Some(content.clone()),
                    None => {
                        self.diags.push(
                            VALUE_NOT_CHECKED
                                .report(format!("{what} is read from `file://{path}`, which the script writes before this command with content known only when it runs; the content was not checked"))
                                .at(w.whole(), "file written by the script")
                                .note(f.at.clone(), "written here")
                                .help("stslint follows a file only when `echo` or `printf` writes it on every path before the command; to check this token, run `stslint token` on it, or `stslint check` on the expanded command"),
                        );
                        Some(dynamic_text(w))
                    }
                };
            }
            return match self.loader.param_file(path) {
                Ok(t) => Some(t),
                Err(crate::input::load::ReadError::Outside) => {
                    self.diags.push(
                        VALUE_NOT_CHECKED
                            .report(format!("{what} is read from `file://{path}`, outside the directory being checked: stslint does not read it, so its content was not checked"))
                            .at(w.content_span(), "not read")
                            .help("check the command where it runs (`stslint check -- aws sts assume-role-with-web-identity ...`), or keep the file inside the checked directory")
                            .param_opt(member),
                    );
                    Some(dynamic_text(w))
                }
                Err(e) => {
                    // In a script the file may well be written by an earlier command; in a command
                    // about to run (argv) it must exist now.
                    let later = self.origin == Origin::Shell
                        && e == crate::input::load::ReadError::NotFound;
                    let d = FILE_UNREADABLE
                        .report(if later {
                            format!("cannot read {what} from `file://{path}`: no such file here; the AWS CLI answers `Unable to load paramfile` unless the file exists when the command runs")
                        } else {
                            format!("cannot read {what} from `file://{path}`: {e}")
                        })
                        .at(w.content_span(), "file:// value")
                        .help(format!("the AWS CLI opens `{path}` relative to the directory it runs in (`~` is your home directory); check the path, or pass the value itself"))
                        .param_opt(member);
                    self.diags.push(if later {
                        d.severity(crate::diagnostic::Severity::Warning)
                    } else {
                        d
                    });
                    None
                }
            };
        }
        if let (Some(path), None | Some("DurationSeconds")) =
            (known_prefix.strip_prefix("fileb://"), member)
        {
            // Python's int() accepts bytes, so the CLI reads fileb:// here like file://.
            if w.is_static() {
                let as_file = Text {
                    value: format!("file://{path}"),
                    ..w.clone()
                };
                return self.load(&as_file, member);
            }
        }
        if let Some(fileb_path) = known_prefix.strip_prefix("fileb://") {
            self.diags.push(
                FILEB_NOT_TEXT
                    .report(format!("{what} is a string, but `fileb://` passes bytes: the AWS CLI answers `Invalid type for parameter {what}, ... type: <class 'bytes'>, valid types: <class 'str'>`"))
                    .at(w.span_of(0..8), "binary file reference")
                    .help(format!("use `file://{}` to pass the file's text", fileb_path))
                    .param_opt(member),
            );
            return None;
        }
        if known_prefix.starts_with("http://") || known_prefix.starts_with("https://") {
            self.diags.push(
                VALUE_NOT_CHECKED
                    .report(format!("{what} starts with a URL: AWS CLI v1 replaces it with the page it fetches (v2 sends the URL itself); not checked"))
                    .at(w.whole(), "fetched by AWS CLI v1")
                    .help("save the content to a file and pass file://PATH, which both CLI versions read the same way")
                    .param_opt(member),
            );
            return Some(dynamic_text(w));
        }
        if !w.is_static()
            && w.dynamic
                .iter()
                .all(|d| crate::input::shell::embedded::is_placeholder(&d.expr))
        {
            let names: Vec<String> = w.dynamic.iter().map(|d| format!("`{}`", d.expr)).collect();
            self.diags.push(
                PLACEHOLDER_VALUE
                    .report(format!("{what} holds the documentation placeholder {}: the example cannot run until it is filled in", names.join(", ")))
                    .at(w.whole(), "placeholder")
                    .help("replace the placeholder with your own value; the rest of the value was checked")
                    .param_opt(member),
            );
        } else if !w.is_static() && !session_name_described(w, member) {
            self.diags.push(
                VALUE_NOT_CHECKED
                    .report(format!("{what} {} is only known when the script runs; {}", shown(w, member), if w.value.is_empty() { "it was not checked".to_string() } else { "only its literal part was checked".into() }))
                    .at(w.whole(), "filled in at run time")
                    .help("check the expanded command with `stslint check -- aws sts assume-role-with-web-identity ...`".to_string())
                    .param_opt(member),
            );
        }
        Some(w.clone())
    }

    pub(super) fn policy_arns(&mut self, o: &Occurrence) -> Option<PolicyArns> {
        let Some(first) = o.values.first() else {
            // `--policy-arns` with no words: argparse's nargs='*' gives an empty list, sent as such.
            return Some(PolicyArns {
                arns: Vec::new(),
                name: o.name_span.clone(),
                span: o.name_span.clone(),
            });
        };
        let span = first.whole().to(&o.values[o.values.len() - 1].whole());
        let mut words: Vec<Text> = o.values.clone();
        // The CLI resolves `file://` only when there is exactly one word, and then parses the file's
        // text as one string: only a JSON list is a valid list there.
        if words.len() == 1 {
            let written = words[0].clone();
            words[0] = self.load(&words[0], Some("PolicyArns"))?;
            if words[0].source != written.source
                && words[0].is_static()
                && !words[0].value.trim_start().starts_with('[')
            {
                self.diags.push(
                    POLICY_ARNS_SYNTAX
                        .report("a `file://` value for --policy-arns must hold a JSON list: the AWS CLI parses the file's text as one value, and anything else fails (`Invalid type for parameter PolicyArns ... valid types: <class 'list'>`)")
                        .at(written.whole(), "file content is not a JSON list")
                        .help("write the file as [{\"arn\": \"ARN1\"}, {\"arn\": \"ARN2\"}]")
                        .param("PolicyArns"),
                );
                return None;
            }
        }
        // `key@=file://...` loads a shorthand value from a file: not followed by stslint.
        if let Some(w) = words
            .iter()
            .find(|w| !w.value.trim_start().starts_with(['[', '{']) && loads_from_file(&w.value))
        {
            self.diags.push(
                VALUE_NOT_CHECKED
                    .report("--policy-arns uses `@=`, which makes the AWS CLI read the value from a file; stslint does not follow it, so the ARNs were not checked")
                    .at(w.whole(), "value read from a file")
                    .help("write the ARNs inline (`arn=ARN`) or as a JSON list in a file passed with file://")
                    .param("PolicyArns"),
            );
            return Some(PolicyArns {
                arns: vec![dynamic_text(w)],
                name: o.name_span.clone(),
                span,
            });
        }
        // Words the shell fills in are entries stslint cannot read; the literal words are still
        // checked, unless the first word (which decides JSON or shorthand) is unknown.
        if words.len() > 1 {
            for w in words.iter().filter(|w| !w.is_static()) {
                self.load(w, Some("PolicyArns"));
            }
        }
        let undecidable = words[0]
            .dynamic
            .first()
            .is_some_and(|d| words[0].value[..d.at].trim_start().is_empty());
        if undecidable {
            return Some(PolicyArns {
                arns: words.iter().map(dynamic_text).collect(),
                name: o.name_span.clone(),
                span,
            });
        }
        let mut arns = Vec::new();
        let looks_json = words[0].value.trim_start().starts_with(['[', '{']);
        let bad = |me: &mut Self, at: Span, message: String, help: &str| {
            me.diags.push(
                POLICY_ARNS_SYNTAX
                    .report(message)
                    .at(at, "here")
                    .help(help)
                    .param("PolicyArns"),
            );
        };
        if looks_json {
            let single_list = words.len() == 1 && words[0].value.trim_start().starts_with('[');
            for (k, w) in words.iter().enumerate() {
                if !w.is_static() {
                    arns.push(dynamic_text(w));
                    continue;
                }
                if !single_list && !w.value.trim_start().starts_with('{') {
                    bad(self, w.whole(), format!("Error parsing parameter '--policy-arns': Invalid JSON: `{}`", w.value), "give one JSON list (`'[{\"arn\":\"ARN1\"},{\"arn\":\"ARN2\"}]'`) or shorthand words (`arn=ARN1 arn=ARN2`)");
                    return None;
                }
                let node = match json::parse_in(w) {
                    Ok(n) => n,
                    Err(e) => {
                        bad(self, Span::new(w.source, e.range), format!("Error parsing parameter '--policy-arns': Invalid JSON: {}", e.message), "fix the JSON, e.g. `'[{\"arn\":\"arn:aws:iam::111122223333:policy/Name\"}]'`");
                        return None;
                    }
                };
                let items: Vec<&json::Node> = match &node.value {
                    Json::Array(items) if single_list => items.iter().collect(),
                    _ => vec![&node],
                };
                for (n, item) in items.iter().enumerate() {
                    let index = if single_list { n } else { k };
                    if !self.json_descriptor(item, w.source, index, &mut arns) {
                        return None;
                    }
                }
            }
        } else {
            for (k, w) in words.iter().enumerate() {
                if !w.is_static() {
                    arns.push(written_shorthand_arn(w).unwrap_or_else(|| dynamic_text(w)));
                    continue;
                }
                match shorthand::parse(w) {
                    Err(e) => {
                        // The character the parser stopped at (one byte would split a multi-byte one).
                        let from = e.at.min(w.value.len());
                        let to = from + w.value[from..].chars().next().map_or(0, char::len_utf8);
                        let at = w.span_of(from..to);
                        let help = shorthand_help(w, &e);
                        bad(
                            self,
                            at,
                            format!("Error parsing parameter '--policy-arns': {}", e.message),
                            &help,
                        );
                        return None;
                    }
                    Ok(pairs) => {
                        for (key, value) in pairs {
                            if key.value != "arn" {
                                let msg = format!("Unknown parameter in PolicyArns[{k}]: \"{}\", must be one of: arn", key.value);
                                let help = if key.value.starts_with("arn:") {
                                    "a bare ARN is read as a key: write each entry as `arn=ARN`, separated by spaces".to_string()
                                } else {
                                    format!("write `arn={}`", shorthand_value_text(&value))
                                };
                                bad(self, key.whole(), msg, &help);
                                return None;
                            }
                            match value {
                                Sh::Str(t) => arns.push(t),
                                other => {
                                    let kind = if matches!(other, Sh::List(_)) {
                                        "list"
                                    } else {
                                        "dict"
                                    };
                                    bad(self, w.whole(), format!("Invalid type for parameter PolicyArns[{k}].arn, type: <class '{kind}'>, valid types: <class 'str'>"), "give one ARN per `arn=` entry and separate entries with spaces: `arn=ARN1 arn=ARN2`");
                                    return None;
                                }
                            }
                        }
                    }
                }
            }
        }
        Some(PolicyArns {
            arns,
            name: o.name_span.clone(),
            span,
        })
    }

    /// One `{"arn": ...}` entry of a JSON --policy-arns value (spans already in `source`).
    fn json_descriptor(
        &mut self,
        item: &json::Node,
        source: crate::source::SourceId,
        index: usize,
        arns: &mut Vec<Text>,
    ) -> bool {
        let at = |r: &std::ops::Range<usize>| Span::new(source, r.clone());
        let Some(members) = item.members() else {
            self.diags.push(
                INVALID_TYPE
                    .report(format!("Invalid type for parameter PolicyArns[{index}]: a JSON {}, but each entry must be an object `{{\"arn\": \"...\"}}`", item.type_name()))
                    .at(at(&item.span), "not an object")
                    .help("write each entry as {\"arn\": \"arn:aws:iam::111122223333:policy/Name\"}")
                    .param("PolicyArns"),
            );
            return false;
        };
        for m in members {
            if m.key.value != "arn" {
                self.diags.push(
                    POLICY_ARNS_SYNTAX
                        .report(format!(
                            "Unknown parameter in PolicyArns[{index}]: \"{}\", must be one of: arn",
                            m.key.value
                        ))
                        .at(m.key.whole(), "unknown key")
                        .help("the key is `arn`, in lower case")
                        .param("PolicyArns"),
                );
                return false;
            }
            if members
                .iter()
                .skip_while(|x| !std::ptr::eq(*x, m))
                .skip(1)
                .any(|later| later.key.value == "arn")
            {
                continue; // Python's json keeps the last of duplicated keys.
            }
            match m.value.as_str() {
                Some(t) => arns.push(t.clone()),
                None => {
                    self.diags.push(
                        INVALID_TYPE
                            .report(format!("Invalid type for parameter PolicyArns[{index}].arn: a JSON {}, valid types: string", m.value.type_name()))
                            .at(at(&m.value.span), "not a string")
                            .help("give the ARN as a string")
                            .param("PolicyArns"),
                    );
                    return false;
                }
            }
        }
        true
    }
}

pub(super) fn shorthand_value_text(v: &Sh) -> String {
    match v {
        Sh::Str(t) => t.value.clone(),
        _ => "ARN".into(),
    }
}

pub(super) fn shorthand_help(w: &Text, e: &shorthand::ShError) -> String {
    if e.message.starts_with("Second instance") {
        return "separate the entries with spaces, not commas: `arn=ARN1 arn=ARN2`".into();
    }
    if w.value.starts_with("arn:") {
        let arns: Vec<&str> = w.value.split(',').map(str::trim).collect();
        return format!(
            "write each entry as `arn=ARN`, separated by spaces: `{}`",
            arns.iter()
                .map(|a| format!("arn={a}"))
                .collect::<Vec<_>>()
                .join(" ")
        );
    }
    "write each entry as `arn=ARN`, separated by spaces, or give JSON: `'[{\"arn\":\"ARN\"}]'`"
        .into()
}

/// A value for a message: the token's literal part may be a secret, so for it only the shell
/// expressions are named.
pub(super) fn shown(w: &Text, member: Option<&str>) -> String {
    if member == Some("WebIdentityToken") {
        // An expression written over several lines (`$(curl ... \<newline> ...)`) on one line.
        let one_line = |e: &str| {
            e.split_whitespace()
                .filter(|p| *p != "\\")
                .collect::<Vec<_>>()
                .join(" ")
        };
        let exprs: Vec<String> = w
            .dynamic
            .iter()
            .map(|d| format!("`{}`", one_line(&d.expr)))
            .collect();
        return format!("(from {})", exprs.join(" and "));
    }
    format!("`{}`", crate::diagnostic::shown(&w.display()))
}

/// The ARN of a shorthand word the shell completes (`arn=arn:aws:iam::${ACCOUNT_ID}:policy/ci`),
/// its written parts kept for the rules: only a word that is one `arn=` key written before any
/// unknown part (a `,` or another key could change what the CLI reads).
fn written_shorthand_arn(w: &Text) -> Option<Text> {
    let first = w.dynamic.first()?;
    let one_key = w.value[..first.at].starts_with("arn=")
        && !w.value[4..].contains([',', '='])
        && !w.value.contains(char::is_whitespace);
    one_key.then(|| w.slice(4..w.value.len()))
}

/// A stand-in for a value whose content is unknown (a URL the CLI fetches, a file only the script knows).
pub(super) fn dynamic_text(w: &Text) -> Text {
    Text::unknown(w.display(), &w.whole())
}

/// Whether the rules say all that can be known before the run of a RoleSessionName built from CI
/// variables (`rules/ci-variables.json`), so that no note is needed: every expansion is a
/// catalogued variable and either the name is valid on every run — literal text that fits and
/// variables whose every value fits (`"gha-${{ github.run_id }}-${{ github.run_attempt }}"`,
/// `ci-$CI_PIPELINE_ID`), at most 64 characters whatever they hold — or a rule reports it (S002 for
/// a variable that can hold other characters, S001 for lengths that pass 64).
fn session_name_described(w: &Text, member: Option<&str>) -> bool {
    use crate::model::ci_variables as ci;
    if member != Some("RoleSessionName") {
        return false;
    }
    let exprs: Vec<&str> = w.dynamic.iter().map(|d| d.expr.as_str()).collect();
    if !ci::all_known(&exprs) {
        return false;
    }
    let literal_ok = w
        .value
        .bytes()
        .all(|b| b.is_ascii_alphanumeric() || b"_+=,.@-".contains(&b));
    let lengths = ci::lengths(w.value.chars().count(), &exprs);
    // At least 2 characters even where the variables are empty (a run outside the CI system).
    let always_valid = literal_ok
        && w.value.len() >= crate::limits::SESSION_NAME_MIN
        && lengths
            .max
            .is_some_and(|max| max <= crate::limits::SESSION_NAME_MAX);
    always_valid
        || exprs.iter().any(|e| ci::is_risky(e))
        || lengths.reached > crate::limits::SESSION_NAME_MAX
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn at_equals_loads_a_file_only_after_a_key() {
        // Checked against awscli 1.46.3's ShorthandParser: `arn@=x` → {'arn': 'x'} read from a
        // file; `arn=x@=y` → {'arn': 'x@=y'}.
        assert!(loads_from_file("arn@=file://arns.txt"));
        assert!(loads_from_file(" arn @=x"));
        assert!(loads_from_file("a=1,arn@=x"));
        assert!(!loads_from_file("arn=arn:aws:iam::000000000000:policy/@="));
        assert!(!loads_from_file("arn=x@=y"));
        assert!(!loads_from_file("arn=x"));
    }

    #[test]
    fn python_int_matches_python() {
        assert_eq!(python_int("3600"), Some(3600));
        assert_eq!(python_int(" 3600\n"), Some(3600));
        assert_eq!(python_int("+3_600"), Some(3600));
        assert_eq!(python_int("-5"), Some(-5));
        assert_eq!(python_int("\u{661}\u{662}\u{663}\u{664}"), Some(1234));
        assert_eq!(python_int("\u{ff13}\u{ff16}\u{ff10}\u{ff10}"), Some(3600));
        for bad in ["", "1h", "3600.0", "0x10", "3__600", "_1", "1_", "+", " "] {
            assert_eq!(python_int(bad), None, "{bad:?}");
        }
    }
}
