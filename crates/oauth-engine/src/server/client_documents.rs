//! Clients identified by the URL of their metadata document
//! (draft-ietf-oauth-client-id-metadata-document, `client_id_metadata`),
//! at the server: the first request naming such a client makes the server
//! fetch the document, check it, and register the client it describes.
//! Offered to the server ([`Offer`]), so that the app, which has no screen
//! for it yet, leaves its code out.
//!
//! The server does no I/O: it names the document it needs
//! (`document_to_fetch`), the network fetches it on the trace, server to
//! server, and hands the answer back (`receive_document`) before the
//! request itself arrives. A URL the server must not fetch (section 8.6:
//! a special-use address, the request forgery the draft warns of) is
//! refused without a fetch.

use std::cell::RefCell;

use serde_json::Value;

use super::registration::registration_of;
use super::{AuthorizationServer, Offer};
use crate::client_id_metadata::{
    CimdError, ClientIdMetadataDocument, METADATA_MEMBER, check_client_id_url,
};
use crate::http::{Request, Response, Url};
use crate::table::Table;
use crate::types::Scope;

/// Client ID Metadata Documents, as the server takes them.
#[derive(Debug, Clone, Default)]
pub struct ClientIdMetadataDocuments {
    /// The most such a client may ask for, and what a document that names
    /// no `scope` gets.
    pub scope: Scope,
    /// Whether a document may name redirection URIs on another host than
    /// its own URL's (section 8.1). Off, the secure default: they are
    /// refused.
    pub allow_redirects_elsewhere: bool,
    /// A deliberately flawed server, for the agent's attacks: it fetches a
    /// client ID URL on a special-use address too, a request forged into
    /// its own network (section 8.6). Off, the default: it refuses them
    /// without a fetch.
    pub fetch_special_use_hosts: bool,
    /// Why each refused client ID was refused, until it is asked for
    /// again: kept here, as the hooks get the offer shared.
    pub refused: RefCell<Table<String, String>>,
}

impl Offer for ClientIdMetadataDocuments {
    fn metadata(&self, _server: &AuthorizationServer, metadata: &mut Value) {
        // Section 6.
        metadata[METADATA_MEMBER] = true.into();
    }

    fn document_to_fetch(&self, server: &AuthorizationServer, request: &Request) -> Option<Url> {
        let client_id = request
            .params()
            .ok()?
            .into_iter()
            .find(|(name, _)| name == "client_id")?
            .1;
        // Section 3: only an https URL names a document; a known client,
        // or one registered from its document already, needs no fetch.
        if !client_id.starts_with("https://") || server.client(&client_id).is_some() {
            return None;
        }
        match check_client_id_url(&client_id) {
            Ok(url) => Some(url),
            Err(CimdError::SpecialUseHost(_)) if self.fetch_special_use_hosts => {
                Url::parse(&client_id).ok()
            }
            Err(refusal) => {
                self.refuse(&client_id, &refusal);
                None
            }
        }
    }

    fn receive_document(&self, server: &mut AuthorizationServer, url: &Url, answer: &Response) {
        let client_id = url.to_string();
        match self.client_of(server, &client_id, answer) {
            Ok(client) => server.register(client),
            Err(refusal) => self.refuse(&client_id, &refusal),
        }
    }

    fn refusal(&self, client_id: &str) -> Option<String> {
        self.refused.borrow().get(client_id).cloned()
    }
}

impl ClientIdMetadataDocuments {
    fn refuse(&self, client_id: &str, why: &CimdError) {
        self.refused
            .borrow_mut()
            .insert(client_id.to_owned(), why.to_string());
    }

    /// The client the fetched document describes, or why there is none.
    fn client_of(
        &self,
        server: &AuthorizationServer,
        client_id: &str,
        answer: &Response,
    ) -> Result<super::ClientRegistration, CimdError> {
        let document = ClientIdMetadataDocument::read(client_id, answer.status, &answer.body)?;
        let elsewhere = document.redirects_elsewhere();
        if !self.allow_redirects_elsewhere && !elsewhere.is_empty() {
            return Err(CimdError::RedirectElsewhere(
                elsewhere.into_iter().map(str::to_owned).collect(),
            ));
        }
        registration_of(server, client_id, None, &document.metadata, &self.scope)
            .map_err(CimdError::Metadata)
    }
}
