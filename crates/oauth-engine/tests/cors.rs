//! The CORS protocol (WHATWG Fetch Standard), rule by rule: which requests
//! a page sends to another origin without asking, the preflight it sends
//! otherwise, and when the browser lets the page read the answer.

use oauth_engine::clock::UnixTime;
use oauth_engine::cors::{
    CorsError, CorsPolicy, Credentials, DEFAULT_MAX_AGE, MAX_AGE_CAP, PreflightCache,
    check_preflight, cors_check, fetch, is_safelisted_header, needs_preflight, preflight_request,
    unsafe_header_names,
};
use oauth_engine::http::{Method, Request, Response, Url};

#[cfg(target_arch = "wasm32")]
use wasm_bindgen_test::wasm_bindgen_test as test;
#[cfg(target_arch = "wasm32")]
wasm_bindgen_test::wasm_bindgen_test_configure!(run_in_browser);

const APP: &str = "https://app.example";
const OTHER: &str = "https://evil.example";
const NOW: UnixTime = UnixTime(1_767_225_600);

fn token_request() -> Request {
    Request::post_form(
        Url::parse("https://as.example/token").unwrap(),
        &[("grant_type", "authorization_code"), ("code", "abc")],
    )
}

fn api_call() -> Request {
    Request::get(Url::parse("https://api.example/photos").unwrap())
        .with_header("Authorization", "Bearer abc")
}

fn allowing(origin: &str) -> Response {
    Response::new(200).with_header("Access-Control-Allow-Origin", origin)
}

fn policy() -> CorsPolicy {
    CorsPolicy {
        allowed_origins: vec![APP.to_owned()],
        allowed_headers: vec!["Authorization".to_owned(), "DPoP".to_owned()],
        allow_credentials: false,
        max_age: 600,
    }
}

// Fetch, "CORS-safelisted request-header" and "CORS-unsafe request-header
// names".

#[test]
fn a_form_post_is_a_simple_request_and_needs_no_preflight() {
    // The token request of RFC 6749 section 4.1.3: POST, form-encoded.
    assert!(!needs_preflight(&token_request()));
}

#[test]
fn an_authorization_header_needs_a_preflight() {
    assert!(needs_preflight(&api_call()));
    assert_eq!(unsafe_header_names(&api_call().headers), ["authorization"]);
}

#[test]
fn a_dpop_header_needs_a_preflight() {
    let request = token_request().with_header("DPoP", "eyJ...");
    assert!(needs_preflight(&request));
}

#[test]
fn a_json_content_type_needs_a_preflight() {
    assert!(!is_safelisted_header("Content-Type", "application/json"));
    assert!(is_safelisted_header(
        "content-type",
        "text/plain; charset=utf-8"
    ));
    assert!(is_safelisted_header(
        "Content-Type",
        "MULTIPART/FORM-DATA; boundary=x"
    ));
}

#[test]
fn an_options_request_is_not_a_safelisted_method() {
    let request = Request {
        method: Method::Options,
        ..token_request()
    };
    assert!(needs_preflight(&request));
}

#[test]
fn a_safelisted_header_longer_than_128_bytes_is_unsafe() {
    assert!(is_safelisted_header("Accept", &"a".repeat(128)));
    assert!(!is_safelisted_header("Accept", &"a".repeat(129)));
}

#[test]
fn safelisted_values_over_1024_bytes_together_are_all_unsafe() {
    let mut request = Request::get(Url::parse("https://api.example/").unwrap());
    for _ in 0..9 {
        request = request.with_header("Accept", "a".repeat(120));
    }
    // 9 × 120 = 1080 bytes: every one of them now needs asking about.
    assert_eq!(unsafe_header_names(&request.headers), ["accept"]);
    assert!(needs_preflight(&request));
}

