//! Token exchange (RFC 8693) at the authorization server's token endpoint,
//! offered as an extra grant: a tool server trades the user's token it was
//! given for one meant for the downstream API, instead of forwarding it.

mod common;

use common::*;
use oauth_engine::http::{Request, Response, Url};
use oauth_engine::server::{TokenExchange, basic_credentials};
use oauth_engine::token_exchange::GRANT_TYPE;
use serde_json::json;

#[cfg(target_arch = "wasm32")]
use wasm_bindgen_test::wasm_bindgen_test as test;
#[cfg(target_arch = "wasm32")]
wasm_bindgen_test::wasm_bindgen_test_configure!(run_in_browser);

const TOOLS: &str = "https://tools.example/mcp";
const API: &str = "https://api.example";
const ACCESS_TOKEN: &str = "urn:ietf:params:oauth:token-type:access_token";

/// A server that protects the tool server and lets the web app, standing
/// in for the tool server's own client, exchange the tokens meant for it.
fn sim() -> Sim {
    let mut server = server();
    server.protect_resource(TOOLS);
    let exchange = TokenExchange {
        exchangers: vec![("webapp".into(), TOOLS.into())],
    };
    server.offer(Box::new(exchange));
    Sim::new(server)
}

/// Alice's token for `resource`, as the agent (the SPA) gets it.
fn user_token(sim: &mut Sim, resource: &'static str) -> String {
    let code = sim.spa_code_for(resource);
    let response = sim.spa_token_request_for(&code, None);
    json(&response)["access_token"].as_str().unwrap().to_owned()
}

/// The tool server's exchange request, authenticated as `client`.
fn exchange_request(client: (&str, &str), subject_token: &str, extra: &[(&str, &str)]) -> Request {
    let mut form = vec![
        ("grant_type", GRANT_TYPE),
        ("subject_token", subject_token),
        ("subject_token_type", ACCESS_TOKEN),
    ];
    form.extend_from_slice(extra);
    Request::post_form(Url::parse("https://as.example/token").unwrap(), &form)
        .with_header("Authorization", basic_credentials(client.0, client.1))
}

/// The tool server's exchange request, sent.
fn exchange(
    sim: &mut Sim,
    client: (&str, &str),
    subject_token: &str,
    extra: &[(&str, &str)],
) -> Response {
    sim.send(exchange_request(client, subject_token, extra))
}

const TOOL_SERVER: (&str, &str) = ("webapp", "webapp-secret");

#[test]
fn rfc8693_2_2_1_the_tool_server_gets_a_token_for_the_api_that_names_it_as_actor() {
    let mut sim = sim();
    let token = user_token(&mut sim, TOOLS);
    let response = exchange(
        &mut sim,
        TOOL_SERVER,
        &token,
        &[("resource", API), ("scope", "read")],
    );
    assert_eq!(response.status, 200, "{}", response.body);
    let body = json(&response);
    assert_eq!(body["issued_token_type"], ACCESS_TOKEN);
    assert_eq!(body["token_type"], "Bearer");
    assert_eq!(body["scope"], "read");
    let issued = claims(&sim, body["access_token"].as_str().unwrap());
    assert_eq!(issued["aud"], API);
    assert_eq!(issued["sub"], "user-alice");
    assert_eq!(issued["client_id"], "webapp");
    assert_eq!(issued["act"], json!({ "sub": "webapp" }));
}

#[test]
fn rfc8693_2_2_2_a_token_not_issued_for_the_tool_server_is_invalid_request() {
    // The user's token for the API itself: the tool server was never given
    // it, so it may not exchange it.
    let mut sim = sim();
    let token = user_token(&mut sim, API);
    let response = exchange(&mut sim, TOOL_SERVER, &token, &[("resource", API)]);
    assert_eq!(error_of(&response), "invalid_request");
    let description = json(&response)["error_description"]
        .as_str()
        .unwrap()
        .to_owned();
    assert!(
        description.contains("not issued for https://tools.example/mcp"),
        "{description}"
    );
}

#[test]
fn rfc8693_2_2_2_a_forged_subject_token_is_invalid_request() {
    let mut sim = sim();
    let token = user_token(&mut sim, TOOLS);
    let forged = format!("{}x", &token[..token.len() - 1]);
    let response = exchange(&mut sim, TOOL_SERVER, &forged, &[("resource", API)]);
    assert_eq!(error_of(&response), "invalid_request");
}

#[test]
fn rfc8693_2_1_a_public_client_may_not_exchange() {
    // The agent itself (a public client) holds the user's token too, but
    // it serves no resource and proves nothing about who it is.
    let mut sim = sim();
    let token = user_token(&mut sim, TOOLS);
    let response = sim.post(
        "/token",
        &[
            ("grant_type", GRANT_TYPE),
            ("client_id", "spa"),
            ("subject_token", &token),
            ("subject_token_type", ACCESS_TOKEN),
            ("resource", API),
        ],
    );
    assert_eq!(error_of(&response), "unauthorized_client");
}

#[test]
fn rfc8693_2_2_2_an_unknown_target_is_invalid_target() {
    let mut sim = sim();
    let token = user_token(&mut sim, TOOLS);
    let response = exchange(
        &mut sim,
        TOOL_SERVER,
        &token,
        &[("resource", "https://bank.example")],
    );
    assert_eq!(error_of(&response), "invalid_target");
}

#[test]
fn rfc6749_5_2_without_the_grant_offered_token_exchange_is_unsupported_grant_type() {
    let mut sim = Sim::new(server());
    let response = exchange(&mut sim, TOOL_SERVER, "anything", &[]);
    assert_eq!(error_of(&response), "unsupported_grant_type");
}

#[test]
fn rfc9449_5_a_dpop_proof_with_the_exchange_binds_the_exchanged_token_to_its_key() {
    use oauth_engine::dpop::{DpopKey, ProofClaims};
    use oauth_engine::http::Method;
    use oauth_engine::jwa::ES256;
    use oauth_engine::rng::SeededRng;
    let mut sim = sim();
    let token = user_token(&mut sim, TOOLS);
    let key = DpopKey::from_scalar(&[9; 32], ES256).unwrap();
    let url = Url::parse("https://as.example/token").unwrap();
    let proof = key.proof(
        &ProofClaims::for_request(Method::Post, &url, sim.now, &mut SeededRng::new(3)).unwrap(),
    );
    let request =
        exchange_request(TOOL_SERVER, &token, &[("resource", API)]).with_header("DPoP", proof);
    let response = sim.send(request);
    assert_eq!(response.status, 200, "{}", response.body);
    let body = json(&response);
    assert_eq!(body["token_type"], "DPoP");
    let issued = claims(&sim, body["access_token"].as_str().unwrap());
    assert_eq!(issued["cnf"]["jkt"], key.thumbprint());
    assert_eq!(issued["act"], json!({ "sub": "webapp" }));
}
