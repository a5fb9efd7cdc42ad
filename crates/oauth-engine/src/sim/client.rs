//! The client application, as explicit steps: build the authorization
//! request, handle the callback, build token and API requests, accept
//! their responses. Correct by default; each safeguard can be switched off
//! by the scenario to show what breaks.

use serde::{Deserialize, Serialize};
use serde_json::Value;

use crate::clock::UnixTime;
use crate::error::{ErrorCode, OAuthError};
use crate::http::{Request, Response, Url};
use crate::pkce::{CodeVerifier, DEFAULT_LEN, PkceMethod};
use crate::rng::{RandomnessUnavailable, Rng};
use crate::server::{ClientAuthMethod, basic_credentials};
use crate::types::{AccessToken, AuthorizationCode, RefreshToken};

/// The defences a correct client has (RFC 9700 section 2.1).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct Safeguards {
    /// Send a fresh `state` and check it on the callback (RFC 6749 section
    /// 10.12, RFC 9700 section 4.7).
    pub send_state: bool,
    pub check_state: bool,
    /// PKCE (RFC 7636), with this method.
    pub use_pkce: bool,
    pub pkce_method: PkceMethod,
    /// Compare the callback's `iss` with the expected issuer (RFC 9207).
    pub check_issuer: bool,
    /// Refresh shortly before the access token expires.
    pub proactive_refresh: bool,
    /// On a 401 from the API, refresh once and retry.
    pub retry_after_refresh: bool,
    /// With scope openid: send a nonce and validate the ID token (OpenID
    /// Connect Core sections 3.1.2.1 and 3.1.3.7).
    pub send_nonce: bool,
    pub validate_id_token: bool,
}

impl Default for Safeguards {
    fn default() -> Self {
        Self {
            send_state: true,
            check_state: true,
            use_pkce: true,
            pkce_method: PkceMethod::S256,
            check_issuer: true,
            proactive_refresh: true,
            retry_after_refresh: true,
            send_nonce: true,
            validate_id_token: true,
        }
    }
}

/// How the client is set up.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct ClientSettings {
    pub client_id: String,
    /// `None` for a public client.
    pub client_secret: Option<String>,
    pub auth_method: ClientAuthMethod,
    /// The redirect_uri the client sends.
    pub redirect_uri: String,
    pub scope: String,
    pub safeguards: Safeguards,
    /// Prove possession of a key with every token request and API call,
    /// so that the tokens are bound to it (DPoP, RFC 9449).
    pub dpop: bool,
    /// Push the authorization request over the back channel first and
    /// send the browser with its `request_uri` only (PAR, RFC 9126).
    pub use_par: bool,
}

impl Default for ClientSettings {
    fn default() -> Self {
        Self {
            client_id: "spa".into(),
            client_secret: None,
            auth_method: ClientAuthMethod::None,
            redirect_uri: "https://spa.example/callback".into(),
            scope: "read write".into(),
            safeguards: Safeguards::default(),
            dpop: false,
            use_par: false,
        }
    }
}

impl ClientSettings {
    /// The origin of the redirect_uri: where the client's pages run, and
    /// whose session storage a browser-based client keeps things in.
    pub fn origin(&self) -> String {
        Url::parse(&self.redirect_uri)
            .map(|url| url.origin)
            .unwrap_or_default()
    }
}

/// Seconds before expiry at which a token is refreshed (or, for client
/// credentials, fetched anew).
pub const REFRESH_MARGIN: u64 = 30;

/// Why the client stopped.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ClientError {
    /// The authorization server answered with an error (RFC 6749 4.1.2.1,
    /// 5.2, or RFC 6750 3.1 from the API).
    Server(OAuthError),
    /// The callback's state is not the one this client sent: a forged
    /// response (RFC 6749 section 10.12).
    StateMismatch,
    /// The callback's iss is not the server the request went to: a mix-up
    /// (RFC 9207 section 2.4).
    IssuerMismatch {
        expected: String,
        received: Option<String>,
    },
    /// The callback has neither code nor error.
    NoCode,
    /// The ID token fails a check of OpenID Connect Core section 3.1.3.7.
    IdToken(String),
    /// A response the client cannot read.
    Malformed(String),
    Randomness(RandomnessUnavailable),
}