#[test]
fn unsafe_bytes_make_accept_and_content_type_unsafe() {
    assert!(!is_safelisted_header("Accept", "text/html\"x"));
    assert!(!is_safelisted_header("Content-Type", "text/plain; a=\"b\""));
    assert!(!is_safelisted_header("Content-Language", "en_US"));
    assert!(is_safelisted_header("Accept-Language", "en-US,en;q=0.9"));
}

#[test]
fn only_a_simple_range_is_safelisted() {
    assert!(is_safelisted_header("Range", "bytes=0-"));
    assert!(is_safelisted_header("Range", "bytes=10-20"));
    assert!(!is_safelisted_header("Range", "bytes=20-10"));
    assert!(!is_safelisted_header("Range", "bytes=0-1,5-6"));
    assert!(!is_safelisted_header("Range", "bytes=-5"));
}

// Fetch, "CORS-preflight fetch".

#[test]
fn the_preflight_names_the_method_and_the_unsafe_headers_sorted_lowercase() {
    let request = api_call()
        .with_header("DPoP", "eyJ...")
        .with_header("Accept", "*/*");
    let preflight = preflight_request(APP, &request);
    assert_eq!(preflight.method, Method::Options);
    assert_eq!(preflight.url, request.url);
    assert_eq!(preflight.headers.get("Origin"), Some(APP));
    assert_eq!(
        preflight.headers.get("Access-Control-Request-Method"),
        Some("GET")
    );
    assert_eq!(
        preflight.headers.get("Access-Control-Request-Headers"),
        Some("authorization,dpop")
    );
    // No credentials on a preflight, ever.
    assert_eq!(preflight.headers.get("Authorization"), None);
    assert!(
        preflight
            .to_http_text()
            .starts_with("OPTIONS /photos HTTP/1.1\r\n")
    );
}

#[test]
fn a_preflight_answer_must_have_an_ok_status() {
    let answer = Response::new(403).with_header("Access-Control-Allow-Origin", APP);
    assert_eq!(
        check_preflight(&answer, APP, &api_call(), Credentials::NotIncluded),
        Err(CorsError::PreflightStatus(403))
    );
}

#[test]
fn a_preflight_answer_must_list_each_unsafe_header() {
    let answer = Response::new(204)
        .with_header("Access-Control-Allow-Origin", APP)
        .with_header("Access-Control-Allow-Headers", "Authorization");
    let request = api_call().with_header("DPoP", "eyJ...");
    assert_eq!(
        check_preflight(&answer, APP, &request, Credentials::NotIncluded),
        Err(CorsError::HeaderNotAllowed("dpop".into()))
    );
    let answer = answer.with_header("Access-Control-Allow-Headers", "dpop");
    assert_eq!(
        check_preflight(&answer, APP, &request, Credentials::NotIncluded),
        Ok(())
    );
}

#[test]
fn a_wildcard_never_covers_the_authorization_header() {
    let answer = Response::new(204)
        .with_header("Access-Control-Allow-Origin", "*")
        .with_header("Access-Control-Allow-Headers", "*");
    // `*` covers DPoP without credentials...
    let dpop = token_request().with_header("DPoP", "eyJ...");
    assert_eq!(
        check_preflight(&answer, APP, &dpop, Credentials::NotIncluded),
        Ok(())
    );
    // ...but Authorization is a CORS non-wildcard request-header name.
    assert_eq!(
        check_preflight(&answer, APP, &api_call(), Credentials::NotIncluded),
        Err(CorsError::AuthorizationNotNamed)
    );
    // Named beside the wildcard, it is allowed.
    let named = answer.with_header("Access-Control-Allow-Headers", "Authorization");
    assert_eq!(
        check_preflight(&named, APP, &api_call(), Credentials::NotIncluded),
        Ok(())
    );
}

