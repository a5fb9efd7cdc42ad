//! OAuth as deployed now, beside the core of RFC 6749: DPoP (RFC 9449),
//! pushed authorization requests (RFC 9126), revocation (RFC 7009) and
//! introspection (RFC 7662). They reach the server through one trait,
//! [`Extensions`], given to it as the clock and the random source are
//! (`AuthorizationServer::support`): a build that never gives it, like the
//! app until a screen that teaches them loads them, leaves their code out,
//! and every other screen downloads nothing for them.

use std::fmt;

use super::AuthorizationServer;
use super::authorize::AuthorizationRequest;
use crate::clock::UnixTime;
use crate::http::{Request, Response};
use crate::rng::Rng;

/// The hooks the server calls where the extensions change what it does.
pub trait Extensions: Sync + fmt::Debug {
    /// The extensions' own endpoints (`/par`, `/revoke`, `/introspect`), by
    /// path; `None` for any other path.
    fn endpoint(
        &self,
        server: &mut AuthorizationServer,
        path: &str,
        request: &Request,
        now: UnixTime,
        rng: &mut dyn Rng,
    ) -> Option<Response>;

    /// The authorization request a `request_uri` stands for (RFC 9126
    /// section 4), or the message for the user.
    fn pushed_request(
        &self,
        server: &mut AuthorizationServer,
        pairs: &[(String, String)],
        now: UnixTime,
    ) -> Result<AuthorizationRequest, String>;

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
    fn endpoint(
        &self,
        server: &mut AuthorizationServer,
        path: &str,
        request: &Request,
        now: UnixTime,
        rng: &mut dyn Rng,
    ) -> Option<Response> {
        Some(match path {
            "/par" => server.par(request, now, rng),
            "/revoke" => server.revoke(request),
            "/introspect" => server.introspect(request, now),
            _ => return None,
        })
    }

    fn pushed_request(
        &self,
        server: &mut AuthorizationServer,
        pairs: &[(String, String)],
        now: UnixTime,
    ) -> Result<AuthorizationRequest, String> {
        server.pushed_request(pairs, now)
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
