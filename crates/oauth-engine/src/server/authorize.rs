//! The authorization endpoint (RFC 6749 section 3.1, 4.1.1, 4.2.1), and the
//! login and consent pages between the request and the redirect back.

use super::pages;
use super::token::AccessTokenFor;
use super::{
    AuthorizationServer, CodeGrant, GrantType, Params, PkcePolicy, RedirectMatching, param,
    random_token, requested_scope, single_params,
};
use crate::clock::UnixTime;
use crate::error::{ErrorCode, OAuthError};
use crate::form::decode_form;
use crate::http::{Request, Response, Url};
use crate::pkce::{CodeChallenge, PkceMethod};
use crate::rng::Rng;
use crate::table::Table;
use crate::types::{ClientId, RedirectUri, Scope, State, Subject};

/// How long a login and consent may take before the request is void.
const TRANSACTION_LIFETIME: u64 = 600;

/// A validated authorization request.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AuthorizationRequest {
    pub client_id: ClientId,
    pub redirect_uri: RedirectUri,
    pub redirect_uri_was_sent: bool,
    /// `code` (authorization code grant) or `token` (implicit grant).
    pub response_type: GrantType,
    pub scope: Scope,
    pub state: Option<State>,
    pub challenge: Option<(CodeChallenge, PkceMethod)>,
    /// OpenID Connect: echoed in the ID token (Core section 3.1.2.1).
    pub nonce: Option<String>,
    /// The resource the token will be for (RFC 8707 section 2).
    pub resource: Option<String>,
}

/// What the user's approval completes.
#[derive(Debug, Clone)]
pub(super) enum Completion {
    /// Redirect back to the client (authorization code or implicit grant).
    Redirect(AuthorizationRequest),
    /// Approve the device authorization with this device_code (RFC 8628
    /// section 3.3).
    Device { device_code: String },
}

/// A request waiting for the user to sign in and consent.
#[derive(Debug, Clone)]
pub(super) struct Transaction {
    client_id: ClientId,
    scope: Scope,
    completion: Completion,
    user: Option<Subject>,
    /// When the user signed in: the ID token's auth_time.
    auth_time: Option<UnixTime>,
    /// The login session cookie set at sign-in: consent must come from the
    /// same browser.
    session: Option<String>,
    expires_at: UnixTime,
}

/// Where an error goes: to the user (never redirect to a URI that was not
/// verified, RFC 6749 section 4.1.2.1) or back to the client, in the
/// fragment when the client asked for a token (section 4.2.2.1).
pub enum Failure {
    ShowUser(String),
    Redirect(RedirectUri, Option<State>, OAuthError, bool),
}

impl AuthorizationServer {
    pub(super) fn authorize(
        &mut self,
        request: &Request,
        now: UnixTime,
        rng: &mut dyn Rng,
    ) -> Response {
        let validated = match request
            .url
            .query_pairs()
            .map_err(|error| {
                Failure::ShowUser(format!(
                    "The authorization request's query is malformed: {error}."
                ))
            })
            .and_then(|pairs| self.front_channel_request(pairs, now))
        {
            Ok(validated) => validated,
            Err(Failure::ShowUser(message)) => return pages::error_page(&message),
            Err(Failure::Redirect(uri, state, error, in_fragment)) => {
                return self.error_redirect(&uri, state.as_ref(), &error, in_fragment);
            }
        };
        let (redirect_uri, state) = (validated.redirect_uri.clone(), validated.state.clone());
        let in_fragment = validated.response_type == GrantType::Implicit;
        let (client_id, scope) = (validated.client_id.clone(), validated.scope.clone());
        match self.start_transaction(client_id, scope, Completion::Redirect(validated), now, rng) {
            Ok(page) => page,
            Err(error) => self.error_redirect(&redirect_uri, state.as_ref(), &error, in_fragment),
        }
    }

    /// Opens a sign-in for `client_id` and answers with the login page.
    pub(super) fn start_transaction(
        &mut self,
        client_id: ClientId,
        scope: Scope,
        completion: Completion,
        now: UnixTime,
        rng: &mut dyn Rng,
    ) -> Result<Response, OAuthError> {
        let id = random_token(rng, 16)?;
        let page = pages::login_page(&id, client_id.as_str(), None);
        self.transactions.insert(
            id,
            Transaction {
                client_id,
                scope,
                completion,
                user: None,
                auth_time: None,
                session: None,
                expires_at: now.plus(TRANSACTION_LIFETIME),
            },
        );
        Ok(page)
    }

