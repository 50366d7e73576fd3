//! Reads the role's side from the files of `--role` (`aws iam get-role` output), `--trust-policy`
//! (a policy document) and `--oidc-provider` (`aws iam get-open-id-connect-provider` output) into
//! [`crate::model::trust::Inputs`]. A file that cannot be read or is not of its kind is an input
//! error (exit code 2), not a finding.

use crate::json::{Json, Member, Node};
use crate::model::policy::{strings, Policy};
use crate::model::trust::{Inputs, ProviderDoc, RoleDoc};
use crate::source::{SourceFile, Sources, Span, Text};

fn member<'a>(members: &'a [Member], name: &str) -> Option<&'a Member> {
    members.iter().rev().find(|m| m.key.value == name)
}

fn read(
    path: &std::path::Path,
    sources: &mut Sources,
) -> Result<(crate::source::SourceId, Node), String> {
    let shown = path.display().to_string();
    let text = crate::input::load::read_text(path, crate::input::load::MAX_PARAM_FILE_BYTES)
        .map_err(|e| format!("{shown}: {e}"))?;
    let id = sources.add(SourceFile::new(
        shown.trim_start_matches("./"),
        text.clone(),
    ));
    let node = crate::json::parse(&text, id, 0)
        .map_err(|e| format!("{shown}: not JSON: {}", e.message))?;
    Ok((id, node))
}

impl Inputs {
    /// Reads the files; a file that cannot be read or is not of its kind is an input error (exit 2).
    pub fn read(
        roles: &[std::path::PathBuf],
        policies: &[std::path::PathBuf],
        providers: &[std::path::PathBuf],
        sources: &mut Sources,
    ) -> Result<Inputs, String> {
        let mut out = Inputs::default();
        for path in roles {
            let (id, node) = read(path, sources)?;
            let name = sources.get(id).name.clone();
            let role = node
                .members()
                .and_then(|m| member(m, "Role"))
                .map(|m| &m.value)
                .unwrap_or(&node);
            let Some(members) = role.members() else {
                return Err(format!(
                    "{name}: not the output of `aws iam get-role` (`{{\"Role\": {{...}}}}`)"
                ));
            };
            let arn = member(members, "Arn")
                .and_then(|m| m.value.as_str())
                .cloned();
            let max_session =
                member(members, "MaxSessionDuration").and_then(|m| match &m.value.value {
                    Json::Number(n) => n
                        .parse::<i64>()
                        .ok()
                        .map(|v| (v, Span::new(id, m.value.span.clone()))),
                    _ => None,
                });
            let trust = match member(members, "AssumeRolePolicyDocument") {
                None => None,
                Some(m) => Some(trust_document(&m.value, id, &name, sources)?),
            };
            if arn.is_none() && trust.is_none() {
                return Err(format!("{name}: has neither `Arn` nor `AssumeRolePolicyDocument`; give the output of `aws iam get-role --role-name NAME`"));
            }
            out.roles.push(RoleDoc {
                name,
                arn,
                max_session,
                trust,
                head: Span::new(id, role.span.start..role.span.start + 1),
            });
        }
        for path in policies {
            let (id, node) = read(path, sources)?;
            // Accept a bare policy, or a get-role document given here by mistake.
            let node = match node
                .members()
                .and_then(|m| member(m, "Role"))
                .and_then(|r| r.value.members())
                .and_then(|m| member(m, "AssumeRolePolicyDocument"))
            {
                Some(m) => {
                    let name = sources.get(id).name.clone();
                    out.policies
                        .push(trust_document(&m.value, id, &name, sources)?);
                    continue;
                }
                None => node,
            };
            out.policies.push(Policy {
                root: node,
                source: id,
            });
        }
        for path in providers {
            let (id, node) = read(path, sources)?;
            let name = sources.get(id).name.clone();
            let Some(members) = node.members() else {
                return Err(format!(
                    "{name}: not the output of `aws iam get-open-id-connect-provider`"
                ));
            };
            let list = |k: &str| -> (Vec<Text>, Option<Span>) {
                match member(members, k) {
                    Some(m) => (
                        strings(&m.value).into_iter().cloned().collect(),
                        Some(Span::new(id, m.value.span.clone())),
                    ),
                    None => (Vec::new(), None),
                }
            };
            let (client_ids, client_ids_span) = list("ClientIDList");
            let (thumbprints, thumbprints_span) = list("ThumbprintList");
            let url = member(members, "Url")
                .and_then(|m| m.value.as_str())
                .cloned();
            if url.is_none() {
                return Err(format!("{name}: has no `Url`; give the output of `aws iam get-open-id-connect-provider --open-id-connect-provider-arn ARN`"));
            }
            let arn = member(members, "OpenIDConnectProviderArn")
                .or_else(|| member(members, "Arn"))
                .and_then(|m| m.value.as_str())
                .cloned();
            out.providers.push(ProviderDoc {
                name,
                url,
                client_ids,
                client_ids_span,
                thumbprints,
                thumbprints_span,
                arn,
                head: Span::new(id, node.span.start..node.span.start + 1),
            });
        }
        Ok(out)
    }
}

/// `AssumeRolePolicyDocument` as `get-role` gives it: an object (the AWS CLI decodes it), a
/// URL-encoded string (the raw API), or a JSON string.
fn trust_document(
    v: &Node,
    id: crate::source::SourceId,
    name: &str,
    sources: &mut Sources,
) -> Result<Policy, String> {
    match &v.value {
        Json::Object(_) => Ok(Policy {
            root: v.clone(),
            source: id,
        }),
        Json::String(t) if t.value.trim_start().starts_with('{') => crate::json::parse_in(t)
            .map(|root| Policy { root, source: id })
            .map_err(|e| {
                format!(
                    "{name}: AssumeRolePolicyDocument is not JSON: {}",
                    e.message
                )
            }),
        Json::String(t) => {
            let decoded = percent_decode(&t.value).ok_or_else(|| {
                format!("{name}: AssumeRolePolicyDocument is neither JSON nor URL-encoded JSON")
            })?;
            let sid = sources.add(SourceFile::new(
                format!("{name} (AssumeRolePolicyDocument, URL-decoded)"),
                decoded.clone(),
            ));
            crate::json::parse(&decoded, sid, 0)
                .map(|root| Policy { root, source: sid })
                .map_err(|e| {
                    format!(
                        "{name}: the URL-decoded AssumeRolePolicyDocument is not JSON: {}",
                        e.message
                    )
                })
        }
        _ => Err(format!(
            "{name}: AssumeRolePolicyDocument is a JSON {}",
            v.type_name()
        )),
    }
}

/// Decodes `%XX` escapes (and `+` as a space, as IAM's form encoding writes it).
pub fn percent_decode(s: &str) -> Option<String> {
    let b = s.as_bytes();
    let mut out = Vec::with_capacity(b.len());
    let mut i = 0;
    while i < b.len() {
        match b[i] {
            b'%' => {
                let hex = s.get(i + 1..i + 3)?;
                out.push(u8::from_str_radix(hex, 16).ok()?);
                i += 3;
            }
            b'+' => {
                out.push(b' ');
                i += 1;
            }
            c => {
                out.push(c);
                i += 1;
            }
        }
    }
    String::from_utf8(out).ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn url_encoded_documents_decode() {
        assert_eq!(
            percent_decode("%7B%22a%22%3A+1%7D").as_deref(),
            Some("{\"a\": 1}")
        );
        assert_eq!(percent_decode("%zz"), None);
    }
}
