//! The authorization server, one named test per rule, each citing its RFC.
//! Requests are driven as a browser and a client would send them.

mod common;

use common::*;
use oauth_engine::http::{Request, Response, Url};
use oauth_engine::pkce::CodeVerifier;
use oauth_engine::rng::SeededRng;
use oauth_engine::server::{PkcePolicy, RedirectMatching, ServerPolicy, basic_credentials};

#[cfg(target_arch = "wasm32")]
use wasm_bindgen_test::wasm_bindgen_test as test;
#[cfg(target_arch = "wasm32")]
wasm_bindgen_test::wasm_bindgen_test_configure!(run_in_browser);

// --- authorization endpoint -------------------------------------------------

#[test]
fn rfc6749_4_1_2_approved_request_redirects_with_code_state_and_iss() {
    let mut sim = Sim::new(server());
    let back = sim.approve(&spa_query());
    assert_eq!(back.origin, "https://spa.example");
    assert_eq!(back.path, "/callback");
    assert!(query_value(&back, "code").unwrap().len() >= 43);
    assert_eq!(query_value(&back, "state").as_deref(), Some("af0ifjsldkj"));
    // RFC 9207 section 2: the issuer identifies who sent the response.
    assert_eq!(
        query_value(&back, "iss").as_deref(),
        Some("https://as.example")
    );
}

#[test]
fn rfc9207_2_iss_can_be_switched_off_by_policy() {
    let mut sim = Sim::new(server_with(ServerPolicy {
        issuer_in_response: false,
        ..Default::default()
    }));
    assert_eq!(query_value(&sim.approve(&spa_query()), "iss"), None);
}

#[test]
fn rfc6749_4_1_2_1_unknown_client_is_shown_to_the_user_not_redirected() {
    let mut sim = Sim::new(server());
    let response = sim.authorize(&with(&spa_query(), "client_id", "nobody"));
    assert_eq!(response.status, 400);
    assert!(response.headers.get("Location").is_none());
    assert!(
        response
            .body
            .contains("No client is registered as &quot;nobody&quot;")
    );
}

#[test]
fn rfc6749_4_1_2_1_unregistered_redirect_uri_is_shown_to_the_user_not_redirected() {
    let mut sim = Sim::new(server());
    let response = sim.authorize(&with(
        &spa_query(),
        "redirect_uri",
        "https://attacker.example/steal",
    ));
    assert_eq!(response.status, 400);
    assert!(response.headers.get("Location").is_none());
    assert!(response.body.contains("is not registered for this client"));
}

#[test]
fn rfc9700_4_1_3_exact_matching_refuses_an_extended_path() {
    let mut sim = Sim::new(server());
    let response = sim.authorize(&with(
        &spa_query(),
        "redirect_uri",
        "https://spa.example/callback/../attacker",
    ));
    assert_eq!(response.status, 400);
}

#[test]
fn rfc9700_4_1_1_prefix_matching_lets_the_code_go_to_another_path() {
    let policy = ServerPolicy {
        redirect_matching: RedirectMatching::Prefix,
        ..Default::default()
    };
    let mut sim = Sim::new(server_with(policy));
    let back = sim.approve(&with(
        &spa_query(),
        "redirect_uri",
        "https://spa.example/callback.attacker.example/x",
    ));
    assert_eq!(back.origin, "https://spa.example");
    assert_eq!(back.path, "/callback.attacker.example/x");
    assert!(query_value(&back, "code").is_some());
}

#[test]
fn rfc6749_3_1_2_3_redirect_uri_may_be_omitted_when_one_is_registered() {
    let mut sim = Sim::new(server());
    let back = sim.approve(&without(&spa_query(), "redirect_uri"));
    assert_eq!(back.to_string().split('?').next(), Some(SPA_CALLBACK));
}

#[test]
fn rfc6749_3_1_2_3_redirect_uri_is_required_when_several_are_registered() {
    let mut sim = Sim::new(server());
    let query = [
        ("response_type", "code"),
        ("client_id", "webapp"),
        ("code_challenge", CHALLENGE),
        ("code_challenge_method", "S256"),
    ];
    let response = sim.authorize(&query);
    assert_eq!(response.status, 400);
    assert!(response.body.contains("registered several"));
}

#[test]
fn rfc6749_4_1_2_1_missing_response_type_redirects_invalid_request_with_state() {
    let mut sim = Sim::new(server());
    let back = location(&sim.authorize(&without(&spa_query(), "response_type")));
    assert_eq!(
        query_value(&back, "error").as_deref(),
        Some("invalid_request")
    );
    assert_eq!(query_value(&back, "state").as_deref(), Some("af0ifjsldkj"));
    assert_eq!(
        query_value(&back, "iss").as_deref(),
        Some("https://as.example")
    );
}

