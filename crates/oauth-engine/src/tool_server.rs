//! A simulated MCP tool server: an MCP server acting as an OAuth protected
//! resource (MCP authorization, revision 2026-07-28). It serves its
//! protected resource metadata (RFC 9728), answers an MCP request without a
//! token with a 401 that points at that metadata (section 5.1), accepts
//! only access tokens issued for itself ("Token Audience Binding and
//! Validation"), and answers a tool call whose scope the token lacks with
//! the step-up 403 ("Runtime Insufficient Scope Errors"). A run puts it on
//! the simulated network as a `sim::network::Host` (`sim::hosts`). The MCP
//! TypeScript SDK checks it (`tests/interop/mcp-sdk.test.mjs`,
//! `tests/interop/mcp-agent.test.mjs`).
//!
//! MCP messages are JSON-RPC 2.0 (MCP base protocol) over the Streamable
//! HTTP transport; this server knows `initialize`, `tools/list` and
//! `tools/call`, what an agent needs to use a tool, takes notifications
//! with a 202, and offers no stream at GET (405).

use serde_json::{Value, json};

use crate::clock::UnixTime;
use crate::error::{ErrorCode, OAuthError};
use crate::http::{Method, Request, Response, Url};
use crate::resource::{KeySet, ResourceServer, bearer_token};
use crate::resource_indicator::ResourceIndicator;
use crate::resource_metadata::{ProtectedResourceMetadata, bearer_challenge, well_known_url};
use crate::types::Scope;

/// One tool and the scope a call of it needs.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Tool {
    pub name: String,
    pub scope: String,
    /// What a call answers, as the text of its result.
    pub text: String,
}

/// The tool server.
#[derive(Debug, Clone)]
pub struct ToolServer {
    /// What it publishes at its well-known URL; `resource` is its own
    /// identifier, and the `aud` it requires.
    pub metadata: ProtectedResourceMetadata,
    /// The scope every MCP request needs (`tools/list` among them): what
    /// the first 401 asks for.
    pub base_scope: String,
    pub tools: Vec<Tool>,
    /// The token checks of RFC 9068 section 4, with this server's resource
    /// identifier as the audience.
    tokens: ResourceServer,
}

/// The MCP revisions this server speaks, the latest first: the one this
/// engine follows, and the one before it, which the MCP TypeScript SDK
/// 1.32 asks for.
const PROTOCOL_VERSIONS: [&str; 2] = ["2026-07-28", "2025-11-25"];

/// JSON-RPC 2.0 section 5.1: the method does not exist.
const METHOD_NOT_FOUND: i64 = -32601;
/// JSON-RPC 2.0 section 5.1, which MCP's tools use for an unknown tool.
const INVALID_PARAMS: i64 = -32602;
/// JSON-RPC 2.0 section 5.1: the body is not JSON.
const PARSE_ERROR: i64 = -32700;
/// JSON-RPC 2.0 section 5.1: not a valid request object.
const INVALID_REQUEST: i64 = -32600;

impl ToolServer {
    /// A tool server at `resource`, protected by the authorization server
    /// `issuer`, whose tokens are signed by the keys of `jwks`.
    pub fn new(
        resource: ResourceIndicator,
        issuer: &str,
        keys: KeySet,
        base_scope: &str,
        tools: Vec<Tool>,
    ) -> Self {
        let mut scopes_supported = vec![base_scope.to_owned()];
        for tool in &tools {
            if !scopes_supported.contains(&tool.scope) {
                scopes_supported.push(tool.scope.clone());
            }
        }
        let tokens = ResourceServer {
            issuer: issuer.to_owned(),
            audience: resource.as_str().to_owned(),
            keys,
            ..ResourceServer::default()
        };
        Self {
            metadata: ProtectedResourceMetadata {
                resource,
                authorization_servers: vec![issuer.to_owned()],
                scopes_supported,
                bearer_methods_supported: Some(vec!["header".into()]),
                resource_name: Some("Calendar tools".into()),
                resource_documentation: None,
            },
            base_scope: base_scope.to_owned(),
            tools,
            tokens,
        }
    }

    /// Makes it a deliberately flawed tool server, for the agent's attacks:
    /// it takes any token its issuer signed, whatever the token's `aud`.
    pub fn skip_audience_check(&mut self) {
        self.tokens.skips_audience_check = true;
    }

    /// Where its metadata is (RFC 9728 section 3.1).
    pub fn metadata_url(&self) -> Url {
        well_known_url(&self.metadata.resource)
    }

    /// Answers one request: its metadata, or an MCP request at its
    /// resource URL; 404 for anything else.
    pub fn handle(&self, request: &Request, now: UnixTime) -> Response {
        let at = |url: &Url| request.url.origin == url.origin && request.url.path == url.path;
        if at(&self.metadata_url()) && request.method == Method::Get {
            // RFC 9728 section 3.2: 200 with the metadata as JSON.
            return Response::json(200, &self.metadata.to_json());
        }
        if at(self.metadata.resource.url()) {
            return match request.method {
                Method::Post => self.mcp(request, now),
                // MCP Streamable HTTP: a server that offers no stream of
                // its own answers GET with 405 Method Not Allowed.
                _ => Response::new(405).with_header("Allow", "POST"),
            };
        }
        Response::new(404).with_body("Not Found")
    }

