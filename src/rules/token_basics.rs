//! WebIdentityToken basics: T001 token-length, T002 token-whitespace, T003 token-bearer-prefix,
//! T004 token-url-encoded, T005 token-is-a-path.
//!
//! A token is a credential: no message here ever includes it, only its length and what is wrong.
//! Decoding the token (header, claims, expiry) is a later set of rules.

use super::{chars, Ctx};
use crate::diagnostic::{Diagnostic, Rule, Severity};
use crate::limits::{TOKEN_MAX, TOKEN_MIN};
use crate::model::request::Request;
use regex::Regex;
use std::sync::LazyLock;

pub static LENGTH: Rule = Rule {
    code: "T001",
    name: "token-length",
    severity: Severity::Error,
    summary: "WebIdentityToken shorter than 4 or longer than 20000 characters",
};
pub static WHITESPACE: Rule = Rule { code: "T002", name: "token-whitespace", severity: Severity::Warning, summary: "WebIdentityToken with leading or trailing whitespace or newline, which is sent as part of it" };
pub static BEARER: Rule = Rule {
    code: "T003",
    name: "token-bearer-prefix",
    severity: Severity::Error,
    summary: "WebIdentityToken that starts with `Bearer `",
};
pub static URL_ENCODED: Rule = Rule {
    code: "T004",
    name: "token-url-encoded",
    severity: Severity::Warning,
    summary: "WebIdentityToken that looks URL-encoded (`Atza%7C...`)",
};
pub static PATH: Rule = Rule {
    code: "T005",
    name: "token-is-a-path",
    severity: Severity::Error,
    summary: "WebIdentityToken that is a file path instead of the token (file:// missing)",
};

static PERCENT: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"%[0-9A-Fa-f]{2}").expect("valid regex"));
pub fn check(req: &Request, _: &Ctx, out: &mut Vec<Diagnostic>) {
    let Some(param) = &req.web_identity_token else {
        return;
    };
    let t = &param.text;
    let v = t.value.as_str();
    let p = "WebIdentityToken";
    if !t.is_static() {
        // Only the literal part is known: `"Bearer $TOKEN"` is still wrong.
        if t.dynamic.first().is_some_and(|d| d.at > 0) {
            bearer(t, v, out);
        }
        return;
    }
    let n = chars(v);
    if crate::model::token::is_path_like(v) {
        out.push(
            PATH.report(format!("WebIdentityToken is the path `{}`, not a token: without `file://` the AWS CLI sends the path itself, and STS answers `InvalidIdentityToken`", crate::diagnostic::shown(v)))
                .at(t.content_span(), "a path, sent as the token")
                .help(format!("write `--web-identity-token file://{}` to send the file's content", crate::diagnostic::shown(v)))
                .param(p),
        );
        return;
    }
    if n < TOKEN_MIN {
        out.push(LENGTH.report(format!("WebIdentityToken is {n} characters; it must be {TOKEN_MIN} to {TOKEN_MAX}: the AWS CLI refuses it before sending (`Invalid length for parameter WebIdentityToken, value: {n}, valid min length: {TOKEN_MIN}`)")).at(t.content_span(), "too short").help("pass the whole token, e.g. `--web-identity-token file://$AWS_WEB_IDENTITY_TOKEN_FILE`").param(p));
    } else if n > TOKEN_MAX {
        out.push(LENGTH.report(format!("WebIdentityToken is {n} characters; STS accepts at most {TOKEN_MAX}")).at(t.span_of(0..v.len().min(16)), "start of the token").help("check that the value is one token, not a file with several; ask the provider for a token with fewer claims").param(p));
    }
    let trimmed = v.trim();
    bearer(t, v, out);
    whitespace(req, t, v, out);
    if let Some(m) = PERCENT.find(trimmed) {
        let off = v.len() - v.trim_start().len() + m.start();
        let decoded = u8::from_str_radix(&m.as_str()[1..], 16)
            .map(char::from)
            .unwrap_or('?');
        out.push(
            URL_ENCODED
                .report(format!("WebIdentityToken looks URL-encoded (`{}` stands for {decoded:?}): the AWS CLI encodes it again, so STS receives `{}` instead of {decoded:?}", m.as_str(), m.as_str()))
                .at(t.span_of(off..off + 3), "percent-encoded")
                .help(format!("pass the token decoded: replace `{}` with `{decoded}` (Login with Amazon tokens start with `Atza|`)", m.as_str()))
                .param(p),
        );
    }
}

