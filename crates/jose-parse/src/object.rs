//! A JSON object that keeps its members as written: in their order, and
//! with any duplicate names. A JOSE header or a claims set read into
//! `serde_json::Map` comes out sorted by name with duplicates silently
//! dropped, so the debugger could neither show a token's claims in the
//! order it carries them nor say that a name appears twice.

use std::fmt;

use serde::de::{DeserializeSeed, MapAccess, Visitor};
use serde::ser::SerializeMap;
use serde::{Deserialize, Deserializer, Serialize, Serializer};
use serde_json::Value;

/// A JSON object's members in the order written, duplicates included.
/// Lookups follow RFC 7515 section 4 and RFC 7519 section 4: names must
/// be unique, and a parser that accepts duplicates takes the lexically
/// last one, as ECMAScript's `JSON.parse` does.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct JsonObject {
    /// Every member's name, one after the other: one allocation for all
    /// of them rather than one each (the debugger parses a token's header
    /// and claims on every keystroke).
    names: String,
    /// Each member: where its name ends in `names` (it starts where the
    /// previous one ends), and its value.
    members: Vec<(usize, Value)>,
}

impl JsonObject {
    pub fn new() -> Self {
        Self::default()
    }

    /// Parses JSON text that must be an object. Parse here rather than
    /// with `serde_json::from_str` at the call site: this crate is the one
    /// compiled for speed, and generic code is compiled where it is
    /// instantiated.
    pub fn from_json(text: &str) -> Result<Self, ObjectError> {
        serde_json::from_str(text).map_err(|error| {
            if error.is_data() {
                ObjectError::NotAnObject
            } else {
                ObjectError::NotJson {
                    line: error.line(),
                    column: error.column(),
                    reason: reason(&error),
                }
            }
        })
    }

    /// [`from_json`](Self::from_json) for bytes, which must be UTF-8
    /// (RFC 8259 section 8.1). Checked once up front, which is faster than
    /// serde_json's check of each string as it goes, and leaves serde_json
    /// one kind of input to be compiled for (a second costs 3 KB of wasm).
    pub fn from_json_bytes(bytes: &[u8]) -> Result<Self, ObjectError> {
        match std::str::from_utf8(bytes) {
            Ok(text) => Self::from_json(text),
            Err(error) => {
                let valid = &bytes[..error.valid_up_to()];
                let line_start = valid.iter().rposition(|&b| b == b'\n').map_or(0, |i| i + 1);
                // Valid UTF-8 up to the bad byte, so this always succeeds.
                let line = std::str::from_utf8(&valid[line_start..]).unwrap_or_default();
                Err(ObjectError::NotUtf8 {
                    line: valid.iter().filter(|&&b| b == b'\n').count() + 1,
                    column: line.chars().count() + 1,
                })
            }
        }
    }

    /// The value of the last member named `name`.
    pub fn get(&self, name: &str) -> Option<&Value> {
        let index = self.rposition(name)?;
        Some(&self.members[index].1)
    }

    pub fn contains_key(&self, name: &str) -> bool {
        self.rposition(name).is_some()
    }

    /// Every member as written, duplicates included.
    pub fn iter(&self) -> impl Iterator<Item = (&str, &Value)> {
        (0..self.members.len()).map(|index| (self.name(index), &self.members[index].1))
    }

    pub fn len(&self) -> usize {
        self.members.len()
    }

    pub fn is_empty(&self) -> bool {
        self.members.is_empty()
    }

    /// Sets `name` to `value`: in the place of the last member of that
    /// name (the one [`get`](Self::get) reads), else as a new last member.
    pub fn insert(&mut self, name: &str, value: Value) {
        match self.rposition(name) {
            Some(index) => self.members[index].1 = value,
            None => self.push(name, value),
        }
    }

