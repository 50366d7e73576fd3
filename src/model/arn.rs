//! ARNs, split one way: the `arn` crate's [`Arn`] (`NaiveArn`) for an ARN that must be whole (a role ARN,
//! a managed policy ARN), and [`fields`] — the same `splitn(6, ':')` the crate makes — where IAM
//! itself accepts fields the crate rejects (an empty resource in a policy's `Resource`, a
//! principal ARN being explained rather than validated).

pub use arn::naive::{NaiveArn as Arn, ParseNaiveArnError as ArnError};

/// Parses an ARN whose partition, service and resource are all present.
pub fn parse(s: &str) -> Result<Arn<'_>, ArnError> {
    Arn::parse(s)
}

/// The six `:`-separated fields of an ARN (`arn`, partition, service, region, account,
/// resource), any of them empty; `None` when there are fewer than six. The prefix is not checked.
pub fn fields(s: &str) -> Option<[&str; 6]> {
    let mut it = s.splitn(6, ':');
    let mut out = [""; 6];
    for f in &mut out {
        *f = it.next()?;
    }
    Some(out)
}

/// `arn:PARTITION:...:ACCOUNT:...` → (partition, account), either of them possibly empty.
pub fn partition_and_account(s: &str) -> Option<(&str, &str)> {
    fields(s).filter(|f| f[0] == "arn").map(|f| (f[1], f[4]))
}

/// The partition of text that starts `arn:`, however the rest is written.
pub fn partition(s: &str) -> Option<&str> {
    s.strip_prefix("arn:")?.split(':').next()
}

/// The byte offset of `part` (a field [`parse`] or [`fields`] returned) within `whole`.
pub fn offset(whole: &str, part: &str) -> usize {
    part.as_ptr() as usize - whole.as_ptr() as usize
}

/// What the written start of an ARN fixes when the rest is known only at run time
/// (`arn:aws:iam::` of `arn:aws:iam::${ACCOUNT}:role/ci`): each field a `:` already ends in the
/// written text, and the written start of the resource once all five `:` are there. Whatever the
/// run fills in comes after these, so they are the ARN's on every run.
#[derive(Debug, Default, PartialEq, Eq)]
pub struct Prefix<'a> {
    pub partition: Option<&'a str>,
    pub service: Option<&'a str>,
    pub region: Option<&'a str>,
    pub account: Option<&'a str>,
    /// The start of the resource; the unknown part goes on from its end.
    pub resource: Option<&'a str>,
}

/// The fields `prefix` (text that starts `arn:`) fixes; `None` when it does not start `arn:`.
pub fn prefix(prefix: &str) -> Option<Prefix<'_>> {
    let f: Vec<&str> = prefix.strip_prefix("arn:")?.splitn(5, ':').collect();
    let done = |i: usize| (i + 1 < f.len()).then(|| f[i]);
    Some(Prefix {
        partition: done(0),
        service: done(1),
        region: done(2),
        account: done(3),
        resource: f.get(4).copied(),
    })
}

/// In the written end of an ARN (`:role/deploy/ci` of `arn:aws:iam::${ACCOUNT}:role/deploy/ci`),
/// the byte ranges of the path from its first to its last `/` (`/deploy/`) and of the name after
/// the last `/` (`ci`): whatever the run fills in before them, the resource ends with these.
/// `None` when the end holds no `/`.
pub fn tail(end: &str) -> Option<(std::ops::Range<usize>, std::ops::Range<usize>)> {
    let first = end.find('/')?;
    let last = end.rfind('/')?;
    Some((first..last + 1, last + 1..end.len()))
}

/// The written resource of an ARN whose unknown parts hold no `:` (an account ID, a role name):
/// the text after the fifth `:`, when that `:` is written after the last unknown part at `last`.
/// `value` is the written text, `value[last..]` what follows the last unknown part.
pub fn resource_after(value: &str, last: usize) -> Option<&str> {
    let before = value[..last].matches(':').count();
    let end = &value[last..];
    let (i, _) = end.match_indices(':').nth(4usize.checked_sub(before)?)?;
    Some(&end[i + 1..])
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fields_keep_empty_parts_and_the_rest_of_the_resource() {
        assert_eq!(
            fields("arn:aws:s3:::bucket/a:b"),
            Some(["arn", "aws", "s3", "", "", "bucket/a:b"])
        );
        assert_eq!(fields("arn:aws:iam::1"), None);
        assert_eq!(
            partition_and_account("arn:aws-cn:iam::111122223333:role/x"),
            Some(("aws-cn", "111122223333"))
        );
        assert_eq!(partition_and_account("urn:aws:iam::1:role/x"), None);
        assert_eq!(partition("arn:aws-us-gov"), Some("aws-us-gov"));
        assert_eq!(partition("role/x"), None);
    }

    #[test]
    fn parse_and_fields_agree_on_whole_arns() {
        for s in [
            "arn:aws:iam::111122223333:role/ci",
            "arn:aws:sts::111122223333:assumed-role/ci/s",
            "arn:aws:iam::aws:policy/ReadOnlyAccess",
        ] {
            let a = parse(s).unwrap();
            let f = fields(s).unwrap();
            assert_eq!(
                [
                    a.partition,
                    a.service,
                    a.region.unwrap_or(""),
                    a.account_id.unwrap_or(""),
                    a.resource
                ],
                f[1..]
            );
            assert_eq!(&s[offset(s, a.resource)..], a.resource);
        }
        assert!(parse("arn:aws:iam::1:").is_err());
        assert!(fields("arn:aws:iam::1:").is_some());
    }

    #[test]
    fn written_starts_and_ends_fix_what_they_end() {
        let p = prefix("arn:aws:iam::").unwrap();
        assert_eq!(
            (p.partition, p.service, p.region, p.account, p.resource),
            (Some("aws"), Some("iam"), Some(""), None, None)
        );
        let p = prefix("arn:aws:iam::111122223333:role/a").unwrap();
        assert_eq!(
            (p.account, p.resource),
            (Some("111122223333"), Some("role/a"))
        );
        assert_eq!(prefix("arn:aw").unwrap(), Prefix::default());
        assert!(prefix("ar").is_none() && prefix("urn:aws").is_none());
        assert_eq!(tail(":role/deploy/ci"), Some((5..13, 13..15)));
        assert_eq!(tail(":role/ci"), Some((5..6, 6..8)));
        assert_eq!(tail("-ci"), None);
        let v = "arn:aws:iam:::user/ci"; // `arn:aws:iam::${ACCOUNT}:user/ci`
        assert_eq!(resource_after(v, 13), Some("user/ci"));
        assert_eq!(
            resource_after("arn:aws:iam::1:role/", 20),
            None,
            "the unknown part is in the resource"
        );
        assert_eq!(resource_after("arn:", 4), None);
    }
}
