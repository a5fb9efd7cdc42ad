//! How a problem message quotes what it names: a list as `a, b and c`, a
//! JSON value by what it is, and a long text shortened.

use serde_json::Value;

/// `a, b and c`.
pub(super) fn list(items: &[&str], last: &str) -> String {
    match items {
        [] => String::new(),
        [one] => (*one).to_owned(),
        [rest @ .., end] => format!("{} {last} {end}", rest.join(", ")),
    }
}

/// A JSON value as a message quotes it: strings in quotes (shortened),
/// numbers and literals as written, lists and objects by kind.
pub(super) fn describe(value: &Value) -> String {
    match value {
        Value::String(text) => format!("\"{}\"", shorten(text, 40)),
        Value::Array(_) => "a list".into(),
        Value::Object(_) => "an object".into(),
        other => other.to_string(),
    }
}

pub(super) fn shorten(text: &str, max: usize) -> String {
    if text.chars().count() <= max {
        text.to_owned()
    } else {
        let cut: String = text.chars().take(max).collect();
        format!("{cut}…")
    }
}
