//! The answers a learner gave in one lesson: the value chosen at each stop
//! that asked. The tab keeps them, so a reload keeps them too.

use serde_json::{Map, Value};

/// Stop (from 0) and the value chosen there, one pair per stop answered,
/// in stop order. A lesson asks a handful of questions, so a list is all
/// it takes (a map's code was 2 KB of the lessons' download).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Answers(Vec<(usize, String)>);

impl Answers {
    pub fn new() -> Self {
        Self::default()
    }

    /// The value chosen at stop `stop`, if it was answered.
    pub fn get(&self, stop: usize) -> Option<&str> {
        self.0
            .iter()
            .find(|(answered, _)| *answered == stop)
            .map(|(_, value)| value.as_str())
    }

    pub fn contains(&self, stop: usize) -> bool {
        self.get(stop).is_some()
    }

    /// Records `value` for `stop`, in place of an earlier one, keeping the
    /// list in stop order (so equal answers compare equal).
    pub fn insert(&mut self, stop: usize, value: String) {
        match self.0.iter().position(|(answered, _)| *answered >= stop) {
            Some(i) if self.0[i].0 == stop => self.0[i].1 = value,
            Some(i) => self.0.insert(i, (stop, value)),
            None => self.0.push((stop, value)),
        }
    }

    /// As the tab keeps them: a JSON object from the stop's number to the
    /// value, `{"0":"browser","3":"no"}`, the form it has always had, so
    /// answers kept before this read back.
    pub fn to_json(&self) -> String {
        // Built by insert: collecting would compile a sort in.
        let mut map = Map::new();
        for (stop, value) in &self.0 {
            map.insert(stop.to_string(), Value::from(value.as_str()));
        }
        Value::Object(map).to_string()
    }

    /// The answers [`Answers::to_json`] wrote; `None` for anything else.
    pub fn from_json(json: &str) -> Option<Self> {
        let value: Value = serde_json::from_str(json).ok()?;
        let mut answers = Self::new();
        for (stop, value) in value.as_object()? {
            answers.insert(stop.parse().ok()?, value.as_str()?.to_owned());
        }
        Some(answers)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn answers_round_trip_through_the_form_the_tab_keeps() {
        let mut answers = Answers::new();
        answers.insert(3, "no".into());
        answers.insert(0, "client".into());
        answers.insert(0, "browser".into());
        assert_eq!(answers.get(0), Some("browser"));
        assert!(!answers.contains(1));
        let json = answers.to_json();
        assert_eq!(json, r#"{"0":"browser","3":"no"}"#);
        assert_eq!(Answers::from_json(&json), Some(answers));
    }

    #[test]
    fn anything_but_kept_answers_reads_as_none() {
        for json in ["", "[]", r#"{"x":"no"}"#, r#"{"0":1}"#, "{"] {
            assert_eq!(Answers::from_json(json), None, "{json}");
        }
        assert_eq!(Answers::from_json("{}"), Some(Answers::new()));
    }
}