    /// The request a browser brings to `/authorize`: its parameters, or
    /// with the extensions those a `request_uri` stands for (RFC 9126).
    pub(crate) fn front_channel_request(
        &mut self,
        pairs: Vec<(String, String)>,
        now: UnixTime,
    ) -> Result<AuthorizationRequest, Failure> {
        match self.extensions() {
            Some(extensions) => extensions.front_channel_request(self, pairs, now),
            None => self.validate_authorization_request(pairs),
        }
    }

    /// The checks of an authorization request's parameters (RFC 6749
    /// section 4.1.1, RFC 7636 section 4.4), whether they come in the query
    /// or pushed (RFC 9126 section 2.1).
    pub(super) fn validate_authorization_request(
        &self,
        pairs: Vec<(String, String)>,
    ) -> Result<AuthorizationRequest, Failure> {
        // client_id and redirect_uri are checked before anything is
        // redirected: until both are known good there is nowhere safe to send
        // an error (RFC 6749 section 4.1.2.1).
        let count = |name: &str| pairs.iter().filter(|(n, _)| n == name).count();
        for name in ["client_id", "redirect_uri"] {
            if count(name) > 1 {
                return Err(Failure::ShowUser(format!(
                    "The request has {name} more than once (RFC 6749 section 3.1)."
                )));
            }
        }
        let value = |name: &str| {
            pairs
                .iter()
                .find(|(n, v)| n == name && !v.is_empty())
                .map(|(_, v)| v.as_str())
        };
        let client_id = value("client_id").ok_or_else(|| {
            Failure::ShowUser("The request has no client_id (RFC 6749 section 4.1.1).".into())
        })?;
        let client = self
            .client(client_id)
            .ok_or_else(|| Failure::ShowUser(self.unknown_client(client_id)))?;
        let redirect_uri = match value("redirect_uri") {
            Some(requested) => self.match_redirect_uri(&client.redirect_uris, requested)?,
            // Without redirect_uri, the one registered URI is used; with
            // several there is no telling which (RFC 6749 section 3.1.2.3).
            None => match client.redirect_uris.as_slice() {
                [only] => only.clone(),
                _ => {
                    return Err(Failure::ShowUser(
                        "The request has no redirect_uri and the client registered several \
                         (RFC 6749 section 3.1.2.3)."
                            .into(),
                    ));
                }
            },
        };

        // From here on, errors go back to the client.
        let state = value("state").map(State::new);
        // A client that asked for a token reads its answer from the
        // fragment, errors included (RFC 6749 section 4.2.2.1); a server
        // without the implicit grant answers as the code grant does.
        let in_fragment =
            value("response_type") == Some("token") && self.config.policy.allow_implicit;
        let fail = |code, description: String| {
            Failure::Redirect(
                redirect_uri.clone(),
                state.clone(),
                OAuthError::new(code, description),
                in_fragment,
            )
        };
        if self.config.policy.unavailable {
            return Err(fail(
                ErrorCode::TemporarilyUnavailable,
                "the server is overloaded: try again later".into(),
            ));
        }
        let params = single_params(pairs.clone())
            .map_err(|error| fail(error.code, error.description.clone()))?;

        let response_type = match param(&params, "response_type") {
            None => {
                return Err(fail(
                    ErrorCode::InvalidRequest,
                    "response_type is missing (RFC 6749 section 4.1.1)".into(),
                ));
            }
            Some("code") => GrantType::AuthorizationCode,
            Some("token") if self.config.policy.allow_implicit => GrantType::Implicit,
            Some(other) => {
                return Err(fail(
                    ErrorCode::UnsupportedResponseType,
                    format!("response_type \"{other}\" is not supported by this server"),
                ));
            }
        };
        if !client.allows(response_type) {
            return Err(fail(
                ErrorCode::UnauthorizedClient,
                format!(
                    "client {client_id} may not use the {} grant",
                    response_type.as_str()
                ),
            ));
        }

        // No scope: the client's registered default (RFC 6749 section 3.3).
        let limit = format!("client {client_id} may ask for");
        let scope = requested_scope(
            &params,
            &client.allowed_scope,
            &client.allowed_scope,
            &limit,
        )
        .map_err(|error| fail(error.code, error.description))?;

        let challenge = self
            .validate_pkce(&params, response_type)
            .map_err(|description| fail(ErrorCode::InvalidRequest, description))?;
        let resource = self
            .requested_resource(&params)
            .map_err(|error| fail(error.code, error.description))?;

        Ok(AuthorizationRequest {
            client_id: client.client_id.clone(),
            redirect_uri,
            redirect_uri_was_sent: value("redirect_uri").is_some(),
            response_type,
            scope,
            state,
            challenge,
            nonce: param(&params, "nonce").map(str::to_owned),
            resource,
        })
    }

