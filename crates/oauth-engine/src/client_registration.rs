//! OAuth 2.0 Dynamic Client Registration (RFC 7591): the client metadata a
//! client sends to a registration endpoint (section 2), read and checked as
//! the server reads it (section 3.1), the errors the server answers with
//! (section 3.2.2), and the client information it returns (section 3.2.1).
//!
//! MCP names it the fallback an agent uses when the authorization server
//! does not take a Client ID Metadata Document (MCP authorization, revision
//! 2026-07-28, "Client Registration Approaches"). The simulated
//! authorization server's registration endpoint, once offered, is
//! `server::DynamicRegistration`.

use std::fmt;

use serde_json::{Map, Value, json};

use crate::http::Url;

/// The `token_endpoint_auth_method` values of RFC 7591 section 2 (and
/// `private_key_jwt`, registered by OpenID Connect Dynamic Client
/// Registration and used by RFC 7523 clients).
pub const AUTH_METHODS: [&str; 4] = [
    "none",
    "client_secret_post",
    "client_secret_basic",
    "private_key_jwt",
];

/// The client metadata of RFC 7591 section 2 that the simulated servers
/// act on, with the defaults the section gives for those left out.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ClientMetadata {
    /// Section 2: "Array of redirection URI strings for use in
    /// redirect-based flows".
    pub redirect_uris: Vec<String>,
    /// Section 2: "If unspecified or omitted, the default is
    /// `client_secret_basic`". `none` is a public client.
    pub token_endpoint_auth_method: String,
    /// Section 2: "If omitted, the default behavior is that the client will
    /// use only the `authorization_code` Grant Type."
    pub grant_types: Vec<String>,
    /// Section 2: "If omitted, the default is that the client will use only
    /// the `code` response type."
    pub response_types: Vec<String>,
    /// Human-readable; shown to the user at consent.
    pub client_name: Option<String>,
    /// Section 2: a space-separated list of scope values the client can
    /// use.
    pub scope: Option<String>,
}

/// The error codes of RFC 7591 section 3.2.2, and the description sent
/// with each.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum RegistrationError {
    /// "The value of one or more redirection URIs is invalid."
    InvalidRedirectUri(String),
    /// "The value of one of the client metadata fields is invalid and the
    /// server has rejected this request."
    InvalidClientMetadata(String),
}

impl RegistrationError {
    /// The `error` value (section 3.2.2).
    pub fn code(&self) -> &'static str {
        match self {
            Self::InvalidRedirectUri(_) => "invalid_redirect_uri",
            Self::InvalidClientMetadata(_) => "invalid_client_metadata",
        }
    }

    /// The error response's body: "HTTP 400 status code ... with a
    /// JSON object" of `error` and `error_description` (section 3.2.2).
    pub fn to_json(&self) -> Value {
        json!({ "error": self.code(), "error_description": self.to_string() })
    }
}

impl fmt::Display for RegistrationError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::InvalidRedirectUri(why) | Self::InvalidClientMetadata(why) => f.write_str(why),
        }
    }
}

impl std::error::Error for RegistrationError {}

fn metadata_error(why: impl Into<String>) -> RegistrationError {
    RegistrationError::InvalidClientMetadata(why.into())
}

/// A member that, if present, must be an array of strings.
fn strings(
    object: &Map<String, Value>,
    name: &str,
) -> Result<Option<Vec<String>>, RegistrationError> {
    let Some(value) = object.get(name) else {
        return Ok(None);
    };
    let items = value
        .as_array()
        .ok_or_else(|| metadata_error(format!("{name} must be an array of strings")))?;
    items
        .iter()
        .map(|item| {
            item.as_str()
                .map(str::to_owned)
                .ok_or_else(|| metadata_error(format!("{name} must be an array of strings")))
        })
        .collect::<Result<Vec<_>, _>>()
        .map(Some)
}

