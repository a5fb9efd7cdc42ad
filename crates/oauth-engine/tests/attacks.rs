//! The attack lab: each attack succeeds with its defence off and is
//! stopped, at the step and with the error the RFCs name, with it on.

mod common;

use common::names_in;
use oauth_engine::channel::Channel;
use oauth_engine::jwa::ES256;
use oauth_engine::params::param_info;
use oauth_engine::sim::attacks::{
    Attack, AttackRun, Downgrade, Outcome, run_attack, run_attack_with, run_pkce_downgrade,
};
use oauth_engine::sim::deployed::support;
use oauth_engine::sim::export::to_mermaid;
use oauth_engine::sim::flow::Flow;
use oauth_engine::sim::stop::Stop;
use oauth_engine::sim::trace::{Exchange, Party, lanes};

#[cfg(target_arch = "wasm32")]
use wasm_bindgen_test::wasm_bindgen_test as test;
#[cfg(target_arch = "wasm32")]
wasm_bindgen_test::wasm_bindgen_test_configure!(run_in_browser);

const SEED: u64 = 1;

/// A run of `attack`, given the code for DPoP, PAR and the rest, which
/// the last three need and the others ignore.
fn attack_run(attack: Attack, defended: bool, seed: u64) -> AttackRun {
    run_attack(attack, defended, seed, Some(support(ES256))).expect("the run is given support")
}

fn succeeded(run: &AttackRun) -> (usize, &str) {
    match &run.outcome {
        Outcome::Succeeded { step, gained } => (*step, gained.as_str()),
        other => panic!("{:?} should succeed undefended, got {other:?}", run.attack),
    }
}

fn stopped(run: &AttackRun) -> (usize, &str) {
    match &run.outcome {
        Outcome::Stopped { step, error } => (*step, error.as_str()),
        other => panic!(
            "{:?} should be stopped when defended, got {other:?}",
            run.attack
        ),
    }
}

/// The `error` of a JSON body.
fn json_error(exchange: &Exchange) -> String {
    exchange
        .response
        .json_body()
        .and_then(|body| body["error"].as_str().map(str::to_owned))
        .unwrap_or_default()
}

/// The attacker's successful API call: the step is the attacker's GET
/// /profile, answered 200 with `name`'s profile, which `gained` quotes.
fn assert_attacker_reads_profile(run: &AttackRun, name: &str) {
    let (step, gained) = succeeded(run);
    let exchange = &run.trace[step];
    assert_eq!(
        (exchange.from, exchange.to),
        (Party::Attacker, Party::ResourceServer)
    );
    assert_eq!(exchange.request.url.path, "/profile");
    assert_eq!(exchange.response.status, 200);
    assert_eq!(exchange.response.json_body().unwrap()["name"], name);
    assert!(gained.contains(name), "{gained}");
    assert_eq!(step, run.trace.len() - 1);
}

#[test]
fn rfc9700_4_7_login_csrf_signs_the_victim_in_as_mallory_without_state() {
    let run = attack_run(Attack::LoginCsrf, false, SEED);
    let (step, gained) = succeeded(&run);
    assert_eq!(step, 6);
    // The victim's own client gets Mallory's profile: the victim now works
    // in the attacker's account.
    let call = &run.trace[step];
    assert_eq!((call.from, call.to), (Party::Client, Party::ResourceServer));
    assert_eq!(
        call.response.json_body().unwrap()["name"],
        "Mallory (the attacker)"
    );
    assert!(gained.contains("Mallory"), "{gained}");
    // Mallory signed in herself and never followed her redirect.
    assert!(run.trace[..3].iter().all(|e| e.from == Party::Attacker));
    assert!(run.trace[1].request.body.contains("username=mallory"));
    assert_eq!(run.trace[4].request.url.path, "/callback");
}

#[test]
fn rfc6749_10_12_login_csrf_is_refused_at_the_callback_when_the_client_checks_state() {
    let run = attack_run(Attack::LoginCsrf, true, SEED);
    let (step, error) = stopped(&run);
    assert_eq!(step, 4);
    let callback = &run.trace[step];
    assert_eq!(
        (callback.from, callback.to),
        (Party::Browser, Party::Client)
    );
    assert_eq!(callback.request.url.path, "/callback");
    assert_eq!(callback.response.status, 400);
    assert!(error.contains("state"), "{error}");
    // The client never redeemed Mallory's code.
    assert_eq!(run.trace.len(), step + 1);
    // The same forged callback in both runs: only the client's check differs.
    let undefended = attack_run(Attack::LoginCsrf, false, SEED);
    assert_eq!(undefended.trace[4].request.url, callback.request.url);
}