    /// RFC 9700 section 4.1.3: exact string matching. The prefix policy
    /// reproduces the vulnerable servers of section 4.1.1.
    fn match_redirect_uri(
        &self,
        registered: &[RedirectUri],
        requested: &str,
    ) -> Result<RedirectUri, Failure> {
        let matches = |uri: &RedirectUri| match self.config.policy.redirect_matching {
            RedirectMatching::Exact => uri.as_str() == requested,
            RedirectMatching::Prefix => requested.starts_with(uri.as_str()),
        };
        if Url::parse(requested).is_err() || !registered.iter().any(matches) {
            return Err(Failure::ShowUser(format!(
                "The redirect_uri \"{requested}\" is not registered for this client, so the \
                 server will not send you there (RFC 6749 section 4.1.2.1)."
            )));
        }
        Ok(RedirectUri::new(requested))
    }

    /// RFC 7636 section 4.4: the challenge, as the policy requires it.
    fn validate_pkce(
        &self,
        params: &Params,
        response_type: GrantType,
    ) -> Result<Option<(CodeChallenge, PkceMethod)>, String> {
        if response_type != GrantType::AuthorizationCode {
            return Ok(None);
        }
        let policy = self.config.policy.pkce;
        let Some(challenge) = param(params, "code_challenge") else {
            if param(params, "code_challenge_method").is_some() {
                return Err("code_challenge_method was sent without code_challenge".into());
            }
            return match policy {
                PkcePolicy::Optional => Ok(None),
                _ => Err("code_challenge is required (RFC 7636 section 4.4.1)".into()),
            };
        };
        let challenge = CodeChallenge::parse(challenge).map_err(|error| error.to_string())?;
        // A missing method means plain (RFC 7636 section 4.3).
        let method: PkceMethod = match param(params, "code_challenge_method") {
            None => PkceMethod::Plain,
            Some(text) => text
                .parse()
                .map_err(|error: crate::pkce::UnsupportedMethod| error.to_string())?,
        };
        if method == PkceMethod::Plain && policy == PkcePolicy::RequireS256 {
            return Err(
                "code_challenge_method must be S256: this server does not accept plain \
                 (RFC 7636 section 4.4.1)"
                    .into(),
            );
        }
        Ok(Some((challenge, method)))
    }

    /// The user submits the login form.
    pub(super) fn login(
        &mut self,
        request: &Request,
        now: UnixTime,
        rng: &mut dyn Rng,
    ) -> Response {
        let form = form_of(request);
        let field = |name: &str| form.get(name).map(String::as_str).unwrap_or_default();
        let Some(transaction) = self.live_transaction(field("transaction"), now) else {
            return pages::error_page(
                "This sign-in has expired or does not exist. Start again from the app.",
            );
        };
        let client_id = transaction.client_id.clone();
        let user = self
            .config
            .users
            .iter()
            .find(|user| user.username == field("username") && user.password == field("password"))
            .map(|user| user.subject.clone());
        match user {
            None => pages::login_page(
                field("transaction"),
                client_id.as_str(),
                Some("Wrong username or password."),
            ),
            Some(subject) => {
                let id = field("transaction").to_owned();
                let scope = transaction.scope.clone();
                let session = match random_token(rng, 16) {
                    Ok(session) => session,
                    Err(error) => return pages::error_page(&error.description),
                };
                if let Some(transaction) = self.transactions.get_mut(&id) {
                    transaction.user = Some(subject);
                    transaction.auth_time = Some(now);
                    transaction.session = Some(session.clone());
                }
                // HttpOnly: no script can read it; SameSite=Lax: no other
                // site can send it with a forged POST.
                pages::consent_page(&id, client_id.as_str(), &scope).with_header(
                    "Set-Cookie",
                    format!("{SESSION_COOKIE}={session}; Path=/; Secure; HttpOnly; SameSite=Lax"),
                )
            }
        }
    }

