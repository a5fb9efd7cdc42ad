//! `private_key_jwt` (RFC 7523 section 2.2 and 3, OpenID Connect Core
//! section 9): the client proves who it is with a short JWT signed by its
//! private key, and the server holds only the public key. Nothing that
//! could be replayed as a password ever crosses the wire.

use serde_json::{Map, Value};

use super::{AuthorizationServer, ClientAuthMethod, ClientRegistration, Params, param};
use crate::clock::UnixTime;
use crate::error::{ErrorCode, OAuthError};
use crate::es256::Es256Error;
use crate::http::Request;
use crate::jose::b64_decode;

/// `client_assertion_type` for a JWT (RFC 7523 section 2.2).
pub const JWT_BEARER: &str = "urn:ietf:params:oauth:client-assertion-type:jwt-bearer";
/// The longest an assertion may live, in seconds, from now to its `exp`:
/// RFC 7523 section 3 lets a server refuse long-lived ones, and a short
/// life bounds how long the server must remember its `jti`.
pub const MAX_ASSERTION_LIFETIME: u64 = 300;

impl AuthorizationServer {
    /// The client a `client_assertion` authenticates, every check of RFC
    /// 7523 section 3 passed; each failure is `invalid_client` with a
    /// description that names what is wrong.
    pub(super) fn client_from_assertion(
        &mut self,
        request: &Request,
        params: &Params,
        now: UnixTime,
    ) -> Result<ClientRegistration, OAuthError> {
        let invalid = |description: String| OAuthError::new(ErrorCode::InvalidClient, description);
        // "The client MUST NOT use more than one authentication method in
        // each request" (RFC 6749 section 2.3).
        if request.authorization().is_some() || params.contains("client_secret") {
            return Err(OAuthError::new(
                ErrorCode::InvalidRequest,
                "the client authenticated twice, with an assertion and a secret \
                 (RFC 6749 section 2.3)",
            ));
        }
        if param(params, "client_assertion_type") != Some(JWT_BEARER) {
            return Err(invalid(format!(
                "client_assertion_type must be {JWT_BEARER} (RFC 7523 section 2.2)"
            )));
        }
        let assertion = param(params, "client_assertion")
            .ok_or_else(|| invalid("client_assertion is missing (RFC 7523 section 2.2)".into()))?;
        let parts: Vec<&str> = assertion.split('.').collect();
        let [header, claims, signature] = parts[..] else {
            return Err(invalid(format!(
                "client_assertion is not a signed JWT: it has {} parts, not 3",
                parts.len()
            )));
        };
        let (header, claims) = (json_part(header), json_part(claims));
        let (Some(header), Some(claims)) = (header, claims) else {
            return Err(invalid(
                "client_assertion's header or claims are not base64url JSON objects".into(),
            ));
        };
        let text = |name: &str| claims.get(name).and_then(Value::as_str);

        // Section 3, item 2: sub is the client_id; OpenID Connect Core 9:
        // iss is too. A client_id parameter must agree (RFC 7521 section
        // 4.2).
        let subject = text("sub")
            .ok_or_else(|| invalid("the assertion has no sub (RFC 7523 section 3)".into()))?;
        if text("iss") != Some(subject) {
            return Err(invalid(format!(
                "the assertion's iss must be its sub, the client_id \"{subject}\" (OpenID \
                 Connect Core section 9)"
            )));
        }
        if param(params, "client_id").is_some_and(|id| id != subject) {
            return Err(invalid(
                "client_id differs from the assertion's sub (RFC 7521 section 4.2)".into(),
            ));
        }
        let client = self
            .client(subject)
            .cloned()
            .ok_or_else(|| invalid(format!("no client is registered as \"{subject}\"")))?;
        let key = match (&client.public_jwk, client.auth_method) {
            (Some(key), ClientAuthMethod::PrivateKeyJwt) => key,
            _ => {
                return Err(invalid(format!(
                    "client {subject} is registered for {}, not private_key_jwt",
                    client.auth_method.as_str()
                )));
            }
        };

        // Section 3, item 9: the signature, with the registered key.
        if header.get("alg").and_then(Value::as_str) != Some("ES256") {
            return Err(invalid(
                "the assertion's alg must be ES256, the algorithm of the client's registered key"
                    .into(),
            ));
        }
        let input = &assertion[..assertion.len() - signature.len() - 1];
        (self.es256()?.verify)(key, input.as_bytes(), signature).map_err(|error| match error {
            Es256Error::BadSignature => invalid(
                "the assertion's signature does not verify with the client's registered key".into(),
            ),
            Es256Error::BadJwk(why) => invalid(format!("the client's registered key: {why}")),
        })?;

        // Section 3, item 3: aud identifies this server: its issuer
        // identifier, or the token endpoint's URL, or the endpoint called.
        let accepted = [
            self.issuer_id(),
            self.endpoint("/token").to_string(),
            format!("{}{}", request.url.origin, request.url.path),
        ];
        let names_us = |aud: &Value| {
            aud.as_str()
                .is_some_and(|aud| accepted.iter().any(|a| a == aud))
        };
        let audience_ok = match claims.get("aud") {
            Some(Value::Array(auds)) => auds.iter().any(names_us),
            Some(aud) => names_us(aud),
            None => false,
        };
        if !audience_ok {
            return Err(invalid(format!(
                "the assertion's aud must name this server, \"{}\" (RFC 7523 section 3)",
                self.issuer_id()
            )));
        }

        // Section 3, items 4 and 5: exp in the near future, nbf passed.
        let number = |name: &str| claims.get(name).and_then(Value::as_u64);
        let exp = number("exp")
            .ok_or_else(|| invalid("the assertion has no exp (RFC 7523 section 3)".into()))?;
        if exp <= now.0 {
            return Err(invalid(format!("the assertion expired at {exp}")));
        }
        if exp - now.0 > MAX_ASSERTION_LIFETIME {
            return Err(invalid(format!(
                "the assertion's exp is {} s away; this server accepts at most \
                 {MAX_ASSERTION_LIFETIME} s",
                exp - now.0
            )));
        }
        if number("nbf").is_some_and(|nbf| nbf > now.0) {
            return Err(invalid("the assertion is not valid yet (nbf)".into()));
        }

        // Section 3, item 7, and OpenID Connect Core 9: a jti, used once.
        let jti = text("jti").ok_or_else(|| {
            invalid("the assertion has no jti (OpenID Connect Core section 9)".into())
        })?;
        self.seen_assertions.retain(|(_, until)| until.0 > now.0);
        let key = format!("{subject} {jti}");
        if self.seen_assertions.iter().any(|(seen, _)| *seen == key) {
            return Err(invalid(format!(
                "the assertion with jti \"{jti}\" was already used (RFC 7523 section 3)"
            )));
        }
        self.seen_assertions.push((key, UnixTime(exp)));
        Ok(client)
    }
}

fn json_part(part: &str) -> Option<Map<String, Value>> {
    serde_json::from_slice(&b64_decode(part).ok()?).ok()
}
