//! An AI agent (an MCP client) connects to a tool server it has never met,
//! as MCP authorization (revision 2026-07-28) lays it out, every step a
//! real message on the trace:
//!
//! 1. it calls the tool server with no token: 401, and where the tool
//!    server's metadata is (RFC 9728 section 5.1);
//! 2. it fetches that metadata and checks that its `resource` is the URL it
//!    called (RFC 9728 section 3.3);
//! 3. it fetches the authorization server's metadata (RFC 8414) and checks
//!    its `issuer`;
//! 4. it gets a client ID: pre-registered, its Client ID Metadata
//!    Document's URL, or Dynamic Client Registration (RFC 7591), in MCP's
//!    order, or it stops and says so;
//! 5. code + PKCE with `resource` (RFC 8707): the token's audience is the
//!    tool server;
//! 6. it calls the first tool; the second needs more: 403 with
//!    `insufficient_scope`, and the agent authorizes again for what it
//!    holds plus what the tool needs (step-up), then retries.
//!
//! When a tool needs the calendar API, the tool server forwards the user's
//! token (refused: its audience is the tool server) or exchanges it (RFC
//! 8693), as the scenario says (`tool_host`).
//!
//! Run apart from the scenarios of `run` ([`AgentScenario::run`]), so that
//! a build that never runs an agent leaves all of this out.

pub mod attacks;
mod authorization;
mod discovery;
mod registration;
mod tool_host;

use serde::{Deserialize, Serialize};
use serde_json::{Value, json};

pub use registration::{Registration, agent_metadata, metadata_document};
pub use tool_host::{CALENDAR_PATH, Downstream, TOOL_SERVER_CLIENT, ToolHost};

use super::browser::Browser;
use super::hosts::{PublishedDocument, fetch_client_document};
use super::network::Network;
use super::scenario::{Scenario, UserChoices};
use super::stop::Stop;
use super::trace::{Exchange, Party, RfcRef};
use crate::channel::Channel;
use crate::clock::UnixTime;
use crate::http::{Method, Request, Url};
use crate::jose::SigningKey;
use crate::resource::{KeySet, Resource};
use crate::resource_indicator::ResourceIndicator;
use crate::resource_metadata::ResourceChallenge;
use crate::rng::Rng;
use crate::server::{
    ClientAuthMethod, ClientIdMetadataDocuments, ClientRegistration, DynamicRegistration, GrantType,
};
use crate::tool_server::{Tool, ToolServer};
use crate::types::{ClientId, RedirectUri, Scope};

/// The tool server's MCP endpoint: its resource identifier.
pub const TOOLS: &str = "https://tools.example/mcp";
/// The agent's own site: its callback and its metadata document.
pub const AGENT_ORIGIN: &str = "https://agent.example";
pub const AGENT_CALLBACK: &str = "https://agent.example/callback";
/// Where the agent publishes its Client ID Metadata Document, which is
/// then its client ID.
pub const CLIENT_ID_URL: &str = "https://agent.example/oauth/client.json";
/// The client ID the agent is given beforehand, when it is.
pub const PRE_REGISTERED_ID: &str = "calendar-agent";
/// The MCP revision the agent asks for.
const PROTOCOL_VERSION: &str = "2026-07-28";

const TOOL_CALL: [RfcRef; 1] = [RfcRef::new(6750, "2.1")];
const STEP_UP: [RfcRef; 2] = [RfcRef::new(6750, "3.1"), RfcRef::new(9728, "5.1")];

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

/// The result of an agent's run.
#[derive(Debug, Clone)]
pub struct AgentRun {
    pub trace: Vec<Exchange>,
    /// How the agent got its client ID, if it got one.
    pub registration: Option<Registration>,
    /// What the tools answered, in order.
    pub tool_results: Vec<String>,
    /// Why the run stopped early, or `None` if it ran to the end.
    pub stopped: Option<String>,
    pub end_time: UnixTime,
}

/// What the agent's chain left: how it ended, how it registered, what the
/// tools answered.
struct Session {
    result: Result<(), AgentStop>,
    registration: Option<Registration>,
    tool_results: Vec<String>,
}

/// Why the agent stopped, in a sentence.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AgentStop(pub String);

impl From<Stop> for AgentStop {
    fn from(stop: Stop) -> Self {
        Self(stop.to_string())
    }
}

