//! OpenID Connect on top of the authorization server: the ID token (Core
//! section 2), the UserInfo endpoint (section 5.3) and discovery (OpenID
//! Connect Discovery 1.0 section 3).

use serde_json::{Map, Value, json};
use sha2::{Digest, Sha256};

use super::{AuthorizationServer, ClientRegistration};
use crate::clock::UnixTime;
use crate::error::{ErrorCode, OAuthError};
use crate::http::{Request, Response};
use crate::jose::b64_encode;
use crate::resource::{Scheme, access_token, challenge, has_audience};
use crate::types::{Scope, Subject};

/// OpenID Connect Core section 3.1.3.6: the base64url of the left half of
/// the SHA-256 of the access token's ASCII (RS256 uses SHA-256).
pub fn at_hash(access_token: &str) -> String {
    let digest = Sha256::digest(access_token.as_bytes());
    b64_encode(&digest[..digest.len() / 2])
}

impl AuthorizationServer {
    /// An ID token (Core section 2): who signed in, when, for which client.
    pub(super) fn issue_id_token(
        &self,
        client: &ClientRegistration,
        subject: &Subject,
        nonce: Option<&str>,
        auth_time: UnixTime,
        access_token: &str,
        now: UnixTime,
    ) -> String {
        let mut claims = json!({
            "iss": self.issuer_id(),
            "sub": subject.as_str(),
            // The ID token is for the client, not for an API.
            "aud": client.client_id.as_str(),
            "iat": now.0,
            "exp": now.plus(self.config.policy.access_token_lifetime).0,
            "auth_time": auth_time.0,
            "at_hash": at_hash(access_token),
        });
        if let Some(nonce) = nonce {
            claims["nonce"] = nonce.into();
        }
        let mut header = serde_json::Map::new();
        header.insert("typ".into(), "JWT".into());
        self.signing_key.sign(header, claims.to_string().as_bytes())
    }

    /// The UserInfo endpoint (Core section 5.3): claims about the user for
    /// an access token with scope openid, as many as its scopes allow. With
    /// the extensions, a DPoP-bound token is taken with its proof, as the
    /// API takes it (RFC 9449 section 7); without, bearer tokens only.
    pub(super) fn userinfo(&mut self, request: &Request, now: UnixTime) -> Response {
        let dpop = self
            .supported
            .map(|given| (given.extensions.proof_of_possession(), given.es256));
        let (scheme, token) = match access_token(request, dpop.is_some()) {
            Ok(Some(credentials)) => credentials,
            Ok(None) => {
                let error = OAuthError::new(ErrorCode::InvalidToken, "an access token is required");
                let response = challenge(401, &error, None);
                return match dpop {
                    Some((dpop, _)) => response.with_header("WWW-Authenticate", dpop.offer()),
                    None => response,
                };
            }
            Err(error) => return challenge(400, &error, None),
        };
        let claims = match self.userinfo_token_claims(token, now) {
            Ok(claims) => claims,
            Err(error) => {
                return match dpop {
                    // RFC 9449 section 7.1: refused with DPoP's challenge.
                    Some((dpop, _)) if scheme == Scheme::Dpop => dpop.challenge(&error),
                    _ => challenge(401, &error, None),
                };
            }
        };
        match dpop {
            Some((dpop, es256)) => {
                if let Err(refusal) = dpop.check(
                    es256,
                    Some(&mut self.seen_proofs),
                    request,
                    (scheme, token),
                    &claims,
                    now,
                ) {
                    return refusal;
                }
            }
            // RFC 9449 section 7.2: a token bound to a key is never
            // accepted as a bearer token, and without the extensions this
            // endpoint takes bearer tokens only.
            None if claims.contains_key("cnf") => {
                let error = OAuthError::new(
                    ErrorCode::InvalidToken,
                    "the token is bound to a DPoP key, and UserInfo here takes bearer tokens \
                     only (RFC 9449 section 7.2)",
                );
                return challenge(401, &error, None);
            }
            None => {}
        }
        match self.userinfo_body(&claims) {
            Ok(body) => Response::json(200, &body),
            Err(error) => challenge(403, &error, Some("openid")),
        }
    }

