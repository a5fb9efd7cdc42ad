//! Token introspection (RFC 7662) and opaque access tokens: an
//! authenticated caller learns whether a token is active and what it
//! stands for; an inactive token says only that.

mod common;

use common::*;
use oauth_engine::dpop::DpopKey;
use oauth_engine::http::{Request, Response, Url};
use oauth_engine::jwa::ES256;
use oauth_engine::server::{ServerPolicy, basic_credentials};
use serde_json::{Value, json};

#[cfg(target_arch = "wasm32")]
use wasm_bindgen_test::wasm_bindgen_test as test;
#[cfg(target_arch = "wasm32")]
wasm_bindgen_test::wasm_bindgen_test_configure!(run_in_browser);

fn json_of(response: &Response) -> Value {
    serde_json::from_str(&response.body).unwrap()
}

fn opaque() -> ServerPolicy {
    ServerPolicy {
        opaque_access_tokens: true,
        ..ServerPolicy::default()
    }
}

fn spa_tokens(sim: &mut Sim) -> Value {
    let code = sim.spa_code();
    json_of(&sim.spa_token_request(&code, VERIFIER))
}

/// The API's introspection request, authenticated as the confidential
/// client `webapp`.
fn introspect(sim: &mut Sim, token: &str) -> Response {
    let url = Url::parse("https://as.example/introspect").unwrap();
    let request = Request::post_form(url, &[("token", token)]).with_header(
        "Authorization",
        basic_credentials("webapp", "webapp-secret"),
    );
    sim.send(request)
}

#[test]
fn rfc7662_1_an_opaque_access_token_carries_nothing() {
    let mut sim = Sim::new(server_with(opaque()));
    let token = spa_tokens(&mut sim)["access_token"]
        .as_str()
        .unwrap()
        .to_owned();
    assert!(!token.contains('.'), "not a JWT: {token}");
    assert_eq!(oauth_engine::jose::b64_decode(&token).unwrap().len(), 32);
}

#[test]
fn rfc7662_2_2_an_active_token_answers_with_its_claims() {
    let mut sim = Sim::new(server_with(opaque()));
    let token = spa_tokens(&mut sim)["access_token"]
        .as_str()
        .unwrap()
        .to_owned();
    let response = introspect(&mut sim, &token);
    assert_eq!(response.status, 200);
    assert_eq!(response.headers.get("Cache-Control"), Some("no-store"));
    let body = json_of(&response);
    assert_eq!(body["active"], true);
    assert_eq!(body["client_id"], "spa");
    assert_eq!(body["scope"], "read write");
    assert_eq!(body["sub"], "user-alice");
    assert_eq!(body["iss"], "https://as.example");
    assert_eq!(body["aud"], "https://api.example");
    assert_eq!(body["token_type"], "Bearer");
    assert_eq!(body["exp"], T0.0 + 300);
}

#[test]
fn rfc7662_2_2_an_inactive_token_answers_active_false_and_nothing_else() {
    let mut sim = Sim::new(server_with(opaque()));
    let tokens = spa_tokens(&mut sim);
    let access = tokens["access_token"].as_str().unwrap().to_owned();
    // Unknown, expired, and revoked: each only {"active": false}.
    assert_eq!(
        json_of(&introspect(&mut sim, "never-issued")),
        json!({ "active": false })
    );
    sim.now = sim.now.plus(300);
    assert_eq!(
        json_of(&introspect(&mut sim, &access)),
        json!({ "active": false })
    );
    let mut sim = Sim::new(server_with(opaque()));
    let tokens = spa_tokens(&mut sim);
    let access = tokens["access_token"].as_str().unwrap().to_owned();
    let refresh = tokens["refresh_token"].as_str().unwrap().to_owned();
    assert_eq!(
        sim.post("/revoke", &[("token", &refresh), ("client_id", "spa")])
            .status,
        200
    );
    assert_eq!(
        json_of(&introspect(&mut sim, &access)),
        json!({ "active": false })
    );
}

#[test]
fn rfc7662_2_1_jwt_access_tokens_can_be_introspected_too() {
    let mut sim = Sim::new(server());
    let token = spa_tokens(&mut sim)["access_token"]
        .as_str()
        .unwrap()
        .to_owned();
    assert_eq!(token.split('.').count(), 3);
    assert_eq!(json_of(&introspect(&mut sim, &token))["active"], true);
}

#[test]
fn rfc7662_2_1_a_public_or_unauthenticated_caller_is_refused() {
    let mut sim = Sim::new(server_with(opaque()));
    let token = spa_tokens(&mut sim)["access_token"]
        .as_str()
        .unwrap()
        .to_owned();
    let public = sim.post("/introspect", &[("token", &token), ("client_id", "spa")]);
    assert_eq!(public.status, 401);
    let body = json_of(&public);
    assert_eq!(body["error"], "invalid_client");
    assert!(
        body["error_description"]
            .as_str()
            .unwrap()
            .contains("public client")
    );
    let wrong = sim.send(
        Request::post_form(
            Url::parse("https://as.example/introspect").unwrap(),
            &[("token", &token)],
        )
        .with_header("Authorization", basic_credentials("webapp", "wrong")),
    );
    assert_eq!(wrong.status, 401);
}

#[test]
fn rfc9449_6_2_a_bound_opaque_token_introspects_as_dpop_with_its_jkt() {
    let mut sim = Sim::new(server_with(opaque()));
    let key = DpopKey::from_scalar(&[9; 32], ES256).unwrap();
    let token = spa_tokens_bound_to(&mut sim, &key)["access_token"]
        .as_str()
        .unwrap()
        .to_owned();
    let body = json_of(&introspect(&mut sim, &token));
    assert_eq!(body["token_type"], "DPoP");
    assert_eq!(body["cnf"]["jkt"], key.thumbprint());
}

#[test]
fn openid_core_5_3_userinfo_reads_opaque_tokens_too() {
    let mut sim = Sim::new(server_with(opaque()));
    let token = webapp_tokens(&mut sim, "openid profile")["access_token"]
        .as_str()
        .unwrap()
        .to_owned();
    let request = Request::get(Url::parse("https://as.example/userinfo").unwrap())
        .with_header("Authorization", format!("Bearer {token}"));
    let response = sim.send(request);
    assert_eq!(response.status, 200, "{}", response.body);
    assert_eq!(json_of(&response)["name"], "Alice Liddell");
}

#[test]
fn rfc8414_2_metadata_names_the_introspection_endpoint() {
    let metadata = server().metadata();
    assert_eq!(
        metadata["introspection_endpoint"],
        "https://as.example/introspect"
    );
}
