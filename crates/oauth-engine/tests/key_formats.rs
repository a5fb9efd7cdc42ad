//! The debugger's keys in and out: PEM (RFC 7468) in every form OpenSSL
//! writes, JWK export (RFC 7517, RFC 7518 section 6, RFC 8037 section 2),
//! key generation, and the HMAC key-length rule of RFC 7518 section 3.2.
//! Runs natively and in headless Chromium (the property tests natively
//! only).

use oauth_engine::jose::b64_encode;
use oauth_engine::json::JsonObject;
use oauth_engine::jwa::{
    Alg, EcCurve, Key, KeyError, KeyKind, ShortHmacKey, hmac_key_too_short, sign, verify,
};
use oauth_engine::keys::RFC7515_A2_JSON;
use oauth_engine::rng::{RandomnessUnavailable, Rng, SeededRng};
use serde_json::{Value, json};

#[cfg(target_arch = "wasm32")]
use wasm_bindgen_test::wasm_bindgen_test as test;
#[cfg(target_arch = "wasm32")]
wasm_bindgen_test::wasm_bindgen_test_configure!(run_in_browser);

/// OpenSSL 3.0's output; tests/vectors/pem/README.md has the commands.
mod pem {
    pub const RSA_PKCS8: &str = include_str!("vectors/pem/rsa-2048.pkcs8.pem");
    pub const RSA_PKCS1: &str = include_str!("vectors/pem/rsa-2048.pkcs1.pem");
    pub const RSA_SPKI: &str = include_str!("vectors/pem/rsa-2048.spki.pem");
    pub const RSA_PKCS1_PUBLIC: &str = include_str!("vectors/pem/rsa-2048.pkcs1-public.pem");
    pub const P256_SEC1: &str = include_str!("vectors/pem/p256.sec1-with-params.pem");
    pub const P256_PKCS8: &str = include_str!("vectors/pem/p256.pkcs8.pem");
    pub const P256_SPKI: &str = include_str!("vectors/pem/p256.spki.pem");
    pub const P384_SEC1: &str = include_str!("vectors/pem/p384.sec1.pem");
    pub const P384_PKCS8: &str = include_str!("vectors/pem/p384.pkcs8.pem");
    pub const P384_SPKI: &str = include_str!("vectors/pem/p384.spki.pem");
    pub const ED25519_PKCS8: &str = include_str!("vectors/pem/ed25519.pkcs8.pem");
    pub const ED25519_SPKI: &str = include_str!("vectors/pem/ed25519.spki.pem");
    pub const P521_SEC1: &str = include_str!("vectors/pem/p521.sec1.pem");
    pub const P521_SPKI: &str = include_str!("vectors/pem/p521.spki.pem");
    pub const SECP256K1_SEC1: &str = include_str!("vectors/pem/secp256k1.sec1.pem");
    pub const SECP256K1_SPKI: &str = include_str!("vectors/pem/secp256k1.spki.pem");
    pub const ED448_SPKI: &str = include_str!("vectors/pem/ed448.spki.pem");
    pub const X25519_SPKI: &str = include_str!("vectors/pem/x25519.spki.pem");
    pub const DSA_SPKI: &str = include_str!("vectors/pem/dsa.spki.pem");
    pub const ENCRYPTED_PKCS8: &str = include_str!("vectors/pem/p256.encrypted-pkcs8.pem");
    pub const ENCRYPTED_LEGACY: &str = include_str!("vectors/pem/p256.sec1-legacy-encrypted.pem");
}

fn header(alg: &str) -> JsonObject {
    [("alg", Value::from(alg))].into_iter().collect()
}

fn generated(kind: KeyKind, seed: u64) -> Key {
    Key::generate(kind, &mut SeededRng::new(seed)).unwrap()
}

fn rfc7515_a2() -> Value {
    serde_json::from_str::<Value>(RFC7515_A2_JSON).unwrap()["key"].clone()
}

/// One key of each kind, private then public.
fn every_kind() -> Vec<Key> {
    let privates = [
        Key::from_jwk(&rfc7515_a2()).unwrap(),
        generated(KeyKind::P256, 1),
        generated(KeyKind::P384, 1),
        generated(KeyKind::Ed25519, 1),
    ];
    let publics = privates.clone().map(|key| key.public_key().unwrap());
    privates.into_iter().chain(publics).collect()
}

