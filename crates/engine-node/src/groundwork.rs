//! The engine's groundwork for the MCP authorization profile (issue 17),
//! for the MCP TypeScript SDK to check (`tests/interop/mcp-sdk.test.mjs`):
//! the discovery URLs, the protected resource metadata, the challenges, the
//! canonical resource URI, Dynamic Client Registration and the client ID
//! URL rule, each as the engine has it, in plain strings; and the
//! simulated tool server, which the SDK's own MCP client talks to.

use oauth_engine::client_id_metadata::check_client_id_url;
use oauth_engine::client_registration::{ClientInformation, ClientMetadata};
use oauth_engine::clock::UnixTime;
use oauth_engine::discovery::{issuer_url, metadata_urls};
use oauth_engine::error::{ErrorCode, OAuthError};
use oauth_engine::http::{Url, parse_challenges};
use oauth_engine::jose::SigningKey;
use oauth_engine::keys::demo_signing_key;
use oauth_engine::resource::KeySet;
use oauth_engine::resource_indicator::{ResourceIndicator, canonical_resource};
use oauth_engine::resource_metadata::{
    ProtectedResourceMetadata, ResourceChallenge, bearer_challenge, well_known_urls,
};
use oauth_engine::tool_server::{Tool, ToolServer};
use serde_json::{Map, Value, json};
use wasm_bindgen::prelude::wasm_bindgen;

use crate::{parse_request, response_json};

fn urls_json(urls: &[Url]) -> String {
    json!(urls.iter().map(Url::to_string).collect::<Vec<_>>()).to_string()
}

/// The URLs an MCP client tries for an authorization server's metadata, in
/// order (`discovery::metadata_urls`), as a JSON array.
#[wasm_bindgen]
pub fn authorization_server_metadata_urls(issuer: &str) -> Result<String, String> {
    let issuer = issuer_url(issuer).map_err(|error| error.to_string())?;
    Ok(urls_json(&metadata_urls(&issuer)))
}

/// The URLs an MCP client tries for a resource's metadata, in order
/// (`resource_metadata::well_known_urls`), as a JSON array.
#[wasm_bindgen]
pub fn protected_resource_metadata_urls(resource: &str) -> Result<String, String> {
    let resource = ResourceIndicator::parse(resource).map_err(|error| error.to_string())?;
    Ok(urls_json(&well_known_urls(&resource)))
}

/// The metadata document a tool server at `resource` serves (RFC 9728
/// section 3.2), protected by `authorization_server`, for `scopes`
/// (space-separated).
#[wasm_bindgen]
pub fn protected_resource_metadata(
    resource: &str,
    authorization_server: &str,
    scopes: &str,
) -> Result<String, String> {
    let metadata = ProtectedResourceMetadata {
        resource: ResourceIndicator::parse(resource).map_err(|error| error.to_string())?,
        authorization_servers: vec![authorization_server.to_owned()],
        scopes_supported: scopes.split_whitespace().map(str::to_owned).collect(),
        bearer_methods_supported: Some(vec!["header".into()]),
        resource_name: Some("Calendar tools".into()),
        resource_documentation: None,
    };
    Ok(metadata.to_json().to_string())
}

/// Reads a fetched metadata document as an MCP client must (RFC 9728
/// section 3.3): its `resource` identical to `expected_resource`. The
/// error's words, or `None` when the document is accepted.
#[wasm_bindgen]
pub fn check_protected_resource_metadata(
    document: &str,
    expected_resource: &str,
) -> Option<String> {
    ProtectedResourceMetadata::parse(document, expected_resource)
        .err()
        .map(|error| error.to_string())
}

/// The `WWW-Authenticate` value of a tool server's 401 (no `error`) or of
/// its step-up 403 (`error` = `insufficient_scope`), RFC 9728 section 5.1.
#[wasm_bindgen]
pub fn resource_challenge(
    resource_metadata: &str,
    scope: Option<String>,
    error: Option<String>,
) -> Result<String, String> {
    let url = Url::parse(resource_metadata).map_err(|error| error.to_string())?;
    let error = match error.as_deref() {
        None => None,
        Some("insufficient_scope") => Some(OAuthError::new(
            ErrorCode::InsufficientScope,
            "this tool needs a wider scope",
        )),
        Some("invalid_token") => Some(OAuthError::new(
            ErrorCode::InvalidToken,
            "the access token is not valid",
        )),
        Some(other) => return Err(format!("no challenge for error {other}")),
    };
    Ok(bearer_challenge(&url, scope.as_deref(), error.as_ref()))
}

/// What the engine's client reads from a `WWW-Authenticate` value
/// (`ResourceChallenge::find`), as JSON: `{ resource_metadata, scope,
/// error }`, each `null` when absent; `null` for no challenge.
#[wasm_bindgen]
pub fn read_resource_challenge(header: &str) -> Result<String, String> {
    let challenges = parse_challenges(header).map_err(|error| error.to_string())?;
    Ok(match ResourceChallenge::find(&challenges) {
        None => "null".into(),
        Some(found) => json!({
            "resource_metadata": found.resource_metadata,
            "scope": found.scope,
            "error": found.error,
        })
        .to_string(),
    })
}

