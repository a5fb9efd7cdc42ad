//! PEM keys (RFC 7468): the text armour, and the DER structures inside it.
//!
//! | label             | structure                                   |
//! |-------------------|---------------------------------------------|
//! | `PUBLIC KEY`      | SubjectPublicKeyInfo (RFC 5280 4.1.2.7)      |
//! | `PRIVATE KEY`     | PKCS#8 PrivateKeyInfo (RFC 5208, RFC 5958)   |
//! | `RSA PUBLIC KEY`  | PKCS#1 RSAPublicKey (RFC 8017 appendix A.1)  |
//! | `RSA PRIVATE KEY` | PKCS#1 RSAPrivateKey (RFC 8017 appendix A.1) |
//! | `EC PRIVATE KEY`  | SEC 1 ECPrivateKey (RFC 5915)                |
//!
//! The last three are OpenSSL's "traditional" formats, which RFC 7468
//! does not define but which every tool still writes. Keys are written
//! back as the first two only.

use base64::Engine;
use base64::alphabet;
use base64::engine::{DecodePaddingMode, GeneralPurpose, GeneralPurposeConfig};
use pkcs8::der::asn1::{AnyRef, BitStringRef, OctetStringRef};
use pkcs8::der::{Decode, Encode, Tag};
use pkcs8::spki::{AlgorithmIdentifierRef, SubjectPublicKeyInfoRef};
use pkcs8::{ObjectIdentifier, PrivateKeyInfo};
use rsa::pkcs1;
use rsa::pkcs8::{EncodePrivateKey, EncodePublicKey};
use rsa::{BigUint, RsaPrivateKey, RsaPublicKey};

use super::ec::{self, EcCurve, ID_EC_PUBLIC_KEY};
use super::key::{Key, KeyError};
use super::okp;

/// Standard base64 (RFC 7468 section 3); missing `=` padding is forgiven.
const BASE64: GeneralPurpose = GeneralPurpose::new(
    &alphabet::STANDARD,
    GeneralPurposeConfig::new().with_decode_padding_mode(DecodePaddingMode::Indifferent),
);

/// `rsaEncryption` (RFC 8017 appendix A.1).
const RSA_ENCRYPTION: ObjectIdentifier = ObjectIdentifier::new_unwrap("1.2.840.113549.1.1.1");
/// `id-Ed25519` (RFC 8410 section 3).
const ID_ED25519: ObjectIdentifier = ObjectIdentifier::new_unwrap("1.3.101.112");

/// Algorithms a key may name and this module does not take, so that the
/// error can say which. The RFC 8410 curves are named as curves.
const OTHER_ALGORITHMS: [(&str, &str); 9] = [
    ("1.3.101.110", "X25519"),
    ("1.3.101.111", "X448"),
    ("1.3.101.113", "Ed448"),
    ("1.2.840.10040.4.1", "DSA"),
    ("1.2.840.113549.1.1.10", "RSASSA-PSS"),
    ("1.2.840.10046.2.1", "Diffie-Hellman"),
    ("1.2.840.113549.1.3.1", "Diffie-Hellman"),
    ("1.2.643.7.1.1.1.1", "GOST R 34.10-2012"),
    ("1.2.643.7.1.1.1.2", "GOST R 34.10-2012"),
];

const SPKI: &str = "SubjectPublicKeyInfo (RFC 5280 section 4.1.2.7)";
const PKCS8: &str = "PKCS#8 PrivateKeyInfo (RFC 5208 section 5)";
const PKCS1_PUBLIC: &str = "PKCS#1 RSAPublicKey (RFC 8017 appendix A.1.1)";
const PKCS1_PRIVATE: &str = "PKCS#1 RSAPrivateKey (RFC 8017 appendix A.1.2)";
const SEC1: &str = "SEC 1 ECPrivateKey (RFC 5915 section 3)";
const ED25519_PRIVATE: &str = "Ed25519 CurvePrivateKey (RFC 8410 section 7)";

const BEGIN: &str = "-----BEGIN ";
const END: &str = "-----END ";
const DASHES: &str = "-----";

fn der_error(structure: &'static str) -> impl Fn(pkcs8::der::Error) -> KeyError {
    move |error| KeyError::Der {
        structure,
        why: error.to_string(),
    }
}

fn malformed(structure: &'static str, why: impl Into<String>) -> KeyError {
    KeyError::Der {
        structure,
        why: why.into(),
    }
}

