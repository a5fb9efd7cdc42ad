//! Single sign-on in front of the authorization server: it remembers who
//! signed in from which browser, and answers a later authorization request
//! with `prompt=none` without a page (OpenID Connect Core 1.0 section
//! 3.1.2.1). That is how an app signs in again in a hidden frame, and how a
//! script injected into it gets tokens of its own
//! (draft-ietf-oauth-browser-based-apps-26 section 5.1.3).
//!
//! It stands in front of the server rather than inside it: a run puts it
//! on its network (`Network::sso`), and the runs that never do (every
//! screen's but the token storage comparison's) leave its code out of
//! their download. A server without it ignores `prompt` (RFC 6749 section
//! 3.1: unknown parameters are ignored).

use std::fmt;

use super::authorize::SESSION_COOKIE;
use super::{AuthorizationServer, GrantType};
use crate::clock::UnixTime;
use crate::error::{ErrorCode, OAuthError};
use crate::http::{Method, Request, Response, Url};
use crate::rng::Rng;
use crate::table::Table;
use crate::types::{ClientId, Scope, Subject};

/// What stands in front of the authorization server, as the network
/// holds it.
pub trait Front: fmt::Debug {
    /// The answer to `request`, from `server` or from the front itself.
    fn handle(
        &mut self,
        server: &mut AuthorizationServer,
        request: &Request,
        now: UnixTime,
        rng: &mut dyn Rng,
    ) -> Response;
}

/// A browser's sign-in: who, when, and what the user granted the client.
#[derive(Debug)]
struct Login {
    subject: Subject,
    auth_time: UnixTime,
    client_id: ClientId,
    scope: Scope,
}

/// Every sign-in, by the server's login session cookie, for as long as the
/// run lasts. Each sign-in sets a new cookie, so each holds one approval.
#[derive(Debug, Default)]
pub struct SingleSignOn(Table<String, Login>);

impl Front for SingleSignOn {
    fn handle(
        &mut self,
        server: &mut AuthorizationServer,
        request: &Request,
        now: UnixTime,
        rng: &mut dyn Rng,
    ) -> Response {
        let path = &request.url.path;
        let authorize = *path == server.endpoint("/authorize").path;
        let consent = *path == server.endpoint("/consent").path;
        if request.method == Method::Get
            && authorize
            && let Some(answer) = self.without_pages(server, request, now, rng)
        {
            return answer;
        }
        let consent = consent && request.method == Method::Post;
        let response = server.handle(request, now, rng);
        if consent {
            self.remember(server, request, &response);
        }
        response
    }
}

impl SingleSignOn {
    /// An approved consent redirects with a code: the browser that sent
    /// it, by its session cookie, is signed in, with what the code grants.
    fn remember(&mut self, server: &AuthorizationServer, request: &Request, response: &Response) {
        let code = response
            .headers
            .get("Location")
            .and_then(|location| Url::parse(location).ok())
            .and_then(|location| location.query_pairs().ok())
            .and_then(|pairs| pairs.into_iter().find(|(name, _)| name == "code"));
        let (Some((_, code)), Some(session)) = (code, request.cookie(SESSION_COOKIE)) else {
            return;
        };
        if let Some((subject, client_id, scope, auth_time)) = server.code_issued_for(&code) {
            let login = Login {
                subject,
                auth_time,
                client_id,
                scope,
            };
            self.0.insert(session.to_owned(), login);
        }
    }

    /// With `prompt=none` no page may be shown (section 3.1.2.1): the
    /// browser's sign-in and the user's earlier consent answer for the
    /// user, or the client gets `login_required` or `consent_required`
    /// (section 3.1.2.6), where errors go (RFC 6749 section 4.1.2.1).
    /// `None` for any other request, and for one the server refuses
    /// anyway, which it answers itself.
    fn without_pages(
        &self,
        server: &mut AuthorizationServer,
        request: &Request,
        now: UnixTime,
        rng: &mut dyn Rng,
    ) -> Option<Response> {
        let pairs = request.url.query_pairs().ok()?;
        if !pairs
            .iter()
            .any(|(name, value)| name == "prompt" && value == "none")
        {
            return None;
        }
        let validated = server.front_channel_request(pairs, now).ok()?;
        let login = request
            .cookie(SESSION_COOKIE)
            .and_then(|session| self.0.get(session));
        let error = match login {
            Some(login)
                if login.client_id == validated.client_id
                    && validated.scope.is_subset_of(&login.scope) =>
            {
                let (subject, scope) = (login.subject.clone(), validated.scope.clone());
                return Some(server.respond(&validated, subject, scope, login.auth_time, now, rng));
            }
            Some(_) => OAuthError::new(
                ErrorCode::ConsentRequired,
                "prompt=none, and the user has not granted this client these scopes",
            ),
            None => OAuthError::new(
                ErrorCode::LoginRequired,
                "prompt=none, and this browser has not signed in here",
            ),
        };
        let in_fragment = validated.response_type == GrantType::Implicit;
        Some(server.error_redirect(
            &validated.redirect_uri,
            validated.state.as_ref(),
            &error,
            in_fragment,
        ))
    }
}
