//! The authorization code flow (RFC 6749 section 4.1), with PKCE if the
//! client uses it, and the incidents a learner can switch on: a verifier
//! lost to another tab, and a reloaded callback replaying its code.

use super::callback_page::open_callback_page;
use super::steps::{
    call_api, call_api_again_later, keep_pending_in_browser, page_text, send_as_client,
    sign_in_and_consent,
};
use crate::channel::Channel;
use crate::http::{Request, Response, Url};
use crate::pkce::{CodeVerifier, DEFAULT_LEN, GenerateError};
use crate::sim::browser::Browser;
use crate::sim::client::{Client, ClientError, PendingAuthorization};
use crate::sim::network::{Network, navigate};
use crate::sim::scenario::Scenario;
use crate::sim::stop::Stop;
use crate::sim::trace::{Party, RfcRef};
use crate::types::AuthorizationCode;

const AUTHORIZE: [RfcRef; 2] = [RfcRef::new(6749, "4.1.1"), RfcRef::new(7636, "4.3")];
const CONSENT: [RfcRef; 2] = [RfcRef::new(6749, "4.1.2"), RfcRef::new(9207, "2")];
const CALLBACK: [RfcRef; 2] = [RfcRef::new(6749, "4.1.2"), RfcRef::new(9700, "4.7")];
const TOKEN: [RfcRef; 2] = [RfcRef::new(6749, "4.1.3"), RfcRef::new(7636, "4.5")];
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
/// The ID token's own rules are OpenID Connect Core 3.1.3.7, not an RFC;
/// the keys it is checked with are a JWKS.
const ID_TOKEN: [RfcRef; 1] = [RfcRef::new(7517, "5")];

/// Authorization code, from the first redirect to a refreshed API call.
pub(in crate::sim) fn authorization_code(
    scenario: &Scenario,
    network: &mut Network<'_>,
    browser: &mut Browser,
    client: &mut Client,
) -> Result<(), Stop> {
    let issuer = network.server.issuer_id();
    let client_origin = client.settings.origin();

    // 1. The client sends the browser to the authorization endpoint, with
    // its request or, having pushed it (RFC 9126), a reference to it.
    let endpoint = network.server.endpoint("/authorize");
    let mut authorize = client.authorization_url(&endpoint, &mut *network.rng)?;
    keep_pending_in_browser(browser, client, &client_origin);
    let mut explanation = "The client redirects the browser to the authorization server with \
         what it wants (response_type, client_id, redirect_uri, scope), a fresh state against \
         CSRF and, with PKCE, the code_challenge. Everything here is visible in the address bar \
         and history.";
    if client.settings.use_par {
        let push = network.support.ok_or(Stop::NotSupported)?.push_request;
        (authorize, explanation) = push(network, client, &authorize)?;
    }
    let page = navigate(
        network,
        browser,
        Request::get(authorize),
        explanation,
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
        &scenario.user,
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
    } else if scenario.browser_app.is_some() {
        (
            "The app's script exchanges the code for tokens with a fetch to the token endpoint, \
             proving with the code_verifier that it is the app that started the flow. The \
             server is on another origin, so the browser adds the page's Origin and checks the \
             answer before the app may read it (CORS). A plain form post needs no preflight.",
            &TOKEN,
        )
    } else {
        (
            "The client exchanges the code for tokens directly with the token endpoint, proving \
             with the code_verifier that it is the client that started the flow. The browser \
             never sees this request or the tokens.",
            &TOKEN,
        )
    };
    let response = send_as_client(network, client, token_request, explanation, rfc_refs)?;
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
        network.refused_to_page()?;
        let jwks = jwks.json_body().unwrap_or_default();
        client.validate_id_token(&jwks, &issuer, network.clock.now())?;
    }

    // 5. The client calls the API; time passes; it calls again.
    call_api(network, client)?;
    if scenario.incidents.reload_callback {
        replay_callback(scenario, network, browser, client, &callback, verifier);
    }
    call_api_again_later(scenario, network, client)?;
    if scenario.sign_out {
        let sign_out = network.support.ok_or(Stop::NotSupported)?.sign_out;
        sign_out(network, client)?;
        network.refused_to_page()?;
    }
    Ok(())
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
    // Sent as the client sends every token request: a client that signs
    // assertions and DPoP proofs signs this one too, so the server's answer
    // is about the code, not about a missing signature.
    let Ok(response) = send_as_client(network, client, request, explanation, &REPLAY) else {
        return;
    };
    // A second set of tokens replaces the first; a refusal leaves the
    // client with the tokens it had, and it carries on with them.
    if response.status == 200 {
        let _ = client.accept_token_response(&response, network.clock.now());
    }
}
