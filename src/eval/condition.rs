//! One condition with IAM semantics: operators, `IfExists`, negation, `ForAllValues` /
//! `ForAnyValue` on missing keys, `Null`, globs, numbers, dates and CIDRs, in three-valued logic.

use super::context::Lookup;
use crate::json::{Json, Node};
use crate::model::policy::operator;

/// Three-valued logic: a condition on a key known only at call time is `Unknown`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Tri {
    True,
    False,
    Unknown,
}

impl Tri {
    pub(crate) fn and(self, o: Tri) -> Tri {
        match (self, o) {
            (Tri::False, _) | (_, Tri::False) => Tri::False,
            (Tri::Unknown, _) | (_, Tri::Unknown) => Tri::Unknown,
            _ => Tri::True,
        }
    }
}

/// Glob match with `*` and `?`; case-insensitive when asked. Linear in the text: the pattern's
/// pieces between `*`s each have a fixed length, so each is matched at its leftmost place after
/// the one before (plain pieces with a substring search, pieces holding `?` with a `regex`), and
/// `StringLike "*aaa…b"` against a long `sub` costs no more than reading both.
pub fn glob(pattern: &str, s: &str, ignore_case: bool) -> bool {
    let (pattern, s) = if ignore_case {
        (pattern.to_lowercase(), s.to_lowercase())
    } else {
        (pattern.to_string(), s.to_string())
    };
    let pieces: Vec<&str> = pattern.split('*').collect();
    let [first, middle @ .., last] = pieces.as_slice() else {
        // No `*`: the whole text is one piece.
        return piece_at(&pattern, &s, 0).is_some_and(|end| end == s.len());
    };
    let Some(mut at) = piece_at(first, &s, 0) else {
        return false;
    };
    for p in middle {
        match find_piece(p, &s, at) {
            Some(end) => at = end,
            None => return false,
        }
    }
    // The last piece ends the text, after everything matched so far.
    let chars = last.chars().count();
    let Some(start) = s
        .char_indices()
        .rev()
        .nth(chars.wrapping_sub(1))
        .map(|(i, _)| i)
        .or((chars == 0).then_some(s.len()))
    else {
        return false;
    };
    start >= at && piece_at(last, &s, start) == Some(s.len())
}

/// Where `piece` (literal text and `?`) ends when it matches `s` at byte `at`.
fn piece_at(piece: &str, s: &str, at: usize) -> Option<usize> {
    let mut rest = s.get(at..)?.chars();
    let mut end = at;
    for p in piece.chars() {
        let c = rest.next()?;
        if p != '?' && p != c {
            return None;
        }
        end += c.len_utf8();
    }
    Some(end)
}

/// Where the leftmost match of `piece` at or after byte `at` of `s` ends.
fn find_piece(piece: &str, s: &str, at: usize) -> Option<usize> {
    let hay = s.get(at..)?;
    if !piece.contains('?') {
        return hay.find(piece).map(|i| at + i + piece.len());
    }
    let re: String = piece
        .chars()
        .map(|c| match c {
            '?' => "(?s:.)".to_string(),
            c => regex::escape(&c.to_string()),
        })
        .collect();
    let re = regex::Regex::new(&re).ok()?;
    re.find(hay).map(|m| at + m.end())
}

fn date(s: &str) -> Option<i64> {
    s.parse::<i64>()
        .ok()
        .or_else(|| {
            chrono::DateTime::parse_from_rfc3339(s)
                .ok()
                .map(|d| d.timestamp())
        })
        .or_else(|| {
            chrono::NaiveDate::parse_from_str(s, "%Y-%m-%d")
                .ok()
                .and_then(|d| d.and_hms_opt(0, 0, 0))
                .map(|d| d.and_utc().timestamp())
        })
}

fn ip_in(cidr: &str, ip: &str) -> bool {
    let (net, bits) = cidr
        .split_once('/')
        .map_or((cidr, None), |(a, b)| (a, b.parse::<u32>().ok()));
    match (
        net.parse::<std::net::IpAddr>(),
        ip.parse::<std::net::IpAddr>(),
    ) {
        (Ok(std::net::IpAddr::V4(n)), Ok(std::net::IpAddr::V4(a))) => {
            let b = bits.unwrap_or(32).min(32);
            let mask = if b == 0 { 0 } else { u32::MAX << (32 - b) };
            u32::from(n) & mask == u32::from(a) & mask
        }
        (Ok(std::net::IpAddr::V6(n)), Ok(std::net::IpAddr::V6(a))) => {
            let b = bits.unwrap_or(128).min(128);
            let mask = if b == 0 { 0 } else { u128::MAX << (128 - b) };
            u128::from(n) & mask == u128::from(a) & mask
        }
        _ => false,
    }
}

