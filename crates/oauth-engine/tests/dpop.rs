//! DPoP proofs (RFC 9449): the RFC's own example proofs and thumbprint, a
//! proof the client signs checked as the server checks it, and each check
//! of section 4.3 refusing what it exists to refuse, by name.

use oauth_engine::clock::UnixTime;
use oauth_engine::dpop::{
    DpopKey, IAT_WINDOW, ProofClaims, ProofContext, ProofError, SeenProofs, access_token_hash,
    check_proof, htu, thumbprint,
};
use oauth_engine::error::ErrorCode;
use oauth_engine::http::{Method, Url};
use oauth_engine::jose::{b64_decode, b64_encode, rsa_thumbprint};
use oauth_engine::jwa::ES256;
use oauth_engine::rng::{RandomnessUnavailable, Rng, SeededRng};
use serde_json::{Value, json};

#[cfg(target_arch = "wasm32")]
use wasm_bindgen_test::wasm_bindgen_test as test;
#[cfg(target_arch = "wasm32")]
wasm_bindgen_test::wasm_bindgen_test_configure!(run_in_browser);

const EXAMPLES: &str = include_str!("vectors/rfc9449/examples.json");
const RFC7638_EXAMPLE: &str = include_str!("vectors/rfc7638/example.json");
const TOKEN_URL: &str = "https://as.example/token";
const NOW: UnixTime = UnixTime(1_767_225_600);

fn examples() -> Value {
    serde_json::from_str(EXAMPLES).unwrap()
}

fn url(text: &str) -> Url {
    Url::parse(text).unwrap()
}

/// The key whose private scalar is `[seed; 32]`.
fn key(seed: u8) -> DpopKey {
    DpopKey::from_scalar(&[seed; 32], ES256).unwrap()
}

fn claims(method: Method, target: &str) -> ProofClaims {
    ProofClaims::for_request(method, &url(target), NOW, &mut SeededRng::new(7)).unwrap()
}

fn at_token_endpoint(target: &Url) -> ProofContext<'_> {
    ProofContext {
        method: Method::Post,
        url: target,
        now: NOW,
        access_token: None,
        nonce: None,
        es256: ES256,
    }
}

/// A proof over exactly `header` and `claims`, signed with the private
/// scalar `[seed; 32]` (the key `key(seed)`): for proofs the client would
/// never make.
fn signed(seed: u8, header: &Value, claims: &Value) -> String {
    use p256::ecdsa::signature::Signer;
    let signer = p256::ecdsa::SigningKey::from_slice(&[seed; 32]).unwrap();
    let input = format!(
        "{}.{}",
        b64_encode(header.to_string()),
        b64_encode(claims.to_string())
    );
    let signature: p256::ecdsa::Signature = signer.sign(input.as_bytes());
    format!("{input}.{}", b64_encode(signature.to_bytes()))
}

fn header_of(key: &DpopKey) -> Value {
    json!({ "typ": "dpop+jwt", "alg": "ES256", "jwk": key.public_jwk() })
}

fn refused(proof: &str, context: &ProofContext<'_>) -> ProofError {
    check_proof(proof, context).unwrap_err()
}

#[test]
fn rfc9449_4_1_example_token_request_proof_is_valid() {
    let example = &examples()["token_request"];
    let target = url(example["url"].as_str().unwrap());
    let context = ProofContext {
        now: UnixTime(example["iat"].as_u64().unwrap()),
        ..at_token_endpoint(&target)
    };
    let valid = check_proof(example["proof"].as_str().unwrap(), &context).unwrap();
    assert_eq!(valid.jkt, examples()["jkt"]);
    assert_eq!(valid.jti, example["jti"]);
}

#[test]
fn rfc9449_7_1_example_resource_proof_is_valid_with_its_ath() {
    let example = &examples()["resource_request"];
    let target = url(example["url"].as_str().unwrap());
    let token = example["access_token"].as_str().unwrap();
    assert_eq!(access_token_hash(token), example["ath"]);
    let context = ProofContext {
        method: Method::Get,
        url: &target,
        now: UnixTime(example["iat"].as_u64().unwrap()),
        access_token: Some(token),
        nonce: None,
        es256: ES256,
    };
    let valid = check_proof(example["proof"].as_str().unwrap(), &context).unwrap();
    assert_eq!(valid.jkt, examples()["jkt"]);
    // Another token: the proof's ath does not match it (check 12).
    let other = ProofContext {
        access_token: Some("another-token"),
        ..context
    };
    assert_eq!(
        refused(example["proof"].as_str().unwrap(), &other),
        ProofError::WrongAth
    );
}

