//! OAuth error responses: RFC 6749 sections 4.1.2.1 (authorization
//! endpoint) and 5.2 (token endpoint), RFC 8628 section 3.5 (device grant)
//! RFC 6750 section 3.1 (bearer resource requests), RFC 9449 sections 5,
//! 7.1 and 8 (DPoP) and RFC 8707 section 2 (resource indicators).

use std::fmt;

/// Every `error` code the engine can send.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum ErrorCode {
    // RFC 6749 sections 4.1.2.1 and 5.2
    InvalidRequest,
    InvalidClient,
    InvalidGrant,
    UnauthorizedClient,
    UnsupportedGrantType,
    UnsupportedResponseType,
    InvalidScope,
    AccessDenied,
    ServerError,
    TemporarilyUnavailable,
    // RFC 8628 section 3.5
    AuthorizationPending,
    SlowDown,
    ExpiredToken,
    // RFC 6750 section 3.1
    InvalidToken,
    InsufficientScope,
    // RFC 9449 sections 5 and 7.1, and 8 and 9
    InvalidDpopProof,
    UseDpopNonce,
    // RFC 8707 section 2: "The requested resource is invalid, missing,
    // unknown, or malformed."
    InvalidTarget,
    // OpenID Connect Core 1.0 section 3.1.2.6: a request with
    // `prompt=none` that needs the user to sign in, or to consent.
    LoginRequired,
    ConsentRequired,
}

impl ErrorCode {
    pub const ALL: [Self; 20] = [
        Self::InvalidRequest,
        Self::InvalidClient,
        Self::InvalidGrant,
        Self::UnauthorizedClient,
        Self::UnsupportedGrantType,
        Self::UnsupportedResponseType,
        Self::InvalidScope,
        Self::AccessDenied,
        Self::ServerError,
        Self::TemporarilyUnavailable,
        Self::AuthorizationPending,
        Self::SlowDown,
        Self::ExpiredToken,
        Self::InvalidToken,
        Self::InsufficientScope,
        Self::InvalidDpopProof,
        Self::UseDpopNonce,
        Self::InvalidTarget,
        Self::LoginRequired,
        Self::ConsentRequired,
    ];

    /// The code with this registered name, as a response carries it.
    pub fn from_name(name: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|code| code.as_str() == name)
    }

    pub fn as_str(self) -> &'static str {
        match self {
            Self::InvalidRequest => "invalid_request",
            Self::InvalidClient => "invalid_client",
            Self::InvalidGrant => "invalid_grant",
            Self::UnauthorizedClient => "unauthorized_client",
            Self::UnsupportedGrantType => "unsupported_grant_type",
            Self::UnsupportedResponseType => "unsupported_response_type",
            Self::InvalidScope => "invalid_scope",
            Self::AccessDenied => "access_denied",
            Self::ServerError => "server_error",
            Self::TemporarilyUnavailable => "temporarily_unavailable",
            Self::AuthorizationPending => "authorization_pending",
            Self::SlowDown => "slow_down",
            Self::ExpiredToken => "expired_token",
            Self::InvalidToken => "invalid_token",
            Self::InsufficientScope => "insufficient_scope",
            Self::InvalidDpopProof => "invalid_dpop_proof",
            Self::UseDpopNonce => "use_dpop_nonce",
            Self::InvalidTarget => "invalid_target",
            Self::LoginRequired => "login_required",
            Self::ConsentRequired => "consent_required",
        }
    }

    /// The HTTP status a token endpoint answers with (RFC 6749 section 5.2:
    /// 400, except 401 for a failed client authentication).
    pub fn token_endpoint_status(self) -> u16 {
        match self {
            Self::InvalidClient => 401,
            Self::ServerError => 500,
            Self::TemporarilyUnavailable => 503,
            _ => 400,
        }
    }
}

impl fmt::Display for ErrorCode {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// An error response: `error`, `error_description`, `error_uri`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OAuthError {
    pub code: ErrorCode,
    /// Human-readable; RFC 6749 limits it to printable ASCII but `"` and `\`.
    pub description: String,
    pub uri: Option<String>,
}

impl OAuthError {
    pub fn new(code: ErrorCode, description: impl Into<String>) -> Self {
        Self {
            code,
            description: ascii_description(&description.into()),
            uri: None,
        }
    }

