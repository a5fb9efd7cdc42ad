//! DPoP at the API (RFC 9449 section 7): a token bound to a key is
//! accepted only with a proof signed by that key, made for this request
//! and this token; and never as a bearer token.

use serde_json::{Map, Value};

use super::{ProofOfPossession, Scheme};
use crate::clock::UnixTime;
use crate::dpop::{
    PROOF_ALG, ProofContext, ProofError, SeenProofs, TOKEN_TYPE, check_proof,
    check_proof_ignoring_htu,
};
use crate::error::{ErrorCode, OAuthError};
use crate::es256::Es256;
use crate::http::{Request, Response};

/// DPoP at the API: the proofs of RFC 9449 sections 4.3 and 7.
#[derive(Debug, Clone, Copy)]
pub struct Dpop;

impl ProofOfPossession for Dpop {
    /// RFC 9449 section 7: for a token presented with the DPoP scheme, the
    /// request's proof and the token's `cnf.jkt`; for a bearer token, that
    /// it is not bound.
    fn check(
        &self,
        es256: Es256,
        seen: Option<&mut SeenProofs>,
        request: &Request,
        (scheme, token): (Scheme, &str),
        claims: &Map<String, Value>,
        now: UnixTime,
    ) -> Result<(), Response> {
        let bound_to = claims
            .get("cnf")
            .and_then(|cnf| cnf.get("jkt"))
            .and_then(Value::as_str);
        let invalid_token =
            |description: &str| challenge(&OAuthError::new(ErrorCode::InvalidToken, description));
        match (scheme, bound_to) {
            (Scheme::Bearer, None) => Ok(()),
            // Section 7.2: a bound token is useless to whoever has only
            // the token, so presenting it as Bearer is refused.
            (Scheme::Bearer, Some(_)) => Err(invalid_token(
                "the token is bound to a DPoP key: present it with the DPoP scheme and a proof \
                     (RFC 9449 section 7.2)",
            )),
            (Scheme::Dpop, None) => Err(invalid_token(
                "the token is not bound to a DPoP key (it has no cnf.jkt): present it as Bearer",
            )),
            (Scheme::Dpop, Some(jkt)) => {
                let proof_error = |error: ProofError| {
                    challenge(&OAuthError::new(error.code(), error.to_string()))
                };
                let proofs = crate::dpop::proofs_in(request);
                // Section 4.3, check 1: exactly one proof.
                let [proof] = proofs[..] else {
                    return Err(proof_error(ProofError::HeaderCount(proofs.len())));
                };
                let context = ProofContext {
                    method: request.method,
                    url: &request.url,
                    now,
                    access_token: Some(token),
                    nonce: None,
                    es256,
                };
                // Section 4.3, check 9: the proof is for this URL; a lax
                // API (no record of proofs) takes any URL the proof names.
                let valid = match seen {
                    Some(_) => check_proof(proof, &context),
                    None => check_proof_ignoring_htu(proof, &context),
                }
                .map_err(proof_error)?;
                // Section 7.1: the key that signed the proof is the one
                // the token is bound to.
                if valid.jkt != jkt {
                    return Err(challenge(&OAuthError::new(
                        ErrorCode::InvalidDpopProof,
                        "the DPoP proof is signed by another key than the one the token is bound \
                             to (cnf.jkt)",
                    )));
                }
                // Section 11.1: a proof seen before is a replay; a lax API
                // keeps no record of the proofs it accepted.
                match seen {
                    Some(seen) => seen.record(&valid, now).map_err(proof_error),
                    None => Ok(()),
                }
            }
        }
    }

    fn offer(&self) -> String {
        offer()
    }

    fn challenge(&self, error: &OAuthError) -> Response {
        challenge(error)
    }
}

/// The DPoP challenge without an error, offered beside Bearer's: the
/// scheme and the algorithms this API accepts proofs in (RFC 9449 section
/// 7.1).
fn offer() -> String {
    format!("{TOKEN_TYPE} algs=\"{PROOF_ALG}\"")
}

/// A 401 with the `WWW-Authenticate: DPoP` challenge carrying the error
/// (RFC 9449 section 7.1), and the same fields as JSON.
fn challenge(error: &OAuthError) -> Response {
    let value = format!(
        "{TOKEN_TYPE} error=\"{}\", error_description=\"{}\", algs=\"{PROOF_ALG}\"",
        error.code, error.description
    );
    Response::json(401, &error.to_json()).with_header("WWW-Authenticate", value)
}
