//! The web identity token, decoded offline: what kind of token it is and, for a signed JWT (JWS
//! compact serialization), its header, its claims and, given a JWKS, whether its signature
//! verifies. Pure functions: no clock, no network, no files.
//!
//! A token is a credential. Nothing here formats the token or its signature into a string; the
//! decoded header and claims are not secret and may be shown.

use serde_json::{Map, Value};
use std::ops::Range;

/// A token, decoded as far as it goes. Ranges are byte ranges of the parameter's value.
#[derive(Debug, Clone)]
pub struct Token {
    /// The part decoded: the value without surrounding whitespace and a `Bearer ` prefix, both of
    /// which other rules report.
    pub range: Range<usize>,
    pub kind: Kind,
    /// Set when a JWKS was given and the token is a JWS.
    pub signature: Option<SignatureCheck>,
    /// Whether the value is worth decoding: a length STS accepts and not a file path (T001/T005
    /// report those). Computed once, as every token rule asks.
    pub plausible: bool,
}

/// What kind of token a value is.
#[derive(Debug, Clone)]
pub enum Kind {
    /// Three dot-separated base64url parts: a signed JWT, what OIDC providers issue.
    Jws(Box<Jws>),
    /// Five parts: an encrypted JWT, which STS cannot read.
    Jwe,
    /// An OAuth 2.0 access token STS accepts only with a ProviderId.
    AccessToken(AccessToken),
    /// A credential of another kind that people paste by mistake.
    Foreign(Foreign),
    /// Anything else; the reason says what it has instead.
    Unknown(String),
}

/// OAuth 2.0 access tokens of the providers STS knows by ProviderId.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum AccessToken {
    /// Login with Amazon: `Atza|...` (ProviderId `www.amazon.com`).
    LoginWithAmazon,
    /// Facebook: `EAA...` (ProviderId `graph.facebook.com`).
    Facebook,
}

impl AccessToken {
    pub fn provider_id(self) -> &'static str {
        match self {
            AccessToken::LoginWithAmazon => "www.amazon.com",
            AccessToken::Facebook => "graph.facebook.com",
        }
    }
    pub fn name(self) -> &'static str {
        match self {
            AccessToken::LoginWithAmazon => "a Login with Amazon access token",
            AccessToken::Facebook => "a Facebook access token",
        }
    }
}

/// Credentials that are not web identity tokens but get passed as one.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Foreign {
    /// `ya29.`: a Google OAuth access token; STS needs the Google ID token.
    GoogleAccessToken,
    /// `ghp_`, `ghs_`, `gho_`, `ghu_`, `github_pat_`: a GitHub API token.
    GitHubToken,
    /// `glpat-`, `glcbt-`: a GitLab token.
    GitLabToken,
}

impl Foreign {
    pub fn describe(self) -> &'static str {
        match self {
            Foreign::GoogleAccessToken => {
                "a Google OAuth access token (`ya29.`), not a Google ID token"
            }
            Foreign::GitHubToken => "a GitHub API token, not a GitHub Actions OIDC token",
            Foreign::GitLabToken => "a GitLab access or job token, not a GitLab CI ID token",
        }
    }
    pub fn fix(self) -> &'static str {
        match self {
            Foreign::GoogleAccessToken => "pass the ID token (a JWT starting `eyJ`), e.g. from `gcloud auth print-identity-token --audiences=AUDIENCE`",
            Foreign::GitHubToken => "request an OIDC token (`permissions: id-token: write`, then `$ACTIONS_ID_TOKEN_REQUEST_URL` with `&audience=sts.amazonaws.com`), or use aws-actions/configure-aws-credentials",
            Foreign::GitLabToken => "declare an ID token in `.gitlab-ci.yml` (`id_tokens: AWS_TOKEN: aud: sts.amazonaws.com`) and pass `$AWS_TOKEN`",
        }
    }
}

/// A JWS in compact serialization.
#[derive(Clone)]
pub struct Jws {
    pub header: Part,
    pub payload: Part,
    /// The signature part.
    pub signature: Range<usize>,
    /// Its bytes, when they decode (never shown; used only to verify).
    pub signature_bytes: Option<Vec<u8>>,
}

