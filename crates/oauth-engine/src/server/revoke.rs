//! Token revocation (RFC 7009): a client tells the server it no longer
//! needs a token, as when the user signs out.

use serde_json::Value;

use super::AuthorizationServer;
use super::token::error_response;
use crate::clock::UnixTime;
use crate::error::{ErrorCode, OAuthError};
use crate::http::{Request, Response};

/// What a revocation request names, once looked up.
enum Found {
    Refresh { client_id: String, family: u64 },
    Access { client_id: String, jti: String },
    Unknown,
}

impl AuthorizationServer {
    /// RFC 7009 section 2.1: the client authenticates as at the token
    /// endpoint and names a token it holds; section 2.2: the answer is 200
    /// whether or not the token was valid.
    pub(super) fn revoke(&mut self, request: &Request, now: UnixTime) -> Response {
        let params = match super::form_params(request) {
            Ok(params) => params,
            Err(error) => return error_response(&error, false),
        };
        let client_id = match self.authenticate_client(request, &params, now) {
            Ok(client) => client.client_id.as_str().to_owned(),
            Err(failure) => return error_response(&failure.error, failure.used_basic),
        };
        let Some(token) = super::param(&params, "token") else {
            let error = OAuthError::new(
                ErrorCode::InvalidRequest,
                "token is missing (RFC 7009 section 2.1)",
            );
            return error_response(&error, false);
        };
        // Section 2.1: token_type_hint only speeds up the lookup; the
        // server searches every kind of token it issues either way.
        let found = self.find(token);
        let owner = match &found {
            // Section 2.2: an invalid or unknown token gets 200 too; the
            // client has nothing left to do about it.
            Found::Unknown => return Response::new(200),
            Found::Refresh { client_id, .. } | Found::Access { client_id, .. } => client_id,
        };
        // Section 2.1: the server checks that the token was issued to the
        // client asking; if not, the request is refused.
        if *owner != client_id {
            let error = OAuthError::new(
                ErrorCode::UnauthorizedClient,
                "the token was issued to another client (RFC 7009 section 2.1)",
            );
            return error_response(&error, false);
        }
        match found {
            // Section 2.1: revoking a refresh token SHOULD invalidate the
            // access tokens of the same grant: the whole family.
            Found::Refresh { family, .. } => self.revoke_family(family),
            Found::Access { jti, .. } => self.revoked_access_tokens.push(jti),
            Found::Unknown => {}
        }
        Response::new(200)
    }

    /// The refresh token or access token `token` is, and whose.
    fn find(&self, token: &str) -> Found {
        if let Some(grant) = self.refresh_tokens.get(token) {
            return Found::Refresh {
                client_id: grant.client_id.as_str().to_owned(),
                family: grant.family,
            };
        }
        let Ok(claims) = self.access_token_claims(token) else {
            return Found::Unknown;
        };
        let text = |name: &str| claims.get(name).and_then(Value::as_str).map(str::to_owned);
        match (text("client_id"), text("jti")) {
            (Some(client_id), Some(jti)) => Found::Access { client_id, jti },
            _ => Found::Unknown,
        }
    }
}