/// T002: whitespace or a byte-order mark around the token, or a token that is only whitespace.
fn whitespace(req: &Request, t: &crate::source::Text, v: &str, out: &mut Vec<Diagnostic>) {
    let p = "WebIdentityToken";
    let file = if t.source != req.span.source {
        " (the AWS CLI sends a file:// value exactly as the file holds it)"
    } else {
        ""
    };
    if let Some(rest) = v.strip_prefix('\u{feff}') {
        // Python's text mode keeps a UTF-8 byte-order mark, and no token starts with one.
        let _ = rest;
        out.push(
            WHITESPACE
                .report(format!("WebIdentityToken starts with a byte-order mark (U+FEFF), which is sent as part of the token{file}; STS answers `InvalidIdentityToken`"))
                .at(t.span_of(0..3), "byte-order mark")
                .help("save the token file without a byte-order mark (UTF-8 without BOM, e.g. `printf %s \"$TOKEN\" > token`)")
                .severity(crate::diagnostic::Severity::Error)
                .param(p),
        );
        return;
    }
    let trimmed = v.trim();
    if v.is_empty() || v == trimmed {
        return;
    }
    if trimmed.is_empty() {
        out.push(
            WHITESPACE
                .report(format!("WebIdentityToken is only whitespace ({} characters){file}: there is no token in it, and STS answers `InvalidIdentityToken`", chars(v)))
                .at(t.content_span(), "only whitespace")
                .help("pass the token itself, e.g. `--web-identity-token file://$AWS_WEB_IDENTITY_TOKEN_FILE`, and check that the file was written")
                .severity(crate::diagnostic::Severity::Error)
                .param(p),
        );
        return;
    }
    let (range, what) = if v.len() != v.trim_end().len() {
        (
            v.trim_end().len()..v.len(),
            if v.ends_with('\n') {
                "ends with a newline"
            } else {
                "ends with whitespace"
            },
        )
    } else {
        (0..v.len() - v.trim_start().len(), "starts with whitespace")
    };
    out.push(
        WHITESPACE
            .report(format!("WebIdentityToken {what}, which is sent as part of the token{file}; STS may reject it as `InvalidIdentityToken`"))
            .at(t.span_of(range), what.trim_start_matches("ends with ").trim_start_matches("starts with "))
            .help("write the token without surrounding whitespace (e.g. `printf %s \"$TOKEN\" > token` instead of `echo`)")
            .param(p),
    );
}

fn bearer(t: &crate::source::Text, v: &str, out: &mut Vec<Diagnostic>) {
    let lead = v.len() - v.trim_start().len();
    if v.trim_start()
        .get(..7)
        .is_some_and(|s| s.eq_ignore_ascii_case("bearer "))
    {
        out.push(
            BEARER
                .report("WebIdentityToken starts with `Bearer `: that is an HTTP header prefix, not part of the token; STS answers `InvalidIdentityToken`")
                .at(t.span_of(lead..lead + 7), "header prefix")
                .help("remove `Bearer ` and pass only the token")
                .param("WebIdentityToken"),
        );
    }
}

#[cfg(test)]
mod tests {
    use crate::rules::testing::codes;