// The signature's bytes are never shown, not even in debug output.
impl std::fmt::Debug for Jws {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Jws")
            .field("header", &self.header)
            .field("payload", &self.payload)
            .field("signature", &self.signature)
            .field(
                "signature_bytes",
                &self
                    .signature_bytes
                    .as_ref()
                    .map(|b| format!("<{} bytes>", b.len())),
            )
            .finish()
    }
}

impl Jws {
    pub fn header(&self) -> Option<&Map<String, Value>> {
        self.header.json.as_ref().ok()
    }
    pub fn claims(&self) -> Option<&Map<String, Value>> {
        self.payload.json.as_ref().ok()
    }
    /// The header's `alg`, when it is a string.
    pub fn alg(&self) -> Option<&str> {
        self.header()?.get("alg")?.as_str()
    }
    pub fn kid(&self) -> Option<&str> {
        self.header()?.get("kid")?.as_str()
    }
    /// A claim that is a string.
    pub fn claim_str(&self, name: &str) -> Option<&str> {
        self.claims()?.get(name)?.as_str()
    }
}

/// One base64url part of a JWS and the JSON object it holds.
#[derive(Debug, Clone)]
pub struct Part {
    pub range: Range<usize>,
    pub json: Result<Map<String, Value>, PartError>,
    /// `=` padding at the end, which base64url in a JWS leaves out (RFC 7515 §2).
    pub padded: bool,
}

