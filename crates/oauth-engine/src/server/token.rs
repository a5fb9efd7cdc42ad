//! The token endpoint (RFC 6749 section 3.2) and the grants it serves.

use serde_json::{Map, Value, json};

use super::{
    AuthorizationServer, ClientRegistration, GrantType, Params, RefreshGrant, form_params, param,
    random_token, requested_scope, required_param,
};
use crate::clock::UnixTime;
use crate::error::{ErrorCode, OAuthError};
use crate::http::{Request, Response};
use crate::pkce::CodeVerifier;
use crate::rng::Rng;
use crate::types::{ClientId, Scope, Subject};

impl AuthorizationServer {
    pub(super) fn token(
        &mut self,
        request: &Request,
        now: UnixTime,
        rng: &mut dyn Rng,
    ) -> Response {
        let params = match form_params(request) {
            Ok(params) => params,
            Err(error) => return error_response(&error, false),
        };
        // RFC 6749 section 5.2 has no code for this: an HTTP 503 carries it.
        if self.config.policy.unavailable {
            let error = OAuthError::new(
                ErrorCode::TemporarilyUnavailable,
                "the server is overloaded: try again later",
            );
            return error_response(&error, false).with_header("Retry-After", "30");
        }
        let client = match self.authenticate_client(request, &params, now) {
            Ok(client) => client,
            Err(failure) => return error_response(&failure.error, failure.used_basic),
        };
        // RFC 9449 section 5: the key a DPoP proof shows, to bind to.
        let jkt = match self
            .extensions()
            .map(|ext| ext.dpop_key_of(self, request, now, rng))
        {
            Some(Ok(jkt)) => jkt,
            Some(Err(refusal)) => return refusal,
            // Without the extensions there is no DPoP, and require_dpop has
            // nothing to require.
            None => None,
        };
        let jkt = jkt.as_deref();
        let result = match param(&params, "grant_type") {
            None => Err(OAuthError::new(
                ErrorCode::InvalidRequest,
                "grant_type is missing (RFC 6749 section 4.1.3)",
            )),
            Some("authorization_code") => self.code_grant(&client, &params, jkt, now, rng),
            Some("refresh_token") => self.refresh_grant(&client, &params, jkt, now, rng),
            Some("client_credentials") => {
                self.client_credentials_grant(&client, &params, jkt, now, rng)
            }
            Some(super::DEVICE_CODE_GRANT) => {
                self.device_code_grant(&client, &params, jkt, now, rng)
            }
            Some(other) => self
                .ask_offer(|offer, server| {
                    offer.grant(server, other, &client, &params, jkt, now, rng)
                })
                .unwrap_or_else(|| {
                    Err(OAuthError::new(
                        ErrorCode::UnsupportedGrantType,
                        format!("grant_type \"{other}\" is not supported by this server"),
                    ))
                }),
        };
        match result {
            // RFC 6749 section 5.1: no caching of token responses.
            Ok(body) => Response::json(200, &body).with_header("Pragma", "no-cache"),
            Err(error) => error_response(&error, false),
        }
    }

