//! Token introspection (RFC 7662): an API that cannot read a token (an
//! opaque one, or one it wants checked for revocation) asks the server
//! whether it is active, and what it stands for.

use serde_json::{Map, Value, json};

use super::token::error_response;
use super::{AuthorizationServer, random_token};
use crate::clock::UnixTime;
use crate::error::{ErrorCode, OAuthError};
use crate::http::{Request, Response};
use crate::rng::Rng;

impl AuthorizationServer {
    /// RFC 7662 section 2.1: the caller authenticates (section 4: the
    /// server must not answer anyone who asks) and names a token; section
    /// 2.2: the answer is `active` and, for an active token, its claims.
    pub(super) fn introspect(&mut self, request: &Request, now: UnixTime) -> Response {
        let params = match super::form_params(request) {
            Ok(params) => params,
            Err(error) => return error_response(&error, false),
        };
        match self.authenticate_client(request, &params, now) {
            Ok(caller) if caller.is_public() => {
                let error = OAuthError::new(
                    ErrorCode::InvalidClient,
                    format!(
                        "{} is a public client: introspection answers authenticated callers only \
                         (RFC 7662 section 2.1)",
                        caller.client_id
                    ),
                );
                return error_response(&error, false);
            }
            Ok(_) => {}
            Err(failure) => return error_response(&failure.error, failure.used_basic),
        }
        let Some(token) = super::param(&params, "token") else {
            let error = OAuthError::new(
                ErrorCode::InvalidRequest,
                "token is missing (RFC 7662 section 2.1)",
            );
            return error_response(&error, false);
        };
        // Section 2.2: an inactive token gets `active: false` and nothing
        // else, so the answer tells nothing about a token that does not
        // work. No caching of the answer by intermediaries (section 2.2).
        let body = match self.active_claims(token, now) {
            Some(mut claims) => {
                // RFC 9449 section 6.2: a bound token's type is DPoP, and
                // its cnf.jkt is among the claims.
                let token_type = if claims.contains_key("cnf") {
                    crate::dpop::TOKEN_TYPE
                } else {
                    "Bearer"
                };
                claims.insert("active".into(), true.into());
                claims.insert("token_type".into(), token_type.into());
                Value::Object(claims)
            }
            None => json!({ "active": false }),
        };
        Response::json(200, &body).with_header("Cache-Control", "no-store")
    }

    /// The claims of an access token this server issued, JWT or opaque, if
    /// it is active: not expired, not revoked.
    fn active_claims(&self, token: &str, now: UnixTime) -> Option<Map<String, Value>> {
        let claims = self.access_token_claims(token).ok()?;
        let text = |name: &str| claims.get(name).and_then(Value::as_str).unwrap_or_default();
        let expired = claims.get("exp").and_then(Value::as_u64).unwrap_or(0) <= now.0;
        (!expired && !self.is_access_token_revoked(text("jti"))).then_some(claims)
    }

    /// An opaque access token for `claims` (RFC 7662 section 1): a random
    /// string that carries nothing; the server keeps what it stands for.
    pub(super) fn store_opaque(
        &mut self,
        claims: Map<String, Value>,
        rng: &mut dyn Rng,
    ) -> Result<String, OAuthError> {
        let token = random_token(rng, 32)?;
        self.opaque_tokens.insert(token.clone(), claims);
        Ok(token)
    }

    /// The claims an opaque access token stands for.
    pub(super) fn opaque_claims(&self, token: &str) -> Option<Map<String, Value>> {
        self.opaque_tokens.get(token).cloned()
    }
}
