//! `lessons/index.json`: the list of the lessons shipped, and the cards a
//! release build adds for them.

use serde_json::Value;

use super::files::{INDEX_FILE, check_file_name};
use super::format::parse_card;
use super::lesson::Card;
use super::problems::{Problems, parse_json};
use super::wording::describe;

/// A lesson the index lists: its file, and its card if the index has one.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Listed {
    pub file: String,
    pub card: Option<Card>,
}

/// The lessons `index.json` lists, in order: `{"lessons": ["pkce.json"]}`,
/// with the card of each that `"cards"` (by file name) has. A release
/// build writes the cards (scripts/lessons-post-build.mjs); a card that does
/// not read is passed over, and the list reads that lesson's file.
pub fn parse_index(text: &str) -> Result<Vec<Listed>, Vec<String>> {
    let value = parse_json(INDEX_FILE, text).map_err(|message| vec![message])?;
    let mut problems = Problems::new(INDEX_FILE);
    let Some(object) = problems.object(
        &value,
        "",
        "the file must be a JSON object such as {\"lessons\": [\"pkce.json\"]}",
    ) else {
        return Err(problems.0);
    };
    problems.unknown_fields(object, "", &["lessons", "cards"]);
    let mut files: Vec<String> = Vec::new();
    match object.get("lessons") {
        None => problems.add(
            "lessons",
            "is missing: list the lesson files, such as {\"lessons\": [\"pkce.json\"]}",
        ),
        Some(Value::Array(items)) => {
            for (i, item) in items.iter().enumerate() {
                let path = format!("lessons[{i}]");
                match item.as_str() {
                    None => problems.add(
                        &path,
                        format!("must be a file name (a string), not {}", describe(item)),
                    ),
                    Some(name) => match check_file_name(name) {
                        Err(why) => problems.add(&path, why),
                        Ok(()) if files.iter().any(|file| file == name) => {
                            problems.add(&path, format!("lists \"{name}\" a second time"))
                        }
                        Ok(()) => files.push(name.to_owned()),
                    },
                }
            }
        }
        Some(other) => problems.add(
            "lessons",
            format!("must be a list of file names, not {}", describe(other)),
        ),
    }
    let listed = files
        .into_iter()
        .map(|file| {
            let card = object
                .get("cards")
                .and_then(|cards| cards.get(&file))
                .and_then(|card| parse_card(&file, card));
            Listed { file, card }
        })
        .collect();
    problems.finish(listed)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::lessons::run::RunSpec;
    use oauth_engine::sim::attacks::Attack;

    fn listed(file: &str, card: Option<Card>) -> Listed {
        Listed {
            file: file.into(),
            card,
        }
    }

    #[test]
    fn a_card_the_build_wrote_is_read_and_one_that_does_not_read_is_passed_over() {
        let text = r#"{
            "lessons": ["a.json", "b.json", "c.json"],
            "cards": {
                "a.json": {"title": "A", "summary": "About A.",
                           "run": {"attack": "mix-up", "defence": "on"},
                           "stops": 5, "questions": 3},
                "b.json": {"title": "B", "run": {"flow": "no-such-flow"}, "stops": 2, "questions": 1},
                "unlisted.json": {"title": "U", "run": {"flow": "spa"}, "stops": 1, "questions": 0}
            }
        }"#;
        let card = Card {
            title: "A".into(),
            summary: Some("About A.".into()),
            run: RunSpec::Attack {
                attack: Attack::MixUp,
                defended: true,
            },
            stops: 5,
            questions: 3,
        };
        assert_eq!(
            parse_index(text),
            Ok(vec![
                listed("a.json", Some(card)),
                listed("b.json", None),
                listed("c.json", None)
            ])
        );
    }

    #[test]
    fn the_index_lists_file_names_and_names_each_bad_entry() {
        assert_eq!(
            parse_index(r#"{"lessons": ["a.json", "b.json"]}"#),
            Ok(vec![listed("a.json", None), listed("b.json", None)])
        );
        assert_eq!(
            parse_index(r#"{"lessons": ["a.json", 3, "../b.json", "a.json"], "extra": 1}"#),
            Err(vec![
                "lessons/index.json: the file has a field \"extra\" that lessons do not use (the \
                 fields are lessons and cards)"
                    .into(),
                "lessons/index.json: lessons[1] must be a file name (a string), not 3".into(),
                format!(
                    "lessons/index.json: lessons[2] {}",
                    check_file_name("../b.json").unwrap_err()
                ),
                "lessons/index.json: lessons[3] lists \"a.json\" a second time".into(),
            ])
        );
        assert_eq!(
            parse_index("{}"),
            Err(vec![
                "lessons/index.json: lessons is missing: list the lesson files, such as \
                 {\"lessons\": [\"pkce.json\"]}"
                    .into()
            ])
        );
        assert_eq!(
            parse_index(r#"{"lessons": "a.json"}"#),
            Err(vec![
                "lessons/index.json: lessons must be a list of file names, not \"a.json\"".into()
            ])
        );
        assert_eq!(
            parse_index("[]"),
            Err(vec![
                "lessons/index.json: the file must be a JSON object such as {\"lessons\": \
                 [\"pkce.json\"]}, not a list"
                    .into()
            ])
        );
        assert_eq!(
            parse_index("{"),
            Err(vec![
                "lessons/index.json is not JSON: EOF while parsing an object at line 1 column 1"
                    .into()
            ])
        );
    }
}
