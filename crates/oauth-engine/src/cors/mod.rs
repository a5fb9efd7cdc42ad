//! Cross-origin requests from a page, as a browser makes them: the CORS
//! protocol of the WHATWG Fetch Standard (fetch.spec.whatwg.org, cited
//! below by section name, since its numbers move). A single-page app's
//! token request goes from the app's origin to the authorization server's,
//! so the browser lets the page read the answer only if the server allows
//! the page's origin; a request with headers beyond a short list (an
//! `Authorization` or `DPoP` header) is first asked about with a preflight
//! `OPTIONS` request. Both sides are here: what the browser sends and
//! checks ([`needs_preflight`], [`preflight_request`], [`check_preflight`],
//! [`cors_check`], [`fetch`]) and what a server answers ([`CorsPolicy`]).
//!
//! CORS protects the response, not the server: a simple request the page
//! may not read has still been sent and handled. [`fetch`] says so.

mod cache;
mod policy;

use std::fmt;

pub use self::cache::{DEFAULT_MAX_AGE, MAX_AGE_CAP, PreflightCache};
pub use self::policy::CorsPolicy;
use crate::clock::UnixTime;
use crate::http::{Headers, Method, Request, Response};

/// A request's credentials mode (Fetch, "request credentials mode"): a
/// page's `fetch` sends cookies to another origin only with `include`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Credentials {
    /// `credentials: "omit"` or the default `"same-origin"`: no cookies
    /// go to another origin, and `Access-Control-Allow-Origin: *` is
    /// enough.
    NotIncluded,
    /// `credentials: "include"`: cookies go along, and the server must
    /// name the origin and send `Access-Control-Allow-Credentials: true`.
    Include,
}

/// Why the browser refused a cross-origin response (Fetch, "CORS check"
/// and "CORS-preflight fetch"). The messages follow what browsers print
/// in the console, so a learner recognises them.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum CorsError {
    /// No `Access-Control-Allow-Origin` in the response.
    NoAllowOrigin,
    /// More than one origin allowed at once: a server may name one.
    SeveralAllowOrigins(String),
    /// The server allows another origin than the page's.
    OtherOrigin { allowed: String },
    /// `*` with credentials included.
    WildcardWithCredentials,
    /// Credentials included, without `Access-Control-Allow-Credentials:
    /// true`.
    CredentialsNotAllowed,
    /// The preflight's answer was not a 2xx.
    PreflightStatus(u16),
    /// `Access-Control-Allow-Methods` or `-Headers` is not a list of
    /// tokens.
    MalformedList { header: &'static str },
    /// The preflight's answer does not allow the request's method.
    MethodNotAllowed(String),
    /// The preflight's answer does not allow one of the request's headers.
    HeaderNotAllowed(String),
    /// The preflight's answer allows `*` but does not name
    /// `Authorization`, which the wildcard does not cover.
    AuthorizationNotNamed,
}

impl fmt::Display for CorsError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::NoAllowOrigin => f.write_str(
                "No 'Access-Control-Allow-Origin' header is present on the requested resource.",
            ),
            Self::SeveralAllowOrigins(value) => write!(
                f,
                "The 'Access-Control-Allow-Origin' header contains multiple values '{value}', \
                 but only one is allowed."
            ),
            Self::OtherOrigin { allowed } => write!(
                f,
                "The 'Access-Control-Allow-Origin' header has a value '{allowed}' that is not \
                 equal to the supplied origin."
            ),
            Self::WildcardWithCredentials => f.write_str(
                "The value of the 'Access-Control-Allow-Origin' header in the response must not \
                 be the wildcard '*' when the request's credentials mode is 'include'.",
            ),
            Self::CredentialsNotAllowed => f.write_str(
                "The value of the 'Access-Control-Allow-Credentials' header in the response must \
                 be 'true' when the request's credentials mode is 'include'.",
            ),
            Self::PreflightStatus(status) => write!(
                f,
                "Response to preflight request doesn't pass access control check: it does not \
                 have HTTP ok status ({status})."
            ),
            Self::MalformedList { header } => {
                write!(
                    f,
                    "The '{header}' header of the preflight response is not a list."
                )
            }
            Self::MethodNotAllowed(method) => write!(
                f,
                "Method {method} is not allowed by Access-Control-Allow-Methods in preflight \
                 response."
            ),
            Self::HeaderNotAllowed(name) => write!(
                f,
                "Request header field {name} is not allowed by Access-Control-Allow-Headers in \
                 preflight response."
            ),
            Self::AuthorizationNotNamed => f.write_str(
                "Request header field authorization is not allowed by \
                 Access-Control-Allow-Headers in preflight response: the wildcard '*' does not \
                 cover Authorization, which must be named. (Chrome and Firefox still let it \
                 through, with a deprecation warning; the Fetch Standard does not.)",
            ),
        }
    }
}

