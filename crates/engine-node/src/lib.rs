//! The simulated servers of a scenario, for client libraries nobody here
//! wrote. Compiled to wasm for Node (`scripts/interop.sh`), the engine sits
//! behind a `fetch` function that `oauth4webapi`, `openid-client` and the
//! MCP SDK call as they would call the network (`tests/interop/`).
//!
//! Every message goes through the engine's in-page network, exactly as in
//! the app: the same routing by origin, the same authorization server and
//! API, the same trace. The scenario's seed and start time drive it, so a
//! failing run replays to the same bytes; its clock moves only when the
//! test says so.
//!
//! The interface is plain strings and numbers, so the crate needs nothing
//! beyond `wasm-bindgen`; `tests/interop/harness.mjs` turns it into a
//! `fetch`.

pub mod groundwork;

use oauth_engine::channel::Channel;
use oauth_engine::http::{Headers, Method, Request, Response, Url};
use oauth_engine::jwa::ES256;
use oauth_engine::keys::demo_signing_key;
use oauth_engine::rng::SeededRng;
use oauth_engine::server::{ClientIdMetadataDocuments, DynamicRegistration};
use oauth_engine::sim::agent::AgentScenario;
use oauth_engine::sim::agent::attacks::{self as agent_attacks, AgentAttack};
use oauth_engine::sim::attacker::Forward;
use oauth_engine::sim::attacks::Outcome;
use oauth_engine::sim::browser::Browser;
use oauth_engine::sim::client::Client;
use oauth_engine::sim::deployed::support;
use oauth_engine::sim::hosts::{PublishedDocument, fetch_client_document};
use oauth_engine::sim::network::{Network, attacker_browses, navigate};
use oauth_engine::sim::scenario::Scenario;
use oauth_engine::sim::trace::{Exchange, Party};
use oauth_engine::types::Scope;
use serde_json::{Value, json};
use wasm_bindgen::prelude::wasm_bindgen;

/// A scenario's authorization server, API and attacker on their in-page
/// network, with the user's browser.
#[wasm_bindgen]
pub struct SimulatedServers {
    network: Network<'static>,
    /// The user's browser.
    browser: Browser,
    /// The attacker's own browser, with her own cookies.
    attacker_browser: Browser,
}

#[wasm_bindgen]
impl SimulatedServers {
    /// The servers a scenario sets up, from the scenario's JSON (the form
    /// a share link carries; every field may be left out): its policy, its
    /// registered client, its seed and its start time.
    #[wasm_bindgen(constructor)]
    pub fn new(scenario_json: &str) -> Result<SimulatedServers, String> {
        let scenario: Scenario = serde_json::from_str(scenario_json)
            .map_err(|error| format!("the scenario is not valid: {error}"))?;
        let key = demo_signing_key().map_err(|error| error.to_string())?;
        let mut network = scenario.network(key, Box::new(SeededRng::new(scenario.seed)));
        // The servers a client library meets have every extension: DPoP,
        // PAR, revocation and introspection, and an API that introspects
        // opaque tokens.
        let support = support(ES256);
        network.support = Some(support);
        (support.set_up)(&mut network, &Client::new(scenario.client.clone()));
        // A private_key_jwt client's own public key, which the scenario's
        // form has no field for: `registration.public_jwk` in the JSON.
        if let Ok(json) = serde_json::from_str::<Value>(scenario_json)
            && let Some(jwk) = json.pointer("/registration/public_jwk")
        {
            network
                .server
                .register_public_key(&scenario.client.client_id, jwk.clone());
        }
        Ok(Self {
            network,
            browser: Browser::new(scenario.referrer_policy),
            attacker_browser: Browser::new(scenario.referrer_policy),
        })
    }

    /// Sends one request and returns the response as JSON: `{"status",
    /// "headers": [[name, value], ...], "body"}`.
    ///
    /// `from` says who sends it: `"client"`, the client application's own
    /// code on the back channel (what a library's fetch sends);
    /// `"browser"`, the user's browser following a link or submitting a
    /// form, with its cookies, its address bar and history; `"attacker"`,
    /// the attacker's code on her own machine; or `"attacker_browser"`,
    /// her own browser, with her own cookies. `headers` is JSON, `[[name,
    /// value], ...]`. Redirects are never followed: the caller sees the
    /// 302 and decides.
    pub fn fetch(
        &mut self,
        from: &str,
        method: &str,
        url: &str,
        headers: &str,
        body: &str,
    ) -> String {
        let response = match parse_request(method, url, headers, body) {
            Ok(request) => self.send(from, request),
            Err(response) => response,
        };
        response_json(&response)
    }

