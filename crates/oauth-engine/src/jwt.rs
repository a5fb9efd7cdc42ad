//! Reading a JWT someone pasted (RFC 7519): split, decode and explain it,
//! with a specific message for whatever is wrong, never a panic. Checking
//! the signature is `jose`'s business; this module says what the token
//! claims and what looks off.

use std::fmt;

use serde_json::Value;

use crate::clock::UnixTime;
use crate::jose::{b64_decode_into, is_b64url};
use crate::json::{JsonObject, ObjectError};

/// The parts of a compact serialization (RFC 7515 section 7.1, RFC 7516
/// section 7.1).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Segment {
    Header,
    Payload,
    Signature,
}

impl Segment {
    pub fn name(self) -> &'static str {
        match self {
            Self::Header => "header",
            Self::Payload => "payload",
            Self::Signature => "signature",
        }
    }
}

/// Why a pasted text is not a readable JWT.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum DecodeError {
    Empty,
    /// A JWS has 3 dot-separated segments (a JWE, 5).
    WrongSegmentCount(usize),
    /// A character outside base64url; `position` counts characters from 1
    /// within the segment.
    NotBase64Url {
        segment: Segment,
        character: char,
        position: usize,
    },
    /// Base64url text whose length no encoding produces (1 more than a
    /// multiple of 4).
    TruncatedBase64Url {
        segment: Segment,
    },
    /// A last character whose bits past the last whole byte are not zero:
    /// no encoder writes it (RFC 4648 section 3.5), so the text was
    /// changed by hand or cut.
    NonZeroPaddingBits {
        segment: Segment,
        character: char,
    },
    /// The segment decodes, but not to JSON.
    NotJson {
        segment: Segment,
        line: usize,
        column: usize,
        reason: String,
    },
    /// JSON, but not an object.
    NotAnObject {
        segment: Segment,
    },
}

impl fmt::Display for DecodeError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::Empty => f.write_str("Paste a JWT: three base64url parts separated by dots."),
            Self::WrongSegmentCount(count) => write!(
                f,
                "A JWT has 3 parts separated by dots (an encrypted one, 5); this has {count}."
            ),
            Self::NotBase64Url {
                segment,
                character,
                position,
            } => {
                write!(
                    f,
                    "The {} has {} at position {position}, which base64url does not use.",
                    segment.name(),
                    describe(*character)
                )?;
                match character {
                    '=' => f.write_str(" JWTs drop base64 padding (RFC 7515 section 2)."),
                    '+' | '/' => f.write_str(
                        " That is standard base64: base64url uses '-' and '_' (RFC 4648 section 5).",
                    ),
                    _ => Ok(()),
                }
            }
            Self::NonZeroPaddingBits { segment, character } => write!(
                f,
                "The {} ends in '{character}', which no base64url encoder writes last: its \
                 spare bits must be zero (RFC 4648 section 3.5). Was it edited or cut?",
                segment.name()
            ),
            Self::TruncatedBase64Url { segment } => write!(
                f,
                "The {} is cut short: its length is not one base64url can have.",
                segment.name()
            ),
            Self::NotJson {
                segment,
                line,
                column,
                reason,
            } => write!(
                f,
                "The {} is not valid JSON: {reason} at line {line}, column {column}.",
                segment.name()
            ),
            Self::NotAnObject { segment } => {
                write!(
                    f,
                    "The {} is JSON but not an object {{...}}.",
                    segment.name()
                )
            }
        }
    }
}

impl std::error::Error for DecodeError {}

fn describe(c: char) -> String {
    match c {
        ' ' => "a space".into(),
        '\n' => "a line break".into(),
        '\t' => "a tab".into(),
        c if c.is_control() => format!("the invisible character U+{:04X}", u32::from(c)),
        c if c.is_ascii() => format!("'{c}'"),
        c => format!("'{c}' (U+{:04X})", u32::from(c)),
    }
}

/// A decoded token: what its header and payload say (the signature is only
/// checked to be base64url: its bytes mean nothing without the key).
/// Nothing here is verified. Header and claims keep their members as the
/// token writes them: in order, duplicates included.
#[derive(Debug, Clone, PartialEq)]
pub enum Decoded {
    /// A signed token (JWS). The payload is a claims object when it is
    /// JSON, as a JWT's must be (RFC 7519 section 7.2).
    Signed {
        header: JsonObject,
        payload: Payload,
    },
    /// An encrypted token (JWE, RFC 7516): only its header can be read
    /// without the key.
    Encrypted { header: JsonObject },
}

#[derive(Debug, Clone, PartialEq)]
pub enum Payload {
    Claims(JsonObject),
    /// Not JSON: shown as text (lossy UTF-8).
    Text(String),
}

