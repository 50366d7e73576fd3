//! Request documents in the `--cli-input-json` shape (what `--generate-cli-skeleton` prints):
//! `{"RoleArn": "...", "PolicyArns": [{"arn": "..."}], "DurationSeconds": 3600, ...}`.
//!
//! Values are used as written: unlike command-line arguments, the CLI does not resolve `file://`
//! inside this document. Types are checked as botocore's validator does (a string where a string is
//! due, an integer for DurationSeconds).

use crate::diagnostic::closest;
use crate::diagnostic::Diagnostic;
use crate::input::findings::{
    FILE_REFERENCE_NOT_READ, INVALID_TYPE, JSON_SYNTAX, OTHER_OPERATION_PARAMETER,
    POLICY_ARNS_SYNTAX, REPEATED_PARAMETER, UNKNOWN_PARAMETER,
};
use crate::json::{self, Json, Node};
use crate::model::request::{
    self, Duration, Origin, Param, PolicyArns, Request, MEMBERS, OTHER_OPERATION_MEMBERS,
};
use crate::source::{SourceId, Span, Text};

/// Quick test used when walking directories: is this JSON text likely a request document?
pub fn looks_like_request(text: &str) -> bool {
    text.trim_start().starts_with('{')
        && (text.contains("\"RoleArn\"")
            || text.contains("\"WebIdentityToken\"")
            || text.contains("\"RoleSessionName\""))
}

/// Reads a whole request document.
pub fn read(text: &str, source: SourceId) -> (Option<Request>, Vec<Diagnostic>) {
    read_at(text, source, 0)
}

/// Reads a request document written at byte `base` of its source (a code block in a README).
pub fn read_at(text: &str, source: SourceId, base: usize) -> (Option<Request>, Vec<Diagnostic>) {
    let mut diags = Vec::new();
    let whole = Span::new(source, base..base + text.len());
    match json::parse_in(&Text::verbatim(text, source, base)) {
        Err(e) => {
            diags.push(
                JSON_SYNTAX
                    .report(format!("not valid JSON: {}", e.message))
                    .at(Span::new(source, e.range), "here")
                    .help("fix the JSON; `aws sts assume-role-with-web-identity --generate-cli-skeleton` prints a valid template"),
            );
            (None, diags)
        }
        Ok(node) if node.members().is_none() => {
            diags.push(
                JSON_SYNTAX
                    .report(format!("a request document must be a JSON object, not a JSON {}", node.type_name()))
                    .at(Span::new(source, node.span.clone()), "not an object")
                    .help("write the request as {\"RoleArn\": \"...\", \"RoleSessionName\": \"...\", \"WebIdentityToken\": \"...\"}"),
            );
            (None, diags)
        }
        Ok(node) => {
            let head = Span::new(source, node.span.start..node.span.start + 1);
            let mut req = Request::new(Origin::File, whole, head);
            read_members(&node, &mut req, &mut diags);
            (Some(req), diags)
        }
    }
}

