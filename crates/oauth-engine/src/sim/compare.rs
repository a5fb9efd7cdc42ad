//! Implicit grant against authorization code with PKCE: the same login,
//! the same page, the same analytics script, run both ways. Where each
//! credential ends up, and the verdicts, are read from the two traces.

use std::fmt;

use super::attacks::moves::{attacker_calls_api, attacker_redeems_code, refusal};
use super::browser::Browser;
use super::client::Client;
use super::flow::Flow;
use super::network::Network;
use super::run::{Run, play};
use super::scenario::{Scenario, code_scenario, implicit_scenario};
use super::trace::{Exchange, Party, RfcRef, browser_at};
use crate::channel::Channel;
use crate::http::{Method, Url};
use crate::jose::SigningKey;
use crate::rng::SeededRng;

const HISTORY_REPLAY: [RfcRef; 2] = [RfcRef::new(9700, "4.3.1"), RfcRef::new(9700, "4.3.2")];

/// Both runs and the verdicts drawn from them.
#[derive(Debug, Clone)]
pub struct Comparison {
    pub implicit: Side,
    pub code: Side,
    pub verdicts: Vec<Verdict>,
}

/// One way of signing in, run to the end, then attacked from the history.
#[derive(Debug, Clone)]
pub struct Side {
    pub title: &'static str,
    pub scenario: Scenario,
    pub run: Run,
    /// The index of the last exchange: the attacker replaying what the
    /// browser history holds.
    pub replay_step: usize,
}

/// A credential that can leak.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Credential {
    AccessToken,
    Code,
    RefreshToken,
}

impl Credential {
    pub fn label(self) -> &'static str {
        match self {
            Self::AccessToken => "Access token",
            Self::Code => "Authorization code",
            Self::RefreshToken => "Refresh token",
        }
    }
}

/// Where a credential can be seen by more than the parties that need it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Place {
    AddressBar,
    History,
    Referer,
    PageScript,
    ServerLog,
    BackChannel,
}

impl Place {
    pub fn label(self) -> &'static str {
        match self {
            Self::AddressBar => "Address bar",
            Self::History => "Browser history",
            Self::Referer => "Referer header",
            Self::PageScript => "Scripts on the page",
            Self::ServerLog => "Server logs",
            Self::BackChannel => "Back channel",
        }
    }

    /// One sentence on who can read it there.
    pub fn explanation(self) -> &'static str {
        match self {
            Self::AddressBar => {
                "Whoever looks at the screen, a screenshot or a shared screen sees the address, \
                 fragment included."
            }
            Self::History => {
                "The history keeps every address visited, for anyone with the device or a \
                 synced browser profile to read later (RFC 9700 section 4.3)."
            }
            Self::Referer => {
                "The browser tells other sites which page sent a request; the fragment is never \
                 part of it (RFC 9700 section 4.2)."
            }
            Self::PageScript => {
                "Every script on the page, a third party's too, can read location.href, \
                 fragment included, and send it anywhere."
            }
            Self::ServerLog => {
                "Servers log the request line, path and query, of every request they receive."
            }
            Self::BackChannel => {
                "A direct TLS connection between the client and a server: the browser, its \
                 history and its scripts never see it."
            }
        }
    }
}

/// A credential seen somewhere, from the step where it first appeared there.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Exposure {
    pub credential: Credential,
    pub place: Place,
    pub step: usize,
    pub detail: String,
}

/// The rows of the verdict table.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum VerdictRow {
    TokenInUrl,
    TokenInHistory,
    TokenInReferer,
    RefreshTokenAvailable,
    TokenBoundToClient,
    ReplayPossible,
    Rfc9700Status,
}

impl VerdictRow {
    pub const ALL: [VerdictRow; 7] = [
        Self::TokenInUrl,
        Self::TokenInHistory,
        Self::TokenInReferer,
        Self::RefreshTokenAvailable,
        Self::TokenBoundToClient,
        Self::ReplayPossible,
        Self::Rfc9700Status,
    ];

    pub fn label(self) -> &'static str {
        match self {
            Self::TokenInUrl => "Access token in a URL",
            Self::TokenInHistory => "Access token in the browser history",
            Self::TokenInReferer => "Access token in a Referer header",
            Self::RefreshTokenAvailable => "Refresh token available",
            Self::TokenBoundToClient => "Token issued only to the client that asked",
            Self::ReplayPossible => "What the history holds can be replayed",
            Self::Rfc9700Status => "RFC 9700 says",
        }
    }
}

/// One row, both sides.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Verdict {
    pub row: VerdictRow,
    pub implicit: Cell,
    pub code: Cell,
}

/// One side's answer: `good` is true for the safe answer.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Cell {
    pub good: bool,
    pub text: String,
}