/// What the agent knows as it goes.
#[derive(Debug)]
struct Agent {
    /// The tool server's resource identifier, in MCP's canonical form.
    resource: ResourceIndicator,
    client_id: String,
    /// The authorization server's issuer and metadata, once discovered.
    issuer: String,
    server: Value,
    access_token: Option<String>,
    /// What the agent's token grants.
    scope: Scope,
    /// The JSON-RPC id of the next request.
    id: u64,
    safeguards: AgentSafeguards,
    tool_results: Vec<String>,
}

impl Agent {
    /// An agent about to call the tool server at `resource`.
    fn new(resource: ResourceIndicator, safeguards: AgentSafeguards) -> Self {
        Self {
            safeguards,
            resource,
            client_id: String::new(),
            issuer: String::new(),
            server: Value::Null,
            access_token: None,
            scope: Scope::default(),
            id: 0,
            tool_results: Vec::new(),
        }
    }

    fn next_id(&mut self) -> u64 {
        self.id += 1;
        self.id
    }
}

impl AgentScenario {
    /// Runs the agent, calling `observer` after each exchange.
    pub fn run(
        &self,
        key: SigningKey,
        rng: &mut dyn Rng,
        observer: &mut dyn FnMut(&Exchange),
    ) -> AgentRun {
        let mut network = self.network(key, Box::new(rng));
        network.observer = Some(Box::new(observer));
        let mut browser = Browser::new(Default::default());
        let tools = [
            ("list_events", self.first_tool_scope.as_str()),
            ("create_event", self.second_tool_scope.as_str()),
        ];
        let session = self.connect(&mut network, &mut browser, TOOLS, &tools);
        AgentRun {
            end_time: network.clock.now(),
            trace: network.trace,
            registration: session.registration,
            tool_results: session.tool_results,
            stopped: session.result.err().map(|AgentStop(why)| why),
        }
    }

    /// The agent's whole chain against the tool server at `target`, then
    /// a call of each of `tools` (name, and the scope it needs).
    fn connect(
        &self,
        network: &mut Network<'_>,
        browser: &mut Browser,
        target: &str,
        tools: &[(&str, &str)],
    ) -> Session {
        let mut registration = None;
        // The tool server's resource identifier, in MCP's canonical form.
        let mut agent = match ResourceIndicator::parse(target) {
            Ok(resource) => Agent::new(resource.canonical(), self.safeguards),
            Err(error) => {
                return Session {
                    result: Err(AgentStop(error.to_string())),
                    registration,
                    tool_results: Vec::new(),
                };
            }
        };
        let result = self.play(network, browser, &mut agent, &mut registration, tools);
        Session {
            result,
            registration,
            tool_results: agent.tool_results,
        }
    }

