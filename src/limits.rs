//! Every AWS limit stslint checks, in one place, each with where AWS states it.
//!
//! "model" is botocore's STS service model (`botocore/data/sts/2011-06-15/service-2.json`);
//! "iam-model" the IAM model in the same package; "IAMUG" the AWS IAM User Guide.

/// RoleArn length: model `arnType`, min 20, max 2048.
pub const ARN_MIN: usize = 20;
pub const ARN_MAX: usize = 2048;
/// RoleSessionName: model `roleSessionNameType`, 2–64 characters of `[\w+=,.@-]` (ASCII `\w`).
pub const SESSION_NAME_MIN: usize = 2;
pub const SESSION_NAME_MAX: usize = 64;
/// WebIdentityToken: model `clientTokenType`, 4–20000 characters (2048 before 2022).
pub const TOKEN_MIN: usize = 4;
pub const TOKEN_MAX: usize = 20000;
/// ProviderId: model `urlType`, 4–2048 characters.
pub const PROVIDER_ID_MIN: usize = 4;
pub const PROVIDER_ID_MAX: usize = 2048;
/// The only ProviderId values STS accepts (model documentation of ProviderId): OAuth 2.0 providers.
pub const PROVIDER_IDS: [&str; 2] = ["www.amazon.com", "graph.facebook.com"];
/// PolicyArns: "You can provide up to 10 managed policy ARNs" (model documentation; the model sets no max).
pub const POLICY_ARNS_MAX: usize = 10;
/// Policy: model `sessionPolicyDocumentType` (botocore 1.43), 1–2048 characters of `[\t\n\r\u0020-\u00FF]`.
pub const POLICY_MIN: usize = 1;
pub const POLICY_MAX: usize = 2048;
/// DurationSeconds: model `roleDurationSecondsType`, 900–43200; the default is 3600.
pub const DURATION_MIN: i64 = 900;
pub const DURATION_MAX: i64 = 43200;
/// A role's MaxSessionDuration defaults to 3600 (iam-model `roleMaxSessionDurationType`, 3600–43200).
pub const DEFAULT_MAX_SESSION_DURATION: i64 = 3600;
/// Role name: 1–64 of `[\w+=,.@-]`; path `/` or `/.../`, up to 512 of U+0021–U+007E (iam-model, IAMUG reference_identifiers).
pub const ROLE_NAME_MAX: usize = 64;
pub const ROLE_PATH_MAX: usize = 512;
/// Managed policy name: 1–128 of `[\w+=,.@-]` (iam-model `policyNameType`).
pub const POLICY_NAME_MAX: usize = 128;
/// AWS partitions (botocore `data/partitions.json`).
pub const PARTITIONS: [&str; 8] = [
    "aws",
    "aws-cn",
    "aws-us-gov",
    "aws-iso",
    "aws-iso-b",
    "aws-iso-e",
    "aws-iso-f",
    "aws-eusc",
];

/// `[A-Za-z0-9_+=,.@-]`: STS's and IAM's `\w` is ASCII, so the class is spelled out.
pub fn is_name_char(c: char) -> bool {
    c.is_ascii_alphanumeric() || "_+=,.@-".contains(c)
}

/// The characters the model allows in ARNs (`[\u0009\u000A\u000D\u0020-\u007E\u0085\u00A0-\uD7FF\uE000-\uFFFD\u10000-\u10FFFF]+`).
pub fn is_arn_char(c: char) -> bool {
    matches!(c, '\t' | '\n' | '\r' | '\u{20}'..='\u{7e}' | '\u{85}' | '\u{a0}'..='\u{d7ff}' | '\u{e000}'..='\u{fffd}' | '\u{10000}'..='\u{10ffff}')
}

/// The characters the model allows in an inline session policy.
pub fn is_policy_char(c: char) -> bool {
    matches!(c, '\t' | '\n' | '\r' | '\u{20}'..='\u{ff}')
}

/// Token signing algorithms STS accepts: model documentation of WebIdentityToken ("RS256, RS384,
/// RS512, ES256, ES384, ES512"); EdDSA is refused (hashicorp/nomad#20227), HS* and `none` are not listed.
pub const TOKEN_ALGORITHMS: [&str; 6] = ["RS256", "RS384", "RS512", "ES256", "ES384", "ES512"];
/// Clock skew IAM allows past a token's `exp`: 5 minutes (IAMUG id_roles_providers_oidc).
pub const TOKEN_CLOCK_SKEW_SECONDS: i64 = 300;
/// Session tags in the token (IAMUG id_session-tags): at most 50, key 1–128 and value 0–256
/// characters of `[\p{L}\p{Z}\p{N}_.:/=+\-@]`, no `aws:` prefix, one value per key.
pub const SESSION_TAGS_MAX: usize = 50;
pub const TAG_KEY_MAX: usize = 128;
pub const TAG_VALUE_MAX: usize = 256;
/// The claims that carry session tags and the source identity (IAMUG id_session-tags,
/// id_credentials_temp_control-access_monitor).
pub const TAGS_CLAIM: &str = "https://aws.amazon.com/tags";
pub const SOURCE_IDENTITY_CLAIM: &str = "https://aws.amazon.com/source_identity";
/// SourceIdentity: model `sourceIdentityType`, 2–64 characters of `[\w+=,.@-]`; no `aws:` prefix.
pub const SOURCE_IDENTITY_MIN: usize = 2;
pub const SOURCE_IDENTITY_MAX: usize = 64;

/// A character allowed in a session tag key or value: `[\p{L}\p{Z}\p{N}_.:/=+\-@]`.
pub fn is_tag_char(c: char) -> bool {
    c.is_alphanumeric() || c.is_whitespace() && !c.is_control() || "_.:/=+-@".contains(c)
}