impl Cell {
    fn new(good: bool, text: impl Into<String>) -> Self {
        Self {
            good,
            text: text.into(),
        }
    }
}

impl fmt::Display for Cell {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.text)
    }
}

/// Both runs with the demo key.
pub fn compare(seed: u64) -> Comparison {
    // The demo key is a constant the crate's own tests load.
    let key = crate::keys::demo_key();
    compare_with(seed, key)
}

/// Both runs, signed with `key`.
pub fn compare_with(seed: u64, key: SigningKey) -> Comparison {
    let implicit = run_side("Implicit grant", implicit_scenario(seed), key.clone());
    let code = run_side("Authorization code with PKCE", code_scenario(seed), key);
    let verdicts = VerdictRow::ALL
        .into_iter()
        .map(|row| Verdict {
            row,
            implicit: implicit.verdict(row),
            code: code.verdict(row),
        })
        .collect();
    Comparison {
        implicit,
        code,
        verdicts,
    }
}

/// Runs `scenario`, then has the attacker replay what the history holds.
fn run_side(title: &'static str, scenario: Scenario, key: SigningKey) -> Side {
    let mut network = scenario.network(key, Box::new(SeededRng::new(scenario.seed)));
    let mut browser = Browser::new(scenario.referrer_policy);
    let mut client = Client::new(scenario.client.clone());
    let result = play(&scenario, &mut network, &mut browser, &mut client);
    replay_history(&scenario, &mut network, &browser);
    let run = Run::new(network, browser, client, result);
    Side {
        title,
        replay_step: run.trace.len().saturating_sub(1),
        scenario,
        run,
    }
}

/// Later, someone with the device (or a synced profile) reads the history
/// and uses what it holds: an access token at the API, or a code at the
/// token endpoint, without the verifier only the client had.
fn replay_history(scenario: &Scenario, network: &mut Network<'_>, browser: &Browser) {
    network.clock.advance(10);
    let found = |name: &str, in_fragment: bool| {
        browser.history.iter().find_map(|url| {
            let part = if in_fragment {
                &url.fragment
            } else {
                &url.query
            };
            crate::form::decode_form(part.as_deref().unwrap_or_default())
                .ok()?
                .into_iter()
                .find(|(n, _)| n == name)
                .map(|(_, value)| value)
        })
    };
    if let Some(token) = found("access_token", true) {
        attacker_calls_api(
            network,
            &token,
            "Later, the attacker reads the browser history (a shared computer, a synced \
             profile) and finds the callback address with the access token in its fragment. \
             It is a bearer token: whoever holds it can call the API until it expires.",
            &HISTORY_REPLAY,
        );
    } else if let Some(code) = found("code", false) {
        attacker_redeems_code(
            network,
            &code,
            &scenario.client.redirect_uri,
            &scenario.client.client_id,
            None,
            "Later, the attacker reads the browser history and finds the callback address with \
             the code in its query. It tries to redeem it, but the code was used already and \
             the attacker never had the code_verifier.",
            &HISTORY_REPLAY,
        );
    }
}

/// The credentials a trace carries, with their values: codes from the
/// authorization responses, tokens from token responses and from the
/// implicit grant's fragment.
fn credentials(trace: &[Exchange]) -> Vec<(Credential, String)> {
    let mut found: Vec<(Credential, String)> = Vec::new();
    let mut add = |credential, value: String| {
        if !value.is_empty() && !found.iter().any(|(_, v)| *v == value) {
            found.push((credential, value));
        }
    };
    for exchange in trace.iter().filter(|e| !involves_attacker(e)) {
        if let Some(location) = exchange
            .response
            .headers
            .get("Location")
            .and_then(|value| Url::parse(value).ok())
        {
            for (name, value) in location.query_pairs().unwrap_or_default() {
                if name == "code" {
                    add(Credential::Code, value);
                }
            }
            let fragment = location.fragment.as_deref().unwrap_or_default();
            for (name, value) in crate::form::decode_form(fragment).unwrap_or_default() {
                if name == "access_token" {
                    add(Credential::AccessToken, value);
                }
            }
        }
        if exchange.request.url.path.ends_with("/token")
            && let Some(body) = exchange.response.json_body()
        {
            if let Some(token) = body["access_token"].as_str() {
                add(Credential::AccessToken, token.to_owned());
            }
            if let Some(token) = body["refresh_token"].as_str() {
                add(Credential::RefreshToken, token.to_owned());
            }
        }
    }
    found
}

/// The attacker's own requests are the exploitation, not an exposure.
fn involves_attacker(exchange: &Exchange) -> bool {
    exchange.from == Party::Attacker || exchange.to == Party::Attacker
}

