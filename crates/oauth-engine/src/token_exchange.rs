//! OAuth 2.0 Token Exchange (RFC 8693): how a tool server that must call
//! another API for the user trades the user's token for one meant for
//! that API, instead of forwarding it (the confused deputy the MCP
//! authorization specification, revision 2026-07-28, forbids under "Token
//! Passthrough"). The request as the authorization server reads it
//! (section 2.1), the token types (section 3), the `act` claim that names
//! who acts for the subject (section 4.1), and the response (section
//! 2.2.1), and the authorization server's decision on a request
//! ([`ExchangeRequest::decide`]), which its token endpoint applies when it
//! is offered the grant (`server::TokenExchange`).

use serde_json::{Map, Value, json};

use crate::clock::UnixTime;
use crate::error::{ErrorCode, OAuthError};
use crate::resource_indicator::ResourceIndicator;
use crate::types::Scope;

/// Section 2.1: the `grant_type` of a token exchange.
pub const GRANT_TYPE: &str = "urn:ietf:params:oauth:grant-type:token-exchange";

/// The token type identifiers of section 3.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TokenType {
    AccessToken,
    RefreshToken,
    IdToken,
    Saml1,
    Saml2,
    Jwt,
}

impl TokenType {
    pub const ALL: [Self; 6] = [
        Self::AccessToken,
        Self::RefreshToken,
        Self::IdToken,
        Self::Saml1,
        Self::Saml2,
        Self::Jwt,
    ];

    pub fn uri(self) -> &'static str {
        match self {
            Self::AccessToken => "urn:ietf:params:oauth:token-type:access_token",
            Self::RefreshToken => "urn:ietf:params:oauth:token-type:refresh_token",
            Self::IdToken => "urn:ietf:params:oauth:token-type:id_token",
            Self::Saml1 => "urn:ietf:params:oauth:token-type:saml1",
            Self::Saml2 => "urn:ietf:params:oauth:token-type:saml2",
            Self::Jwt => "urn:ietf:params:oauth:token-type:jwt",
        }
    }

    pub fn from_uri(uri: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|kind| kind.uri() == uri)
    }
}

/// A token exchange request, read (section 2.1).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ExchangeRequest {
    /// REQUIRED: the token that represents the party for whom the request
    /// is made, the user.
    pub subject_token: String,
    pub subject_token_type: TokenType,
    /// OPTIONAL: the token of the party acting for the subject, the tool
    /// server; its type is REQUIRED with it, and MUST NOT be sent without.
    pub actor: Option<(String, TokenType)>,
    /// OPTIONAL, and may repeat: where the new token will be used, as
    /// absolute URIs (RFC 8707).
    pub resources: Vec<ResourceIndicator>,
    /// OPTIONAL, and may repeat: the logical names of the target services.
    pub audiences: Vec<String>,
    pub scope: Option<String>,
    /// OPTIONAL: the type of token asked for; the server picks if absent.
    pub requested_token_type: Option<TokenType>,
}

fn invalid_request(description: String) -> OAuthError {
    OAuthError::new(ErrorCode::InvalidRequest, description)
}

/// A token type parameter's value, or the error naming it.
fn token_type(name: &str, value: &str) -> Result<TokenType, OAuthError> {
    TokenType::from_uri(value).ok_or_else(|| {
        invalid_request(format!(
            "{name} \"{value}\" is not a token type identifier (RFC 8693 section 3)"
        ))
    })
}

impl ExchangeRequest {
    /// Reads the form parameters of a token request whose `grant_type` is
    /// [`GRANT_TYPE`]. `resource` and `audience` may repeat (section 2.1);
    /// any other parameter sent twice is refused, as RFC 6749 section 3.2
    /// refuses it in every token request.
    pub fn from_pairs(pairs: &[(String, String)]) -> Result<Self, OAuthError> {
        let mut single: Vec<(&str, &str)> = Vec::new();
        let mut resources = Vec::new();
        let mut audiences = Vec::new();
        for (name, value) in pairs {
            match name.as_str() {
                // RFC 8707 section 2: an absolute URI without a fragment;
                // a bad one is `invalid_target`.
                "resource" => resources
                    .push(ResourceIndicator::parse(value).map_err(|error| error.to_oauth_error())?),
                "audience" => audiences.push(value.clone()),
                name if single.iter().any(|(seen, _)| *seen == name) => {
                    return Err(invalid_request(format!(
                        "{name} is sent more than once (RFC 6749 section 3.2)"
                    )));
                }
                name => single.push((name, value)),
            }
        }
        let get = |name: &str| {
            single
                .iter()
                .find(|(seen, _)| *seen == name)
                .map(|(_, value)| *value)
                .filter(|value| !value.is_empty())
        };
        if get("grant_type") != Some(GRANT_TYPE) {
            return Err(invalid_request(format!(
                "grant_type must be {GRANT_TYPE} (RFC 8693 section 2.1)"
            )));
        }
        let required = |name: &str| {
            get(name)
                .ok_or_else(|| invalid_request(format!("{name} is missing (RFC 8693 section 2.1)")))
        };
        let subject_token = required("subject_token")?.to_owned();
        let subject_token_type = token_type("subject_token_type", required("subject_token_type")?)?;
        let actor = match (get("actor_token"), get("actor_token_type")) {
            (None, None) => None,
            (Some(token), Some(kind)) => {
                Some((token.to_owned(), token_type("actor_token_type", kind)?))
            }
            (Some(_), None) => {
                return Err(invalid_request(
                    "actor_token_type is missing: it is required with actor_token (RFC 8693 \
                     section 2.1)"
                        .into(),
                ));
            }
            (None, Some(_)) => {
                return Err(invalid_request(
                    "actor_token_type is sent without actor_token, which section 2.1 of RFC 8693 \
                     forbids"
                        .into(),
                ));
            }
        };
        let requested_token_type = get("requested_token_type")
            .map(|kind| token_type("requested_token_type", kind))
            .transpose()?;
        Ok(Self {
            subject_token,
            subject_token_type,
            actor,
            resources,
            audiences,
            scope: get("scope").map(str::to_owned),
            requested_token_type,
        })
    }
}

