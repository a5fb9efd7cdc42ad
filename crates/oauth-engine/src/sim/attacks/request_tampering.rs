//! A tampered authorization request (RFC 9126 section 1): a malicious
//! browser extension widens the scope in the address bar; pushing the
//! request (PAR), with a server that requires it, is the defence.

use serde_json::json;

use super::attack::Outcome;
use super::moves::{
    last, location, no_randomness, passed, query_param, stopped_here, victim_signs_in,
};
use crate::http::{Request, Url};
use crate::pkce::{CodeVerifier, PkceMethod};
use crate::sim::attacker::{ATTACKER, Forward};
use crate::sim::browser::Browser;
use crate::sim::client::Client;
use crate::sim::flows::steps::{keep_pending_in_browser, send_as_client};
use crate::sim::network::{Network, navigate};
use crate::sim::scenario::Scenario;
use crate::sim::trace::RfcRef;

/// What the extension asks for instead of the app's `read`.
const WIDENED: &str = "read write";
/// RFC 9126 section 1: the front channel gives the request no integrity.
const TAMPERED: [RfcRef; 2] = [RfcRef::new(9126, "1"), RfcRef::new(6749, "4.1.1")];
/// The server grants what the request asks for, within the registration.
const WIDENED_REQUEST: [RfcRef; 2] = [RfcRef::new(6749, "3.3"), RfcRef::new(9700, "2.3")];
/// Section 4: only the pushed request counts; section 5: a server that
/// requires PAR refuses the rest.
const REBUILT: [RfcRef; 3] = [
    RfcRef::new(9126, "4"),
    RfcRef::new(9126, "5"),
    RfcRef::new(6749, "4.1.2.1"),
];
const CALLBACK: [RfcRef; 1] = [RfcRef::new(6749, "4.1.2")];
/// The token response's `scope` says what was granted (RFC 6749 section
/// 5.1, "if different from the requested scope").
const TOKEN: [RfcRef; 2] = [RfcRef::new(6749, "4.1.3"), RfcRef::new(6749, "5.1")];

/// A 10. The app (asking for read) sends the browser to the authorization
/// server; an extension rewrites the address to ask for read write.
pub(super) fn request_tampering(
    scenario: &Scenario,
    network: &mut Network<'_>,
    browser: &mut Browser,
    client: &mut Client,
) -> Outcome {
    let issuer = network.server.issuer_id();
    let origin = client.settings.origin();
    let endpoint = network.server.endpoint("/authorize");
    let Ok(mut authorize) = client.authorization_url(&endpoint, &mut *network.rng) else {
        return no_randomness(network);
    };
    keep_pending_in_browser(browser, client, &origin);
    if client.settings.use_par {
        let Some(support) = network.support else {
            return stopped_here(network);
        };
        match (support.push_request)(network, client, &authorize) {
            Ok((pushed, _)) => authorize = pushed,
            Err(_) => {
                return passed(network)
                    .err()
                    .unwrap_or_else(|| stopped_here(network));
            }
        }
    }
    let requested = client.settings.scope.clone();
    // What the extension changes: the scope, where the address has one;
    // otherwise the whole request, rebuilt without the request_uri.
    let (forward, explanation, arrives) = match query_param(&authorize, "scope") {
        Some(_) => (
            Forward {
                to: endpoint.clone(),
                remove: Vec::new(),
                set: vec![("scope".into(), WIDENED.into())],
            },
            "The app sends the browser to the authorization server asking for scope read. A \
             malicious browser extension, allowed to read and change the pages Alice visits, \
             catches the request on its way and rewrites it: scope=read becomes scope=read \
             write. Nothing in the request shows that it was changed.",
            "The browser arrives at the authorization server with the widened request. It is \
             well formed, from a registered client, for a scope the client may have: the \
             server shows Alice the sign-in page, and then the consent page, asking for read \
             write.",
        ),
        None => {
            let Some(set) = rebuilt(scenario, browser, &origin) else {
                return stopped_here(network);
            };
            (
                Forward {
                    to: endpoint.clone(),
                    remove: vec!["request_uri".into()],
                    set,
                },
                "The extension catches the request on its way, but the address carries only \
                 client_id and request_uri: the request itself went over the back channel, so \
                 there is no scope to change. It reads the app's state and code_verifier from \
                 its session storage and rebuilds the whole request without the request_uri, \
                 with scope=read write.",
                "The browser arrives at the authorization server with the rebuilt request. A \
                 server that requires pushed requests refuses one that was not pushed, \
                 whatever it asks for.",
            )
        }
    };
    network.attacker.forward_authorize = Some(forward);
    let via_extension = Url {
        origin: ATTACKER.into(),
        ..authorize
    };
    navigate(
        network,
        browser,
        Request::get(via_extension),
        explanation,
        &TAMPERED,
    );
    let Some(tampered) = location(&network.trace[last(network)].response) else {
        return stopped_here(network);
    };
    let pushed = client.settings.use_par;
    let redirect = match victim_signs_in(
        scenario,
        network,
        browser,
        tampered,
        arrives,
        if pushed { &REBUILT } else { &WIDENED_REQUEST },
    ) {
        Ok(redirect) => redirect,
        Err(stopped) => return stopped,
    };
    let Some(callback) = location(&redirect) else {
        return stopped_here(network);
    };
    navigate(
        network,
        browser,
        Request::get(callback.clone()),
        "The browser follows the redirect to the app's callback with a code. State and issuer \
         check out: the request was the app's own, only wider.",
        &CALLBACK,
    );
    let Ok(code) = client.handle_callback(&callback, &issuer) else {
        return stopped_here(network);
    };
    let request = client.code_token_request(&network.server.endpoint("/token"), &code);
    let sent = send_as_client(
        network,
        client,
        request,
        "The app redeems the code with its code_verifier, as usual. The token response says \
         which scope was granted: the one Alice approved on the server's page, not the one the \
         app asked for.",
        &TOKEN,
    );
    if sent.is_err() {
        return stopped_here(network);
    }
    let step = match passed(network) {
        Ok(step) => step,
        Err(stopped) => return stopped,
    };
    let body = network.trace[step].response.json_body().unwrap_or_default();
    let granted = body["scope"].as_str().unwrap_or(requested.as_str());
    if granted == requested {
        return Outcome::Stopped {
            step: last(network),
            error: format!("the token's scope is only \"{granted}\", as the app asked"),
        };
    }
    let quoted = json!({
        "scope": granted,
        "token_type": body["token_type"],
        "expires_in": body["expires_in"],
    });
    Outcome::Succeeded {
        step,
        gained: format!(
            "The app asked for scope \"{requested}\"; the server issued a token for \
             \"{granted}\", which Alice approved on the tampered request: {quoted}"
        ),
    }
}

/// The parameters of a plain authorization request the extension rebuilds
/// from what the app keeps in session storage: its state and the
/// code_verifier, from which it makes the challenge.
fn rebuilt(scenario: &Scenario, browser: &Browser, origin: &str) -> Option<Vec<(String, String)>> {
    let state = browser.stored(origin, "oauth_state")?.to_owned();
    let verifier = CodeVerifier::parse(browser.stored(origin, "pkce_code_verifier")?).ok()?;
    let challenge = verifier.challenge(PkceMethod::S256);
    Some(vec![
        ("response_type".into(), "code".into()),
        ("redirect_uri".into(), scenario.client.redirect_uri.clone()),
        ("scope".into(), WIDENED.into()),
        ("state".into(), state),
        ("code_challenge".into(), challenge.as_str().into()),
        (
            "code_challenge_method".into(),
            PkceMethod::S256.as_str().into(),
        ),
    ])
}
