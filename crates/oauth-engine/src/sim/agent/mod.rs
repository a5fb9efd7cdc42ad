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
pub mod glossary;
mod registration;
mod scenario;
mod tool_host;
mod tools;

use serde_json::Value;

pub use registration::{Registration, agent_metadata, metadata_document};
pub use scenario::{AgentSafeguards, AgentScenario};
pub use tool_host::{CALENDAR_PATH, Downstream, TOOL_SERVER_CLIENT, ToolHost};

use super::browser::Browser;
use super::network::Network;
use super::stop::Stop;
use super::trace::Exchange;
use crate::clock::UnixTime;
use crate::jose::SigningKey;
use crate::resource_indicator::ResourceIndicator;
use crate::rng::Rng;
use crate::types::Scope;

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
        let opened = tools::call(network, agent, &tools, None)?;
        if opened.is_some() {
            return Err(AgentStop(
                "the tool server refused the session with the agent's token".into(),
            ));
        }
        for &tool in tool_calls {
            if let Some(needed) = tools::call(network, agent, &tools, Some(tool))? {
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
                if tools::call(network, agent, &tools, Some(tool))?.is_some() {
                    return Err(AgentStop(format!(
                        "the tool server still refuses {} after the step-up",
                        tool.0
                    )));
                }
            }
        }
        Ok(())
    }
}
