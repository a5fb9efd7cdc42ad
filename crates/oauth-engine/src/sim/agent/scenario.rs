//! What a learner sets for an agent's run, and the network it sets up:
//! the default scenario's authorization server and API, the tool server
//! and the agent's own site beside them, and what the server is offered.

use serde::{Deserialize, Serialize};
use serde_json::json;

use super::registration::metadata_document;
use super::tool_host::{CALENDAR_PATH, Downstream, TOOL_SERVER_CLIENT, ToolHost};
use super::{AGENT_CALLBACK, AGENT_ORIGIN, CLIENT_ID_URL, PRE_REGISTERED_ID, TOOLS};
use crate::http::{Method, Url};
use crate::jose::SigningKey;
use crate::resource::{KeySet, Resource};
use crate::resource_indicator::ResourceIndicator;
use crate::rng::Rng;
use crate::server::{
    ClientAuthMethod, ClientIdMetadataDocuments, ClientRegistration, DynamicRegistration, GrantType,
};
use crate::sim::hosts::{PublishedDocument, fetch_client_document};
use crate::sim::network::Network;
use crate::sim::scenario::{Scenario, UserChoices};
use crate::sim::trace::Party;
use crate::tool_server::{Tool, ToolServer};
use crate::types::{ClientId, RedirectUri, Scope};

/// What a learner sets for an agent's run.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct AgentScenario {
    pub seed: u64,
    /// Simulated seconds since the Unix epoch at the start.
    pub start_time: u64,
    /// The server takes Client ID Metadata Documents (and says so in its
    /// metadata).
    pub server_takes_metadata_documents: bool,
    /// The server has a registration endpoint (RFC 7591).
    pub server_offers_registration: bool,
    /// The agent was given a client ID for this server beforehand.
    pub pre_registered: bool,
    /// The scope every request needs, and the first tool's.
    pub first_tool_scope: String,
    /// The second tool's: when it is more than the first, the agent meets
    /// the step-up.
    pub second_tool_scope: String,
    pub downstream: Downstream,
    pub user: UserChoices,
    pub safeguards: AgentSafeguards,
}

/// What the agent, the servers and the API check: each can be switched
/// off to watch what it was there for.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct AgentSafeguards {
    /// The agent names the tool server as `resource` on the authorization
    /// and token requests (RFC 8707), so the token's `aud` is the tool
    /// server.
    pub send_resource: bool,
    /// The agent refuses protected resource metadata whose `resource` is
    /// not the URL it called (RFC 9728 section 3.3).
    pub check_resource_metadata: bool,
    /// The tool server and the API refuse a token whose `aud` is not
    /// theirs (RFC 9068 section 4; MCP "Token Audience Binding").
    pub check_audience: bool,
    /// The authorization server refuses a client ID URL on a special-use
    /// address without fetching it, and a metadata document naming
    /// redirection URIs on another host (client ID metadata document
    /// draft, sections 8.6 and 8.1).
    pub check_client_documents: bool,
}

impl Default for AgentSafeguards {
    fn default() -> Self {
        Self {
            send_resource: true,
            check_resource_metadata: true,
            check_audience: true,
            check_client_documents: true,
        }
    }
}

impl Default for AgentScenario {
    fn default() -> Self {
        Self {
            seed: 1,
            start_time: 1_767_225_600, // 2026-01-01T00:00:00Z
            server_takes_metadata_documents: true,
            server_offers_registration: true,
            pre_registered: false,
            first_tool_scope: "calendar.read".into(),
            second_tool_scope: "calendar.write".into(),
            downstream: Downstream::None,
            user: UserChoices::default(),
            safeguards: AgentSafeguards::default(),
        }
    }
}

impl AgentScenario {
    /// The network of the agent's run: the default scenario's authorization
    /// server and API, and beside them the tool server and the agent's
    /// site, with what the scenario says the server offers.
    pub(super) fn network<'o>(&self, key: SigningKey, rng: Box<dyn Rng + 'o>) -> Network<'o> {
        let scenario = Scenario {
            seed: self.seed,
            start_time: self.start_time,
            ..Scenario::default()
        };
        let mut network = scenario.network(key, rng);
        network.client_origin = AGENT_ORIGIN.into();
        let tool_scopes = Scope::parse(&format!(
            "{} {}",
            self.first_tool_scope, self.second_tool_scope
        ))
        .unwrap_or_default();
        let server = &mut network.server;
        server.protect_resource(TOOLS);
        if self.server_takes_metadata_documents {
            network.before_server = Some(fetch_client_document);
            let lax = !self.safeguards.check_client_documents;
            server.offer(Box::new(ClientIdMetadataDocuments {
                scope: tool_scopes.clone(),
                allow_redirects_elsewhere: lax,
                fetch_special_use_hosts: lax,
                refused: Default::default(),
            }));
        }
        if self.server_offers_registration {
            server.offer(Box::new(DynamicRegistration {
                scope: tool_scopes.clone(),
            }));
        }
        if self.pre_registered {
            server.register(ClientRegistration {
                client_id: ClientId::new(PRE_REGISTERED_ID),
                secret: None,
                auth_method: ClientAuthMethod::None,
                redirect_uris: vec![RedirectUri::new(AGENT_CALLBACK)],
                grant_types: vec![GrantType::AuthorizationCode],
                allowed_scope: tool_scopes,
                public_jwk: None,
            });
        }
        if self.downstream == Downstream::Exchange {
            let (client_id, secret) = TOOL_SERVER_CLIENT;
            server.offer_exchange_to(TOOLS, client_id, secret);
        }
        let issuer = server.issuer_id();
        let keys = KeySet::from_jwks(&server.jwks()).unwrap_or_default();
        // The calendar the tools read, behind the API, for the user.
        network.api.skips_audience_check = !self.safeguards.check_audience;
        network.api.resources.push(Resource {
            method: Method::Get,
            path: CALENDAR_PATH.into(),
            required_scope: self.first_tool_scope.clone(),
            body: json!({ "events": ["Standup at 9:30"] }),
            by_subject: Default::default(),
        });
        let tool = |name: &str, scope: &str, text: &str| Tool {
            name: name.into(),
            scope: scope.into(),
            text: text.into(),
        };
        let tools = vec![
            tool("list_events", &self.first_tool_scope, "Standup at 9:30"),
            tool(
                "create_event",
                &self.second_tool_scope,
                "Created: lunch at 12:00",
            ),
        ];
        if let Ok(resource) = ResourceIndicator::parse(TOOLS) {
            let mut server =
                ToolServer::new(resource, &issuer, keys, &self.first_tool_scope, tools);
            if !self.safeguards.check_audience {
                server.skip_audience_check();
            }
            network.add_host(Box::new(ToolHost {
                server,
                downstream: self.downstream,
            }));
        }
        if let Ok(document_url) = Url::parse(CLIENT_ID_URL) {
            network.add_host(Box::new(PublishedDocument::json(
                document_url,
                Party::Client,
                metadata_document().to_string(),
            )));
        }
        network
    }
}
