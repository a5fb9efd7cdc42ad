//! ECDSA for ES256, ES384 and ES512 (RFC 7518 section 3.4): P-256 with
//! SHA-256, P-384 with SHA-384 and P-521 with SHA-512.

use std::fmt;

use ecdsa::hazmat;
use p256::ecdsa::signature::{Signer, Verifier};
use pkcs8::ObjectIdentifier;

use super::{Alg, KeyError, SignError, VerifyError};
use crate::rng::{RandomnessUnavailable, Rng};

/// The curves of the `EC` keys the debugger reads (RFC 7518 section
/// 6.2.1.1).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum EcCurve {
    P256,
    P384,
    P521,
}

/// `id-ecPublicKey`, the algorithm of every EC key in SPKI and PKCS#8
/// (RFC 5480 section 2.1.1).
pub(super) const ID_EC_PUBLIC_KEY: ObjectIdentifier =
    ObjectIdentifier::new_unwrap("1.2.840.10045.2.1");
const SECP256R1: ObjectIdentifier = ObjectIdentifier::new_unwrap("1.2.840.10045.3.1.7");
const SECP384R1: ObjectIdentifier = ObjectIdentifier::new_unwrap("1.3.132.0.34");
const SECP521R1: ObjectIdentifier = ObjectIdentifier::new_unwrap("1.3.132.0.35");

/// Curves a key may name and the debugger does not take, by OID (RFC 5480
/// section 2.1.1.1 and SEC 2), so that the error can say which.
const OTHER_CURVES: [(&str, &str); 8] = [
    ("1.3.132.0.10", "secp256k1"),
    ("1.2.840.10045.3.1.1", "P-192"),
    ("1.3.132.0.33", "P-224"),
    ("1.3.36.3.3.2.8.1.1.7", "brainpoolP256r1"),
    ("1.3.36.3.3.2.8.1.1.11", "brainpoolP384r1"),
    ("1.3.36.3.3.2.8.1.1.13", "brainpoolP512r1"),
    ("1.2.156.10197.1.301", "SM2"),
    ("1.2.250.1.223.101.256.1", "FRP256v1"),
];

impl EcCurve {
    /// The `crv` value (RFC 7518 section 6.2.1.1).
    pub fn name(self) -> &'static str {
        match self {
            Self::P256 => "P-256",
            Self::P384 => "P-384",
            Self::P521 => "P-521",
        }
    }

    /// The one algorithm that signs with this curve (RFC 7518 section 3.4).
    pub fn alg(self) -> Alg {
        match self {
            Self::P256 => Alg::Es256,
            Self::P384 => Alg::Es384,
            Self::P521 => Alg::Es512,
        }
    }

    pub(super) fn from_name(crv: &str) -> Option<Self> {
        match crv {
            "P-256" => Some(Self::P256),
            "P-384" => Some(Self::P384),
            "P-521" => Some(Self::P521),
            _ => None,
        }
    }

    /// The octets of a coordinate, of `d`, and of each half of a signature
    /// (RFC 7518 sections 3.4, 6.2.1.2 and 6.2.2.1): the order's bits
    /// rounded up to whole octets, so 66 for P-521's 521 bits.
    pub fn size(self) -> usize {
        match self {
            Self::P256 => 32,
            Self::P384 => 48,
            Self::P521 => 66,
        }
    }

    /// The bits of the curve's order n.
    fn order_bits(self) -> usize {
        match self {
            Self::P256 => 256,
            Self::P384 => 384,
            Self::P521 => 521,
        }
    }

    pub(super) fn oid(self) -> ObjectIdentifier {
        match self {
            Self::P256 => SECP256R1,
            Self::P384 => SECP384R1,
            Self::P521 => SECP521R1,
        }
    }

    /// The curve a `namedCurve` OID names; any other is named in the error.
    pub(super) fn from_oid(oid: ObjectIdentifier) -> Result<Self, KeyError> {
        if oid == SECP256R1 {
            return Ok(Self::P256);
        }
        if oid == SECP384R1 {
            return Ok(Self::P384);
        }
        if oid == SECP521R1 {
            return Ok(Self::P521);
        }
        let dotted = oid.to_string();
        let name = OTHER_CURVES
            .iter()
            .find(|(known, _)| *known == dotted)
            .map_or_else(
                || format!("with OID {dotted}"),
                |(_, name)| (*name).to_owned(),
            );
        Err(KeyError::UnsupportedCurve(name))
    }
}

