//! The JWS algorithms of RFC 7518 section 3 and RFC 8037, for the JWT
//! debugger: verify and sign with HS256/384/512, RS256/384/512,
//! PS256/384/512, ES256/384/512 and EdDSA (Ed25519), and say exactly why a
//! signature does not check out. Keys come from JWKs, JWK Sets and PEM, go
//! back out as JWKs and PEM, and can be made fresh (all but RSA).
//!
//! Kept apart from `jose`, which the simulated servers use: the protocol
//! path (and the Flow screen's wasm chunk) carries RS256 only, and the
//! debugger's wider set of algorithms stays out of it.

use std::fmt;

use hmac::{Hmac, Mac};
use rsa::signature::{RandomizedSigner, SignatureEncoding, Signer, Verifier};
use rsa::{RsaPublicKey, pkcs1v15, pss};
use serde_json::Value;
use sha2::{Sha256, Sha384, Sha512};

use crate::jose::{b64_decode, b64_encode};
use crate::json::JsonObject;
use crate::rng::{RandomnessUnavailable, Rng};

mod ec;
mod es256;
mod key;
mod okp;
mod pem;

pub use ec::{EcCurve, EcPrivateKey, EcPublicKey};
pub use es256::ES256;
pub use key::{Key, KeyError, KeyKind};

/// A JWS `alg` (RFC 7518 section 3.1).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Alg {
    Hs256,
    Hs384,
    Hs512,
    Rs256,
    Rs384,
    Rs512,
    Ps256,
    Ps384,
    Ps512,
    Es256,
    Es384,
    Es512,
    /// RFC 8037 section 3.1.
    EdDsa,
}

/// The key type an algorithm needs (RFC 7518 section 6.1 `kty` values).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum KeyType {
    /// A shared secret.
    Oct,
    Rsa,
    Ec,
    /// RFC 8037 octet key pairs (Ed25519).
    Okp,
}

impl KeyType {
    pub fn describe(self) -> &'static str {
        match self {
            Self::Oct => "a shared secret (kty \"oct\")",
            Self::Rsa => "an RSA key (kty \"RSA\")",
            Self::Ec => "an elliptic-curve key (kty \"EC\")",
            Self::Okp => "an Ed25519 key (kty \"OKP\")",
        }
    }
}

/// Hash sizes in bits, as the algorithm names carry them.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Hash {
    Sha256,
    Sha384,
    Sha512,
}

const ALGS: [(Alg, &str); 13] = [
    (Alg::Hs256, "HS256"),
    (Alg::Hs384, "HS384"),
    (Alg::Hs512, "HS512"),
    (Alg::Rs256, "RS256"),
    (Alg::Rs384, "RS384"),
    (Alg::Rs512, "RS512"),
    (Alg::Ps256, "PS256"),
    (Alg::Ps384, "PS384"),
    (Alg::Ps512, "PS512"),
    (Alg::Es256, "ES256"),
    (Alg::Es384, "ES384"),
    (Alg::Es512, "ES512"),
    (Alg::EdDsa, "EdDSA"),
];

impl Alg {
    /// Parses an `alg` value; names are case-sensitive (RFC 7515 section
    /// 4.1.1).
    pub fn from_name(name: &str) -> Option<Self> {
        ALGS.iter()
            .find(|(_, alg_name)| *alg_name == name)
            .map(|(alg, _)| *alg)
    }

    pub fn name(self) -> &'static str {
        ALGS.iter()
            .find(|(alg, _)| *alg == self)
            .map_or("", |(_, name)| name)
    }

    pub fn key_type(self) -> KeyType {
        match self {
            Self::Hs256 | Self::Hs384 | Self::Hs512 => KeyType::Oct,
            Self::Rs256 | Self::Rs384 | Self::Rs512 | Self::Ps256 | Self::Ps384 | Self::Ps512 => {
                KeyType::Rsa
            }
            Self::Es256 | Self::Es384 | Self::Es512 => KeyType::Ec,
            Self::EdDsa => KeyType::Okp,
        }
    }

    fn hash(self) -> Hash {
        match self {
            Self::Hs256 | Self::Rs256 | Self::Ps256 | Self::Es256 | Self::EdDsa => Hash::Sha256,
            Self::Hs384 | Self::Rs384 | Self::Ps384 | Self::Es384 => Hash::Sha384,
            Self::Hs512 | Self::Rs512 | Self::Ps512 | Self::Es512 => Hash::Sha512,
        }
    }

    /// The curve an ES algorithm signs with (RFC 7518 section 3.4).
    pub fn curve(self) -> Option<EcCurve> {
        match self {
            Self::Es256 => Some(EcCurve::P256),
            Self::Es384 => Some(EcCurve::P384),
            Self::Es512 => Some(EcCurve::P521),
            _ => None,
        }
    }
}

