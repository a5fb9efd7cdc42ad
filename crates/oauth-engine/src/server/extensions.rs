//! OAuth as deployed now, beside the core of RFC 6749: DPoP (RFC 9449),
//! pushed authorization requests (RFC 9126), `private_key_jwt` (RFC 7523),
//! revocation (RFC 7009) and introspection (RFC 7662). They reach the
//! server through one trait, [`Extensions`], given to it as the clock and
//! the random source are (`AuthorizationServer::support`): a build that
//! never gives it, like the app until a screen that teaches them loads
//! them, leaves their code out, and every other screen downloads nothing
//! for them.

use std::fmt;

use serde_json::{Map, Value};

use super::authorize::{AuthorizationRequest, Failure};
use super::{AuthorizationServer, ClientRegistration, Params};
use crate::clock::UnixTime;
use crate::error::OAuthError;
use crate::http::{Request, Response};
use crate::resource::{Dpop, ProofOfPossession};
use crate::rng::Rng;

/// The hooks the server calls where the extensions change what it does.
pub trait Extensions: Sync + fmt::Debug {
    /// Adds the extensions' members to the metadata (RFC 8414 section 2).
    fn metadata(&self, server: &AuthorizationServer, metadata: &mut Value);

    /// An opaque access token standing for `claims` (RFC 7662 section 1).
    fn opaque_access_token(
        &self,
        server: &mut AuthorizationServer,
        claims: Map<String, Value>,
        rng: &mut dyn Rng,
    ) -> Result<String, OAuthError>;

    /// The claims an opaque access token stands for, if it is one.
    fn opaque_claims(
        &self,
        server: &AuthorizationServer,
        token: &str,
    ) -> Option<Map<String, Value>>;

    /// The client a `client_assertion` authenticates (`private_key_jwt`,
    /// RFC 7523), or the `invalid_client` error that refuses it.
    fn authenticate_assertion(
        &self,
        server: &mut AuthorizationServer,
        request: &Request,
        params: &Params,
        now: UnixTime,
    ) -> Result<ClientRegistration, OAuthError>;

    /// DPoP at the server's own protected resource, UserInfo: the API's
    /// check (RFC 9449 section 7).
    fn proof_of_possession(&self) -> &'static dyn ProofOfPossession;

    /// The extensions' own endpoints (`/par`, `/revoke`, `/introspect`), by
    /// path, POST only (405 otherwise); `None` for any other path.
    fn endpoint(
        &self,
        server: &mut AuthorizationServer,
        path: &str,
        request: &Request,
        now: UnixTime,
        rng: &mut dyn Rng,
    ) -> Option<Response>;

    /// The request a browser brings to `/authorize`: the one a
    /// `request_uri` stands for (RFC 9126 section 4), or the query's own
    /// when PAR is not required.
    fn front_channel_request(
        &self,
        server: &mut AuthorizationServer,
        pairs: Vec<(String, String)>,
        now: UnixTime,
    ) -> Result<AuthorizationRequest, Failure>;

    /// Adds to an access token's `claims` the confirmation of the key it
    /// is bound to (`cnf.jkt`, RFC 9449 section 6.1).
    fn confirm_key(&self, claims: &mut Value, jkt: &str);

    /// RFC 9449 section 5: refreshing a refresh token bound to the key
    /// `bound` needs a proof by it; `jkt` is the request's proof's key.
    fn check_refresh_binding(&self, bound: &str, jkt: Option<&str>) -> Result<(), OAuthError>;

    /// At the token endpoint: the thumbprint of the key whose DPoP proof
    /// the request carries, to bind the tokens to (RFC 9449 section 5), or
    /// the response that refuses the proof.
    fn dpop_key_of(
        &self,
        server: &mut AuthorizationServer,
        request: &Request,
        now: UnixTime,
        rng: &mut dyn Rng,
    ) -> Result<Option<String>, Response>;
}

/// Every extension this engine implements.
#[derive(Debug, Clone, Copy)]
pub struct AllExtensions;

impl Extensions for AllExtensions {
    fn metadata(&self, server: &AuthorizationServer, metadata: &mut Value) {
        server.extension_metadata(metadata);
    }

    fn opaque_access_token(
        &self,
        server: &mut AuthorizationServer,
        claims: Map<String, Value>,
        rng: &mut dyn Rng,
    ) -> Result<String, OAuthError> {
        server.store_opaque(claims, rng)
    }

    fn opaque_claims(
        &self,
        server: &AuthorizationServer,
        token: &str,
    ) -> Option<Map<String, Value>> {
        server.opaque_claims(token)
    }

    fn authenticate_assertion(
        &self,
        server: &mut AuthorizationServer,
        request: &Request,
        params: &Params,
        now: UnixTime,
    ) -> Result<ClientRegistration, OAuthError> {
        server.client_from_assertion(request, params, now)
    }

    fn proof_of_possession(&self) -> &'static dyn ProofOfPossession {
        &Dpop
    }

    fn endpoint(
        &self,
        server: &mut AuthorizationServer,
        path: &str,
        request: &Request,
        now: UnixTime,
        rng: &mut dyn Rng,
    ) -> Option<Response> {
        let post = request.method == crate::http::Method::Post;
        Some(match path {
            "/par" | "/revoke" | "/introspect" if !post => {
                Response::new(405).with_body("Method Not Allowed")
            }
            "/par" => server.par(request, now, rng),
            "/revoke" => server.revoke(request, now),
            "/introspect" => server.introspect(request, now),
            _ => return None,
        })
    }

    fn front_channel_request(
        &self,
        server: &mut AuthorizationServer,
        pairs: Vec<(String, String)>,
        now: UnixTime,
    ) -> Result<AuthorizationRequest, Failure> {
        server.front_channel_with_par(pairs, now)
    }

    fn check_refresh_binding(&self, bound: &str, jkt: Option<&str>) -> Result<(), OAuthError> {
        super::dpop::check_refresh_binding(bound, jkt)
    }

    fn confirm_key(&self, claims: &mut Value, jkt: &str) {
        claims["cnf"] = serde_json::json!({ "jkt": jkt });
    }

    fn dpop_key_of(
        &self,
        server: &mut AuthorizationServer,
        request: &Request,
        now: UnixTime,
        rng: &mut dyn Rng,
    ) -> Result<Option<String>, Response> {
        server.dpop_key_of(request, now, rng)
    }
}
