//! The steps of each flow: who sends what, on which channel, and why.

use super::browser::Browser;
use super::client::{Client, ClientError};
use super::scenario::{API, API_PATH, Network, Scenario, Stop};
use super::trace::{Party, RfcRef};
use crate::channel::Channel;
use crate::http::{Request, Response, Url};
use crate::types::AuthorizationCode;

const AUTHORIZE: [RfcRef; 2] = [RfcRef::new(6749, "4.1.1"), RfcRef::new(7636, "4.3")];
const LOGIN: [RfcRef; 1] = [RfcRef::new(6749, "3.1")];
const CONSENT: [RfcRef; 2] = [RfcRef::new(6749, "4.1.2"), RfcRef::new(9207, "2")];
const CALLBACK: [RfcRef; 2] = [RfcRef::new(6749, "4.1.2"), RfcRef::new(9700, "4.7")];
const TOKEN: [RfcRef; 2] = [RfcRef::new(6749, "4.1.3"), RfcRef::new(7636, "4.5")];
const API_CALL: [RfcRef; 2] = [RfcRef::new(6750, "2.1"), RfcRef::new(9068, "4")];
const REFRESH: [RfcRef; 2] = [RfcRef::new(6749, "6"), RfcRef::new(9700, "4.14.2")];
const REFERER: [RfcRef; 1] = [RfcRef::new(9700, "4.2")];
const CLIENT_CREDENTIALS: [RfcRef; 1] = [RfcRef::new(6749, "4.4.2")];
/// The ID token's own rules are OpenID Connect Core 3.1.3.7, not an RFC;
/// the keys it is checked with are a JWKS.
const ID_TOKEN: [RfcRef; 1] = [RfcRef::new(7517, "5")];

fn api_url() -> Url {
    Url {
        origin: API.into(),
        path: API_PATH.into(),
        query: None,
        fragment: None,
    }
}

