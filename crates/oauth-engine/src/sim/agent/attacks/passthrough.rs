//! Token passthrough (MCP authorization, revision 2026-07-28, "Token
//! Passthrough"): the tool server forwards the token the agent sent it to
//! the calendar API; an API that checks `aud` refuses it (RFC 9068 section
//! 4).

use super::{refusal, stopped_at_last};
use crate::sim::agent::{AgentScenario, AgentStop, CALENDAR_PATH, TOOLS};
use crate::sim::attacks::Outcome;
use crate::sim::browser::Browser;
use crate::sim::network::Network;
use crate::sim::trace::Party;

/// The agent's chain and its first tool call; the outcome is the tool
/// server's call to the API with the agent's token.
pub(super) fn token_passthrough(scenario: &AgentScenario, network: &mut Network<'_>) -> Outcome {
    let mut browser = Browser::new(Default::default());
    let tool = [("list_events", scenario.first_tool_scope.as_str())];
    let session = scenario.connect(network, &mut browser, TOOLS, &tool);
    let forwarded = network.trace.iter().position(|exchange| {
        exchange.from == Party::ToolServer && exchange.request.url.path == CALENDAR_PATH
    });
    let Some(step) = forwarded else {
        let why = session.result.err().map_or_else(
            || "the tool server never called the API".to_owned(),
            |AgentStop(why)| why,
        );
        return stopped_at_last(network, &why);
    };
    let response = &network.trace[step].response;
    match refusal(response) {
        Some(error) => Outcome::Stopped { step, error },
        None => Outcome::Succeeded {
            step,
            gained: format!(
                "The tool server reads Alice's calendar at the API, {}, with the token her agent \
                 got for the tool server alone: the API took a token that was never meant for it",
                response.body
            ),
        },
    }
}
