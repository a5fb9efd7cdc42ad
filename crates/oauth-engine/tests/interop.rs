//! Interop with libraries nobody here wrote: what the engine issues must be
//! accepted by them exactly as by the engine itself. Native only.
#![cfg(not(target_arch = "wasm32"))]

mod common;

use std::time::{SystemTime, UNIX_EPOCH};

use common::*;
use jsonwebtoken::jwk::JwkSet;
use jsonwebtoken::{Algorithm, DecodingKey, Validation, decode, decode_header};
use oauth_engine::clock::UnixTime;
use oauth_engine::http::{Request, Url};
use serde_json::Value;

/// A simulation running at the real time, since jsonwebtoken checks `exp`
/// against the system clock.
fn sim_now() -> Sim {
    let mut sim = Sim::new(server());
    sim.now = UnixTime(
        SystemTime::now()
            .duration_since(UNIX_EPOCH)
            .unwrap()
            .as_secs(),
    );
    sim
}

fn published_jwks(sim: &mut Sim) -> JwkSet {
    let response = sim.send(Request::get(Url::parse("https://as.example/jwks").unwrap()));
    serde_json::from_value(json(&response)).expect("jsonwebtoken reads our JWKS")
}

fn validation(sim: &Sim, audience: &str) -> Validation {
    let mut validation = Validation::new(Algorithm::RS256);
    validation.set_audience(&[audience]);
    validation.set_issuer(&[sim.server.issuer_id()]);
    validation.set_required_spec_claims(&["exp", "iss", "aud", "sub"]);
    validation
}

#[test]
fn jsonwebtoken_verifies_our_access_tokens_with_our_published_jwks() {
    let mut sim = sim_now();
    let code = sim.spa_code();
    let token = json(&sim.spa_token_request(&code, VERIFIER))["access_token"]
        .as_str()
        .unwrap()
        .to_owned();
    let jwks = published_jwks(&mut sim);

    let header = decode_header(&token).unwrap();
    assert_eq!(header.alg, Algorithm::RS256);
    assert_eq!(header.typ.as_deref(), Some("at+jwt"));
    let jwk = jwks
        .find(header.kid.as_deref().unwrap())
        .expect("the kid is in the JWKS");
    let key = DecodingKey::from_jwk(jwk).unwrap();

    let data = decode::<Value>(&token, &key, &validation(&sim, "https://api.example")).unwrap();
    assert_eq!(data.claims["client_id"], "spa");
    assert_eq!(data.claims["sub"], "user-alice");

    // The same library refuses it for another audience: the check is real.
    assert!(decode::<Value>(&token, &key, &validation(&sim, "https://other.example")).is_err());
}

#[test]
fn jsonwebtoken_refuses_our_token_once_tampered() {
    let mut sim = sim_now();
    let code = sim.spa_code();
    let token = json(&sim.spa_token_request(&code, VERIFIER))["access_token"]
        .as_str()
        .unwrap()
        .to_owned();
    let jwks = published_jwks(&mut sim);
    let key = DecodingKey::from_jwk(&jwks.keys[0]).unwrap();
    let mut parts: Vec<&str> = token.split('.').collect();
    let forged = oauth_engine::jose::b64_encode(r#"{"sub":"mallory"}"#);
    parts[1] = &forged;
    let result = decode::<Value>(
        &parts.join("."),
        &key,
        &validation(&sim, "https://api.example"),
    );
    assert!(result.is_err());
}
