//! What the attacker got from each architecture, read from the run's
//! trace: which tokens reached its site, whether it could use the user's
//! API while the tab was open and after it was closed, and for how long.
//! Nothing here is written per architecture: the table is derived.

use crate::http::Method;
use crate::sim::network::API_PATH;
use crate::sim::trace::{Exchange, Party};

use super::app::BFF_PATH;

/// One row of the table.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Outcome {
    /// The step at which an access token first reached the attacker.
    pub access_token: Option<usize>,
    /// The step at which a refresh token first reached the attacker.
    pub refresh_token: Option<usize>,
    /// The script's first call that got the user's data, tab open.
    pub while_open: Option<usize>,
    /// The attacker's first call that got the user's data from its own
    /// machine, after the tab was closed.
    pub after_close: Option<usize>,
    /// How long the access after the tab was closed lasts.
    pub lasts: Lasts,
}

/// How long an attacker keeps access once the tab is closed.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Lasts {
    /// Not at all: nothing it holds works without the page.
    NotAtAll,
    /// Until the stolen access token expires, this many seconds after the
    /// tab was closed.
    AccessToken(u64),
    /// As long as a refresh token lives: it refreshed after the tab was
    /// closed, and can again until the refresh token expires or is revoked
    /// (draft-ietf-oauth-browser-based-apps-26 section 5.2.1). The
    /// server's refresh token lifetime, in seconds.
    RefreshToken(u64),
}

/// The outcome of a run whose `script` sent the steps it lists, and
/// whose tab was closed before step `closed_at`.
pub(super) fn derive(
    trace: &[Exchange],
    script: &[usize],
    closed_at: usize,
    refresh_lifetime: u64,
) -> Outcome {
    let reached_attacker = |name: &str| {
        trace.iter().position(|exchange| {
            exchange.to == Party::Attacker
                && exchange
                    .request
                    .url
                    .query_pairs()
                    .is_ok_and(|pairs| pairs.iter().any(|(n, _)| n == name))
        })
    };
    let got_data = |exchange: &Exchange| {
        exchange.response.status == 200
            && exchange.request.method == Method::Get
            && (exchange.request.url.path == API_PATH || exchange.request.url.path == BFF_PATH)
    };
    let while_open = script
        .iter()
        .copied()
        .find(|&step| trace.get(step).is_some_and(got_data));
    let after = trace.get(closed_at..).unwrap_or_default();
    let by_attacker = |exchange: &&Exchange| exchange.from == Party::Attacker;
    let after_close = after
        .iter()
        .position(|exchange| by_attacker(&exchange) && got_data(exchange))
        .map(|offset| closed_at + offset);
    let refreshed = after.iter().filter(by_attacker).any(|exchange| {
        exchange.response.status == 200
            && exchange.request.params().is_ok_and(|pairs| {
                pairs
                    .iter()
                    .any(|(n, v)| n == "grant_type" && v == "refresh_token")
            })
    });
    let lasts = match (after_close, refreshed) {
        (None, _) => Lasts::NotAtAll,
        (Some(_), true) => Lasts::RefreshToken(refresh_lifetime),
        (Some(step), false) => {
            let closed = after.first().map_or(0, |exchange| exchange.at.0);
            let expires = expiry(trace, &trace[step]).unwrap_or(closed);
            Lasts::AccessToken(expires.saturating_sub(closed))
        }
    };
    Outcome {
        access_token: reached_attacker("access_token"),
        refresh_token: reached_attacker("refresh_token"),
        while_open,
        after_close,
        lasts,
    }
}

/// When the bearer token of `call` expires: the time of the answer that
/// issued it, a token response or the backend's, plus its `expires_in`
/// (RFC 6749 section 5.1).
fn expiry(trace: &[Exchange], call: &Exchange) -> Option<u64> {
    let (_, token) = call.request.authorization()?;
    trace.iter().find_map(|exchange| {
        let body = exchange.response.json_body()?;
        (body["access_token"].as_str() == Some(token))
            .then(|| exchange.at.0 + body["expires_in"].as_u64().unwrap_or(0))
    })
}
