//! The attacker's side of the in-page network: a site at
//! `https://attacker.example` (and, in a native-app attack, the app that
//! claimed the victim app's URI scheme) that records everything it
//! receives and answers with the pages the attack sets up.

use crate::form::decode_form;
use crate::http::{Method, Request, Response, Url};
use crate::table::Table;

/// Where the attack lab's attacker lives. Here, not in `network.rs` with
/// the other addresses, because the network routes to the attacker's
/// server and so imports this module.
pub const ATTACKER: &str = "https://attacker.example";

/// How the attacker's authorization endpoint passes a request on to a real
/// one: the browser is redirected there with the same query, minus
/// `remove`, with `set` overriding. A mix-up's attacker server forwards to
/// the honest server (RFC 9700 section 4.4.1); a downgrading proxy strips
/// PKCE on the way (RFC 9700 section 4.8).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Forward {
    pub to: Url,
    pub remove: Vec<String>,
    pub set: Vec<(String, String)>,
}

/// Everything the attacker controls on the network.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AttackerServer {
    /// The origins it answers for: its own site, plus any private-use URI
    /// scheme its app registered on the victim's device (the operating
    /// system may hand such a redirect to either app, RFC 8252 section 8.1).
    pub origins: Vec<String>,
    /// Every request it received, in order: what it has learned.
    pub received: Vec<Request>,
    /// What it answers, by path; any other path gets 204 No Content.
    pub pages: Table<String, Response>,
    /// What its `/authorize` does, if it pretends to be an authorization
    /// server or sits in front of one.
    pub forward_authorize: Option<Forward>,
}

impl Default for AttackerServer {
    fn default() -> Self {
        Self {
            origins: vec![ATTACKER.to_owned()],
            received: Vec::new(),
            pages: Table::default(),
            forward_authorize: None,
        }
    }
}

impl AttackerServer {
    /// Whether a request to `url` reaches the attacker.
    pub fn answers(&self, url: &Url) -> bool {
        self.origins.contains(&url.origin)
    }

    /// Records the request and answers it.
    pub fn handle(&mut self, request: &Request) -> Response {
        self.received.push(request.clone());
        if request.method == Method::Get
            && request.url.path == "/authorize"
            && let Some(forward) = &self.forward_authorize
        {
            let pairs = request.url.query_pairs().unwrap_or_default();
            let mut kept: Vec<(String, String)> = pairs
                .into_iter()
                .filter(|(name, _)| {
                    !forward.remove.contains(name) && !forward.set.iter().any(|(n, _)| n == name)
                })
                .collect();
            kept.extend(forward.set.iter().cloned());
            let borrowed: Vec<(&str, &str)> = kept
                .iter()
                .map(|(name, value)| (name.as_str(), value.as_str()))
                .collect();
            return Response::redirect(&forward.to.with_query(&borrowed));
        }
        self.pages
            .get(&request.url.path)
            .cloned()
            .unwrap_or_else(|| Response::new(204))
    }

    /// The latest value of parameter `name` in anything received: a query,
    /// or a form body.
    pub fn captured(&self, name: &str) -> Option<String> {
        self.received.iter().rev().find_map(|request| {
            let mut pairs = request.url.query_pairs().unwrap_or_default();
            if request.method == Method::Post {
                pairs.extend(decode_form(&request.body).unwrap_or_default());
            }
            pairs
                .into_iter()
                .find(|(n, _)| n == name)
                .map(|(_, value)| value)
        })
    }
}