    /// RFC 6749 section 4.1.3, with RFC 7636 section 4.6.
    fn code_grant(
        &mut self,
        client: &ClientRegistration,
        params: &Params,
        jkt: Option<&str>,
        now: UnixTime,
        rng: &mut dyn Rng,
    ) -> Result<Value, OAuthError> {
        require_grant(client, GrantType::AuthorizationCode)?;
        let invalid = |description: &str| OAuthError::new(ErrorCode::InvalidGrant, description);
        let code = required_param(params, "code", "RFC 6749 section 4.1.3")?;
        let Some(grant) = self.codes.get(code).cloned() else {
            return Err(invalid(
                "the authorization code is not one this server issued",
            ));
        };
        if grant.used && self.config.policy.single_use_codes {
            // "If an authorization code is used more than once, the
            // authorization server MUST deny the request and SHOULD revoke
            // all tokens previously issued based on that authorization
            // code" (RFC 6749 section 4.1.2).
            let revoke = self.config.policy.revoke_on_code_reuse;
            if revoke && let Some(family) = grant.family {
                self.revoke_family(family);
            }
            // Only claim the revocation when it happened.
            return Err(invalid(if revoke {
                "the authorization code was already used; tokens issued from it are revoked"
            } else {
                "the authorization code was already used"
            }));
        }
        if grant.client_id != client.client_id {
            return Err(invalid(
                "the authorization code was issued to another client",
            ));
        }
        if now >= grant.expires_at {
            return Err(invalid("the authorization code has expired"));
        }
        // RFC 6749 section 4.1.3: redirect_uri must be sent, and identical,
        // if the authorization request carried it.
        match param(params, "redirect_uri") {
            Some(uri) if uri != grant.redirect_uri.as_str() => {
                return Err(invalid(
                    "redirect_uri differs from the authorization request's",
                ));
            }
            None if grant.redirect_uri_was_sent => {
                return Err(OAuthError::new(
                    ErrorCode::InvalidRequest,
                    "redirect_uri is required because the authorization request had it",
                ));
            }
            _ => {}
        }
        let verifier = param(params, "code_verifier");
        match (&grant.challenge, verifier) {
            (Some((challenge, method)), Some(verifier)) => {
                let verifier = CodeVerifier::parse(verifier).map_err(|error| {
                    OAuthError::new(ErrorCode::InvalidRequest, error.to_string())
                })?;
                if !challenge.is_satisfied_by(&verifier, *method) {
                    return Err(invalid(
                        "code_verifier does not match the code_challenge (RFC 7636 section 4.6)",
                    ));
                }
            }
            (Some(_), None) => {
                return Err(invalid(
                    "code_verifier is missing but the authorization request had a code_challenge \
                     (RFC 7636 section 4.6)",
                ));
            }
            // RFC 9700 section 2.1.1: a verifier without a challenge is
            // refused, or an attacker could inject a code without PKCE.
            (None, Some(_)) => {
                return Err(invalid(
                    "code_verifier was sent but the authorization request had no code_challenge \
                     (RFC 9700 section 2.1.1)",
                ));
            }
            (None, None) => {}
        }
        let resource = self.same_resource(params, grant.resource.as_deref())?;

        let family = self.new_family();
        if let Some(stored) = self.codes.get_mut(code) {
            stored.used = true;
            stored.family = Some(family);
        }
        let issue = Issue {
            client,
            subject: &grant.subject,
            scope: &grant.scope,
            family: Some(family),
            refresh: client.allows(GrantType::RefreshToken),
            auth_time: Some(grant.auth_time),
            nonce: grant.nonce.as_deref(),
            jkt,
            refresh_expires_at: None,
            resource: resource.as_deref(),
        };
        self.token_response(issue, now, rng)
    }

    /// RFC 8707 section 2.2: a token request for a grant names no
    /// `resource` but the one the grant was authorized for (the server's
    /// API when the authorization named none), and the token is for that
    /// resource.
    fn same_resource(
        &self,
        params: &Params,
        granted: Option<&str>,
    ) -> Result<Option<String>, OAuthError> {
        let authorized = granted.unwrap_or(&self.config.audience);
        match self.requested_resource(params)? {
            Some(asked) if asked != authorized => Err(OAuthError::new(
                ErrorCode::InvalidTarget,
                format!(
                    "{asked} is not the resource this grant was authorized for (RFC 8707 section \
                     2.2)"
                ),
            )),
            _ => Ok(granted.map(str::to_owned)),
        }
    }