    fn tok(v: &str) -> Vec<&'static str> {
        let s = format!("aws sts assume-role-with-web-identity --role-arn arn:aws:iam::111122223333:role/ci --role-session-name ci --web-identity-token {v}");
        codes(&s)
            .into_iter()
            .filter(|c| c.starts_with('T') && *c < "T006")
            .collect()
    }

    #[test]
    fn plain_tokens_pass() {
        assert_eq!(
            tok("eyJhbGciOiJSUzI1NiJ9.eyJzdWIiOiJ4In0.c2ln"),
            Vec::<&str>::new()
        );
        assert_eq!(
            tok("'Atza|IQEBLjAsAhRFiXuWpUXuRvQ9PZL3GMFcYevydwIUFAHZwXZ'"),
            Vec::<&str>::new()
        );
        assert_eq!(tok("\"$(cat token)\""), Vec::<&str>::new());
    }

    #[test]
    fn broken_tokens_fail() {
        assert_eq!(tok("abc"), vec!["T001"]);
        assert_eq!(tok(&"a".repeat(20001)), vec!["T001"]);
        assert_eq!(
            tok("'Bearer eyJhbGciOiJSUzI1NiJ9.eyJzdWIiOiJ4In0.c2ln'"),
            vec!["T003"]
        );
        assert_eq!(
            tok("$'eyJhbGciOiJSUzI1NiJ9.eyJzdWIiOiJ4In0.c2ln\\n'"),
            vec!["T002"]
        );
        assert_eq!(tok("'Atza%7CIQEBLjAsAhRFiXuWpUXuRvQ9'"), vec!["T004"]);
        assert_eq!(
            tok("/var/run/secrets/eks.amazonaws.com/serviceaccount/token"),
            vec!["T005"]
        );
        assert_eq!(tok("token.jwt"), vec!["T005"]);
        assert_eq!(tok("'     '"), vec!["T002"], "only whitespace");
        assert_eq!(
            tok("$'\\ufeffeyJhbGciOiJSUzI1NiJ9.eyJzdWIiOiJ4In0.c2ln'"),
            vec!["T002"],
            "byte-order mark"
        );
    }

    #[test]
    fn whitespace_only_and_bom_are_errors() {
        use crate::diagnostic::Severity;
        let s = "aws sts assume-role-with-web-identity --role-arn arn:aws:iam::111122223333:role/ci --role-session-name ci --web-identity-token '    '";
        let d = crate::rules::testing::run(s)
            .into_iter()
            .find(|d| d.rule.code == "T002")
            .unwrap();
        assert_eq!(d.severity, Severity::Error);
        let s = "aws sts assume-role-with-web-identity --role-arn arn:aws:iam::111122223333:role/ci --role-session-name ci --web-identity-token 'abcd '";
        let d = crate::rules::testing::run(s)
            .into_iter()
            .find(|d| d.rule.code == "T002")
            .unwrap();
        assert_eq!(
            d.severity,
            Severity::Warning,
            "trailing whitespace stays a warning"
        );
    }

    #[test]
    fn path_matcher_agrees_with_the_regex_it_replaced() {
        let re =
            regex::Regex::new(r"^(?:~?/|\.\.?/)[^\s]*$|^[\w.-]+(?:/[\w.-]+)*\.(?:jwt|token|txt)$")
                .unwrap();
        for v in [
            "/var/run/secrets/token",
            "~/t.jwt",
            "./token",
            "../a/b",
            "/with space",
            "~x/t.jwt",
            "token.jwt",
            "dir/sub/token.txt",
            "a.token",
            ".jwt",
            "/",
            "dir//t.jwt",
            "dir/.jwt",
            "d/t.jwt/",
            "t.jwtx",
            "tök/én.jwt",
            "a b.jwt",
            "eyJhbGciOiJSUzI1NiJ9.eyJ9.sig",
            "https://x/t.jwt",
            "a-b_c.d.txt",
            "",
            ".",
            "..",
            "./",
            "-.txt",
            "x.\u{3000}.jwt",
        ] {
            assert_eq!(
                crate::model::token::is_path_like(v),
                re.is_match(v),
                "{v:?}"
            );
        }
    }
}