impl std::error::Error for CorsError {}

/// Fetch, "CORS-safelisted method": GET, HEAD and POST.
pub fn is_safelisted_method(method: Method) -> bool {
    matches!(method, Method::Get | Method::Post)
}

/// Fetch, "CORS-unsafe request-header byte".
fn is_unsafe_header_byte(byte: u8) -> bool {
    (byte < 0x20 && byte != b'\t') || b"\"():<>?@[\\]{}\x7f".contains(&byte)
}

/// Fetch, "CORS-safelisted request-header": the few headers a page may
/// send to another origin without asking first, each with values of a
/// limited shape and at most 128 bytes.
pub fn is_safelisted_header(name: &str, value: &str) -> bool {
    if value.len() > 128 {
        return false;
    }
    match name.to_ascii_lowercase().as_str() {
        "accept" => !value.bytes().any(is_unsafe_header_byte),
        "accept-language" | "content-language" => value
            .bytes()
            .all(|byte| byte.is_ascii_alphanumeric() || b" *,-.;=".contains(&byte)),
        "content-type" => {
            if value.bytes().any(is_unsafe_header_byte) {
                return false;
            }
            // The MIME type's essence: type/subtype, without parameters
            // (MIME Sniffing Standard, "essence").
            let essence = value.split(';').next().unwrap_or("").trim();
            [
                "application/x-www-form-urlencoded",
                "multipart/form-data",
                "text/plain",
            ]
            .iter()
            .any(|safe| essence.eq_ignore_ascii_case(safe))
        }
        "range" => is_simple_range(value),
        _ => false,
    }
}

/// Fetch, "simple range header value": `bytes=N-` or `bytes=N-M`, N ≤ M.
fn is_simple_range(value: &str) -> bool {
    let Some(range) = value.strip_prefix("bytes=") else {
        return false;
    };
    let Some((start, end)) = range.split_once('-') else {
        return false;
    };
    let number = |text: &str| {
        (!text.is_empty() && text.bytes().all(|b| b.is_ascii_digit()))
            .then(|| text.parse::<u64>().ok())
            .flatten()
    };
    match (number(start), end) {
        (Some(_), "") => true,
        (Some(start), end) => number(end).is_some_and(|end| start <= end),
        (None, _) => false,
    }
}

/// Fetch, "CORS-unsafe request-header names": the names of the headers
/// that are not safelisted, lowercase, sorted, each once. Safelisted
/// values together longer than 1024 bytes make them all unsafe.
pub fn unsafe_header_names(headers: &Headers) -> Vec<String> {
    let mut unsafe_names = Vec::new();
    let mut safelisted = Vec::new();
    let mut safelisted_size = 0;
    for (name, value) in headers.iter() {
        if is_safelisted_header(name, value) {
            safelisted.push(name);
            safelisted_size += value.len();
        } else {
            unsafe_names.push(name);
        }
    }
    if safelisted_size > 1024 {
        unsafe_names.extend(safelisted);
    }
    // Kept sorted as they come, rather than sorted after: a handful of
    // names, and no generic sort in the download.
    let mut names: Vec<String> = Vec::new();
    for name in unsafe_names.into_iter().map(str::to_ascii_lowercase) {
        if let Err(at) = names.binary_search(&name) {
            names.insert(at, name);
        }
    }
    names
}

