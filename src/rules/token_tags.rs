//! Session tags and source identity carried in the token: T019 token-session-tags,
//! T020 token-source-identity, T021 token-needs-trust-permission.
//!
//! With web identity federation, session tags ride only in the token, in the claim
//! `https://aws.amazon.com/tags` = `{"principal_tags": {KEY: [VALUE]}, "transitive_tag_keys": [KEY]}`
//! (IAMUG id_session-tags): one value per key, at most 50 tags, keys 1–128 and values 0–256
//! characters of `[\p{L}\p{Z}\p{N}_.:/=+\-@]`, no `aws:` prefix. Passing tags needs
//! `sts:TagSession` in the role's trust policy; a source identity
//! (`https://aws.amazon.com/source_identity`) needs `sts:SetSourceIdentity`.

use super::{chars, claims_of, Ctx};
use crate::diagnostic::{shown, Diagnostic, Rule, Severity};
use crate::limits::{
    is_name_char, is_tag_char, SESSION_TAGS_MAX, SOURCE_IDENTITY_CLAIM, SOURCE_IDENTITY_MAX,
    SOURCE_IDENTITY_MIN, TAGS_CLAIM, TAG_KEY_MAX, TAG_VALUE_MAX,
};
use crate::model::request::Request;
use crate::model::token::type_name;
use serde_json::Value;

pub static TAGS: Rule = Rule {
    code: "T019",
    name: "token-session-tags",
    severity: Severity::Error,
    summary: "session tags claim `https://aws.amazon.com/tags` that STS refuses (structure, more than one value, over 50 tags, length, characters, `aws:` prefix, transitive keys)",
};
pub static SOURCE_IDENTITY: Rule = Rule {
    code: "T020",
    name: "token-source-identity",
    severity: Severity::Error,
    summary: "source identity claim `https://aws.amazon.com/source_identity` that STS refuses",
};
pub static NEEDS_PERMISSION: Rule = Rule {
    code: "T021",
    name: "token-needs-trust-permission",
    severity: Severity::Info,
    summary: "token with session tags or a source identity, which the role's trust policy must allow (`sts:TagSession`, `sts:SetSourceIdentity`)",
};

const P: &str = "WebIdentityToken";

