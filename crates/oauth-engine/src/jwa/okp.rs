//! EdDSA with Ed25519 (RFC 8037 section 3.1, RFC 8032 section 5.1): the
//! `OKP` keys of RFC 8037 section 2.

use ed25519_dalek::{Signature, Signer, SigningKey, VerifyingKey};

use super::{KeyError, VerifyError};
use crate::rng::{RandomnessUnavailable, Rng};

/// The size of a public key, of a private key (the seed) and of half a
/// signature (RFC 8032 sections 5.1.5 and 5.1.6).
pub(super) const SIZE: usize = 32;

fn exactly(member: &'static str, bytes: &[u8]) -> Result<[u8; SIZE], KeyError> {
    bytes.try_into().map_err(|_| KeyError::MemberLength {
        member,
        expected: SIZE,
        actual: bytes.len(),
    })
}

/// A public key: the 32-octet encoding of a point (RFC 8032 section
/// 5.1.2), which must decode to a point on the curve.
pub(super) fn public_from_bytes(x: &[u8]) -> Result<VerifyingKey, KeyError> {
    let x = exactly("x", x)?;
    VerifyingKey::from_bytes(&x).map_err(|_| KeyError::NotOnCurve("Ed25519"))
}

/// A private key: the 32-octet seed (RFC 8032 section 5.1.5; RFC 8037
/// section 2 calls it `d`). Every 32 octets are a valid seed.
pub(super) fn private_from_bytes(d: &[u8]) -> Result<SigningKey, KeyError> {
    exactly("d", d).map(|seed| SigningKey::from_bytes(&seed))
}

/// A new private key: 32 random octets (RFC 8032 section 5.1.5).
pub(super) fn generate(rng: &mut dyn Rng) -> Result<SigningKey, RandomnessUnavailable> {
    let mut seed = [0u8; SIZE];
    rng.fill_bytes(&mut seed)?;
    let key = SigningKey::from_bytes(&seed);
    seed.fill(0);
    Ok(key)
}

/// Checks an Ed25519 signature (64 octets, RFC 8032 section 5.1.6) over the
/// signing input, which EdDSA takes whole, unhashed (RFC 8037 section 3.1).
///
/// `verify_strict` also refuses small-order public keys and `R` values,
/// which RFC 8032 section 5.1.7 would let through but no honest signer
/// makes.
pub(super) fn verify(
    key: &VerifyingKey,
    input: &[u8],
    signature: &[u8],
) -> Result<(), VerifyError> {
    let bytes: [u8; 2 * SIZE] = signature
        .try_into()
        .map_err(|_| VerifyError::SignatureLength {
            expected: 2 * SIZE,
            actual: signature.len(),
        })?;
    key.verify_strict(input, &Signature::from_bytes(&bytes))
        .map_err(|_| VerifyError::Mismatch)
}

/// Ed25519 is deterministic (RFC 8032 section 5.1.6): no random source.
pub(super) fn sign(key: &SigningKey, input: &[u8]) -> Vec<u8> {
    key.sign(input).to_bytes().to_vec()
}
