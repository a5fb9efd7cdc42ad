//! HTTP messages as values. Every exchange between the simulated parties
//! is one of these, so the UI can show it exactly as it would cross the
//! wire and the tests can check it.

use std::fmt;

use crate::form::{FormError, decode_form, encode_form};

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Method {
    Get,
    Post,
    /// Only as a browser's CORS preflight (`cors.rs`).
    Options,
}

impl Method {
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Get => "GET",
            Self::Post => "POST",
            Self::Options => "OPTIONS",
        }
    }
}

/// An absolute `http`/`https` URL, split as far as OAuth needs it; or a
/// native app's private-use URI (`com.example.app:/callback`, RFC 8252
/// section 7.1), whose `origin` is then the scheme and its colon.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Url {
    /// `https://host[:port]`
    pub origin: String,
    /// Starts with `/`.
    pub path: String,
    /// Without the `?`.
    pub query: Option<String>,
    /// Without the `#`.
    pub fragment: Option<String>,
}

/// Why a URL was refused.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum UrlError {
    NotAbsolute,
    UnsupportedScheme(String),
    NoHost,
    Whitespace,
}

impl fmt::Display for UrlError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::NotAbsolute => {
                f.write_str("is not an absolute URL (it must start with https://)")
            }
            Self::UnsupportedScheme(scheme) => {
                write!(
                    f,
                    "uses the scheme \"{scheme}\"; only https and http are supported"
                )
            }
            Self::NoHost => f.write_str("has no host"),
            Self::Whitespace => f.write_str("contains white space"),
        }
    }
}

impl std::error::Error for UrlError {}

impl Url {
    pub fn parse(text: &str) -> Result<Self, UrlError> {
        if text.chars().any(char::is_whitespace) {
            return Err(UrlError::Whitespace);
        }
        let Some((scheme, rest)) = text.split_once("://") else {
            return Self::parse_private_use(text);
        };
        if !matches!(scheme, "https" | "http") {
            return Err(UrlError::UnsupportedScheme(scheme.to_owned()));
        }
        let (rest, fragment) = match rest.split_once('#') {
            Some((rest, fragment)) => (rest, Some(fragment.to_owned())),
            None => (rest, None),
        };
        let (rest, query) = match rest.split_once('?') {
            Some((rest, query)) => (rest, Some(query.to_owned())),
            None => (rest, None),
        };
        let (host, path) = match rest.find('/') {
            Some(slash) => (&rest[..slash], &rest[slash..]),
            None => (rest, "/"),
        };
        if host.is_empty() {
            return Err(UrlError::NoHost);
        }
        Ok(Self {
            origin: format!("{scheme}://{host}"),
            path: path.to_owned(),
            query,
            fragment,
        })
    }

    /// A private-use URI scheme (RFC 8252 section 7.1): a reverse domain
    /// name such as `com.example.app`, then `:/` and a path. The period is
    /// what tells it from `javascript:` or `data:`, which are refused.
    fn parse_private_use(text: &str) -> Result<Self, UrlError> {
        let (scheme, rest) = text.split_once(':').ok_or(UrlError::NotAbsolute)?;
        let valid_scheme = scheme.contains('.')
            && scheme.starts_with(|c: char| c.is_ascii_alphabetic())
            && scheme
                .chars()
                .all(|c| c.is_ascii_alphanumeric() || "+-.".contains(c));
        if !valid_scheme || !rest.starts_with('/') || rest.starts_with("//") {
            return Err(UrlError::NotAbsolute);
        }
        let (rest, fragment) = match rest.split_once('#') {
            Some((rest, fragment)) => (rest, Some(fragment.to_owned())),
            None => (rest, None),
        };
        let (path, query) = match rest.split_once('?') {
            Some((path, query)) => (path, Some(query.to_owned())),
            None => (rest, None),
        };
        Ok(Self {
            origin: format!("{scheme}:"),
            path: path.to_owned(),
            query,
            fragment,
        })
    }

