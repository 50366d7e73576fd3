//! Real signed tokens for the fixtures, made here from their specs.
//!
//! `tests/fixtures/keys/*.pem` are test-only keys made with `openssl genpkey`;
//! `tests/fixtures/keys/jwks.json` is their public half. Each `tests/fixtures/tokens/NAME.spec.json`
//! (`{"key": ..., "header": {...}, "claims": {...}}`) is signed into `NAME.jwt`. RSASSA-PKCS1-v1_5
//! and RFC 6979 ECDSA are deterministic, so the test signs every spec again and compares; run with
//! `STSLINT_UPDATE_TOKENS=1` to rewrite the files after changing a spec.

mod common;
use common::root;
use rsa::pkcs8::DecodePrivateKey;
use rsa::signature::{SignatureEncoding, Signer};
use rsa::traits::PublicKeyParts;
use serde_json::{json, Value};
use sha2::Digest;
use std::path::Path;
use stslint::model::jwks::Jwks;
use stslint::model::token::{b64url_encode as b64, decode, Kind, SignatureCheck};

/// The `kid` of each key in `jwks.json`.
const KEYS: &[(&str, &str)] = &[
    ("rsa", "rsa-1"),
    ("ec256", "ec256-1"),
    ("ec384", "ec384-1"),
    ("ec521", "ec521-1"),
];

fn pem(name: &str) -> String {
    std::fs::read_to_string(root().join(format!("tests/fixtures/keys/{name}.pem"))).unwrap()
}

/// Signs `input` with the named key (`rsa`, `rsa-other`, `ec256`, `ec384`, `ec521`, `hs256`
/// with the secret `test-secret`, `none` for an empty signature, `fake` for made-up bytes).
fn sign(key: &str, alg: &str, input: &[u8]) -> Vec<u8> {
    match key {
        "rsa" | "rsa-other" => {
            let k = rsa::RsaPrivateKey::from_pkcs8_pem(&pem(key)).unwrap();
            match alg {
                "RS384" => rsa::pkcs1v15::SigningKey::<sha2::Sha384>::new(k)
                    .sign(input)
                    .to_vec(),
                "RS512" => rsa::pkcs1v15::SigningKey::<sha2::Sha512>::new(k)
                    .sign(input)
                    .to_vec(),
                _ => rsa::pkcs1v15::SigningKey::<sha2::Sha256>::new(k)
                    .sign(input)
                    .to_vec(),
            }
        }
        "ec256" => {
            let k = p256::ecdsa::SigningKey::from_pkcs8_pem(&pem(key)).unwrap();
            let s: p256::ecdsa::Signature = k.sign(input);
            s.to_vec()
        }
        "ec384" => {
            let k = p384::ecdsa::SigningKey::from_pkcs8_pem(&pem(key)).unwrap();
            let s: p384::ecdsa::Signature = k.sign(input);
            s.to_vec()
        }
        "ec521" => {
            let sk = p521::SecretKey::from_pkcs8_pem(&pem(key)).unwrap();
            let k = p521::ecdsa::SigningKey::from_bytes(&sk.to_bytes()).unwrap();
            // p521 0.13 signs with a random nonce (not RFC 6979): the test compares these
            // tokens by their signed part and a verified signature instead of byte for byte.
            let s: p521::ecdsa::Signature = k.sign(input);
            s.to_vec()
        }
        "hs256" => hmac_sha256(b"test-secret", input),
        "none" => Vec::new(),
        "fake" => b"not a real signature, only bytes of the right kind".to_vec(),
        other => panic!("unknown key {other}"),
    }
}

fn hmac_sha256(key: &[u8], msg: &[u8]) -> Vec<u8> {
    let mut k = [0u8; 64];
    k[..key.len()].copy_from_slice(key);
    let pad = |b: u8| k.iter().map(|x| x ^ b).collect::<Vec<u8>>();
    let inner = sha2::Sha256::new()
        .chain_update(pad(0x36))
        .chain_update(msg)
        .finalize();
    sha2::Sha256::new()
        .chain_update(pad(0x5c))
        .chain_update(inner)
        .finalize()
        .to_vec()
}

/// The token a spec describes.
pub fn token_from_spec(spec: &Value) -> String {
    let header = serde_json::to_string(&spec["header"]).unwrap();
    let claims = serde_json::to_string(&spec["claims"]).unwrap();
    let input = format!("{}.{}", b64(header.as_bytes()), b64(claims.as_bytes()));
    let alg = spec["header"]["alg"].as_str().unwrap_or("");
    let sig = sign(spec["key"].as_str().unwrap(), alg, input.as_bytes());
    format!("{input}.{}", b64(&sig))
}

