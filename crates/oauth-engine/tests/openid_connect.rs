//! OpenID Connect: the ID token, UserInfo and discovery at the server, and
//! the client's ID token checks in whole runs.

mod common;

use common::*;
use oauth_engine::dpop::{DpopKey, ProofClaims};
use oauth_engine::http::{Method, Request, Response, Url};
use oauth_engine::jose::SigningKey;
use oauth_engine::jwa::ES256;
use oauth_engine::rng::SeededRng;
use oauth_engine::server::{at_hash, basic_credentials};
use oauth_engine::sim::scenario::Scenario;
use serde_json::Value;

#[cfg(target_arch = "wasm32")]
use wasm_bindgen_test::wasm_bindgen_test as test;
#[cfg(target_arch = "wasm32")]
wasm_bindgen_test::wasm_bindgen_test_configure!(run_in_browser);

fn userinfo(sim: &mut Sim, token: Option<&str>) -> Response {
    let mut request = Request::get(Url::parse("https://as.example/userinfo").unwrap());
    if let Some(token) = token {
        request = request.with_header("Authorization", format!("Bearer {token}"));
    }
    sim.send(request)
}

#[test]
fn oidc_core_3_1_3_3_scope_openid_adds_an_id_token_with_nonce_at_hash_and_auth_time() {
    let mut sim = Sim::new(server());
    let tokens = webapp_tokens(&mut sim, "openid profile");
    let id_token = tokens["id_token"].as_str().expect("an id_token");
    let decoded = sim
        .server
        .signing_key()
        .verifying_key()
        .verify(id_token)
        .unwrap();
    assert_eq!(decoded.header["typ"], "JWT");
    let claims = decoded.claims().unwrap();
    assert_eq!(claims["iss"], "https://as.example");
    assert_eq!(claims["sub"], "user-alice");
    assert_eq!(claims["aud"], "webapp");
    assert_eq!(claims["nonce"], "n-0S6_WzA2Mj");
    assert_eq!(claims["auth_time"], T0.0);
    assert_eq!(
        claims["at_hash"],
        at_hash(tokens["access_token"].as_str().unwrap())
    );
}

#[test]
fn oidc_core_3_1_3_3_without_openid_there_is_no_id_token() {
    let mut sim = Sim::new(server());
    let tokens = webapp_tokens(&mut sim, "read");
    assert!(tokens.get("id_token").is_none());
}

#[test]
fn oidc_core_5_3_userinfo_releases_the_claims_of_the_granted_scopes() {
    let mut sim = Sim::new(server());
    let tokens = webapp_tokens(&mut sim, "openid profile");
    let response = userinfo(&mut sim, tokens["access_token"].as_str());
    assert_eq!(response.status, 200, "{}", response.body);
    let claims = json(&response);
    assert_eq!(claims["sub"], "user-alice");
    assert_eq!(claims["name"], "Alice Liddell");
    assert_eq!(claims["preferred_username"], "alice");
    // No email scope, no email claim (Core section 5.4).
    assert!(claims.get("email").is_none());
}

#[test]
fn rfc9068_4_userinfo_refuses_an_access_token_issued_for_another_api() {
    let mut sim = Sim::new(server());
    // Without openid, the token is for the API alone.
    let tokens = webapp_tokens(&mut sim, "read");
    let access_token = tokens["access_token"].as_str().unwrap();
    assert_eq!(claims(&sim, access_token)["aud"], "https://api.example");
    let response = userinfo(&mut sim, Some(access_token));
    assert_eq!(response.status, 401);
    let challenge = response.headers.get("WWW-Authenticate").unwrap();
    assert!(challenge.contains("invalid_token"), "{challenge}");
    assert!(challenge.contains("aud"), "{challenge}");
}

#[test]
fn rfc9068_3_a_token_with_scope_openid_is_for_the_api_and_for_userinfo() {
    let mut sim = Sim::new(server());
    let tokens = webapp_tokens(&mut sim, "openid read");
    let access_token = tokens["access_token"].as_str().unwrap();
    assert_eq!(
        claims(&sim, access_token)["aud"],
        serde_json::json!(["https://api.example", "https://as.example/userinfo"])
    );
    assert_eq!(userinfo(&mut sim, Some(access_token)).status, 200);
}