#[test]
fn rfc7636_1_code_interception_by_a_malicious_app_gets_alices_profile_without_pkce() {
    let run = attack_run(Attack::CodeInterception, false, SEED);
    assert_attacker_reads_profile(&run, "Alice Liddell");
    // The redirect to the private-use scheme went to the attacker's app.
    let intercepted = &run.trace[3];
    assert_eq!(
        (intercepted.from, intercepted.to),
        (Party::Browser, Party::Attacker)
    );
    assert!(
        intercepted
            .request
            .url
            .to_string()
            .starts_with("com.example.app:/callback?code=")
    );
}

#[test]
fn code_interception_fails_with_pkce_invalid_grant() {
    let run = attack_run(Attack::CodeInterception, true, SEED);
    let (step, error) = stopped(&run);
    assert_eq!(step, 4);
    let redeem = &run.trace[step];
    assert_eq!(
        (redeem.from, redeem.to),
        (Party::Attacker, Party::AuthorizationServer)
    );
    assert_eq!(redeem.request.url.path, "/token");
    assert!(!redeem.request.body.contains("code_verifier"));
    assert_eq!(json_error(redeem), "invalid_grant");
    assert!(error.starts_with("invalid_grant"), "{error}");
    assert!(error.contains("code_verifier is missing"), "{error}");
}

#[test]
fn rfc9700_4_8_stripping_pkce_works_against_a_server_where_it_is_optional() {
    let run = attack_run(Attack::PkceDowngrade, false, SEED);
    assert_attacker_reads_profile(&run, "Alice Liddell");
    let (original, forwarded) = (&run.trace[0], &run.trace[1]);
    assert_eq!(original.to, Party::Attacker);
    assert!(
        original
            .request
            .url
            .query
            .as_ref()
            .unwrap()
            .contains("code_challenge=")
    );
    assert_eq!(forwarded.to, Party::AuthorizationServer);
    assert!(
        !forwarded
            .request
            .url
            .query
            .as_ref()
            .unwrap()
            .contains("code_challenge")
    );
}

#[test]
fn pkce_downgrade_is_refused_at_authorize_when_the_server_requires_s256() {
    let run = attack_run(Attack::PkceDowngrade, true, SEED);
    let (step, error) = stopped(&run);
    assert_eq!(step, 1);
    let authorize = &run.trace[step];
    assert_eq!(
        (authorize.from, authorize.to),
        (Party::Browser, Party::AuthorizationServer)
    );
    assert_eq!(authorize.request.url.path, "/authorize");
    // RFC 6749 section 4.1.2.1: the redirect_uri is valid, so the error
    // goes back to it, and no code is issued.
    assert_eq!(authorize.response.status, 302);
    let location = authorize.response.headers.get("Location").unwrap();
    assert!(location.contains("error=invalid_request"), "{location}");
    assert!(!location.contains("code="));
    assert!(
        error.starts_with("invalid_request: code_challenge is required"),
        "{error}"
    );
}

#[test]
fn rfc7636_7_2_forcing_plain_turns_the_challenge_into_the_verifier() {
    let run = run_pkce_downgrade(Downgrade::ForcePlain, false, SEED);
    assert_attacker_reads_profile(&run, "Alice Liddell");
    let challenge = run.trace[0]
        .request
        .url
        .query_pairs()
        .unwrap()
        .into_iter()
        .find(|(n, _)| n == "code_challenge")
        .unwrap()
        .1;
    let redeem = &run.trace[run.trace.len() - 2];
    assert!(
        redeem
            .request
            .body
            .contains(&format!("code_verifier={challenge}"))
    );

    let run = run_pkce_downgrade(Downgrade::ForcePlain, true, SEED);
    let (step, error) = stopped(&run);
    assert_eq!(step, 1);
    assert!(
        error.contains("code_challenge_method must be S256"),
        "{error}"
    );
}