/// Decodes a pasted token. Surrounding white space is ignored, as are a
/// leading "Bearer " and quotes that came along with a copy.
pub fn decode(text: &str) -> Result<Decoded, DecodeError> {
    let token = text.trim();
    let token = token.strip_prefix("Bearer ").unwrap_or(token).trim();
    let token = token.trim_matches('"');
    if token.is_empty() {
        return Err(DecodeError::Empty);
    }
    // The first five parts, and how many there are, in one pass.
    let mut parts = [""; 5];
    let mut count = 0;
    for part in token.split('.') {
        if let Some(slot) = parts.get_mut(count) {
            *slot = part;
        }
        count += 1;
    }
    // One buffer for every part: each is read before the next is decoded.
    let mut bytes = Vec::with_capacity(token.len() / 4 * 3);
    match count {
        3 => {
            base64url(Segment::Header, parts[0], &mut bytes)?;
            let header = json_object(Segment::Header, &bytes)?;
            base64url(Segment::Payload, parts[1], &mut bytes)?;
            let payload = match JsonObject::from_json_bytes(&bytes) {
                Ok(claims) => Payload::Claims(claims),
                Err(_) => Payload::Text(String::from_utf8_lossy(&bytes).into_owned()),
            };
            // The signature's bytes mean nothing until a key checks them:
            // only its characters and length are checked here.
            if !is_b64url(parts[2]) {
                return Err(not_base64url(Segment::Signature, parts[2]));
            }
            Ok(Decoded::Signed { header, payload })
        }
        5 => {
            base64url(Segment::Header, parts[0], &mut bytes)?;
            let header = json_object(Segment::Header, &bytes)?;
            Ok(Decoded::Encrypted { header })
        }
        count => Err(DecodeError::WrongSegmentCount(count)),
    }
}

/// Decodes a part into `bytes`, replacing what was there.
fn base64url(segment: Segment, text: &str, bytes: &mut Vec<u8>) -> Result<(), DecodeError> {
    // Decode first and look for the culprit only when that fails: the scan
    // for a character's position costs more than the decoding itself, and
    // the debugger decodes on every keystroke.
    b64_decode_into(text, bytes).map_err(|_| not_base64url(segment, text))
}

/// What is wrong with a part that is not base64url: its first character
/// outside the alphabet, else its length, else its last character.
fn not_base64url(segment: Segment, text: &str) -> DecodeError {
    let allowed = |c: char| c.is_ascii_alphanumeric() || c == '-' || c == '_';
    match text.chars().enumerate().find(|(_, c)| !allowed(*c)) {
        Some((index, character)) => DecodeError::NotBase64Url {
            segment,
            character,
            position: index + 1,
        },
        None if text.len() % 4 == 1 => DecodeError::TruncatedBase64Url { segment },
        None => DecodeError::NonZeroPaddingBits {
            segment,
            character: text.chars().last().unwrap_or_default(),
        },
    }
}

fn json_object(segment: Segment, bytes: &[u8]) -> Result<JsonObject, DecodeError> {
    JsonObject::from_json_bytes(bytes).map_err(|error| match error {
        ObjectError::NotAnObject => DecodeError::NotAnObject { segment },
        ObjectError::NotJson {
            line,
            column,
            reason,
        } => DecodeError::NotJson {
            segment,
            line,
            column,
            reason,
        },
        ObjectError::NotUtf8 { line, column } => DecodeError::NotJson {
            segment,
            line,
            column,
            reason: "the bytes are not UTF-8 text (RFC 8259 section 8.1)".into(),
        },
    })
}

/// What a claim means, and where it is defined.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ClaimInfo {
    pub name: &'static str,
    pub meaning: &'static str,
    /// The defining section, as "RFC 7519 section 4.1.1" or a spec name.
    pub defined_in: &'static str,
    /// Whether the value is a NumericDate.
    pub is_time: bool,
}

const fn claim(
    name: &'static str,
    meaning: &'static str,
    defined_in: &'static str,
    is_time: bool,
) -> ClaimInfo {
    ClaimInfo {
        name,
        meaning,
        defined_in,
        is_time,
    }
}

