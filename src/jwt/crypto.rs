//! Everything the debugger does with keys and signatures, loaded only when
//! it is first needed: reading a token needs none of it, and the algorithms
//! (RSA, two elliptic curves, Ed25519, PEM) are most of the debugger's
//! size. `load()` is the one way in; `wasm-split` cuts the code it reaches
//! into a chunk of its own (see scripts/split/).

use oauth_engine::es256::Es256;
use oauth_engine::jose::b64_decode;
use oauth_engine::jwa::{Key, KeyKind, hmac_key_too_short, sign, verify};
use serde_json::Value;

use super::model::{KeyChoice, KeyFormat, compact_payload, parse_header, pretty};
use crate::browser::BrowserRng;

/// The debugger's key and signature functions, once loaded.
#[derive(Clone, Copy)]
pub struct Toolkit {
    pub verify: fn(&VerifyInput) -> Verdict,
    pub sign: fn(&SignInput) -> Result<String, String>,
    pub describe: fn(&str, KeyFormat) -> Result<KeyExport, String>,
    pub generate: fn(KeyChoice, &str) -> Result<KeyExport, String>,
    /// The same P-256 code, as the Flow screen's DPoP and
    /// `private_key_jwt` sign and verify with: one copy for both screens.
    pub es256: Es256,
}

/// Fetches the toolkit's chunk the first time; afterwards it is at hand.
/// A split point only in the app's build (feature "split", see
/// Cargo.toml); elsewhere, as in the browser tests, a plain async fn.
#[cfg_attr(feature = "split", leptos::lazy)]
pub async fn load() -> Toolkit {
    Toolkit {
        verify: check,
        sign: sign_token,
        describe,
        generate,
        es256: oauth_engine::jwa::ES256,
    }
}

/// A key as the user gave it: the text of a key field and its format.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct KeyInput {
    pub text: String,
    pub format: KeyFormat,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct VerifyInput {
    pub token: String,
    pub key: KeyInput,
    /// The header's `kid`, to pick a key out of a JWKS.
    pub kid: Option<String>,
}

/// The verification's outcome for the screen.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Verdict {
    pub verified: bool,
    pub message: String,
    /// Something to know even when the signature checks out.
    pub warning: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SignInput {
    pub header_text: String,
    pub payload_text: String,
    pub key: KeyInput,
}

/// A key in every form the page offers it in.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct KeyExport {
    /// What the key is, in a few words ("RSA private key, 2048 bits").
    pub summary: String,
    pub alg: &'static str,
    /// The text a key field takes to sign with it, and that field's format.
    pub signing_text: String,
    pub signing_format: KeyFormat,
    /// The text a key field takes to verify with it (the same secret for
    /// HMAC), and that field's format.
    pub verifying_text: String,
    pub verifying_format: KeyFormat,
    pub public_jwk: Option<String>,
    pub private_jwk: Option<String>,
    pub public_pem: Option<String>,
    pub private_pem: Option<String>,
}

/// The key the user gave, or why it cannot be used.
pub fn read_key(input: &KeyInput, kid: Option<&str>) -> Result<Key, String> {
    let text = input.text.as_str();
    match input.format {
        KeyFormat::SecretText if text.is_empty() => Err("Enter the shared secret.".into()),
        KeyFormat::SecretText => Ok(Key::Oct(text.as_bytes().to_vec())),
        KeyFormat::SecretBase64Url => b64_decode(text.trim()).map(Key::Oct).map_err(|_| {
            "The secret is not base64url (A-Z, a-z, 0-9, - and _, no padding).".into()
        }),
        KeyFormat::JwkOrPem => {
            let trimmed = text.trim_start();
            if trimmed.is_empty() {
                return Err("Paste a JWK, a JWKS or a PEM key.".into());
            }
            if trimmed.starts_with("-----") {
                return Key::from_pem(text).map_err(|error| sentence(&error.to_string()));
            }
            let json: Value = serde_json::from_str(text).map_err(|error| {
                format!("The key is not JSON: {error}. Paste a JWK, a JWKS or a PEM key.")
            })?;
            let key = if json.get("keys").is_some() {
                Key::from_jwks(&json, kid)
            } else {
                Key::from_jwk(&json)
            };
            key.map_err(|error| sentence(&error.to_string()))
        }
    }
}

