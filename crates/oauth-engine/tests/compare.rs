//! Implicit grant against authorization code with PKCE: the same login,
//! and where each credential can be seen, step by step.

use oauth_engine::channel::Channel;
use oauth_engine::sim::compare::{Comparison, Credential, Place, Side, VerdictRow, compare};
use oauth_engine::sim::trace::{Party, browser_at};

#[cfg(target_arch = "wasm32")]
use wasm_bindgen_test::wasm_bindgen_test as test;
#[cfg(target_arch = "wasm32")]
wasm_bindgen_test::wasm_bindgen_test_configure!(run_in_browser);

fn comparison() -> Comparison {
    compare(1)
}

fn access_token(side: &Side) -> String {
    side.run
        .client
        .tokens
        .as_ref()
        .unwrap()
        .access_token
        .secret()
        .to_owned()
}

fn cell(comparison: &Comparison, row: VerdictRow) -> (bool, String, bool, String) {
    let verdict = comparison.verdicts.iter().find(|v| v.row == row).unwrap();
    (
        verdict.implicit.good,
        verdict.implicit.text.clone(),
        verdict.code.good,
        verdict.code.text.clone(),
    )
}

/// The index of the browser's navigation to the callback.
fn callback_step(side: &Side) -> usize {
    side.run
        .trace
        .iter()
        .position(|e| e.navigates && e.request.url.path == "/callback")
        .unwrap()
}

#[test]
fn both_sides_are_the_same_login_of_alice_at_the_same_client() {
    let c = comparison();
    for side in [&c.implicit, &c.code] {
        assert_eq!(side.run.stopped, None, "{}", side.title);
        let authorize = &side.run.trace[0].request.url;
        let query = authorize.query.as_deref().unwrap();
        assert!(query.contains("client_id=spa"));
        assert!(query.contains("redirect_uri=https%3A%2F%2Fspa.example%2Fcallback"));
        let login = &side.run.trace[1].request.body;
        assert!(login.contains("username=alice"));
        let call = side
            .run
            .trace
            .iter()
            .find(|e| e.from == Party::Client && e.request.url.path == "/profile")
            .unwrap();
        assert_eq!(call.response.json_body().unwrap()["name"], "Alice Liddell");
        // The callback page loads the analytics script, which reports home.
        assert!(side.run.trace.iter().any(|e| {
            e.from == Party::Browser
                && e.to == Party::ThirdParty
                && e.channel == Channel::Front
                && e.request.url.to_string() == "https://analytics.example/a.js"
        }));
    }
    assert!(
        c.implicit.run.trace[0]
            .request
            .url
            .query
            .as_deref()
            .unwrap()
            .contains("response_type=token")
    );
    let code_query = c.code.run.trace[0].request.url.query.clone().unwrap();
    assert!(code_query.contains("response_type=code"));
    assert!(code_query.contains("code_challenge_method=S256"));
}

#[test]
fn rfc3986_3_5_the_fragment_stays_in_the_browser_and_is_never_sent() {
    let c = comparison();
    let side = &c.implicit;
    let token = access_token(side);
    let step = callback_step(side);
    let callback = &side.run.trace[step];
    assert_eq!(callback.to, Party::Client);
    assert_eq!(callback.request.url.fragment, None);
    assert!(!callback.to_http_text().contains(&token));
    assert!(callback.fragment.as_deref().unwrap().contains(&token));
    let browser = browser_at(&side.run.trace, step);
    assert!(browser.address.unwrap().to_string().contains(&token));
}

#[test]
fn the_analytics_beacon_carries_the_whole_location_href() {
    let c = comparison();
    let token = access_token(&c.implicit);
    let beacon = c
        .implicit
        .run
        .trace
        .iter()
        .find(|e| e.request.url.path == "/collect")
        .unwrap();
    assert_eq!(
        (beacon.from, beacon.to, beacon.channel, beacon.navigates),
        (Party::Browser, Party::ThirdParty, Channel::Front, false)
    );
    let page = beacon
        .request
        .url
        .query_pairs()
        .unwrap()
        .into_iter()
        .find(|(n, _)| n == "page")
        .unwrap()
        .1;
    assert_eq!(
        page,
        format!("https://spa.example/callback#{}", beacon_fragment(&c))
    );
    assert!(page.contains(&token));
}

fn beacon_fragment(c: &Comparison) -> String {
    c.implicit.run.trace[callback_step(&c.implicit)]
        .fragment
        .clone()
        .unwrap()
}

#[test]
fn the_implicit_token_is_in_the_address_bar_and_history_from_the_callback_step() {
    let c = comparison();
    let side = &c.implicit;
    let step = callback_step(side);
    let has = |at: usize, place: Place| {
        side.exposures_at(at)
            .iter()
            .any(|e| e.credential == Credential::AccessToken && e.place == place)
    };
    assert!(!has(step - 1, Place::AddressBar));
    assert!(!has(step - 1, Place::History));
    assert!(has(step, Place::AddressBar));
    assert!(has(step, Place::History));
    let exposure = side
        .exposures_at(step)
        .into_iter()
        .find(|e| e.place == Place::AddressBar)
        .unwrap();
    assert_eq!(exposure.step, step);
    assert!(exposure.detail.contains("fragment"));
    // The page's script sends it on; the analytics server logs it.
    let last = side.run.trace.len() - 1;
    assert!(has(last, Place::PageScript));
    assert!(has(last, Place::ServerLog));
    // Never in a Referer: a Referer has no fragment.
    assert!(!has(last, Place::Referer));
    // There is no refresh token anywhere.
    assert!(
        side.exposures_at(last)
            .iter()
            .all(|e| e.credential != Credential::RefreshToken)
    );
}

