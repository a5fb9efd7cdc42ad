//! DPoP at the token endpoint (RFC 9449 sections 5 to 8): tokens bound to
//! the key a proof shows, the server's nonce, a public client's refresh
//! token bound to its key, and each refusal by name.

mod common;

use common::*;
use oauth_engine::clock::UnixTime;
use oauth_engine::dpop::{DpopKey, ProofClaims};
use oauth_engine::http::{Method, Request, Response, Url};
use oauth_engine::jose::b64_decode;
use oauth_engine::jwa::ES256;
use oauth_engine::rng::SeededRng;
use oauth_engine::server::{DPOP_NONCE_HEADER, ServerPolicy};
use serde_json::Value;

#[cfg(target_arch = "wasm32")]
use wasm_bindgen_test::wasm_bindgen_test as test;
#[cfg(target_arch = "wasm32")]
wasm_bindgen_test::wasm_bindgen_test_configure!(run_in_browser);

const TOKEN: &str = "https://as.example/token";

fn key(seed: u8) -> DpopKey {
    DpopKey::from_scalar(&[seed; 32], ES256).unwrap()
}

/// A proof for a token request at `now`, with a jti from `jti_seed`.
fn proof(key: &DpopKey, now: UnixTime, nonce: Option<&str>, jti_seed: u64) -> String {
    let url = Url::parse(TOKEN).unwrap();
    let claims = ProofClaims::for_request(Method::Post, &url, now, &mut SeededRng::new(jti_seed))
        .unwrap()
        .with_nonce(nonce);
    key.proof(&claims)
}

fn token_request(form: &[(&str, &str)], proofs: &[String]) -> Request {
    let mut request = Request::post_form(Url::parse(TOKEN).unwrap(), form);
    for proof in proofs {
        request = request.with_header("DPoP", proof.clone());
    }
    request
}

fn code_form(code: &str) -> Vec<(&str, &str)> {
    vec![
        ("grant_type", "authorization_code"),
        ("code", code),
        ("redirect_uri", SPA_CALLBACK),
        ("client_id", "spa"),
        ("code_verifier", VERIFIER),
    ]
}

fn refresh_form(token: &str) -> Vec<(&str, &str)> {
    vec![
        ("grant_type", "refresh_token"),
        ("refresh_token", token),
        ("client_id", "spa"),
    ]
}

fn json(response: &Response) -> Value {
    serde_json::from_str(&response.body).unwrap()
}

fn claims_of(jwt: &str) -> Value {
    serde_json::from_slice(&b64_decode(jwt.split('.').nth(1).unwrap()).unwrap()).unwrap()
}

fn error_of(response: &Response) -> (u16, String, String) {
    let body = json(response);
    (
        response.status,
        body["error"].as_str().unwrap_or_default().to_owned(),
        body["error_description"]
            .as_str()
            .unwrap_or_default()
            .to_owned(),
    )
}

/// Signs in, approves, and redeems the code with one proof by `key`.
fn bound_tokens(sim: &mut Sim, key: &DpopKey) -> Value {
    spa_tokens_bound_to(sim, key)
}

#[test]
fn rfc9449_5_a_proof_binds_the_access_token_to_its_key() {
    let mut sim = Sim::new(server());
    let key = key(1);
    let body = bound_tokens(&mut sim, &key);
    assert_eq!(body["token_type"], "DPoP");
    let claims = claims_of(body["access_token"].as_str().unwrap());
    // RFC 9449 section 6.1: the key's thumbprint in cnf.jkt.
    assert_eq!(claims["cnf"]["jkt"], key.thumbprint());
}

#[test]
fn rfc9449_5_without_a_proof_the_token_stays_a_bearer_token() {
    let mut sim = Sim::new(server());
    let code = sim.spa_code();
    let body = json(&sim.spa_token_request(&code, VERIFIER));
    assert_eq!(body["token_type"], "Bearer");
    assert!(
        claims_of(body["access_token"].as_str().unwrap())
            .get("cnf")
            .is_none()
    );
}

#[test]
fn rfc9449_5_2_a_server_that_requires_dpop_refuses_a_request_without_a_proof() {
    let mut sim = Sim::new(server_with(ServerPolicy {
        require_dpop: true,
        ..ServerPolicy::default()
    }));
    let code = sim.spa_code();
    let (status, error, description) = error_of(&sim.spa_token_request(&code, VERIFIER));
    assert_eq!((status, error.as_str()), (400, "invalid_dpop_proof"));
    assert!(description.contains("no DPoP header"), "{description}");
    // The code was not spent: the request with a proof works.
    let response = sim.send(token_request(
        &code_form(&code),
        &[proof(&key(2), sim.now, None, 1)],
    ));
    assert_eq!(response.status, 200, "{}", response.body);
}

#[test]
fn rfc9449_4_3_two_dpop_headers_are_refused() {
    let mut sim = Sim::new(server());
    let code = sim.spa_code();
    let key = key(3);
    let two = [proof(&key, sim.now, None, 1), proof(&key, sim.now, None, 2)];
    let (_, error, description) = error_of(&sim.send(token_request(&code_form(&code), &two)));
    assert_eq!(error, "invalid_dpop_proof");
    assert!(description.contains("2 DPoP headers"), "{description}");
}

