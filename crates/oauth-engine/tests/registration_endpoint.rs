//! Dynamic Client Registration (RFC 7591) at the authorization server, as
//! an MCP agent meets it: it registers with no prior relationship, then
//! runs code + PKCE with `resource` as the client it became.

mod common;

use common::*;
use oauth_engine::http::{Method, Request, Response, Url};
use oauth_engine::server::{DynamicRegistration, basic_credentials};
use oauth_engine::types::Scope;
use serde_json::{Value, json};

#[cfg(target_arch = "wasm32")]
use wasm_bindgen_test::wasm_bindgen_test as test;
#[cfg(target_arch = "wasm32")]
wasm_bindgen_test::wasm_bindgen_test_configure!(run_in_browser);

const TOOLS: &str = "https://tools.example/mcp";
const AGENT_CALLBACK: &str = "http://127.0.0.1:33418/callback";

/// A server offering registration for at most `read` and `calendar.read`.
fn sim() -> Sim {
    let mut server = server();
    server.protect_resource(TOOLS);
    let registration = DynamicRegistration {
        scope: Scope::parse("read calendar.read").unwrap(),
    };
    server.offer(Box::new(registration));
    Sim::new(server)
}

fn register(sim: &mut Sim, metadata: &Value) -> Response {
    let url = Url::parse("https://as.example/register").unwrap();
    let request = Request {
        method: Method::Post,
        body: metadata.to_string(),
        ..Request::get(url)
    }
    .with_header("Content-Type", "application/json");
    sim.send(request)
}

fn agent_metadata() -> Value {
    json!({
        "redirect_uris": [AGENT_CALLBACK],
        "token_endpoint_auth_method": "none",
        "grant_types": ["authorization_code", "refresh_token"],
        "client_name": "Calendar agent",
    })
}

fn registration_error(response: &Response) -> (String, String) {
    assert_eq!(response.status, 400, "{}", response.body);
    let body = json(response);
    (
        body["error"].as_str().unwrap().to_owned(),
        body["error_description"].as_str().unwrap().to_owned(),
    )
}

#[test]
fn rfc8414_2_the_metadata_names_the_registration_endpoint_once_it_is_offered() {
    assert!(server().metadata().get("registration_endpoint").is_none());
    assert_eq!(
        sim().server.metadata()["registration_endpoint"],
        "https://as.example/register"
    );
}

#[test]
fn rfc7591_3_2_1_a_public_client_gets_201_its_client_id_and_its_metadata_without_a_secret() {
    let mut sim = sim();
    let response = register(&mut sim, &agent_metadata());
    assert_eq!(response.status, 201, "{}", response.body);
    assert_eq!(response.headers.get("Cache-Control"), Some("no-store"));
    let body = json(&response);
    assert!(!body["client_id"].as_str().unwrap().is_empty());
    assert_eq!(body["client_id_issued_at"], T0.0);
    assert_eq!(body["redirect_uris"], json!([AGENT_CALLBACK]));
    assert_eq!(body["client_name"], "Calendar agent");
    assert_eq!(body["token_endpoint_auth_method"], "none");
    // Section 2: no scope asked for, the server's default set.
    assert_eq!(body["scope"], "calendar.read read");
    assert!(body.get("client_secret").is_none());
}

#[test]
fn rfc7591_3_2_1_two_registrations_get_two_client_ids() {
    let mut sim = sim();
    let first = json(&register(&mut sim, &agent_metadata()));
    let second = json(&register(&mut sim, &agent_metadata()));
    assert_ne!(first["client_id"], second["client_id"]);
}

#[test]
fn rfc7591_3_2_1_a_confidential_client_gets_a_secret_that_authenticates_it() {
    let mut sim = sim();
    let metadata = json!({
        "grant_types": ["client_credentials"],
        "response_types": [],
        "token_endpoint_auth_method": "client_secret_basic",
        "scope": "read",
    });
    let response = register(&mut sim, &metadata);
    assert_eq!(response.status, 201, "{}", response.body);
    let body = json(&response);
    let client_id = body["client_id"].as_str().unwrap();
    let secret = body["client_secret"].as_str().unwrap();
    // REQUIRED with a secret; 0 is "will not expire".
    assert_eq!(body["client_secret_expires_at"], 0);
    let token = sim.send(
        Request::post_form(
            Url::parse("https://as.example/token").unwrap(),
            &[("grant_type", "client_credentials")],
        )
        .with_header("Authorization", basic_credentials(client_id, secret)),
    );
    assert_eq!(token.status, 200, "{}", token.body);
    let wrong = sim.send(
        Request::post_form(
            Url::parse("https://as.example/token").unwrap(),
            &[("grant_type", "client_credentials")],
        )
        .with_header("Authorization", basic_credentials(client_id, "guess")),
    );
    assert_eq!(error_of(&wrong), "invalid_client");
}