#[test]
fn rfc6749_4_1_2_1_unknown_response_type_is_unsupported_response_type() {
    let mut sim = Sim::new(server());
    let back =
        location(&sim.authorize(&with(&spa_query(), "response_type", "code id_token token")));
    assert_eq!(
        query_value(&back, "error").as_deref(),
        Some("unsupported_response_type")
    );
}

#[test]
fn rfc9700_2_1_2_implicit_grant_is_off_by_default() {
    let mut sim = Sim::new(server());
    let query = [
        ("response_type", "token"),
        ("client_id", "implicit-app"),
        ("redirect_uri", SPA_CALLBACK),
    ];
    let back = location(&sim.authorize(&query));
    assert_eq!(
        query_value(&back, "error").as_deref(),
        Some("unsupported_response_type")
    );
}

#[test]
fn rfc6749_4_2_2_implicit_grant_puts_the_token_in_the_fragment() {
    let mut sim = Sim::new(server_with(ServerPolicy {
        allow_implicit: true,
        ..Default::default()
    }));
    let query = [
        ("response_type", "token"),
        ("client_id", "implicit-app"),
        ("redirect_uri", SPA_CALLBACK),
        ("state", "s1"),
    ];
    let back = sim.approve(&query);
    assert_eq!(back.query, None);
    let fragment = oauth_engine::form::decode_form(back.fragment.as_deref().unwrap()).unwrap();
    let get = |name: &str| {
        fragment
            .iter()
            .find(|(n, _)| n == name)
            .map(|(_, v)| v.clone())
    };
    assert_eq!(get("token_type").as_deref(), Some("Bearer"));
    assert_eq!(get("state").as_deref(), Some("s1"));
    assert!(claims(&sim, &get("access_token").unwrap())["client_id"] == "implicit-app");
}

#[test]
fn rfc6749_4_1_2_1_client_not_allowed_the_grant_is_unauthorized_client() {
    let mut sim = Sim::new(server());
    let query = [
        ("response_type", "code"),
        ("client_id", "implicit-app"),
        ("redirect_uri", SPA_CALLBACK),
        ("code_challenge", CHALLENGE),
        ("code_challenge_method", "S256"),
    ];
    let back = location(&sim.authorize(&query));
    assert_eq!(
        query_value(&back, "error").as_deref(),
        Some("unauthorized_client")
    );
}

#[test]
fn rfc6749_3_1_repeated_parameter_is_invalid_request() {
    let mut sim = Sim::new(server());
    let mut query = spa_query();
    query.push(("state", "second"));
    let back = location(&sim.authorize(&query));
    assert_eq!(
        query_value(&back, "error").as_deref(),
        Some("invalid_request")
    );
    assert!(
        query_value(&back, "error_description")
            .unwrap()
            .contains("state appears more than once")
    );
}

#[test]
fn rfc6749_3_1_repeated_client_id_is_shown_to_the_user() {
    let mut sim = Sim::new(server());
    let mut query = spa_query();
    query.push(("client_id", "webapp"));
    assert_eq!(sim.authorize(&query).status, 400);
}

#[test]
fn rfc6749_3_3_scope_beyond_the_registration_is_invalid_scope() {
    let mut sim = Sim::new(server());
    let back = location(&sim.authorize(&with(&spa_query(), "scope", "read admin")));
    assert_eq!(
        query_value(&back, "error").as_deref(),
        Some("invalid_scope")
    );
}

#[test]
fn rfc7636_4_4_1_missing_code_challenge_is_invalid_request() {
    let mut sim = Sim::new(server());
    let query = without(
        &without(&spa_query(), "code_challenge"),
        "code_challenge_method",
    );
    let back = location(&sim.authorize(&query));
    assert_eq!(
        query_value(&back, "error").as_deref(),
        Some("invalid_request")
    );
    assert!(
        query_value(&back, "error_description")
            .unwrap()
            .contains("code_challenge is required")
    );
}

#[test]
fn rfc7636_4_4_1_plain_is_refused_when_the_server_requires_s256() {
    let mut sim = Sim::new(server());
    let back = location(&sim.authorize(&with(&spa_query(), "code_challenge_method", "plain")));
    assert_eq!(
        query_value(&back, "error").as_deref(),
        Some("invalid_request")
    );
    // A missing method means plain (RFC 7636 section 4.3): refused too.
    let back = location(&sim.authorize(&without(&spa_query(), "code_challenge_method")));
    assert_eq!(
        query_value(&back, "error").as_deref(),
        Some("invalid_request")
    );
}

