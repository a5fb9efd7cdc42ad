//! A client secret shipped in a single-page app's JavaScript bundle: a
//! browser cannot keep a secret (RFC 6749 sections 2.1 and 10.1,
//! draft-ietf-oauth-browser-based-apps-26 section 6.3.3.1). A public
//! client with PKCE, which has no secret to ship, is the defence.

use super::attack::Outcome;
use super::moves::{attacker_uses_tokens, passed, query_param, stopped_here, victim_signs_in};
use crate::channel::Channel;
use crate::http::{Request, Response, Url};
use crate::sim::browser::Browser;
use crate::sim::client::{Client, ClientSettings};
use crate::sim::flows::callback_page::open_callback_page;
use crate::sim::network::Network;
use crate::sim::scenario::Scenario;
use crate::sim::trace::{Party, RfcRef};

/// Anything in a browser is public: RFC 6749 on clients in a user agent.
const BUNDLE: [RfcRef; 2] = [RfcRef::new(6749, "2.1"), RfcRef::new(6749, "10.1")];
const SIGN_IN: [RfcRef; 2] = [RfcRef::new(6749, "4.1.1"), RfcRef::new(6749, "4.1.2")];
const LEAK: [RfcRef; 2] = [RfcRef::new(9700, "4.2.1"), RfcRef::new(9700, "4.3.2")];
const REDEEM: [RfcRef; 2] = [RfcRef::new(6749, "2.3.1"), RfcRef::new(7636, "4.6")];

/// Where the app's bundle is served.
const BUNDLE_PATH: &str = "/assets/app.js";

/// The app's bundle: its OAuth settings as the build wrote them in,
/// secret included when the app was given one.
fn bundle(settings: &ClientSettings) -> Response {
    let secret = settings
        .client_secret
        .as_deref()
        .map(|secret| format!(" clientSecret: \"{secret}\","))
        .unwrap_or_default();
    Response::new(200)
        .with_header("Content-Type", "text/javascript")
        .with_body(format!(
            "const oauth = {{ clientId: \"{}\",{secret} redirectUri: \"{}\" }};",
            settings.client_id, settings.redirect_uri
        ))
}

/// The secret in a bundle, if it has one.
fn secret_in(bundle: &str) -> Option<String> {
    let start = bundle.find("clientSecret: \"")? + "clientSecret: \"".len();
    let length = bundle[start..].find('"')?;
    Some(bundle[start..start + length].to_owned())
}

/// The attacker reads the bundle, then redeems a code that leaked from
/// the callback page, before the app does, as the client.
pub(super) fn secret_in_bundle(
    scenario: &Scenario,
    network: &mut Network<'_>,
    browser: &mut Browser,
    client: &mut Client,
) -> Outcome {
    let settings = &scenario.client;
    network.next_client_page = Some(bundle(settings));
    let bundle_url = Url {
        origin: settings.origin(),
        path: BUNDLE_PATH.into(),
        query: None,
        fragment: None,
    };
    let read = network.send(
        Party::Attacker,
        Channel::Front,
        false,
        Request::get(bundle_url),
        "The attacker downloads the app's JavaScript, as every visitor does, and reads the \
         OAuth settings in it.",
        &BUNDLE,
    );
    let secret = secret_in(&read.body);

    let endpoint = network.server.endpoint("/authorize");
    let Ok(authorize) = client.authorization_url(&endpoint, &mut *network.rng) else {
        return stopped_here(network);
    };
    let redirect = match victim_signs_in(
        scenario,
        network,
        browser,
        authorize,
        "Alice signs in to the app as usual.",
        &SIGN_IN,
    ) {
        Ok(redirect) => redirect,
        Err(outcome) => return outcome,
    };
    let Some(callback) = super::moves::location(&redirect) else {
        return stopped_here(network);
    };
    // The callback page loads the analytics script, which reports the
    // page's address, code included, to its site.
    open_callback_page(
        scenario,
        network,
        browser,
        &callback,
        "The code arrives at the callback page, which loads an analytics script that reports \
         the page's address, code and all.",
        &LEAK,
    );
    let Some(code) = query_param(&callback, "code") else {
        return stopped_here(network);
    };
    let mut form = vec![
        ("grant_type", "authorization_code"),
        ("code", code.as_str()),
        ("redirect_uri", settings.redirect_uri.as_str()),
        ("client_id", settings.client_id.as_str()),
    ];
    if let Some(secret) = &secret {
        form.push(("client_secret", secret.as_str()));
    }
    let explanation = if secret.is_some() {
        "The attacker reads the report and redeems the code first, as the app, with the \
         secret from the bundle. No code_verifier: the app counted on its secret."
    } else {
        "The attacker reads the report and redeems the code first. The bundle held no secret, \
         and without the code_verifier, which never left the browser, the code is worthless."
    };
    network.send(
        Party::Attacker,
        Channel::Back,
        false,
        Request::post_form(network.server.endpoint("/token"), &form),
        explanation,
        &REDEEM,
    );
    match passed(network) {
        Err(stopped) => stopped,
        Ok(_) => attacker_uses_tokens(network),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    #[cfg(target_arch = "wasm32")]
    use wasm_bindgen_test::wasm_bindgen_test as test;

    #[test]
    fn a_bundle_carries_the_secret_it_was_built_with_and_nothing_else() {
        let mut settings = ClientSettings::default();
        assert_eq!(secret_in(&bundle(&settings).body), None);
        settings.client_secret = Some("s3cret".into());
        assert_eq!(
            secret_in(&bundle(&settings).body).as_deref(),
            Some("s3cret")
        );
    }
}
