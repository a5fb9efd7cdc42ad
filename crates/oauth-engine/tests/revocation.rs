//! Token revocation (RFC 7009): a client revokes a token it holds; a
//! refresh token takes its family's access tokens with it; an unknown token
//! still gets 200; a token of another client is refused.

mod common;

use common::*;
use oauth_engine::http::{Request, Response, Url};
use oauth_engine::server::basic_credentials;
use serde_json::Value;

#[cfg(target_arch = "wasm32")]
use wasm_bindgen_test::wasm_bindgen_test as test;
#[cfg(target_arch = "wasm32")]
wasm_bindgen_test::wasm_bindgen_test_configure!(run_in_browser);

fn json(response: &Response) -> Value {
    serde_json::from_str(&response.body).unwrap()
}

/// The SPA's tokens after code + PKCE.
fn spa_tokens(sim: &mut Sim) -> Value {
    let code = sim.spa_code();
    json(&sim.spa_token_request(&code, VERIFIER))
}

fn revoke(sim: &mut Sim, form: &[(&str, &str)]) -> Response {
    sim.post("/revoke", form)
}

fn jti(access_token: &str) -> String {
    let payload = access_token.split('.').nth(1).unwrap();
    let claims: Value =
        serde_json::from_slice(&oauth_engine::jose::b64_decode(payload).unwrap()).unwrap();
    claims["jti"].as_str().unwrap().to_owned()
}

#[test]
fn rfc7009_2_1_revoking_a_refresh_token_revokes_its_family() {
    let mut sim = Sim::new(server());
    let tokens = spa_tokens(&mut sim);
    let refresh = tokens["refresh_token"].as_str().unwrap();
    let access = tokens["access_token"].as_str().unwrap();
    let response = revoke(
        &mut sim,
        &[
            ("token", refresh),
            ("token_type_hint", "refresh_token"),
            ("client_id", "spa"),
        ],
    );
    assert_eq!(response.status, 200);
    assert_eq!(json(&sim.refresh(refresh))["error"], "invalid_grant");
    // The access token issued with it is revoked too.
    assert!(sim.server.is_access_token_revoked(&jti(access)));
}

#[test]
fn rfc7009_2_1_an_access_token_can_be_revoked_alone() {
    let mut sim = Sim::new(server());
    let tokens = spa_tokens(&mut sim);
    let access = tokens["access_token"].as_str().unwrap();
    // A wrong hint does not matter: the server looks everywhere.
    let response = revoke(
        &mut sim,
        &[
            ("token", access),
            ("token_type_hint", "refresh_token"),
            ("client_id", "spa"),
        ],
    );
    assert_eq!(response.status, 200);
    assert!(sim.server.is_access_token_revoked(&jti(access)));
    // The refresh token still works.
    let refresh = tokens["refresh_token"].as_str().unwrap();
    assert_eq!(sim.refresh(refresh).status, 200);
}

#[test]
fn rfc7009_2_2_an_unknown_token_gets_200() {
    let mut sim = Sim::new(server());
    let response = revoke(&mut sim, &[("token", "never-issued"), ("client_id", "spa")]);
    assert_eq!(response.status, 200);
    assert!(response.body.is_empty());
}

#[test]
fn rfc7009_2_1_the_client_must_authenticate_and_name_a_token() {
    let mut sim = Sim::new(server());
    let missing = json(&revoke(&mut sim, &[("client_id", "spa")]));
    assert_eq!(missing["error"], "invalid_request");
    assert!(
        missing["error_description"]
            .as_str()
            .unwrap()
            .contains("token is missing")
    );
    // A confidential client without its secret.
    let unauthenticated = revoke(&mut sim, &[("token", "x"), ("client_id", "webapp")]);
    assert_eq!(unauthenticated.status, 401);
    assert_eq!(json(&unauthenticated)["error"], "invalid_client");
}

#[test]
fn rfc7009_2_1_a_token_of_another_client_is_refused_and_stays_valid() {
    let mut sim = Sim::new(server());
    let tokens = spa_tokens(&mut sim);
    let refresh = tokens["refresh_token"].as_str().unwrap();
    let url = Url::parse("https://as.example/revoke").unwrap();
    let request = Request::post_form(url, &[("token", refresh)]).with_header(
        "Authorization",
        basic_credentials("webapp", "webapp-secret"),
    );
    let response = sim.send(request);
    assert_eq!(response.status, 400);
    assert_eq!(json(&response)["error"], "unauthorized_client");
    assert_eq!(sim.refresh(refresh).status, 200);
}

#[test]
fn rfc8414_2_metadata_names_the_revocation_endpoint() {
    let metadata = server().metadata();
    assert_eq!(metadata["revocation_endpoint"], "https://as.example/revoke");
}