#[test]
fn rfc7636_4_3_unknown_method_and_malformed_challenge_are_invalid_request() {
    let mut sim = Sim::new(server());
    let back = location(&sim.authorize(&with(&spa_query(), "code_challenge_method", "S512")));
    assert!(
        query_value(&back, "error_description")
            .unwrap()
            .contains("'S512' is not supported")
    );
    let back = location(&sim.authorize(&with(&spa_query(), "code_challenge", "short")));
    assert!(
        query_value(&back, "error_description")
            .unwrap()
            .contains("code_challenge is too short")
    );
}

#[test]
fn rfc6749_4_1_2_1_denied_consent_redirects_access_denied() {
    let mut sim = Sim::new(server());
    let transaction = sim.sign_in(&spa_query());
    let back = location(&sim.consent(&transaction, &[("decision", "deny")]));
    assert_eq!(
        query_value(&back, "error").as_deref(),
        Some("access_denied")
    );
    assert_eq!(query_value(&back, "state").as_deref(), Some("af0ifjsldkj"));
}

#[test]
fn wrong_password_shows_the_login_page_again_with_a_message() {
    let mut sim = Sim::new(server());
    let login = sim.authorize(&spa_query());
    let transaction = hidden_field(&login.body, "transaction");
    let again = sim.post(
        "/login",
        &[
            ("transaction", &transaction),
            ("username", "alice"),
            ("password", "guess"),
        ],
    );
    assert_eq!(again.status, 200);
    assert!(again.body.contains("Wrong username or password."));
    // Consent without a successful login is refused.
    let refused = sim.consent(&transaction, &[("decision", "approve")]);
    assert_eq!(refused.status, 400);
}

#[test]
fn rfc6749_3_3_the_user_may_grant_fewer_scopes_than_asked() {
    let mut sim = Sim::new(server());
    let transaction = sim.sign_in(&spa_query());
    let back = location(&sim.post(
        "/consent",
        &[
            ("transaction", &transaction),
            ("scope", "read"),
            ("decision", "approve"),
        ],
    ));
    let code = query_value(&back, "code").unwrap();
    let tokens = json(&sim.spa_token_request(&code, VERIFIER));
    assert_eq!(tokens["scope"], "read");
}

#[test]
fn rfc6749_4_1_2_1_approving_with_every_scope_unticked_is_access_denied() {
    let mut sim = Sim::new(server());
    let transaction = sim.sign_in(&spa_query());
    // The form as a browser submits it with every box unticked: no scope.
    let back = location(&sim.consent(&transaction, &[("decision", "approve")]));
    assert_eq!(
        query_value(&back, "error").as_deref(),
        Some("access_denied")
    );
    assert!(query_value(&back, "code").is_none());
    assert_eq!(query_value(&back, "state").as_deref(), Some("af0ifjsldkj"));
    // A scope the page never offered grants nothing either.
    let transaction = sim.sign_in(&spa_query());
    let back = location(&sim.consent(&transaction, &[("scope", "admin"), ("decision", "approve")]));
    assert_eq!(
        query_value(&back, "error").as_deref(),
        Some("access_denied")
    );
}

#[test]
fn a_consent_cannot_be_replayed() {
    let mut sim = Sim::new(server());
    let transaction = sim.sign_in(&spa_query());
    sim.decide(&transaction, "approve");
    let replay = sim.decide(&transaction, "approve");
    assert_eq!(replay.status, 400);
}

#[test]
fn pages_escape_what_they_echo() {
    let mut sim = Sim::new(server());
    let response = sim.authorize(&with(
        &spa_query(),
        "client_id",
        "<script>alert(1)</script>",
    ));
    assert!(!response.body.contains("<script>alert"));
    assert!(response.body.contains("&lt;script&gt;"));
}

// --- token endpoint: authorization code ------------------------------------

#[test]
fn rfc6749_4_1_4_code_exchange_returns_bearer_tokens() {
    let mut sim = Sim::new(server());
    let code = sim.spa_code();
    let response = sim.spa_token_request(&code, VERIFIER);
    assert_eq!(response.status, 200, "{}", response.body);
    // RFC 6749 section 5.1: token responses must not be cached.
    assert_eq!(response.headers.get("Cache-Control"), Some("no-store"));
    assert_eq!(response.headers.get("Pragma"), Some("no-cache"));
    let body = json(&response);
    assert_eq!(body["token_type"], "Bearer");
    assert_eq!(body["expires_in"], 300);
    assert_eq!(body["scope"], "read write");
    assert!(body["refresh_token"].as_str().unwrap().len() >= 43);
}