    /// The names that appear more than once, each once, in the order of
    /// their second appearance. In linear time: ten pasted megabytes can
    /// hold six hundred thousand members.
    pub fn duplicate_names(&self) -> Vec<&str> {
        // A hash table of where each name first appears (open addressing,
        // FNV-1a), with no name copied: a set of owned names took ten times
        // as long, and a sort or std's HashSet costs kilobytes of wasm. A
        // pasted text made to collide only slows its own page.
        let size = (self.len() * 2).next_power_of_two();
        let mut first_seen = vec![usize::MAX; size];
        let mut reported = vec![false; self.len()];
        let mut duplicates = Vec::new();
        for (index, (name, _)) in self.iter().enumerate() {
            let mut slot = fnv1a(name) & (size - 1);
            loop {
                let first = first_seen[slot];
                if first == usize::MAX {
                    first_seen[slot] = index;
                    break;
                }
                if self.name(first) == name {
                    if !reported[first] {
                        reported[first] = true;
                        duplicates.push(name);
                    }
                    break;
                }
                slot = (slot + 1) & (size - 1);
            }
        }
        duplicates
    }

    fn push(&mut self, name: &str, value: Value) {
        self.names.push_str(name);
        self.members.push((self.names.len(), value));
    }

    fn name(&self, index: usize) -> &str {
        let start = index
            .checked_sub(1)
            .map_or(0, |previous| self.members[previous].0);
        &self.names[start..self.members[index].0]
    }

    fn rposition(&self, name: &str) -> Option<usize> {
        (0..self.members.len())
            .rev()
            .find(|&index| self.name(index) == name)
    }
}

/// Why text is not a JSON object. Lines and columns count from 1.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ObjectError {
    /// Not UTF-8, at the first byte that is not (the column counts
    /// characters).
    NotUtf8 { line: usize, column: usize },
    /// Not JSON (the column counts bytes, as serde_json does).
    NotJson {
        line: usize,
        column: usize,
        reason: String,
    },
    /// JSON, but of another type than an object.
    NotAnObject,
}

impl fmt::Display for ObjectError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::NotUtf8 { line, column } => write!(
                f,
                "not UTF-8 text (RFC 8259 section 8.1) at line {line}, column {column}"
            ),
            Self::NotJson {
                line,
                column,
                reason,
            } => write!(f, "{reason} at line {line}, column {column}"),
            Self::NotAnObject => f.write_str("JSON, but not an object"),
        }
    }
}

impl std::error::Error for ObjectError {}

/// serde_json's message without its own " at line L column C" suffix.
fn reason(error: &serde_json::Error) -> String {
    let message = error.to_string();
    match message.rfind(" at line ") {
        Some(at) => message[..at].to_owned(),
        None => message,
    }
}

impl<'n> FromIterator<(&'n str, Value)> for JsonObject {
    fn from_iter<I: IntoIterator<Item = (&'n str, Value)>>(members: I) -> Self {
        let mut object = Self::new();
        for (name, value) in members {
            object.push(name, value);
        }
        object
    }
}

impl Serialize for JsonObject {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let mut map = serializer.serialize_map(Some(self.len()))?;
        for (name, value) in self.iter() {
            map.serialize_entry(name, value)?;
        }
        map.end()
    }
}

impl<'de> Deserialize<'de> for JsonObject {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        deserializer.deserialize_map(MembersVisitor)
    }
}

struct MembersVisitor;

impl<'de> Visitor<'de> for MembersVisitor {
    type Value = JsonObject;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a JSON object")
    }

    fn visit_map<A: MapAccess<'de>>(self, mut access: A) -> Result<JsonObject, A::Error> {
        // serde_json gives no size hint; a claims set has about a dozen
        // members with names of a few letters, and growing from nothing
        // costs more than the spare room.
        let mut object = JsonObject {
            names: String::with_capacity(128),
            members: Vec::with_capacity(access.size_hint().unwrap_or(16)),
        };
        while access.next_key_seed(NameInto(&mut object.names))?.is_some() {
            let value = access.next_value()?;
            object.members.push((object.names.len(), value));
        }
        Ok(object)
    }
}

/// Reads a member's name onto the end of the names buffer.
struct NameInto<'a>(&'a mut String);

impl<'de> DeserializeSeed<'de> for NameInto<'_> {
    type Value = ();

    fn deserialize<D: Deserializer<'de>>(self, deserializer: D) -> Result<(), D::Error> {
        deserializer.deserialize_str(self)
    }
}