/// The canonical URI of the MCP server at `url`: the `resource` an MCP
/// client sends for it.
#[wasm_bindgen]
pub fn canonical_resource_uri(url: &str) -> Result<String, String> {
    canonical_resource(url)
        .map(|resource| resource.to_string())
        .map_err(|error| error.to_string())
}

/// The registration endpoint (RFC 7591 section 3): the request's JSON
/// body read as the server reads it, and the response as
/// `{ status, body }`: 201 with the client information (section 3.2.1),
/// issued `client_id` at `issued_at` (seconds: a `u32`, since a `u64`
/// reaches JavaScript as a BigInt), or 400 with the error (section
/// 3.2.2).
#[wasm_bindgen]
pub fn register_client(body: &str, client_id: &str, issued_at: u32) -> String {
    match ClientMetadata::parse(body) {
        Ok(metadata) => {
            let information = ClientInformation {
                client_id: client_id.to_owned(),
                client_secret: (!metadata.is_public()).then(|| format!("{client_id}-secret")),
                client_id_issued_at: issued_at.into(),
                metadata,
            };
            json!({ "status": 201, "body": information.to_json().to_string() })
        }
        Err(error) => json!({ "status": 400, "body": error.to_json().to_string() }),
    }
    .to_string()
}

/// Whether `client_id` may be a Client ID Metadata Document URL
/// (`client_id_metadata::check_client_id_url`): the refusal's words, or
/// `None`.
#[wasm_bindgen]
pub fn client_id_url_refusal(client_id: &str) -> Option<String> {
    check_client_id_url(client_id)
        .err()
        .map(|error| error.to_string())
}

/// The calendar tool server at `resource`, trusting the tokens that
/// `issuer` signs with the keys of `jwks`: `list_events` (scope
/// `calendar.read`, also the scope every request needs) and `create_event`
/// (`calendar.write`).
pub(crate) fn calendar_tools(
    resource: &str,
    issuer: &str,
    jwks: &Value,
) -> Result<ToolServer, String> {
    let keys = KeySet::from_jwks(jwks).map_err(|error| error.to_string())?;
    let tool = |name: &str, scope: &str, text: &str| Tool {
        name: name.into(),
        scope: scope.into(),
        text: text.into(),
    };
    let tools = vec![
        tool("list_events", "calendar.read", "Standup at 9:30"),
        tool("create_event", "calendar.write", "Created: lunch at 12:00"),
    ];
    let resource = ResourceIndicator::parse(resource).map_err(|error| error.to_string())?;
    Ok(ToolServer::new(
        resource,
        issuer,
        keys,
        "calendar.read",
        tools,
    ))
}

/// The simulated MCP tool server (`oauth_engine::tool_server`) at
/// `resource`, protected by the simulated authorization server at
/// `issuer` and trusting its demo key, with the tools of
/// [`calendar_tools`], off the network: for tests that mint its tokens.
#[wasm_bindgen]
pub struct SimulatedToolServer {
    server: ToolServer,
    key: SigningKey,
    now: UnixTime,
}

#[wasm_bindgen]
impl SimulatedToolServer {
    #[wasm_bindgen(constructor)]
    pub fn new(resource: &str, issuer: &str, now: u32) -> Result<SimulatedToolServer, String> {
        let key = demo_signing_key().map_err(|error| error.to_string())?;
        let jwks = json!({ "keys": [key.verifying_key().public_jwk()] });
        Ok(Self {
            server: calendar_tools(resource, issuer, &jwks)?,
            key,
            now: UnixTime(now.into()),
        })
    }

    /// One request to the tool server, as `SimulatedServers::fetch` takes
    /// and answers it.
    pub fn fetch(&self, method: &str, url: &str, headers: &str, body: &str) -> String {
        let response = match parse_request(method, url, headers, body) {
            Ok(request) => self.server.handle(&request, self.now),
            Err(response) => response,
        };
        response_json(&response)
    }

    /// An access token (RFC 9068) signed by the authorization server's
    /// demo key: `claims` (a JSON object) over defaults for a token issued
    /// now for five minutes.
    pub fn access_token(&self, claims: &str) -> Result<String, String> {
        let changes: Map<String, Value> =
            serde_json::from_str(claims).map_err(|error| error.to_string())?;
        let mut payload =
            json!({ "iat": self.now.0, "exp": self.now.0 + 300, "jti": "tool-token" });
        for (name, value) in changes {
            payload[name] = value;
        }
        let mut header = Map::new();
        header.insert("typ".into(), "at+jwt".into());
        Ok(self.key.sign(header, payload.to_string().as_bytes()))
    }
}
