//! The attacks on the agent profile, each run with its defence off (what
//! the attacker gets) and on (the step that refuses it, and its error),
//! the outcome read from the run's own responses.

mod common;

use common::*;
use oauth_engine::sim::agent::attacks::{AgentAttack, AgentAttackRun, run_agent_attack};
use oauth_engine::sim::attacks::Outcome;
use oauth_engine::sim::trace::{Exchange, Party};

#[cfg(target_arch = "wasm32")]
use wasm_bindgen_test::wasm_bindgen_test as test;
#[cfg(target_arch = "wasm32")]
wasm_bindgen_test::wasm_bindgen_test_configure!(run_in_browser);

fn run(attack: AgentAttack, defended: bool) -> AgentAttackRun {
    run_agent_attack(attack, defended, 1, signing_key())
}

/// What the attacker got, and the exchange where she got it.
fn succeeded(run: &AgentAttackRun) -> (&Exchange, &str) {
    match &run.outcome {
        Outcome::Succeeded { step, gained } => (&run.trace[*step], gained.as_str()),
        other => panic!("{:?} was stopped: {other:?}", run.attack),
    }
}

/// The refusing exchange, and its error.
fn stopped(run: &AgentAttackRun) -> (&Exchange, &str) {
    match &run.outcome {
        Outcome::Stopped { step, error } => (&run.trace[*step], error.as_str()),
        other => panic!("{:?} succeeded: {other:?}", run.attack),
    }
}

#[test]
fn every_attack_succeeds_with_its_defence_off_and_is_stopped_with_it_on() {
    for attack in AgentAttack::ALL {
        assert!(run(attack, false).outcome.succeeded(), "{attack:?} off");
        assert!(!run(attack, true).outcome.succeeded(), "{attack:?} on");
        assert_eq!(AgentAttack::from_slug(attack.slug()), Some(attack));
        assert!(!attack.refs().is_empty());
    }
}

#[test]
fn rfc9068_4_passthrough_the_api_takes_the_forwarded_token_only_without_its_audience_check() {
    let off = run(AgentAttack::TokenPassthrough, false);
    let (exchange, gained) = succeeded(&off);
    assert_eq!(
        (exchange.from, exchange.to),
        (Party::ToolServer, Party::ResourceServer)
    );
    assert_eq!(exchange.response.status, 200);
    assert!(gained.contains("Standup at 9:30"), "{gained}");

    let on = run(AgentAttack::TokenPassthrough, true);
    let (exchange, error) = stopped(&on);
    assert_eq!(
        (exchange.from, exchange.to),
        (Party::ToolServer, Party::ResourceServer)
    );
    assert_eq!(exchange.response.status, 401);
    assert!(error.starts_with("invalid_token"), "{error}");
    assert!(error.contains("another audience"), "{error}");
}

#[test]
fn rfc8707_replay_at_another_tool_server_is_refused_for_the_audience_the_resource_named() {
    let off = run(AgentAttack::ReplayAtAnotherToolServer, false);
    let (exchange, gained) = succeeded(&off);
    assert_eq!(
        (exchange.from, exchange.to),
        (Party::Attacker, Party::ToolServer)
    );
    assert!(gained.contains("Created: lunch at 12:00"), "{gained}");
    // Without resource the agent's requests never named the notes server.
    assert!(
        off.trace
            .iter()
            .all(|e| !e.request.url.to_string().contains("resource="))
    );

    let on = run(AgentAttack::ReplayAtAnotherToolServer, true);
    let (exchange, error) = stopped(&on);
    assert_eq!(
        (exchange.from, exchange.to),
        (Party::Attacker, Party::ToolServer)
    );
    assert_eq!(exchange.response.status, 401);
    assert!(error.starts_with("invalid_token"), "{error}");
    let authorize = on
        .trace
        .iter()
        .find(|e| e.request.url.path == "/authorize")
        .unwrap();
    assert_eq!(
        query_value(&authorize.request.url, "resource").as_deref(),
        Some("https://notes.attacker.example/mcp")
    );
}

#[test]
fn rfc9728_3_3_forged_metadata_is_refused_before_the_agent_asks_for_anything() {
    let off = run(AgentAttack::ForgedResourceMetadata, false);
    let (exchange, gained) = succeeded(&off);
    assert_eq!(
        (exchange.from, exchange.to),
        (Party::Attacker, Party::ToolServer)
    );
    assert!(gained.contains("Created"), "{gained}");

    let on = run(AgentAttack::ForgedResourceMetadata, true);
    let (exchange, error) = stopped(&on);
    assert_eq!(exchange.from, Party::Client);
    assert_eq!(exchange.to, Party::Attacker);
    assert_eq!(
        exchange.request.url.path,
        "/.well-known/oauth-protected-resource/mcp"
    );
    assert!(error.contains("https://tools.example/mcp"), "{error}");
    assert!(on.trace.iter().all(|e| e.request.url.path != "/authorize"));
}

#[test]
fn cimd_8_1_a_document_with_a_foreign_redirect_is_refused_and_no_code_leaves() {
    let off = run(AgentAttack::ClientIdMetadataRedirect, false);
    let (exchange, gained) = succeeded(&off);
    assert_eq!(
        (exchange.from, exchange.to),
        (Party::Attacker, Party::ToolServer)
    );
    assert!(gained.contains("Created"), "{gained}");
    assert!(off.trace.iter().any(|e| e.to == Party::Attacker
        && e.request.url.path == "/callback"
        && query_value(&e.request.url, "code").is_some()));

    let on = run(AgentAttack::ClientIdMetadataRedirect, true);
    let (exchange, error) = stopped(&on);
    assert_eq!(exchange.request.url.path, "/authorize");
    assert_eq!(exchange.response.status, 400);
    assert!(
        error.contains("https://attacker.example/callback"),
        "{error}"
    );
    assert!(on.trace.iter().all(|e| e.to != Party::Attacker));
}

#[test]
fn cimd_8_6_a_client_id_on_the_metadata_address_is_never_fetched() {
    let off = run(AgentAttack::ClientIdMetadataSsrf, false);
    let (exchange, gained) = succeeded(&off);
    assert_eq!(exchange.from, Party::AuthorizationServer);
    assert_eq!(exchange.request.url.origin, "https://169.254.169.254");
    assert_eq!(exchange.response.status, 200);
    assert!(gained.contains("credentials"), "{gained}");

    let on = run(AgentAttack::ClientIdMetadataSsrf, true);
    let (exchange, error) = stopped(&on);
    assert_eq!(exchange.request.url.path, "/authorize");
    assert!(error.contains("special-use"), "{error}");
    assert!(
        on.trace
            .iter()
            .all(|e| e.request.url.origin != "https://169.254.169.254")
    );
}