#[test]
fn rfc6749_4_1_2_a_code_from_the_history_is_redeemed_again_by_a_server_without_single_use() {
    let run = attack_run(Attack::CodeReplay, false, SEED);
    assert_attacker_reads_profile(&run, "Alice Liddell");
    // The client redeemed the code first; the attacker sends the same one.
    let (client, attacker) = (&run.trace[4], &run.trace[7]);
    assert_eq!(client.from, Party::Client);
    assert_eq!(attacker.from, Party::Attacker);
    let code = |e: &Exchange| {
        e.request
            .params()
            .unwrap()
            .into_iter()
            .find(|(n, _)| n == "code")
            .unwrap()
            .1
    };
    assert_eq!(code(client), code(attacker));
}

#[test]
fn rfc6749_10_5_code_replay_is_invalid_grant_and_revokes_the_first_tokens() {
    let run = attack_run(Attack::CodeReplay, true, SEED);
    let (step, error) = stopped(&run);
    assert_eq!(step, 7);
    let replay = &run.trace[step];
    assert_eq!(
        (replay.from, replay.to),
        (Party::Attacker, Party::AuthorizationServer)
    );
    assert_eq!(json_error(replay), "invalid_grant");
    assert!(error.contains("already used"), "{error}");
    // The client's token, issued from that code, no longer works.
    let after = &run.trace[step + 1];
    assert_eq!(
        (after.from, after.to),
        (Party::Client, Party::ResourceServer)
    );
    assert_eq!(after.response.status, 401);
    assert_eq!(json_error(after), "invalid_token");
    assert!(
        after
            .response
            .headers
            .get("WWW-Authenticate")
            .unwrap()
            .contains("revoked")
    );
}

#[test]
fn rfc9700_4_1_prefix_matching_delivers_the_code_to_an_uploaded_page() {
    let run = attack_run(Attack::RedirectUriManipulation, false, SEED);
    assert_attacker_reads_profile(&run, "Alice Liddell");
    // The browser resolved the dot segments: the code went to the upload.
    let landing = &run.trace[4];
    assert_eq!((landing.from, landing.to), (Party::Browser, Party::Client));
    assert_eq!(landing.request.url.path, "/uploads/mallory.html");
    let beacon = &run.trace[5];
    assert_eq!((beacon.from, beacon.to), (Party::Browser, Party::Attacker));
    assert!(beacon.request.url.query.as_ref().unwrap().contains("code="));
    // Mallory's own verifier passes PKCE.
    assert!(run.trace[6].request.body.contains("code_verifier="));
}

#[test]
fn rfc6749_4_1_2_1_exact_matching_shows_an_error_page_and_redirects_nowhere() {
    let run = attack_run(Attack::RedirectUriManipulation, true, SEED);
    let (step, error) = stopped(&run);
    assert_eq!(step, 1);
    let authorize = &run.trace[step];
    assert_eq!(authorize.to, Party::AuthorizationServer);
    assert_eq!(authorize.response.status, 400);
    assert!(authorize.response.headers.get("Location").is_none());
    assert!(
        error.contains("is not registered for this client"),
        "{error}"
    );
}

#[test]
fn rfc9700_4_14_a_stolen_refresh_token_keeps_working_without_rotation() {
    let run = attack_run(Attack::RefreshTokenTheft, false, SEED);
    assert_attacker_reads_profile(&run, "Alice Liddell");
    // The script sent the refresh token to the attacker.
    let stolen = &run.trace[7];
    assert_eq!((stolen.from, stolen.to), (Party::Browser, Party::Attacker));
    assert!(
        stolen
            .request
            .url
            .query
            .as_ref()
            .unwrap()
            .contains("refresh_token=")
    );
    // Both the client and the attacker kept refreshing.
    let refreshes: Vec<(Party, u16)> = run
        .trace
        .iter()
        .filter(|e| e.request.body.contains("grant_type=refresh_token"))
        .map(|e| (e.from, e.response.status))
        .collect();
    assert_eq!(
        refreshes,
        [
            (Party::Attacker, 200),
            (Party::Client, 200),
            (Party::Attacker, 200)
        ]
    );
}