#[test]
fn rfc9449_6_1_example_key_thumbprint_is_its_jkt() {
    let examples = examples();
    assert_eq!(thumbprint(&examples["jwk"]).unwrap(), examples["jkt"]);
    // Member order and extra members do not change it (RFC 7638 section 3).
    let mut reordered = json!({ "y": examples["jwk"]["y"], "crv": "P-256", "use": "sig" });
    reordered["x"] = examples["jwk"]["x"].clone();
    reordered["kty"] = "EC".into();
    assert_eq!(thumbprint(&reordered).unwrap(), examples["jkt"]);
}

#[test]
fn rfc7638_3_1_example_rsa_key_has_the_rfcs_thumbprint() {
    let example: Value = serde_json::from_str(RFC7638_EXAMPLE).unwrap();
    // alg and kid are not among the members hashed (section 3.2).
    assert_eq!(thumbprint(&example["jwk"]).unwrap(), example["thumbprint"]);
}

#[test]
fn rfc7638_3_1_rsa_thumbprint_is_the_one_the_servers_use_as_kid() {
    let key: Value = serde_json::from_str(oauth_engine::keys::RFC7515_A2_JSON).unwrap();
    let signing = oauth_engine::jose::SigningKey::rsa_from_jwk(&key["key"]).unwrap();
    let public = signing.verifying_key().public_jwk().unwrap();
    let oauth_engine::jose::VerifyingKey::Rsa(rsa) = signing.verifying_key() else {
        panic!("an RSA key");
    };
    assert_eq!(thumbprint(&public).unwrap(), rsa_thumbprint(&rsa));
    assert!(thumbprint(&json!({ "kty": "oct", "k": "AAAA" })).is_err());
}

#[test]
fn rfc9449_4_2_a_signed_proof_has_the_header_and_claims_the_rfc_names() {
    let key = key(1);
    let claims = claims(Method::Post, TOKEN_URL)
        .with_nonce(Some("n-1"))
        .presenting("token-1");
    let proof = key.proof(&claims);
    let part = |index: usize| -> Value {
        serde_json::from_slice(&b64_decode(proof.split('.').nth(index).unwrap()).unwrap()).unwrap()
    };
    assert_eq!(part(0), header_of(&key));
    assert!(part(0)["jwk"].get("d").is_none());
    let payload = part(1);
    assert_eq!(payload["htm"], "POST");
    assert_eq!(payload["htu"], TOKEN_URL);
    assert_eq!(payload["iat"], NOW.0);
    assert_eq!(payload["nonce"], "n-1");
    assert_eq!(payload["ath"], access_token_hash("token-1"));
    // At least 96 bits of randomness in jti: 16 base64url characters.
    assert!(payload["jti"].as_str().unwrap().len() >= 16);
}

#[test]
fn rfc9449_4_3_a_proof_the_client_signs_passes_every_check() {
    let key = key(2);
    let target = url(TOKEN_URL);
    let valid = check_proof(
        &key.proof(&claims(Method::Post, TOKEN_URL)),
        &at_token_endpoint(&target),
    )
    .unwrap();
    assert_eq!(valid.jkt, key.thumbprint());
    assert_eq!(valid.iat, NOW);
}

#[test]
fn rfc9449_2_each_key_is_new_and_a_failing_source_makes_none() {
    let generated = |seed| DpopKey::generate(&mut SeededRng::new(seed), ES256).unwrap();
    assert_ne!(generated(1), generated(2));
    assert_eq!(generated(1), generated(1));
    struct Broken;
    impl Rng for Broken {
        fn fill_bytes(&mut self, _: &mut [u8]) -> Result<(), RandomnessUnavailable> {
            Err(RandomnessUnavailable("no source".into()))
        }
    }
    assert!(DpopKey::generate(&mut Broken, ES256).is_err());
    assert!(ProofClaims::for_request(Method::Get, &url(TOKEN_URL), NOW, &mut Broken).is_err());
    // 0 is not a private key.
    assert!(DpopKey::from_scalar(&[0; 32], ES256).is_none());
}

#[test]
fn rfc9449_4_3_check_2_refuses_what_is_not_a_compact_jws() {
    let target = url(TOKEN_URL);
    let context = at_token_endpoint(&target);
    for (proof, says) in [
        ("a.b", "3"),
        ("not base64!.e30.sig", "header is not base64url"),
        ("W10.e30.sig", "header is not a JSON object"),
    ] {
        let error = refused(proof, &context);
        assert!(
            matches!(error, ProofError::Malformed(_)),
            "{proof}: {error:?}"
        );
        assert!(error.to_string().contains(says), "{error}");
        assert_eq!(error.code(), ErrorCode::InvalidDpopProof);
    }
}