#[test]
fn rfc9068_2_access_token_is_an_at_jwt_with_the_required_claims() {
    let mut sim = Sim::new(server());
    let code = sim.spa_code();
    let token = json(&sim.spa_token_request(&code, VERIFIER))["access_token"]
        .as_str()
        .unwrap()
        .to_owned();
    let decoded = sim
        .server
        .signing_key()
        .verifying_key()
        .verify(&token)
        .unwrap();
    assert_eq!(decoded.header["typ"], "at+jwt");
    assert_eq!(decoded.header["alg"], "RS256");
    assert_eq!(
        decoded.header["kid"],
        sim.server.signing_key().kid().unwrap()
    );
    let claims = decoded.claims().unwrap();
    assert_eq!(claims["iss"], "https://as.example");
    assert_eq!(claims["sub"], "user-alice");
    assert_eq!(claims["aud"], "https://api.example");
    assert_eq!(claims["client_id"], "spa");
    assert_eq!(claims["scope"], "read write");
    assert_eq!(claims["iat"], T0.0);
    assert_eq!(claims["exp"], T0.0 + 300);
    assert!(claims["jti"].as_str().unwrap().len() >= 22);
}

#[test]
fn rfc7636_4_6_wrong_verifier_is_invalid_grant() {
    let mut sim = Sim::new(server());
    let code = sim.spa_code();
    let other = CodeVerifier::generate(43, &mut SeededRng::new(1)).unwrap();
    let response = sim.spa_token_request(&code, other.as_str());
    assert_eq!(response.status, 400);
    assert_eq!(error_of(&response), "invalid_grant");
}

#[test]
fn rfc7636_4_6_missing_verifier_is_invalid_grant() {
    let mut sim = Sim::new(server());
    let code = sim.spa_code();
    let response = sim.post(
        "/token",
        &[
            ("grant_type", "authorization_code"),
            ("code", &code),
            ("redirect_uri", SPA_CALLBACK),
            ("client_id", "spa"),
        ],
    );
    assert_eq!(error_of(&response), "invalid_grant");
    assert!(
        json(&response)["error_description"]
            .as_str()
            .unwrap()
            .contains("code_verifier is missing")
    );
}

#[test]
fn rfc9700_2_1_1_verifier_without_a_challenge_is_refused() {
    let mut sim = Sim::new(server_with(ServerPolicy {
        pkce: PkcePolicy::Optional,
        ..Default::default()
    }));
    let query = without(
        &without(&spa_query(), "code_challenge"),
        "code_challenge_method",
    );
    let code = query_value(&sim.approve(&query), "code").unwrap();
    let response = sim.spa_token_request(&code, VERIFIER);
    assert_eq!(error_of(&response), "invalid_grant");
}

#[test]
fn rfc7636_4_6_plain_challenge_accepts_the_verifier_itself_when_allowed() {
    let mut sim = Sim::new(server_with(ServerPolicy {
        pkce: PkcePolicy::RequireAllowPlain,
        ..Default::default()
    }));
    let query = with(
        &with(&spa_query(), "code_challenge", VERIFIER),
        "code_challenge_method",
        "plain",
    );
    let code = query_value(&sim.approve(&query), "code").unwrap();
    assert_eq!(sim.spa_token_request(&code, VERIFIER).status, 200);
}

#[test]
fn rfc6749_4_1_2_code_is_single_use_and_reuse_revokes_what_it_issued() {
    let mut sim = Sim::new(server());
    let code = sim.spa_code();
    let first = json(&sim.spa_token_request(&code, VERIFIER));
    let second = sim.spa_token_request(&code, VERIFIER);
    assert_eq!(error_of(&second), "invalid_grant");
    // The refresh token and the access token from the first use are revoked.
    let refresh = sim.refresh(first["refresh_token"].as_str().unwrap());
    assert_eq!(error_of(&refresh), "invalid_grant");
    let jti = claims(&sim, first["access_token"].as_str().unwrap())["jti"]
        .as_str()
        .unwrap()
        .to_owned();
    assert!(sim.server.is_access_token_revoked(&jti));
}

#[test]
fn code_reuse_works_when_the_defence_is_off() {
    let policy = ServerPolicy {
        single_use_codes: false,
        ..Default::default()
    };
    let mut sim = Sim::new(server_with(policy));
    let code = sim.spa_code();
    assert_eq!(sim.spa_token_request(&code, VERIFIER).status, 200);
    assert_eq!(sim.spa_token_request(&code, VERIFIER).status, 200);
}

#[test]
fn rfc6749_4_1_2_code_expires_after_its_lifetime() {
    let mut sim = Sim::new(server());
    let code = sim.spa_code();
    sim.now = sim.now.plus(60);
    let response = sim.spa_token_request(&code, VERIFIER);
    assert_eq!(error_of(&response), "invalid_grant");
    assert!(
        json(&response)["error_description"]
            .as_str()
            .unwrap()
            .contains("expired")
    );
}