pub fn check(req: &Request, _: &Ctx, out: &mut Vec<Diagnostic>) {
    let Some((t, jws, claims)) = claims_of(req) else {
        return;
    };
    let span = t.span_of(jws.payload.range.clone());
    let mut err = |msg: String, help: &str| {
        out.push(
            TAGS.report(msg)
                .at(span.clone(), "claim `https://aws.amazon.com/tags`")
                .help(help)
                .param(P),
        );
    };
    let mut tag_count = 0;
    if let Some(tags) = claims.get(TAGS_CLAIM) {
        const SHAPE: &str = "write the claim as `{\"principal_tags\": {\"KEY\": [\"VALUE\"]}, \"transitive_tag_keys\": [\"KEY\"]}`";
        match tags {
            Value::Object(m) => {
                for k in m
                    .keys()
                    .filter(|k| !["principal_tags", "transitive_tag_keys"].contains(&k.as_str()))
                {
                    err(format!("the session tags claim has an unknown member `{}`; STS reads only `principal_tags` and `transitive_tag_keys`", shown(k)), SHAPE);
                }
                let mut keys: Vec<&str> = Vec::new();
                match m.get("principal_tags") {
                    None => err(
                        "the session tags claim has no `principal_tags`, so it passes no tags"
                            .into(),
                        SHAPE,
                    ),
                    Some(Value::Object(pt)) => {
                        tag_count = pt.len();
                        if pt.len() > SESSION_TAGS_MAX {
                            err(format!("the token carries {} session tags; STS accepts at most {SESSION_TAGS_MAX}", pt.len()), "pass fewer tags: move the rest into the role's own tags");
                        }
                        let mut seen: Vec<String> = Vec::new();
                        for (k, v) in pt {
                            keys.push(k);
                            let ks = shown(k);
                            if !(1..=TAG_KEY_MAX).contains(&chars(k)) {
                                err(format!("session tag key `{ks}` is {} characters; keys are 1 to {TAG_KEY_MAX}", chars(k)), "shorten the tag key");
                            }
                            if let Some(c) = k.chars().find(|c| !is_tag_char(*c)) {
                                err(format!("session tag key `{ks}` has {c:?}; keys and values may hold letters, digits, spaces and `_ . : / = + - @`"), "rename the tag key without that character");
                            }
                            if k.get(..4).is_some_and(|p| p.eq_ignore_ascii_case("aws:")) {
                                err(format!("session tag key `{ks}` starts with `aws:`, which is reserved for AWS"), "rename the tag key without the `aws:` prefix");
                            }
                            let lower = k.to_lowercase();
                            if seen.contains(&lower) {
                                err(format!("session tag key `{ks}` differs from another key only in case; IAM treats tag keys case-insensitively and refuses the pair"), "keep one of the two keys");
                            }
                            seen.push(lower);
                            match v {
                                Value::Array(a) if a.len() == 1 && a[0].is_string() => {
                                    let val = a[0].as_str().unwrap_or_default();
                                    if chars(val) > TAG_VALUE_MAX {
                                        err(format!("session tag `{ks}` has a value of {} characters; values are at most {TAG_VALUE_MAX}", chars(val)), "shorten the tag value");
                                    }
                                    if let Some(c) = val.chars().find(|c| !is_tag_char(*c)) {
                                        err(format!("session tag `{ks}` has {c:?} in its value `{}`; keys and values may hold letters, digits, spaces and `_ . : / = + - @`", shown(val)), "remove that character from the tag value");
                                    }
                                }
                                Value::Array(a) if a.len() > 1 => err(format!("session tag `{ks}` has {} values; a session tag has exactly one (`[\"VALUE\"]`)", a.len()), "keep one value per tag key (join several into one value, e.g. `a:b`)"),
                                other => err(format!("session tag `{ks}` is a JSON {}; each tag is an array holding one string, `\"{ks}\": [\"VALUE\"]`", if matches!(other, Value::Array(_)) { "array without a string".to_string() } else { type_name(other).to_string() }), SHAPE),
                            }
                        }
                    }
                    Some(v) => err(
                        format!(
                            "`principal_tags` is a JSON {}, not an object of tags",
                            type_name(v)
                        ),
                        SHAPE,
                    ),
                }
                match m.get("transitive_tag_keys") {
                    None => {}
                    Some(Value::Array(a)) => {
                        for k in a {
                            match k.as_str() {
                                Some(k) if keys.iter().any(|x| x.eq_ignore_ascii_case(k)) => {}
                                Some(k) => err(format!("transitive tag key `{}` is not one of the token's tags ({}); STS refuses transitive keys that name no tag", shown(k), if keys.is_empty() { "none".to_string() } else { keys.iter().map(|k| format!("`{}`", shown(k))).collect::<Vec<_>>().join(", ") }), "list in `transitive_tag_keys` only keys of `principal_tags`"),
                                None => err(format!("`transitive_tag_keys` holds a JSON {}; it is an array of tag keys", type_name(k)), SHAPE),
                            }
                        }
                    }
                    Some(v) => err(
                        format!(
                            "`transitive_tag_keys` is a JSON {}, not an array of tag keys",
                            type_name(v)
                        ),
                        SHAPE,
                    ),
                }
            }
            other => err(
                format!(
                    "the session tags claim is a JSON {}, not an object",
                    type_name(other)
                ),
                SHAPE,
            ),
        }
    }
    let mut source_identity = false;
    if let Some(v) = claims.get(SOURCE_IDENTITY_CLAIM) {
        source_identity = true;
        let bad = match v {
            Value::String(s) => {
                let n = chars(s);
                if !(SOURCE_IDENTITY_MIN..=SOURCE_IDENTITY_MAX).contains(&n) {
                    Some(format!("the token's source identity `{}` is {n} characters; it must be {SOURCE_IDENTITY_MIN} to {SOURCE_IDENTITY_MAX}", shown(s)))
                } else if let Some(c) = s.chars().find(|c| !is_name_char(*c)) {
                    Some(format!("the token's source identity `{}` has {c:?}; it may hold only letters, digits and `_+=,.@-`", shown(s)))
                } else if s.get(..4).is_some_and(|p| p.eq_ignore_ascii_case("aws:")) {
                    Some(format!("the token's source identity `{}` starts with `aws:`, which is reserved for AWS", shown(s)))
                } else {
                    None
                }
            }
            other => Some(format!(
                "the token's source identity claim is a JSON {}, not a string",
                type_name(other)
            )),
        };
        if let Some(msg) = bad {
            out.push(SOURCE_IDENTITY.report(format!("{msg}; STS refuses the request"))
                .at(span.clone(), "claim `https://aws.amazon.com/source_identity`")
                .help("configure the identity provider to set the source identity to the user's name or email, 2–64 characters of letters, digits and `_+=,.@-`")
                .param(P));
        }
    }
    let mut needs = Vec::new();
    let mut actions = vec!["\"sts:AssumeRoleWithWebIdentity\""];
    if tag_count > 0 {
        actions.push("\"sts:TagSession\"");
        needs.push(format!(
            "`sts:TagSession` (it carries {tag_count} session tag{})",
            if tag_count == 1 { "" } else { "s" }
        ));
    }
    if source_identity {
        actions.push("\"sts:SetSourceIdentity\"");
        needs.push("`sts:SetSourceIdentity` (it carries a source identity)".to_string());
    }
    if !needs.is_empty() {
        out.push(NEEDS_PERMISSION.report(format!("the role's trust policy must allow {} besides `sts:AssumeRoleWithWebIdentity`, or STS answers `AccessDenied`", needs.join(" and ")))
            .at(span, "payload")
            .help(format!("add the actions to the trust policy statement that allows the federated principal: `\"Action\": [{}]`", actions.join(", ")))
            .param(P));
    }
}

