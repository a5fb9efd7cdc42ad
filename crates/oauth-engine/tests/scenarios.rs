//! Whole runs: a scenario in, a trace out. Checks who talks to whom, on
//! which channel, what the browser gets to see, and where each failure stops.

mod common;

use common::names_in;
use oauth_engine::channel::Channel;
use oauth_engine::http::Method;
use oauth_engine::http::Url;
use oauth_engine::jose::SigningKey;
use oauth_engine::params::param_info;
use oauth_engine::server::{ClientAuthMethod, PkcePolicy, ServerPolicy};
use oauth_engine::sim::export::to_mermaid;
use oauth_engine::sim::flow::Flow;
use oauth_engine::sim::run::Run;
use oauth_engine::sim::scenario::{Incidents, Scenario, Timeline};
use oauth_engine::sim::trace::{Exchange, Party, browser_at, lanes};

#[cfg(target_arch = "wasm32")]
use wasm_bindgen_test::wasm_bindgen_test as test;
#[cfg(target_arch = "wasm32")]
wasm_bindgen_test::wasm_bindgen_test_configure!(run_in_browser);

fn key() -> SigningKey {
    oauth_engine::keys::demo_signing_key().unwrap()
}

fn run(scenario: &Scenario) -> Run {
    scenario.run(key())
}

/// (from, to, channel, method, path, status) of every exchange.
fn steps(run: &Run) -> Vec<(Party, Party, Channel, Method, String, u16)> {
    run.trace
        .iter()
        .map(|e| {
            (
                e.from,
                e.to,
                e.channel,
                e.request.method,
                e.request.url.path.clone(),
                e.response.status,
            )
        })
        .collect()
}

#[test]
fn spa_with_pkce_runs_from_redirect_to_api_call() {
    use Channel::*;
    use Method::*;
    use Party::*;
    let run = run(&Scenario::default());
    assert_eq!(run.stopped, None);
    assert_eq!(
        steps(&run),
        vec![
            (
                Browser,
                AuthorizationServer,
                Front,
                Get,
                "/authorize".into(),
                200
            ),
            (
                Browser,
                AuthorizationServer,
                Front,
                Post,
                "/login".into(),
                200
            ),
            (
                Browser,
                AuthorizationServer,
                Front,
                Post,
                "/consent".into(),
                302
            ),
            (Browser, Client, Front, Get, "/callback".into(), 200),
            (
                Client,
                AuthorizationServer,
                Back,
                Post,
                "/token".into(),
                200
            ),
            (Client, ResourceServer, Back, Get, "/profile".into(), 200),
            (Client, ResourceServer, Back, Get, "/profile".into(), 200),
        ]
    );
    for exchange in &run.trace {
        assert!(!exchange.explanation.is_empty());
        assert!(!exchange.rfc_refs.is_empty());
    }
}

#[test]
fn rfc6749_10_3_the_code_passes_through_the_browser_but_no_token_does() {
    let run = run(&Scenario::default());
    let tokens = run.client.tokens.clone().unwrap();
    let in_browser: String = run
        .browser
        .history
        .iter()
        .map(|url| url.to_string())
        .collect();
    assert!(in_browser.contains("code="));
    assert!(!in_browser.contains(tokens.access_token.secret()));
    assert!(!in_browser.contains(tokens.refresh_token.as_ref().unwrap().secret()));
    for exchange in run.trace.iter().filter(|e| e.channel == Channel::Front) {
        assert!(
            !exchange
                .to_http_text()
                .contains(tokens.access_token.secret())
        );
    }
}

#[test]
fn spa_keeps_state_and_verifier_in_its_session_storage() {
    let run = run(&Scenario::default());
    let origin = "https://spa.example";
    assert!(run.browser.stored(origin, "oauth_state").is_some());
    assert_eq!(
        run.browser
            .stored(origin, "pkce_code_verifier")
            .unwrap()
            .len(),
        43
    );
}

#[test]
fn the_same_scenario_replays_to_identical_bytes() {
    let text = |run: Run| {
        run.trace
            .iter()
            .map(|e| e.to_http_text())
            .collect::<String>()
    };
    assert_eq!(
        text(run(&Scenario::default())),
        text(run(&Scenario::default()))
    );
    let other_seed = Scenario {
        seed: 2,
        ..Scenario::default()
    };
    assert_ne!(text(run(&Scenario::default())), text(run(&other_seed)));
}

