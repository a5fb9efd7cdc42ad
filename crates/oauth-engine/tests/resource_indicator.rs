//! Resource indicators (RFC 8707 section 2) and the canonical form MCP
//! asks a client to send them in (MCP authorization, revision 2026-07-28,
//! "Canonical Server URI").

use oauth_engine::error::ErrorCode;
use oauth_engine::resource_indicator::{ResourceError, ResourceIndicator, canonical_resource};

#[cfg(target_arch = "wasm32")]
use wasm_bindgen_test::wasm_bindgen_test as test;
#[cfg(target_arch = "wasm32")]
wasm_bindgen_test::wasm_bindgen_test_configure!(run_in_browser);

fn refused(value: &str) -> ResourceError {
    ResourceIndicator::parse(value).expect_err(value)
}

#[test]
fn rfc8707_2_an_absolute_https_uri_is_a_resource_and_kept_as_written() {
    for value in [
        "https://mcp.example.com/mcp",
        "https://mcp.example.com",
        "https://mcp.example.com:8443",
        "https://mcp.example.com/server/mcp",
        "https://api.example/v1?tenant=a",
        "https://[::1]:8443/mcp",
        "https://MCP.Example.com/Path/",
    ] {
        let resource = ResourceIndicator::parse(value).expect(value);
        assert_eq!(resource.as_str(), value);
        assert_eq!(resource.to_string(), value);
    }
}

#[test]
fn rfc8707_2_a_uri_without_a_scheme_is_not_absolute() {
    // MCP's own example of an invalid value.
    assert_eq!(refused("mcp.example.com"), ResourceError::NotAbsolute);
    assert_eq!(refused("/mcp"), ResourceError::NotAbsolute);
    assert_eq!(refused("//mcp.example.com"), ResourceError::NotAbsolute);
}

#[test]
fn rfc8707_2_a_fragment_is_refused() {
    // MCP's example: https://mcp.example.com#fragment.
    assert_eq!(
        refused("https://mcp.example.com#fragment"),
        ResourceError::Fragment("fragment".into())
    );
    // An empty fragment is still a fragment component (RFC 3986 section 3.5).
    assert_eq!(
        refused("https://mcp.example.com/mcp#"),
        ResourceError::Fragment(String::new())
    );
}

#[test]
fn rfc8707_2_resources_here_are_https_urls() {
    assert_eq!(
        refused("http://mcp.example.com"),
        ResourceError::NotHttps("http".into())
    );
    assert_eq!(
        refused("urn:example:api"),
        ResourceError::NotHttps("urn".into())
    );
    assert_eq!(refused("https:mcp.example.com"), ResourceError::NoHost);
    assert_eq!(refused("https:///mcp"), ResourceError::NoHost);
    assert_eq!(refused("https://user@/mcp"), ResourceError::NoHost);
    assert_eq!(
        refused("https://mcp.example.com:84x3"),
        ResourceError::BadPort("84x3".into())
    );
}

#[test]
fn rfc3986_2_characters_no_uri_contains_are_refused() {
    assert_eq!(refused(""), ResourceError::Empty);
    assert_eq!(
        refused("https://mcp.example.com/a b"),
        ResourceError::BadCharacter(' ')
    );
    assert_eq!(
        refused("https://mcp.example.com/\"x\""),
        ResourceError::BadCharacter('"')
    );
    assert_eq!(
        refused("https://mcp.exämple.com"),
        ResourceError::BadCharacter('ä')
    );
    assert_eq!(
        refused("https://mcp.example.com/%zz"),
        ResourceError::BadCharacter('%')
    );
    assert!(ResourceIndicator::parse("https://mcp.example.com/%2Fx").is_ok());
}

#[test]
fn rfc8707_2_every_refusal_is_invalid_target_and_names_what_is_wrong() {
    let error = refused("https://mcp.example.com#top");
    assert_eq!(error.code(), ErrorCode::InvalidTarget);
    let response = error.to_oauth_error();
    assert_eq!(response.code.as_str(), "invalid_target");
    assert!(response.description.contains("fragment"), "{response}");
    assert!(
        refused("mcp.example.com")
            .to_string()
            .contains("not an absolute URI")
    );
    assert!(refused("http://x.example").to_string().contains("\"http\""));
}

#[test]
fn mcp_canonical_server_uri_accepts_upper_case_scheme_and_host_and_lowers_them() {
    let resource = ResourceIndicator::parse("HTTPS://MCP.Example.COM/MCP").unwrap();
    assert_eq!(resource.as_str(), "HTTPS://MCP.Example.COM/MCP");
    // The path keeps its case: only scheme and host are case-insensitive.
    assert_eq!(resource.canonical().as_str(), "https://mcp.example.com/MCP");
}

#[test]
fn mcp_canonical_server_uri_has_no_trailing_slash() {
    let canonical = |value: &str| canonical_resource(value).unwrap().as_str().to_owned();
    assert_eq!(
        canonical("https://mcp.example.com/"),
        "https://mcp.example.com"
    );
    assert_eq!(
        canonical("https://mcp.example.com"),
        "https://mcp.example.com"
    );
    assert_eq!(
        canonical("https://mcp.example.com/mcp/"),
        "https://mcp.example.com/mcp"
    );
    assert_eq!(
        canonical("https://mcp.example.com:8443/"),
        "https://mcp.example.com:8443"
    );
    assert_eq!(
        canonical("https://mcp.example.com/?tenant=a"),
        "https://mcp.example.com?tenant=a"
    );
}

#[test]
fn mcp_canonical_server_uri_leaves_valid_examples_as_they_are() {
    for value in [
        "https://mcp.example.com/mcp",
        "https://mcp.example.com",
        "https://mcp.example.com:8443",
        "https://mcp.example.com/server/mcp",
    ] {
        let canonical = canonical_resource(value).unwrap();
        assert_eq!(canonical.as_str(), value);
        // The canonical form parses back to itself.
        assert_eq!(ResourceIndicator::parse(value).unwrap(), canonical);
    }
}

#[test]
fn mcp_canonical_server_uri_still_refuses_what_rfc8707_refuses() {
    assert_eq!(
        canonical_resource("https://mcp.example.com#fragment"),
        Err(ResourceError::Fragment("fragment".into()))
    );
}
