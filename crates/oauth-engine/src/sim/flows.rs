//! The steps of each flow: who sends what, on which channel, and why.

use super::browser::Browser;
use super::client::{Client, ClientError, PendingAuthorization};
use super::network::{API, API_PATH, Network, from_browser, navigate};
use super::scenario::{Scenario, Stop, UserChoices};
use super::trace::{Party, RfcRef};
use crate::channel::Channel;
use crate::http::{Request, Response, Url};
use crate::pkce::{CodeVerifier, DEFAULT_LEN, GenerateError};
use crate::server::offered_scopes;
use crate::types::AuthorizationCode;

const AUTHORIZE: [RfcRef; 2] = [RfcRef::new(6749, "4.1.1"), RfcRef::new(7636, "4.3")];
const LOGIN: [RfcRef; 1] = [RfcRef::new(6749, "3.1")];
const CONSENT: [RfcRef; 2] = [RfcRef::new(6749, "4.1.2"), RfcRef::new(9207, "2")];
const CALLBACK: [RfcRef; 2] = [RfcRef::new(6749, "4.1.2"), RfcRef::new(9700, "4.7")];
const TOKEN: [RfcRef; 2] = [RfcRef::new(6749, "4.1.3"), RfcRef::new(7636, "4.5")];
const API_CALL: [RfcRef; 2] = [RfcRef::new(6750, "2.1"), RfcRef::new(9068, "4")];
const REFRESH: [RfcRef; 2] = [RfcRef::new(6749, "6"), RfcRef::new(9700, "4.14.2")];
const REFERER: [RfcRef; 1] = [RfcRef::new(9700, "4.2")];
/// A script in the page can read everything in the page's address; a
/// token there is as good as given to it.
const PAGE_SCRIPT: [RfcRef; 2] = [RfcRef::new(9700, "2.1.2"), RfcRef::new(6749, "10.3")];
const IMPLICIT_AUTHORIZE: [RfcRef; 2] = [RfcRef::new(6749, "4.2.1"), RfcRef::new(9700, "2.1.2")];
const IMPLICIT_CONSENT: [RfcRef; 2] = [RfcRef::new(6749, "4.2.2"), RfcRef::new(9207, "2")];
/// The token in the fragment: in the address bar and history (RFC 9700
/// section 4.3.2), never sent to the server (RFC 3986 section 3.5).
const IMPLICIT_CALLBACK: [RfcRef; 3] = [
    RfcRef::new(6749, "4.2.2"),
    RfcRef::new(9700, "4.3.2"),
    RfcRef::new(3986, "3.5"),
];
/// The server refuses a verifier that does not match the challenge.
const LOST_VERIFIER: [RfcRef; 2] = [RfcRef::new(6749, "4.1.3"), RfcRef::new(7636, "4.6")];
/// A code works once (section 4.1.2); a second use should revoke what the
/// first issued (sections 4.1.2 and 10.5).
const RELOAD: [RfcRef; 2] = [RfcRef::new(6749, "4.1.2"), RfcRef::new(6749, "10.5")];
const REPLAY: [RfcRef; 3] = [
    RfcRef::new(6749, "4.1.2"),
    RfcRef::new(6749, "4.1.3"),
    RfcRef::new(6749, "10.5"),
];
const CLIENT_CREDENTIALS: [RfcRef; 1] = [RfcRef::new(6749, "4.4.2")];
/// The ID token's own rules are OpenID Connect Core 3.1.3.7, not an RFC;
/// the keys it is checked with are a JWKS.
const ID_TOKEN: [RfcRef; 1] = [RfcRef::new(7517, "5")];