impl std::fmt::Display for ClientError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Self::Server(error) => write!(f, "{error}"),
            Self::StateMismatch => f.write_str(
                "the state in the callback is not the one the client sent: the client refuses \
                 the response (RFC 6749 section 10.12)",
            ),
            Self::IssuerMismatch { expected, received } => write!(
                f,
                "the callback's iss is {} but the request went to {expected}: the client refuses \
                 it (RFC 9207 section 2.4)",
                received.as_deref().unwrap_or("missing")
            ),
            Self::NoCode => f.write_str("the callback has neither a code nor an error"),
            Self::IdToken(why) => write!(
                f,
                "the ID token is refused: {why} (OpenID Connect Core section 3.1.3.7)"
            ),
            Self::Malformed(why) => write!(f, "unreadable response: {why}"),
            Self::Randomness(error) => write!(f, "{error}"),
        }
    }
}

impl std::error::Error for ClientError {}

/// What the client remembers between redirecting the user away and the
/// callback.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PendingAuthorization {
    pub state: Option<String>,
    pub verifier: Option<CodeVerifier>,
    pub nonce: Option<String>,
}

/// The tokens the client holds.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Tokens {
    pub access_token: AccessToken,
    pub refresh_token: Option<RefreshToken>,
    pub expires_at: UnixTime,
    pub scope: String,
    /// With scope openid (OpenID Connect Core section 3.1.3.3).
    pub id_token: Option<String>,
    /// `Bearer`, or `DPoP` for a token bound to the client's key (RFC 9449
    /// section 5): the scheme the client presents it with.
    pub token_type: String,
}

#[derive(Debug, Clone)]
pub struct Client {
    pub settings: ClientSettings,
    pub pending: Option<PendingAuthorization>,
    pub tokens: Option<Tokens>,
    /// The private scalar of the client's DPoP key pair, made on first use
    /// (RFC 9449 section 2). Kept as bytes: the key type, and the code that
    /// drops it, stay with the code that signs (`sim/deployed/`).
    pub dpop_key: Option<[u8; 32]>,
    /// The last nonce the authorization server gave (RFC 9449 section 8).
    pub dpop_nonce: Option<String>,
}

impl Client {
    pub fn new(settings: ClientSettings) -> Self {
        Self {
            settings,
            pending: None,
            tokens: None,
            dpop_key: None,
            dpop_nonce: None,
        }
    }

    /// The authorization request URL (RFC 6749 section 4.1.1, RFC 7636
    /// section 4.3), with a fresh state and verifier remembered.
    pub fn authorization_url(
        &mut self,
        authorization_endpoint: &Url,
        rng: &mut dyn Rng,
    ) -> Result<Url, ClientError> {
        self.authorization_request(authorization_endpoint, rng, false)
    }

    /// The implicit grant's authorization request (RFC 6749 section
    /// 4.2.1): response_type=token and a fresh state. No PKCE: there is no
    /// token request at which a verifier could be checked.
    pub fn implicit_authorization_url(
        &mut self,
        authorization_endpoint: &Url,
        rng: &mut dyn Rng,
    ) -> Result<Url, ClientError> {
        self.authorization_request(authorization_endpoint, rng, true)
    }