/// Whether the browser asks the server first (Fetch, "main fetch": the
/// "use-CORS-preflight flag", a method that is not safelisted, or a header
/// that is not).
pub fn needs_preflight(request: &Request) -> bool {
    !is_safelisted_method(request.method) || !unsafe_header_names(&request.headers).is_empty()
}

/// The preflight the browser sends for `request` from a page at `origin`
/// (Fetch, "CORS-preflight fetch", steps 1 to 3): `OPTIONS` to the same
/// URL with the method and the unsafe header names it will use, and no
/// credentials.
pub fn preflight_request(origin: &str, request: &Request) -> Request {
    let mut preflight = Request {
        method: Method::Options,
        url: request.url.clone(),
        headers: Headers::default(),
        body: String::new(),
    };
    preflight.headers.push("Accept", "*/*");
    preflight.headers.push("Origin", origin);
    preflight
        .headers
        .push("Access-Control-Request-Method", request.method.as_str());
    let names = unsafe_header_names(&request.headers);
    if !names.is_empty() {
        // Combined without spaces, as the standard writes them.
        preflight
            .headers
            .push("Access-Control-Request-Headers", names.join(","));
    }
    preflight
}

/// Fetch, "CORS check": whether the page at `origin` may read `response`.
pub fn cors_check(
    response: &Response,
    origin: &str,
    credentials: Credentials,
) -> Result<(), CorsError> {
    let mut values = response.headers.get_all("Access-Control-Allow-Origin");
    let allowed = values.next().ok_or(CorsError::NoAllowOrigin)?;
    // Several fields combine into one value with ", ", which is no origin.
    let rest: Vec<&str> = values.collect();
    if !rest.is_empty() || allowed.contains(',') {
        let all = std::iter::once(allowed).chain(rest).collect::<Vec<_>>();
        return Err(CorsError::SeveralAllowOrigins(all.join(", ")));
    }
    if allowed == "*" {
        return match credentials {
            Credentials::NotIncluded => Ok(()),
            Credentials::Include => Err(CorsError::WildcardWithCredentials),
        };
    }
    // Byte for byte: origins are serialized lowercase, without a path.
    if allowed != origin {
        return Err(CorsError::OtherOrigin {
            allowed: allowed.to_owned(),
        });
    }
    match credentials {
        Credentials::NotIncluded => Ok(()),
        // Exactly "true", case-sensitive.
        Credentials::Include => (response.headers.get("Access-Control-Allow-Credentials")
            == Some("true"))
        .then_some(())
        .ok_or(CorsError::CredentialsNotAllowed),
    }
}

/// The items of a comma-separated list header (Fetch, "extract header
/// list values"): an error if one is not a token (RFC 9110 section
/// 5.6.2).
fn list_values(headers: &Headers, name: &'static str) -> Result<Vec<String>, CorsError> {
    let mut items = Vec::new();
    for value in headers.get_all(name) {
        for item in value
            .split(',')
            .map(str::trim)
            .filter(|item| !item.is_empty())
        {
            if !item.bytes().all(is_token_byte) {
                return Err(CorsError::MalformedList { header: name });
            }
            items.push(item.to_owned());
        }
    }
    Ok(items)
}

/// RFC 9110 section 5.6.2, `tchar`.
fn is_token_byte(byte: u8) -> bool {
    byte.is_ascii_alphanumeric() || b"!#$%&'*+-.^_`|~".contains(&byte)
}