/// Whether one value matches one expected value, for the base operator (negation applied by the caller).
fn matches(base: &str, expected: &str, actual: &str) -> bool {
    match base {
        "StringEquals" | "StringNotEquals" => expected == actual,
        "StringEqualsIgnoreCase" | "StringNotEqualsIgnoreCase" => {
            expected.eq_ignore_ascii_case(actual)
        }
        "StringLike" | "StringNotLike" => glob(expected, actual, false),
        "ArnEquals" | "ArnNotEquals" | "ArnLike" | "ArnNotLike" => glob(expected, actual, false),
        "Bool" => expected.eq_ignore_ascii_case(actual),
        "BinaryEquals" => expected == actual,
        "IpAddress" | "NotIpAddress" => ip_in(expected, actual),
        b if b.starts_with("Numeric") => match (expected.parse::<f64>(), actual.parse::<f64>()) {
            (Ok(e), Ok(a)) => compare(b.trim_start_matches("Numeric"), a.partial_cmp(&e)),
            _ => false,
        },
        b if b.starts_with("Date") => match (date(expected), date(actual)) {
            (Some(e), Some(a)) => compare(b.trim_start_matches("Date"), Some(a.cmp(&e))),
            _ => false,
        },
        _ => false,
    }
}

fn compare(rel: &str, ord: Option<std::cmp::Ordering>) -> bool {
    use std::cmp::Ordering::*;
    matches!(
        (rel, ord),
        ("Equals" | "NotEquals", Some(Equal))
            | ("LessThan", Some(Less))
            | ("LessThanEquals", Some(Less | Equal))
            | ("GreaterThan", Some(Greater))
            | ("GreaterThanEquals", Some(Greater | Equal))
    )
}

fn negated(base: &str) -> bool {
    base.contains("Not") && base != "Null"
}

/// Evaluates one condition with IAM semantics.
pub fn eval_condition(op_name: &str, expected: &[String], actual: &Lookup) -> Tri {
    let op = operator(op_name);
    let Some(_) = op.kind else { return Tri::False };
    if op.base == "Null" {
        let want_absent = expected.iter().any(|e| e.eq_ignore_ascii_case("true"));
        return match actual {
            Lookup::Unknown => Tri::Unknown,
            Lookup::Absent => {
                if want_absent {
                    Tri::True
                } else {
                    Tri::False
                }
            }
            Lookup::Values(v) => {
                if want_absent == v.is_empty() {
                    Tri::True
                } else {
                    Tri::False
                }
            }
        };
    }
    let values = match actual {
        Lookup::Unknown => return Tri::Unknown,
        Lookup::Absent => {
            // A missing key: IfExists and negated operators match, ForAllValues matches (the empty
            // set is a subset of anything), everything else does not.
            let t = op.if_exists || negated(op.base) || op.qualifier == Some("ForAllValues");
            return if t { Tri::True } else { Tri::False };
        }
        Lookup::Values(v) => v,
    };
    let neg = negated(op.base);
    let one = |a: &str| {
        let hit = expected.iter().any(|e| matches(op.base, e, a));
        if neg {
            !hit
        } else {
            hit
        }
    };
    let r = match op.qualifier {
        Some("ForAllValues") => values.iter().all(|a| one(a)),
        Some("ForAnyValue") => values.iter().any(|a| one(a)),
        _ if neg => values.iter().all(|a| one(a)),
        _ => values.iter().any(|a| one(a)),
    };
    if r {
        Tri::True
    } else {
        Tri::False
    }
}

