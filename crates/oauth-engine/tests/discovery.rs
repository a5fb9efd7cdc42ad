//! Authorization server metadata discovery in MCP's order (MCP
//! authorization, revision 2026-07-28, "Authorization Server Metadata
//! Discovery") and the issuer check of RFC 8414 section 3.3.

use oauth_engine::discovery::{IssuerError, check_issuer, issuer_url, metadata_urls};
use oauth_engine::http::{Url, UrlError};

#[cfg(target_arch = "wasm32")]
use wasm_bindgen_test::wasm_bindgen_test as test;
#[cfg(target_arch = "wasm32")]
wasm_bindgen_test::wasm_bindgen_test_configure!(run_in_browser);

fn urls(issuer: &str) -> Vec<String> {
    metadata_urls(&issuer_url(issuer).unwrap())
        .iter()
        .map(Url::to_string)
        .collect()
}

#[test]
fn mcp_as_discovery_with_a_path_tries_rfc8414_then_oidc_insertion_then_oidc_appending() {
    assert_eq!(
        urls("https://auth.example.com/tenant1"),
        [
            "https://auth.example.com/.well-known/oauth-authorization-server/tenant1",
            "https://auth.example.com/.well-known/openid-configuration/tenant1",
            "https://auth.example.com/tenant1/.well-known/openid-configuration",
        ]
    );
}

#[test]
fn mcp_as_discovery_without_a_path_tries_rfc8414_then_oidc() {
    let expected = [
        "https://auth.example.com/.well-known/oauth-authorization-server",
        "https://auth.example.com/.well-known/openid-configuration",
    ];
    assert_eq!(urls("https://auth.example.com"), expected);
    // RFC 8414 section 3.1: a terminating slash after the host is removed.
    assert_eq!(urls("https://auth.example.com/"), expected);
}

#[test]
fn rfc8414_3_1_a_terminating_slash_of_the_path_is_removed_before_inserting() {
    // "If the issuer identifier value contains a path component, any
    // terminating "/" MUST be removed before inserting".
    assert_eq!(
        urls("https://auth.example.com/tenant1/"),
        urls("https://auth.example.com/tenant1")
    );
}

#[test]
fn oidc_discovery_4_a_terminating_slash_is_removed_before_appending() {
    assert_eq!(
        urls("https://auth.example.com/tenant1/")[2],
        "https://auth.example.com/tenant1/.well-known/openid-configuration"
    );
}

#[test]
fn rfc8414_3_3_an_identical_issuer_is_accepted() {
    assert_eq!(
        check_issuer(
            "https://auth.example.com/tenant1",
            "https://auth.example.com/tenant1"
        ),
        Ok(())
    );
}

#[test]
fn rfc8414_3_3_metadata_claiming_another_issuer_must_not_be_used() {
    // MCP's example: fetched from https://attacker.example, claims honest.
    let error = check_issuer("https://honest.example", "https://attacker.example").unwrap_err();
    assert_eq!(
        error,
        IssuerError::Mismatch {
            document: "https://honest.example".into(),
            expected: "https://attacker.example".into(),
        }
    );
    assert!(error.to_string().contains("must not be used"), "{error}");
}

#[test]
fn rfc8414_3_3_identical_means_no_normalization() {
    for near in [
        "https://auth.example.com/",
        "https://AUTH.example.com",
        "https://auth.example.com:443",
        "https://auth.example.com/tenant1",
    ] {
        assert!(
            check_issuer(near, "https://auth.example.com").is_err(),
            "{near}"
        );
    }
}

#[test]
fn rfc8414_2_an_issuer_is_https_without_query_or_fragment() {
    assert_eq!(
        issuer_url("http://auth.example.com"),
        Err(IssuerError::NotHttps("http://auth.example.com".into()))
    );
    assert_eq!(
        issuer_url("https://auth.example.com?x=1"),
        Err(IssuerError::Query)
    );
    assert_eq!(
        issuer_url("https://auth.example.com#x"),
        Err(IssuerError::Fragment)
    );
    assert_eq!(
        issuer_url("auth.example.com"),
        Err(IssuerError::Url(UrlError::NotAbsolute))
    );
    assert_eq!(
        issuer_url("https://auth.example.com/tenant1").unwrap().path,
        "/tenant1"
    );
}
