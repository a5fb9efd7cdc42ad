//! The app of each architecture: its page in the browser and, for the two
//! with a backend, the backend behind it, which is the OAuth client there.
//! What the page's own code does: sign in, keep the tokens, show the user's
//! data. An injected script (`script.rs`) makes the page do the same.

use super::architecture::Architecture;
use crate::channel::Channel;
use crate::http::{Request, Response, Url};
use crate::sim::attacks::moves::{callback_page, location};
use crate::sim::browser::Browser;
use crate::sim::client::{Client, random_value};
use crate::sim::flows::steps::{
    api_url, keep_pending_in_browser, page_text, refresh, send_as_client, sign_in_and_consent,
};
use crate::sim::network::{Network, from_browser, navigate};
use crate::sim::page_fetch::{BrowserApp, PageCors};
use crate::sim::scenario::Scenario;
use crate::sim::stop::Stop;
use crate::sim::trace::{Party, RfcRef};
use crate::table::Table;

/// The backend's session cookie. The `__Host-` prefix pins it to the
/// backend's own host and path `/`; `HttpOnly` keeps it from every script,
/// `Secure` from plain HTTP, `SameSite=Strict` from other sites' requests
/// (draft-ietf-oauth-browser-based-apps-26 section 6.1.3.2).
pub(super) const SESSION_COOKIE: &str = "__Host-session";
/// Where the token-mediating backend hands the page its access token.
pub(super) const TOKEN_PATH: &str = "/session/token";
/// Where the BFF forwards the page's call to the API.
pub(super) const BFF_PATH: &str = "/bff/profile";
/// The keys the browser-only app keeps its tokens under.
pub(super) const STORED: [&str; 2] = ["access_token", "refresh_token"];

const AUTHORIZE: [RfcRef; 2] = [RfcRef::new(6749, "4.1.1"), RfcRef::new(7636, "4.3")];
const CALLBACK: [RfcRef; 2] = [RfcRef::new(6749, "4.1.2"), RfcRef::new(6265, "4.1.2.6")];
const TOKEN: [RfcRef; 2] = [RfcRef::new(6749, "4.1.3"), RfcRef::new(7636, "4.5")];
const API_CALL: [RfcRef; 1] = [RfcRef::new(6750, "2.1")];
const SESSION: [RfcRef; 1] = [RfcRef::new(6265, "5.4")];

/// The app, signed in or not.
pub(super) struct App {
    pub architecture: Architecture,
    pub browser: Browser,
    /// The OAuth client: the page's code, or the backend.
    pub client: Client,
    /// The backend's session, once its callback has set the cookie.
    pub session: Option<String>,
    /// The access token the page's code keeps in a variable, given by the
    /// token-mediating backend.
    pub page_token: Option<String>,
    /// The app's origin's `localStorage`: it outlives the tab, and every
    /// script of the origin reads it (draft-ietf-oauth-browser-based-apps-26
    /// section 8.5). Kept here, not in the simulated browser, as only this
    /// comparison uses it.
    pub local_storage: Table<String, String>,
    /// The browser's CORS for the page's own calls to the API, on another
    /// origin, which allows the app's: only the token-mediating backend's
    /// page makes them (the pages that are OAuth clients go through the
    /// network's, `page_fetch`).
    api_cors: PageCors,
}

impl App {
    pub fn new(architecture: Architecture, scenario: &Scenario) -> Self {
        let client = Client::new(scenario.client.clone());
        let api_cors = PageCors::new(&BrowserApp {
            server_allows: Vec::new(),
            api_allows: vec![client.settings.origin()],
        });
        Self {
            architecture,
            browser: Browser::new(scenario.referrer_policy),
            client,
            session: None,
            page_token: None,
            local_storage: Table::default(),
            api_cors,
        }
    }

    pub fn origin(&self) -> String {
        self.client.settings.origin()
    }

    /// The authorization code flow with PKCE, from the page or from the
    /// backend; a backend answers its callback with the session cookie.
    pub fn sign_in(&mut self, scenario: &Scenario, network: &mut Network<'_>) -> Result<(), Stop> {
        let issuer = network.server.issuer_id();
        let endpoint = network.server.endpoint("/authorize");
        let authorize = self
            .client
            .authorization_url(&endpoint, &mut *network.rng)?;
        let origin = self.origin();
        keep_pending_in_browser(&mut self.browser, &self.client, &origin);
        let who = if self.architecture.client_in_page() {
            "The app's script"
        } else {
            "The backend"
        };
        let page = navigate(
            network,
            &mut self.browser,
            Request::get(authorize),
            &format!(
                "{who} sends the browser to the authorization server with a fresh state and a \
                 PKCE code_challenge."
            ),
            &AUTHORIZE,
        );
        if page.status != 200 {
            return Err(Stop::ErrorPage(page_text(&page)));
        }
        let redirect = sign_in_and_consent(
            &scenario.user,
            network,
            &mut self.browser,
            &page,
            "Alice approves. The server sets its own session cookie in the browser and \
             redirects back with the code.",
            &[RfcRef::new(6749, "4.1.2")],
        )?;
        let callback = location(&redirect)
            .ok_or_else(|| Stop::ErrorPage("a redirect without Location".into()))?;
        let explanation = if self.architecture.client_in_page() {
            "The browser loads the app's callback page, whose script reads the code."
        } else {
            let session = random_value(&mut *network.rng)?;
            network.next_client_page = Some(callback_page(None).with_header(
                "Set-Cookie",
                format!("{SESSION_COOKIE}={session}; Path=/; Secure; HttpOnly; SameSite=Strict"),
            ));
            self.session = Some(session);
            "The browser brings the code to the backend's callback. The backend answers with \
             its session cookie: HttpOnly, so no script on the page can read it."
        };
        navigate(
            network,
            &mut self.browser,
            Request::get(callback.clone()),
            explanation,
            &CALLBACK,
        );
        let code = self.client.handle_callback(&callback, &issuer)?;
        let request = self
            .client
            .code_token_request(&network.server.endpoint("/token"), &code);
        let explanation = if self.architecture.client_in_page() {
            "The app's script redeems the code with its code_verifier. A public client: it has \
             no secret, because anything shipped to a browser is public."
        } else {
            "The backend redeems the code with its code_verifier and authenticates with its \
             client secret, which never leaves the server."
        };
        let response = send_as_client(network, &mut self.client, request, explanation, &TOKEN)?;
        self.client
            .accept_token_response(&response, network.clock.now())?;
        self.keep_tokens();
        Ok(())
    }