    /// The access token's claims, if UserInfo takes it: issued for this
    /// endpoint, not expired, not revoked.
    fn userinfo_token_claims(
        &self,
        token: &str,
        now: UnixTime,
    ) -> Result<Map<String, Value>, OAuthError> {
        let invalid = |description: &str| OAuthError::new(ErrorCode::InvalidToken, description);
        let claims = self
            .access_token_claims(token)
            .map_err(|why| invalid(&why))?;
        // UserInfo is a protected resource like any other (Core section
        // 5.3): a token issued for another API is not for it (RFC 9068
        // section 4, RFC 7519 section 4.1.3).
        if !has_audience(&claims, &self.userinfo_audience()) {
            return Err(invalid(
                "the token's aud does not include the UserInfo endpoint: it was issued for \
                 another API",
            ));
        }
        if claims.get("exp").and_then(Value::as_u64).unwrap_or(0) <= now.0 {
            return Err(invalid("the token has expired"));
        }
        let jti = claims
            .get("jti")
            .and_then(Value::as_str)
            .unwrap_or_default();
        if self.is_access_token_revoked(jti) {
            return Err(invalid("the token has been revoked"));
        }
        Ok(claims)
    }

    /// The claims the token's scopes release (Core section 5.4), or the
    /// `insufficient_scope` that refuses a token without openid.
    fn userinfo_body(&self, claims: &Map<String, Value>) -> Result<Value, OAuthError> {
        let text = |name: &str| claims.get(name).and_then(Value::as_str).unwrap_or_default();
        let scope = Scope::parse(text("scope")).unwrap_or_default();
        if !scope.contains("openid") {
            return Err(OAuthError::new(
                ErrorCode::InsufficientScope,
                "userinfo needs the scope openid",
            ));
        }
        let user = self
            .config
            .users
            .iter()
            .find(|user| user.subject.as_str() == text("sub"));
        let mut body = json!({ "sub": text("sub") });
        if let Some(user) = user {
            if scope.contains("profile") {
                body["name"] = user.name.clone().into();
                body["preferred_username"] = user.username.clone().into();
            }
            if scope.contains("email") {
                body["email"] = user.email.clone().into();
            }
        }
        Ok(body)
    }

    /// The audience an access token needs at the UserInfo endpoint: the
    /// endpoint's URL. Tokens with scope openid carry it beside the API's.
    pub fn userinfo_audience(&self) -> String {
        self.endpoint("/userinfo").to_string()
    }

    /// OpenID Provider metadata (Discovery section 3).
    pub fn openid_configuration(&self) -> Value {
        let mut metadata = self.metadata();
        metadata["userinfo_endpoint"] = self.endpoint("/userinfo").to_string().into();
        metadata["subject_types_supported"] = json!(["public"]);
        metadata["id_token_signing_alg_values_supported"] = json!(["RS256"]);
        metadata["scopes_supported"] = json!(["openid", "profile", "email"]);
        metadata["claims_supported"] = json!([
            "sub",
            "name",
            "preferred_username",
            "email",
            "auth_time",
            "nonce",
            "at_hash"
        ]);
        metadata
    }
}

#[cfg(test)]
mod tests {
    use super::at_hash;
    #[cfg(target_arch = "wasm32")]
    use wasm_bindgen_test::wasm_bindgen_test as test;

    #[test]
    fn oidc_core_3_1_3_6_at_hash_is_the_left_half_of_sha256() {
        // The example access token and at_hash of OpenID Connect Core
        // appendix A.3 (an RS256 example).
        assert_eq!(
            at_hash("jHkWEdUXMU1BwAsC4vtUsZwnNvTIxEl0z9K3vx5KF0Y"),
            "77QmUPtjPfzWtF2AnpK9RQ"
        );
    }
}
