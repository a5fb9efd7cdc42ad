//! The browser's CORS-preflight cache (Fetch Standard, "CORS-preflight
//! cache"): what a preflight's answer allowed, kept for
//! `Access-Control-Max-Age` seconds, so that the next request of the same
//! shape to the same URL goes without asking again.

use super::{Credentials, is_safelisted_method, list_values, unsafe_header_names};
use crate::clock::UnixTime;
use crate::http::{Request, Response};

/// Fetch, "CORS-preflight fetch", step 7.3: without
/// `Access-Control-Max-Age` an answer is kept 5 seconds.
pub const DEFAULT_MAX_AGE: u64 = 5;

/// The longest a browser keeps an answer: the standard lets it cap the
/// server's figure, and Chromium caps it at two hours.
pub const MAX_AGE_CAP: u64 = 7200;

/// What one cache entry allows: a method, or a header name.
#[derive(Debug, Clone, PartialEq, Eq)]
enum Allowed {
    Method(String),
    /// Lowercase.
    Header(String),
}

/// Fetch, "cache entry": for a page's origin, a URL and a credentials
/// mode, one method or header name the server allowed, until `expires`.
#[derive(Debug, Clone, PartialEq, Eq)]
struct Entry {
    origin: String,
    url: String,
    credentials: Credentials,
    allowed: Allowed,
    expires: UnixTime,
}

/// The preflight answers a browser remembers.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct PreflightCache {
    entries: Vec<Entry>,
}

impl PreflightCache {
    fn matches(
        &self,
        origin: &str,
        request: &Request,
        credentials: Credentials,
        now: UnixTime,
    ) -> impl Iterator<Item = &Allowed> {
        let url = request.url.to_string();
        self.entries
            .iter()
            .filter(move |entry| {
                entry.origin == origin
                    && entry.url == url
                    && entry.credentials == credentials
                    && entry.expires > now
            })
            .map(|entry| &entry.allowed)
    }

    /// Whether the answers kept cover `request` from `origin` at `now`, so
    /// that it needs no preflight (Fetch, "main fetch": a "method cache
    /// entry match" for its method unless safelisted, and a "header-name
    /// cache entry match" for each of its CORS-unsafe header names).
    pub fn covers(
        &self,
        origin: &str,
        request: &Request,
        credentials: Credentials,
        now: UnixTime,
    ) -> bool {
        let allowed: Vec<&Allowed> = self.matches(origin, request, credentials, now).collect();
        let method = request.method.as_str();
        // "*" matches any method only for a request without credentials.
        let method_ok = is_safelisted_method(request.method)
            || allowed.iter().any(|entry| match entry {
                Allowed::Method(name) => {
                    name == method || (name == "*" && credentials == Credentials::NotIncluded)
                }
                Allowed::Header(_) => false,
            });
        method_ok
            && unsafe_header_names(&request.headers).iter().all(|name| {
                allowed
                    .iter()
                    .any(|entry| matches!(entry, Allowed::Header(allowed) if allowed == name))
            })
    }

    /// Keeps what `answer`, a preflight's answer that passed its checks,
    /// allowed for `request` (Fetch, "CORS-preflight fetch", steps 7.3 to
    /// 7.8): each method and header name it lists (the request's own
    /// method when it lists none), for its `Access-Control-Max-Age`.
    pub fn store(
        &mut self,
        origin: &str,
        request: &Request,
        credentials: Credentials,
        answer: &Response,
        now: UnixTime,
    ) {
        let max_age = answer
            .headers
            .get("Access-Control-Max-Age")
            .and_then(|value| value.trim().parse::<u64>().ok())
            .unwrap_or(DEFAULT_MAX_AGE)
            .min(MAX_AGE_CAP);
        if max_age == 0 {
            return;
        }
        let mut methods =
            list_values(&answer.headers, "Access-Control-Allow-Methods").unwrap_or_default();
        if methods.is_empty() {
            methods.push(request.method.as_str().to_owned());
        }
        let headers =
            list_values(&answer.headers, "Access-Control-Allow-Headers").unwrap_or_default();
        let allowed = methods.into_iter().map(Allowed::Method).chain(
            headers
                .into_iter()
                .map(|name| Allowed::Header(name.to_ascii_lowercase())),
        );
        let url = request.url.to_string();
        let expires = now.plus(max_age);
        for allowed in allowed {
            // An entry already there for the same thing is renewed.
            self.entries.retain(|entry| {
                !(entry.origin == origin
                    && entry.url == url
                    && entry.credentials == credentials
                    && entry.allowed == allowed)
            });
            self.entries.push(Entry {
                origin: origin.to_owned(),
                url: url.clone(),
                credentials,
                allowed,
                expires,
            });
        }
    }
}