impl fmt::Display for EcCurve {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

/// An EC public key: verifies ES256 (P-256), ES384 (P-384) or ES512
/// (P-521).
#[derive(Clone)]
pub enum EcPublicKey {
    P256(p256::ecdsa::VerifyingKey),
    P384(p384::ecdsa::VerifyingKey),
    P521(p521::ecdsa::VerifyingKey),
}

/// An EC private key: signs and verifies ES256 (P-256), ES384 (P-384) or
/// ES512 (P-521).
#[derive(Clone)]
pub enum EcPrivateKey {
    P256(p256::ecdsa::SigningKey),
    P384(p384::ecdsa::SigningKey),
    P521(p521::ecdsa::SigningKey),
}

/// p521's keys have no `PartialEq` of their own: keys are equal when they
/// are on the same curve with the same point, or the same `d`.
impl PartialEq for EcPublicKey {
    fn eq(&self, other: &Self) -> bool {
        self.curve() == other.curve() && self.to_sec1_uncompressed() == other.to_sec1_uncompressed()
    }
}

impl Eq for EcPublicKey {}

impl PartialEq for EcPrivateKey {
    fn eq(&self, other: &Self) -> bool {
        self.curve() == other.curve() && self.scalar_bytes() == other.scalar_bytes()
    }
}

impl Eq for EcPrivateKey {}

impl fmt::Debug for EcPublicKey {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "EcPublicKey({})", self.curve())
    }
}

impl fmt::Debug for EcPrivateKey {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "EcPrivateKey({}, [redacted])", self.curve())
    }
}

/// The point `x`, `y` on `curve`, or the reason it is not one. The
/// coordinates must have the curve's full size (RFC 7518 sections 6.2.1.2
/// and 6.2.1.3) and the point must lie on the curve: accepting any point
/// opens the invalid-curve attacks RFC 8725 section 3.4 warns of.
pub(super) fn public_from_coordinates(
    curve: EcCurve,
    x: &[u8],
    y: &[u8],
) -> Result<EcPublicKey, KeyError> {
    for (member, value) in [("x", x), ("y", y)] {
        if value.len() != curve.size() {
            return Err(KeyError::MemberLength {
                member,
                expected: curve.size(),
                actual: value.len(),
            });
        }
    }
    let not_on_curve = |_| KeyError::NotOnCurve(curve.name());
    match curve {
        EcCurve::P256 => {
            let point = p256::EncodedPoint::from_affine_coordinates(
                &p256::FieldBytes::clone_from_slice(x),
                &p256::FieldBytes::clone_from_slice(y),
                false,
            );
            p256::ecdsa::VerifyingKey::from_encoded_point(&point)
                .map(EcPublicKey::P256)
                .map_err(not_on_curve)
        }
        EcCurve::P384 => {
            let point = p384::EncodedPoint::from_affine_coordinates(
                &p384::FieldBytes::clone_from_slice(x),
                &p384::FieldBytes::clone_from_slice(y),
                false,
            );
            p384::ecdsa::VerifyingKey::from_encoded_point(&point)
                .map(EcPublicKey::P384)
                .map_err(not_on_curve)
        }
        EcCurve::P521 => {
            let point = p521::EncodedPoint::from_affine_coordinates(
                &p521::FieldBytes::clone_from_slice(x),
                &p521::FieldBytes::clone_from_slice(y),
                false,
            );
            p521::ecdsa::VerifyingKey::from_encoded_point(&point)
                .map(EcPublicKey::P521)
                .map_err(not_on_curve)
        }
    }
}

/// A SEC 1 encoded point (section 2.3.4: uncompressed or compressed), as
/// SPKI carries it (RFC 5480 section 2.2); it must lie on `curve`.
pub(super) fn public_from_sec1(curve: EcCurve, bytes: &[u8]) -> Result<EcPublicKey, KeyError> {
    let not_on_curve = |_| KeyError::NotOnCurve(curve.name());
    match curve {
        EcCurve::P256 => p256::ecdsa::VerifyingKey::from_sec1_bytes(bytes)
            .map(EcPublicKey::P256)
            .map_err(not_on_curve),
        EcCurve::P384 => p384::ecdsa::VerifyingKey::from_sec1_bytes(bytes)
            .map(EcPublicKey::P384)
            .map_err(not_on_curve),
        EcCurve::P521 => p521::ecdsa::VerifyingKey::from_sec1_bytes(bytes)
            .map(EcPublicKey::P521)
            .map_err(not_on_curve),
    }
}

