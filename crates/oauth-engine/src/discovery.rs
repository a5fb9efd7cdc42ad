//! Authorization server metadata discovery as MCP orders it (MCP
//! authorization, revision 2026-07-28, "Authorization Server Metadata
//! Discovery"): where a client looks for an issuer's metadata, RFC 8414
//! first and OpenID Connect Discovery next, and the check that the
//! document found is the issuer's own.
//!
//! The simulated authorization server (`server/`) serves both documents;
//! this is the client's side, not yet used by the simulated parties.

use std::fmt;

use crate::http::{Url, UrlError};

/// RFC 8414 section 3: the well-known URI suffix for OAuth authorization
/// server metadata, the one MCP uses ("MCP does not define an
/// application-specific well-known URI suffix").
pub const OAUTH_AUTHORIZATION_SERVER: &str = "/.well-known/oauth-authorization-server";
/// OpenID Connect Discovery 1.0 section 4: the OpenID Provider
/// configuration document.
pub const OPENID_CONFIGURATION: &str = "/.well-known/openid-configuration";

/// Why an issuer identifier, or a metadata document's `issuer`, was
/// refused.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum IssuerError {
    /// Not an absolute http(s) URL.
    Url(UrlError),
    /// RFC 8414 section 2: the issuer "is a URL that uses the "https"
    /// scheme".
    NotHttps(String),
    /// RFC 8414 section 2: "and has no query or fragment components".
    Query,
    Fragment,
    /// RFC 8414 section 3.3: the document's `issuer` is not identical to
    /// the issuer the client built the metadata URL from, so the metadata
    /// "MUST NOT be used".
    Mismatch {
        document: String,
        expected: String,
    },
}

impl fmt::Display for IssuerError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::Url(error) => write!(f, "the issuer {error}"),
            Self::NotHttps(issuer) => write!(f, "the issuer \"{issuer}\" does not use https"),
            Self::Query => f.write_str("the issuer has a query component"),
            Self::Fragment => f.write_str("the issuer has a fragment component"),
            Self::Mismatch { document, expected } => write!(
                f,
                "the metadata's issuer is \"{document}\", not \"{expected}\", the issuer it was \
                 looked up for: it must not be used"
            ),
        }
    }
}

impl std::error::Error for IssuerError {}

/// Parses an issuer identifier (RFC 8414 section 2): an https URL with no
/// query and no fragment. A path is allowed (a tenant's issuer).
pub fn issuer_url(issuer: &str) -> Result<Url, IssuerError> {
    let url = Url::parse(issuer).map_err(IssuerError::Url)?;
    if !url.origin.starts_with("https://") {
        return Err(IssuerError::NotHttps(issuer.to_owned()));
    }
    if url.query.is_some() {
        return Err(IssuerError::Query);
    }
    if url.fragment.is_some() {
        return Err(IssuerError::Fragment);
    }
    Ok(url)
}

/// The URLs a client tries, in order, for the metadata of `issuer` (MCP
/// authorization, revision 2026-07-28, "Authorization Server Metadata
/// Discovery"). For an issuer with a path (`https://auth.example.com/tenant1`):
///
/// 1. RFC 8414 section 3.1 path insertion:
///    `https://auth.example.com/.well-known/oauth-authorization-server/tenant1`;
/// 2. the same insertion with OpenID Connect's suffix:
///    `https://auth.example.com/.well-known/openid-configuration/tenant1`;
/// 3. OpenID Connect Discovery section 4 path appending:
///    `https://auth.example.com/tenant1/.well-known/openid-configuration`.
///
/// Without a path, the first two, which are then the same as appending.
/// A terminating slash is removed first, from the path before inserting
/// (RFC 8414 section 3.1: "If the issuer identifier value contains a path
/// component, any terminating "/" MUST be removed before inserting"), and
/// before appending (OpenID Connect Discovery section 4). So
/// `https://auth.example.com/tenant1/` is looked for where
/// `https://auth.example.com/tenant1` is, as the MCP TypeScript SDK does
/// (`tests/interop/mcp-sdk.test.mjs`). A protected resource's path keeps
/// its slash: RFC 9728 section 3.1 removes only one after the host
/// ([`crate::resource_metadata::well_known_url`]).
pub fn metadata_urls(issuer: &Url) -> Vec<Url> {
    let path = issuer.path.strip_suffix('/').unwrap_or(&issuer.path);
    let at = |path: String| Url {
        origin: issuer.origin.clone(),
        path,
        query: None,
        fragment: None,
    };
    let mut urls = vec![
        at(format!("{OAUTH_AUTHORIZATION_SERVER}{path}")),
        at(format!("{OPENID_CONFIGURATION}{path}")),
    ];
    if !path.is_empty() {
        urls.push(at(format!("{path}{OPENID_CONFIGURATION}")));
    }
    urls
}

/// RFC 8414 section 3.3, which MCP makes a client rule ("the `issuer`
/// value in the document MUST be identical to the issuer identifier used
/// to construct the well-known URL. If they differ, the client MUST NOT
/// use the metadata"; OpenID Connect Discovery section 4.3 says the same).
/// Identical means the same string: no case folding, no trailing slash
/// forgiven, so a document from `https://attacker.example` that claims
/// `"issuer": "https://honest.example"` is refused.
pub fn check_issuer(document_issuer: &str, expected_issuer: &str) -> Result<(), IssuerError> {
    if document_issuer == expected_issuer {
        Ok(())
    } else {
        Err(IssuerError::Mismatch {
            document: document_issuer.to_owned(),
            expected: expected_issuer.to_owned(),
        })
    }
}
