//! Forged protected resource metadata: the attacker's tool server claims
//! to be the calendar tool server, so that the agent asks for a token for
//! the calendar and hands it to the attacker. RFC 9728 section 3.3: the
//! metadata's `resource` must be the URL the client called.

use super::{
    ATTACKER_TOOLS, add_attacker_tools, attacker_creates_event, stopped_at_last,
    token_sent_to_attacker,
};
use crate::sim::agent::{AgentScenario, AgentStop, TOOLS};
use crate::sim::attacks::Outcome;
use crate::sim::browser::Browser;
use crate::sim::network::Network;
use crate::sim::trace::RfcRef;

const REPLAY: [RfcRef; 2] = [RfcRef::new(9728, "3.3"), RfcRef::new(8707, "2")];

/// The agent connects to the attacker's tool server, whose metadata names
/// the calendar as its resource; the attacker replays what it gets.
pub(super) fn forged_resource_metadata(
    scenario: &AgentScenario,
    network: &mut Network<'_>,
) -> Outcome {
    add_attacker_tools(network, TOOLS, &scenario.first_tool_scope);
    let mut browser = Browser::new(Default::default());
    let tool = [("take_notes", scenario.first_tool_scope.as_str())];
    let session = scenario.connect(network, &mut browser, ATTACKER_TOOLS, &tool);
    // With the check, the agent stops at the metadata it refuses.
    if let Err(AgentStop(why)) = session.result {
        return stopped_at_last(network, &why);
    }
    let Some(token) = token_sent_to_attacker(network) else {
        return stopped_at_last(network, "the agent sent the attacker no token");
    };
    attacker_creates_event(
        network,
        &token,
        "The agent asked for a token for the resource the forged metadata named, the calendar \
         tool server, and sent it to the attacker's server, the URL it called. The attacker \
         replays it at the calendar: its aud is the calendar, so the calendar takes it.",
        &REPLAY,
    )
}