impl Key {
    /// A key from PEM text (RFC 7468): `PUBLIC KEY` (SPKI: RSA, EC P-256 or
    /// P-384, Ed25519), `RSA PUBLIC KEY` (PKCS#1), `PRIVATE KEY` (PKCS#8:
    /// RSA, EC, Ed25519), `RSA PRIVATE KEY` (PKCS#1) or `EC PRIVATE KEY`
    /// (SEC 1). White space around it and CR LF line ends are fine.
    pub fn from_pem(text: &str) -> Result<Self, KeyError> {
        read(text)
    }

    /// The key as PEM: a public key as SPKI (`PUBLIC KEY`), a private key
    /// as PKCS#8 (`PRIVATE KEY`). A shared secret has no PEM form.
    pub fn to_pem(&self) -> Result<String, KeyError> {
        write(self)
    }
}

/// The key in the first PEM block of `text` (`EC PARAMETERS` blocks, which
/// `openssl ecparam -genkey` writes before the key, are skipped).
fn read(text: &str) -> Result<Key, KeyError> {
    let mut rest = text;
    let mut skipped_parameters = false;
    loop {
        let (label, der, after) = match block(rest) {
            Err(KeyError::NotPem) if skipped_parameters => {
                return Err(KeyError::PemMalformed(
                    "there are EC PARAMETERS but no EC PRIVATE KEY block after them".into(),
                ));
            }
            other => other?,
        };
        match label {
            "EC PARAMETERS" => {
                skipped_parameters = true;
                rest = after;
            }
            "PUBLIC KEY" => return spki(&der),
            "PRIVATE KEY" => return pkcs8(&der),
            "RSA PUBLIC KEY" => return rsa_public(&der),
            "RSA PRIVATE KEY" => return rsa_private(&der),
            "EC PRIVATE KEY" => return sec1(&der, None),
            // block() refuses every other label.
            other => return Err(KeyError::PemUnknownLabel(other.to_owned())),
        }
    }
}

/// The next block's label, decoded body, and the text after it.
///
/// Text around the block is ignored, as RFC 7468 section 5.2 advises; the
/// block may span lines (LF or CR LF) or sit on one line, as when a key is
/// pasted out of an environment variable; `\n` escapes from a JSON string
/// are dropped too.
fn block(text: &str) -> Result<(&str, Vec<u8>, &str), KeyError> {
    let Some(start) = text.find(BEGIN) else {
        return Err(if text.contains("-----BEGIN") {
            KeyError::PemMalformed("the BEGIN line must read \"-----BEGIN LABEL-----\"".into())
        } else {
            KeyError::NotPem
        });
    };
    let after_begin = &text[start + BEGIN.len()..];
    let label_end = after_begin
        .find(DASHES)
        .filter(|&end| !after_begin[..end].contains(['\r', '\n']))
        .ok_or_else(|| KeyError::PemMalformed("the BEGIN line does not end in \"-----\"".into()))?;
    let label = after_begin[..label_end].trim();
    // RFC 7468 section 11: an encrypted key needs its password first.
    match label {
        "ENCRYPTED PRIVATE KEY" => return Err(KeyError::PemEncrypted),
        "EC PARAMETERS" | "PUBLIC KEY" | "PRIVATE KEY" | "RSA PUBLIC KEY" | "RSA PRIVATE KEY"
        | "EC PRIVATE KEY" => {}
        other => return Err(KeyError::PemUnknownLabel(other.to_owned())),
    }
    let body_and_rest = &after_begin[label_end + DASHES.len()..];
    let end = body_and_rest.find(END).ok_or_else(|| {
        KeyError::PemMalformed(format!(
            "there is no \"-----END {label}-----\" line: is the key cut short?"
        ))
    })?;
    let end_line = &body_and_rest[end + END.len()..];
    let after = match end_line.find(DASHES) {
        Some(dashes) if end_line[..dashes].trim() == label => &end_line[dashes + DASHES.len()..],
        _ => {
            return Err(KeyError::PemMalformed(format!(
                "\"-----BEGIN {label}-----\" must end with \"-----END {label}-----\" (RFC \
                 7468 section 2)"
            )));
        }
    };
    let body = &body_and_rest[..end];
    let mut base64 = String::with_capacity(body.len());
    for line in body.replace("\\r", "").replace("\\n", "\n").lines() {
        // Headers come only with OpenSSL's legacy encryption (RFC 1421
        // section 4.6.1.1): `Proc-Type: 4,ENCRYPTED` and `DEK-Info`.
        if let Some((name, value)) = line.split_once(':') {
            let name = name.trim();
            if !name.is_empty() && name.chars().all(|c| c.is_ascii_alphanumeric() || c == '-') {
                if name == "Proc-Type" && value.contains("ENCRYPTED") {
                    return Err(KeyError::PemEncrypted);
                }
                continue;
            }
        }
        base64.extend(line.chars().filter(|c| !c.is_whitespace()));
    }
    let der = BASE64
        .decode(base64.as_bytes())
        .map_err(|_| KeyError::PemBadBase64)?;
    Ok((label, der, after))
}