#[test]
fn rfc6749_4_1_3_redirect_uri_must_match_the_authorization_request() {
    let mut sim = Sim::new(server());
    let code = sim.spa_code();
    let response = sim.post(
        "/token",
        &[
            ("grant_type", "authorization_code"),
            ("code", &code),
            ("redirect_uri", "https://spa.example/other"),
            ("client_id", "spa"),
            ("code_verifier", VERIFIER),
        ],
    );
    assert_eq!(error_of(&response), "invalid_grant");
    let response = sim.post(
        "/token",
        &[
            ("grant_type", "authorization_code"),
            ("code", &code),
            ("client_id", "spa"),
            ("code_verifier", VERIFIER),
        ],
    );
    assert_eq!(error_of(&response), "invalid_request");
}

#[test]
fn rfc6749_4_1_3_code_issued_to_another_client_is_invalid_grant() {
    let mut sim = Sim::new(server());
    let code = sim.spa_code();
    let response = sim.send(
        Request::post_form(
            Url::parse("https://as.example/token").unwrap(),
            &[
                ("grant_type", "authorization_code"),
                ("code", &code),
                ("redirect_uri", SPA_CALLBACK),
                ("code_verifier", VERIFIER),
            ],
        )
        .with_header(
            "Authorization",
            basic_credentials("webapp", "webapp-secret"),
        ),
    );
    assert_eq!(error_of(&response), "invalid_grant");
}

// --- client authentication --------------------------------------------------

fn webapp_code(sim: &mut Sim) -> String {
    let query = [
        ("response_type", "code"),
        ("client_id", "webapp"),
        ("redirect_uri", WEB_CALLBACK),
        ("scope", "openid read"),
        ("code_challenge", CHALLENGE),
        ("code_challenge_method", "S256"),
    ];
    query_value(&sim.approve(&query), "code").unwrap()
}

fn webapp_exchange(
    sim: &mut Sim,
    code: &str,
    authorization: Option<String>,
    extra: &[(&str, &str)],
) -> Response {
    let mut form = vec![
        ("grant_type", "authorization_code"),
        ("code", code),
        ("redirect_uri", WEB_CALLBACK),
        ("code_verifier", VERIFIER),
    ];
    form.extend_from_slice(extra);
    let mut request = Request::post_form(Url::parse("https://as.example/token").unwrap(), &form);
    if let Some(value) = authorization {
        request = request.with_header("Authorization", value);
    }
    sim.send(request)
}

#[test]
fn rfc6749_2_3_1_client_secret_basic_authenticates_a_confidential_client() {
    let mut sim = Sim::new(server());
    let code = webapp_code(&mut sim);
    let response = webapp_exchange(
        &mut sim,
        &code,
        Some(basic_credentials("webapp", "webapp-secret")),
        &[],
    );
    assert_eq!(response.status, 200, "{}", response.body);
}

#[test]
fn rfc9110_11_1_the_basic_scheme_authenticates_in_any_case() {
    let credentials = basic_credentials("webapp", "webapp-secret");
    let encoded = credentials.strip_prefix("Basic ").unwrap();
    for scheme in ["BASIC", "basic", "bAsIc"] {
        let mut sim = Sim::new(server());
        let code = webapp_code(&mut sim);
        let response = webapp_exchange(&mut sim, &code, Some(format!("{scheme} {encoded}")), &[]);
        assert_eq!(response.status, 200, "{scheme}: {}", response.body);
    }
}

#[test]
fn rfc6749_5_2_wrong_secret_is_401_invalid_client_with_www_authenticate() {
    let mut sim = Sim::new(server());
    let code = webapp_code(&mut sim);
    let response = webapp_exchange(
        &mut sim,
        &code,
        Some(basic_credentials("webapp", "guess")),
        &[],
    );
    assert_eq!(response.status, 401);
    assert_eq!(error_of(&response), "invalid_client");
    assert_eq!(
        response.headers.get("WWW-Authenticate"),
        Some("Basic realm=\"token\"")
    );
}

#[test]
fn rfc6749_3_2_1_confidential_client_without_authentication_is_invalid_client() {
    let mut sim = Sim::new(server());
    let code = webapp_code(&mut sim);
    let response = webapp_exchange(&mut sim, &code, None, &[("client_id", "webapp")]);
    assert_eq!(response.status, 401);
    assert_eq!(error_of(&response), "invalid_client");
}

#[test]
fn rfc6749_2_3_two_authentication_methods_at_once_are_invalid_request() {
    let mut sim = Sim::new(server());
    let code = webapp_code(&mut sim);
    let response = webapp_exchange(
        &mut sim,
        &code,
        Some(basic_credentials("webapp", "webapp-secret")),
        &[("client_secret", "webapp-secret")],
    );
    assert_eq!(error_of(&response), "invalid_request");
}

