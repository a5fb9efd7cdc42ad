//! Whole runs of the flows OAuth is deployed with now, given their code
//! (`sim::deployed::support`): the FAPI 2.0 shape (PAR, PKCE, DPoP with a
//! nonce, private_key_jwt), opaque tokens the API introspects, and signing
//! out with revocation. Each test names the rule it checks.

mod common;

use common::names_in;
use oauth_engine::dpop::{ProofContext, check_proof, thumbprint};
use oauth_engine::http::Method;
use oauth_engine::jose::b64_decode;
use oauth_engine::jwa::ES256;
use oauth_engine::server::{ClientAuthMethod, JWT_BEARER, ServerPolicy};
use oauth_engine::sim::client::ClientSettings;
use oauth_engine::sim::deployed::client_key;
use oauth_engine::sim::run::Run;
use oauth_engine::sim::scenario::{Scenario, Timeline};
use oauth_engine::sim::trace::{Exchange, Party};
use serde_json::Value;

#[cfg(target_arch = "wasm32")]
use wasm_bindgen_test::wasm_bindgen_test as test;
#[cfg(target_arch = "wasm32")]
wasm_bindgen_test::wasm_bindgen_test_configure!(run_in_browser);

fn run(scenario: &Scenario) -> Run {
    common::supported_run(scenario)
}

/// FAPI 2.0's shape: a confidential client with no shared secret.
fn fapi() -> Scenario {
    let mut scenario = Scenario {
        client: ClientSettings {
            client_id: "webapp".into(),
            redirect_uri: "https://webapp.example/callback".into(),
            auth_method: ClientAuthMethod::PrivateKeyJwt,
            dpop: true,
            use_par: true,
            ..ClientSettings::default()
        },
        policy: ServerPolicy {
            require_par: true,
            require_dpop: true,
            dpop_nonce: true,
            ..ServerPolicy::default()
        },
        ..Scenario::default()
    };
    scenario.registration.redirect_uris = vec!["https://webapp.example/callback".into()];
    scenario
}

fn exchanges_to<'r>(run: &'r Run, path: &str) -> Vec<&'r Exchange> {
    run.trace
        .iter()
        .filter(|exchange| exchange.request.url.path == path)
        .collect()
}

fn form(exchange: &Exchange) -> Vec<(String, String)> {
    exchange.request.params().unwrap()
}

fn param<'f>(form: &'f [(String, String)], name: &str) -> Option<&'f str> {
    form.iter()
        .find(|(n, _)| n == name)
        .map(|(_, v)| v.as_str())
}

fn claims_of(jwt: &str) -> Value {
    serde_json::from_slice(&b64_decode(jwt.split('.').nth(1).unwrap()).unwrap()).unwrap()
}

#[test]
fn a_scenario_that_needs_the_extensions_stops_without_them() {
    let run = fapi().run(oauth_engine::keys::demo_signing_key().unwrap());
    assert!(run.trace.is_empty());
    assert!(run.stopped.unwrap().contains("was not loaded"));
}

#[test]
fn fapi_flow_runs_to_the_end_with_par_dpop_and_private_key_jwt() {
    let run = run(&fapi());
    assert_eq!(run.stopped, None, "{:#?}", run.trace.last());
    // RFC 9126 section 2: the request is pushed first, on the back channel,
    // and the browser carries only client_id and request_uri (section 4).
    let first = &run.trace[0];
    assert_eq!(
        (first.from, first.request.url.path.as_str()),
        (Party::Client, "/par")
    );
    assert_eq!(first.response.status, 201);
    let authorize = &run.trace[1];
    let names: Vec<String> = authorize
        .request
        .url
        .query_pairs()
        .unwrap()
        .into_iter()
        .map(|(name, _)| name)
        .collect();
    assert_eq!(names, ["client_id", "request_uri"]);
    assert!(form(first).iter().any(|(name, _)| name == "code_challenge"));
}