#[test]
fn rfc9700_4_14_2_rotation_detects_reuse_and_the_attackers_refresh_is_invalid_grant() {
    let run = attack_run(Attack::RefreshTokenTheft, true, SEED);
    let (step, error) = stopped(&run);
    assert_eq!(step, 10);
    // The client's refresh with the rotated-out token revealed the theft.
    let detected = &run.trace[9];
    assert_eq!(detected.from, Party::Client);
    assert_eq!(json_error(detected), "invalid_grant");
    assert!(
        detected
            .response
            .body
            .contains("the whole token family is revoked")
    );
    let refused = &run.trace[step];
    assert_eq!(
        (refused.from, refused.to),
        (Party::Attacker, Party::AuthorizationServer)
    );
    assert_eq!(json_error(refused), "invalid_grant");
    assert_eq!(error, "invalid_grant: the refresh token has been revoked");
}

#[test]
fn rfc9700_4_4_mix_up_hands_code_and_verifier_to_the_attackers_token_endpoint() {
    let run = attack_run(Attack::MixUp, false, SEED);
    assert_attacker_reads_profile(&run, "Alice Liddell");
    let to_attacker = &run.trace[5];
    assert_eq!(
        (to_attacker.from, to_attacker.to, to_attacker.channel),
        (Party::Client, Party::Attacker, Channel::Back)
    );
    assert!(to_attacker.request.body.contains("code_verifier="));
    // PKCE passed at the honest server: the client gave the verifier away.
    let redeem = &run.trace[6];
    assert_eq!(redeem.response.status, 200);
    assert_eq!(
        redeem
            .request
            .body
            .split('&')
            .find(|p| p.starts_with("code_verifier=")),
        to_attacker
            .request
            .body
            .split('&')
            .find(|p| p.starts_with("code_verifier="))
    );
}

#[test]
fn rfc9207_2_4_mix_up_is_refused_at_the_callback_when_the_client_checks_iss() {
    let run = attack_run(Attack::MixUp, true, SEED);
    let (step, error) = stopped(&run);
    assert_eq!(step, 4);
    let callback = &run.trace[step];
    assert_eq!(
        (callback.from, callback.to),
        (Party::Browser, Party::Client)
    );
    assert!(
        callback
            .request
            .url
            .query
            .as_ref()
            .unwrap()
            .contains("iss=https%3A%2F%2Fas.example")
    );
    assert_eq!(callback.response.status, 400);
    assert!(
        error
            .contains("iss is https://as.example but the request went to https://attacker.example"),
        "{error}"
    );
    assert!(run.trace.iter().all(|e| e.request.url.path != "/token"));
}

#[test]
fn rfc9700_2_1_2_the_analytics_script_leaks_the_implicit_token_to_the_attacker() {
    let run = attack_run(Attack::ImplicitLeakage, false, SEED);
    assert_attacker_reads_profile(&run, "Alice Liddell");
    let beacon = &run.trace[5];
    assert_eq!(
        (beacon.from, beacon.to, beacon.channel),
        (Party::Browser, Party::ThirdParty, Channel::Front)
    );
    let token = run.trace[run.trace.len() - 1]
        .request
        .headers
        .get("Authorization")
        .unwrap()
        .trim_start_matches("Bearer ")
        .to_owned();
    assert!(beacon.request.url.query.as_ref().unwrap().contains(&token));
}

#[test]
fn implicit_leakage_with_code_and_pkce_leaks_only_a_used_code_invalid_grant() {
    let run = attack_run(Attack::ImplicitLeakage, true, SEED);
    let (step, error) = stopped(&run);
    assert_eq!(step, 9);
    let redeem = &run.trace[step];
    assert_eq!(
        (redeem.from, redeem.to),
        (Party::Attacker, Party::AuthorizationServer)
    );
    assert!(!redeem.request.body.contains("code_verifier"));
    assert_eq!(json_error(redeem), "invalid_grant");
    assert!(error.starts_with("invalid_grant"), "{error}");
}

/// The attacker's request to the token endpoint in `run`.
fn attacker_redemption(run: &AttackRun) -> &Exchange {
    run.trace
        .iter()
        .find(|e| e.from == Party::Attacker && e.request.url.path == "/token")
        .expect("the attacker redeems the code")
}