#[test]
fn oidc_core_5_3_3_userinfo_needs_a_token_with_scope_openid() {
    let mut sim = Sim::new(server());
    // A token for UserInfo without openid: this server never issues one
    // (a refresh may narrow the scope, but then the audience narrows too),
    // so it is signed here with the server's key.
    let claims = serde_json::json!({
        "iss": "https://as.example",
        "sub": "user-alice",
        "aud": "https://as.example/userinfo",
        "client_id": "webapp",
        "scope": "read",
        "iat": T0.0,
        "exp": T0.0 + 60,
        "jti": "hand-made",
    });
    let mut header = serde_json::Map::new();
    header.insert("typ".into(), "at+jwt".into());
    let token = sim
        .server
        .signing_key()
        .sign(header, claims.to_string().as_bytes());
    let response = userinfo(&mut sim, Some(&token));
    assert_eq!(response.status, 403);
    assert!(
        response
            .headers
            .get("WWW-Authenticate")
            .unwrap()
            .contains("scope=\"openid\"")
    );
    let response = userinfo(&mut sim, None);
    assert_eq!(response.status, 401);
    assert!(
        response
            .headers
            .get("WWW-Authenticate")
            .unwrap()
            .contains("invalid_token")
    );
}

#[test]
fn rfc7515_4_1_9_userinfo_accepts_typ_application_at_jwt_in_any_case() {
    let mut sim = Sim::new(server());
    let tokens = webapp_tokens(&mut sim, "openid");
    let original = claims(&sim, tokens["access_token"].as_str().unwrap());
    for typ in ["application/at+jwt", "AT+JWT", "Application/AT+JWT"] {
        let mut header = serde_json::Map::new();
        header.insert("typ".into(), typ.into());
        let token = sim.server.signing_key().sign(
            header,
            Value::Object(original.clone()).to_string().as_bytes(),
        );
        let response = userinfo(&mut sim, Some(&token));
        assert_eq!(response.status, 200, "typ {typ}: {}", response.body);
    }
}

#[test]
fn oidc_core_12_2_a_refresh_with_openid_brings_a_new_id_token_for_the_same_sign_in() {
    let mut sim = Sim::new(server());
    let first = webapp_tokens(&mut sim, "openid profile");
    let original = claims(&sim, first["id_token"].as_str().unwrap());
    sim.now = T0.plus(120);
    let request = Request::post_form(
        Url::parse("https://as.example/token").unwrap(),
        &[
            ("grant_type", "refresh_token"),
            ("refresh_token", first["refresh_token"].as_str().unwrap()),
        ],
    )
    .with_header(
        "Authorization",
        basic_credentials("webapp", "webapp-secret"),
    );
    let refreshed = json(&sim.send(request));
    let id_token = refreshed["id_token"]
        .as_str()
        .expect("an id_token on refresh");
    let renewed = claims(&sim, id_token);
    for same in ["iss", "sub", "aud", "auth_time"] {
        assert_eq!(renewed[same], original[same], "{same}");
    }
    assert_eq!(renewed["auth_time"], T0.0);
    assert_eq!(renewed["iat"], T0.0 + 120);
    // A refresh is no authentication request: no nonce to echo.
    assert!(renewed.get("nonce").is_none());
    assert_eq!(
        renewed["at_hash"],
        at_hash(refreshed["access_token"].as_str().unwrap())
    );
}