/// The private key `d`: exactly the curve's size (RFC 7518 section
/// 6.2.2.1), and in 1..n (SEC 1 section 3.2.1).
pub(super) fn private_from_scalar(curve: EcCurve, d: &[u8]) -> Result<EcPrivateKey, KeyError> {
    if d.len() != curve.size() {
        return Err(KeyError::MemberLength {
            member: "d",
            expected: curve.size(),
            actual: d.len(),
        });
    }
    let out_of_range = |_| KeyError::PrivateKeyOutOfRange(curve.name());
    match curve {
        EcCurve::P256 => p256::ecdsa::SigningKey::from_slice(d)
            .map(EcPrivateKey::P256)
            .map_err(out_of_range),
        EcCurve::P384 => p384::ecdsa::SigningKey::from_slice(d)
            .map(EcPrivateKey::P384)
            .map_err(out_of_range),
        EcCurve::P521 => p521::ecdsa::SigningKey::from_slice(d)
            .map(EcPrivateKey::P521)
            .map_err(out_of_range),
    }
}

/// A new private key: `d` drawn uniformly from 1..n by rejection sampling
/// (FIPS 186-5 appendix A.2.2), with bytes from `rng`: as many random bits
/// as n has, tried again while the number is not below n.
///
/// Not through `RandCore` and the curve crate's own `random`: a failing
/// source would leave that loop drawing zeros forever. Here a failure is
/// returned at once, and a valid `d` almost always turns up at the first
/// draw (n is within 2^-32 of 2^256, and of 2^384; for P-521, half the
/// draws are below n).
pub(super) fn generate(
    curve: EcCurve,
    rng: &mut dyn Rng,
) -> Result<EcPrivateKey, RandomnessUnavailable> {
    draw_scalar(curve, rng, |d| private_from_scalar(curve, d).ok())
}

/// Draws numbers of the curve's order's bit length from `rng` until
/// `accept` takes one (it refuses 0 and n and above).
fn draw_scalar<T>(
    curve: EcCurve,
    rng: &mut dyn Rng,
    accept: impl Fn(&[u8]) -> Option<T>,
) -> Result<T, RandomnessUnavailable> {
    let mut bytes = [0u8; 66];
    let bytes = &mut bytes[..curve.size()];
    // The first octet's bits beyond the order's: 7 for P-521, else none.
    let top_mask = 0xffu8 >> (curve.size() * 8 - curve.order_bits());
    for _ in 0..DRAW_TRIES {
        rng.fill_bytes(bytes)?;
        bytes[0] &= top_mask;
        if let Some(scalar) = accept(bytes) {
            bytes.fill(0);
            return Ok(scalar);
        }
    }
    // Only a source stuck on zeros (or on n and above) gets here.
    Err(RandomnessUnavailable(format!(
        "{DRAW_TRIES} draws from the random source gave no valid {} scalar",
        curve.name()
    )))
}

/// A uniform source fails this many draws in a row with probability below
/// 2^-128 (P-521, where half the draws are n or above; far less elsewhere).
const DRAW_TRIES: usize = 128;

impl EcPublicKey {
    pub fn curve(&self) -> EcCurve {
        match self {
            Self::P256(_) => EcCurve::P256,
            Self::P384(_) => EcCurve::P384,
            Self::P521(_) => EcCurve::P521,
        }
    }

    /// The point's affine coordinates, each of the curve's full size
    /// (RFC 7518 sections 6.2.1.2 and 6.2.1.3).
    pub fn coordinates(&self) -> (Vec<u8>, Vec<u8>) {
        let uncompressed = self.to_sec1_uncompressed();
        let size = self.curve().size();
        (
            uncompressed[1..=size].to_vec(),
            uncompressed[1 + size..].to_vec(),
        )
    }

    /// The uncompressed SEC 1 point `04 || x || y` (SEC 1 section 2.3.3),
    /// as SPKI carries it (RFC 5480 section 2.2).
    pub fn to_sec1_uncompressed(&self) -> Vec<u8> {
        match self {
            Self::P256(key) => key.to_encoded_point(false).as_bytes().to_vec(),
            Self::P384(key) => key.to_encoded_point(false).as_bytes().to_vec(),
            Self::P521(key) => key.to_encoded_point(false).as_bytes().to_vec(),
        }
    }