pub(crate) fn condition_values(n: &Node) -> Vec<String> {
    let one = |n: &Node| match &n.value {
        Json::String(t) => Some(t.value.clone()),
        Json::Number(s) => Some(s.clone()),
        Json::Bool(b) => Some(b.to_string()),
        _ => None,
    };
    match &n.value {
        Json::Array(items) => items.iter().filter_map(one).collect(),
        _ => one(n).into_iter().collect(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn vals(v: &[&str]) -> Lookup {
        Lookup::Values(v.iter().map(|s| s.to_string()).collect())
    }
    fn ev(op: &str, expected: &[&str], actual: Lookup) -> Tri {
        eval_condition(
            op,
            &expected.iter().map(|s| s.to_string()).collect::<Vec<_>>(),
            &actual,
        )
    }

    #[test]
    fn globs_match_like_iam() {
        assert!(glob(
            "repo:acme/*:ref:refs/heads/main",
            "repo:acme/app:ref:refs/heads/main",
            false
        ));
        assert!(!glob(
            "repo:acme/app:ref:refs/heads/main",
            "repo:acme/app:pull_request",
            false
        ));
        assert!(glob("a?c", "abc", false) && !glob("a?c", "abbc", false));
        assert!(glob("STS:Assume*", "sts:AssumeRoleWithWebIdentity", true));
        assert!(!glob("Repo:*", "repo:x", false));
        // the same answers as a backtracking matcher on every small case
        for (p, t, want) in [
            ("*", "", true),
            ("", "", true),
            ("", "a", false),
            ("a*", "a", true),
            ("*a", "ba", true),
            ("*a*", "bab", true),
            ("a*b*c", "abbbc", true),
            ("a*b*c", "acb", false),
            ("*ab*ab", "abab", true),
            ("*ab*ab", "aab", false),
            ("??", "é€", true),
            ("?*?", "a", false),
            ("a?*b", "axxb", true),
            ("*?b", "b", false),
            ("*a?a*", "xxaba", true),
        ] {
            assert_eq!(glob(p, t, false), want, "{p:?} {t:?}");
        }
        // linear: a pattern of 6,000 characters against a text of 14,000
        let p = format!("*{}b", "a".repeat(6000));
        assert!(!glob(&p, &"a".repeat(14_000), false));
        assert!(glob(&p, &format!("{}b", "a".repeat(14_000)), false));
    }

    #[test]
    fn conditions_follow_iam_semantics() {
        use Tri::*;
        assert_eq!(ev("StringEquals", &["a", "b"], vals(&["b"])), True);
        assert_eq!(ev("StringEquals", &["a"], vals(&["A"])), False);
        assert_eq!(ev("StringEqualsIgnoreCase", &["a"], vals(&["A"])), True);
        assert_eq!(
            ev(
                "StringLike",
                &["repo:acme/*"],
                vals(&["repo:acme/app:pull_request"])
            ),
            True
        );
        assert_eq!(ev("StringNotEquals", &["a"], vals(&["b"])), True);
        // Missing keys.
        assert_eq!(ev("StringEquals", &["a"], Lookup::Absent), False);
        assert_eq!(ev("StringEqualsIfExists", &["a"], Lookup::Absent), True);
        assert_eq!(ev("StringNotEquals", &["a"], Lookup::Absent), True);
        assert_eq!(
            ev("ForAllValues:StringEquals", &["a"], Lookup::Absent),
            True
        );
        assert_eq!(
            ev("ForAnyValue:StringEquals", &["a"], Lookup::Absent),
            False
        );
        assert_eq!(ev("Null", &["true"], Lookup::Absent), True);
        assert_eq!(ev("Null", &["false"], vals(&["x"])), True);
        // Sets.
        assert_eq!(
            ev(
                "ForAnyValue:StringLike",
                &["authenticated"],
                vals(&["authenticated", "cognito-idp.x"])
            ),
            True
        );
        assert_eq!(
            ev("ForAllValues:StringEquals", &["a", "b"], vals(&["a", "c"])),
            False
        );
        // Unknown offline.
        assert_eq!(ev("IpAddress", &["10.0.0.0/8"], Lookup::Unknown), Unknown);
        assert_eq!(ev("IpAddress", &["10.0.0.0/8"], vals(&["10.1.2.3"])), True);
        assert_eq!(ev("NumericLessThan", &["10"], vals(&["9"])), True);
        assert_eq!(
            ev(
                "DateLessThan",
                &["2027-01-01T00:00:00Z"],
                vals(&["2026-11-23T12:00:00Z"])
            ),
            True
        );
        assert_eq!(ev("Bool", &["true"], vals(&["true"])), True);
    }
}
