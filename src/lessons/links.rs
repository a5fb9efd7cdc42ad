//! Where a learner is in a lesson, kept in the address bar so a reload or
//! a copied link comes back to the same stop.

use oauth_engine::form::{decode_form, encode_form};

/// Where a learner is in a lesson, as the address bar keeps it:
/// `?file=pkce.json&stop=3`, or `stop=end` for the summary.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct LessonLink {
    pub file: Option<String>,
    pub place: Option<Place>,
}

/// A stop (from 0), or the summary after the last.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Place {
    Stop(usize),
    End,
}

impl Place {
    /// The `stop` parameter: a stop counted from 1, or `end`.
    pub fn parse(value: &str) -> Option<Self> {
        if value == "end" {
            return Some(Self::End);
        }
        let stop = value.parse::<usize>().ok()?.checked_sub(1)?;
        Some(Self::Stop(stop))
    }
}

impl LessonLink {
    pub fn parse(query: &str) -> Self {
        let query = query.strip_prefix('?').unwrap_or(query);
        let mut link = Self::default();
        for (name, value) in decode_form(query).unwrap_or_default() {
            match name.as_str() {
                "file" => link.file = Some(value),
                "stop" => link.place = Place::parse(&value),
                _ => {}
            }
        }
        link
    }

    pub fn to_query(file: &str, place: Place) -> String {
        let stop = match place {
            Place::Stop(stop) => (stop + 1).to_string(),
            Place::End => "end".into(),
        };
        format!("?{}", encode_form(&[("file", file), ("stop", &stop)]))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_lesson_link_keeps_the_file_and_the_stop() {
        assert_eq!(
            LessonLink::parse("?file=pkce.json&stop=3"),
            LessonLink {
                file: Some("pkce.json".into()),
                place: Some(Place::Stop(2))
            }
        );
        assert_eq!(
            LessonLink::parse("?file=a.json&stop=end").place,
            Some(Place::End)
        );
        assert_eq!(LessonLink::parse("?file=a.json&stop=0").place, None);
        assert_eq!(LessonLink::parse("").file, None);
        assert_eq!(
            LessonLink::parse("?file=..%2Fx.json").file.as_deref(),
            Some("../x.json")
        );
        assert_eq!(
            LessonLink::to_query("pkce.json", Place::Stop(2)),
            "?file=pkce.json&stop=3"
        );
        assert_eq!(
            LessonLink::to_query("a.json", Place::End),
            "?file=a.json&stop=end"
        );
    }
}
