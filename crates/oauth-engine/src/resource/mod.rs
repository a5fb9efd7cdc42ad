//! The simulated resource server: an API that accepts JWT access tokens
//! (RFC 9068) signed by a key in the authorization server's JWKS, as
//! bearer tokens (RFC 6750) or bound to a DPoP key (RFC 9449, `dpop.rs`).

mod dpop;
mod introspection;

pub use dpop::Dpop;
pub use introspection::{
    API_CLIENT_ID, API_CLIENT_SECRET, CACHE_SECONDS, Introspect, Introspected, Introspection,
    remember as remember_introspection, request_for as introspection_request,
};

use std::collections::BTreeMap;

use serde_json::Value;

use crate::clock::UnixTime;
use crate::dpop::SeenProofs;
use crate::error::{ErrorCode, OAuthError};
use crate::es256::Es256;
use crate::http::{Method, Request, Response};
use crate::jose::{DecodedJws, JoseError, VerifyingKey};
use crate::types::Scope;

/// One protected endpoint and the scope it requires.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Resource {
    pub method: Method,
    pub path: String,
    pub required_scope: String,
    /// What the API answers once the token checks out, for a subject not
    /// in `by_subject`.
    pub body: Value,
    /// What the API answers for each subject (the token's `sub`): the
    /// resource belongs to whoever the token speaks for, so a token for
    /// Mallory gets Mallory's profile, and a client's own token (client
    /// credentials, RFC 6749 section 4.4) gets the client's data.
    pub by_subject: BTreeMap<String, Value>,
}

/// The keys of a JWKS (RFC 7517 section 5), by `kid`.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct KeySet(Vec<(Option<String>, VerifyingKey)>);

impl KeySet {
    /// Reads the RSA keys of a JWKS document; other key types are skipped
    /// (RFC 7517 section 5: "implementations SHOULD ignore JWKs within a
    /// JWK Set that use kty values that are not understood").
    pub fn from_jwks(jwks: &Value) -> Result<Self, JoseError> {
        let keys = jwks["keys"]
            .as_array()
            .ok_or_else(|| JoseError::InvalidKey("a JWKS needs a \"keys\" array".into()))?;
        let mut set = Vec::new();
        for jwk in keys.iter().filter(|jwk| jwk["kty"] == "RSA") {
            let kid = jwk["kid"].as_str().map(str::to_owned);
            set.push((kid, VerifyingKey::rsa_from_jwk(jwk)?));
        }
        Ok(Self(set))
    }

    /// Verifies a JWT with the key its header's `kid` names.
    pub fn verify(&self, token: &str) -> Result<DecodedJws, String> {
        let header = peek_header(token).ok_or("the token is not a JWT")?;
        let key = self
            .key_for(header["kid"].as_str())
            .ok_or("no key in the JWKS matches the token's kid")?;
        key.verify(token)
            .map_err(|error| format!("the token is rejected: {error}"))
    }

    /// The key for a token header's `kid`; without a kid, the only key.
    fn key_for(&self, kid: Option<&str>) -> Option<&VerifyingKey> {
        match kid {
            Some(kid) => self
                .0
                .iter()
                .find(|(k, _)| k.as_deref() == Some(kid))
                .map(|(_, key)| key),
            None => match self.0.as_slice() {
                [(_, only)] => Some(only),
                _ => None,
            },
        }
    }
}

#[derive(Debug, Clone, Default)]
pub struct ResourceServer {
    /// What tokens must carry in `iss`.
    pub issuer: String,
    /// This server's identifier: tokens must carry it in `aud`.
    pub audience: String,
    pub keys: KeySet,
    pub resources: Vec<Resource>,
    /// DPoP proofs accepted so far, to refuse a replay (RFC 9449 section
    /// 11.1).
    pub seen_proofs: SeenProofs,
    /// A deliberately flawed API, for the attack lab: it takes a DPoP
    /// proof without checking that its `jti` is new (RFC 9449 section
    /// 11.1) and that its `htu` is this request's URL (section 4.3, check
    /// 9). False, the default: it checks both, as it must.
    pub skips_proof_jti_and_htu: bool,
    /// A deliberately flawed API, for the agent's attacks: it takes any
    /// token its issuer signed, whatever the token's `aud` (RFC 9068
    /// section 4 requires the check). False, the default: it checks.
    pub skips_audience_check: bool,
    /// DPoP-bound tokens (RFC 9449), once given ([`Dpop`]); `None`: the
    /// API takes bearer tokens only. Given like the server's extensions,
    /// so a build that never gives it leaves the proof checks out; with
    /// the ES256 functions that check the proofs' signatures.
    pub dpop: Option<(&'static dyn ProofOfPossession, Es256)>,
    /// Opaque access tokens (RFC 7662), once given ([`Introspect`]);
    /// `None`: the API takes JWTs only.
    pub introspection: Option<&'static dyn Introspection>,
    /// The introspection answers the API keeps (RFC 7662 section 4).
    pub introspected: Vec<Introspected>,
}

/// How the API checks that whoever presents a token holds the key it is
/// bound to.
pub trait ProofOfPossession: Sync + std::fmt::Debug {
    /// For a token presented with the DPoP scheme, the request's proof and
    /// the token's `cnf.jkt`; for a bearer token, that it is not bound.
    /// Accepted proofs go into `seen`; the refusal is the response to send.
    /// `presented` is the token and the scheme it came with. `seen` is
    /// `None` for a deliberately lax API
    /// ([`ResourceServer::skips_proof_jti_and_htu`]): it keeps no record of
    /// the proofs it accepted and takes one made for any URL.
    fn check(
        &self,
        es256: Es256,
        seen: Option<&mut SeenProofs>,
        request: &Request,
        presented: (Scheme, &str),
        claims: &serde_json::Map<String, Value>,
        now: UnixTime,
    ) -> Result<(), Response>;

