//! A client that runs in the page: a single-page app, whose requests to
//! the servers are the page's cross-origin `fetch`es, under the browser's
//! CORS protocol (`crate::cors`, after the WHATWG Fetch Standard), and the
//! servers' CORS layer that answers them. What the scenario says
//! ([`BrowserApp`]), what the network keeps for it ([`PageCors`]), and the
//! sentences that tell each step. The network dispatches here.

use serde::{Deserialize, Serialize};

use super::trace::{Party, RfcRef};
use crate::cors::{CorsPolicy, CrossOriginFetch, PreflightCache};
use crate::http::{Request, Response};

/// The origin the presets' single-page app runs at.
pub const APP_ORIGIN: &str = "https://spa.example";

/// How long the servers let a browser keep a preflight's answer, in
/// seconds.
const PREFLIGHT_MAX_AGE: u32 = 600;

/// The preflight is an `OPTIONS` request (RFC 9110 section 9.3.7) that
/// names the page's `Origin` (RFC 6454 section 7); the rest of its rules
/// are the Fetch Standard's, which has no RFC number.
pub const PREFLIGHT: [RfcRef; 2] = [RfcRef::new(9110, "9.3.7"), RfcRef::new(6454, "7")];

/// The scenario's single-page app: the origins each server's CORS policy
/// allows. A server allows none by default, as most do; these name the
/// app's.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct BrowserApp {
    /// Origins the authorization server allows (its token endpoint, its
    /// JWKS), each serialized as a browser sends it: `https://host`, no
    /// path and no trailing slash.
    pub server_allows: Vec<String>,
    /// Origins the API allows.
    pub api_allows: Vec<String>,
}

impl Default for BrowserApp {
    fn default() -> Self {
        Self {
            server_allows: vec![APP_ORIGIN.into()],
            api_allows: vec![APP_ORIGIN.into()],
        }
    }
}

/// What the network keeps for a run whose client is in the page: each
/// server's CORS policy, the browser's preflight cache, and why the
/// browser last kept an answer from the page, until a flow takes it.
#[derive(Debug, Clone)]
pub struct PageCors {
    server: CorsPolicy,
    api: CorsPolicy,
    pub cache: PreflightCache,
    pub refusal: Option<String>,
}

impl PageCors {
    pub fn new(app: &BrowserApp) -> Self {
        let policy = |allowed: &[String], headers: &[&str]| CorsPolicy {
            allowed_origins: allowed.to_vec(),
            allowed_headers: headers.iter().map(|name| (*name).to_owned()).collect(),
            allow_credentials: false,
            max_age: PREFLIGHT_MAX_AGE,
        };
        Self {
            // Authorization for client_secret_basic, DPoP for proofs.
            server: policy(&app.server_allows, &["Authorization", "DPoP"]),
            api: policy(&app.api_allows, &["Authorization", "DPoP"]),
            cache: PreflightCache::default(),
            refusal: None,
        }
    }

    /// The CORS layer in front of the server at `to`, as a gateway or a
    /// middleware adds it: it answers a preflight itself and adds the
    /// headers for an allowed origin to what `handle` answers. A request
    /// without an `Origin` passes as it is.
    pub fn layer(
        &self,
        to: Party,
        request: &Request,
        handle: impl FnOnce() -> Response,
    ) -> Response {
        let policy = match to {
            Party::AuthorizationServer => &self.server,
            Party::ResourceServer => &self.api,
            _ => return handle(),
        };
        if request.headers.get("Origin").is_none() {
            handle()
        } else if CorsPolicy::is_preflight(request) {
            policy.answer_preflight(request)
        } else {
            policy.decorate(request, handle())
        }
    }
}

/// The server's name, for a sentence.
fn server_name(server: Party) -> &'static str {
    match server {
        Party::AuthorizationServer => "the authorization server",
        Party::ResourceServer => "the API",
        _ => "the server",
    }
}

/// What the preflight step of `run`, from the page at `origin` to
/// `server`, says.
pub fn preflight_explanation(run: &CrossOriginFetch, origin: &str, server: Party) -> String {
    let Some((asked, answer)) = &run.preflight else {
        return String::new();
    };
    let headers = asked
        .headers
        .get("Access-Control-Request-Headers")
        .map(|names| format!(" with the header {names}"))
        .unwrap_or_default();
    let method = asked
        .headers
        .get("Access-Control-Request-Method")
        .unwrap_or("GET");
    let server = server_name(server);
    let question = format!(
        "Before the app's {method}{headers} goes to another origin, the browser asks {server} \
         whether {origin} may send it: a CORS preflight, which the browser sends itself, without \
         the app's headers or token."
    );
    match (&run.sent, run.console_message(origin)) {
        (None, Some(message)) => format!(
            "{question} The answer does not allow it, so the browser never sends the app's \
             request, and the app's fetch fails with a TypeError that says nothing more. Only the \
             console says why: {message}"
        ),
        _ => {
            let seconds = answer.headers.get("Access-Control-Max-Age").unwrap_or("5");
            format!(
                "{question} The answer allows it, and the browser may reuse it for {seconds} s \
                 without asking again."
            )
        }
    }
}

/// What the step of the app's own request to `server` says:
/// `explanation`, and what the browser did with the answer.
pub fn request_explanation(
    run: &CrossOriginFetch,
    origin: &str,
    server: Party,
    explanation: &str,
) -> String {
    let server = server_name(server);
    match run.console_message(origin) {
        None => format!(
            "{explanation} The answer names {origin} in Access-Control-Allow-Origin, so the \
             browser lets the app read it."
        ),
        Some(message) => format!(
            "{explanation} But {server} does not allow {origin}: the browser keeps the answer \
             from the app, whose fetch fails with a TypeError. Only the console says why: \
             {message} CORS protects the answer, not the server: the request was sent and \
             handled all the same."
        ),
    }
}