/// The registered claims (RFC 7519 section 4.1) and the common OAuth and
/// OpenID Connect ones.
pub const CLAIMS: &[ClaimInfo] = &[
    claim(
        "iss",
        "Issuer: who created and signed the token",
        "RFC 7519 section 4.1.1",
        false,
    ),
    claim(
        "sub",
        "Subject: whom the token is about",
        "RFC 7519 section 4.1.2",
        false,
    ),
    claim(
        "aud",
        "Audience: who the token is meant for",
        "RFC 7519 section 4.1.3",
        false,
    ),
    claim(
        "exp",
        "Expiration time: not to be accepted after",
        "RFC 7519 section 4.1.4",
        true,
    ),
    claim(
        "nbf",
        "Not before: not to be accepted before",
        "RFC 7519 section 4.1.5",
        true,
    ),
    claim("iat", "Issued at", "RFC 7519 section 4.1.6", true),
    claim(
        "jti",
        "JWT ID: a unique identifier, to detect replays",
        "RFC 7519 section 4.1.7",
        false,
    ),
    claim(
        "scope",
        "The scopes the access token grants",
        "RFC 8693 section 4.2",
        false,
    ),
    claim(
        "client_id",
        "The client the token was issued to",
        "RFC 8693 section 4.3",
        false,
    ),
    claim(
        "azp",
        "Authorized party: the client the ID token was issued to",
        "OpenID Connect Core section 2",
        false,
    ),
    claim(
        "nonce",
        "A value to repeat: the client's, against replayed ID tokens; the server's DPoP-Nonce, in a DPoP proof",
        "OpenID Connect Core section 2; RFC 9449 section 4.2",
        false,
    ),
    claim(
        "htm",
        "DPoP proof: the HTTP method of the one request it was made for",
        "RFC 9449 section 4.2",
        false,
    ),
    claim(
        "htu",
        "DPoP proof: the URL (no query or fragment) of the one request it was made for",
        "RFC 9449 section 4.2",
        false,
    ),
    claim(
        "ath",
        "DPoP proof: the SHA-256 hash of the access token sent with it, so it goes with that token only",
        "RFC 9449 section 4.2",
        false,
    ),
    claim(
        "at_hash",
        "Hash of the access token issued with this ID token",
        "OpenID Connect Core section 3.1.3.6",
        false,
    ),
    claim(
        "c_hash",
        "Hash of the authorization code issued with this ID token",
        "OpenID Connect Core section 3.3.2.11",
        false,
    ),
    claim(
        "auth_time",
        "When the user authenticated",
        "OpenID Connect Core section 2",
        true,
    ),
    claim(
        "acr",
        "Authentication context class: how strong the sign-in was",
        "OpenID Connect Core section 2",
        false,
    ),
    claim(
        "amr",
        "Authentication methods used (pwd, otp, ...)",
        "OpenID Connect Core section 2",
        false,
    ),
    claim(
        "cnf",
        "Confirmation: the key the token is bound to; jkt is a DPoP key's thumbprint (RFC 7638)",
        "RFC 7800 section 3.1; RFC 9449 section 6.1",
        false,
    ),
    claim(
        "sid",
        "Session ID at the authorization server",
        "OpenID Connect Front-Channel Logout section 3",
        false,
    ),
];

pub fn claim_info(name: &str) -> Option<&'static ClaimInfo> {
    CLAIMS.iter().find(|info| info.name == name)
}

/// Something in a token worth a second look.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Warning {
    /// `alg: none`: no signature at all (RFC 8725 section 2.1).
    AlgNone,
    Expired {
        ago: u64,
    },
    NotYetValid {
        in_seconds: u64,
    },
    NoExpiry,
    /// More than a day between iat (or now) and exp.
    LongLifetime {
        seconds: u64,
    },
    IssuedInTheFuture {
        in_seconds: u64,
    },
    NoAudience,
    /// Names given more than once in the header or the claims (each
    /// once, in order): the JWS or JWT must be rejected, or read with the
    /// last value (RFC 7515 section 4, RFC 7519 section 4), and libraries
    /// differ on which.
    DuplicateNames {
        segment: Segment,
        names: Vec<String>,
    },
}

impl fmt::Display for Warning {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::AlgNone => f.write_str(
                "alg is \"none\": the token is not signed, anyone could have written it (RFC 8725 section 2.1).",
            ),
            Self::Expired { ago } => write!(f, "Expired {} ago.", duration(*ago)),
            Self::NotYetValid { in_seconds } => {
                write!(f, "Not valid yet: nbf is in {}.", duration(*in_seconds))
            }
            Self::NoExpiry => f.write_str("No exp claim: the token never expires."),
            Self::LongLifetime { seconds } => write!(
                f,
                "Valid for {}: a stolen token stays useful that long.",
                duration(*seconds)
            ),
            Self::IssuedInTheFuture { in_seconds } => write!(
                f,
                "iat is {} in the future: the issuer's clock, or this one, is off.",
                duration(*in_seconds)
            ),
            Self::NoAudience => f.write_str(
                "No aud claim: any service trusting the issuer would accept it (RFC 8725 section 3.9).",
            ),
            Self::DuplicateNames { segment, names } => {
                // A few names, then a count: a pasted megabyte can repeat
                // thousands.
                const SHOWN: usize = 3;
                let quoted: Vec<String> = names
                    .iter()
                    .take(SHOWN)
                    .map(|name| format!("\"{name}\""))
                    .collect();
                let listed = match names.len() {
                    0..=1 => quoted.concat(),
                    2..=SHOWN => format!(
                        "{} and {}",
                        quoted[..quoted.len() - 1].join(", "),
                        quoted[quoted.len() - 1]
                    ),
                    more => format!("{} and {} others", quoted.join(", "), more - SHOWN),
                };
                write!(
                    f,
                    "The {} names {listed} more than once. Names must be unique: a library must \
                     reject the token or read the last value (RFC 7519 section 4), and two \
                     services that choose differently read different tokens. Shown here: the last.",
                    segment.name()
                )
            }
        }
    }
}