#[test]
fn client_must_use_its_registered_authentication_method() {
    let mut sim = Sim::new(server());
    let code = webapp_code(&mut sim);
    let response = webapp_exchange(
        &mut sim,
        &code,
        None,
        &[("client_id", "webapp"), ("client_secret", "webapp-secret")],
    );
    assert_eq!(error_of(&response), "invalid_client");
    assert!(
        json(&response)["error_description"]
            .as_str()
            .unwrap()
            .contains("client_secret_basic")
    );
}

#[test]
fn rfc6749_2_3_1_basic_credentials_are_form_encoded_before_base64() {
    assert_eq!(
        basic_credentials("a b", "c:d"),
        format!("Basic {}", "YStiOmMlM0Fk")
    );
}

// --- token endpoint: refresh ------------------------------------------------

#[test]
fn rfc9700_4_14_2_refresh_rotates_the_token() {
    let mut sim = Sim::new(server());
    let code = sim.spa_code();
    let first = json(&sim.spa_token_request(&code, VERIFIER));
    let old = first["refresh_token"].as_str().unwrap();
    let refreshed = sim.refresh(old);
    assert_eq!(refreshed.status, 200, "{}", refreshed.body);
    let new = json(&refreshed)["refresh_token"]
        .as_str()
        .unwrap()
        .to_owned();
    assert_ne!(new, old);
    assert_eq!(sim.refresh(&new).status, 200);
}

#[test]
fn rfc9700_4_14_2_reusing_a_rotated_token_revokes_the_whole_family() {
    let mut sim = Sim::new(server());
    let code = sim.spa_code();
    let stolen = json(&sim.spa_token_request(&code, VERIFIER))["refresh_token"]
        .as_str()
        .unwrap()
        .to_owned();
    // The legitimate client refreshes first...
    let legit = json(&sim.refresh(&stolen));
    let legit_refresh = legit["refresh_token"].as_str().unwrap().to_owned();
    // ...then the attacker replays the stolen copy: refused, family revoked.
    let attack = sim.refresh(&stolen);
    assert_eq!(error_of(&attack), "invalid_grant");
    assert!(
        json(&attack)["error_description"]
            .as_str()
            .unwrap()
            .contains("family is revoked")
    );
    assert_eq!(error_of(&sim.refresh(&legit_refresh)), "invalid_grant");
    let jti = claims(&sim, legit["access_token"].as_str().unwrap())["jti"]
        .as_str()
        .unwrap()
        .to_owned();
    assert!(sim.server.is_access_token_revoked(&jti));
}

#[test]
fn browser_based_apps_6_3_2_3_rotation_never_extends_the_refresh_token_lifetime() {
    let mut sim = Sim::new(server());
    let lifetime = ServerPolicy::default().refresh_token_lifetime;
    let code = sim.spa_code();
    let first = json(&sim.spa_token_request(&code, VERIFIER));
    // Rotated ten seconds before the first refresh token expires...
    sim.now = sim.now.plus(lifetime - 10);
    let rotated = json(&sim.refresh(first["refresh_token"].as_str().unwrap()));
    let second = rotated["refresh_token"].as_str().unwrap().to_owned();
    // ...the new one expires when the first did, not a lifetime later.
    sim.now = sim.now.plus(20);
    let late = sim.refresh(&second);
    assert_eq!(error_of(&late), "invalid_grant");
    assert!(late.body.contains("expired"), "{}", late.body);
}

#[test]
fn without_reuse_detection_a_stolen_refresh_token_keeps_working() {
    let mut sim = Sim::new(server_with(ServerPolicy {
        detect_refresh_reuse: false,
        ..Default::default()
    }));
    let code = sim.spa_code();
    let stolen = json(&sim.spa_token_request(&code, VERIFIER))["refresh_token"]
        .as_str()
        .unwrap()
        .to_owned();
    assert_eq!(sim.refresh(&stolen).status, 200);
    assert_eq!(sim.refresh(&stolen).status, 200);
}

#[test]
fn without_rotation_the_same_refresh_token_is_kept() {
    let mut sim = Sim::new(server_with(ServerPolicy {
        rotate_refresh_tokens: false,
        ..Default::default()
    }));
    let code = sim.spa_code();
    let token = json(&sim.spa_token_request(&code, VERIFIER))["refresh_token"]
        .as_str()
        .unwrap()
        .to_owned();
    let refreshed = json(&sim.refresh(&token));
    assert!(refreshed.get("refresh_token").is_none());
    assert_eq!(sim.refresh(&token).status, 200);
}

