//! OAuth Client ID Metadata Document (draft-ietf-oauth-client-id-metadata-
//! document-02, July 2026; the -03 of November 2026 was not yet readable
//! here, so its section numbers are -02's): a client whose `client_id` is
//! an https URL, where the authorization server fetches the client's
//! metadata instead of registering it. The rules on that URL (section 3),
//! on the document (section 4), and on the server's fetch (sections 5,
//! 8.6 and 8.7).
//!
//! MCP prefers it to Dynamic Client Registration when the server advertises
//! [`METADATA_MEMBER`] (MCP authorization, revision 2026-07-28, "Client
//! Registration Approaches"). The simulated authorization server takes
//! such clients when offered `server::ClientIdMetadataDocuments`.

use std::fmt;

use serde_json::Value;

use crate::client_registration::{ClientMetadata, RegistrationError};
use crate::error::{ErrorCode, OAuthError};
use crate::http::Url;

/// Section 6: the authorization server metadata member (RFC 8414) that
/// says the server takes such client identifiers.
pub const METADATA_MEMBER: &str = "client_id_metadata_document_supported";

/// Section 8.7: "The recommended maximum size to read is 5 kilobytes."
pub const MAX_DOCUMENT_BYTES: usize = 5_000;

/// Section 4.1: methods "based around a shared symmetric secret", which a
/// document that anyone can read must not name.
const SHARED_SECRET_METHODS: [&str; 3] = [
    "client_secret_post",
    "client_secret_basic",
    "client_secret_jwt",
];

/// Why a client identifier URL, or the document behind it, was refused.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum CimdError {
    /// Section 3: the URL breaks one of its rules; says which.
    Url(&'static str),
    /// Section 8.6: the URL's host is a special-use address (RFC 6890),
    /// which the server must not fetch: a request forged to its own
    /// network.
    SpecialUseHost(String),
    /// Section 5: any status but 200 is an error, redirects included,
    /// which "MUST NOT" be followed.
    Status(u16),
    /// Section 8.7: the document is bigger than the server reads.
    TooLarge(usize),
    /// Section 4: its `client_id` is not, by simple string comparison, the
    /// URL it was fetched from.
    ClientIdMismatch { document: String, url: String },
    /// Section 4.1: the document names a shared secret, or a method built
    /// on one.
    SharedSecret(String),
    /// The metadata itself, as RFC 7591 reads it.
    Metadata(RegistrationError),
    /// Section 8.1: redirection URIs on another host than the client_id's,
    /// which a server that restricts them refuses: the document could
    /// otherwise lend a trusted name to an attacker's redirect.
    RedirectElsewhere(Vec<String>),
}

impl fmt::Display for CimdError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::Url(why) => write!(f, "the client_id URL {why}"),
            Self::SpecialUseHost(host) => write!(
                f,
                "the client_id URL's host {host} is a special-use address, which the server \
                 does not fetch (section 8.6)"
            ),
            Self::Status(status) => write!(
                f,
                "fetching the client's metadata document answered {status}, not 200: the server \
                 neither follows a redirect nor takes another status (section 5)"
            ),
            Self::TooLarge(size) => write!(
                f,
                "the client's metadata document is {size} bytes, more than the {MAX_DOCUMENT_BYTES} \
                 the server reads (section 8.7)"
            ),
            Self::ClientIdMismatch { document, url } => write!(
                f,
                "the metadata document's client_id is \"{document}\", not the URL it was fetched \
                 from, \"{url}\" (section 4)"
            ),
            Self::SharedSecret(what) => write!(
                f,
                "the metadata document names {what}: a document anyone can read holds no secret \
                 (section 4.1)"
            ),
            Self::Metadata(error) => write!(f, "the client's metadata: {error}"),
            Self::RedirectElsewhere(uris) => write!(
                f,
                "the metadata document's redirect_uris {} are on another host than the client_id \
                 URL's, which this server does not accept (section 8.1)",
                uris.join(", ")
            ),
        }
    }
}

impl std::error::Error for CimdError {}

impl CimdError {
    /// What the authorization server answers. The draft names no error
    /// code: it says to abort the request (section 5.1). The simulated
    /// server treats the client as unknown, `invalid_client`, as RFC 6749
    /// section 4.1.2.1 has it shown to the user rather than redirected.
    pub fn to_oauth_error(&self) -> OAuthError {
        OAuthError::new(ErrorCode::InvalidClient, self.to_string())
    }
}