    /// Simulated time, in seconds since the Unix epoch.
    pub fn now(&self) -> f64 {
        // Exact: simulated times are far below 2^53.
        self.network.clock.now().0 as f64
    }

    /// Lets `seconds` of simulated time pass.
    pub fn advance(&mut self, seconds: u32) {
        self.network.clock.advance(u64::from(seconds));
    }

    /// The authorization server issues tokens for `resource` too, when a
    /// client names it (RFC 8707): an MCP tool server's URL.
    pub fn protect_resource(&mut self, resource: &str) {
        self.network.server.protect_resource(resource);
    }

    /// A tool server at `resource` that calls the API for the user: its
    /// own confidential client `client_id` (`client_secret_basic` with
    /// `secret`), which may exchange the tokens meant for it (RFC 8693).
    pub fn add_tool_server(&mut self, resource: &str, client_id: &str, secret: &str) {
        let server = &mut self.network.server;
        server.protect_resource(resource);
        server.offer_exchange_to(resource, client_id, secret);
    }

    /// The calendar tool server (`groundwork::calendar_tools`) on the
    /// network at `resource`'s origin, protected by this authorization
    /// server, which issues tokens for it (RFC 8707).
    pub fn add_mcp_tool_server(&mut self, resource: &str) -> Result<(), String> {
        let server = &mut self.network.server;
        let tools = groundwork::calendar_tools(resource, &server.issuer_id(), &server.jwks())?;
        server.protect_resource(resource);
        self.network.add_host(Box::new(tools));
        Ok(())
    }

    /// The authorization server takes registrations at `/register` (RFC
    /// 7591), for at most `scope`.
    pub fn offer_registration(&mut self, scope: &str) -> Result<(), String> {
        let registration = DynamicRegistration {
            scope: Scope::parse(scope).map_err(|token| format!("bad scope token {token}"))?,
        };
        self.network.server.offer(Box::new(registration));
        Ok(())
    }

    /// The authorization server takes client IDs that are metadata
    /// documents' URLs, for at most `scope`, and fetches them over the
    /// network.
    pub fn offer_client_id_metadata_documents(&mut self, scope: &str) -> Result<(), String> {
        let documents = ClientIdMetadataDocuments {
            scope: Scope::parse(scope).map_err(|token| format!("bad scope token {token}"))?,
            allow_redirects_elsewhere: false,
            fetch_special_use_hosts: false,
            refused: Default::default(),
        };
        self.network.server.offer(Box::new(documents));
        self.network.before_server = Some(fetch_client_document);
        Ok(())
    }

    /// `body` served as JSON at `url` by the client's side: a client's
    /// metadata document.
    pub fn publish(&mut self, url: &str, body: &str) -> Result<(), String> {
        let url = Url::parse(url).map_err(|error| format!("{url} {error}"))?;
        let document = PublishedDocument::json(url, Party::Client, body);
        self.network.add_host(Box::new(document));
        Ok(())
    }

    /// The attacker's `/authorize` sends the browser on to `url` with the
    /// same query: the mix-up attacker's server in front of the honest one
    /// (RFC 9700 section 4.4.1).
    pub fn attacker_forwards_authorize_to(&mut self, url: &str) -> Result<(), String> {
        let to = Url::parse(url).map_err(|error| format!("{url} {error}"))?;
        self.network.attacker.forward_authorize = Some(Forward {
            to,
            remove: Vec::new(),
            set: Vec::new(),
        });
        Ok(())
    }

    /// Makes the API a deliberately lax one that takes a DPoP proof
    /// without checking that its `jti` is new or that its `htu` is the
    /// request's URL (RFC 9449 sections 11.1 and 4.3): the attack lab's
    /// proof replay with its defence off.
    pub fn api_skips_proof_jti_and_htu(&mut self) {
        self.network.api.skips_proof_jti_and_htu = true;
    }

    /// Every request the attacker received, as JSON: `[{"method", "url",
    /// "body"}, ...]`.
    pub fn attacker_received(&self) -> String {
        let received: Vec<Value> = self
            .network
            .attacker
            .received
            .iter()
            .map(|request| {
                json!({
                    "method": request.method.as_str(),
                    "url": request.url.to_string(),
                    "body": request.body,
                })
            })
            .collect();
        Value::Array(received).to_string()
    }

