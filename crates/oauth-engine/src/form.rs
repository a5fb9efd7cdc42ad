//! `application/x-www-form-urlencoded`, the encoding OAuth uses for query
//! strings and token request bodies (RFC 6749 appendix B).
//!
//! RFC 6749 appendix B points at the HTML form serialization, which the
//! WHATWG URL standard now defines: bytes outside `*-._` and ASCII
//! alphanumerics are percent-encoded and a space becomes `+`. Note that `~`,
//! unreserved in RFC 3986 and allowed in a PKCE verifier, is encoded as `%7E`.

use std::fmt::Write;

/// Serializes name/value pairs, in order, as `name=value&name=value`.
pub fn encode_form(pairs: &[(&str, &str)]) -> String {
    let mut out = String::new();
    for (i, (name, value)) in pairs.iter().enumerate() {
        if i > 0 {
            out.push('&');
        }
        encode_component(name, &mut out);
        out.push('=');
        encode_component(value, &mut out);
    }
    out
}

/// Why a form or query string could not be decoded.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum FormError {
    /// `%` not followed by two hex digits; `position` counts bytes from 1.
    BadPercentEncoding { position: usize },
    /// The decoded bytes of `name` are not UTF-8.
    NotUtf8 { name: String },
}

impl std::fmt::Display for FormError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Self::BadPercentEncoding { position } => write!(
                f,
                "'%' at position {position} is not followed by two hexadecimal digits"
            ),
            Self::NotUtf8 { name } => write!(f, "the value of {name} is not valid UTF-8"),
        }
    }
}

impl std::error::Error for FormError {}

/// Parses `name=value&name=value`, in order, keeping repeats (the caller
/// decides whether a repeat is an error: RFC 6749 section 3.1 says it is).
pub fn decode_form(text: &str) -> Result<Vec<(String, String)>, FormError> {
    let mut pairs = Vec::new();
    let mut offset = 0;
    for part in text.split('&') {
        if !part.is_empty() {
            let (raw_name, raw_value) = part.split_once('=').unwrap_or((part, ""));
            let name = decode_component(raw_name, offset, None)?;
            let value_offset = offset + raw_name.len() + 1;
            let value = decode_component(raw_value, value_offset, Some(&name))?;
            pairs.push((name, value));
        }
        offset += part.len() + 1;
    }
    Ok(pairs)
}

fn decode_component(text: &str, offset: usize, name: Option<&str>) -> Result<String, FormError> {
    let bytes = text.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        match bytes[i] {
            b'+' => out.push(b' '),
            b'%' => {
                let hex = |b: u8| char::from(b).to_digit(16);
                match (
                    bytes.get(i + 1).and_then(|&b| hex(b)),
                    bytes.get(i + 2).and_then(|&b| hex(b)),
                ) {
                    (Some(high), Some(low)) => out.push((high * 16 + low) as u8),
                    _ => {
                        return Err(FormError::BadPercentEncoding {
                            position: offset + i + 1,
                        });
                    }
                }
                i += 2;
            }
            byte => out.push(byte),
        }
        i += 1;
    }
    String::from_utf8(out).map_err(|_| FormError::NotUtf8 {
        name: name.unwrap_or("a parameter name").to_owned(),
    })
}

fn encode_component(text: &str, out: &mut String) {
    for byte in text.bytes() {
        match byte {
            b'*' | b'-' | b'.' | b'_' | b'0'..=b'9' | b'A'..=b'Z' | b'a'..=b'z' => {
                out.push(char::from(byte));
            }
            b' ' => out.push('+'),
            _ => {
                // Writing to a String cannot fail.
                let _ = write!(out, "%{byte:02X}");
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    #[cfg(target_arch = "wasm32")]
    use wasm_bindgen_test::wasm_bindgen_test as test;

    #[test]
    fn rfc6749_appendix_b_encodes_space_as_plus_and_reserved_bytes_as_percent() {
        assert_eq!(
            encode_form(&[("redirect_uri", "https://client.example/cb?a=1 2")]),
            "redirect_uri=https%3A%2F%2Fclient.example%2Fcb%3Fa%3D1+2"
        );
    }

    #[test]
    fn tilde_is_percent_encoded_in_form_bodies() {
        assert_eq!(
            encode_form(&[("code_verifier", "a~b")]),
            "code_verifier=a%7Eb"
        );
    }

    #[test]
    fn non_ascii_is_encoded_as_utf8_bytes() {
        assert_eq!(encode_form(&[("name", "é")]), "name=%C3%A9");
    }

    #[test]
    fn decoding_reverses_encoding() {
        let pairs = [
            ("redirect_uri", "https://c.example/cb?x=1 2"),
            ("v", "a~b é+"),
        ];
        let decoded = decode_form(&encode_form(&pairs)).unwrap();
        let expected: Vec<(String, String)> = pairs
            .iter()
            .map(|(n, v)| (n.to_string(), v.to_string()))
            .collect();
        assert_eq!(decoded, expected);
    }

    #[test]
    fn decoding_keeps_repeats_empty_values_and_bare_names() {
        assert_eq!(
            decode_form("a=1&&a=2&b=&c").unwrap(),
            [("a", "1"), ("a", "2"), ("b", ""), ("c", "")]
                .map(|(n, v)| (n.to_owned(), v.to_owned()))
        );
    }

    #[test]
    fn bad_percent_encoding_is_located() {
        assert_eq!(
            decode_form("code=abc&state=x%zz").unwrap_err(),
            FormError::BadPercentEncoding { position: 17 }
        );
        // Offsets count the raw text, escapes in the name included.
        assert_eq!(
            decode_form("n%41me=%g").unwrap_err(),
            FormError::BadPercentEncoding { position: 8 }
        );
        assert_eq!(
            decode_form("a=%4").unwrap_err(),
            FormError::BadPercentEncoding { position: 3 }
        );
    }

    #[test]
    fn invalid_utf8_names_the_parameter() {
        assert_eq!(
            decode_form("state=%FF").unwrap_err(),
            FormError::NotUtf8 {
                name: "state".into()
            }
        );
    }

    #[test]
    fn pairs_keep_their_order() {
        assert_eq!(encode_form(&[("b", "2"), ("a", "1")]), "b=2&a=1");
        assert_eq!(encode_form(&[]), "");
    }
}
