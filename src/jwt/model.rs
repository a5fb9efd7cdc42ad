//! The JWT debugger's logic, free of the DOM: the token's parts for
//! colouring, the claims table rows, and the key as the user typed it.

use oauth_engine::clock::UnixTime;
use oauth_engine::jose::{b64_decode, b64_encode};
use oauth_engine::json::{JsonObject, ObjectError};
use oauth_engine::jwt::{Decoded, Payload, claim_info, relative, utc};
use serde_json::Value;

/// The token field's text split at its dots, exactly as typed (white
/// space included), for colouring each part in place: the part's index
/// (a JWE's fourth and fifth share one colour) and its text. Any text
/// splits; whether it decodes is `jwt::decode`'s business. None for a
/// text too long to draw ([`DRAWN_CHARS`]).
pub fn coloured_parts(text: &str) -> Vec<(usize, &str)> {
    if text.len() > DRAWN_CHARS {
        return Vec::new();
    }
    text.split('.')
        .enumerate()
        .map(|(index, part)| (index.min(4), part))
        .collect()
}

/// How many characters of a long text the page draws: the token field
/// and each editor. A browser lays out a megabyte in a text field for
/// longer than a frame, ten megabytes for seconds (tests/e2e/jwt-bench.mjs
/// measures it); past this many characters the page draws the first part,
/// read-only, and says how much is left out. The text itself is kept
/// whole: decoded, verified, signed and copied whole.
pub const DRAWN_CHARS: usize = 20_000;

/// What the page draws of `text`: its first `limit` characters (cut at a
/// character boundary), and how many characters are left out.
pub fn drawn_part(text: &str, limit: usize) -> (&str, usize) {
    if text.len() <= limit {
        // No more bytes than the limit, so no more characters either.
        return (text, 0);
    }
    match text.char_indices().nth(limit) {
        Some((cut, _)) => (&text[..cut], text[cut..].chars().count()),
        None => (text, 0),
    }
}

/// A count with its thousands grouped, as people read long numbers:
/// `1048576` is "1,048,576".
pub fn grouped(count: usize) -> String {
    let digits = count.to_string();
    let mut out = String::with_capacity(digits.len() + digits.len() / 3);
    for (i, digit) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push(',');
        }
        out.push(digit);
    }
    out
}

/// The token after an edit of the part the field draws: the edited text,
/// then the part the field left out.
pub fn with_rest(edited: &str, token: &str) -> String {
    let (shown, _) = drawn_part(token, DRAWN_CHARS);
    format!("{edited}{}", &token[shown.len()..])
}

/// What the token field says of a token too long to draw.
pub fn long_token_notice(text: &str) -> String {
    format!(
        "This token has {} characters: the field shows the first {}, uncoloured. What you \
         type there goes before the rest, and a paste over all of it replaces the whole \
         token. The whole token is decoded, verified, and copied by the button.",
        grouped(text.chars().count()),
        grouped(DRAWN_CHARS),
    )
}

/// A row of the claims table.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ClaimRow {
    pub name: String,
    pub value: String,
    pub meaning: Option<&'static str>,
    pub defined_in: Option<&'static str>,
    /// For a NumericDate: the time, in UTC and relative to `now`.
    pub time: Option<(UnixTime, String, String)>,
}

/// How many claims the table lists: a pasted megabyte can hold a hundred
/// thousand, far more rows than a page can redraw on every keystroke and
/// stay responsive.
pub const CLAIM_ROWS_SHOWN: usize = 200;

/// One row per claim, in the order the token writes them (the payload
/// editor shows the same order), for the first [`CLAIM_ROWS_SHOWN`]; and
/// how many claims follow them. A name given twice gets a row each, and
/// the warnings say so.
pub fn claim_rows(decoded: &Decoded, now: UnixTime) -> (Vec<ClaimRow>, usize) {
    let Decoded::Signed {
        payload: Payload::Claims(claims),
        ..
    } = decoded
    else {
        return (Vec::new(), 0);
    };
    let rows = claims
        .iter()
        .take(CLAIM_ROWS_SHOWN)
        .map(|(name, value)| {
            let info = claim_info(name);
            let time = info
                .filter(|info| info.is_time)
                .and_then(|_| value.as_u64())
                .map(|seconds| {
                    let time = UnixTime(seconds);
                    (time, utc(time), relative(time, now))
                });
            ClaimRow {
                name: name.to_owned(),
                value: match value {
                    Value::String(text) => text.clone(),
                    other => other.to_string(),
                },
                meaning: info.map(|info| info.meaning),
                defined_in: info.map(|info| info.defined_in),
                time,
            }
        })
        .collect();
    (rows, claims.len().saturating_sub(CLAIM_ROWS_SHOWN))
}

