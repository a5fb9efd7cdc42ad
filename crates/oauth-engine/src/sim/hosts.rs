//! Parties beyond the four that a run can put on the network
//! (`network::Host`): an MCP tool server, and a document a party publishes
//! at a URL, such as a client's metadata document; and the authorization
//! server's fetch of such a document (`Network::before_server`).

use super::network::{Host, Network};
use super::trace::Party;
use crate::channel::Channel;
use crate::http::{Method, Request, Response, Url};
use crate::tool_server::ToolServer;

/// Two hosts as one: a request goes to the first that serves its URL.
pub(super) struct Chain<'o>(pub Box<dyn Host + 'o>, pub Box<dyn Host + 'o>);

impl Host for Chain<'_> {
    fn serves(&self, url: &Url) -> Option<Party> {
        self.0.serves(url).or_else(|| self.1.serves(url))
    }

    fn handle(&mut self, network: &mut Network<'_>, request: &Request) -> Response {
        match self.0.serves(&request.url) {
            Some(_) => self.0.handle(network, request),
            None => self.1.handle(network, request),
        }
    }
}

/// A document at one URL (any query), answered to every GET.
#[derive(Debug, Clone)]
pub struct PublishedDocument {
    pub url: Url,
    /// Who publishes it: the lane its fetches go to on the trace.
    pub party: Party,
    pub answer: Response,
}

impl PublishedDocument {
    /// A JSON document at `url`, published by `party`.
    pub fn json(url: Url, party: Party, body: impl Into<String>) -> Self {
        let answer = Response::new(200)
            .with_header("Content-Type", "application/json")
            .with_body(body);
        Self { url, party, answer }
    }
}

impl Host for PublishedDocument {
    fn serves(&self, url: &Url) -> Option<Party> {
        (url.origin == self.url.origin && url.path == self.url.path).then_some(self.party)
    }

    fn handle(&mut self, _network: &mut Network<'_>, request: &Request) -> Response {
        match request.method {
            Method::Get => self.answer.clone(),
            _ => Response::new(405).with_body("Method Not Allowed"),
        }
    }
}

/// The tool server answers everything at its origin.
impl Host for ToolServer {
    fn serves(&self, url: &Url) -> Option<Party> {
        let own = self.metadata.resource.url();
        (url.origin == own.origin).then_some(Party::ToolServer)
    }

    fn handle(&mut self, network: &mut Network<'_>, request: &Request) -> Response {
        ToolServer::handle(self, request, network.clock.now())
    }
}

/// Before the authorization server answers `request`: the metadata
/// document of a client it knows only by URL, which it asks for
/// (`AuthorizationServer::document_to_fetch`), is fetched, server to
/// server, on the trace, and handed to it. What a run that offers the
/// server `ClientIdMetadataDocuments` sets as `Network::before_server`.
pub fn fetch_client_document(network: &mut Network<'_>, request: &Request) {
    let Some(url) = network.server.document_to_fetch(request) else {
        return;
    };
    let fetch = Request::get(url.clone()).with_header("Accept", "application/json");
    let answer = network.send(
        Party::AuthorizationServer,
        Channel::Back,
        false,
        fetch,
        "The client_id is a URL: the authorization server fetches the client's metadata \
         document from it (OAuth Client ID Metadata Document, an Internet-Draft), and \
         registers the client it describes if the document passes its checks.",
        &[],
    );
    network.server.receive_document(&url, &answer);
}
