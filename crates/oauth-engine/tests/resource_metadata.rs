//! Protected resource metadata (RFC 9728) as MCP uses it (MCP
//! authorization, revision 2026-07-28, "Protected Resource Metadata
//! Discovery Requirements"), and the `WWW-Authenticate` challenges that
//! point at it (RFC 9110 section 11.6.1).

use oauth_engine::error::{ErrorCode, OAuthError};
use oauth_engine::http::{Challenge, ChallengeError, Response, Url, parse_challenges};
use oauth_engine::resource_indicator::{ResourceError, ResourceIndicator};
use oauth_engine::resource_metadata::{
    MetadataError, ProtectedResourceMetadata, ResourceChallenge, bearer_challenge, well_known_url,
    well_known_urls,
};
use serde_json::json;

#[cfg(target_arch = "wasm32")]
use wasm_bindgen_test::wasm_bindgen_test as test;
#[cfg(target_arch = "wasm32")]
wasm_bindgen_test::wasm_bindgen_test_configure!(run_in_browser);

const TOOLS: &str = "https://tools.example/mcp";

fn resource(value: &str) -> ResourceIndicator {
    ResourceIndicator::parse(value).unwrap()
}

fn document(resource: &str) -> String {
    json!({
        "resource": resource,
        "authorization_servers": ["https://as.example"],
        "scopes_supported": ["files:read", "files:write"],
    })
    .to_string()
}

fn params(challenge: &Challenge) -> Vec<(&str, &str)> {
    challenge
        .params
        .iter()
        .map(|(n, v)| (n.as_str(), v.as_str()))
        .collect()
}

#[test]
fn rfc9728_3_1_the_well_known_path_goes_between_host_and_path() {
    let url = |value: &str| well_known_url(&resource(value)).to_string();
    // The section's two examples.
    assert_eq!(
        url("https://resource.example.com"),
        "https://resource.example.com/.well-known/oauth-protected-resource"
    );
    assert_eq!(
        url("https://resource.example.com/resource1"),
        "https://resource.example.com/.well-known/oauth-protected-resource/resource1"
    );
    // MCP's example of a server at a path.
    assert_eq!(
        url("https://example.com/public/mcp"),
        "https://example.com/.well-known/oauth-protected-resource/public/mcp"
    );
    // Section 3: inserted before the query too.
    assert_eq!(
        url("https://resource.example.com?tenant=a"),
        "https://resource.example.com/.well-known/oauth-protected-resource?tenant=a"
    );
}

#[test]
fn rfc9728_3_1_a_terminating_slash_after_the_host_is_removed() {
    assert_eq!(
        well_known_url(&resource("https://resource.example.com/")).to_string(),
        "https://resource.example.com/.well-known/oauth-protected-resource"
    );
}

#[test]
fn mcp_discovery_tries_the_path_inserted_url_then_the_root() {
    let urls: Vec<String> = well_known_urls(&resource("https://example.com/public/mcp"))
        .iter()
        .map(Url::to_string)
        .collect();
    assert_eq!(
        urls,
        [
            "https://example.com/.well-known/oauth-protected-resource/public/mcp",
            "https://example.com/.well-known/oauth-protected-resource",
        ]
    );
    // "Not applicable if the MCP server is at the root": one URL only.
    assert_eq!(well_known_urls(&resource("https://example.com")).len(), 1);
}

#[test]
fn rfc9728_3_3_a_document_for_the_resource_it_was_fetched_for_is_used() {
    let metadata = ProtectedResourceMetadata::parse(&document(TOOLS), TOOLS).unwrap();
    assert_eq!(metadata.resource.as_str(), TOOLS);
    assert_eq!(metadata.authorization_servers, ["https://as.example"]);
    assert_eq!(metadata.scopes_supported, ["files:read", "files:write"]);
    assert_eq!(metadata.bearer_methods_supported, None);
}

#[test]
fn rfc9728_7_3_a_document_naming_another_resource_is_refused() {
    // An attacker's server publishes metadata claiming to be the tools
    // server, naming the attacker's authorization server.
    let forged = json!({
        "resource": "https://tools.example/mcp",
        "authorization_servers": ["https://attacker.example"],
    })
    .to_string();
    assert_eq!(
        ProtectedResourceMetadata::parse(&forged, "https://attacker.example/mcp"),
        Err(MetadataError::ResourceMismatch {
            document: "https://tools.example/mcp".into(),
            expected: "https://attacker.example/mcp".into(),
        })
    );
    // And a document about another server is not this one's.
    let error =
        ProtectedResourceMetadata::parse(&document("https://other.example"), TOOLS).unwrap_err();
    assert!(error.to_string().contains("must not be used"), "{error}");
}