#[test]
fn a_wildcard_header_list_means_the_name_star_with_credentials() {
    let answer = Response::new(204)
        .with_header("Access-Control-Allow-Origin", APP)
        .with_header("Access-Control-Allow-Credentials", "true")
        .with_header("Access-Control-Allow-Headers", "*");
    let dpop = token_request().with_header("DPoP", "eyJ...");
    assert_eq!(
        check_preflight(&answer, APP, &dpop, Credentials::Include),
        Err(CorsError::HeaderNotAllowed("dpop".into()))
    );
}

#[test]
fn a_method_that_is_not_safelisted_must_be_listed() {
    let request = Request {
        method: Method::Options,
        ..token_request()
    };
    let answer = Response::new(204).with_header("Access-Control-Allow-Origin", APP);
    assert_eq!(
        check_preflight(&answer, APP, &request, Credentials::NotIncluded),
        Err(CorsError::MethodNotAllowed("OPTIONS".into()))
    );
    let answer = answer.with_header("Access-Control-Allow-Methods", "GET, OPTIONS");
    assert_eq!(
        check_preflight(&answer, APP, &request, Credentials::NotIncluded),
        Ok(())
    );
}

#[test]
fn a_list_that_is_not_of_tokens_fails_the_preflight() {
    let answer = Response::new(204)
        .with_header("Access-Control-Allow-Origin", APP)
        .with_header("Access-Control-Allow-Headers", "Authorization, x y");
    assert_eq!(
        check_preflight(&answer, APP, &api_call(), Credentials::NotIncluded),
        Err(CorsError::MalformedList {
            header: "Access-Control-Allow-Headers"
        })
    );
}

// Fetch, "CORS check".

#[test]
fn a_response_without_allow_origin_is_blocked() {
    let error = cors_check(&Response::new(200), APP, Credentials::NotIncluded).unwrap_err();
    assert_eq!(error, CorsError::NoAllowOrigin);
    assert_eq!(
        error.to_string(),
        "No 'Access-Control-Allow-Origin' header is present on the requested resource."
    );
}

#[test]
fn the_page_origin_named_exactly_is_allowed_and_another_is_refused() {
    assert_eq!(
        cors_check(&allowing(APP), APP, Credentials::NotIncluded),
        Ok(())
    );
    assert_eq!(
        cors_check(&allowing(OTHER), APP, Credentials::NotIncluded),
        Err(CorsError::OtherOrigin {
            allowed: OTHER.into()
        })
    );
    // Byte for byte: a trailing slash is another string.
    assert!(
        cors_check(
            &allowing("https://app.example/"),
            APP,
            Credentials::NotIncluded
        )
        .is_err()
    );
}

#[test]
fn several_allowed_origins_are_refused() {
    let both = allowing(APP).with_header("Access-Control-Allow-Origin", OTHER);
    assert!(matches!(
        cors_check(&both, APP, Credentials::NotIncluded),
        Err(CorsError::SeveralAllowOrigins(_))
    ));
    assert!(matches!(
        cors_check(
            &allowing(&format!("{APP}, {OTHER}")),
            APP,
            Credentials::NotIncluded
        ),
        Err(CorsError::SeveralAllowOrigins(_))
    ));
}

#[test]
fn the_wildcard_origin_is_enough_only_without_credentials() {
    assert_eq!(
        cors_check(&allowing("*"), APP, Credentials::NotIncluded),
        Ok(())
    );
    assert_eq!(
        cors_check(&allowing("*"), APP, Credentials::Include),
        Err(CorsError::WildcardWithCredentials)
    );
}

#[test]
fn credentials_need_allow_credentials_exactly_true() {
    assert_eq!(
        cors_check(&allowing(APP), APP, Credentials::Include),
        Err(CorsError::CredentialsNotAllowed)
    );
    let yes = allowing(APP).with_header("Access-Control-Allow-Credentials", "true");
    assert_eq!(cors_check(&yes, APP, Credentials::Include), Ok(()));
    let capital = allowing(APP).with_header("Access-Control-Allow-Credentials", "True");
    assert!(cors_check(&capital, APP, Credentials::Include).is_err());
}

// The server's side, and a whole fetch.

