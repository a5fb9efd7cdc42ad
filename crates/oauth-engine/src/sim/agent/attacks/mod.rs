//! The attacks the agent profile exists to stop, in the attack lab's
//! contract: each runs for real on the agent's network, once with its
//! defence off (what the attacker gets) and once with it on (the refusing
//! step and its error), the outcome read from the responses.
//!
//! One file per attack; `attacker_tools.rs` is the attacker's own tool
//! server, which two of them use. Run apart from the lab's attacks
//! (`sim::attacks`), like the agent itself, so that a build without the
//! agent leaves them out.

mod attacker_tools;
mod client_documents;
mod forged_metadata;
mod passthrough;
mod replay;

use super::tools::mcp_request;
use super::{AgentSafeguards, AgentScenario, Downstream, TOOLS};
use crate::channel::Channel;
use crate::jose::SigningKey;
use crate::resource_indicator::ResourceIndicator;
use crate::rng::SeededRng;
use crate::sim::attacks::Outcome;
use crate::sim::attacks::moves::refusal;
use crate::sim::network::Network;
use crate::sim::trace::{Exchange, Party, RfcRef};
use attacker_tools::AttackerToolServer;

/// The attacker's tool server: a note-taking one the user added.
const ATTACKER_TOOLS: &str = "https://notes.attacker.example/mcp";

/// An attack on the agent profile.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum AgentAttack {
    TokenPassthrough,
    ReplayAtAnotherToolServer,
    ForgedResourceMetadata,
    ClientIdMetadataRedirect,
    ClientIdMetadataSsrf,
}

impl AgentAttack {
    pub const ALL: [AgentAttack; 5] = [
        Self::TokenPassthrough,
        Self::ReplayAtAnotherToolServer,
        Self::ForgedResourceMetadata,
        Self::ClientIdMetadataRedirect,
        Self::ClientIdMetadataSsrf,
    ];

