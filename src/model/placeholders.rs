//! Placeholders that documentation writes where the reader fills in a value — `<ROLE ARN>`,
//! `YOUR_ACCOUNT_ID`, `ACCOUNT_ID`, `xxxxxxxxxxxx` — found in a script's values (Q011) and, in
//! documentation's code blocks, read as values only known at run time.

use regex::Regex;
use std::ops::Range;
use std::sync::LazyLock;

/// Placeholders that documentation writes where the reader fills in a value: `<ROLE ARN>`, `<>`,
/// `YOUR_ACCOUNT_ID`, `ACCOUNT_ID`, `xxxxxxxxxxxx` (read only in documentation's code blocks).
pub static PATTERN: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(concat!(
        r"<[A-Za-z_][^<>\n]{0,80}>|<>",
        r"|\b(?:YOUR|Your|your|MY|my)[_-][A-Za-z0-9_-]*[A-Za-z0-9]",
        r"|\b(?:AWS_)?ACCOUNT[_-]?(?:ID|NUMBER)\b|\b[Aa]ccount[_-]?[Ii][Dd]\b",
        r"|\b[xX]{6,}\b",
    ))
    .expect("placeholder pattern")
});

/// The first placeholder in a value written in a script: `<...>`, `YOUR_...`, `xxxxxx`. (`my-role`
/// and `account-id` are real names often enough; an account field that is only `ACCOUNT_ID` is
/// checked with [`is_whole`].)
pub fn find(s: &str) -> Option<Range<usize>> {
    PATTERN
        .find_iter(s)
        .find(|m| {
            let t = m.as_str();
            t.starts_with('<')
                || t.get(..4).is_some_and(|p| p.eq_ignore_ascii_case("your"))
                || t.bytes().all(|b| b == b'x' || b == b'X')
        })
        .map(|m| m.range())
}

/// Whether all of `s` is one placeholder (`ACCOUNT_ID` as an ARN's account).
pub fn is_whole(s: &str) -> bool {
    PATTERN
        .find(s)
        .is_some_and(|m| m.start() == 0 && m.end() == s.len())
}

#[cfg(test)]
mod tests {
    #[test]
    fn placeholders_are_found() {
        for (s, want) in [
            ("arn:aws:iam::YOUR_ACCOUNT_ID:role/x", "YOUR_ACCOUNT_ID"),
            ("arn:aws:iam::<account-id>:role/x", "<account-id>"),
            ("arn:aws:iam::xxxxxxxxxxxx:role/x", "xxxxxxxxxxxx"),
            ("<>", "<>"),
        ] {
            let r = super::find(s).unwrap();
            assert_eq!(&s[r], want);
        }
        for s in [
            "arn:aws:iam::111122223333:role/account-id",
            "gh-run-1",
            "my-role",
        ] {
            assert_eq!(super::find(s), None, "{s}");
        }
        assert!(super::is_whole("ACCOUNT_ID") && super::is_whole("AWS_ACCOUNT_ID"));
        assert!(!super::is_whole("111122223333"));
    }
}
