//! DPoP at the API (RFC 9449 section 7): a bound token works only with a
//! proof by its key, made for this request and this token; each refusal by
//! name, with its `WWW-Authenticate: DPoP` challenge.

mod common;

use common::*;
use oauth_engine::dpop::{DpopKey, ProofClaims};
use oauth_engine::http::{Method, Request, Response, Url};
use oauth_engine::jwa::ES256;
use oauth_engine::resource::{Dpop, KeySet, Resource, ResourceServer};
use oauth_engine::rng::SeededRng;
use serde_json::{Value, json};

#[cfg(target_arch = "wasm32")]
use wasm_bindgen_test::wasm_bindgen_test as test;
#[cfg(target_arch = "wasm32")]
wasm_bindgen_test::wasm_bindgen_test_configure!(run_in_browser);

const PROFILE: &str = "https://api.example/profile";

fn key(seed: u8) -> DpopKey {
    DpopKey::from_scalar(&[seed; 32], ES256).unwrap()
}

fn api(sim: &Sim) -> ResourceServer {
    ResourceServer {
        issuer: sim.server.issuer_id(),
        audience: "https://api.example".into(),
        keys: KeySet::from_jwks(&sim.server.jwks()).unwrap(),
        resources: vec![Resource {
            method: Method::Get,
            path: "/profile".into(),
            required_scope: "read".into(),
            body: json!({ "resource": "profile" }),
            by_subject: Default::default(),
        }],
        seen_proofs: Default::default(),
        skips_proof_jti_and_htu: false,
        skips_audience_check: false,
        dpop: Some((&Dpop, ES256)),
        introspection: None,
        introspected: Vec::new(),
    }
}

/// An access token bound to `key`: the SPA redeems its code with a proof.
fn bound_token(sim: &mut Sim, key: &DpopKey) -> String {
    let body = spa_tokens_bound_to(sim, key);
    assert_eq!(body["token_type"], "DPoP");
    body["access_token"].as_str().unwrap().to_owned()
}

/// A proof for `GET target` presenting `token`, with a jti from `jti_seed`.
fn api_proof(sim: &Sim, key: &DpopKey, target: &str, token: &str, jti_seed: u64) -> String {
    let url = Url::parse(target).unwrap();
    let claims =
        ProofClaims::for_request(Method::Get, &url, sim.now, &mut SeededRng::new(jti_seed))
            .unwrap()
            .presenting(token);
    key.proof(&claims)
}

fn call(sim: &Sim, api: &mut ResourceServer, authorization: &str, proofs: &[String]) -> Response {
    let mut request =
        Request::get(Url::parse(PROFILE).unwrap()).with_header("Authorization", authorization);
    for proof in proofs {
        request = request.with_header("DPoP", proof.clone());
    }
    api.handle(&request, sim.now, |_| false)
}

/// The response's error code, description and DPoP challenge.
fn refusal(response: &Response) -> (String, String, String) {
    assert_eq!(response.status, 401, "{}", response.body);
    let body: Value = serde_json::from_str(&response.body).unwrap();
    (
        body["error"].as_str().unwrap().to_owned(),
        body["error_description"].as_str().unwrap().to_owned(),
        response.headers.get("WWW-Authenticate").unwrap().to_owned(),
    )
}

#[test]
fn rfc9449_7_1_a_bound_token_with_a_proof_by_its_key_is_accepted() {
    let mut sim = Sim::new(server());
    let key = key(1);
    let token = bound_token(&mut sim, &key);
    let proof = api_proof(&sim, &key, PROFILE, &token, 2);
    let response = call(&sim, &mut api(&sim), &format!("DPoP {token}"), &[proof]);
    assert_eq!(response.status, 200, "{}", response.body);
}

#[test]
fn rfc9449_7_2_a_bound_token_presented_as_bearer_is_refused() {
    let mut sim = Sim::new(server());
    let token = bound_token(&mut sim, &key(2));
    let (error, description, challenge) =
        refusal(&call(&sim, &mut api(&sim), &format!("Bearer {token}"), &[]));
    assert_eq!(error, "invalid_token");
    assert!(description.contains("bound to a DPoP key"), "{description}");
    assert!(
        challenge.starts_with("DPoP error=\"invalid_token\""),
        "{challenge}"
    );
    assert!(challenge.ends_with("algs=\"ES256\""), "{challenge}");
}

#[test]
fn rfc9449_7_1_a_bound_token_without_a_proof_is_refused() {
    let mut sim = Sim::new(server());
    let token = bound_token(&mut sim, &key(3));
    let (error, description, _) =
        refusal(&call(&sim, &mut api(&sim), &format!("DPoP {token}"), &[]));
    assert_eq!(error, "invalid_dpop_proof");
    assert!(description.contains("no DPoP header"), "{description}");
}

