//! Client authentication at the token endpoint (RFC 6749 section 2.3).

use base64::Engine as _;
use base64::engine::general_purpose::STANDARD;

use super::{AuthorizationServer, ClientAuthMethod, ClientRegistration, Params, param};
use crate::clock::UnixTime;
use crate::error::{ErrorCode, OAuthError};
use crate::form::decode_form;
use crate::http::Request;
use crate::types::constant_time_eq;

/// A failed client authentication, and whether the client tried HTTP Basic
/// (then the 401 carries `WWW-Authenticate`, RFC 6749 section 5.2).
pub(super) struct AuthFailure {
    pub error: OAuthError,
    pub used_basic: bool,
}

impl AuthorizationServer {
    /// Identifies and authenticates the client of a request to the token,
    /// PAR, revocation or introspection endpoint: by a signed assertion
    /// (`private_key_jwt`, RFC 7523, with the extensions) or as
    /// `authenticate_secret` says.
    pub(super) fn authenticate_client(
        &mut self,
        request: &Request,
        params: &Params,
        now: UnixTime,
    ) -> Result<ClientRegistration, AuthFailure> {
        if let Some(extensions) = self.extensions()
            && (params.contains("client_assertion") || params.contains("client_assertion_type"))
        {
            return extensions
                .authenticate_assertion(self, request, params, now)
                .map_err(|error| AuthFailure {
                    error,
                    used_basic: false,
                });
        }
        self.authenticate_secret(request, params).cloned()
    }

    /// Identifies and authenticates the client with its secret, or as a
    /// public client by its client_id (RFC 6749 section 2.3.1).
    pub(super) fn authenticate_secret(
        &self,
        request: &Request,
        params: &Params,
    ) -> Result<&ClientRegistration, AuthFailure> {
        // Any spelling of the scheme: "Basic", "basic", "BASIC" (RFC 9110
        // section 11.1).
        let basic = request
            .authorization()
            .filter(|(scheme, _)| scheme.eq_ignore_ascii_case("Basic"))
            .map(|(_, credentials)| credentials);
        let used_basic = basic.is_some();
        let fail = |description: String| AuthFailure {
            error: OAuthError::new(ErrorCode::InvalidClient, description),
            used_basic,
        };
        let body_secret = param(params, "client_secret");

        let (client_id, secret, method) = match basic {
            Some(credentials) => {
                // "The client MUST NOT use more than one authentication
                // method in each request" (RFC 6749 section 2.3).
                if body_secret.is_some() {
                    return Err(AuthFailure {
                        error: OAuthError::new(
                            ErrorCode::InvalidRequest,
                            "the client authenticated twice, with HTTP Basic and client_secret \
                             (RFC 6749 section 2.3)",
                        ),
                        used_basic,
                    });
                }
                let (id, secret) = decode_basic(credentials).ok_or_else(|| {
                    fail("the Authorization header is not valid HTTP Basic credentials".into())
                })?;
                (id, Some(secret), ClientAuthMethod::ClientSecretBasic)
            }
            None => {
                let id = param(params, "client_id")
                    .ok_or_else(|| fail("the request does not identify the client".into()))?
                    .to_owned();
                let method = if body_secret.is_some() {
                    ClientAuthMethod::ClientSecretPost
                } else {
                    ClientAuthMethod::None
                };
                (id, body_secret.map(str::to_owned), method)
            }
        };

        let client = self
            .client(&client_id)
            .ok_or_else(|| fail(self.unknown_client(&client_id)))?;
        // A client_id in the body must agree with the authenticated one.
        if let Some(body_id) = param(params, "client_id")
            && body_id != client.client_id.as_str()
        {
            return Err(fail(
                "client_id in the body differs from the authenticated client".into(),
            ));
        }
        match (&client.secret, secret) {
            // A private_key_jwt client has no secret either: without its
            // assertion it must not pass as a public client.
            (None, None) if client.auth_method == ClientAuthMethod::PrivateKeyJwt => Err(fail(
                format!("client {client_id} must send its client_assertion (RFC 7523)"),
            )),
            (None, None) => Ok(client),
            (None, Some(_)) => Err(fail(format!(
                "client {client_id} is public and has no secret to send"
            ))),
            (Some(_), None) => Err(fail(format!(
                "client {client_id} is confidential and must authenticate (RFC 6749 section 3.2.1)"
            ))),
            (Some(expected), Some(given)) => {
                if method != client.auth_method {
                    return Err(fail(format!(
                        "client {client_id} is registered for {}, not {}",
                        client.auth_method.as_str(),
                        method.as_str()
                    )));
                }
                if !constant_time_eq(expected.secret().as_bytes(), given.as_bytes()) {
                    return Err(fail("wrong client secret".into()));
                }
                Ok(client)
            }
        }
    }
}

/// RFC 6749 section 2.3.1: the client id and secret are each
/// form-urlencoded, joined with ':' and base64-encoded.
fn decode_basic(credentials: &str) -> Option<(String, String)> {
    let decoded = String::from_utf8(STANDARD.decode(credentials.trim()).ok()?).ok()?;
    let (id, secret) = decoded.split_once(':')?;
    let decode = |text: &str| {
        decode_form(&format!("v={text}"))
            .ok()?
            .pop()
            .map(|(_, value)| value)
    };
    Some((decode(id)?, decode(secret)?))
}

/// Basic credentials for a client, encoded as RFC 6749 section 2.3.1 says.
pub fn basic_credentials(client_id: &str, secret: &str) -> String {
    let encode = |text: &str| {
        crate::form::encode_form(&[("v", text)])
            .trim_start_matches("v=")
            .to_owned()
    };
    format!(
        "Basic {}",
        STANDARD.encode(format!("{}:{}", encode(client_id), encode(secret)))
    )
}
