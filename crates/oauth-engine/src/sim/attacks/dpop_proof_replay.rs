//! A DPoP proof replayed (RFC 9449 section 11.1): a captured API request,
//! token and proof, sent again and sent to another URL; an API that
//! checks the proof's `jti` and `htu` (section 4.3) is the defence.

use serde_json::json;

use super::attack::Outcome;
use super::moves::{api_outcome, stopped_here, victim_completes_sign_in};
use crate::channel::Channel;
use crate::http::Method;
use crate::resource::Resource;
use crate::sim::browser::Browser;
use crate::sim::client::Client;
use crate::sim::network::{API_SCOPE, Network};
use crate::sim::scenario::Scenario;
use crate::sim::trace::{Party, RfcRef};

/// The second resource of the API in this attack, which the client never
/// calls.
const CONTACTS_PATH: &str = "/contacts";
/// Section 11.1: a proof's `jti` lets the receiver refuse it a second time.
const REPLAY: [RfcRef; 2] = [RfcRef::new(9449, "11.1"), RfcRef::new(9449, "4.3")];
/// Section 4.3, check 9: the proof is for the request's URL (`htu`).
const OTHER_URL: [RfcRef; 2] = [RfcRef::new(9449, "4.3"), RfcRef::new(9449, "4.2")];

/// A 11. The client calls the API with DPoP; the attacker, who captured
/// the call, sends it again as it was, then with its URL changed.
pub(super) fn dpop_proof_replay(
    scenario: &Scenario,
    network: &mut Network<'_>,
    browser: &mut Browser,
    client: &mut Client,
    defended: bool,
) -> Outcome {
    // RFC 9449 sections 4.3 and 11.1: the checks the defence switches on.
    network.api.skips_proof_jti_and_htu = !defended;
    add_contacts(scenario, network);
    if let Err(outcome) = victim_completes_sign_in(scenario, network, browser, client) {
        return outcome;
    }
    // The client's last call to the API, token and proof, as a proxy in
    // front of the API logged it.
    let captured = network
        .trace
        .iter()
        .rev()
        .find(|e| {
            e.from == Party::Client
                && e.to == Party::ResourceServer
                && e.response.status == 200
                && e.request.headers.get("DPoP").is_some()
        })
        .map(|e| e.request.clone());
    let Some(captured) = captured else {
        return stopped_here(network);
    };
    network.clock.advance(5);
    network.send(
        Party::Attacker,
        Channel::Back,
        false,
        captured.clone(),
        "A proxy in front of the API logs whole requests, headers included, and the attacker \
         reads the log. Five seconds after the client's call she sends it again, byte for byte: \
         Alice's token and the DPoP proof the client signed for that call. She never had the \
         client's key, and needs none to copy a proof.",
        &REPLAY,
    );
    let first = network
        .trace
        .last()
        .map(|e| e.response.status == 200)
        .unwrap_or_default();
    let mut elsewhere = captured;
    elsewhere.url.path = CONTACTS_PATH.into();
    network.send(
        Party::Attacker,
        Channel::Back,
        false,
        elsewhere,
        "Then she sends the same token and proof to another resource of the API, Alice's \
         contacts, which the client never called. The proof's htu names /profile, the URL it \
         was made for.",
        &OTHER_URL,
    );
    api_outcome(network, |body| {
        let profile = if first {
            "After reading Alice's profile again with the replayed proof, the attacker"
        } else {
            "The attacker"
        };
        format!(
            "{profile} reads Alice's contacts from the API with a proof made for /profile: \
             {body}"
        )
    })
}

/// The API's second resource: the user's contacts, under the same scope
/// as the profile.
fn add_contacts(scenario: &Scenario, network: &mut Network<'_>) {
    let mut by_subject = std::collections::BTreeMap::new();
    let victim = network
        .server
        .config()
        .users
        .iter()
        .find(|user| user.username == scenario.user.username)
        .map(|user| user.subject.as_str().to_owned());
    if let Some(subject) = victim {
        by_subject.insert(
            subject,
            json!({ "contacts": ["Bob Builder <bob@example.com>", "The White Rabbit"] }),
        );
    }
    network.api.resources.push(Resource {
        method: Method::Get,
        path: CONTACTS_PATH.into(),
        required_scope: API_SCOPE.into(),
        body: json!({ "contacts": [] }),
        by_subject,
    });
}
