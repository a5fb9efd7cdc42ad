//! Refresh token theft (RFC 9700 section 4.14.2): a stolen refresh token
//! used before the client's; rotation with reuse detection is the defence.

use super::attack::Outcome;
use super::moves::{attacker_refreshes, attacker_uses_tokens, script_steals_tokens};
use crate::sim::browser::Browser;
use crate::sim::client::Client;
use crate::sim::flows::steps::call_api_again_later;
use crate::sim::network::Network;
use crate::sim::scenario::Scenario;
use crate::sim::trace::RfcRef;

const STEAL_REFRESH: [RfcRef; 2] = [RfcRef::new(9700, "4.14"), RfcRef::new(6749, "10.4")];

/// A 6. Refresh token theft, then who refreshes first.
pub(super) fn refresh_token_theft(
    scenario: &Scenario,
    network: &mut Network<'_>,
    browser: &mut Browser,
    client: &mut Client,
) -> Outcome {
    // This app keeps its refresh token in the browser's storage.
    let stolen = match script_steals_tokens(
        scenario,
        network,
        browser,
        client,
        false,
        "A script injected into the app (cross-site scripting, a compromised dependency) reads \
         the refresh token from the browser's storage and sends it to the attacker.",
        &STEAL_REFRESH,
    ) {
        Ok(stolen) => stolen,
        Err(outcome) => return outcome,
    };
    let client_id = scenario.client.client_id.clone();
    let response = attacker_refreshes(
        network,
        &stolen,
        &client_id,
        "The attacker uses the stolen refresh token first: it gets an access token and, if the \
         server rotates, the next refresh token.",
    );
    let newest = response
        .json_body()
        .and_then(|body| body["refresh_token"].as_str().map(str::to_owned))
        .unwrap_or_else(|| stolen.clone());
    // The access tokens expire; the client refreshes with what it holds.
    network.clock.advance(400);
    let _ = call_api_again_later(scenario, network, client);
    network.clock.advance(60);
    attacker_refreshes(
        network,
        &newest,
        &client_id,
        "Later the attacker wants a fresh access token and refreshes again with the newest \
         refresh token it holds.",
    );
    attacker_uses_tokens(network)
}
