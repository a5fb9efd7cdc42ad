//! Token exchange (RFC 8693): the request as the authorization server
//! reads it, its decision, the `act` claim and the response, each rule by
//! name; property tests on the request parser.

use oauth_engine::clock::UnixTime;
use oauth_engine::error::ErrorCode;
use oauth_engine::token_exchange::{
    ExchangeRequest, Exchanger, GRANT_TYPE, TokenType, act_claim, actors, response,
};
use serde_json::{Map, Value, json};
#[cfg(target_arch = "wasm32")]
use wasm_bindgen_test::wasm_bindgen_test as test;

const ACCESS_TOKEN: &str = "urn:ietf:params:oauth:token-type:access_token";
const TOOL_SERVER: &str = "https://tools.example/mcp";
const DOWNSTREAM: &str = "https://calendar.example";
const NOW: UnixTime = UnixTime(1_000);

fn pairs(extra: &[(&str, &str)]) -> Vec<(String, String)> {
    [
        ("grant_type", GRANT_TYPE),
        ("subject_token", "user-token"),
        ("subject_token_type", ACCESS_TOKEN),
    ]
    .iter()
    .chain(extra)
    .map(|(name, value)| (name.to_string(), value.to_string()))
    .collect()
}

fn read(extra: &[(&str, &str)]) -> ExchangeRequest {
    ExchangeRequest::from_pairs(&pairs(extra)).expect("the request reads")
}

fn refused_reading(pairs: &[(String, String)]) -> (ErrorCode, String) {
    let error = ExchangeRequest::from_pairs(pairs).expect_err("the request is refused");
    (error.code, error.description)
}

/// The claims of the user's token, as the tool server was given it.
fn subject_claims() -> Map<String, Value> {
    let Value::Object(claims) = json!({
        "iss": "https://as.example",
        "sub": "user-alice",
        "aud": TOOL_SERVER,
        "client_id": "agent",
        "scope": "calendar.read calendar.write",
        "exp": NOW.0 + 300,
    }) else {
        unreachable!()
    };
    claims
}

const TOOL: Exchanger<'static> = Exchanger {
    client_id: "tool-server",
    resource: TOOL_SERVER,
};

fn decide(request: &ExchangeRequest, subject: &Map<String, Value>) -> Result<String, String> {
    request
        .decide(subject, TOOL, &[DOWNSTREAM, TOOL_SERVER], NOW)
        .map(|exchanged| exchanged.audience)
        .map_err(|error| format!("{}: {}", error.code, error.description))
}

#[test]
fn rfc8693_2_1_the_grant_type_is_the_token_exchange_urn() {
    let mut request = pairs(&[]);
    request[0].1 = "authorization_code".into();
    let (code, description) = refused_reading(&request);
    assert_eq!(code, ErrorCode::InvalidRequest);
    assert!(description.contains(GRANT_TYPE), "{description}");
}

#[test]
fn rfc8693_2_1_subject_token_and_its_type_are_required() {
    for missing in ["subject_token", "subject_token_type"] {
        let request: Vec<_> = pairs(&[])
            .into_iter()
            .filter(|(name, _)| name != missing)
            .collect();
        let (code, description) = refused_reading(&request);
        assert_eq!(code, ErrorCode::InvalidRequest);
        assert!(
            description.contains(&format!("{missing} is missing")),
            "{description}"
        );
    }
}

#[test]
fn rfc8693_3_a_token_type_is_one_of_the_registered_identifiers() {
    for kind in TokenType::ALL {
        assert_eq!(TokenType::from_uri(kind.uri()), Some(kind));
    }
    let mut request = pairs(&[]);
    request[2].1 = "access_token".into();
    let (code, description) = refused_reading(&request);
    assert_eq!(code, ErrorCode::InvalidRequest);
    assert!(
        description.contains("not a token type identifier"),
        "{description}"
    );
}

#[test]
fn rfc8693_2_1_actor_token_type_is_required_with_actor_token_and_forbidden_without() {
    let (code, description) = refused_reading(&pairs(&[("actor_token", "tool-token")]));
    assert_eq!(code, ErrorCode::InvalidRequest);
    assert!(
        description.contains("actor_token_type is missing"),
        "{description}"
    );
    let (code, description) = refused_reading(&pairs(&[("actor_token_type", ACCESS_TOKEN)]));
    assert_eq!(code, ErrorCode::InvalidRequest);
    assert!(description.contains("without actor_token"), "{description}");
    let both = read(&[
        ("actor_token", "tool-token"),
        ("actor_token_type", ACCESS_TOKEN),
    ]);
    assert_eq!(
        both.actor,
        Some(("tool-token".into(), TokenType::AccessToken))
    );
}

