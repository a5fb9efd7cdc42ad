//! Implicit grant token leakage (RFC 9700 section 2.1.2): the token in the
//! fragment reaches a third-party script; the code flow with PKCE is the
//! defence.

use super::attack::Outcome;
use super::moves::{
    api_outcome, attacker_calls_api, attacker_redeems_code, attacker_uses_tokens, passed, profile,
    query_param, stopped_here,
};
use crate::form::decode_form;
use crate::http::Url;
use crate::sim::browser::Browser;
use crate::sim::client::Client;
use crate::sim::network::Network;
use crate::sim::run::play;
use crate::sim::scenario::Scenario;
use crate::sim::trace::{Party, RfcRef};

const LEAKED_BY_SCRIPT: [RfcRef; 2] = [RfcRef::new(9700, "2.1.2"), RfcRef::new(9700, "4.3.2")];

/// A 8. What the analytics script reports, used by whoever runs it.
pub(super) fn implicit_leakage(
    scenario: &Scenario,
    network: &mut Network<'_>,
    browser: &mut Browser,
    client: &mut Client,
) -> Outcome {
    let _ = play(scenario, network, browser, client);
    // What the analytics site received: the page address its script read.
    let reported = network
        .trace
        .iter()
        .rev()
        .filter(|e| e.to == Party::ThirdParty && e.request.url.path == "/collect")
        .find_map(|e| query_param(&e.request.url, "page"))
        .and_then(|page| Url::parse(&page).ok());
    let Some(reported) = reported else {
        return stopped_here(network);
    };
    let in_fragment = decode_form(reported.fragment.as_deref().unwrap_or_default())
        .unwrap_or_default()
        .into_iter()
        .find(|(name, _)| name == "access_token")
        .map(|(_, token)| token);
    network.clock.advance(10);
    if let Some(token) = in_fragment {
        attacker_calls_api(
            network,
            &token,
            "Whoever runs analytics.example (or has broken into it) reads the reported page \
             addresses and finds the access token in a fragment. They call the API with it.",
            &LEAKED_BY_SCRIPT,
        );
        return api_outcome(network, |body| {
            format!("The attacker reads {}", profile(body))
        });
    }
    let Some(code) = query_param(&reported, "code") else {
        return stopped_here(network);
    };
    attacker_redeems_code(
        network,
        &code,
        &scenario.client.redirect_uri,
        &scenario.client.client_id,
        None,
        "Whoever runs analytics.example finds only a code in the reported address. They try to \
         redeem it, without the code_verifier, which never left the client, and after the \
         client has used the code.",
        &LEAKED_BY_SCRIPT,
    );
    match passed(network) {
        Err(stopped) => stopped,
        Ok(_) => attacker_uses_tokens(network),
    }
}
