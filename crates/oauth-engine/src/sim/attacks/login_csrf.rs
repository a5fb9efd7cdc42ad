//! Login CSRF (RFC 9700 section 4.7): the victim's browser is made to
//! finish the attacker's login, and the client's check of state is the
//! defence in play.

use super::attack::Outcome;
use super::moves::{
    STOLEN_CODE, api_outcome, attacker_url, callback_page, last, location, no_randomness, passed,
    refusal, stopped_here,
};
use crate::channel::Channel;
use crate::http::{Request, Response};
use crate::sim::browser::Browser;
use crate::sim::client::{Client, ClientSettings, Safeguards};
use crate::sim::flows::steps::{api_url, consent_request, hidden_field};
use crate::sim::network::{Network, attacker_browses, navigate};
use crate::sim::scenario::{Scenario, USERS, UserChoices};
use crate::sim::trace::{Party, RfcRef};

const ATTACKER_LOGIN: [RfcRef; 2] = [RfcRef::new(9700, "4.7"), RfcRef::new(6749, "10.12")];
const CSRF_CALLBACK: [RfcRef; 2] = [RfcRef::new(6749, "10.12"), RfcRef::new(9700, "4.7.1")];

/// A 1. Login CSRF (RFC 9700 section 4.7).
pub(super) fn login_csrf(
    scenario: &Scenario,
    network: &mut Network<'_>,
    browser: &mut Browser,
    client: &mut Client,
) -> Outcome {
    let issuer = network.server.issuer_id();
    // Mallory uses the client's public parameters in her own browser,
    // with a state of her own.
    let mut mallory = Client::new(ClientSettings {
        safeguards: Safeguards {
            use_pkce: false,
            ..Default::default()
        },
        ..scenario.client.clone()
    });
    let mut own_browser = Browser::default();
    let Ok(authorize) =
        mallory.authorization_url(&network.server.endpoint("/authorize"), &mut *network.rng)
    else {
        return no_randomness(network);
    };
    let page = attacker_browses(
        network,
        &mut own_browser,
        Request::get(authorize),
        "Mallory starts a login at the real client's authorization server, in her own browser.",
        &ATTACKER_LOGIN,
    );
    let transaction = hidden_field(&page.body, "transaction");
    let (username, password, _) = USERS[2];
    let consent_page = attacker_browses(
        network,
        &mut own_browser,
        Request::post_form(
            network.server.endpoint("/login"),
            &[
                ("transaction", transaction.as_str()),
                ("username", username),
                ("password", password),
            ],
        ),
        "She signs in with her own account, mallory.",
        &ATTACKER_LOGIN,
    );
    let consent = consent_request(
        &network.server.endpoint("/consent"),
        &consent_page,
        &transaction,
        &UserChoices::default(),
    );
    let redirect = attacker_browses(
        network,
        &mut own_browser,
        consent,
        "She approves, and the server redirects to the client's callback with a code for \
         Mallory's account. Her browser does not follow the redirect: she keeps the URL.",
        &ATTACKER_LOGIN,
    );
    let Some(forged) = location(&redirect) else {
        return Outcome::Stopped {
            step: last(network),
            error: refusal(&redirect).unwrap_or_else(|| "no redirect".into()),
        };
    };

    // The victim visits Mallory's page, which sends the browser on to the
    // callback with Mallory's code.
    network
        .attacker
        .pages
        .insert("/".into(), Response::redirect(&forged));
    navigate(
        network,
        browser,
        Request::get(attacker_url("/")),
        "The victim, signed in to nothing in particular, opens a page of Mallory's (a link in \
         a mail, an ad). It redirects the browser to the client's callback with Mallory's code.",
        &ATTACKER_LOGIN,
    );
    let checked = client.handle_callback(&forged, &issuer);
    let refused = checked.as_ref().err().map(ToString::to_string);
    network.next_client_page = Some(callback_page(refused.as_deref()));
    navigate(
        network,
        browser,
        Request::get(forged),
        if scenario.client.safeguards.check_state {
            "The victim's browser opens the callback with Mallory's code. The client checks \
             state: it started no login in this browser, so there is no state to match, and it \
             refuses the response."
        } else {
            "The victim's browser opens the callback with Mallory's code. This client neither \
             sent nor checks state, so it cannot tell that the response answers a request it \
             never made, and it takes the code."
        },
        &CSRF_CALLBACK,
    );
    let code = match checked {
        Ok(code) => code,
        Err(_) => {
            return passed(network)
                .err()
                .unwrap_or_else(|| stopped_here(network));
        }
    };
    if let Err(stopped) = passed(network) {
        return stopped;
    }
    let request = client.code_token_request(&network.server.endpoint("/token"), &code);
    let response = network.send(
        Party::Client,
        Channel::Back,
        false,
        request,
        "The client redeems the code: the tokens it gets are for Mallory's account.",
        &STOLEN_CODE,
    );
    if client
        .accept_token_response(&response, network.clock.now())
        .is_err()
    {
        return passed(network)
            .err()
            .unwrap_or_else(|| stopped_here(network));
    }
    let request = client.api_request(&api_url());
    network.send(
        Party::Client,
        Channel::Back,
        false,
        request,
        "The client loads the signed-in user's profile: the victim's app now shows, and saves \
         to, Mallory's account.",
        &CSRF_CALLBACK,
    );
    api_outcome(network, |body| {
        format!(
            "The victim's app is signed in to the attacker's account ({body}): whatever the \
             victim saves or uploads now goes to Mallory."
        )
    })
}