/// Whether `url` holds `value`, and in which part.
fn part_holding(url: &Url, value: &str) -> Option<&'static str> {
    if value.is_empty() {
        return None;
    }
    let decoded = |part: &Option<String>| {
        crate::form::decode_form(part.as_deref().unwrap_or_default())
            .unwrap_or_default()
            .into_iter()
            .any(|(_, v)| v.contains(value))
    };
    if url.fragment.as_deref().is_some_and(|f| f.contains(value)) || decoded(&url.fragment) {
        Some("fragment")
    } else if url.query.as_deref().is_some_and(|q| q.contains(value)) || decoded(&url.query) {
        Some("query")
    } else {
        None
    }
}

impl Side {
    /// Where each credential is exposed after the exchange at `step`
    /// (inclusive), read from the trace: one entry per credential and
    /// place, from the step where it first appeared there. The address
    /// bar shows what it holds now; everything else, once seen, stays seen.
    pub fn exposures_at(&self, step: usize) -> Vec<Exposure> {
        let trace = &self.run.trace;
        let end = step.saturating_add(1).min(trace.len());
        let seen = &trace[..end];
        let mut exposures: Vec<Exposure> = Vec::new();
        for (credential, value) in credentials(trace) {
            let mut add = |place, step, detail: String| {
                if !exposures
                    .iter()
                    .any(|e| e.credential == credential && e.place == place)
                {
                    exposures.push(Exposure {
                        credential,
                        place,
                        step,
                        detail,
                    });
                }
            };
            // The address bar: the latest navigation's address.
            if let Some((index, exchange)) =
                seen.iter().enumerate().rev().find(|(_, e)| e.navigates)
                && let Some(part) = part_holding(&exchange.address(), &value)
            {
                add(
                    Place::AddressBar,
                    index,
                    format!("in the {part} of {}", exchange.request.url.path),
                );
            }
            for (index, exchange) in seen.iter().enumerate() {
                if involves_attacker(exchange) {
                    continue;
                }
                let request = &exchange.request;
                let host = request.url.host().to_owned();
                if exchange.navigates
                    && let Some(part) = part_holding(&exchange.address(), &value)
                {
                    add(
                        Place::History,
                        index,
                        format!(
                            "in the {part} of the history entry for {}{}",
                            request.url.origin, request.url.path
                        ),
                    );
                }
                if request
                    .headers
                    .get("Referer")
                    .is_some_and(|referer| referer.contains(value.as_str()))
                {
                    add(
                        Place::Referer,
                        index,
                        format!("in the Referer sent to {host}"),
                    );
                }
                if exchange.from == Party::Browser
                    && exchange.channel == Channel::Front
                    && !exchange.navigates
                    && part_holding(&request.url, &value).is_some()
                {
                    add(
                        Place::PageScript,
                        index,
                        format!(
                            "read from location.href by a script and sent to {host}{}",
                            request.url.path
                        ),
                    );
                }
                if exchange.channel == Channel::Front
                    && part_holding(&request.url, &value).is_some()
                {
                    add(
                        Place::ServerLog,
                        index,
                        format!("in the request line {host} receives and logs"),
                    );
                }
                if exchange.channel == Channel::Back
                    && exchange.to_http_text().contains(value.as_str())
                {
                    let what = if exchange.response.body.contains(value.as_str()) {
                        "in the response"
                    } else {
                        "in the request"
                    };
                    add(
                        Place::BackChannel,
                        index,
                        format!(
                            "{what} of {} {}{}",
                            request.method.as_str(),
                            host,
                            request.url.path
                        ),
                    );
                }
            }
        }
        sort_stable_by_key(&mut exposures, |e| (e.step, e.credential, e.place));
        exposures
    }

    /// The first access token the client got.
    fn access_token(&self) -> Option<String> {
        credentials(&self.run.trace)
            .into_iter()
            .find(|(credential, _)| *credential == Credential::AccessToken)
            .map(|(_, value)| value)
    }

