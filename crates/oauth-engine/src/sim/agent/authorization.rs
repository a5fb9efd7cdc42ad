//! The agent's authorization: code + PKCE (RFC 7636) with `resource` (RFC
//! 8707) on both requests, so that the token's audience is the tool server
//! alone (MCP authorization, revision 2026-07-28, "Resource Parameter
//! Implementation"); the user signs in and consents in the browser. The
//! same steps serve the first authorization and a step-up.

use super::{AGENT_CALLBACK, Agent, AgentStop};
use crate::channel::Channel;
use crate::http::{Request, Response, Url};
use crate::pkce::{CodeVerifier, DEFAULT_LEN, PkceMethod};
use crate::sim::browser::Browser;
use crate::sim::client::random_value;
use crate::sim::flows::steps::{consent_request, hidden_field, page_text, sign_in_and_consent};
use crate::sim::network::{Network, navigate};
use crate::sim::scenario::UserChoices;
use crate::sim::trace::{Party, RfcRef};
use crate::types::Scope;

const AUTHORIZE: [RfcRef; 3] = [
    RfcRef::new(6749, "4.1.1"),
    RfcRef::new(7636, "4.3"),
    RfcRef::new(8707, "2.1"),
];
const CONSENT: [RfcRef; 2] = [RfcRef::new(6749, "4.1.2"), RfcRef::new(9207, "2")];
const CALLBACK: [RfcRef; 2] = [RfcRef::new(6749, "4.1.2"), RfcRef::new(9207, "2.4")];
const TOKEN: [RfcRef; 3] = [
    RfcRef::new(6749, "4.1.3"),
    RfcRef::new(7636, "4.5"),
    RfcRef::new(8707, "2.2"),
];

/// Code + PKCE with `resource` for `scope`, from the authorization request
/// to the token; `why` explains the authorization request.
pub(super) fn authorize(
    network: &mut Network<'_>,
    browser: &mut Browser,
    agent: &mut Agent,
    user: &UserChoices,
    scope: &Scope,
    why: &str,
) -> Result<(), AgentStop> {
    let endpoint = |name: &str| {
        let url = agent.server[name].as_str().unwrap_or_default();
        Url::parse(url).map_err(|error| AgentStop(format!("the server's {name} {url} {error}")))
    };
    let authorization_endpoint = endpoint("authorization_endpoint")?;
    let token_endpoint = endpoint("token_endpoint")?;
    let rng = &mut *network.rng;
    let random_error = |error: String| AgentStop(format!("no random value: {error}"));
    let verifier =
        CodeVerifier::generate(DEFAULT_LEN, rng).map_err(|e| random_error(e.to_string()))?;
    let state = random_value(rng).map_err(|e| random_error(e.to_string()))?;
    let challenge = verifier.challenge(PkceMethod::S256);
    // RFC 8707: the tool server, on both requests, unless the agent
    // leaves it out.
    let resource = agent.resource.to_string();
    let resource = agent
        .safeguards
        .send_resource
        .then_some(("resource", resource.as_str()));
    let scope_text = scope.to_string();
    let mut query = vec![
        ("response_type", "code"),
        ("client_id", agent.client_id.as_str()),
        ("redirect_uri", AGENT_CALLBACK),
        ("scope", &scope_text),
        ("state", &state),
        ("code_challenge", challenge.as_str()),
        ("code_challenge_method", "S256"),
    ];
    query.extend(resource);
    let authorize = authorization_endpoint.with_query(&query);

    // 5. The browser goes to the authorization server; the user signs in
    // (unless the server's session remembers them) and consents.
    let page = navigate(network, browser, Request::get(authorize), why, &AUTHORIZE);
    let approved = "The user approves. The server redirects the browser to the agent's \
                    redirect_uri with a single-use code, the state, and iss naming the server.";
    let redirect = match page.status {
        200 if page.body.contains("name=\"password\"") => {
            sign_in_and_consent(user, network, browser, &page, approved, &CONSENT)?
        }
        200 => {
            let transaction = hidden_field(&page.body, "transaction");
            let consent = consent_request(
                &network.server.endpoint("/consent"),
                &page,
                &transaction,
                user,
            );
            navigate(network, browser, consent, approved, &CONSENT)
        }
        302 => page,
        _ => {
            return Err(AgentStop(format!(
                "the authorization server shows an error: {}",
                page_text(&page)
            )));
        }
    };
    let callback = location(&redirect)?;
    navigate(
        network,
        browser,
        Request::get(callback.clone()),
        "The browser brings the code back to the agent, which checks that state is the one it \
         sent and that iss is the server it asked (RFC 9207), before it uses the code.",
        &CALLBACK,
    );
    let query = |name: &str| {
        callback
            .query_pairs()
            .ok()?
            .into_iter()
            .find(|(n, _)| n == name)
            .map(|(_, value)| value)
    };
    if let Some(error) = query("error") {
        let description = query("error_description").unwrap_or_default();
        return Err(AgentStop(format!(
            "the authorization server answered {error}: {description}"
        )));
    }
    if query("state").as_deref() != Some(state.as_str()) {
        return Err(AgentStop("the callback's state is not the one sent".into()));
    }
    if query("iss").as_deref() != Some(agent.issuer.as_str()) {
        return Err(AgentStop(
            "the callback's iss is not the authorization server the agent asked (RFC 9207)".into(),
        ));
    }
    let code = query("code").ok_or_else(|| AgentStop("the callback has no code".into()))?;

    // The code, the verifier and the resource again, on the back channel.
    let mut form = vec![
        ("grant_type", "authorization_code"),
        ("code", &code),
        ("redirect_uri", AGENT_CALLBACK),
        ("client_id", &agent.client_id),
        ("code_verifier", verifier.as_str()),
    ];
    form.extend(resource);
    let token_request = Request::post_form(token_endpoint, &form);
    let response = network.send(
        Party::Client,
        Channel::Back,
        false,
        token_request,
        "The agent redeems the code with its code_verifier, naming the tool server as resource \
         again. The access token it gets has the tool server as its audience: no other server \
         will take it.",
        &TOKEN,
    );
    let body = response.json_body().unwrap_or_default();
    let Some(token) = body["access_token"]
        .as_str()
        .filter(|_| response.status == 200)
    else {
        return Err(AgentStop(format!(
            "the token request was refused: {}",
            body["error_description"]
                .as_str()
                .or(body["error"].as_str())
                .unwrap_or("no reason given")
        )));
    };
    agent.access_token = Some(token.to_owned());
    // RFC 6749 section 5.1: without `scope`, the scope asked for.
    agent.scope = match body["scope"].as_str() {
        Some(granted) => Scope::parse(granted).unwrap_or_default(),
        None => scope.clone(),
    };
    Ok(())
}

fn location(redirect: &Response) -> Result<Url, AgentStop> {
    let location = redirect
        .headers
        .get("Location")
        .ok_or_else(|| AgentStop("the authorization server did not redirect back".into()))?;
    Url::parse(location).map_err(|error| AgentStop(format!("the redirect {location} {error}")))
}
