//! The device authorization grant (RFC 8628): a device without a browser
//! shows a short code; the user enters it on another device, signs in and
//! approves, while the device polls the token endpoint.

use serde_json::{Value, json};

use super::authorize::Completion;
use super::token::Issue;
use super::{
    AuthorizationServer, ClientRegistration, GrantType, Params, pages, random_token,
    requested_scope, required_param,
};
use crate::clock::UnixTime;
use crate::error::{ErrorCode, OAuthError};
use crate::form::decode_form;
use crate::http::{Request, Response};
use crate::rng::Rng;
use crate::types::{ClientId, Scope, Subject};

/// The `grant_type` of the device access token request (RFC 8628 section 3.4).
pub const DEVICE_CODE_GRANT: &str = "urn:ietf:params:oauth:grant-type:device_code";
/// RFC 8628 section 6.1: 20 consonants, no vowels (no words), no look-alikes.
const USER_CODE_ALPHABET: &[u8; 20] = b"BCDFGHJKLMNPQRSTVWXZ";
const USER_CODE_LENGTH: usize = 8;
const DEVICE_CODE_LIFETIME: u64 = 600;
/// Seconds between polls (RFC 8628 section 3.2: default 5).
const POLL_INTERVAL: u64 = 5;

#[derive(Debug, Clone, PartialEq, Eq)]
pub(super) enum DeviceStatus {
    Pending,
    Approved {
        subject: Subject,
        scope: Scope,
        /// When the user signed in on the other device.
        auth_time: UnixTime,
    },
    Denied,
    /// Tokens were issued; the device code works once.
    Redeemed,
}

/// A device authorization waiting for the user (RFC 8628 section 3.2).
#[derive(Debug, Clone)]
pub(super) struct DeviceGrant {
    client_id: ClientId,
    scope: Scope,
    /// Normalized: upper case, no separator.
    user_code: String,
    expires_at: UnixTime,
    interval: u64,
    last_poll: Option<UnixTime>,
    status: DeviceStatus,
}

pub(super) type DeviceGrants = crate::table::Table<String, DeviceGrant>;

/// Upper case without the dash or spaces the user may type (RFC 8628
/// section 6.1: compare case-insensitively, ignoring punctuation).
fn normalize_user_code(text: &str) -> String {
    text.chars()
        .filter(char::is_ascii_alphanumeric)
        .map(|c| c.to_ascii_uppercase())
        .collect()
}

/// "XXXX-XXXX", as the device shows it.
fn format_user_code(code: &str) -> String {
    let (left, right) = code.split_at(code.len() / 2);
    format!("{left}-{right}")
}

fn random_user_code(rng: &mut dyn Rng) -> Result<String, OAuthError> {
    let mut code = String::with_capacity(USER_CODE_LENGTH);
    let mut byte = [0u8; 1];
    while code.len() < USER_CODE_LENGTH {
        rng.fill_bytes(&mut byte).map_err(|error| {
            OAuthError::new(
                ErrorCode::ServerError,
                format!("cannot make a user code: {error}"),
            )
        })?;
        // Rejection sampling: 240 is the largest multiple of 20 under 256,
        // so every letter is equally likely.
        if byte[0] < 240 {
            code.push(char::from(USER_CODE_ALPHABET[usize::from(byte[0] % 20)]));
        }
    }
    Ok(code)
}

impl AuthorizationServer {
    /// The device authorization request and response (RFC 8628 sections
    /// 3.1 and 3.2).
    pub(super) fn device_authorization(
        &mut self,
        request: &Request,
        now: UnixTime,
        rng: &mut dyn Rng,
    ) -> Response {
        match self.try_device_authorization(request, now, rng) {
            Ok(body) => Response::json(200, &body),
            Err((error, used_basic)) => super::token::error_response(&error, used_basic),
        }
    }

