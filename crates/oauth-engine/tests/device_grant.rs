//! The device authorization grant (RFC 8628) at the server's endpoints.

mod common;

use common::*;
use oauth_engine::http::{Request, Response, Url};
use oauth_engine::server::DEVICE_CODE_GRANT;
use serde_json::Value;

#[cfg(target_arch = "wasm32")]
use wasm_bindgen_test::wasm_bindgen_test as test;
#[cfg(target_arch = "wasm32")]
wasm_bindgen_test::wasm_bindgen_test_configure!(run_in_browser);

fn start(sim: &mut Sim) -> Value {
    let response = sim.post(
        "/device_authorization",
        &[("client_id", "tv"), ("scope", "read")],
    );
    assert_eq!(response.status, 200, "{}", response.body);
    json(&response)
}

fn poll(sim: &mut Sim, device_code: &str) -> Response {
    sim.post(
        "/token",
        &[
            ("grant_type", DEVICE_CODE_GRANT),
            ("device_code", device_code),
            ("client_id", "tv"),
        ],
    )
}

/// The user enters `user_code` on the verification page, signs in and
/// decides.
fn user_decides(sim: &mut Sim, user_code: &str, decision: &str) -> Response {
    let login = sim.post("/device", &[("user_code", user_code)]);
    let transaction = hidden_field(&login.body, "transaction");
    sim.post(
        "/login",
        &[
            ("transaction", &transaction),
            ("username", "alice"),
            ("password", "wonderland"),
        ],
    );
    sim.decide(&transaction, decision)
}

fn code_of(body: &Value, name: &str) -> String {
    body[name].as_str().unwrap().to_owned()
}

#[test]
fn rfc8628_3_2_device_authorization_response_has_codes_uris_and_interval() {
    let mut sim = Sim::new(server());
    let body = start(&mut sim);
    assert!(code_of(&body, "device_code").len() >= 43);
    let user_code = code_of(&body, "user_code");
    assert_eq!(user_code.len(), 9);
    assert_eq!(&user_code[4..5], "-");
    assert_eq!(body["verification_uri"], "https://as.example/device");
    assert_eq!(
        body["verification_uri_complete"],
        format!("https://as.example/device?user_code={user_code}")
    );
    assert_eq!(body["expires_in"], 600);
    assert_eq!(body["interval"], 5);
}

#[test]
fn rfc8628_3_5_polls_are_pending_until_the_user_approves_then_get_tokens() {
    let mut sim = Sim::new(server());
    let body = start(&mut sim);
    let device_code = code_of(&body, "device_code");
    sim.now = sim.now.plus(5);
    assert_eq!(
        error_of(&poll(&mut sim, &device_code)),
        "authorization_pending"
    );
    let done = user_decides(&mut sim, &code_of(&body, "user_code"), "approve");
    assert!(done.body.contains("Your device is connected"));
    sim.now = sim.now.plus(5);
    let tokens = poll(&mut sim, &device_code);
    assert_eq!(tokens.status, 200, "{}", tokens.body);
    let tokens = json(&tokens);
    assert_eq!(tokens["scope"], "read");
    assert!(tokens["refresh_token"].is_string());
    // No openid, no ID token (OpenID Connect Core section 3.1.3.3).
    assert!(tokens.get("id_token").is_none());
}

#[test]
fn rfc8628_3_5_polling_faster_than_the_interval_is_slow_down_and_adds_5_seconds() {
    let mut sim = Sim::new(server());
    let device_code = code_of(&start(&mut sim), "device_code");
    sim.now = sim.now.plus(5);
    assert_eq!(
        error_of(&poll(&mut sim, &device_code)),
        "authorization_pending"
    );
    // 2 s after the last poll, with an interval of 5.
    sim.now = sim.now.plus(2);
    let response = poll(&mut sim, &device_code);
    assert_eq!(error_of(&response), "slow_down");
    assert!(
        json(&response)["error_description"]
            .as_str()
            .unwrap()
            .contains("wait 7 seconds"),
        "{}",
        response.body
    );
    // The device keeps polling every 2 s: still too fast.
    sim.now = sim.now.plus(2);
    assert_eq!(error_of(&poll(&mut sim, &device_code)), "slow_down");
    // It honours slow_down: 2 + 5 seconds later, it is served.
    sim.now = sim.now.plus(7);
    assert_eq!(
        error_of(&poll(&mut sim, &device_code)),
        "authorization_pending"
    );
}