/// Fetch, "CORS-preflight fetch", steps 7 and on: whether the answer to the
/// preflight allows `request` from `origin`.
pub fn check_preflight(
    response: &Response,
    origin: &str,
    request: &Request,
    credentials: Credentials,
) -> Result<(), CorsError> {
    cors_check(response, origin, credentials)?;
    if !(200..300).contains(&response.status) {
        return Err(CorsError::PreflightStatus(response.status));
    }
    let methods = list_values(&response.headers, "Access-Control-Allow-Methods")?;
    let header_names = list_values(&response.headers, "Access-Control-Allow-Headers")?;
    let wildcard = |items: &[String]| {
        credentials == Credentials::NotIncluded && items.iter().any(|i| i == "*")
    };
    let method = request.method.as_str();
    // Methods compare byte for byte; a safelisted one needs no mention.
    if !is_safelisted_method(request.method)
        && !methods.iter().any(|allowed| allowed == method)
        && !wildcard(&methods)
    {
        return Err(CorsError::MethodNotAllowed(method.to_owned()));
    }
    let listed = |name: &str| {
        header_names
            .iter()
            .any(|allowed| allowed.eq_ignore_ascii_case(name))
    };
    for name in unsafe_header_names(&request.headers) {
        if listed(&name) {
            continue;
        }
        // `Authorization` is a "CORS non-wildcard request-header name":
        // `*` never covers it; it must be named. Browsers are still moving
        // there: Chromium lets `*` cover it, with a deprecation warning
        // (tests/interop/cors.test.mjs records the difference).
        if !wildcard(&header_names) {
            return Err(CorsError::HeaderNotAllowed(name));
        }
        if name == "authorization" {
            return Err(CorsError::AuthorizationNotNamed);
        }
    }
    Ok(())
}

/// A cross-origin `fetch` from a page at `origin`, as the browser runs it:
/// each request sent, with its answer, and whether the page may read the
/// last one.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CrossOriginFetch {
    /// The preflight and its answer, when one was needed.
    pub preflight: Option<(Request, Response)>,
    /// The request itself, with the `Origin` the browser adds, and its
    /// answer: `None` when a refused preflight kept it from being sent.
    pub sent: Option<(Request, Response)>,
    /// `Ok` if the page reads the answer; the page's `fetch` rejects with
    /// a `TypeError` otherwise, and only the console says why.
    pub outcome: Result<(), CorsError>,
}

impl CrossOriginFetch {
    /// Whether the server received and handled the request itself, read
    /// or not: a simple request refused by the CORS check was.
    pub fn reached_server(&self) -> bool {
        self.sent.is_some()
    }

    /// Why the page may not read the answer, as Chrome's console writes
    /// it: "Access to fetch at '…' from origin '…' has been blocked by CORS
    /// policy: …", or `None` if it may.
    pub fn console_message(&self, origin: &str) -> Option<String> {
        let error = self.outcome.as_ref().err()?;
        let (request, _) = self.sent.as_ref().or(self.preflight.as_ref())?;
        // The origin checks of a refused preflight say where they failed;
        // the other preflight errors name the preflight themselves.
        let at_preflight = self.sent.is_none()
            && matches!(
                error,
                CorsError::NoAllowOrigin
                    | CorsError::SeveralAllowOrigins(_)
                    | CorsError::OtherOrigin { .. }
                    | CorsError::WildcardWithCredentials
                    | CorsError::CredentialsNotAllowed
            );
        let preflight = if at_preflight {
            "Response to preflight request doesn't pass access control check: "
        } else {
            ""
        };
        Some(format!(
            "Access to fetch at '{}' from origin '{origin}' has been blocked by CORS policy: \
             {preflight}{error}",
            request.url
        ))
    }
}

/// Runs `request` from a page at `origin` through the browser's CORS
/// protocol at `now`, with `send` as the network (Fetch, "HTTP fetch" with
/// the "cors" mode): the preflight first if one is needed and `cache` does
/// not cover it, and the request only if the preflight's answer allows it,
/// which `cache` then keeps.
pub fn fetch(
    origin: &str,
    request: Request,
    credentials: Credentials,
    cache: &mut PreflightCache,
    now: UnixTime,
    mut send: impl FnMut(&Request) -> Response,
) -> CrossOriginFetch {
    let mut preflight = None;
    if needs_preflight(&request) && !cache.covers(origin, &request, credentials, now) {
        let asked = preflight_request(origin, &request);
        let answer = send(&asked);
        let allowed = check_preflight(&answer, origin, &request, credentials);
        if let Err(error) = allowed {
            return CrossOriginFetch {
                preflight: Some((asked, answer)),
                sent: None,
                outcome: Err(error),
            };
        }
        cache.store(origin, &request, credentials, &answer, now);
        preflight = Some((asked, answer));
    }
    let request = request.with_header("Origin", origin);
    let response = send(&request);
    let outcome = cors_check(&response, origin, credentials);
    CrossOriginFetch {
        preflight,
        sent: Some((request, response)),
        outcome,
    }
}