    /// The user approves (possibly fewer scopes) or denies.
    pub(super) fn consent(
        &mut self,
        request: &Request,
        now: UnixTime,
        rng: &mut dyn Rng,
    ) -> Response {
        let pairs = decode_form(&request.body).unwrap_or_default();
        let field = |name: &str| {
            pairs
                .iter()
                .find(|(n, _)| n == name)
                .map(|(_, v)| v.as_str())
                .unwrap_or_default()
        };
        let id = field("transaction").to_owned();
        let Some(transaction) = self.live_transaction(&id, now).cloned() else {
            return pages::error_page(
                "This sign-in has expired or does not exist. Start again from the app.",
            );
        };
        let Some(subject) = transaction.user.clone() else {
            return pages::error_page("Sign in before giving consent.");
        };
        // The consent form must come from the browser that signed in: a
        // transaction id alone could be replayed from elsewhere.
        if session_cookie(request) != transaction.session {
            return pages::error_page(
                "This consent does not come from the browser that signed in. Sign in again.",
            );
        }
        // Each approval ends the transaction: it cannot be replayed.
        self.transactions.remove(&id);
        // The user may grant fewer scopes than asked (RFC 6749 section
        // 3.3): the scopes are the boxes left ticked, and a box that was
        // not offered grants nothing.
        let granted: Vec<&str> = pairs
            .iter()
            .filter(|(n, v)| n == "scope" && transaction.scope.contains(v))
            .map(|(_, v)| v.as_str())
            .collect();
        let scope = Scope::parse(&granted.join(" ")).unwrap_or_default();
        // Approving with every box unticked grants nothing, so it is no
        // approval: the user denied access (RFC 6749 section 4.1.2.1,
        // access_denied). Only a request for no scope at all can be
        // approved with none.
        let nothing_granted = scope.is_empty() && !transaction.scope.is_empty();
        let approved = field("decision") == "approve" && !nothing_granted;
        let auth_time = transaction.auth_time.unwrap_or(now);
        let request = match transaction.completion {
            Completion::Device { device_code } => {
                return self.finish_device_authorization(
                    &device_code,
                    approved,
                    subject,
                    scope,
                    auth_time,
                );
            }
            Completion::Redirect(request) => request,
        };
        if !approved {
            let description = if nothing_granted && field("decision") == "approve" {
                "the user approved without granting any scope, which grants nothing"
            } else {
                "the user denied the request"
            };
            let error = OAuthError::new(ErrorCode::AccessDenied, description);
            let in_fragment = request.response_type == GrantType::Implicit;
            return self.error_redirect(
                &request.redirect_uri,
                request.state.as_ref(),
                &error,
                in_fragment,
            );
        }
        self.respond(&request, subject, scope, auth_time, now, rng)
    }

    /// The redirect back with what the user approved: a code, or with the
    /// implicit grant the access token itself.
    pub(crate) fn respond(
        &mut self,
        request: &AuthorizationRequest,
        subject: Subject,
        scope: Scope,
        auth_time: UnixTime,
        now: UnixTime,
        rng: &mut dyn Rng,
    ) -> Response {
        match request.response_type {
            GrantType::Implicit => self.implicit_response(request, subject, scope, now, rng),
            _ => self.code_response(request, subject, scope, auth_time, now, rng),
        }
    }

    fn live_transaction(&self, id: &str, now: UnixTime) -> Option<&Transaction> {
        self.transactions
            .get(id)
            .filter(|transaction| now < transaction.expires_at)
    }