/// The name of an algorithm OID this module does not take.
fn unsupported_algorithm(oid: ObjectIdentifier) -> KeyError {
    let dotted = oid.to_string();
    match OTHER_ALGORITHMS.iter().find(|(known, _)| *known == dotted) {
        Some((_, name @ ("X25519" | "X448" | "Ed448"))) => {
            KeyError::UnsupportedCurve((*name).to_owned())
        }
        Some((_, name)) => KeyError::UnsupportedAlgorithm(format!("{name} (OID {dotted})")),
        None => KeyError::UnsupportedAlgorithm(format!("OID {dotted}")),
    }
}

/// The curve an EC key's algorithm parameters name (RFC 5480 section
/// 2.1.1: `namedCurve`; `specifiedCurve` MUST NOT be used).
fn named_curve(
    structure: &'static str,
    algorithm: &AlgorithmIdentifierRef<'_>,
) -> Result<EcCurve, KeyError> {
    let parameters = algorithm.parameters.ok_or_else(|| {
        malformed(
            structure,
            "an EC key must name its curve in the algorithm parameters (RFC 5480 section 2.1.1)",
        )
    })?;
    match parameters.decode_as::<ObjectIdentifier>() {
        Ok(oid) => EcCurve::from_oid(oid),
        Err(_) => Err(KeyError::UnsupportedCurve(
            "given by explicit parameters instead of a name (RFC 5480 section 2.1.1)".into(),
        )),
    }
}

/// RFC 8410 section 3: for Ed25519 "the parameters MUST be absent".
fn no_parameters(
    structure: &'static str,
    algorithm: &AlgorithmIdentifierRef<'_>,
) -> Result<(), KeyError> {
    match algorithm.parameters {
        None => Ok(()),
        Some(_) => Err(malformed(
            structure,
            "Ed25519 takes no algorithm parameters (RFC 8410 section 3)",
        )),
    }
}

fn spki(der: &[u8]) -> Result<Key, KeyError> {
    let info = SubjectPublicKeyInfoRef::from_der(der).map_err(der_error(SPKI))?;
    let key = info
        .subject_public_key
        .as_bytes()
        .ok_or_else(|| malformed(SPKI, "the key's BIT STRING does not hold whole bytes"))?;
    match info.algorithm.oid {
        RSA_ENCRYPTION => rsa_public(key),
        ID_EC_PUBLIC_KEY => {
            let curve = named_curve(SPKI, &info.algorithm)?;
            ec::public_from_sec1(curve, key).map(Key::EcPublic)
        }
        ID_ED25519 => {
            no_parameters(SPKI, &info.algorithm)?;
            ed25519_public(SPKI, key).map(|key| Key::Ed25519Public(Box::new(key)))
        }
        other => Err(unsupported_algorithm(other)),
    }
}

/// An Ed25519 public key in DER: the 32 octets of RFC 8032 section 5.1.2
/// (RFC 8410 section 4).
fn ed25519_public(
    structure: &'static str,
    bytes: &[u8],
) -> Result<ed25519_dalek::VerifyingKey, KeyError> {
    if bytes.len() != okp::SIZE {
        return Err(malformed(
            structure,
            format!(
                "an Ed25519 public key is {} bytes, this one {} (RFC 8410 section 4)",
                okp::SIZE,
                bytes.len()
            ),
        ));
    }
    okp::public_from_bytes(bytes)
}