#[test]
fn rfc8693_2_1_resource_and_audience_may_repeat_other_parameters_may_not() {
    let request = read(&[
        ("resource", DOWNSTREAM),
        ("resource", "https://mail.example"),
        ("audience", "calendar"),
        ("audience", "mail"),
    ]);
    assert_eq!(request.resources.len(), 2);
    assert_eq!(request.audiences, ["calendar", "mail"]);
    let (code, description) = refused_reading(&pairs(&[("scope", "a"), ("scope", "b")]));
    assert_eq!(code, ErrorCode::InvalidRequest);
    assert!(
        description.contains("scope is sent more than once"),
        "{description}"
    );
}

#[test]
fn rfc8707_2_a_resource_that_is_not_an_absolute_uri_is_invalid_target() {
    for bad in ["calendar.example", "https://calendar.example/#top"] {
        let (code, _) = refused_reading(&pairs(&[("resource", bad)]));
        assert_eq!(code, ErrorCode::InvalidTarget, "{bad}");
    }
}

#[test]
fn rfc8693_2_2_1_the_exchanged_token_keeps_the_user_and_names_the_downstream_api() {
    let request = read(&[("resource", DOWNSTREAM), ("scope", "calendar.read")]);
    let exchanged = request
        .decide(&subject_claims(), TOOL, &[DOWNSTREAM], NOW)
        .expect("the exchange is accepted");
    assert_eq!(exchanged.subject, "user-alice");
    assert_eq!(exchanged.audience, DOWNSTREAM);
    assert_eq!(exchanged.scope.to_string(), "calendar.read");
    assert_eq!(exchanged.act, json!({ "sub": "tool-server" }));
    // Without scope, the subject token's scope carries over.
    let request = read(&[("audience", DOWNSTREAM)]);
    let exchanged = request
        .decide(&subject_claims(), TOOL, &[DOWNSTREAM], NOW)
        .unwrap();
    assert_eq!(exchanged.scope.to_string(), "calendar.read calendar.write");
}

#[test]
fn rfc8693_2_2_2_a_token_not_meant_for_the_asking_client_is_invalid_request() {
    // The confused deputy's mirror: a token the agent obtained for another
    // tool server cannot be laundered through this one.
    let mut subject = subject_claims();
    subject.insert("aud".into(), json!(["https://other-tools.example"]));
    let error = decide(&read(&[("resource", DOWNSTREAM)]), &subject).unwrap_err();
    assert!(error.starts_with("invalid_request"), "{error}");
    assert!(
        error.contains("not issued for https://tools.example/mcp"),
        "{error}"
    );
    // An audience array that includes the tool server is enough.
    subject.insert(
        "aud".into(),
        json!(["https://other-tools.example", TOOL_SERVER]),
    );
    assert_eq!(
        decide(&read(&[("resource", DOWNSTREAM)]), &subject),
        Ok(DOWNSTREAM.into())
    );
}

#[test]
fn rfc8693_2_2_2_an_expired_subject_token_is_invalid_request() {
    let mut subject = subject_claims();
    subject.insert("exp".into(), json!(NOW.0));
    let error = decide(&read(&[("resource", DOWNSTREAM)]), &subject).unwrap_err();
    assert!(error.starts_with("invalid_request"), "{error}");
    assert!(error.contains("expired"), "{error}");
}

#[test]
fn rfc8693_2_2_2_this_server_exchanges_access_tokens_for_access_tokens() {
    let mut id_token = pairs(&[("resource", DOWNSTREAM)]);
    id_token[2].1 = TokenType::IdToken.uri().into();
    let request = ExchangeRequest::from_pairs(&id_token).unwrap();
    let error = decide(&request, &subject_claims()).unwrap_err();
    assert!(
        error.contains("exchanges only the access tokens"),
        "{error}"
    );
    let request = read(&[
        ("resource", DOWNSTREAM),
        ("requested_token_type", TokenType::Saml2.uri()),
    ]);
    let error = decide(&request, &subject_claims()).unwrap_err();
    assert!(error.starts_with("invalid_request"), "{error}");
    assert!(error.contains("saml2"), "{error}");
}

#[test]
fn rfc8693_4_1_the_actor_is_the_authenticated_client_not_an_actor_token() {
    let request = read(&[
        ("resource", DOWNSTREAM),
        ("actor_token", "tool-token"),
        ("actor_token_type", ACCESS_TOKEN),
    ]);
    let error = decide(&request, &subject_claims()).unwrap_err();
    assert!(error.starts_with("invalid_request"), "{error}");
    assert!(error.contains("actor_token is not accepted"), "{error}");
}

#[test]
fn rfc8693_4_4_may_act_must_name_the_asking_client() {
    let mut subject = subject_claims();
    subject.insert("may_act".into(), json!({ "sub": "another-service" }));
    let error = decide(&read(&[("resource", DOWNSTREAM)]), &subject).unwrap_err();
    assert!(error.starts_with("invalid_request"), "{error}");
    assert!(error.contains("may_act"), "{error}");
    subject.insert("may_act".into(), json!({ "sub": "tool-server" }));
    assert_eq!(
        decide(&read(&[("resource", DOWNSTREAM)]), &subject),
        Ok(DOWNSTREAM.into())
    );
}

