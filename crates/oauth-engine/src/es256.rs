//! ES256, ECDSA with P-256 and SHA-256 (RFC 7518 section 3.4), as the
//! protocol's extensions use it: a client's key pair, the JWS it signs (DPoP
//! proofs, RFC 9449; client assertions, RFC 7523), and the check of one
//! against a public JWK. Only DPoP and `private_key_jwt` reach this, through
//! `server::Extensions`, so a build without them leaves it out.
//!
//! With the `p256` crate directly: the debugger's `jwa` module has every
//! algorithm, too many for this path.

use std::fmt;

use p256::ecdsa::signature::{Signer, Verifier};
use p256::ecdsa::{Signature, SigningKey, VerifyingKey};
use serde_json::{Value, json};

use crate::jose::{b64_decode, b64_encode};
use crate::rng::{RandomnessUnavailable, Rng};

/// A P-256 key pair.
#[derive(Clone)]
pub struct P256Key(SigningKey);

impl fmt::Debug for P256Key {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "P256Key({})", self.public_jwk()["x"])
    }
}

impl PartialEq for P256Key {
    fn eq(&self, other: &Self) -> bool {
        self.0.verifying_key() == other.0.verifying_key()
    }
}

impl Eq for P256Key {}

impl P256Key {
    /// A new key: the private scalar drawn from `rng` until it is in 1..n
    /// (n is within 2^-32 of 2^256, so the first draw almost always is).
    /// A failing source fails here instead of making a weak key.
    pub fn generate(rng: &mut dyn Rng) -> Result<Self, RandomnessUnavailable> {
        let mut scalar = [0u8; 32];
        loop {
            rng.fill_bytes(&mut scalar)?;
            if let Ok(key) = SigningKey::from_slice(&scalar) {
                return Ok(Self(key));
            }
        }
    }

    /// The key whose private scalar is `d` (32 bytes, big-endian), or
    /// `None` if `d` is not in 1..n.
    pub fn from_scalar(d: &[u8]) -> Option<Self> {
        SigningKey::from_slice(d).ok().map(Self)
    }

    /// The public key as a JWK: `kty`, `crv`, `x`, `y`, nothing private.
    pub fn public_jwk(&self) -> Value {
        let point = self.0.verifying_key().to_encoded_point(false);
        // An uncompressed point always has both coordinates.
        let coordinate = |bytes: Option<&p256::FieldBytes>| {
            b64_encode(bytes.map(|b| b.as_slice()).unwrap_or_default())
        };
        json!({
            "kty": "EC",
            "crv": "P-256",
            "x": coordinate(point.x()),
            "y": coordinate(point.y()),
        })
    }

    /// A compact JWS of `claims` with `header` (which should say `alg`
    /// ES256); the signature is `r` and `s`, 32 bytes each (RFC 7518
    /// section 3.4).
    pub fn sign_jws(&self, header: &Value, claims: &Value) -> String {
        let input = format!(
            "{}.{}",
            b64_encode(header.to_string()),
            b64_encode(claims.to_string())
        );
        let signature: Signature = self.0.sign(input.as_bytes());
        format!("{input}.{}", b64_encode(signature.to_bytes()))
    }
}

/// Why a JWK or an ES256 signature was refused.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Es256Error {
    /// The JWK is not a P-256 public key; says why.
    BadJwk(String),
    BadSignature,
}

/// Whether `signature` (base64url) signs `input` with the P-256 public key
/// `jwk`: `kty` EC, `crv` P-256, `x` and `y` of 32 bytes that make a point
/// on the curve (RFC 7518 section 6.2.1; a point off the curve opens the
/// invalid-curve attack, RFC 8725 section 3.4).
pub fn verify(jwk: &Value, input: &[u8], signature: &str) -> Result<(), Es256Error> {
    let member = |name: &str| jwk.get(name).and_then(Value::as_str);
    if member("kty") != Some("EC") || member("crv") != Some("P-256") {
        return Err(Es256Error::BadJwk(
            "it is not an EC key on P-256 (kty \"EC\", crv \"P-256\")".into(),
        ));
    }
    let coordinate = |name: &str| {
        member(name)
            .and_then(|value| b64_decode(value).ok())
            .filter(|bytes| bytes.len() == 32)
            .ok_or_else(|| Es256Error::BadJwk(format!("\"{name}\" is not 32 bytes of base64url")))
    };
    let (x, y) = (coordinate("x")?, coordinate("y")?);
    let point = p256::EncodedPoint::from_affine_coordinates(
        p256::FieldBytes::from_slice(&x),
        p256::FieldBytes::from_slice(&y),
        false,
    );
    let key = VerifyingKey::from_encoded_point(&point)
        .map_err(|_| Es256Error::BadJwk("the point is not on the P-256 curve".into()))?;
    let signature = b64_decode(signature)
        .ok()
        .and_then(|bytes| Signature::from_slice(&bytes).ok())
        .ok_or(Es256Error::BadSignature)?;
    key.verify(input, &signature)
        .map_err(|_| Es256Error::BadSignature)
}
