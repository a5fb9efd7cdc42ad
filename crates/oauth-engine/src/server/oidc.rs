//! OpenID Connect on top of the authorization server: the ID token (Core
//! section 2), the UserInfo endpoint (section 5.3) and discovery (OpenID
//! Connect Discovery 1.0 section 3).

use serde_json::{Value, json};
use sha2::{Digest, Sha256};

use super::{AuthorizationServer, ClientRegistration};
use crate::clock::UnixTime;
use crate::error::{ErrorCode, OAuthError};
use crate::http::{Request, Response};
use crate::jose::b64_encode;
use crate::resource::{bearer_token, challenge, has_audience};
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
    /// an access token with scope openid, as many as its scopes allow.
    pub(super) fn userinfo(&self, request: &Request, now: UnixTime) -> Response {
        match self.userinfo_claims(request, now) {
            Ok(claims) => Response::json(200, &claims),
            Err((status, error)) => {
                let scope = (error.code == ErrorCode::InsufficientScope).then_some("openid");
                challenge(status, &error, scope)
            }
        }
    }

    fn userinfo_claims(
        &self,
        request: &Request,
        now: UnixTime,
    ) -> Result<Value, (u16, OAuthError)> {
        let invalid =
            |description: &str| (401, OAuthError::new(ErrorCode::InvalidToken, description));
        let token = match bearer_token(request) {
            Ok(Some(token)) => token,
            Ok(None) => return Err(invalid("an access token is required")),
            Err(error) => return Err((400, error)),
        };
        let claims = self
            .access_token_claims(token)
            .map_err(|why| invalid(&why))?;
        let text = |name: &str| claims.get(name).and_then(Value::as_str).unwrap_or_default();
        // RFC 9449 section 7.2: a token bound to a key is never accepted as
        // a bearer token, and this endpoint takes bearer tokens only.
        if claims.contains_key("cnf") {
            return Err(invalid(
                "the token is bound to a DPoP key, and UserInfo here takes bearer tokens only \
                 (RFC 9449 section 7.2)",
            ));
        }
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
        if self.is_access_token_revoked(text("jti")) {
            return Err(invalid("the token has been revoked"));
        }
        let scope = Scope::parse(text("scope")).unwrap_or_default();
        if !scope.contains("openid") {
            return Err((
                403,
                OAuthError::new(
                    ErrorCode::InsufficientScope,
                    "userinfo needs the scope openid",
                ),
            ));
        }
        let user = self
            .config
            .users
            .iter()
            .find(|user| user.subject.as_str() == text("sub"));
        let mut body = json!({ "sub": text("sub") });
        if let Some(user) = user {
            // Core section 5.4: each scope releases its claims.
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