#[test]
fn rfc6749_10_1_a_secret_in_the_bundle_lets_the_attacker_redeem_a_leaked_code_as_the_app() {
    let run = attack_run(Attack::SecretInBundle, false, SEED);
    // What every visitor downloads holds the secret.
    let bundle = &run.trace[0];
    assert_eq!(bundle.from, Party::Attacker);
    assert!(
        bundle
            .response
            .body
            .contains("clientSecret: \"spa-secret-from-the-build\"")
    );
    // The code leaked through the callback page's analytics script.
    assert!(run.trace.iter().any(|e| e.to == Party::ThirdParty
        && e.request.url.path == "/collect"
        && e.request.url.to_string().contains("code")));
    let redeem = attacker_redemption(&run);
    assert!(
        redeem
            .request
            .body
            .contains("client_secret=spa-secret-from-the-build")
    );
    assert!(!redeem.request.body.contains("code_verifier"));
    assert_eq!(redeem.response.status, 200, "{}", redeem.response.body);
    let (_, gained) = succeeded(&run);
    assert!(gained.contains("Alice Liddell"), "{gained}");
}

#[test]
fn rfc9700_2_1_1_a_public_client_with_pkce_ships_nothing_to_steal() {
    let run = attack_run(Attack::SecretInBundle, true, SEED);
    assert!(!run.trace[0].response.body.contains("clientSecret"));
    let redeem = attacker_redemption(&run);
    assert!(!redeem.request.body.contains("client_secret"));
    assert_eq!(json_error(redeem), "invalid_grant");
    let (_, error) = stopped(&run);
    assert!(error.starts_with("invalid_grant"), "{error}");
}

/// The script's report to the attacker's site in `run`, and what it
/// carried.
fn exfiltrated(run: &AttackRun) -> Vec<(String, String)> {
    let report = run
        .trace
        .iter()
        .find(|e| {
            e.from == Party::Browser && e.to == Party::Attacker && e.request.url.path == "/collect"
        })
        .expect("the script reports to the attacker's site");
    report.request.url.query_pairs().unwrap()
}

#[test]
fn browser_based_apps_5_1_1_a_script_reads_both_tokens_from_local_storage_and_the_attacker_refreshes_elsewhere()
 {
    let run = attack_run(Attack::TokensInStorage, false, SEED);
    let taken: Vec<String> = exfiltrated(&run)
        .into_iter()
        .map(|(name, _)| name)
        .collect();
    assert_eq!(taken, ["access_token", "refresh_token"]);
    let refresh = run
        .trace
        .iter()
        .find(|e| e.from == Party::Attacker && e.request.body.contains("grant_type=refresh_token"))
        .expect("the attacker refreshes");
    assert_eq!(refresh.response.status, 200, "{}", refresh.response.body);
    let (_, gained) = succeeded(&run);
    assert!(gained.contains("Alice Liddell"), "{gained}");
}

#[test]
fn rfc9449_5_a_refresh_token_bound_to_the_page_s_key_is_refused_without_its_proof() {
    let run = attack_run(Attack::TokensInStorage, true, SEED);
    // The script still reads the tokens: DPoP does not hide them.
    assert_eq!(exfiltrated(&run).len(), 2);
    let (step, error) = stopped(&run);
    let refused = &run.trace[step];
    assert_eq!(refused.from, Party::Attacker);
    assert!(refused.request.body.contains("grant_type=refresh_token"));
    assert_eq!(json_error(refused), "invalid_dpop_proof");
    assert!(error.starts_with("invalid_dpop_proof"), "{error}");
    assert!(
        !run.trace
            .iter()
            .any(|e| e.from == Party::Attacker && e.to == Party::ResourceServer)
    );
}

#[test]
fn every_attack_has_the_attacker_lane_and_explains_every_step() {
    for attack in Attack::ALL {
        for defended in [false, true] {
            let run = attack_run(attack, defended, SEED);
            assert_eq!(run.attack, attack);
            assert_eq!(run.defended, defended);
            assert!(
                lanes(&run.trace).contains(&Party::Attacker),
                "{attack:?} defended={defended}"
            );
            assert_eq!(run.outcome.succeeded(), !defended, "{attack:?}");
            assert!(run.outcome.step() < run.trace.len());
            for exchange in &run.trace {
                assert!(!exchange.explanation.is_empty(), "{attack:?}");
                assert!(!exchange.rfc_refs.is_empty(), "{attack:?}");
            }
            let diagram = to_mermaid(&run.trace, Flow::AuthorizationCode);
            assert!(diagram.contains("participant ATK as Attacker\n"));
        }
    }
}