#[test]
fn rfc9449_4_3_checks_3_to_5_refuse_a_wrong_header() {
    let key = key(3);
    let target = url(TOKEN_URL);
    let context = at_token_endpoint(&target);
    let claims = json!({ "jti": "j", "htm": "POST", "htu": TOKEN_URL, "iat": NOW.0 });
    let mut header = header_of(&key);
    header["typ"] = "JWT".into();
    assert_eq!(
        refused(&signed(3, &header, &claims), &context),
        ProofError::WrongTyp("JWT".into())
    );
    for alg in ["none", "HS256", "RS256"] {
        let mut header = header_of(&key);
        header["alg"] = alg.into();
        assert_eq!(
            refused(&signed(3, &header, &claims), &context),
            ProofError::UnsupportedAlg(alg.into())
        );
    }
    let mut header = header_of(&key);
    header.as_object_mut().unwrap().remove("jwk");
    assert_eq!(
        refused(&signed(3, &header, &claims), &context),
        ProofError::Missing("jwk")
    );
}

#[test]
fn rfc9449_4_3_check_7_refuses_a_private_key_in_the_jwk() {
    let key = key(4);
    let target = url(TOKEN_URL);
    let mut header = header_of(&key);
    header["jwk"]["d"] = b64_encode([1u8; 32]).into();
    let claims = json!({ "jti": "j", "htm": "POST", "htu": TOKEN_URL, "iat": NOW.0 });
    assert_eq!(
        refused(&signed(4, &header, &claims), &at_token_endpoint(&target)),
        ProofError::PrivateKeyInJwk
    );
}

#[test]
fn rfc8725_3_4_a_jwk_off_the_curve_or_not_p256_is_refused() {
    let key = key(5);
    let target = url(TOKEN_URL);
    let claims = json!({ "jti": "j", "htm": "POST", "htu": TOKEN_URL, "iat": NOW.0 });
    let mut header = header_of(&key);
    header["jwk"]["y"] = b64_encode([7u8; 32]).into();
    let error = refused(&signed(5, &header, &claims), &at_token_endpoint(&target));
    assert!(
        error.to_string().contains("not a point on P-256"),
        "{error}"
    );
    let mut header = header_of(&key);
    header["jwk"]["crv"] = "P-384".into();
    assert!(matches!(
        refused(&signed(5, &header, &claims), &at_token_endpoint(&target)),
        ProofError::BadJwk(_)
    ));
}

#[test]
fn rfc9449_4_3_check_6_refuses_a_proof_signed_by_another_key_or_altered() {
    let (key, other) = (key(6), key(7));
    let target = url(TOKEN_URL);
    let context = at_token_endpoint(&target);
    let proof = key.proof(&claims(Method::Post, TOKEN_URL));
    // The other key's jwk in the header: the signature does not verify.
    let [_, payload, signature]: [&str; 3] =
        proof.split('.').collect::<Vec<_>>().try_into().unwrap();
    let swapped = format!(
        "{}.{payload}.{signature}",
        b64_encode(header_of(&other).to_string())
    );
    assert_eq!(refused(&swapped, &context), ProofError::BadSignature);
    // A claim changed after signing.
    let changed = claims(Method::Post, "https://as.example/par");
    let altered = format!(
        "{}.{}.{signature}",
        proof.split('.').next().unwrap(),
        b64_encode(
            json!({ "jti": changed.jti, "htm": "POST", "htu": TOKEN_URL, "iat": NOW.0 + 1 })
                .to_string()
        )
    );
    assert_eq!(refused(&altered, &context), ProofError::BadSignature);
}

#[test]
fn rfc9449_4_3_check_8_refuses_another_method() {
    let key = key(8);
    let target = url(TOKEN_URL);
    let proof = key.proof(&claims(Method::Get, TOKEN_URL));
    let error = refused(&proof, &at_token_endpoint(&target));
    assert_eq!(
        error,
        ProofError::WrongMethod {
            proof: "GET".into(),
            request: "POST".into()
        }
    );
    assert!(error.to_string().contains("htm"));
}