/// The base64 of a PEM text, changed at one character.
fn with_body_changed(text: &str, at: usize, to: char) -> String {
    let start = text.find('\n').unwrap() + 1 + at;
    let mut changed = text.to_owned();
    changed.replace_range(start..=start, &to.to_string());
    changed
}

#[test]
fn rfc7468_every_key_kind_round_trips_through_pem() {
    for key in every_kind() {
        let text = key.to_pem().unwrap();
        let label = if key.is_private() {
            "PRIVATE KEY"
        } else {
            "PUBLIC KEY"
        };
        assert!(
            text.starts_with(&format!("-----BEGIN {label}-----\n")),
            "{text}"
        );
        assert!(
            text.ends_with(&format!("-----END {label}-----\n")),
            "{text}"
        );
        // RFC 7468 section 2: lines of 64 characters, the last one shorter.
        assert!(text.lines().all(|line| line.len() <= 64));
        let again = Key::from_pem(&text).unwrap();
        assert_eq!(again.to_jwk(), key.to_jwk(), "{key:?}");
        assert_eq!(again.is_private(), key.is_private());
    }
}

#[test]
fn rfc7468_the_pem_written_is_byte_for_byte_what_openssl_writes() {
    for text in [
        pem::RSA_PKCS8,
        pem::RSA_SPKI,
        pem::P256_PKCS8,
        pem::P256_SPKI,
        pem::P384_PKCS8,
        pem::P384_SPKI,
        pem::ED25519_PKCS8,
        pem::ED25519_SPKI,
    ] {
        assert_eq!(Key::from_pem(text).unwrap().to_pem().unwrap(), text);
    }
}

#[test]
fn pkcs1_rsa_keys_read_as_the_same_key_as_their_pkcs8_and_spki_forms() {
    let private = Key::from_pem(pem::RSA_PKCS8).unwrap();
    let traditional = Key::from_pem(pem::RSA_PKCS1).unwrap();
    assert!(matches!(traditional, Key::RsaPrivate(_)));
    assert_eq!(traditional.to_jwk(), private.to_jwk());
    let public = Key::from_pem(pem::RSA_SPKI).unwrap();
    let pkcs1_public = Key::from_pem(pem::RSA_PKCS1_PUBLIC).unwrap();
    assert!(matches!(pkcs1_public, Key::RsaPublic(_)));
    assert_eq!(pkcs1_public.to_jwk(), public.to_jwk());
    assert_eq!(private.public_key().unwrap().to_jwk(), public.to_jwk());
    assert_eq!(private.describe(), "RSA private key, 2048 bits");
}

#[test]
fn sec1_ec_private_keys_read_even_after_an_ec_parameters_block() {
    for (sec1, pkcs8, spki, curve) in [
        (
            pem::P256_SEC1,
            pem::P256_PKCS8,
            pem::P256_SPKI,
            EcCurve::P256,
        ),
        (
            pem::P384_SEC1,
            pem::P384_PKCS8,
            pem::P384_SPKI,
            EcCurve::P384,
        ),
    ] {
        let key = Key::from_pem(sec1).unwrap();
        assert!(matches!(key, Key::EcPrivate(_)));
        assert_eq!(key.curve(), Some(curve));
        assert_eq!(key.to_jwk(), Key::from_pem(pkcs8).unwrap().to_jwk());
        assert_eq!(
            key.public_key().unwrap().to_jwk(),
            Key::from_pem(spki).unwrap().to_jwk()
        );
    }
}

#[test]
fn openssl_keys_sign_and_their_public_pem_verifies() {
    for (private, public, alg) in [
        (pem::RSA_PKCS1, pem::RSA_SPKI, "RS256"),
        (pem::P256_SEC1, pem::P256_SPKI, "ES256"),
        (pem::P384_PKCS8, pem::P384_SPKI, "ES384"),
        (pem::P521_SEC1, pem::P521_SPKI, "ES512"),
        (pem::ED25519_PKCS8, pem::ED25519_SPKI, "EdDSA"),
    ] {
        let private = Key::from_pem(private).unwrap();
        assert_eq!(private.default_alg().name(), alg);
        let token = sign(&header(alg), b"{}", &private, &mut SeededRng::new(1)).unwrap();
        let public = Key::from_pem(public).unwrap();
        assert_eq!(verify(&token, &public).map(Alg::name), Ok(alg));
    }
}

