//! The agent authorization profile (MCP authorization, revision
//! 2026-07-28), run by the engine's own agent on the simulated network:
//! discovery, registration, code + PKCE with `resource`, the tool calls
//! and the step-up, and the tool server's downstream calls, each step read
//! back from the trace.

mod common;

use common::*;
use oauth_engine::channel::Channel;
use oauth_engine::rng::SeededRng;
use oauth_engine::sim::agent::{AgentRun, AgentScenario, Downstream, Registration, TOOLS};
use oauth_engine::sim::trace::{Exchange, Party};
use serde_json::{Value, json};

#[cfg(target_arch = "wasm32")]
use wasm_bindgen_test::wasm_bindgen_test as test;
#[cfg(target_arch = "wasm32")]
wasm_bindgen_test::wasm_bindgen_test_configure!(run_in_browser);

fn run(scenario: &AgentScenario) -> AgentRun {
    let mut rng = SeededRng::new(scenario.seed);
    scenario.run(signing_key(), &mut rng, &mut |_| {})
}

/// Each exchange as `(from, to, method, path, status)`.
fn steps(run: &AgentRun) -> Vec<(Party, Party, &'static str, String, u16)> {
    run.trace
        .iter()
        .map(|exchange| {
            (
                exchange.from,
                exchange.to,
                exchange.request.method.as_str(),
                exchange.request.url.path.clone(),
                exchange.response.status,
            )
        })
        .collect()
}

fn find<'r>(run: &'r AgentRun, path: &str) -> Vec<&'r Exchange> {
    run.trace
        .iter()
        .filter(|exchange| exchange.request.url.path == path)
        .collect()
}

fn payload(token: &str) -> Value {
    let part = token.split('.').nth(1).unwrap();
    serde_json::from_slice(&oauth_engine::jose::b64_decode(part).unwrap()).unwrap()
}

/// The claims of the access tokens the token endpoint issued, in order.
fn issued(run: &AgentRun) -> Vec<Value> {
    find(run, "/token")
        .into_iter()
        .filter_map(|exchange| exchange.response.json_body())
        .filter_map(|body| body["access_token"].as_str().map(payload))
        .collect()
}

fn query(exchange: &Exchange, name: &str) -> Option<String> {
    query_value(&exchange.request.url, name)
}

#[test]
fn mcp_the_agent_runs_the_chain_from_the_first_401_to_the_retried_tool() {
    use Party::*;
    let run = run(&AgentScenario::default());
    assert_eq!(run.stopped, None);
    let steps = steps(&run);
    let expected_start = [
        // 1. No token: 401, and where the metadata is.
        (Client, ToolServer, "POST", "/mcp", 401),
        // 2. RFC 9728.
        (
            Client,
            ToolServer,
            "GET",
            "/.well-known/oauth-protected-resource/mcp",
            200,
        ),
        // 3. RFC 8414.
        (
            Client,
            AuthorizationServer,
            "GET",
            "/.well-known/oauth-authorization-server",
            200,
        ),
        // 4 and 5. The server fetches the agent's metadata document when
        // the authorization request names it.
        (
            AuthorizationServer,
            Client,
            "GET",
            "/oauth/client.json",
            200,
        ),
        (Browser, AuthorizationServer, "GET", "/authorize", 200),
        (Browser, AuthorizationServer, "POST", "/login", 200),
        (Browser, AuthorizationServer, "POST", "/consent", 302),
        (Browser, Client, "GET", "/callback", 200),
        (Client, AuthorizationServer, "POST", "/token", 200),
        // 6. The session and the first tool; the second needs more.
        (Client, ToolServer, "POST", "/mcp", 200),
        (Client, ToolServer, "POST", "/mcp", 200),
        (Client, ToolServer, "POST", "/mcp", 403),
    ];
    let actual: Vec<_> = steps
        .iter()
        .map(|(from, to, method, path, status)| (*from, *to, *method, path.as_str(), *status))
        .collect();
    assert_eq!(&actual[..expected_start.len()], &expected_start);
    // The step-up: the browser again, a token, and the retried tool.
    assert_eq!(
        actual.last(),
        Some(&(Client, ToolServer, "POST", "/mcp", 200))
    );
    assert_eq!(run.registration, Some(Registration::MetadataDocument));
    assert_eq!(
        run.tool_results,
        ["Standup at 9:30", "Created: lunch at 12:00"]
    );
    // The document fetch and the server's own calls are on the back
    // channel; the browser's on the front.
    assert_eq!(run.trace[3].channel, Channel::Back);
    assert_eq!(run.trace[4].channel, Channel::Front);
}