/// A member that, if present, must be a string.
fn text(object: &Map<String, Value>, name: &str) -> Result<Option<String>, RegistrationError> {
    match object.get(name) {
        None => Ok(None),
        Some(Value::String(text)) => Ok(Some(text.clone())),
        Some(_) => Err(metadata_error(format!("{name} must be a string"))),
    }
}

/// Checks one redirection URI: RFC 6749 section 3.1.2, "The redirection
/// endpoint URI MUST be an absolute URI ... MUST NOT include a fragment
/// component"; and plain `http` only on a loopback address, as RFC 8252
/// section 7.3 allows native apps (RFC 6749 section 3.1.2.1: the
/// redirection endpoint "SHOULD require the use of TLS"). Private-use
/// schemes (RFC 8252 section 7.1) pass.
pub fn check_redirect_uri(uri: &str) -> Result<(), RegistrationError> {
    let refuse = |why: &str| RegistrationError::InvalidRedirectUri(format!("\"{uri}\" {why}"));
    let url = Url::parse(uri).map_err(|_| refuse("is not an absolute URI"))?;
    if url.fragment.is_some() {
        return Err(refuse(
            "has a fragment, which a redirection URI must not have (RFC 6749 section 3.1.2)",
        ));
    }
    if url.origin.starts_with("http://") {
        let loopback = matches!(host_name(url.host()), "127.0.0.1" | "[::1]" | "localhost");
        if !loopback {
            return Err(refuse(
                "uses http on a host that is not a loopback address: codes would travel \
                 unencrypted (RFC 6749 section 3.1.2.1, RFC 8252 section 7.3)",
            ));
        }
    }
    Ok(())
}

/// The host of an authority (`host[:port]`), without the port; an IPv6
/// address keeps its brackets (RFC 3986 section 3.2.2).
fn host_name(authority: &str) -> &str {
    match authority.find(']') {
        Some(end) if authority.starts_with('[') => &authority[..=end],
        _ => authority
            .split_once(':')
            .map_or(authority, |(host, _)| host),
    }
}

impl ClientMetadata {
    /// Reads a registration request's body (section 3.1: "a JSON document
    /// ... with the client metadata"), every check of section 2 the
    /// simulated server makes. Members it does not know are ignored, as
    /// section 2 asks of the values a server does not understand.
    pub fn parse(body: &str) -> Result<Self, RegistrationError> {
        let value: Value = serde_json::from_str(body)
            .map_err(|error| metadata_error(format!("the request is not JSON: {error}")))?;
        let object = value
            .as_object()
            .ok_or_else(|| metadata_error("the request must be a JSON object"))?;
        let token_endpoint_auth_method = text(object, "token_endpoint_auth_method")?
            .unwrap_or_else(|| "client_secret_basic".to_owned());
        if !AUTH_METHODS.contains(&token_endpoint_auth_method.as_str()) {
            return Err(metadata_error(format!(
                "token_endpoint_auth_method \"{token_endpoint_auth_method}\" is not one this \
                 server supports ({})",
                AUTH_METHODS.join(", ")
            )));
        }
        let grant_types =
            strings(object, "grant_types")?.unwrap_or_else(|| vec!["authorization_code".into()]);
        let response_types =
            strings(object, "response_types")?.unwrap_or_else(|| vec!["code".into()]);
        // Section 2.1: the authorization_code grant goes with the code
        // response type; a server may refuse metadata that pairs them
        // otherwise, and this one does.
        let code_grant = grant_types
            .iter()
            .any(|grant| grant == "authorization_code");
        let code_response = response_types.iter().any(|response| response == "code");
        if code_grant != code_response {
            return Err(metadata_error(
                "grant_types and response_types do not match: authorization_code goes with code \
                 (RFC 7591 section 2.1)",
            ));
        }
        let redirect_uris = strings(object, "redirect_uris")?.unwrap_or_default();
        // RFC 6749 section 2 and RFC 7591 section 2: "clients using flows
        // with redirection MUST register their redirection URI values".
        if code_grant && redirect_uris.is_empty() {
            return Err(RegistrationError::InvalidRedirectUri(
                "redirect_uris is missing: a client of the authorization code grant must \
                 register its redirection URIs"
                    .into(),
            ));
        }
        for uri in &redirect_uris {
            check_redirect_uri(uri)?;
        }
        Ok(Self {
            redirect_uris,
            token_endpoint_auth_method,
            grant_types,
            response_types,
            client_name: text(object, "client_name")?,
            scope: text(object, "scope")?,
        })
    }