/// Reads the members of a request object into `req` (also used for `--cli-input-json`).
pub fn read_members(node: &Node, req: &mut Request, diags: &mut Vec<Diagnostic>) {
    let Some(members) = node.members() else {
        diags.push(
            JSON_SYNTAX
                .report(format!(
                    "--cli-input-json must be a JSON object, not a JSON {}",
                    node.type_name()
                ))
                .at(
                    Span::new(req.span.source, node.span.clone()),
                    "not an object",
                )
                .help("write the request as {\"RoleArn\": \"...\", ...}"),
        );
        return;
    };
    let span_of = |t: &Text| t.whole();
    for (k, m) in members.iter().enumerate() {
        let key = m.key.value.as_str();
        let key_span = span_of(&m.key);
        let value_span = Span::new(m.key.source, m.value.span.clone());
        let Some(member) = request::member(key) else {
            if let Some((name, op)) = OTHER_OPERATION_MEMBERS.iter().find(|(n, _)| *n == key) {
                diags.push(
                    OTHER_OPERATION_PARAMETER
                        .report(format!("`{name}` is not a parameter of AssumeRoleWithWebIdentity: it belongs to {op}"))
                        .at(key_span, "not accepted by this operation")
                        .help(format!("remove \"{name}\"; the AWS CLI answers `Unknown parameter in input: \"{name}\"`")),
                );
                continue;
            }
            let shown_key = crate::diagnostic::shown(key);
            let d = UNKNOWN_PARAMETER.report(format!("unknown parameter \"{shown_key}\": the AWS CLI answers `Unknown parameter in input: \"{shown_key}\", must be one of: {}`", MEMBERS.join(", "))).at(key_span, "unknown key");
            diags.push(match closest(key, MEMBERS) {
                Some(s) if s.eq_ignore_ascii_case(key) => {
                    d.help(format!("parameter names are case-sensitive: write \"{s}\""))
                }
                Some(s) => d.help(format!("did you mean \"{s}\"?")),
                None => d.help(format!("the parameters are {}", MEMBERS.join(", "))),
            });
            continue;
        };
        if let Some(later) = members[k + 1..].iter().find(|l| l.key.value == key) {
            diags.push(
                REPEATED_PARAMETER
                    .report(format!(
                        "\"{key}\" is given more than once: only the last value is sent"
                    ))
                    .at(key_span.clone(), "ignored")
                    .note(span_of(&later.key), "this one wins")
                    .help(format!("remove one of the \"{key}\" keys"))
                    .param(member),
            );
            continue;
        }
        let wrong_type = |want: &str| {
            INVALID_TYPE
                .report(format!("{member} must be {want}, not a JSON {}: the AWS CLI answers `Invalid type for parameter {member}`", m.value.type_name()))
                .at(value_span.clone(), format!("a JSON {}", m.value.type_name()))
                .param(member)
        };
        match member {
            "DurationSeconds" => match &m.value.value {
                Json::Number(n) if n.bytes().all(|b| b.is_ascii_digit() || b == b'-') => {
                    let seconds = n.parse::<i64>().ok().or(Some(if n.starts_with('-') {
                        i64::MIN
                    } else {
                        i64::MAX
                    }));
                    let text = Text::verbatim(n.clone(), m.key.source, m.value.span.start);
                    req.duration_seconds = Some(Duration {
                        param: Param {
                            text,
                            name: key_span,
                        },
                        seconds,
                    });
                }
                Json::String(s) if crate::input::awscli::python_int(&s.value).is_some() => {
                    diags.push(wrong_type("an integer").help(format!(
                        "remove the quotes: \"DurationSeconds\": {}",
                        s.value.trim()
                    )));
                    req.unreadable.push(member);
                }
                _ => {
                    diags.push(wrong_type("an integer").help(
                        "give whole seconds as a JSON number, e.g. \"DurationSeconds\": 3600",
                    ));
                    req.unreadable.push(member);
                }
            },
            "PolicyArns" => match &m.value.value {
                Json::Array(items) => {
                    let mut arns = Vec::new();
                    let mut ok = true;
                    for (i, item) in items.iter().enumerate() {
                        let item_span = Span::new(m.key.source, item.span.clone());
                        match (&item.value, item.members()) {
                            (Json::String(s), _) => {
                                diags.push(
                                    INVALID_TYPE
                                        .report(format!("PolicyArns[{i}] is a string, but each entry must be an object: the AWS CLI answers `Invalid type for parameter PolicyArns[{i}]`"))
                                        .at(item_span, "a string")
                                        .help(format!("write {{\"arn\": \"{}\"}}", crate::diagnostic::shown(&s.value)))
                                        .param(member),
                                );
                                ok = false;
                            }
                            (_, Some(fields)) => {
                                for f in fields {
                                    if f.key.value != "arn" {
                                        let help = if f.key.value.eq_ignore_ascii_case("arn") {
                                            "the key is `arn`, in lower case".to_string()
                                        } else {
                                            "each entry has a single key, `arn`".into()
                                        };
                                        diags.push(
                                            POLICY_ARNS_SYNTAX
                                                .report(format!("Unknown parameter in PolicyArns[{i}]: \"{}\", must be one of: arn", f.key.value))
                                                .at(span_of(&f.key), "unknown key")
                                                .help(help)
                                                .param(member),
                                        );
                                        ok = false;
                                    } else if let Some(s) = f.value.as_str() {
                                        arns.push(s.clone());
                                    } else {
                                        diags.push(
                                            INVALID_TYPE
                                                .report(format!("PolicyArns[{i}].arn must be a string, not a JSON {}", f.value.type_name()))
                                                .at(Span::new(m.key.source, f.value.span.clone()), "not a string")
                                                .help("give the ARN as a string")
                                                .param(member),
                                        );
                                        ok = false;
                                    }
                                }
                            }
                            _ => {
                                diags.push(
                                    INVALID_TYPE
                                        .report(format!("PolicyArns[{i}] must be an object {{\"arn\": ...}}, not a JSON {}", item.type_name()))
                                        .at(item_span, "not an object")
                                        .param(member),
                                );
                                ok = false;
                            }
                        }
                    }
                    if ok {
                        req.policy_arns = Some(PolicyArns {
                            arns,
                            name: key_span,
                            span: value_span,
                        });
                    } else {
                        req.unreadable.push(member);
                    }
                }
                _ => {
                    diags.push(wrong_type("a list of {\"arn\": ...} objects").help("write \"PolicyArns\": [{\"arn\": \"arn:aws:iam::111122223333:policy/Name\"}]"));
                    req.unreadable.push(member);
                }
            },
            _ => match m.value.as_str() {
                Some(s) => {
                    if let Some(prefix) = ["file://", "fileb://", "http://", "https://"]
                        .into_iter()
                        .find(|p| s.value.starts_with(p))
                    {
                        diags.push(
                            FILE_REFERENCE_NOT_READ
                                .report(format!("{member} is `{}`: inside a --cli-input-json document the AWS CLI does not read `{prefix}` references, so this text itself is sent as the {member}", crate::diagnostic::shown(&s.value)))
                                .at(s.span_of(0..prefix.len()), "sent as written")
                                .help(format!("put the {member} itself in the document, or drop the key and pass `--{} {}` on the command line, where `{prefix}` is read", kebab(member), crate::diagnostic::shown(&s.value)))
                                .param(member),
                        );
                    }
                    *req.string_param_mut(member).expect("string member") = Some(Param {
                        text: s.clone(),
                        name: key_span,
                    });
                }
                None => {
                    let help = if member == "Policy" && m.value.members().is_some() {
                        "Policy is a string holding JSON: encode the policy as a JSON string (escape its quotes), or pass it with --policy file://policy.json".to_string()
                    } else {
                        format!("give {member} as a JSON string")
                    };
                    diags.push(wrong_type("a string").help(help));
                    req.unreadable.push(member);
                }
            },
        }
    }
}

