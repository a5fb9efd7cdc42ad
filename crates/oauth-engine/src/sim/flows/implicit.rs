//! The implicit grant (RFC 6749 section 4.2), which RFC 9700 section 2.1.2
//! says not to use: the access token comes back in the redirect's fragment,
//! where the page and every script on it can read it.

use super::callback_page::open_callback_page;
use super::steps::{
    call_api, call_api_again_later, keep_pending_in_browser, page_text, sign_in_and_consent,
};
use crate::http::{Request, Url};
use crate::sim::browser::Browser;
use crate::sim::client::Client;
use crate::sim::network::{Network, navigate};
use crate::sim::scenario::Scenario;
use crate::sim::stop::Stop;
use crate::sim::trace::RfcRef;

const IMPLICIT_AUTHORIZE: [RfcRef; 2] = [RfcRef::new(6749, "4.2.1"), RfcRef::new(9700, "2.1.2")];
const IMPLICIT_CONSENT: [RfcRef; 2] = [RfcRef::new(6749, "4.2.2"), RfcRef::new(9207, "2")];
/// The token in the fragment: in the address bar and history (RFC 9700
/// section 4.3.2), never sent to the server (RFC 3986 section 3.5).
const IMPLICIT_CALLBACK: [RfcRef; 3] = [
    RfcRef::new(6749, "4.2.2"),
    RfcRef::new(9700, "4.3.2"),
    RfcRef::new(3986, "3.5"),
];

/// The implicit grant (RFC 6749 section 4.2): the token comes back in the
/// fragment, and the page's script takes it from there to the API.
pub(in crate::sim) fn implicit(
    scenario: &Scenario,
    network: &mut Network<'_>,
    browser: &mut Browser,
    client: &mut Client,
) -> Result<(), Stop> {
    let issuer = network.server.issuer_id();
    let client_origin = client.settings.origin();

    // 1. The page sends the browser to the authorization endpoint.
    let authorize = client
        .implicit_authorization_url(&network.server.endpoint("/authorize"), &mut *network.rng)?;
    keep_pending_in_browser(browser, client, &client_origin);
    let page = navigate(
        network,
        browser,
        Request::get(authorize),
        "The app sends the browser to the authorization server with response_type=token: it \
         asks for the access token itself, straight back through the browser. A state guards \
         against CSRF; PKCE has no place here, as there is no token request to check a \
         verifier at.",
        &IMPLICIT_AUTHORIZE,
    );
    let redirect = match page.status {
        200 => sign_in_and_consent(
            &scenario.user,
            network,
            browser,
            &page,
            "The user approves. The server redirects to the client's redirect_uri with the \
             access token itself in the fragment (with token_type, expires_in, state and iss). \
             No code, no token request, and no refresh token (RFC 6749 section 4.2.2).",
            &IMPLICIT_CONSENT,
        )?,
        302 => page,
        _ => return Err(Stop::ErrorPage(page_text(&page))),
    };

    // 2. The browser goes to the callback; the fragment stays behind.
    let location = redirect
        .headers
        .get("Location")
        .and_then(|value| Url::parse(value).ok())
        .ok_or_else(|| Stop::ErrorPage("a redirect without a valid Location".into()))?;
    open_callback_page(
        scenario,
        network,
        browser,
        &location,
        "The browser follows the redirect. It sends only the path and query: the fragment, \
         with the access token, is never sent to the server. But it stays in the address bar \
         and the history, and every script on the page can read it.",
        &IMPLICIT_CALLBACK,
    );

    // 3. The page's script reads the token from its own address.
    let address = browser.address.clone().unwrap_or(location);
    client.handle_implicit_callback(&address, &issuer, network.clock.now())?;

    // 4. The page calls the API; later, again, with the same token.
    call_api(network, client)?;
    call_api_again_later(scenario, network, client)
}