/// Why a part did not decode to a JSON object.
#[derive(Debug, Clone, PartialEq)]
pub enum PartError {
    Empty,
    /// A character outside the base64url alphabet, at this byte offset of the value.
    Base64 {
        at: usize,
        found: char,
    },
    /// A length no base64 text can have.
    Length(usize),
    NotUtf8,
    Json(String),
    /// Valid JSON of another type.
    NotObject(&'static str),
}

impl PartError {
    /// What is wrong, for a message.
    pub fn describe(&self) -> String {
        match self {
            PartError::Empty => "is empty".into(),
            PartError::Base64 { found, .. } if matches!(found, '+' | '/') => format!(
                "has `{found}`, which is standard base64; a JWT uses base64url (`-` and `_`)"
            ),
            PartError::Base64 { found, .. } => {
                format!("has {found:?}, which is not a base64url character")
            }
            PartError::Length(n) => {
                format!(
                    "is {n} characters long, which no base64url text can be (a piece is missing)"
                )
            }
            PartError::NotUtf8 => "decodes to bytes that are not UTF-8 text".into(),
            PartError::Json(e) => format!("decodes to text that is not JSON ({e})"),
            PartError::NotObject(t) => format!("decodes to a JSON {t}, not an object"),
        }
    }
}

/// The outcome of checking the signature against a JWKS.
#[derive(Debug, Clone, PartialEq)]
pub enum SignatureCheck {
    /// The key with this `kid` (or the only one tried) verifies the signature.
    Verified { kid: Option<String> },
    /// No key with the token's `kid`; `verified_by` names a key of the set that does verify it.
    KeyNotFound {
        kid: Option<String>,
        kids: Vec<String>,
        verified_by: Option<String>,
    },
    /// A key with the `kid` exists, but the signature does not verify with it (nor with any other key).
    BadSignature { kid: Option<String> },
    /// The token was signed by another key of the set than its `kid` names.
    WrongKey {
        kid: Option<String>,
        verified_by: String,
    },
    /// The key cannot be used with the token's `alg` (key type, curve, or the key's own `alg`/`use`).
    AlgorithmNotAllowed { kid: Option<String>, reason: String },
    /// The token's `alg` is not one STS accepts, so there is nothing to verify (T009 reports it).
    Skipped,
}

/// Decodes a token value.
pub fn decode(value: &str) -> Token {
    let start = value.len() - value.trim_start().len();
    let mut range = start..value.trim_end().len().max(start);
    if let Some(rest) = value[range.clone()].strip_prefix('\u{feff}') {
        range.start = range.end - rest.len();
    }
    let t = &value[range.clone()];
    let lower = t.get(..7).map(str::to_ascii_lowercase);
    if lower.as_deref() == Some("bearer ") {
        range.start += 7;
        range.start += value[range.clone()].len() - value[range.clone()].trim_start().len();
    }
    let t = &value[range.clone()];
    let kind = classify(t, range.start);
    let n = value.chars().count();
    let plausible =
        (crate::limits::TOKEN_MIN..=crate::limits::TOKEN_MAX).contains(&n) && !is_path_like(value);
    Token {
        range,
        kind,
        signature: None,
        plausible,
    }
}

fn classify(t: &str, base: usize) -> Kind {
    if t.starts_with("Atza|") || t.starts_with("Atza%7C") || t.starts_with("Atza%7c") {
        return Kind::AccessToken(AccessToken::LoginWithAmazon);
    }
    if t.starts_with("EAA") && !t.contains('.') {
        return Kind::AccessToken(AccessToken::Facebook);
    }
    if t.starts_with("ya29.") {
        return Kind::Foreign(Foreign::GoogleAccessToken);
    }
    if ["ghp_", "ghs_", "gho_", "ghu_", "ghr_", "github_pat_"]
        .iter()
        .any(|p| t.starts_with(p))
    {
        return Kind::Foreign(Foreign::GitHubToken);
    }
    if ["glpat-", "glcbt-", "gldt-"]
        .iter()
        .any(|p| t.starts_with(p))
    {
        return Kind::Foreign(Foreign::GitLabToken);
    }
    let dots: Vec<usize> = t.match_indices('.').map(|(i, _)| i).collect();
    match dots.len() {
        2 => {
            let (a, b) = (dots[0], dots[1]);
            let header = part(t, 0..a, base);
            let payload = part(t, a + 1..b, base);
            let sig = b + 1..t.len();
            let signature_bytes = b64url(&t[sig.clone()], base + sig.start).ok();
            Kind::Jws(Box::new(Jws {
                header,
                payload,
                signature: base + sig.start..base + sig.end,
                signature_bytes,
            }))
        }
        4 => Kind::Jwe,
        0 => Kind::Unknown(
            "no `.`, while a signed JWT is three base64url parts `HEADER.PAYLOAD.SIGNATURE`".into(),
        ),
        n => Kind::Unknown(format!(
            "{} dot-separated parts, while a signed JWT has three (`HEADER.PAYLOAD.SIGNATURE`)",
            n + 1
        )),
    }
}

fn part(t: &str, r: Range<usize>, base: usize) -> Part {
    let s = &t[r.clone()];
    let padded = s.ends_with('=');
    let range = base + r.start..base + r.end;
    let json = if s.is_empty() {
        Err(PartError::Empty)
    } else {
        b64url(s.trim_end_matches('='), range.start).and_then(|bytes| {
            let text = String::from_utf8(bytes).map_err(|_| PartError::NotUtf8)?;
            match serde_json::from_str::<Value>(&text) {
                Ok(Value::Object(m)) => Ok(m),
                Ok(v) => Err(PartError::NotObject(type_name(&v))),
                Err(e) => Err(PartError::Json(e.to_string())),
            }
        })
    };
    Part {
        range,
        json,
        padded,
    }
}

/// Whether a value looks like a file path rather than a token (T005): an absolute, home or
/// relative path without spaces, or `dir/name.jwt|.token|.txt` made of word characters, `.` and
/// `-`. Written by hand rather than as a regex: compiling the Unicode `\w` class cost more than
/// the rest of a one-file check (callgrind: 4.7M of 7.6M instructions).
pub fn is_path_like(v: &str) -> bool {
    let rooted = ["/", "~/", "./", "../"].iter().any(|p| v.starts_with(p));
    if rooted {
        return !v.chars().any(char::is_whitespace);
    }
    let Some(stem) = [".jwt", ".token", ".txt"]
        .iter()
        .find_map(|ext| v.strip_suffix(ext))
    else {
        return false;
    };
    let word = |c: char| c.is_alphanumeric() || c == '_' || c == '.' || c == '-';
    stem.split('/')
        .all(|seg| !seg.is_empty() && seg.chars().all(word))
}

/// JSON type names as messages say them.
pub fn type_name(v: &Value) -> &'static str {
    match v {
        Value::Null => "null",
        Value::Bool(_) => "boolean",
        Value::Number(_) => "number",
        Value::String(_) => "string",
        Value::Array(_) => "array",
        Value::Object(_) => "object",
    }
}

/// The base64url alphabet, in value order.
const B64URL: &[u8; 64] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";