#[test]
fn rfc7468_pem_may_come_with_crlf_white_space_text_around_or_on_one_line() {
    let expected = Key::from_pem(pem::P256_SPKI).unwrap().to_jwk();
    let crlf = format!("\r\n  \t{}\r\n\r\n", pem::P256_SPKI.replace('\n', "\r\n"));
    let indented = pem::P256_SPKI
        .lines()
        .map(|line| format!("    {line}  "))
        .collect::<Vec<_>>()
        .join("\n");
    let one_line = pem::P256_SPKI.replace('\n', " ");
    let explained = format!("The server's key:\n{}Thanks.", pem::P256_SPKI);
    let json_escaped = pem::P256_SPKI.replace('\n', "\\n");
    for text in [crlf, indented, one_line, explained, json_escaped] {
        assert_eq!(Key::from_pem(&text).unwrap().to_jwk(), expected, "{text}");
    }
}

#[test]
fn rfc7468_not_pem_is_named() {
    for text in ["", "   ", "hello", r#"{"kty":"oct"}"#] {
        let error = Key::from_pem(text).unwrap_err();
        assert_eq!(error, KeyError::NotPem);
        assert!(
            error
                .to_string()
                .contains("no \"-----BEGIN ...-----\" line")
        );
    }
}

#[test]
fn rfc7468_an_unknown_label_is_named_with_a_hint_for_certificates_and_ssh_keys() {
    let error =
        Key::from_pem("-----BEGIN NONSENSE-----\nAAAA\n-----END NONSENSE-----").unwrap_err();
    assert_eq!(error, KeyError::PemUnknownLabel("NONSENSE".into()));
    assert!(
        error
            .to_string()
            .starts_with("the PEM label \"NONSENSE\" is not a key this page reads")
    );
    let error =
        Key::from_pem("-----BEGIN CERTIFICATE-----\nAAAA\n-----END CERTIFICATE-----").unwrap_err();
    assert!(error.to_string().contains("openssl x509"));
    let error = Key::from_pem("-----BEGIN OPENSSH PRIVATE KEY-----\n").unwrap_err();
    assert_eq!(
        error,
        KeyError::PemUnknownLabel("OPENSSH PRIVATE KEY".into())
    );
    assert!(error.to_string().contains("ssh-keygen"));
}

#[test]
fn rfc7468_11_an_encrypted_private_key_must_be_decrypted_first() {
    for text in [pem::ENCRYPTED_PKCS8, pem::ENCRYPTED_LEGACY] {
        let error = Key::from_pem(text).unwrap_err();
        assert_eq!(error, KeyError::PemEncrypted);
        assert!(error.to_string().contains("must be decrypted first"));
    }
}

#[test]
fn rfc7468_3_a_body_that_is_not_base64_is_named() {
    let error = Key::from_pem(&with_body_changed(pem::P256_SPKI, 5, '!')).unwrap_err();
    assert_eq!(error, KeyError::PemBadBase64);
    assert!(error.to_string().contains("not base64"));
}

#[test]
fn rfc7468_2_a_missing_or_mismatched_end_line_is_named() {
    let cut = &pem::P256_SPKI[..pem::P256_SPKI.find("-----END").unwrap()];
    let error = Key::from_pem(cut).unwrap_err();
    assert!(matches!(error, KeyError::PemMalformed(_)));
    assert!(
        error
            .to_string()
            .contains("no \"-----END PUBLIC KEY-----\" line")
    );
    let mismatched = pem::P256_SPKI.replace("END PUBLIC KEY", "END PRIVATE KEY");
    let error = Key::from_pem(&mismatched).unwrap_err();
    assert!(
        error
            .to_string()
            .contains("must end with \"-----END PUBLIC KEY-----\""),
        "{error}"
    );
    let error = Key::from_pem("-----BEGIN PUBLIC KEY\nAAAA").unwrap_err();
    assert!(error.to_string().contains("does not end in \"-----\""));
}