#[test]
fn scenarios_are_small_serde_data_with_defaults() {
    let scenario = Scenario::default();
    let json = serde_json::to_string(&scenario).unwrap();
    assert_eq!(serde_json::from_str::<Scenario>(&json).unwrap(), scenario);
    // A link carries only what differs from the default.
    assert_eq!(scenario.to_compact_json(), "{}");
    let mut changed = Scenario::default();
    changed.client.safeguards.use_pkce = false;
    changed.timeline.before_token_request = 61;
    let compact = changed.to_compact_json();
    assert_eq!(
        compact,
        r#"{"client":{"safeguards":{"use_pkce":false}},"timeline":{"before_token_request":61}}"#
    );
    assert_eq!(serde_json::from_str::<Scenario>(&compact).unwrap(), changed);
    // Anything left out takes its default, so a link can carry only changes.
    let partial: Scenario =
        serde_json::from_str(r#"{"timeline":{"before_token_request":61}}"#).unwrap();
    assert_eq!(partial.timeline.before_token_request, 61);
    assert_eq!(partial.policy, ServerPolicy::default());
    assert_eq!(
        serde_json::to_value(PkcePolicy::RequireS256).unwrap(),
        "require_s256"
    );
}

#[test]
fn rfc6749_4_1_2_waiting_past_the_code_lifetime_ends_in_invalid_grant() {
    let scenario = Scenario {
        timeline: Timeline {
            before_token_request: 61,
            ..Timeline::default()
        },
        ..Scenario::default()
    };
    let run = run(&scenario);
    assert_eq!(run.trace.last().unwrap().response.status, 400);
    assert!(
        run.stopped
            .unwrap()
            .contains("invalid_grant: the authorization code has expired")
    );
}

#[test]
fn an_expiring_token_is_refreshed_before_the_second_call() {
    let scenario = Scenario {
        timeline: Timeline {
            between_api_calls: 290,
            ..Timeline::default()
        },
        ..Scenario::default()
    };
    let run = run(&scenario);
    assert_eq!(run.stopped, None);
    let paths: Vec<&str> = run
        .trace
        .iter()
        .map(|e| e.request.url.path.as_str())
        .collect();
    assert_eq!(&paths[4..], ["/token", "/profile", "/token", "/profile"]);
    assert!(
        run.trace[6]
            .request
            .body
            .contains("grant_type=refresh_token")
    );
}

#[test]
fn rfc6750_3_1_without_proactive_refresh_a_401_triggers_one_refresh_and_retry() {
    let mut scenario = Scenario {
        timeline: Timeline {
            between_api_calls: 400,
            ..Timeline::default()
        },
        ..Scenario::default()
    };
    scenario.client.safeguards.proactive_refresh = false;
    let run = run(&scenario);
    assert_eq!(run.stopped, None);
    let statuses: Vec<u16> = run.trace[5..].iter().map(|e| e.response.status).collect();
    assert_eq!(statuses, [200, 401, 200, 200]);
    let challenge = run.trace[6]
        .response
        .headers
        .get("WWW-Authenticate")
        .unwrap();
    assert!(challenge.contains("the token has expired"));
}

#[test]
fn without_any_refresh_the_expired_token_stops_the_flow() {
    let mut scenario = Scenario {
        timeline: Timeline {
            between_api_calls: 400,
            ..Timeline::default()
        },
        ..Scenario::default()
    };
    scenario.client.safeguards.proactive_refresh = false;
    scenario.client.safeguards.retry_after_refresh = false;
    let stopped = run(&scenario).stopped.unwrap();
    assert!(stopped.starts_with("invalid_token"), "{stopped}");
}

#[test]
fn a_wrong_password_keeps_the_user_on_the_sign_in_page() {
    let mut scenario = Scenario::default();
    scenario.user.password = "guess".into();
    let run = run(&scenario);
    assert_eq!(run.trace.len(), 2);
    assert!(run.stopped.unwrap().contains("password is wrong"));
}

#[test]
fn rfc6749_4_1_2_1_a_denied_consent_reaches_the_client_as_access_denied() {
    let mut scenario = Scenario::default();
    scenario.user.approve = false;
    let run = run(&scenario);
    assert_eq!(run.trace.len(), 4);
    assert!(
        run.trace[3]
            .request
            .url
            .to_string()
            .contains("error=access_denied")
    );
    assert!(run.stopped.unwrap().starts_with("access_denied"));
}

#[test]
fn rfc6749_4_1_2_1_an_unregistered_redirect_uri_stops_at_an_error_page() {
    let mut scenario = Scenario::default();
    scenario.client.redirect_uri = "https://spa.example/elsewhere".into();
    let run = run(&scenario);
    assert_eq!(run.trace.len(), 1);
    assert_eq!(run.trace[0].response.status, 400);
    assert!(
        run.stopped
            .unwrap()
            .contains("is not registered for this client")
    );
}

#[test]
fn rfc7636_4_4_1_a_client_without_pkce_is_sent_back_with_invalid_request() {
    let mut scenario = Scenario::default();
    scenario.client.safeguards.use_pkce = false;
    let run = run(&scenario);
    assert_eq!(run.trace.len(), 2);
    assert_eq!(run.trace[1].to, Party::Client);
    assert!(run.stopped.unwrap().contains("code_challenge is required"));
}

#[test]
fn rfc9207_2_4_a_client_that_checks_iss_refuses_a_response_without_it() {
    let mut scenario = Scenario::default();
    scenario.policy.issuer_in_response = false;
    assert!(run(&scenario).stopped.unwrap().contains("RFC 9207"));
    scenario.client.safeguards.check_issuer = false;
    assert_eq!(run(&scenario).stopped, None);
}

#[test]
fn rfc6749_4_1_2_1_allowing_with_every_scope_unticked_is_access_denied() {
    let mut scenario = Scenario::default();
    scenario.user.granted_scope = Some(String::new());
    let run = run(&scenario);
    // The form goes as the browser sends it with no box ticked.
    let consent = &run.trace[2];
    assert!(consent.request.body.ends_with("&decision=approve"));
    assert!(!consent.request.body.contains("scope="));
    assert!(consent.explanation.contains("grants nothing"));
    assert!(
        run.trace[3]
            .request
            .url
            .to_string()
            .contains("error=access_denied")
    );
    assert!(run.stopped.unwrap().starts_with("access_denied"));
    assert!(run.client.tokens.is_none());
}

#[test]
fn the_user_can_grant_fewer_scopes_at_consent() {
    let mut scenario = Scenario::default();
    scenario.user.granted_scope = Some("read".into());
    let run = run(&scenario);
    assert_eq!(run.client.tokens.unwrap().scope, "read");
}

#[test]
fn rfc6749_2_3_1_a_confidential_web_app_authenticates_its_token_requests() {
    let mut scenario = Scenario::default();
    scenario.client.client_id = "webapp".into();
    scenario.client.client_secret = Some("webapp-secret".into());
    scenario.client.auth_method = ClientAuthMethod::ClientSecretBasic;
    scenario.client.redirect_uri = "https://webapp.example/callback".into();
    scenario.registration.client_secret = Some("webapp-secret".into());
    scenario.registration.redirect_uris = vec!["https://webapp.example/callback".into()];
    let run = run(&scenario);
    assert_eq!(run.stopped, None);
    let token = &run.trace[4];
    assert_eq!(
        (token.from, token.to),
        (Party::Client, Party::AuthorizationServer)
    );
    assert!(
        token
            .request
            .headers
            .get("Authorization")
            .unwrap()
            .starts_with("Basic ")
    );
    assert!(!token.request.body.contains("client_secret"));
    // A server-side client keeps nothing in the browser's storage.
    assert!(
        run.browser
            .stored("https://webapp.example", "pkce_code_verifier")
            .is_none()
    );
    assert!(run.browser.session_storage.is_empty());
}

fn service() -> Scenario {
    let mut scenario = Scenario {
        flow: Flow::ClientCredentials,
        ..Scenario::default()
    };
    scenario.client.client_id = "reporting-service".into();
    scenario.client.client_secret = Some("s3cret".into());
    scenario.registration.client_secret = Some("s3cret".into());
    scenario.client.auth_method = ClientAuthMethod::ClientSecretBasic;
    scenario.client.scope = "read".into();
    scenario.registration.redirect_uris.clear();
    scenario
}

#[test]
fn rfc6749_4_4_client_credentials_token_is_cached_until_near_expiry() {
    use Party::*;
    let cached = run(&service());
    assert_eq!(cached.stopped, None);
    let route: Vec<(Party, Party)> = cached.trace.iter().map(|e| (e.from, e.to)).collect();
    assert_eq!(
        route,
        [
            (Client, AuthorizationServer),
            (Client, ResourceServer),
            (Client, ResourceServer)
        ]
    );
    assert!(
        cached.trace[0]
            .request
            .headers
            .get("Authorization")
            .unwrap()
            .starts_with("Basic ")
    );

    let later = Scenario {
        timeline: Timeline {
            between_api_calls: 280,
            ..Timeline::default()
        },
        ..service()
    };
    let paths: Vec<String> = run(&later)
        .trace
        .iter()
        .map(|e| e.request.url.path.clone())
        .collect();
    assert_eq!(paths, ["/token", "/profile", "/token", "/profile"]);
}

#[test]
fn rfc6749_5_2_a_wrong_client_secret_stops_client_credentials() {
    let mut scenario = service();
    scenario.client.client_secret = Some("guess".into());
    let run = run(&scenario);
    assert_eq!(run.trace.len(), 1);
    assert_eq!(run.trace[0].response.status, 401);
    assert!(
        run.stopped
            .unwrap()
            .starts_with("invalid_client: wrong client secret")
    );
}

fn device() -> Scenario {
    let mut scenario = Scenario {
        flow: Flow::Device,
        ..Scenario::default()
    };
    scenario.client.client_id = "tv-app".into();
    scenario.client.scope = "read".into();
    scenario.registration.redirect_uris.clear();
    scenario
}

#[test]
fn rfc8628_the_device_polls_while_the_user_approves_on_their_phone() {
    use Channel::*;
    use Method::*;
    use Party::*;
    let run = run(&device());
    assert_eq!(run.stopped, None);
    assert_eq!(
        steps(&run),
        vec![
            (
                Client,
                AuthorizationServer,
                Back,
                Post,
                "/device_authorization".into(),
                200
            ),
            (
                Client,
                AuthorizationServer,
                Back,
                Post,
                "/token".into(),
                400
            ),
            (
                Client,
                AuthorizationServer,
                Back,
                Post,
                "/token".into(),
                400
            ),
            (
                Browser,
                AuthorizationServer,
                Front,
                Get,
                "/device".into(),
                200
            ),
            (
                Browser,
                AuthorizationServer,
                Front,
                Post,
                "/device".into(),
                200
            ),
            (
                Browser,
                AuthorizationServer,
                Front,
                Post,
                "/login".into(),
                200
            ),
            (
                Browser,
                AuthorizationServer,
                Front,
                Post,
                "/consent".into(),
                200
            ),
            (
                Client,
                AuthorizationServer,
                Back,
                Post,
                "/token".into(),
                200
            ),
            (Client, ResourceServer, Back, Get, "/profile".into(), 200),
            // Later, as in the code flow, the device calls again.
            (Client, ResourceServer, Back, Get, "/profile".into(), 200),
        ]
    );
    assert!(run.trace[1].response.body.contains("authorization_pending"));
}

#[test]
fn rfc8628_3_5_a_device_polling_too_fast_is_told_to_slow_down_and_does() {
    let mut scenario = device();
    scenario.timeline.device_poll_every = 2;
    scenario.timeline.device_user_delay = 20;
    let run = run(&scenario);
    assert_eq!(run.stopped, None);
    let errors: Vec<&str> = run
        .trace
        .iter()
        .filter(|e| e.response.status == 400)
        .map(|e| {
            if e.response.body.contains("slow_down") {
                "slow_down"
            } else {
                "pending"
            }
        })
        .collect();
    // The device started at 2 s; the server's interval is 5. After one
    // slow_down it waits 5 s longer (RFC 8628 section 3.5), 7 s, and the
    // server serves it again.
    assert_eq!(errors, ["pending", "slow_down", "pending", "pending"]);
    let poll_times: Vec<u64> = run
        .trace
        .iter()
        .filter(|e| e.request.url.path == "/token")
        .map(|e| e.at.0 - scenario.start_time)
        .collect();
    assert_eq!(&poll_times[..4], [2, 4, 11, 18]);
}

#[test]
fn rfc8628_3_5_a_user_slower_than_the_device_code_lifetime_ends_in_expired_token() {
    let mut scenario = device();
    scenario.timeline.device_user_delay = 700;
    let run = run(&scenario);
    assert!(run.stopped.unwrap().starts_with("expired_token"));
}

#[test]
fn rfc8628_3_5_a_denial_on_the_phone_stops_the_device_with_access_denied() {
    let mut scenario = device();
    scenario.user.approve = false;
    assert!(run(&scenario).stopped.unwrap().starts_with("access_denied"));
}

#[test]
fn rfc9700_4_2_a_third_party_on_the_callback_page_gets_the_code_only_under_unsafe_url() {
    use oauth_engine::sim::browser::ReferrerPolicy;
    let mut scenario = Scenario {
        callback_page_loads: vec!["https://analytics.example/pixel.gif".into()],
        ..Scenario::default()
    };
    let leak = |scenario: &Scenario| {
        let run = run(scenario);
        assert_eq!(run.stopped, None);
        let load = &run.trace[4];
        assert_eq!(
            (load.from, load.to, load.channel),
            (Party::Browser, Party::ThirdParty, Channel::Front)
        );
        load.request
            .headers
            .get("Referer")
            .unwrap_or_default()
            .to_owned()
    };
    // Browsers' default, strict-origin-when-cross-origin: the origin only.
    assert_eq!(leak(&scenario), "https://spa.example/");
    scenario.referrer_policy = ReferrerPolicy::UnsafeUrl;
    assert!(leak(&scenario).contains("code="));
}

#[test]
fn the_browser_keeps_the_servers_session_cookie_and_sends_it_with_consent() {
    let run = run(&Scenario::default());
    let login = &run.trace[1];
    assert!(
        login
            .response
            .headers
            .get("Set-Cookie")
            .unwrap()
            .contains("HttpOnly")
    );
    let consent = &run.trace[2];
    assert!(
        consent
            .request
            .headers
            .get("Cookie")
            .unwrap()
            .starts_with("as_session=")
    );
    assert!(run.browser.cookies["https://as.example"].contains_key("as_session"));
    // Nothing the authorization server sets is sent to the client's origin.
    assert!(run.trace[3].request.headers.get("Cookie").is_none());
}

#[test]
fn a_runs_debug_output_never_shows_the_tokens() {
    let run = run(&Scenario::default());
    let tokens = run.client.tokens.clone().unwrap();
    let debug = format!("{:?}", run.client);
    assert!(!debug.contains(tokens.access_token.secret()));
    assert!(!debug.contains(tokens.refresh_token.unwrap().secret()));
    assert!(debug.contains("AccessToken([redacted])"));
}

fn reloading() -> Scenario {
    Scenario {
        incidents: Incidents {
            reload_callback: true,
            ..Incidents::default()
        },
        ..Scenario::default()
    }
}

/// The `error` member of a JSON response body.
fn json_error(exchange: &Exchange) -> String {
    exchange
        .response
        .json_body()
        .and_then(|body| body["error"].as_str().map(str::to_owned))
        .unwrap_or_default()
}

#[test]
fn reloading_the_callback_replays_the_code_and_is_refused_with_invalid_grant() {
    let run = run(&reloading());
    let paths: Vec<&str> = run
        .trace
        .iter()
        .map(|e| e.request.url.path.as_str())
        .collect();
    assert_eq!(
        &paths[3..8],
        ["/callback", "/token", "/profile", "/callback", "/token"]
    );
    // The reload is a navigation to the very same callback URL.
    let (first, reload) = (&run.trace[3], &run.trace[6]);
    assert!(reload.navigates && reload.channel == Channel::Front);
    assert_eq!(reload.request.url, first.request.url);
    // The client sends the same code again, and the server refuses it.
    let replay = &run.trace[7];
    assert_eq!(replay.request.params(), run.trace[4].request.params());
    assert_eq!(replay.response.status, 400);
    assert_eq!(json_error(replay), "invalid_grant");
    for step in [reload, replay] {
        assert!(!step.explanation.is_empty());
        assert!(
            step.rfc_refs
                .iter()
                .any(|r| (r.rfc, r.section) == (6749, "4.1.2"))
        );
    }
    assert!(run.stopped.unwrap().starts_with("invalid_grant"));
}

#[test]
fn reused_code_revokes_the_tokens_it_issued() {
    // RFC 6749 section 4.1.2: the server SHOULD revoke what the code issued.
    let run = run(&reloading());
    let after = &run.trace[8];
    assert_eq!(after.request.url.path, "/profile");
    assert_eq!(after.response.status, 401);
    assert_eq!(json_error(after), "invalid_token");
    assert!(
        after
            .response
            .headers
            .get("WWW-Authenticate")
            .unwrap()
            .contains("the token has been revoked")
    );
    // The refresh token came from the same code: it is revoked too.
    let refresh = run.trace.last().unwrap();
    assert!(refresh.request.body.contains("grant_type=refresh_token"));
    assert_eq!(json_error(refresh), "invalid_grant");
    assert_eq!(
        run.stopped.as_deref(),
        Some("invalid_grant: the refresh token has been revoked")
    );

    // Without the retry, the run stops at the API's refusal.
    let mut no_retry = reloading();
    no_retry.client.safeguards.retry_after_refresh = false;
    assert!(
        self::run(&no_retry)
            .stopped
            .unwrap()
            .starts_with("invalid_token: the token has been revoked")
    );

    // A server that skips the revocation still refuses the code, but the
    // first tokens keep working.
    let mut lenient = reloading();
    lenient.policy.revoke_on_code_reuse = false;
    let run = self::run(&lenient);
    assert_eq!(run.stopped, None);
    assert_eq!(json_error(&run.trace[7]), "invalid_grant");
    assert_eq!(run.trace.last().unwrap().response.status, 200);

    // A server without single-use codes hands out a second set of tokens.
    let mut reusable = reloading();
    reusable.policy.single_use_codes = false;
    let run = self::run(&reusable);
    assert_eq!(run.stopped, None);
    assert_eq!(run.trace[7].response.status, 200);
}

#[test]
fn a_lost_verifier_is_refused_with_invalid_grant() {
    let mut scenario = Scenario::default();
    scenario.incidents.verifier_lost = true;
    let original = run(&Scenario::default());
    let run = run(&scenario);
    assert_eq!(run.trace.len(), 5);
    let token = &run.trace[4];
    assert_eq!(token.request.url.path, "/token");
    let verifier = |e: &Exchange| {
        e.request
            .params()
            .unwrap()
            .into_iter()
            .find(|(name, _)| name == "code_verifier")
            .map(|(_, value)| value)
    };
    // The verifier sent is not the one the challenge was made from, and it
    // is the one now in session storage: the other tab's.
    let sent = verifier(token).unwrap();
    assert_ne!(Some(sent.clone()), verifier(&original.trace[4]));
    assert_eq!(
        run.browser
            .stored("https://spa.example", "pkce_code_verifier"),
        Some(sent.as_str())
    );
    assert_eq!(json_error(token), "invalid_grant");
    assert!(
        token
            .rfc_refs
            .iter()
            .any(|r| (r.rfc, r.section) == (7636, "4.6"))
    );
    assert!(token.explanation.contains("other tab"));
    assert!(run.stopped.unwrap().contains("RFC 7636 section 4.6"));

    // Without PKCE (and a server that allows that) there is nothing to lose.
    scenario.client.safeguards.use_pkce = false;
    scenario.policy.pkce = PkcePolicy::Optional;
    assert_eq!(self::run(&scenario).stopped, None);
}

#[test]
fn incidents_are_scenario_data_that_default_to_off() {
    let old: Scenario = serde_json::from_str(r#"{"seed":3}"#).unwrap();
    assert_eq!(old.incidents, Incidents::default());
    let scenario = reloading();
    assert_eq!(
        scenario.to_compact_json(),
        r#"{"incidents":{"reload_callback":true}}"#
    );
    let back: Scenario = serde_json::from_str(&scenario.to_compact_json()).unwrap();
    assert_eq!(back, scenario);
}

#[test]
fn rfc6749_4_1_2_the_code_is_in_the_address_bar_at_the_callback_step_and_no_token_ever_is() {
    let run = run(&Scenario {
        callback_page_loads: vec!["https://analytics.example/pixel.gif".into()],
        ..Scenario::default()
    });
    assert_eq!(run.stopped, None);
    let tokens = run.client.tokens.clone().unwrap();
    let callback = 3;
    assert_eq!(run.trace[callback].request.url.path, "/callback");
    let at_callback = browser_at(&run.trace, callback);
    let address = at_callback.address.unwrap().to_string();
    assert!(address.starts_with("https://spa.example/callback?code="));
    // Before the redirect, no code in sight.
    let before = browser_at(&run.trace, callback - 1);
    assert!(!before.address.unwrap().to_string().contains("code="));
    // The third-party load is not a navigation: the address bar stays.
    assert!(!run.trace[callback + 1].navigates);
    assert_eq!(
        browser_at(&run.trace, callback + 1)
            .address
            .unwrap()
            .to_string(),
        address
    );
    for exchange in run.trace.iter().filter(|e| e.navigates) {
        let url = exchange.request.url.to_string();
        assert!(!url.contains(tokens.access_token.secret()));
        assert!(!url.contains("access_token"));
    }
}

#[test]
fn only_front_channel_browser_requests_navigate_and_they_replay_the_history() {
    for scenario in [Scenario::default(), reloading(), device(), service()] {
        let run = run(&scenario);
        for exchange in &run.trace {
            if exchange.navigates {
                assert_eq!(
                    (exchange.from, exchange.channel),
                    (Party::Browser, Channel::Front)
                );
            }
        }
        // The last step's view is what the run's browser ended up with, and
        // a step past the end reads as the last.
        let last = browser_at(&run.trace, run.trace.len() - 1);
        assert_eq!(last.history, run.browser.history);
        assert_eq!(last.address, run.browser.address);
        assert_eq!(browser_at(&run.trace, usize::MAX), last);
    }
    // The phone's visits in the device flow are navigations too.
    let run = run(&device());
    let visited: Vec<String> = run.browser.history.iter().map(|u| u.path.clone()).collect();
    assert_eq!(visited, ["/device", "/device", "/login", "/consent"]);
    assert_eq!(browser_at(&[], 0), Default::default());
}

#[test]
fn lanes_are_the_parties_present_in_diagram_order() {
    use Party::*;
    assert_eq!(
        lanes(&run(&Scenario::default()).trace),
        [Browser, Client, AuthorizationServer, ResourceServer]
    );
    assert_eq!(
        lanes(&run(&service()).trace),
        [Client, AuthorizationServer, ResourceServer]
    );
    let leaky = Scenario {
        callback_page_loads: vec!["https://analytics.example/pixel.gif".into()],
        ..Scenario::default()
    };
    assert_eq!(lanes(&run(&leaky).trace).last(), Some(&ThirdParty));
    assert_eq!(Client.lane_label(Flow::Device), "Device (client)");
    assert_eq!(Client.lane_label(Flow::AuthorizationCode), "Client");
    assert_eq!(Browser.lane_label(Flow::Device), "User and browser");
}

#[test]
fn request_and_status_lines_label_steps_without_the_query() {
    let run = run(&Scenario::default());
    assert_eq!(run.trace[0].request_line(), "GET /authorize");
    assert_eq!(run.trace[2].status_line(), "302 Found");
    assert_eq!(run.trace[3].request_line(), "GET /callback");
    assert_eq!(run.trace[4].request_line(), "POST /token");
}

#[test]
fn a_run_exports_to_mermaid_without_any_code_or_token() {
    let run = run(&reloading());
    let diagram = to_mermaid(&run.trace, Flow::AuthorizationCode);
    assert!(diagram.starts_with("sequenceDiagram\n    autonumber\n"));
    assert_eq!(diagram.matches("->>").count(), run.trace.len() * 2);
    assert_eq!(diagram.matches("-->>").count(), run.trace.len());
    assert_eq!(diagram.matches("    rect ").count(), run.trace.len());
    assert!(diagram.contains("B->>C: GET /callback (front channel)\n"));
    assert!(diagram.contains("C->>AS: POST /token (back channel)\n"));
    assert!(diagram.contains("AS-->>C: 400 Bad Request\n"));
    let tokens = run.client.tokens.unwrap();
    assert!(!diagram.contains(tokens.access_token.secret()));
    assert!(!diagram.contains("code="));
    assert!(!diagram.contains(';') && !diagram.contains('#'));
    let device = self::run(&device());
    assert!(to_mermaid(&device.trace, Flow::Device).contains("participant C as Device (client)\n"));
}

#[test]
fn a_token_request_exports_to_a_curl_command() {
    let mut scenario = Scenario::default();
    scenario.client.client_id = "webapp".into();
    scenario.client.client_secret = Some("it's-secret".into());
    scenario.client.auth_method = ClientAuthMethod::ClientSecretPost;
    scenario.client.redirect_uri = "https://webapp.example/callback".into();
    scenario.registration.client_secret = Some("it's-secret".into());
    scenario.registration.redirect_uris = vec!["https://webapp.example/callback".into()];
    let run = run(&scenario);
    assert_eq!(run.stopped, None);
    let curl = run.trace[4].request.to_curl();
    assert!(curl.starts_with("curl -X POST 'https://as.example/token' \\\n  -H "));
    assert!(curl.contains(" \\\n  -H 'Content-Type: application/x-www-form-urlencoded' \\\n  "));
    // The body is one quoted word, exactly as sent: form encoding has
    // already turned the secret's quote into %27 (the shell quoting of a
    // raw quote is the unit test's).
    let body = &run.trace[4].request.body;
    assert!(curl.ends_with(&format!("--data-raw '{body}'")));
    assert!(body.contains("client_secret=it%27s-secret"));
    let api = run.trace[5].request.to_curl();
    assert!(api.starts_with("curl 'https://api.example/profile' \\\n  -H 'Authorization: Bearer "));
    assert!(!api.contains("-X") && !api.contains("--data-raw"));
}

#[test]
fn every_parameter_member_and_header_in_every_trace_has_a_glossary_entry() {
    let mut openid = Scenario::default();
    openid.client.scope = "openid profile read".into();
    openid.registration.allowed_scope = "openid profile read write".into();
    let mut denied = Scenario::default();
    denied.user.approve = false;
    let mut narrowed = Scenario::default();
    narrowed.user.granted_scope = Some("read".into());
    let expired = Scenario {
        timeline: Timeline {
            before_token_request: 61,
            ..Timeline::default()
        },
        ..Scenario::default()
    };
    let mut no_pkce = Scenario::default();
    no_pkce.client.safeguards.use_pkce = false;
    let mut wrong_secret = service();
    wrong_secret.client.client_secret = Some("guess".into());
    let mut posted_secret = service();
    posted_secret.client.auth_method = ClientAuthMethod::ClientSecretPost;
    let mut unavailable = Scenario::default();
    unavailable.policy.unavailable = true;
    let mut lost = Scenario::default();
    lost.incidents.verifier_lost = true;
    let leaky = Scenario {
        callback_page_loads: vec!["https://analytics.example/pixel.gif".into()],
        ..Scenario::default()
    };
    let late_device = Scenario {
        timeline: Timeline {
            device_poll_every: 2,
            device_user_delay: 20,
            ..Timeline::default()
        },
        ..device()
    };
    let scenarios = [
        Scenario::default(),
        service(),
        device(),
        late_device,
        openid,
        denied,
        narrowed,
        expired,
        no_pkce,
        wrong_secret,
        posted_secret,
        unavailable,
        lost,
        leaky,
        reloading(),
        Scenario::implicit(),
        Scenario {
            callback_page_loads: vec!["https://analytics.example/a.js".into()],
            ..Scenario::implicit()
        },
    ];
    let mut seen = 0;
    for scenario in &scenarios {
        for exchange in &run(scenario).trace {
            for name in names_in(exchange) {
                assert!(
                    param_info(&name).is_some(),
                    "no glossary entry for {name} ({})",
                    exchange.request_line()
                );
                seen += 1;
            }
        }
    }
    assert!(seen > 100);
    // What a run's text shows besides: the request line's headers.
    assert!(param_info("Host").is_some() && param_info("Content-Length").is_some());
}

fn profile_name(run: &Run) -> serde_json::Value {
    let call = run
        .trace
        .iter()
        .find(|e| e.request.url.path == "/profile")
        .unwrap();
    call.response.json_body().unwrap()
}

#[test]
fn rfc6750_the_api_answers_with_the_profile_of_the_tokens_subject() {
    assert_eq!(
        profile_name(&run(&Scenario::default()))["name"],
        "Alice Liddell"
    );
    let mut bob = Scenario::default();
    bob.user.username = "bob".into();
    bob.user.password = "builder".into();
    let body = profile_name(&run(&bob));
    assert_eq!(body["name"], "Bob Builder");
    assert_eq!(body["sub"], "user-bob");
    let mut mallory = Scenario::default();
    mallory.user.username = "mallory".into();
    mallory.user.password = "evil".into();
    assert_eq!(
        profile_name(&run(&mallory))["name"],
        "Mallory (the attacker)"
    );
    // RFC 6749 section 4.4: a client credentials token speaks for the
    // client itself, which has no profile of a person.
    let body = profile_name(&run(&service()));
    assert_eq!(body["client"], "reporting-service");
    assert_eq!(body["sub"], "reporting-service");
    assert!(body.get("name").is_none());
}

#[test]
fn rfc6749_4_2_the_implicit_grant_returns_the_token_in_the_fragment_and_no_refresh_token() {
    use Channel::*;
    use Method::*;
    use Party::*;
    let run = run(&Scenario::implicit());
    assert_eq!(run.stopped, None);
    assert_eq!(
        steps(&run),
        vec![
            (
                Browser,
                AuthorizationServer,
                Front,
                Get,
                "/authorize".into(),
                200
            ),
            (
                Browser,
                AuthorizationServer,
                Front,
                Post,
                "/login".into(),
                200
            ),
            (
                Browser,
                AuthorizationServer,
                Front,
                Post,
                "/consent".into(),
                302
            ),
            (Browser, Client, Front, Get, "/callback".into(), 200),
            (Client, ResourceServer, Back, Get, "/profile".into(), 200),
            (Client, ResourceServer, Back, Get, "/profile".into(), 200),
        ]
    );
    let authorize = run.trace[0].request.url.query.clone().unwrap();
    assert!(authorize.contains("response_type=token") && authorize.contains("state="));
    // PKCE does not apply: there is no token request to check it at.
    assert!(!authorize.contains("code_challenge"));
    let tokens = run.client.tokens.clone().unwrap();
    assert!(tokens.refresh_token.is_none());
    let location = run.trace[2].response.headers.get("Location").unwrap();
    assert!(location.starts_with("https://spa.example/callback#access_token="));
    assert!(location.contains("token_type=Bearer") && location.contains("expires_in=300"));
    // The callback request carries no fragment; the browser keeps it.
    let callback = &run.trace[3];
    assert_eq!(callback.request.url.fragment, None);
    assert!(
        !callback
            .to_http_text()
            .contains(tokens.access_token.secret())
    );
    let browser = browser_at(&run.trace, 3);
    assert!(
        browser
            .address
            .unwrap()
            .to_string()
            .contains(tokens.access_token.secret())
    );
    assert_eq!(run.browser.history, browser_at(&run.trace, 99).history);
    for exchange in &run.trace {
        assert!(!exchange.explanation.is_empty() && !exchange.rfc_refs.is_empty());
    }
}

#[test]
fn rfc9700_2_1_2_a_server_without_the_implicit_grant_refuses_response_type_token() {
    let scenario = Scenario {
        flow: Flow::Implicit,
        ..Scenario::default()
    };
    let run = run(&scenario);
    assert!(
        run.stopped
            .as_deref()
            .unwrap()
            .starts_with("unsupported_response_type"),
        "{:?}",
        run.stopped
    );
}

#[test]
fn rfc6749_4_2_2_1_a_denied_implicit_request_reports_access_denied_in_the_fragment() {
    let mut scenario = Scenario::implicit();
    scenario.user.approve = false;
    let run = run(&scenario);
    let location = run.trace[2].response.headers.get("Location").unwrap();
    assert!(location.contains("#error=access_denied"), "{location}");
    assert!(run.stopped.unwrap().starts_with("access_denied"));
}

#[test]
fn rfc6749_10_12_a_client_that_checks_state_refuses_a_callback_it_never_asked_for() {
    use oauth_engine::sim::client::{Client, ClientError, ClientSettings};
    let mut client = Client::new(ClientSettings::default());
    let callback =
        Url::parse("https://spa.example/callback?code=abc&iss=https%3A%2F%2Fas.example").unwrap();
    assert_eq!(
        client.handle_callback(&callback, "https://as.example"),
        Err(ClientError::StateMismatch)
    );
    let mut careless = ClientSettings::default();
    careless.safeguards.check_state = false;
    let mut client = Client::new(careless);
    assert!(
        client
            .handle_callback(&callback, "https://as.example")
            .is_ok()
    );
}

#[test]
fn the_implicit_flow_round_trips_through_compact_json() {
    let scenario = Scenario::implicit();
    let json = scenario.to_compact_json();
    assert!(json.contains("\"flow\":\"implicit\""), "{json}");
    assert_eq!(serde_json::from_str::<Scenario>(&json).unwrap(), scenario);
}
