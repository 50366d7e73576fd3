//! Property tests (proptest):
//! - a generated valid request written as a shell invocation, as argv and as a `--cli-input-json`
//!   document reads back as the same request;
//! - random mutations of a valid invocation or document never panic, and every span of every
//!   finding stays inside its source and on character boundaries (`stslint::check::fuzzing` checks that
//!   and renders every output format);
//! - arbitrary Unicode text, read as a script or a document, keeps the same promises;
//! - a script in any YAML scalar style (literal, folded, plain, quoted) is found word for word and
//!   every byte of every word maps back to the same byte of the YAML file.

use proptest::prelude::*;
use stslint::model::request::{Origin, Request};
use stslint::source::{SourceFile, Sources};

/// A request as the user writes it: every member a plain value.
#[derive(Debug, Clone)]
struct Spec {
    role_arn: String,
    session: String,
    token: String,
    provider_id: Option<String>,
    policy_arns: Vec<String>,
    policy: Option<String>,
    duration: Option<i64>,
}

fn spec() -> impl Strategy<Value = Spec> {
    let name = "[A-Za-z0-9+=,.@_-]{1,64}";
    let role = ("[0-9]{12}", "(/[A-Za-z0-9_]{1,8})*/", name)
        .prop_map(|(acct, path, n)| format!("arn:aws:iam::{acct}:role{path}{n}"));
    let b64 = "[A-Za-z0-9_-]{8,200}";
    let token = (b64, b64, b64).prop_map(|(a, b, c)| format!("eyJ{a}.eyJ{b}.{c}"));
    let policy_arn = ("[0-9]{12}", "[A-Za-z0-9+=.@_-]{1,40}")
        .prop_map(|(acct, n)| format!("arn:aws:iam::{acct}:policy/{n}"));
    let policy = ("[A-Za-z0-9]{1,20}", "[a-z0-9]{1,12}:[A-Za-z*]{1,20}").prop_map(|(sid, action)| {
        format!(r#"{{"Version":"2012-10-17","Statement":[{{"Sid":"{sid}","Effect":"Allow","Action":"{action}","Resource":"*"}}]}}"#)
    });
    (
        role,
        "[A-Za-z0-9+=,.@_-]{2,64}",
        token,
        proptest::option::of(prop_oneof![
            Just("www.amazon.com"),
            Just("graph.facebook.com")
        ]),
        proptest::collection::vec(policy_arn, 0..4),
        proptest::option::of(policy),
        proptest::option::of(900i64..=43200),
    )
        .prop_map(
            |(role_arn, session, token, provider_id, policy_arns, policy, duration)| Spec {
                role_arn,
                session,
                token,
                provider_id: provider_id.map(str::to_string),
                policy_arns,
                policy,
                duration,
            },
        )
}

/// The invocation's words, `aws` first.
fn words(s: &Spec) -> Vec<String> {
    let mut w: Vec<String> = ["aws", "sts", "assume-role-with-web-identity"]
        .map(String::from)
        .into();
    // A value that starts with `-` would read as an option (argparse), so it is attached.
    fn opt(w: &mut Vec<String>, name: &str, value: &str) {
        if value.starts_with('-') {
            w.push(format!("--{name}={value}"));
        } else {
            w.push(format!("--{name}"));
            w.push(value.to_string());
        }
    }
    opt(&mut w, "role-arn", &s.role_arn);
    opt(&mut w, "role-session-name", &s.session);
    opt(&mut w, "web-identity-token", &s.token);
    if let Some(p) = &s.provider_id {
        opt(&mut w, "provider-id", p);
    }
    if !s.policy_arns.is_empty() {
        w.push("--policy-arns".into());
        w.extend(s.policy_arns.iter().map(|a| format!("arn={a}")));
    }
    if let Some(p) = &s.policy {
        opt(&mut w, "policy", p);
    }
    if let Some(d) = s.duration {
        opt(&mut w, "duration-seconds", &d.to_string());
    }
    w
}

fn shell_text(s: &Spec) -> String {
    words(s)
        .iter()
        .map(|w| stslint::shell_quote(w))
        .collect::<Vec<_>>()
        .join(" \\\n  ")
        + "\n"
}

fn json_text(s: &Spec) -> String {
    let mut doc = serde_json::json!({
        "RoleArn": s.role_arn,
        "RoleSessionName": s.session,
        "WebIdentityToken": s.token,
    });
    if let Some(p) = &s.provider_id {
        doc["ProviderId"] = p.as_str().into();
    }
    if !s.policy_arns.is_empty() {
        doc["PolicyArns"] = s
            .policy_arns
            .iter()
            .map(|a| serde_json::json!({ "arn": a }))
            .collect();
    }
    if let Some(p) = &s.policy {
        doc["Policy"] = p.as_str().into();
    }
    if let Some(d) = s.duration {
        doc["DurationSeconds"] = d.into();
    }
    serde_json::to_string_pretty(&doc).unwrap()
}

fn read_shell(text: &str, origin: Origin) -> Vec<Request> {
    let mut sources = Sources::default();
    let id = sources.add(SourceFile::new("t.sh", text));
    let lexed = stslint::input::shell::lex(text, id);
    assert!(lexed.errors.is_empty(), "lexer errors for {text}");
    let mut loader = stslint::input::load::Loader::new(&mut sources, std::env::temp_dir());
    stslint::input::awscli::find_requests(&lexed.commands, origin, &mut loader)
        .into_iter()
        .map(|p| p.request)
        .collect()
}

fn read_json(text: &str) -> Request {
    let mut sources = Sources::default();
    let id = sources.add(SourceFile::new("t.json", text));
    let (req, diags) = stslint::input::awscli::request_file::read(text, id);
    assert!(
        diags.is_empty(),
        "{:?}",
        diags.iter().map(|d| &d.message).collect::<Vec<_>>()
    );
    req.expect("a request")
}

/// The request as plain values, to compare with the spec it was written from.
fn as_spec(r: &Request) -> Spec {
    let v = |p: &Option<stslint::model::request::Param>| {
        p.as_ref().map(|p| {
            assert!(p.text.is_static());
            p.text.value.clone()
        })
    };
    Spec {
        role_arn: v(&r.role_arn).unwrap_or_default(),
        session: v(&r.role_session_name).unwrap_or_default(),
        token: v(&r.web_identity_token).unwrap_or_default(),
        provider_id: v(&r.provider_id),
        policy_arns: r
            .policy_arns
            .as_ref()
            .map(|p| p.arns.iter().map(|t| t.value.clone()).collect())
            .unwrap_or_default(),
        policy: v(&r.policy),
        duration: r.duration_seconds.as_ref().and_then(|d| d.seconds),
    }
}

fn same(a: &Spec, b: &Spec) -> Result<(), TestCaseError> {
    prop_assert_eq!(&a.role_arn, &b.role_arn);
    prop_assert_eq!(&a.session, &b.session);
    prop_assert_eq!(&a.token, &b.token);
    prop_assert_eq!(&a.provider_id, &b.provider_id);
    prop_assert_eq!(&a.policy_arns, &b.policy_arns);
    prop_assert_eq!(&a.policy, &b.policy);
    prop_assert_eq!(a.duration, b.duration);
    Ok(())
}

/// One random edit of `text`: a cut, a duplicated slice, or characters the readers treat specially.
fn mutate(text: &str, picks: &[(u8, usize, usize)]) -> String {
    const NASTY: [&str; 16] = [
        "'", "\"", "\\", "$", "`", "\n", "\r\n", "{", "}", "[", "]", ",", "é", "\u{feff}", "\0",
        "<<EOF",
    ];
    let mut s = text.to_string();
    for &(op, a, b) in picks {
        let n = s.len();
        if n == 0 {
            s.push_str(NASTY[a % NASTY.len()]);
            continue;
        }
        let mut i = a % n;
        while !s.is_char_boundary(i) {
            i -= 1;
        }
        let mut j = (i + b % 40).min(n);
        while !s.is_char_boundary(j) {
            j -= 1;
        }
        match op % 3 {
            0 => s.replace_range(i..j, ""),
            1 => {
                let dup = s[i..j].to_string();
                s.insert_str(j, &dup);
            }
            _ => s.insert_str(i, NASTY[b % NASTY.len()]),
        }
    }
    s
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 200, ..ProptestConfig::default() })]

    #[test]
    fn shell_invocations_read_back_as_written(s in spec()) {
        let text = shell_text(&s);
        let reqs = read_shell(&text, Origin::Shell);
        prop_assert_eq!(reqs.len(), 1, "{}", text);
        same(&as_spec(&reqs[0]), &s)?;
    }

    #[test]
    fn argv_reads_back_as_written(s in spec()) {
        let text = stslint::argv_text(&words(&s));
        let reqs = read_shell(&text, Origin::Argv);
        prop_assert_eq!(reqs.len(), 1, "{}", text);
        same(&as_spec(&reqs[0]), &s)?;
    }

    #[test]
    fn request_documents_read_back_as_written(s in spec()) {
        same(&as_spec(&read_json(&json_text(&s))), &s)?;
    }

    #[test]
    fn mutated_invocations_never_panic_and_keep_spans_valid(
        s in spec(),
        picks in proptest::collection::vec((any::<u8>(), any::<usize>(), any::<usize>()), 1..6),
    ) {
        stslint::check::fuzzing::whole(mutate(&shell_text(&s), &picks).as_bytes());
    }

    #[test]
    fn mutated_documents_never_panic_and_keep_spans_valid(
        s in spec(),
        picks in proptest::collection::vec((any::<u8>(), any::<usize>(), any::<usize>()), 1..6),
    ) {
        stslint::check::fuzzing::whole(mutate(&json_text(&s), &picks).as_bytes());
    }

    #[test]
    fn arbitrary_text_never_panics_and_keeps_spans_valid(text in "\\PC{0,300}") {
        stslint::check::fuzzing::whole(text.as_bytes());
    }

    #[test]
    fn arbitrary_tokens_and_policies_never_panic(bytes in proptest::collection::vec(any::<u8>(), 0..400)) {
        stslint::check::fuzzing::token(&bytes);
        stslint::check::fuzzing::policy(&bytes);
    }
}