#[test]
fn the_server_answers_a_preflight_from_an_allowed_origin() {
    let preflight = preflight_request(APP, &api_call().with_header("DPoP", "eyJ..."));
    assert!(CorsPolicy::is_preflight(&preflight));
    let answer = policy().answer_preflight(&preflight);
    assert_eq!(answer.status, 204);
    assert_eq!(answer.headers.get("Access-Control-Allow-Origin"), Some(APP));
    assert_eq!(
        answer.headers.get("Access-Control-Allow-Methods"),
        Some("GET")
    );
    assert_eq!(
        answer.headers.get("Access-Control-Allow-Headers"),
        Some("authorization, dpop")
    );
    assert_eq!(answer.headers.get("Vary"), Some("Origin"));
    assert_eq!(
        check_preflight(&answer, APP, &api_call(), Credentials::NotIncluded),
        Ok(())
    );
}

#[test]
fn the_server_gives_another_origin_no_cors_headers() {
    let preflight = preflight_request(OTHER, &api_call());
    let answer = policy().answer_preflight(&preflight);
    assert_eq!(answer.headers.get("Access-Control-Allow-Origin"), None);
    assert_eq!(
        check_preflight(&answer, OTHER, &api_call(), Credentials::NotIncluded),
        Err(CorsError::NoAllowOrigin)
    );
    let request = token_request().with_header("Origin", OTHER);
    let response = policy().decorate(&request, Response::new(200));
    assert_eq!(response.headers.get("Access-Control-Allow-Origin"), None);
    assert_eq!(response.headers.get("Vary"), Some("Origin"));
}

#[test]
fn a_simple_request_refused_by_cors_still_reaches_the_server() {
    // The token request needs no preflight: the server gets it, answers,
    // and only then does the browser keep the answer from the page.
    let mut received = Vec::new();
    let run = fetch(
        APP,
        token_request(),
        Credentials::NotIncluded,
        &mut PreflightCache::default(),
        NOW,
        |request| {
            received.push(request.clone());
            Response::new(200).with_body("{\"access_token\":\"abc\"}")
        },
    );
    assert_eq!(run.preflight, None);
    assert!(run.reached_server());
    assert_eq!(received.len(), 1);
    assert_eq!(received[0].headers.get("Origin"), Some(APP));
    assert_eq!(run.outcome, Err(CorsError::NoAllowOrigin));
}

#[test]
fn a_refused_preflight_keeps_the_request_from_being_sent() {
    let mut received = Vec::new();
    let run = fetch(
        OTHER,
        api_call(),
        Credentials::NotIncluded,
        &mut PreflightCache::default(),
        NOW,
        |request| {
            received.push(request.method);
            if CorsPolicy::is_preflight(request) {
                policy().answer_preflight(request)
            } else {
                policy().decorate(request, Response::new(200))
            }
        },
    );
    assert_eq!(received, [Method::Options]);
    assert!(!run.reached_server());
    assert_eq!(run.outcome, Err(CorsError::NoAllowOrigin));
}

#[test]
fn an_allowed_origin_reads_the_answer_after_its_preflight() {
    let run = fetch(
        APP,
        api_call(),
        Credentials::NotIncluded,
        &mut PreflightCache::default(),
        NOW,
        |request| {
            if CorsPolicy::is_preflight(request) {
                policy().answer_preflight(request)
            } else {
                policy().decorate(request, Response::new(200))
            }
        },
    );
    let (preflight, _) = run
        .preflight
        .as_ref()
        .expect("a preflight for Authorization");
    assert_eq!(preflight.method, Method::Options);
    let (sent, _) = run.sent.as_ref().expect("the request itself");
    assert_eq!(sent.headers.get("Authorization"), Some("Bearer abc"));
    assert_eq!(run.outcome, Ok(()));
}

// Natively only: proptest is not built for wasm32.
#[cfg(not(target_arch = "wasm32"))]
mod properties {
    use super::*;
    use proptest::prelude::*;