    /// This URL with `.` and `..` path segments resolved, as a browser
    /// resolves them before it sends a request (RFC 3986 section 5.2.4).
    /// A server that compares redirect URIs as raw strings sees
    /// `/callback/../uploads/x` start with `/callback`; the browser then
    /// goes to `/uploads/x`.
    pub fn without_dot_segments(&self) -> Self {
        let mut output: Vec<&str> = Vec::new();
        let segments: Vec<&str> = self.path.split('/').skip(1).collect();
        let last = segments.len().saturating_sub(1);
        for (index, segment) in segments.iter().enumerate() {
            match *segment {
                "." | ".." => {
                    if *segment == ".." {
                        output.pop();
                    }
                    // A trailing dot segment leaves a directory: "/a/.." is "/".
                    if index == last {
                        output.push("");
                    }
                }
                other => output.push(other),
            }
        }
        Self {
            path: format!("/{}", output.join("/")),
            ..self.clone()
        }
    }

    /// The host and port, as the `Host` header carries them.
    pub fn host(&self) -> &str {
        self.origin.split_once("://").map_or("", |(_, host)| host)
    }

    /// Path and query: the request target of the request line.
    pub fn target(&self) -> String {
        match &self.query {
            Some(query) => format!("{}?{query}", self.path),
            None => self.path.clone(),
        }
    }

    /// This URL with `pairs` appended to its query (RFC 6749 section 3.1
    /// keeps any query component the endpoint URL already has).
    pub fn with_query(&self, pairs: &[(&str, &str)]) -> Self {
        let added = encode_form(pairs);
        let query = match &self.query {
            Some(existing) if !existing.is_empty() => format!("{existing}&{added}"),
            _ => added,
        };
        Self {
            query: Some(query),
            ..self.clone()
        }
    }

    /// This URL with `pairs` as its fragment (the implicit grant's response,
    /// RFC 6749 section 4.2.2).
    pub fn with_fragment(&self, pairs: &[(&str, &str)]) -> Self {
        Self {
            fragment: Some(encode_form(pairs)),
            ..self.clone()
        }
    }

    pub fn query_pairs(&self) -> Result<Vec<(String, String)>, FormError> {
        decode_form(self.query.as_deref().unwrap_or_default())
    }
}

impl fmt::Display for Url {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}{}", self.origin, self.target())?;
        if let Some(fragment) = &self.fragment {
            write!(f, "#{fragment}")?;
        }
        Ok(())
    }
}

/// Header fields in order; names compare case-insensitively.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Headers(Vec<(String, String)>);

impl Headers {
    pub fn get(&self, name: &str) -> Option<&str> {
        self.0
            .iter()
            .find(|(n, _)| n.eq_ignore_ascii_case(name))
            .map(|(_, v)| v.as_str())
    }

    pub fn push(&mut self, name: &str, value: impl Into<String>) {
        self.0.push((name.to_owned(), value.into()));
    }

    pub fn iter(&self) -> impl Iterator<Item = (&str, &str)> {
        self.0.iter().map(|(n, v)| (n.as_str(), v.as_str()))
    }

    /// Every field named `name`, in order: a list-based field such as
    /// `WWW-Authenticate` may come in several (RFC 9110 section 5.3).
    pub fn get_all<'h>(&'h self, name: &'h str) -> impl Iterator<Item = &'h str> + 'h {
        self.0
            .iter()
            .filter(move |(n, _)| n.eq_ignore_ascii_case(name))
            .map(|(_, v)| v.as_str())
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Request {
    pub method: Method,
    pub url: Url,
    pub headers: Headers,
    pub body: String,
}

impl Request {
    pub fn get(url: Url) -> Self {
        Self {
            method: Method::Get,
            url,
            headers: Headers::default(),
            body: String::new(),
        }
    }