#[test]
fn der_that_does_not_parse_is_named_with_its_structure() {
    for (label, structure) in [
        ("PUBLIC KEY", "SubjectPublicKeyInfo"),
        ("PRIVATE KEY", "PKCS#8 PrivateKeyInfo"),
        ("RSA PUBLIC KEY", "PKCS#1 RSAPublicKey"),
        ("RSA PRIVATE KEY", "PKCS#1 RSAPrivateKey"),
        ("EC PRIVATE KEY", "SEC 1 ECPrivateKey"),
    ] {
        let text = format!("-----BEGIN {label}-----\nAAECAwQF\n-----END {label}-----\n");
        let error = Key::from_pem(&text).unwrap_err();
        assert!(
            matches!(&error, KeyError::Der { structure: s, .. } if s.starts_with(structure)),
            "{label}: {error:?}"
        );
        assert!(
            error
                .to_string()
                .starts_with(&format!("the PEM does not hold a valid {structure}")),
            "{error}"
        );
    }
    // A PUBLIC KEY label on a private key's DER.
    let private_der = pem::P256_PKCS8.replace("PRIVATE KEY", "PUBLIC KEY");
    assert!(matches!(
        Key::from_pem(&private_der),
        Err(KeyError::Der { .. })
    ));
}

#[test]
fn rfc5915_3_an_ec_private_key_block_must_follow_ec_parameters_and_fit_its_curve() {
    let parameters_only = &pem::P256_SEC1[..pem::P256_SEC1.find("-----BEGIN EC PRIVATE").unwrap()];
    let error = Key::from_pem(parameters_only).unwrap_err();
    assert!(
        error.to_string().contains("no EC PRIVATE KEY block"),
        "{error}"
    );
    use sec1::der::Encode;
    let p256 = "1.2.840.10045.3.1.7".parse().unwrap();
    for (d, says) in [
        (
            &[1u8; 33][..],
            "its privateKey is 33 bytes; on P-256 it is 32",
        ),
        (&[][..], "its privateKey is 0 bytes"),
    ] {
        let der = sec1::EcPrivateKey {
            private_key: d,
            parameters: Some(sec1::EcParameters::NamedCurve(p256)),
            public_key: None,
        }
        .to_der()
        .unwrap();
        let text = format!(
            "-----BEGIN EC PRIVATE KEY-----\n{}\n-----END EC PRIVATE KEY-----",
            base64_standard(&der)
        );
        let error = Key::from_pem(&text).unwrap_err();
        assert!(error.to_string().contains(says), "{error}");
    }
    // Leading zeros an old encoder dropped are put back.
    let short = sec1::EcPrivateKey {
        private_key: &[1u8; 31],
        parameters: Some(sec1::EcParameters::NamedCurve(p256)),
        public_key: None,
    }
    .to_der()
    .unwrap();
    let text = format!(
        "-----BEGIN EC PRIVATE KEY-----\n{}\n-----END EC PRIVATE KEY-----",
        base64_standard(&short)
    );
    let jwk = Key::from_pem(&text).unwrap().to_jwk();
    let mut d = vec![0u8];
    d.extend([1u8; 31]);
    assert_eq!(jwk["d"], b64_encode(d));
}

fn base64_standard(bytes: &[u8]) -> String {
    use base64::Engine;
    base64::engine::general_purpose::STANDARD.encode(bytes)
}

#[test]
fn unsupported_curves_and_algorithms_are_named() {
    for (text, error) in [
        (
            pem::SECP256K1_SPKI,
            KeyError::UnsupportedCurve("secp256k1".into()),
        ),
        (
            pem::SECP256K1_SEC1,
            KeyError::UnsupportedCurve("secp256k1".into()),
        ),
        (pem::ED448_SPKI, KeyError::UnsupportedCurve("Ed448".into())),
        (
            pem::X25519_SPKI,
            KeyError::UnsupportedCurve("X25519".into()),
        ),
        (
            pem::DSA_SPKI,
            KeyError::UnsupportedAlgorithm("DSA (OID 1.2.840.10040.4.1)".into()),
        ),
    ] {
        assert_eq!(Key::from_pem(text).unwrap_err(), error);
    }
    let message = Key::from_pem(pem::SECP256K1_SPKI).unwrap_err().to_string();
    assert!(message.starts_with("the curve secp256k1 is not supported here"));
    let message = Key::from_pem(pem::DSA_SPKI).unwrap_err().to_string();
    assert!(message.contains("DSA (OID 1.2.840.10040.4.1), is not supported here"));
}

