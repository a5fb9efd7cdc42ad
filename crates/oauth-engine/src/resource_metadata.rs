//! OAuth 2.0 Protected Resource Metadata (RFC 9728): the JSON document in
//! which an API, or an MCP tool server, names the authorization servers
//! that issue its tokens; where a client finds it (section 3, and the
//! `WWW-Authenticate` parameter of section 5.1); and the check that keeps
//! another server's document from being taken for it (sections 3.3, 6 and
//! 7.3).
//!
//! MCP makes this discovery mandatory (MCP authorization, revision
//! 2026-07-28, "Protected Resource Metadata Discovery Requirements"). Not
//! yet used by the simulated parties: groundwork for the MCP profile.

use std::fmt;

use serde_json::{Map, Value};

use crate::discovery::{IssuerError, issuer_url};
use crate::error::OAuthError;
use crate::http::{Challenge, Url, quoted_string};
use crate::resource_indicator::{ResourceError, ResourceIndicator};

/// RFC 9728 section 3: the default well-known URI string.
pub const WELL_KNOWN_PATH: &str = "/.well-known/oauth-protected-resource";

/// The members of RFC 9728 section 2 a simulated tool server publishes.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ProtectedResourceMetadata {
    /// REQUIRED: the resource identifier (section 1.2), https without a
    /// fragment.
    pub resource: ResourceIndicator,
    /// Issuer identifiers of the authorization servers (RFC 8414). OPTIONAL
    /// in RFC 9728; MCP requires at least one.
    pub authorization_servers: Vec<String>,
    /// RECOMMENDED: the scopes used to ask for access to this resource.
    pub scopes_supported: Vec<String>,
    /// How a bearer token may be sent: `header`, `body`, `query` (RFC 6750
    /// section 2). `None` implies nothing; `Some(vec![])` says no method is
    /// supported (section 2).
    pub bearer_methods_supported: Option<Vec<String>>,
    /// RECOMMENDED: a name to show the user.
    pub resource_name: Option<String>,
    /// A page with information for developers.
    pub resource_documentation: Option<String>,
}

/// Why a protected resource metadata document was refused.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum MetadataError {
    /// Not JSON; the parser's message.
    NotJson(String),
    /// JSON, but not an object (section 3.2: "return a JSON object").
    NotObject,
    /// A required member is missing.
    Missing(&'static str),
    /// A member has the wrong JSON type; says what it should be.
    WrongType {
        member: &'static str,
        expected: &'static str,
    },
    /// Section 3.3: the document's `resource` is not identical to the
    /// resource identifier it was fetched for (or, when the metadata URL
    /// came from `WWW-Authenticate`, to the URL the client called), so "the
    /// data contained in the response MUST NOT be used". This is how the
    /// impersonation of section 7.3 is stopped.
    ResourceMismatch { document: String, expected: String },
    /// Section 1.2: the `resource` is not an https URL without a fragment.
    Resource(ResourceError),
    /// MCP: `authorization_servers` is missing or empty ("MUST include the
    /// `authorization_servers` field containing at least one authorization
    /// server").
    NoAuthorizationServers,
    /// An entry of `authorization_servers` is not an issuer identifier
    /// (RFC 8414 section 2).
    AuthorizationServer { issuer: String, error: IssuerError },
}

impl fmt::Display for MetadataError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::NotJson(why) => write!(f, "the resource metadata is not JSON: {why}"),
            Self::NotObject => f.write_str("the resource metadata is not a JSON object"),
            Self::Missing(member) => write!(f, "the resource metadata has no \"{member}\""),
            Self::WrongType { member, expected } => {
                write!(f, "the resource metadata's \"{member}\" is not {expected}")
            }
            Self::ResourceMismatch { document, expected } => write!(
                f,
                "the resource metadata is for \"{document}\", not \"{expected}\": another \
                 server's metadata must not be used"
            ),
            Self::Resource(error) => write!(f, "the resource metadata's {error}"),
            Self::NoAuthorizationServers => {
                f.write_str("the resource metadata names no authorization server")
            }
            Self::AuthorizationServer { issuer, error } => write!(
                f,
                "the resource metadata's authorization server \"{issuer}\": {error}"
            ),
        }
    }
}

impl std::error::Error for MetadataError {}