    /// A POST with an `application/x-www-form-urlencoded` body, as token
    /// requests are sent (RFC 6749 section 4.1.3).
    pub fn post_form(url: Url, pairs: &[(&str, &str)]) -> Self {
        let mut headers = Headers::default();
        headers.push("Content-Type", "application/x-www-form-urlencoded");
        Self {
            method: Method::Post,
            url,
            headers,
            body: encode_form(pairs),
        }
    }

    pub fn with_header(mut self, name: &str, value: impl Into<String>) -> Self {
        self.headers.push(name, value);
        self
    }

    /// The `Authorization` header as its scheme and what follows it
    /// (RFC 9110 section 11.4); `None` without the header. Scheme names
    /// are case-insensitive (section 11.1): compare them with
    /// `eq_ignore_ascii_case`, never with `==`.
    pub fn authorization(&self) -> Option<(&str, &str)> {
        let value = self.headers.get("Authorization")?.trim();
        Some(match value.split_once([' ', '\t']) {
            Some((scheme, credentials)) => (scheme, credentials.trim()),
            None => (value, ""),
        })
    }

    /// The value of the cookie `name` the request carries (RFC 6265
    /// section 5.4: `name=value` pairs joined by `; `).
    pub fn cookie(&self, name: &str) -> Option<&str> {
        self.headers
            .get("Cookie")?
            .split(';')
            .filter_map(|pair| pair.trim().split_once('='))
            .find(|(cookie, _)| *cookie == name)
            .map(|(_, value)| value)
    }

    /// The body as form parameters (for POSTs) or the query (for GETs).
    pub fn params(&self) -> Result<Vec<(String, String)>, FormError> {
        match self.method {
            Method::Get | Method::Options => self.url.query_pairs(),
            Method::Post => decode_form(&self.body),
        }
    }

    /// The request as a `curl` command a learner can paste into a POSIX
    /// shell. Every argument is single-quoted, so nothing in a URL, header
    /// or body (`$`, backticks, `;`, newlines) is interpreted by the shell.
    /// The fragment is left out: it is never sent (the request target is
    /// path and query only, RFC 9112 section 3.2).
    pub fn to_curl(&self) -> String {
        let url = format!("{}{}", self.url.origin, self.url.target());
        let mut parts = vec![match self.method {
            // curl sends a GET by default; -X would only add noise.
            Method::Get => format!("curl {}", shell_quote(&url)),
            method => format!("curl -X {} {}", method.as_str(), shell_quote(&url)),
        }];
        for (name, value) in self.headers.iter() {
            parts.push(format!("-H {}", shell_quote(&format!("{name}: {value}"))));
        }
        if self.method == Method::Post && !self.body.is_empty() {
            // --data-raw, not --data: a body starting with @ is not a file name.
            parts.push(format!("--data-raw {}", shell_quote(&self.body)));
        }
        parts.join(" \\\n  ")
    }

