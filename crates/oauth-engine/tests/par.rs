//! Pushed authorization requests (RFC 9126): the request goes over the
//! back channel, the browser carries a single-use, short-lived reference
//! bound to the client that pushed it.

mod common;

use common::*;
use oauth_engine::http::{Request, Response, Url};
use oauth_engine::server::{REQUEST_URI_LIFETIME, ServerPolicy, basic_credentials};
use serde_json::Value;

#[cfg(target_arch = "wasm32")]
use wasm_bindgen_test::wasm_bindgen_test as test;
#[cfg(target_arch = "wasm32")]
wasm_bindgen_test::wasm_bindgen_test_configure!(run_in_browser);

fn json(response: &Response) -> Value {
    serde_json::from_str(&response.body).unwrap()
}

/// Pushes the SPA's usual request; returns the response.
fn push(sim: &mut Sim, query: &[(&str, &str)]) -> Response {
    sim.post("/par", query)
}

fn request_uri(response: &Response) -> String {
    assert_eq!(response.status, 201, "{}", response.body);
    json(response)["request_uri"].as_str().unwrap().to_owned()
}

/// The browser goes to /authorize with the reference, signs in as alice and
/// approves: the redirect back.
fn authorize_with(sim: &mut Sim, client_id: &'static str, reference: &str) -> Response {
    sim.authorize(&[("client_id", client_id), ("request_uri", reference)])
}

#[test]
fn rfc9126_2_2_a_pushed_request_gets_a_short_lived_request_uri() {
    let mut sim = Sim::new(server());
    let response = push(&mut sim, &spa_query());
    assert_eq!(response.status, 201);
    assert!(
        response
            .to_http_text()
            .starts_with("HTTP/1.1 201 Created\r\n")
    );
    assert_eq!(response.headers.get("Cache-Control"), Some("no-store"));
    let body = json(&response);
    assert!(
        body["request_uri"]
            .as_str()
            .unwrap()
            .starts_with("urn:ietf:params:oauth:request_uri:")
    );
    assert_eq!(body["expires_in"], REQUEST_URI_LIFETIME);
}

#[test]
fn rfc9126_4_the_browser_brings_only_client_id_and_request_uri() {
    let mut sim = Sim::new(server());
    let reference = request_uri(&push(&mut sim, &spa_query()));
    let back = sim.approve(&[("client_id", "spa"), ("request_uri", &reference)]);
    assert_eq!(back.origin, "https://spa.example");
    // The pushed state and PKCE challenge are the ones in force.
    assert_eq!(query_value(&back, "state").as_deref(), Some("af0ifjsldkj"));
    let code = query_value(&back, "code").unwrap();
    assert_eq!(sim.spa_token_request(&code, VERIFIER).status, 200);
}

#[test]
fn rfc9126_4_parameters_beside_request_uri_are_ignored() {
    let mut sim = Sim::new(server());
    let reference = request_uri(&push(&mut sim, &with(&spa_query(), "scope", "read")));
    let back = sim.approve(&[
        ("client_id", "spa"),
        ("request_uri", &reference),
        ("scope", "read write"),
        ("redirect_uri", "https://attacker.example/callback"),
    ]);
    assert_eq!(back.origin, "https://spa.example");
    let code = query_value(&back, "code").unwrap();
    assert_eq!(
        json(&sim.spa_token_request(&code, VERIFIER))["scope"],
        "read"
    );
}

#[test]
fn rfc9126_7_3_a_request_uri_is_used_once() {
    let mut sim = Sim::new(server());
    let reference = request_uri(&push(&mut sim, &spa_query()));
    assert_eq!(authorize_with(&mut sim, "spa", &reference).status, 200);
    let again = authorize_with(&mut sim, "spa", &reference);
    assert_eq!(again.status, 400);
    assert!(again.body.contains("already used"), "{}", again.body);
}

#[test]
fn rfc9126_2_2_an_expired_request_uri_is_refused() {
    let mut sim = Sim::new(server());
    let reference = request_uri(&push(&mut sim, &spa_query()));
    sim.now = sim.now.plus(REQUEST_URI_LIFETIME);
    let response = authorize_with(&mut sim, "spa", &reference);
    assert_eq!(response.status, 400);
    assert!(response.body.contains("expired"), "{}", response.body);
}

