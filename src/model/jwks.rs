//! Keys and signatures: a JSON Web Key Set as saved from an issuer's `jwks_uri`, and the check
//! of a JWS's signature against it, for the algorithms STS accepts. Pure: the JWKS text is an
//! input; nothing is fetched.

use super::token::{b64url, type_name, Jws, SignatureCheck};
use crate::limits::TOKEN_ALGORITHMS;
use serde_json::Value;

/// Whether STS accepts tokens signed with `alg`.
pub fn alg_accepted(alg: &str) -> bool {
    TOKEN_ALGORITHMS.contains(&alg)
}

/// A JSON Web Key Set, as saved from an issuer's `jwks_uri`.
#[derive(Debug, Clone, Default)]
pub struct Jwks {
    pub keys: Vec<Jwk>,
}

/// One key of a JWKS that stslint can use, or the reason it cannot.
#[derive(Debug, Clone)]
pub struct Jwk {
    pub kid: Option<String>,
    /// The key's own `alg`, which then restricts what it verifies.
    pub alg: Option<String>,
    /// `use`, when given (`sig` or `enc`).
    pub use_: Option<String>,
    pub key: Result<PublicKey, String>,
}

/// Public keys for the algorithms STS accepts.
#[derive(Clone)]
pub enum PublicKey {
    Rsa(Box<rsa::RsaPublicKey>),
    P256(p256::ecdsa::VerifyingKey),
    P384(p384::ecdsa::VerifyingKey),
    P521(Box<p521::ecdsa::VerifyingKey>),
}

impl std::fmt::Debug for PublicKey {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.name())
    }
}

impl PublicKey {
    fn name(&self) -> &'static str {
        match self {
            PublicKey::Rsa(_) => "an RSA key",
            PublicKey::P256(_) => "an EC P-256 key",
            PublicKey::P384(_) => "an EC P-384 key",
            PublicKey::P521(_) => "an EC P-521 key",
        }
    }
    /// Whether this key can verify `alg` at all.
    fn fits(&self, alg: &str) -> bool {
        matches!(
            (self, alg),
            (PublicKey::Rsa(_), "RS256" | "RS384" | "RS512")
                | (PublicKey::P256(_), "ES256")
                | (PublicKey::P384(_), "ES384")
                | (PublicKey::P521(_), "ES512")
        )
    }
    fn verify(&self, alg: &str, message: &[u8], sig: &[u8]) -> bool {
        use rsa::signature::Verifier;
        match (self, alg) {
            (PublicKey::Rsa(k), "RS256") => rsa_verify!(sha2::Sha256, k, message, sig),
            (PublicKey::Rsa(k), "RS384") => rsa_verify!(sha2::Sha384, k, message, sig),
            (PublicKey::Rsa(k), "RS512") => rsa_verify!(sha2::Sha512, k, message, sig),
            (PublicKey::P256(k), "ES256") => {
                p256::ecdsa::Signature::from_slice(sig).is_ok_and(|s| k.verify(message, &s).is_ok())
            }
            (PublicKey::P384(k), "ES384") => {
                p384::ecdsa::Signature::from_slice(sig).is_ok_and(|s| k.verify(message, &s).is_ok())
            }
            (PublicKey::P521(k), "ES512") => {
                p521::ecdsa::Signature::from_slice(sig).is_ok_and(|s| k.verify(message, &s).is_ok())
            }
            _ => false,
        }
    }
}

/// RSASSA-PKCS1-v1_5 with the given digest.
macro_rules! rsa_verify {
    ($digest:ty, $key:expr, $message:expr, $sig:expr) => {{
        let key = rsa::pkcs1v15::VerifyingKey::<$digest>::new(rsa::RsaPublicKey::clone($key));
        rsa::pkcs1v15::Signature::try_from($sig).is_ok_and(|s| key.verify($message, &s).is_ok())
    }};
}
use rsa_verify;

/// Why a JWKS document could not be used at all.
#[derive(Debug, Clone, PartialEq)]
pub struct JwksError(pub String);

impl std::fmt::Display for JwksError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0)
    }
}

impl Jwks {
    /// Reads a JWKS document (`{"keys": [...]}`), or a single JWK object.
    pub fn parse(text: &str) -> Result<Jwks, JwksError> {
        let v: Value =
            serde_json::from_str(text).map_err(|e| JwksError(format!("not JSON: {e}")))?;
        let keys = match &v {
            Value::Object(m) if m.contains_key("keys") => match &m["keys"] {
                Value::Array(a) => a.clone(),
                other => {
                    return Err(JwksError(format!(
                        "`keys` is a {}, not an array of keys",
                        type_name(other)
                    )))
                }
            },
            Value::Object(m) if m.contains_key("kty") => vec![v.clone()],
            Value::Object(_) => {
                return Err(JwksError(
                    "no `keys` member: a JWKS is `{\"keys\": [...]}`, as served at the issuer's `jwks_uri`".into(),
                ))
            }
            other => {
                return Err(JwksError(format!(
                    "a JSON {}, not a JWKS object `{{\"keys\": [...]}}`",
                    type_name(other)
                )))
            }
        };
        Ok(Jwks {
            keys: keys.iter().map(Jwk::from_json).collect(),
        })
    }