#[test]
fn rfc6749_6_refresh_may_narrow_but_not_widen_the_scope() {
    let mut sim = Sim::new(server());
    let code = sim.spa_code();
    let token = json(&sim.spa_token_request(&code, VERIFIER))["refresh_token"]
        .as_str()
        .unwrap()
        .to_owned();
    let wide = sim.post(
        "/token",
        &[
            ("grant_type", "refresh_token"),
            ("refresh_token", &token),
            ("client_id", "spa"),
            ("scope", "read admin"),
        ],
    );
    assert_eq!(error_of(&wide), "invalid_scope");
    let narrow = sim.post(
        "/token",
        &[
            ("grant_type", "refresh_token"),
            ("refresh_token", &token),
            ("client_id", "spa"),
            ("scope", "read"),
        ],
    );
    assert_eq!(json(&narrow)["scope"], "read");
}

#[test]
fn rfc6749_6_made_up_or_expired_refresh_tokens_are_invalid_grant() {
    let mut sim = Sim::new(server());
    assert_eq!(error_of(&sim.refresh("made-up-token")), "invalid_grant");
    let code = sim.spa_code();
    let token = json(&sim.spa_token_request(&code, VERIFIER))["refresh_token"]
        .as_str()
        .unwrap()
        .to_owned();
    sim.now = sim.now.plus(86_400);
    assert_eq!(error_of(&sim.refresh(&token)), "invalid_grant");
}

// --- token endpoint: client credentials and errors ---------------------------

#[test]
fn rfc6749_4_4_3_client_credentials_issue_an_access_token_without_refresh_token() {
    let mut sim = Sim::new(server());
    let response = sim.post(
        "/token",
        &[
            ("grant_type", "client_credentials"),
            ("client_id", "service"),
            ("client_secret", "service-secret"),
        ],
    );
    assert_eq!(response.status, 200, "{}", response.body);
    let body = json(&response);
    assert!(body.get("refresh_token").is_none());
    assert_eq!(body["scope"], "reports:read");
    assert_eq!(
        claims(&sim, body["access_token"].as_str().unwrap())["sub"],
        "service"
    );
}

#[test]
fn rfc6749_4_4_2_client_credentials_are_refused_to_public_clients() {
    let mut sim = Sim::new(server());
    let response = sim.post(
        "/token",
        &[("grant_type", "client_credentials"), ("client_id", "spa")],
    );
    assert_eq!(error_of(&response), "unauthorized_client");
}

#[test]
fn rfc6749_5_2_unknown_and_missing_grant_types() {
    let mut sim = Sim::new(server());
    let response = sim.post(
        "/token",
        &[("grant_type", "password"), ("client_id", "spa")],
    );
    assert_eq!(error_of(&response), "unsupported_grant_type");
    let response = sim.post("/token", &[("client_id", "spa")]);
    assert_eq!(error_of(&response), "invalid_request");
}

#[test]
fn rfc6749_3_2_repeated_token_parameter_is_invalid_request() {
    let mut sim = Sim::new(server());
    let response = sim.post(
        "/token",
        &[
            ("grant_type", "refresh_token"),
            ("grant_type", "client_credentials"),
            ("client_id", "spa"),
        ],
    );
    assert_eq!(error_of(&response), "invalid_request");
}

#[test]
fn rfc6749_3_2_token_endpoint_only_takes_post() {
    let mut sim = Sim::new(server());
    let response = sim.send(Request::get(
        Url::parse("https://as.example/token?grant_type=client_credentials").unwrap(),
    ));
    assert_eq!(response.status, 405);
}

#[test]
fn the_same_seed_replays_to_identical_bytes() {
    let run = || {
        let mut sim = Sim::new(server());
        let code = sim.spa_code();
        sim.spa_token_request(&code, VERIFIER).body
    };
    assert_eq!(run(), run());
}

#[test]
fn rfc6749_4_1_2_1_an_overloaded_server_redirects_temporarily_unavailable() {
    let mut sim = Sim::new(server_with(ServerPolicy {
        unavailable: true,
        ..Default::default()
    }));
    let back = location(&sim.authorize(&spa_query()));
    assert_eq!(
        query_value(&back, "error").as_deref(),
        Some("temporarily_unavailable")
    );
    assert_eq!(query_value(&back, "state").as_deref(), Some("af0ifjsldkj"));
    let response = sim.post(
        "/token",
        &[
            ("grant_type", "client_credentials"),
            ("client_id", "service"),
        ],
    );
    assert_eq!(response.status, 503);
    assert_eq!(response.headers.get("Retry-After"), Some("30"));
    // Even an overloaded server never redirects to an unregistered URI.
    let response = sim.authorize(&with(
        &spa_query(),
        "redirect_uri",
        "https://attacker.example/",
    ));
    assert_eq!(response.status, 400);
}

/// A random source that fails, like a browser without crypto.getRandomValues.
struct NoRandomness;

impl oauth_engine::rng::Rng for NoRandomness {
    fn fill_bytes(&mut self, _: &mut [u8]) -> Result<(), oauth_engine::rng::RandomnessUnavailable> {
        Err(oauth_engine::rng::RandomnessUnavailable(
            "no entropy in this test".into(),
        ))
    }
}

