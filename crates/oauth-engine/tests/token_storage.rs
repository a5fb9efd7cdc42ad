//! Where a browser app keeps its tokens: four architectures signed in for
//! real, attacked by the same injected script with the four scenarios of
//! draft-ietf-oauth-browser-based-apps-26 section 5.1, then the tab closed.
//! Each test names the section whose conclusion the run reproduces; the
//! outcome is read from the trace, so each can fail.

use oauth_engine::http::{Method, Response};
use oauth_engine::sim::token_storage::{
    ATTACKER_WAITS, Architecture, Credential, Lasts, Place, ScriptAccess, StorageRun,
    compare_storage, run_architecture,
};
use oauth_engine::sim::trace::{Exchange, Party};

#[cfg(target_arch = "wasm32")]
use wasm_bindgen_test::wasm_bindgen_test as test;
#[cfg(target_arch = "wasm32")]
wasm_bindgen_test::wasm_bindgen_test_configure!(run_in_browser);

fn run(architecture: Architecture) -> StorageRun {
    let run = run_architecture(architecture, 7, oauth_engine::keys::demo_key());
    assert_eq!(run.stopped, None, "{architecture:?} stopped");
    run
}

/// What reached the attacker's site, in order: each request's query.
fn sent_to_attacker(run: &StorageRun) -> Vec<(usize, Vec<String>)> {
    run.trace
        .iter()
        .enumerate()
        .filter(|(_, exchange)| exchange.to == Party::Attacker)
        .map(|(step, exchange)| {
            let names = exchange.request.url.query_pairs().unwrap_or_default();
            (step, names.into_iter().map(|(name, _)| name).collect())
        })
        .collect()
}

/// The script's requests to the authorization server, with their answers.
fn script_at_server(run: &StorageRun) -> Vec<&Exchange> {
    run.script_steps
        .iter()
        .map(|&step| &run.trace[step])
        .filter(|exchange| exchange.to == Party::AuthorizationServer)
        .collect()
}

fn json_error(response: &Response) -> String {
    response.json_body().unwrap_or_default()["error"]
        .as_str()
        .unwrap_or_default()
        .to_owned()
}

#[test]
fn section_5_1_1_tokens_in_local_storage_are_taken_at_once() {
    let run = run(Architecture::LocalStorage);
    let outcome = run.outcome();
    // The script's very first request carries both tokens off.
    assert_eq!(outcome.access_token, Some(run.script_from));
    assert_eq!(outcome.refresh_token, Some(run.script_from));
    assert_eq!(
        sent_to_attacker(&run)[0].1,
        ["access_token", "refresh_token"]
    );
}

#[test]
fn section_8_4_tokens_in_memory_are_taken_when_the_app_uses_them() {
    let run = run(Architecture::Memory);
    let outcome = run.outcome();
    // Nothing at once: the first theft follows the app's own refresh,
    // whose request and answer the wrapped fetch saw.
    let refresh = run.trace[run.script_from..]
        .iter()
        .position(|exchange| {
            exchange.from == Party::Client && exchange.request.url.path == "/token"
        })
        .map(|offset| run.script_from + offset)
        .expect("the app refreshed");
    let first_theft = outcome.access_token.expect("an access token taken");
    assert!(first_theft > refresh);
    assert_eq!(outcome.refresh_token, Some(first_theft));
    // What was taken is what the refresh answered: the newest tokens.
    let answered = run.trace[refresh].response.json_body().unwrap();
    let taken = run.trace[first_theft].request.url.query_pairs().unwrap();
    assert!(taken.contains(&(
        "refresh_token".into(),
        answered["refresh_token"].as_str().unwrap().into()
    )));
}

#[test]
fn section_5_1_3_a_hidden_frame_gets_a_public_client_a_new_set_of_tokens() {
    for architecture in [Architecture::LocalStorage, Architecture::Memory] {
        let run = run(architecture);
        let at_server = script_at_server(&run);
        let [authorize, token] = at_server.as_slice() else {
            panic!("{architecture:?}: {} requests", at_server.len());
        };
        // prompt=none and the browser's session: a code, no sign-in page.
        assert!(authorize.request.url.target().contains("prompt=none"));
        assert_eq!(authorize.response.status, 302);
        assert!(
            authorize
                .response
                .headers
                .get("Location")
                .unwrap()
                .contains("code=")
        );
        // Redeemed with the script's own verifier: a full set of tokens.
        assert_eq!(token.response.status, 200, "{}", token.response.body);
        let body = token.response.json_body().unwrap();
        assert!(body["refresh_token"].is_string());
    }
}