    /// The request as it crosses the wire (HTTP/1.1, CRLF line ends).
    pub fn to_http_text(&self) -> String {
        let mut text = format!(
            "{} {} HTTP/1.1\r\nHost: {}\r\n",
            self.method.as_str(),
            self.url.target(),
            self.url.host()
        );
        write_headers_and_body(&mut text, &self.headers, &self.body);
        text
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Response {
    pub status: u16,
    pub headers: Headers,
    pub body: String,
}

impl Response {
    pub fn new(status: u16) -> Self {
        Self {
            status,
            headers: Headers::default(),
            body: String::new(),
        }
    }

    /// A JSON body. Token responses must not be cached (RFC 6749 section
    /// 5.1), and neither may error responses that carry the same data.
    pub fn json(status: u16, body: &serde_json::Value) -> Self {
        Self::new(status)
            .with_header("Content-Type", "application/json")
            .with_header("Cache-Control", "no-store")
            .with_body(body.to_string())
    }

    /// A `302 Found` redirect, the front channel's way to move the browser
    /// (RFC 6749 section 4.1.2).
    pub fn redirect(location: &Url) -> Self {
        Self::new(302).with_header("Location", location.to_string())
    }

    pub fn with_header(mut self, name: &str, value: impl Into<String>) -> Self {
        self.headers.push(name, value);
        self
    }

    pub fn with_body(mut self, body: impl Into<String>) -> Self {
        self.body = body.into();
        self
    }

    pub fn json_body(&self) -> Option<serde_json::Value> {
        serde_json::from_str(&self.body).ok()
    }

    /// The challenges of every `WWW-Authenticate` field, in order (RFC
    /// 9110 section 11.6.1); empty without the field.
    pub fn challenges(&self) -> Result<Vec<Challenge>, ChallengeError> {
        let mut challenges = Vec::new();
        for value in self.headers.get_all("WWW-Authenticate") {
            challenges.extend(parse_challenges(value)?);
        }
        Ok(challenges)
    }

    /// The response as it crosses the wire (HTTP/1.1, CRLF line ends).
    pub fn to_http_text(&self) -> String {
        let mut text = format!(
            "HTTP/1.1 {} {}\r\n",
            self.status,
            reason_phrase(self.status)
        );
        write_headers_and_body(&mut text, &self.headers, &self.body);
        text
    }
}

fn write_headers_and_body(text: &mut String, headers: &Headers, body: &str) {
    for (name, value) in headers.iter() {
        text.push_str(name);
        text.push_str(": ");
        text.push_str(value);
        text.push_str("\r\n");
    }
    if !body.is_empty() {
        text.push_str(&format!("Content-Length: {}\r\n", body.len()));
    }
    text.push_str("\r\n");
    text.push_str(body);
}

/// `text` as one single-quoted POSIX shell word. Inside single quotes
/// every character is literal except `'` itself, which is closed, escaped
/// and reopened as `'\''`. A NUL cannot be passed in an argument at all,
/// so it is dropped rather than silently cutting the word short.
fn shell_quote(text: &str) -> String {
    let mut quoted = String::with_capacity(text.len() + 2);
    quoted.push('\'');
    for c in text.chars() {
        match c {
            '\'' => quoted.push_str("'\\''"),
            '\0' => {}
            c => quoted.push(c),
        }
    }
    quoted.push('\'');
    quoted
}

/// Text made safe inside HTML or XML, as content or as a quoted attribute
/// value: the server's pages and the app's SVG export both need it.
pub fn escape_html(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            c => out.push(c),
        }
    }
    out
}

/// The inverse of [`escape_html`]: text as it was before escaping.
/// `&amp;` goes last, so "&amp;lt;" comes back as "&lt;", not "<".
pub fn unescape_html(text: &str) -> String {
    text.replace("&lt;", "<")
        .replace("&gt;", ">")
        .replace("&quot;", "\"")
        .replace("&#39;", "'")
        .replace("&amp;", "&")
}

/// One challenge of a `WWW-Authenticate` field (RFC 9110 section 11.6.1):
/// `Bearer realm="api", error="invalid_token"` or `Negotiate abc==`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Challenge {
    /// As written; scheme names are case-insensitive (section 11.1):
    /// compare with [`Challenge::is`].
    pub scheme: String,
    /// The `token68` form some schemes use instead of parameters.
    pub token68: Option<String>,
    /// Name and value, a quoted value unescaped (section 5.6.4).
    pub params: Vec<(String, String)>,
}

impl Challenge {
    /// Whether this challenge is for `scheme`, whatever its case.
    pub fn is(&self, scheme: &str) -> bool {
        self.scheme.eq_ignore_ascii_case(scheme)
    }

    /// The value of the parameter `name`; names are case-insensitive
    /// (section 11.2).
    pub fn param(&self, name: &str) -> Option<&str> {
        self.params
            .iter()
            .find(|(n, _)| n.eq_ignore_ascii_case(name))
            .map(|(_, v)| v.as_str())
    }
}

