//! The simulated authorization server (RFC 6749 section 3), sans-IO:
//! `handle(request) -> response`. Secure by default; each defence can be
//! switched off through [`ServerPolicy`] so a scenario can show what breaks.

mod authorize;
mod client_assertion;
mod client_auth;
mod client_documents;
mod device;
mod dpop;
mod exchange;
mod extensions;
mod introspect;
mod offer;
mod oidc;
mod pages;
mod par;
mod registration;
mod revoke;
mod sso;
mod token;

use serde::{Deserialize, Serialize};

use crate::clock::UnixTime;
use crate::error::{ErrorCode, OAuthError};
use crate::es256::Es256;
use crate::http::{Method, Request, Response, Url};
use crate::jose::SigningKey;
use crate::pkce::{CodeChallenge, PkceMethod};
use crate::rng::Rng;
use crate::table::Table;
use crate::types::{ClientId, ClientSecret, RedirectUri, Scope, Subject};

pub use authorize::{AuthorizationRequest, Failure as AuthorizationFailure};
pub use client_assertion::{JWT_BEARER, MAX_ASSERTION_LIFETIME};
pub use client_auth::basic_credentials;
pub use client_documents::ClientIdMetadataDocuments;
pub use device::DEVICE_CODE_GRANT;
pub use dpop::NONCE_HEADER as DPOP_NONCE_HEADER;
pub use exchange::TokenExchange;
pub use extensions::{AllExtensions, Extensions};
pub use offer::Offer;
pub use oidc::at_hash;
pub use pages::offered_scopes;
pub use par::REQUEST_URI_LIFETIME;
pub use registration::{DynamicRegistration, REGISTRATION_PATH};
pub use sso::{Front, SingleSignOn};

/// How strictly PKCE (RFC 7636) is enforced.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum PkcePolicy {
    /// Every authorization request must carry an S256 challenge (OAuth 2.1,
    /// RFC 9700 section 2.1.1).
    RequireS256,
    /// A challenge is required, and plain is accepted.
    RequireAllowPlain,
    /// A challenge is checked when sent, not required (RFC 7636 as written).
    Optional,
}

/// How a requested redirect_uri is compared with the registered ones.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum RedirectMatching {
    /// Simple string comparison (RFC 9700 section 4.1.3, RFC 6749 3.1.2.3).
    Exact,
    /// Any URI that starts with a registered one: the vulnerable matching
    /// that lets a code go to an attacker-chosen path.
    Prefix,
}

/// What the server enforces, and for how long things live (seconds).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct ServerPolicy {
    pub pkce: PkcePolicy,
    pub redirect_matching: RedirectMatching,
    /// RFC 6749 section 4.1.2 recommends at most 10 minutes.
    pub code_lifetime: u64,
    /// A code works once; a second use is refused and, with
    /// `revoke_on_code_reuse`, revokes what the first use issued.
    pub single_use_codes: bool,
    pub revoke_on_code_reuse: bool,
    pub access_token_lifetime: u64,
    pub refresh_token_lifetime: u64,
    /// Issue a new refresh token on every refresh (RFC 9700 section 4.14.2).
    pub rotate_refresh_tokens: bool,
    /// A rotated-out refresh token presented again revokes the whole family.
    pub detect_refresh_reuse: bool,
    /// Send `iss` in authorization responses (RFC 9207).
    pub issuer_in_response: bool,
    /// Allow `response_type=token` (RFC 6749 section 4.2); off, as RFC 9700
    /// section 2.1.2 advises. Kept for the comparison screen.
    pub allow_implicit: bool,
    /// Simulate an overloaded server: authorization requests are answered
    /// with temporarily_unavailable (RFC 6749 section 4.1.2.1) and token
    /// requests with 503.
    pub unavailable: bool,
    /// Refuse token requests without a DPoP proof, so every token issued
    /// is bound to a key (RFC 9449 section 5.2, `dpop_bound_access_tokens`).
    pub require_dpop: bool,
    /// Require the server's nonce in DPoP proofs (RFC 9449 section 8): a
    /// proof without it gets `use_dpop_nonce` and the nonce to use.
    pub dpop_nonce: bool,
    /// Issue opaque access tokens, random strings only this server can
    /// read: an API must introspect them (RFC 7662). Off: JWTs (RFC 9068).
    pub opaque_access_tokens: bool,
    /// Accept authorization requests only pushed first (RFC 9126 section
    /// 5): a plain `/authorize` is refused with invalid_request.
    pub require_par: bool,
}