    fn try_device_authorization(
        &mut self,
        request: &Request,
        now: UnixTime,
        rng: &mut dyn Rng,
    ) -> Result<Value, (OAuthError, bool)> {
        let plain = |error| (error, false);
        let params = super::form_params(request).map_err(plain)?;
        let client = self
            .authenticate_secret(request, &params)
            .map_err(|failure| (failure.error, failure.used_basic))?
            .clone();
        require_device_grant(&client).map_err(plain)?;
        let limit = format!("client {} may ask for", client.client_id);
        let scope = requested_scope(
            &params,
            &client.allowed_scope,
            &client.allowed_scope,
            &limit,
        )
        .map_err(plain)?;
        let device_code = random_token(rng, 32).map_err(plain)?;
        let user_code = random_user_code(rng).map_err(plain)?;
        let shown = format_user_code(&user_code);
        self.device_grants.insert(
            device_code.clone(),
            DeviceGrant {
                client_id: client.client_id.clone(),
                scope,
                user_code,
                expires_at: now.plus(DEVICE_CODE_LIFETIME),
                interval: POLL_INTERVAL,
                last_poll: None,
                status: DeviceStatus::Pending,
            },
        );
        let verification_uri = self.endpoint("/device");
        Ok(json!({
            "device_code": device_code,
            "user_code": shown,
            "verification_uri": verification_uri.to_string(),
            "verification_uri_complete": verification_uri.with_query(&[("user_code", &shown)]).to_string(),
            "expires_in": DEVICE_CODE_LIFETIME,
            "interval": POLL_INTERVAL,
        }))
    }

    /// The verification page (RFC 8628 section 3.3), prefilled when the
    /// user followed verification_uri_complete.
    pub(super) fn device_page(&self, request: &Request) -> Response {
        let prefill = request
            .url
            .query_pairs()
            .unwrap_or_default()
            .into_iter()
            .find(|(name, _)| name == "user_code")
            .map(|(_, value)| value)
            .unwrap_or_default();
        pages::device_code_page(&prefill, None)
    }

    /// The user submits the code: on to sign-in and consent.
    pub(super) fn device_code_entered(
        &mut self,
        request: &Request,
        now: UnixTime,
        rng: &mut dyn Rng,
    ) -> Response {
        let typed = decode_form(&request.body)
            .unwrap_or_default()
            .into_iter()
            .find(|(name, _)| name == "user_code")
            .map(|(_, value)| value)
            .unwrap_or_default();
        let wanted = normalize_user_code(&typed);
        let found = self.device_grants.iter().find(|(_, grant)| {
            grant.user_code == wanted
                && grant.status == DeviceStatus::Pending
                && now < grant.expires_at
        });
        let Some((device_code, grant)) = found else {
            return pages::device_code_page(
                &typed,
                Some("That code is not valid or has expired. Check the code on your device."),
            );
        };
        let completion = Completion::Device {
            device_code: device_code.clone(),
        };
        let (client_id, scope) = (grant.client_id.clone(), grant.scope.clone());
        self.start_transaction(client_id, scope, completion, now, rng)
            .unwrap_or_else(|error| pages::error_page(&error.description))
    }

    /// After consent: the device's next poll gets tokens, or access_denied.
    pub(super) fn finish_device_authorization(
        &mut self,
        device_code: &str,
        approved: bool,
        subject: Subject,
        scope: Scope,
        auth_time: UnixTime,
    ) -> Response {
        let Some(grant) = self.device_grants.get_mut(device_code) else {
            return pages::error_page("This device request no longer exists.");
        };
        grant.status = if approved {
            DeviceStatus::Approved {
                subject,
                scope,
                auth_time,
            }
        } else {
            DeviceStatus::Denied
        };
        pages::device_done_page(approved)
    }