    /// The browser-only app in `localStorage` mode writes its tokens there,
    /// after every token response.
    fn keep_tokens(&mut self) {
        let (Architecture::LocalStorage, Some(tokens)) = (self.architecture, &self.client.tokens)
        else {
            return;
        };
        let values = [
            Some(tokens.access_token.secret().to_owned()),
            tokens.refresh_token.as_ref().map(|t| t.secret().to_owned()),
        ];
        for (key, value) in STORED.into_iter().zip(values) {
            if let Some(value) = value {
                self.local_storage.insert(key.to_owned(), value);
            }
        }
    }

    /// The page shows the user's data, by the app's own means: the API
    /// with its token, refreshed first when due; the API with the token the
    /// backend hands it; or the BFF's proxy. `by` says whose code asks.
    pub fn fetch_data(&mut self, network: &mut Network<'_>, by: &str) -> Result<Response, Stop> {
        match self.architecture {
            Architecture::LocalStorage | Architecture::Memory => {
                if self.client.token_due(network.clock.now()) {
                    refresh(network, &mut self.client)?;
                    self.keep_tokens();
                }
                let request = self.client.api_request(&api_url());
                send_as_client(
                    network,
                    &mut self.client,
                    request,
                    &format!("{by} calls the API with the access token."),
                    &API_CALL,
                )
            }
            Architecture::TokenMediatingBackend => {
                let answer = self.ask_backend(
                    network,
                    TOKEN_PATH,
                    &format!(
                        "{by} asks the backend for an access token. The browser adds the \
                         session cookie; the backend refreshes first if the token is due."
                    ),
                )?;
                let token = answer
                    .json_body()
                    .and_then(|body| body["access_token"].as_str().map(str::to_owned))
                    .ok_or_else(|| Stop::ErrorPage(page_text(&answer)))?;
                self.page_token = Some(token.clone());
                let request =
                    Request::get(api_url()).with_header("Authorization", format!("Bearer {token}"));
                // The page's fetch to another origin, with a header no
                // simple request has: the browser's CORS check, preflight
                // first (Fetch Standard, the CORS protocol).
                Ok(self.api_cors.fetch_from(
                    Party::Browser,
                    network,
                    Channel::Front,
                    request,
                    &format!("{by} calls the API with that access token."),
                    &API_CALL,
                ))
            }
            Architecture::Bff => self.ask_backend(
                network,
                BFF_PATH,
                &format!(
                    "{by} asks the BFF for the user's profile. The browser adds the session \
                     cookie; the BFF calls the API with the token it keeps, refreshing it first \
                     if due, and passes the answer on."
                ),
            ),
        }
    }

    /// A fetch of the page to its own backend, with the browser's cookies,
    /// and the backend's answer: an access token, or the API's answer
    /// through the BFF; 401 without its session cookie.
    pub fn ask_backend(
        &mut self,
        network: &mut Network<'_>,
        path: &str,
        explanation: &str,
    ) -> Result<Response, Stop> {
        let request = Request::get(Url {
            origin: self.origin(),
            path: path.into(),
            query: None,
            fragment: None,
        });
        let sent = self.browser.with_cookies(request.clone());
        let answer = match &self.session {
            Some(session) if sent.cookie(SESSION_COOKIE) == Some(session.as_str()) => {
                self.backend_answer(network, path)?
            }
            _ => Response::json(401, &serde_json::json!({ "error": "no session" })),
        };
        network.next_client_page = Some(answer);
        Ok(from_browser(
            network,
            &mut self.browser,
            request,
            false,
            explanation,
            &SESSION,
        ))
    }

    /// What the backend answers a page of a signed-in session, after the
    /// requests of its own it needs first, on the back channel.
    fn backend_answer(&mut self, network: &mut Network<'_>, path: &str) -> Result<Response, Stop> {
        if self.client.token_due(network.clock.now()) {
            refresh(network, &mut self.client)?;
        }
        let Some(tokens) = &self.client.tokens else {
            return Ok(Response::json(
                401,
                &serde_json::json!({ "error": "no tokens" }),
            ));
        };
        if path == TOKEN_PATH {
            // The page gets the access token, never the refresh token
            // (section 6.2.2.2).
            let left = tokens.expires_at.seconds_since(network.clock.now());
            return Ok(Response::json(
                200,
                &serde_json::json!({
                    "access_token": tokens.access_token.secret(),
                    "token_type": "Bearer",
                    "expires_in": left,
                }),
            ));
        }
        let request = self.client.api_request(&api_url());
        let answer = network.send(
            crate::sim::trace::Party::Client,
            Channel::Back,
            false,
            request,
            "The BFF calls the API with the access token it keeps, on the page's behalf.",
            &API_CALL,
        );
        Ok(answer)
    }
}
