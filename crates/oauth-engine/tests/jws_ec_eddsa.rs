//! ES256, ES384, ES512 and EdDSA in the debugger's `jwa`: the RFC vectors, round
//! trips, and the reason given for each way a signature or key is wrong.
//! Runs natively and in headless Chromium (the property tests natively
//! only).

use oauth_engine::jose::{b64_decode, b64_encode};
use oauth_engine::json::JsonObject;
use oauth_engine::jwa::{
    Alg, EcCurve, Key, KeyError, KeyKind, KeyType, SignError, VerifyError, sign, verify,
};
use oauth_engine::keys::RFC7515_A2_JSON;
use oauth_engine::rng::SeededRng;
use serde_json::{Value, json};

#[cfg(target_arch = "wasm32")]
use wasm_bindgen_test::wasm_bindgen_test as test;
#[cfg(target_arch = "wasm32")]
wasm_bindgen_test::wasm_bindgen_test_configure!(run_in_browser);

const RFC7515_A3: &str = include_str!("vectors/rfc7515/a3_es256.json");
const RFC7515_A4: &str = include_str!("vectors/rfc7515/a4_es512.json");
const RFC8037_A: &str = include_str!("vectors/rfc8037/ed25519-jws.json");

fn vector(text: &str) -> Value {
    serde_json::from_str(text).unwrap()
}

fn header(alg: &str) -> JsonObject {
    [("alg", Value::from(alg)), ("typ", Value::from("JWT"))]
        .into_iter()
        .collect()
}

fn generated(kind: KeyKind, seed: u64) -> Key {
    Key::generate(kind, &mut SeededRng::new(seed)).unwrap()
}

fn rsa() -> Key {
    Key::from_jwk(&vector(RFC7515_A2_JSON)["key"]).unwrap()
}

/// The same token with its payload swapped for another.
fn with_other_payload(token: &str) -> String {
    let (head, rest) = token.split_once('.').unwrap();
    let (_, signature) = rest.split_once('.').unwrap();
    format!("{head}.eyJzdWIiOiJtYWxsb3J5In0.{signature}")
}

/// The same token with its signature replaced.
fn with_signature(token: &str, signature: &[u8]) -> String {
    let (input, _) = token.rsplit_once('.').unwrap();
    format!("{input}.{}", b64_encode(signature))
}

fn without(jwk: &Value, member: &str) -> Value {
    let mut jwk = jwk.clone();
    jwk.as_object_mut().unwrap().remove(member);
    jwk
}

#[test]
fn rfc7515_a_3_es256_verifies_with_the_public_and_the_private_jwk() {
    let vector = vector(RFC7515_A3);
    let compact = vector["compact"].as_str().unwrap();
    let private = Key::from_jwk(&vector["key"]).unwrap();
    assert!(matches!(private, Key::EcPrivate(_)));
    assert_eq!(verify(compact, &private), Ok(Alg::Es256));
    let public = Key::from_jwk(&without(&vector["key"], "d")).unwrap();
    assert!(matches!(public, Key::EcPublic(_)));
    assert_eq!(verify(compact, &public), Ok(Alg::Es256));
    assert_eq!(
        verify(&with_other_payload(compact), &public),
        Err(VerifyError::Mismatch)
    );
}

#[test]
fn rfc6979_es256_and_es384_signatures_are_deterministic_and_verify() {
    // ECDSA's nonce comes from the key and message (RFC 6979 section 3.2):
    // signing twice gives the same bytes, with no random source involved.
    for (alg, key) in [
        ("ES256", Key::from_jwk(&vector(RFC7515_A3)["key"]).unwrap()),
        ("ES384", generated(KeyKind::P384, 5)),
    ] {
        let first = sign(&header(alg), b"{}", &key, &mut SeededRng::new(1)).unwrap();
        let second = sign(&header(alg), b"{}", &key, &mut SeededRng::new(2)).unwrap();
        assert_eq!(first, second, "{alg}");
        assert_eq!(verify(&first, &key).map(Alg::name), Ok(alg));
    }
}