#[test]
fn rfc8693_2_2_2_a_missing_unknown_or_second_target_is_invalid_target() {
    let subject = subject_claims();
    let error = decide(&read(&[]), &subject).unwrap_err();
    assert!(error.starts_with("invalid_target: no target"), "{error}");
    let error = decide(&read(&[("resource", "https://bank.example")]), &subject).unwrap_err();
    assert!(error.starts_with("invalid_target"), "{error}");
    assert!(
        error.contains("https://bank.example is not an API"),
        "{error}"
    );
    let two = read(&[("resource", DOWNSTREAM), ("audience", TOOL_SERVER)]);
    let error = decide(&two, &subject).unwrap_err();
    assert!(error.contains("2 targets"), "{error}");
}

#[test]
fn rfc6749_3_3_an_exchange_can_only_narrow_the_scope() {
    let request = read(&[
        ("resource", DOWNSTREAM),
        ("scope", "calendar.read mail.send"),
    ]);
    let error = request
        .decide(&subject_claims(), TOOL, &[DOWNSTREAM], NOW)
        .unwrap_err();
    assert_eq!(error.code, ErrorCode::InvalidScope);
    assert!(error.description.contains("can only narrow"), "{error}");
}

#[test]
fn rfc8693_4_1_nested_act_claims_name_the_prior_actors_and_nothing_else() {
    let mut subject = subject_claims();
    subject.insert(
        "act".into(),
        json!({ "sub": "agent-host", "exp": 5, "aud": "x", "act": { "sub": "first" } }),
    );
    let act = act_claim("tool-server", &subject);
    assert_eq!(
        act,
        json!({ "sub": "tool-server", "act": { "sub": "agent-host", "act": { "sub": "first" } } })
    );
    let mut token = Map::new();
    token.insert("act".into(), act);
    assert_eq!(actors(&token), ["tool-server", "agent-host", "first"]);
    assert!(actors(&subject_claims()).is_empty());
}

#[test]
fn rfc8693_2_2_1_the_response_names_the_issued_token_type() {
    let body = response("t", TokenType::AccessToken, 300, None);
    assert_eq!(body["issued_token_type"], ACCESS_TOKEN);
    assert_eq!(body["token_type"], "Bearer");
    assert_eq!(body["expires_in"], 300);
    assert!(body.get("scope").is_none());
    // Not an access token: token_type N_A.
    let body = response("t", TokenType::Jwt, 300, Some("calendar.read"));
    assert_eq!(body["token_type"], "N_A");
    assert_eq!(body["scope"], "calendar.read");
}

// Natively only: proptest is not built for wasm32.
#[cfg(not(target_arch = "wasm32"))]
mod properties {
    use super::*;
    use proptest::prelude::*;

    fn parameter() -> impl Strategy<Value = (String, String)> {
        let name = prop::sample::select(vec![
            "grant_type",
            "subject_token",
            "subject_token_type",
            "actor_token",
            "actor_token_type",
            "resource",
            "audience",
            "scope",
            "requested_token_type",
        ]);
        let value = prop_oneof![
            "\\PC{0,20}",
            Just(GRANT_TYPE.to_owned()),
            prop::sample::select(TokenType::ALL.to_vec()).prop_map(|kind| kind.uri().to_owned()),
            Just(DOWNSTREAM.to_owned()),
        ];
        (name.prop_map(str::to_owned), value)
    }

    proptest! {
        /// Any parameters: a request or an RFC error, never a panic; and
        /// a request that reads has its two required members.
        #[test]
        fn any_parameters_are_read_or_refused_with_an_error_code(
            request in prop::collection::vec(parameter(), 0..10)
        ) {
            match ExchangeRequest::from_pairs(&request) {
                Ok(read) => {
                    prop_assert!(!read.subject_token.is_empty());
                    prop_assert!(request.iter().any(|(name, value)| name == "grant_type" && value == GRANT_TYPE));
                }
                Err(error) => prop_assert!(matches!(
                    error.code,
                    ErrorCode::InvalidRequest | ErrorCode::InvalidTarget
                )),
            }
        }

        /// Whatever the request, an accepted exchange never widens the
        /// scope and always names the asking client as the actor.
        #[test]
        fn an_accepted_exchange_never_widens_the_scope(
            extra in prop::collection::vec(parameter(), 0..6)
        ) {
            let mut request = pairs(&[]);
            request.extend(extra);
            if let Ok(read) = ExchangeRequest::from_pairs(&request)
                && let Ok(exchanged) = read.decide(&subject_claims(), TOOL, &[DOWNSTREAM], NOW)
            {
                let granted = oauth_engine::types::Scope::parse("calendar.read calendar.write").unwrap();
                prop_assert!(exchanged.scope.is_subset_of(&granted));
                prop_assert_eq!(&exchanged.act["sub"], "tool-server");
                prop_assert_eq!(exchanged.audience, DOWNSTREAM);
            }
        }
    }
}