/// A day: longer access tokens deserve a warning.
const LONG_LIFETIME: u64 = 86_400;

/// The warnings for a decoded token at time `now`, tolerating `skew`
/// seconds of clock difference.
pub fn warnings(decoded: &Decoded, now: UnixTime, skew: u64) -> Vec<Warning> {
    let Decoded::Signed {
        header, payload, ..
    } = decoded
    else {
        return Vec::new();
    };
    let mut found = Vec::new();
    if header.get("alg").and_then(Value::as_str) == Some("none") {
        found.push(Warning::AlgNone);
    }
    duplicate_names(Segment::Header, header, &mut found);
    let Payload::Claims(claims) = payload else {
        return found;
    };
    duplicate_names(Segment::Payload, claims, &mut found);
    let time = |name: &str| claims.get(name).and_then(Value::as_u64);
    match time("exp") {
        None => found.push(Warning::NoExpiry),
        Some(exp) if now.0 >= exp.saturating_add(skew) => {
            found.push(Warning::Expired { ago: now.0 - exp })
        }
        Some(exp) => {
            let from = time("iat").unwrap_or(now.0);
            if exp.saturating_sub(from) > LONG_LIFETIME {
                found.push(Warning::LongLifetime {
                    seconds: exp - from,
                });
            }
        }
    }
    if let Some(nbf) = time("nbf")
        && nbf > now.0.saturating_add(skew)
    {
        found.push(Warning::NotYetValid {
            in_seconds: nbf - now.0,
        });
    }
    if let Some(iat) = time("iat")
        && iat > now.0.saturating_add(skew)
    {
        found.push(Warning::IssuedInTheFuture {
            in_seconds: iat - now.0,
        });
    }
    if !claims.contains_key("aud") {
        found.push(Warning::NoAudience);
    }
    found
}

fn duplicate_names(segment: Segment, object: &JsonObject, found: &mut Vec<Warning>) {
    let names = object.duplicate_names();
    if !names.is_empty() {
        found.push(Warning::DuplicateNames {
            segment,
            names: names.into_iter().map(str::to_owned).collect(),
        });
    }
}

/// A duration for people: "45 s", "4 min", "3 h", "12 days".
pub fn duration(seconds: u64) -> String {
    match seconds {
        0..60 => format!("{seconds} s"),
        60..3_600 => format!("{} min", seconds / 60),
        3_600..172_800 => format!("{} h", seconds / 3_600),
        _ => format!("{} days", seconds / 86_400),
    }
}

/// When `time` is relative to `now`: "in 4 min", "3 h ago", "now".
pub fn relative(time: UnixTime, now: UnixTime) -> String {
    match time.0.cmp(&now.0) {
        std::cmp::Ordering::Equal => "now".into(),
        std::cmp::Ordering::Greater => format!("in {}", duration(time.0 - now.0)),
        std::cmp::Ordering::Less => format!("{} ago", duration(now.0 - time.0)),
    }
}

/// A NumericDate as "2026-01-01 00:00:00 UTC" (proleptic Gregorian).
pub fn utc(time: UnixTime) -> String {
    let days = (time.0 / 86_400) as i64;
    let seconds = time.0 % 86_400;
    // Days since 1970-01-01 to a civil date: Howard Hinnant's algorithm.
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let day_of_era = z.rem_euclid(146_097);
    let year_of_era =
        (day_of_era - day_of_era / 1_460 + day_of_era / 36_524 - day_of_era / 146_096) / 365;
    let day_of_year = day_of_era - (365 * year_of_era + year_of_era / 4 - year_of_era / 100);
    let month_index = (5 * day_of_year + 2) / 153;
    let day = day_of_year - (153 * month_index + 2) / 5 + 1;
    let month = if month_index < 10 {
        month_index + 3
    } else {
        month_index - 9
    };
    let year = year_of_era + era * 400 + i64::from(month <= 2);
    format!(
        "{year:04}-{month:02}-{day:02} {:02}:{:02}:{:02} UTC",
        seconds / 3_600,
        seconds % 3_600 / 60,
        seconds % 60
    )
}