/// The public JWKS of the test keys.
fn jwks() -> Value {
    let mut keys = Vec::new();
    for (name, kid) in KEYS {
        let key = match *name {
            "rsa" => {
                let k = rsa::RsaPrivateKey::from_pkcs8_pem(&pem(name)).unwrap();
                json!({"kty": "RSA", "kid": kid, "use": "sig", "alg": "RS256",
                       "n": b64(&k.n().to_bytes_be()), "e": b64(&k.e().to_bytes_be())})
            }
            _ => {
                let (crv, point) = match *name {
                    "ec256" => (
                        "P-256",
                        p256::SecretKey::from_pkcs8_pem(&pem(name))
                            .unwrap()
                            .public_key()
                            .to_sec1_bytes()
                            .to_vec(),
                    ),
                    "ec384" => (
                        "P-384",
                        p384::SecretKey::from_pkcs8_pem(&pem(name))
                            .unwrap()
                            .public_key()
                            .to_sec1_bytes()
                            .to_vec(),
                    ),
                    _ => (
                        "P-521",
                        p521::SecretKey::from_pkcs8_pem(&pem(name))
                            .unwrap()
                            .public_key()
                            .to_sec1_bytes()
                            .to_vec(),
                    ),
                };
                let n = (point.len() - 1) / 2;
                json!({"kty": "EC", "kid": kid, "use": "sig", "crv": crv,
                       "x": b64(&point[1..1 + n]), "y": b64(&point[1 + n..])})
            }
        };
        keys.push(key);
    }
    json!({ "keys": keys })
}

fn update() -> bool {
    std::env::var_os("STSLINT_UPDATE_TOKENS").is_some()
}

fn check_file(path: &Path, want: &str) {
    if update() {
        std::fs::write(path, want).unwrap();
        return;
    }
    let have = std::fs::read_to_string(path).unwrap_or_default();
    assert!(
        have == want,
        "{} is not what its spec signs to; run `STSLINT_UPDATE_TOKENS=1 cargo test --test tokens`",
        path.display()
    );
}

#[test]
fn jwks_fixture_is_the_public_half_of_the_test_keys() {
    let want = serde_json::to_string_pretty(&jwks()).unwrap() + "\n";
    check_file(&root().join("tests/fixtures/keys/jwks.json"), &want);
}

#[test]
fn token_fixtures_are_signed_from_their_specs() {
    let dir = root().join("tests/fixtures/tokens");
    let jwks = Jwks::parse(&serde_json::to_string(&jwks()).unwrap()).unwrap();
    let mut n = 0;
    for entry in std::fs::read_dir(&dir).unwrap() {
        let path = entry.unwrap().path();
        let Some(stem) = path
            .file_name()
            .unwrap()
            .to_str()
            .unwrap()
            .strip_suffix(".spec.json")
        else {
            continue;
        };
        let spec: Value = serde_json::from_str(&std::fs::read_to_string(&path).unwrap()).unwrap();
        let token = token_from_spec(&spec);
        let suffix = spec["suffix"].as_str().unwrap_or("");
        let file = dir.join(format!("{stem}.jwt"));
        let token = if spec["key"] == "ec521" && !update() {
            // Randomized signature: keep the file when its signed part is the spec's and it verifies.
            let have = std::fs::read_to_string(&file).unwrap_or_default();
            let signed = |t: &str| t.rsplit_once('.').map(|(a, _)| a.to_string());
            assert_eq!(
                signed(&have),
                signed(&token),
                "{stem}: signed part differs from the spec"
            );
            have
        } else {
            check_file(&file, &format!("{token}{suffix}"));
            token
        };
        // Our own verifier agrees with how each was signed.
        let t = decode(&token);
        let Kind::Jws(jws) = &t.kind else {
            panic!("{stem} is a JWS")
        };
        assert_eq!(jws.header(), spec["header"].as_object(), "{stem} header");
        assert_eq!(jws.claims(), spec["claims"].as_object(), "{stem} claims");
        let verdict = jwks.check(jws, &token);
        let key = spec["key"].as_str().unwrap();
        let kid = spec["header"]["kid"].as_str();
        let expect_ok = KEYS
            .iter()
            .any(|(k, id)| *k == key && kid.is_none_or(|kid| kid == *id))
            && spec["header"]["alg"]
                .as_str()
                .is_some_and(stslint::model::jwks::alg_accepted);
        assert_eq!(
            matches!(verdict, SignatureCheck::Verified { .. }),
            expect_ok,
            "{stem}: {verdict:?}"
        );
        n += 1;
    }
    assert!(n >= 10, "found {n} token specs");
}