/// Why a token's signature does not check out, in the words a learner
/// needs.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum VerifyError {
    /// Not three base64url parts with a JSON header naming an `alg`.
    Malformed(String),
    /// `alg: none` carries no signature; a verifier must refuse it (RFC
    /// 8725 section 3.1).
    AlgNone,
    UnknownAlg(String),
    /// The header's `alg` needs another kind of key than the one given:
    /// the HS/RS confusion attack tries exactly this (RFC 8725 section
    /// 2.1).
    KeyTypeMismatch {
        alg: Alg,
        key: KeyType,
    },
    /// An EC key on another curve than the `alg` signs with: ES256 is
    /// P-256 only, ES384 P-384 only, ES512 P-521 only (RFC 7518 section 3.4).
    CurveMismatch {
        alg: Alg,
        curve: EcCurve,
    },
    /// The signature has the wrong length for this key and algorithm.
    SignatureLength {
        expected: usize,
        actual: usize,
    },
    /// A well-formed signature that this key did not make, or a token
    /// changed since it was signed.
    Mismatch,
}

impl fmt::Display for VerifyError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::Malformed(why) => write!(f, "not a JWS: {why}"),
            Self::AlgNone => f.write_str(
                "alg is \"none\": the token is unsigned and anyone could have written it; \
                 a verifier must refuse it (RFC 8725 section 3.1)",
            ),
            Self::UnknownAlg(alg) => write!(f, "alg \"{alg}\" is not a JWS algorithm of RFC 7518"),
            Self::KeyTypeMismatch { alg, key } => {
                write!(
                    f,
                    "the header says {} but the key is {}: {} needs {}. ",
                    alg.name(),
                    key.describe(),
                    alg.name(),
                    alg.key_type().describe()
                )?;
                if alg.key_type() == KeyType::Oct || *key == KeyType::Oct {
                    f.write_str(
                        "Accepting this is the algorithm confusion attack, where a public key \
                         is used as an HMAC secret (RFC 8725 section 2.1)",
                    )
                } else {
                    f.write_str(
                        "A verifier takes the algorithm from its key, not from the token, or \
                         it falls to algorithm confusion attacks (RFC 8725 section 2.1)",
                    )
                }
            }
            Self::CurveMismatch { alg, curve } => write!(
                f,
                "the header says {} but the key is on {}: {} signs with {} only (RFC 7518 \
                 section 3.4)",
                alg.name(),
                curve,
                alg.name(),
                alg.curve().map_or("another curve", EcCurve::name)
            ),
            Self::SignatureLength { expected, actual } => write!(
                f,
                "the signature is {actual} bytes but this key and algorithm make {expected}"
            ),
            Self::Mismatch => f.write_str(
                "the signature does not match: wrong key, or the header or payload changed \
                 after signing",
            ),
        }
    }
}

impl std::error::Error for VerifyError {}

/// A compact JWS split into what verification needs.
struct Parts<'t> {
    alg: Alg,
    signing_input: &'t str,
    signature: Vec<u8>,
}

fn parts(token: &str) -> Result<Parts<'_>, VerifyError> {
    let token = token.trim();
    let pieces: Vec<&str> = token.split('.').collect();
    let [header_b64, payload_b64, signature_b64] = pieces[..] else {
        return Err(VerifyError::Malformed(format!(
            "a JWS has 3 dot-separated parts, this has {}",
            pieces.len()
        )));
    };
    let header_bytes = b64_decode(header_b64)
        .map_err(|_| VerifyError::Malformed("the header is not base64url".into()))?;
    let header = JsonObject::from_json_bytes(&header_bytes)
        .map_err(|_| VerifyError::Malformed("the header is not a JSON object".into()))?;
    let signature = b64_decode(signature_b64)
        .map_err(|_| VerifyError::Malformed("the signature is not base64url".into()))?;
    let alg_name = header
        .get("alg")
        .and_then(Value::as_str)
        .ok_or_else(|| VerifyError::Malformed("the header has no \"alg\"".into()))?;
    if alg_name == "none" {
        return Err(VerifyError::AlgNone);
    }
    let alg = Alg::from_name(alg_name).ok_or_else(|| VerifyError::UnknownAlg(alg_name.into()))?;
    Ok(Parts {
        alg,
        // RFC 7515 section 5.2 step 8: the signing input is the text as
        // received, never re-serialized JSON.
        signing_input: &token[..header_b64.len() + 1 + payload_b64.len()],
        signature,
    })
}

