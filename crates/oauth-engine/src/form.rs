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
    fn pairs_keep_their_order() {
        assert_eq!(encode_form(&[("b", "2"), ("a", "1")]), "b=2&a=1");
        assert_eq!(encode_form(&[]), "");
    }
}
