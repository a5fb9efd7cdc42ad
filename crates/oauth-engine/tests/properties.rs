//! Property tests on every parser that takes text from outside: whatever a
//! user types or pastes, or a request carries, they must not panic.
#![cfg(not(target_arch = "wasm32"))]

use oauth_engine::clock::UnixTime;
use oauth_engine::discovery::{check_issuer, issuer_url, metadata_urls};
use oauth_engine::dpop::{ProofContext, check_proof};
use oauth_engine::form::{decode_form, encode_form};
use oauth_engine::http::Url;
use oauth_engine::http::{Method, Request};
use oauth_engine::http::{parse_challenges, quoted_string};
use oauth_engine::jose::{VerifyingKey, b64_encode};
use oauth_engine::jwa::ES256;
use oauth_engine::jwt::{Decoded, Payload};
use oauth_engine::pkce::{CodeChallenge, CodeVerifier, MAX_LEN, MIN_LEN, is_unreserved};
use oauth_engine::resource_indicator::{ResourceIndicator, canonical_resource};
use oauth_engine::resource_metadata::{
    ProtectedResourceMetadata, ResourceChallenge, well_known_url, well_known_urls,
};
use oauth_engine::rng::SeededRng;
use oauth_engine::server::{
    AuthorizationServer, ClientAuthMethod, ClientRegistration, GrantType, ServerConfig,
    ServerPolicy,
};
use oauth_engine::types::{ClientId, RedirectUri, Scope};
use proptest::prelude::*;

const REGISTERED_ERRORS: [&str; 10] = [
    "invalid_request",
    "invalid_client",
    "invalid_grant",
    "unauthorized_client",
    "unsupported_grant_type",
    "invalid_scope",
    "server_error",
    "temporarily_unavailable",
    "access_denied",
    "unsupported_response_type",
];

fn server() -> AuthorizationServer {
    let config = ServerConfig {
        issuer: Url::parse("https://as.example").unwrap(),
        audience: "https://api.example".into(),
        resources: Vec::new(),
        policy: ServerPolicy::default(),
        clients: vec![ClientRegistration {
            client_id: ClientId::new("spa"),
            secret: None,
            auth_method: ClientAuthMethod::None,
            redirect_uris: vec![RedirectUri::new("https://spa.example/cb")],
            grant_types: vec![GrantType::AuthorizationCode, GrantType::RefreshToken],
            allowed_scope: Scope::parse("read").unwrap(),
            public_jwk: None,
        }],
        users: vec![],
    };
    AuthorizationServer::new(config, oauth_engine::keys::demo_signing_key().unwrap())
}