#[test]
fn rfc6749_10_3_on_the_code_side_the_access_token_only_crosses_the_back_channel() {
    let c = comparison();
    let side = &c.code;
    let token = access_token(side);
    let last = side.run.trace.len() - 1;
    let exposures = side.exposures_at(last);
    for exposure in exposures
        .iter()
        .filter(|e| e.credential != Credential::Code)
    {
        assert_eq!(exposure.place, Place::BackChannel, "{exposure:?}");
    }
    for exchange in &side.run.trace {
        let seen = exchange.to_http_text().contains(&token)
            || exchange.address().to_string().contains(&token);
        if seen {
            assert_eq!(
                exchange.channel,
                Channel::Back,
                "{}",
                exchange.request_line()
            );
        }
    }
    assert!(
        browser_at(&side.run.trace, last)
            .history
            .iter()
            .all(|url| !url.to_string().contains(&token))
    );
    // What the front channel shows instead is the code.
    let step = callback_step(side);
    assert!(side.exposures_at(step).iter().any(|e| {
        e.credential == Credential::Code && e.place == Place::AddressBar && e.step == step
    }));
    assert!(
        exposures
            .iter()
            .any(|e| e.credential == Credential::RefreshToken && e.place == Place::BackChannel)
    );
}

#[test]
fn verdicts_follow_from_the_traces() {
    let c = comparison();
    assert_eq!(
        c.verdicts.iter().map(|v| v.row).collect::<Vec<_>>(),
        VerdictRow::ALL
    );
    let (i, i_text, k, k_text) = cell(&c, VerdictRow::TokenInUrl);
    assert!(!i && i_text.starts_with("Yes") && i_text.contains("fragment"));
    assert!(k && k_text.starts_with("No"));

    let (i, i_text, k, k_text) = cell(&c, VerdictRow::TokenInHistory);
    assert!(!i && i_text.starts_with("Yes"));
    assert!(k && k_text.starts_with("No"));
    let history = &c.implicit.run.browser.history;
    assert!(
        history
            .iter()
            .any(|url| url.to_string().contains(&access_token(&c.implicit)))
    );

    // Honestly "No" on both sides: a Referer has no fragment. But the
    // implicit side's script read it: not a safe answer.
    let (i, i_text, k, k_text) = cell(&c, VerdictRow::TokenInReferer);
    assert!(i_text.starts_with("No") && k_text.starts_with("No"));
    assert!(i_text.contains("script"));
    assert!(!i && k);
    for side in [&c.implicit, &c.code] {
        let token = access_token(side);
        assert!(side.run.trace.iter().all(|e| {
            e.request
                .headers
                .get("Referer")
                .is_none_or(|r| !r.contains(&token))
        }));
    }

    let (i, i_text, k, k_text) = cell(&c, VerdictRow::RefreshTokenAvailable);
    assert!(!i && i_text.starts_with("No"));
    assert!(k && k_text.starts_with("Yes"));
    assert!(
        c.implicit
            .run
            .client
            .tokens
            .as_ref()
            .unwrap()
            .refresh_token
            .is_none()
    );
    assert!(
        c.code
            .run
            .client
            .tokens
            .as_ref()
            .unwrap()
            .refresh_token
            .is_some()
    );

    let (i, _, k, k_text) = cell(&c, VerdictRow::TokenBoundToClient);
    assert!(!i && k);
    assert!(k_text.contains("code_verifier"));
    assert!(
        c.code
            .run
            .trace
            .iter()
            .any(|e| e.request.body.contains("code_verifier=") && e.response.status == 200)
    );

    let (i, i_text, k, k_text) = cell(&c, VerdictRow::ReplayPossible);
    assert!(!i && i_text.contains("Alice Liddell"));
    assert!(k && k_text.contains("invalid_grant"));
    fn replay(side: &Side) -> &oauth_engine::sim::trace::Exchange {
        &side.run.trace[side.replay_step]
    }
    assert_eq!(replay(&c.implicit).from, Party::Attacker);
    assert_eq!(replay(&c.implicit).response.status, 200);
    assert_eq!(replay(&c.code).from, Party::Attacker);
    assert_eq!(replay(&c.code).response.status, 400);
    assert!(!replay(&c.code).request.body.contains("code_verifier"));

    let (i, i_text, k, k_text) = cell(&c, VerdictRow::Rfc9700Status);
    assert!(!i && i_text.contains("2.1.2"));
    assert!(k && k_text.contains("2.1.1"));
}

#[test]
fn the_same_seed_gives_the_same_comparison() {
    let (a, b) = (compare(9), compare(9));
    assert_eq!(a.implicit.run.trace, b.implicit.run.trace);
    assert_eq!(a.code.run.trace, b.code.run.trace);
    assert_eq!(a.verdicts, b.verdicts);
    for row in VerdictRow::ALL {
        assert!(!row.label().is_empty());
    }
    for place in [
        Place::AddressBar,
        Place::History,
        Place::Referer,
        Place::PageScript,
        Place::ServerLog,
        Place::BackChannel,
    ] {
        assert!(!place.label().is_empty() && place.explanation().ends_with('.'));
    }
    assert_eq!(Credential::AccessToken.label(), "Access token");
}
