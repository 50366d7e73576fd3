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
}
