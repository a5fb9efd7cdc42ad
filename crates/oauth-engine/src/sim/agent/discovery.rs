//! The agent finds out who protects the tool server (MCP authorization,
//! revision 2026-07-28, "Authorization Server Discovery"): the 401 names
//! the tool server's metadata (RFC 9728 section 5.1), the metadata names
//! the authorization server (section 2), and that server's own metadata
//! says what it offers (RFC 8414).

use serde_json::Value;

use super::tools::mcp_request;
use super::{Agent, AgentStop};
use crate::channel::Channel;
use crate::discovery::{check_issuer, issuer_url, metadata_urls};
use crate::http::{Request, Url};
use crate::resource_metadata::{ProtectedResourceMetadata, ResourceChallenge, well_known_url};
use crate::sim::network::Network;
use crate::sim::trace::{Party, RfcRef};

const FIRST_CALL: [RfcRef; 2] = [RfcRef::new(9728, "5.1"), RfcRef::new(6750, "3")];
const RESOURCE_METADATA: [RfcRef; 2] = [RfcRef::new(9728, "3.1"), RfcRef::new(9728, "3.3")];
const SERVER_METADATA: [RfcRef; 2] = [RfcRef::new(8414, "3.1"), RfcRef::new(8414, "3.3")];

/// What discovery found: the tool server's metadata, the scope the first
/// call needs, and the authorization server's issuer and metadata.
pub(super) struct Discovered {
    pub resource: ProtectedResourceMetadata,
    pub scope: Option<String>,
    pub issuer: String,
    pub server: Value,
}

/// Steps 1 to 3: the call without a token, the tool server's metadata,
/// the authorization server's metadata.
pub(super) fn discover(
    network: &mut Network<'_>,
    agent: &mut Agent,
    tools: &Url,
) -> Result<Discovered, AgentStop> {
    // 1. The agent calls the tool server with no token.
    let refused = network.send(
        Party::Client,
        Channel::Back,
        false,
        mcp_request(tools, agent.next_id(), "initialize", None),
        "The agent opens an MCP session with the tool server, with no token: it has never met \
         this server. The server answers 401, and its WWW-Authenticate header says where its \
         protected resource metadata is and which scope this call needs.",
        &FIRST_CALL,
    );
    if refused.status != 401 {
        return Err(AgentStop(format!(
            "the tool server answered {} to a call without a token, not 401: nothing to authorize",
            refused.status
        )));
    }
    let challenge = refused
        .challenges()
        .ok()
        .and_then(|challenges| ResourceChallenge::find(&challenges))
        .unwrap_or_default();

    // 2. Its protected resource metadata, where the challenge says, or at
    // the well-known URL (RFC 9728 section 3.1) when it says nothing.
    let canonical = agent.resource.clone();
    let metadata_url = match &challenge.resource_metadata {
        Some(url) => Url::parse(url).map_err(|error| {
            AgentStop(format!("the challenge's resource_metadata {url} {error}"))
        })?,
        None => well_known_url(&canonical),
    };
    let document = network.send(
        Party::Client,
        Channel::Back,
        false,
        Request::get(metadata_url).with_header("Accept", "application/json"),
        "The agent fetches the tool server's protected resource metadata (RFC 9728). Before it \
         trusts the document, it checks that the document's resource is exactly the URL it \
         called: a document for another resource is refused.",
        &RESOURCE_METADATA,
    );
    if document.status != 200 {
        return Err(AgentStop(format!(
            "the tool server's metadata answered {}, not 200",
            document.status
        )));
    }
    // RFC 9728 section 3.3: the resource must be the one called. An agent
    // that skips the check takes the document's word for it, and asks for
    // tokens for whatever resource the document names.
    let expected = if agent.safeguards.check_resource_metadata {
        canonical.to_string()
    } else {
        let claimed = document.json_body().unwrap_or_default();
        claimed["resource"].as_str().unwrap_or_default().to_owned()
    };
    let resource = ProtectedResourceMetadata::parse(&document.body, &expected)
        .map_err(|error| AgentStop(format!("the tool server's metadata is refused: {error}")))?;
    agent.resource = resource.resource.clone();

    // 3. The authorization server's metadata, at each URL MCP lists in
    // turn until one answers (RFC 8414 section 3.1, then OpenID discovery).
    let issuer = resource.authorization_servers[0].clone();
    let issuer_url = issuer_url(&issuer)
        .map_err(|error| AgentStop(format!("the authorization server {issuer} {error}")))?;
    for url in metadata_urls(&issuer_url) {
        let answer = network.send(
            Party::Client,
            Channel::Back,
            false,
            Request::get(url).with_header("Accept", "application/json"),
            "The agent fetches the authorization server's metadata (RFC 8414), trying the \
             well-known URLs in the order MCP gives. It uses the document only if its issuer is \
             exactly the server the tool server named.",
            &SERVER_METADATA,
        );
        if answer.status != 200 {
            continue;
        }
        let server = answer.json_body().unwrap_or_default();
        // RFC 8414 section 3.3.
        check_issuer(server["issuer"].as_str().unwrap_or_default(), &issuer)
            .map_err(|error| AgentStop(format!("the authorization server's metadata: {error}")))?;
        return Ok(Discovered {
            resource,
            scope: challenge.scope,
            issuer,
            server,
        });
    }
    Err(AgentStop(format!(
        "no metadata was found for the authorization server {issuer}"
    )))
}