#[test]
fn rfc8707_both_requests_name_the_tool_server_and_every_token_is_for_it_alone() {
    let run = run(&AgentScenario::default());
    for authorize in find(&run, "/authorize") {
        assert_eq!(query(authorize, "resource").as_deref(), Some(TOOLS));
        assert_eq!(
            query(authorize, "code_challenge_method").as_deref(),
            Some("S256")
        );
    }
    for token in find(&run, "/token") {
        assert!(
            token
                .request
                .body
                .contains("resource=https%3A%2F%2Ftools.example%2Fmcp")
        );
        assert!(token.request.body.contains("code_verifier="));
    }
    let tokens = issued(&run);
    assert_eq!(tokens.len(), 2);
    for claims in &tokens {
        assert_eq!(claims["aud"], TOOLS);
        assert_eq!(claims["sub"], "user-alice");
        assert_eq!(
            claims["client_id"],
            "https://agent.example/oauth/client.json"
        );
    }
}

#[test]
fn mcp_step_up_asks_for_the_scopes_held_and_the_one_the_403_named() {
    let run = run(&AgentScenario::default());
    let forbidden = run
        .trace
        .iter()
        .find(|exchange| exchange.response.status == 403)
        .unwrap();
    let challenge = forbidden.response.headers.get("WWW-Authenticate").unwrap();
    assert!(
        challenge.contains("error=\"insufficient_scope\""),
        "{challenge}"
    );
    assert!(
        challenge.contains("scope=\"calendar.write\""),
        "{challenge}"
    );
    let scopes: Vec<_> = find(&run, "/authorize")
        .into_iter()
        .map(|authorize| query(authorize, "scope").unwrap())
        .collect();
    // The first: the 401's scope; the second: both (SEP-2350).
    assert_eq!(scopes, ["calendar.read", "calendar.read calendar.write"]);
    assert_eq!(issued(&run)[1]["scope"], "calendar.read calendar.write");
}

#[test]
fn mcp_a_second_tool_within_the_granted_scope_needs_no_step_up() {
    let scenario = AgentScenario {
        second_tool_scope: "calendar.read".into(),
        ..AgentScenario::default()
    };
    let run = run(&scenario);
    assert_eq!(run.stopped, None);
    assert_eq!(find(&run, "/authorize").len(), 1);
    assert!(
        run.trace
            .iter()
            .all(|exchange| exchange.response.status != 403)
    );
}

#[test]
fn mcp_registration_order_dynamic_registration_when_the_server_takes_no_documents() {
    let scenario = AgentScenario {
        server_takes_metadata_documents: false,
        ..AgentScenario::default()
    };
    let run = run(&scenario);
    assert_eq!(run.stopped, None);
    assert_eq!(run.registration, Some(Registration::Dynamic));
    let registration = find(&run, "/register");
    assert_eq!(registration.len(), 1);
    assert_eq!(registration[0].response.status, 201);
    assert!(find(&run, "/oauth/client.json").is_empty());
    let body = registration[0].response.json_body().unwrap();
    let client_id = body["client_id"].as_str().unwrap();
    assert_eq!(
        query(find(&run, "/authorize")[0], "client_id").as_deref(),
        Some(client_id)
    );
}

#[test]
fn mcp_registration_order_a_pre_registered_client_id_comes_first() {
    let scenario = AgentScenario {
        pre_registered: true,
        ..AgentScenario::default()
    };
    let run = run(&scenario);
    assert_eq!(run.stopped, None);
    assert_eq!(run.registration, Some(Registration::PreRegistered));
    assert!(find(&run, "/register").is_empty());
    assert!(find(&run, "/oauth/client.json").is_empty());
    assert_eq!(
        query(find(&run, "/authorize")[0], "client_id").as_deref(),
        Some("calendar-agent")
    );
}

#[test]
fn mcp_registration_order_with_no_way_to_register_the_agent_stops_and_says_so() {
    let scenario = AgentScenario {
        server_takes_metadata_documents: false,
        server_offers_registration: false,
        ..AgentScenario::default()
    };
    let run = run(&scenario);
    let stopped = run.stopped.clone().unwrap();
    assert!(stopped.contains("ask the user"), "{stopped}");
    assert_eq!(run.registration, None);
    assert!(find(&run, "/authorize").is_empty());
}

#[test]
fn mcp_the_user_denying_stops_the_agent_with_access_denied() {
    let mut scenario = AgentScenario::default();
    scenario.user.approve = false;
    let run = run(&scenario);
    let stopped = run.stopped.clone().unwrap();
    assert!(stopped.contains("access_denied"), "{stopped}");
    assert!(find(&run, "/token").is_empty());
}

#[test]
fn mcp_token_passthrough_the_api_refuses_a_token_whose_audience_is_the_tool_server() {
    let scenario = AgentScenario {
        downstream: Downstream::Passthrough,
        ..AgentScenario::default()
    };
    let run = run(&scenario);
    let downstream = find(&run, "/calendar/events");
    assert!(!downstream.is_empty());
    for call in &downstream {
        assert_eq!(call.from, Party::ToolServer);
        assert_eq!(call.to, Party::ResourceServer);
        assert_eq!(call.response.status, 401);
        let body = call.response.json_body().unwrap();
        assert_eq!(body["error"], "invalid_token");
    }
    // The tool reports the failure; the agent's run goes on.
    assert!(
        run.tool_results[0].contains("The calendar API refused"),
        "{:?}",
        run.tool_results
    );
}