    /// The JSON object of RFC 6749 section 5.2.
    pub fn to_json(&self) -> serde_json::Value {
        let mut object = serde_json::Map::new();
        object.insert("error".into(), self.code.as_str().into());
        object.insert("error_description".into(), self.description.clone().into());
        if let Some(uri) = &self.uri {
            object.insert("error_uri".into(), uri.clone().into());
        }
        object.into()
    }

    /// The same fields as query or fragment pairs (RFC 6749 section 4.1.2.1).
    pub fn to_pairs(&self) -> Vec<(&'static str, String)> {
        let mut pairs = vec![
            ("error", self.code.as_str().to_owned()),
            ("error_description", self.description.clone()),
        ];
        if let Some(uri) = &self.uri {
            pairs.push(("error_uri", uri.clone()));
        }
        pairs
    }
}

impl fmt::Display for OAuthError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}: {}", self.code, self.description)
    }
}

impl std::error::Error for OAuthError {}

/// RFC 6749 section 5.2: error_description is limited to %x20-21 / %x23-5B
/// / %x5D-7E. A `"` becomes `'` so quoted values stay readable; anything
/// else outside the set, which could come from input echoed in a message,
/// becomes `?`.
fn ascii_description(text: &str) -> String {
    text.chars()
        .map(|c| match c {
            ' ' | '!' | '#'..='[' | ']'..='~' => c,
            '"' => '\'',
            _ => '?',
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    #[cfg(target_arch = "wasm32")]
    use wasm_bindgen_test::wasm_bindgen_test as test;

    #[test]
    fn rfc6749_5_2_error_json_has_error_and_description() {
        let error = OAuthError::new(ErrorCode::InvalidGrant, "the code has expired");
        assert_eq!(
            error.to_json().to_string(),
            r#"{"error":"invalid_grant","error_description":"the code has expired"}"#
        );
    }

    #[test]
    fn rfc6749_5_2_invalid_client_is_401_and_others_400() {
        assert_eq!(ErrorCode::InvalidClient.token_endpoint_status(), 401);
        assert_eq!(ErrorCode::InvalidGrant.token_endpoint_status(), 400);
        assert_eq!(ErrorCode::UnsupportedGrantType.token_endpoint_status(), 400);
    }

    #[test]
    fn rfc6749_5_2_error_description_is_restricted_ascii() {
        let error = OAuthError::new(ErrorCode::InvalidRequest, "bad \"x\" \\ é\n");
        assert_eq!(error.description, "bad 'x' ? ??");
    }

    #[test]
    fn every_code_has_its_registered_name() {
        let names = [
            (ErrorCode::InvalidRequest, "invalid_request"),
            (ErrorCode::UnauthorizedClient, "unauthorized_client"),
            (ErrorCode::AccessDenied, "access_denied"),
            (
                ErrorCode::UnsupportedResponseType,
                "unsupported_response_type",
            ),
            (ErrorCode::InvalidScope, "invalid_scope"),
            (ErrorCode::ServerError, "server_error"),
            (ErrorCode::TemporarilyUnavailable, "temporarily_unavailable"),
            (ErrorCode::InvalidClient, "invalid_client"),
            (ErrorCode::InvalidGrant, "invalid_grant"),
            (ErrorCode::UnsupportedGrantType, "unsupported_grant_type"),
            (ErrorCode::AuthorizationPending, "authorization_pending"),
            (ErrorCode::SlowDown, "slow_down"),
            (ErrorCode::ExpiredToken, "expired_token"),
            (ErrorCode::InvalidToken, "invalid_token"),
            (ErrorCode::InsufficientScope, "insufficient_scope"),
            (ErrorCode::InvalidDpopProof, "invalid_dpop_proof"),
            (ErrorCode::UseDpopNonce, "use_dpop_nonce"),
            (ErrorCode::InvalidTarget, "invalid_target"),
            (ErrorCode::LoginRequired, "login_required"),
            (ErrorCode::ConsentRequired, "consent_required"),
        ];
        for (code, name) in names {
            assert_eq!(code.as_str(), name);
            assert_eq!(ErrorCode::from_name(name), Some(code));
        }
        assert_eq!(names.len(), ErrorCode::ALL.len());
        assert_eq!(ErrorCode::from_name("made_up"), None);
    }
}