fn check(input: &VerifyInput) -> Verdict {
    let key = match read_key(&input.key, input.kid.as_deref()) {
        Ok(key) => key,
        Err(message) => {
            return Verdict {
                verified: false,
                message,
                warning: None,
            };
        }
    };
    match verify(&input.token, &key) {
        Ok(alg) => Verdict {
            verified: true,
            message: format!("Signature verified ({}).", alg.name()),
            warning: hmac_key_too_short(alg, &key).map(|short| short.to_string()),
        },
        Err(error) => Verdict {
            verified: false,
            message: format!("Not verified: {error}."),
            warning: None,
        },
    }
}

fn sign_token(input: &SignInput) -> Result<String, String> {
    let header = parse_header(&input.header_text)?;
    let payload = compact_payload(&input.payload_text)?;
    let key = read_key(&input.key, None)?;
    sign(&header, payload.as_bytes(), &key, &mut BrowserRng)
        .map_err(|error| format!("Cannot sign: {error}."))
}

fn describe(text: &str, format: KeyFormat) -> Result<KeyExport, String> {
    let input = KeyInput {
        text: text.to_owned(),
        format,
    };
    let key = read_key(&input, None)?;
    Ok(export(&key, Some(input)))
}

/// Makes a key of the kind chosen. RSA is not made here: it takes seconds
/// in wasm, so the page asks WebCrypto for it (see `webcrypto.rs`) and
/// hands the JWK to `describe`.
fn generate(choice: KeyChoice, current_alg: &str) -> Result<KeyExport, String> {
    let kind = match choice {
        KeyChoice::Secret => KeyKind::Secret {
            // RFC 7518 section 3.2: at least as long as the hash output.
            bytes: match choice.alg(current_alg) {
                "HS384" => 48,
                "HS512" => 64,
                _ => 32,
            },
        },
        KeyChoice::P256 => KeyKind::P256,
        KeyChoice::P384 => KeyKind::P384,
        KeyChoice::P521 => KeyKind::P521,
        KeyChoice::Ed25519 => KeyKind::Ed25519,
        KeyChoice::Rsa2048 => return Err("RSA keys come from the browser's WebCrypto.".into()),
    };
    let key = Key::generate(kind, &mut BrowserRng)
        .map_err(|error| format!("Cannot make the key: {error}."))?;
    Ok(export(&key, None))
}

/// The key in every form; `typed` is how the user gave it, kept as the
/// signing text when it is a secret (so a text secret stays text).
fn export(key: &Key, typed: Option<KeyInput>) -> KeyExport {
    let public = key.public_key();
    let private_jwk = key.is_private().then(|| pretty(&key.to_jwk()));
    let public_jwk = public.as_ref().map(|public| pretty(&public.to_jwk()));
    let (signing_text, signing_format, verifying_text, verifying_format) = match (key, typed) {
        (Key::Oct(_), Some(typed)) => (typed.text.clone(), typed.format, typed.text, typed.format),
        (Key::Oct(secret), None) => {
            let text = oauth_engine::jose::b64_encode(secret);
            (
                text.clone(),
                KeyFormat::SecretBase64Url,
                text,
                KeyFormat::SecretBase64Url,
            )
        }
        _ => (
            private_jwk.clone().unwrap_or_default(),
            KeyFormat::JwkOrPem,
            public_jwk.clone().unwrap_or_default(),
            KeyFormat::JwkOrPem,
        ),
    };
    KeyExport {
        summary: key.describe(),
        alg: key.default_alg().name(),
        signing_text,
        signing_format,
        verifying_text,
        verifying_format,
        // A secret has no PEM form: to_pem says so, and there is none to show.
        private_pem: key.is_private().then(|| key.to_pem().ok()).flatten(),
        public_pem: public.as_ref().and_then(|public| public.to_pem().ok()),
        public_jwk,
        private_jwk,
    }
}