/// The party asking for an exchange, as the authorization server knows it
/// once the client has authenticated (RFC 8693 section 2.1: client
/// authentication as for any token request).
#[derive(Debug, Clone, Copy)]
pub struct Exchanger<'a> {
    /// The authenticated client: the actor named in the new token's `act`.
    pub client_id: &'a str,
    /// The resource the client serves (a tool server's URL): the audience
    /// a subject token must have for this client to exchange it.
    pub resource: &'a str,
}

/// What the authorization server issues for an accepted exchange: the
/// claims that differ from the subject token's.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Exchanged {
    /// The user the subject token was issued for, unchanged: delegation,
    /// not impersonation of someone else (section 1.1).
    pub subject: String,
    /// The one target the new token is for: its `aud`.
    pub audience: String,
    pub scope: Scope,
    /// The `act` claim: who acts for the subject (section 4.1).
    pub act: Value,
}

impl ExchangeRequest {
    /// The authorization server's decision, given the claims of the
    /// subject token (already verified as one it issued, and not revoked),
    /// the party asking, the targets it knows (`known_targets`), and the
    /// time. RFC 8693 leaves the policy to the server (section 2.2.2 names
    /// only the errors); this server's, each refusal naming its rule:
    /// - it exchanges its own access tokens, for access tokens;
    /// - the subject token must not have expired, and must have been
    ///   issued for the asking client's resource: a tool server exchanges
    ///   the tokens it was given, never one it took from somewhere else;
    /// - if the subject token names who may act (`may_act`, section 4.4),
    ///   the asking client must be that party;
    /// - the actor is the authenticated client, so an `actor_token` is
    ///   refused rather than silently ignored;
    /// - one target per request, named by `resource` or `audience`, and
    ///   known to the server;
    /// - the scope can only narrow (RFC 6749 section 3.3: never more than
    ///   the resource owner granted).
    pub fn decide(
        &self,
        subject: &Map<String, Value>,
        exchanger: Exchanger<'_>,
        known_targets: &[&str],
        now: UnixTime,
    ) -> Result<Exchanged, OAuthError> {
        // Section 2.2.2: "If ... either the subject_token or actor_token
        // are invalid for any reason, or are unacceptable based on policy,
        // the invalid_request error code MUST be used."
        if self.subject_token_type != TokenType::AccessToken {
            return Err(invalid_request(format!(
                "subject_token_type is {}: this server exchanges only the access tokens it \
                 issued",
                self.subject_token_type.uri()
            )));
        }
        if let Some(kind) = self.requested_token_type
            && kind != TokenType::AccessToken
        {
            return Err(invalid_request(format!(
                "requested_token_type is {}: this server issues only access tokens by exchange",
                kind.uri()
            )));
        }
        if self.actor.is_some() {
            return Err(invalid_request(
                "actor_token is not accepted: the actor is the client that authenticated \
                 (RFC 8693 section 4.1 names it in act)"
                    .into(),
            ));
        }
        let expires = subject.get("exp").and_then(Value::as_u64).unwrap_or(0);
        if now.0 >= expires {
            return Err(invalid_request(
                "the subject_token has expired (RFC 8693 section 2.2.2)".into(),
            ));
        }
        if !audiences_of(subject).contains(&exchanger.resource) {
            return Err(invalid_request(format!(
                "the subject_token was not issued for {}: a client may exchange only the tokens \
                 meant for it, never one it was not given (RFC 8693 section 2.2.2)",
                exchanger.resource
            )));
        }
        if let Some(may_act) = subject.get("may_act") {
            let allowed = may_act.get("sub").and_then(Value::as_str);
            if allowed != Some(exchanger.client_id) {
                return Err(invalid_request(format!(
                    "the subject_token's may_act does not name {} as a party that may act for \
                     the user (RFC 8693 section 4.4)",
                    exchanger.client_id
                )));
            }
        }
        let audience = self.target(known_targets)?;
        let granted = Scope::parse(subject.get("scope").and_then(Value::as_str).unwrap_or(""))
            .unwrap_or_default();
        let scope = match &self.scope {
            None => granted,
            Some(asked) => {
                let asked = Scope::parse(asked).map_err(|token| {
                    OAuthError::new(
                        ErrorCode::InvalidScope,
                        format!("scope \"{token}\" has a character RFC 6749 section 3.3 forbids"),
                    )
                })?;
                if !asked.is_subset_of(&granted) {
                    return Err(OAuthError::new(
                        ErrorCode::InvalidScope,
                        format!(
                            "scope \"{asked}\" is more than the subject_token's \"{granted}\": \
                             an exchange can only narrow it (RFC 6749 section 3.3)"
                        ),
                    ));
                }
                asked
            }
        };
        let subject_id = subject
            .get("sub")
            .and_then(Value::as_str)
            .unwrap_or_default();
        Ok(Exchanged {
            subject: subject_id.to_owned(),
            audience: audience.to_owned(),
            scope,
            act: act_claim(exchanger.client_id, subject),
        })
    }

