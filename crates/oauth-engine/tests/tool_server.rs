//! The simulated MCP tool server (MCP authorization, revision 2026-07-28):
//! its protected resource metadata (RFC 9728), its challenges, the token
//! audience binding and step-up, each rule by name.

use oauth_engine::clock::UnixTime;
use oauth_engine::http::{Request, Response, Url, parse_challenges};
use oauth_engine::jose::SigningKey;
use oauth_engine::keys::demo_signing_key;
use oauth_engine::resource::KeySet;
use oauth_engine::resource_indicator::ResourceIndicator;
use oauth_engine::resource_metadata::{ProtectedResourceMetadata, ResourceChallenge};
use oauth_engine::tool_server::{Tool, ToolServer};
use serde_json::{Map, Value, json};
#[cfg(target_arch = "wasm32")]
use wasm_bindgen_test::wasm_bindgen_test as test;

const ISSUER: &str = "https://as.example";
const TOOLS: &str = "https://tools.example/mcp";
const METADATA: &str = "https://tools.example/.well-known/oauth-protected-resource/mcp";
const NOW: UnixTime = UnixTime(1_000);

fn key() -> SigningKey {
    demo_signing_key().expect("the demo key loads")
}

fn server() -> ToolServer {
    let jwks = json!({ "keys": [key().verifying_key().public_jwk()] });
    let tools = vec![
        Tool {
            name: "list_events".into(),
            scope: "calendar.read".into(),
            text: "Standup at 9:30".into(),
        },
        Tool {
            name: "create_event".into(),
            scope: "calendar.write".into(),
            text: "Created: lunch at 12:00".into(),
        },
    ];
    ToolServer::new(
        ResourceIndicator::parse(TOOLS).unwrap(),
        ISSUER,
        KeySet::from_jwks(&jwks).unwrap(),
        "calendar.read",
        tools,
    )
}

/// An access token (RFC 9068) with these claims over the defaults.
fn token(changes: Value) -> String {
    let mut claims = json!({
        "iss": ISSUER,
        "sub": "user-alice",
        "aud": TOOLS,
        "client_id": "agent",
        "scope": "calendar.read",
        "iat": NOW.0,
        "exp": NOW.0 + 300,
        "jti": "t1",
    });
    for (name, value) in changes.as_object().unwrap() {
        claims[name] = value.clone();
    }
    let mut header = Map::new();
    header.insert("typ".into(), "at+jwt".into());
    key().sign(header, claims.to_string().as_bytes())
}

fn call(tool: &str, token: Option<&str>) -> Response {
    let body = json!({
        "jsonrpc": "2.0", "id": 7, "method": "tools/call",
        "params": { "name": tool, "arguments": {} }
    });
    let mut request = Request {
        body: body.to_string(),
        ..Request::get(Url::parse(TOOLS).unwrap())
    };
    request.method = oauth_engine::http::Method::Post;
    request.headers.push("Content-Type", "application/json");
    if let Some(token) = token {
        request
            .headers
            .push("Authorization", format!("Bearer {token}"));
    }
    server().handle(&request, NOW)
}

fn challenge_of(response: &Response) -> ResourceChallenge {
    let header = response
        .headers
        .get("WWW-Authenticate")
        .expect("a WWW-Authenticate header");
    ResourceChallenge::find(&parse_challenges(header).unwrap()).expect("a Bearer challenge")
}

#[test]
fn rfc9728_3_the_metadata_is_served_at_the_path_inserted_well_known_url() {
    let server = server();
    assert_eq!(server.metadata_url().to_string(), METADATA);
    let response = server.handle(&Request::get(Url::parse(METADATA).unwrap()), NOW);
    assert_eq!(response.status, 200);
    // Section 3.3: the document names the resource it was fetched for.
    let document = ProtectedResourceMetadata::parse(&response.body, TOOLS).unwrap();
    assert_eq!(document.authorization_servers, [ISSUER]);
    assert_eq!(
        document.scopes_supported,
        ["calendar.read", "calendar.write"]
    );
    // The root's document would be for https://tools.example, another
    // resource: there is none.
    let root = Url::parse("https://tools.example/.well-known/oauth-protected-resource").unwrap();
    assert_eq!(server.handle(&Request::get(root), NOW).status, 404);
}

#[test]
fn rfc9728_5_1_a_call_without_a_token_gets_401_pointing_at_the_metadata() {
    let response = call("list_events", None);
    assert_eq!(response.status, 401);
    let challenge = challenge_of(&response);
    assert_eq!(challenge.resource_metadata.as_deref(), Some(METADATA));
    // MCP "Scope Selection Strategy": the scope this call needs.
    assert_eq!(challenge.scope.as_deref(), Some("calendar.read"));
    // RFC 6750 section 3.1: no credentials, no error code.
    assert_eq!(challenge.error, None);
}

#[test]
fn mcp_token_audience_binding_a_token_for_another_resource_is_invalid_token() {
    // A token the agent got for the API, passed through to the tool server.
    let response = call(
        "list_events",
        Some(&token(json!({ "aud": "https://api.example" }))),
    );
    assert_eq!(response.status, 401);
    let challenge = challenge_of(&response);
    assert_eq!(challenge.error.as_deref(), Some("invalid_token"));
    assert_eq!(challenge.resource_metadata.as_deref(), Some(METADATA));
    assert!(
        response.body.contains("another audience"),
        "{}",
        response.body
    );
}