#[cfg(test)]
mod tests {
    use super::super::testing::codes;
    use crate::model::token::b64url_encode as b64;

    fn tags(extra: &str) -> Vec<&'static str> {
        let c = format!(
            r#"{{"iss":"https://idp.example.com","sub":"s","aud":"a","exp":1795435800{extra}}}"#
        );
        codes(&format!("aws sts assume-role-with-web-identity --role-arn arn:aws:iam::111122223333:role/ci --role-session-name s --web-identity-token eyJhbGciOiJSUzI1NiIsImtpZCI6ImsifQ.{}.c2ln", b64(c.as_bytes())))
            .into_iter().filter(|c| ["T019", "T020", "T021"].contains(c)).collect()
    }

    #[test]
    fn good_tags_and_source_identity_pass_with_a_note() {
        assert_eq!(tags(""), Vec::<&str>::new());
        assert_eq!(
            tags(
                r#","https://aws.amazon.com/tags":{"principal_tags":{"Project":["a b/c"],"Team":[""]},"transitive_tag_keys":["project"]}"#
            ),
            ["T021"]
        );
        assert_eq!(
            tags(r#","https://aws.amazon.com/source_identity":"alice@example.com""#),
            ["T021"]
        );
    }

    #[test]
    fn bad_tags_and_source_identity_fail() {
        for bad in [
            r#""x""#,
            r#"{"principal_tags":{"P":["a","b"]}}"#,
            r#"{"principal_tags":{"P":"a"}}"#,
            r#"{"principal_tags":{"aws:P":["a"]}}"#,
            r#"{"principal_tags":{"P!":["a"]}}"#,
            r#"{"principal_tags":{"P":["a"],"p":["b"]}}"#,
            r#"{"principal_tags":{"P":["a"]},"transitive_tag_keys":["Q"]}"#,
            r#"{"principal_tags":{"P":["a"]},"extra":1}"#,
            r#"{"transitive_tag_keys":[]}"#,
        ] {
            assert!(
                tags(&format!(r#","https://aws.amazon.com/tags":{bad}"#)).contains(&"T019"),
                "{bad}"
            );
        }
        let many: Vec<String> = (0..51).map(|i| format!(r#""k{i}":["v"]"#)).collect();
        assert!(tags(&format!(
            r#","https://aws.amazon.com/tags":{{"principal_tags":{{{}}}}}"#,
            many.join(",")
        ))
        .contains(&"T019"));
        for bad in [r#""a""#, r#""aws:alice""#, r#""alice smith""#, "7"] {
            assert!(
                tags(&format!(
                    r#","https://aws.amazon.com/source_identity":{bad}"#
                ))
                .contains(&"T020"),
                "{bad}"
            );
        }
    }
}