impl Default for ServerPolicy {
    fn default() -> Self {
        Self {
            pkce: PkcePolicy::RequireS256,
            redirect_matching: RedirectMatching::Exact,
            code_lifetime: 60,
            single_use_codes: true,
            revoke_on_code_reuse: true,
            access_token_lifetime: 300,
            refresh_token_lifetime: 86_400,
            rotate_refresh_tokens: true,
            detect_refresh_reuse: true,
            issuer_in_response: true,
            allow_implicit: false,
            unavailable: false,
            require_dpop: false,
            dpop_nonce: false,
            opaque_access_tokens: false,
            require_par: false,
        }
    }
}

/// How a client proves its identity at the token endpoint (RFC 7591
/// section 2 names).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ClientAuthMethod {
    /// HTTP Basic with the client_id and secret (RFC 6749 section 2.3.1).
    ClientSecretBasic,
    /// client_id and client_secret in the form body (section 2.3.1).
    ClientSecretPost,
    /// A public client: client_id only (section 2.1).
    None,
    /// A JWT signed with the client's private key (RFC 7523 section 2.2,
    /// OpenID Connect Core section 9): no shared secret at all.
    PrivateKeyJwt,
}

impl ClientAuthMethod {
    /// The method's registered name (RFC 7591 section 2).
    pub fn as_str(self) -> &'static str {
        match self {
            Self::ClientSecretBasic => "client_secret_basic",
            Self::ClientSecretPost => "client_secret_post",
            Self::None => "none",
            Self::PrivateKeyJwt => "private_key_jwt",
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum GrantType {
    AuthorizationCode,
    Implicit,
    RefreshToken,
    ClientCredentials,
    /// RFC 8628.
    DeviceCode,
}

impl GrantType {
    pub fn as_str(self) -> &'static str {
        match self {
            Self::AuthorizationCode => "authorization_code",
            Self::Implicit => "implicit",
            Self::RefreshToken => "refresh_token",
            Self::ClientCredentials => "client_credentials",
            Self::DeviceCode => device::DEVICE_CODE_GRANT,
        }
    }
}

/// A registered client (RFC 6749 section 2).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ClientRegistration {
    pub client_id: ClientId,
    /// `None` for a public client.
    pub secret: Option<ClientSecret>,
    pub auth_method: ClientAuthMethod,
    pub redirect_uris: Vec<RedirectUri>,
    pub grant_types: Vec<GrantType>,
    /// The most this client may ask for.
    pub allowed_scope: Scope,
    /// The public key a `private_key_jwt` client signs its assertions with
    /// (RFC 7591 section 2, `jwks`): a P-256 JWK.
    pub public_jwk: Option<serde_json::Value>,
}

impl ClientRegistration {
    /// A client with no credentials (RFC 6749 section 2.1): no secret,
    /// and no key either (a `private_key_jwt` client is confidential).
    pub fn is_public(&self) -> bool {
        self.secret.is_none() && self.auth_method != ClientAuthMethod::PrivateKeyJwt
    }

    pub fn allows(&self, grant: GrantType) -> bool {
        self.grant_types.contains(&grant)
    }
}

/// A resource owner who can log in.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct User {
    pub subject: Subject,
    pub username: String,
    pub password: String,
    /// For the OpenID Connect `profile` and `email` claims.
    pub name: String,
    pub email: String,
}