#[test]
fn private_key_jwt_assertion_replaces_the_secret_at_par_and_token() {
    let run = run(&fapi());
    let key = client_key(ES256).public_jwk().clone();
    for exchange in exchanges_to(&run, "/par")
        .into_iter()
        .chain(exchanges_to(&run, "/token"))
    {
        let form = form(exchange);
        // RFC 7523 section 2.2: the assertion and its type; no secret.
        assert_eq!(param(&form, "client_assertion_type"), Some(JWT_BEARER));
        assert_eq!(param(&form, "client_secret"), None);
        assert!(exchange.request.headers.get("Authorization").is_none());
        let assertion = param(&form, "client_assertion").unwrap();
        // Section 3: iss = sub = client_id, aud the issuer, a short exp.
        let claims = claims_of(assertion);
        assert_eq!(claims["iss"], "webapp");
        assert_eq!(claims["sub"], "webapp");
        assert_eq!(claims["aud"], "https://as.example");
        assert!(claims["exp"].as_u64().unwrap() - claims["iat"].as_u64().unwrap() <= 60);
        // The signature checks with the registered public key.
        let (input, signature) = assertion.rsplit_once('.').unwrap();
        (ES256.verify)(&key, input.as_bytes(), signature).unwrap();
    }
    // Section 3, item 7: each assertion's jti is new.
    let jtis: Vec<Value> = exchanges_to(&run, "/token")
        .iter()
        .map(|exchange| {
            claims_of(param(&form(exchange), "client_assertion").unwrap())["jti"].clone()
        })
        .collect();
    assert!(jtis.windows(2).all(|pair| pair[0] != pair[1]));
}

#[test]
fn dpop_nonce_is_asked_for_then_the_client_retries_with_it() {
    let run = run(&fapi());
    let tokens = exchanges_to(&run, "/token");
    // RFC 9449 section 8: the first proof has no nonce and is refused with
    // use_dpop_nonce and a DPoP-Nonce header; the retry carries it.
    let (refused, accepted) = (tokens[0], tokens[1]);
    assert_eq!(refused.response.status, 400);
    assert_eq!(
        refused.response.json_body().unwrap()["error"],
        "use_dpop_nonce"
    );
    let nonce = refused.response.headers.get("DPoP-Nonce").unwrap();
    let proof = accepted.request.headers.get("DPoP").unwrap();
    assert_eq!(claims_of(proof)["nonce"], nonce);
    assert_eq!(accepted.response.status, 200);
    // Section 5: the token is bound, and typed DPoP.
    let body = accepted.response.json_body().unwrap();
    assert_eq!(body["token_type"], "DPoP");
}

#[test]
fn dpop_api_call_presents_the_bound_token_with_a_proof_for_it() {
    let run = run(&fapi());
    let calls = exchanges_to(&run, "/profile");
    assert!(!calls.is_empty());
    for call in calls {
        assert_eq!(call.response.status, 200, "{}", call.response.body);
        let (scheme, token) = call.request.authorization().unwrap();
        assert_eq!(scheme, "DPoP");
        // RFC 9449 section 7: the proof is for this request and this
        // token, by the key the token is bound to (cnf.jkt).
        let proof = call.request.headers.get("DPoP").unwrap();
        let context = ProofContext {
            method: Method::Get,
            url: &call.request.url,
            now: call.at,
            access_token: Some(token),
            nonce: None,
            es256: ES256,
        };
        let valid = check_proof(proof, &context).unwrap();
        assert_eq!(claims_of(token)["cnf"]["jkt"], valid.jkt.as_str());
        let header: Value =
            serde_json::from_slice(&b64_decode(proof.split('.').next().unwrap()).unwrap()).unwrap();
        assert_eq!(thumbprint(&header["jwk"]).unwrap(), valid.jkt);
    }
}

fn opaque() -> Scenario {
    Scenario {
        policy: ServerPolicy {
            opaque_access_tokens: true,
            ..ServerPolicy::default()
        },
        ..Scenario::default()
    }
}

#[test]
fn opaque_tokens_are_introspected_by_the_api_and_the_answer_cached() {
    let run = run(&opaque());
    assert_eq!(run.stopped, None);
    let asked = exchanges_to(&run, "/introspect");
    // RFC 7662 section 2.1: the API asks, authenticated; section 4: its
    // second call, moments later, is answered from its cache.
    assert_eq!(asked.len(), 1);
    assert_eq!(asked[0].from, Party::ResourceServer);
    assert_eq!(param(&form(asked[0]), "client_id"), Some("api"));
    let answer = asked[0].response.json_body().unwrap();
    assert_eq!(answer["active"], true);
    assert_eq!(answer["scope"], "read write");
    assert_eq!(exchanges_to(&run, "/profile").len(), 2);
}

