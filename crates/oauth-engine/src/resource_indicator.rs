//! Resource indicators (RFC 8707): the `resource` parameter a client sends
//! in its authorization and token requests to name the API the token is
//! for, so that the authorization server can restrict the token's audience
//! to it (section 2).
//!
//! The engine's simulated APIs and tool servers are https URLs, so a
//! resource indicator here is one: RFC 8707 section 2 allows any absolute
//! URI, but MCP (MCP authorization, revision 2026-07-28, "Canonical Server
//! URI") and RFC 9728 section 1.2 both name an https URL.
//!
//! Not yet used by the simulated parties: groundwork for the MCP profile.

use std::fmt;

use crate::error::{ErrorCode, OAuthError};
use crate::http::Url;

/// The value of one `resource` parameter: an absolute https URI without a
/// fragment (RFC 8707 section 2), kept exactly as it was written.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ResourceIndicator {
    text: String,
    url: Url,
}

/// Why a `resource` value was refused. Answered with `invalid_target`
/// (RFC 8707 section 2: "The requested resource is invalid, missing,
/// unknown, or malformed"); each names what is wrong.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ResourceError {
    /// The parameter is there but empty.
    Empty,
    /// No scheme: not an absolute URI (RFC 3986 section 4.3), as
    /// `mcp.example.com` (MCP's own example of an invalid value).
    NotAbsolute,
    /// A scheme other than https.
    NotHttps(String),
    /// No `//` authority, or an empty host.
    NoHost,
    /// A port that is not digits (RFC 3986 section 3.2.3).
    BadPort(String),
    /// A fragment component (RFC 8707 section 2: "MUST NOT include a
    /// fragment component").
    Fragment(String),
    /// A character no URI may contain (RFC 3986 section 2), such as white
    /// space or a `%` not followed by two hex digits.
    BadCharacter(char),
}

impl ResourceError {
    /// `invalid_target`, for every case (RFC 8707 section 2).
    pub fn code(&self) -> ErrorCode {
        ErrorCode::InvalidTarget
    }

    /// The error response an authorization server answers with.
    pub fn to_oauth_error(&self) -> OAuthError {
        OAuthError::new(self.code(), self.to_string())
    }
}

impl fmt::Display for ResourceError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::Empty => f.write_str("the resource parameter is empty"),
            Self::NotAbsolute => f.write_str(
                "the resource is not an absolute URI: it has no scheme (as https://api.example)",
            ),
            Self::NotHttps(scheme) => write!(
                f,
                "the resource uses the scheme \"{scheme}\"; resources here are https URLs"
            ),
            Self::NoHost => f.write_str("the resource has no host"),
            Self::BadPort(port) => write!(f, "the resource's port \"{port}\" is not a number"),
            Self::Fragment(fragment) => write!(
                f,
                "the resource has a fragment (#{fragment}); a resource indicator must not"
            ),
            Self::BadCharacter(c) => {
                write!(f, "the resource contains {c:?}, which a URI cannot contain")
            }
        }
    }
}

impl std::error::Error for ResourceError {}

impl ResourceIndicator {
    /// Parses one `resource` value (RFC 8707 section 2): an absolute URI
    /// (RFC 3986 section 4.3) with the https scheme, in any case, a host,
    /// and no fragment. A query is allowed: section 2 only says it
    /// "SHOULD NOT" be there.
    pub fn parse(value: &str) -> Result<Self, ResourceError> {
        if value.is_empty() {
            return Err(ResourceError::Empty);
        }
        if let Some(c) = bad_character(value) {
            return Err(ResourceError::BadCharacter(c));
        }
        // RFC 3986 section 3.1: scheme = ALPHA *( ALPHA / DIGIT / "+" / "-" / "." ).
        let scheme = value
            .split_once(':')
            .map(|(scheme, _)| scheme)
            .filter(|scheme| {
                scheme.starts_with(|c: char| c.is_ascii_alphabetic())
                    && scheme
                        .chars()
                        .all(|c| c.is_ascii_alphanumeric() || "+-.".contains(c))
            })
            .ok_or(ResourceError::NotAbsolute)?;
        // Scheme names are case-insensitive (RFC 3986 section 3.1), and
        // MCP asks servers to accept an upper-case one.
        if !scheme.eq_ignore_ascii_case("https") {
            return Err(ResourceError::NotHttps(scheme.to_owned()));
        }
        let rest = &value[scheme.len() + 1..];
        let Some(rest) = rest.strip_prefix("//") else {
            return Err(ResourceError::NoHost);
        };
        let url = Url::parse(&format!("https://{rest}")).map_err(|_| ResourceError::NoHost)?;
        if let Some(fragment) = &url.fragment {
            return Err(ResourceError::Fragment(fragment.clone()));
        }
        check_authority(url.host())?;
        Ok(Self {
            text: value.to_owned(),
            url,
        })
    }

