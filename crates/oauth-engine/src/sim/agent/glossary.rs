//! The glossary the agent profile adds: every name its runs put on the
//! trace that the app's glossary (`params::PARAMS`) does not have, each
//! with a one-line meaning and where it is defined, for the inspector's
//! "what is this?". Kept beside the agent, so that the app carries these
//! entries only with the agent; [`meaning`] looks here first, then in
//! `params`. Some of these names are defined outside the RFCs (MCP,
//! JSON-RPC, an Internet-Draft), hence [`Defined`].

use crate::params::param_info;

/// Where a name is defined.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Defined {
    /// An RFC and its section.
    Rfc(u16, &'static str),
    /// A specification that is not an RFC: its title and the address of
    /// the section.
    Spec(&'static str, &'static str),
}

impl Defined {
    /// The address of the section.
    pub fn url(self) -> String {
        match self {
            Self::Rfc(rfc, section) => {
                format!("https://www.rfc-editor.org/rfc/rfc{rfc}#section-{section}")
            }
            Self::Spec(_, url) => url.to_owned(),
        }
    }
}

/// One entry: a name as it appears on the wire, what it means, and where.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Meaning {
    pub name: &'static str,
    pub meaning: &'static str,
    pub defined: Defined,
}

const fn rfc(
    name: &'static str,
    meaning: &'static str,
    rfc: u16,
    section: &'static str,
) -> Meaning {
    Meaning {
        name,
        meaning,
        defined: Defined::Rfc(rfc, section),
    }
}

const fn spec(
    name: &'static str,
    meaning: &'static str,
    title: &'static str,
    url: &'static str,
) -> Meaning {
    Meaning {
        name,
        meaning,
        defined: Defined::Spec(title, url),
    }
}

const JSON_RPC: &str = "JSON-RPC 2.0";
const JSON_RPC_REQUEST: &str = "https://www.jsonrpc.org/specification#request_object";
const JSON_RPC_RESPONSE: &str = "https://www.jsonrpc.org/specification#response_object";
const CIMD: &str = "OAuth Client ID Metadata Document (Internet-Draft)";
const CIMD_METADATA: &str = "https://datatracker.ietf.org/doc/html/draft-ietf-oauth-client-id-metadata-document-02#section-6";
const SIMULATED: &str = "the simulation's own data";
const SIMULATED_URL: &str = "https://www.rfc-editor.org/rfc/rfc6749#section-7";