    proptest! {
        // Header names are case-insensitive (RFC 9110 section 5.1): the rules
        // give the same answer whatever the case.
        #[test]
        fn safelisting_ignores_the_header_name_case(upper in any::<bool>(), value in "[ -~]{0,140}") {
            for name in ["Accept", "Content-Type", "Content-Language", "Range", "DPoP"] {
                let name = if upper { name.to_ascii_uppercase() } else { name.to_ascii_lowercase() };
                prop_assert_eq!(
                    is_safelisted_header(&name, &value),
                    is_safelisted_header(&name.to_ascii_lowercase(), &value)
                );
            }
        }

        // The preflight asks about exactly the headers that made it needed,
        // each once, lowercase and sorted.
        #[test]
        fn the_preflight_lists_the_unsafe_names_sorted_and_once(
            names in proptest::collection::vec("[A-Za-z][A-Za-z-]{0,12}", 0..6),
        ) {
            let mut request = token_request();
            for name in &names {
                request = request.with_header(name, "v");
            }
            let listed = unsafe_header_names(&request.headers);
            let mut sorted = listed.clone();
            sorted.sort();
            sorted.dedup();
            prop_assert_eq!(&listed, &sorted);
            prop_assert!(listed.iter().all(|name| name == &name.to_ascii_lowercase()));
            prop_assert_eq!(needs_preflight(&request), !listed.is_empty());
            let preflight = preflight_request(APP, &request);
            let asked = preflight.headers.get("Access-Control-Request-Headers");
            prop_assert_eq!(asked.map(str::to_owned), (!listed.is_empty()).then(|| listed.join(",")));
        }
    }
}

// Fetch, "CORS-preflight cache".

/// The policy's answer to `request`'s preflight from `APP`.
fn preflight_answer(request: &Request) -> Response {
    policy().answer_preflight(&preflight_request(APP, request))
}

/// A cache that kept the answer to the API call's preflight from `APP` at
/// `NOW`, and the call.
fn cache_after_preflight() -> (PreflightCache, Request) {
    let mut cache = PreflightCache::default();
    let call = api_call();
    let answer = preflight_answer(&call);
    cache.store(APP, &call, Credentials::NotIncluded, &answer, NOW);
    (cache, call)
}

#[test]
fn a_preflight_answer_is_kept_for_its_max_age() {
    assert!(!PreflightCache::default().covers(APP, &api_call(), Credentials::NotIncluded, NOW));
    let (cache, call) = cache_after_preflight();
    assert!(cache.covers(APP, &call, Credentials::NotIncluded, NOW.plus(599)));
    assert!(!cache.covers(APP, &call, Credentials::NotIncluded, NOW.plus(600)));
}

#[test]
fn a_kept_answer_covers_only_its_origin_url_and_credentials_mode() {
    let (cache, call) = cache_after_preflight();
    let elsewhere = Request::get(Url::parse("https://api.example/other").unwrap())
        .with_header("Authorization", "Bearer abc");
    assert!(!cache.covers(APP, &elsewhere, Credentials::NotIncluded, NOW));
    assert!(!cache.covers(OTHER, &call, Credentials::NotIncluded, NOW));
    assert!(!cache.covers(APP, &call, Credentials::Include, NOW));
}

#[test]
fn a_kept_answer_covers_only_the_header_names_it_allowed() {
    let (cache, call) = cache_after_preflight();
    let with_proof = call.clone().with_header("DPoP", "eyJ");
    assert!(!cache.covers(APP, &with_proof, Credentials::NotIncluded, NOW));
}

