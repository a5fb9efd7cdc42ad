//! The steps several flows share: signing in and consenting on the
//! authorization server's pages, keeping the pending login in the browser,
//! calling the API, refreshing, and reading the server's pages.

use crate::channel::Channel;
use crate::http::{Request, Response, Url};
use crate::server::offered_scopes;
use crate::sim::browser::Browser;
use crate::sim::client::{Client, ClientError, error_from_json};
use crate::sim::network::{API, API_PATH, Network, navigate};
use crate::sim::scenario::{Scenario, UserChoices};
use crate::sim::stop::Stop;
use crate::sim::trace::{Party, RfcRef};

const LOGIN: [RfcRef; 1] = [RfcRef::new(6749, "3.1")];
const API_CALL: [RfcRef; 2] = [RfcRef::new(6750, "2.1"), RfcRef::new(9068, "4")];
const REFRESH: [RfcRef; 2] = [RfcRef::new(6749, "6"), RfcRef::new(9700, "4.14.2")];

pub(in crate::sim) fn api_url() -> Url {
    Url {
        origin: API.into(),
        path: API_PATH.into(),
        query: None,
        fragment: None,
    }
}

/// The user signs in on the login `page`, then approves or denies on the
/// consent page as `user` chooses; returns the server's redirect back to
/// the client. `approved` explains the redirect when the user approves.
pub(in crate::sim) fn sign_in_and_consent(
    user: &UserChoices,
    network: &mut Network<'_>,
    browser: &mut Browser,
    page: &Response,
    approved: &str,
    rfc_refs: &[RfcRef],
) -> Result<Response, Stop> {
    let transaction = hidden_field(&page.body, "transaction");
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
pub(in crate::sim) fn consent_request(
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

/// Where the client keeps the state and code_verifier of the login it
/// started: a browser-based (public) client in session storage, where any
/// script on its origin can read them; a server-side client in its own
/// session, out of the browser's reach.
pub(in crate::sim) fn keep_pending_in_browser(
    browser: &mut Browser,
    client: &Client,
    origin: &str,
) {
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
pub(in crate::sim) fn call_api_again_later(
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

pub(in crate::sim) fn call_api(network: &mut Network<'_>, client: &mut Client) -> Result<(), Stop> {
    let response = send_api_call(network, client)?;
    if response.status == 401
        && client.settings.safeguards.retry_after_refresh
        && client
            .tokens
            .as_ref()
            .is_some_and(|t| t.refresh_token.is_some())
    {
        refresh(network, client)?;
        let retry = send_api_call(network, client)?;
        return api_result(&retry);
    }
    api_result(&response)
}

fn send_api_call(network: &mut Network<'_>, client: &mut Client) -> Result<Response, Stop> {
    let request = client.api_request(&api_url());
    send_as_client(
        network,
        client,
        request,
        "The client calls the API with the access token in the Authorization header. The API \
         checks the signature against the server's JWKS, then iss, aud, exp and the scope.",
        &API_CALL,
    )
}

/// Sends a request of the client's on the back channel: as it is, or, if
/// the run was given [`Support`](crate::sim::network::Support), with what
/// it adds (the client's assertion, its DPoP proof, the nonce retry). A
/// client in the page stops where the browser keeps an answer from it.
pub(in crate::sim) fn send_as_client(
    network: &mut Network<'_>,
    client: &mut Client,
    request: Request,
    explanation: &str,
    rfc_refs: &[RfcRef],
) -> Result<Response, Stop> {
    let response = match network.support {
        Some(support) => (support.client_sends)(network, client, request, explanation, rfc_refs)?,
        None => network.send(
            Party::Client,
            Channel::Back,
            false,
            request,
            explanation,
            rfc_refs,
        ),
    };
    // An app in the page that may not read the answer stops there.
    network.refused_to_page()?;
    Ok(response)
}

fn api_result(response: &Response) -> Result<(), Stop> {
    if response.status == 200 {
        return Ok(());
    }
    let error = response
        .json_body()
        .map(|body| error_from_json(&body))
        .unwrap_or_else(|| {
            crate::error::OAuthError::new(
                crate::error::ErrorCode::InvalidToken,
                format!("the API answered {}", response.status),
            )
        });
    Err(Stop::Client(ClientError::Server(error)))
}

pub(in crate::sim) fn refresh(network: &mut Network<'_>, client: &mut Client) -> Result<(), Stop> {
    let Some(request) = client.refresh_request(&network.server.endpoint("/token")) else {
        return Ok(());
    };
    let response = send_as_client(
        network,
        client,
        request,
        "The access token is about to expire, so the client uses its refresh token for a new \
         one. With rotation the server also returns a new refresh token and retires the old.",
        &REFRESH,
    )?;
    Ok(client.accept_token_response(&response, network.clock.now())?)
}

/// A hidden form field's value from one of the server's pages.
pub(in crate::sim) fn hidden_field(html: &str, name: &str) -> String {
    let marker = format!("name=\"{name}\" value=\"");
    html.find(&marker)
        .map(|start| &html[start + marker.len()..])
        .and_then(|rest| rest.split('"').next())
        .unwrap_or_default()
        .to_owned()
}

/// The message of one of the server's error pages.
pub(in crate::sim) fn page_text(response: &Response) -> String {
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