/// Why a `WWW-Authenticate` value could not be read.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ChallengeError {
    /// No challenge at all.
    Empty,
    /// Something else than `expected` at character `at` (counted in bytes).
    Malformed { at: usize, expected: &'static str },
    /// A parameter named twice in one challenge: section 11.2 says "Each
    /// parameter name MUST only occur once per challenge."
    Duplicate(String),
}

impl fmt::Display for ChallengeError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::Empty => f.write_str("the WWW-Authenticate field has no challenge"),
            Self::Malformed { at, expected } => write!(
                f,
                "the WWW-Authenticate field is malformed at byte {at}: expected {expected}"
            ),
            Self::Duplicate(name) => write!(
                f,
                "the WWW-Authenticate challenge has the parameter \"{name}\" twice"
            ),
        }
    }
}

impl std::error::Error for ChallengeError {}

/// Reads a `WWW-Authenticate` field value (RFC 9110 section 11.6.1):
/// `#challenge`, each `auth-scheme [ 1*SP ( token68 / #auth-param ) ]`,
/// an auth-param `token BWS "=" BWS ( token / quoted-string )` (section
/// 11.2). The list's commas separate both challenges and parameters: after
/// a comma, `name=` continues the challenge and anything else starts the
/// next one. Empty list elements are skipped (section 5.6.1).
pub fn parse_challenges(value: &str) -> Result<Vec<Challenge>, ChallengeError> {
    let mut cursor = Cursor { text: value, at: 0 };
    let mut challenges = Vec::new();
    loop {
        cursor.skip_separators();
        if cursor.at_end() {
            break;
        }
        let scheme = cursor
            .token()
            .ok_or_else(|| cursor.error("an auth-scheme"))?;
        let mut challenge = Challenge {
            scheme: scheme.to_owned(),
            token68: None,
            params: Vec::new(),
        };
        let spaced = cursor.skip_whitespace();
        if !(cursor.at_end() || cursor.peek() == Some(',')) {
            if !spaced {
                return Err(cursor.error("a space after the auth-scheme"));
            }
            if let Some(param) = cursor.param()? {
                challenge.params.push(param);
                loop {
                    cursor.skip_whitespace();
                    if cursor.peek() != Some(',') {
                        break;
                    }
                    let before = cursor.at;
                    cursor.skip_separators();
                    match cursor.param()? {
                        Some((name, value)) => {
                            if challenge.param(&name).is_some() {
                                return Err(ChallengeError::Duplicate(name));
                            }
                            challenge.params.push((name, value));
                        }
                        // Not `name=`: the next challenge, or the end.
                        None => {
                            cursor.at = before;
                            break;
                        }
                    }
                }
            } else {
                let token68 = cursor
                    .token68()
                    .ok_or_else(|| cursor.error("a token68 or an auth-param"))?;
                challenge.token68 = Some(token68.to_owned());
                cursor.skip_whitespace();
            }
        }
        if !(cursor.at_end() || cursor.peek() == Some(',')) {
            return Err(cursor.error("a comma or the end"));
        }
        challenges.push(challenge);
    }
    if challenges.is_empty() {
        return Err(ChallengeError::Empty);
    }
    Ok(challenges)
}

/// `value` as a quoted-string (RFC 9110 section 5.6.4): in double quotes,
/// with `"` and `\` escaped by a backslash.
pub fn quoted_string(value: &str) -> String {
    let mut quoted = String::with_capacity(value.len() + 2);
    quoted.push('"');
    for c in value.chars() {
        if c == '"' || c == '\\' {
            quoted.push('\\');
        }
        quoted.push(c);
    }
    quoted.push('"');
    quoted
}

/// A position in a field value being read.
struct Cursor<'t> {
    text: &'t str,
    at: usize,
}

