//! What a server can be offered beyond its core and its extensions: token
//! exchange (`exchange.rs`), a client registration endpoint
//! (`registration.rs`), client identifiers that are metadata documents'
//! URLs (`client_documents.rs`). Each is a trait object handed to the
//! server (`AuthorizationServer::offer`), as the extensions are, so that a
//! build that never offers one, like the app today, leaves its code out;
//! a server offered several holds them chained into one ([`Chain`]).

use std::fmt;

use serde_json::Value;

use super::{AuthorizationServer, ClientRegistration, Params};
use crate::clock::UnixTime;
use crate::error::OAuthError;
use crate::http::{Request, Response, Url};
use crate::rng::Rng;

/// The hooks an offer may fill; each does nothing unless it does.
pub trait Offer: fmt::Debug {
    /// Adds the offer's members to the server's metadata (RFC 8414
    /// section 2).
    fn metadata(&self, _server: &AuthorizationServer, _metadata: &mut Value) {}

    /// The offer's own endpoint's answer to `request`, at `path` below the
    /// issuer; `None` for a path that is not its.
    fn endpoint(
        &self,
        _server: &mut AuthorizationServer,
        _path: &str,
        _request: &Request,
        _now: UnixTime,
        _rng: &mut dyn Rng,
    ) -> Option<Response> {
        None
    }

    /// The token response for a request whose `grant_type` is the
    /// offer's, from the authenticated `client`, whose DPoP proof showed
    /// the key `jkt` if it sent one; `None` for another grant type.
    #[allow(clippy::too_many_arguments)]
    fn grant(
        &self,
        _server: &mut AuthorizationServer,
        _grant_type: &str,
        _client: &ClientRegistration,
        _params: &Params,
        _jkt: Option<&str>,
        _now: UnixTime,
        _rng: &mut dyn Rng,
    ) -> Option<Result<Value, OAuthError>> {
        None
    }

    /// A document the server must fetch before it can answer `request`:
    /// the metadata of a client it does not know yet, named by URL.
    fn document_to_fetch(&self, _server: &AuthorizationServer, _request: &Request) -> Option<Url> {
        None
    }

    /// What fetching `url` (one `document_to_fetch` named) answered.
    fn receive_document(&self, _server: &mut AuthorizationServer, _url: &Url, _answer: &Response) {}

    /// Why the offer refused the client `client_id`, if it did: what the
    /// server says instead of "unknown client".
    fn refusal(&self, _client_id: &str) -> Option<String> {
        None
    }
}

/// Two offers as one: each hook asks the first, then the second.
#[derive(Debug)]
pub(super) struct Chain(pub Box<dyn Offer>, pub Box<dyn Offer>);

impl Offer for Chain {
    fn metadata(&self, server: &AuthorizationServer, metadata: &mut Value) {
        self.0.metadata(server, metadata);
        self.1.metadata(server, metadata);
    }

    fn endpoint(
        &self,
        server: &mut AuthorizationServer,
        path: &str,
        request: &Request,
        now: UnixTime,
        rng: &mut dyn Rng,
    ) -> Option<Response> {
        self.0
            .endpoint(server, path, request, now, rng)
            .or_else(|| self.1.endpoint(server, path, request, now, rng))
    }

    fn grant(
        &self,
        server: &mut AuthorizationServer,
        grant_type: &str,
        client: &ClientRegistration,
        params: &Params,
        jkt: Option<&str>,
        now: UnixTime,
        rng: &mut dyn Rng,
    ) -> Option<Result<Value, OAuthError>> {
        self.0
            .grant(server, grant_type, client, params, jkt, now, rng)
            .or_else(|| {
                self.1
                    .grant(server, grant_type, client, params, jkt, now, rng)
            })
    }

    fn document_to_fetch(&self, server: &AuthorizationServer, request: &Request) -> Option<Url> {
        self.0
            .document_to_fetch(server, request)
            .or_else(|| self.1.document_to_fetch(server, request))
    }

    fn receive_document(&self, server: &mut AuthorizationServer, url: &Url, answer: &Response) {
        self.0.receive_document(server, url, answer);
        self.1.receive_document(server, url, answer);
    }

    fn refusal(&self, client_id: &str) -> Option<String> {
        self.0
            .refusal(client_id)
            .or_else(|| self.1.refusal(client_id))
    }
}