/// Everything the server is set up with.
#[derive(Debug, Clone)]
pub struct ServerConfig {
    /// The issuer identifier (RFC 8414 section 2): `iss` in tokens and
    /// responses, and the base of every endpoint URL.
    pub issuer: Url,
    /// The resource server the access tokens are for: their `aud`.
    pub audience: String,
    /// Other resource servers this server issues tokens for, each by its
    /// resource identifier (an MCP tool server's URL): a client names one
    /// with `resource` (RFC 8707) and gets a token whose `aud` is it.
    pub resources: Vec<String>,
    pub policy: ServerPolicy,
    pub clients: Vec<ClientRegistration>,
    pub users: Vec<User>,
}

/// An authorization code and what it stands for (RFC 6749 section 4.1.2).
#[derive(Debug, Clone)]
struct CodeGrant {
    client_id: ClientId,
    redirect_uri: RedirectUri,
    /// Whether the authorization request carried redirect_uri: if it did,
    /// the token request must repeat it (RFC 6749 section 4.1.3).
    redirect_uri_was_sent: bool,
    subject: Subject,
    scope: Scope,
    challenge: Option<(CodeChallenge, PkceMethod)>,
    expires_at: UnixTime,
    used: bool,
    /// The refresh token family issued from this code, to revoke on reuse.
    family: Option<u64>,
    nonce: Option<String>,
    auth_time: UnixTime,
    /// The resource the authorization request named (RFC 8707).
    resource: Option<String>,
}

/// A refresh token (RFC 6749 section 1.5) and its place in a family: all
/// tokens that descend by rotation from one authorization.
#[derive(Debug, Clone)]
struct RefreshGrant {
    client_id: ClientId,
    subject: Subject,
    scope: Scope,
    family: u64,
    expires_at: UnixTime,
    /// Replaced by rotation; presenting it again is reuse.
    rotated: bool,
    /// When the user signed in, for the ID tokens of later refreshes
    /// (OpenID Connect Core section 12.2).
    auth_time: Option<UnixTime>,
    /// The thumbprint of the DPoP key a public client's refresh token is
    /// bound to (RFC 9449 section 5): refreshing needs a proof by that key.
    jkt: Option<String>,
    /// The resource its access tokens are for (RFC 8707), kept across
    /// refreshes.
    resource: Option<String>,
}

/// The simulated authorization server.
#[derive(Debug)]
pub struct AuthorizationServer {
    config: ServerConfig,
    signing_key: SigningKey,
    /// Authorization requests waiting for login and consent, by transaction id.
    transactions: Table<String, authorize::Transaction>,
    codes: Table<String, CodeGrant>,
    refresh_tokens: Table<String, RefreshGrant>,
    revoked_families: Vec<u64>,
    device_grants: device::DeviceGrants,
    /// `jti`s of access tokens that were revoked (for the resource server's
    /// introspection-like check).
    revoked_access_tokens: Vec<String>,
    /// Access token `jti`s per family, so revoking a family revokes them.
    family_access_tokens: Table<u64, Vec<String>>,
    next_family: u64,
    /// Pushed authorization requests, by `request_uri` (RFC 9126).
    pushed: Table<String, par::Pushed>,
    /// The claims of the opaque access tokens issued, by token.
    opaque_tokens: Table<String, serde_json::Map<String, serde_json::Value>>,
    /// The `jti`s of the client assertions accepted, by client, until
    /// their `exp` (RFC 7523 section 3).
    seen_assertions: Vec<(String, UnixTime)>,
    /// DPoP proofs accepted at the token endpoint, to refuse a replay.
    seen_proofs: crate::dpop::SeenProofs,
    /// The nonce DPoP proofs must carry, once made (RFC 9449 section 8).
    dpop_nonce: Option<String>,
    /// DPoP, PAR, revocation and introspection, once given (`support`).
    supported: Option<Supported>,
    /// What the server was offered beyond its core (`offer`): several
    /// offers chained into one (`offer::Chain`).
    offered: Option<Box<dyn Offer>>,
}

/// What a server is given to support the extensions: their code, and the
/// ES256 functions that check DPoP proofs and client assertions.
#[derive(Debug, Clone, Copy)]
struct Supported {
    extensions: &'static dyn Extensions,
    es256: Es256,
}