#[test]
fn a_shared_secret_has_no_pem_form() {
    let error = Key::Oct(vec![1; 32]).to_pem().unwrap_err();
    assert_eq!(error, KeyError::NoPemForSecret);
    assert!(error.to_string().contains("no PEM form"));
}

#[test]
fn rfc7518_6_3_an_rsa_private_jwk_is_written_back_with_every_member() {
    // RFC 7520 section 3.4's key lists the CRT members too.
    let jwk: Value =
        serde_json::from_str(include_str!("vectors/rfc7520/3_4.rsa_private_key.json")).unwrap();
    let written = Key::from_jwk(&jwk).unwrap().to_jwk();
    for member in ["kty", "n", "e", "d", "p", "q", "dp", "dq", "qi"] {
        assert_eq!(written[member], jwk[member], "{member}");
    }
}

#[test]
fn private_jwks_carry_their_private_members_and_public_ones_do_not() {
    let members = |jwk: &Value| {
        let mut names: Vec<String> = jwk.as_object().unwrap().keys().cloned().collect();
        names.sort();
        names.join(",")
    };
    let expected = [
        "d,dp,dq,e,kty,n,p,q,qi",
        "crv,d,kty,x,y",
        "crv,d,kty,x,y",
        "crv,d,kty,x",
        "e,kty,n",
        "crv,kty,x,y",
        "crv,kty,x,y",
        "crv,kty,x",
    ];
    for (key, expected) in every_kind().iter().zip(expected) {
        let jwk = key.to_jwk();
        assert_eq!(members(&jwk), expected);
        assert_eq!(Key::from_jwk(&jwk).unwrap().to_jwk(), jwk);
    }
    let p384 = generated(KeyKind::P384, 1).to_jwk();
    assert_eq!(p384["crv"], "P-384");
    // RFC 7518 section 6.2.2.1: d has the full size of the curve's order.
    assert_eq!(p384["d"].as_str().unwrap().len(), 64);
    assert_eq!(
        Key::Oct(b"secret".to_vec()).to_jwk(),
        json!({ "kty": "oct", "k": b64_encode("secret") })
    );
}

#[test]
fn public_key_is_private_default_alg_and_describe() {
    let keys = every_kind();
    let expected = [
        ("RS256", "RSA private key, 2048 bits"),
        ("ES256", "EC private key on P-256"),
        ("ES384", "EC private key on P-384"),
        ("EdDSA", "Ed25519 private key"),
        ("RS256", "RSA public key, 2048 bits"),
        ("ES256", "EC public key on P-256"),
        ("ES384", "EC public key on P-384"),
        ("EdDSA", "Ed25519 public key"),
    ];
    for (index, (key, (alg, describe))) in keys.iter().zip(expected).enumerate() {
        assert_eq!(key.is_private(), index < 4);
        assert_eq!(key.default_alg().name(), alg);
        assert_eq!(key.describe(), describe);
        let public = key.public_key().unwrap();
        assert!(!public.is_private());
        assert_eq!(public.to_jwk(), keys[index % 4 + 4].to_jwk());
    }
    let secret = Key::Oct(vec![0; 32]);
    assert!(secret.is_private());
    assert!(secret.public_key().is_none());
    assert_eq!(secret.default_alg(), Alg::Hs256);
    assert_eq!(secret.describe(), "shared secret, 32 bytes (256 bits)");
}