    /// An MCP request: the token first (MCP authorization: "authorization
    /// MUST be included in every HTTP request from client to server"),
    /// then the JSON-RPC call.
    fn mcp(&self, request: &Request, now: UnixTime) -> Response {
        let parsed = serde_json::from_str::<Value>(&request.body);
        let call = parsed.as_ref().cloned().unwrap_or_default();
        let id = call.get("id").cloned().unwrap_or(Value::Null);
        let needed = self.scope_needed(&call);
        let token = match bearer_token(request) {
            Ok(Some(token)) => token,
            // RFC 9728 section 5.1 and RFC 6750 section 3: no credentials,
            // so no error code; where the metadata is, and the scope this
            // request needs (MCP "Scope Selection Strategy").
            Ok(None) => return self.challenge(401, needed, None),
            // RFC 6750 section 3.1: a malformed request is a 400.
            Err(error) => return self.challenge(400, needed, Some(&error)),
        };
        // MCP "Token Audience Binding and Validation": a token whose `aud`
        // is not this server is refused, whoever issued it, so a token
        // meant for another server cannot be passed through to this one.
        let claims = match self.tokens.validate(token, now, &|_| false) {
            Ok(claims) => claims,
            Err(error) => return self.challenge(401, needed, Some(&error)),
        };
        let granted =
            Scope::parse(claims["scope"].as_str().unwrap_or_default()).unwrap_or_default();
        if !granted.contains(needed) {
            // MCP "Runtime Insufficient Scope Errors": 403 with the scope
            // this operation needs; the agent adds it to what it holds
            // and authorizes again (step-up).
            let error = OAuthError::new(
                ErrorCode::InsufficientScope,
                format!("this request needs the scope {needed}"),
            );
            return self.challenge(403, needed, Some(&error));
        }
        // JSON-RPC 2.0 section 5.1: a body that is not JSON is a parse
        // error, answered with a null id; MCP Streamable HTTP: with an
        // HTTP error status, 400.
        if let Err(error) = parsed {
            let message = format!("Parse error: {error}");
            let body = json!({ "jsonrpc": "2.0", "id": null, "error": { "code": PARSE_ERROR, "message": message } });
            return Response::json(400, &body);
        }
        // JSON-RPC 2.0 section 4.1: a notification has no id and gets no
        // answer; MCP Streamable HTTP: 202 Accepted with no body.
        if call.get("method").is_some() && call.get("id").is_none() {
            return Response::new(202);
        }
        Response::json(200, &self.answer(&call, id))
    }

    /// The scope a JSON-RPC call needs: a known tool's own, else the base.
    fn scope_needed(&self, call: &Value) -> &str {
        self.called_tool(call)
            .map_or(self.base_scope.as_str(), |tool| tool.scope.as_str())
    }

    fn called_tool(&self, call: &Value) -> Option<&Tool> {
        if call.get("method").and_then(Value::as_str) != Some("tools/call") {
            return None;
        }
        let name = call.pointer("/params/name").and_then(Value::as_str)?;
        self.tools.iter().find(|tool| tool.name == name)
    }

    /// The JSON-RPC response to an authorized call.
    fn answer(&self, call: &Value, id: Value) -> Value {
        let error = |code: i64, message: String| json!({ "jsonrpc": "2.0", "id": id, "error": { "code": code, "message": message } });
        if call.get("jsonrpc").and_then(Value::as_str) != Some("2.0") {
            return error(INVALID_REQUEST, "not a JSON-RPC 2.0 request".into());
        }
        let result = match call.get("method").and_then(Value::as_str) {
            // MCP lifecycle: the server answers with the version the client
            // asked for when it supports it, else its own latest.
            Some("initialize") => {
                let asked = call
                    .pointer("/params/protocolVersion")
                    .and_then(Value::as_str);
                let version = asked
                    .filter(|version| PROTOCOL_VERSIONS.contains(version))
                    .unwrap_or(PROTOCOL_VERSIONS[0]);
                json!({
                    "protocolVersion": version,
                    "capabilities": { "tools": {} },
                    "serverInfo": { "name": "calendar-tools", "version": "1.0.0" },
                })
            }
            Some("tools/list") => json!({
                "tools": self.tools.iter().map(|tool| json!({
                    "name": tool.name,
                    "inputSchema": { "type": "object" },
                })).collect::<Vec<_>>()
            }),
            Some("tools/call") => match self.called_tool(call) {
                Some(tool) => json!({ "content": [{ "type": "text", "text": tool.text }] }),
                None => {
                    let name = call.pointer("/params/name").and_then(Value::as_str);
                    return error(
                        INVALID_PARAMS,
                        format!("unknown tool: {}", name.unwrap_or("(no name)")),
                    );
                }
            },
            Some(method) => return error(METHOD_NOT_FOUND, format!("method not found: {method}")),
            None => return error(INVALID_REQUEST, "the request has no method".into()),
        };
        json!({ "jsonrpc": "2.0", "id": id, "result": result })
    }

    /// A refusal with its `WWW-Authenticate: Bearer` challenge (RFC 9728
    /// section 5.1), and the error as JSON when there is one.
    fn challenge(&self, status: u16, scope: &str, error: Option<&OAuthError>) -> Response {
        let header = bearer_challenge(&self.metadata_url(), Some(scope), error);
        let response = match error {
            Some(error) => Response::json(status, &error.to_json()),
            None => Response::new(status),
        };
        response.with_header("WWW-Authenticate", header)
    }
}