    fn authorization_request(
        &mut self,
        authorization_endpoint: &Url,
        rng: &mut dyn Rng,
        implicit: bool,
    ) -> Result<Url, ClientError> {
        let guards = self.settings.safeguards.clone();
        let openid = !implicit && self.settings.scope.split(' ').any(|s| s == "openid");
        let state = if guards.send_state {
            Some(random_value(rng)?)
        } else {
            None
        };
        let nonce = if openid && guards.send_nonce {
            Some(random_value(rng)?)
        } else {
            None
        };
        let verifier = if guards.use_pkce && !implicit {
            Some(
                CodeVerifier::generate(DEFAULT_LEN, rng).map_err(|error| match error {
                    crate::pkce::GenerateError::Randomness(error) => ClientError::Randomness(error),
                    other => ClientError::Malformed(other.to_string()),
                })?,
            )
        } else {
            None
        };
        let challenge = verifier
            .as_ref()
            .map(|verifier| verifier.challenge(guards.pkce_method));
        let mut pairs = vec![
            ("response_type", if implicit { "token" } else { "code" }),
            ("client_id", self.settings.client_id.as_str()),
            ("redirect_uri", self.settings.redirect_uri.as_str()),
            ("scope", self.settings.scope.as_str()),
        ];
        if let Some(state) = &state {
            pairs.push(("state", state));
        }
        if let Some(challenge) = &challenge {
            pairs.push(("code_challenge", challenge.as_str()));
            pairs.push(("code_challenge_method", guards.pkce_method.as_str()));
        }
        if let Some(nonce) = &nonce {
            pairs.push(("nonce", nonce));
        }
        let url = authorization_endpoint.with_query(&pairs);
        self.pending = Some(PendingAuthorization {
            state,
            verifier,
            nonce,
        });
        Ok(url)
    }

    /// Reads the redirect back (RFC 6749 section 4.1.2): the code, after the
    /// state and issuer checks.
    pub fn handle_callback(
        &mut self,
        url: &Url,
        issuer: &str,
    ) -> Result<AuthorizationCode, ClientError> {
        let pairs = url
            .query_pairs()
            .map_err(|error| ClientError::Malformed(error.to_string()))?;
        let pending = self.check_response(&pairs, issuer)?;
        let code = AuthorizationCode::new(get(&pairs, "code").ok_or(ClientError::NoCode)?);
        // Keep the verifier for the token request, the nonce for the ID token.
        self.pending = Some(PendingAuthorization {
            state: None,
            ..pending
        });
        Ok(code)
    }

    /// The implicit grant's callback (RFC 6749 section 4.2.2): the page's
    /// script reads the fragment of its own address, checks state and
    /// issuer, and keeps the access token. There is no refresh token.
    pub fn handle_implicit_callback(
        &mut self,
        url: &Url,
        issuer: &str,
        now: UnixTime,
    ) -> Result<(), ClientError> {
        // A server without the implicit grant answers in the query, as for
        // the code grant; one with it, in the fragment (RFC 6749 section
        // 4.2.2.1).
        let part = match url.fragment.as_deref() {
            Some(fragment) if !fragment.is_empty() => fragment,
            _ => url.query.as_deref().unwrap_or_default(),
        };
        let pairs = crate::form::decode_form(part)
            .map_err(|error| ClientError::Malformed(error.to_string()))?;
        self.check_response(&pairs, issuer)?;
        let access_token = get(&pairs, "access_token")
            .ok_or_else(|| ClientError::Malformed("no access_token in the fragment".into()))?;
        let expires_in = get(&pairs, "expires_in")
            .and_then(|text| text.parse().ok())
            .unwrap_or(0);
        self.tokens = Some(Tokens {
            access_token: AccessToken::new(access_token),
            refresh_token: None,
            expires_at: now.plus(expires_in),
            scope: get(&pairs, "scope").unwrap_or_else(|| self.settings.scope.clone()),
            id_token: None,
            token_type: get(&pairs, "token_type").unwrap_or_default(),
        });
        Ok(())
    }