    /// The challenge offered beside Bearer's when a request has no token.
    fn offer(&self) -> String;

    /// The 401 that refuses a token presented with this scheme.
    fn challenge(&self, error: &OAuthError) -> Response;
}

impl ResourceServer {
    /// Answers one request. `is_revoked` asks the authorization server
    /// whether a token's `jti` was revoked (as introspection would, RFC
    /// 7662), so revocation takes effect before the token expires.
    pub fn handle(
        &mut self,
        request: &Request,
        now: UnixTime,
        is_revoked: impl Fn(&str) -> bool,
    ) -> Response {
        let Some(resource) = self
            .resources
            .iter()
            .find(|r| r.method == request.method && r.path == request.url.path)
        else {
            return Response::new(404).with_body("Not Found");
        };
        let (scheme, token) = match access_token(request, self.dpop.is_some()) {
            Ok(Some(credentials)) => credentials,
            // RFC 6750 section 3.1: no credentials, so no error code. Both
            // schemes are offered, DPoP with its algorithms (RFC 9449
            // section 7.1).
            Ok(None) => {
                let response =
                    Response::new(401).with_header("WWW-Authenticate", "Bearer realm=\"api\"");
                return match self.dpop {
                    Some((dpop, _)) => response.with_header("WWW-Authenticate", dpop.offer()),
                    None => response,
                };
            }
            Err(error) => return challenge(400, &error, None),
        };
        let claims = match self.validate(token, now, &is_revoked) {
            Ok(claims) => claims,
            Err(error) => {
                return match self.dpop {
                    // A token presented with DPoP is refused with DPoP's
                    // challenge (RFC 9449 section 7.1).
                    Some((dpop, _)) if scheme == Scheme::Dpop => dpop.challenge(&error),
                    _ => challenge(401, &error, None),
                };
            }
        };
        // RFC 9449 section 7: the proof, and the token's binding to its key.
        // (Without DPoP here, no token is bound: the server binds them only
        // with its extensions, which come with the API's.)
        if let Some((dpop, es256)) = self.dpop
            && let Err(refusal) = dpop.check(
                es256,
                (!self.skips_proof_jti_and_htu).then_some(&mut self.seen_proofs),
                request,
                (scheme, token),
                &claims,
                now,
            )
        {
            return refusal;
        }
        let granted =
            Scope::parse(claims["scope"].as_str().unwrap_or_default()).unwrap_or_default();
        if !granted.contains(&resource.required_scope) {
            let error = OAuthError::new(
                ErrorCode::InsufficientScope,
                format!("this request needs the scope {}", resource.required_scope),
            );
            return challenge(403, &error, Some(&resource.required_scope));
        }
        let subject = claims["sub"].as_str().unwrap_or_default();
        let mut body = resource
            .by_subject
            .get(subject)
            .unwrap_or(&resource.body)
            .clone();
        if let Some(object) = body.as_object_mut() {
            object.insert("sub".into(), claims["sub"].clone());
        }
        Response::json(200, &body)
    }