/// Authorization code, from the first redirect to a refreshed API call.
pub(super) fn authorization_code(
    scenario: &Scenario,
    network: &mut Network<'_>,
    browser: &mut Browser,
    client: &mut Client,
) -> Result<(), Stop> {
    let issuer = network.server.issuer_id();
    let client_origin = Url::parse(&client.settings.redirect_uri)
        .map(|url| url.origin)
        .unwrap_or_default();

    // 1. The client sends the browser to the authorization endpoint.
    let authorize =
        client.authorization_url(&network.server.endpoint("/authorize"), &mut *network.rng)?;
    // A browser-based (public) client keeps these in session storage, where
    // any script on its origin can read them; a server-side client keeps
    // them in its own session.
    if let Some(pending) = client
        .pending
        .as_ref()
        .filter(|_| client.settings.client_secret.is_none())
    {
        if let Some(state) = &pending.state {
            browser.store(&client_origin, "oauth_state", state.clone());
        }
        if let Some(verifier) = &pending.verifier {
            browser.store(&client_origin, "pkce_code_verifier", verifier.as_str());
        }
    }
    browser.visit(&authorize);
    let page = browse(
        network,
        browser,
        Request::get(authorize),
        "The client redirects the browser to the authorization server with what it wants \
         (response_type, client_id, redirect_uri, scope), a fresh state against CSRF and, with \
         PKCE, the code_challenge. Everything here is visible in the address bar and history.",
        &AUTHORIZE,
    );
    let page = match page.status {
        200 => page,
        302 => {
            return follow_callback(scenario, network, browser, client, &page, &issuer).map(drop);
        }
        _ => return Err(Stop::ErrorPage(page_text(&page))),
    };

    // 2. The user signs in.
    let transaction = hidden_field(&page.body, "transaction");
    let login_url = network.server.endpoint("/login");
    browser.visit(&login_url);
    let user = &scenario.user;
    let consent_page = browse(
        network,
        browser,
        Request::post_form(
            login_url,
            &[
                ("transaction", transaction.as_str()),
                ("username", user.username.as_str()),
                ("password", user.password.as_str()),
            ],
        ),
        "The user signs in on the authorization server's own page. The client never sees the \
         password: that is the point of OAuth.",
        &LOGIN,
    );
    if consent_page.body.contains("Wrong username or password") {
        return Err(Stop::WrongPassword);
    }

    // 3. The user approves or denies; the server redirects to the client.
    let consent_url = network.server.endpoint("/consent");
    browser.visit(&consent_url);
    let mut form = vec![("transaction", transaction.clone())];
    if let Some(granted) = &user.granted_scope {
        form.extend(
            granted
                .split(' ')
                .filter(|s| !s.is_empty())
                .map(|s| ("scope", s.to_owned())),
        );
    }
    form.push((
        "decision",
        if user.approve { "approve" } else { "deny" }.to_owned(),
    ));
    let borrowed: Vec<(&str, &str)> = form.iter().map(|(n, v)| (*n, v.as_str())).collect();
    let redirect = browse(
        network,
        browser,
        Request::post_form(consent_url, &borrowed),
        if user.approve {
            "The user approves. The server answers with a redirect to the client's redirect_uri \
             carrying a short-lived, single-use code, the state, and iss naming the server."
        } else {
            "The user denies. The server redirects back with error=access_denied."
        },
        &CONSENT,
    );
    if redirect.status != 302 {
        return Err(Stop::ErrorPage(page_text(&redirect)));
    }
    let code = follow_callback(scenario, network, browser, client, &redirect, &issuer)?;

    // 4. The client redeems the code on the back channel.
    network
        .clock
        .advance(scenario.timeline.before_token_request);
    let token_request = client.code_token_request(&network.server.endpoint("/token"), &code);
    let response = network.send(
        Party::Client,
        Channel::Back,
        token_request,
        "The client exchanges the code for tokens directly with the token endpoint, proving \
         with the code_verifier that it is the client that started the flow. The browser never \
         sees this request or the tokens.",
        &TOKEN,
    );
    client.accept_token_response(&response, network.clock.now())?;

    // 4b. With OpenID Connect, the client checks who signed in.
    if client.tokens.as_ref().is_some_and(|t| t.id_token.is_some())
        && client.settings.safeguards.validate_id_token
    {
        let jwks = network.send(
            Party::Client,
            Channel::Back,
            Request::get(network.server.endpoint("/jwks")),
            "The client fetches the server's public keys (JWKS) to check the ID token's \
             signature, then checks iss, aud, exp, its nonce and at_hash.",
            &ID_TOKEN,
        );
        let jwks = jwks.json_body().unwrap_or_default();
        client.validate_id_token(&jwks, &issuer, network.clock.now())?;
    }

    // 5. The client calls the API; time passes; it calls again.
    call_api(network, client)?;
    network.clock.advance(scenario.timeline.between_api_calls);
    if client.settings.safeguards.proactive_refresh && client.token_due(network.clock.now()) {
        refresh(network, client)?;
    }
    call_api(network, client)
}

/// The browser follows the redirect to the client's callback; the client
/// reads the code after its checks.
fn follow_callback(
    scenario: &Scenario,
    network: &mut Network<'_>,
    browser: &mut Browser,
    client: &mut Client,
    redirect: &Response,
    issuer: &str,
) -> Result<AuthorizationCode, Stop> {
    let location = redirect
        .headers
        .get("Location")
        .and_then(|value| Url::parse(value).ok())
        .ok_or_else(|| Stop::ErrorPage("a redirect without a valid Location".into()))?;
    browser.visit(&location);
    browse(
        network,
        browser,
        Request::get(location.clone()),
        "The browser follows the redirect to the client. The code is now in the address bar and \
         the history; it is useless without the code_verifier, and it works once.",
        &CALLBACK,
    );
    // What the callback page loads from elsewhere, with the Referer the
    // browser's policy allows: the leak RFC 9700 section 4.2 describes.
    for resource in &scenario.callback_page_loads {
        if let Ok(url) = Url::parse(resource) {
            browse(
                network,
                browser,
                browser.subresource_request(url),
                "The callback page loads a resource from another site. The browser sends a \
                 Referer: with the default policy only the origin, with unsafe-url the whole \
                 address, code included.",
                &REFERER,
            );
        }
    }
    Ok(client.handle_callback(&location, issuer)?)
}

