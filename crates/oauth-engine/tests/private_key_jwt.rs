//! `private_key_jwt` (RFC 7523 sections 2.2 and 3, OpenID Connect Core
//! section 9): a client with no secret authenticates with a JWT signed by
//! its key; every wrong field is `invalid_client` with a description that
//! names it.

mod common;

use common::*;
use oauth_engine::es256::P256Key;
use oauth_engine::http::{Request, Response, Url};
use oauth_engine::jwa::ES256;
use oauth_engine::server::{JWT_BEARER, MAX_ASSERTION_LIFETIME, basic_credentials};
use serde_json::{Value, json};

#[cfg(target_arch = "wasm32")]
use wasm_bindgen_test::wasm_bindgen_test as test;
#[cfg(target_arch = "wasm32")]
wasm_bindgen_test::wasm_bindgen_test_configure!(run_in_browser);

fn claims(sim: &Sim, jti: &str) -> Value {
    json!({
        "iss": "backend",
        "sub": "backend",
        "aud": "https://as.example",
        "exp": sim.now.0 + 60,
        "iat": sim.now.0,
        "jti": jti,
    })
}

fn assertion(key: &P256Key, claims: &Value) -> String {
    key.sign_jws(&json!({ "alg": "ES256", "typ": "JWT" }), claims)
}

/// A client credentials request authenticated by `assertion`.
fn token_request(sim: &mut Sim, assertion: &str) -> Response {
    sim.post(
        "/token",
        &[
            ("grant_type", "client_credentials"),
            ("client_assertion_type", JWT_BEARER),
            ("client_assertion", assertion),
        ],
    )
}

fn refusal(response: &Response) -> String {
    assert_eq!(response.status, 401, "{}", response.body);
    let body: Value = serde_json::from_str(&response.body).unwrap();
    assert_eq!(body["error"], "invalid_client");
    body["error_description"].as_str().unwrap().to_owned()
}

#[test]
fn rfc7523_2_2_a_signed_assertion_authenticates_the_client() {
    let mut sim = Sim::new(server());
    let signed = assertion(&backend_key(), &claims(&sim, "a-1"));
    let response = token_request(&mut sim, &signed);
    assert_eq!(response.status, 200, "{}", response.body);
    let claims = claims_of_access_token(&response);
    assert_eq!(claims["client_id"], "backend");
}

fn claims_of_access_token(response: &Response) -> Value {
    let body: Value = serde_json::from_str(&response.body).unwrap();
    let token = body["access_token"].as_str().unwrap();
    serde_json::from_slice(
        &oauth_engine::jose::b64_decode(token.split('.').nth(1).unwrap()).unwrap(),
    )
    .unwrap()
}

#[test]
fn rfc7523_3_the_token_endpoint_url_is_an_accepted_audience_too() {
    let mut sim = Sim::new(server());
    let mut claims = claims(&sim, "a-2");
    claims["aud"] = json!(["https://other.example", "https://as.example/token"]);
    assert_eq!(
        token_request(&mut sim, &assertion(&backend_key(), &claims)).status,
        200
    );
}

#[test]
fn rfc7523_3_each_wrong_claim_is_invalid_client_naming_it() {
    let cases: [(&str, Value, &str); 8] = [
        ("sub", json!("someone-else"), "iss must be its sub"),
        ("iss", json!("someone-else"), "iss must be its sub"),
        (
            "aud",
            json!("https://evil.example"),
            "aud must name this server",
        ),
        ("exp", json!(1), "expired"),
        (
            "exp",
            json!(T0.0 + MAX_ASSERTION_LIFETIME + 1),
            "at most 300 s",
        ),
        ("nbf", json!(T0.0 + 30), "not valid yet"),
        ("jti", Value::Null, "no jti"),
        ("sub", Value::Null, "no sub"),
    ];
    for (claim, value, says) in cases {
        let mut sim = Sim::new(server());
        let mut claims = claims(&sim, "a-3");
        if value.is_null() {
            claims.as_object_mut().unwrap().remove(claim);
        } else {
            claims[claim] = value;
        }
        let description = refusal(&token_request(
            &mut sim,
            &assertion(&backend_key(), &claims),
        ));
        assert!(description.contains(says), "{claim}: {description}");
    }
}