    /// The checks every authorization response gets, before its code or
    /// token is touched: state (RFC 6749 section 10.12), iss (RFC 9207
    /// section 2.4), then any error (section 4.1.2.1). Returns what the
    /// client had remembered for this response.
    fn check_response(
        &mut self,
        pairs: &[(String, String)],
        issuer: &str,
    ) -> Result<PendingAuthorization, ClientError> {
        let guards = &self.settings.safeguards;
        let pending = self.pending.take();
        // A client that checks state refuses a response to a request it
        // never made: with nothing pending there is nothing to match, and
        // this is exactly what a login CSRF delivers (RFC 9700 section 4.7).
        if guards.check_state
            && pending
                .as_ref()
                .is_none_or(|pending| get(pairs, "state") != pending.state)
        {
            return Err(ClientError::StateMismatch);
        }
        let pending = pending.unwrap_or(PendingAuthorization {
            state: None,
            verifier: None,
            nonce: None,
        });
        if guards.check_issuer && get(pairs, "iss").as_deref() != Some(issuer) {
            return Err(ClientError::IssuerMismatch {
                expected: issuer.to_owned(),
                received: get(pairs, "iss"),
            });
        }
        if let Some(code) = get(pairs, "error") {
            let code = error_code(&code);
            let description = get(pairs, "error_description").unwrap_or_default();
            return Err(ClientError::Server(OAuthError::new(code, description)));
        }
        Ok(pending)
    }

    /// The token request for a code (RFC 6749 section 4.1.3), with the
    /// verifier (RFC 7636 section 4.5).
    pub fn code_token_request(&self, token_endpoint: &Url, code: &AuthorizationCode) -> Request {
        let verifier = self
            .pending
            .as_ref()
            .and_then(|pending| pending.verifier.as_ref())
            .map(|verifier| verifier.as_str().to_owned());
        let mut form = vec![
            ("grant_type", "authorization_code".to_owned()),
            ("code", code.secret().to_owned()),
            ("redirect_uri", self.settings.redirect_uri.clone()),
        ];
        if let Some(verifier) = verifier {
            form.push(("code_verifier", verifier));
        }
        self.authenticated_post(token_endpoint, form)
    }

    /// A refresh request (RFC 6749 section 6), if the client has a refresh
    /// token.
    pub fn refresh_request(&self, token_endpoint: &Url) -> Option<Request> {
        let refresh = self
            .tokens
            .as_ref()?
            .refresh_token
            .as_ref()?
            .secret()
            .to_owned();
        let form = vec![
            ("grant_type", "refresh_token".to_owned()),
            ("refresh_token", refresh),
        ];
        Some(self.authenticated_post(token_endpoint, form))
    }

    /// A client credentials request (RFC 6749 section 4.4.2).
    pub fn client_credentials_request(&self, token_endpoint: &Url) -> Request {
        let form = vec![
            ("grant_type", "client_credentials".to_owned()),
            ("scope", self.settings.scope.clone()),
        ];
        self.authenticated_post(token_endpoint, form)
    }

    /// The device authorization request (RFC 8628 section 3.1).
    pub fn device_authorization_request(&self, endpoint: &Url) -> Request {
        self.authenticated_post(endpoint, vec![("scope", self.settings.scope.clone())])
    }

    /// One poll of the token endpoint for a device (RFC 8628 section 3.4).
    pub fn device_token_request(&self, token_endpoint: &Url, device_code: &str) -> Request {
        let form = vec![
            ("grant_type", crate::server::DEVICE_CODE_GRANT.to_owned()),
            ("device_code", device_code.to_owned()),
        ];
        self.authenticated_post(token_endpoint, form)
    }