impl<'t> Cursor<'t> {
    fn rest(&self) -> &'t str {
        self.text.get(self.at..).unwrap_or_default()
    }

    fn peek(&self) -> Option<char> {
        self.rest().chars().next()
    }

    fn at_end(&self) -> bool {
        self.rest().is_empty()
    }

    fn error(&self, expected: &'static str) -> ChallengeError {
        ChallengeError::Malformed {
            at: self.at,
            expected,
        }
    }

    /// OWS (section 5.6.3): spaces and tabs. Whether there were any.
    fn skip_whitespace(&mut self) -> bool {
        let start = self.at;
        self.take_while(|c| c == ' ' || c == '\t');
        self.at > start
    }

    /// White space and empty list elements.
    fn skip_separators(&mut self) {
        self.take_while(|c| c == ' ' || c == '\t' || c == ',');
    }

    fn take_while(&mut self, accept: impl Fn(char) -> bool) -> &'t str {
        let rest = self.rest();
        let len = rest.find(|c| !accept(c)).unwrap_or(rest.len());
        self.at += len;
        &rest[..len]
    }

    /// A token (section 5.6.2): one or more tchar.
    fn token(&mut self) -> Option<&'t str> {
        let token = self.take_while(|c| c.is_ascii_alphanumeric() || "!#$%&'*+-.^_`|~".contains(c));
        (!token.is_empty()).then_some(token)
    }

    /// A token68 (section 11.2): `1*( ALPHA / DIGIT / "-" / "." / "_" /
    /// "~" / "+" / "/" ) *"="`.
    fn token68(&mut self) -> Option<&'t str> {
        let start = self.at;
        let body = self.take_while(|c| c.is_ascii_alphanumeric() || "-._~+/".contains(c));
        if body.is_empty() {
            return None;
        }
        self.take_while(|c| c == '=');
        self.text.get(start..self.at)
    }

    /// An auth-param, or `None` (and nothing read) if what follows is not
    /// `token BWS "="` and a value: a token68, or the next challenge.
    fn param(&mut self) -> Result<Option<(String, String)>, ChallengeError> {
        let start = self.at;
        let Some(name) = self.token() else {
            return Ok(None);
        };
        self.skip_whitespace();
        if self.peek() != Some('=') {
            self.at = start;
            return Ok(None);
        }
        self.at += 1;
        self.skip_whitespace();
        let value = if self.peek() == Some('"') {
            self.quoted()?
        } else {
            match self.token() {
                Some(value) => value.to_owned(),
                // `abc=` or `abc==`: a token68 ending in "=".
                None => {
                    self.at = start;
                    return Ok(None);
                }
            }
        };
        Ok(Some((name.to_owned(), value)))
    }

    /// A quoted-string (section 5.6.4), unescaped: a backslash quotes the
    /// character after it; control characters other than tab are refused.
    fn quoted(&mut self) -> Result<String, ChallengeError> {
        self.at += 1;
        let mut value = String::new();
        let mut chars = self.rest().char_indices();
        while let Some((offset, c)) = chars.next() {
            match c {
                '"' => {
                    self.at += offset + 1;
                    return Ok(value);
                }
                '\\' => match chars.next() {
                    Some((_, quoted)) if quoted == '\t' || !quoted.is_control() => {
                        value.push(quoted);
                    }
                    _ => {
                        self.at += offset;
                        return Err(self.error("a character after the backslash"));
                    }
                },
                c if c == '\t' || !c.is_control() => value.push(c),
                _ => {
                    self.at += offset;
                    return Err(self.error("a printable character in the quoted string"));
                }
            }
        }
        self.at = self.text.len();
        Err(self.error("a closing quote"))
    }
}

