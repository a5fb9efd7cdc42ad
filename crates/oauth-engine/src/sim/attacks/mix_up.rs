//! Mix-up (RFC 9700 section 4.4): the attacker's authorization server relays
//! to the honest one; the client's check of iss is the defence.

use super::attack::Outcome;
use super::moves::{
    STOLEN_CODE, attacker_redeems_code, attacker_url, attacker_uses_tokens, callback_page, last,
    location, no_randomness, passed, stopped_here, victim_signs_in,
};
use crate::channel::Channel;
use crate::http::{Request, Response};
use crate::sim::attacker::{ATTACKER, Forward};
use crate::sim::browser::Browser;
use crate::sim::client::Client;
use crate::sim::flows::steps::keep_pending_in_browser;
use crate::sim::network::{Network, navigate};
use crate::sim::scenario::Scenario;
use crate::sim::trace::{Party, RfcRef};

const MIX_UP: [RfcRef; 2] = [RfcRef::new(9700, "4.4.1"), RfcRef::new(9207, "2")];
const MIX_UP_CALLBACK: [RfcRef; 2] = [RfcRef::new(9207, "2.4"), RfcRef::new(9700, "4.4.2")];

/// A 7. Mix-up: the attacker's authorization server relays to the honest
/// one, and the client sends the code to the attacker.
pub(super) fn mix_up(
    scenario: &Scenario,
    network: &mut Network<'_>,
    browser: &mut Browser,
    client: &mut Client,
) -> Outcome {
    network.attacker.forward_authorize = Some(Forward {
        to: network.server.endpoint("/authorize"),
        remove: Vec::new(),
        set: Vec::new(),
    });
    network.attacker.pages.insert(
        "/token".into(),
        Response::json(
            400,
            &serde_json::json!({
                "error": "temporarily_unavailable",
                "error_description": "try again later",
            }),
        ),
    );
    let origin = scenario.client.origin();
    let Ok(authorize) = client.authorization_url(&attacker_url("/authorize"), &mut *network.rng)
    else {
        return no_randomness(network);
    };
    keep_pending_in_browser(browser, client, &origin);
    navigate(
        network,
        browser,
        Request::get(authorize),
        "The client lets the user choose where to sign in, and the user picks \
         attacker.example (or a link made them). The client sends the browser to that \
         server's authorization endpoint, with state and a PKCE challenge, and remembers which \
         server it asked.",
        &MIX_UP,
    );
    let Some(relayed) = location(&network.trace[last(network)].response) else {
        return stopped_here(network);
    };
    let redirect = match victim_signs_in(
        scenario,
        network,
        browser,
        relayed,
        "The attacker's server sends the browser on to the honest server with the same request: \
         the client's client_id there, its redirect_uri, state and challenge. The user sees the \
         honest server's sign-in page and has no reason to worry.",
        &MIX_UP,
    ) {
        Ok(redirect) => redirect,
        Err(stopped) => return stopped,
    };
    let Some(callback) = location(&redirect) else {
        return stopped_here(network);
    };
    let expected = ATTACKER;
    let checked = client.handle_callback(&callback, expected);
    let refused = checked.as_ref().err().map(ToString::to_string);
    network.next_client_page = Some(callback_page(refused.as_deref()));
    navigate(
        network,
        browser,
        Request::get(callback),
        if scenario.client.safeguards.check_issuer {
            "The code comes back to the client, with iss=https://as.example. The client sent the \
             user to attacker.example, so it expects that issuer; the mismatch shows the \
             response came from another server, and the client refuses it."
        } else {
            "The code comes back to the client, with the state it expects. It does not look at \
             iss, so it still believes the code came from attacker.example."
        },
        &MIX_UP_CALLBACK,
    );
    let code = match checked {
        Ok(code) => code,
        Err(_) => {
            return passed(network)
                .err()
                .unwrap_or_else(|| stopped_here(network));
        }
    };
    let request = client.code_token_request(&attacker_url("/token"), &code);
    network.send(
        Party::Client,
        Channel::Back,
        false,
        request,
        "The client redeems the code at the token endpoint of the server it thinks issued it: \
         the attacker's. The code and the code_verifier are now the attacker's.",
        &MIX_UP,
    );
    let Some(code) = network.attacker.captured("code") else {
        return stopped_here(network);
    };
    let verifier = network.attacker.captured("code_verifier");
    attacker_redeems_code(
        network,
        &code,
        &scenario.client.redirect_uri,
        &scenario.client.client_id,
        verifier.as_deref(),
        "The attacker redeems the code at the honest server with the client's own verifier: to \
         the honest server this looks exactly like the client.",
        &STOLEN_CODE,
    );
    attacker_uses_tokens(network)
}