#[test]
fn fips186_5_es512_draws_its_nonce_from_the_random_source() {
    // No RFC 6979 signer for P-521 in the build: each signature takes a
    // fresh nonce, so two differ and both verify; a source that fails is
    // named, and never signs with a zero nonce.
    let key = generated(KeyKind::P521, 5);
    let first = sign(&header("ES512"), b"{}", &key, &mut SeededRng::new(1)).unwrap();
    let second = sign(&header("ES512"), b"{}", &key, &mut SeededRng::new(2)).unwrap();
    assert_ne!(first, second);
    for token in [&first, &second] {
        assert_eq!(verify(token, &key.public_key().unwrap()), Ok(Alg::Es512));
    }
    let failing = sign(&header("ES512"), b"{}", &key, &mut FailingRng);
    assert!(
        matches!(failing, Err(SignError::Randomness(_))),
        "{failing:?}"
    );
}

/// A random source that is never available.
struct FailingRng;

impl oauth_engine::rng::Rng for FailingRng {
    fn fill_bytes(&mut self, _: &mut [u8]) -> Result<(), oauth_engine::rng::RandomnessUnavailable> {
        Err(oauth_engine::rng::RandomnessUnavailable("no source".into()))
    }
}

#[test]
fn rfc7515_a_4_es512_verifies_with_the_public_and_the_private_jwk() {
    let vector = vector(RFC7515_A4);
    let compact = vector["compact"].as_str().unwrap();
    let private = Key::from_jwk(&vector["key"]).unwrap();
    assert!(matches!(private, Key::EcPrivate(_)));
    assert_eq!(verify(compact, &private), Ok(Alg::Es512));
    let public = Key::from_jwk(&without(&vector["key"], "d")).unwrap();
    assert_eq!(verify(compact, &public), Ok(Alg::Es512));
    assert_eq!(
        verify(&with_other_payload(compact), &public),
        Err(VerifyError::Mismatch)
    );
    // RFC 7518 section 3.4: R and S of 66 octets each, 132 in all.
    assert_eq!(
        verify(&with_signature(compact, &[1; 128]), &public),
        Err(VerifyError::SignatureLength {
            expected: 132,
            actual: 128
        })
    );
    // ES512 is P-521 only: a P-256 key is named as the wrong curve.
    assert_eq!(
        verify(compact, &generated(KeyKind::P256, 1)),
        Err(VerifyError::CurveMismatch {
            alg: Alg::Es512,
            curve: EcCurve::P256
        })
    );
}

#[test]
fn rfc7520_3_1_and_3_2_the_p521_jwks_read_and_round_trip() {
    let public = Key::from_jwk(&vector(include_str!(
        "vectors/rfc7520/3_1.ec_public_key.json"
    )))
    .unwrap();
    let private = Key::from_jwk(&vector(include_str!(
        "vectors/rfc7520/3_2.ec_private_key.json"
    )))
    .unwrap();
    assert_eq!(private.curve(), Some(EcCurve::P521));
    assert_eq!(private.public_key().unwrap().to_jwk(), public.to_jwk());
    for key in [public, private] {
        assert_eq!(Key::from_jwk(&key.to_jwk()).unwrap().to_jwk(), key.to_jwk());
    }
}

#[test]
fn rfc8037_a_4_ed25519_signs_to_the_exact_vector_signature_and_verifies() {
    let vector = vector(RFC8037_A);
    let key = Key::from_jwk(&vector["input"]["key"]).unwrap();
    assert!(matches!(key, Key::Ed25519Private(_)));
    let payload = vector["input"]["payload"].as_str().unwrap();
    let header: JsonObject = [("alg", Value::from("EdDSA"))].into_iter().collect();
    let compact = sign(&header, payload.as_bytes(), &key, &mut SeededRng::new(1)).unwrap();
    assert_eq!(compact, vector["output"]["compact"].as_str().unwrap());
    assert_eq!(verify(&compact, &key), Ok(Alg::EdDsa));
    // RFC 8037 A.5: the public key alone verifies.
    let public = Key::from_jwk(&without(&vector["input"]["key"], "d")).unwrap();
    assert!(matches!(public, Key::Ed25519Public(_)));
    assert_eq!(verify(&compact, &public), Ok(Alg::EdDsa));
    assert_eq!(
        verify(&with_other_payload(&compact), &public),
        Err(VerifyError::Mismatch)
    );
}