/// RFC 9110 section 15 reason phrases for the statuses OAuth uses.
pub fn reason_phrase(status: u16) -> &'static str {
    match status {
        200 => "OK",
        // RFC 9126 section 2.2: a pushed request's answer.
        201 => "Created",
        204 => "No Content",
        302 => "Found",
        400 => "Bad Request",
        401 => "Unauthorized",
        403 => "Forbidden",
        404 => "Not Found",
        405 => "Method Not Allowed",
        500 => "Internal Server Error",
        503 => "Service Unavailable",
        _ => "",
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    #[cfg(target_arch = "wasm32")]
    use wasm_bindgen_test::wasm_bindgen_test as test;

    #[test]
    fn urls_split_into_origin_path_query_and_fragment() {
        let url = Url::parse("https://client.example:8443/cb?x=1#frag").unwrap();
        assert_eq!(url.origin, "https://client.example:8443");
        assert_eq!(url.host(), "client.example:8443");
        assert_eq!(url.path, "/cb");
        assert_eq!(url.query.as_deref(), Some("x=1"));
        assert_eq!(url.fragment.as_deref(), Some("frag"));
        assert_eq!(url.to_string(), "https://client.example:8443/cb?x=1#frag");
        assert_eq!(Url::parse("https://as.example").unwrap().path, "/");
    }

    #[test]
    fn urls_that_are_not_absolute_http_are_refused() {
        assert_eq!(Url::parse("/cb"), Err(UrlError::NotAbsolute));
        assert_eq!(
            Url::parse("javascript://x"),
            Err(UrlError::UnsupportedScheme("javascript".into()))
        );
        assert_eq!(Url::parse("https:///cb"), Err(UrlError::NoHost));
        assert_eq!(
            Url::parse("https://a.example/ x"),
            Err(UrlError::Whitespace)
        );
    }

    #[test]
    fn rfc8252_7_1_private_use_schemes_parse_and_print_back() {
        let url = Url::parse("com.example.app:/callback?code=x#f").unwrap();
        assert_eq!(url.origin, "com.example.app:");
        assert_eq!(url.path, "/callback");
        assert_eq!(url.query.as_deref(), Some("code=x"));
        assert_eq!(url.to_string(), "com.example.app:/callback?code=x#f");
        // No period, or no path: not a private-use redirect URI.
        assert_eq!(
            Url::parse("javascript:alert(1)"),
            Err(UrlError::NotAbsolute)
        );
        assert_eq!(Url::parse("com.example.app:x"), Err(UrlError::NotAbsolute));
    }

    #[test]
    fn rfc3986_5_2_4_dot_segments_are_removed() {
        let url = Url::parse("https://spa.example/callback/../uploads/m.html?code=x").unwrap();
        let resolved = url.without_dot_segments();
        assert_eq!(resolved.path, "/uploads/m.html");
        assert_eq!(resolved.query.as_deref(), Some("code=x"));
        let path = |p: &str| {
            Url::parse(&format!("https://a.example{p}"))
                .unwrap()
                .without_dot_segments()
                .path
        };
        assert_eq!(path("/a/b/./c"), "/a/b/c");
        assert_eq!(path("/a/.."), "/");
        assert_eq!(path("/../../x"), "/x");
        assert_eq!(path("/a/b/"), "/a/b/");
        assert_eq!(path("/"), "/");
    }

    #[test]
    fn rfc6749_3_1_query_parameters_are_added_to_an_existing_query() {
        let url = Url::parse("https://as.example/authorize?tenant=a").unwrap();
        let url = url.with_query(&[("response_type", "code"), ("state", "x y")]);
        assert_eq!(
            url.to_string(),
            "https://as.example/authorize?tenant=a&response_type=code&state=x+y"
        );
    }

    #[test]
    fn requests_render_as_http_1_1_text() {
        let url = Url::parse("https://as.example/token").unwrap();
        let request = Request::post_form(url, &[("grant_type", "authorization_code")])
            .with_header("Authorization", "Basic Y2xpZW50OnNlY3JldA==");
        assert_eq!(
            request.to_http_text(),
            "POST /token HTTP/1.1\r\nHost: as.example\r\n\
             Content-Type: application/x-www-form-urlencoded\r\n\
             Authorization: Basic Y2xpZW50OnNlY3JldA==\r\n\
             Content-Length: 29\r\n\r\ngrant_type=authorization_code"
        );
    }

    #[test]
    fn responses_render_as_http_1_1_text() {
        let location = Url::parse("https://client.example/cb?code=abc").unwrap();
        assert_eq!(
            Response::redirect(&location).to_http_text(),
            "HTTP/1.1 302 Found\r\nLocation: https://client.example/cb?code=abc\r\n\r\n"
        );
        let json = Response::json(400, &serde_json::json!({"error": "invalid_grant"}));
        assert_eq!(json.headers.get("cache-control"), Some("no-store"));
        assert!(
            json.to_http_text()
                .ends_with("\r\n\r\n{\"error\":\"invalid_grant\"}")
        );
    }

    #[test]
    fn a_post_renders_as_a_curl_command_with_every_argument_quoted() {
        let url = Url::parse("https://as.example/token").unwrap();
        let request = Request::post_form(url, &[("grant_type", "client_credentials")])
            .with_header("Authorization", "Basic Y2xpZW50OnNlY3JldA==");
        assert_eq!(
            request.to_curl(),
            "curl -X POST 'https://as.example/token' \\\n  \
             -H 'Content-Type: application/x-www-form-urlencoded' \\\n  \
             -H 'Authorization: Basic Y2xpZW50OnNlY3JldA==' \\\n  \
             --data-raw 'grant_type=client_credentials'"
        );
    }

    #[test]
    fn a_get_renders_without_method_or_body_and_without_the_fragment() {
        let url = Url::parse("https://api.example/profile?x=1#secret").unwrap();
        let request = Request::get(url).with_header("Authorization", "Bearer abc");
        assert_eq!(
            request.to_curl(),
            "curl 'https://api.example/profile?x=1' \\\n  -H 'Authorization: Bearer abc'"
        );
    }

    #[test]
    fn single_quotes_in_a_curl_argument_are_closed_escaped_and_reopened() {
        let url = Url::parse("https://as.example/login").unwrap();
        let request = Request {
            body: "username=o'brien&x=$(rm -rf ~);`id`".into(),
            ..Request::post_form(url, &[])
        };
        let curl = request.to_curl();
        assert!(curl.ends_with("--data-raw 'username=o'\\''brien&x=$(rm -rf ~);`id`'"));
        assert_eq!(shell_quote("it's"), "'it'\\''s'");
        assert_eq!(shell_quote("a\0b"), "'ab'");
    }

    #[test]
    fn rfc9110_11_1_the_authorization_scheme_is_read_whatever_its_case() {
        let url = Url::parse("https://as.example/token").unwrap();
        let with = |value: &str| Request::get(url.clone()).with_header("authorization", value);
        assert_eq!(with("BASIC abc=").authorization(), Some(("BASIC", "abc=")));
        assert_eq!(
            with("Bearer  t0k ").authorization(),
            Some(("Bearer", "t0k"))
        );
        assert_eq!(with("Negotiate").authorization(), Some(("Negotiate", "")));
        assert_eq!(Request::get(url).authorization(), None);
    }

    #[test]
    fn unescaping_html_gives_back_what_was_escaped() {
        for text in ["a&b", "<x y='1'>", "&lt;", "\"&amp;\"", "plain"] {
            assert_eq!(unescape_html(&escape_html(text)), text);
        }
    }

    #[test]
    fn header_names_are_case_insensitive() {
        let request = Request::get(Url::parse("https://rs.example/api").unwrap())
            .with_header("Authorization", "Bearer x");
        assert_eq!(request.headers.get("authorization"), Some("Bearer x"));
    }
}