    /// Checks a JWS signature: `R || S`, each half the curve's size (RFC
    /// 7518 section 3.4), over the signing input hashed with the curve's
    /// SHA-2.
    pub(super) fn verify(&self, input: &[u8], signature: &[u8]) -> Result<(), VerifyError> {
        let expected = 2 * self.curve().size();
        if signature.len() != expected {
            return Err(VerifyError::SignatureLength {
                expected,
                actual: signature.len(),
            });
        }
        // from_slice also refuses R or S outside 1..n (RFC 7518 section 3.4
        // step 2 of validation; FIPS 186-5 section 6.4.2).
        let valid = match self {
            Self::P256(key) => p256::ecdsa::Signature::from_slice(signature)
                .is_ok_and(|signature| key.verify(input, &signature).is_ok()),
            Self::P384(key) => p384::ecdsa::Signature::from_slice(signature)
                .is_ok_and(|signature| key.verify(input, &signature).is_ok()),
            Self::P521(key) => p521::ecdsa::Signature::from_slice(signature)
                .is_ok_and(|signature| key.verify(input, &signature).is_ok()),
        };
        if valid {
            Ok(())
        } else {
            Err(VerifyError::Mismatch)
        }
    }
}

impl EcPrivateKey {
    pub fn curve(&self) -> EcCurve {
        match self {
            Self::P256(_) => EcCurve::P256,
            Self::P384(_) => EcCurve::P384,
            Self::P521(_) => EcCurve::P521,
        }
    }

    pub fn public_key(&self) -> EcPublicKey {
        match self {
            Self::P256(key) => EcPublicKey::P256(*key.verifying_key()),
            Self::P384(key) => EcPublicKey::P384(*key.verifying_key()),
            Self::P521(key) => EcPublicKey::P521(p521::ecdsa::VerifyingKey::from(key)),
        }
    }

    /// `d`, big-endian, the curve's full size (RFC 7518 section 6.2.2.1).
    pub fn scalar_bytes(&self) -> Vec<u8> {
        match self {
            Self::P256(key) => key.to_bytes().to_vec(),
            Self::P384(key) => key.to_bytes().to_vec(),
            Self::P521(key) => key.to_bytes().to_vec(),
        }
    }

    /// Signs, giving `R || S` (RFC 7518 section 3.4). P-256 and P-384 take
    /// the nonce of RFC 6979 section 3.2, derived from the key and the
    /// message: the same input always gives the same signature. p521 0.13
    /// has no RFC 6979 signer (SHA-512's 64 octets are shorter than the
    /// curve's 66, which its generic code does not handle), so P-521 draws
    /// its nonce k from `rng` as FIPS 186-5 section 6.4.1 does, with the
    /// same rejection sampling as a new key: a failing source is an error,
    /// never a zero nonce.
    pub(super) fn sign(&self, input: &[u8], rng: &mut dyn Rng) -> Result<Vec<u8>, SignError> {
        let failed = |error: p256::ecdsa::Error| SignError::Ecdsa(error.to_string());
        match self {
            Self::P256(key) => key
                .try_sign(input)
                .map(|signature: p256::ecdsa::Signature| signature.to_bytes().to_vec())
                .map_err(failed),
            Self::P384(key) => key
                .try_sign(input)
                .map(|signature: p384::ecdsa::Signature| signature.to_bytes().to_vec())
                .map_err(failed),
            Self::P521(key) => {
                let digest = <sha2::Sha512 as sha2::Digest>::digest(input);
                let z = hazmat::bits2field::<p521::NistP521>(&digest).map_err(failed)?;
                let k = draw_scalar(EcCurve::P521, rng, |k| {
                    p521::ecdsa::SigningKey::from_slice(k)
                        .ok()
                        .map(|k| **k.as_nonzero_scalar())
                })
                .map_err(SignError::Randomness)?;
                hazmat::sign_prehashed::<p521::NistP521, _>(key.as_nonzero_scalar(), k, &z)
                    .map(|(signature, _)| signature.to_bytes().to_vec())
                    .map_err(failed)
            }
        }
    }
}