fn pkcs8(der: &[u8]) -> Result<Key, KeyError> {
    let info = PrivateKeyInfo::from_der(der).map_err(der_error(PKCS8))?;
    match info.algorithm.oid {
        RSA_ENCRYPTION => rsa_private(info.private_key),
        ID_EC_PUBLIC_KEY => {
            let curve = named_curve(PKCS8, &info.algorithm)?;
            let key = sec1(info.private_key, Some(curve))?;
            // RFC 5958 section 2: a version 2 key may carry its public key.
            if let (Some(public), Key::EcPrivate(private)) = (info.public_key, &key)
                && ec::public_from_sec1(curve, public)? != private.public_key()
            {
                return Err(KeyError::PublicKeyMismatch);
            }
            Ok(key)
        }
        ID_ED25519 => {
            no_parameters(PKCS8, &info.algorithm)?;
            // RFC 8410 section 7: CurvePrivateKey ::= OCTET STRING, inside
            // the PrivateKeyInfo's own OCTET STRING.
            let seed =
                OctetStringRef::from_der(info.private_key).map_err(der_error(ED25519_PRIVATE))?;
            if seed.as_bytes().len() != okp::SIZE {
                return Err(malformed(
                    ED25519_PRIVATE,
                    format!(
                        "an Ed25519 private key is {} bytes, this one {} (RFC 8032 section 5.1.5)",
                        okp::SIZE,
                        seed.as_bytes().len()
                    ),
                ));
            }
            let private = okp::private_from_bytes(seed.as_bytes())?;
            if let Some(public) = info.public_key
                && ed25519_public(PKCS8, public)? != private.verifying_key()
            {
                return Err(KeyError::PublicKeyMismatch);
            }
            Ok(Key::Ed25519Private(Box::new(private)))
        }
        other => Err(unsupported_algorithm(other)),
    }
}

fn big(uint: pkcs1::UintRef<'_>) -> BigUint {
    BigUint::from_bytes_be(uint.as_bytes())
}

fn rsa_public(der: &[u8]) -> Result<Key, KeyError> {
    let key = pkcs1::RsaPublicKey::from_der(der).map_err(der_error(PKCS1_PUBLIC))?;
    RsaPublicKey::new(big(key.modulus), big(key.public_exponent))
        .map(Key::RsaPublic)
        .map_err(|error| KeyError::Rsa(error.to_string()))
}

fn rsa_private(der: &[u8]) -> Result<Key, KeyError> {
    let key = pkcs1::RsaPrivateKey::from_der(der).map_err(der_error(PKCS1_PRIVATE))?;
    if key.other_prime_infos.is_some() {
        return Err(KeyError::Rsa(
            "a multi-prime key (RFC 8017 section 3.2): only two primes are supported here".into(),
        ));
    }
    // The same checks as for a JWK: the primes multiply to n and d inverts
    // e (RsaPrivateKey::from_components validates).
    RsaPrivateKey::from_components(
        big(key.modulus),
        big(key.public_exponent),
        big(key.private_exponent),
        vec![big(key.prime1), big(key.prime2)],
    )
    .map(|key| Key::RsaPrivate(Box::new(key)))
    .map_err(|error| KeyError::Rsa(error.to_string()))
}

/// An ECPrivateKey (RFC 5915 section 3), on `outer`, the curve a PKCS#8
/// wrapper names, or else on the curve its own parameters name.
fn sec1(der: &[u8], outer: Option<EcCurve>) -> Result<Key, KeyError> {
    let key = sec1::EcPrivateKey::from_der(der).map_err(der_error(SEC1))?;
    let inner = key
        .parameters
        .and_then(|parameters| parameters.named_curve())
        .map(EcCurve::from_oid)
        .transpose()?;
    let curve = match (outer, inner) {
        (Some(outer), Some(inner)) if outer != inner => {
            return Err(malformed(
                SEC1,
                format!("it names {inner}, and the PKCS#8 wrapper {outer}"),
            ));
        }
        (Some(curve), _) | (None, Some(curve)) => curve,
        (None, None) => {
            return Err(malformed(
                SEC1,
                "it names no curve: an EC PRIVATE KEY needs its parameters (RFC 5915 section 3)",
            ));
        }
    };
    // RFC 5915 section 3 fixes privateKey at the curve's size; some old
    // encoders dropped leading zeros, so a shorter one is padded back.
    let length = key.private_key.len();
    if length == 0 || length > curve.size() {
        return Err(malformed(
            SEC1,
            format!(
                "its privateKey is {length} bytes; on {curve} it is {} (RFC 5915 section 3)",
                curve.size()
            ),
        ));
    }
    let mut d = vec![0; curve.size() - length];
    d.extend_from_slice(key.private_key);
    let private = ec::private_from_scalar(curve, &d)?;
    d.fill(0);
    if let Some(public) = key.public_key
        && ec::public_from_sec1(curve, public)? != private.public_key()
    {
        return Err(KeyError::PublicKeyMismatch);
    }
    Ok(Key::EcPrivate(Box::new(private)))
}

