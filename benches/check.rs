//! Criterion benchmarks of each stage: parsing a shell invocation, reading a JSON request, decoding
//! a token, linting a session policy, and the whole check of one request (as `stslint check` does
//! it, without process start). `cargo bench --bench check`; whole-program figures come from
//! `scripts/bench.sh`.

use criterion::{black_box, criterion_group, criterion_main, Criterion};
use stslint::input::load::Loader;
use stslint::model::request::Origin;
use stslint::source::{SourceFile, Sources};
use stslint::{Input, Options};

const TOKEN: &str = include_str!("../tests/fixtures/tokens/github-actions.jwt");

fn script() -> String {
    format!(
        "#!/usr/bin/env bash\nset -euo pipefail\naws sts assume-role-with-web-identity \\\n  --role-arn arn:aws:iam::111122223333:role/ci \\\n  --role-session-name \"deploy-${{GITHUB_RUN_ID}}\" \\\n  --web-identity-token '{TOKEN}' \\\n  --policy '{}' \\\n  --duration-seconds 3600\n",
        POLICY
    )
}

const POLICY: &str = r#"{"Version":"2012-10-17","Statement":[{"Sid":"Read","Effect":"Allow","Action":["s3:GetObject","s3:ListBucket"],"Resource":["arn:aws:s3:::acme-artifacts","arn:aws:s3:::acme-artifacts/*"],"Condition":{"Bool":{"aws:SecureTransport":"true"},"IpAddress":{"aws:SourceIp":"203.0.113.0/24"}}}]}"#;

fn benches(c: &mut Criterion) {
    let text = script();
    c.bench_function("parse shell invocation", |b| {
        b.iter(|| {
            let mut sources = Sources::default();
            let id = sources.add(SourceFile::new("deploy.sh", text.as_str()));
            let lexed = stslint::input::shell::lex(black_box(&text), id);
            let mut loader = Loader::new(&mut sources, std::path::PathBuf::from("."));
            stslint::input::awscli::find_requests(&lexed.commands, Origin::Shell, &mut loader)
        })
    });
    let json = format!(
        r#"{{"RoleArn": "arn:aws:iam::111122223333:role/ci", "RoleSessionName": "ci", "WebIdentityToken": "{}", "Policy": {}, "DurationSeconds": 3600}}"#,
        TOKEN.trim(),
        serde_json::to_string(POLICY).unwrap()
    );
    c.bench_function("read JSON request", |b| {
        b.iter(|| stslint::input::awscli::request_file::read(black_box(&json), 0))
    });
    c.bench_function("decode token", |b| {
        b.iter(|| stslint::model::token::decode(black_box(TOKEN)))
    });
    c.bench_function("lint session policy", |b| {
        let input = Input::Argv(
            [
                "aws",
                "sts",
                "assume-role-with-web-identity",
                "--role-arn",
                "arn:aws:iam::111122223333:role/ci",
                "--role-session-name",
                "ci",
                "--web-identity-token",
                "file://none",
                "--policy",
                POLICY,
            ]
            .iter()
            .map(|s| s.to_string())
            .collect(),
        );
        let opts = Options {
            isolated: true,
            ..Options::default()
        };
        b.iter(|| stslint::check(black_box(std::slice::from_ref(&input)), &opts))
    });
    c.bench_function("check one request (whole pipeline)", |b| {
        let input = Input::Text {
            name: "deploy.sh".into(),
            text: text.clone(),
        };
        let opts = Options {
            isolated: true,
            ..Options::default()
        };
        b.iter(|| stslint::check(black_box(std::slice::from_ref(&input)), &opts))
    });
}

criterion_group!(benches_group, benches);
criterion_main!(benches_group);
