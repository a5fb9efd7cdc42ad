//! The tool server on the agent's network: `tool_server::ToolServer`
//! (sans-IO) as a party, which, when a tool needs the calendar API, calls
//! that API for the user before it answers: with the user's own token
//! (passthrough, which MCP forbids and an API checking `aud` refuses), or
//! with one it got for the API by token exchange (RFC 8693).

use serde::{Deserialize, Serialize};
use serde_json::{Value, json};

use crate::channel::Channel;
use crate::http::{Request, Response, Url};
use crate::resource::bearer_token;
use crate::server::basic_credentials;
use crate::sim::network::{API, Host, Network};
use crate::sim::trace::{Party, RfcRef};
use crate::token_exchange::{GRANT_TYPE, TokenType};
use crate::tool_server::ToolServer;

/// The tool server's own client at the authorization server, for token
/// exchange (`client_secret_basic`).
pub const TOOL_SERVER_CLIENT: (&str, &str) = ("calendar-tools", "calendar-tools-secret");

/// Where the calendar API keeps the events.
pub const CALENDAR_PATH: &str = "/calendar/events";

const PASSTHROUGH: [RfcRef; 2] = [RfcRef::new(6750, "2.1"), RfcRef::new(9068, "4")];
const EXCHANGE: [RfcRef; 2] = [RfcRef::new(8693, "2.1"), RfcRef::new(8693, "4.1")];
const EXCHANGED_CALL: [RfcRef; 2] = [RfcRef::new(6750, "2.1"), RfcRef::new(8693, "4.1")];

/// Whether, and how, the tool server calls the calendar API for the user
/// when a tool runs.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Downstream {
    /// The tools answer on their own.
    #[default]
    None,
    /// The tool server forwards the token it was given: token passthrough,
    /// which MCP authorization (revision 2026-07-28) forbids. The API
    /// checks `aud` and refuses it.
    Passthrough,
    /// The tool server exchanges the token it was given for one whose
    /// audience is the API (RFC 8693), naming itself in `act`.
    Exchange,
}

/// The tool server, and how it reaches the API.
#[derive(Debug)]
pub struct ToolHost {
    pub server: ToolServer,
    pub downstream: Downstream,
}

impl Host for ToolHost {
    fn serves(&self, url: &Url) -> Option<Party> {
        let own = self.server.metadata.resource.url();
        (url.origin == own.origin).then_some(Party::ToolServer)
    }

    fn handle(&mut self, network: &mut Network<'_>, request: &Request) -> Response {
        let answer = self.server.handle(request, network.clock.now());
        let call = serde_json::from_str::<Value>(&request.body).unwrap_or_default();
        let runs_tool = call.get("method").and_then(Value::as_str) == Some("tools/call");
        if answer.status != 200 || !runs_tool || self.downstream == Downstream::None {
            return answer;
        }
        // The tool server accepted the token; the tool needs the API.
        let Ok(Some(token)) = bearer_token(request) else {
            return answer;
        };
        let scope = self.server.base_scope.clone();
        match self.call_api(network, token, &scope) {
            Ok(()) => answer,
            // MCP tools report a failure as a result with isError.
            Err(why) => Response::json(
                200,
                &json!({
                    "jsonrpc": "2.0",
                    "id": call.get("id").cloned().unwrap_or(Value::Null),
                    "result": { "content": [{ "type": "text", "text": why }], "isError": true },
                }),
            ),
        }
    }
}

impl ToolHost {
    /// The call to the calendar API for the user whose `token` the agent
    /// sent; `Err` says what the tool answers instead.
    fn call_api(&self, network: &mut Network<'_>, token: &str, scope: &str) -> Result<(), String> {
        let calendar = Url {
            origin: API.into(),
            path: CALENDAR_PATH.into(),
            query: None,
            fragment: None,
        };
        let (token, explanation, rfc_refs): (String, &str, &[RfcRef]) = match self.downstream {
            Downstream::None => return Ok(()),
            Downstream::Passthrough => (
                token.to_owned(),
                "To run the tool, the tool server calls the calendar API with the very token the \
                 agent sent it: token passthrough, which MCP forbids. The token's aud is the \
                 tool server: an API that checks the audience refuses it.",
                &PASSTHROUGH,
            ),
            Downstream::Exchange => (
                self.exchange(network, token, scope)?,
                "To run the tool, the tool server calls the calendar API with the token it got by \
                 exchange: aud is the API, sub is still the user, act names the tool server.",
                &EXCHANGED_CALL,
            ),
        };
        let response = network.send(
            Party::ToolServer,
            Channel::Back,
            false,
            Request::get(calendar).with_header("Authorization", format!("Bearer {token}")),
            explanation,
            rfc_refs,
        );
        match response.status {
            200 => Ok(()),
            status => Err(format!(
                "The calendar API refused the tool server's call ({status}): {}",
                error_description(&response)
            )),
        }
    }

    /// RFC 8693 section 2.1: the user's token for one whose audience is the
    /// API, asked for with the tool server's own client credentials.
    fn exchange(
        &self,
        network: &mut Network<'_>,
        token: &str,
        scope: &str,
    ) -> Result<String, String> {
        let (client_id, secret) = TOOL_SERVER_CLIENT;
        let request = Request::post_form(
            network.server.endpoint("/token"),
            &[
                ("grant_type", GRANT_TYPE),
                ("subject_token", token),
                ("subject_token_type", TokenType::AccessToken.uri()),
                ("resource", API),
                ("scope", scope),
            ],
        )
        .with_header("Authorization", basic_credentials(client_id, secret));
        let response = network.send(
            Party::ToolServer,
            Channel::Back,
            false,
            request,
            "Instead of forwarding the agent's token, the tool server exchanges it at the \
             authorization server (RFC 8693): subject_token is the user's token for the tool \
             server, resource names the calendar API, and the tool server authenticates as its \
             own client.",
            &EXCHANGE,
        );
        let body = response.json_body().unwrap_or_default();
        match body["access_token"].as_str() {
            Some(token) if response.status == 200 => Ok(token.to_owned()),
            _ => Err(format!(
                "The authorization server refused the token exchange: {}",
                error_description(&response)
            )),
        }
    }
}

/// What a refusal says: its `error_description`, or its `error`, from the
/// JSON body or the `WWW-Authenticate` challenge.
fn error_description(response: &Response) -> String {
    let body = response.json_body().unwrap_or_default();
    let from_challenge = || {
        response
            .challenges()
            .ok()?
            .into_iter()
            .find_map(|challenge| {
                let param = |name| challenge.param(name).map(str::to_owned);
                param("error_description").or_else(|| param("error"))
            })
    };
    body["error_description"]
        .as_str()
        .or_else(|| body["error"].as_str())
        .map(str::to_owned)
        .or_else(from_challenge)
        .unwrap_or_else(|| "no reason given".into())
}