#[test]
fn rfc9449_4_3_check_9_compares_htu_without_query_and_fragment_after_normalizing() {
    let key = key(9);
    let proof = key.proof(&claims(Method::Post, TOKEN_URL));
    for same in [
        "https://as.example/token?x=1",
        "https://as.example/token#f",
        "https://AS.example:443/token",
    ] {
        let target = url(same);
        assert!(
            check_proof(&proof, &at_token_endpoint(&target)).is_ok(),
            "{same}"
        );
    }
    for other in [
        "https://as.example/par",
        "https://api.example/token",
        "http://as.example/token",
        "https://as.example:8443/token",
    ] {
        let target = url(other);
        assert!(
            matches!(
                refused(&proof, &at_token_endpoint(&target)),
                ProofError::WrongUri { .. }
            ),
            "{other}"
        );
    }
    assert_eq!(
        htu(&url("http://Example.COM:80?q#f")),
        "http://example.com/"
    );
}

#[test]
fn rfc9449_8_check_10_a_missing_or_old_nonce_is_use_dpop_nonce() {
    let key = key(10);
    let target = url(TOKEN_URL);
    let context = ProofContext {
        nonce: Some("n-2"),
        ..at_token_endpoint(&target)
    };
    let without = key.proof(&claims(Method::Post, TOKEN_URL));
    let error = refused(&without, &context);
    assert_eq!(error, ProofError::Nonce { sent: None });
    assert_eq!(error.code(), ErrorCode::UseDpopNonce);
    let old = key.proof(&claims(Method::Post, TOKEN_URL).with_nonce(Some("n-1")));
    assert_eq!(
        refused(&old, &context),
        ProofError::Nonce {
            sent: Some("n-1".into())
        }
    );
    let current = key.proof(&claims(Method::Post, TOKEN_URL).with_nonce(Some("n-2")));
    assert!(check_proof(&current, &context).is_ok());
}

#[test]
fn rfc9449_11_1_check_11_refuses_a_proof_outside_the_iat_window() {
    let key = key(11);
    let target = url(TOKEN_URL);
    let proof = key.proof(&claims(Method::Post, TOKEN_URL));
    for (now, accepted) in [
        (NOW.plus(IAT_WINDOW), true),
        (NOW.plus(IAT_WINDOW + 1), false),
        (UnixTime(NOW.0 - IAT_WINDOW), true),
        (UnixTime(NOW.0 - IAT_WINDOW - 1), false),
    ] {
        let context = ProofContext {
            now,
            ..at_token_endpoint(&target)
        };
        assert_eq!(check_proof(&proof, &context).is_ok(), accepted, "now {now}");
    }
    let late = ProofContext {
        now: NOW.plus(300),
        ..at_token_endpoint(&target)
    };
    assert!(
        refused(&proof, &late)
            .to_string()
            .contains("made 300 s ago")
    );
}

#[test]
fn rfc9449_4_3_check_12_needs_the_ath_of_the_token_presented() {
    let key = key(12);
    let target = url("https://api.example/profile");
    let context = ProofContext {
        method: Method::Get,
        url: &target,
        now: NOW,
        access_token: Some("token-1"),
        nonce: None,
        es256: ES256,
    };
    let plain = claims(Method::Get, "https://api.example/profile");
    assert_eq!(refused(&key.proof(&plain), &context), ProofError::WrongAth);
    assert_eq!(
        refused(&key.proof(&plain.clone().presenting("token-2")), &context),
        ProofError::WrongAth
    );
    assert!(check_proof(&key.proof(&plain.presenting("token-1")), &context).is_ok());
}

#[test]
fn rfc9449_4_3_check_3_every_claim_is_required() {
    let key = key(13);
    let target = url(TOKEN_URL);
    let full = json!({ "jti": "j", "htm": "POST", "htu": TOKEN_URL, "iat": NOW.0 });
    for claim in ["jti", "htm", "htu", "iat"] {
        let mut claims = full.clone();
        claims.as_object_mut().unwrap().remove(claim);
        // Signed as it is sent, so the signature is not what refuses it.
        let proof = signed(13, &header_of(&key), &claims);
        assert_eq!(
            refused(&proof, &at_token_endpoint(&target)),
            ProofError::Missing(claim),
            "{claim}"
        );
    }
}

#[test]
fn rfc9449_11_1_a_replayed_jti_is_refused_within_the_window() {
    let key = key(14);
    let target = url(TOKEN_URL);
    let proof = key.proof(&claims(Method::Post, TOKEN_URL));
    let valid = check_proof(&proof, &at_token_endpoint(&target)).unwrap();
    let mut seen = SeenProofs::default();
    assert!(seen.record(&valid, NOW).is_ok());
    let error = seen.record(&valid, NOW.plus(5)).unwrap_err();
    assert_eq!(error, ProofError::Replayed(valid.jti.clone()));
    assert_eq!(error.code(), ErrorCode::InvalidDpopProof);
}