#[test]
fn the_same_seed_gives_the_same_attack_trace() {
    for attack in Attack::ALL {
        for defended in [false, true] {
            let (a, b) = (
                attack_run(attack, defended, 42),
                attack_run(attack, defended, 42),
            );
            assert_eq!(a.trace, b.trace, "{attack:?}");
            assert_eq!(a.outcome, b.outcome, "{attack:?}");
        }
    }
    assert_ne!(
        attack_run(Attack::CodeReplay, false, 1).trace,
        attack_run(Attack::CodeReplay, false, 2).trace
    );
}

#[test]
fn attacks_have_slugs_titles_and_rfc9700_sections() {
    let slugs: Vec<&str> = Attack::ALL.iter().map(|a| a.slug()).collect();
    assert_eq!(
        slugs,
        [
            "login-csrf",
            "code-interception",
            "pkce-downgrade",
            "code-replay",
            "redirect-uri",
            "refresh-theft",
            "mix-up",
            "implicit-leakage",
            "stolen-token",
            "request-tampering",
            "dpop-proof-replay",
            "secret-in-bundle",
            "tokens-in-storage"
        ]
    );
    for attack in Attack::ALL {
        assert_eq!(Attack::from_slug(attack.slug()), Some(attack));
        assert!(!attack.title().is_empty() && !attack.defence().is_empty());
        let sentences = attack.explanation().matches(". ").count() + 1;
        assert!((2..=5).contains(&sentences), "{attack:?}: {sentences}");
        assert_eq!(attack.rfc9700().rfc, 9700);
        assert_eq!(attack.refs()[0], attack.rfc9700());
    }
    assert_eq!(Attack::from_slug("nope"), None);
}

#[test]
fn every_parameter_in_the_attack_traces_has_a_glossary_entry() {
    for attack in Attack::ALL {
        for defended in [false, true] {
            for exchange in &attack_run(attack, defended, SEED).trace {
                for name in names_in(exchange) {
                    assert!(param_info(&name).is_some(), "no glossary entry for {name}");
                }
            }
        }
    }
}

/// The `error` in an API refusal's `WWW-Authenticate: DPoP` challenge.
fn dpop_challenge(exchange: &Exchange) -> &str {
    exchange
        .response
        .headers
        .get("WWW-Authenticate")
        .unwrap_or_default()
}

#[test]
fn rfc9700_4_10_a_stolen_bearer_token_reads_the_api_from_another_machine() {
    let run = attack_run(Attack::StolenTokenReplay, false, SEED);
    assert_attacker_reads_profile(&run, "Alice Liddell");
    let (step, _) = succeeded(&run);
    // The token is the one the client was issued and presented, as Bearer.
    let issued = run.trace[..step]
        .iter()
        .find(|e| e.request.url.path == "/token")
        .and_then(|e| e.response.json_body())
        .unwrap();
    assert_eq!(issued["token_type"], "Bearer");
    let token = issued["access_token"].as_str().unwrap();
    assert_eq!(
        run.trace[step].request.authorization(),
        Some(("Bearer", token))
    );
    assert!(run.trace[step].request.headers.get("DPoP").is_none());
    assert_eq!(run.trace[step].channel, Channel::Back);
}

#[test]
fn rfc9449_7_1_a_dpop_bound_token_is_refused_without_the_key() {
    let run = attack_run(Attack::StolenTokenReplay, true, SEED);
    let (step, error) = stopped(&run);
    assert_eq!(step, run.trace.len() - 1);
    let issued = run
        .trace
        .iter()
        .find(|e| e.request.url.path == "/token")
        .and_then(|e| e.response.json_body())
        .unwrap();
    assert_eq!(issued["token_type"], "DPoP");
    let token = issued["access_token"].as_str().unwrap();
    // First the token as a bearer token (RFC 9449 section 7.2).
    let bearer = &run.trace[step - 1];
    assert_eq!(
        (bearer.from, bearer.to),
        (Party::Attacker, Party::ResourceServer)
    );
    assert_eq!(bearer.request.authorization(), Some(("Bearer", token)));
    assert_eq!(bearer.response.status, 401);
    assert_eq!(json_error(bearer), "invalid_token");
    // Then with a proof signed by the attacker's own key: not cnf.jkt.
    let own_key = &run.trace[step];
    assert_eq!(
        (own_key.from, own_key.to),
        (Party::Attacker, Party::ResourceServer)
    );
    assert_eq!(own_key.request.url.path, "/profile");
    assert_eq!(own_key.request.authorization(), Some(("DPoP", token)));
    assert!(own_key.request.headers.get("DPoP").is_some());
    assert_eq!(own_key.response.status, 401);
    assert_eq!(json_error(own_key), "invalid_dpop_proof");
    assert!(dpop_challenge(own_key).starts_with("DPoP error=\"invalid_dpop_proof\""));
    assert!(error.starts_with("invalid_dpop_proof"), "{error}");
    assert!(error.contains("cnf.jkt"), "{error}");
    // The client's own calls, with its key, went through.
    let client_calls: Vec<_> = run
        .trace
        .iter()
        .filter(|e| e.from == Party::Client && e.to == Party::ResourceServer)
        .collect();
    assert!(!client_calls.is_empty());
    assert!(client_calls.iter().all(|e| e.response.status == 200));
}

