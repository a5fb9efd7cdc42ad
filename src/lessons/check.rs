//! A lesson against its run: each stop's step within it, at the request
//! its author expects, and a question only where a step follows. The
//! lessons shipped, and the README's example, are checked here too.

use oauth_engine::sim::trace::Exchange;

use super::lesson::Lesson;
use super::problems::Problems;
use super::wording::shorten;

/// The stops' steps against the run: each within it, showing the request
/// the author expects there, and a question only where a step follows.
pub fn check_against_run(lesson: &Lesson, trace: &[Exchange]) -> Result<(), Vec<String>> {
    let mut problems = Problems::new(&lesson.file);
    let steps = trace.len();
    for (i, stop) in lesson.stops.iter().enumerate() {
        if let (Some(expected), Some(exchange)) = (&stop.request, trace.get(stop.at - 1)) {
            let actual = exchange.request_line();
            if *expected != actual {
                problems.add(
                    &format!("stops[{i}].request"),
                    format!(
                        "is \"{}\", but step {} of this run is {actual}",
                        shorten(expected, 40),
                        stop.at
                    ),
                );
            }
        }
        if stop.at > steps {
            problems.add(
                &format!("stops[{i}].at"),
                format!("is {}, but this run has {steps} steps", stop.at),
            );
        } else if stop.ask.is_some() && stop.at == steps {
            problems.add(
                &format!("stops[{i}].ask"),
                format!(
                    "asks about the step after {steps}, but this run ends at step {steps}: \
                     nothing follows to predict"
                ),
            );
        }
    }
    problems.finish(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::flow::model::Preset;
    use crate::lessons::files::INDEX_FILE;
    use crate::lessons::format::{parse_card, parse_lesson};
    use crate::lessons::index::parse_index;
    use crate::lessons::run::{LessonRun, RunSpec};
    use oauth_engine::jwa::ES256;
    use oauth_engine::sim::deployed;

    fn spa() -> LessonRun {
        RunSpec::Flow(Preset::Spa)
            .run(crate::lessons::run::Loaded::default())
            .unwrap()
    }

    #[test]
    fn steps_past_the_run_and_questions_at_its_end_are_refused() {
        let lesson = parse_lesson(
            "x.json",
            r#"{"title": "T", "run": {"flow": "spa"}, "stops": [
                {"at": 7, "text": "t", "ask": "will_succeed"},
                {"at": 14, "text": "t"}
            ]}"#,
        )
        .unwrap();
        let run = spa();
        assert_eq!(run.trace.len(), 7);
        assert_eq!(
            check_against_run(&lesson, &run.trace).unwrap_err(),
            [
                "lessons/x.json: stops[0].ask asks about the step after 7, but this run ends at \
                 step 7: nothing follows to predict",
                "lessons/x.json: stops[1].at is 14, but this run has 7 steps",
            ]
        );
    }

    #[test]
    fn a_stop_s_expected_request_is_checked_against_its_step() {
        let lesson = parse_lesson(
            "x.json",
            r#"{"title": "T", "run": {"flow": "spa"}, "stops": [
                {"at": 5, "text": "t", "request": "POST /token"},
                {"at": 6, "text": "t", "request": "POST /token"},
                {"at": 7, "text": "t", "request": 7}
            ]}"#,
        );
        assert_eq!(
            lesson.unwrap_err(),
            ["lessons/x.json: stops[2].request must be a string, not 7"]
        );
        let lesson = parse_lesson(
            "x.json",
            r#"{"title": "T", "run": {"flow": "spa"}, "stops": [
                {"at": 5, "text": "t", "request": "POST /token"},
                {"at": 6, "text": "t", "request": "POST /token"}
            ]}"#,
        )
        .unwrap();
        assert_eq!(
            check_against_run(&lesson, &spa().trace).unwrap_err(),
            [
                "lessons/x.json: stops[1].request is \"POST /token\", but step 6 of this run is GET \
              /profile"
            ]
        );
    }

    /// `lesson`'s run, given every piece of code a run may need (in the
    /// app, loaded first: DPoP's and PAR's, the AI agent's).
    fn run_with_all_code(lesson: &Lesson) -> LessonRun {
        let loaded = crate::lessons::run::Loaded {
            support: Some(deployed::support(ES256)),
            agent: Some(crate::flow::agent::contents(Default::default())),
            side_by_side: Some(crate::lab::side_by_side::contents()),
        };
        lesson.run.run(loaded).unwrap()
    }

    /// The example in the README's "Writing a lesson" is a working lesson.
    #[test]
    fn the_readme_example_is_a_valid_lesson() {
        let readme = include_str!("../../README.md");
        let section = readme.split("## Writing a lesson").nth(1).unwrap();
        let example = section.split("```json").nth(1).unwrap();
        let example = example.split("```").next().unwrap();
        let lesson = parse_lesson("my-lesson.json", example).unwrap();
        let run = run_with_all_code(&lesson);
        check_against_run(&lesson, &run.trace).unwrap();
    }

    /// Every lesson shipped in public/lessons is listed in the index, reads
    /// without a problem, and fits its run: a change to the engine that
    /// moves a step shows here, not in front of a class.
    #[test]
    fn every_shipped_lesson_is_listed_valid_and_fits_its_run() {
        let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("public/lessons");
        let index = std::fs::read_to_string(dir.join(INDEX_FILE)).unwrap();
        let listed: Vec<String> = parse_index(&index)
            .unwrap()
            .into_iter()
            .map(|listed| listed.file)
            .collect();
        let mut on_disk: Vec<String> = std::fs::read_dir(&dir)
            .unwrap()
            .map(|entry| entry.unwrap().file_name().into_string().unwrap())
            .filter(|name| name != INDEX_FILE)
            .collect();
        on_disk.sort();
        let mut sorted = listed.clone();
        sorted.sort();
        assert_eq!(sorted, on_disk, "index.json lists every lesson file");
        for file in &listed {
            let text = std::fs::read_to_string(dir.join(file)).unwrap();
            let lesson = parse_lesson(file, &text).unwrap_or_else(|p| panic!("{p:#?}"));
            let run = run_with_all_code(&lesson);
            check_against_run(&lesson, &run.trace).unwrap_or_else(|p| panic!("{p:#?}"));
            assert!(
                lesson.question_count() >= 2,
                "{file} asks at least two questions"
            );
            // The card a release build writes for it into index.json
            // (scripts/lessons-post-build.mjs) reads as the lesson's own.
            let value: serde_json::Value = serde_json::from_str(&text).unwrap();
            let stops = value["stops"].as_array().unwrap();
            let mut card = serde_json::json!({
                "title": value["title"],
                "run": value["run"],
                "stops": stops.len(),
                "questions": stops.iter().filter(|stop| stop.get("ask").is_some()).count(),
            });
            if let Some(summary) = value.get("summary") {
                card["summary"] = summary.clone();
            }
            assert_eq!(
                parse_card(file, &card),
                Some(lesson.card()),
                "{file}'s card"
            );
            assert!(
                lesson.stops.iter().all(|stop| stop.request.is_some()),
                "{file}: every stop names its request, so a change to the engine shows here"
            );
        }
    }
}