    /// The device access token request (RFC 8628 sections 3.4 and 3.5).
    pub(super) fn device_code_grant(
        &mut self,
        client: &ClientRegistration,
        params: &Params,
        jkt: Option<&str>,
        now: UnixTime,
        rng: &mut dyn Rng,
    ) -> Result<Value, OAuthError> {
        require_device_grant(client)?;
        let device_code = required_param(params, "device_code", "RFC 8628 section 3.4")?;
        let error = |code, description: &str| OAuthError::new(code, description);
        let Some(grant) = self.device_grants.get_mut(device_code) else {
            return Err(error(
                ErrorCode::InvalidGrant,
                "the device_code is not one this server issued",
            ));
        };
        if grant.client_id != client.client_id {
            return Err(error(
                ErrorCode::InvalidGrant,
                "the device_code was issued to another client",
            ));
        }
        if now >= grant.expires_at {
            return Err(error(
                ErrorCode::ExpiredToken,
                "the device_code has expired: start again",
            ));
        }
        // Polling faster than the interval: slow_down, and the client must
        // poll 5 seconds less often "for this and all subsequent requests"
        // (section 3.5). So the server now expects at least 5 seconds more
        // than the client just waited: a client that honours slow_down is
        // served at its next poll, even if it started polling too fast,
        // and one that ignores it is refused every time.
        let waited = grant.last_poll.map(|last| now.seconds_since(last));
        grant.last_poll = Some(now);
        if let Some(waited) = waited.filter(|waited| *waited < grant.interval) {
            grant.interval = grant.interval.max(waited + 5);
            return Err(error(
                ErrorCode::SlowDown,
                &format!(
                    "polling too fast: wait {} seconds between requests",
                    grant.interval
                ),
            ));
        }
        match grant.status.clone() {
            DeviceStatus::Pending => Err(error(
                ErrorCode::AuthorizationPending,
                "the user has not finished yet: keep polling",
            )),
            DeviceStatus::Denied => Err(error(
                ErrorCode::AccessDenied,
                "the user denied the request",
            )),
            DeviceStatus::Redeemed => Err(error(
                ErrorCode::InvalidGrant,
                "the device_code was already used",
            )),
            DeviceStatus::Approved {
                subject,
                scope,
                auth_time,
            } => {
                grant.status = DeviceStatus::Redeemed;
                let family = self.new_family();
                // With scope openid, an ID token for the user who signed
                // in on the other device, as for the code grant (OpenID
                // Connect Core section 3.1.3.3); there was no nonce.
                let issue = Issue {
                    client,
                    subject: &subject,
                    scope: &scope,
                    family: Some(family),
                    refresh: client.allows(GrantType::RefreshToken),
                    auth_time: Some(auth_time),
                    nonce: None,
                    jkt,
                    refresh_expires_at: None,
                    resource: None,
                };
                self.token_response(issue, now, rng)
            }
        }
    }
}

fn require_device_grant(client: &ClientRegistration) -> Result<(), OAuthError> {
    if client.allows(GrantType::DeviceCode) {
        Ok(())
    } else {
        Err(OAuthError::new(
            ErrorCode::UnauthorizedClient,
            format!("client {} may not use the device grant", client.client_id),
        ))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::rng::SeededRng;
    #[cfg(target_arch = "wasm32")]
    use wasm_bindgen_test::wasm_bindgen_test as test;

    #[test]
    fn rfc8628_6_1_user_codes_use_the_consonant_alphabet() {
        let mut rng = SeededRng::new(3);
        for _ in 0..50 {
            let code = random_user_code(&mut rng).unwrap();
            assert_eq!(code.len(), 8);
            assert!(
                code.bytes().all(|b| USER_CODE_ALPHABET.contains(&b)),
                "{code}"
            );
        }
    }

    #[test]
    fn rfc8628_6_1_user_codes_compare_ignoring_case_and_punctuation() {
        assert_eq!(normalize_user_code(" wdjb-mjht "), "WDJBMJHT");
        assert_eq!(format_user_code("WDJBMJHT"), "WDJB-MJHT");
    }
}
