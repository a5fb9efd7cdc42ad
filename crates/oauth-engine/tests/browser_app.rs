//! A single-page app whose requests are the page's cross-origin fetches:
//! whole runs under the browser's CORS protocol (Fetch Standard), with the
//! preflight where one is needed, the servers' `Access-Control-Allow-Origin`,
//! the preflight cache, and each way a server that does not allow the app's
//! origin stops the flow. Each test names the rule it checks.

mod common;

use oauth_engine::http::Method;
use oauth_engine::sim::page_fetch::{APP_ORIGIN, BrowserApp};
use oauth_engine::sim::run::Run;
use oauth_engine::sim::scenario::{Scenario, Timeline};
use oauth_engine::sim::trace::{Exchange, Party};

#[cfg(target_arch = "wasm32")]
use wasm_bindgen_test::wasm_bindgen_test as test;
#[cfg(target_arch = "wasm32")]
wasm_bindgen_test::wasm_bindgen_test_configure!(run_in_browser);

fn run(scenario: &Scenario) -> Run {
    common::supported_run(scenario)
}

/// The default single-page app, in the page, both servers allowing it.
fn spa() -> Scenario {
    Scenario {
        browser_app: Some(BrowserApp::default()),
        ..Scenario::default()
    }
}

/// `spa()` with `change` made to what the servers allow.
fn spa_where(change: impl FnOnce(&mut BrowserApp)) -> Scenario {
    let mut scenario = spa();
    if let Some(app) = &mut scenario.browser_app {
        change(app);
    }
    scenario
}

/// (from, method, path) of every step.
fn steps(run: &Run) -> Vec<(Party, Method, &str)> {
    run.trace
        .iter()
        .map(|e| (e.from, e.request.method, e.request.url.path.as_str()))
        .collect()
}

fn header<'e>(exchange: &'e Exchange, name: &str) -> Option<&'e str> {
    exchange.response.headers.get(name)
}

fn the<'r>(run: &'r Run, method: Method, path: &str) -> Vec<&'r Exchange> {
    run.trace
        .iter()
        .filter(|e| e.request.method == method && e.request.url.path == path)
        .collect()
}

#[test]
fn the_token_request_is_a_simple_request_sent_with_the_page_origin() {
    let run = run(&spa());
    assert_eq!(run.stopped, None);
    let token = the(&run, Method::Post, "/token");
    assert_eq!(token.len(), 1);
    assert_eq!(token[0].request.headers.get("Origin"), Some(APP_ORIGIN));
    assert_eq!(
        header(token[0], "Access-Control-Allow-Origin"),
        Some(APP_ORIGIN)
    );
    assert!(
        the(&run, Method::Options, "/token").is_empty(),
        "a form post with no other header needs no preflight"
    );
}

#[test]
fn the_api_call_with_a_bearer_token_is_preflighted_by_the_browser() {
    let run = run(&spa());
    let api_steps: Vec<_> = steps(&run)
        .into_iter()
        .filter(|(_, _, path)| *path == "/profile")
        .collect();
    assert_eq!(
        api_steps,
        [
            (Party::Browser, Method::Options, "/profile"),
            (Party::Client, Method::Get, "/profile"),
            (Party::Client, Method::Get, "/profile"),
        ],
        "one preflight, kept for the second call"
    );
    let preflight = the(&run, Method::Options, "/profile")[0];
    assert_eq!(preflight.to, Party::ResourceServer);
    assert_eq!(
        preflight
            .request
            .headers
            .get("Access-Control-Request-Headers"),
        Some("authorization")
    );
    assert!(
        preflight.request.headers.get("Authorization").is_none(),
        "the preflight carries no token"
    );
    assert_eq!(
        header(preflight, "Access-Control-Allow-Headers"),
        Some("authorization")
    );
}

#[test]
fn the_preflight_is_sent_again_once_its_max_age_has_passed() {
    let mut scenario = spa();
    // The API allows a preflight's answer to be kept 600 s.
    scenario.timeline = Timeline {
        between_api_calls: 600,
        ..Timeline::default()
    };
    scenario.policy.access_token_lifetime = 3600;
    let run = run(&scenario);
    assert_eq!(run.stopped, None);
    assert_eq!(the(&run, Method::Options, "/profile").len(), 2);
}

#[test]
fn dpop_proofs_make_the_token_request_need_a_preflight() {
    let mut scenario = spa();
    scenario.client.dpop = true;
    let run = run(&scenario);
    assert_eq!(run.stopped, None);
    let preflight = the(&run, Method::Options, "/token");
    assert_eq!(preflight.len(), 1);
    assert_eq!(
        preflight[0]
            .request
            .headers
            .get("Access-Control-Request-Headers"),
        Some("dpop")
    );
}

#[test]
fn an_authorization_server_that_does_not_allow_the_origin_hides_the_tokens() {
    let run = run(&spa_where(|app| app.server_allows.clear()));
    let stopped = run.stopped.as_deref().unwrap_or_default();
    assert!(
        stopped.contains(
            "Access to fetch at 'https://as.example/token' from origin 'https://spa.example' \
             has been blocked by CORS policy: No 'Access-Control-Allow-Origin' header"
        ),
        "{stopped}"
    );
    // CORS protects the answer, not the server: the code was redeemed.
    let token = the(&run, Method::Post, "/token");
    assert_eq!(token.len(), 1);
    assert_eq!(token[0].response.status, 200);
    assert!(token[0].explanation.contains("handled all the same"));
    assert!(run.client.tokens.is_none(), "the app never read the tokens");
    assert!(the(&run, Method::Get, "/profile").is_empty());
}

#[test]
fn an_origin_with_a_trailing_slash_does_not_match_the_page_origin() {
    let run = run(&spa_where(|app| {
        app.server_allows = vec![format!("{APP_ORIGIN}/")]
    }));
    assert!(
        run.stopped
            .as_deref()
            .is_some_and(|stopped| stopped.contains("No 'Access-Control-Allow-Origin'")),
        "{:?}",
        run.stopped
    );
}

#[test]
fn an_api_that_does_not_allow_the_origin_refuses_the_preflight_and_gets_no_request() {
    let run = run(&spa_where(|app| {
        app.api_allows = vec!["https://other.example".into()]
    }));
    let stopped = run.stopped.as_deref().unwrap_or_default();
    assert!(
        stopped.contains(
            "Response to preflight request doesn't pass access control check: No \
             'Access-Control-Allow-Origin' header"
        ),
        "{stopped}"
    );
    assert_eq!(the(&run, Method::Options, "/profile").len(), 1);
    assert!(
        the(&run, Method::Get, "/profile").is_empty(),
        "a refused preflight keeps the request from being sent"
    );
    assert!(run.client.tokens.is_some(), "the token request was allowed");
}

#[test]
fn a_client_outside_the_browser_sends_no_origin_and_gets_no_cors_headers() {
    let run = run(&Scenario::default());
    assert!(the(&run, Method::Options, "/profile").is_empty());
    for exchange in &run.trace {
        assert!(exchange.request.headers.get("Origin").is_none());
        assert!(header(exchange, "Access-Control-Allow-Origin").is_none());
    }
}

#[test]
fn the_page_own_navigations_are_not_cross_origin_fetches() {
    let run = run(&spa());
    for exchange in run.trace.iter().filter(|e| e.navigates) {
        assert!(exchange.request.headers.get("Origin").is_none());
    }
}