    /// The network of the agent's run: the default scenario's authorization
    /// server and API, and beside them the tool server and the agent's
    /// site, with what the scenario says the server offers.
    fn network<'o>(&self, key: SigningKey, rng: Box<dyn Rng + 'o>) -> Network<'o> {
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

    fn play(
        &self,
        network: &mut Network<'_>,
        browser: &mut Browser,
        agent: &mut Agent,
        registration: &mut Option<Registration>,
        tool_calls: &[(&str, &str)],
    ) -> Result<(), AgentStop> {
        let tools = agent.resource.url().clone();
        // 1 to 3.
        let discovered = discovery::discover(network, agent, &tools)?;
        agent.issuer = discovered.issuer;
        agent.server = discovered.server;
        // 4.
        *registration = Some(registration::register(
            network,
            agent,
            self.pre_registered,
            &agent.server.clone(),
        )?);
        // 5. The scope the 401 named, which MCP makes authoritative for
        // the call; else what the tool server's metadata lists.
        let scope = discovered
            .scope
            .or_else(|| Some(discovered.resource.scopes_supported.join(" ")))
            .and_then(|text| Scope::parse(&text).ok())
            .unwrap_or_default();
        authorization::authorize(
            network,
            browser,
            agent,
            &self.user,
            &scope,
            "The agent sends the user's browser to the authorization server: code + PKCE, the \
             scope the tool server asked for, and resource naming the tool server (RFC 8707), \
             so that the token will be good there and nowhere else.",
        )?;
        // 6. The session, then each tool.
        let opened = self.call(network, agent, &tools, None)?;
        if opened.is_some() {
            return Err(AgentStop(
                "the tool server refused the session with the agent's token".into(),
            ));
        }
        for &tool in tool_calls {
            if let Some(needed) = self.call(network, agent, &tools, Some(tool))? {
                // Step-up: what the agent holds, and what the tool needs
                // (SEP-2350: the server names only the latter).
                let mut wider = agent.scope.to_string();
                wider.push(' ');
                wider.push_str(&needed);
                let wider = Scope::parse(&wider).unwrap_or_default();
                authorization::authorize(
                    network,
                    browser,
                    agent,
                    &self.user,
                    &wider,
                    "Step-up: the agent asks again, for the scopes it holds and the one the tool \
                     server named. The user is asked to consent to the wider access.",
                )?;
                if self.call(network, agent, &tools, Some(tool))?.is_some() {
                    return Err(AgentStop(format!(
                        "the tool server still refuses {} after the step-up",
                        tool.0
                    )));
                }
            }
        }
        Ok(())
    }

    /// One MCP request with the agent's token, `initialize` or a call of
    /// `tool` (its name, and the scope it needs): `None` when it went
    /// through (a tool's answer is kept), or the scope a 403 says it needs.
    fn call(
        &self,
        network: &mut Network<'_>,
        agent: &mut Agent,
        tools: &Url,
        tool: Option<(&str, &str)>,
    ) -> Result<Option<String>, AgentStop> {
        let id = agent.next_id();
        let token = agent.access_token.clone().unwrap_or_default();
        let (method, name) = match tool {
            Some((name, _)) => ("tools/call", Some(name)),
            None => ("initialize", None),
        };
        let request = mcp_request(tools, id, method, name)
            .with_header("Authorization", format!("Bearer {token}"));
        // Told from the scenario, which knows what the token grants.
        let (explanation, rfc_refs): (String, &[RfcRef]) = match tool {
            None => (
                "The agent opens its MCP session again, now with the access token.".into(),
                &TOOL_CALL,
            ),
            Some((name, needs)) if !agent.scope.contains(needs) => (
                format!(
                    "The agent calls the tool {name}, which needs the scope {needs}: the token                      does not grant it, so the tool server answers 403 insufficient_scope,                      naming {needs} (MCP step-up)."
                ),
                &STEP_UP,
            ),
            Some((name, _)) => (
                format!("The agent calls the tool {name} with its access token."),
                &TOOL_CALL,
            ),
        };
        let response = network.send(
            Party::Client,
            Channel::Back,
            false,
            request,
            explanation,
            rfc_refs,
        );
        if response.status == 403 {
            let challenge = response
                .challenges()
                .ok()
                .and_then(|challenges| ResourceChallenge::find(&challenges))
                .unwrap_or_default();
            return match (challenge.error.as_deref(), challenge.scope) {
                (Some("insufficient_scope"), Some(scope)) => Ok(Some(scope)),
                _ => Err(AgentStop("the tool server answered 403".into())),
            };
        }
        if response.status != 200 {
            return Err(AgentStop(format!(
                "the tool server answered {} to {method}",
                response.status
            )));
        }
        if tool.is_some() {
            let body = response.json_body().unwrap_or_default();
            let text = body
                .pointer("/result/content/0/text")
                .and_then(Value::as_str)
                .unwrap_or_default();
            agent.tool_results.push(text.to_owned());
        }
        Ok(None)
    }
}

/// An MCP request (JSON-RPC 2.0 over Streamable HTTP): `initialize`, or a
/// `tools/call` of `tool`.
fn mcp_request(tools: &Url, id: u64, method: &str, tool: Option<&str>) -> Request {
    let params = match tool {
        Some(name) => json!({ "name": name, "arguments": {} }),
        None => json!({
            "protocolVersion": PROTOCOL_VERSION,
            "capabilities": {},
            "clientInfo": { "name": "calendar-agent", "version": "1.0.0" },
        }),
    };
    let body = json!({ "jsonrpc": "2.0", "id": id, "method": method, "params": params });
    Request {
        method: Method::Post,
        body: body.to_string(),
        ..Request::get(tools.clone())
    }
    .with_header("Content-Type", "application/json")
    .with_header("Accept", "application/json, text/event-stream")
}