    /// The run so far as JSON, an object per exchange: `{"from", "to",
    /// "method", "url", "status", "at"}` (`at` in simulated seconds since
    /// the first exchange), for tests that check what went over the wire.
    pub fn exchanges(&self) -> String {
        let start = self.network.trace.first().map(|exchange| exchange.at);
        let exchanges: Vec<Value> = self
            .network
            .trace
            .iter()
            .map(|exchange| {
                json!({
                    "from": exchange.from,
                    "to": exchange.to,
                    "method": exchange.request.method.as_str(),
                    "url": exchange.request.url.to_string(),
                    "status": exchange.response.status,
                    "at": start.map_or(0, |start| exchange.at.seconds_since(start)),
                })
            })
            .collect();
        Value::Array(exchanges).to_string()
    }

    /// The run so far, a line per exchange: for a failing test's message.
    pub fn trace(&self) -> String {
        self.network
            .trace
            .iter()
            .enumerate()
            .map(|(index, exchange)| {
                format!(
                    "{:>2}. t+{:<4} {} -> {}: {} {} -> {}",
                    index + 1,
                    exchange.at.seconds_since(self.network.trace[0].at),
                    exchange.from.label(),
                    exchange.to.label(),
                    exchange.request.method.as_str(),
                    exchange.request.url.target(),
                    exchange.status_line(),
                )
            })
            .collect::<Vec<_>>()
            .join("\n")
    }
}

/// Runs a whole scenario (its JSON, as for [`SimulatedServers::new`]) with
/// the engine's own simulated client, given everything DPoP, PAR,
/// `private_key_jwt`, introspection and revocation need, and returns what
/// that client sent: a JSON array of `{"from", "to", "method", "url",
/// "headers": [[name, value], ...], "body", "status", "at"}` (`at` in
/// simulated Unix seconds), and the run's end as `{"stopped"}` last. For
/// tests that check the client's messages with libraries nobody here
/// wrote.
#[wasm_bindgen]
pub fn run_scenario(scenario_json: &str) -> Result<String, String> {
    let scenario: Scenario = serde_json::from_str(scenario_json)
        .map_err(|error| format!("the scenario is not valid: {error}"))?;
    let key = demo_signing_key().map_err(|error| error.to_string())?;
    let mut rng = SeededRng::new(scenario.seed);
    let run = scenario.run_supported(key, &mut rng, Some(support(ES256)), &mut |_| {});
    let mut exchanges: Vec<Value> = run.trace.iter().map(exchange_json).collect();
    exchanges.push(json!({ "stopped": run.stopped }));
    Ok(Value::Array(exchanges).to_string())
}

/// Runs the engine's own MCP agent (`oauth_engine::sim::agent`) for
/// `scenario_json` (an `AgentScenario`, every field optional) and returns
/// its run: `{"exchanges": [...], "stopped", "tool_results"}`, each
/// exchange as [`run_scenario`] gives it, with the answer's `response`
/// (`{"status", "headers", "body"}`) too. For tests that check the
/// agent's and the tool server's messages with the MCP SDK.
#[wasm_bindgen]
pub fn run_agent(scenario_json: &str) -> Result<String, String> {
    let scenario: AgentScenario = serde_json::from_str(scenario_json)
        .map_err(|error| format!("the agent's scenario is not valid: {error}"))?;
    let key = demo_signing_key().map_err(|error| error.to_string())?;
    let mut rng = SeededRng::new(scenario.seed);
    let run = scenario.run(key, &mut rng, &mut |_| {});
    Ok(json!({
        "exchanges": with_responses(&run.trace),
        "stopped": run.stopped,
        "tool_results": run.tool_results,
    })
    .to_string())
}

/// Runs the attack on the agent profile named `slug` (`AgentAttack::slug`)
/// with its defence on or off, and returns the run: `{"exchanges": [...]}`
/// as [`run_agent`] gives them, and `"outcome"`: `{"succeeded", "step",
/// "gained"}` or `{"succeeded": false, "step", "error"}`.
#[wasm_bindgen]
pub fn run_agent_attack(slug: &str, defended: bool, seed: u32) -> Result<String, String> {
    let attack = AgentAttack::from_slug(slug).ok_or_else(|| format!("no attack {slug}"))?;
    let key = demo_signing_key().map_err(|error| error.to_string())?;
    let run = agent_attacks::run_agent_attack(attack, defended, seed.into(), key);
    let outcome = match &run.outcome {
        Outcome::Succeeded { step, gained } => {
            json!({ "succeeded": true, "step": step, "gained": gained })
        }
        Outcome::Stopped { step, error } => {
            json!({ "succeeded": false, "step": step, "error": error })
        }
    };
    Ok(json!({ "exchanges": with_responses(&run.trace), "outcome": outcome }).to_string())
}