    /// The one target of the request, from `resource` or `audience`.
    /// Section 2.2.2: "If the authorization server is unwilling or unable
    /// to issue a token for any target service indicated by the resource or
    /// audience parameters, the invalid_target error code SHOULD be used".
    fn target<'k>(&self, known_targets: &[&'k str]) -> Result<&'k str, OAuthError> {
        let named: Vec<&str> = self
            .resources
            .iter()
            .map(ResourceIndicator::as_str)
            .chain(self.audiences.iter().map(String::as_str))
            .collect();
        let invalid_target =
            |description: String| OAuthError::new(ErrorCode::InvalidTarget, description);
        match named.as_slice() {
            [] => Err(invalid_target(
                "no target: name the API the new token is for with resource (RFC 8693 section 2.1)"
                    .into(),
            )),
            [one] => known_targets
                .iter()
                .find(|known| *known == one)
                .copied()
                .ok_or_else(|| {
                    invalid_target(format!("{one} is not an API this server issues tokens for"))
                }),
            _ => Err(invalid_target(format!(
                "{} targets named: this server issues a token for one API at a time",
                named.len()
            ))),
        }
    }
}

/// A token's `aud`: a string or an array of strings (RFC 7519 section
/// 4.1.3).
fn audiences_of(claims: &Map<String, Value>) -> Vec<&str> {
    match claims.get("aud") {
        Some(Value::String(one)) => vec![one.as_str()],
        Some(Value::Array(many)) => many.iter().filter_map(Value::as_str).collect(),
        _ => Vec::new(),
    }
}

/// The `act` claim of a token issued to `actor` acting for the subject
/// (section 4.1): `{"sub": actor}`, with the actor that acted before, if
/// the subject token named one, nested inside. "The outermost `act` claim
/// represents the current actor while nested `act` claims represent prior
/// actors." Only `sub` (and `iss`, `act`) are copied: claims such as `exp`
/// or `aud` mean nothing inside `act`.
pub fn act_claim(actor: &str, subject_token_claims: &Map<String, Value>) -> Value {
    let mut act = json!({ "sub": actor });
    if let Some(prior) = subject_token_claims.get("act").and_then(Value::as_object) {
        let mut nested = Map::new();
        for name in ["sub", "iss", "act"] {
            if let Some(value) = prior.get(name) {
                nested.insert(name.into(), value.clone());
            }
        }
        act["act"] = Value::Object(nested);
    }
    act
}

/// The actors of a token, the current one first (section 4.1).
pub fn actors(claims: &Map<String, Value>) -> Vec<String> {
    let mut chain = Vec::new();
    let mut act = claims.get("act");
    while let Some(Value::Object(object)) = act {
        chain.push(
            object
                .get("sub")
                .and_then(Value::as_str)
                .unwrap_or_default()
                .to_owned(),
        );
        act = object.get("act");
    }
    chain
}

/// The body of a successful exchange (section 2.2.1): `issued_token_type`
/// is REQUIRED, and `token_type` is "Bearer" for an access token the
/// client presents as one, "N_A" when the issued token is not an access
/// token. `scope` is "OPTIONAL if the scope of the issued security token
/// is identical to the scope requested by the client; otherwise, it is
/// REQUIRED": pass it whenever it differs.
pub fn response(token: &str, issued: TokenType, expires_in: u64, scope: Option<&str>) -> Value {
    let token_type = if issued == TokenType::AccessToken {
        "Bearer"
    } else {
        "N_A"
    };
    let mut body = json!({
        "access_token": token,
        "issued_token_type": issued.uri(),
        "token_type": token_type,
        "expires_in": expires_in,
    });
    if let Some(scope) = scope {
        body["scope"] = json!(scope);
    }
    body
}
