//! Where a browser app keeps its tokens: the same app built four ways
//! (`architecture.rs`), signed in for real, then attacked by the same
//! injected script (`script.rs`) with the four scenarios of
//! draft-ietf-oauth-browser-based-apps-26 section 5.1. Then the user closes
//! the tab, and the attacker tries what it took from its own machine. What
//! the page's JavaScript could reach along the way is kept beside the
//! trace, and the outcome is read from the trace (`outcome.rs`).
//!
//! `app.rs` is the app itself: the page and, for two architectures, the
//! backend behind it. This module only plays the run, in order.

mod app;
mod architecture;
mod outcome;
mod script;

pub use architecture::Architecture;
pub use outcome::{Lasts, Outcome};

use app::{App, SESSION_COOKIE, STORED};
use script::Script;

use super::attacks::moves::{attacker_calls_api, attacker_refreshes};
use super::network::Network;
use super::page_fetch;
use super::scenario::Scenario;
use super::stop::Stop;
use super::trace::{Exchange, RfcRef};
use crate::jose::SigningKey;
use crate::rng::SeededRng;
use crate::server::SingleSignOn;

/// How long after the tab closes the attacker acts, in seconds.
pub const ATTACKER_WAITS: u64 = 60;

const STOLEN_TOKEN: [RfcRef; 1] = [RfcRef::new(6750, "5.3")];

/// One architecture, signed in, attacked, and closed.
#[derive(Debug, Clone)]
pub struct StorageRun {
    pub architecture: Architecture,
    pub scenario: Scenario,
    pub trace: Vec<Exchange>,
    /// What the page's JavaScript can reach, from the step each snapshot
    /// was taken at.
    pub reach: Vec<Reach>,
    /// The first step of the injected script.
    pub script_from: usize,
    /// The steps the script sent.
    pub script_steps: Vec<usize>,
    /// The first step after the user closed the tab.
    pub closed_at: usize,
    /// Why the run stopped early, or `None` if it ran to the end.
    pub stopped: Option<String>,
}

/// What the page's JavaScript can reach from step `from`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Reach {
    pub from: usize,
    pub held: Vec<Held>,
}

/// A credential, where it is kept, and what a script in the page can do
/// with it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Held {
    pub credential: Credential,
    pub place: Place,
    pub script: ScriptAccess,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Credential {
    AccessToken,
    RefreshToken,
    SessionCookie,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Place {
    LocalStorage,
    /// A variable of the app's code.
    PageMemory,
    /// The browser's cookie jar, for the backend's origin.
    Cookie,
    /// The backend's own memory, out of the browser.
    Backend,
}

/// What a script injected into the page can do with a credential.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ScriptAccess {
    /// Read it at any time (`localStorage.getItem`).
    Reads,
    /// See it when the app uses it, through a wrapped `fetch`
    /// (section 8.4).
    SeesWhenUsed,
    /// Have the browser send it, without ever reading it (`HttpOnly`).
    SendsUnread,
    /// Nothing: it never reaches the browser.
    Nothing,
}

impl Credential {
    pub fn label(self) -> &'static str {
        match self {
            Self::AccessToken => "Access token",
            Self::RefreshToken => "Refresh token",
            Self::SessionCookie => "Session cookie",
        }
    }
}

impl Place {
    pub fn label(self) -> &'static str {
        match self {
            Self::LocalStorage => "localStorage",
            Self::PageMemory => "a variable of the page's code",
            Self::Cookie => "an HttpOnly cookie",
            Self::Backend => "the backend",
        }
    }
}

impl ScriptAccess {
    pub fn label(self) -> &'static str {
        match self {
            Self::Reads => "reads it",
            Self::SeesWhenUsed => "sees it when the app uses it",
            Self::SendsUnread => "sends it without reading it",
            Self::Nothing => "cannot reach it",
        }
    }
}

/// Runs the four architectures, signed with the demo key.
pub fn compare_storage(seed: u64) -> Vec<StorageRun> {
    Architecture::ALL
        .into_iter()
        .map(|architecture| run_architecture(architecture, seed, crate::keys::demo_key()))
        .collect()
}