impl AuthorizationServer {
    pub fn new(config: ServerConfig, signing_key: SigningKey) -> Self {
        Self {
            config,
            signing_key,
            transactions: Table::default(),
            codes: Table::default(),
            refresh_tokens: Table::default(),
            revoked_families: Vec::new(),
            device_grants: Default::default(),
            revoked_access_tokens: Vec::new(),
            family_access_tokens: Table::default(),
            next_family: 1,
            pushed: Table::default(),
            opaque_tokens: Table::default(),
            seen_assertions: Vec::new(),
            seen_proofs: Default::default(),
            dpop_nonce: None,
            supported: None,
            offered: None,
        }
    }

    /// Registers `jwk` as the key the client `client_id` signs its
    /// `private_key_jwt` assertions with (RFC 7591 section 2, `jwks`).
    pub fn register_public_key(&mut self, client_id: &str, jwk: serde_json::Value) {
        if let Some(client) = self
            .config
            .clients
            .iter_mut()
            .find(|client| client.client_id.as_str() == client_id)
        {
            client.public_jwk = Some(jwk);
        }
    }

    /// Who a code was issued for, to which client, with what scope, and
    /// when they signed in: what a single sign-on in front of the server
    /// remembers of an approval (`SingleSignOn`).
    pub(crate) fn code_issued_for(
        &self,
        code: &str,
    ) -> Option<(Subject, ClientId, Scope, UnixTime)> {
        let grant = self.codes.get(code)?;
        Some((
            grant.subject.clone(),
            grant.client_id.clone(),
            grant.scope.clone(),
            grant.auth_time,
        ))
    }

    /// Registers one more client (RFC 7591 would do it over HTTP).
    pub fn register(&mut self, client: ClientRegistration) {
        self.config.clients.push(client);
    }

    /// From now on, supports DPoP, PAR, revocation and introspection
    /// (`extensions.rs`), checking signatures with `es256`.
    pub fn support(&mut self, extensions: &'static dyn Extensions, es256: Es256) {
        self.supported = Some(Supported { extensions, es256 });
    }