    /// The attack's name in a URL.
    pub fn slug(self) -> &'static str {
        match self {
            Self::TokenPassthrough => "token-passthrough",
            Self::ReplayAtAnotherToolServer => "tool-token-replay",
            Self::ForgedResourceMetadata => "forged-resource-metadata",
            Self::ClientIdMetadataRedirect => "client-document-redirect",
            Self::ClientIdMetadataSsrf => "client-document-ssrf",
        }
    }

    pub fn from_slug(slug: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|attack| attack.slug() == slug)
    }

    pub fn title(self) -> &'static str {
        match self {
            Self::TokenPassthrough => "Token passthrough (confused deputy)",
            Self::ReplayAtAnotherToolServer => "Token replayed at another tool server",
            Self::ForgedResourceMetadata => "Forged protected resource metadata",
            Self::ClientIdMetadataRedirect => "Client ID metadata document with a foreign redirect",
            Self::ClientIdMetadataSsrf => "Client ID URL pointing into the server's network",
        }
    }

    /// How the attack works, and why the defence stops it.
    pub fn explanation(self) -> &'static str {
        match self {
            Self::TokenPassthrough => {
                "To run a tool, the tool server calls the calendar API for Alice, and instead of \
                 getting a token of its own it forwards the one the agent sent it. Alice agreed \
                 to let the agent use the calendar tools; she never agreed that the tool server \
                 may act as her at the API, and the API's logs now show a client that never \
                 asked. An API that checks aud refuses a token issued for the tool server. A \
                 tool server that needs the API exchanges the token (RFC 8693) for one whose \
                 audience is the API and whose act names the tool server."
            }
            Self::ReplayAtAnotherToolServer => {
                "Alice's agent also uses a note-taking tool server that the attacker runs. The \
                 agent asks for its token without naming the tool server (no resource), so the \
                 token is good wherever the issuer is trusted; the attacker's tool server \
                 replays it at the calendar tool server, which checks only the signature. With \
                 resource indicators the token names the notes server as its audience, and the \
                 calendar tool server, checking aud, refuses it."
            }
            Self::ForgedResourceMetadata => {
                "The attacker's tool server publishes metadata that claims to be the calendar \
                 tool server: its resource is https://tools.example/mcp. An agent that believes \
                 it asks the authorization server for a token for the calendar tools, Alice \
                 approves, and the agent sends that token to the attacker's server, the URL it \
                 called, which replays it at the calendar. The token's audience is right, so \
                 the calendar takes it. An agent that checks that the metadata's resource is \
                 the URL it called (RFC 9728 section 3.3) refuses the document and never asks."
            }
            Self::ClientIdMetadataRedirect => {
                "The agent's site lets users upload files, and the attacker uploads a client ID \
                 metadata document there: the name \"Calendar agent\", and a redirect URI on \
                 attacker.example. She sends Alice a link to the authorization server with that \
                 URL as client_id. The consent page shows a trusted name on a trusted host, \
                 Alice approves, and the code goes to the attacker, who redeems it with her own \
                 PKCE verifier. A server that refuses a document whose redirect URIs are on \
                 another host than its URL shows an error instead."
            }
            Self::ClientIdMetadataSsrf => {
                "A client ID that is a URL makes the authorization server fetch it. The \
                 attacker sends an authorization request whose client_id is the cloud metadata \
                 address, 169.254.169.254, which answers only from inside the server's network, \
                 with the instance's credentials. A server that fetches it has run a request \
                 the attacker chose inside its own network (server-side request forgery). A \
                 server that refuses special-use addresses never sends it."
            }
        }
    }

    /// The defence the toggle switches on.
    pub fn defence(self) -> &'static str {
        match self {
            Self::TokenPassthrough => "API checks the token's audience",
            Self::ReplayAtAnotherToolServer => {
                "Agent sends resource, tool server checks the audience"
            }
            Self::ForgedResourceMetadata => "Agent checks the metadata's resource",
            Self::ClientIdMetadataRedirect => "Server refuses redirect URIs on another host",
            Self::ClientIdMetadataSsrf => "Server refuses special-use addresses",
        }
    }

    /// Every RFC section that bears on the attack.
    pub fn refs(self) -> Vec<RfcRef> {
        let refs: &[RfcRef] = match self {
            Self::TokenPassthrough => &[
                RfcRef::new(9700, "2.3"),
                RfcRef::new(9068, "4"),
                RfcRef::new(8693, "1.1"),
            ],
            Self::ReplayAtAnotherToolServer => &[
                RfcRef::new(9700, "2.3"),
                RfcRef::new(8707, "1"),
                RfcRef::new(9068, "4"),
            ],
            Self::ForgedResourceMetadata => &[RfcRef::new(9728, "3.3"), RfcRef::new(8707, "2")],
            Self::ClientIdMetadataRedirect => {
                &[RfcRef::new(9700, "4.1"), RfcRef::new(6749, "10.6")]
            }
            Self::ClientIdMetadataSsrf => &[RfcRef::new(6890, "2.2.2")],
        };
        refs.to_vec()
    }
}

/// One run of an attack on the agent profile.
#[derive(Debug, Clone, PartialEq)]
pub struct AgentAttackRun {
    pub attack: AgentAttack,
    pub defended: bool,
    pub trace: Vec<Exchange>,
    pub outcome: Outcome,
}

/// Runs `attack` with its defence on or off, signed with `key`.
pub fn run_agent_attack(
    attack: AgentAttack,
    defended: bool,
    seed: u64,
    key: SigningKey,
) -> AgentAttackRun {
    let safeguards = AgentSafeguards {
        send_resource: defended || attack != AgentAttack::ReplayAtAnotherToolServer,
        check_resource_metadata: defended || attack != AgentAttack::ForgedResourceMetadata,
        check_audience: defended
            || !matches!(
                attack,
                AgentAttack::TokenPassthrough | AgentAttack::ReplayAtAnotherToolServer
            ),
        check_client_documents: defended
            || !matches!(
                attack,
                AgentAttack::ClientIdMetadataRedirect | AgentAttack::ClientIdMetadataSsrf
            ),
    };
    let scenario = AgentScenario {
        seed,
        safeguards,
        // One tool is enough to show each attack: no step-up.
        second_tool_scope: "calendar.read".into(),
        downstream: if attack == AgentAttack::TokenPassthrough {
            Downstream::Passthrough
        } else {
            Downstream::None
        },
        ..AgentScenario::default()
    };
    let mut rng = SeededRng::new(seed);
    let mut network = scenario.network(key, Box::new(&mut rng));
    let outcome = match attack {
        AgentAttack::TokenPassthrough => passthrough::token_passthrough(&scenario, &mut network),
        AgentAttack::ReplayAtAnotherToolServer => {
            replay::replay_at_another_tool_server(&scenario, &mut network)
        }
        AgentAttack::ForgedResourceMetadata => {
            forged_metadata::forged_resource_metadata(&scenario, &mut network)
        }
        AgentAttack::ClientIdMetadataRedirect => {
            client_documents::foreign_redirect(&scenario, &mut network)
        }
        AgentAttack::ClientIdMetadataSsrf => client_documents::ssrf(&mut network),
    };
    AgentAttackRun {
        attack,
        defended,
        trace: network.trace,
        outcome,
    }
}