#[test]
fn rfc9728_6_the_resource_is_compared_code_point_for_code_point() {
    for near in [
        "https://tools.example/mcp/",
        "https://TOOLS.example/mcp",
        "HTTPS://tools.example/mcp",
        "https://tools.example/MCP",
        "https://tools.example:443/mcp",
    ] {
        assert!(
            matches!(
                ProtectedResourceMetadata::parse(&document(near), TOOLS),
                Err(MetadataError::ResourceMismatch { .. })
            ),
            "{near}"
        );
    }
    // No Unicode normalization: a composed and a decomposed é differ.
    let composed = "https://tools.example/caf\u{e9}";
    let decomposed = "https://tools.example/cafe\u{301}";
    assert!(matches!(
        ProtectedResourceMetadata::parse(&document(decomposed), composed),
        Err(MetadataError::ResourceMismatch { .. })
    ));
    // JSON escaping is removed before comparing (step 1).
    let escaped = r#"{"resource":"https:\/\/tools.example\/mcp","authorization_servers":["https://as.example"]}"#;
    assert!(ProtectedResourceMetadata::parse(escaped, TOOLS).is_ok());
}

#[test]
fn rfc9728_1_2_the_resource_is_https_without_a_fragment() {
    assert_eq!(
        ProtectedResourceMetadata::parse(
            &document("https://tools.example/mcp#x"),
            "https://tools.example/mcp#x"
        ),
        Err(MetadataError::Resource(ResourceError::Fragment("x".into())))
    );
    assert_eq!(
        ProtectedResourceMetadata::parse(
            &document("http://tools.example/mcp"),
            "http://tools.example/mcp"
        ),
        Err(MetadataError::Resource(ResourceError::NotHttps(
            "http".into()
        )))
    );
}

#[test]
fn mcp_prm_names_at_least_one_authorization_server() {
    let without = json!({ "resource": TOOLS }).to_string();
    assert_eq!(
        ProtectedResourceMetadata::parse(&without, TOOLS),
        Err(MetadataError::NoAuthorizationServers)
    );
    let empty = json!({ "resource": TOOLS, "authorization_servers": [] }).to_string();
    assert_eq!(
        ProtectedResourceMetadata::parse(&empty, TOOLS),
        Err(MetadataError::NoAuthorizationServers)
    );
}

#[test]
fn rfc8414_2_authorization_servers_are_issuer_identifiers() {
    for issuer in ["http://as.example", "https://as.example?x=1", "as.example"] {
        let text = json!({ "resource": TOOLS, "authorization_servers": [issuer] }).to_string();
        assert!(
            matches!(
                ProtectedResourceMetadata::parse(&text, TOOLS),
                Err(MetadataError::AuthorizationServer { .. })
            ),
            "{issuer}"
        );
    }
}

#[test]
fn rfc9728_3_2_unknown_members_are_ignored_and_wrong_types_refused() {
    let text = json!({
        "resource": TOOLS,
        "authorization_servers": ["https://as.example"],
        "x_custom": {"anything": [1, 2]},
        "signed_metadata": "eyJ...",
        "resource_name": "Tools",
    })
    .to_string();
    let metadata = ProtectedResourceMetadata::parse(&text, TOOLS).unwrap();
    assert_eq!(metadata.resource_name.as_deref(), Some("Tools"));

    let wrong = json!({
        "resource": TOOLS,
        "authorization_servers": "https://as.example",
    })
    .to_string();
    assert_eq!(
        ProtectedResourceMetadata::parse(&wrong, TOOLS),
        Err(MetadataError::WrongType {
            member: "authorization_servers",
            expected: "an array of strings",
        })
    );
    assert_eq!(
        ProtectedResourceMetadata::parse("[]", TOOLS),
        Err(MetadataError::NotObject)
    );
    assert!(matches!(
        ProtectedResourceMetadata::parse("{", TOOLS),
        Err(MetadataError::NotJson(_))
    ));
    assert_eq!(
        ProtectedResourceMetadata::parse("{}", TOOLS),
        Err(MetadataError::Missing("resource"))
    );
}

