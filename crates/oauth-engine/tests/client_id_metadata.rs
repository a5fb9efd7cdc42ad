//! OAuth Client ID Metadata Document (draft-ietf-oauth-client-id-metadata-
//! document-02): the client identifier URL's rules, the document's, and
//! the server's fetch, each by the section that states it; property tests
//! on the readers.

use oauth_engine::client_id_metadata::{
    CimdError, ClientIdMetadataDocument, MAX_DOCUMENT_BYTES, check_client_id_url,
    is_special_use_host,
};
use oauth_engine::error::ErrorCode;
use serde_json::json;
#[cfg(target_arch = "wasm32")]
use wasm_bindgen_test::wasm_bindgen_test as test;

const CLIENT_ID: &str = "https://agent.example/oauth/client.json";

fn document(extra: serde_json::Value) -> String {
    let mut document = json!({
        "client_id": CLIENT_ID,
        "client_name": "Agent",
        "redirect_uris": ["http://127.0.0.1:43117/callback"],
        "token_endpoint_auth_method": "none",
    });
    for (name, value) in extra.as_object().unwrap() {
        document[name] = value.clone();
    }
    document.to_string()
}

#[test]
fn cimd_3_the_client_id_url_is_https_with_a_path_and_nothing_it_must_not_have() {
    assert!(check_client_id_url(CLIENT_ID).is_ok());
    // A query is only "SHOULD NOT"; a lone "/" only "NOT RECOMMENDED".
    assert!(check_client_id_url("https://agent.example/c?v=1").is_ok());
    assert!(check_client_id_url("https://agent.example/").is_ok());
    for (url, why) in [
        ("http://agent.example/client.json", "https"),
        ("https://agent.example", "path"),
        ("https://user:pw@agent.example/client.json", "userinfo"),
        ("https://agent.example/client.json#me", "fragment"),
        ("https://agent.example/a/../client.json", "dot"),
        ("https://agent.example/./client.json", "dot"),
    ] {
        match check_client_id_url(url) {
            Err(CimdError::Url(message)) => assert!(message.contains(why), "{url}: {message}"),
            other => panic!("{url} should be refused for its {why}, got {other:?}"),
        }
    }
}

#[test]
fn cimd_8_6_the_server_does_not_fetch_a_special_use_address() {
    for host in [
        "localhost",
        "127.0.0.1",
        "10.0.0.5",
        "172.16.9.1",
        "192.168.1.1",
        "169.254.169.254",
        "100.64.0.1",
        "0.0.0.0",
        "[::1]",
        "[fd00::1]",
        "[fe80::1]",
        "[::ffff:10.0.0.1]",
    ] {
        assert!(is_special_use_host(host), "{host}");
        let url = format!("https://{host}/client.json");
        assert!(
            matches!(check_client_id_url(&url), Err(CimdError::SpecialUseHost(_))),
            "{url}"
        );
    }
    for host in ["agent.example", "8.8.8.8", "172.32.0.1", "[2001:db8::1]"] {
        assert!(!is_special_use_host(host), "{host}");
    }
}

#[test]
fn cimd_4_the_document_s_client_id_is_the_url_it_was_fetched_from() {
    let read = ClientIdMetadataDocument::read(CLIENT_ID, 200, &document(json!({}))).unwrap();
    assert_eq!(read.client_id, CLIENT_ID);
    assert!(read.metadata.is_public());
    // Simple string comparison: the default port written out is another URL.
    let error = ClientIdMetadataDocument::read(
        "https://agent.example:443/oauth/client.json",
        200,
        &document(json!({})),
    )
    .unwrap_err();
    assert!(
        matches!(error, CimdError::ClientIdMismatch { .. }),
        "{error}"
    );
    assert_eq!(error.to_oauth_error().code, ErrorCode::InvalidClient);
}