/// A request from the browser: it carries the browser's cookies for the
/// target's origin, and the browser keeps any cookie the response sets.
pub(super) fn browse(
    network: &mut Network<'_>,
    browser: &mut Browser,
    request: Request,
    explanation: &str,
    rfc_refs: &[RfcRef],
) -> Response {
    let url = request.url.clone();
    let response = network.send(
        Party::Browser,
        Channel::Front,
        browser.with_cookies(request),
        explanation,
        rfc_refs,
    );
    browser.accept_cookies(&url, &response);
    response
}

pub(super) fn call_api(network: &mut Network<'_>, client: &mut Client) -> Result<(), Stop> {
    let response = send_api_call(network, client);
    if response.status == 401
        && client.settings.safeguards.retry_after_refresh
        && client
            .tokens
            .as_ref()
            .is_some_and(|t| t.refresh_token.is_some())
    {
        refresh(network, client)?;
        let retry = send_api_call(network, client);
        return api_result(&retry);
    }
    api_result(&response)
}

fn send_api_call(network: &mut Network<'_>, client: &Client) -> Response {
    let request = client.api_request(&api_url());
    network.send(
        Party::Client,
        Channel::Back,
        request,
        "The client calls the API with the access token in the Authorization header. The API \
         checks the signature against the server's JWKS, then iss, aud, exp and the scope.",
        &API_CALL,
    )
}

fn api_result(response: &Response) -> Result<(), Stop> {
    if response.status == 200 {
        return Ok(());
    }
    let error = response
        .json_body()
        .map(|body| super::client::error_from_json(&body))
        .unwrap_or_else(|| {
            crate::error::OAuthError::new(
                crate::error::ErrorCode::InvalidToken,
                format!("the API answered {}", response.status),
            )
        });
    Err(Stop::Client(ClientError::Server(error)))
}

fn refresh(network: &mut Network<'_>, client: &mut Client) -> Result<(), Stop> {
    let Some(request) = client.refresh_request(&network.server.endpoint("/token")) else {
        return Ok(());
    };
    let response = network.send(
        Party::Client,
        Channel::Back,
        request,
        "The access token is about to expire, so the client uses its refresh token for a new \
         one. With rotation the server also returns a new refresh token and retires the old.",
        &REFRESH,
    );
    Ok(client.accept_token_response(&response, network.clock.now())?)
}

/// Client credentials: a token for the client itself, cached until shortly
/// before it expires.
pub(super) fn client_credentials(
    scenario: &Scenario,
    network: &mut Network<'_>,
    client: &mut Client,
) -> Result<(), Stop> {
    fetch_client_token(network, client)?;
    call_api(network, client)?;
    network.clock.advance(scenario.timeline.between_api_calls);
    if client.token_due(network.clock.now()) {
        fetch_client_token(network, client)?;
    }
    call_api(network, client)
}

fn fetch_client_token(network: &mut Network<'_>, client: &mut Client) -> Result<(), Stop> {
    let request = client.client_credentials_request(&network.server.endpoint("/token"));
    let response = network.send(
        Party::Client,
        Channel::Back,
        request,
        "The client authenticates as itself and asks for an access token; no user is involved, \
         and no refresh token is issued.",
        &CLIENT_CREDENTIALS,
    );
    Ok(client.accept_token_response(&response, network.clock.now())?)
}

/// A hidden form field's value from one of the server's pages.
pub(super) fn hidden_field(html: &str, name: &str) -> String {
    let marker = format!("name=\"{name}\" value=\"");
    html.find(&marker)
        .map(|start| &html[start + marker.len()..])
        .and_then(|rest| rest.split('"').next())
        .unwrap_or_default()
        .to_owned()
}

/// The message of one of the server's error pages.
pub(super) fn page_text(response: &Response) -> String {
    let body = &response.body;
    body.find("<p>")
        .and_then(|start| body[start + 3..].split("</p>").next())
        .map(|text| {
            text.replace("&quot;", "\"")
                .replace("&lt;", "<")
                .replace("&gt;", ">")
                .replace("&amp;", "&")
        })
        .unwrap_or_else(|| format!("status {}", response.status))
}