/// Decodes unpadded base64url; `base` is the offset of `s` in the value, for errors.
pub fn b64url(s: &str, base: usize) -> Result<Vec<u8>, PartError> {
    use base64ct::{Base64UrlUnpadded, Encoding};
    let bytes = s.as_bytes();
    // What is wrong, once decoding failed: the first character outside the alphabet (named as a
    // character, not a byte), else the length.
    let error = || match bytes
        .iter()
        .position(|&b| !(b.is_ascii_alphanumeric() || b == b'-' || b == b'_'))
    {
        Some(i) => PartError::Base64 {
            at: base + i,
            found: s[i..].chars().next().unwrap_or('?'),
        },
        None => PartError::Length(s.len()),
    };
    let rem = bytes.len() % 4;
    if rem == 1 {
        return Err(error());
    }
    let full = bytes.len() - rem;
    let mut out = vec![0u8; full / 4 * 3 + rem.saturating_sub(1)];
    Base64UrlUnpadded::decode(&bytes[..full], &mut out[..full / 4 * 3]).map_err(|_| error())?;
    if rem > 0 {
        // base64ct refuses a last character whose unused low bits are set; the decoders of Python
        // (PyJWT, the peer) and Java ignore them, so they are cleared first.
        let mut last = [0u8; 3];
        last[..rem].copy_from_slice(&bytes[full..]);
        let Some(v) = B64URL.iter().position(|&b| b == last[rem - 1]) else {
            return Err(error());
        };
        let unused = if rem == 2 { 0b1111 } else { 0b11 };
        last[rem - 1] = B64URL[v & !unused];
        Base64UrlUnpadded::decode(&last[..rem], &mut out[full / 4 * 3..]).map_err(|_| error())?;
    }
    Ok(out)
}

/// Encodes bytes as unpadded base64url (for tests and key material, never for output of tokens).
pub fn b64url_encode(bytes: &[u8]) -> String {
    use base64ct::{Base64UrlUnpadded, Encoding};
    Base64UrlUnpadded::encode_string(bytes)
}

/// A span of time as people say it: "14 min", "3 h 5 min", "2 days".
pub fn human_duration(secs: i64) -> String {
    let s = secs.unsigned_abs();
    match s {
        0..=59 => format!("{s} s"),
        60..=3599 => format!("{} min", s / 60),
        3600..=86_399 => match (s % 3600) / 60 {
            0 => format!("{} h", s / 3600),
            m => format!("{} h {m} min", s / 3600),
        },
        _ => match s / 86_400 {
            1 => "1 day".into(),
            d => format!("{d} days"),
        },
    }
}

