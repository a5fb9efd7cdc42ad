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

/// Fetch, "cache entry", one per answer kept: for a page's origin, a URL
/// and a credentials mode, the methods and header names the server
/// allowed, until `expires`. The standard keeps an entry per method and
/// per name; what they cover together is the same.
#[derive(Debug, Clone, PartialEq, Eq)]
struct Entry {
    origin: String,
    url: String,
    credentials: Credentials,
    methods: Vec<String>,
    /// Lowercase.
    headers: Vec<String>,
    expires: UnixTime,
}

/// The preflight answers a browser remembers.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct PreflightCache {
    entries: Vec<Entry>,
}

impl PreflightCache {
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
        let url = request.url.to_string();
        let kept: Vec<&Entry> = self
            .entries
            .iter()
            .filter(|entry| {
                entry.origin == origin
                    && entry.url == url
                    && entry.credentials == credentials
                    && entry.expires > now
            })
            .collect();
        let method = request.method.as_str();
        // "*" matches any method only for a request without credentials.
        let method_ok = is_safelisted_method(request.method)
            || kept.iter().flat_map(|entry| &entry.methods).any(|name| {
                name == method || (name == "*" && credentials == Credentials::NotIncluded)
            });
        method_ok
            && unsafe_header_names(&request.headers)
                .iter()
                .all(|name| kept.iter().any(|entry| entry.headers.contains(name)))
    }

    /// Keeps what `answer`, a preflight's answer that passed its checks,
    /// allowed for `request` (Fetch, "CORS-preflight fetch", steps 7.3 to
    /// 7.8): the methods and header names it lists (the request's own
    /// method when it lists none), for its `Access-Control-Max-Age`, or 5
    /// seconds without one, at most two hours.
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
            .and_then(seconds)
            .unwrap_or(DEFAULT_MAX_AGE)
            .min(MAX_AGE_CAP);
        let mut methods =
            list_values(&answer.headers, "Access-Control-Allow-Methods").unwrap_or_default();
        if methods.is_empty() {
            methods.push(request.method.as_str().to_owned());
        }
        let mut headers =
            list_values(&answer.headers, "Access-Control-Allow-Headers").unwrap_or_default();
        headers
            .iter_mut()
            .for_each(|name| name.make_ascii_lowercase());
        // A renewed answer is a newer entry; the older one expires first.
        self.entries.push(Entry {
            origin: origin.to_owned(),
            url: request.url.to_string(),
            credentials,
            methods,
            headers,
            expires: now.plus(max_age),
        });
    }
}

/// A delta-seconds value (RFC 9111 section 1.2.2): digits only.
fn seconds(value: &str) -> Option<u64> {
    let value = value.trim();
    if value.is_empty() || !value.bytes().all(|byte| byte.is_ascii_digit()) {
        return None;
    }
    // Too many digits to count is as good as the cap.
    Some(value.bytes().fold(0u64, |total, digit| {
        total
            .saturating_mul(10)
            .saturating_add(u64::from(digit - b'0'))
    }))
}