#[test]
fn every_algorithm_signs_what_it_verifies_and_refuses_a_changed_payload() {
    let secret = Key::generate(KeyKind::Secret { bytes: 64 }, &mut SeededRng::new(3)).unwrap();
    let rsa = rsa();
    let p256 = generated(KeyKind::P256, 3);
    let p384 = generated(KeyKind::P384, 3);
    let p521 = generated(KeyKind::P521, 3);
    let ed25519 = generated(KeyKind::Ed25519, 3);
    let mut rng = SeededRng::new(9);
    for (alg, key) in [
        ("HS256", &secret),
        ("HS384", &secret),
        ("HS512", &secret),
        ("RS256", &rsa),
        ("RS384", &rsa),
        ("RS512", &rsa),
        ("PS256", &rsa),
        ("PS384", &rsa),
        ("PS512", &rsa),
        ("ES256", &p256),
        ("ES384", &p384),
        ("ES512", &p521),
        ("EdDSA", &ed25519),
    ] {
        let token = sign(&header(alg), br#"{"sub":"alice"}"#, key, &mut rng).unwrap();
        let verifier = key.public_key().unwrap_or_else(|| key.clone());
        assert_eq!(verify(&token, &verifier).map(Alg::name), Ok(alg));
        assert_eq!(verify(&token, key).map(Alg::name), Ok(alg));
        assert_eq!(
            verify(&with_other_payload(&token), &verifier),
            Err(VerifyError::Mismatch),
            "{alg}"
        );
    }
}

#[test]
fn a_token_checked_with_another_key_of_the_right_kind_is_a_mismatch() {
    let mut rng = SeededRng::new(1);
    for (alg, kind) in [
        ("ES256", KeyKind::P256),
        ("ES384", KeyKind::P384),
        ("EdDSA", KeyKind::Ed25519),
    ] {
        let token = sign(&header(alg), b"{}", &generated(kind, 1), &mut rng).unwrap();
        let other = generated(kind, 2).public_key().unwrap();
        assert_eq!(verify(&token, &other), Err(VerifyError::Mismatch), "{alg}");
    }
}

#[test]
fn rfc7518_3_4_es384_with_a_p256_key_is_named_a_curve_mismatch() {
    let p256 = generated(KeyKind::P256, 1);
    let p384 = generated(KeyKind::P384, 1);
    let es384 = sign(&header("ES384"), b"{}", &p384, &mut SeededRng::new(1)).unwrap();
    let error = verify(&es384, &p256).unwrap_err();
    assert_eq!(
        error,
        VerifyError::CurveMismatch {
            alg: Alg::Es384,
            curve: EcCurve::P256
        }
    );
    assert!(error.to_string().contains("ES384 signs with P-384 only"));
    let es256 = sign(&header("ES256"), b"{}", &p256, &mut SeededRng::new(1)).unwrap();
    assert_eq!(
        verify(&es256, &p384),
        Err(VerifyError::CurveMismatch {
            alg: Alg::Es256,
            curve: EcCurve::P384
        })
    );
    assert_eq!(
        sign(&header("ES384"), b"{}", &p256, &mut SeededRng::new(1)),
        Err(SignError::CurveMismatch {
            alg: Alg::Es384,
            curve: EcCurve::P256
        })
    );
}

#[test]
fn rfc8725_2_1_an_ec_or_ed25519_token_with_another_kind_of_key_is_named() {
    let p256 = generated(KeyKind::P256, 1);
    let ed25519 = generated(KeyKind::Ed25519, 1);
    let es256 = sign(&header("ES256"), b"{}", &p256, &mut SeededRng::new(1)).unwrap();
    let eddsa = sign(&header("EdDSA"), b"{}", &ed25519, &mut SeededRng::new(1)).unwrap();
    assert_eq!(
        verify(&es256, &rsa()),
        Err(VerifyError::KeyTypeMismatch {
            alg: Alg::Es256,
            key: KeyType::Rsa
        })
    );
    let error = verify(&eddsa, &p256).unwrap_err();
    assert_eq!(
        error,
        VerifyError::KeyTypeMismatch {
            alg: Alg::EdDsa,
            key: KeyType::Ec
        }
    );
    assert!(error.to_string().contains("algorithm confusion"));
    assert_eq!(
        verify(&es256, &ed25519),
        Err(VerifyError::KeyTypeMismatch {
            alg: Alg::Es256,
            key: KeyType::Okp
        })
    );
    // The HMAC form of the attack: the public key's bytes as a secret.
    let error = verify(&es256, &Key::Oct(b"public key bytes".to_vec())).unwrap_err();
    assert!(error.to_string().contains("used as an HMAC secret"));
    let hs256 = sign(
        &header("HS256"),
        b"{}",
        &Key::Oct(b"public key bytes".to_vec()),
        &mut SeededRng::new(1),
    )
    .unwrap();
    assert_eq!(
        verify(&hs256, &ed25519.public_key().unwrap()),
        Err(VerifyError::KeyTypeMismatch {
            alg: Alg::Hs256,
            key: KeyType::Okp
        })
    );
    assert_eq!(
        sign(&header("EdDSA"), b"{}", &p256, &mut SeededRng::new(1)),
        Err(SignError::KeyTypeMismatch {
            alg: Alg::EdDsa,
            key: KeyType::Ec
        })
    );
}

#[test]
fn rfc7518_3_4_an_ecdsa_signature_must_be_r_and_s_of_the_curve_size() {
    let p256 = generated(KeyKind::P256, 1);
    let p384 = generated(KeyKind::P384, 1);
    let es256 = sign(&header("ES256"), b"{}", &p256, &mut SeededRng::new(1)).unwrap();
    let es384 = sign(&header("ES384"), b"{}", &p384, &mut SeededRng::new(1)).unwrap();
    // A DER-encoded ECDSA signature, the classic interop mistake, is 70-72
    // bytes for P-256: refused by its length.
    let der_like = [0x30u8; 71];
    assert_eq!(
        verify(&with_signature(&es256, &der_like), &p256),
        Err(VerifyError::SignatureLength {
            expected: 64,
            actual: 71
        })
    );
    assert_eq!(
        verify(&with_signature(&es384, &[1; 64]), &p384),
        Err(VerifyError::SignatureLength {
            expected: 96,
            actual: 64
        })
    );
    // R and S must lie in 1..n: zero, and all-ones (above n), are refused.
    for bytes in [[0u8; 64], [0xff; 64]] {
        assert_eq!(
            verify(&with_signature(&es256, &bytes), &p256),
            Err(VerifyError::Mismatch)
        );
    }
}

#[test]
fn rfc8032_5_1_6_an_ed25519_signature_is_64_bytes() {
    let key = generated(KeyKind::Ed25519, 1);
    let token = sign(&header("EdDSA"), b"{}", &key, &mut SeededRng::new(1)).unwrap();
    assert_eq!(
        verify(&with_signature(&token, &[7; 63]), &key),
        Err(VerifyError::SignatureLength {
            expected: 64,
            actual: 63
        })
    );
    assert_eq!(
        verify(&with_signature(&token, &[7; 64]), &key),
        Err(VerifyError::Mismatch)
    );
}

#[test]
fn signing_with_an_ec_or_ed25519_public_key_needs_the_private_key() {
    for (alg, kind) in [("ES256", KeyKind::P256), ("EdDSA", KeyKind::Ed25519)] {
        let public = generated(kind, 1).public_key().unwrap();
        assert_eq!(
            sign(&header(alg), b"{}", &public, &mut SeededRng::new(1)),
            Err(SignError::PublicKeyOnly)
        );
    }
}

#[test]
fn signing_with_an_unknown_or_missing_alg_names_it() {
    let key = Key::Oct(vec![1; 32]);
    let error = sign(&header("HS257"), b"{}", &key, &mut SeededRng::new(1)).unwrap_err();
    assert_eq!(error, SignError::UnknownAlg("HS257".into()));
    let error = sign(&JsonObject::new(), b"{}", &key, &mut SeededRng::new(1)).unwrap_err();
    assert_eq!(
        error.to_string(),
        "the header names no \"alg\" to sign with"
    );
}

#[test]
fn rfc7518_6_2_an_ec_jwk_is_checked_member_by_member() {
    let jwk = vector(RFC7515_A3)["key"].clone();
    let mut short_x = jwk.clone();
    short_x["x"] = b64_encode([1u8; 31]).into();
    let error = Key::from_jwk(&short_x).unwrap_err();
    assert_eq!(
        error,
        KeyError::MemberLength {
            member: "x",
            expected: 32,
            actual: 31
        }
    );
    assert!(error.to_string().contains("\"x\" is 31 bytes"));
    // Off the curve: y changed by one bit. Invalid-curve attacks start
    // from points like this (RFC 8725 section 3.4).
    let mut y = b64_decode(jwk["y"].as_str().unwrap()).unwrap();
    y[31] ^= 1;
    let mut off_curve = without(&jwk, "d");
    off_curve["y"] = b64_encode(&y).into();
    let error = Key::from_jwk(&off_curve).unwrap_err();
    assert_eq!(error, KeyError::NotOnCurve("P-256"));
    assert!(error.to_string().contains("not a point on P-256"));
    let mut zero_d = jwk.clone();
    zero_d["d"] = b64_encode([0u8; 32]).into();
    assert_eq!(
        Key::from_jwk(&zero_d).unwrap_err(),
        KeyError::PrivateKeyOutOfRange("P-256")
    );
    let mut long_d = jwk.clone();
    long_d["d"] = b64_encode([1u8; 33]).into();
    assert_eq!(
        Key::from_jwk(&long_d).unwrap_err(),
        KeyError::MemberLength {
            member: "d",
            expected: 32,
            actual: 33
        }
    );
    let mut other_d = jwk.clone();
    other_d["d"] = generated(KeyKind::P256, 1).to_jwk()["d"].clone();
    assert_eq!(
        Key::from_jwk(&other_d).unwrap_err(),
        KeyError::PublicKeyMismatch
    );
    assert_eq!(
        Key::from_jwk(&without(&jwk, "crv")).unwrap_err(),
        KeyError::MissingMember("crv")
    );
    assert_eq!(
        Key::from_jwk(&without(&jwk, "y")).unwrap_err(),
        KeyError::MissingMember("y")
    );
    let mut k1 = jwk.clone();
    k1["crv"] = "secp256k1".into();
    let error = Key::from_jwk(&k1).unwrap_err();
    assert_eq!(error, KeyError::UnsupportedCurve("secp256k1".into()));
    assert!(
        error
            .to_string()
            .contains("use P-256 (ES256), P-384 (ES384)")
    );
    // A P-256 point read as P-384 has coordinates of the wrong size.
    let mut p384 = jwk.clone();
    p384["crv"] = "P-384".into();
    assert!(matches!(
        Key::from_jwk(&p384),
        Err(KeyError::MemberLength {
            member: "x",
            expected: 48,
            ..
        })
    ));
}

#[test]
fn rfc8037_2_an_okp_jwk_must_be_ed25519_with_a_valid_x() {
    let jwk = vector(RFC8037_A)["input"]["key"].clone();
    for (crv, says) in [
        ("X25519", "key-agreement curve"),
        ("X448", "key-agreement curve"),
        ("Ed448", "Ed25519 keys only"),
    ] {
        let mut other = jwk.clone();
        other["crv"] = crv.into();
        let error = Key::from_jwk(&other).unwrap_err();
        assert_eq!(error, KeyError::UnsupportedCurve(crv.into()));
        assert!(error.to_string().contains(says), "{error}");
    }
    let mut short = without(&jwk, "d");
    short["x"] = b64_encode([9u8; 31]).into();
    assert_eq!(
        Key::from_jwk(&short).unwrap_err(),
        KeyError::MemberLength {
            member: "x",
            expected: 32,
            actual: 31
        }
    );
    // y = 2 has no x on the curve: no point decodes from it.
    let mut two = [0u8; 32];
    two[0] = 2;
    let mut not_a_point = without(&jwk, "d");
    not_a_point["x"] = b64_encode(two).into();
    assert_eq!(
        Key::from_jwk(&not_a_point).unwrap_err(),
        KeyError::NotOnCurve("Ed25519")
    );
    let mut other_d = jwk.clone();
    other_d["d"] = b64_encode([5u8; 32]).into();
    assert_eq!(
        Key::from_jwk(&other_d).unwrap_err(),
        KeyError::PublicKeyMismatch
    );
    assert_eq!(
        Key::from_jwk(&without(&jwk, "x")).unwrap_err(),
        KeyError::MissingMember("x")
    );
}

#[test]
fn a_jwks_picks_ec_and_okp_keys_by_kid() {
    let mut ec = vector(RFC7515_A3)["key"].clone();
    ec["kid"] = "ec".into();
    let mut okp = vector(RFC8037_A)["input"]["key"].clone();
    okp["kid"] = "okp".into();
    let jwks = json!({ "keys": [without(&ec, "d"), without(&okp, "d")] });
    let key = Key::from_jwks(&jwks, Some("ec")).unwrap();
    assert_eq!(
        verify(vector(RFC7515_A3)["compact"].as_str().unwrap(), &key),
        Ok(Alg::Es256)
    );
    let key = Key::from_jwks(&jwks, Some("okp")).unwrap();
    assert_eq!(
        verify(
            vector(RFC8037_A)["output"]["compact"].as_str().unwrap(),
            &key
        ),
        Ok(Alg::EdDsa)
    );
}

#[cfg(not(target_arch = "wasm32"))]
mod properties {
    use super::*;
    use proptest::prelude::*;
    use std::sync::LazyLock;

    /// Made once: key generation is slow in a debug build.
    static KEYS: LazyLock<[Key; 3]> = LazyLock::new(|| {
        [
            generated(KeyKind::P256, 1),
            generated(KeyKind::P384, 1),
            generated(KeyKind::Ed25519, 1),
        ]
    });

    proptest! {
        #[test]
        fn an_ec_or_okp_jwk_of_any_shape_gives_a_key_or_an_error(
            kty in "(EC|OKP)",
            crv in "(P-256|P-384|P-521|Ed25519|X25519|x)",
            x in proptest::collection::vec(any::<u8>(), 0..50),
            y in proptest::collection::vec(any::<u8>(), 0..50),
            d in proptest::option::of(proptest::collection::vec(any::<u8>(), 0..50)),
        ) {
            let mut jwk = json!({ "kty": kty, "crv": crv, "x": b64_encode(&x), "y": b64_encode(&y) });
            if let Some(d) = d {
                jwk["d"] = b64_encode(d).into();
            }
            let _ = Key::from_jwk(&jwk);
        }

        #[test]
        fn verify_never_panics_on_arbitrary_ec_and_ed25519_signatures(
            signature in proptest::collection::vec(any::<u8>(), 0..120),
            alg in "(ES256|ES384|EdDSA)",
        ) {
            let header = b64_encode(format!(r#"{{"alg":"{alg}"}}"#));
            let token = format!("{header}.e30.{}", b64_encode(&signature));
            for key in KEYS.iter() {
                let _ = verify(&token, key);
            }
        }
    }
}