    /// RFC 6749 section 6, with rotation and reuse detection (RFC 9700
    /// section 4.14.2).
    fn refresh_grant(
        &mut self,
        client: &ClientRegistration,
        params: &Params,
        jkt: Option<&str>,
        now: UnixTime,
        rng: &mut dyn Rng,
    ) -> Result<Value, OAuthError> {
        require_grant(client, GrantType::RefreshToken)?;
        let invalid = |description: &str| OAuthError::new(ErrorCode::InvalidGrant, description);
        let token = required_param(params, "refresh_token", "RFC 6749 section 6")?;
        let Some(grant) = self.refresh_tokens.get(token).cloned() else {
            return Err(invalid("the refresh token is not one this server issued"));
        };
        if grant.client_id != client.client_id {
            return Err(invalid("the refresh token was issued to another client"));
        }
        if self.revoked_families.contains(&grant.family) {
            return Err(invalid("the refresh token has been revoked"));
        }
        // Either the client or an attacker holds a stolen copy; the server
        // cannot tell which, so the whole family dies. With detection off,
        // the old token keeps working: the vulnerability the lab shows.
        if grant.rotated && self.config.policy.detect_refresh_reuse {
            self.revoke_family(grant.family);
            return Err(invalid(
                "the refresh token was already used: the whole token family is revoked \
                 (RFC 9700 section 4.14.2)",
            ));
        }
        if now >= grant.expires_at {
            return Err(invalid("the refresh token has expired"));
        }
        // RFC 9449 section 5: a public client's bound refresh token needs a
        // proof signed by the key it is bound to.
        if let (Some(bound), Some(extensions)) = (&grant.jkt, self.extensions()) {
            extensions.check_refresh_binding(bound, jkt)?;
        }
        // The new scope may only narrow the original (RFC 6749 section 6).
        let scope = requested_scope(params, &grant.scope, &grant.scope, "what was granted")?;
        let resource = self.same_resource(params, grant.resource.as_deref())?;
        // Without rotation the client keeps using the same refresh token.
        let rotate = self.config.policy.rotate_refresh_tokens;
        if rotate && let Some(old) = self.refresh_tokens.get_mut(token) {
            old.rotated = true;
        }
        // OpenID Connect Core section 12.2: the new ID token keeps the
        // original sign-in's auth_time (and iss, sub, aud) with a new iat,
        // and carries no nonce: a refresh is not an authentication request.
        let issue = Issue {
            client,
            subject: &grant.subject,
            scope: &scope,
            family: Some(grant.family),
            refresh: rotate,
            auth_time: grant.auth_time,
            nonce: None,
            jkt,
            refresh_expires_at: Some(grant.expires_at),
            resource: resource.as_deref(),
        };
        self.token_response(issue, now, rng)
    }

    /// RFC 6749 section 4.4: confidential clients only, and no refresh
    /// token (section 4.4.3).
    fn client_credentials_grant(
        &mut self,
        client: &ClientRegistration,
        params: &Params,
        jkt: Option<&str>,
        now: UnixTime,
        rng: &mut dyn Rng,
    ) -> Result<Value, OAuthError> {
        require_grant(client, GrantType::ClientCredentials)?;
        if client.is_public() {
            return Err(OAuthError::new(
                ErrorCode::UnauthorizedClient,
                "the client credentials grant is for confidential clients (RFC 6749 section 4.4.2)",
            ));
        }
        let limit = format!("client {} may have", client.client_id);
        let scope = requested_scope(params, &client.allowed_scope, &client.allowed_scope, &limit)?;
        let resource = self.requested_resource(params)?;
        // The client acts on its own behalf: it is the subject, and no
        // user signed in, so there is no ID token.
        let subject = Subject::new(client.client_id.as_str());
        let issue = Issue {
            client,
            subject: &subject,
            scope: &scope,
            family: None,
            refresh: false,
            auth_time: None,
            nonce: None,
            jkt,
            refresh_expires_at: None,
            resource: resource.as_deref(),
        };
        self.token_response(issue, now, rng)
    }