impl<'de> Visitor<'de> for NameInto<'_> {
    type Value = ();

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a member name")
    }

    fn visit_str<E: serde::de::Error>(self, name: &str) -> Result<(), E> {
        self.0.push_str(name);
        Ok(())
    }
}

/// The 64-bit FNV-1a hash of `text` (draft-eastlake-fnv section 2), cut to
/// the platform's word.
fn fnv1a(text: &str) -> usize {
    let hash = text.bytes().fold(0xcbf2_9ce4_8422_2325_u64, |hash, byte| {
        (hash ^ u64::from(byte)).wrapping_mul(0x0000_0100_0000_01b3)
    });
    hash as usize
}

#[cfg(test)]
mod tests {
    use super::*;
    #[cfg(target_arch = "wasm32")]
    use wasm_bindgen_test::wasm_bindgen_test as test;

    fn parse(text: &str) -> JsonObject {
        JsonObject::from_json(text).unwrap()
    }

    #[test]
    fn members_keep_the_order_they_were_written_in() {
        let object = parse(r#"{"sub":"alice","iss":"https://as","aud":"api","exp":1}"#);
        let names: Vec<&str> = object.iter().map(|(name, _)| name).collect();
        assert_eq!(names, ["sub", "iss", "aud", "exp"]);
        assert_eq!(
            serde_json::to_string(&object).unwrap(),
            r#"{"sub":"alice","iss":"https://as","aud":"api","exp":1}"#
        );
    }

    #[test]
    fn rfc7519_section_4_a_duplicate_name_reads_as_its_last_value() {
        let object = parse(r#"{"sub":"alice","aud":"api","sub":"mallory","aud":"x","aud":"y"}"#);
        assert_eq!(object.get("sub"), Some(&Value::from("mallory")));
        assert_eq!(object.get("aud"), Some(&Value::from("y")));
        assert_eq!(object.len(), 5);
        assert_eq!(object.duplicate_names(), ["sub", "aud"]);
        assert!(parse(r#"{"a":1,"b":2}"#).duplicate_names().is_empty());
    }

    #[test]
    fn insert_replaces_the_member_get_reads_or_appends() {
        let mut header = parse(r#"{"typ":"JWT","alg":"HS256","kid":"k1"}"#);
        header.insert("alg", Value::from("ES256"));
        header.insert("cty", Value::from("JWT"));
        assert_eq!(
            serde_json::to_string(&header).unwrap(),
            r#"{"typ":"JWT","alg":"ES256","kid":"k1","cty":"JWT"}"#
        );
    }

    #[test]
    fn only_an_object_parses_and_bytes_agree_with_text() {
        for text in ["[]", "1", "\"a\"", "null"] {
            assert_eq!(
                JsonObject::from_json(text),
                Err(ObjectError::NotAnObject),
                "{text}"
            );
            assert_eq!(
                JsonObject::from_json_bytes(text.as_bytes()),
                Err(ObjectError::NotAnObject)
            );
        }
        assert_eq!(
            JsonObject::from_json("{\"a\":\n}"),
            Err(ObjectError::NotJson {
                line: 2,
                column: 1,
                reason: "expected value".into()
            })
        );
        assert_eq!(
            JsonObject::from_json("{} x").unwrap_err().to_string(),
            "trailing characters at line 1, column 4"
        );
        assert_eq!(
            JsonObject::from_json_bytes(br#"{"a":[1,{"b":null}]}"#).unwrap(),
            parse(r#"{"a":[1,{"b":null}]}"#)
        );
    }

    #[test]
    fn rfc8259_8_1_bytes_must_be_utf8_and_the_first_bad_one_is_located() {
        // "é" is two bytes and one character; 0xFF is never UTF-8.
        let bytes = b"{\"\xC3\xA9\":1,\n \"a\":\"x\xFF\"}";
        let error = JsonObject::from_json_bytes(bytes).unwrap_err();
        assert_eq!(error, ObjectError::NotUtf8 { line: 2, column: 8 });
        assert_eq!(
            error.to_string(),
            "not UTF-8 text (RFC 8259 section 8.1) at line 2, column 8"
        );
    }
}
