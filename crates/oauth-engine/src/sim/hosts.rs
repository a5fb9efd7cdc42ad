//! Parties beyond the four that a run can put on the network
//! (`network::Host`): an MCP tool server, and a document a party publishes
//! at a URL, such as a client's metadata document.

use super::network::{Host, Network};
use super::trace::Party;
use crate::http::{Method, Request, Response, Url};
use crate::tool_server::ToolServer;

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
