//! Resource indicators at the authorization server (RFC 8707): a client
//! names the resource a token is for, and the token's `aud` is that
//! resource, as an MCP client does for a tool server (MCP authorization,
//! revision 2026-07-28, "Resource Parameter Implementation").

mod common;

use common::*;
use oauth_engine::http::Url;
use serde_json::Value;

#[cfg(target_arch = "wasm32")]
use wasm_bindgen_test::wasm_bindgen_test as test;
#[cfg(target_arch = "wasm32")]
wasm_bindgen_test::wasm_bindgen_test_configure!(run_in_browser);

const TOOLS: &str = "https://tools.example/mcp";
const API: &str = "https://api.example";

fn sim() -> Sim {
    let mut server = server();
    server.protect_resource(TOOLS);
    Sim::new(server)
}

/// The SPA's code flow with `resource` on the authorization request and,
/// if given, `token_resource` on the token request.
fn tokens(sim: &mut Sim, resource: &'static str, token_resource: Option<&str>) -> Value {
    let code = sim.spa_code_for(resource);
    json(&sim.spa_token_request_for(&code, token_resource))
}

fn audience(sim: &Sim, tokens: &Value) -> Value {
    let token = tokens["access_token"].as_str().expect("an access token");
    claims(sim, token)["aud"].clone()
}

#[test]
fn rfc8707_2_the_token_is_for_the_resource_the_requests_name() {
    let mut sim = sim();
    let issued = tokens(&mut sim, TOOLS, Some(TOOLS));
    assert_eq!(audience(&sim, &issued), TOOLS);
}

#[test]
fn rfc8707_2_2_without_resource_on_the_token_request_the_authorized_one_is_used() {
    let mut sim = sim();
    let issued = tokens(&mut sim, TOOLS, None);
    assert_eq!(audience(&sim, &issued), TOOLS);
    // And a refreshed token keeps it.
    let refresh = issued["refresh_token"].as_str().unwrap().to_owned();
    let refreshed = json(&sim.refresh(&refresh));
    assert_eq!(audience(&sim, &refreshed), TOOLS);
}

#[test]
fn rfc8707_2_without_resource_the_token_is_for_the_servers_api() {
    let mut sim = sim();
    let code = sim.spa_code();
    let issued = json(&sim.spa_token_request(&code, VERIFIER));
    assert_eq!(audience(&sim, &issued), API);
}

#[test]
fn rfc8707_2_an_unknown_resource_is_invalid_target_at_the_authorization_endpoint() {
    let mut sim = sim();
    for unknown in [
        "https://attacker.example/mcp",
        "https://tools.example/mcp/",
        "tools.example",
    ] {
        let query = with(&spa_query(), "resource", unknown);
        let back: Url = location(&sim.authorize(&query));
        assert_eq!(
            query_value(&back, "error").as_deref(),
            Some("invalid_target"),
            "{unknown}"
        );
        // Back to the client, with its state (RFC 6749 section 4.1.2.1).
        assert_eq!(query_value(&back, "state").as_deref(), Some("af0ifjsldkj"));
        let description = query_value(&back, "error_description").unwrap();
        assert!(description.contains("RFC 8707"), "{description}");
    }
}

#[test]
fn rfc8707_2_2_a_token_request_for_another_resource_than_authorized_is_invalid_target() {
    let mut sim = sim();
    let code = sim.spa_code_for(TOOLS);
    // Known to the server, but not what the user authorized.
    let response = sim.spa_token_request_for(&code, Some(API));
    assert_eq!(response.status, 400);
    assert_eq!(error_of(&response), "invalid_target");
    let description = json(&response)["error_description"]
        .as_str()
        .unwrap()
        .to_owned();
    assert!(
        description.contains("not the resource this grant"),
        "{description}"
    );
}

#[test]
fn rfc8707_2_2_naming_the_servers_api_when_the_authorization_named_none_is_the_same() {
    let mut sim = sim();
    let code = sim.spa_code();
    let response = sim.spa_token_request_for(&code, Some(API));
    assert_eq!(response.status, 200, "{}", response.body);
    assert_eq!(audience(&sim, &json(&response)), API);
    // But not the tool server, which the user never authorized.
    let code = sim.spa_code();
    let response = sim.spa_token_request_for(&code, Some(TOOLS));
    assert_eq!(error_of(&response), "invalid_target");
}

#[test]
fn rfc8707_2_2_a_refresh_for_another_resource_is_invalid_target() {
    let mut sim = sim();
    let issued = tokens(&mut sim, TOOLS, None);
    let refresh = issued["refresh_token"].as_str().unwrap();
    let response = sim.post(
        "/token",
        &[
            ("grant_type", "refresh_token"),
            ("refresh_token", refresh),
            ("client_id", "spa"),
            ("resource", API),
        ],
    );
    assert_eq!(error_of(&response), "invalid_target");
}