#[test]
fn rfc7523_3_a_signature_by_another_key_is_refused() {
    let mut sim = Sim::new(server());
    let thief = P256Key::from_scalar(&[7; 32], ES256).unwrap();
    let signed = assertion(&thief, &claims(&sim, "a-4"));
    let description = refusal(&token_request(&mut sim, &signed));
    assert!(
        description.contains("signature does not verify"),
        "{description}"
    );
    let hs256 = backend_key().sign_jws(&json!({ "alg": "HS256" }), &claims(&sim, "a-5"));
    assert!(refusal(&token_request(&mut sim, &hs256)).contains("alg must be ES256"));
}

#[test]
fn rfc7523_3_an_assertion_is_used_once() {
    let mut sim = Sim::new(server());
    let once = assertion(&backend_key(), &claims(&sim, "a-6"));
    assert_eq!(token_request(&mut sim, &once).status, 200);
    assert!(refusal(&token_request(&mut sim, &once)).contains("already used"));
}

#[test]
fn rfc7523_2_2_the_assertion_type_must_be_jwt_bearer() {
    let mut sim = Sim::new(server());
    let response = sim.post(
        "/token",
        &[
            ("grant_type", "client_credentials"),
            ("client_assertion_type", "urn:example:saml"),
            (
                "client_assertion",
                &assertion(&backend_key(), &claims(&sim, "a-7")),
            ),
        ],
    );
    assert!(refusal(&response).contains("client_assertion_type must be"));
}

#[test]
fn rfc7523_2_2_a_private_key_jwt_client_without_its_assertion_is_refused() {
    let mut sim = Sim::new(server());
    let response = sim.post(
        "/token",
        &[
            ("grant_type", "client_credentials"),
            ("client_id", "backend"),
        ],
    );
    assert!(refusal(&response).contains("must send its client_assertion"));
    // And a secret client cannot use an assertion instead of its secret.
    let mut claims = claims(&sim, "a-8");
    claims["iss"] = "webapp".into();
    claims["sub"] = "webapp".into();
    let description = refusal(&token_request(
        &mut sim,
        &assertion(&backend_key(), &claims),
    ));
    assert!(
        description.contains("registered for client_secret_basic"),
        "{description}"
    );
}

#[test]
fn rfc6749_2_3_an_assertion_and_a_secret_together_are_refused() {
    let mut sim = Sim::new(server());
    let url = Url::parse("https://as.example/token").unwrap();
    let request = Request::post_form(
        url,
        &[
            ("grant_type", "client_credentials"),
            ("client_assertion_type", JWT_BEARER),
            (
                "client_assertion",
                &assertion(&backend_key(), &claims(&sim, "a-9")),
            ),
        ],
    )
    .with_header("Authorization", basic_credentials("backend", "x"));
    let body: Value = serde_json::from_str(&sim.send(request).body).unwrap();
    assert_eq!(body["error"], "invalid_request");
}

#[test]
fn rfc9126_2_private_key_jwt_authenticates_a_pushed_request() {
    let mut sim = Sim::new(server());
    let mut claims = claims(&sim, "a-10");
    claims["aud"] = "https://as.example/par".into();
    let response = sim.post(
        "/par",
        &[
            ("response_type", "code"),
            ("client_id", "backend"),
            ("redirect_uri", WEB_CALLBACK),
            ("scope", "read"),
            ("code_challenge", CHALLENGE),
            ("code_challenge_method", "S256"),
            ("client_assertion_type", JWT_BEARER),
            ("client_assertion", &assertion(&backend_key(), &claims)),
        ],
    );
    assert_eq!(response.status, 201, "{}", response.body);
}

#[test]
fn rfc8414_2_metadata_lists_private_key_jwt_and_es256() {
    let metadata = server().metadata();
    let methods = metadata["token_endpoint_auth_methods_supported"]
        .as_array()
        .unwrap();
    assert!(methods.contains(&"private_key_jwt".into()));
    assert_eq!(
        metadata["token_endpoint_auth_signing_alg_values_supported"],
        json!(["ES256"])
    );
}
