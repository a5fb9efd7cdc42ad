//! DPoP at the token endpoint (RFC 9449 section 5): the proof a token
//! request carries is checked, and its key's thumbprint is what the tokens
//! issued are bound to. The server can require a nonce (section 8).

use super::AuthorizationServer;
use super::token::error_response;
use crate::clock::UnixTime;
use crate::dpop::{ProofContext, ProofError, check_proof};
use crate::error::{ErrorCode, OAuthError};
use crate::http::{Request, Response};
use crate::rng::Rng;

/// The response header that carries the server's nonce (RFC 9449 section 8).
pub const NONCE_HEADER: &str = "DPoP-Nonce";

/// RFC 9449 section 5: a public client's refresh token bound to `bound`
/// is refreshed only with a proof by that key (`jkt`, if any).
pub(super) fn check_refresh_binding(bound: &str, jkt: Option<&str>) -> Result<(), OAuthError> {
    match jkt {
        Some(jkt) if jkt == bound => Ok(()),
        Some(_) => Err(OAuthError::new(
            ErrorCode::InvalidDpopProof,
            "the DPoP proof is signed by another key than the one the refresh token is bound \
             to (RFC 9449 section 5)",
        )),
        None => Err(OAuthError::new(
            ErrorCode::InvalidDpopProof,
            "the refresh token is bound to a DPoP key: send a DPoP proof signed by it (RFC 9449 \
             section 5)",
        )),
    }
}

impl AuthorizationServer {
    /// The thumbprint (`jkt`) of the key that signed the request's valid
    /// DPoP proof; `None` for a request without one where the policy
    /// allows that; or the error response that refuses it.
    pub(super) fn dpop_key_of(
        &mut self,
        request: &Request,
        now: UnixTime,
        rng: &mut dyn Rng,
    ) -> Result<Option<String>, Response> {
        let (require, use_nonce) = (
            self.config.policy.require_dpop,
            self.config.policy.dpop_nonce,
        );
        let proofs = crate::dpop::proofs_in(request);
        // RFC 9449 section 5.2 (`dpop_bound_access_tokens`): a server that
        // wants only bound tokens refuses a request without a proof.
        if proofs.is_empty() && !require {
            return Ok(None);
        }
        // Section 4.3, check 1: exactly one DPoP header.
        let [proof] = proofs[..] else {
            return Err(self.refusal(&ProofError::HeaderCount(proofs.len())));
        };
        if use_nonce && self.dpop_nonce.is_none() {
            self.dpop_nonce =
                Some(super::random_token(rng, 16).map_err(|error| error_response(&error, false))?);
        }
        let context = ProofContext {
            method: request.method,
            url: &request.url,
            now,
            access_token: None,
            nonce: self.dpop_nonce.as_deref().filter(|_| use_nonce),
            es256: self
                .es256()
                .map_err(|error| error_response(&error, false))?,
        };
        let valid = check_proof(proof, &context)
            // Section 11.1: a proof is used once.
            .and_then(|valid| self.seen_proofs.record(&valid, now).map(|()| valid))
            .map_err(|error| self.refusal(&error))?;
        Ok(Some(valid.jkt))
    }

    /// The token endpoint's answer to a refused proof: 400 with the error
    /// (section 5), and for `use_dpop_nonce` the nonce to use (section 8).
    fn refusal(&self, error: &ProofError) -> Response {
        let response = error_response(&OAuthError::new(error.code(), error.to_string()), false);
        match (&self.dpop_nonce, error) {
            (Some(nonce), ProofError::Nonce { .. }) => response.with_header(NONCE_HEADER, nonce),
            _ => response,
        }
    }
}