    /// A POST to the token endpoint with the client's authentication
    /// (RFC 6749 section 2.3.1), or its client_id if it is public or signs
    /// an assertion (which `sim/deployed/` adds).
    fn authenticated_post(&self, url: &Url, mut form: Vec<(&str, String)>) -> Request {
        let settings = &self.settings;
        let secret = settings.client_secret.as_deref();
        match (settings.auth_method, secret) {
            (ClientAuthMethod::ClientSecretPost, Some(secret)) => {
                form.push(("client_id", settings.client_id.clone()));
                form.push(("client_secret", secret.to_owned()));
            }
            (ClientAuthMethod::ClientSecretBasic, Some(_)) => {}
            _ => form.push(("client_id", settings.client_id.clone())),
        }
        let borrowed: Vec<(&str, &str)> = form.iter().map(|(n, v)| (*n, v.as_str())).collect();
        let request = Request::post_form(url.clone(), &borrowed);
        match (settings.auth_method, secret) {
            (ClientAuthMethod::ClientSecretBasic, Some(secret)) => request.with_header(
                "Authorization",
                basic_credentials(&settings.client_id, secret),
            ),
            _ => request,
        }
    }

    /// Stores the tokens of a successful token response (RFC 6749 section
    /// 5.1), or returns the error (section 5.2). A response without a new
    /// refresh token keeps the old one (RFC 6749 section 6).
    pub fn accept_token_response(
        &mut self,
        response: &Response,
        now: UnixTime,
    ) -> Result<(), ClientError> {
        let body = response
            .json_body()
            .ok_or_else(|| ClientError::Malformed("the token response is not JSON".into()))?;
        if response.status != 200 {
            return Err(ClientError::Server(error_from_json(&body)));
        }
        let text = |name: &str| body[name].as_str().map(str::to_owned);
        let access_token = text("access_token")
            .ok_or_else(|| ClientError::Malformed("no access_token in the response".into()))?;
        let kept = self.tokens.as_ref().and_then(|t| t.refresh_token.clone());
        self.tokens = Some(Tokens {
            access_token: AccessToken::new(access_token),
            refresh_token: text("refresh_token").map(RefreshToken::new).or(kept),
            expires_at: now.plus(body["expires_in"].as_u64().unwrap_or(0)),
            scope: text("scope").unwrap_or_else(|| self.settings.scope.clone()),
            id_token: text("id_token"),
            token_type: text("token_type").unwrap_or_default(),
        });
        if let Some(pending) = &mut self.pending {
            pending.verifier = None;
        }
        Ok(())
    }

    /// OpenID Connect Core section 3.1.3.7: the ID token is signed by a key
    /// in the server's JWKS, from the expected issuer, for this client,
    /// unexpired, with the nonce this client sent and the at_hash of the
    /// access token it came with.
    pub fn validate_id_token(
        &self,
        jwks: &Value,
        issuer: &str,
        now: UnixTime,
    ) -> Result<(), ClientError> {
        let refuse = |why: &str| ClientError::IdToken(why.to_owned());
        let Some(tokens) = &self.tokens else {
            return Err(refuse("there are no tokens"));
        };
        let id_token = tokens
            .id_token
            .as_deref()
            .ok_or_else(|| refuse("the token response has no id_token"))?;
        let keys = crate::resource::KeySet::from_jwks(jwks)
            .map_err(|error| refuse(&format!("unusable JWKS: {error}")))?;
        let claims = keys
            .verify(id_token)
            .map_err(|error| refuse(&error))?
            .claims()
            .ok_or_else(|| refuse("its payload is not a JSON object"))?;
        let text = |name: &str| claims.get(name).and_then(Value::as_str);
        if text("iss") != Some(issuer) {
            return Err(refuse("iss is not the expected issuer"));
        }
        if text("aud") != Some(self.settings.client_id.as_str()) {
            return Err(refuse("aud is not this client"));
        }
        if claims.get("exp").and_then(Value::as_u64).unwrap_or(0) <= now.0 {
            return Err(refuse("it has expired"));
        }
        let sent_nonce = self.pending.as_ref().and_then(|p| p.nonce.as_deref());
        if sent_nonce.is_some() && text("nonce") != sent_nonce {
            return Err(refuse("the nonce is not the one this client sent"));
        }
        if text("at_hash")
            .is_some_and(|hash| hash != crate::server::at_hash(tokens.access_token.secret()))
        {
            return Err(refuse("at_hash does not match the access token"));
        }
        Ok(())
    }