/// A script written in a YAML scalar of the given style (0 literal with `\` continuations,
/// 1 folded, 2 plain multi-line, 3 single-quoted, 4 double-quoted), its words spread over lines of
/// `per_line` words, indented by `indent`.
fn yaml_script(words: &[String], style: u8, indent: usize, per_line: usize) -> String {
    let pad = " ".repeat(indent);
    let inner = " ".repeat(indent + 4);
    let lines: Vec<String> = words.chunks(per_line.max(1)).map(|c| c.join(" ")).collect();
    let item = match style {
        0 => format!("|\n{inner}{}\n", lines.join(&format!(" \\\n{inner}"))),
        1 => format!(">\n{inner}{}\n", lines.join(&format!("\n{inner}"))),
        2 => format!("{}\n", lines.join(&format!("\n{inner}"))),
        3 => format!("'{}'\n", lines.join(&format!("\n{inner}"))),
        _ => format!("\"{}\"\n", lines.join(&format!("\n{inner}"))),
    };
    format!("job:\n{pad}script:\n{pad}  - {item}")
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(400))]

    /// YAML scalar → script → span: every word of the script, in every scalar style, is found with
    /// its value, and each of its bytes maps back to the same byte of the YAML file.
    #[test]
    fn yaml_scripts_map_back_to_their_bytes(
        extra in proptest::collection::vec("[A-Za-z0-9_./=@+][A-Za-z0-9_./=@+-]{0,11}", 1..12),
        style in 0u8..5,
        indent in 1usize..6,
        per_line in 1usize..4,
    ) {
        let mut words: Vec<String> = ["aws", "sts", "assume-role-with-web-identity"].map(String::from).to_vec();
        words.extend(extra);
        let src = yaml_script(&words, style, indent, per_line);
        let lexed = stslint::input::yaml::lex(&src, 0, false);
        prop_assert!(lexed.errors.is_empty(), "{src}\n{:?}", lexed.errors);
        prop_assert_eq!(lexed.commands.len(), 1, "{}", src);
        let got: Vec<&str> = lexed.commands[0].words.iter().map(|w| w.value.as_str()).collect();
        prop_assert_eq!(&got, &words, "{}", src);
        for w in &lexed.commands[0].words {
            for i in 0..w.value.len() {
                let r = w.span_of(i..i + 1).range;
                prop_assert_eq!(&src[r.clone()], &w.value[i..i + 1], "{} byte {} of {:?} at {:?}", src, i, w.value, r);
            }
        }
    }
}