    /// RFC 6749 section 4.1.2: redirect with the code and state, and `iss`
    /// (RFC 9207 section 2).
    fn code_response(
        &mut self,
        request: &AuthorizationRequest,
        subject: Subject,
        scope: Scope,
        auth_time: UnixTime,
        now: UnixTime,
        rng: &mut dyn Rng,
    ) -> Response {
        let code = match random_token(rng, 32) {
            Ok(code) => code,
            Err(error) => {
                return self.error_redirect(
                    &request.redirect_uri,
                    request.state.as_ref(),
                    &error,
                    false,
                );
            }
        };
        self.codes.insert(
            code.clone(),
            CodeGrant {
                client_id: request.client_id.clone(),
                redirect_uri: request.redirect_uri.clone(),
                redirect_uri_was_sent: request.redirect_uri_was_sent,
                subject,
                scope,
                challenge: request.challenge.clone(),
                expires_at: now.plus(self.config.policy.code_lifetime),
                used: false,
                family: None,
                nonce: request.nonce.clone(),
                auth_time,
                resource: request.resource.clone(),
            },
        );
        let mut pairs = vec![("code", code)];
        self.add_state_and_issuer(&mut pairs, request.state.as_ref());
        self.redirect_to(&request.redirect_uri, &pairs, false)
    }

    /// RFC 6749 section 4.2.2: the access token itself, in the fragment.
    fn implicit_response(
        &mut self,
        request: &AuthorizationRequest,
        subject: Subject,
        scope: Scope,
        now: UnixTime,
        rng: &mut dyn Rng,
    ) -> Response {
        let issued_for = AccessTokenFor {
            client_id: &request.client_id,
            subject: &subject,
            scope: &scope,
            jkt: None,
            resource: request.resource.as_deref(),
        };
        let issued = self.issue_access_token(issued_for, now, rng);
        let (token, _jti) = match issued {
            Ok(issued) => issued,
            Err(error) => {
                return self.error_redirect(
                    &request.redirect_uri,
                    request.state.as_ref(),
                    &error,
                    true,
                );
            }
        };
        let mut pairs = vec![
            ("access_token", token),
            ("token_type", "Bearer".to_owned()),
            (
                "expires_in",
                self.config.policy.access_token_lifetime.to_string(),
            ),
            ("scope", scope.to_string()),
        ];
        self.add_state_and_issuer(&mut pairs, request.state.as_ref());
        self.redirect_to(&request.redirect_uri, &pairs, true)
    }

    /// RFC 6749 section 4.1.2.1 (in the query) and 4.2.2.1 (in the
    /// fragment): the error, state, and iss (RFC 9207).
    pub(crate) fn error_redirect(
        &self,
        redirect_uri: &RedirectUri,
        state: Option<&State>,
        error: &OAuthError,
        in_fragment: bool,
    ) -> Response {
        let mut pairs = error.to_pairs();
        self.add_state_and_issuer(&mut pairs, state);
        self.redirect_to(redirect_uri, &pairs, in_fragment)
    }

    fn add_state_and_issuer(&self, pairs: &mut Vec<(&'static str, String)>, state: Option<&State>) {
        if let Some(state) = state {
            pairs.push(("state", state.as_str().to_owned()));
        }
        if self.config.policy.issuer_in_response {
            pairs.push(("iss", self.issuer_id()));
        }
    }

    fn redirect_to(
        &self,
        redirect_uri: &RedirectUri,
        pairs: &[(&str, String)],
        in_fragment: bool,
    ) -> Response {
        let borrowed: Vec<(&str, &str)> = pairs.iter().map(|(n, v)| (*n, v.as_str())).collect();
        // The URI was validated against the registration before any redirect.
        let Ok(base) = Url::parse(redirect_uri.as_str()) else {
            return pages::error_page("The redirect_uri is not a valid URL.");
        };
        let location = if in_fragment {
            base.with_fragment(&borrowed)
        } else {
            base.with_query(&borrowed)
        };
        Response::redirect(&location)
    }
}

/// The name of the server's login session cookie.
pub const SESSION_COOKIE: &str = "as_session";

/// The login session cookie a request carries.
fn session_cookie(request: &Request) -> Option<String> {
    request.cookie(SESSION_COOKIE).map(str::to_owned)
}

/// A form body by name; on repeats, the last value wins (a browser form).
fn form_of(request: &Request) -> Table<String, String> {
    let mut form = Table::default();
    for (name, value) in decode_form(&request.body).unwrap_or_default() {
        form.insert(name, value);
    }
    form
}