#[test]
fn rfc9068_4_a_token_from_another_issuer_or_expired_is_invalid_token() {
    for changes in [
        json!({ "iss": "https://attacker.example" }),
        json!({ "exp": NOW.0 }),
    ] {
        let response = call("list_events", Some(&token(changes.clone())));
        assert_eq!(response.status, 401, "{changes}");
        assert_eq!(
            challenge_of(&response).error.as_deref(),
            Some("invalid_token")
        );
    }
}

#[test]
fn mcp_step_up_a_tool_whose_scope_the_token_lacks_gets_403_insufficient_scope() {
    let response = call("create_event", Some(&token(json!({}))));
    assert_eq!(response.status, 403);
    let challenge = challenge_of(&response);
    assert_eq!(challenge.error.as_deref(), Some("insufficient_scope"));
    // Only what this call needs (RFC 6750 section 3.1): the agent adds it
    // to the scopes it holds.
    assert_eq!(challenge.scope.as_deref(), Some("calendar.write"));
    assert_eq!(challenge.resource_metadata.as_deref(), Some(METADATA));
    // With the wider scope, the same call succeeds.
    let wider = token(json!({ "scope": "calendar.read calendar.write" }));
    let response = call("create_event", Some(&wider));
    assert_eq!(response.status, 200);
    let body = response.json_body().unwrap();
    assert_eq!(
        body["result"]["content"][0]["text"],
        "Created: lunch at 12:00"
    );
    assert_eq!(body["id"], 7);
}

#[test]
fn mcp_a_token_for_the_tool_server_with_the_tools_scope_calls_the_tool() {
    let response = call("list_events", Some(&token(json!({}))));
    assert_eq!(response.status, 200);
    let body = response.json_body().unwrap();
    assert_eq!(body["jsonrpc"], "2.0");
    assert_eq!(body["result"]["content"][0]["text"], "Standup at 9:30");
}

#[test]
fn jsonrpc_an_unknown_tool_is_invalid_params_once_authorized() {
    let response = call("delete_everything", Some(&token(json!({}))));
    assert_eq!(response.status, 200);
    let body = response.json_body().unwrap();
    assert_eq!(body["error"]["code"], -32602);
    assert!(
        body["error"]["message"]
            .as_str()
            .unwrap()
            .contains("delete_everything")
    );
}

#[test]
fn rfc6750_2_3_a_token_in_the_query_is_refused() {
    let mut url = Url::parse(TOOLS).unwrap();
    url.query = Some(format!("access_token={}", token(json!({}))));
    let mut request = Request::get(url);
    request.method = oauth_engine::http::Method::Post;
    request.body = r#"{"jsonrpc":"2.0","id":1,"method":"tools/list"}"#.into();
    let response = server().handle(&request, NOW);
    assert_eq!(response.status, 400);
    assert_eq!(
        challenge_of(&response).error.as_deref(),
        Some("invalid_request")
    );
}

fn post(body: Value, token: Option<&str>) -> Response {
    let mut request = Request {
        body: body.to_string(),
        ..Request::get(Url::parse(TOOLS).unwrap())
    };
    request.method = oauth_engine::http::Method::Post;
    if let Some(token) = token {
        request
            .headers
            .push("Authorization", format!("Bearer {token}"));
    }
    server().handle(&request, NOW)
}

#[test]
fn mcp_lifecycle_initialize_answers_the_asked_version_when_supported() {
    let token = token(json!({}));
    let initialize = |version: &str| {
        post(
            json!({ "jsonrpc": "2.0", "id": 1, "method": "initialize",
                    "params": { "protocolVersion": version, "capabilities": {},
                                "clientInfo": { "name": "agent", "version": "1" } } }),
            Some(&token),
        )
        .json_body()
        .unwrap()
    };
    assert_eq!(
        initialize("2025-11-25")["result"]["protocolVersion"],
        "2025-11-25"
    );
    assert_eq!(
        initialize("1999-01-01")["result"]["protocolVersion"],
        "2026-07-28"
    );
    assert_eq!(
        initialize("2026-07-28")["result"]["capabilities"],
        json!({ "tools": {} })
    );
}

#[test]
fn mcp_streamable_http_a_notification_gets_202_and_get_gets_405() {
    let notification = json!({ "jsonrpc": "2.0", "method": "notifications/initialized" });
    let response = post(notification, Some(&token(json!({}))));
    assert_eq!(response.status, 202);
    assert!(response.body.is_empty());
    // Authorization comes first, for notifications too.
    let notification = json!({ "jsonrpc": "2.0", "method": "notifications/initialized" });
    assert_eq!(post(notification, None).status, 401);
    let get = server().handle(&Request::get(Url::parse(TOOLS).unwrap()), NOW);
    assert_eq!(get.status, 405);
}

#[test]
fn jsonrpc_5_1_a_body_that_is_not_json_is_a_parse_error_with_a_null_id() {
    let mut request = Request {
        body: "{\"jsonrpc\": \"2.0\", \"id\": 1,".into(),
        ..Request::get(Url::parse(TOOLS).unwrap())
    };
    request.method = oauth_engine::http::Method::Post;
    request
        .headers
        .push("Authorization", format!("Bearer {}", token(json!({}))));
    let response = server().handle(&request, NOW);
    assert_eq!(response.status, 400);
    let body = response.json_body().unwrap();
    assert_eq!(body["error"]["code"], -32700);
    assert_eq!(body["id"], Value::Null);
    // A valid object that is not a request stays -32600.
    let answer = post(json!({ "id": 2 }), Some(&token(json!({}))));
    assert_eq!(answer.json_body().unwrap()["error"]["code"], -32600);
}