/// Whether `key` is the kind of key `alg` needs (RFC 7518 section 3.1's
/// table; RFC 8037 section 3.1) and, for ECDSA, on its curve (RFC 7518
/// section 3.4). Checked before any signature: RFC 8725 section 3.1.
enum Unfit {
    KeyType(KeyType),
    Curve(EcCurve),
}

fn unfit(alg: Alg, key: &Key) -> Option<Unfit> {
    if alg.key_type() != key.key_type() {
        return Some(Unfit::KeyType(key.key_type()));
    }
    match (alg.curve(), key.curve()) {
        (Some(wanted), Some(curve)) if wanted != curve => Some(Unfit::Curve(curve)),
        _ => None,
    }
}

/// Checks a compact JWS's signature with `key`, for the `alg` its header
/// names; returns that `alg`.
pub fn verify(token: &str, key: &Key) -> Result<Alg, VerifyError> {
    let Parts {
        alg,
        signing_input,
        signature,
    } = parts(token)?;
    match unfit(alg, key) {
        Some(Unfit::KeyType(key)) => return Err(VerifyError::KeyTypeMismatch { alg, key }),
        Some(Unfit::Curve(curve)) => return Err(VerifyError::CurveMismatch { alg, curve }),
        None => {}
    }
    let input = signing_input.as_bytes();
    match key {
        Key::Oct(secret) => {
            let expected = hmac(alg.hash(), secret, input);
            if signature.len() != expected.len() {
                return Err(VerifyError::SignatureLength {
                    expected: expected.len(),
                    actual: signature.len(),
                });
            }
            // Constant-time comparison, as a server must (RFC 7515 section
            // 10.7).
            if !crate::types::constant_time_eq(&expected, &signature) {
                return Err(VerifyError::Mismatch);
            }
        }
        Key::RsaPublic(_) | Key::RsaPrivate(_) => {
            let public = key.rsa_public().ok_or(VerifyError::Mismatch)?;
            verify_rsa(alg, public, input, &signature)?;
        }
        Key::EcPublic(public) => public.verify(input, &signature)?,
        Key::EcPrivate(private) => private.public_key().verify(input, &signature)?,
        Key::Ed25519Public(public) => okp::verify(public, input, &signature)?,
        Key::Ed25519Private(private) => okp::verify(&private.verifying_key(), input, &signature)?,
    }
    Ok(alg)
}

/// RS* (RFC 7518 section 3.3) and PS* (section 3.5): the signature is as
/// long as the modulus.
fn verify_rsa(
    alg: Alg,
    public: RsaPublicKey,
    input: &[u8],
    signature: &[u8],
) -> Result<(), VerifyError> {
    let expected = rsa::traits::PublicKeyParts::size(&public);
    if signature.len() != expected {
        return Err(VerifyError::SignatureLength {
            expected,
            actual: signature.len(),
        });
    }
    let valid = match alg {
        Alg::Rs256 | Alg::Rs384 | Alg::Rs512 => {
            let signature =
                pkcs1v15::Signature::try_from(signature).map_err(|_| VerifyError::Mismatch)?;
            match alg.hash() {
                Hash::Sha256 => pkcs1v15::VerifyingKey::<Sha256>::new(public)
                    .verify(input, &signature)
                    .is_ok(),
                Hash::Sha384 => pkcs1v15::VerifyingKey::<Sha384>::new(public)
                    .verify(input, &signature)
                    .is_ok(),
                Hash::Sha512 => pkcs1v15::VerifyingKey::<Sha512>::new(public)
                    .verify(input, &signature)
                    .is_ok(),
            }
        }
        _ => {
            let signature =
                pss::Signature::try_from(signature).map_err(|_| VerifyError::Mismatch)?;
            match alg.hash() {
                Hash::Sha256 => pss::VerifyingKey::<Sha256>::new(public)
                    .verify(input, &signature)
                    .is_ok(),
                Hash::Sha384 => pss::VerifyingKey::<Sha384>::new(public)
                    .verify(input, &signature)
                    .is_ok(),
                Hash::Sha512 => pss::VerifyingKey::<Sha512>::new(public)
                    .verify(input, &signature)
                    .is_ok(),
            }
        }
    };
    if valid {
        Ok(())
    } else {
        Err(VerifyError::Mismatch)
    }
}