/// How a key field is read.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum KeyFormat {
    /// An HMAC secret as typed (its UTF-8 bytes).
    SecretText,
    /// An HMAC secret as base64url, as a JWK's `k` holds it.
    SecretBase64Url,
    /// A JWK, a JWKS whose key the token's `kid` picks, or a PEM block:
    /// the first character tells which.
    JwkOrPem,
}

impl KeyFormat {
    pub const ALL: [KeyFormat; 3] = [Self::SecretText, Self::SecretBase64Url, Self::JwkOrPem];

    pub fn value(self) -> &'static str {
        match self {
            Self::SecretText => "secret-text",
            Self::SecretBase64Url => "secret-base64url",
            Self::JwkOrPem => "jwk",
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            Self::SecretText => "Secret, as text",
            Self::SecretBase64Url => "Secret, base64url",
            Self::JwkOrPem => "JWK, JWKS or PEM",
        }
    }

    pub fn from_value(value: &str) -> Self {
        Self::ALL
            .into_iter()
            .find(|format| format.value() == value)
            .unwrap_or(Self::JwkOrPem)
    }
}

/// The algorithms the debugger signs with, in the order the menu lists
/// them (RFC 7518 section 3.1, RFC 8037 section 3.1).
pub const SIGNING_ALGS: [&str; 13] = [
    "HS256", "HS384", "HS512", "RS256", "RS384", "RS512", "PS256", "PS384", "PS512", "ES256",
    "ES384", "ES512", "EdDSA",
];

/// The keys the page can make.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum KeyChoice {
    /// A random HMAC secret as long as the hash of the header's HS alg.
    Secret,
    Rsa2048,
    P256,
    P384,
    P521,
    Ed25519,
}

impl KeyChoice {
    pub const ALL: [KeyChoice; 6] = [
        Self::Secret,
        Self::Rsa2048,
        Self::P256,
        Self::P384,
        Self::P521,
        Self::Ed25519,
    ];

    pub fn value(self) -> &'static str {
        match self {
            Self::Secret => "secret",
            Self::Rsa2048 => "rsa-2048",
            Self::P256 => "p-256",
            Self::P384 => "p-384",
            Self::P521 => "p-521",
            Self::Ed25519 => "ed25519",
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            Self::Secret => "HMAC secret (HS256/384/512)",
            Self::Rsa2048 => "RSA 2048 (RS/PS)",
            Self::P256 => "EC P-256 (ES256)",
            Self::P384 => "EC P-384 (ES384)",
            Self::P521 => "EC P-521 (ES512)",
            Self::Ed25519 => "Ed25519 (EdDSA)",
        }
    }

    pub fn from_value(value: &str) -> Self {
        Self::ALL
            .into_iter()
            .find(|choice| choice.value() == value)
            .unwrap_or(Self::Secret)
    }

    /// The alg a token signed with a new key of this kind gets, keeping
    /// `current` when it already suits the key.
    pub fn alg(self, current: &str) -> &'static str {
        let suits = |family: &str| current.starts_with(family);
        match self {
            Self::Secret => SIGNING_ALGS[..3]
                .iter()
                .find(|alg| **alg == current)
                .copied()
                .unwrap_or("HS256"),
            Self::Rsa2048 if suits("RS") || suits("PS") => SIGNING_ALGS[3..9]
                .iter()
                .find(|alg| **alg == current)
                .copied()
                .unwrap_or("RS256"),
            Self::Rsa2048 => "RS256",
            Self::P256 => "ES256",
            Self::P384 => "ES384",
            Self::P521 => "ES512",
            Self::Ed25519 => "EdDSA",
        }
    }
}

