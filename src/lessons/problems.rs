//! Reading a lesson file, or the index, finds every problem at once, each a
//! full message naming the file and the field: `lessons/pkce.json:
//! stops[2].ask must be …`. `Problems` collects them, with the checks every
//! field shares; the readers of a lesson's own fields are in `format`.

use std::fmt::Write as _;

use serde_json::{Map, Value};

use super::files::lesson_path;
use super::wording::{describe, list, shorten};

/// A file's text as JSON, or a message naming the file, the line and the
/// column. A byte order mark, which some editors write, is skipped.
pub(super) fn parse_json(file: &str, text: &str) -> Result<Value, String> {
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    serde_json::from_str(text)
        .map_err(|error| format!("{} is not JSON: {error}", lesson_path(file)))
}

/// The problems found in one file, each a full message.
pub(super) struct Problems<'f>(pub(super) Vec<String>, &'f str);

impl<'f> Problems<'f> {
    pub(super) fn new(file: &'f str) -> Self {
        Self(Vec::new(), file)
    }

    /// `lessons/pkce.json: stops[2].ask must be …`; a message about the
    /// whole file (no path) reads `lessons/pkce.json: the file must be …`.
    pub(super) fn add(&mut self, path: &str, message: impl AsRef<str>) {
        let mut line = format!("{}: ", lesson_path(self.1));
        if !path.is_empty() {
            line.push_str(path);
            line.push(' ');
        }
        line.push_str(message.as_ref());
        self.0.push(line);
    }

    pub(super) fn finish<T>(self, value: T) -> Result<T, Vec<String>> {
        if self.0.is_empty() {
            Ok(value)
        } else {
            Err(self.0)
        }
    }

    pub(super) fn object<'v>(
        &mut self,
        value: &'v Value,
        path: &str,
        expected: &str,
    ) -> Option<&'v Map<String, Value>> {
        let object = value.as_object();
        if object.is_none() {
            self.add(path, format!("{expected}, not {}", describe(value)));
        }
        object
    }

    pub(super) fn unknown_fields(
        &mut self,
        object: &Map<String, Value>,
        path: &str,
        known: &[&str],
    ) {
        for name in object.keys() {
            if known.contains(&name.as_str()) {
                continue;
            }
            let mut message = format!(
                "has a field \"{}\" that lessons do not use (the fields are {})",
                shorten(name, 40),
                list(known, "and"),
            );
            let nearest = known
                .iter()
                .map(|known| (edit_distance(known, name), known))
                .filter(|(distance, _)| *distance <= 2)
                .min_by_key(|(distance, _)| *distance);
            if let Some((_, near)) = nearest {
                let _ = write!(message, ": did you mean \"{near}\"?");
            }
            let path = if path.is_empty() { "the file" } else { path };
            self.add(path, message);
        }
    }

    pub(super) fn required_text(
        &mut self,
        object: &Map<String, Value>,
        parent: &str,
        name: &str,
        purpose: &str,
    ) -> Option<String> {
        let path = join(parent, name);
        match object.get(name) {
            None => {
                self.add(&path, format!("is missing: {purpose}, as a string"));
                None
            }
            Some(Value::String(text)) if text.trim().is_empty() => {
                self.add(&path, "is empty: write something here");
                None
            }
            Some(Value::String(text)) => Some(text.clone()),
            Some(other) => {
                self.add(&path, format!("must be a string, not {}", describe(other)));
                None
            }
        }
    }

    pub(super) fn optional_text(
        &mut self,
        object: &Map<String, Value>,
        parent: &str,
        name: &str,
    ) -> Option<String> {
        match object.get(name) {
            None => None,
            Some(Value::String(text)) if text.trim().is_empty() => None,
            Some(Value::String(text)) => Some(text.clone()),
            Some(other) => {
                self.add(
                    &join(parent, name),
                    format!("must be a string, not {}", describe(other)),
                );
                None
            }
        }
    }

    /// A string that must be one of `allowed`: its place in the list. Not
    /// generic over what the caller makes of it, so that every field's
    /// check shares one copy of this code.
    pub(super) fn one_of(&mut self, path: &str, value: &Value, allowed: &[&str]) -> Option<usize> {
        let found = value
            .as_str()
            .and_then(|given| allowed.iter().position(|name| *name == given));
        if found.is_none() {
            let quoted: Vec<String> = allowed.iter().map(|s| format!("\"{s}\"")).collect();
            let quoted: Vec<&str> = quoted.iter().map(String::as_str).collect();
            let choices = if quoted.len() == 2 {
                format!("{} or {}", quoted[0], quoted[1])
            } else {
                format!("one of {}", list(&quoted, "or"))
            };
            self.add(path, format!("must be {choices}, not {}", describe(value)));
        }
        found
    }
}

fn join(parent: &str, name: &str) -> String {
    if parent.is_empty() {
        name.to_owned()
    } else {
        format!("{parent}.{name}")
    }
}

/// Levenshtein distance, for "did you mean" on short field names.
fn edit_distance(a: &str, b: &str) -> usize {
    let b: Vec<char> = b.chars().collect();
    let mut row: Vec<usize> = (0..=b.len()).collect();
    for (i, ca) in a.chars().enumerate() {
        let mut diagonal = row[0];
        row[0] = i + 1;
        for (j, cb) in b.iter().enumerate() {
            let above = row[j + 1];
            row[j + 1] = (above + 1)
                .min(row[j] + 1)
                .min(diagonal + usize::from(ca != *cb));
            diagonal = above;
        }
    }
    row[b.len()]
}