/// Each exchange as [`exchange_json`] gives it, with the answer's
/// `response` (`{"status", "headers", "body"}`) too.
fn with_responses(trace: &[Exchange]) -> Vec<Value> {
    trace
        .iter()
        .map(|exchange| {
            let mut json = exchange_json(exchange);
            json["response"] =
                serde_json::from_str(&response_json(&exchange.response)).unwrap_or_default();
            json
        })
        .collect()
}

/// One exchange's request, and its status, as JSON: `{"from", "to",
/// "method", "url", "headers": [[name, value], ...], "body", "status",
/// "at"}` (`at` in simulated Unix seconds).
fn exchange_json(exchange: &Exchange) -> Value {
    let headers: Vec<[&str; 2]> = exchange
        .request
        .headers
        .iter()
        .map(|(n, v)| [n, v])
        .collect();
    json!({
        "from": exchange.from,
        "to": exchange.to,
        "method": exchange.request.method.as_str(),
        "url": exchange.request.url.to_string(),
        "headers": headers,
        "body": exchange.request.body,
        "status": exchange.response.status,
        "at": exchange.at.0,
    })
}

/// The public JWK the simulated client's assertions verify with: the one
/// [`run_scenario`] registers for a `private_key_jwt` client.
#[wasm_bindgen]
pub fn client_assertion_key() -> String {
    oauth_engine::sim::deployed::client_key(ES256)
        .public_jwk()
        .to_string()
}

impl SimulatedServers {
    fn send(&mut self, from: &str, request: Request) -> Response {
        const LIBRARY: &str = "Sent by a client library through the interop harness.";
        match from {
            // A link, a redirect or a form: each moves the address bar.
            "browser" => navigate(
                &mut self.network,
                &mut self.browser,
                request,
                "The user's browser follows a link or a redirect, or submits a form.",
                &[],
            ),
            "attacker_browser" => attacker_browses(
                &mut self.network,
                &mut self.attacker_browser,
                request,
                "The attacker, in her own browser.",
                &[],
            ),
            "attacker" => self.network.send(
                Party::Attacker,
                Channel::Back,
                false,
                request,
                "The attacker sends this request.",
                &[],
            ),
            _ => self
                .network
                .send(Party::Client, Channel::Back, false, request, LIBRARY, &[]),
        }
    }
}

/// The request a fetch call describes, or the response a server would
/// give to one it cannot take.
pub(crate) fn parse_request(
    method: &str,
    url: &str,
    headers: &str,
    body: &str,
) -> Result<Request, Response> {
    let refuse = |status, why: String| Err(Response::new(status).with_body(why));
    let method = match method.to_ascii_uppercase().as_str() {
        "GET" => Method::Get,
        "POST" => Method::Post,
        other => return refuse(405, format!("the simulated servers do not answer {other}")),
    };
    let url = match Url::parse(url) {
        Ok(url) => url,
        Err(error) => return refuse(400, format!("{url} {error}")),
    };
    let pairs: Vec<(String, String)> = match serde_json::from_str(headers) {
        Ok(pairs) => pairs,
        Err(error) => {
            return refuse(
                400,
                format!("the headers are not [[name, value], ...]: {error}"),
            );
        }
    };
    let mut request = Request::get(url);
    request.method = method;
    request.headers = Headers::default();
    for (name, value) in pairs {
        request.headers.push(&name, value);
    }
    request.body = body.to_owned();
    Ok(request)
}

