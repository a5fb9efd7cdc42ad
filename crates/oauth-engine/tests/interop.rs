//! Interop with libraries nobody here wrote: the `oauth2` crate as a client
//! against our authorization server, and the `jsonwebtoken` crate verifying
//! our tokens. Native only.
#![cfg(not(target_arch = "wasm32"))]

mod common;

use std::cell::RefCell;
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

/// The oauth2 crate's HTTP client: each request it makes is converted to
/// the engine's `Request`, answered by our authorization server, and the
/// answer converted back. No network is involved.
fn http_client(
    sim: &RefCell<Sim>,
) -> impl Fn(oauth2::HttpRequest) -> Result<oauth2::HttpResponse, std::io::Error> + '_ {
    move |request: oauth2::HttpRequest| {
        let url = Url::parse(&request.uri().to_string())
            .map_err(|error| std::io::Error::other(error.to_string()))?;
        let mut ours = Request::get(url);
        ours.method = match *request.method() {
            oauth2::http::Method::POST => oauth_engine::http::Method::Post,
            _ => oauth_engine::http::Method::Get,
        };
        for (name, value) in request.headers() {
            ours.headers
                .push(name.as_str(), value.to_str().unwrap_or_default());
        }
        ours.body = String::from_utf8_lossy(request.body()).into_owned();
        let response = sim.borrow_mut().send(ours);
        let mut builder = oauth2::http::Response::builder().status(response.status);
        for (name, value) in response.headers.iter() {
            builder = builder.header(name, value);
        }
        builder
            .body(response.body.into_bytes())
            .map_err(|error| std::io::Error::other(error.to_string()))
    }
}

#[test]
fn the_oauth2_crate_completes_code_with_pkce_and_a_refresh_against_our_server() {
    use oauth2::basic::BasicClient;
    use oauth2::{
        AuthType, AuthUrl, AuthorizationCode, CsrfToken, PkceCodeChallenge, RedirectUrl,
        Scope as OScope, TokenResponse, TokenUrl,
    };

    let client = BasicClient::new(oauth2::ClientId::new("spa".into()))
        .set_auth_type(AuthType::RequestBody)
        .set_auth_uri(AuthUrl::new("https://as.example/authorize".into()).unwrap())
        .set_token_uri(TokenUrl::new("https://as.example/token".into()).unwrap())
        .set_redirect_uri(RedirectUrl::new(SPA_CALLBACK.into()).unwrap());
    let (challenge, verifier) = PkceCodeChallenge::new_random_sha256();
    let (authorize_url, csrf) = client
        .authorize_url(CsrfToken::new_random)
        .add_scope(OScope::new("read".into()))
        .add_scope(OScope::new("write".into()))
        .set_pkce_challenge(challenge)
        .url();

    // The front channel, as the user's browser would run it.
    let sim = RefCell::new(Sim::new(server()));
    let query: Vec<(String, String)> = authorize_url
        .query_pairs()
        .map(|(n, v)| (n.into_owned(), v.into_owned()))
        .collect();
    let borrowed: Vec<(&str, &str)> = query
        .iter()
        .map(|(n, v)| (n.as_str(), v.as_str()))
        .collect();
    let back = sim.borrow_mut().approve(&borrowed);
    assert_eq!(
        query_value(&back, "state").as_deref(),
        Some(csrf.secret().as_str())
    );
    let code = query_value(&back, "code").unwrap();

    // The back channel, through the crate's own request code.
    let http = http_client(&sim);
    let tokens = client
        .exchange_code(AuthorizationCode::new(code))
        .set_pkce_verifier(verifier)
        .request(&http)
        .expect("oauth2 accepts our token response");
    assert_eq!(tokens.expires_in().unwrap().as_secs(), 300);
    let scopes: Vec<String> = tokens
        .scopes()
        .unwrap()
        .iter()
        .map(|s| s.to_string())
        .collect();
    assert_eq!(scopes, ["read", "write"]);
    let first_refresh = tokens.refresh_token().unwrap().clone();

    let refreshed = client
        .exchange_refresh_token(&first_refresh)
        .request(&http)
        .expect("oauth2 accepts our refresh response");
    let rotated = refreshed.refresh_token().unwrap();
    assert_ne!(rotated.secret(), first_refresh.secret());

    // Replaying the rotated-out token is refused, and the crate reports the
    // server's RFC 6749 error code.
    let error = client
        .exchange_refresh_token(&first_refresh)
        .request(&http)
        .unwrap_err();
    assert_invalid_grant(error);
}

#[test]
fn the_oauth2_crate_sees_a_wrong_verifier_as_invalid_grant() {
    use oauth2::basic::BasicClient;
    use oauth2::{AuthType, AuthorizationCode, PkceCodeVerifier, RedirectUrl, TokenUrl};

    let sim = RefCell::new(Sim::new(server()));
    let code = sim.borrow_mut().spa_code();
    let client = BasicClient::new(oauth2::ClientId::new("spa".into()))
        .set_auth_type(AuthType::RequestBody)
        .set_token_uri(TokenUrl::new("https://as.example/token".into()).unwrap())
        .set_redirect_uri(RedirectUrl::new(SPA_CALLBACK.into()).unwrap());
    let http = http_client(&sim);
    let error = client
        .exchange_code(AuthorizationCode::new(code))
        .set_pkce_verifier(PkceCodeVerifier::new("x".repeat(43)))
        .request(&http)
        .unwrap_err();
    assert_invalid_grant(error);
}

/// The crate parsed our RFC 6749 section 5.2 body into its own error type.
fn assert_invalid_grant<E: std::error::Error + 'static>(
    error: oauth2::RequestTokenError<E, oauth2::basic::BasicErrorResponse>,
) {
    match error {
        oauth2::RequestTokenError::ServerResponse(response) => assert_eq!(
            *response.error(),
            oauth2::basic::BasicErrorResponseType::InvalidGrant
        ),
        other => panic!("expected invalid_grant from the server, got {other:?}"),
    }
}