fn hmac(hash: Hash, secret: &[u8], input: &[u8]) -> Vec<u8> {
    // HMAC takes a key of any length (RFC 2104 section 2), so new_from_slice
    // cannot fail; an empty result would simply never verify.
    fn mac<M: Mac + hmac::digest::KeyInit>(secret: &[u8], input: &[u8]) -> Vec<u8> {
        <M as Mac>::new_from_slice(secret)
            .map(|mut mac| {
                mac.update(input);
                mac.finalize().into_bytes().to_vec()
            })
            .unwrap_or_default()
    }
    match hash {
        Hash::Sha256 => mac::<Hmac<Sha256>>(secret, input),
        Hash::Sha384 => mac::<Hmac<Sha384>>(secret, input),
        Hash::Sha512 => mac::<Hmac<Sha512>>(secret, input),
    }
}

/// Why a token could not be signed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum SignError {
    /// The header's `alg` is missing or not a JWS algorithm of RFC 7518.
    UnknownAlg(String),
    KeyTypeMismatch {
        alg: Alg,
        key: KeyType,
    },
    /// ES256 needs a P-256 key, ES384 a P-384 one, ES512 a P-521 one (RFC 7518 section 3.4).
    CurveMismatch {
        alg: Alg,
        curve: EcCurve,
    },
    /// Signing with RSA, EC or Ed25519 needs the private key.
    PublicKeyOnly,
    Randomness(RandomnessUnavailable),
    Rsa(String),
    Ecdsa(String),
}

impl fmt::Display for SignError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::UnknownAlg(alg) if alg.is_empty() => {
                f.write_str("the header names no \"alg\" to sign with")
            }
            Self::UnknownAlg(alg) => write!(f, "alg \"{alg}\" is not a JWS algorithm of RFC 7518"),
            Self::KeyTypeMismatch { alg, key } => write!(
                f,
                "{} needs {}, and the key is {}",
                alg.name(),
                alg.key_type().describe(),
                key.describe()
            ),
            Self::CurveMismatch { alg, curve } => write!(
                f,
                "{} signs with {} only, and the key is on {} (RFC 7518 section 3.4)",
                alg.name(),
                alg.curve().map_or("another curve", EcCurve::name),
                curve
            ),
            Self::PublicKeyOnly => {
                f.write_str("this is a public key: signing needs the private key (with \"d\")")
            }
            Self::Randomness(error) => write!(f, "{error}"),
            Self::Rsa(why) => write!(f, "RSA signing failed: {why}"),
            Self::Ecdsa(why) => write!(f, "ECDSA signing failed: {why}"),
        }
    }
}

impl std::error::Error for SignError {}

/// `rsa`'s randomized signers want a `rand_core` generator; this lends
/// them the engine's `Rng` and keeps any failure to report it, rather than
/// signing with a salt that is not random.
struct RandCore<'r> {
    rng: &'r mut dyn Rng,
    failed: Option<RandomnessUnavailable>,
}

impl rand_core::RngCore for RandCore<'_> {
    fn next_u32(&mut self) -> u32 {
        let mut bytes = [0; 4];
        self.fill_bytes(&mut bytes);
        u32::from_le_bytes(bytes)
    }

    fn next_u64(&mut self) -> u64 {
        let mut bytes = [0; 8];
        self.fill_bytes(&mut bytes);
        u64::from_le_bytes(bytes)
    }

    fn fill_bytes(&mut self, dest: &mut [u8]) {
        if let Err(error) = self.rng.fill_bytes(dest) {
            self.failed.get_or_insert(error);
        }
    }

    fn try_fill_bytes(&mut self, dest: &mut [u8]) -> Result<(), rand_core::Error> {
        self.fill_bytes(dest);
        Ok(())
    }
}

impl rand_core::CryptoRng for RandCore<'_> {}

