//! The simulated servers' RS256 (`rs256`, arithmetic of the engine's own)
//! against the RFCs' signatures and against the `rsa` crate, which the JWT
//! debugger uses: the same key and message give the same bytes, and each
//! verifies the other's signatures.

use oauth_engine::jose::b64_decode;
use oauth_engine::keys::RFC7515_A2_JSON;
use oauth_engine::rs256::{PrivateKey, PrivateParts, PublicKey};
use rsa::pkcs1v15;
use rsa::signature::{SignatureEncoding, Signer, Verifier};
use rsa::{BigUint, RsaPrivateKey};
use serde_json::Value;
use sha2::Sha256;

#[cfg(target_arch = "wasm32")]
use wasm_bindgen_test::wasm_bindgen_test as test;
#[cfg(target_arch = "wasm32")]
wasm_bindgen_test::wasm_bindgen_test_configure!(run_in_browser);

/// The RFC 7515 A.2 key's members, decoded.
fn members() -> Vec<(String, Vec<u8>)> {
    let document: Value = serde_json::from_str(RFC7515_A2_JSON).unwrap();
    ["n", "e", "d", "p", "q", "dp", "dq", "qi"]
        .into_iter()
        .map(|name| {
            let text = document["key"][name].as_str().unwrap();
            (name.to_owned(), b64_decode(text).unwrap())
        })
        .collect()
}

fn member<'m>(members: &'m [(String, Vec<u8>)], name: &str) -> &'m [u8] {
    &members.iter().find(|(n, _)| n == name).unwrap().1
}

fn parts(members: &[(String, Vec<u8>)]) -> PrivateParts<'_> {
    PrivateParts {
        n: member(members, "n"),
        e: member(members, "e"),
        p: member(members, "p"),
        q: member(members, "q"),
        dp: member(members, "dp"),
        dq: member(members, "dq"),
        qi: member(members, "qi"),
    }
}

fn ours() -> PrivateKey {
    PrivateKey::new(&parts(&members())).unwrap()
}

fn theirs() -> RsaPrivateKey {
    let members = members();
    let big = |name| BigUint::from_bytes_be(member(&members, name));
    RsaPrivateKey::from_components(big("n"), big("e"), big("d"), vec![big("p"), big("q")]).unwrap()
}

#[test]
fn rfc8017_8_2_1_signatures_are_the_rsa_crates_byte_for_byte() {
    let signer = pkcs1v15::SigningKey::<Sha256>::new(theirs());
    let key = ours();
    for message in [&b""[..], b"a", b"eyJhbGciOiJSUzI1NiJ9.e30", &[0xff; 300]] {
        assert_eq!(key.sign(message), signer.sign(message).to_vec());
    }
}

#[test]
fn rfc8017_8_2_2_each_verifies_the_others_signatures() {
    let theirs = theirs();
    let verifier = pkcs1v15::VerifyingKey::<Sha256>::new(theirs.to_public_key());
    let signer = pkcs1v15::SigningKey::<Sha256>::new(theirs);
    let key = ours();
    let message = b"header.payload";
    let signature = key.sign(message);
    let signature = pkcs1v15::Signature::try_from(signature.as_slice()).unwrap();
    assert!(verifier.verify(message, &signature).is_ok());
    assert!(
        key.public_key()
            .verify(message, &signer.sign(message).to_bytes())
    );
}

#[test]
fn rfc8017_8_2_2_a_changed_message_length_or_signature_is_refused() {
    let key = ours();
    let public = key.public_key();
    let mut signature = key.sign(b"message");
    assert!(public.verify(b"message", &signature));
    assert!(!public.verify(b"massage", &signature));
    // Step 1: exactly k octets, no fewer (a leading zero dropped) and no more.
    assert!(!public.verify(b"message", &signature[1..]));
    assert!(!public.verify(b"message", &[&[0][..], &signature].concat()));
    // Step 2.b (RSAVP1): the signature, as a number, is below n.
    assert!(!public.verify(b"message", member(&members(), "n")));
    assert!(!public.verify(b"message", &vec![0xff; signature.len()]));
    signature[10] ^= 1;
    assert!(!public.verify(b"message", &signature));
}

#[test]
fn rfc8017_3_keys_whose_numbers_do_not_fit_together_are_refused_by_name() {
    let members = members();
    let mut wrong = parts(&members);
    wrong.p = member(&members, "q");
    assert_eq!(
        PrivateKey::new(&wrong).unwrap_err(),
        "\"p\" times \"q\" is not \"n\""
    );
    let mut wrong = parts(&members);
    wrong.dp = member(&members, "n");
    assert!(PrivateKey::new(&wrong).unwrap_err().contains("\"dp\""));
    let n = member(&members, "n");
    let even = [&n[..n.len() - 1], &[n[n.len() - 1] & !1]].concat();
    assert_eq!(
        PublicKey::new(&even, &[1, 0, 1]).unwrap_err(),
        "\"n\" is even"
    );
    assert!(PublicKey::new(n, &[2]).unwrap_err().contains("\"e\""));
    assert!(PublicKey::new(n, &[1]).unwrap_err().contains("\"e\""));
    assert_eq!(
        PublicKey::new(&n[..32], &[3]).unwrap_err(),
        "\"n\" is shorter than 512 bits"
    );
    assert_eq!(
        PublicKey::new(&vec![0xff; 513], &[3]).unwrap_err(),
        "\"n\" is longer than 4096 bits"
    );
}

#[test]
fn a_jwk_number_with_leading_zero_octets_is_the_same_key() {
    let members = members();
    let padded_n = [&[0, 0][..], member(&members, "n")].concat();
    let padded = PublicKey::new(&padded_n, &[0, 1, 0, 1]).unwrap();
    assert_eq!(&padded, ours().public_key());
    // A JWK writes the shortest octets (RFC 7518 section 6.3.1).
    assert_eq!(padded.n(), member(&members, "n"));
    assert_eq!(padded.e(), vec![1, 0, 1]);
}

/// Native only: proptest is not built for wasm32.
#[cfg(not(target_arch = "wasm32"))]
mod properties {
    use super::ours;
    use proptest::prelude::*;

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(16))]

        #[test]
        fn every_message_signed_verifies_and_no_signature_bytes_panic(
            message in proptest::collection::vec(any::<u8>(), 0..200),
            noise in proptest::collection::vec(any::<u8>(), 0..300),
        ) {
            let key = ours();
            let signature = key.sign(&message);
            prop_assert_eq!(signature.len(), 256);
            prop_assert!(key.public_key().verify(&message, &signature));
            prop_assert!(!key.public_key().verify(&message, &noise));
        }
    }
}