/// Signs in with `architecture`, lets the script attack it, closes the
/// tab, and lets the attacker try what it took.
pub fn run_architecture(architecture: Architecture, seed: u64, key: SigningKey) -> StorageRun {
    let scenario = architecture.scenario(seed);
    let mut network = scenario.network(key, Box::new(SeededRng::new(seed)));
    if let Some(browser_app) = &scenario.browser_app {
        network.page = Some(page_fetch::page(browser_app));
    }
    // Single sign-on at the server: the script's hidden frame counts on it.
    network.front = Some(Box::new(SingleSignOn::default()));
    let mut app = App::new(architecture, &scenario);
    let mut script = Script::default();
    let mut reach = Vec::new();
    let mut script_from = 0;
    let mut result = (|| -> Result<(), Stop> {
        app.sign_in(&scenario, &mut network)?;
        reach.push(snapshot(&app, network.trace.len()));
        app.fetch_data(&mut network, "The app's code")?;
        network.refused_to_page()?;
        script_from = network.trace.len();
        script.single_execution(&mut network, &mut app)?;
        script.persistent(&mut network, &mut app)?;
        reach.push(snapshot(&app, script_from));
        script.new_tokens(&mut network, &mut app)?;
        script.proxy(&mut network, &mut app)
    })();
    // The user closes the tab: the page, its script and its memory are
    // gone; localStorage stays, for the next script on the app's origin.
    // What the attacker took is all it has.
    network.page = None;
    let closed_at = network.trace.len();
    reach.push(Reach {
        from: closed_at,
        held: in_local_storage(&app),
    });
    if result.is_ok() {
        result = attacker_after_close(&mut network);
    }
    StorageRun {
        architecture,
        scenario,
        trace: network.trace,
        reach,
        script_from,
        script_steps: script.steps,
        closed_at,
        stopped: result.err().map(|stop| stop.to_string()),
    }
}

impl StorageRun {
    /// What the attacker got, read from the trace.
    pub fn outcome(&self) -> Outcome {
        outcome::derive(
            &self.trace,
            &self.script_steps,
            self.closed_at,
            self.scenario.policy.refresh_token_lifetime,
        )
    }
}

/// The attacker, from its own machine, a minute after the tab was closed:
/// the API with the newest access token it holds, then, with a refresh
/// token, a new access token and the API again.
fn attacker_after_close(network: &mut Network<'_>) -> Result<(), Stop> {
    network.clock.advance(ATTACKER_WAITS);
    if let Some(token) = network.attacker.captured("access_token") {
        attacker_calls_api(
            network,
            &token,
            "The tab is closed. From its own machine, the attacker calls the API with the newest \
             access token it took: a bearer token works for whoever holds it.",
            &STOLEN_TOKEN,
        );
    }
    let Some(refresh) = network.attacker.captured("refresh_token") else {
        return Ok(());
    };
    let client_id = network
        .server
        .config()
        .clients
        .first()
        .map(|client| client.client_id.as_str().to_owned())
        .unwrap_or_default();
    let response = attacker_refreshes(
        network,
        &refresh,
        &client_id,
        "The attacker refreshes with the newest refresh token it took. The app is closed and \
         will not use its own again, so rotation sees no reuse (section 5.1.2).",
    );
    if let Some(token) = response
        .json_body()
        .and_then(|body| body["access_token"].as_str().map(str::to_owned))
    {
        attacker_calls_api(
            network,
            &token,
            "With the new access token, the attacker calls the API again.",
            &STOLEN_TOKEN,
        );
    }
    Ok(())
}

/// What the page's JavaScript can reach in `app` now.
fn snapshot(app: &App, from: usize) -> Reach {
    let mut held = Vec::new();
    let tokens = app.client.tokens.as_ref();
    let has_refresh = tokens.is_some_and(|tokens| tokens.refresh_token.is_some());
    match app.architecture {
        Architecture::LocalStorage => held = in_local_storage(app),
        Architecture::Memory => {
            let credentials = [Credential::AccessToken, Credential::RefreshToken];
            let count = usize::from(tokens.is_some()) + usize::from(has_refresh);
            for credential in credentials.into_iter().take(count) {
                held.push(Held {
                    credential,
                    place: Place::PageMemory,
                    script: ScriptAccess::SeesWhenUsed,
                });
            }
        }
        Architecture::TokenMediatingBackend | Architecture::Bff => {
            if app.page_token.is_some() {
                held.push(Held {
                    credential: Credential::AccessToken,
                    place: Place::PageMemory,
                    script: ScriptAccess::SeesWhenUsed,
                });
            }
            let origin = app.origin();
            if app
                .browser
                .cookies
                .get(&origin)
                .is_some_and(|jar| jar.get(SESSION_COOKIE).is_some())
            {
                held.push(Held {
                    credential: Credential::SessionCookie,
                    place: Place::Cookie,
                    script: ScriptAccess::SendsUnread,
                });
            }
            if tokens.is_some() {
                held.push(Held {
                    credential: Credential::AccessToken,
                    place: Place::Backend,
                    script: ScriptAccess::Nothing,
                });
            }
            if has_refresh {
                held.push(Held {
                    credential: Credential::RefreshToken,
                    place: Place::Backend,
                    script: ScriptAccess::Nothing,
                });
            }
        }
    }
    Reach { from, held }
}

/// The tokens `app` keeps in `localStorage`, which any script of its
/// origin reads (section 8.5).
fn in_local_storage(app: &App) -> Vec<Held> {
    STORED
        .into_iter()
        .zip([Credential::AccessToken, Credential::RefreshToken])
        .filter(|(key, _)| app.local_storage.get(*key).is_some())
        .map(|(_, credential)| Held {
            credential,
            place: Place::LocalStorage,
            script: ScriptAccess::Reads,
        })
        .collect()
}