/// A NumericDate as RFC 3339, when it is a representable time.
pub fn rfc3339(secs: i64) -> Option<String> {
    chrono::DateTime::from_timestamp(secs, 0)
        .map(|t| t.to_rfc3339_opts(chrono::SecondsFormat::Secs, true))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn enc(v: &str) -> String {
        b64url_encode(v.as_bytes())
    }

    #[test]
    fn base64url_round_trips_and_reports_the_bad_character() {
        for s in ["", "a", "ab", "abc", "abcd", "{\"alg\":\"RS256\"}"] {
            assert_eq!(b64url(&enc(s), 0).unwrap(), s.as_bytes());
        }
        assert_eq!(
            b64url("ab+d", 10),
            Err(PartError::Base64 { at: 12, found: '+' })
        );
        assert_eq!(b64url("abcde", 0), Err(PartError::Length(5)));
        assert_eq!(
            b64url("ab\u{e9}d", 0),
            Err(PartError::Base64 {
                at: 2,
                found: '\u{e9}'
            })
        );
    }

    #[test]
    fn unused_low_bits_are_ignored_like_python_and_java() {
        // `QQ` is the canonical `A`; `QR`..`QZ` set the four unused bits. Python's
        // `base64.urlsafe_b64decode("QR==")` gives b"A" too.
        for s in ["QQ", "QR", "QZ", "Qf"] {
            assert_eq!(b64url(s, 0).unwrap(), b"A", "{s}");
        }
        assert_eq!(b64url("QUI", 0).unwrap(), b"AB");
        assert_eq!(b64url("QUL", 0).unwrap(), b"AB");
    }

    /// The bit-accumulator decoder stslint had before base64ct, as the reference.
    fn reference(s: &str) -> Vec<u8> {
        let (mut out, mut acc, mut bits) = (Vec::new(), 0u32, 0);
        for b in s.bytes() {
            let v = B64URL.iter().position(|&x| x == b).unwrap() as u32;
            acc = (acc << 6) | v;
            bits += 6;
            if bits >= 8 {
                bits -= 8;
                out.push((acc >> bits) as u8);
                acc &= (1 << bits) - 1;
            }
        }
        out
    }

    #[test]
    fn decodes_every_length_like_the_reference() {
        // A deterministic walk over the alphabet, every length up to 64 but those of the form 4n+1.
        let mut x: u32 = 12345;
        for len in (0..64).filter(|n| n % 4 != 1) {
            for _ in 0..50 {
                let s: String = (0..len)
                    .map(|_| {
                        x = x.wrapping_mul(1_103_515_245).wrapping_add(12_345);
                        B64URL[(x >> 16) as usize % 64] as char
                    })
                    .collect();
                assert_eq!(b64url(&s, 0).unwrap(), reference(&s), "{s}");
            }
        }
    }

    #[test]
    fn classifies_token_kinds() {
        let jwt = format!(
            "{}.{}.c2ln",
            enc(r#"{"alg":"RS256"}"#),
            enc(r#"{"sub":"x"}"#)
        );
        let Kind::Jws(j) = decode(&jwt).kind else {
            panic!()
        };
        assert_eq!(j.alg(), Some("RS256"));
        assert_eq!(j.claim_str("sub"), Some("x"));
        assert_eq!(j.signature_bytes.as_deref(), Some(&b"sig"[..]));
        // Whitespace and a Bearer prefix are reported elsewhere; the token inside still decodes.
        let t = decode(&format!("Bearer {jwt}\n"));
        assert_eq!(t.range, 7..7 + jwt.len());
        assert!(matches!(t.kind, Kind::Jws(_)));
        assert!(matches!(decode("a.b.c.d.e").kind, Kind::Jwe));
        assert!(matches!(
            decode("Atza|IwEB").kind,
            Kind::AccessToken(AccessToken::LoginWithAmazon)
        ));
        assert!(matches!(
            decode("EAAGm0PX4ZCpsBA").kind,
            Kind::AccessToken(AccessToken::Facebook)
        ));
        assert!(matches!(
            decode("ya29.a0AfH6SM").kind,
            Kind::Foreign(Foreign::GoogleAccessToken)
        ));
        assert!(matches!(
            decode("ghs_16C7e42F292c6912E7710c838347Ae178B4a").kind,
            Kind::Foreign(Foreign::GitHubToken)
        ));
        assert!(matches!(decode("opaque").kind, Kind::Unknown(_)));
        assert!(matches!(decode("a.b").kind, Kind::Unknown(_)));
    }

    #[test]
    fn broken_parts_say_what_is_wrong() {
        let t = decode(&format!("{}.e30.c2ln", enc("[1]")));
        let Kind::Jws(j) = t.kind else { panic!() };
        assert_eq!(j.header.json, Err(PartError::NotObject("array")));
        assert_eq!(j.claims().map(|m| m.len()), Some(0));
        let Kind::Jws(j) = decode("eyJ+.e30.c2ln").kind else {
            panic!()
        };
        assert_eq!(j.header.json, Err(PartError::Base64 { at: 3, found: '+' }));
        let Kind::Jws(j) = decode(".e30.").kind else {
            panic!()
        };
        assert_eq!(j.header.json, Err(PartError::Empty));
        assert!(j.signature_bytes.as_deref().is_some_and(|s| s.is_empty()));
        let Kind::Jws(j) = decode(&format!("{}.e30.x", enc("{\"a\":"))).kind else {
            panic!()
        };
        assert!(matches!(j.header.json, Err(PartError::Json(_))));
    }

    #[test]
    fn durations_read_naturally() {
        assert_eq!(human_duration(42), "42 s");
        assert_eq!(human_duration(-14 * 60), "14 min");
        assert_eq!(human_duration(3 * 3600 + 5 * 60), "3 h 5 min");
        assert_eq!(human_duration(2 * 86_400 + 5), "2 days");
        assert_eq!(rfc3339(0).as_deref(), Some("1970-01-01T00:00:00Z"));
    }
}
