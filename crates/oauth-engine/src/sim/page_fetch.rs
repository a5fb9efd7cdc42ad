//! A client that runs in the page: a single-page app, whose requests to
//! the servers are the page's cross-origin `fetch`es, under the browser's
//! CORS protocol (`crate::cors`, after the WHATWG Fetch Standard), and the
//! servers' CORS layer that answers them. What the scenario says
//! ([`BrowserApp`]), what the network is handed for it ([`PageCors`], its
//! [`Page`]), and the sentences that tell each step.

use serde::{Deserialize, Serialize};

use super::network::{Network, Page};
use super::trace::{Exchange, Party, RfcRef};
use crate::channel::Channel;
use crate::cors::{self, CorsPolicy, Credentials, CrossOriginFetch, PreflightCache};
use crate::http::{Request, Response};

/// The origin the presets' single-page app runs at.
pub const APP_ORIGIN: &str = "https://spa.example";

/// How long the servers let a browser keep a preflight's answer, in
/// seconds.
const PREFLIGHT_MAX_AGE: u32 = 600;

/// The preflight is an `OPTIONS` request (RFC 9110 section 9.3.7) that
/// names the page's `Origin` (RFC 6454 section 7); the rest of its rules
/// are the Fetch Standard's, which has no RFC number.
const PREFLIGHT: [RfcRef; 2] = [RfcRef::new(9110, "9.3.7"), RfcRef::new(6454, "7")];

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

/// What the network is handed for a run whose client is in the page:
/// each server's CORS policy, the browser's preflight cache, and why the
/// browser last kept an answer from the page, until a flow takes it.
#[derive(Debug, Clone)]
pub struct PageCors {
    server: CorsPolicy,
    api: CorsPolicy,
    cache: PreflightCache,
    refusal: Option<String>,
}

impl PageCors {
    pub fn new(app: &BrowserApp) -> Self {
        let policy = |allowed: &[String]| CorsPolicy {
            allowed_origins: allowed.to_vec(),
            // Authorization for client_secret_basic and Bearer tokens,
            // DPoP for proofs.
            allowed_headers: vec!["Authorization".into(), "DPoP".into()],
            allow_credentials: false,
            max_age: PREFLIGHT_MAX_AGE,
        };
        Self {
            server: policy(&app.server_allows),
            api: policy(&app.api_allows),
            cache: PreflightCache::default(),
            refusal: None,
        }
    }
}

/// The client in the page of a scenario whose app is `app`, for a run
/// (`run::Scenario::run_given`).
pub fn page(app: &BrowserApp) -> Box<dyn Page> {
    Box::new(PageCors::new(app))
}

impl PageCors {
    /// The page's `fetch` (Fetch Standard, the CORS protocol): the
    /// browser's preflight first when one is needed and not cached,
    /// recorded as the browser's own request, then the request, recorded as
    /// `from`'s (the page's code in its lane), unless the preflight's answer
    /// refused it. The page gets the answer only if the CORS check allows
    /// it; otherwise a network error (status 0, as the standard has it), and
    /// the refusal says why.
    pub fn fetch_from(
        &mut self,
        from: Party,
        network: &mut Network<'_>,
        channel: Channel,
        request: Request,
        explanation: &str,
        rfc_refs: &[RfcRef],
    ) -> Response {
        let origin = network.client_origin.clone();
        let now = network.clock.now();
        let mut cache = std::mem::take(&mut self.cache);
        let run = cors::fetch(
            &origin,
            request,
            Credentials::NotIncluded,
            &mut cache,
            now,
            |sent| network.route(sent, Some(&*self)),
        );
        self.cache = cache;
        self.refusal = run.console_message(&origin);
        // The preflight and the request go to the same URL.
        let Some((asked, _)) = run.preflight.as_ref().or(run.sent.as_ref()) else {
            return Response::new(0);
        };
        let to = network.party_at(&asked.url);
        let mut record =
            |from, (request, response): &(Request, Response), explanation, refs: &[RfcRef]| {
                network.record(Exchange {
                    from,
                    to,
                    channel,
                    request: request.clone(),
                    response: response.clone(),
                    navigates: false,
                    fragment: None,
                    at: now,
                    explanation,
                    rfc_refs: refs.to_vec(),
                });
            };
        let refusal = self.refusal.as_deref();
        if let Some(preflight) = &run.preflight {
            let explanation = preflight_explanation(&run, &origin, refusal);
            record(Party::Browser, preflight, explanation, &PREFLIGHT);
        }
        let Some(sent) = &run.sent else {
            return Response::new(0);
        };
        let explanation = request_explanation(&origin, explanation, refusal);
        record(from, sent, explanation, rfc_refs);
        match self.refusal {
            None => sent.1.clone(),
            Some(_) => Response::new(0),
        }
    }
}

impl Page for PageCors {
    /// The client's `fetch`, when the client is the page's code.
    fn fetch(
        &mut self,
        network: &mut Network<'_>,
        channel: Channel,
        request: Request,
        explanation: &str,
        rfc_refs: &[RfcRef],
    ) -> Response {
        self.fetch_from(
            Party::Client,
            network,
            channel,
            request,
            explanation,
            rfc_refs,
        )
    }

    /// The CORS layer in front of the server at `to`, as a gateway or a
    /// middleware adds it: it answers a preflight itself and adds the
    /// headers for an allowed origin to what `handle` answers. A request
    /// without an `Origin` passes as it is.
    fn layer(
        &self,
        to: Party,
        request: &Request,
        handle: &mut dyn FnMut() -> Response,
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

    fn take_refusal(&mut self) -> Option<String> {
        self.refusal.take()
    }
}

/// What the preflight step of `run`, from the page at `origin`, says;
/// `refusal` is the console's message if the browser refused the fetch.
fn preflight_explanation(run: &CrossOriginFetch, origin: &str, refusal: Option<&str>) -> String {
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
    let question = format!(
        "Before the app's {method}{headers} goes to another origin, the browser asks the server \
         whether {origin} may send it: a CORS preflight, sent by the browser itself, without the \
         app's headers or token."
    );
    match (&run.sent, refusal) {
        (None, Some(message)) => format!(
            "{question} The answer does not allow it, so the browser never sends the app's \
             request, and the app's fetch fails with a TypeError. Only the console says why: \
             {message}"
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

/// What the step of the app's own request says: `explanation`, and what
/// the browser did with the answer, refused with the console's `refusal`
/// or not.
fn request_explanation(origin: &str, explanation: &str, refusal: Option<&str>) -> String {
    match refusal {
        None => format!(
            "{explanation} The answer names {origin} in Access-Control-Allow-Origin, so the \
             browser lets the app read it."
        ),
        Some(message) => format!(
            "{explanation} But the server does not allow {origin}: the browser keeps the answer \
             from the app, whose fetch fails with a TypeError. Only the console says why: \
             {message} CORS protects the answer, not the server: the request was sent and \
             handled all the same."
        ),
    }
}