#[test]
fn introspection_cache_expires_and_the_api_asks_again() {
    let scenario = Scenario {
        timeline: Timeline {
            between_api_calls: oauth_engine::resource::CACHE_SECONDS + 1,
            ..Timeline::default()
        },
        ..opaque()
    };
    let run = run(&scenario);
    assert_eq!(run.stopped, None);
    assert_eq!(exchanges_to(&run, "/introspect").len(), 2);
}

#[test]
fn sign_out_revokes_the_refresh_token_and_the_api_refuses_the_access_token() {
    let scenario = Scenario {
        sign_out: true,
        ..Scenario::default()
    };
    let run = run(&scenario);
    assert_eq!(run.stopped, None);
    let revoke = exchanges_to(&run, "/revoke");
    // RFC 7009 section 2.1: the refresh token, with its hint; 2.2: 200.
    let form = form(revoke[0]);
    assert_eq!(param(&form, "token_type_hint"), Some("refresh_token"));
    assert_eq!(revoke[0].response.status, 200);
    // Section 2.1: revoking it revokes the access token issued with it.
    let last = run.trace.last().unwrap();
    assert_eq!(last.request.url.path, "/profile");
    assert_eq!(last.response.status, 401);
    assert!(last.response.body.contains("revoked"));
    assert!(run.client.tokens.is_none());
}

#[test]
fn sign_out_reaches_an_api_with_cached_introspection_only_when_its_cache_runs_out() {
    let scenario = Scenario {
        sign_out: true,
        ..opaque()
    };
    let run = run(&scenario);
    assert_eq!(run.stopped, None);
    // RFC 7662 section 4: the answer cached before the revocation still
    // stands, and the step says why.
    let last = run.trace.last().unwrap();
    assert_eq!(last.response.status, 200);
    assert!(last.explanation.contains("cached"));
}

#[test]
fn dpop_bound_refresh_needs_a_proof_by_the_same_key_and_gets_one() {
    let scenario = Scenario {
        timeline: Timeline {
            between_api_calls: 400,
            ..Timeline::default()
        },
        ..fapi()
    };
    let run = run(&scenario);
    assert_eq!(run.stopped, None, "{:#?}", run.trace.last());
    // RFC 9449 section 5: the refresh carries a proof, by the key the
    // first tokens were bound to, and the new token is bound to it too.
    let refresh = exchanges_to(&run, "/token")
        .into_iter()
        .find(|exchange| param(&form(exchange), "grant_type") == Some("refresh_token"))
        .unwrap();
    assert_eq!(refresh.response.status, 200, "{}", refresh.response.body);
    let proof = refresh.request.headers.get("DPoP").unwrap();
    let header: Value =
        serde_json::from_slice(&b64_decode(proof.split('.').next().unwrap()).unwrap()).unwrap();
    let token = refresh.response.json_body().unwrap()["access_token"].clone();
    assert_eq!(
        claims_of(token.as_str().unwrap())["cnf"]["jkt"],
        thumbprint(&header["jwk"]).unwrap().as_str()
    );
}

#[test]
fn rfc6749_4_1_2_a_replayed_code_is_refused_for_the_code_even_with_a_valid_assertion_and_proof() {
    let mut scenario = fapi();
    scenario.incidents.reload_callback = true;
    let run = run(&scenario);
    let tokens = exchanges_to(&run, "/token");
    let replay = tokens.last().unwrap();
    // The client signs the replay as it signs every token request, so what
    // the server refuses is the code, not a missing credential.
    assert_eq!(
        param(&form(replay), "client_assertion_type"),
        Some(JWT_BEARER)
    );
    assert!(replay.request.headers.get("DPoP").is_some());
    assert_eq!(replay.response.status, 400);
    assert_eq!(
        replay.response.json_body().unwrap()["error"],
        "invalid_grant"
    );
}

#[test]
fn every_parameter_member_and_header_of_the_deployed_flows_has_a_glossary_entry() {
    let signing_out = Scenario {
        sign_out: true,
        ..fapi()
    };
    let mut missing = Vec::new();
    for scenario in [fapi(), opaque(), signing_out] {
        for exchange in &run(&scenario).trace {
            for name in names_in(exchange) {
                if oauth_engine::params::param_info(&name).is_none() {
                    missing.push(format!("{name} ({})", exchange.request_line()));
                }
            }
        }
    }
    assert_eq!(missing, Vec::<String>::new(), "no glossary entry");
}
