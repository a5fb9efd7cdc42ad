//! The resource server (RFC 6750 bearer API, RFC 9068 token checks), fed
//! real tokens from the authorization server and its published JWKS.

mod common;

use common::*;
use oauth_engine::http::{Method, Request, Response, Url};
use oauth_engine::jose::{SigningKey, b64_decode};
use oauth_engine::resource::{KeySet, Resource, ResourceServer};
use serde_json::{Value, json};

#[cfg(target_arch = "wasm32")]
use wasm_bindgen_test::wasm_bindgen_test as test;
#[cfg(target_arch = "wasm32")]
wasm_bindgen_test::wasm_bindgen_test_configure!(run_in_browser);

fn api(sim: &Sim) -> ResourceServer {
    let resource = |method, path: &str, scope: &str| Resource {
        method,
        path: path.into(),
        required_scope: scope.into(),
        body: json!({ "resource": path }),
        by_subject: Default::default(),
    };
    ResourceServer {
        issuer: sim.server.issuer_id(),
        audience: "https://api.example".into(),
        // Fetched as the published document, as a real API would.
        keys: KeySet::from_jwks(&sim.server.jwks()).unwrap(),
        resources: vec![
            resource(Method::Get, "/profile", "read"),
            resource(Method::Post, "/notes", "write"),
            resource(Method::Get, "/admin", "admin"),
        ],
        seen_proofs: Default::default(),
        skips_proof_jti_and_htu: false,
        skips_audience_check: false,
        dpop: None,
        introspection: None,
        introspected: Vec::new(),
    }
}

/// An access token for the SPA with `scope`.
fn access_token(sim: &mut Sim, scope: &'static str) -> String {
    let back = sim.approve(&with(&spa_query(), "scope", scope));
    let code = query_value(&back, "code").unwrap();
    json(&sim.spa_token_request(&code, VERIFIER))["access_token"]
        .as_str()
        .unwrap()
        .to_owned()
}

fn call(sim: &Sim, api: &ResourceServer, path: &str, authorization: Option<&str>) -> Response {
    let url = Url::parse(&format!("https://api.example{path}")).unwrap();
    let mut request = Request::get(url);
    if let Some(value) = authorization {
        request = request.with_header("Authorization", value);
    }
    // A copy: these tests make one call each, and DPoP's replay cache
    // (the one state the API keeps) is tested on its own.
    api.clone().handle(&request, sim.now, |jti| {
        sim.server.is_access_token_revoked(jti)
    })
}

fn challenge(response: &Response) -> &str {
    response.headers.get("WWW-Authenticate").unwrap_or_default()
}

#[test]
fn rfc6750_2_1_a_valid_bearer_token_gets_the_resource() {
    let mut sim = Sim::new(server());
    let token = access_token(&mut sim, "read");
    let response = call(
        &sim,
        &api(&sim),
        "/profile",
        Some(&format!("Bearer {token}")),
    );
    assert_eq!(response.status, 200, "{}", response.body);
    let body = json(&response);
    assert_eq!(body["resource"], "/profile");
    assert_eq!(body["sub"], "user-alice");
}

#[test]
fn rfc6750_3_1_no_credentials_get_a_challenge_without_error_code() {
    let sim = Sim::new(server());
    let response = call(&sim, &api(&sim), "/profile", None);
    assert_eq!(response.status, 401);
    assert_eq!(challenge(&response), "Bearer realm=\"api\"");
}

#[test]
fn rfc6750_3_1_expired_token_is_401_invalid_token() {
    let mut sim = Sim::new(server());
    let token = access_token(&mut sim, "read");
    sim.now = sim.now.plus(300);
    let response = call(
        &sim,
        &api(&sim),
        "/profile",
        Some(&format!("Bearer {token}")),
    );
    assert_eq!(response.status, 401);
    assert!(challenge(&response).contains("error=\"invalid_token\""));
    assert!(challenge(&response).contains("expired"));
}

#[test]
fn rfc6750_3_1_missing_scope_is_403_insufficient_scope_naming_the_scope() {
    let mut sim = Sim::new(server());
    let token = access_token(&mut sim, "read");
    let response = call(&sim, &api(&sim), "/admin", Some(&format!("Bearer {token}")));
    assert_eq!(response.status, 403);
    assert!(challenge(&response).contains("error=\"insufficient_scope\""));
    assert!(challenge(&response).ends_with("scope=\"admin\""));
}

