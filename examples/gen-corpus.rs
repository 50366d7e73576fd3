//! Writes a corpus of N varied inputs for benchmarks: shell scripts (one to three invocations, valid
//! and broken), `--cli-input-json` request files, CI workflows, and files without any invocation (as a
//! real repository has), with real RS256 tokens signed by the test key and inline session policies.
//!
//! Usage: cargo run --release --example gen-corpus -- N DIR
//! Deterministic: the same N gives the same files.

use rsa::pkcs8::DecodePrivateKey;
use rsa::signature::{SignatureEncoding, Signer};
use std::path::Path;
use stslint::model::token::b64url_encode as b64;

/// A small deterministic generator (xorshift), so corpora are reproducible.
struct Rng(u64);
impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        self.0
    }
    fn pick<'a>(&mut self, items: &[&'a str]) -> &'a str {
        items[(self.next() % items.len() as u64) as usize]
    }
}

fn main() {
    let args: Vec<String> = std::env::args().collect();
    let (Some(n), Some(dir)) = (
        args.get(1).and_then(|n| n.parse::<usize>().ok()),
        args.get(2),
    ) else {
        eprintln!("usage: gen-corpus N DIR");
        std::process::exit(2);
    };
    let dir = Path::new(dir);
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let pem = std::fs::read_to_string(root.join("tests/fixtures/keys/rsa.pem")).expect("test key");
    let key = rsa::pkcs1v15::SigningKey::<sha2::Sha256>::new(
        rsa::RsaPrivateKey::from_pkcs8_pem(&pem).expect("pkcs8 key"),
    );
    let mut rng = Rng(0x5eed_1234_abcd_9876);
    // A handful of signed tokens, reused (signing thousands would measure RSA, not stslint).
    let now = 1_795_435_200u64;
    let tokens: Vec<String> = (0..16)
        .map(|i| {
            let header = b64(br#"{"alg":"RS256","kid":"rsa-1","typ":"JWT"}"#);
            let sub = ["repo:acme/app:ref:refs/heads/main", "repo:acme/app:pull_request", "system:serviceaccount:ci:builder"][i % 3];
            let iss = ["https://token.actions.githubusercontent.com", "https://token.actions.githubusercontent.com", "https://oidc.eks.eu-west-1.amazonaws.com/id/5C5B5F1A2D1E4F0C8B0E6D9B4A3C2F10"][i % 3];
            let claims = format!(r#"{{"iss":"{iss}","sub":"{sub}","aud":"sts.amazonaws.com","repository":"acme/app","repository_owner":"acme","ref":"refs/heads/main","iat":{},"exp":{}}}"#, now - 60, now + 600 + i as u64);
            let input = format!("{header}.{}", b64(claims.as_bytes()));
            let sig = key.sign(input.as_bytes()).to_vec();
            format!("{input}.{}", b64(&sig))
        })
        .collect();
    std::fs::create_dir_all(dir.join("tokens")).expect("create DIR");
    for (i, t) in tokens.iter().enumerate() {
        std::fs::write(dir.join(format!("tokens/t{i}.jwt")), t).expect("write token");
    }
    let names = [
        "ci-run",
        "deploy-${GITHUB_RUN_ID}",
        "nightly build",
        "x",
        "release-42",
        "gh-$RUN",
    ];
    let roles = [
        "arn:aws:iam::111122223333:role/ci",
        "arn:aws:iam::111122223333:role/deploy",
        "arn:aws:iam::123456789012:role/x",
        "arn:aws:iam::111122223333:user/alice",
    ];
    let policies = [
        "",
        r#" --policy '{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"s3:GetObject","Resource":"arn:aws:s3:::acme-artifacts/*"}]}'"#,
        r#" --policy '{"Version":"2012-10-17","Statement":[{"Effect":"allow","Action":"s3:Get Object","Resource":"acme"}]}'"#,
        " --policy-arns arn=arn:aws:iam::aws:policy/ReadOnlyAccess",
        " --duration-seconds 7200",
    ];
    let invocation = |rng: &mut Rng| {
        let token = if rng.next() % 4 == 0 {
            tokens[(rng.next() % 16) as usize].clone()
        } else {
            format!("file://tokens/t{}.jwt", rng.next() % 16)
        };
        format!(
            "aws sts assume-role-with-web-identity \\\n  --role-arn {} \\\n  --role-session-name \"{}\" \\\n  --web-identity-token {token}{}\n",
            rng.pick(&roles),
            rng.pick(&names),
            rng.pick(&policies)
        )
    };
    for i in 0..n {
        let (name, text) = match i % 10 {
            0..=5 => {
                let mut s = String::from("#!/usr/bin/env bash\nset -euo pipefail\n# deploy step\n");
                for _ in 0..1 + rng.next() % 3 {
                    s.push_str("echo \"assuming role\"\n");
                    s.push_str(&invocation(&mut rng));
                }
                (format!("s{i:05}.sh"), s)
            }
            6 => (
                format!("r{i:05}.json"),
                format!(
                    "{{\n  \"RoleArn\": \"{}\",\n  \"RoleSessionName\": \"{}\",\n  \"WebIdentityToken\": \"{}\",\n  \"DurationSeconds\": {}\n}}\n",
                    rng.pick(&roles),
                    rng.pick(&["ci", "nightly build", "release"]),
                    tokens[(rng.next() % 16) as usize],
                    rng.pick(&["3600", "900", "50000"])
                ),
            ),
            7 => (format!("w{i:05}.yml"), format!("jobs:\n  deploy:\n    steps:\n      - run: |\n          {}", invocation(&mut rng).replace('\n', "\n          "))),
            // Files a repository has that hold no invocation: read and skipped.
            8 => (format!("b{i:05}.sh"), "#!/bin/sh\nmake build && make test\n".repeat(20)),
            _ => (format!("p{i:05}.json"), "{\"name\": \"app\", \"version\": \"1.0.0\", \"private\": true}\n".to_string()),
        };
        let sub = dir.join(format!("d{:03}", i / 100));
        std::fs::create_dir_all(&sub).expect("create subdir");
        std::fs::write(sub.join(name), text).expect("write file");
    }
}
