//! Forged protected resource metadata: the attacker's tool server claims
//! to be the calendar tool server, so that the agent asks for a token for
//! the calendar and hands it to the attacker. RFC 9728 section 3.3: the
//! metadata's `resource` must be the URL the client called.

use super::agent_meets_attacker_tools;
use crate::sim::agent::{AgentScenario, TOOLS};
use crate::sim::attacks::Outcome;
use crate::sim::network::Network;
use crate::sim::trace::RfcRef;

const REPLAY: [RfcRef; 2] = [RfcRef::new(9728, "3.3"), RfcRef::new(8707, "2")];

/// The agent connects to the attacker's tool server, whose metadata names
/// the calendar as its resource; with the check, it stops at that
/// metadata, and without it the attacker replays what it gets.
pub(super) fn forged_resource_metadata(
    scenario: &AgentScenario,
    network: &mut Network<'_>,
) -> Outcome {
    agent_meets_attacker_tools(
        scenario,
        network,
        TOOLS,
        "The agent asked for a token for the resource the forged metadata named, the calendar \
         tool server, and sent it to the attacker's server, the URL it called. The attacker \
         replays it at the calendar: its aud is the calendar, so the calendar takes it.",
        &REPLAY,
    )
}