#[test]
fn debug_output_never_shows_a_private_key() {
    for key in every_kind()
        .into_iter()
        .chain([Key::Oct(b"hunter2hunter2".to_vec())])
    {
        let debug = format!("{key:?}");
        let jwk = key.to_jwk();
        for member in ["d", "p", "q", "k"] {
            if let Some(secret) = jwk[member].as_str() {
                assert!(!debug.contains(secret), "{debug}");
            }
        }
        assert!(!debug.contains("hunter2"));
        if key.is_private() {
            assert!(debug.contains("[redacted]"), "{debug}");
        }
    }
}

#[test]
fn generated_keys_are_of_the_kind_asked_and_come_from_the_rng() {
    let secret = generated(KeyKind::Secret { bytes: 48 }, 1);
    assert!(matches!(&secret, Key::Oct(bytes) if bytes.len() == 48));
    assert_eq!(generated(KeyKind::P256, 1).curve(), Some(EcCurve::P256));
    assert_eq!(generated(KeyKind::P384, 1).curve(), Some(EcCurve::P384));
    assert!(matches!(
        generated(KeyKind::Ed25519, 1),
        Key::Ed25519Private(_)
    ));
    for kind in [KeyKind::P256, KeyKind::P384, KeyKind::Ed25519] {
        // The same seed makes the same key (the workshop mode relies on
        // it); another seed another key.
        assert_eq!(generated(kind, 7).to_jwk(), generated(kind, 7).to_jwk());
        assert_ne!(generated(kind, 7).to_jwk(), generated(kind, 8).to_jwk());
    }
}

/// A random source that has none to give.
struct NoRandomness;

impl Rng for NoRandomness {
    fn fill_bytes(&mut self, _: &mut [u8]) -> Result<(), RandomnessUnavailable> {
        Err(RandomnessUnavailable("no crypto.getRandomValues".into()))
    }
}

/// A random source stuck on zeros, which no EC key can come from.
struct Zeros;

impl Rng for Zeros {
    fn fill_bytes(&mut self, dest: &mut [u8]) -> Result<(), RandomnessUnavailable> {
        dest.fill(0);
        Ok(())
    }
}

#[test]
fn generation_reports_a_failing_random_source_instead_of_making_a_weak_key() {
    for kind in [
        KeyKind::Secret { bytes: 32 },
        KeyKind::P256,
        KeyKind::P384,
        KeyKind::Ed25519,
    ] {
        assert_eq!(
            Key::generate(kind, &mut NoRandomness).unwrap_err(),
            RandomnessUnavailable("no crypto.getRandomValues".into())
        );
    }
    for kind in [KeyKind::P256, KeyKind::P384] {
        let error = Key::generate(kind, &mut Zeros).unwrap_err();
        assert!(error.0.contains("gave no valid"), "{error}");
    }
}

#[test]
fn rfc7518_3_2_an_hmac_key_shorter_than_the_hash_is_flagged() {
    let bytes = |n: usize| Key::Oct(vec![7; n]);
    assert_eq!(
        hmac_key_too_short(Alg::Hs256, &bytes(31)),
        Some(ShortHmacKey {
            key_bits: 248,
            required_bits: 256
        })
    );
    assert_eq!(hmac_key_too_short(Alg::Hs256, &bytes(32)), None);
    assert_eq!(
        hmac_key_too_short(Alg::Hs384, &bytes(32)),
        Some(ShortHmacKey {
            key_bits: 256,
            required_bits: 384
        })
    );
    assert_eq!(hmac_key_too_short(Alg::Hs384, &bytes(48)), None);
    assert_eq!(
        hmac_key_too_short(Alg::Hs512, &bytes(63)),
        Some(ShortHmacKey {
            key_bits: 504,
            required_bits: 512
        })
    );
    assert_eq!(hmac_key_too_short(Alg::Hs512, &bytes(64)), None);
    assert_eq!(
        hmac_key_too_short(Alg::Hs256, &Key::Oct(Vec::new())),
        Some(ShortHmacKey {
            key_bits: 0,
            required_bits: 256
        })
    );
    // Not an HMAC algorithm, or not a secret: nothing to say.
    assert_eq!(hmac_key_too_short(Alg::Rs256, &bytes(1)), None);
    assert_eq!(
        hmac_key_too_short(Alg::Hs256, &generated(KeyKind::P256, 1)),
        None
    );
    let message = hmac_key_too_short(Alg::Hs256, &Key::Oct(b"secret".to_vec()))
        .unwrap()
        .to_string();
    assert!(message.contains("only 48 bits"), "{message}");
    assert!(message.contains("RFC 7518 section 3.2"), "{message}");
    assert!(message.contains("256 bits"), "{message}");
    assert!(!message.contains('\n'));
}

