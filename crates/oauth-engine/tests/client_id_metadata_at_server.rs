//! Client ID Metadata Documents (draft-ietf-oauth-client-id-metadata-
//! document-02) at the authorization server, on the simulated network: an
//! agent whose `client_id` is its document's URL, which the server fetches
//! (on the trace, server to server) the first time it is named, checks,
//! and registers; and the documents and URLs it refuses, each with the
//! draft's section.

mod common;

use common::*;
use oauth_engine::channel::Channel;
use oauth_engine::http::{Request, Response, Url, unescape_html};
use oauth_engine::rng::SeededRng;
use oauth_engine::server::ClientIdMetadataDocuments;
use oauth_engine::sim::browser::Browser;
use oauth_engine::sim::hosts::{PublishedDocument, fetch_client_document};
use oauth_engine::sim::network::{Network, from_browser, navigate};
use oauth_engine::sim::scenario::Scenario;
use oauth_engine::sim::trace::Party;
use oauth_engine::types::Scope;
use serde_json::{Value, json};

#[cfg(target_arch = "wasm32")]
use wasm_bindgen_test::wasm_bindgen_test as test;
#[cfg(target_arch = "wasm32")]
wasm_bindgen_test::wasm_bindgen_test_configure!(run_in_browser);

const CLIENT_ID: &str = "https://agent.example/oauth/client.json";
const CALLBACK: &str = "https://agent.example/callback";

fn document() -> Value {
    json!({
        "client_id": CLIENT_ID,
        "client_name": "Calendar agent",
        "redirect_uris": [CALLBACK],
        "grant_types": ["authorization_code", "refresh_token"],
        "token_endpoint_auth_method": "none",
    })
}

/// The default scenario's network, its server offered metadata documents,
/// with `published` at the client_id URL.
fn network_with(published: Response, offer: ClientIdMetadataDocuments) -> Network<'static> {
    let scenario = Scenario::default();
    let mut network = scenario.network(signing_key(), Box::new(SeededRng::new(3)));
    network.server.offer(Box::new(offer));
    network.before_server = Some(fetch_client_document);
    network.add_host(Box::new(PublishedDocument {
        url: Url::parse(CLIENT_ID).unwrap(),
        party: Party::Client,
        answer: published,
    }));
    network
}

fn offer() -> ClientIdMetadataDocuments {
    ClientIdMetadataDocuments {
        scope: Scope::parse("read").unwrap(),
        allow_redirects_elsewhere: false,
        fetch_special_use_hosts: false,
        refused: Default::default(),
    }
}

fn published(document: &Value) -> Response {
    PublishedDocument::json(
        Url::parse(CLIENT_ID).unwrap(),
        Party::Client,
        document.to_string(),
    )
    .answer
}

fn serving(document: &Value) -> Network<'static> {
    network_with(published(document), offer())
}

fn authorize_as(network: &mut Network<'_>, client_id: &str, redirect_uri: &str) -> Response {
    let url = Url::parse("https://as.example/authorize")
        .unwrap()
        .with_query(&[
            ("response_type", "code"),
            ("client_id", client_id),
            ("redirect_uri", redirect_uri),
            ("scope", "read"),
            ("state", "s-1"),
            ("code_challenge", CHALLENGE),
            ("code_challenge_method", "S256"),
        ]);
    let mut browser = Browser::new(Default::default());
    navigate(network, &mut browser, Request::get(url), "", &[])
}

fn authorize(network: &mut Network<'_>) -> Response {
    authorize_as(network, CLIENT_ID, CALLBACK)
}

/// The requests the authorization server sent.
fn fetches(network: &Network<'_>) -> Vec<String> {
    network
        .trace
        .iter()
        .filter(|exchange| exchange.from == Party::AuthorizationServer)
        .map(|exchange| exchange.request.url.to_string())
        .collect()
}

fn error_page(response: &Response) -> String {
    assert_eq!(response.status, 400, "{}", response.body);
    unescape_html(&response.body)
}

#[test]
fn cimd_6_the_metadata_says_the_server_takes_metadata_documents() {
    let network = serving(&document());
    assert_eq!(
        network.server.metadata()["client_id_metadata_document_supported"],
        true
    );
    assert!(
        server()
            .metadata()
            .get("client_id_metadata_document_supported")
            .is_none()
    );
}

#[test]
fn cimd_4_the_server_fetches_the_document_on_the_back_channel_then_shows_the_login_page() {
    let mut network = serving(&document());
    let login = authorize(&mut network);
    assert_eq!(login.status, 200, "{}", login.body);
    assert!(login.body.contains("name=\"password\""));
    let fetch = &network.trace[0];
    assert_eq!(fetch.from, Party::AuthorizationServer);
    assert_eq!(fetch.to, Party::Client);
    assert_eq!(fetch.channel, Channel::Back);
    assert_eq!(fetch.request.url.to_string(), CLIENT_ID);
    assert_eq!(fetch.response.status, 200);
    // The browser's request comes after, answered once the client is known.
    assert_eq!(network.trace[1].from, Party::Browser);
}

#[test]
fn cimd_4_a_client_once_registered_from_its_document_is_not_fetched_again() {
    let mut network = serving(&document());
    authorize(&mut network);
    authorize(&mut network);
    assert_eq!(fetches(&network), [CLIENT_ID]);
}

