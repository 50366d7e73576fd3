//! The JSON document (`--format json`): the requests as they would be sent (tokens only as length
//! and fingerprint) and every finding with its places. A stable contract: `version` changes only
//! on incompatible changes; new members are added.

use super::render::{signature_status, JSON_SCHEMA_VERSION};
use crate::diagnostic::Diagnostic;
use crate::diagnostic::Severity;
use crate::model::request::Request;
use crate::output::Report;
use crate::redact::sha256_hex;
use crate::source::{SourceId, Text};
use serde_json::{json, Map, Value};

/// The JSON document described in the README ("JSON output").
pub fn json(report: &Report) -> Value {
    serde_json::to_value(JsonDocument(report)).expect("the document is JSON")
}

/// Writes [`json`]'s document, pretty-printed, without building it first: each request and
/// finding becomes a JSON value only while it is written (a 10,000-file report's tree was most of
/// the run's memory).
pub fn write_json(report: &Report, out: impl std::io::Write) -> std::io::Result<()> {
    serde_json::to_writer_pretty(out, &JsonDocument(report)).map_err(std::io::Error::from)
}

/// The JSON document of a report, serialized member by member.
struct JsonDocument<'a>(&'a Report);

impl serde::Serialize for JsonDocument<'_> {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        use serde::ser::SerializeMap;
        /// A sequence serialized item by item from an iterator of values made on demand.
        struct Lazy<F>(usize, F);
        impl<F: Fn(usize) -> Value> serde::Serialize for Lazy<F> {
            fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
                use serde::ser::SerializeSeq;
                let mut seq = s.serialize_seq(Some(self.0))?;
                for i in 0..self.0 {
                    seq.serialize_element(&(self.1)(i))?;
                }
                seq.end()
            }
        }
        let report = self.0;
        let mut m = s.serialize_map(Some(5))?;
        m.serialize_entry("version", &JSON_SCHEMA_VERSION)?;
        m.serialize_entry(
            "tool",
            &json!({"name": "stslint", "version": env!("CARGO_PKG_VERSION")}),
        )?;
        m.serialize_entry(
            "summary",
            &json!({
                "files": report.files_checked,
                "requests": report.requests.len(),
                "errors": report.count(Severity::Error),
                "warnings": report.count(Severity::Warning),
                "infos": report.count(Severity::Info),
            }),
        )?;
        m.serialize_entry(
            "requests",
            &Lazy(report.requests.len(), |i| {
                // Any value may be a token given in the wrong place: redacted by its shape.
                let mut v = request_json(report, &report.requests[i]);
                crate::redact::shapes_in(&mut v);
                v
            }),
        )?;
        m.serialize_entry(
            "diagnostics",
            &Lazy(report.diagnostics.len(), |i| {
                diagnostic_json(report, &report.diagnostics[i])
            }),
        )?;
        m.end()
    }
}

fn position(report: &Report, source: SourceId, offset: usize) -> (usize, usize) {
    report.sources.get(source).line_col(offset)
}

fn diagnostic_json(report: &Report, d: &Diagnostic) -> Value {
    let mut v = json!({
        "code": d.rule.code,
        "name": d.rule.name,
        "severity": d.severity,
        "message": d.message,
        "help": d.help,
        "parameter": d.parameter,
        "path": null, "line": null, "column": null, "end_line": null, "end_column": null,
        "request": d.request,
    });
    if let Some(span) = &d.primary {
        let (line, column) = position(report, span.source, span.range.start);
        let (end_line, end_column) = position(report, span.source, span.range.end);
        v["path"] = json!(report.sources.get(span.source).name);
        v["line"] = json!(line);
        v["column"] = json!(column);
        v["end_line"] = json!(end_line);
        v["end_column"] = json!(end_column);
    }
    let related: Vec<Value> = d
        .notes
        .iter()
        .map(|(span, label)| {
            let (line, column) = position(report, span.source, span.range.start);
            let (end_line, end_column) = position(report, span.source, span.range.end);
            json!({
                "message": label,
                "path": report.sources.get(span.source).name,
                "line": line, "column": column, "end_line": end_line, "end_column": end_column,
            })
        })
        .collect();
    v["related"] = json!(related);
    v
}

