//! A token replayed at another tool server: the attacker's tool server
//! replays the token the agent sent it at the calendar tool server.
//! Resource indicators (RFC 8707) make the token's audience the attacker's
//! server, and a tool server that checks `aud` refuses it (MCP "Token
//! Audience Binding and Validation").

use super::{ATTACKER_TOOLS, agent_meets_attacker_tools};
use crate::sim::agent::AgentScenario;
use crate::sim::attacks::Outcome;
use crate::sim::network::Network;
use crate::sim::trace::RfcRef;

const REPLAY: [RfcRef; 3] = [
    RfcRef::new(8707, "1"),
    RfcRef::new(9068, "4"),
    RfcRef::new(9700, "2.3"),
];

/// The agent connects to the attacker's note-taking tool server, which
/// then calls the calendar with the token it received.
pub(super) fn replay_at_another_tool_server(
    scenario: &AgentScenario,
    network: &mut Network<'_>,
) -> Outcome {
    let explanation = if scenario.safeguards.send_resource {
        "The note-taking tool server, run by the attacker, replays the token Alice's agent sent \
         it at the calendar tool server. Its aud is the notes server, named as resource when the \
         agent asked for it."
    } else {
        "The note-taking tool server, run by the attacker, replays the token Alice's agent sent \
         it at the calendar tool server. The agent named no resource, so nothing in the token \
         says which server it is for."
    };
    agent_meets_attacker_tools(scenario, network, ATTACKER_TOOLS, explanation, &REPLAY)
}