    fn verdict(&self, row: VerdictRow) -> Cell {
        let trace = &self.run.trace;
        let token = self.access_token().unwrap_or_default();
        let holds_token = |url: &Url| part_holding(url, &token).is_some();
        let login = &trace[..self.replay_step.min(trace.len())];
        match row {
            VerdictRow::TokenInUrl => {
                let addresses = login.iter().map(Exchange::address);
                let redirects = login.iter().filter_map(|e| {
                    e.response
                        .headers
                        .get("Location")
                        .and_then(|location| Url::parse(location).ok())
                });
                match addresses
                    .chain(redirects)
                    .find_map(|url| part_holding(&url, &token))
                {
                    Some(part) => Cell::new(false, format!("Yes — in the {part} of the redirect")),
                    None => Cell::new(
                        true,
                        "No — only the one-time code travels in a URL; the token comes on the \
                         back channel",
                    ),
                }
            }
            VerdictRow::TokenInHistory => {
                let history = browser_at(login, login.len().saturating_sub(1)).history;
                match history.iter().find_map(|url| part_holding(url, &token)) {
                    Some(part) => Cell::new(
                        false,
                        format!("Yes — the callback's history entry keeps it in the {part}"),
                    ),
                    None => Cell::new(true, "No — the history holds the used code, not the token"),
                }
            }
            VerdictRow::TokenInReferer => {
                let in_referer = login.iter().any(|e| {
                    e.request
                        .headers
                        .get("Referer")
                        .is_some_and(|r| !token.is_empty() && r.contains(&token))
                });
                let script_sent = login.iter().any(|e| {
                    e.from == Party::Browser
                        && !e.navigates
                        && e.channel == Channel::Front
                        && holds_token(&e.request.url)
                });
                match (in_referer, script_sent) {
                    (true, _) => Cell::new(false, "Yes — a Referer carried it"),
                    (false, true) => Cell::new(
                        false,
                        "No — a Referer never carries the fragment, but the page's script read \
                         it and sent it to analytics.example",
                    ),
                    (false, false) => Cell::new(
                        true,
                        "No — the token is never in the page's address, so neither a Referer \
                         nor a script on the page can see it",
                    ),
                }
            }
            VerdictRow::RefreshTokenAvailable => {
                let refresh = credentials(login)
                    .iter()
                    .any(|(credential, _)| *credential == Credential::RefreshToken);
                if refresh {
                    Cell::new(
                        true,
                        "Yes — over the back channel, rotated on every use, so the session \
                         lasts without the token passing through the browser again",
                    )
                } else {
                    Cell::new(
                        false,
                        "No — RFC 6749 section 4.2.2 forbids one: when the token expires the app \
                         must send the user back through the browser",
                    )
                }
            }
            VerdictRow::TokenBoundToClient => {
                let proved = login.iter().any(|e| {
                    e.to == Party::AuthorizationServer
                        && e.request.method == Method::Post
                        && e.request.url.path.ends_with("/token")
                        && e.request.body.contains("code_verifier=")
                        && e.response.status == 200
                        && !token.is_empty()
                        && e.response.body.contains(&token)
                });
                if proved {
                    Cell::new(
                        true,
                        "Yes — the token endpoint checked the code_verifier before issuing it. \
                         It is still a bearer token once issued (sender-constraining, RFC 9700 \
                         section 2.2.1, is beyond this comparison)",
                    )
                } else {
                    Cell::new(
                        false,
                        "No — the server hands the token to whatever page the browser is sent \
                         to, with no proof of who asked; and it is a bearer token (RFC 9700 \
                         section 2.2.1)",
                    )
                }
            }
            VerdictRow::ReplayPossible => match trace.get(self.replay_step) {
                Some(replay) if replay.from == Party::Attacker => match refusal(&replay.response) {
                    None => Cell::new(
                        false,
                        format!(
                            "Yes — the token from the history got the API's answer: {}",
                            replay.response.body
                        ),
                    ),
                    Some(error) => Cell::new(true, format!("No — {error}")),
                },
                _ => Cell::new(true, "No — the history holds nothing to replay"),
            },
            VerdictRow::Rfc9700Status => match self.scenario.flow {
                Flow::Implicit => Cell::new(
                    false,
                    "Should not be used (RFC 9700 section 2.1.2): the token is exposed in the \
                     front channel and cannot be bound to the client",
                ),
                _ if self.scenario.client.safeguards.use_pkce => Cell::new(
                    true,
                    "Recommended: authorization code with PKCE (RFC 9700 section 2.1.1)",
                ),
                _ => Cell::new(
                    false,
                    "Public clients must use PKCE with the code grant (RFC 9700 section 2.1.1)",
                ),
            },
        }
    }
}

/// Sorts by `key`, keeping equal items in the order they came: an
/// insertion sort. A run exposes a few dozen credentials at most, and the
/// standard library's stable sort is about 5 KB of wasm on the lab's page.
fn sort_stable_by_key<T, K: Ord>(items: &mut [T], key: impl Fn(&T) -> K) {
    for i in 1..items.len() {
        let mut j = i;
        while j > 0 && key(&items[j - 1]) > key(&items[j]) {
            items.swap(j - 1, j);
            j -= 1;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::sort_stable_by_key;
    #[cfg(target_arch = "wasm32")]
    use wasm_bindgen_test::wasm_bindgen_test as test;

    #[test]
    fn the_exposure_sort_orders_by_key_and_keeps_ties_in_order() {
        let mut items = [(3, 'a'), (1, 'b'), (3, 'c'), (0, 'd'), (1, 'e')];
        sort_stable_by_key(&mut items, |item| item.0);
        assert_eq!(items, [(0, 'd'), (1, 'b'), (1, 'e'), (3, 'a'), (3, 'c')]);
    }
}