impl ProtectedResourceMetadata {
    /// The document as the resource serves it (section 3.2): members with
    /// no value are left out, and so is an empty `scopes_supported` or
    /// `authorization_servers` ("Parameters with zero values MUST be
    /// omitted"). An empty `bearer_methods_supported` is kept: section 2
    /// gives `[]` a meaning of its own, no method supported.
    pub fn to_json(&self) -> Value {
        let mut object = Map::new();
        object.insert("resource".into(), self.resource.as_str().into());
        let mut list = |name: &str, values: &[String]| {
            if !values.is_empty() {
                object.insert(name.into(), values.to_vec().into());
            }
        };
        list("authorization_servers", &self.authorization_servers);
        list("scopes_supported", &self.scopes_supported);
        if let Some(methods) = &self.bearer_methods_supported {
            object.insert("bearer_methods_supported".into(), methods.clone().into());
        }
        if let Some(name) = &self.resource_name {
            object.insert("resource_name".into(), name.clone().into());
        }
        if let Some(documentation) = &self.resource_documentation {
            object.insert(
                "resource_documentation".into(),
                documentation.clone().into(),
            );
        }
        object.into()
    }

    /// Reads a document fetched for `expected_resource`: the resource
    /// identifier the well-known path was inserted into, or, when the
    /// metadata URL came from a `WWW-Authenticate` challenge, the URL the
    /// client called (section 3.3). The `resource` must be identical to it,
    /// code point for code point, without Unicode normalization (section
    /// 6): a trailing slash or a difference in case is a different
    /// resource. Members this engine does not know are ignored (section
    /// 3.2).
    pub fn parse(json_text: &str, expected_resource: &str) -> Result<Self, MetadataError> {
        let value: Value = serde_json::from_str(json_text)
            .map_err(|error| MetadataError::NotJson(error.to_string()))?;
        let object = value.as_object().ok_or(MetadataError::NotObject)?;
        // serde_json has removed the JSON escaping (section 6 step 1); the
        // comparison is then of the strings' code points (steps 2 and 3).
        let resource = string(object, "resource")?.ok_or(MetadataError::Missing("resource"))?;
        if resource != expected_resource {
            return Err(MetadataError::ResourceMismatch {
                document: resource.to_owned(),
                expected: expected_resource.to_owned(),
            });
        }
        let resource = ResourceIndicator::parse(resource).map_err(MetadataError::Resource)?;
        let authorization_servers = strings(object, "authorization_servers")?.unwrap_or_default();
        if authorization_servers.is_empty() {
            return Err(MetadataError::NoAuthorizationServers);
        }
        for issuer in &authorization_servers {
            issuer_url(issuer).map_err(|error| MetadataError::AuthorizationServer {
                issuer: issuer.clone(),
                error,
            })?;
        }
        Ok(Self {
            resource,
            authorization_servers,
            scopes_supported: strings(object, "scopes_supported")?.unwrap_or_default(),
            bearer_methods_supported: strings(object, "bearer_methods_supported")?,
            resource_name: string(object, "resource_name")?.map(str::to_owned),
            resource_documentation: string(object, "resource_documentation")?.map(str::to_owned),
        })
    }
}

/// The member `name` if it is there, which must then be a string.
fn string<'o>(
    object: &'o Map<String, Value>,
    member: &'static str,
) -> Result<Option<&'o str>, MetadataError> {
    match object.get(member) {
        None => Ok(None),
        Some(value) => value.as_str().map(Some).ok_or(MetadataError::WrongType {
            member,
            expected: "a string",
        }),
    }
}

/// The member `name` if it is there, which must then be an array of
/// strings (section 3.2: "Parameters with multiple values are represented
/// as JSON arrays").
fn strings(
    object: &Map<String, Value>,
    member: &'static str,
) -> Result<Option<Vec<String>>, MetadataError> {
    let wrong = MetadataError::WrongType {
        member,
        expected: "an array of strings",
    };
    let Some(value) = object.get(member) else {
        return Ok(None);
    };
    let array = value.as_array().ok_or_else(|| wrong.clone())?;
    array
        .iter()
        .map(|item| {
            item.as_str()
                .map(str::to_owned)
                .ok_or_else(|| wrong.clone())
        })
        .collect::<Result<Vec<_>, _>>()
        .map(Some)
}