#[test]
fn rfc9449_7_1_a_stolen_token_with_the_thiefs_own_proof_is_refused() {
    let mut sim = Sim::new(server());
    let token = bound_token(&mut sim, &key(4));
    // The attacker has the token, not the key: she signs with her own.
    let proof = api_proof(&sim, &key(5), PROFILE, &token, 2);
    let (error, description, _) = refusal(&call(
        &sim,
        &mut api(&sim),
        &format!("DPoP {token}"),
        &[proof],
    ));
    assert_eq!(error, "invalid_dpop_proof");
    assert!(description.contains("another key"), "{description}");
}

#[test]
fn rfc9449_4_3_a_proof_for_another_token_or_url_is_refused() {
    let mut sim = Sim::new(server());
    let key = key(6);
    let token = bound_token(&mut sim, &key);
    let for_other_token = api_proof(&sim, &key, PROFILE, "another-token", 2);
    let (error, description, _) = refusal(&call(
        &sim,
        &mut api(&sim),
        &format!("DPoP {token}"),
        &[for_other_token],
    ));
    assert_eq!(error, "invalid_dpop_proof");
    assert!(description.contains("ath"), "{description}");
    let for_other_url = api_proof(&sim, &key, "https://api.example/admin", &token, 3);
    let (_, description, _) = refusal(&call(
        &sim,
        &mut api(&sim),
        &format!("DPoP {token}"),
        &[for_other_url],
    ));
    assert!(description.contains("htu"), "{description}");
}

#[test]
fn rfc9449_11_1_a_proof_replayed_at_the_api_is_refused() {
    let mut sim = Sim::new(server());
    let key = key(7);
    let token = bound_token(&mut sim, &key);
    let proof = api_proof(&sim, &key, PROFILE, &token, 2);
    let mut api = api(&sim);
    let first = call(
        &sim,
        &mut api,
        &format!("DPoP {token}"),
        std::slice::from_ref(&proof),
    );
    assert_eq!(first.status, 200);
    let (error, description, _) =
        refusal(&call(&sim, &mut api, &format!("DPoP {token}"), &[proof]));
    assert_eq!(error, "invalid_dpop_proof");
    assert!(description.contains("already used"), "{description}");
}

#[test]
fn an_api_that_skips_the_jti_and_htu_checks_takes_replayed_and_misdirected_proofs() {
    // The attack lab's flawed API: everything else is still checked.
    let mut sim = Sim::new(server());
    let (key, thief) = (key(9), key(10));
    let token = bound_token(&mut sim, &key);
    let mut api = ResourceServer {
        skips_proof_jti_and_htu: true,
        skips_audience_check: false,
        ..api(&sim)
    };
    let proof = api_proof(&sim, &key, PROFILE, &token, 2);
    for _ in 0..2 {
        let response = call(
            &sim,
            &mut api,
            &format!("DPoP {token}"),
            std::slice::from_ref(&proof),
        );
        assert_eq!(response.status, 200, "{}", response.body);
    }
    let for_other_url = api_proof(&sim, &key, "https://api.example/admin", &token, 3);
    let response = call(&sim, &mut api, &format!("DPoP {token}"), &[for_other_url]);
    assert_eq!(response.status, 200, "{}", response.body);
    // The proof's key and ath still count.
    let thiefs = api_proof(&sim, &thief, PROFILE, &token, 4);
    let (error, description, _) =
        refusal(&call(&sim, &mut api, &format!("DPoP {token}"), &[thiefs]));
    assert_eq!(error, "invalid_dpop_proof");
    assert!(description.contains("another key"), "{description}");
    let for_other_token = api_proof(&sim, &key, PROFILE, "another-token", 5);
    let (_, description, _) = refusal(&call(
        &sim,
        &mut api,
        &format!("DPoP {token}"),
        &[for_other_token],
    ));
    assert!(description.contains("ath"), "{description}");
}

#[test]
fn rfc9449_7_1_an_unbound_token_with_the_dpop_scheme_is_refused() {
    let mut sim = Sim::new(server());
    let code = sim.spa_code();
    let body: Value = serde_json::from_str(&sim.spa_token_request(&code, VERIFIER).body).unwrap();
    let token = body["access_token"].as_str().unwrap();
    let proof = api_proof(&sim, &key(8), PROFILE, token, 2);
    let (error, description, _) = refusal(&call(
        &sim,
        &mut api(&sim),
        &format!("DPoP {token}"),
        &[proof],
    ));
    assert_eq!(error, "invalid_token");
    assert!(description.contains("not bound"), "{description}");
}

#[test]
fn rfc9449_7_1_without_credentials_the_api_offers_bearer_and_dpop() {
    let sim = Sim::new(server());
    let response = api(&sim).handle(&Request::get(Url::parse(PROFILE).unwrap()), sim.now, |_| {
        false
    });
    assert_eq!(response.status, 401);
    let challenges: Vec<&str> = response
        .headers
        .iter()
        .filter(|(name, _)| *name == "WWW-Authenticate")
        .map(|(_, value)| value)
        .collect();
    assert_eq!(challenges, ["Bearer realm=\"api\"", "DPoP algs=\"ES256\""]);
}