    /// Whether the access token is missing or due for renewal.
    pub fn token_due(&self, now: UnixTime) -> bool {
        self.tokens
            .as_ref()
            .is_none_or(|tokens| now.plus(REFRESH_MARGIN) >= tokens.expires_at)
    }

    /// An API request with the access token (RFC 6750 section 2.1), or
    /// with the DPoP scheme for a bound one (RFC 9449 section 7.1).
    pub fn api_request(&self, url: &Url) -> Request {
        let request = Request::get(url.clone());
        match &self.tokens {
            Some(tokens) => {
                let scheme = if tokens
                    .token_type
                    .eq_ignore_ascii_case(crate::dpop::TOKEN_TYPE)
                {
                    crate::dpop::TOKEN_TYPE
                } else {
                    "Bearer"
                };
                let token = tokens.access_token.secret();
                request.with_header("Authorization", format!("{scheme} {token}"))
            }
            None => request,
        }
    }

    /// The pushed authorization request (RFC 9126 section 2.1): the
    /// parameters of `authorization_url`, posted with the client's
    /// authentication to `par_endpoint`.
    pub fn pushed_authorization_request(
        &self,
        par_endpoint: &Url,
        authorization_url: &Url,
    ) -> Result<Request, ClientError> {
        let pairs = authorization_url
            .query_pairs()
            .map_err(|error| ClientError::Malformed(error.to_string()))?;
        let form = pairs
            .iter()
            // The client's authentication adds its client_id.
            .filter(|(name, _)| name != "client_id")
            .map(|(name, value)| (name.as_str(), value.clone()))
            .collect();
        Ok(self.authenticated_post(par_endpoint, form))
    }

    /// The front channel's request once the request is pushed (RFC 9126
    /// section 4): `client_id` and the `request_uri` the server gave.
    pub fn pushed_authorization_url(&self, endpoint: &Url, request_uri: &str) -> Url {
        endpoint.with_query(&[
            ("client_id", self.settings.client_id.as_str()),
            ("request_uri", request_uri),
        ])
    }

    /// The revocation request for the refresh token, or for the access
    /// token without one (RFC 7009 section 2.1), when signing out.
    pub fn revocation_request(&self, revocation_endpoint: &Url) -> Option<Request> {
        let tokens = self.tokens.as_ref()?;
        let (token, hint) = match &tokens.refresh_token {
            Some(refresh) => (refresh.secret(), "refresh_token"),
            None => (tokens.access_token.secret(), "access_token"),
        };
        let form = vec![
            ("token", token.to_owned()),
            ("token_type_hint", hint.to_owned()),
        ];
        Some(self.authenticated_post(revocation_endpoint, form))
    }
}

/// The first value of parameter `name`.
fn get(pairs: &[(String, String)], name: &str) -> Option<String> {
    pairs
        .iter()
        .find(|(n, _)| n == name)
        .map(|(_, v)| v.clone())
}

/// 16 random bytes, base64url: a state, a nonce, a session id.
pub(crate) fn random_value(rng: &mut dyn Rng) -> Result<String, ClientError> {
    let mut bytes = [0u8; 16];
    rng.fill_bytes(&mut bytes)
        .map_err(ClientError::Randomness)?;
    Ok(crate::jose::b64_encode(bytes))
}

/// An unknown code is reported as a server error: the client cannot act
/// on what it does not know.
fn error_code(text: &str) -> ErrorCode {
    ErrorCode::from_name(text).unwrap_or(ErrorCode::ServerError)
}

/// An RFC 6749 section 5.2 error body.
pub fn error_from_json(body: &Value) -> OAuthError {
    OAuthError::new(
        error_code(body["error"].as_str().unwrap_or_default()),
        body["error_description"].as_str().unwrap_or_default(),
    )
}