    /// Checks the signature of `jws`, whose compact text is `token` (the decoded range).
    pub fn check(&self, jws: &Jws, value: &str) -> SignatureCheck {
        const MAX_OTHER_KEYS: usize = 16;
        let Some(alg) = jws.alg().filter(|a| alg_accepted(a)) else {
            return SignatureCheck::Skipped;
        };
        let kid = jws.kid().map(str::to_string);
        let message = &value.as_bytes()[jws.header.range.start..jws.payload.range.end];
        let sig = jws.signature_bytes.as_deref().unwrap_or(&[]);
        let verifies = |k: &Jwk| {
            k.key
                .as_ref()
                .is_ok_and(|pk| pk.fits(alg) && pk.verify(alg, message, sig))
        };
        let named: Vec<&Jwk> = match &kid {
            Some(kid) => self
                .keys
                .iter()
                .filter(|k| k.kid.as_deref() == Some(kid))
                .collect(),
            None => self.keys.iter().collect(),
        };
        // Another key that verifies the token says "wrong kid": looked for only when the named
        // keys fail, and among a bounded number of keys, so a JWKS of many large keys costs each
        // token a few verifications, not one per key.
        let named_kid = kid.clone();
        let other = || {
            self.keys
                .iter()
                .filter(|k| named_kid.is_none() || k.kid != named_kid)
                .take(MAX_OTHER_KEYS)
                .find(|k| verifies(k))
                .map(|k| k.kid.clone().unwrap_or_else(|| "(no kid)".into()))
        };
        if named.is_empty() {
            return SignatureCheck::KeyNotFound {
                kid,
                kids: self.keys.iter().filter_map(|k| k.kid.clone()).collect(),
                verified_by: other(),
            };
        }
        if named.iter().any(|k| verifies(k)) {
            return SignatureCheck::Verified { kid };
        }
        // The named key exists but cannot be used for this alg, or the signature fails.
        if kid.is_some() {
            for k in &named {
                let reason = match &k.key {
                    Err(e) => Some(e.clone()),
                    Ok(pk) if !pk.fits(alg) => {
                        Some(format!("it is {}, which cannot verify {alg}", pk.name()))
                    }
                    Ok(_) => match (&k.alg, &k.use_) {
                        (Some(ka), _) if ka != alg => Some(format!(
                            "the key says `\"alg\": \"{ka}\"`, and the token says {alg}"
                        )),
                        (_, Some(u)) if u != "sig" => {
                            Some(format!("the key says `\"use\": \"{u}\"`, not `sig`"))
                        }
                        _ => None,
                    },
                };
                if let Some(reason) = reason {
                    return SignatureCheck::AlgorithmNotAllowed { kid, reason };
                }
            }
        }
        match other() {
            Some(by) => SignatureCheck::WrongKey {
                kid,
                verified_by: by,
            },
            None => SignatureCheck::BadSignature { kid },
        }
    }
}

impl Jwk {
    fn from_json(v: &Value) -> Jwk {
        let s = |name: &str| v.get(name).and_then(Value::as_str).map(str::to_string);
        let (kid, alg, use_) = (s("kid"), s("alg"), s("use"));
        let bytes = |name: &str| -> Result<Vec<u8>, String> {
            let t = v
                .get(name)
                .and_then(Value::as_str)
                .ok_or_else(|| format!("the key has no `{name}`"))?;
            b64url(t.trim_end_matches('='), 0)
                .map_err(|e| format!("the key's `{name}` {}", e.describe()))
        };
        let key = match v.get("kty").and_then(Value::as_str) {
            Some("RSA") => bytes("n").and_then(|n| {
                let e = bytes("e")?;
                rsa::RsaPublicKey::new_with_max_size(
                    rsa::BigUint::from_bytes_be(&n),
                    rsa::BigUint::from_bytes_be(&e),
                    16384,
                )
                .map(|k| PublicKey::Rsa(Box::new(k)))
                .map_err(|e| format!("the RSA key is not usable: {e}"))
            }),
            Some("EC") => bytes("x").and_then(|x| {
                let y = bytes("y")?;
                let mut sec1 = vec![4u8];
                sec1.extend_from_slice(&x);
                sec1.extend_from_slice(&y);
                let bad = |c: &str| format!("the {c} key's x/y are not a point on the curve");
                match v.get("crv").and_then(Value::as_str) {
                    Some("P-256") => p256::ecdsa::VerifyingKey::from_sec1_bytes(&sec1)
                        .map(PublicKey::P256)
                        .map_err(|_| bad("P-256")),
                    Some("P-384") => p384::ecdsa::VerifyingKey::from_sec1_bytes(&sec1)
                        .map(PublicKey::P384)
                        .map_err(|_| bad("P-384")),
                    Some("P-521") => p521::ecdsa::VerifyingKey::from_sec1_bytes(&sec1)
                        .map(|k| PublicKey::P521(Box::new(k)))
                        .map_err(|_| bad("P-521")),
                    other => Err(format!(
                        "the EC key's curve {other:?} is not one STS accepts (P-256, P-384, P-521)"
                    )),
                }
            }),
            Some(other) => Err(format!(
                "its key type `{other}` cannot verify any algorithm STS accepts (RSA and EC keys can)"
            )),
            None => Err("the key has no `kty`".into()),
        };
        Jwk {
            kid,
            alg,
            use_,
            key,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn jwks_parse_errors_are_clear() {
        assert!(Jwks::parse("[]").unwrap_err().0.contains("not a JWKS"));
        assert!(Jwks::parse("{}").unwrap_err().0.contains("no `keys`"));
        let j = Jwks::parse(r#"{"keys":[{"kty":"OKP","kid":"a"},{"kid":"b"}]}"#).unwrap();
        assert!(j.keys[0].key.as_ref().unwrap_err().contains("OKP"));
        assert!(j.keys[1].key.as_ref().unwrap_err().contains("kty"));
    }
}