    /// RFC 6749 section 5.1: the access token, a refresh token if
    /// `issue.refresh`, and an ID token when a user signed in with scope
    /// openid (OpenID Connect Core sections 3.1.3.3 and 12.2).
    pub(super) fn token_response(
        &mut self,
        issue: Issue<'_>,
        now: UnixTime,
        rng: &mut dyn Rng,
    ) -> Result<Value, OAuthError> {
        let Issue {
            client,
            subject,
            scope,
            family,
            refresh,
            auth_time,
            nonce,
            jkt,
            refresh_expires_at,
            resource,
        } = issue;
        let issued_for = AccessTokenFor {
            client_id: &client.client_id,
            subject,
            scope,
            jkt,
            resource,
        };
        let (access_token, jti) = self.issue_access_token(issued_for, now, rng)?;
        let mut body = json!({
            "access_token": access_token,
            // RFC 9449 section 5: a bound token is of type DPoP.
            "token_type": if jkt.is_some() { crate::dpop::TOKEN_TYPE } else { "Bearer" },
            "expires_in": self.config.policy.access_token_lifetime,
            "scope": scope.to_string(),
        });
        if let Some(family) = family
            && refresh
        {
            let refresh = random_token(rng, 32)?;
            self.refresh_tokens.insert(
                refresh.clone(),
                RefreshGrant {
                    client_id: client.client_id.clone(),
                    subject: subject.clone(),
                    scope: scope.clone(),
                    family,
                    expires_at: refresh_expires_at
                        .unwrap_or_else(|| now.plus(self.config.policy.refresh_token_lifetime)),
                    rotated: false,
                    auth_time,
                    // RFC 9449 section 5: bound for a public client only; a
                    // confidential one authenticates when it refreshes.
                    jkt: jkt.filter(|_| client.is_public()).map(str::to_owned),
                    resource: resource.map(str::to_owned),
                },
            );
            body["refresh_token"] = refresh.into();
        }
        if let Some(family) = family {
            self.family_access_tokens.entry_or_default(family).push(jti);
        }
        if let Some(auth_time) = auth_time
            && scope.contains("openid")
        {
            body["id_token"] = self
                .issue_id_token(client, subject, nonce, auth_time, &access_token, now)
                .into();
        }
        Ok(body)
    }

    /// A JWT access token in the RFC 9068 profile: `typ` at+jwt, signed by
    /// the server's key, with iss, sub, aud, client_id, scope, iat, exp, jti,
    /// and for a DPoP-bound token `cnf.jkt`, the key's thumbprint (RFC 9449
    /// section 6.1). With `opaque_access_tokens`, a random string standing
    /// for the same claims.
    /// With scope openid, `aud` names the UserInfo endpoint beside the API,
    /// so the one token serves both. The API is `resource` when the request
    /// named one (RFC 8707 section 2), else the server's audience. Returns
    /// the token and its jti.
    pub(super) fn issue_access_token(
        &mut self,
        issued_for: AccessTokenFor<'_>,
        now: UnixTime,
        rng: &mut dyn Rng,
    ) -> Result<(String, String), OAuthError> {
        let AccessTokenFor {
            client_id,
            subject,
            scope,
            jkt,
            resource,
        } = issued_for;
        let jti = random_token(rng, 16)?;
        let api = resource.unwrap_or(&self.config.audience);
        let audience = if scope.contains("openid") {
            json!([api, self.userinfo_audience()])
        } else {
            json!(api)
        };
        let mut claims = self.access_claims(client_id, subject, audience, scope, now, &jti);
        // RFC 9449 section 6.1: a bound token names its key's thumbprint.
        if let (Some(jkt), Some(extensions)) = (jkt, self.extensions()) {
            extensions.confirm_key(&mut claims, jkt);
        }
        let token = self.sign_access_token(claims, rng)?;
        Ok((token, jti))
    }

    /// The claims of RFC 9068 section 2.2 every access token carries.
    pub(super) fn access_claims(
        &self,
        client_id: &ClientId,
        subject: &Subject,
        audience: Value,
        scope: &Scope,
        now: UnixTime,
        jti: &str,
    ) -> Value {
        json!({
            "iss": self.issuer_id(),
            "sub": subject.as_str(),
            "aud": audience,
            "client_id": client_id.as_str(),
            "scope": scope.to_string(),
            "iat": now.0,
            "exp": now.plus(self.config.policy.access_token_lifetime).0,
            "jti": jti,
        })
    }