    /// Whether the client has no secret (`none`, section 2): an agent, a
    /// browser or a native app.
    pub fn is_public(&self) -> bool {
        self.token_endpoint_auth_method == "none"
    }

    /// The metadata as a JSON object, every member written.
    pub fn to_json(&self) -> Value {
        let mut object = json!({
            "redirect_uris": self.redirect_uris,
            "token_endpoint_auth_method": self.token_endpoint_auth_method,
            "grant_types": self.grant_types,
            "response_types": self.response_types,
        });
        if let Some(name) = &self.client_name {
            object["client_name"] = json!(name);
        }
        if let Some(scope) = &self.scope {
            object["scope"] = json!(scope);
        }
        object
    }
}

/// What the server registered (section 3.2.1).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ClientInformation {
    /// REQUIRED: "OAuth 2.0 client identifier string".
    pub client_id: String,
    /// OPTIONAL; never for a public client.
    pub client_secret: Option<String>,
    /// OPTIONAL: when the identifier was issued, in seconds since the
    /// epoch.
    pub client_id_issued_at: u64,
    /// The metadata as registered.
    pub metadata: ClientMetadata,
}

impl ClientInformation {
    /// The response body (section 3.2.1): the client identifier, the
    /// secret if one was issued with `client_secret_expires_at` (REQUIRED
    /// then; 0 means it does not expire), and "all registered metadata
    /// about the client".
    pub fn to_json(&self) -> Value {
        let mut object = self.metadata.to_json();
        object["client_id"] = json!(self.client_id);
        object["client_id_issued_at"] = json!(self.client_id_issued_at);
        if let Some(secret) = &self.client_secret {
            object["client_secret"] = json!(secret);
            object["client_secret_expires_at"] = json!(0);
        }
        object
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    #[cfg(target_arch = "wasm32")]
    use wasm_bindgen_test::wasm_bindgen_test as test;

    #[test]
    fn rfc7591_2_left_out_members_take_the_defaults_of_section_2() {
        let metadata =
            ClientMetadata::parse(r#"{"redirect_uris": ["https://agent.example/callback"]}"#)
                .unwrap();
        assert_eq!(metadata.token_endpoint_auth_method, "client_secret_basic");
        assert_eq!(metadata.grant_types, ["authorization_code"]);
        assert_eq!(metadata.response_types, ["code"]);
        assert!(!metadata.is_public());
    }

    #[test]
    fn rfc7591_3_2_1_a_public_client_gets_no_secret_and_its_metadata_back() {
        let metadata = ClientMetadata::parse(
            r#"{"redirect_uris": ["http://127.0.0.1:33418/callback"],
                "token_endpoint_auth_method": "none", "client_name": "Agent"}"#,
        )
        .unwrap();
        assert!(metadata.is_public());
        let information = ClientInformation {
            client_id: "c-1".into(),
            client_secret: None,
            client_id_issued_at: 1_700_000_000,
            metadata,
        };
        let body = information.to_json();
        assert_eq!(body["client_id"], "c-1");
        assert_eq!(body["client_name"], "Agent");
        assert_eq!(body["redirect_uris"][0], "http://127.0.0.1:33418/callback");
        assert!(body.get("client_secret").is_none());
        assert!(body.get("client_secret_expires_at").is_none());
    }
}