fn request_json(report: &Report, r: &Request) -> Value {
    let mut sent = Map::new();
    let mut unresolved = Map::new();
    let string = |name: &str,
                  t: Option<&Text>,
                  sent: &mut Map<String, Value>,
                  unresolved: &mut Map<String, Value>| {
        let Some(t) = t else { return };
        if t.is_static() {
            sent.insert(name.into(), json!(t.value));
        } else {
            unresolved.insert(name.into(), json!(t.display()));
        }
    };
    string(
        "RoleArn",
        r.role_arn.as_ref().map(|p| &p.text),
        &mut sent,
        &mut unresolved,
    );
    string(
        "RoleSessionName",
        r.role_session_name.as_ref().map(|p| &p.text),
        &mut sent,
        &mut unresolved,
    );
    if let Some(p) = &r.web_identity_token {
        if p.text.is_static() {
            let mut t = json!({"length": p.text.value.chars().count(), "sha256": sha256_hex(&p.text.value)});
            if let Some(token) = &r.token {
                t["kind"] = json!(crate::output::inspect::kind_id(&token.kind));
                if let Some(s) = &token.signature {
                    t["signature"] = json!(signature_status(s));
                }
            }
            sent.insert("WebIdentityToken".into(), t);
        } else {
            // Only the shell knows it; the literal part may be a secret too, so it is not shown.
            unresolved.insert("WebIdentityToken".into(), json!({"redacted": true}));
        }
    }
    string(
        "ProviderId",
        r.provider_id.as_ref().map(|p| &p.text),
        &mut sent,
        &mut unresolved,
    );
    if let Some(pa) = &r.policy_arns {
        if pa.arns.iter().all(Text::is_static) {
            sent.insert(
                "PolicyArns".into(),
                json!(pa
                    .arns
                    .iter()
                    .map(|a| json!({"arn": a.value}))
                    .collect::<Vec<_>>()),
            );
        } else {
            unresolved.insert(
                "PolicyArns".into(),
                json!(pa.arns.iter().map(Text::display).collect::<Vec<_>>()),
            );
        }
    }
    string(
        "Policy",
        r.policy.as_ref().map(|p| &p.text),
        &mut sent,
        &mut unresolved,
    );
    if let Some(d) = &r.duration_seconds {
        match d.seconds {
            Some(s) => {
                sent.insert("DurationSeconds".into(), json!(s));
            }
            None => {
                unresolved.insert("DurationSeconds".into(), json!(d.param.text.display()));
            }
        }
    }
    let (line, column) = position(report, r.span.source, r.span.range.start);
    json!({
        "path": report.sources.get(r.span.source).name,
        "line": line,
        "column": column,
        "origin": match r.origin { crate::model::request::Origin::Shell => "shell", crate::model::request::Origin::Argv => "argv", crate::model::request::Origin::File => "file" },
        "request": Value::Object(sent),
        "unresolved": Value::Object(unresolved),
        "invalid": r.unreadable,
        "open_ended": r.open_ended.is_some(),
    })
}

/// `stslint token --format json`.
pub fn token_json(insp: &crate::output::inspect::Inspection) -> Value {
    let f = &insp.facts;
    let mut v = json(&insp.report);
    if let Some(obj) = v.as_object_mut() {
        obj.remove("requests");
        let times: Map<String, Value> = f
            .times
            .iter()
            .map(|(c, secs, t, rel)| {
                (
                    c.clone(),
                    json!({"value": secs, "time": t, "relative": rel}),
                )
            })
            .collect();
        let token = json!({
            "source": insp.report.sources.get(0).name,
            "length": f.length,
            "sha256": f.sha256,
            "kind": f.kind,
            "header": f.header,
            "claims": f.claims,
            "times": times,
            "issuer_profile": f.profile.as_ref().map(|(id, name)| json!({"id": id, "name": name})),
            "provider": f.provider.as_ref().map(|p| json!({"name": p.name, "arn": p.arn, "federated": p.federated})),
            "condition_keys": f.condition_keys.iter().cloned().collect::<Map<String, Value>>(),
            "session_tags": f.session_tags,
            "source_identity": f.source_identity,
            "signature": f.signature.as_ref().map(signature_status).unwrap_or("not-checked"),
        });
        obj.insert("token".into(), token);
    }
    v
}