#[test]
fn rfc9449_4_3_a_proof_for_another_endpoint_is_refused() {
    let mut sim = Sim::new(server());
    let code = sim.spa_code();
    let url = Url::parse("https://as.example/par").unwrap();
    let claims =
        ProofClaims::for_request(Method::Post, &url, sim.now, &mut SeededRng::new(1)).unwrap();
    let request = token_request(&code_form(&code), &[key(4).proof(&claims)]);
    let (status, error, description) = error_of(&sim.send(request));
    assert_eq!((status, error.as_str()), (400, "invalid_dpop_proof"));
    assert!(description.contains("htu"), "{description}");
}

#[test]
fn rfc9449_11_1_a_replayed_proof_is_refused() {
    let mut sim = Sim::new(server());
    let key = key(5);
    let first = sim.spa_code();
    let reused = proof(&key, sim.now, None, 1);
    let response = sim.send(token_request(
        &code_form(&first),
        std::slice::from_ref(&reused),
    ));
    assert_eq!(response.status, 200);
    let second = sim.spa_code();
    let (_, error, description) =
        error_of(&sim.send(token_request(&code_form(&second), &[reused])));
    assert_eq!(error, "invalid_dpop_proof");
    assert!(description.contains("already used"), "{description}");
}

#[test]
fn rfc9449_8_the_server_nonce_is_sent_on_use_dpop_nonce_and_then_accepted() {
    let mut sim = Sim::new(server_with(ServerPolicy {
        dpop_nonce: true,
        ..ServerPolicy::default()
    }));
    let key = key(6);
    let code = sim.spa_code();
    let refused = sim.send(token_request(
        &code_form(&code),
        &[proof(&key, sim.now, None, 1)],
    ));
    let (status, error, _) = error_of(&refused);
    assert_eq!((status, error.as_str()), (400, "use_dpop_nonce"));
    let nonce = refused
        .headers
        .get(DPOP_NONCE_HEADER)
        .expect("a DPoP-Nonce header")
        .to_owned();
    // A wrong nonce is refused the same way, with the same nonce to use.
    let wrong = sim.send(token_request(
        &code_form(&code),
        &[proof(&key, sim.now, Some("old"), 2)],
    ));
    assert_eq!(error_of(&wrong).1, "use_dpop_nonce");
    assert_eq!(wrong.headers.get(DPOP_NONCE_HEADER), Some(nonce.as_str()));
    // The retry with the nonce redeems the code, which was not spent.
    let response = sim.send(token_request(
        &code_form(&code),
        &[proof(&key, sim.now, Some(&nonce), 3)],
    ));
    assert_eq!(response.status, 200, "{}", response.body);
    assert_eq!(json(&response)["token_type"], "DPoP");
}

#[test]
fn rfc9449_5_a_public_clients_refresh_token_needs_a_proof_by_the_same_key() {
    let mut sim = Sim::new(server());
    let key = key(7);
    let body = bound_tokens(&mut sim, &key);
    let refresh = body["refresh_token"].as_str().unwrap().to_owned();

    let (_, error, description) = error_of(&sim.refresh(&refresh));
    assert_eq!(error, "invalid_dpop_proof");
    assert!(description.contains("send a DPoP proof"), "{description}");

    let other = sim.send(token_request(
        &refresh_form(&refresh),
        &[proof(&self::key(8), sim.now, None, 2)],
    ));
    let (_, error, description) = error_of(&other);
    assert_eq!(error, "invalid_dpop_proof");
    assert!(description.contains("another key"), "{description}");

    let same = sim.send(token_request(
        &refresh_form(&refresh),
        &[proof(&key, sim.now, None, 3)],
    ));
    assert_eq!(same.status, 200, "{}", same.body);
    let renewed = json(&same);
    assert_eq!(renewed["token_type"], "DPoP");
    assert_eq!(
        claims_of(renewed["access_token"].as_str().unwrap())["cnf"]["jkt"],
        key.thumbprint()
    );
}

#[test]
fn rfc9449_5_1_metadata_lists_the_proof_algorithm() {
    let metadata = server().metadata();
    assert_eq!(
        metadata["dpop_signing_alg_values_supported"],
        serde_json::json!(["ES256"])
    );
}

#[test]
fn rfc9449_7_2_userinfo_refuses_a_bound_token_as_bearer() {
    let mut sim = Sim::new(server());
    let query = [
        ("response_type", "code"),
        ("client_id", "webapp"),
        ("redirect_uri", WEB_CALLBACK),
        ("scope", "openid profile"),
        ("code_challenge", CHALLENGE),
        ("code_challenge_method", "S256"),
    ];
    let code = query_value(&sim.approve(&query), "code").unwrap();
    let form = [
        ("grant_type", "authorization_code"),
        ("code", code.as_str()),
        ("redirect_uri", WEB_CALLBACK),
        ("code_verifier", VERIFIER),
    ];
    let request = token_request(&form, &[proof(&key(9), sim.now, None, 1)]).with_header(
        "Authorization",
        oauth_engine::server::basic_credentials("webapp", "webapp-secret"),
    );
    let body = json(&sim.send(request));
    assert_eq!(body["token_type"], "DPoP");
    let token = body["access_token"].as_str().unwrap();
    let userinfo = Request::get(Url::parse("https://as.example/userinfo").unwrap())
        .with_header("Authorization", format!("Bearer {token}"));
    let response = sim.send(userinfo);
    assert_eq!(response.status, 401);
    assert!(
        response.body.contains("bound to a DPoP key"),
        "{}",
        response.body
    );
}