    fn extensions(&self) -> Option<&'static dyn Extensions> {
        self.supported.map(|supported| supported.extensions)
    }

    /// The ES256 functions, given with the extensions: only their code
    /// asks, so a server without them answers server_error.
    fn es256(&self) -> Result<Es256, OAuthError> {
        self.supported
            .map(|supported| supported.es256)
            .ok_or_else(|| OAuthError::new(ErrorCode::ServerError, "ES256 was not given"))
    }

    pub fn config(&self) -> &ServerConfig {
        &self.config
    }

    /// Serves `offer` from now on, beside what it was offered before:
    /// token exchange ([`TokenExchange`]), a registration endpoint
    /// ([`DynamicRegistration`]), client ID metadata documents
    /// ([`ClientIdMetadataDocuments`]). Given like the extensions, so that
    /// a build that never offers one leaves its code out.
    pub fn offer(&mut self, offer: Box<dyn Offer>) {
        self.offered = Some(match self.offered.take() {
            Some(earlier) => Box::new(offer::Chain(earlier, offer)),
            None => offer,
        });
    }

    /// What `ask` gets from what the server was offered: the offer is out
    /// of the server while it is asked, so that it can change the server.
    fn ask_offer<T>(&mut self, ask: impl FnOnce(&dyn Offer, &mut Self) -> Option<T>) -> Option<T> {
        let offered = self.offered.take()?;
        let answer = ask(offered.as_ref(), self);
        self.offered = Some(offered);
        answer
    }

    /// Issues tokens for another resource server from now on (see
    /// [`ServerConfig::resources`]).
    pub fn protect_resource(&mut self, resource: &str) {
        self.config.resources.push(resource.to_owned());
    }

    /// RFC 8707 section 2: the `resource` a request names, which must be
    /// one this server issues tokens for; `None` without the parameter.
    /// Refused with `invalid_target` ("The requested resource is invalid,
    /// missing, unknown, or malformed"). The known identifiers are well
    /// formed, so comparing with them also refuses a malformed one. (This
    /// server takes one `resource` per request: a second is refused as any
    /// repeated parameter is.)
    fn requested_resource(&self, params: &Params) -> Result<Option<String>, OAuthError> {
        let Some(resource) = param(params, "resource") else {
            return Ok(None);
        };
        let config = &self.config;
        if resource == config.audience || config.resources.iter().any(|known| known == resource) {
            return Ok(Some(resource.to_owned()));
        }
        Err(OAuthError::new(
            ErrorCode::InvalidTarget,
            format!(
                "{resource} is not a resource this server issues tokens for (RFC 8707 section 2)"
            ),
        ))
    }

    pub fn signing_key(&self) -> &SigningKey {
        &self.signing_key
    }

    /// The issuer identifier, exactly as tokens, the `iss` response
    /// parameter and the metadata all carry it: compared as a plain string
    /// (RFC 8414 section 3.3, RFC 9207 section 2.4), so never with a
    /// trailing slash in one place and without in another.
    pub fn issuer_id(&self) -> String {
        let issuer = &self.config.issuer;
        format!("{}{}", issuer.origin, issuer.path.trim_end_matches('/'))
    }

    /// The public keys tokens are signed with: the JWKS (RFC 7517 section 5).
    pub fn jwks(&self) -> serde_json::Value {
        let keys: Vec<serde_json::Value> = self
            .signing_key
            .verifying_key()
            .public_jwk()
            .into_iter()
            .collect();
        serde_json::json!({ "keys": keys })
    }

    /// Authorization server metadata (RFC 8414 section 2).
    pub fn metadata(&self) -> serde_json::Value {
        let policy = &self.config.policy;
        let endpoint = |path: &str| self.endpoint(path).to_string();
        let mut response_types = vec!["code"];
        if policy.allow_implicit {
            response_types.push("token");
        }
        let methods: &[&str] = match policy.pkce {
            PkcePolicy::RequireS256 => &["S256"],
            _ => &["S256", "plain"],
        };
        let mut metadata = serde_json::json!({
            "issuer": self.issuer_id(),
            "authorization_endpoint": endpoint("/authorize"),
            "token_endpoint": endpoint("/token"),
            "jwks_uri": endpoint("/jwks"),
            "device_authorization_endpoint": endpoint("/device_authorization"),
            "response_types_supported": response_types,
            "grant_types_supported": [
                "authorization_code",
                "refresh_token",
                "client_credentials",
                device::DEVICE_CODE_GRANT,
            ],
            "token_endpoint_auth_methods_supported": ["client_secret_basic", "client_secret_post", "none"],
            "code_challenge_methods_supported": methods,
            "authorization_response_iss_parameter_supported": policy.issuer_in_response,
        });
        if let Some(extensions) = self.extensions() {
            extensions.metadata(self, &mut metadata);
        }
        if let Some(offered) = &self.offered {
            offered.metadata(self, &mut metadata);
        }
        metadata
    }

    /// The extensions' members of the metadata (RFC 8414 section 2, RFC
    /// 9126 section 5, RFC 9449 section 5.1).
    pub(super) fn extension_metadata(&self, metadata: &mut serde_json::Value) {
        let endpoint = |path: &str| serde_json::Value::from(self.endpoint(path).to_string());
        let secrets = ["client_secret_basic", "client_secret_post"];
        let members = [
            ("pushed_authorization_request_endpoint", endpoint("/par")),
            (
                "require_pushed_authorization_requests",
                self.config.policy.require_par.into(),
            ),
            ("revocation_endpoint", endpoint("/revoke")),
            // The same client authentication as the token endpoint.
            (
                "revocation_endpoint_auth_methods_supported",
                ["client_secret_basic", "client_secret_post", "none"].into(),
            ),
            (
                "token_endpoint_auth_methods_supported",
                [
                    "client_secret_basic",
                    "client_secret_post",
                    "none",
                    "private_key_jwt",
                ]
                .into(),
            ),
            // RFC 8414 section 2: the algorithms private_key_jwt takes.
            (
                "token_endpoint_auth_signing_alg_values_supported",
                ["ES256"].into(),
            ),
            ("introspection_endpoint", endpoint("/introspect")),
            // RFC 7662 section 2.1: callers authenticate, with a secret.
            (
                "introspection_endpoint_auth_methods_supported",
                secrets.into(),
            ),
            (
                "dpop_signing_alg_values_supported",
                [crate::dpop::PROOF_ALG].into(),
            ),
        ];
        for (name, value) in members {
            metadata[name] = value;
        }
    }

    /// The URL of one of this server's endpoints.
    pub fn endpoint(&self, path: &str) -> Url {
        Url {
            path: format!("{}{path}", self.config.issuer.path.trim_end_matches('/')),
            query: None,
            fragment: None,
            ..self.config.issuer.clone()
        }
    }

    /// Whether an access token with this `jti` has been revoked.
    pub fn is_access_token_revoked(&self, jti: &str) -> bool {
        self.revoked_access_tokens
            .iter()
            .any(|revoked| revoked == jti)
    }

    /// Answers one HTTP request.
    pub fn handle(&mut self, request: &Request, now: UnixTime, rng: &mut dyn Rng) -> Response {
        let base = self.config.issuer.path.trim_end_matches('/');
        let path = request.url.path.strip_prefix(base).unwrap_or("");
        match (request.method, path) {
            (Method::Get, "/authorize") => self.authorize(request, now, rng),
            (Method::Post, "/login") => self.login(request, now, rng),
            (Method::Post, "/consent") => self.consent(request, now, rng),
            (Method::Post, "/token") => self.token(request, now, rng),
            (Method::Post, "/device_authorization") => self.device_authorization(request, now, rng),
            (Method::Get, "/device") => self.device_page(request),
            (Method::Post, "/device") => self.device_code_entered(request, now, rng),
            (Method::Get, "/jwks") => Response::json(200, &self.jwks()),
            (Method::Get, "/userinfo") => self.userinfo(request, now),
            (Method::Get, "/.well-known/openid-configuration") => {
                Response::json(200, &self.openid_configuration())
            }
            (Method::Get, "/.well-known/oauth-authorization-server") => {
                Response::json(200, &self.metadata())
            }
            (_, "/authorize" | "/login" | "/consent" | "/token" | "/device_authorization") => {
                Response::new(405).with_body("Method Not Allowed")
            }
            // The extensions' endpoints, when the server has them, and
            // those of what it was offered.
            _ => match self.extensions() {
                Some(extensions) => extensions.endpoint(self, path, request, now, rng),
                None => None,
            }
            .or_else(|| {
                self.ask_offer(|offer, server| offer.endpoint(server, path, request, now, rng))
            })
            .unwrap_or_else(|| Response::new(404).with_body("Not Found")),
        }
    }

    /// A document the server must fetch before it answers `request`: the
    /// metadata document of a client named by its URL, which only an
    /// offer (`ClientIdMetadataDocuments`) knows to ask for. The network
    /// fetches it, on the trace, and hands the answer to
    /// [`Self::receive_document`]: the server itself never does I/O.
    pub fn document_to_fetch(&self, request: &Request) -> Option<Url> {
        self.offered.as_ref()?.document_to_fetch(self, request)
    }

    /// What fetching `url` answered, handed to the offers: the one that
    /// asked for it acts on it.
    pub fn receive_document(&mut self, url: &Url, answer: &Response) {
        if let Some(offered) = self.offered.take() {
            offered.receive_document(self, url, answer);
            self.offered = Some(offered);
        }
    }

    fn client(&self, client_id: &str) -> Option<&ClientRegistration> {
        self.config
            .clients
            .iter()
            .find(|client| client.client_id.as_str() == client_id)
    }

    /// What the server says of a client it does not know: why an offer
    /// refused it (a metadata document's fault), if one did.
    fn unknown_client(&self, client_id: &str) -> String {
        match self
            .offered
            .as_ref()
            .and_then(|offer| offer.refusal(client_id))
        {
            Some(why) => format!("The client \"{client_id}\" is not accepted: {why}."),
            None => format!("No client is registered as \"{client_id}\"."),
        }
    }

    /// Revokes a refresh token family and the access tokens issued in it.
    fn revoke_family(&mut self, family: u64) {
        if !self.revoked_families.contains(&family) {
            self.revoked_families.push(family);
        }
        if let Some(jtis) = self.family_access_tokens.get(&family) {
            self.revoked_access_tokens.extend(jtis.iter().cloned());
        }
    }

    fn new_family(&mut self) -> u64 {
        let family = self.next_family;
        self.next_family += 1;
        family
    }
}