#[test]
fn rfc8693_the_tool_server_exchanges_the_token_and_the_api_answers_the_user() {
    let scenario = AgentScenario {
        downstream: Downstream::Exchange,
        ..AgentScenario::default()
    };
    let run = run(&scenario);
    assert_eq!(run.stopped, None);
    assert_eq!(run.tool_results[0], "Standup at 9:30");
    let exchanges: Vec<_> = find(&run, "/token")
        .into_iter()
        .filter(|exchange| exchange.from == Party::ToolServer)
        .collect();
    assert!(!exchanges.is_empty());
    let body = exchanges[0].response.json_body().unwrap();
    assert_eq!(exchanges[0].response.status, 200, "{body}");
    let claims = payload(body["access_token"].as_str().unwrap());
    assert_eq!(claims["aud"], "https://api.example");
    assert_eq!(claims["sub"], "user-alice");
    assert_eq!(claims["act"], json!({ "sub": "calendar-tools" }));
    for call in find(&run, "/calendar/events") {
        assert_eq!(call.response.status, 200);
    }
    // The downstream calls come before the tool call they serve.
    let tool_call = run
        .trace
        .iter()
        .position(|exchange| exchange.request.body.contains("list_events"))
        .unwrap();
    let api_call = run
        .trace
        .iter()
        .position(|exchange| exchange.request.url.path == "/calendar/events")
        .unwrap();
    assert!(api_call < tool_call);
}

#[test]
fn the_agents_lanes_are_the_browser_the_agent_the_authorization_server_and_the_tool_server() {
    use Party::*;
    use oauth_engine::sim::flow::Flow;
    use oauth_engine::sim::trace::lanes;
    let lanes = lanes(&run(&AgentScenario::default()).trace);
    assert_eq!(lanes, [Browser, Client, AuthorizationServer, ToolServer]);
    let labels: Vec<_> = lanes
        .iter()
        .map(|lane| lane.lane_label(Flow::Agent))
        .collect();
    assert_eq!(
        labels,
        [
            "User and browser",
            "AI agent (MCP client)",
            "Authorization server",
            "Tool server (MCP)"
        ]
    );
}

#[test]
fn a_scenario_of_the_agents_flow_stops_at_once_its_run_is_the_agents_own() {
    use oauth_engine::sim::flow::Flow;
    use oauth_engine::sim::scenario::Scenario;
    use oauth_engine::sim::stop::Stop;
    let scenario = Scenario {
        flow: Flow::Agent,
        ..Scenario::default()
    };
    let run = scenario.run(signing_key());
    assert!(run.trace.is_empty());
    assert_eq!(
        run.stopped.as_deref(),
        Some(Stop::AgentRunsApart.to_string().as_str())
    );
}

#[test]
fn the_same_scenario_and_seed_give_the_same_trace() {
    let scenario = AgentScenario::default();
    assert_eq!(run(&scenario).trace, run(&scenario).trace);
}

#[test]
fn every_name_in_the_agents_runs_and_attacks_has_a_glossary_entry_with_its_section() {
    use oauth_engine::sim::agent::attacks::{AgentAttack, run_agent_attack};
    use oauth_engine::sim::agent::glossary::{AGENT_GLOSSARY, Defined, meaning};
    let scenarios = [
        AgentScenario::default(),
        AgentScenario {
            server_takes_metadata_documents: false,
            ..AgentScenario::default()
        },
        AgentScenario {
            downstream: Downstream::Exchange,
            ..AgentScenario::default()
        },
        AgentScenario {
            downstream: Downstream::Passthrough,
            ..AgentScenario::default()
        },
    ];
    let mut traces: Vec<Vec<Exchange>> = scenarios.iter().map(|s| run(s).trace).collect();
    for attack in AgentAttack::ALL {
        for defended in [false, true] {
            traces.push(run_agent_attack(attack, defended, 1, signing_key()).trace);
        }
    }
    for exchange in traces.iter().flatten() {
        for name in names_in(exchange) {
            let entry = meaning(&name).unwrap_or_else(|| panic!("no glossary entry for {name}"));
            assert!(entry.defined.url().starts_with("https://"), "{name}");
        }
    }
    // The agent's entries are its own: none repeats the app's, or another.
    for (index, entry) in AGENT_GLOSSARY.iter().enumerate() {
        assert!(
            oauth_engine::params::param_info(entry.name).is_none(),
            "{} is in params.rs too",
            entry.name
        );
        assert!(
            AGENT_GLOSSARY[..index]
                .iter()
                .all(|other| other.name != entry.name)
        );
        assert!(
            !entry.meaning.is_empty() && entry.meaning.len() <= 140,
            "{}",
            entry.name
        );
        if let Defined::Rfc(rfc, section) = entry.defined {
            assert!(rfc > 0 && !section.is_empty(), "{}", entry.name);
        }
    }
}