#[test]
fn rfc9126_1_an_extension_widens_the_scope_of_a_front_channel_request() {
    let run = attack_run(Attack::RequestTampering, false, SEED);
    let (step, gained) = succeeded(&run);
    assert_eq!(step, 5);
    // The app asked for read; the extension (the attacker's) rewrote it.
    let caught = &run.trace[0];
    assert_eq!((caught.from, caught.to), (Party::Browser, Party::Attacker));
    let asked = caught.request.url.query_pairs().unwrap();
    assert!(asked.contains(&("scope".into(), "read".into())));
    let forwarded = &run.trace[1];
    assert_eq!(forwarded.to, Party::AuthorizationServer);
    let sent = forwarded.request.url.query_pairs().unwrap();
    assert!(sent.contains(&("scope".into(), "read write".into())));
    // The state and the challenge are the app's own: only the scope changed.
    for name in ["state", "code_challenge", "redirect_uri", "client_id"] {
        let value = |pairs: &[(String, String)]| {
            pairs
                .iter()
                .find(|(n, _)| n == name)
                .map(|(_, v)| v.clone())
        };
        assert_eq!(value(&asked), value(&sent), "{name}");
    }
    // The app redeems the code and gets a token for the wider scope.
    let token = &run.trace[step];
    assert_eq!(
        (token.from, token.to),
        (Party::Client, Party::AuthorizationServer)
    );
    assert_eq!(token.request.url.path, "/token");
    assert_eq!(token.response.status, 200);
    assert_eq!(token.response.json_body().unwrap()["scope"], "read write");
    assert!(gained.contains("\"read write\""), "{gained}");
    assert!(gained.contains("\"read\""), "{gained}");
    assert_eq!(step, run.trace.len() - 1);
}

#[test]
fn rfc9126_5_a_server_that_requires_par_refuses_the_rebuilt_request_with_invalid_request() {
    let run = attack_run(Attack::RequestTampering, true, SEED);
    let (step, error) = stopped(&run);
    assert_eq!(step, 2);
    // The client pushed its request; the address carried a reference only.
    let push = &run.trace[0];
    assert_eq!(
        (push.from, push.to, push.request.url.path.as_str()),
        (Party::Client, Party::AuthorizationServer, "/par")
    );
    assert_eq!(push.response.status, 201);
    assert!(push.request.body.contains("scope=read&") || push.request.body.ends_with("scope=read"));
    let caught = &run.trace[1];
    assert_eq!((caught.from, caught.to), (Party::Browser, Party::Attacker));
    let names: Vec<String> = caught
        .request
        .url
        .query_pairs()
        .unwrap()
        .into_iter()
        .map(|(n, _)| n)
        .collect();
    assert_eq!(names, ["client_id", "request_uri"]);
    // The extension's plain request, refused with an error redirect.
    let refused = &run.trace[step];
    assert_eq!(
        (refused.from, refused.to),
        (Party::Browser, Party::AuthorizationServer)
    );
    let sent = refused.request.url.query_pairs().unwrap();
    assert!(sent.contains(&("scope".into(), "read write".into())));
    assert!(!sent.iter().any(|(n, _)| n == "request_uri"));
    assert_eq!(refused.response.status, 302);
    let location = refused.response.headers.get("Location").unwrap();
    assert!(location.starts_with("https://spa.example/callback?error=invalid_request"));
    assert!(error.starts_with("invalid_request"), "{error}");
    assert!(error.contains("pushed authorization requests"), "{error}");
    // No code, no token.
    assert_eq!(run.trace.len(), step + 1);
}