#[test]
fn rfc7591_3_1_a_request_that_is_not_json_is_invalid_client_metadata() {
    let mut sim = sim();
    let response = sim.post("/register", &[("redirect_uris", AGENT_CALLBACK)]);
    let (error, description) = registration_error(&response);
    assert_eq!(error, "invalid_client_metadata");
    assert!(description.contains("application/json"), "{description}");
}

#[test]
fn rfc7591_3_2_2_a_redirect_uri_over_plain_http_to_another_host_is_invalid_redirect_uri() {
    let mut sim = sim();
    let metadata = json!({
        "redirect_uris": ["http://agent.example/callback"],
        "token_endpoint_auth_method": "none",
    });
    let (error, description) = registration_error(&register(&mut sim, &metadata));
    assert_eq!(error, "invalid_redirect_uri");
    assert!(
        description.contains("http://agent.example/callback"),
        "{description}"
    );
}

#[test]
fn rfc7591_2_a_scope_beyond_what_the_server_registers_is_invalid_client_metadata() {
    let mut sim = sim();
    let mut metadata = agent_metadata();
    metadata["scope"] = json!("calendar.read admin");
    let (error, description) = registration_error(&register(&mut sim, &metadata));
    assert_eq!(error, "invalid_client_metadata");
    assert!(description.contains("admin"), "{description}");
}

#[test]
fn rfc6749_4_4_a_public_client_cannot_register_for_client_credentials() {
    let mut sim = sim();
    let metadata = json!({
        "grant_types": ["client_credentials"],
        "response_types": [],
        "token_endpoint_auth_method": "none",
    });
    let (error, description) = registration_error(&register(&mut sim, &metadata));
    assert_eq!(error, "invalid_client_metadata");
    assert!(description.contains("section 4.4"), "{description}");
}

#[test]
fn rfc9700_2_1_2_the_implicit_response_type_is_refused_at_registration() {
    let mut sim = sim();
    let mut metadata = agent_metadata();
    metadata["response_types"] = json!(["code", "token"]);
    let (error, description) = registration_error(&register(&mut sim, &metadata));
    assert_eq!(error, "invalid_client_metadata");
    assert!(description.contains("\"token\""), "{description}");
}

#[test]
fn the_registration_endpoint_takes_only_post_and_exists_only_when_offered() {
    let url = Url::parse("https://as.example/register").unwrap();
    assert_eq!(sim().send(Request::get(url.clone())).status, 405);
    let mut bare = Sim::new(server());
    assert_eq!(bare.send(Request::get(url)).status, 404);
    assert_eq!(register(&mut bare, &agent_metadata()).status, 404);
}

#[test]
fn mcp_a_registered_agent_gets_a_token_for_the_tool_server_with_code_pkce_and_resource() {
    let mut sim = sim();
    let registered = json(&register(&mut sim, &agent_metadata()));
    let client_id = registered["client_id"].as_str().unwrap();
    let back = sim.approve(&[
        ("response_type", "code"),
        ("client_id", client_id),
        ("redirect_uri", AGENT_CALLBACK),
        ("scope", "calendar.read"),
        ("state", "s-1"),
        ("code_challenge", CHALLENGE),
        ("code_challenge_method", "S256"),
        ("resource", TOOLS),
    ]);
    let code = query_value(&back, "code").expect("a code");
    let token = sim.post(
        "/token",
        &[
            ("grant_type", "authorization_code"),
            ("code", &code),
            ("redirect_uri", AGENT_CALLBACK),
            ("client_id", client_id),
            ("code_verifier", VERIFIER),
            ("resource", TOOLS),
        ],
    );
    assert_eq!(token.status, 200, "{}", token.body);
    let body = json(&token);
    let issued = claims(&sim, body["access_token"].as_str().unwrap());
    assert_eq!(issued["aud"], TOOLS);
    assert_eq!(issued["client_id"], client_id);
    assert_eq!(issued["scope"], "calendar.read");
    // Registered for refresh_token too: the agent keeps working.
    assert!(body["refresh_token"].is_string());
}