/// The header's `alg`, if the header text is a JSON object naming one.
pub fn header_alg(header_text: &str) -> Option<String> {
    let header = JsonObject::from_json(header_text).ok()?;
    header.get("alg")?.as_str().map(str::to_owned)
}

/// The header text with its `alg` set to `alg` (in its place, the other
/// members in their order), pretty-printed; the text unchanged when it is
/// not a JSON object (its own message says why).
pub fn with_alg(header_text: &str, alg: &str) -> String {
    match JsonObject::from_json(header_text) {
        Ok(mut header) => {
            header.insert("alg", Value::String(alg.into()));
            pretty(&header)
        }
        Err(_) => header_text.to_owned(),
    }
}

pub fn pretty<T: serde::Serialize>(value: &T) -> String {
    serde_json::to_string_pretty(value).unwrap_or_default()
}

/// What the header and payload editors start from for a decoded token:
/// pretty JSON (the payload as text when it is not JSON), members in the
/// order `token` writes them. The payload is laid out from its own
/// characters rather than from the parsed claims, which would respell
/// numbers (`1e3` as `1000.0`) and escapes: an edit re-encodes the
/// editor's text as written (see `compact_payload`), and would then change
/// claims nobody touched.
pub fn editor_texts(token: &str, decoded: &Decoded) -> (String, String) {
    match decoded {
        Decoded::Signed {
            header, payload, ..
        } => (
            pretty(header),
            match payload {
                Payload::Claims(claims) => {
                    payload_as_written(token).unwrap_or_else(|| pretty(claims))
                }
                Payload::Text(text) => text.clone(),
            },
        ),
        Decoded::Encrypted { header } => (pretty(header), String::new()),
    }
}

/// The payload's JSON as `token` carries it, pretty-printed.
fn payload_as_written(token: &str) -> Option<String> {
    let segment = token.trim().split('.').nth(1)?;
    let bytes = b64_decode(segment).ok()?;
    Some(pretty_as_written(std::str::from_utf8(&bytes).ok()?))
}

/// Valid JSON laid out as `serde_json::to_string_pretty` lays it out, by
/// its characters alone: members keep their order and numbers their
/// spelling. The counterpart of `compact_payload`.
pub fn pretty_as_written(json: &str) -> String {
    let mut out = String::with_capacity(json.len() * 2);
    let mut depth = 0usize;
    let newline = |out: &mut String, depth: usize| {
        out.push('\n');
        out.extend(std::iter::repeat_n("  ", depth));
    };
    let mut chars = json.chars().peekable();
    while let Some(c) = chars.next() {
        match c {
            // A string is copied as it is, up to its closing quote.
            '"' => {
                out.push('"');
                let mut escaped = false;
                for c in chars.by_ref() {
                    out.push(c);
                    match (escaped, c) {
                        (true, _) => escaped = false,
                        (false, '\\') => escaped = true,
                        (false, '"') => break,
                        _ => {}
                    }
                }
            }
            '{' | '[' => {
                out.push(c);
                let close = if c == '{' { '}' } else { ']' };
                while chars.next_if(|c| c.is_whitespace()).is_some() {}
                if chars.next_if_eq(&close).is_some() {
                    out.push(close);
                } else {
                    depth += 1;
                    newline(&mut out, depth);
                }
            }
            '}' | ']' => {
                depth = depth.saturating_sub(1);
                newline(&mut out, depth);
                out.push(c);
            }
            ',' => {
                out.push(',');
                newline(&mut out, depth);
            }
            ':' => out.push_str(": "),
            c if c.is_whitespace() => {}
            c => out.push(c),
        }
    }
    out
}

/// The header editor's text as a JOSE header, or why it is not one.
pub fn parse_header(text: &str) -> Result<JsonObject, String> {
    JsonObject::from_json(text).map_err(|error| match error {
        ObjectError::NotAnObject => "The header must be a JSON object.".to_owned(),
        error => format!("The header is not JSON: {error}."),
    })
}