#[test]
fn rfc9449_11_1_an_api_without_jti_and_htu_checks_takes_a_replayed_proof() {
    let run = attack_run(Attack::DpopProofReplay, false, SEED);
    let (step, gained) = succeeded(&run);
    assert_eq!(step, run.trace.len() - 1);
    let captured = &run.trace[step - 2];
    assert_eq!(
        (captured.from, captured.to),
        (Party::Client, Party::ResourceServer)
    );
    let (replayed, elsewhere) = (&run.trace[step - 1], &run.trace[step]);
    for attempt in [replayed, elsewhere] {
        assert_eq!(
            (attempt.from, attempt.to),
            (Party::Attacker, Party::ResourceServer)
        );
        assert_eq!(attempt.request.headers, captured.request.headers);
        assert_eq!(attempt.response.status, 200);
    }
    assert_eq!(replayed.request, captured.request);
    assert_eq!(
        replayed.response.json_body().unwrap()["name"],
        "Alice Liddell"
    );
    assert_eq!(elsewhere.request.url.path, "/contacts");
    let contacts = elsewhere.response.json_body().unwrap();
    assert!(contacts["contacts"][0].is_string());
    assert!(gained.contains("contacts"), "{gained}");
    assert!(gained.contains("Bob Builder"), "{gained}");
}

#[test]
fn rfc9449_4_3_a_replayed_proof_is_refused_for_its_jti_and_at_another_url_for_its_htu() {
    let run = attack_run(Attack::DpopProofReplay, true, SEED);
    let (step, error) = stopped(&run);
    assert_eq!(step, run.trace.len() - 1);
    let captured = &run.trace[step - 2];
    assert_eq!(
        (captured.from, captured.to, captured.response.status),
        (Party::Client, Party::ResourceServer, 200)
    );
    // The same request again: the proof's jti was seen (section 11.1).
    let replayed = &run.trace[step - 1];
    assert_eq!(replayed.from, Party::Attacker);
    assert_eq!(replayed.request, captured.request);
    assert_eq!(replayed.response.status, 401);
    assert_eq!(json_error(replayed), "invalid_dpop_proof");
    let description = replayed.response.json_body().unwrap()["error_description"]
        .as_str()
        .unwrap()
        .to_owned();
    assert!(description.contains("jti"), "{description}");
    assert!(description.contains("already used"), "{description}");
    // The same proof at another URL: its htu is /profile (section 4.3).
    let elsewhere = &run.trace[step];
    assert_eq!(
        (elsewhere.from, elsewhere.to),
        (Party::Attacker, Party::ResourceServer)
    );
    assert_eq!(elsewhere.request.url.path, "/contacts");
    assert_eq!(elsewhere.response.status, 401);
    assert_eq!(json_error(elsewhere), "invalid_dpop_proof");
    assert!(dpop_challenge(elsewhere).starts_with("DPoP error=\"invalid_dpop_proof\""));
    assert!(error.starts_with("invalid_dpop_proof"), "{error}");
    assert!(error.contains("htu"), "{error}");
    assert!(error.contains("https://api.example/contacts"), "{error}");
}

#[test]
fn exactly_the_dpop_and_par_attacks_need_support_and_none_run_without_it() {
    let needing: Vec<Attack> = Attack::ALL
        .into_iter()
        .filter(|a| a.needs_support())
        .collect();
    assert_eq!(
        needing,
        [
            Attack::StolenTokenReplay,
            Attack::RequestTampering,
            Attack::DpopProofReplay,
            Attack::TokensInStorage
        ]
    );
    for attack in Attack::ALL {
        for defended in [false, true] {
            let without = run_attack(attack, defended, SEED, None);
            if attack.needs_support() {
                assert_eq!(without, Err(Stop::NotSupported), "{attack:?}");
                let with_key =
                    run_attack_with(attack, defended, SEED, oauth_engine::keys::demo_key(), None);
                assert_eq!(with_key, Err(Stop::NotSupported), "{attack:?}");
            } else {
                // The others ignore the support: the same run either way.
                assert_eq!(
                    without,
                    Ok(attack_run(attack, defended, SEED)),
                    "{attack:?}"
                );
            }
        }
    }
}
