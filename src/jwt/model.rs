//! The JWT debugger's logic, free of the DOM: the token's parts for
//! colouring, the claims table rows, and the key as the user typed it.

use oauth_engine::clock::UnixTime;
use oauth_engine::jose::b64_decode;
use oauth_engine::jwa::{Key, KeyError};
use oauth_engine::jwt::{Decoded, Payload, claim_info, relative, utc};
use serde_json::Value;

/// The token split at its dots, for showing each part in its colour. Any
/// text splits; whether it decodes is `jwt::decode`'s business.
pub fn coloured_parts(token: &str) -> Vec<(usize, &str)> {
    token
        .trim()
        .split('.')
        .enumerate()
        .map(|(index, part)| (index.min(4), part))
        .collect()
}

/// A row of the claims table.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ClaimRow {
    pub name: String,
    pub value: String,
    pub meaning: Option<&'static str>,
    pub defined_in: Option<&'static str>,
    /// For a NumericDate: the time in UTC and relative to `now`.
    pub time: Option<(String, String)>,
}

/// One row per claim, in name order (the JSON object as serde_json keeps
/// it; the payload box shows the same order).
pub fn claim_rows(decoded: &Decoded, now: UnixTime) -> Vec<ClaimRow> {
    let Decoded::Signed {
        payload: Payload::Claims(claims),
        ..
    } = decoded
    else {
        return Vec::new();
    };
    claims
        .iter()
        .map(|(name, value)| {
            let info = claim_info(name);
            let time = info
                .filter(|info| info.is_time)
                .and_then(|_| value.as_u64())
                .map(|seconds| (utc(UnixTime(seconds)), relative(UnixTime(seconds), now)));
            ClaimRow {
                name: name.clone(),
                value: match value {
                    Value::String(text) => text.clone(),
                    other => other.to_string(),
                },
                meaning: info.map(|info| info.meaning),
                defined_in: info.map(|info| info.defined_in),
                time,
            }
        })
        .collect()
}

/// How the key field is read.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum KeyFormat {
    /// An HMAC secret as typed (its UTF-8 bytes).
    SecretText,
    /// An HMAC secret as base64url, as a JWK's `k` holds it.
    SecretBase64Url,
    /// A JWK, or a JWKS whose key the token's `kid` picks.
    Jwk,
}

impl KeyFormat {
    pub const ALL: [KeyFormat; 3] = [Self::SecretText, Self::SecretBase64Url, Self::Jwk];

    pub fn value(self) -> &'static str {
        match self {
            Self::SecretText => "secret-text",
            Self::SecretBase64Url => "secret-base64url",
            Self::Jwk => "jwk",
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            Self::SecretText => "Secret, as text",
            Self::SecretBase64Url => "Secret, base64url",
            Self::Jwk => "JWK or JWKS (JSON)",
        }
    }

    pub fn from_value(value: &str) -> Self {
        Self::ALL
            .into_iter()
            .find(|format| format.value() == value)
            .unwrap_or(Self::Jwk)
    }
}

/// The key the user gave, or why it cannot be used.
pub fn read_key(text: &str, format: KeyFormat, kid: Option<&str>) -> Result<Key, String> {
    match format {
        KeyFormat::SecretText if text.is_empty() => Err("Enter the shared secret.".into()),
        KeyFormat::SecretText => Ok(Key::Oct(text.as_bytes().to_vec())),
        KeyFormat::SecretBase64Url => b64_decode(text.trim()).map(Key::Oct).map_err(|_| {
            "The secret is not base64url (A-Z, a-z, 0-9, - and _, no padding).".into()
        }),
        KeyFormat::Jwk => {
            let json: Value = serde_json::from_str(text)
                .map_err(|error| format!("The key is not JSON: {error}. Paste a JWK or a JWKS."))?;
            let key = if json.get("keys").is_some() {
                Key::from_jwks(&json, kid)
            } else {
                Key::from_jwk(&json)
            };
            key.map_err(|error: KeyError| format!("{}.", capitalise(&error.to_string())))
        }
    }
}

fn capitalise(text: &str) -> String {
    let mut chars = text.chars();
    chars
        .next()
        .map(|first| first.to_uppercase().collect::<String>() + chars.as_str())
        .unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use super::*;
    use oauth_engine::jwt::decode;

    const A1: &str = "eyJ0eXAiOiJKV1QiLA0KICJhbGciOiJIUzI1NiJ9.eyJpc3MiOiJqb2UiLA0KICJleHAiOjEzMDA4MTkzODAsDQogImh0dHA6Ly9leGFtcGxlLmNvbS9pc19yb290Ijp0cnVlfQ.dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk";

    #[test]
    fn rfc7519_4_1_4_exp_is_shown_in_utc_and_relative() {
        let decoded = decode(A1).unwrap();
        let rows = claim_rows(&decoded, UnixTime(1_300_819_380 + 3 * 3600));
        let exp = rows.iter().find(|row| row.name == "exp").unwrap();
        assert_eq!(
            exp.time,
            Some(("2011-03-22 18:43:00 UTC".into(), "3 h ago".into()))
        );
        assert!(exp.meaning.is_some());
        let custom = rows
            .iter()
            .find(|row| row.name == "http://example.com/is_root")
            .unwrap();
        assert_eq!((custom.value.as_str(), custom.meaning), ("true", None));
    }

    #[test]
    fn any_text_splits_into_coloured_parts() {
        assert_eq!(coloured_parts("a.b.c"), vec![(0, "a"), (1, "b"), (2, "c")]);
        assert_eq!(coloured_parts("").len(), 1);
        assert_eq!(coloured_parts("a.b.c.d.e.f").last(), Some(&(4, "f")));
    }

    #[test]
    fn each_key_format_says_what_is_wrong() {
        assert!(read_key("", KeyFormat::SecretText, None).is_err());
        assert_eq!(
            read_key("a+b", KeyFormat::SecretBase64Url, None).unwrap_err(),
            "The secret is not base64url (A-Z, a-z, 0-9, - and _, no padding)."
        );
        assert!(
            read_key("{", KeyFormat::Jwk, None)
                .unwrap_err()
                .starts_with("The key is not JSON")
        );
        assert_eq!(
            read_key(r#"{"kty":"EC"}"#, KeyFormat::Jwk, None).unwrap_err(),
            "The key type (kty) \"EC\" is not supported here yet: use oct or RSA."
        );
        assert!(read_key(r#"{"keys":[{"kty":"oct","k":"AA"}]}"#, KeyFormat::Jwk, None).is_ok());
    }
}
