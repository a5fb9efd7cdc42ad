//! The server's side of CORS: what it answers a preflight, and the headers
//! it adds to a response for a page's origin it allows (Fetch Standard,
//! "HTTP responses" of the CORS protocol).

use crate::http::{Method, Request, Response};

/// What a server allows of cross-origin pages: the origins it names, and
/// for a preflight, the headers, and whether cookies may come along.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CorsPolicy {
    /// Serialized origins (`https://app.example`), matched exactly.
    pub allowed_origins: Vec<String>,
    /// Header names a preflight may ask for, matched case-insensitively.
    pub allowed_headers: Vec<String>,
    /// Whether to answer `Access-Control-Allow-Credentials: true`.
    pub allow_credentials: bool,
    /// How long a browser may keep a preflight's answer, in seconds.
    pub max_age: u32,
}

impl CorsPolicy {
    /// The page's origin, if the request came from one this policy allows.
    fn allowed_origin<'r>(&self, request: &'r Request) -> Option<&'r str> {
        let origin = request.headers.get("Origin")?;
        self.allowed_origins
            .iter()
            .any(|allowed| allowed == origin)
            .then_some(origin)
    }

    /// Whether `request` is a CORS preflight: `OPTIONS` with an `Origin`
    /// and an `Access-Control-Request-Method` (Fetch, "CORS-preflight
    /// request").
    pub fn is_preflight(request: &Request) -> bool {
        request.method == Method::Options
            && request.headers.get("Origin").is_some()
            && request
                .headers
                .get("Access-Control-Request-Method")
                .is_some()
    }

    /// The answer to a preflight: `204` naming the origin, the method and
    /// the headers this policy allows of those asked for, or `204` with no
    /// CORS headers at all for an origin it does not allow, which the
    /// browser then refuses.
    pub fn answer_preflight(&self, preflight: &Request) -> Response {
        let mut response = Response::new(204).with_header("Vary", "Origin");
        let Some(origin) = self.allowed_origin(preflight) else {
            return response;
        };
        response = self.with_origin(response, origin);
        if let Some(method) = preflight.headers.get("Access-Control-Request-Method") {
            response = response.with_header("Access-Control-Allow-Methods", method);
        }
        let asked = preflight
            .headers
            .get("Access-Control-Request-Headers")
            .unwrap_or("");
        let allowed: Vec<&str> = asked
            .split(',')
            .map(str::trim)
            .filter(|name| {
                self.allowed_headers
                    .iter()
                    .any(|allowed| allowed.eq_ignore_ascii_case(name))
            })
            .collect();
        if !allowed.is_empty() {
            response = response.with_header("Access-Control-Allow-Headers", allowed.join(", "));
        }
        response.with_header("Access-Control-Max-Age", self.max_age.to_string())
    }

    /// `response` to `request` with the CORS headers this policy gives the
    /// request's origin, if any. `Vary: Origin` always: the answer depends
    /// on it, so a cache must not give one origin's to another.
    pub fn decorate(&self, request: &Request, response: Response) -> Response {
        let response = response.with_header("Vary", "Origin");
        match self.allowed_origin(request) {
            Some(origin) => self.with_origin(response, origin),
            None => response,
        }
    }

    fn with_origin(&self, response: Response, origin: &str) -> Response {
        let response = response.with_header("Access-Control-Allow-Origin", origin);
        if self.allow_credentials {
            response.with_header("Access-Control-Allow-Credentials", "true")
        } else {
            response
        }
    }
}
