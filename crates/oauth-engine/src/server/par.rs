//! Pushed authorization requests (RFC 9126): the client sends its
//! authorization request over the back channel, authenticated, and the
//! browser carries only a short-lived reference to it. Nothing of the
//! request can be read or changed on its way through the browser.

use super::authorize::{AuthorizationRequest, Failure};
use super::token::error_response;
use super::{AuthorizationServer, random_token};
use crate::clock::UnixTime;
use crate::error::{ErrorCode, OAuthError};
use crate::http::{Request, Response};
use crate::rng::Rng;

/// How long a `request_uri` can be used, in seconds: RFC 9126 section 2.2
/// asks for a short time, "5 to 600 seconds"; a minute is what a browser
/// needs to get from the client to the server.
pub const REQUEST_URI_LIFETIME: u64 = 60;
/// The `request_uri` prefix RFC 9126 section 2.2 gives as its example: a
/// URN, so nobody mistakes it for a URL to fetch.
const REQUEST_URI_PREFIX: &str = "urn:ietf:params:oauth:request_uri:";

/// A pushed request, until its `request_uri` is used or expires.
#[derive(Debug, Clone)]
pub(super) struct Pushed {
    request: AuthorizationRequest,
    expires_at: UnixTime,
}

impl AuthorizationServer {
    /// The front channel's request with PAR (RFC 9126 section 4): the
    /// pushed one a `request_uri` stands for, or, when the policy does not
    /// require PAR, the query's own.
    pub(super) fn front_channel_with_par(
        &mut self,
        pairs: Vec<(String, String)>,
        now: UnixTime,
    ) -> Result<AuthorizationRequest, Failure> {
        if pairs.iter().any(|(name, _)| name == "request_uri") {
            return self.pushed_request(&pairs, now).map_err(Failure::ShowUser);
        }
        let validated = self.validate_authorization_request(pairs)?;
        // Section 5: a server that requires PAR refuses the rest.
        if self.config.policy.require_par {
            return Err(Failure::Redirect(
                validated.redirect_uri,
                validated.state,
                OAuthError::new(
                    ErrorCode::InvalidRequest,
                    "this server requires pushed authorization requests: push the request to \
                     /par first and send its request_uri (RFC 9126 section 5)",
                ),
                false,
            ));
        }
        Ok(validated)
    }

    /// RFC 9126 section 2: the pushed authorization request endpoint.
    pub(super) fn par(&mut self, request: &Request, now: UnixTime, rng: &mut dyn Rng) -> Response {
        let params = match super::form_params(request) {
            Ok(params) => params,
            Err(error) => return error_response(&error, false),
        };
        // Section 2.1: the client authenticates as at the token endpoint.
        if let Err(failure) = self.authenticate_client(request, &params, now) {
            return error_response(&failure.error, failure.used_basic);
        }
        // Section 2.1: a pushed request cannot point at another one.
        if params.contains("request_uri") {
            let error = OAuthError::new(
                ErrorCode::InvalidRequest,
                "request_uri cannot be pushed (RFC 9126 section 2.1)",
            );
            return error_response(&error, false);
        }
        // Section 2.1: the same checks as at the authorization endpoint;
        // section 2.3: errors come back here, as JSON, not as redirects.
        let pairs = params.into_pairs();
        let validated = match self.validate_authorization_request(pairs) {
            Ok(validated) => validated,
            Err(Failure::ShowUser(message)) => {
                return error_response(&OAuthError::new(ErrorCode::InvalidRequest, message), false);
            }
            Err(Failure::Redirect(_, _, error, _)) => return error_response(&error, false),
        };
        let reference = match random_token(rng, 24) {
            Ok(random) => format!("{REQUEST_URI_PREFIX}{random}"),
            Err(error) => return error_response(&error, false),
        };
        self.pushed.insert(
            reference.clone(),
            Pushed {
                request: validated,
                expires_at: now.plus(REQUEST_URI_LIFETIME),
            },
        );
        // Section 2.2: 201 Created, with the reference and its lifetime.
        let body = serde_json::json!({
            "request_uri": reference,
            "expires_in": REQUEST_URI_LIFETIME,
        });
        Response::json(201, &body).with_header("Cache-Control", "no-store")
    }

    /// RFC 9126 section 4: the request a browser's `request_uri` stands
    /// for. It is used once, within its lifetime, by the client it was
    /// pushed by; the query's other parameters are ignored. The error is
    /// for the user: no redirect URI is trustworthy until the reference is.
    pub(super) fn pushed_request(
        &mut self,
        pairs: &[(String, String)],
        now: UnixTime,
    ) -> Result<AuthorizationRequest, String> {
        let value = |name: &str| {
            pairs
                .iter()
                .find(|(n, v)| n == name && !v.is_empty())
                .map(|(_, v)| v.as_str())
        };
        let reference = value("request_uri").unwrap_or_default();
        let client_id = value("client_id").ok_or(
            "The request has a request_uri but no client_id: both are required (RFC 9126 \
             section 4).",
        )?;
        // Section 7.3: one use only, so the entry goes whatever happens next.
        let pushed = self.pushed.remove(reference).ok_or_else(|| {
            format!(
                "The request_uri \"{reference}\" is not one this server issued, or it was \
                 already used (RFC 9126 section 4)."
            )
        })?;
        if now >= pushed.expires_at {
            return Err(format!(
                "The request_uri has expired: it lives {REQUEST_URI_LIFETIME} s (RFC 9126 \
                 section 2.2)."
            ));
        }
        if pushed.request.client_id.as_str() != client_id {
            return Err(format!(
                "The request_uri was pushed by another client than \"{client_id}\" (RFC 9126 \
                 section 4)."
            ));
        }
        Ok(pushed.request)
    }
}