#[test]
fn rfc6749_4_1_2_1_and_5_2_a_server_that_cannot_make_secrets_answers_server_error() {
    let mut server = server();
    let url = Url::parse("https://as.example/authorize")
        .unwrap()
        .with_query(&spa_query());
    let back = location(&server.handle(&Request::get(url), T0, &mut NoRandomness));
    assert_eq!(query_value(&back, "error").as_deref(), Some("server_error"));

    let request = Request::post_form(
        Url::parse("https://as.example/token").unwrap(),
        &[
            ("grant_type", "client_credentials"),
            ("client_id", "service"),
            ("client_secret", "service-secret"),
        ],
    );
    let response = server.handle(&request, T0, &mut NoRandomness);
    assert_eq!(response.status, 500);
    assert_eq!(error_of(&response), "server_error");
}

#[test]
fn consent_must_come_from_the_browser_that_signed_in() {
    let mut sim = Sim::new(server());
    let transaction = sim.sign_in(&spa_query());
    // Another browser (or a forged cross-site POST) has no session cookie.
    let stranger = Request::post_form(
        Url::parse("https://as.example/consent").unwrap(),
        &[("transaction", &transaction), ("decision", "approve")],
    )
    .with_header("Cookie", "as_session=someone-elses");
    let refused = sim.send(stranger);
    assert_eq!(refused.status, 400);
    assert!(
        refused
            .body
            .contains("does not come from the browser that signed in")
    );
    // The user's own browser still can.
    assert_eq!(sim.decide(&transaction, "approve").status, 302);
}

#[test]
fn the_login_session_cookie_is_http_only_secure_and_same_site() {
    let mut sim = Sim::new(server());
    let login = sim.authorize(&spa_query());
    let transaction = hidden_field(&login.body, "transaction");
    let consent_page = sim.post(
        "/login",
        &[
            ("transaction", &transaction),
            ("username", "alice"),
            ("password", "wonderland"),
        ],
    );
    let cookie = consent_page.headers.get("Set-Cookie").unwrap();
    assert!(cookie.starts_with("as_session="));
    for attribute in ["Secure", "HttpOnly", "SameSite=Lax"] {
        assert!(cookie.contains(attribute), "{cookie}");
    }
}

// --- prompt=none (OpenID Connect Core 1.0) ---------------------------------

#[test]
fn oidc_core_3_1_2_1_prompt_none_answers_a_signed_in_browser_without_a_page() {
    let mut sim = Sim::new(server());
    sim.approve(&spa_query());
    // The browser signed in and consented once: a second request with
    // prompt=none comes straight back with a code, no page between.
    let silent = sim.authorize(&with(&spa_query(), "prompt", "none"));
    assert_eq!(silent.status, 302, "{}", silent.body);
    let back = location(&silent);
    assert_eq!(back.path, "/callback");
    let code = query_value(&back, "code").expect("a code");
    assert_eq!(sim.spa_token_request(&code, VERIFIER).status, 200);
}

#[test]
fn oidc_core_3_1_2_6_prompt_none_without_a_session_is_login_required() {
    let mut sim = Sim::new(server());
    let back = location(&sim.authorize(&with(&spa_query(), "prompt", "none")));
    assert_eq!(
        query_value(&back, "error").as_deref(),
        Some("login_required")
    );
    assert_eq!(query_value(&back, "state").as_deref(), Some("af0ifjsldkj"));
    assert!(query_value(&back, "code").is_none());
}

#[test]
fn oidc_core_3_1_2_6_prompt_none_beyond_what_was_granted_is_consent_required() {
    let mut sim = Sim::new(server());
    let transaction = sim.sign_in(&spa_query());
    sim.consent(&transaction, &[("scope", "read"), ("decision", "approve")]);
    // Alice granted read only: asking for read and write needs her again.
    let back = location(&sim.authorize(&with(&spa_query(), "prompt", "none")));
    assert_eq!(
        query_value(&back, "error").as_deref(),
        Some("consent_required")
    );
    // What she granted comes back without a page.
    let read_only = with(&with(&spa_query(), "prompt", "none"), "scope", "read");
    let back = location(&sim.authorize(&read_only));
    assert!(query_value(&back, "code").is_some());
}

#[test]
fn rfc6749_3_1_a_server_without_single_sign_on_ignores_prompt() {
    // RFC 6749 "MUST ignore unrecognized request parameters": a server
    // without single sign-on shows its sign-in page, prompt=none or not.
    let mut sim = Sim::new(server());
    sim.sso = None;
    sim.approve(&spa_query());
    let page = sim.authorize(&with(&spa_query(), "prompt", "none"));
    assert_eq!(page.status, 200, "{}", page.body);
    assert!(page.body.contains("Sign in"));
}