/// The payload editor's text as the bytes to sign: the JSON with the white
/// space between tokens removed (the claims keep the order they were typed
/// in), or why it is not a claims set. RFC 7519 section 7.2 step 10: a
/// JWT's payload is a JSON object.
pub fn compact_payload(text: &str) -> Result<String, String> {
    // Read as the decoder reads claims: a megabyte of them as a `Value`
    // (a sorted map) takes three times as long.
    JsonObject::from_json(text).map_err(|error| match error {
        ObjectError::NotAnObject => "The payload must be a JSON object of claims.".to_owned(),
        error => format!("The payload is not JSON: {error}."),
    })?;
    let mut compact = String::with_capacity(text.len());
    let (mut in_string, mut escaped) = (false, false);
    for c in text.chars() {
        if in_string {
            compact.push(c);
            match (escaped, c) {
                (true, _) => escaped = false,
                (false, '\\') => escaped = true,
                (false, '"') => in_string = false,
                _ => {}
            }
        } else if !c.is_whitespace() {
            in_string = c == '"';
            compact.push(c);
        }
    }
    Ok(compact)
}

/// A token made of the edited header and payload that keeps `token`'s
/// signature, as it is: the debugger's way to show that editing a signed
/// token breaks its signature.
pub fn reencode_keeping_signature(header: &JsonObject, payload: &str, token: &str) -> String {
    let signature = token.trim().rsplit('.').next().unwrap_or_default();
    format!(
        "{}.{}.{signature}",
        b64_encode(serde_json::to_string(header).unwrap_or_default()),
        b64_encode(payload)
    )
}

/// The fragment of a share link carrying `token`. Only ever the fragment:
/// browsers do not send it to the server that hosts the page.
pub fn share_fragment(token: &str) -> String {
    format!("#token={}", token.trim())
}

/// The token a share link's fragment carries, if any.
pub fn token_from_fragment(fragment: &str) -> Option<String> {
    let token = fragment.strip_prefix('#')?.strip_prefix("token=")?;
    (!token.is_empty()).then(|| token.to_owned())
}