#[test]
fn oidc_core_3_1_3_3_the_device_grant_with_openid_brings_an_id_token() {
    let mut sim = Sim::new(server());
    let started = json(&sim.post(
        "/device_authorization",
        &[("client_id", "tv"), ("scope", "openid read")],
    ));
    let login = sim.post(
        "/device",
        &[("user_code", started["user_code"].as_str().unwrap())],
    );
    let transaction = hidden_field(&login.body, "transaction");
    sim.post(
        "/login",
        &[
            ("transaction", &transaction),
            ("username", "alice"),
            ("password", "wonderland"),
        ],
    );
    sim.decide(&transaction, "approve");
    sim.now = T0.plus(5);
    let tokens = json(&sim.post(
        "/token",
        &[
            ("grant_type", oauth_engine::server::DEVICE_CODE_GRANT),
            ("device_code", started["device_code"].as_str().unwrap()),
            ("client_id", "tv"),
        ],
    ));
    let id_token = tokens["id_token"].as_str().expect("an id_token");
    let claims = claims(&sim, id_token);
    assert_eq!(claims["sub"], "user-alice");
    assert_eq!(claims["aud"], "tv");
    assert_eq!(claims["auth_time"], T0.0);
    assert!(claims.get("nonce").is_none());
}

#[test]
fn oidc_discovery_3_configuration_adds_userinfo_and_signing_algorithms() {
    let mut sim = Sim::new(server());
    let url = Url::parse("https://as.example/.well-known/openid-configuration").unwrap();
    let metadata = json(&sim.send(Request::get(url)));
    assert_eq!(metadata["issuer"], "https://as.example");
    assert_eq!(metadata["userinfo_endpoint"], "https://as.example/userinfo");
    assert_eq!(
        metadata["id_token_signing_alg_values_supported"][0],
        "RS256"
    );
    assert_eq!(metadata["jwks_uri"], "https://as.example/jwks");
}

fn key() -> SigningKey {
    oauth_engine::keys::demo_signing_key().unwrap()
}

fn oidc_scenario() -> Scenario {
    let mut scenario = Scenario::default();
    scenario.client.scope = "openid profile read".into();
    scenario.registration.allowed_scope = "openid profile read write".into();
    scenario
}

#[test]
fn oidc_core_3_1_3_7_the_client_fetches_the_jwks_and_accepts_the_id_token() {
    let run = oidc_scenario().run(key());
    assert_eq!(run.stopped, None);
    assert!(run.trace[0].request.url.to_string().contains("nonce="));
    let paths: Vec<&str> = run
        .trace
        .iter()
        .map(|e| e.request.url.path.as_str())
        .collect();
    assert_eq!(&paths[4..], ["/token", "/jwks", "/profile", "/profile"]);
    assert!(run.client.tokens.unwrap().id_token.is_some());
}

#[test]
fn oidc_core_3_1_3_7_each_id_token_check_refuses_its_own_mismatch() {
    let scenario = oidc_scenario();
    let run = scenario.run(key());
    let jwks = run.trace[5].response.json_body().unwrap();
    let issuer = "https://as.example";

    let mut other_client = run.client.clone();
    other_client.settings.client_id = "someone-else".into();
    let error = other_client
        .validate_id_token(&jwks, issuer, run.end_time)
        .unwrap_err();
    assert!(
        error.to_string().contains("aud is not this client"),
        "{error}"
    );

    let error = run
        .client
        .validate_id_token(&jwks, "https://evil.example", run.end_time)
        .unwrap_err();
    assert!(
        error.to_string().contains("iss is not the expected issuer"),
        "{error}"
    );

    let later = run.end_time.plus(3_600);
    let error = run
        .client
        .validate_id_token(&jwks, issuer, later)
        .unwrap_err();
    assert!(error.to_string().contains("expired"), "{error}");

    let mut replayed = run.client.clone();
    if let Some(pending) = replayed.pending.as_mut() {
        pending.nonce = Some("a-different-nonce".into());
    }
    let error = replayed
        .validate_id_token(&jwks, issuer, run.end_time)
        .unwrap_err();
    assert!(
        error.to_string().contains("nonce is not the one"),
        "{error}"
    );

    let mut swapped = run.client.clone();
    if let Some(tokens) = swapped.tokens.as_mut() {
        tokens.access_token = oauth_engine::types::AccessToken::new("another-access-token");
    }
    let error = swapped
        .validate_id_token(&jwks, issuer, run.end_time)
        .unwrap_err();
    assert!(
        error.to_string().contains("at_hash does not match"),
        "{error}"
    );
}