/// `RoleSessionName` → `role-session-name`, the option's name.
fn kebab(member: &str) -> String {
    let mut out = String::new();
    for (i, c) in member.chars().enumerate() {
        if c.is_ascii_uppercase() && i > 0 {
            out.push('-');
        }
        out.push(c.to_ascii_lowercase());
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn codes(doc: &str) -> Vec<&'static str> {
        let (req, diags) = read(doc, 0);
        assert!(req.is_some());
        diags.iter().map(|d| d.rule.code).collect()
    }

    #[test]
    fn literal_values_pass() {
        assert_eq!(
            codes(
                r#"{"RoleArn": "arn:aws:iam::111122223333:role/ci", "RoleSessionName": "ci", "WebIdentityToken": "abcd"}"#
            ),
            Vec::<&str>::new()
        );
    }

    #[test]
    fn file_references_are_not_read_inside_a_document() {
        assert_eq!(
            codes(r#"{"WebIdentityToken": "file://token.jwt"}"#),
            vec!["Q012"]
        );
        assert_eq!(
            codes(r#"{"Policy": "https://example.com/p.json"}"#),
            vec!["Q012"]
        );
        assert_eq!(kebab("WebIdentityToken"), "web-identity-token");
    }

    #[test]
    fn keys_and_types_are_checked() {
        assert_eq!(codes(r#"{"RoleARN": "x"}"#), vec!["Q002"]);
        assert_eq!(codes(r#"{"Tags": []}"#), vec!["Q003"]);
        assert_eq!(codes(r#"{"DurationSeconds": "3600"}"#), vec!["Q004"]);
        assert_eq!(codes(r#"{"PolicyArns": [{"Arn": "x"}]}"#), vec!["Q006"]);
        assert_eq!(
            codes(r#"{"RoleSessionName": "a", "RoleSessionName": "b"}"#),
            vec!["Q007"]
        );
    }
}