/// The key as PEM: SPKI for a public key, PKCS#8 for a private one.
fn write(key: &Key) -> Result<String, KeyError> {
    let (label, der) = match key {
        Key::Oct(_) => return Err(KeyError::NoPemForSecret),
        Key::RsaPublic(key) => (
            "PUBLIC KEY",
            key.to_public_key_der()
                .map_err(|error| malformed(SPKI, error.to_string()))?
                .into_vec(),
        ),
        Key::RsaPrivate(key) => (
            "PRIVATE KEY",
            key.to_pkcs8_der()
                .map_err(|error| malformed(PKCS8, error.to_string()))?
                .as_bytes()
                .to_vec(),
        ),
        Key::EcPublic(key) => (
            "PUBLIC KEY",
            // RFC 5480 section 2: the curve by name, the point uncompressed.
            encode_spki(
                ID_EC_PUBLIC_KEY,
                Some(key.curve().oid()),
                &key.to_sec1_uncompressed(),
            )?,
        ),
        Key::EcPrivate(key) => {
            let d = key.scalar_bytes();
            let public = key.public_key().to_sec1_uncompressed();
            // RFC 5915 section 3 inside RFC 5208: the curve is named once,
            // in the PKCS#8 algorithm; the public key rides along, as
            // OpenSSL writes it.
            let inner = sec1::EcPrivateKey {
                private_key: &d,
                parameters: None,
                public_key: Some(&public),
            }
            .to_der()
            .map_err(der_error(SEC1))?;
            (
                "PRIVATE KEY",
                encode_pkcs8(ID_EC_PUBLIC_KEY, Some(key.curve().oid()), &inner)?,
            )
        }
        Key::Ed25519Public(key) => ("PUBLIC KEY", encode_spki(ID_ED25519, None, key.as_bytes())?),
        Key::Ed25519Private(key) => {
            let seed = key.to_bytes();
            let inner = OctetStringRef::new(&seed)
                .and_then(|octets| octets.to_der())
                .map_err(der_error(ED25519_PRIVATE))?;
            ("PRIVATE KEY", encode_pkcs8(ID_ED25519, None, &inner)?)
        }
    };
    Ok(armor(label, &der))
}

fn algorithm<'a>(
    oid: ObjectIdentifier,
    curve: Option<&'a ObjectIdentifier>,
) -> AlgorithmIdentifierRef<'a> {
    AlgorithmIdentifierRef {
        oid,
        parameters: curve
            .and_then(|curve| AnyRef::new(Tag::ObjectIdentifier, curve.as_bytes()).ok()),
    }
}

fn encode_spki(
    oid: ObjectIdentifier,
    curve: Option<ObjectIdentifier>,
    key: &[u8],
) -> Result<Vec<u8>, KeyError> {
    let subject_public_key = BitStringRef::from_bytes(key).map_err(der_error(SPKI))?;
    SubjectPublicKeyInfoRef {
        algorithm: algorithm(oid, curve.as_ref()),
        subject_public_key,
    }
    .to_der()
    .map_err(der_error(SPKI))
}

/// A version 1 PrivateKeyInfo (RFC 5208 section 5), as OpenSSL writes.
fn encode_pkcs8(
    oid: ObjectIdentifier,
    curve: Option<ObjectIdentifier>,
    private_key: &[u8],
) -> Result<Vec<u8>, KeyError> {
    PrivateKeyInfo::new(algorithm(oid, curve.as_ref()), private_key)
        .to_der()
        .map_err(der_error(PKCS8))
}

/// RFC 7468 section 2: base64 in lines of 64 characters between the
/// BEGIN and END lines.
fn armor(label: &str, der: &[u8]) -> String {
    let base64 = BASE64.encode(der);
    let mut text = format!("{BEGIN}{label}{DASHES}\n");
    let mut rest = base64.as_str();
    while !rest.is_empty() {
        let (line, after) = rest.split_at(rest.len().min(64));
        text.push_str(line);
        text.push('\n');
        rest = after;
    }
    text.push_str(&format!("{END}{label}{DASHES}\n"));
    text
}