#[test]
fn oidc_core_3_1_2_1_the_nonce_can_be_switched_off() {
    let mut scenario = oidc_scenario();
    scenario.client.safeguards.send_nonce = false;
    let run = scenario.run(key());
    assert_eq!(run.stopped, None);
    assert!(!run.trace[0].request.url.to_string().contains("nonce="));
}

/// A UserInfo request presenting `token` with the DPoP scheme and a proof
/// by `key` made for it (RFC 9449 section 7.1).
fn userinfo_with_proof(sim: &mut Sim, token: &str, key: &DpopKey) -> Response {
    let url = Url::parse("https://as.example/userinfo").unwrap();
    let claims = ProofClaims::for_request(Method::Get, &url, sim.now, &mut SeededRng::new(7))
        .unwrap()
        .presenting(token);
    let request = Request::get(url)
        .with_header("Authorization", format!("DPoP {token}"))
        .with_header("DPoP", key.proof(&claims));
    sim.send(request)
}

fn bound_openid_token(sim: &mut Sim, key: &DpopKey) -> String {
    let tokens = webapp_tokens_bound_to(sim, "openid profile", Some(key));
    assert_eq!(tokens["token_type"], "DPoP");
    tokens["access_token"].as_str().unwrap().to_owned()
}

#[test]
fn rfc9449_7_1_userinfo_takes_a_bound_token_with_a_proof_by_its_key() {
    let mut sim = Sim::new(server());
    let key = DpopKey::from_scalar(&[5; 32], ES256).unwrap();
    let token = bound_openid_token(&mut sim, &key);
    let response = userinfo_with_proof(&mut sim, &token, &key);
    assert_eq!(response.status, 200, "{}", response.body);
    let body: Value = serde_json::from_str(&response.body).unwrap();
    assert_eq!(body["sub"], "user-alice");
    assert_eq!(body["name"], "Alice Liddell");
}

#[test]
fn rfc9449_7_2_userinfo_refuses_a_bound_token_presented_as_bearer() {
    let mut sim = Sim::new(server());
    let token = bound_openid_token(&mut sim, &DpopKey::from_scalar(&[6; 32], ES256).unwrap());
    let response = userinfo(&mut sim, Some(&token));
    assert_eq!(response.status, 401, "{}", response.body);
    let body: Value = serde_json::from_str(&response.body).unwrap();
    assert_eq!(body["error"], "invalid_token");
    let challenge = response.headers.get("WWW-Authenticate").unwrap();
    assert!(
        challenge.starts_with("DPoP error=\"invalid_token\""),
        "{challenge}"
    );
}

#[test]
fn rfc9449_7_1_userinfo_refuses_a_proof_by_another_key_and_a_replayed_proof() {
    let mut sim = Sim::new(server());
    let key = DpopKey::from_scalar(&[8; 32], ES256).unwrap();
    let token = bound_openid_token(&mut sim, &key);
    let thief = DpopKey::from_scalar(&[9; 32], ES256).unwrap();
    let response = userinfo_with_proof(&mut sim, &token, &thief);
    assert_eq!(response.status, 401, "{}", response.body);
    let body: Value = serde_json::from_str(&response.body).unwrap();
    assert_eq!(body["error"], "invalid_dpop_proof");
    // Section 11.1: the holder's proof is used once; the same one again
    // (the same jti) is refused.
    assert_eq!(userinfo_with_proof(&mut sim, &token, &key).status, 200);
    let replayed = userinfo_with_proof(&mut sim, &token, &key);
    assert_eq!(replayed.status, 401, "{}", replayed.body);
}

#[test]
fn rfc9449_7_1_userinfo_offers_dpop_beside_bearer_when_no_token_is_sent() {
    let mut sim = Sim::new(server());
    let response = userinfo(&mut sim, None);
    assert_eq!(response.status, 401);
    let offered: Vec<&str> = response
        .headers
        .iter()
        .filter(|(name, _)| name.eq_ignore_ascii_case("WWW-Authenticate"))
        .map(|(_, value)| value)
        .collect();
    assert!(
        offered.iter().any(|value| value.starts_with("Bearer")),
        "{offered:?}"
    );
    assert!(offered.contains(&"DPoP algs=\"ES256\""), "{offered:?}");
}