#[test]
fn rfc9068_4_a_token_for_another_audience_is_refused() {
    let mut sim = Sim::new(server());
    let token = access_token(&mut sim, "read");
    let other = ResourceServer {
        audience: "https://other-api.example".into(),
        ..api(&sim)
    };
    let response = call(&sim, &other, "/profile", Some(&format!("Bearer {token}")));
    assert_eq!(response.status, 401);
    assert!(challenge(&response).contains("another audience"));
}

#[test]
fn rfc9068_4_a_token_from_another_issuer_is_refused() {
    let mut sim = Sim::new(server());
    let token = access_token(&mut sim, "read");
    let other = ResourceServer {
        issuer: "https://evil.example".into(),
        ..api(&sim)
    };
    let response = call(&sim, &other, "/profile", Some(&format!("Bearer {token}")));
    assert!(challenge(&response).contains("another issuer"));
}

#[test]
fn rfc9068_4_a_jwt_that_is_not_at_jwt_is_refused() {
    // Same key, same claims, but typ JWT (an ID token, say).
    let sim = Sim::new(server());
    let claims = json!({"iss": sim.server.issuer_id(), "aud": "https://api.example", "sub": "x", "scope": "read", "exp": sim.now.0 + 60});
    let mut header = serde_json::Map::new();
    header.insert("typ".into(), "JWT".into());
    let token = sim
        .server
        .signing_key()
        .sign(header, claims.to_string().as_bytes());
    let response = call(
        &sim,
        &api(&sim),
        "/profile",
        Some(&format!("Bearer {token}")),
    );
    assert_eq!(response.status, 401);
    assert!(challenge(&response).contains("typ is not at+jwt"));
}

#[test]
fn rfc9068_4_typ_application_at_jwt_in_any_case_is_an_access_token() {
    // RFC 7515 section 4.1.9: "at+jwt" is short for "application/at+jwt",
    // and media types compare case-insensitively.
    let sim = Sim::new(server());
    let claims = json!({"iss": sim.server.issuer_id(), "aud": "https://api.example", "sub": "x", "scope": "read", "exp": sim.now.0 + 60});
    for (typ, status) in [
        ("application/at+jwt", 200),
        ("AT+JWT", 200),
        ("Application/At+Jwt", 200),
        ("text/at+jwt", 401),
        ("at+jwt2", 401),
    ] {
        let mut header = serde_json::Map::new();
        header.insert("typ".into(), typ.into());
        let token = sim
            .server
            .signing_key()
            .sign(header, claims.to_string().as_bytes());
        let authorization = format!("Bearer {token}");
        let response = call(&sim, &api(&sim), "/profile", Some(&authorization));
        assert_eq!(response.status, status, "typ {typ}: {}", response.body);
    }
}

#[test]
fn rfc9110_11_1_the_bearer_scheme_is_read_in_any_case() {
    let mut sim = Sim::new(server());
    let token = access_token(&mut sim, "read");
    for scheme in ["Bearer", "bearer", "BEARER"] {
        let authorization = format!("{scheme} {token}");
        let response = call(&sim, &api(&sim), "/profile", Some(&authorization));
        assert_eq!(response.status, 200, "{scheme}: {}", response.body);
    }
}

#[test]
fn rfc9068_4_a_token_signed_by_an_unknown_key_is_refused() {
    let sim = Sim::new(server());
    let vector: Value =
        serde_json::from_str(include_str!("vectors/rfc7520/3_4.rsa_private_key.json")).unwrap();
    let stranger = SigningKey::rsa_from_jwk(&vector).unwrap();
    let claims = json!({"iss": sim.server.issuer_id(), "aud": "https://api.example", "scope": "read", "exp": sim.now.0 + 60});
    let mut header = serde_json::Map::new();
    header.insert("typ".into(), "at+jwt".into());
    let token = stranger.sign(header, claims.to_string().as_bytes());
    let response = call(
        &sim,
        &api(&sim),
        "/profile",
        Some(&format!("Bearer {token}")),
    );
    assert!(challenge(&response).contains("no key in the JWKS matches"));
}

