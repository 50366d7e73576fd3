//! The typed model of one AssumeRoleWithWebIdentity request, every value with its span.
//!
//! Front ends ([`crate::input::awscli`] for shell text and argv, [`crate::input::awscli::request_file`] for
//! `--cli-input-json` documents) build it; rules read it and never look at the text again.

use crate::source::{Span, Text, Via};

/// The API members of AssumeRoleWithWebIdentity, as the service model names them.
pub const MEMBERS: [&str; 7] = [
    "RoleArn",
    "RoleSessionName",
    "WebIdentityToken",
    "ProviderId",
    "PolicyArns",
    "Policy",
    "DurationSeconds",
];

/// Members of other STS operations that users put here by mistake, with the operation they belong to.
pub const OTHER_OPERATION_MEMBERS: [(&str, &str); 8] = [
    ("Tags", "AssumeRole (web identity session tags come from the token's https://aws.amazon.com/tags claim)"),
    ("TransitiveTagKeys", "AssumeRole (web identity transitive tags come from the token's https://aws.amazon.com/tags claim)"),
    ("ExternalId", "AssumeRole"),
    ("SerialNumber", "AssumeRole and GetSessionToken"),
    ("TokenCode", "AssumeRole and GetSessionToken"),
    ("SourceIdentity", "AssumeRole (for web identity it comes from the token's https://aws.amazon.com/source_identity claim)"),
    ("ProvidedContexts", "AssumeRole"),
    ("SAMLAssertion", "AssumeRoleWithSAML"),
];

/// Where a request was read from.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Origin {
    /// An `aws sts assume-role-with-web-identity` command in shell text.
    Shell,
    /// The same, passed as arguments after `stslint check --`.
    Argv,
    /// A `--cli-input-json` request document.
    File,
}

/// One parameter as given: its value and where its name was written.
#[derive(Debug, Clone)]
pub struct Param {
    pub text: Text,
    /// The option (`--role-arn`) or JSON key (`"RoleArn"`) that introduced it.
    pub name: Span,
}

/// `DurationSeconds`: the text and, when it is known and an integer, its value.
#[derive(Debug, Clone)]
pub struct Duration {
    pub param: Param,
    pub seconds: Option<i64>,
}

/// `PolicyArns`: each `arn` value, in order.
#[derive(Debug, Clone)]
pub struct PolicyArns {
    pub arns: Vec<Text>,
    pub name: Span,
    /// The whole value as written (all shorthand words, or the JSON array).
    pub span: Span,
}

/// One request.
#[derive(Debug, Clone)]
pub struct Request {
    pub origin: Origin,
    /// The whole invocation or document.
    pub span: Span,
    /// Where to point for the request as a whole: `aws ... assume-role-with-web-identity`, or the
    /// document's opening brace.
    pub head: Span,
    pub role_arn: Option<Param>,
    pub role_session_name: Option<Param>,
    pub web_identity_token: Option<Param>,
    pub provider_id: Option<Param>,
    pub policy: Option<Param>,
    pub policy_arns: Option<PolicyArns>,
    pub duration_seconds: Option<Duration>,
    /// Variables whose values the script or CI file gives, put in where the request uses them: a
    /// finding inside such a value points at the use, with the assignment as a second label.
    pub via: Vec<Via>,
    /// Members that were given but could not be read (a wrong type, an unreadable `file://`):
    /// already reported, and not to be reported again as missing.
    pub unreadable: Vec<&'static str>,
    /// Set when the shell may add arguments stslint cannot see (an unquoted `$ARGS`), so a
    /// parameter that looks missing may be there after all.
    pub open_ended: Option<Span>,
    /// The token decoded, when its whole value is known (see [`Request::decode_token`]).
    pub token: Option<crate::model::token::Token>,
    /// The inline session policy parsed, when its whole value is known and is JSON.
    pub policy_doc: Option<crate::model::policy::Policy>,
}

impl Request {
    pub fn new(origin: Origin, span: Span, head: Span) -> Self {
        Request {
            origin,
            span,
            head,
            role_arn: None,
            role_session_name: None,
            web_identity_token: None,
            provider_id: None,
            policy: None,
            policy_arns: None,
            duration_seconds: None,
            via: Vec::new(),
            unreadable: Vec::new(),
            open_ended: None,
            token: None,
            policy_doc: None,
        }
    }

    /// Decodes what every rule reads: the token and the inline session policy.
    pub fn prepare(&mut self, jwks: Option<&crate::model::jwks::Jwks>) {
        self.decode_token(jwks);
        self.parse_policy();
    }

    /// Drops what only the rules read (the decoded token's header and claims, the parsed policy)
    /// once they have run: a report of many files keeps each request, and those trees were most
    /// of its size. What the reports show of the token (its kind, the signature verdict) stays.
    pub fn compact(&mut self) {
        self.policy_doc = None;
        if let Some(crate::model::token::Token {
            kind: crate::model::token::Kind::Jws(jws),
            ..
        }) = &mut self.token
        {
            jws.header.json = Ok(Default::default());
            jws.payload.json = Ok(Default::default());
            jws.signature_bytes = None;
        }
    }

    /// Parses the inline session policy once, keeping spans into the text it was written in.
    pub fn parse_policy(&mut self) {
        let Some(t) = self
            .policy
            .as_ref()
            .map(|p| &p.text)
            .filter(|t| t.is_static())
        else {
            return;
        };
        if let Ok(root) = crate::json::parse_in(t) {
            self.policy_doc = Some(crate::model::policy::Policy {
                root,
                source: t.source,
            });
        }
    }

    /// Decodes the token once for every rule, and checks its signature when a JWKS is given.
    pub fn decode_token(&mut self, jwks: Option<&crate::model::jwks::Jwks>) {
        let Some(t) = self
            .web_identity_token
            .as_ref()
            .map(|p| &p.text)
            .filter(|t| t.is_static())
        else {
            return;
        };
        let mut token = crate::model::token::decode(&t.value);
        if let (Some(jwks), crate::model::token::Kind::Jws(jws)) = (jwks, &token.kind) {
            token.signature = Some(jwks.check(jws, &t.value));
        }
        self.token = Some(token);
    }

    /// The string parameter named by its API member name.
    pub fn string_param_mut(&mut self, member: &str) -> Option<&mut Option<Param>> {
        Some(match member {
            "RoleArn" => &mut self.role_arn,
            "RoleSessionName" => &mut self.role_session_name,
            "WebIdentityToken" => &mut self.web_identity_token,
            "ProviderId" => &mut self.provider_id,
            "Policy" => &mut self.policy,
            _ => return None,
        })
    }

    /// Whether a member was given at all (readable or not).
    pub fn has(&self, member: &str) -> bool {
        self.unreadable.contains(&member)
            || match member {
                "RoleArn" => self.role_arn.is_some(),
                "RoleSessionName" => self.role_session_name.is_some(),
                "WebIdentityToken" => self.web_identity_token.is_some(),
                "ProviderId" => self.provider_id.is_some(),
                "Policy" => self.policy.is_some(),
                "PolicyArns" => self.policy_arns.is_some(),
                "DurationSeconds" => self.duration_seconds.is_some(),
                _ => false,
            }
    }
}

/// The static name for a member name (so diagnostics can hold `&'static str`).
pub fn member(name: &str) -> Option<&'static str> {
    MEMBERS.iter().copied().find(|m| *m == name)
}