/// Puts the attacker's tool server on `network`, claiming `claims` as its
/// resource and asking for `scope`, and has the authorization server issue
/// tokens for it.
fn add_attacker_tools(network: &mut Network<'_>, claims: &str, scope: &str) {
    let (Ok(url), Ok(claims_resource)) = (
        ResourceIndicator::parse(ATTACKER_TOOLS),
        ResourceIndicator::parse(claims),
    ) else {
        return;
    };
    network.server.protect_resource(ATTACKER_TOOLS);
    let issuer = network.server.issuer_id();
    network.add_host(Box::new(AttackerToolServer {
        url,
        claims_resource,
        issuer,
        scope: scope.into(),
    }));
}

/// The agent connects to the attacker's tool server, which claims
/// `claims` as its resource; the attacker then replays at the calendar
/// tool server the token it received, as `explanation` tells.
fn agent_meets_attacker_tools(
    scenario: &AgentScenario,
    network: &mut Network<'_>,
    claims: &str,
    explanation: &str,
    rfc_refs: &[RfcRef],
) -> Outcome {
    add_attacker_tools(network, claims, &scenario.first_tool_scope);
    let mut browser = crate::sim::browser::Browser::new(Default::default());
    let tool = [("take_notes", scenario.first_tool_scope.as_str())];
    let session = scenario.connect(network, &mut browser, ATTACKER_TOOLS, &tool);
    // An agent that refuses the attacker's metadata stops there.
    if let Err(super::AgentStop(why)) = session.result {
        return stopped_at_last(network, &why);
    }
    let Some(token) = token_sent_to_attacker(network) else {
        return stopped_at_last(network, "the agent sent the attacker no token");
    };
    attacker_creates_event(network, &token, explanation, rfc_refs)
}

/// The token the agent sent the attacker's tool server, read from what
/// that server received.
fn token_sent_to_attacker(network: &Network<'_>) -> Option<String> {
    network
        .trace
        .iter()
        .rev()
        .filter(|exchange| exchange.to == Party::Attacker)
        .find_map(|exchange| exchange.request.headers.get("Authorization"))
        .and_then(|value| value.strip_prefix("Bearer "))
        .map(str::to_owned)
}

/// The attacker calls the calendar tool `create_event` with `token`; the
/// outcome is read from the tool server's answer.
fn attacker_creates_event(
    network: &mut Network<'_>,
    token: &str,
    explanation: &str,
    rfc_refs: &[RfcRef],
) -> Outcome {
    let tools = ResourceIndicator::parse(TOOLS).map(|tools| tools.url().clone());
    let Ok(url) = tools else {
        return stopped_at_last(network, "no tool server");
    };
    // The same MCP request the agent would send, with Alice's token.
    let request = mcp_request(&url, 1, "tools/call", Some("create_event"))
        .with_header("Authorization", format!("Bearer {token}"));
    let response = network.send(
        Party::Attacker,
        Channel::Back,
        false,
        request,
        explanation,
        rfc_refs,
    );
    let step = network.trace.len() - 1;
    match refusal(&response) {
        Some(error) => Outcome::Stopped { step, error },
        None => {
            let answer = response.json_body().unwrap_or_default();
            let text = answer
                .pointer("/result/content/0/text")
                .and_then(serde_json::Value::as_str)
                .unwrap_or_default();
            Outcome::Succeeded {
                step,
                gained: format!(
                    "The attacker calls create_event on Alice's calendar with her token, and the \
                     calendar tool server answers \"{text}\""
                ),
            }
        }
    }
}

/// The attack stopped at the last exchange, for `why`.
fn stopped_at_last(network: &Network<'_>, why: &str) -> Outcome {
    Outcome::Stopped {
        step: network.trace.len().saturating_sub(1),
        error: why.to_owned(),
    }
}