#[test]
fn rfc8628_3_5_a_denial_reaches_the_device_as_access_denied() {
    let mut sim = Sim::new(server());
    let body = start(&mut sim);
    user_decides(&mut sim, &code_of(&body, "user_code"), "deny");
    assert_eq!(
        error_of(&poll(&mut sim, &code_of(&body, "device_code"))),
        "access_denied"
    );
}

#[test]
fn rfc8628_3_5_the_device_code_expires_after_its_lifetime() {
    let mut sim = Sim::new(server());
    let device_code = code_of(&start(&mut sim), "device_code");
    sim.now = sim.now.plus(600);
    assert_eq!(error_of(&poll(&mut sim, &device_code)), "expired_token");
}

#[test]
fn rfc8628_3_4_a_device_code_gets_tokens_once() {
    let mut sim = Sim::new(server());
    let body = start(&mut sim);
    let device_code = code_of(&body, "device_code");
    user_decides(&mut sim, &code_of(&body, "user_code"), "approve");
    assert_eq!(poll(&mut sim, &device_code).status, 200);
    sim.now = sim.now.plus(5);
    assert_eq!(error_of(&poll(&mut sim, &device_code)), "invalid_grant");
}

#[test]
fn rfc8628_6_1_the_user_code_is_accepted_in_lower_case_without_the_dash() {
    let mut sim = Sim::new(server());
    let body = start(&mut sim);
    let typed = code_of(&body, "user_code").replace('-', "").to_lowercase();
    let login = sim.post("/device", &[("user_code", &typed)]);
    assert!(login.body.contains("name=\"transaction\""));
}

#[test]
fn rfc8628_3_3_a_wrong_user_code_is_explained_on_the_page() {
    let mut sim = Sim::new(server());
    start(&mut sim);
    let page = sim.post("/device", &[("user_code", "BCDF-GHJK")]);
    assert_eq!(page.status, 200);
    assert!(page.body.contains("That code is not valid or has expired"));
    // The typed code stays in the field.
    assert!(page.body.contains("value=\"BCDF-GHJK\""));
}

#[test]
fn rfc8628_3_3_verification_uri_complete_prefills_the_code() {
    let mut sim = Sim::new(server());
    let body = start(&mut sim);
    let url = Url::parse(body["verification_uri_complete"].as_str().unwrap()).unwrap();
    let page = sim.send(Request::get(url));
    assert!(
        page.body
            .contains(&format!("value=\"{}\"", code_of(&body, "user_code")))
    );
}

#[test]
fn rfc8628_3_1_a_client_not_registered_for_the_grant_is_unauthorized_client() {
    let mut sim = Sim::new(server());
    let response = sim.post("/device_authorization", &[("client_id", "spa")]);
    assert_eq!(error_of(&response), "unauthorized_client");
}

#[test]
fn rfc8414_2_metadata_lists_the_device_authorization_endpoint() {
    let mut sim = Sim::new(server());
    let metadata = json(&sim.send(Request::get(
        Url::parse("https://as.example/.well-known/oauth-authorization-server").unwrap(),
    )));
    assert_eq!(
        metadata["device_authorization_endpoint"],
        "https://as.example/device_authorization"
    );
    assert!(
        metadata["grant_types_supported"]
            .as_array()
            .unwrap()
            .contains(&Value::from(DEVICE_CODE_GRANT))
    );
}
