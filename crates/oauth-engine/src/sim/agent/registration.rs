//! The agent gets a client ID at an authorization server it has never met,
//! in the order MCP authorization (revision 2026-07-28, "Client
//! Registration Approaches") gives: the one it was given beforehand, else
//! its Client ID Metadata Document's URL when the server takes one, else
//! Dynamic Client Registration (RFC 7591), else it must ask the user.

use serde_json::{Value, json};

use super::{AGENT_CALLBACK, Agent, AgentStop, CLIENT_ID_URL, PRE_REGISTERED_ID};
use crate::channel::Channel;
use crate::client_id_metadata::METADATA_MEMBER;
use crate::http::{Method, Request, Url};
use crate::sim::network::Network;
use crate::sim::trace::{Party, RfcRef};

const REGISTRATION: [RfcRef; 2] = [RfcRef::new(7591, "3.1"), RfcRef::new(7591, "3.2.1")];

/// How the agent got its client ID, for the run to say.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Registration {
    PreRegistered,
    MetadataDocument,
    Dynamic,
}

/// The agent's client metadata (RFC 7591 section 2): a public client of
/// the code grant, whose tokens come back to its own callback.
pub fn agent_metadata() -> Value {
    json!({
        "client_name": "Calendar agent",
        "redirect_uris": [AGENT_CALLBACK],
        "grant_types": ["authorization_code"],
        "response_types": ["code"],
        "token_endpoint_auth_method": "none",
    })
}

/// The document the agent publishes at its client ID URL: its metadata and
/// that URL as `client_id` (draft-ietf-oauth-client-id-metadata-document
/// section 4).
pub fn metadata_document() -> Value {
    let mut document = agent_metadata();
    document["client_id"] = CLIENT_ID_URL.into();
    document
}

/// Step 4: the agent's client ID at the server whose metadata is `server`.
pub(super) fn register(
    network: &mut Network<'_>,
    agent: &mut Agent,
    pre_registered: bool,
    server: &Value,
) -> Result<Registration, AgentStop> {
    if pre_registered {
        agent.client_id = PRE_REGISTERED_ID.into();
        return Ok(Registration::PreRegistered);
    }
    if server[METADATA_MEMBER] == true {
        // Nothing to send: the server fetches the document when the
        // authorization request names it.
        agent.client_id = CLIENT_ID_URL.into();
        return Ok(Registration::MetadataDocument);
    }
    let Some(endpoint) = server["registration_endpoint"].as_str() else {
        return Err(AgentStop(
            "the authorization server takes neither client ID metadata documents nor dynamic \
             registration, and the agent has no client ID for it: MCP's last resort is to ask \
             the user to enter one"
                .into(),
        ));
    };
    let endpoint = Url::parse(endpoint)
        .map_err(|error| AgentStop(format!("the registration endpoint {endpoint} {error}")))?;
    let request = Request {
        method: Method::Post,
        body: agent_metadata().to_string(),
        ..Request::get(endpoint)
    }
    .with_header("Content-Type", "application/json");
    let response = network.send(
        Party::Client,
        Channel::Back,
        false,
        request,
        "The server takes no client ID metadata documents, so the agent registers itself \
         (Dynamic Client Registration, RFC 7591): its name, its redirect URI, and that it is a \
         public client. The server answers with a client_id made for it.",
        &REGISTRATION,
    );
    let body = response.json_body().unwrap_or_default();
    match body["client_id"].as_str() {
        Some(client_id) if response.status == 201 => {
            agent.client_id = client_id.to_owned();
            Ok(Registration::Dynamic)
        }
        _ => Err(AgentStop(format!(
            "the authorization server refused the registration: {}",
            body["error_description"]
                .as_str()
                .unwrap_or("no reason given")
        ))),
    }
}