/// `n` random bytes as base64url: codes, tokens and transaction ids.
fn random_token(rng: &mut dyn Rng, bytes: usize) -> Result<String, OAuthError> {
    let mut buffer = vec![0u8; bytes];
    rng.fill_bytes(&mut buffer).map_err(|error| {
        OAuthError::new(
            ErrorCode::ServerError,
            format!("cannot make a random value: {error}"),
        )
    })?;
    Ok(crate::jose::b64_encode(buffer))
}

/// A request's form parameters (its body, or a GET's query), each at most
/// once, or the `invalid_request` that refuses them: what every endpoint
/// reads first.
fn form_params(request: &Request) -> Result<Params, OAuthError> {
    let pairs = request.params().map_err(|error| {
        OAuthError::new(
            ErrorCode::InvalidRequest,
            format!("the form body is malformed: {error}"),
        )
    })?;
    single_params(pairs)
}

/// Collects request parameters, refusing any that appears twice: "Request
/// and response parameters MUST NOT be included more than once" (RFC 6749
/// section 3.1 and 3.2).
fn single_params(pairs: Vec<(String, String)>) -> Result<Params, OAuthError> {
    let mut params = Table::default();
    for (name, value) in pairs {
        if params.contains_key(&name) {
            return Err(OAuthError::new(
                ErrorCode::InvalidRequest,
                format!("the parameter {name} appears more than once (RFC 6749 section 3.1)"),
            ));
        }
        params.insert(name, value);
    }
    Ok(Params(params))
}