#[cfg(not(target_arch = "wasm32"))]
mod properties {
    use super::*;
    use base64::Engine;
    use base64::engine::general_purpose::STANDARD;
    use proptest::prelude::*;

    const LABELS: [&str; 6] = [
        "PUBLIC KEY",
        "PRIVATE KEY",
        "RSA PUBLIC KEY",
        "RSA PRIVATE KEY",
        "EC PRIVATE KEY",
        "EC PARAMETERS",
    ];

    fn armor(label: &str, der: &[u8]) -> String {
        format!(
            "-----BEGIN {label}-----\n{}\n-----END {label}-----\n",
            STANDARD.encode(der)
        )
    }

    /// The DER inside an OpenSSL fixture.
    fn der_of(text: &str) -> Vec<u8> {
        let body: String = text
            .lines()
            .filter(|line| !line.starts_with("-----"))
            .collect();
        STANDARD.decode(body).unwrap()
    }

    proptest! {
        #[test]
        fn from_pem_never_panics_on_any_text(text in "(?s).{0,400}") {
            let _ = Key::from_pem(&text);
        }

        #[test]
        fn from_pem_never_panics_on_pieces_of_armour(
            pieces in proptest::collection::vec(
                prop::sample::select(vec![
                    "-----BEGIN ", "-----END ", "-----", "PUBLIC KEY", "PRIVATE KEY",
                    "EC PARAMETERS", "ENCRYPTED PRIVATE KEY", "\n", "\r\n", "\\n", " ",
                    "Proc-Type: 4,ENCRYPTED", ":", "=", "MFkwEwYHKoZIzj0CAQ", "AAAA", "é",
                ]),
                0..16,
            ),
        ) {
            let _ = Key::from_pem(&pieces.concat());
        }

        #[test]
        fn from_pem_never_panics_on_armoured_random_bytes(
            label in 0..LABELS.len(),
            der in proptest::collection::vec(any::<u8>(), 0..300),
        ) {
            let _ = Key::from_pem(&armor(LABELS[label], &der));
        }

        #[test]
        fn from_pem_never_panics_on_a_real_key_with_bytes_changed(
            fixture in 0..9usize,
            changes in proptest::collection::vec((any::<prop::sample::Index>(), any::<u8>()), 1..4),
        ) {
            let (label, text) = [
                ("PRIVATE KEY", pem::P256_PKCS8),
                ("PUBLIC KEY", pem::P256_SPKI),
                ("EC PRIVATE KEY", pem::P384_SEC1),
                ("PRIVATE KEY", pem::ED25519_PKCS8),
                ("PUBLIC KEY", pem::ED25519_SPKI),
                ("PUBLIC KEY", pem::RSA_SPKI),
                ("RSA PUBLIC KEY", pem::RSA_PKCS1_PUBLIC),
                ("PRIVATE KEY", pem::RSA_PKCS8),
                ("RSA PRIVATE KEY", pem::RSA_PKCS1),
            ][fixture];
            let mut der = der_of(text);
            for (index, byte) in changes {
                let at = index.index(der.len());
                der[at] = byte;
            }
            let _ = Key::from_pem(&armor(label, &der));
        }

        #[test]
        fn from_jwk_never_panics_on_any_members(
            kty in "(oct|RSA|EC|OKP|x)",
            crv in "(P-256|P-384|P-521|Ed25519|X25519|)",
            members in proptest::collection::vec("[A-Za-z0-9_-]{0,70}", 9),
        ) {
            let mut jwk = json!({ "kty": kty, "crv": crv });
            for (name, value) in ["x", "y", "d", "k", "n", "e", "p", "q", "kid"].iter().zip(members) {
                jwk[*name] = value.into();
            }
            let _ = Key::from_jwk(&jwk);
        }
    }
}