#[test]
fn rfc9126_4_a_request_uri_works_only_for_the_client_that_pushed_it() {
    let mut sim = Sim::new(server());
    let reference = request_uri(&push(&mut sim, &spa_query()));
    let response = authorize_with(&mut sim, "tv", &reference);
    assert_eq!(response.status, 400);
    assert!(
        response.body.contains("another client"),
        "{}",
        response.body
    );
    let without = sim.authorize(&[("request_uri", &reference)]);
    assert!(without.body.contains("no client_id"), "{}", without.body);
}

#[test]
fn rfc9126_2_1_a_confidential_client_authenticates_to_push() {
    let mut sim = Sim::new(server());
    let query = [
        ("response_type", "code"),
        ("client_id", "webapp"),
        ("redirect_uri", WEB_CALLBACK),
        ("scope", "read"),
        ("code_challenge", CHALLENGE),
        ("code_challenge_method", "S256"),
    ];
    let unauthenticated = push(&mut sim, &query);
    assert_eq!(unauthenticated.status, 401);
    assert_eq!(json(&unauthenticated)["error"], "invalid_client");
    let url = Url::parse("https://as.example/par").unwrap();
    let authenticated = sim.send(Request::post_form(url, &query).with_header(
        "Authorization",
        basic_credentials("webapp", "webapp-secret"),
    ));
    assert_eq!(authenticated.status, 201, "{}", authenticated.body);
}

#[test]
fn rfc9126_2_3_a_bad_pushed_request_is_answered_with_json_not_a_redirect() {
    let mut sim = Sim::new(server());
    let unregistered = push(
        &mut sim,
        &with(
            &spa_query(),
            "redirect_uri",
            "https://attacker.example/callback",
        ),
    );
    assert_eq!(unregistered.status, 400);
    assert_eq!(json(&unregistered)["error"], "invalid_request");
    assert!(unregistered.headers.get("Location").is_none());
    let no_pkce = json(&push(&mut sim, &without(&spa_query(), "code_challenge")));
    assert_eq!(no_pkce["error"], "invalid_request");
    assert!(
        no_pkce["error_description"]
            .as_str()
            .unwrap()
            .contains("code_challenge")
    );
    let nested = json(&push(&mut sim, &with(&spa_query(), "request_uri", "urn:x")));
    assert!(
        nested["error_description"]
            .as_str()
            .unwrap()
            .contains("request_uri cannot be pushed")
    );
}

#[test]
fn rfc9126_5_a_server_that_requires_par_refuses_a_plain_request() {
    let mut sim = Sim::new(server_with(ServerPolicy {
        require_par: true,
        ..ServerPolicy::default()
    }));
    let back = location(&sim.authorize(&spa_query()));
    assert_eq!(
        query_value(&back, "error").as_deref(),
        Some("invalid_request")
    );
    assert!(
        query_value(&back, "error_description")
            .unwrap()
            .contains("RFC 9126")
    );
    let reference = request_uri(&push(&mut sim, &spa_query()));
    assert_eq!(authorize_with(&mut sim, "spa", &reference).status, 200);
    let metadata = sim.server.metadata();
    assert_eq!(metadata["require_pushed_authorization_requests"], true);
    assert_eq!(
        metadata["pushed_authorization_request_endpoint"],
        "https://as.example/par"
    );
}

#[test]
fn rfc8707_2_a_pushed_request_names_the_resource_its_token_is_for() {
    const TOOLS: &str = "https://tools.example/mcp";
    let mut server = server();
    server.protect_resource(TOOLS);
    let mut sim = Sim::new(server);
    let reference = request_uri(&push(&mut sim, &with(&spa_query(), "resource", TOOLS)));
    let back = sim.approve(&[("client_id", "spa"), ("request_uri", &reference)]);
    let code = query_value(&back, "code").expect("a code");
    let response = sim.spa_token_request_for(&code, None);
    assert_eq!(response.status, 200, "{}", response.body);
    let token = json(&response)["access_token"].as_str().unwrap().to_owned();
    assert_eq!(claims(&sim, &token)["aud"], TOOLS);
    // Section 2: a resource the server does not protect is refused when
    // pushed, before any browser sees it.
    let unknown = push(
        &mut sim,
        &with(&spa_query(), "resource", "https://elsewhere.example"),
    );
    assert_eq!(unknown.status, 400);
    assert_eq!(json(&unknown)["error"], "invalid_target");
}
