//! Introspection at the API (RFC 7662): an opaque access token says
//! nothing to the API, so the API asks the authorization server what it
//! stands for, authenticated as a client of its own, and caches the answer
//! for a short while (section 4).

use serde_json::{Map, Value};

use super::{ResourceServer, access_token, has_audience};
use crate::clock::UnixTime;
use crate::error::{ErrorCode, OAuthError};
use crate::http::{Request, Response, Url};

/// The API's own credentials at the authorization server: introspection
/// answers authenticated callers only (RFC 7662 section 2.1).
pub const API_CLIENT_ID: &str = "api";
pub const API_CLIENT_SECRET: &str = "api-introspection-secret";
/// How long the API trusts an answer, in seconds. RFC 7662 section 4 lets
/// a resource server cache answers, never beyond the token's `exp`, and
/// warns that revocation then reaches it only when the cache runs out.
pub const CACHE_SECONDS: u64 = 60;

/// An answer the API keeps: the claims of an active token, or `None` for
/// an inactive one, and when it was given.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Introspected {
    token: String,
    claims: Option<Map<String, Value>>,
    at: UnixTime,
}

/// How the API learns what an opaque token stands for: from the answers
/// it keeps, which `sim/deployed/` fills ([`request_for`], [`remember`])
/// before the API answers.
pub trait Introspection: Sync + std::fmt::Debug {
    /// The claims of opaque `token`, from a fresh cached answer, or the
    /// error that refuses it.
    fn claims(
        &self,
        api: &ResourceServer,
        token: &str,
        now: UnixTime,
    ) -> Result<Map<String, Value>, OAuthError>;
}

/// RFC 7662 as this API uses it.
#[derive(Debug, Clone, Copy)]
pub struct Introspect;

/// Whether `token` is opaque: not a JWT's three dot-separated parts.
fn is_opaque(token: &str) -> bool {
    !token.contains('.')
}

/// The cached answer about `token`, if it is still fresh: younger than
/// [`CACHE_SECONDS`] and the token not expired (RFC 7662 section 4).
fn fresh<'a>(api: &'a ResourceServer, token: &str, now: UnixTime) -> Option<&'a Introspected> {
    api.introspected.iter().find(|answer| {
        let expired = answer
            .claims
            .as_ref()
            .and_then(|claims| claims.get("exp"))
            .and_then(Value::as_u64)
            .is_some_and(|exp| now.0 >= exp);
        answer.token == token && now.0 < answer.at.0 + CACHE_SECONDS && !expired
    })
}

/// The introspection request the API must send before it can answer
/// `request`: its token is opaque and has no fresh answer cached.
pub fn request_for(
    api: &ResourceServer,
    request: &Request,
    now: UnixTime,
) -> Option<(String, Request)> {
    let (_, token) = access_token(request, api.dpop.is_some()).ok()??;
    if !is_opaque(token) || fresh(api, token, now).is_some() {
        return None;
    }
    // Section 2.1: the token, and the caller's authentication.
    let endpoint = Url::parse(&format!("{}/introspect", api.issuer)).ok()?;
    let form = [
        ("token", token),
        ("client_id", API_CLIENT_ID),
        ("client_secret", API_CLIENT_SECRET),
    ];
    Some((token.to_owned(), Request::post_form(endpoint, &form)))
}

/// Keeps the server's answer about `token`.
pub fn remember(api: &mut ResourceServer, token: String, answer: &Response, now: UnixTime) {
    // Section 2.2: anything but a 200 with `"active": true` is an
    // inactive token.
    let claims = answer
        .json_body()
        .filter(|_| answer.status == 200)
        .and_then(|body| body.as_object().cloned())
        .filter(|claims| claims.get("active") == Some(&Value::Bool(true)));
    api.introspected.retain(|answer| answer.token != token);
    api.introspected.push(Introspected {
        token,
        claims,
        at: now,
    });
}

impl Introspection for Introspect {
    fn claims(
        &self,
        api: &ResourceServer,
        token: &str,
        now: UnixTime,
    ) -> Result<Map<String, Value>, OAuthError> {
        let invalid = |description: &str| OAuthError::new(ErrorCode::InvalidToken, description);
        let answer = fresh(api, token, now)
            .ok_or_else(|| invalid("the authorization server gave no answer about this token"))?;
        let claims = answer.claims.clone().ok_or_else(|| {
            invalid("the authorization server says the token is not active (RFC 7662 section 2.2)")
        })?;
        // An active token may still be meant for another API.
        if !has_audience(&claims, &api.audience) {
            return Err(invalid("the token is meant for another audience"));
        }
        Ok(claims)
    }
}
