//! Dynamic Client Registration (RFC 7591): the server's reading of a
//! registration request, each rule by name, and property tests on the
//! parser.

use oauth_engine::client_registration::{ClientMetadata, RegistrationError, check_redirect_uri};
#[cfg(target_arch = "wasm32")]
use wasm_bindgen_test::wasm_bindgen_test as test;

fn refused(body: &str) -> RegistrationError {
    ClientMetadata::parse(body).expect_err("the request is refused")
}

#[test]
fn rfc7591_3_2_2_a_request_that_is_not_a_json_object_is_invalid_client_metadata() {
    for body in ["", "not json", "[]", "\"agent\""] {
        assert_eq!(refused(body).code(), "invalid_client_metadata", "{body:?}");
    }
}

#[test]
fn rfc7591_2_a_code_client_must_register_its_redirect_uris() {
    let error = refused(r#"{"token_endpoint_auth_method": "none"}"#);
    assert_eq!(error.code(), "invalid_redirect_uri");
    assert!(
        error.to_string().contains("redirect_uris is missing"),
        "{error}"
    );
    // A client that uses no redirect (client credentials) needs none.
    let service =
        ClientMetadata::parse(r#"{"grant_types": ["client_credentials"], "response_types": []}"#)
            .unwrap();
    assert!(service.redirect_uris.is_empty());
}

#[test]
fn rfc6749_3_1_2_a_redirect_uri_is_absolute_and_has_no_fragment() {
    assert_eq!(
        check_redirect_uri("/callback").unwrap_err().code(),
        "invalid_redirect_uri"
    );
    let error = check_redirect_uri("https://agent.example/cb#frag").unwrap_err();
    assert!(error.to_string().contains("fragment"), "{error}");
    assert!(check_redirect_uri("https://agent.example/cb?x=1").is_ok());
    assert!(check_redirect_uri("com.example.agent:/callback").is_ok());
}

#[test]
fn rfc8252_7_3_plain_http_only_on_a_loopback_address() {
    assert!(check_redirect_uri("http://127.0.0.1:51004/callback").is_ok());
    assert!(check_redirect_uri("http://localhost:8080/callback").is_ok());
    assert!(check_redirect_uri("http://[::1]:8080/callback").is_ok());
    assert!(check_redirect_uri("http://127.0.0.1.attacker.example/callback").is_err());
    let error = check_redirect_uri("http://agent.example/callback").unwrap_err();
    assert_eq!(error.code(), "invalid_redirect_uri");
    assert!(error.to_string().contains("loopback"), "{error}");
}

#[test]
fn rfc7591_2_an_unknown_token_endpoint_auth_method_is_refused() {
    let error = refused(
        r#"{"redirect_uris": ["https://a.example/cb"], "token_endpoint_auth_method": "magic"}"#,
    );
    assert_eq!(error.code(), "invalid_client_metadata");
    assert!(error.to_string().contains("\"magic\""), "{error}");
}

#[test]
fn rfc7591_2_1_grant_types_and_response_types_must_match() {
    let error = refused(
        r#"{"redirect_uris": ["https://a.example/cb"], "grant_types": ["authorization_code"],
            "response_types": ["token"]}"#,
    );
    assert_eq!(error.code(), "invalid_client_metadata");
    assert!(error.to_string().contains("section 2.1"), "{error}");
}

#[test]
fn rfc7591_3_2_2_the_error_response_body_has_error_and_description() {
    let body = refused(r#"{"redirect_uris": "https://a.example/cb"}"#).to_json();
    assert_eq!(body["error"], "invalid_client_metadata");
    assert_eq!(
        body["error_description"],
        "redirect_uris must be an array of strings"
    );
}

#[test]
fn rfc7591_2_members_the_server_does_not_know_are_ignored() {
    let metadata = ClientMetadata::parse(
        r#"{"redirect_uris": ["https://a.example/cb"], "logo_uri": "https://a.example/l.png",
            "software_statement_like": 3}"#,
    )
    .unwrap();
    assert_eq!(metadata.redirect_uris, ["https://a.example/cb"]);
}

// Natively only: proptest is not built for wasm32.
#[cfg(not(target_arch = "wasm32"))]
mod properties {
    use super::*;
    use proptest::prelude::*;

    fn redirect_uri() -> impl Strategy<Value = String> {
        prop_oneof![
            "[a-z]{1,10}".prop_map(|host| format!("https://{host}.example/callback")),
            (1024u16..65535).prop_map(|port| format!("http://127.0.0.1:{port}/callback")),
            "[a-z]{1,8}".prop_map(|name| format!("com.example.{name}:/callback")),
        ]
    }

    fn metadata() -> impl Strategy<Value = ClientMetadata> {
        (
            prop::collection::vec(redirect_uri(), 1..4),
            prop::sample::select(vec!["none", "client_secret_basic", "client_secret_post"]),
            proptest::option::of("[ -~]{0,20}"),
            proptest::option::of("[a-z]{1,6}( [a-z]{1,6}){0,3}"),
        )
            .prop_map(
                |(redirect_uris, method, client_name, scope)| ClientMetadata {
                    redirect_uris,
                    token_endpoint_auth_method: method.to_owned(),
                    grant_types: vec!["authorization_code".into(), "refresh_token".into()],
                    response_types: vec!["code".into()],
                    client_name,
                    scope,
                },
            )
    }

    proptest! {
        /// What the server writes back reads as what was registered.
        #[test]
        fn registered_metadata_reads_back_as_itself(metadata in metadata()) {
            let body = metadata.to_json().to_string();
            prop_assert_eq!(ClientMetadata::parse(&body).unwrap(), metadata);
        }

        /// Any text at all: an answer, never a panic; and a refusal is
        /// one of section 3.2.2's two codes.
        #[test]
        fn any_body_is_read_or_refused_with_a_section_3_2_2_code(body in "\\PC{0,80}") {
            if let Err(error) = ClientMetadata::parse(&body) {
                prop_assert!(matches!(error.code(), "invalid_client_metadata" | "invalid_redirect_uri"));
            }
        }

        /// Any JSON object with a redirect_uris member of any shape.
        #[test]
        fn any_redirect_uris_value_is_read_or_refused(uris in prop::collection::vec("\\PC{0,30}", 0..4)) {
            let body = serde_json::json!({ "redirect_uris": uris }).to_string();
            let _ = ClientMetadata::parse(&body);
        }
    }
}