#[test]
fn cimd_the_agent_runs_code_and_pkce_as_the_public_client_its_document_describes() {
    let mut network = serving(&document());
    let mut browser = Browser::new(Default::default());
    let login = authorize(&mut network);
    let mut post = |network: &mut Network<'_>, path: &str, form: &[(&str, &str)]| {
        let url = Url::parse(&format!("https://as.example{path}")).unwrap();
        from_browser(
            network,
            &mut browser,
            Request::post_form(url, form),
            true,
            "",
            &[],
        )
    };
    let transaction = hidden_field(&login.body, "transaction");
    let consent = post(
        &mut network,
        "/login",
        &[
            ("transaction", &transaction),
            ("username", "alice"),
            ("password", "wonderland"),
        ],
    );
    let back = post(
        &mut network,
        "/consent",
        &[
            ("transaction", &hidden_field(&consent.body, "transaction")),
            ("scope", "read"),
            ("decision", "approve"),
        ],
    );
    let back = location(&back);
    assert!(back.to_string().starts_with(CALLBACK), "{back}");
    let code = query_value(&back, "code").expect("a code");
    let token_request = Request::post_form(
        Url::parse("https://as.example/token").unwrap(),
        &[
            ("grant_type", "authorization_code"),
            ("code", &code),
            ("redirect_uri", CALLBACK),
            ("client_id", CLIENT_ID),
            ("code_verifier", VERIFIER),
        ],
    );
    let token = network.send(Party::Client, Channel::Back, false, token_request, "", &[]);
    assert_eq!(token.status, 200, "{}", token.body);
    let access_token = json(&token)["access_token"].as_str().unwrap().to_owned();
    let payload = access_token.split('.').nth(1).unwrap();
    let claims: Value =
        serde_json::from_slice(&oauth_engine::jose::b64_decode(payload).unwrap()).unwrap();
    assert_eq!(claims["client_id"], CLIENT_ID);
    // One fetch for the whole flow.
    assert_eq!(fetches(&network), [CLIENT_ID]);
}

#[test]
fn cimd_8_6_a_client_id_on_a_special_use_address_is_refused_without_a_fetch() {
    for client_id in [
        "https://169.254.169.254/latest/meta-data",
        "https://127.0.0.1/client.json",
        "https://10.0.0.7/client.json",
        "https://localhost/client.json",
    ] {
        let mut network = serving(&document());
        let page = error_page(&authorize_as(&mut network, client_id, CALLBACK));
        assert!(page.contains("special-use"), "{page}");
        assert!(page.contains("section 8.6"), "{page}");
        assert!(fetches(&network).is_empty(), "{client_id}");
    }
}

#[test]
fn cimd_3_a_client_id_url_with_a_fragment_is_refused_without_a_fetch() {
    let mut network = serving(&document());
    let page = error_page(&authorize_as(
        &mut network,
        "https://agent.example/c#x",
        CALLBACK,
    ));
    assert!(page.contains("fragment"), "{page}");
    assert!(fetches(&network).is_empty());
}

#[test]
fn cimd_4_a_document_whose_client_id_is_not_its_url_is_refused() {
    let mut other = document();
    other["client_id"] = json!("https://agent.example/other.json");
    let mut network = serving(&other);
    let page = error_page(&authorize(&mut network));
    assert!(page.contains("https://agent.example/other.json"), "{page}");
    assert!(page.contains("section 4"), "{page}");
}

#[test]
fn cimd_4_1_a_document_naming_a_shared_secret_method_is_refused() {
    let mut secret = document();
    secret["token_endpoint_auth_method"] = json!("client_secret_basic");
    let mut network = serving(&secret);
    let page = error_page(&authorize(&mut network));
    assert!(page.contains("client_secret_basic"), "{page}");
    assert!(page.contains("section 4.1"), "{page}");
}

#[test]
fn cimd_5_a_redirect_at_the_document_url_is_refused_not_followed() {
    let elsewhere =
        Response::redirect(&Url::parse("https://attacker.example/client.json").unwrap());
    let mut network = network_with(elsewhere, offer());
    let page = error_page(&authorize(&mut network));
    assert!(page.contains("302"), "{page}");
    assert_eq!(fetches(&network), [CLIENT_ID]);
}

#[test]
fn cimd_8_1_redirect_uris_on_another_host_are_refused_unless_the_server_allows_them() {
    let mut document = document();
    document["redirect_uris"] = json!(["https://attacker.example/callback"]);
    let mut network = serving(&document);
    let page = error_page(&authorize_as(
        &mut network,
        CLIENT_ID,
        "https://attacker.example/callback",
    ));
    assert!(page.contains("https://attacker.example/callback"), "{page}");
    assert!(page.contains("section 8.1"), "{page}");

    let lax = ClientIdMetadataDocuments {
        allow_redirects_elsewhere: true,
        ..offer()
    };
    let mut network = network_with(published(&document), lax);
    let login = authorize_as(&mut network, CLIENT_ID, "https://attacker.example/callback");
    assert_eq!(login.status, 200, "{}", login.body);
}

#[test]
fn cimd_a_refused_document_is_fetched_again_the_next_time_and_can_pass() {
    let mut bad = document();
    bad["client_secret"] = json!("s3cret");
    let mut network = serving(&bad);
    error_page(&authorize(&mut network));
    // The agent fixes its document.
    network.hosts = Some(Box::new(PublishedDocument::json(
        Url::parse(CLIENT_ID).unwrap(),
        Party::Client,
        document().to_string(),
    )));
    assert_eq!(authorize(&mut network).status, 200);
    assert_eq!(fetches(&network), [CLIENT_ID, CLIENT_ID]);
}

#[test]
fn cimd_a_plain_client_id_never_makes_the_server_fetch() {
    let mut network = serving(&document());
    let page = error_page(&authorize_as(&mut network, "unknown-agent", CALLBACK));
    assert!(
        page.contains("No client is registered as \"unknown-agent\""),
        "{page}"
    );
    assert!(fetches(&network).is_empty());
}
