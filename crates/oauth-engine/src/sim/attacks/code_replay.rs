//! Authorization code replay (RFC 9700 section 4.3.1): a code read from the
//! history is redeemed again; single use with revocation is the defence.

use super::attack::Outcome;
use super::moves::{
    attacker_redeems_code, attacker_uses_tokens, last, query_param, refusal, stopped_here,
    victim_completes_sign_in,
};
use crate::channel::Channel;
use crate::sim::browser::Browser;
use crate::sim::client::Client;
use crate::sim::flows::steps::api_url;
use crate::sim::network::Network;
use crate::sim::scenario::Scenario;
use crate::sim::trace::{Party, RfcRef};

const REPLAY: [RfcRef; 3] = [
    RfcRef::new(6749, "4.1.2"),
    RfcRef::new(6749, "10.5"),
    RfcRef::new(9700, "4.3.1"),
];
const AFTER_REVOCATION: [RfcRef; 2] = [RfcRef::new(6749, "4.1.2"), RfcRef::new(6750, "3.1")];

/// A 4. Code replay from the history, after the client redeemed it.
pub(super) fn code_replay(
    scenario: &Scenario,
    network: &mut Network<'_>,
    browser: &mut Browser,
    client: &mut Client,
) -> Outcome {
    if let Err(outcome) = victim_completes_sign_in(scenario, network, browser, client) {
        return outcome;
    }
    let Some(code) = browser
        .history
        .iter()
        .find_map(|url| query_param(url, "code"))
    else {
        return stopped_here(network);
    };
    network.clock.advance(20);
    attacker_redeems_code(
        network,
        &code,
        &scenario.client.redirect_uri,
        &scenario.client.client_id,
        None,
        "Twenty seconds later the attacker, who can read the browser's history (a shared \
         computer, a synced profile), finds the callback address and redeems its code again. \
         The client has used it already.",
        &REPLAY,
    );
    let step = last(network);
    let refused = refusal(&network.trace[step].response);
    match refused {
        None => attacker_uses_tokens(network),
        Some(error) => {
            // The tokens the first redemption issued are revoked: the
            // client's next call shows it.
            let request = client.api_request(&api_url());
            network.send(
                Party::Client,
                Channel::Back,
                false,
                request,
                "The client calls the API again with the token it got from the code. The server \
                 revoked it when the code came back a second time, so the API refuses it.",
                &AFTER_REVOCATION,
            );
            Outcome::Stopped { step, error }
        }
    }
}