pub(crate) fn response_json(response: &Response) -> String {
    let headers: Vec<[&str; 2]> = response.headers.iter().map(|(n, v)| [n, v]).collect();
    json!({ "status": response.status, "headers": headers, "body": response.body }).to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn servers() -> SimulatedServers {
        SimulatedServers::new("{}").unwrap()
    }

    #[test]
    fn a_request_reaches_the_server_at_its_origin_and_joins_the_trace() {
        let mut servers = servers();
        let answer: Value = serde_json::from_str(&servers.fetch(
            "client",
            "GET",
            "https://as.example/.well-known/oauth-authorization-server",
            "[]",
            "",
        ))
        .unwrap();
        assert_eq!(answer["status"], 200);
        let metadata: Value = serde_json::from_str(answer["body"].as_str().unwrap()).unwrap();
        assert_eq!(metadata["issuer"], "https://as.example");
        assert!(
            servers
                .trace()
                .contains("Client -> Authorization server: GET")
        );
    }

    #[test]
    fn the_browser_keeps_the_servers_cookie_between_requests() {
        let mut servers = servers();
        let authorize = "https://as.example/authorize?response_type=code&client_id=spa\
                         &code_challenge=E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM\
                         &code_challenge_method=S256";
        let page: Value =
            serde_json::from_str(&servers.fetch("browser", "GET", authorize, "[]", "")).unwrap();
        assert_eq!(page["status"], 200, "{page}");
        let html = page["body"].as_str().unwrap();
        let marker = "name=\"transaction\" value=\"";
        let start = html.find(marker).unwrap() + marker.len();
        let transaction = &html[start..start + html[start..].find('"').unwrap()];
        let form = format!("transaction={transaction}&username=alice&password=wonderland");
        let headers = r#"[["Content-Type","application/x-www-form-urlencoded"]]"#;
        servers.fetch(
            "browser",
            "POST",
            "https://as.example/login",
            headers,
            &form,
        );
        let consent = format!("transaction={transaction}&scope=read&decision=approve");
        let back: Value = serde_json::from_str(&servers.fetch(
            "browser",
            "POST",
            "https://as.example/consent",
            headers,
            &consent,
        ))
        .unwrap();
        // The session cookie set at sign-in went with the consent.
        assert_eq!(back["status"], 302, "{back}");
    }

    #[test]
    fn what_no_server_can_take_gets_an_http_answer_not_a_panic() {
        let mut servers = servers();
        for (method, url, headers) in [
            ("DELETE", "https://as.example/token", "[]"),
            ("GET", "not a url", "[]"),
            ("GET", "https://as.example/", "{"),
        ] {
            let answer: Value =
                serde_json::from_str(&servers.fetch("client", method, url, headers, "")).unwrap();
            assert!(answer["status"].as_u64().unwrap() >= 400, "{answer}");
        }
        assert!(SimulatedServers::new("{\"flow\": 3}").is_err());
    }

    #[test]
    fn simulated_time_moves_only_when_told() {
        let mut servers = servers();
        let start = servers.now();
        assert_eq!(start, 1_767_225_600.0);
        servers.advance(61);
        assert_eq!(servers.now(), start + 61.0);
    }
}

/// The engine's CORS verdict (`oauth_engine::cors`) on one cross-origin
/// request, for comparing with a real browser's (`tests/interop/cors.test.mjs`).
/// `case_json` is `{"origin", "method", "url", "headers": [[name, value],
/// ...], "body", "include": bool, "preflight": {"status", "headers"},
/// "answer": {"status", "headers"}}`, the answers being what the server
/// sends. Returns `{"preflight": bool, "reached": bool, "ok": bool,
/// "error": string|null}`: whether a preflight was sent, whether the
/// request itself reached the server, and whether the page may read it.
#[wasm_bindgen]
pub fn cors_verdict(case_json: &str) -> Result<String, String> {
    use oauth_engine::clock::UnixTime;
    use oauth_engine::cors::{CorsPolicy, Credentials, PreflightCache, fetch};

    let case: Value = serde_json::from_str(case_json)
        .map_err(|error| format!("the case is not JSON: {error}"))?;
    let text = |value: &Value| value.as_str().unwrap_or_default().to_owned();
    let headers = |value: &Value| {
        let mut headers = Headers::default();
        for pair in value.as_array().into_iter().flatten() {
            headers.push(&text(&pair[0]), text(&pair[1]));
        }
        headers
    };
    let answer = |value: &Value| Response {
        status: value["status"].as_u64().unwrap_or(200) as u16,
        headers: headers(&value["headers"]),
        body: String::new(),
    };
    let method = match case["method"].as_str() {
        Some("GET") => Method::Get,
        Some("POST") => Method::Post,
        other => return Err(format!("no such method here: {other:?}")),
    };
    let url = Url::parse(&text(&case["url"])).map_err(|error| error.to_string())?;
    let request = Request {
        method,
        url,
        headers: headers(&case["headers"]),
        body: text(&case["body"]),
    };
    let credentials = if case["include"].as_bool().unwrap_or(false) {
        Credentials::Include
    } else {
        Credentials::NotIncluded
    };
    // Each case is a page of its own: nothing cached from the others.
    let mut cache = PreflightCache::default();
    let origin = text(&case["origin"]);
    let run = fetch(
        &origin,
        request,
        credentials,
        &mut cache,
        UnixTime(0),
        |sent| {
            if CorsPolicy::is_preflight(sent) {
                answer(&case["preflight"])
            } else {
                answer(&case["answer"])
            }
        },
    );
    Ok(json!({
        "preflight": run.preflight.is_some(),
        "reached": run.reached_server(),
        "ok": run.outcome.is_ok(),
        "error": run.outcome.err().map(|error| error.to_string()),
    })
    .to_string())
}