pub(super) fn api_url() -> Url {
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
    let client_origin = client.settings.origin();

    // 1. The client sends the browser to the authorization endpoint.
    let authorize =
        client.authorization_url(&network.server.endpoint("/authorize"), &mut *network.rng)?;
    keep_pending_in_browser(browser, client, &client_origin);
    let page = navigate(
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

    // 2. The user signs in; 3. approves or denies, and the server
    // redirects to the client.
    let redirect = sign_in_and_consent(
        scenario,
        network,
        browser,
        &page,
        "The user approves. The server answers with a redirect to the client's redirect_uri \
         carrying a short-lived, single-use code, the state, and iss naming the server.",
        &CONSENT,
    )?;
    // Incident: while the browser is away, another login overwrites the
    // verifier this flow's code_challenge was made from.
    let verifier_lost = scenario.incidents.verifier_lost
        && lose_verifier(network, browser, client, &client_origin)?;
    let (callback, code) = follow_callback(scenario, network, browser, client, &redirect, &issuer)?;

    // 4. The client redeems the code on the back channel.
    network
        .clock
        .advance(scenario.timeline.before_token_request);
    // Kept for a replay of the callback: the page would send it again.
    let verifier = client
        .pending
        .as_ref()
        .and_then(|pending| pending.verifier.clone());
    let token_request = client.code_token_request(&network.server.endpoint("/token"), &code);
    let (explanation, rfc_refs): (&str, &[RfcRef]) = if verifier_lost {
        (
            "The client exchanges the code for tokens, but the code_verifier it sends is the one \
             the other tab's login stored, not the one this code's code_challenge was made from. \
             The server refuses with invalid_grant: it cannot tell this client from an attacker \
             who stole the code.",
            &LOST_VERIFIER,
        )
    } else {
        (
            "The client exchanges the code for tokens directly with the token endpoint, proving \
             with the code_verifier that it is the client that started the flow. The browser \
             never sees this request or the tokens.",
            &TOKEN,
        )
    };
    let response = network.send(
        Party::Client,
        Channel::Back,
        false,
        token_request,
        explanation,
        rfc_refs,
    );
    client.accept_token_response(&response, network.clock.now())?;

    // 4b. With OpenID Connect, the client checks who signed in.
    if client.tokens.as_ref().is_some_and(|t| t.id_token.is_some())
        && client.settings.safeguards.validate_id_token
    {
        let jwks = network.send(
            Party::Client,
            Channel::Back,
            false,
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
    if scenario.incidents.reload_callback {
        replay_callback(scenario, network, browser, client, &callback, verifier);
    }
    call_api_again_later(scenario, network, client)
}

/// The user signs in on the login `page`, then approves or denies on the
/// consent page; returns the server's redirect back to the client.
/// `approved` explains the redirect when the user approves.
pub(super) fn sign_in_and_consent(
    scenario: &Scenario,
    network: &mut Network<'_>,
    browser: &mut Browser,
    page: &Response,
    approved: &str,
    rfc_refs: &[RfcRef],
) -> Result<Response, Stop> {
    let transaction = hidden_field(&page.body, "transaction");
    let user = &scenario.user;
    let consent_page = navigate(
        network,
        browser,
        Request::post_form(
            network.server.endpoint("/login"),
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

    let consent = consent_request(
        &network.server.endpoint("/consent"),
        &consent_page,
        &transaction,
        user,
    );
    let redirect = navigate(
        network,
        browser,
        consent,
        match (user.approve, user.grants_nothing()) {
            (true, false) => approved,
            (true, true) => {
                "The user presses Allow with every permission unticked. That grants nothing, so \
                 the server takes it as a denial and redirects back with error=access_denied."
            }
            (false, _) => "The user denies. The server redirects back with error=access_denied.",
        },
        rfc_refs,
    );
    if redirect.status != 302 {
        return Err(Stop::ErrorPage(page_text(&redirect)));
    }
    Ok(redirect)
}

/// The consent form as the browser submits it to `endpoint` for
/// `choices`: the transaction, every scope the page offers that the user
/// left ticked (all of them unless `granted_scope` says otherwise), and
/// the decision.
pub(super) fn consent_request(
    endpoint: &Url,
    consent_page: &Response,
    transaction: &str,
    choices: &UserChoices,
) -> Request {
    let ticked = |scope: &String| {
        choices
            .granted_scope
            .as_deref()
            .is_none_or(|granted| granted.split(' ').any(|token| token == scope))
    };
    let mut form = vec![("transaction", transaction.to_owned())];
    form.extend(
        offered_scopes(&consent_page.body)
            .into_iter()
            .filter(ticked)
            .map(|scope| ("scope", scope)),
    );
    let decision = if choices.approve { "approve" } else { "deny" };
    form.push(("decision", decision.to_owned()));
    let form: Vec<(&str, &str)> = form.iter().map(|(n, v)| (*n, v.as_str())).collect();
    Request::post_form(endpoint.clone(), &form)
}

/// The implicit grant (RFC 6749 section 4.2): the token comes back in the
/// fragment, and the page's script takes it from there to the API.
pub(super) fn implicit(
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
            scenario,
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

/// Where the client keeps the state and code_verifier of the login it
/// started: a browser-based (public) client in session storage, where any
/// script on its origin can read them; a server-side client in its own
/// session, out of the browser's reach.
pub(super) fn keep_pending_in_browser(browser: &mut Browser, client: &Client, origin: &str) {
    let Some(pending) = client
        .pending
        .as_ref()
        .filter(|_| client.settings.client_secret.is_none())
    else {
        return;
    };
    if let Some(state) = &pending.state {
        browser.store(origin, "oauth_state", state.clone());
    }
    if let Some(verifier) = &pending.verifier {
        browser.store(origin, "pkce_code_verifier", verifier.as_str());
    }
}

/// Time passes and the client calls the API again: with a refresh token it
/// refreshes first when its access token is about to expire (or, when it
/// does not, meets the 401 and refreshes then).
pub(super) fn call_api_again_later(
    scenario: &Scenario,
    network: &mut Network<'_>,
    client: &mut Client,
) -> Result<(), Stop> {
    network.clock.advance(scenario.timeline.between_api_calls);
    if client.settings.safeguards.proactive_refresh && client.token_due(network.clock.now()) {
        refresh(network, client)?;
    }
    call_api(network, client)
}

/// The browser follows the redirect to the client's callback; the client
/// reads the code after its checks. Returns the callback URL and the code.
fn follow_callback(
    scenario: &Scenario,
    network: &mut Network<'_>,
    browser: &mut Browser,
    client: &mut Client,
    redirect: &Response,
    issuer: &str,
) -> Result<(Url, AuthorizationCode), Stop> {
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
        "The browser follows the redirect to the client. The code is now in the address bar and \
         the history; it is useless without the code_verifier, and it works once.",
        &CALLBACK,
    );
    let code = client.handle_callback(&location, issuer)?;
    Ok((location, code))
}

/// Navigates to the client's callback page, then makes the requests that
/// page makes to other sites.
fn open_callback_page(
    scenario: &Scenario,
    network: &mut Network<'_>,
    browser: &mut Browser,
    callback: &Url,
    explanation: &str,
    rfc_refs: &[RfcRef],
) {
    navigate(
        network,
        browser,
        Request::get(callback.clone()),
        explanation,
        rfc_refs,
    );
    // What the callback page loads from elsewhere, with the Referer the
    // browser's policy allows: the leak RFC 9700 section 4.2 describes.
    for resource in &scenario.callback_page_loads {
        if let Ok(url) = Url::parse(resource) {
            let request = browser.subresource_request(url.clone());
            from_browser(
                network,
                browser,
                request,
                false,
                "The callback page loads a resource from another site. The browser sends a \
                 Referer: with the default policy only the origin, with unsafe-url the whole \
                 address (never the fragment).",
                &REFERER,
            );
            if url.path.ends_with(".js") {
                run_third_party_script(network, browser, &url);
            }
        }
    }
}

/// A script from `script`'s site runs in the page, reads `location.href`
/// (query and fragment included: any script on the page can) and reports
/// it home, as analytics scripts do.
fn run_third_party_script(network: &mut Network<'_>, browser: &mut Browser, script: &Url) {
    let Some(page) = browser.address.clone() else {
        return;
    };
    let href = page.to_string();
    let beacon = Url {
        origin: script.origin.clone(),
        path: "/collect".into(),
        query: None,
        fragment: None,
    }
    .with_query(&[("page", href.as_str())]);
    let request = browser.subresource_request(beacon);
    from_browser(
        network,
        browser,
        request,
        false,
        "The script from the other site runs in the page with the page's own rights. Like any \
         analytics script it reports the page it runs on: the whole location.href, query and \
         fragment included. Whatever the address holds, a code or a token, is now on that \
         site's servers and in its logs.",
        &PAGE_SCRIPT,
    );
}

/// Incident `verifier_lost`: another tab of the same client starts a login
/// and stores its own verifier where this flow's was (a browser-based
/// client's session storage, or a server-side client's session). Returns
/// whether there was a verifier to lose: without PKCE there is none. The
/// token request then carries a verifier that does not hash to this code's
/// challenge, which the server must refuse (RFC 7636 section 4.6).
fn lose_verifier(
    network: &mut Network<'_>,
    browser: &mut Browser,
    client: &mut Client,
    client_origin: &str,
) -> Result<bool, Stop> {
    if client
        .pending
        .as_ref()
        .is_none_or(|pending| pending.verifier.is_none())
    {
        return Ok(false);
    }
    let other = CodeVerifier::generate(DEFAULT_LEN, &mut *network.rng).map_err(|error| {
        Stop::Client(match error {
            GenerateError::Randomness(error) => ClientError::Randomness(error),
            other => ClientError::Malformed(other.to_string()),
        })
    })?;
    if client.settings.client_secret.is_none() {
        browser.store(client_origin, "pkce_code_verifier", other.as_str());
    }
    if let Some(pending) = &mut client.pending {
        pending.verifier = Some(other);
    }
    Ok(true)
}

/// Incident `reload_callback`: the user reloads the callback page after the
/// client has redeemed its code, and the page's script hands the code in
/// the address bar to the client again. The client keeps the tokens it
/// already has whatever the server answers; a refusal only shows up in the
/// trace, and revocation at the next API call.
fn replay_callback(
    scenario: &Scenario,
    network: &mut Network<'_>,
    browser: &mut Browser,
    client: &mut Client,
    callback: &Url,
    verifier: Option<CodeVerifier>,
) {
    open_callback_page(
        scenario,
        network,
        browser,
        callback,
        "The user reloads the callback page. The code is still in the address bar, so the \
         page's script runs again and hands the same code to the client, which, like many, \
         does not remember that it already redeemed it.",
        &RELOAD,
    );
    let code = callback
        .query_pairs()
        .ok()
        .and_then(|pairs| pairs.into_iter().find(|(name, _)| name == "code"))
        .map(|(_, code)| AuthorizationCode::new(code));
    let Some(code) = code else {
        return;
    };
    // The reloaded page sends what it sent the first time, code_verifier
    // included, so that only single use can stop the replay.
    client
        .pending
        .get_or_insert(PendingAuthorization {
            state: None,
            verifier: None,
            nonce: None,
        })
        .verifier = verifier;
    let request = client.code_token_request(&network.server.endpoint("/token"), &code);
    if let Some(pending) = &mut client.pending {
        pending.verifier = None;
    }
    // The server's answer follows its policy: a code works once, and a
    // second use SHOULD revoke what the first issued (RFC 6749 sections
    // 4.1.2 and 10.5). The explanation is chosen before the answer arrives.
    let policy = &scenario.policy;
    let explanation = match (policy.single_use_codes, policy.revoke_on_code_reuse) {
        (true, true) => {
            "The client redeems the same code a second time. Codes work once: the server \
             refuses with invalid_grant and, as it should, revokes every token the first \
             redemption issued, in case that one was an attacker's."
        }
        (true, false) => {
            "The client redeems the same code a second time. Codes work once: the server \
             refuses with invalid_grant, but this server skips the advised revocation, so the \
             tokens from the first redemption keep working."
        }
        (false, _) => {
            "The client redeems the same code a second time, and this server, which does not \
             enforce single use, issues a second set of tokens: anyone holding a leaked code \
             could do the same."
        }
    };
    let response = network.send(
        Party::Client,
        Channel::Back,
        false,
        request,
        explanation,
        &REPLAY,
    );
    // A second set of tokens replaces the first; a refusal leaves the
    // client with the tokens it had, and it carries on with them.
    if response.status == 200 {
        let _ = client.accept_token_response(&response, network.clock.now());
    }
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
        false,
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
        false,
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
        false,
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
                .replace("&#39;", "'")
                .replace("&lt;", "<")
                .replace("&gt;", ">")
                .replace("&amp;", "&")
        })
        .unwrap_or_else(|| format!("status {}", response.status))
}