#[test]
fn signature_verdicts() {
    let jwks = Jwks::parse(&serde_json::to_string(&jwks()).unwrap()).unwrap();
    let claims = json!({"iss": "https://example.com", "sub": "s", "aud": "a", "exp": 1795435800});
    let verdict = |key: &str, header: Value| {
        let token = token_from_spec(&json!({"key": key, "header": header, "claims": claims}));
        let Kind::Jws(jws) = decode(&token).kind else {
            panic!()
        };
        jwks.check(&jws, &token)
    };
    for (key, alg, kid) in [
        ("rsa", "RS256", "rsa-1"),
        ("rsa", "RS384", "rsa-1"),
        ("rsa", "RS512", "rsa-1"),
        ("ec256", "ES256", "ec256-1"),
        ("ec384", "ES384", "ec384-1"),
        ("ec521", "ES512", "ec521-1"),
    ] {
        assert_eq!(
            verdict(key, json!({"alg": alg, "kid": kid})),
            SignatureCheck::Verified {
                kid: Some(kid.into())
            },
            "{alg}"
        );
    }
    // Without a kid, any key of the set may verify it.
    assert_eq!(
        verdict("ec256", json!({"alg": "ES256"})),
        SignatureCheck::Verified { kid: None }
    );
    // Signed by a key that is not in the set.
    assert_eq!(
        verdict("rsa-other", json!({"alg": "RS256", "kid": "rsa-1"})),
        SignatureCheck::BadSignature {
            kid: Some("rsa-1".into())
        }
    );
    // A kid the set does not have, signed by one it does have.
    assert_eq!(
        verdict("rsa", json!({"alg": "RS256", "kid": "rsa-2"})),
        SignatureCheck::KeyNotFound {
            kid: Some("rsa-2".into()),
            kids: KEYS.iter().map(|(_, k)| k.to_string()).collect(),
            verified_by: Some("rsa-1".into())
        }
    );
    // Another key of the set signed it.
    assert_eq!(
        verdict("ec384", json!({"alg": "ES384", "kid": "ec256-1"})),
        SignatureCheck::AlgorithmNotAllowed {
            kid: Some("ec256-1".into()),
            reason: "it is an EC P-256 key, which cannot verify ES384".into()
        }
    );
    assert!(matches!(
        verdict("rsa", json!({"alg": "RS512", "kid": "rsa-1"})),
        SignatureCheck::Verified { .. }
    ));
    // The RSA key says alg RS256; the token is ES256 → the EC key with a wrong kid.
    assert!(matches!(
        verdict("ec256", json!({"alg": "ES256", "kid": "rsa-1"})),
        SignatureCheck::AlgorithmNotAllowed { .. }
    ));
    // A tampered payload no longer verifies.
    let token = token_from_spec(
        &json!({"key": "rsa", "header": {"alg": "RS256", "kid": "rsa-1"}, "claims": claims}),
    );
    let mut parts: Vec<&str> = token.split('.').collect();
    let forged = b64(br#"{"iss":"https://example.com","sub":"admin","aud":"a","exp":1795435800}"#);
    parts[1] = &forged;
    let forged = parts.join(".");
    let Kind::Jws(jws) = decode(&forged).kind else {
        panic!()
    };
    assert_eq!(
        jwks.check(&jws, &forged),
        SignatureCheck::BadSignature {
            kid: Some("rsa-1".into())
        }
    );
    // HS256 and none are not verified: STS refuses them before (T009).
    assert_eq!(
        verdict("hs256", json!({"alg": "HS256", "kid": "rsa-1"})),
        SignatureCheck::Skipped
    );
}

/// Each issuer's valid token is recognised as that issuer and draws no error or warning (only the
/// expiry note and, for tags, the trust-policy note); Auth0's trailing-slash issuer is a warning.
#[test]
fn each_issuer_profile_has_a_clean_token() {
    let base = root().join("tests/fixtures");
    for (file, profile, warnings) in [
        ("github-actions", "github-actions", 0),
        ("github-environment", "github-actions", 0),
        ("github-pull-request", "github-actions", 0),
        ("eks", "eks", 0),
        ("gitlab", "gitlab", 0),
        ("google", "google", 0),
        ("cognito", "cognito-identity", 0),
        ("terraform", "hcp-terraform", 0),
        ("bitbucket", "bitbucket-pipelines", 0),
        ("circleci", "circleci", 0),
        ("entra", "microsoft-entra-id", 0),
        ("kubernetes", "kubernetes", 0),
        ("okta", "okta", 0),
        ("auth0", "auth0", 1),
        ("session-tags", "generic-oidc", 0),
    ] {
        let out = common::stslint(
            &base,
            &[
                "token",
                "--now",
                common::NOW,
                "--jwks",
                "keys/jwks.json",
                "--format",
                "json",
                &format!("file://tokens/{file}.jwt"),
            ],
            None,
        );
        let v: Value = serde_json::from_slice(&out.stdout).unwrap();
        assert_eq!(v["token"]["issuer_profile"]["id"], profile, "{file}");
        assert_eq!(v["token"]["signature"], "verified", "{file}");
        assert_eq!(v["summary"]["errors"], 0, "{file}: {}", v["diagnostics"]);
        assert_eq!(
            v["summary"]["warnings"], warnings,
            "{file}: {}",
            v["diagnostics"]
        );
        assert_eq!(out.status.code(), Some(0), "{file}");
    }
}
