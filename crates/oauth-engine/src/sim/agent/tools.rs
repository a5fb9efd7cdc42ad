//! The agent's MCP requests to a tool server (JSON-RPC 2.0 over
//! Streamable HTTP), with its access token, and what it reads from the
//! answers: a tool's result, or the scope a step-up 403 names (MCP
//! authorization, revision 2026-07-28, "Runtime Insufficient Scope
//! Errors").

use serde_json::{Value, json};

use super::{Agent, AgentStop};
use crate::channel::Channel;
use crate::http::{Method, Request, Url};
use crate::resource_metadata::ResourceChallenge;
use crate::sim::network::Network;
use crate::sim::trace::{Party, RfcRef};

/// The MCP revision the agent asks for.
const PROTOCOL_VERSION: &str = "2026-07-28";

const TOOL_CALL: [RfcRef; 1] = [RfcRef::new(6750, "2.1")];
const STEP_UP: [RfcRef; 2] = [RfcRef::new(6750, "3.1"), RfcRef::new(9728, "5.1")];

/// One MCP request with the agent's token, `initialize` or a call of
/// `tool` (its name, and the scope it needs): `None` when it went through
/// (a tool's answer is kept), or the scope a 403 says it needs.
pub(super) fn call(
    network: &mut Network<'_>,
    agent: &mut Agent,
    tools: &Url,
    tool: Option<(&str, &str)>,
) -> Result<Option<String>, AgentStop> {
    let id = agent.next_id();
    let token = agent.access_token.clone().unwrap_or_default();
    let (method, name) = match tool {
        Some((name, _)) => ("tools/call", Some(name)),
        None => ("initialize", None),
    };
    let request = mcp_request(tools, id, method, name)
        .with_header("Authorization", format!("Bearer {token}"));
    // Told from the scenario, which knows what the token grants.
    let (explanation, rfc_refs): (String, &[RfcRef]) = match tool {
        None => (
            "The agent opens its MCP session again, now with the access token.".into(),
            &TOOL_CALL,
        ),
        Some((name, needs)) if !agent.scope.contains(needs) => (
            format!(
                "The agent calls the tool {name}, which needs the scope {needs}: the token \
                     does not grant it, so the tool server answers 403 insufficient_scope, \
                     naming {needs} (MCP step-up)."
            ),
            &STEP_UP,
        ),
        Some((name, _)) => (
            format!("The agent calls the tool {name} with its access token."),
            &TOOL_CALL,
        ),
    };
    let response = network.send(
        Party::Client,
        Channel::Back,
        false,
        request,
        explanation,
        rfc_refs,
    );
    if response.status == 403 {
        let challenge = response
            .challenges()
            .ok()
            .and_then(|challenges| ResourceChallenge::find(&challenges))
            .unwrap_or_default();
        return match (challenge.error.as_deref(), challenge.scope) {
            (Some("insufficient_scope"), Some(scope)) => Ok(Some(scope)),
            _ => Err(AgentStop("the tool server answered 403".into())),
        };
    }
    if response.status != 200 {
        return Err(AgentStop(format!(
            "the tool server answered {} to {method}",
            response.status
        )));
    }
    if tool.is_some() {
        let body = response.json_body().unwrap_or_default();
        let text = body
            .pointer("/result/content/0/text")
            .and_then(Value::as_str)
            .unwrap_or_default();
        agent.tool_results.push(text.to_owned());
    }
    Ok(None)
}

/// An MCP request (JSON-RPC 2.0 over Streamable HTTP): `initialize`, or a
/// `tools/call` of `tool`.
pub(super) fn mcp_request(tools: &Url, id: u64, method: &str, tool: Option<&str>) -> Request {
    let params = match tool {
        Some(name) => json!({ "name": name, "arguments": {} }),
        None => json!({
            "protocolVersion": PROTOCOL_VERSION,
            "capabilities": {},
            "clientInfo": { "name": "calendar-agent", "version": "1.0.0" },
        }),
    };
    let body = json!({ "jsonrpc": "2.0", "id": id, "method": method, "params": params });
    Request {
        method: Method::Post,
        body: body.to_string(),
        ..Request::get(tools.clone())
    }
    .with_header("Content-Type", "application/json")
    .with_header("Accept", "application/json, text/event-stream")
}