/// Every entry the agent profile adds. Names are unique, and none is in
/// `params::PARAMS`.
pub const AGENT_GLOSSARY: &[Meaning] = &[
    // The request for a resource (RFC 8707) and its metadata (RFC 9728).
    rfc(
        "resource",
        "The resource a token is for (a tool server's URL), or the one a metadata document describes: the token's aud.",
        8707,
        "2",
    ),
    rfc(
        "authorization_servers",
        "The authorization servers whose tokens this resource takes, by issuer.",
        9728,
        "2",
    ),
    rfc(
        "scopes_supported",
        "The scopes this resource, or this server, knows.",
        9728,
        "2",
    ),
    rfc(
        "bearer_methods_supported",
        "How a bearer token may be sent here: header, body or query.",
        9728,
        "2",
    ),
    rfc(
        "resource_name",
        "A name for the resource that a person can read.",
        9728,
        "2",
    ),
    // The authorization server's metadata (RFC 8414 section 2).
    rfc(
        "issuer",
        "The authorization server's identifier: must equal the URL its metadata was looked up for.",
        8414,
        "2",
    ),
    rfc(
        "authorization_endpoint",
        "Where the browser is sent to sign in and consent.",
        8414,
        "2",
    ),
    rfc(
        "token_endpoint",
        "Where the client trades a code, a refresh token or another token for tokens.",
        8414,
        "2",
    ),
    rfc(
        "jwks_uri",
        "Where the server publishes the public keys its tokens are signed with.",
        8414,
        "2",
    ),
    rfc(
        "registration_endpoint",
        "Where a client registers itself with no prior relationship (Dynamic Client Registration).",
        8414,
        "2",
    ),
    rfc(
        "response_types_supported",
        "The response_type values the server accepts.",
        8414,
        "2",
    ),
    rfc(
        "grant_types_supported",
        "The grant types the token endpoint serves.",
        8414,
        "2",
    ),
    rfc(
        "token_endpoint_auth_methods_supported",
        "How clients may authenticate at the token endpoint.",
        8414,
        "2",
    ),
    rfc(
        "code_challenge_methods_supported",
        "The PKCE methods the server accepts: S256 only, here.",
        8414,
        "2",
    ),
    rfc(
        "device_authorization_endpoint",
        "Where a device without a browser asks for a user code.",
        8628,
        "4",
    ),
    rfc(
        "authorization_response_iss_parameter_supported",
        "Whether the server names itself with iss in authorization responses, against mix-up.",
        9207,
        "3",
    ),
    spec(
        "client_id_metadata_document_supported",
        "Whether the server takes an https URL as client_id and fetches the client's metadata from it.",
        CIMD,
        CIMD_METADATA,
    ),
    // A client's metadata (RFC 7591 section 2) and its registration.
    rfc(
        "client_name",
        "The client's name, shown to the user at consent.",
        7591,
        "2",
    ),
    rfc(
        "redirect_uris",
        "Every redirection URI the client may use; a request must name one of them exactly.",
        7591,
        "2",
    ),
    rfc(
        "grant_types",
        "The grant types the client will use.",
        7591,
        "2",
    ),
    rfc(
        "response_types",
        "The response types the client will use: code.",
        7591,
        "2",
    ),
    rfc(
        "token_endpoint_auth_method",
        "How the client authenticates at the token endpoint; none is a public client.",
        7591,
        "2",
    ),
    rfc(
        "client_id_issued_at",
        "When the server issued this client ID, in seconds since 1970.",
        7591,
        "3.2.1",
    ),
    // Token exchange (RFC 8693).
    rfc(
        "subject_token",
        "The token being exchanged: it says whom the new token is for.",
        8693,
        "2.1",
    ),
    rfc(
        "subject_token_type",
        "What kind of token subject_token is, as a URI.",
        8693,
        "2.1",
    ),
    rfc(
        "issued_token_type",
        "What kind of token the exchange issued, as a URI.",
        8693,
        "2.2.1",
    ),
    // MCP's messages are JSON-RPC 2.0.
    spec(
        "jsonrpc",
        "The JSON-RPC version, always 2.0: MCP's requests and answers are JSON-RPC messages.",
        JSON_RPC,
        JSON_RPC_REQUEST,
    ),
    spec(
        "id",
        "Pairs a request with its answer; a notification has none and gets no answer.",
        JSON_RPC,
        JSON_RPC_REQUEST,
    ),
    spec(
        "method",
        "What the agent asks the tool server to do: initialize, tools/list, tools/call.",
        JSON_RPC,
        JSON_RPC_REQUEST,
    ),
    spec(
        "params",
        "The method's arguments: for tools/call, the tool's name and its arguments.",
        JSON_RPC,
        JSON_RPC_REQUEST,
    ),
    spec(
        "result",
        "The answer to a request that succeeded: for a tool, its content.",
        JSON_RPC,
        JSON_RPC_RESPONSE,
    ),
    // Headers.
    rfc(
        "Accept",
        "The media types the sender takes in answer: MCP asks for JSON or an event stream.",
        9110,
        "12.5.1",
    ),
    // What the simulated services answer.
    spec(
        "events",
        "The simulated calendar API's own data, not an OAuth parameter: the user's events.",
        SIMULATED,
        SIMULATED_URL,
    ),
    spec(
        "Code",
        "The simulated cloud metadata service's own data: whether it found credentials.",
        SIMULATED,
        SIMULATED_URL,
    ),
    spec(
        "AccessKeyId",
        "The simulated cloud metadata service's own data: the server's cloud key, what SSRF reaches.",
        SIMULATED,
        SIMULATED_URL,
    ),
    spec(
        "SecretAccessKey",
        "The simulated cloud metadata service's own data: the secret half of that key.",
        SIMULATED,
        SIMULATED_URL,
    ),
];

/// What `name` means in an agent's run, and where it is defined: this
/// glossary's entry, else the app's (`params::param_info`).
pub fn meaning(name: &str) -> Option<Meaning> {
    AGENT_GLOSSARY
        .iter()
        .find(|entry| entry.name == name)
        .copied()
        .or_else(|| {
            param_info(name).map(|info| Meaning {
                name: info.name,
                meaning: info.meaning,
                defined: Defined::Rfc(info.rfc, info.section),
            })
        })
}