    /// RFC 9068 section 4: the checks a resource server makes.
    pub(crate) fn validate(
        &self,
        token: &str,
        now: UnixTime,
        is_revoked: &impl Fn(&str) -> bool,
    ) -> Result<serde_json::Map<String, Value>, OAuthError> {
        let invalid = |description: String| OAuthError::new(ErrorCode::InvalidToken, description);
        if let Some(introspection) = self.introspection
            && !token.contains('.')
        {
            return introspection.claims(self, token, now);
        }
        let decoded = self.keys.verify(token).map_err(invalid)?;
        // RFC 9068 section 4: typ must be at+jwt (or application/at+jwt,
        // in any case), so an ID token or other JWT from the same issuer
        // cannot be used as an access token.
        if !decoded.typ_is("at+jwt") {
            return Err(invalid("the token's typ is not at+jwt".into()));
        }
        let claims = decoded
            .claims()
            .ok_or_else(|| invalid("the token's payload is not a JSON object".into()))?;
        if claims.get("iss").and_then(Value::as_str) != Some(self.issuer.as_str()) {
            return Err(invalid("the token comes from another issuer".into()));
        }
        if !self.skips_audience_check && !has_audience(&claims, &self.audience) {
            return Err(invalid("the token is meant for another audience".into()));
        }
        let exp = claims.get("exp").and_then(Value::as_u64).unwrap_or(0);
        if now.0 >= exp {
            return Err(invalid("the token has expired".into()));
        }
        if claims
            .get("jti")
            .and_then(Value::as_str)
            .is_some_and(is_revoked)
        {
            return Err(invalid("the token has been revoked".into()));
        }
        Ok(claims)
    }
}

/// Whether a JWT's `aud` names `audience`: `aud` is one string or an
/// array of them (RFC 7519 section 4.1.3), and a recipient that does not
/// find itself there must reject the token.
pub(crate) fn has_audience(claims: &serde_json::Map<String, Value>, audience: &str) -> bool {
    match claims.get("aud") {
        Some(Value::String(aud)) => aud == audience,
        Some(Value::Array(auds)) => auds.iter().any(|aud| aud == audience),
        _ => false,
    }
}

/// How an access token is presented in the `Authorization` header.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Scheme {
    /// RFC 6750 section 2.1.
    Bearer,
    /// RFC 9449 section 7.1: with a DPoP proof beside it.
    Dpop,
}

/// The token from `Authorization: Bearer`, or `Authorization: DPoP` when
/// the API takes DPoP, and which of the two.
pub(crate) fn access_token(
    request: &Request,
    takes_dpop: bool,
) -> Result<Option<(Scheme, &str)>, OAuthError> {
    if takes_dpop
        && let Some((scheme, token)) = request.authorization()
        && scheme.eq_ignore_ascii_case(crate::dpop::TOKEN_TYPE)
    {
        // The same token68 syntax as Bearer (RFC 9449 section 7.1).
        if token.is_empty() || token.contains(' ') {
            return Err(OAuthError::new(
                ErrorCode::InvalidRequest,
                "the DPoP token is missing or malformed",
            ));
        }
        return Ok(Some((Scheme::Dpop, token)));
    }
    Ok(bearer_token(request)?.map(|token| (Scheme::Bearer, token)))
}

/// The token from `Authorization: Bearer` (RFC 6750 section 2.1).
pub(crate) fn bearer_token(request: &Request) -> Result<Option<&str>, OAuthError> {
    let invalid = |description: &str| OAuthError::new(ErrorCode::InvalidRequest, description);
    // RFC 6750 section 2.3 is unsafe (tokens in URLs leak) and RFC 9700
    // section 4.3.2 says not to use it.
    let in_query = request
        .url
        .query_pairs()
        .is_ok_and(|pairs| pairs.iter().any(|(name, _)| name == "access_token"));
    if in_query {
        return Err(invalid(
            "access tokens in the URL are not accepted: send Authorization: Bearer",
        ));
    }
    let Some((scheme, token)) = request.authorization() else {
        return Ok(None);
    };
    if !scheme.eq_ignore_ascii_case("Bearer") {
        return Err(invalid("the Authorization header is not a Bearer token"));
    }
    // b64token syntax (RFC 6750 section 2.1): no spaces inside.
    if token.is_empty() || token.contains(' ') {
        return Err(invalid("the Bearer token is missing or malformed"));
    }
    Ok(Some(token))
}

/// A JWT's header, read without verifying, to pick the key by `kid`.
fn peek_header(token: &str) -> Option<serde_json::Map<String, Value>> {
    let header = token.split('.').next()?;
    serde_json::from_slice(&crate::jose::b64_decode(header).ok()?).ok()
}

/// An error with its `WWW-Authenticate: Bearer` challenge (RFC 6750
/// section 3), and the same fields as JSON.
pub(crate) fn challenge(status: u16, error: &OAuthError, scope: Option<&str>) -> Response {
    let mut value = format!(
        "Bearer realm=\"api\", error=\"{}\", error_description=\"{}\"",
        error.code, error.description
    );
    if let Some(scope) = scope {
        value.push_str(&format!(", scope=\"{scope}\""));
    }
    Response::json(status, &error.to_json()).with_header("WWW-Authenticate", value)
}