/// The clock-skew field as seconds, or why it is not a number of seconds.
pub fn parse_skew(text: &str) -> Result<u64, String> {
    match text.trim().parse::<u64>() {
        Ok(seconds) if seconds <= 86_400 => Ok(seconds),
        Ok(_) => Err("At most a day (86400 seconds).".into()),
        Err(_) => Err("A whole number of seconds, 0 or more.".into()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use oauth_engine::jwt::decode;

    const A1: &str = "eyJ0eXAiOiJKV1QiLA0KICJhbGciOiJIUzI1NiJ9.eyJpc3MiOiJqb2UiLA0KICJleHAiOjEzMDA4MTkzODAsDQogImh0dHA6Ly9leGFtcGxlLmNvbS9pc19yb290Ijp0cnVlfQ.dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk";

    #[test]
    fn a_long_text_is_drawn_up_to_the_limit_and_the_rest_is_counted() {
        assert_eq!(drawn_part("abc", 3), ("abc", 0));
        assert_eq!(drawn_part("abcdef", 4), ("abcd", 2));
        // Cut at a character, never inside one; counts are characters.
        assert_eq!(drawn_part("ééééé", 3), ("ééé", 2));
        let megabyte = "a".repeat(1 << 20);
        let (shown, left_out) = drawn_part(&megabyte, DRAWN_CHARS);
        assert_eq!(
            (shown.len(), left_out),
            (DRAWN_CHARS, (1 << 20) - DRAWN_CHARS)
        );
    }

    #[test]
    fn counts_are_grouped_in_thousands() {
        for (count, text) in [
            (0, "0"),
            (999, "999"),
            (1000, "1,000"),
            (20_000, "20,000"),
            (1_048_576, "1,048,576"),
        ] {
            assert_eq!(grouped(count), text);
        }
    }

    #[test]
    fn a_token_too_long_to_colour_says_so_with_its_length() {
        assert_eq!(
            long_token_notice(&"é".repeat(30_380)),
            "This token has 30,380 characters: the field shows the first 20,000, uncoloured. \
             What you type there goes before the rest, and a paste over all of it replaces \
             the whole token. The whole token is decoded, verified, and copied by the button."
        );
    }

    #[test]
    fn an_edit_of_the_drawn_part_keeps_the_rest_after_it() {
        let token = format!("{}.{}", "a".repeat(DRAWN_CHARS), "b".repeat(10));
        let edited = format!("x{}", "a".repeat(DRAWN_CHARS));
        assert_eq!(with_rest(&edited, &token), format!("x{token}"));
        assert_eq!(with_rest("", &token), format!(".{}", "b".repeat(10)));
        // A short token is drawn whole: nothing follows.
        assert_eq!(with_rest("edited", "short"), "edited");
    }

    #[test]
    fn rfc7519_4_1_4_exp_is_shown_in_utc_and_relative() {
        let decoded = decode(A1).unwrap();
        let (rows, more) = claim_rows(&decoded, UnixTime(1_300_819_380 + 3 * 3600));
        assert_eq!(more, 0);
        let exp = rows.iter().find(|row| row.name == "exp").unwrap();
        assert_eq!(
            exp.time,
            Some((
                UnixTime(1_300_819_380),
                "2011-03-22 18:43:00 UTC".into(),
                "3 h ago".into()
            ))
        );
        assert!(exp.meaning.is_some());
        let custom = rows
            .iter()
            .find(|row| row.name == "http://example.com/is_root")
            .unwrap();
        assert_eq!((custom.value.as_str(), custom.meaning), ("true", None));
    }

    #[test]
    fn the_table_lists_the_first_claims_and_counts_the_rest() {
        let claims: Vec<String> = (0..CLAIM_ROWS_SHOWN + 5)
            .map(|i| format!("\"c{i}\":{i}"))
            .collect();
        let token = format!(
            "{}.{}.c2ln",
            b64_encode(r#"{"alg":"HS256"}"#),
            b64_encode(format!("{{{}}}", claims.join(",")))
        );
        let (rows, more) = claim_rows(&decode(&token).unwrap(), UnixTime(0));
        assert_eq!((rows.len(), more), (CLAIM_ROWS_SHOWN, 5));
        assert_eq!(
            rows.last().unwrap().name,
            format!("c{}", CLAIM_ROWS_SHOWN - 1)
        );
    }

    #[test]
    fn any_text_splits_into_coloured_parts() {
        assert_eq!(coloured_parts("a.b.c"), vec![(0, "a"), (1, "b"), (2, "c")]);
        assert_eq!(coloured_parts("").len(), 1);
        assert_eq!(coloured_parts("a.b.c.d.e.f").last(), Some(&(4, "f")));
        // The field's text as typed, so the colours line up with it.
        assert_eq!(coloured_parts(" a.b\n"), vec![(0, " a"), (1, "b\n")]);
        // Too long to draw: nothing coloured (the field shows its own text).
        assert!(coloured_parts(&"a.".repeat(DRAWN_CHARS)).is_empty());
    }

    #[test]
    fn the_payload_is_compacted_keeping_claim_order_and_string_spaces() {
        let text = "{\n  \"sub\": \"a b\",\n  \"aud\": \"say \\\" hi\",\n  \"n\": [1, 2]\n}";
        assert_eq!(
            compact_payload(text).unwrap(),
            r#"{"sub":"a b","aud":"say \" hi","n":[1,2]}"#
        );
    }

    #[test]
    fn pretty_as_written_lays_out_json_as_serde_json_does() {
        // serde_json writes maps sorted, so for its own compact output the
        // two layouts must agree character for character.
        let values = [
            r#"{"a":1,"b":[1,2,{"c":null}],"d":{},"e":[],"f":"x, y: {z}","g":"q\"\\"}"#,
            r#"[]"#,
            r#"{"nested":{"deeper":{"deepest":[true,false]}},"n":-1.5e3}"#,
            r#"{"unicode":"é ✓","amr":["pwd","otp"]}"#,
        ];
        for text in values {
            let value: Value = serde_json::from_str(text).unwrap();
            let compact = value.to_string();
            assert_eq!(
                pretty_as_written(&compact),
                serde_json::to_string_pretty(&value).unwrap(),
                "{text}"
            );
        }
    }

    #[test]
    fn the_editors_and_the_claims_table_keep_the_order_the_token_writes() {
        let payload = r#"{"sub":"alice","iss":"https://as.example","aud":["api", "b"],"big":12345678901234567890}"#;
        let token = format!(
            "{}.{}.c2ln",
            b64_encode(r#"{"typ":"JWT","alg":"HS256"}"#),
            b64_encode(payload)
        );
        let decoded = oauth_engine::jwt::decode(&token).unwrap();
        let (header, editor) = editor_texts(&token, &decoded);
        assert_eq!(header, "{\n  \"typ\": \"JWT\",\n  \"alg\": \"HS256\"\n}");
        let names: Vec<String> = claim_rows(&decoded, UnixTime(0))
            .0
            .into_iter()
            .map(|row| row.name)
            .collect();
        assert_eq!(names, ["sub", "iss", "aud", "big"]);
        assert_eq!(
            editor,
            "{\n  \"sub\": \"alice\",\n  \"iss\": \"https://as.example\",\n  \"aud\": [\n    \"api\",\n    \"b\"\n  ],\n  \"big\": 12345678901234567890\n}"
        );
        // Re-encoded from the editor as it stands, the payload is the token's.
        assert_eq!(
            compact_payload(&editor).unwrap(),
            payload.replace(", ", ",")
        );
    }

    #[test]
    fn rfc7519_7_2_the_payload_must_be_a_json_object() {
        assert_eq!(
            compact_payload("[1]").unwrap_err(),
            "The payload must be a JSON object of claims."
        );
        assert!(
            compact_payload("{\"a\":")
                .unwrap_err()
                .starts_with("The payload is not JSON: EOF while parsing")
        );
        assert_eq!(
            parse_header("\"x\"").unwrap_err(),
            "The header must be a JSON object."
        );
    }

    #[test]
    fn editing_keeps_the_old_signature_so_verification_fails() {
        let Decoded::Signed { header, .. } = decode(A1).unwrap() else {
            panic!("A1 is a JWS");
        };
        let edited = reencode_keeping_signature(&header, r#"{"iss":"mallory"}"#, A1);
        assert!(edited.ends_with(".dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk"));
        let Decoded::Signed { payload, .. } = decode(&edited).unwrap() else {
            panic!("still a JWS");
        };
        assert_eq!(
            payload,
            Payload::Claims(serde_json::from_str(r#"{"iss":"mallory"}"#).unwrap())
        );
    }

    #[test]
    fn the_alg_menu_rewrites_the_header_alg_only() {
        let header = with_alg("{\"typ\":\"JWT\",\"alg\":\"HS256\",\"kid\":\"k\"}", "ES256");
        assert_eq!(header_alg(&header).as_deref(), Some("ES256"));
        // In its place: the header is signed as the editor shows it.
        assert_eq!(
            header,
            "{\n  \"typ\": \"JWT\",\n  \"alg\": \"ES256\",\n  \"kid\": \"k\"\n}"
        );
        assert_eq!(with_alg("not json", "ES256"), "not json");
    }

    #[test]
    fn a_new_key_keeps_a_suitable_alg_and_replaces_one_that_is_not() {
        assert_eq!(KeyChoice::Rsa2048.alg("PS384"), "PS384");
        assert_eq!(KeyChoice::Rsa2048.alg("HS256"), "RS256");
        assert_eq!(KeyChoice::Secret.alg("HS512"), "HS512");
        assert_eq!(KeyChoice::Secret.alg("ES256"), "HS256");
        assert_eq!(KeyChoice::Ed25519.alg("HS256"), "EdDSA");
    }

    #[test]
    fn a_share_link_carries_the_token_in_the_fragment_only() {
        let fragment = share_fragment(&format!(" {A1}\n"));
        assert_eq!(fragment, format!("#token={A1}"));
        assert_eq!(token_from_fragment(&fragment).as_deref(), Some(A1));
        assert_eq!(token_from_fragment("#token="), None);
        assert_eq!(token_from_fragment("#other=1"), None);
        assert_eq!(token_from_fragment(""), None);
    }

    #[test]
    fn clock_skew_is_whole_seconds_up_to_a_day() {
        assert_eq!(parse_skew(" 120 "), Ok(120));
        assert!(parse_skew("-1").is_err());
        assert!(parse_skew("1.5").is_err());
        assert!(parse_skew("86401").is_err());
    }
}