#[test]
fn rfc9728_3_2_members_with_no_values_are_omitted() {
    let metadata = ProtectedResourceMetadata {
        resource: resource(TOOLS),
        authorization_servers: vec!["https://as.example".into()],
        scopes_supported: Vec::new(),
        bearer_methods_supported: None,
        resource_name: None,
        resource_documentation: None,
    };
    assert_eq!(
        metadata.to_json().to_string(),
        r#"{"authorization_servers":["https://as.example"],"resource":"https://tools.example/mcp"}"#
    );
    // Section 2: an empty bearer_methods_supported says "none", and is kept.
    let none = ProtectedResourceMetadata {
        bearer_methods_supported: Some(Vec::new()),
        ..metadata.clone()
    };
    assert_eq!(none.to_json()["bearer_methods_supported"], json!([]));
}

#[test]
fn rfc9728_3_2_the_section_example_round_trips() {
    // The section's example response.
    let text = r#"{
      "resource": "https://resource.example.com",
      "authorization_servers": ["https://as1.example.com", "https://as2.example.net"],
      "bearer_methods_supported": ["header", "body"],
      "scopes_supported": ["profile", "email", "phone"],
      "resource_documentation": "https://resource.example.com/resource_documentation.html"
    }"#;
    let metadata = ProtectedResourceMetadata::parse(text, "https://resource.example.com").unwrap();
    assert_eq!(metadata.authorization_servers.len(), 2);
    assert_eq!(
        metadata.bearer_methods_supported.as_deref(),
        Some(&["header".to_owned(), "body".to_owned()][..])
    );
    let again = metadata.to_json().to_string();
    assert_eq!(
        ProtectedResourceMetadata::parse(&again, "https://resource.example.com").unwrap(),
        metadata
    );
}

#[test]
fn rfc9728_5_1_the_challenge_carries_the_metadata_url() {
    let url =
        Url::parse("https://resource.example.com/.well-known/oauth-protected-resource").unwrap();
    // The section's example.
    assert_eq!(
        bearer_challenge(&url, None, None),
        r#"Bearer resource_metadata="https://resource.example.com/.well-known/oauth-protected-resource""#
    );
}

#[test]
fn mcp_scope_selection_the_401_challenge_names_the_scope() {
    let url = Url::parse("https://mcp.example.com/.well-known/oauth-protected-resource").unwrap();
    // MCP's example, exactly.
    assert_eq!(
        bearer_challenge(&url, Some("files:read"), None),
        r#"Bearer resource_metadata="https://mcp.example.com/.well-known/oauth-protected-resource", scope="files:read""#
    );
}

#[test]
fn mcp_runtime_insufficient_scope_the_403_challenge_has_error_and_scope() {
    let url = Url::parse("https://mcp.example.com/.well-known/oauth-protected-resource").unwrap();
    let error = OAuthError::new(
        ErrorCode::InsufficientScope,
        "Additional file write permission required",
    );
    let value = bearer_challenge(&url, Some("files:write"), Some(&error));
    assert_eq!(
        value,
        "Bearer error=\"insufficient_scope\", scope=\"files:write\", \
         resource_metadata=\"https://mcp.example.com/.well-known/oauth-protected-resource\", \
         error_description=\"Additional file write permission required\""
    );
    // What the client reads back from it.
    let response = Response::new(403).with_header("WWW-Authenticate", value);
    let read = ResourceChallenge::find(&response.challenges().unwrap()).unwrap();
    assert_eq!(read.error.as_deref(), Some("insufficient_scope"));
    assert_eq!(read.scope.as_deref(), Some("files:write"));
    assert_eq!(read.resource_metadata, Some(url.to_string()));
}

