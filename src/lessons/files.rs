//! The lesson files by name: where they live, which names may ever be
//! requested, and the message for a file the server did not give.

use super::wording::shorten;

/// Where the lesson files live, relative to the app's `<base href>`.
pub const LESSONS_DIR: &str = "lessons/";
/// The file that lists the lessons shipped.
pub const INDEX_FILE: &str = "index.json";

/// The path a message names a file by: `lessons/pkce.json`.
pub fn lesson_path(file: &str) -> String {
    format!("{LESSONS_DIR}{file}")
}

/// Only a plain file name in `lessons/` is ever requested: no folder, no
/// `..`, no scheme or host, so a link can never make the app fetch
/// anything but its own lesson files.
pub fn check_file_name(name: &str) -> Result<(), String> {
    let plain = !name.is_empty()
        && name.len() <= 100
        && name
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || matches!(c, '-' | '_' | '.'))
        && name.starts_with(|c: char| c.is_ascii_alphanumeric())
        && !name.contains("..");
    if plain && name.ends_with(".json") && name.len() > ".json".len() {
        return Ok(());
    }
    let why = if !plain {
        "a lesson is a plain file name in lessons/, such as \"my-lesson.json\": letters, \
         digits, \"-\", \"_\" and \".\", ending in .json (no folders, no \"..\", no web \
         addresses)"
    } else {
        "a lesson file name ends in .json, such as \"my-lesson.json\""
    };
    Err(format!("\"{}\" is refused: {why}.", shorten(name, 60)))
}

/// What the server answered, judged before the body is read: a missing
/// file names the file. `content_type` matters for hosts with a
/// single-page-app fallback, which answer a missing file with the app's
/// own page and status 200.
pub fn response_problem(
    file: &str,
    status: u16,
    status_text: &str,
    content_type: &str,
) -> Option<String> {
    let path = lesson_path(file);
    let status_line = format!("{status} {status_text}");
    let status_line = status_line.trim_end();
    match status {
        404 | 410 => Some(format!(
            "{path} was not found beside the app (the server answered {status_line})."
        )),
        200..=299 if content_type.to_ascii_lowercase().contains("text/html") => Some(format!(
            "{path} was not found beside the app (the server answered with a web page, not \
             the file)."
        )),
        200..=299 => None,
        _ => Some(format!(
            "{path} could not be loaded: the server answered {status_line}."
        )),
    }
}

/// The message for a request that got no answer at all.
pub fn network_problem(file: &str, error: &str) -> String {
    format!(
        "{} could not be loaded ({error}). If you are offline, lessons you have not opened \
         before are not stored yet.",
        lesson_path(file)
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_plain_json_file_names_are_accepted() {
        for good in ["pkce.json", "my-lesson_2.json", "a.b.json"] {
            assert_eq!(check_file_name(good), Ok(()), "{good}");
        }
        let refused = "is refused: a lesson is a plain file name in lessons/, such as \
                       \"my-lesson.json\": letters, digits, \"-\", \"_\" and \".\", ending in \
                       .json (no folders, no \"..\", no web addresses).";
        for bad in [
            "../x.json",
            "..json",
            "sub/x.json",
            "sub\\x.json",
            "https://evil.example/x.json",
            "//evil.example/x.json",
            "/x.json",
            ".hidden.json",
            "",
            "x y.json",
            "é.json",
        ] {
            assert_eq!(
                check_file_name(bad),
                Err(format!("\"{bad}\" {refused}")),
                "{bad}"
            );
        }
        assert_eq!(
            check_file_name("notes.txt"),
            Err(
                "\"notes.txt\" is refused: a lesson file name ends in .json, such as \
                 \"my-lesson.json\"."
                    .into()
            )
        );
        assert!(check_file_name(".json").is_err());
        assert!(check_file_name(&format!("{}.json", "a".repeat(100))).is_err());
    }

    #[test]
    fn a_missing_file_is_named_whatever_the_host_answers() {
        assert_eq!(
            response_problem("x.json", 404, "Not Found", "text/html"),
            Some(
                "lessons/x.json was not found beside the app (the server answered 404 Not \
                 Found)."
                    .into()
            )
        );
        assert_eq!(
            response_problem("x.json", 200, "OK", "text/html; charset=utf-8"),
            Some(
                "lessons/x.json was not found beside the app (the server answered with a web \
                 page, not the file)."
                    .into()
            )
        );
        assert_eq!(
            response_problem("x.json", 500, "", "text/plain"),
            Some("lessons/x.json could not be loaded: the server answered 500.".into())
        );
        assert_eq!(
            response_problem("x.json", 200, "OK", "application/json"),
            None
        );
        assert_eq!(response_problem("x.json", 200, "OK", ""), None);
        assert_eq!(
            network_problem("x.json", "TypeError: Failed to fetch"),
            "lessons/x.json could not be loaded (TypeError: Failed to fetch). If you are \
             offline, lessons you have not opened before are not stored yet."
        );
    }
}