#[test]
fn section_6_1_4_2_a_backends_code_is_useless_to_the_script_without_its_secret() {
    for architecture in [Architecture::TokenMediatingBackend, Architecture::Bff] {
        let run = run(architecture);
        let at_server = script_at_server(&run);
        let [authorize, token] = at_server.as_slice() else {
            panic!("{architecture:?}: {} requests", at_server.len());
        };
        assert_eq!(authorize.response.status, 302);
        assert_eq!(token.response.status, 401);
        assert_eq!(json_error(&token.response), "invalid_client");
    }
}

/// The token-mediating backend's page calls the API itself, on another
/// origin and with an Authorization header: the browser's CORS preflight
/// goes first (Fetch Standard, the CORS protocol), and the API's answer
/// names the app's origin. Its backend's own requests are not the page's
/// and carry no Origin.
#[test]
fn section_6_2_the_token_mediating_backends_page_calls_the_api_under_cors() {
    let run = run(Architecture::TokenMediatingBackend);
    let to_api: Vec<&Exchange> = run
        .trace
        .iter()
        .filter(|exchange| exchange.to == Party::ResourceServer && exchange.from == Party::Browser)
        .collect();
    let preflight = to_api.first().expect("the page calls the API");
    assert_eq!(preflight.request.method, Method::Options);
    assert_eq!(preflight.response.status, 204);
    assert_eq!(
        preflight
            .request
            .headers
            .get("Access-Control-Request-Headers"),
        Some("authorization")
    );
    let call = to_api[1];
    assert_eq!(call.request.method, Method::Get);
    assert_eq!(
        call.request.headers.get("Origin"),
        Some("https://app.example")
    );
    assert_eq!(
        call.response.headers.get("Access-Control-Allow-Origin"),
        Some("https://app.example")
    );
    for exchange in run
        .trace
        .iter()
        .filter(|exchange| exchange.from == Party::Client)
    {
        assert_eq!(
            exchange.request.headers.get("Origin"),
            None,
            "{}",
            exchange.request_line()
        );
    }
}

#[test]
fn section_6_2_4_a_token_mediating_backend_gives_away_access_tokens_only() {
    let run = run(Architecture::TokenMediatingBackend);
    let outcome = run.outcome();
    assert!(outcome.access_token.is_some());
    assert_eq!(outcome.refresh_token, None);
    assert!(outcome.after_close.is_some());
    // Until the stolen access token expires: its lifetime, less what had
    // passed since the backend handed it over.
    let lifetime = run.scenario.policy.access_token_lifetime;
    assert_eq!(outcome.lasts, Lasts::AccessToken(lifetime - ATTACKER_WAITS));
    // The backend's answers to the page never hold a refresh token.
    for exchange in &run.trace {
        if exchange.request.url.path == "/session/token" {
            assert!(!exchange.response.body.contains("refresh_token"));
        }
    }
}

#[test]
fn section_6_1_4_3_a_bff_leaves_only_requests_through_the_open_page() {
    let run = run(Architecture::Bff);
    let outcome = run.outcome();
    assert_eq!(outcome.access_token, None);
    assert_eq!(outcome.refresh_token, None);
    assert_eq!(outcome.after_close, None);
    assert_eq!(outcome.lasts, Lasts::NotAtAll);
    // While the page is open, the script gets the data through the BFF.
    let step = outcome.while_open.expect("the proxied call");
    assert_eq!(run.trace[step].from, Party::Browser);
    assert_eq!(run.trace[step].request.url.path, "/bff/profile");
    // No token ever reaches the browser.
    for exchange in &run.trace {
        if exchange.from == Party::Browser && exchange.to == Party::Client {
            assert!(!exchange.response.body.contains("access_token"));
        }
    }
}

#[test]
fn section_6_1_3_2_the_session_cookie_is_host_only_httponly_secure_and_strict() {
    let run = run(Architecture::Bff);
    let cookie = run
        .trace
        .iter()
        .filter(|exchange| exchange.to == Party::Client)
        .find_map(|exchange| exchange.response.headers.get("Set-Cookie"))
        .expect("the backend sets a cookie");
    assert!(cookie.starts_with("__Host-session="), "{cookie}");
    for attribute in ["Path=/", "Secure", "HttpOnly", "SameSite=Strict"] {
        assert!(cookie.contains(attribute), "{cookie} lacks {attribute}");
    }
    assert!(!cookie.contains("Domain"), "{cookie}");
}