#[test]
fn rfc6750_3_1_a_tampered_token_is_invalid_token() {
    let mut sim = Sim::new(server());
    let token = access_token(&mut sim, "read");
    let mut parts: Vec<String> = token.split('.').map(str::to_owned).collect();
    let mut claims: Value = serde_json::from_slice(&b64_decode(&parts[1]).unwrap()).unwrap();
    claims["scope"] = "read admin".into();
    parts[1] = oauth_engine::jose::b64_encode(claims.to_string());
    let response = call(
        &sim,
        &api(&sim),
        "/admin",
        Some(&format!("Bearer {}", parts.join("."))),
    );
    assert_eq!(response.status, 401);
    assert!(challenge(&response).contains("signature does not match"));
}

#[test]
fn rfc6749_4_1_2_a_token_revoked_by_code_reuse_is_refused_before_it_expires() {
    let mut sim = Sim::new(server());
    let code = sim.spa_code();
    let token = json(&sim.spa_token_request(&code, VERIFIER))["access_token"]
        .as_str()
        .unwrap()
        .to_owned();
    assert_eq!(
        call(
            &sim,
            &api(&sim),
            "/profile",
            Some(&format!("Bearer {token}"))
        )
        .status,
        200
    );
    sim.spa_token_request(&code, VERIFIER);
    let response = call(
        &sim,
        &api(&sim),
        "/profile",
        Some(&format!("Bearer {token}")),
    );
    assert_eq!(response.status, 401);
    assert!(challenge(&response).contains("revoked"));
}

#[test]
fn rfc6750_2_1_malformed_authorization_headers_are_invalid_request() {
    let sim = Sim::new(server());
    let api = api(&sim);
    for header in ["Bearer", "Bearer   ", "Basic dXNlcjpwYXNz", "Bearer a b"] {
        let response = call(&sim, &api, "/profile", Some(header));
        assert_eq!(response.status, 400, "{header}");
        assert!(
            challenge(&response).contains("error=\"invalid_request\""),
            "{header}"
        );
    }
}

#[test]
fn rfc9700_4_3_2_tokens_in_the_query_string_are_refused() {
    let mut sim = Sim::new(server());
    let token = access_token(&mut sim, "read");
    let api = api(&sim);
    let response = call(&sim, &api, &format!("/profile?access_token={token}"), None);
    assert_eq!(response.status, 400);
}

#[test]
fn unknown_paths_are_404() {
    let sim = Sim::new(server());
    assert_eq!(call(&sim, &api(&sim), "/nothing", None).status, 404);
}

#[test]
fn rfc7517_5_jwks_with_unknown_key_types_keeps_the_rsa_keys() {
    let sim = Sim::new(server());
    let mut jwks = sim.server.jwks();
    jwks["keys"]
        .as_array_mut()
        .unwrap()
        .push(json!({"kty": "OKP", "crv": "Ed25519", "x": "abc"}));
    assert_eq!(KeySet::from_jwks(&jwks).unwrap(), api(&sim).keys);
    assert!(KeySet::from_jwks(&json!({"key": []})).is_err());
}

#[test]
fn rfc8414_2_metadata_describes_the_server_and_matches_iss() {
    let mut sim = Sim::new(server());
    let response = sim.send(Request::get(
        Url::parse("https://as.example/.well-known/oauth-authorization-server").unwrap(),
    ));
    let metadata = json(&response);
    assert_eq!(metadata["issuer"], "https://as.example");
    assert_eq!(metadata["token_endpoint"], "https://as.example/token");
    assert_eq!(metadata["jwks_uri"], "https://as.example/jwks");
    assert_eq!(
        metadata["code_challenge_methods_supported"],
        json!(["S256"])
    );
    assert_eq!(
        metadata["authorization_response_iss_parameter_supported"],
        true
    );
    // RFC 9207 section 2.4: the iss parameter equals the metadata's issuer.
    let back = sim.approve(&spa_query());
    assert_eq!(query_value(&back, "iss").unwrap(), metadata["issuer"]);
}

#[test]
fn rfc7517_5_jwks_endpoint_publishes_the_signing_key_by_kid() {
    let mut sim = Sim::new(server());
    let jwks = json(&sim.send(Request::get(Url::parse("https://as.example/jwks").unwrap())));
    let keys = jwks["keys"].as_array().unwrap();
    assert_eq!(keys.len(), 1);
    assert_eq!(keys[0]["kid"], sim.server.signing_key().kid().unwrap());
    assert!(keys[0].get("d").is_none());
}
