//! The user agent: its address bar, history, per-origin session storage,
//! and the Referer it attaches to what a page loads.

use serde::{Deserialize, Serialize};

use crate::http::{Request, Response, Url};
use crate::table::Table;

/// The Referrer-Policy in force (W3C Referrer Policy). Browsers default to
/// `strict-origin-when-cross-origin`, which sends only the origin to other
/// sites; `unsafe-url` sends the full URL, query and all.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ReferrerPolicy {
    #[default]
    StrictOriginWhenCrossOrigin,
    NoReferrer,
    UnsafeUrl,
}

/// What the browser holds: everything a script on the page, another user
/// of the machine or a history sync could read.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Browser {
    /// The address bar, or `None` before the first navigation.
    pub address: Option<Url>,
    /// Every top-level URL visited, oldest first.
    pub history: Vec<Url>,
    /// `sessionStorage`, per origin.
    pub session_storage: Table<String, Table<String, String>>,
    /// Cookies, per origin (name to value), in the order they were first
    /// set.
    pub cookies: Table<String, Table<String, String>>,
    pub referrer_policy: ReferrerPolicy,
}

impl Browser {
    pub fn new(referrer_policy: ReferrerPolicy) -> Self {
        Self {
            referrer_policy,
            ..Self::default()
        }
    }

    /// A top-level navigation: the address bar changes and history grows.
    pub fn visit(&mut self, url: &Url) {
        self.address = Some(url.clone());
        self.history.push(url.clone());
    }

    pub fn store(&mut self, origin: &str, key: &str, value: impl Into<String>) {
        self.session_storage
            .entry_or_default(origin.to_owned())
            .insert(key.to_owned(), value.into());
    }

    pub fn stored(&self, origin: &str, key: &str) -> Option<&str> {
        self.session_storage
            .get(origin)?
            .get(key)
            .map(String::as_str)
    }

    /// `request` with the cookies the browser holds for its origin, the
    /// earliest set first (RFC 6265 section 5.4).
    pub fn with_cookies(&self, request: Request) -> Request {
        let Some(jar) = self
            .cookies
            .get(&request.url.origin)
            .filter(|jar| !jar.is_empty())
        else {
            return request;
        };
        let value: Vec<String> = jar
            .iter()
            .map(|(name, value)| format!("{name}={value}"))
            .collect();
        request.with_header("Cookie", value.join("; "))
    }

    /// Keeps the cookie a response from `url` sets (name and value; the
    /// attributes after the first `;` only restrict where it is sent, and
    /// every simulated origin is HTTPS on its own host).
    pub fn accept_cookies(&mut self, url: &Url, response: &Response) {
        for (name, value) in response.headers.iter() {
            if !name.eq_ignore_ascii_case("Set-Cookie") {
                continue;
            }
            let pair = value.split(';').next().unwrap_or_default();
            if let Some((cookie, content)) = pair.split_once('=') {
                self.cookies
                    .entry_or_default(url.origin.clone())
                    .insert(cookie.trim().to_owned(), content.trim().to_owned());
            }
        }
    }

    /// A request for a sub-resource (image, script) of the current page,
    /// with the `Referer` the policy allows. The fragment is never sent
    /// (RFC 9110 section 10.1.3); the query is, under `unsafe-url`.
    pub fn subresource_request(&self, url: Url) -> Request {
        let request = Request::get(url);
        let Some(page) = &self.address else {
            return request;
        };
        let same_origin = page.origin == request.url.origin;
        let referer = match self.referrer_policy {
            ReferrerPolicy::NoReferrer => None,
            ReferrerPolicy::UnsafeUrl => Some(
                Url {
                    fragment: None,
                    ..page.clone()
                }
                .to_string(),
            ),
            ReferrerPolicy::StrictOriginWhenCrossOrigin if same_origin => Some(
                Url {
                    fragment: None,
                    ..page.clone()
                }
                .to_string(),
            ),
            ReferrerPolicy::StrictOriginWhenCrossOrigin => Some(format!("{}/", page.origin)),
        };
        match referer {
            Some(value) => request.with_header("Referer", value),
            None => request,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    #[cfg(target_arch = "wasm32")]
    use wasm_bindgen_test::wasm_bindgen_test as test;

    fn at_callback(policy: ReferrerPolicy) -> Browser {
        let mut browser = Browser::new(policy);
        browser.visit(
            &Url::parse("https://spa.example/cb?code=SECRET&state=s#access_token=T").unwrap(),
        );
        browser
    }

    fn referer(browser: &Browser, url: &str) -> Option<String> {
        let request = browser.subresource_request(Url::parse(url).unwrap());
        request.headers.get("Referer").map(str::to_owned)
    }

    #[test]
    fn default_policy_sends_only_the_origin_to_other_sites() {
        let browser = at_callback(ReferrerPolicy::StrictOriginWhenCrossOrigin);
        assert_eq!(
            referer(&browser, "https://cdn.example/x.js").as_deref(),
            Some("https://spa.example/")
        );
        assert_eq!(
            referer(&browser, "https://spa.example/logo.png").as_deref(),
            Some("https://spa.example/cb?code=SECRET&state=s")
        );
    }

    #[test]
    fn unsafe_url_leaks_the_query_but_never_the_fragment() {
        let browser = at_callback(ReferrerPolicy::UnsafeUrl);
        let sent = referer(&browser, "https://cdn.example/x.js").unwrap();
        assert!(sent.contains("code=SECRET"));
        assert!(!sent.contains("access_token"));
    }

    #[test]
    fn no_referrer_sends_nothing() {
        assert_eq!(
            referer(
                &at_callback(ReferrerPolicy::NoReferrer),
                "https://cdn.example/x.js"
            ),
            None
        );
    }

    #[test]
    fn cookies_go_back_only_to_the_origin_that_set_them() {
        let mut browser = Browser::default();
        let server = Url::parse("https://as.example/login").unwrap();
        let response = crate::http::Response::new(200)
            .with_header("Set-Cookie", "as_session=abc; Path=/; Secure; HttpOnly");
        browser.accept_cookies(&server, &response);
        let same = browser.with_cookies(Request::get(
            Url::parse("https://as.example/consent").unwrap(),
        ));
        assert_eq!(same.headers.get("Cookie"), Some("as_session=abc"));
        let other = browser.with_cookies(Request::get(Url::parse("https://spa.example/").unwrap()));
        assert_eq!(other.headers.get("Cookie"), None);
    }

    #[test]
    fn history_keeps_every_visited_url() {
        let mut browser = at_callback(ReferrerPolicy::default());
        browser.visit(&Url::parse("https://spa.example/home").unwrap());
        assert_eq!(browser.history.len(), 2);
        assert!(browser.history[0].to_string().contains("code=SECRET"));
        assert_eq!(browser.address.as_ref().unwrap().path, "/home");
    }
}