#[test]
fn rfc9110_11_6_1_challenges_with_several_params_and_quoted_strings() {
    let challenges = parse_challenges(
        r#"Bearer realm="api", error="invalid_token", error_description="say \"hi\" \\ o/""#,
    )
    .unwrap();
    assert_eq!(challenges.len(), 1);
    assert_eq!(challenges[0].scheme, "Bearer");
    assert_eq!(
        params(&challenges[0]),
        [
            ("realm", "api"),
            ("error", "invalid_token"),
            ("error_description", r#"say "hi" \ o/"#),
        ]
    );
}

#[test]
fn rfc9110_11_6_1_several_challenges_in_one_field_and_in_several() {
    // What the engine's API sends: Bearer beside DPoP's offer.
    let challenges =
        parse_challenges(r#"Bearer realm="api", DPoP algs="ES256", Basic, Negotiate abc=="#)
            .unwrap();
    let schemes: Vec<&str> = challenges.iter().map(|c| c.scheme.as_str()).collect();
    assert_eq!(schemes, ["Bearer", "DPoP", "Basic", "Negotiate"]);
    assert_eq!(challenges[1].param("algs"), Some("ES256"));
    assert!(challenges[2].params.is_empty());
    assert_eq!(challenges[3].token68.as_deref(), Some("abc=="));

    let response = Response::new(401)
        .with_header("WWW-Authenticate", "Bearer realm=\"api\"")
        .with_header("www-authenticate", "DPoP algs=\"ES256\"");
    assert_eq!(response.challenges().unwrap().len(), 2);
    assert_eq!(Response::new(401).challenges(), Ok(Vec::new()));
}

#[test]
fn rfc9110_11_1_scheme_and_param_names_are_case_insensitive() {
    let challenges =
        parse_challenges(r#"bEARER Resource_Metadata="https://r.example/m", SCOPE=a"#).unwrap();
    assert!(challenges[0].is("Bearer"));
    assert_eq!(
        challenges[0].param("resource_metadata"),
        Some("https://r.example/m")
    );
    // Token values are not quoted; BWS around "=" is allowed (section 11.2).
    assert_eq!(challenges[0].param("scope"), Some("a"));
    let spaced = parse_challenges("Bearer error = invalid_token").unwrap();
    assert_eq!(spaced[0].param("error"), Some("invalid_token"));
    let found = ResourceChallenge::find(&challenges).unwrap();
    assert_eq!(
        found.resource_metadata.as_deref(),
        Some("https://r.example/m")
    );
}

#[test]
fn rfc9728_5_1_resource_metadata_may_come_with_another_scheme() {
    let challenges = parse_challenges(
        r#"Bearer realm="api", DPoP algs="ES256", resource_metadata="https://r.example/m""#,
    )
    .unwrap();
    let found = ResourceChallenge::find(&challenges).unwrap();
    assert_eq!(found.scheme, "DPoP");
    assert_eq!(
        found.resource_metadata.as_deref(),
        Some("https://r.example/m")
    );
    // Without it anywhere, the Bearer challenge's other parameters.
    let bearer =
        ResourceChallenge::find(&parse_challenges("Basic, Bearer scope=\"x\"").unwrap()).unwrap();
    assert_eq!(
        (bearer.scope.as_deref(), bearer.resource_metadata),
        (Some("x"), None)
    );
    assert_eq!(
        ResourceChallenge::find(&parse_challenges("Basic").unwrap()),
        None
    );
}

#[test]
fn rfc9110_11_6_1_malformed_challenges_are_refused() {
    assert_eq!(parse_challenges(""), Err(ChallengeError::Empty));
    assert_eq!(parse_challenges(" , ,"), Err(ChallengeError::Empty));
    assert!(matches!(
        parse_challenges(r#"Bearer error="unterminated"#),
        Err(ChallengeError::Malformed {
            expected: "a closing quote",
            ..
        })
    ));
    assert!(matches!(
        parse_challenges("Bearer a=b c"),
        Err(ChallengeError::Malformed { .. })
    ));
    assert!(matches!(
        parse_challenges("=x"),
        Err(ChallengeError::Malformed { .. })
    ));
    assert!(matches!(
        parse_challenges("Bearer error=\"a\nb\""),
        Err(ChallengeError::Malformed { .. })
    ));
    // Section 11.2: "Each parameter name MUST only occur once per challenge."
    assert_eq!(
        parse_challenges("Bearer scope=a, SCOPE=b"),
        Err(ChallengeError::Duplicate("SCOPE".into()))
    );
}

#[test]
fn rfc9110_5_6_4_values_are_escaped_and_read_back() {
    let url = Url::parse("https://r.example/m").unwrap();
    let error = OAuthError::new(ErrorCode::InvalidToken, "expired");
    let scope = r#"a\b "c""#;
    let value = bearer_challenge(&url, Some(scope), Some(&error));
    let challenges = parse_challenges(&value).unwrap();
    assert_eq!(challenges[0].param("scope"), Some(scope));
    assert_eq!(challenges[0].param("error_description"), Some("expired"));
}