/// Signs `header` and `payload` with `key` as a compact JWS, with the
/// `alg` the header names. PS* salts come from `rng` (RFC 7518 section
/// 3.5); the other algorithms are deterministic: HMAC, PKCS#1 v1.5,
/// ECDSA with RFC 6979 nonces, and Ed25519 (RFC 8032 section 5.1.6).
pub fn sign(
    header: &JsonObject,
    payload: &[u8],
    key: &Key,
    rng: &mut dyn Rng,
) -> Result<String, SignError> {
    let alg_name = header.get("alg").and_then(Value::as_str).unwrap_or("");
    let alg = Alg::from_name(alg_name).ok_or_else(|| SignError::UnknownAlg(alg_name.into()))?;
    match unfit(alg, key) {
        Some(Unfit::KeyType(key)) => return Err(SignError::KeyTypeMismatch { alg, key }),
        Some(Unfit::Curve(curve)) => return Err(SignError::CurveMismatch { alg, curve }),
        None => {}
    }
    // The header as given, its members in their order.
    let header_json = serde_json::to_string(header).unwrap_or_default();
    let signing_input = format!("{}.{}", b64_encode(header_json), b64_encode(payload));
    let input = signing_input.as_bytes();
    let signature = match key {
        Key::Oct(secret) => hmac(alg.hash(), secret, input),
        Key::RsaPublic(_) | Key::EcPublic(_) | Key::Ed25519Public(_) => {
            return Err(SignError::PublicKeyOnly);
        }
        Key::RsaPrivate(private) => sign_rsa(alg, (**private).clone(), input, rng)?,
        Key::EcPrivate(private) => private.sign(input, rng)?,
        Key::Ed25519Private(private) => okp::sign(private, input),
    };
    Ok(format!("{signing_input}.{}", b64_encode(signature)))
}

fn sign_rsa(
    alg: Alg,
    private: rsa::RsaPrivateKey,
    input: &[u8],
    rng: &mut dyn Rng,
) -> Result<Vec<u8>, SignError> {
    Ok(match alg {
        Alg::Rs256 => pkcs1v15::SigningKey::<Sha256>::new(private)
            .sign(input)
            .to_vec(),
        Alg::Rs384 => pkcs1v15::SigningKey::<Sha384>::new(private)
            .sign(input)
            .to_vec(),
        Alg::Rs512 => pkcs1v15::SigningKey::<Sha512>::new(private)
            .sign(input)
            .to_vec(),
        _ => {
            let mut rand = RandCore { rng, failed: None };
            let signature = match alg.hash() {
                Hash::Sha256 => pss::SigningKey::<Sha256>::new(private)
                    .try_sign_with_rng(&mut rand, input)
                    .map(|s| s.to_vec()),
                Hash::Sha384 => pss::SigningKey::<Sha384>::new(private)
                    .try_sign_with_rng(&mut rand, input)
                    .map(|s| s.to_vec()),
                Hash::Sha512 => pss::SigningKey::<Sha512>::new(private)
                    .try_sign_with_rng(&mut rand, input)
                    .map(|s| s.to_vec()),
            }
            .map_err(|error| SignError::Rsa(error.to_string()))?;
            if let Some(error) = rand.failed {
                return Err(SignError::Randomness(error));
            }
            signature
        }
    })
}

/// An HMAC key shorter than its hash: RFC 7518 section 3.2 says "A key of
/// the same size as the hash output (for instance, 256 bits for "HS256")
/// or larger MUST be used with this algorithm."
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ShortHmacKey {
    pub key_bits: usize,
    pub required_bits: usize,
}

impl fmt::Display for ShortHmacKey {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "the secret is only {} bits: RFC 7518 section 3.2 requires an HMAC key at least as \
             long as the hash output, here {} bits, or it can be guessed offline from any token",
            self.key_bits, self.required_bits
        )
    }
}

/// Whether `key` is too short for the HMAC `alg` (RFC 7518 section 3.2);
/// `None` when it is long enough, or when `alg` is not an HMAC algorithm
/// or `key` not a secret.
pub fn hmac_key_too_short(alg: Alg, key: &Key) -> Option<ShortHmacKey> {
    let Key::Oct(secret) = key else {
        return None;
    };
    if alg.key_type() != KeyType::Oct {
        return None;
    }
    let required_bits = match alg.hash() {
        Hash::Sha256 => 256,
        Hash::Sha384 => 384,
        Hash::Sha512 => 512,
    };
    let key_bits = secret.len() * 8;
    (key_bits < required_bits).then_some(ShortHmacKey {
        key_bits,
        required_bits,
    })
}