    /// The value exactly as it was sent.
    pub fn as_str(&self) -> &str {
        &self.text
    }

    /// The value split as a URL.
    pub fn url(&self) -> &Url {
        &self.url
    }

    /// The canonical form MCP asks a client to send (MCP authorization,
    /// revision 2026-07-28, "Canonical Server URI"): scheme and host in
    /// lower case, and without a trailing slash: `https://MCP.Example.com/`
    /// becomes `https://mcp.example.com`, `https://mcp.example.com/mcp/`
    /// becomes `https://mcp.example.com/mcp`. MCP keeps the slash where it
    /// is significant to the resource; only its server knows that, so a
    /// client that knows keeps the value as parsed. Nothing else is
    /// normalized: not the path's case, not percent-encoding, not a default
    /// port (`:443` stays).
    pub fn canonical(&self) -> Self {
        // The origin is `https://` and the authority; only the host part of
        // the authority is lowered, but user info has no place in a
        // resource and port digits have no case, so all of it is.
        let origin = self.url.origin.to_ascii_lowercase();
        let path = self.url.path.strip_suffix('/').unwrap_or(&self.url.path);
        let url = Url {
            origin,
            path: path.to_owned(),
            query: self.url.query.clone(),
            fragment: None,
        };
        let text = url.to_string();
        // The URL type always has a path starting with "/"; the root's is
        // written "/", which the canonical form leaves out.
        let url = Url {
            path: if url.path.is_empty() {
                "/".to_owned()
            } else {
                url.path
            },
            ..url
        };
        Self { text, url }
    }
}

impl fmt::Display for ResourceIndicator {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.text)
    }
}

/// Parses `value` and gives its canonical form (MCP authorization,
/// revision 2026-07-28, "Canonical Server URI"): what an MCP client sends
/// as `resource` for the server at `value`.
pub fn canonical_resource(value: &str) -> Result<ResourceIndicator, ResourceError> {
    ResourceIndicator::parse(value).map(|resource| resource.canonical())
}

/// The first character a URI cannot contain: outside RFC 3986 section 2's
/// unreserved and reserved sets, or a `%` not followed by two hex digits
/// (section 2.1).
fn bad_character(value: &str) -> Option<char> {
    let mut chars = value.chars();
    while let Some(c) = chars.next() {
        if c == '%' {
            let mut hex = chars.clone().take(2);
            if !(hex.next().is_some_and(|h| h.is_ascii_hexdigit())
                && hex.next().is_some_and(|h| h.is_ascii_hexdigit()))
            {
                return Some('%');
            }
        } else if !(c.is_ascii_alphanumeric() || "-._~:/?#[]@!$&'()*+,;=".contains(c)) {
            return Some(c);
        }
    }
    None
}

/// RFC 3986 section 3.2: `[ userinfo "@" ] host [ ":" port ]`, with a
/// non-empty host and a port of digits.
fn check_authority(authority: &str) -> Result<(), ResourceError> {
    let host_port = authority
        .rsplit_once('@')
        .map_or(authority, |(_, host_port)| host_port);
    let (host, port) = match host_port.strip_prefix('[') {
        // An IP literal (section 3.2.2): the port follows the "]".
        Some(literal) => match literal.split_once(']') {
            Some((address, "")) => (address, None),
            Some((address, after)) => (
                address,
                Some(
                    after
                        .strip_prefix(':')
                        .ok_or_else(|| ResourceError::BadPort(after.to_owned()))?,
                ),
            ),
            None => return Err(ResourceError::NoHost),
        },
        None => match host_port.split_once(':') {
            Some((host, port)) => (host, Some(port)),
            None => (host_port, None),
        },
    };
    if host.is_empty() {
        return Err(ResourceError::NoHost);
    }
    match port {
        Some(port) if !port.chars().all(|c| c.is_ascii_digit()) => {
            Err(ResourceError::BadPort(port.to_owned()))
        }
        _ => Ok(()),
    }
}