/// Checks a `client_id` as a Client Identifier URL (section 3). Compared
/// as sent, by simple string comparison: `https://a.example/c` and
/// `https://a.example:443/c` are two clients.
pub fn check_client_id_url(client_id: &str) -> Result<Url, CimdError> {
    let Some(rest) = client_id.strip_prefix("https://") else {
        return Err(CimdError::Url("must use the https scheme"));
    };
    let authority = rest.split(['/', '?', '#']).next().unwrap_or_default();
    if authority.contains('@') {
        return Err(CimdError::Url("must not contain a userinfo component"));
    }
    let url = Url::parse(client_id).map_err(|_| CimdError::Url("is not a URL"))?;
    if url.fragment.is_some() {
        return Err(CimdError::Url("must not contain a fragment component"));
    }
    // Url::parse gives a URL without a path the path "/": look at the
    // text itself.
    if !rest[authority.len()..].starts_with('/') {
        return Err(CimdError::Url("must contain a path component"));
    }
    if url
        .path
        .split('/')
        .any(|segment| segment == "." || segment == "..")
    {
        return Err(CimdError::Url(
            "must not contain single-dot or double-dot path segments",
        ));
    }
    if is_special_use_host(url.host()) {
        return Err(CimdError::SpecialUseHost(url.host().to_owned()));
    }
    Ok(url)
}

/// Whether `authority` (`host[:port]`) names a special-use address of RFC
/// 6890 that section 8.6 forbids fetching: loopback, private networks,
/// link-local (among them the cloud metadata address 169.254.169.254),
/// shared and "this network" addresses, and `localhost`. Names are not
/// resolved here; a real server checks the addresses a name resolves to.
pub fn is_special_use_host(authority: &str) -> bool {
    let host = match authority.find(']') {
        Some(end) if authority.starts_with('[') => &authority[1..end],
        _ => authority
            .split_once(':')
            .map_or(authority, |(host, _)| host),
    }
    .to_ascii_lowercase();
    if host == "localhost" || host.ends_with(".localhost") {
        return true;
    }
    if let Ok(v4) = host.parse::<std::net::Ipv4Addr>() {
        let [a, b, ..] = v4.octets();
        return v4.is_loopback()
            || v4.is_private()
            || v4.is_link_local()
            || v4.is_unspecified()
            || v4.is_broadcast()
            || a == 0
            || (a == 100 && (64..128).contains(&b));
    }
    if let Ok(v6) = host.parse::<std::net::Ipv6Addr>() {
        let first = v6.segments()[0];
        return v6.is_loopback()
            || v6.is_unspecified()
            || (first & 0xfe00) == 0xfc00
            || (first & 0xffc0) == 0xfe80
            || v6
                .to_ipv4_mapped()
                .is_some_and(|v4| is_special_use_host(&v4.to_string()));
    }
    false
}

/// A client's metadata document, read and checked.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ClientIdMetadataDocument {
    pub client_id: String,
    pub metadata: ClientMetadata,
}

impl ClientIdMetadataDocument {
    /// Reads what the server's fetch of `url` got: its status, then its
    /// size, then the document (sections 4, 4.1 and 4.2, 5, 8.7).
    pub fn read(url: &str, status: u16, body: &str) -> Result<Self, CimdError> {
        if status != 200 {
            return Err(CimdError::Status(status));
        }
        if body.len() > MAX_DOCUMENT_BYTES {
            return Err(CimdError::TooLarge(body.len()));
        }
        let value: Value = serde_json::from_str(body).map_err(|error| {
            CimdError::Metadata(RegistrationError::InvalidClientMetadata(format!(
                "the document is not JSON: {error}"
            )))
        })?;
        let client_id = value["client_id"].as_str().unwrap_or_default();
        if client_id != url {
            return Err(CimdError::ClientIdMismatch {
                document: client_id.to_owned(),
                url: url.to_owned(),
            });
        }
        for member in ["client_secret", "client_secret_expires_at"] {
            if value.get(member).is_some() {
                return Err(CimdError::SharedSecret(format!("\"{member}\"")));
            }
        }
        let method = value["token_endpoint_auth_method"].as_str();
        if let Some(method) = method.filter(|method| SHARED_SECRET_METHODS.contains(method)) {
            return Err(CimdError::SharedSecret(format!(
                "token_endpoint_auth_method \"{method}\""
            )));
        }
        let mut metadata = ClientMetadata::parse(body).map_err(CimdError::Metadata)?;
        // RFC 7591's default, client_secret_basic, needs a secret the
        // document cannot hold: a document that names no method is a
        // public client.
        if method.is_none() {
            metadata.token_endpoint_auth_method = "none".into();
        }
        Ok(Self {
            client_id: client_id.to_owned(),
            metadata,
        })
    }

    /// Redirection URIs on another host than the client_id's: what a
    /// server that restricts them refuses, against the impersonation of
    /// section 8.1.
    pub fn redirects_elsewhere(&self) -> Vec<&str> {
        let host = |uri: &str| Url::parse(uri).ok().map(|url| url.host().to_owned());
        let own = host(&self.client_id);
        self.metadata
            .redirect_uris
            .iter()
            .map(String::as_str)
            .filter(|uri| host(uri) != own)
            .collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    #[cfg(target_arch = "wasm32")]
    use wasm_bindgen_test::wasm_bindgen_test as test;

    #[test]
    fn a_port_keeps_its_brackets_out_of_the_host() {
        assert!(is_special_use_host("[::1]:8443"));
        assert!(is_special_use_host("127.0.0.1:8080"));
        assert!(!is_special_use_host("agent.example:8443"));
    }
}