/// Where the metadata of `resource` is (RFC 9728 section 3): the
/// well-known string inserted between the host and the path and query,
/// after removing a terminating slash after the host (section 3.1).
/// `https://resource.example.com` gives
/// `https://resource.example.com/.well-known/oauth-protected-resource`,
/// `https://resource.example.com/resource1` gives
/// `https://resource.example.com/.well-known/oauth-protected-resource/resource1`.
pub fn well_known_url(resource: &ResourceIndicator) -> Url {
    let url = resource.url();
    let path = if url.path == "/" { "" } else { &url.path };
    Url {
        origin: url.origin.clone(),
        path: format!("{WELL_KNOWN_PATH}{path}"),
        query: url.query.clone(),
        fragment: None,
    }
}

/// The URLs an MCP client tries, in order, when no challenge gave it one
/// (MCP authorization, revision 2026-07-28, "Protected Resource Metadata
/// Discovery Requirements": "fall back to constructing and requesting the
/// well-known URIs in the order listed"): the path-inserted URL of
/// section 3, then the root `https://host/.well-known/oauth-protected-resource`.
/// A server at the root has only the one.
pub fn well_known_urls(resource: &ResourceIndicator) -> Vec<Url> {
    let inserted = well_known_url(resource);
    let root = Url {
        origin: inserted.origin.clone(),
        path: WELL_KNOWN_PATH.to_owned(),
        query: None,
        fragment: None,
    };
    if inserted == root {
        vec![inserted]
    } else {
        vec![inserted, root]
    }
}

/// A `WWW-Authenticate: Bearer` challenge pointing at the resource's
/// metadata (RFC 9728 section 5.1), with the scope the request needs (RFC
/// 6750 section 3, which MCP asks servers to send) and, for a refused
/// token, its error (RFC 6750 section 3.1). MCP's "Scope Selection
/// Strategy" 401 and "Runtime Insufficient Scope Errors" 403 are:
///
/// - `Bearer resource_metadata="…", scope="files:read"` (no error);
/// - `Bearer error="insufficient_scope", scope="…", resource_metadata="…",
///   error_description="…"`.
///
/// Values are written as quoted strings (RFC 9110 section 5.6.4).
pub fn bearer_challenge(
    resource_metadata: &Url,
    scope: Option<&str>,
    error: Option<&OAuthError>,
) -> String {
    let metadata = format!(
        "resource_metadata={}",
        quoted_string(&resource_metadata.to_string())
    );
    let scope = scope.map(|scope| format!("scope={}", quoted_string(scope)));
    let params: Vec<String> = match error {
        None => std::iter::once(metadata).chain(scope).collect(),
        Some(error) => std::iter::once(format!("error={}", quoted_string(error.code.as_str())))
            .chain(scope)
            .chain([
                metadata,
                format!("error_description={}", quoted_string(&error.description)),
            ])
            .collect(),
    };
    format!("Bearer {}", params.join(", "))
}

/// What a client reads from a resource's challenge (RFC 9728 section 5.1,
/// RFC 6750 section 3).
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct ResourceChallenge {
    /// The scheme the challenge was for.
    pub scheme: String,
    /// Where the resource's metadata is.
    pub resource_metadata: Option<String>,
    /// The scopes the request needs: MCP makes them "authoritative for the
    /// current operation".
    pub scope: Option<String>,
    pub error: Option<String>,
    pub error_description: Option<String>,
}

impl ResourceChallenge {
    /// From the challenges of a response (`Response::challenges`): the
    /// first that carries `resource_metadata`, whatever its scheme (section
    /// 5.1 allows DPoP's too), else the first Bearer challenge; `None` if
    /// there is neither.
    pub fn find(challenges: &[Challenge]) -> Option<Self> {
        let challenge = challenges
            .iter()
            .find(|challenge| challenge.param("resource_metadata").is_some())
            .or_else(|| challenges.iter().find(|challenge| challenge.is("Bearer")))?;
        let param = |name: &str| challenge.param(name).map(str::to_owned);
        Some(Self {
            scheme: challenge.scheme.clone(),
            resource_metadata: param("resource_metadata"),
            scope: param("scope"),
            error: param("error"),
            error_description: param("error_description"),
        })
    }
}
