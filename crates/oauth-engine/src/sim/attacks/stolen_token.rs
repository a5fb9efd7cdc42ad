//! A stolen access token replayed (RFC 9700 section 4.10): the token,
//! copied from the API's log, is used from the attacker's machine; tokens
//! bound to the client's DPoP key (RFC 9449) are the defence.

use super::attack::Outcome;
use super::moves::{
    api_outcome, attacker_calls_api, last, no_randomness, profile, refusal, stopped_here,
    victim_completes_sign_in,
};
use crate::channel::Channel;
use crate::dpop::{DpopKey, ProofClaims, TOKEN_TYPE};
use crate::http::Request;
use crate::sim::browser::Browser;
use crate::sim::client::Client;
use crate::sim::flows::steps::api_url;
use crate::sim::network::Network;
use crate::sim::scenario::Scenario;
use crate::sim::trace::{Party, RfcRef};

/// The token leaked at the resource server (RFC 9700 section 4.9) and is
/// used elsewhere (section 4.10).
const STOLEN: [RfcRef; 3] = [
    RfcRef::new(9700, "4.10"),
    RfcRef::new(6750, "5.3"),
    RfcRef::new(9449, "7.2"),
];
/// A proof signed with a key the token is not bound to.
const OWN_KEY: [RfcRef; 3] = [
    RfcRef::new(9449, "7.1"),
    RfcRef::new(9449, "6.1"),
    RfcRef::new(9700, "4.10.1"),
];

/// A 9. The victim's client signs in and calls the API; the attacker
/// replays its access token from another machine, as a bearer token and,
/// if the API wants a proof, with one signed by her own key.
pub(super) fn stolen_token_replay(
    scenario: &Scenario,
    network: &mut Network<'_>,
    browser: &mut Browser,
    client: &mut Client,
) -> Outcome {
    if let Err(outcome) = victim_completes_sign_in(scenario, network, browser, client) {
        return outcome;
    }
    let Some(token) = client
        .tokens
        .as_ref()
        .map(|tokens| tokens.access_token.secret().to_owned())
    else {
        return stopped_here(network);
    };
    network.clock.advance(30);
    attacker_calls_api(
        network,
        &token,
        "The API writes each request to its log, Authorization header included. Half a minute \
         later the attacker, who reads that log, calls the API from her own machine with Alice's \
         access token as a bearer token.",
        &STOLEN,
    );
    let step = last(network);
    if refusal(&network.trace[step].response).is_none() {
        return api_outcome(network, |body| {
            format!("The attacker reads {}", profile(body))
        });
    }
    // RFC 9449 section 7.2: a DPoP-bound token presented as a bearer token
    // is refused. The attacker tries the DPoP scheme with a key of her own.
    with_own_key(network, &token)
}

/// The attacker signs a proof for her call with a key she made herself:
/// a valid proof, but the token's `cnf.jkt` is the client's key's
/// thumbprint (RFC 9449 sections 6.1 and 7.1).
fn with_own_key(network: &mut Network<'_>, token: &str) -> Outcome {
    let Some(support) = network.support else {
        return stopped_here(network);
    };
    let url = api_url();
    let now = network.clock.now();
    let signed = DpopKey::generate(&mut *network.rng, support.es256).and_then(|key| {
        ProofClaims::for_request(crate::http::Method::Get, &url, now, &mut *network.rng)
            .map(|claims| key.proof(&claims.presenting(token)))
    });
    let Ok(proof) = signed else {
        return no_randomness(network);
    };
    let request = Request::get(url)
        .with_header("Authorization", format!("{TOKEN_TYPE} {token}"))
        .with_header("DPoP", proof);
    network.send(
        Party::Attacker,
        Channel::Back,
        false,
        request,
        "The API answers that the token is bound to a DPoP key. The attacker makes a key pair \
         of her own, signs a proof for this request with it, and presents the token with the \
         DPoP scheme. The proof is valid, but its key is not the one whose thumbprint the token \
         carries in cnf.jkt.",
        &OWN_KEY,
    );
    api_outcome(network, |body| {
        format!("The attacker reads {}", profile(body))
    })
}