#[test]
fn without_max_age_an_answer_is_kept_five_seconds() {
    let mut cache = PreflightCache::default();
    let call = api_call();
    let answer = Response::new(204)
        .with_header("Access-Control-Allow-Origin", APP)
        .with_header("Access-Control-Allow-Headers", "authorization");
    cache.store(APP, &call, Credentials::NotIncluded, &answer, NOW);
    assert!(cache.covers(
        APP,
        &call,
        Credentials::NotIncluded,
        NOW.plus(DEFAULT_MAX_AGE - 1)
    ));
    assert!(!cache.covers(
        APP,
        &call,
        Credentials::NotIncluded,
        NOW.plus(DEFAULT_MAX_AGE)
    ));
}

#[test]
fn a_max_age_past_two_hours_is_capped() {
    let mut cache = PreflightCache::default();
    let call = api_call();
    let answer = Response::new(204)
        .with_header("Access-Control-Allow-Origin", APP)
        .with_header("Access-Control-Allow-Headers", "authorization")
        .with_header("Access-Control-Max-Age", "86400");
    cache.store(APP, &call, Credentials::NotIncluded, &answer, NOW);
    assert!(cache.covers(
        APP,
        &call,
        Credentials::NotIncluded,
        NOW.plus(MAX_AGE_CAP - 1)
    ));
    assert!(!cache.covers(APP, &call, Credentials::NotIncluded, NOW.plus(MAX_AGE_CAP)));
}

#[test]
fn a_second_fetch_within_max_age_sends_no_preflight() {
    let mut cache = PreflightCache::default();
    let mut sent = Vec::new();
    let mut send = |request: &Request| {
        sent.push(request.method);
        if CorsPolicy::is_preflight(request) {
            policy().answer_preflight(request)
        } else {
            policy().decorate(request, Response::new(200))
        }
    };
    let first = fetch(
        APP,
        api_call(),
        Credentials::NotIncluded,
        &mut cache,
        NOW,
        &mut send,
    );
    let second = fetch(
        APP,
        api_call(),
        Credentials::NotIncluded,
        &mut cache,
        NOW.plus(60),
        &mut send,
    );
    assert!(first.preflight.is_some() && first.outcome.is_ok());
    assert!(second.preflight.is_none() && second.outcome.is_ok());
    assert_eq!(sent, [Method::Options, Method::Get, Method::Get]);
}

#[test]
fn a_refused_preflight_is_not_kept() {
    let mut cache = PreflightCache::default();
    let run = fetch(
        OTHER,
        api_call(),
        Credentials::NotIncluded,
        &mut cache,
        NOW,
        |request| policy().answer_preflight(request),
    );
    assert!(run.outcome.is_err());
    assert!(!cache.covers(OTHER, &api_call(), Credentials::NotIncluded, NOW));
}

#[test]
fn the_console_message_names_the_url_the_origin_and_the_preflight() {
    let refused_preflight = fetch(
        OTHER,
        api_call(),
        Credentials::NotIncluded,
        &mut PreflightCache::default(),
        NOW,
        |request| policy().answer_preflight(request),
    );
    assert_eq!(
        refused_preflight.console_message(OTHER).as_deref(),
        Some(
            "Access to fetch at 'https://api.example/photos' from origin 'https://evil.example' \
             has been blocked by CORS policy: Response to preflight request doesn't pass access \
             control check: No 'Access-Control-Allow-Origin' header is present on the requested \
             resource."
        )
    );
    let refused_answer = fetch(
        OTHER,
        token_request(),
        Credentials::NotIncluded,
        &mut PreflightCache::default(),
        NOW,
        |request| policy().decorate(request, Response::new(200)),
    );
    assert_eq!(
        refused_answer.console_message(OTHER).as_deref(),
        Some(
            "Access to fetch at 'https://as.example/token' from origin 'https://evil.example' \
             has been blocked by CORS policy: No 'Access-Control-Allow-Origin' header is present \
             on the requested resource."
        )
    );
    let allowed = fetch(
        APP,
        token_request(),
        Credentials::NotIncluded,
        &mut PreflightCache::default(),
        NOW,
        |request| policy().decorate(request, Response::new(200)),
    );
    assert_eq!(allowed.console_message(APP), None);
}
