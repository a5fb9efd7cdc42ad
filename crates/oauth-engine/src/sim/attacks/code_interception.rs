//! Authorization code interception (RFC 9700 section 2.1.1, RFC 8252
//! section 8.1): an app that claimed the native app's URI scheme gets the
//! code, and PKCE is the defence.

use super::attack::Outcome;
use super::moves::{intercept_and_redeem, no_randomness, victim_signs_in};
use crate::sim::browser::Browser;
use crate::sim::client::Client;
use crate::sim::network::Network;
use crate::sim::scenario::Scenario;
use crate::sim::trace::RfcRef;

/// A 2. Code interception by an app that claimed the same URI scheme.
pub(super) fn code_interception(
    scenario: &Scenario,
    network: &mut Network<'_>,
    browser: &mut Browser,
    client: &mut Client,
) -> Outcome {
    network.attacker.origins.push("com.example.app:".into());
    let Ok(authorize) =
        client.authorization_url(&network.server.endpoint("/authorize"), &mut *network.rng)
    else {
        return no_randomness(network);
    };
    let explanation = if client.settings.safeguards.use_pkce {
        "The native app opens the system browser at the authorization endpoint, with a \
         code_challenge made from a verifier it keeps to itself."
    } else {
        "The native app opens the system browser at the authorization endpoint, without PKCE."
    };
    let redirect = match victim_signs_in(
        scenario,
        network,
        browser,
        authorize,
        explanation,
        &[RfcRef::new(8252, "6"), RfcRef::new(7636, "4.3")],
    ) {
        Ok(redirect) => redirect,
        Err(stopped) => return stopped,
    };
    intercept_and_redeem(scenario, network, browser, &redirect, None)
}
