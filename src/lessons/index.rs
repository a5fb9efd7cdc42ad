//! `lessons/index.json`: the list of the lessons shipped.

use serde_json::Value;

use super::files::{INDEX_FILE, check_file_name};
use super::problems::{Problems, parse_json};
use super::wording::describe;

/// The lessons `index.json` lists, in order: `{"lessons": ["pkce.json"]}`.
pub fn parse_index(text: &str) -> Result<Vec<String>, Vec<String>> {
    let value = parse_json(INDEX_FILE, text).map_err(|message| vec![message])?;
    let mut problems = Problems::new(INDEX_FILE);
    let Some(object) = problems.object(
        &value,
        "",
        "the file must be a JSON object such as {\"lessons\": [\"pkce.json\"]}",
    ) else {
        return Err(problems.0);
    };
    problems.unknown_fields(object, "", &["lessons"]);
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
    problems.finish(files)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_index_lists_file_names_and_names_each_bad_entry() {
        assert_eq!(
            parse_index(r#"{"lessons": ["a.json", "b.json"]}"#),
            Ok(vec!["a.json".into(), "b.json".into()])
        );
        assert_eq!(
            parse_index(r#"{"lessons": ["a.json", 3, "../b.json", "a.json"], "extra": 1}"#),
            Err(vec![
                "lessons/index.json: the file has a field \"extra\" that lessons do not use (the \
                 fields are lessons)"
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