#[test]
fn section_5_1_2_a_stolen_refresh_token_outlives_the_tab_rotation_sees_no_reuse() {
    for architecture in [Architecture::LocalStorage, Architecture::Memory] {
        let run = run(architecture);
        let outcome = run.outcome();
        let after = &run.trace[run.closed_at..];
        let refresh = after
            .iter()
            .find(|exchange| {
                exchange.from == Party::Attacker && exchange.request.url.path == "/token"
            })
            .expect("the attacker refreshes");
        assert_eq!(refresh.response.status, 200, "{}", refresh.response.body);
        assert!(outcome.after_close.is_some());
        assert_eq!(
            outcome.lasts,
            Lasts::RefreshToken(run.scenario.policy.refresh_token_lifetime)
        );
    }
}

#[test]
fn section_5_1_4_every_architecture_lets_the_script_act_while_the_tab_is_open() {
    for architecture in Architecture::ALL {
        let run = run(architecture);
        let step = run.outcome().while_open.expect("the script got the data");
        assert!(run.script_steps.contains(&step));
        assert!(step < run.closed_at);
        assert_eq!(run.trace[step].request.method, Method::Get);
        assert_eq!(run.trace[step].response.status, 200);
    }
}

#[test]
fn the_outcome_is_read_from_the_trace() {
    let mut run = run(Architecture::TokenMediatingBackend);
    assert!(run.outcome().after_close.is_some());
    // Without the attacker's requests after the tab closed, the same run
    // shows no access after it.
    run.trace.truncate(run.closed_at);
    let outcome = run.outcome();
    assert_eq!(outcome.after_close, None);
    assert_eq!(outcome.lasts, Lasts::NotAtAll);
    // Without its exfiltration, no token reached the attacker.
    run.trace.retain(|exchange| exchange.to != Party::Attacker);
    assert_eq!(run.outcome().access_token, None);
}

#[test]
fn what_the_page_can_reach_follows_the_architecture() {
    let held = |architecture| run(architecture).reach[0].held.clone();
    let local = held(Architecture::LocalStorage);
    assert!(
        local
            .iter()
            .all(|held| held.place == Place::LocalStorage && held.script == ScriptAccess::Reads)
    );
    assert_eq!(local.len(), 2);
    let memory = held(Architecture::Memory);
    assert!(
        memory
            .iter()
            .all(|held| held.script == ScriptAccess::SeesWhenUsed)
    );
    for architecture in [Architecture::TokenMediatingBackend, Architecture::Bff] {
        let held = held(architecture);
        let cookie = held
            .iter()
            .find(|held| held.credential == Credential::SessionCookie)
            .expect("a session cookie");
        assert_eq!(cookie.script, ScriptAccess::SendsUnread);
        let refresh = held
            .iter()
            .find(|held| held.credential == Credential::RefreshToken)
            .expect("a refresh token");
        assert_eq!(refresh.place, Place::Backend);
        assert_eq!(refresh.script, ScriptAccess::Nothing);
    }
    // Once the tab is closed only localStorage keeps anything, for the
    // next script that runs on the app's origin.
    let closed = |architecture| run(architecture).reach.last().unwrap().held.clone();
    assert_eq!(closed(Architecture::LocalStorage).len(), 2);
    assert!(closed(Architecture::Memory).is_empty());
}

#[test]
fn the_same_seed_gives_the_same_runs() {
    let (one, two) = (compare_storage(3), compare_storage(3));
    assert_eq!(one.len(), Architecture::ALL.len());
    for (one, two) in one.iter().zip(&two) {
        assert_eq!(one.trace, two.trace, "{:?}", one.architecture);
    }
}

#[test]
fn each_architecture_has_a_slug_a_title_and_its_sections() {
    for architecture in Architecture::ALL {
        assert_eq!(
            Architecture::from_slug(architecture.slug()),
            Some(architecture)
        );
        assert!(!architecture.title().is_empty());
        assert!(architecture.section().starts_with('6'));
        let sentences = architecture.summary().matches(". ").count() + 1;
        assert!((2..=3).contains(&sentences), "{architecture:?}");
    }
    assert_eq!(Architecture::from_slug("cookies"), None);
    // What the reach lists say, for the screen.
    let reach = run(Architecture::TokenMediatingBackend).reach;
    let words: Vec<String> = reach[1]
        .held
        .iter()
        .map(|held| {
            format!(
                "{} in {}: {}",
                held.credential.label(),
                held.place.label(),
                held.script.label()
            )
        })
        .collect();
    assert!(
        words.contains(
            &"Session cookie in an HttpOnly cookie: sends it without reading it".to_owned()
        ),
        "{words:?}"
    );
    assert!(
        words.contains(&"Refresh token in the backend: cannot reach it".to_owned()),
        "{words:?}"
    );
}