/// A request's parameters, each name at most once (`single_params` refuses
/// repeats), in the order they were sent.
#[derive(Debug, Clone)]
pub struct Params(Table<String, String>);

impl Params {
    /// The value sent as `name`, even an empty one (`param` treats an
    /// empty value as none, RFC 6749 section 3.1).
    pub fn get(&self, name: &str) -> Option<&str> {
        self.0.get(name).map(String::as_str)
    }

    /// Whether the request has `name`, with a value or empty.
    pub fn contains(&self, name: &str) -> bool {
        self.0.contains_key(name)
    }

    /// The name and value pairs, in the order they were sent.
    pub fn into_pairs(self) -> Vec<(String, String)> {
        self.0.into_iter().collect()
    }
}

/// A parameter the request cannot do without; `rule` cites the RFC
/// section that requires it.
fn required_param<'a>(params: &'a Params, name: &str, rule: &str) -> Result<&'a str, OAuthError> {
    param(params, name).ok_or_else(|| {
        OAuthError::new(
            ErrorCode::InvalidRequest,
            format!("{name} is missing ({rule})"),
        )
    })
}

/// The scope a request asks for (RFC 6749 section 3.3): its `scope`
/// parameter, or `default` without one; never beyond `limit`, described as
/// `limit_name` in the error.
fn requested_scope(
    params: &Params,
    default: &Scope,
    limit: &Scope,
    limit_name: &str,
) -> Result<Scope, OAuthError> {
    let scope = match param(params, "scope") {
        None => default.clone(),
        Some(text) => Scope::parse(text).map_err(|token| {
            OAuthError::new(
                ErrorCode::InvalidScope,
                format!("scope token {token} has a character RFC 6749 section 3.3 forbids"),
            )
        })?,
    };
    if !scope.is_subset_of(limit) {
        return Err(OAuthError::new(
            ErrorCode::InvalidScope,
            format!("scope \"{scope}\" is more than {limit_name} (\"{limit}\")"),
        ));
    }
    Ok(scope)
}

/// RFC 6749 section 3.1: parameters sent without a value are treated as if
/// they were omitted.
fn param<'a>(params: &'a Params, name: &str) -> Option<&'a str> {
    params.get(name).filter(|value| !value.is_empty())
}
