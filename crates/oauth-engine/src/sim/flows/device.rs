//! The device flow (RFC 8628): the device's polls, interleaved with the
//! user's visit to the verification page on their phone.

use super::steps::{call_api, call_api_again_later, consent_request, hidden_field, page_text};
use crate::channel::Channel;
use crate::error::ErrorCode;
use crate::http::{Request, Response, Url};
use crate::sim::browser::Browser;
use crate::sim::client::{Client, ClientError, error_from_json};
use crate::sim::network::{Network, navigate};
use crate::sim::scenario::Scenario;
use crate::sim::stop::Stop;
use crate::sim::trace::{Party, RfcRef};

const DEVICE_AUTHORIZATION: [RfcRef; 2] = [RfcRef::new(8628, "3.1"), RfcRef::new(8628, "3.2")];
const POLL: [RfcRef; 2] = [RfcRef::new(8628, "3.4"), RfcRef::new(8628, "3.5")];
const VERIFY: [RfcRef; 1] = [RfcRef::new(8628, "3.3")];
/// Polls recorded while the user takes their time; later ones would only
/// repeat authorization_pending.
const MAX_RECORDED_POLLS: usize = 6;

pub(in crate::sim) fn device_flow(
    scenario: &Scenario,
    network: &mut Network<'_>,
    browser: &mut Browser,
    client: &mut Client,
) -> Result<(), Stop> {
    // 1. The device asks for a device code and a user code.
    let request =
        client.device_authorization_request(&network.server.endpoint("/device_authorization"));
    let response = network.send(
        Party::Client,
        Channel::Back,
        false,
        request,
        "The device, which has no convenient browser, asks the authorization server for a \
         device code (kept secret) and a short user code to show on its screen.",
        &DEVICE_AUTHORIZATION,
    );
    let body = response
        .json_body()
        .filter(|_| response.status == 200)
        .ok_or_else(|| Stop::Client(server_error(&response)))?;
    let text = |name: &str| body[name].as_str().unwrap_or_default().to_owned();
    let device_code = text("device_code");
    let user_code = text("user_code");
    let mut interval = match scenario.timeline.device_poll_every {
        0 => body["interval"].as_u64().unwrap_or(5),
        every => every,
    };

    // 2. The device polls while the user finds their phone.
    let start = network.clock.now();
    let user_done = start.plus(scenario.timeline.device_user_delay);
    let mut recorded = 0;
    loop {
        let next = network.clock.now().plus(interval);
        if next >= user_done {
            break;
        }
        network.clock.set(next);
        if recorded == MAX_RECORDED_POLLS {
            continue;
        }
        recorded += 1;
        let response = poll(network, client, &device_code);
        match poll_error(&response) {
            Some(ErrorCode::AuthorizationPending) => {}
            // RFC 8628 section 3.5: on slow_down, poll 5 s less often.
            Some(ErrorCode::SlowDown) => interval += 5,
            _ => return finish(scenario, network, client, &response),
        }
    }
    network.clock.set(user_done);
    // The user came too late: the device's next poll learns the code expired.
    let expires_in = body["expires_in"].as_u64().unwrap_or(0);
    if network.clock.now() >= start.plus(expires_in) {
        let response = poll(network, client, &device_code);
        return finish(scenario, network, client, &response);
    }

    // 3. The user opens verification_uri_complete on their phone.
    let verify = Url::parse(&text("verification_uri_complete"))
        .map_err(|error| Stop::Client(ClientError::Malformed(error.to_string())))?;
    navigate(
        network,
        browser,
        Request::get(verify),
        "On their phone the user opens the verification address (here with the code already \
         filled in, from a QR code).",
        &VERIFY,
    );
    let device_page = network.server.endpoint("/device");
    let login = navigate(
        network,
        browser,
        Request::post_form(device_page, &[("user_code", user_code.as_str())]),
        "The user confirms the code shown on the device; the server finds the waiting request \
         and asks them to sign in.",
        &VERIFY,
    );
    if login.status != 200 || !login.body.contains("name=\"transaction\"") {
        return Err(Stop::ErrorPage(page_text(&login)));
    }
    let transaction = hidden_field(&login.body, "transaction");
    let user = &scenario.user;
    let consent = navigate(
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
        "The user signs in on the authorization server, on their phone.",
        &VERIFY,
    );
    if consent.body.contains("Wrong username or password") {
        return Err(Stop::WrongPassword);
    }
    let endpoint = network.server.endpoint("/consent");
    navigate(
        network,
        browser,
        consent_request(&endpoint, &consent, &transaction, user),
        "The user approves (or denies) the device. There is no redirect: the device learns the \
         outcome from its next poll.",
        &VERIFY,
    );

    // 4. The device's next poll gets the tokens, or the refusal.
    network.clock.advance(interval);
    let response = poll(network, client, &device_code);
    finish(scenario, network, client, &response)
}

fn poll(network: &mut Network<'_>, client: &Client, device_code: &str) -> Response {
    let request = client.device_token_request(&network.server.endpoint("/token"), device_code);
    network.send(
        Party::Client,
        Channel::Back,
        false,
        request,
        "The device polls the token endpoint with its device code. Until the user acts, the \
         answer is authorization_pending; polling faster than the interval earns slow_down.",
        &POLL,
    )
}

fn poll_error(response: &Response) -> Option<ErrorCode> {
    (response.status != 200)
        .then(|| response.json_body().map(|body| error_from_json(&body).code))
        .flatten()
}

/// The tokens arrive (then the device calls the API, and again later, as
/// the code flow does), or the flow stops.
fn finish(
    scenario: &Scenario,
    network: &mut Network<'_>,
    client: &mut Client,
    response: &Response,
) -> Result<(), Stop> {
    client.accept_token_response(response, network.clock.now())?;
    call_api(network, client)?;
    call_api_again_later(scenario, network, client)
}

fn server_error(response: &Response) -> ClientError {
    match response.json_body() {
        Some(body) => ClientError::Server(error_from_json(&body)),
        None => ClientError::Malformed(format!("status {}", response.status)),
    }
}