proptest! {
    /// Any text at all: no panic, and accepted exactly when RFC 7636
    /// section 4.1 says it is a verifier.
    #[test]
    fn rfc7636_4_1_parse_accepts_exactly_the_abnf(value in any::<String>()) {
        let expected = value.chars().all(is_unreserved)
            && (MIN_LEN..=MAX_LEN).contains(&value.chars().count());
        prop_assert_eq!(CodeVerifier::parse(&value).is_ok(), expected);
        prop_assert_eq!(CodeChallenge::parse(&value).is_ok(), expected);
    }

    /// Strings near the length limits, drawn from the allowed set plus a
    /// few confusable characters.
    #[test]
    fn rfc7636_4_1_messages_are_never_empty(value in "[A-Za-z0-9._~+/= -]{0,140}") {
        if let Err(error) = CodeVerifier::parse(&value) {
            prop_assert!(error.to_string().starts_with("code_verifier "));
        }
    }

    /// Any text at all decodes or fails with a located error, never panics.
    #[test]
    fn form_decoding_never_panics(text in any::<String>()) {
        let _ = decode_form(&text);
    }

    /// What the encoder writes, the decoder reads back exactly.
    #[test]
    fn form_round_trips(pairs in proptest::collection::vec((any::<String>(), any::<String>()), 0..6)) {
        let borrowed: Vec<(&str, &str)> = pairs.iter().map(|(n, v)| (n.as_str(), v.as_str())).collect();
        let decoded = decode_form(&encode_form(&borrowed)).unwrap();
        prop_assert_eq!(decoded, pairs);
    }

    /// RFC 7515 section 5.2: any text, however malformed, is refused with
    /// a reason; only a genuine signature passes.
    #[test]
    fn jws_verification_never_panics(token in "[A-Za-z0-9_.=+/-]{0,200}|.{0,64}") {
        let key = VerifyingKey::Hmac(b"key".to_vec());
        prop_assert!(key.verify(&token).is_err());
    }

    /// RFC 9449 section 4.3: any text in a DPoP header, however
    /// malformed, is refused with a reason and never panics.
    #[test]
    fn dpop_proof_checking_never_panics(proof in "[A-Za-z0-9_.=+/-]{0,300}|.{0,64}") {
        let url = Url::parse("https://as.example/token").unwrap();
        let context = ProofContext {
            method: Method::Post,
            url: &url,
            now: UnixTime(0),
            access_token: Some("token"),
            nonce: None,
            es256: ES256,
        };
        prop_assert!(check_proof(&proof, &context).is_err());
    }

    /// RFC 7523 section 3: any client_assertion, however malformed, is
    /// refused as invalid_client (or, with a secret beside it,
    /// invalid_request) and never panics.
    #[test]
    fn client_assertion_checking_never_panics(
        assertion in "[A-Za-z0-9_.=+/-]{0,300}|.{0,64}",
        client_id in proptest::option::of("spa|backend|[a-z]{0,8}"),
    ) {
        let mut server = server();
        server.support(&oauth_engine::server::AllExtensions, ES256);
        let mut form = vec![
            ("grant_type", "client_credentials"),
            ("client_assertion_type", oauth_engine::server::JWT_BEARER),
            ("client_assertion", assertion.as_str()),
        ];
        if let Some(id) = &client_id {
            form.push(("client_id", id.as_str()));
        }
        let request = Request::post_form(Url::parse("https://as.example/token").unwrap(), &form);
        let response = server.handle(&request, UnixTime(1_700_000_000), &mut SeededRng::new(1));
        prop_assert_eq!(response.status, 401, "{}", response.body);
        prop_assert!(response.body.contains("invalid_client"), "{}", response.body);
    }

    #[test]
    fn url_and_scope_parsing_never_panic(text in any::<String>()) {
        let _ = Url::parse(&text);
        let _ = Scope::parse(&text);
    }

    /// No request to any endpoint, however malformed, panics; every failed
    /// token request is a JSON error with a registered code (RFC 6749
    /// section 5.2).
    #[test]
    fn rfc6749_5_2_malformed_requests_get_rfc_errors(
        path in prop::sample::select(vec!["/authorize", "/token", "/login", "/consent", "/x"]),
        post in any::<bool>(),
        query in "[a-z_=&%+0-9A-F.-]{0,80}",
        body in "[a-z_=&%+0-9A-F.-]{0,120}|.{0,40}",
        authorization in proptest::option::of("(Basic|Bearer) [A-Za-z0-9+/=:]{0,30}"),
    ) {
        let mut server = server();
        let url = Url::parse(&format!("https://as.example{path}?{query}")).unwrap();
        let mut request = Request::get(url);
        if post {
            request.method = Method::Post;
            request.body = body;
        }
        if let Some(value) = authorization {
            request = request.with_header("Authorization", value);
        }
        let response = server.handle(&request, UnixTime(1_700_000_000), &mut SeededRng::new(1));
        if path == "/token" && post && response.status != 200 {
            let json = response.json_body().expect("token errors are JSON");
            let code = json["error"].as_str().unwrap_or_default().to_owned();
            prop_assert!(REGISTERED_ERRORS.contains(&code.as_str()), "unregistered error {code}");
        }
    }

    /// RFC 6750 section 3: any request to the API, however malformed, gets
    /// an answer, and every refusal carries a Bearer (or DPoP) challenge.
    #[test]
    fn rfc6750_3_malformed_api_requests_get_bearer_challenges(
        authorization in proptest::option::of(".{0,60}"),
        query in "[a-z_=&0-9.-]{0,40}",
    ) {
        let server = server();
        let api = oauth_engine::resource::ResourceServer {
            issuer: server.issuer_id(),
            audience: "https://api.example".into(),
            keys: oauth_engine::resource::KeySet::from_jwks(&server.jwks()).unwrap(),
            resources: vec![oauth_engine::resource::Resource {
                method: Method::Get,
                path: "/profile".into(),
                required_scope: "read".into(),
                body: serde_json::json!({}),
                by_subject: Default::default(),
            }],
            seen_proofs: Default::default(),
            skips_proof_jti_and_htu: false,
            skips_audience_check: false,
            dpop: Some((&oauth_engine::resource::Dpop, ES256)),
            introspection: None,
            introspected: Vec::new(),
        };
        let url = Url::parse(&format!("https://api.example/profile?{query}")).unwrap();
        let mut request = Request::get(url);
        if let Some(value) = authorization {
            request = request.with_header("Authorization", value);
        }
        let response = api.clone().handle(&request, UnixTime(1_700_000_000), |_| false);
        prop_assert_ne!(response.status, 200);
        let challenge = response.headers.get("WWW-Authenticate").unwrap_or_default();
        // A token sent with the DPoP scheme is refused with a DPoP
        // challenge (RFC 9449 section 7.1).
        prop_assert!(
            challenge.starts_with("Bearer realm=\"api\"") || challenge.starts_with("DPoP error="),
            "{}",
            challenge
        );
    }

    /// Whatever is pasted into the JWT debugger decodes or gets a message;
    /// the warnings never panic either.
    #[test]
    fn jwt_decoding_never_panics(text in ".{0,300}|[A-Za-z0-9_.=+/-]{0,300}") {
        match oauth_engine::jwt::decode(&text) {
            Ok(decoded) => {
                let _ = oauth_engine::jwt::warnings(&decoded, UnixTime(u64::MAX - 1), u64::MAX);
            }
            Err(error) => prop_assert!(!error.to_string().is_empty()),
        }
    }

    /// Any bytes at all inside the base64url (not UTF-8, not JSON, JSON of
    /// any type): decoded, or a message.
    #[test]
    fn jwt_decoding_never_panics_on_any_bytes_inside(
        header in proptest::collection::vec(any::<u8>(), 0..48),
        payload in proptest::collection::vec(any::<u8>(), 0..48),
        json in r#"\{("[a-c]":(1|"x"|\[\]|\{\}|null),?){0,4}\}?"#,
    ) {
        for (header, payload) in [
            (header.clone(), payload),
            (json.clone().into_bytes(), header),
        ] {
            let token = format!("{}.{}.c2ln", b64_encode(&header), b64_encode(&payload));
            match oauth_engine::jwt::decode(&token) {
                Ok(decoded) => {
                    let _ = oauth_engine::jwt::warnings(&decoded, UnixTime(0), 0);
                }
                Err(error) => prop_assert!(!error.to_string().is_empty()),
            }
        }
    }

    /// RFC 7519 section 4: a claims set keeps its members as the token
    /// writes them, repeated names included, and a name reads as its last
    /// value.
    #[test]
    fn claims_keep_their_order_and_a_repeated_name_reads_as_its_last_value(
        members in proptest::collection::vec(("[a-c]", any::<u32>()), 0..8),
    ) {
        let json = format!(
            "{{{}}}",
            members
                .iter()
                .map(|(name, value)| format!("\"{name}\":{value}"))
                .collect::<Vec<_>>()
                .join(",")
        );
        let token = format!("{}.{}.c2ln", b64_encode("{\"alg\":\"HS256\"}"), b64_encode(&json));
        let Ok(Decoded::Signed { payload: Payload::Claims(claims), .. }) =
            oauth_engine::jwt::decode(&token)
        else {
            return Err(TestCaseError::fail("not decoded"));
        };
        let read: Vec<(String, u64)> = claims
            .iter()
            .map(|(name, value)| (name.to_owned(), value.as_u64().unwrap_or(u64::MAX)))
            .collect();
        let written: Vec<(String, u64)> =
            members.iter().map(|(name, value)| (name.clone(), u64::from(*value))).collect();
        prop_assert_eq!(&read, &written);
        for name in ["a", "b", "c"] {
            let last = members.iter().rev().find(|(member, _)| member == name);
            prop_assert_eq!(
                claims.get(name).and_then(serde_json::Value::as_u64),
                last.map(|(_, value)| u64::from(*value))
            );
        }
        // Written back as it was read.
        prop_assert_eq!(serde_json::to_string(&claims).ok(), Some(json));
    }

    #[test]
    fn rfc8707_2_resource_indicator_parsing_never_panics(text in any::<String>()) {
        if let Ok(resource) = ResourceIndicator::parse(&text) {
            // What parses has no fragment, and its canonical form parses too.
            prop_assert!(!text.contains('#'));
            let canonical = resource.canonical();
            prop_assert_eq!(ResourceIndicator::parse(canonical.as_str()).ok(), Some(canonical.clone()));
            let _ = well_known_url(&resource);
            prop_assert!(!well_known_urls(&resource).is_empty());
        }
        let _ = canonical_resource(&text);
    }

    #[test]
    fn rfc9728_metadata_parsing_never_panics(
        text in ".{0,200}|\\{\"resource\":\"[ -~]{0,40}\",\"authorization_servers\":[ -~]{0,60}\\}",
        expected in "https://[a-z.]{1,12}/[ -~]{0,20}|.{0,30}",
    ) {
        if let Ok(metadata) = ProtectedResourceMetadata::parse(&text, &expected) {
            // Section 3.3: only a document for the expected resource is used.
            prop_assert_eq!(metadata.resource.as_str(), expected.as_str());
            prop_assert!(!metadata.authorization_servers.is_empty());
        }
    }

    #[test]
    fn rfc9110_11_6_1_challenge_parsing_never_panics(
        text in ".{0,120}|[A-Za-z]{1,8}( [a-z_]{1,8}=(\"[ -~]{0,10}\"|[a-z]{1,5}),?){0,4}",
    ) {
        if let Ok(challenges) = parse_challenges(&text) {
            prop_assert!(!challenges.is_empty());
            let _ = ResourceChallenge::find(&challenges);
        }
    }

    #[test]
    fn rfc9110_5_6_4_a_quoted_value_reads_back_as_it_was(value in "[ -~]{0,40}") {
        let challenges = parse_challenges(&format!("Bearer scope={}", quoted_string(&value)));
        prop_assert_eq!(
            challenges.ok().and_then(|c| c[0].param("scope").map(str::to_owned)),
            Some(value)
        );
    }

    #[test]
    fn rfc8414_issuer_parsing_and_discovery_never_panic(text in any::<String>()) {
        if let Ok(issuer) = issuer_url(&text) {
            let urls = metadata_urls(&issuer);
            prop_assert!(urls.len() == 2 || urls.len() == 3);
        }
        prop_assert!(check_issuer(&text, &text).is_ok());
    }
}