    /// The access token for `claims`: a JWT with `typ` at+jwt, or, with
    /// `opaque_access_tokens`, an opaque one.
    pub(super) fn sign_access_token(
        &mut self,
        claims: Value,
        rng: &mut dyn Rng,
    ) -> Result<String, OAuthError> {
        // RFC 7662 section 1: an opaque token carries nothing; the server
        // keeps what it stands for, for introspection.
        if self.config.policy.opaque_access_tokens
            && let Some(extensions) = self.extensions()
            && let Value::Object(claims) = claims
        {
            return extensions.opaque_access_token(self, claims, rng);
        }
        let mut header = serde_json::Map::new();
        header.insert("typ".into(), "at+jwt".into());
        Ok(self.signing_key.sign(header, claims.to_string().as_bytes()))
    }

    /// The claims of an access token this server issued: an opaque one's
    /// as the server keeps them, a JWT's once its signature, `typ` and
    /// `iss` check out. Expiry and revocation are the caller's to check.
    pub(super) fn access_token_claims(&self, token: &str) -> Result<Map<String, Value>, String> {
        if let Some(claims) = self
            .extensions()
            .and_then(|ext| ext.opaque_claims(self, token))
        {
            return Ok(claims);
        }
        let decoded = self
            .signing_key
            .verifying_key()
            .verify(token)
            .map_err(|error| format!("the token is rejected: {error}"))?;
        let claims = decoded.claims().unwrap_or_default();
        let issuer = claims.get("iss").and_then(Value::as_str);
        if !decoded.typ_is("at+jwt") || issuer != Some(self.issuer_id().as_str()) {
            return Err("this is not an access token from this server".into());
        }
        Ok(claims)
    }
}

/// Whom an access token is issued to, for what, and where it may be used
/// (RFC 9068 section 2.2).
pub(super) struct AccessTokenFor<'a> {
    pub client_id: &'a ClientId,
    pub subject: &'a Subject,
    pub scope: &'a Scope,
    /// The thumbprint of the DPoP key the token is bound to (`cnf.jkt`).
    pub jkt: Option<&'a str>,
    /// The resource the token is for (RFC 8707); `None`: the server's
    /// audience.
    pub resource: Option<&'a str>,
}

/// What a token response is issued for, and how (`token_response`).
pub(super) struct Issue<'a> {
    pub client: &'a ClientRegistration,
    pub subject: &'a Subject,
    pub scope: &'a Scope,
    /// The refresh token family the tokens belong to, so that revoking the
    /// family revokes them; `None` for client credentials.
    pub family: Option<u64>,
    /// Issue a refresh token in the family: the first, or by rotation.
    pub refresh: bool,
    /// When the user signed in: the ID token's `auth_time`, carried by the
    /// refresh token to later ID tokens. `None` when no user signed in.
    pub auth_time: Option<UnixTime>,
    /// The authorization request's nonce, echoed in the ID token (OpenID
    /// Connect Core section 3.1.2.1).
    pub nonce: Option<&'a str>,
    /// The thumbprint of the DPoP key the tokens are bound to.
    pub jkt: Option<&'a str>,
    /// When a rotated refresh token expires: when the one it replaces did,
    /// never later, so that a stolen one cannot be kept alive for ever by
    /// rotating it (draft-ietf-oauth-browser-based-apps-26 section
    /// 6.3.2.3). `None` for a family's first: the server's lifetime.
    pub refresh_expires_at: Option<UnixTime>,
    /// The resource the access token is for (RFC 8707); `None`: the
    /// server's audience.
    pub resource: Option<&'a str>,
}

fn require_grant(client: &ClientRegistration, grant: GrantType) -> Result<(), OAuthError> {
    if client.allows(grant) {
        Ok(())
    } else {
        Err(OAuthError::new(
            ErrorCode::UnauthorizedClient,
            format!(
                "client {} may not use the {} grant",
                client.client_id,
                grant.as_str()
            ),
        ))
    }
}

/// RFC 6749 section 5.2. A failed HTTP Basic authentication gets 401 with
/// `WWW-Authenticate` naming the scheme the client used.
pub(super) fn error_response(error: &OAuthError, used_basic: bool) -> Response {
    let mut response = Response::json(error.code.token_endpoint_status(), &error.to_json())
        .with_header("Pragma", "no-cache");
    if error.code == ErrorCode::InvalidClient && used_basic {
        response = response.with_header("WWW-Authenticate", "Basic realm=\"token\"");
    }
    response
}
