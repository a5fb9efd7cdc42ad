//! Tokens read from localStorage by an injected script
//! (draft-ietf-oauth-browser-based-apps-26 section 5.1.1, on storage
//! section 8.5): a browser app that keeps its tokens where any script in
//! the page reads them. Tokens bound to a key the page cannot export
//! (DPoP, RFC 9449), so that they are worthless anywhere else, is the
//! defence the lab can switch: RFC 9700 section 4.14.2 asks that a public
//! client's refresh tokens be sender-constrained or rotated.

use super::attack::Outcome;
use super::moves::{attacker_refreshes, attacker_uses_tokens, script_steals_tokens};
use crate::sim::browser::Browser;
use crate::sim::client::Client;
use crate::sim::network::Network;
use crate::sim::scenario::Scenario;
use crate::sim::trace::RfcRef;

const READ_STORAGE: [RfcRef; 2] = [RfcRef::new(6750, "5.1"), RfcRef::new(9449, "11.4")];

/// The victim signs in; the script takes both tokens; the attacker
/// refreshes from her own machine, then calls the API.
pub(super) fn tokens_in_storage(
    scenario: &Scenario,
    network: &mut Network<'_>,
    browser: &mut Browser,
    client: &mut Client,
) -> Outcome {
    let refresh = match script_steals_tokens(
        scenario,
        network,
        browser,
        client,
        true,
        "The app keeps both tokens in localStorage. A script injected into the page reads them \
         and sends them to the attacker.",
        &READ_STORAGE,
    ) {
        Ok(refresh) => refresh,
        Err(outcome) => return outcome,
    };
    // The user closes the tab; the attacker acts from her own machine.
    network.clock.advance(60);
    attacker_refreshes(
        network,
        &refresh,
        &scenario.client.client_id,
        "From her own machine, the attacker refreshes with the stolen refresh token. One bound \
         to the app's DPoP key needs a proof signed with that key, which the script could not \
         take.",
    );
    attacker_uses_tokens(network)
}