/// An engine error ("no key with kid …") as a sentence for the screen.
fn sentence(text: &str) -> String {
    let mut chars = text.chars();
    let first = chars
        .next()
        .map(|first| first.to_uppercase().collect::<String>())
        .unwrap_or_default();
    let rest = chars.as_str();
    if rest.ends_with('.') {
        format!("{first}{rest}")
    } else {
        format!("{first}{rest}.")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn input(text: &str, format: KeyFormat) -> KeyInput {
        KeyInput {
            text: text.into(),
            format,
        }
    }

    #[test]
    fn each_key_format_says_what_is_wrong() {
        assert_eq!(
            read_key(&input("", KeyFormat::SecretText), None).unwrap_err(),
            "Enter the shared secret."
        );
        assert_eq!(
            read_key(&input("a+b", KeyFormat::SecretBase64Url), None).unwrap_err(),
            "The secret is not base64url (A-Z, a-z, 0-9, - and _, no padding)."
        );
        assert!(
            read_key(&input("{", KeyFormat::JwkOrPem), None)
                .unwrap_err()
                .starts_with("The key is not JSON")
        );
        assert_eq!(
            read_key(&input("  ", KeyFormat::JwkOrPem), None).unwrap_err(),
            "Paste a JWK, a JWKS or a PEM key."
        );
        assert!(
            read_key(
                &input(r#"{"keys":[{"kty":"oct","k":"AA"}]}"#, KeyFormat::JwkOrPem),
                None
            )
            .is_ok()
        );
        assert!(
            read_key(
                &input(
                    "-----BEGIN NONSENSE-----\n-----END NONSENSE-----",
                    KeyFormat::JwkOrPem
                ),
                None
            )
            .unwrap_err()
            .ends_with('.')
        );
    }

    #[test]
    fn a_generated_key_signs_a_token_its_public_half_verifies() {
        for choice in [
            KeyChoice::Secret,
            KeyChoice::P256,
            KeyChoice::P384,
            KeyChoice::P521,
            KeyChoice::Ed25519,
        ] {
            let key = generate(choice, "HS384").unwrap();
            let token = sign_token(&SignInput {
                header_text: format!(r#"{{"alg":"{}","typ":"JWT"}}"#, key.alg),
                payload_text: r#"{"sub":"alice"}"#.into(),
                key: input(&key.signing_text, key.signing_format),
            })
            .unwrap();
            let verdict = check(&VerifyInput {
                token,
                key: input(&key.verifying_text, key.verifying_format),
                kid: None,
            });
            assert!(verdict.verified, "{choice:?}: {}", verdict.message);
        }
    }

    #[test]
    fn rfc7518_3_2_a_short_hmac_secret_verifies_with_a_warning() {
        let token = sign_token(&SignInput {
            header_text: r#"{"alg":"HS256"}"#.into(),
            payload_text: "{}".into(),
            key: input("secret", KeyFormat::SecretText),
        })
        .unwrap();
        let verdict = check(&VerifyInput {
            token,
            key: input("secret", KeyFormat::SecretText),
            kid: None,
        });
        assert!(verdict.verified);
        assert!(verdict.warning.unwrap().contains("RFC 7518"));
    }

    #[test]
    fn every_form_of_a_generated_key_reads_back_as_the_same_key() {
        let key = generate(KeyChoice::P256, "ES256").unwrap();
        for text in [&key.private_jwk, &key.private_pem] {
            let again = describe(text.as_deref().unwrap(), KeyFormat::JwkOrPem).unwrap();
            assert_eq!(again.public_jwk, key.public_jwk);
        }
        for text in [&key.public_jwk, &key.public_pem] {
            let again = describe(text.as_deref().unwrap(), KeyFormat::JwkOrPem).unwrap();
            assert_eq!(
                (again.private_jwk, &again.public_jwk),
                (None, &key.public_jwk)
            );
        }
    }
}