#[test]
fn cimd_4_1_a_document_names_no_shared_secret() {
    for extra in [
        json!({"client_secret": "s3cret"}),
        json!({"client_secret_expires_at": 0}),
        json!({"token_endpoint_auth_method": "client_secret_basic"}),
        json!({"token_endpoint_auth_method": "client_secret_jwt"}),
    ] {
        let error =
            ClientIdMetadataDocument::read(CLIENT_ID, 200, &document(extra.clone())).unwrap_err();
        assert!(
            matches!(error, CimdError::SharedSecret(_)),
            "{extra}: {error}"
        );
    }
    // private_key_jwt, with public keys, is what a client that can hold a
    // key uses (section 8.2).
    assert!(
        ClientIdMetadataDocument::read(
            CLIENT_ID,
            200,
            &document(json!({"token_endpoint_auth_method": "private_key_jwt"}))
        )
        .is_ok()
    );
}

#[test]
fn cimd_4_a_document_without_a_method_is_a_public_client_not_rfc7591_s_default() {
    let mut value: serde_json::Value = serde_json::from_str(&document(json!({}))).unwrap();
    value
        .as_object_mut()
        .unwrap()
        .remove("token_endpoint_auth_method");
    let read = ClientIdMetadataDocument::read(CLIENT_ID, 200, &value.to_string()).unwrap();
    assert!(read.metadata.is_public());
}

#[test]
fn cimd_5_any_status_but_200_is_an_error_and_a_redirect_is_not_followed() {
    for status in [301, 302, 404, 500] {
        assert_eq!(
            ClientIdMetadataDocument::read(CLIENT_ID, status, &document(json!({}))),
            Err(CimdError::Status(status))
        );
    }
}

#[test]
fn cimd_8_7_the_server_reads_at_most_five_kilobytes() {
    let padded = document(json!({"client_name": "A".repeat(MAX_DOCUMENT_BYTES)}));
    assert_eq!(
        ClientIdMetadataDocument::read(CLIENT_ID, 200, &padded),
        Err(CimdError::TooLarge(padded.len()))
    );
}

#[test]
fn cimd_8_1_redirect_uris_on_another_host_are_named_for_a_server_that_restricts_them() {
    let read = ClientIdMetadataDocument::read(
        CLIENT_ID,
        200,
        &document(json!({"redirect_uris": [
            "https://agent.example/callback",
            "https://attacker.example/callback"
        ]})),
    )
    .unwrap();
    assert_eq!(
        read.redirects_elsewhere(),
        ["https://attacker.example/callback"]
    );
}

#[test]
fn rfc7591_the_document_s_metadata_is_read_as_a_registration_request_is() {
    let error = ClientIdMetadataDocument::read(
        CLIENT_ID,
        200,
        &document(json!({"redirect_uris": ["http://agent.example/callback"]})),
    )
    .unwrap_err();
    match error {
        CimdError::Metadata(inner) => assert_eq!(inner.code(), "invalid_redirect_uri"),
        other => panic!("{other:?}"),
    }
}

// Natively only: proptest is not built for wasm32.
#[cfg(not(target_arch = "wasm32"))]
mod properties {
    use super::*;
    use proptest::prelude::*;

    proptest! {
        /// Any text as a client_id: an answer, never a panic; and a URL it
        /// takes is https with a path and no fragment.
        #[test]
        fn any_client_id_is_checked_without_a_panic(client_id in "\\PC{0,60}") {
            if let Ok(url) = check_client_id_url(&client_id) {
                prop_assert!(client_id.starts_with("https://"));
                prop_assert!(url.fragment.is_none());
            }
        }

        /// Any body at any status: read or refused, never a panic; a
        /// document it reads names the URL it came from.
        #[test]
        fn any_fetched_body_is_read_or_refused(body in "\\PC{0,120}", status in 100u16..600) {
            if let Ok(read) = ClientIdMetadataDocument::read(CLIENT_ID, status, &body) {
                prop_assert_eq!(read.client_id, CLIENT_ID);
            }
        }

        /// Every address in 10.0.0.0/8 and 169.254.0.0/16 is refused.
        #[test]
        fn private_and_link_local_addresses_are_special_use(b in 0u8..=255, c in 0u8..=255, d in 0u8..=255) {
            let ten = format!("10.{b}.{c}.{d}");
            let link_local = format!("169.254.{c}.{d}");
            prop_assert!(is_special_use_host(&ten));
            prop_assert!(is_special_use_host(&link_local));
        }
    }
}
