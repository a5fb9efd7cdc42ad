//! The lesson file format, read: every problem found in a lesson file, each
//! naming the file and the field. Its steps are checked against the run
//! later, in `check`.

use oauth_engine::sim::attacks::Attack;
use oauth_engine::sim::token_storage::Architecture;
use serde_json::Value;

use super::lesson::{Ask, Card, Lesson, Stop};
use super::problems::{Problems, parse_json};
use super::run::{CompareSide, RunSpec};
use super::wording::{describe, list};
use crate::flow::model::Preset;

const LESSON_FIELDS: [&str; 4] = ["title", "summary", "run", "stops"];
const STOP_FIELDS: [&str; 5] = ["at", "title", "text", "ask", "request"];

/// Reads a lesson file: every problem found, each naming the file and the
/// field. The steps (`at`) are checked against the run later, by
/// `check_against_run`, once the run is made.
pub fn parse_lesson(file: &str, text: &str) -> Result<Lesson, Vec<String>> {
    let value = parse_json(file, text).map_err(|message| vec![message])?;
    let mut problems = Problems::new(file);
    let Some(object) = problems.object(
        &value,
        "",
        "the file must be a JSON object with \"title\", \"run\" and \"stops\"",
    ) else {
        return Err(problems.0);
    };
    problems.unknown_fields(object, "", &LESSON_FIELDS);
    let title = problems.required_text(object, "", "title", "give the lesson a title");
    let summary = problems.optional_text(object, "", "summary");
    let run = match object.get("run") {
        None => {
            problems.add(
                "run",
                "is missing: name what the lesson runs, such as {\"flow\": \"spa\"}",
            );
            None
        }
        Some(run) => problems.run(run),
    };
    let stops = match object.get("stops") {
        None => {
            problems.add(
                "stops",
                "is missing: list the lesson's stops, such as [{\"at\": 1, \"text\": \"…\"}]",
            );
            None
        }
        Some(Value::Array(items)) if items.is_empty() => {
            problems.add("stops", "is empty: a lesson needs at least one stop");
            None
        }
        Some(Value::Array(items)) => Some(problems.stops(items)),
        Some(other) => {
            problems.add(
                "stops",
                format!("must be a list of stops, not {}", describe(other)),
            );
            None
        }
    };
    match (title, run, stops) {
        (Some(title), Some(run), Some(stops)) if problems.0.is_empty() => Ok(Lesson {
            file: file.to_owned(),
            title,
            summary,
            run,
            stops,
        }),
        _ => Err(problems.0),
    }
}

/// A card a release build wrote into `index.json` for `file`:
/// `{"title", "summary", "run", "stops": 5, "questions": 4}`, the fields
/// read as a lesson's are. `None` if it is not one, and the list reads the
/// lesson's own file instead.
pub fn parse_card(file: &str, value: &Value) -> Option<Card> {
    let mut problems = Problems::new(file);
    let object = problems.object(value, "", "")?;
    let count = |name: &str| {
        object
            .get(name)
            .and_then(Value::as_u64)
            .and_then(|n| usize::try_from(n).ok())
    };
    let card = Card {
        title: problems.required_text(object, "", "title", "")?,
        summary: problems.optional_text(object, "", "summary"),
        run: problems.run(object.get("run")?)?,
        stops: count("stops")?,
        questions: count("questions")?,
    };
    problems.0.is_empty().then_some(card)
}

/// The readers of a lesson's own fields; the checks every field shares are
/// in `problems`.
impl Problems<'_> {
    fn run(&mut self, value: &Value) -> Option<RunSpec> {
        let object = self.object(
            value,
            "run",
            "must be an object such as {\"flow\": \"spa\"}",
        )?;
        let kinds: Vec<&str> = ["flow", "attack", "compare", "storage", "cors"]
            .into_iter()
            .filter(|kind| object.contains_key(*kind))
            .collect();
        let kind = match kinds.as_slice() {
            [kind] => *kind,
            [] => {
                self.add(
                    "run",
                    "must name one of flow, attack, compare, storage or cors, such as \
                     {\"flow\": \"spa\"}",
                );
                // Still name the fields it has, typos included.
                self.unknown_fields(
                    object,
                    "run",
                    &["flow", "attack", "defence", "compare", "storage", "cors"],
                );
                return None;
            }
            several => {
                self.add(
                    "run",
                    format!("names {}: give only one", list(several, "and")),
                );
                return None;
            }
        };
        let known: &[&str] = if kind == "attack" {
            &["attack", "defence"]
        } else {
            &[kind]
        };
        self.unknown_fields(object, "run", known);
        let path = format!("run.{kind}");
        let value = &object[kind];
        match kind {
            "flow" => {
                let slugs: Vec<&str> = Preset::ALL.iter().map(|p| p.slug()).collect();
                self.one_of(&path, value, &slugs)
                    .map(|at| RunSpec::Flow(Preset::ALL[at]))
            }
            "attack" => {
                let slugs: Vec<&str> = Attack::ALL.iter().map(|a| a.slug()).collect();
                let attack = self.one_of(&path, value, &slugs).map(|at| Attack::ALL[at]);
                let defended = match object.get("defence") {
                    None => {
                        self.add("run.defence", "is missing: give \"on\" or \"off\"");
                        None
                    }
                    Some(value) => self
                        .one_of("run.defence", value, &["on", "off"])
                        .map(|at| at == 0),
                };
                Some(RunSpec::Attack {
                    attack: attack?,
                    defended: defended?,
                })
            }
            "storage" => {
                let slugs: Vec<&str> = Architecture::ALL.iter().map(|a| a.slug()).collect();
                self.one_of(&path, value, &slugs)
                    .map(|at| RunSpec::Storage(Architecture::ALL[at]))
            }
            "cors" => self
                .one_of(&path, value, &["allowed", "refused"])
                .map(|at| RunSpec::Cors { allowed: at == 0 }),
            _ => {
                let slugs: Vec<&str> = CompareSide::ALL.iter().map(|s| s.slug()).collect();
                self.one_of(&path, value, &slugs)
                    .map(|at| RunSpec::Compare(CompareSide::ALL[at]))
            }
        }
    }

    fn stops(&mut self, items: &[Value]) -> Vec<Stop> {
        let mut stops = Vec::new();
        let mut previous: Option<(usize, usize)> = None;
        for (i, item) in items.iter().enumerate() {
            let path = format!("stops[{i}]");
            let Some(object) = self.object(
                item,
                &path,
                "must be an object such as {\"at\": 3, \"text\": \"…\"}",
            ) else {
                continue;
            };
            self.unknown_fields(object, &path, &STOP_FIELDS);
            let at = match object.get("at") {
                None => {
                    self.add(
                        &format!("{path}.at"),
                        "is missing: give the step to stop at, counting from 1",
                    );
                    None
                }
                Some(value) => match value.as_u64().filter(|n| *n >= 1) {
                    Some(n) => Some(usize::try_from(n).unwrap_or(usize::MAX)),
                    None => {
                        self.add(
                            &format!("{path}.at"),
                            format!(
                                "must be a whole number from 1 (a step of the run), not {}",
                                describe(value)
                            ),
                        );
                        None
                    }
                },
            };
            if let (Some(at), Some((before, j))) = (at, previous)
                && at <= before
            {
                self.add(
                    &format!("{path}.at"),
                    format!(
                        "is {at}, but it must come after stops[{j}].at ({before}): stops go \
                         forward through the run"
                    ),
                );
            }
            if let Some(at) = at {
                previous = Some((at, i));
            }
            let title = self.optional_text(object, &path, "title");
            let request = self.optional_text(object, &path, "request");
            let text = self.required_text(object, &path, "text", "say what happens here");
            let ask = match object.get("ask") {
                None => Some(None),
                Some(value) => self
                    .one_of(
                        &format!("{path}.ask"),
                        value,
                        &["next_sender", "will_succeed"],
                    )
                    .map(|at| Some([Ask::NextSender, Ask::WillSucceed][at])),
            };
            if let (Some(at), Some(text), Some(ask)) = (at, text, ask) {
                stops.push(Stop {
                    at,
                    title,
                    text,
                    ask,
                    request,
                });
            }
        }
        stops
    }
}

#[cfg(test)]
pub(super) mod tests {
    use super::*;

    pub(in crate::lessons) const GOOD: &str = r#"{
        "title": "PKCE",
        "summary": "Why the verifier matters.",
        "run": {"flow": "spa"},
        "stops": [
            {"at": 1, "text": "The start.", "ask": "next_sender"},
            {"at": 4, "title": "Back at the client", "text": "The code arrives.", "ask": "will_succeed"},
            {"at": 7, "text": "Done."}
        ]
    }"#;

    fn problems(text: &str) -> Vec<String> {
        parse_lesson("x.json", text).expect_err("the lesson is refused")
    }

    fn lesson_with(field: &str) -> String {
        format!(
            r#"{{"title": "T", "run": {{"flow": "spa"}}, "stops": [{{"at": 1, "text": "t"}}], {field}}}"#
        )
    }

    fn one_stop(stop: &str) -> Vec<String> {
        problems(&format!(
            r#"{{"title": "T", "run": {{"flow": "spa"}}, "stops": [{stop}]}}"#
        ))
    }

    fn one_run(run: &str) -> Vec<String> {
        problems(&format!(
            r#"{{"title": "T", "run": {run}, "stops": [{{"at": 1, "text": "t"}}]}}"#
        ))
    }

    #[test]
    fn a_good_lesson_is_read_whole() {
        let lesson = parse_lesson("pkce.json", GOOD).unwrap();
        assert_eq!(lesson.title, "PKCE");
        assert_eq!(lesson.summary.as_deref(), Some("Why the verifier matters."));
        assert_eq!(lesson.run, RunSpec::Flow(Preset::Spa));
        assert_eq!(lesson.stops.len(), 3);
        assert_eq!(lesson.stops[1].title.as_deref(), Some("Back at the client"));
        assert_eq!(lesson.stops[1].ask, Some(Ask::WillSucceed));
        assert_eq!(lesson.stops[2].ask, None);
        assert_eq!(lesson.question_count(), 2);
    }

    #[test]
    fn text_that_is_not_json_names_the_file_line_and_column() {
        assert_eq!(
            problems("{\n  \"title\": \"T\",\n  \"run\" {}\n}"),
            ["lessons/x.json is not JSON: expected `:` at line 3 column 9"]
        );
        assert_eq!(
            problems(""),
            ["lessons/x.json is not JSON: EOF while parsing a value at line 1 column 0"]
        );
    }

    #[test]
    fn a_byte_order_mark_is_skipped() {
        assert!(parse_lesson("x.json", &format!("\u{feff}{GOOD}")).is_ok());
    }

    #[test]
    fn a_file_that_is_not_an_object_says_what_it_must_be() {
        assert_eq!(
            problems("[1, 2]"),
            [
                "lessons/x.json: the file must be a JSON object with \"title\", \"run\" and \
                 \"stops\", not a list"
            ]
        );
    }

    #[test]
    fn every_missing_field_is_named_at_once() {
        assert_eq!(
            problems("{}"),
            [
                "lessons/x.json: title is missing: give the lesson a title, as a string",
                "lessons/x.json: run is missing: name what the lesson runs, such as \
                 {\"flow\": \"spa\"}",
                "lessons/x.json: stops is missing: list the lesson's stops, such as \
                 [{\"at\": 1, \"text\": \"…\"}]",
            ]
        );
    }

    #[test]
    fn wrong_types_and_empty_values_are_named() {
        assert_eq!(
            problems(r#"{"title": 3, "summary": [], "run": "spa", "stops": {}}"#),
            [
                "lessons/x.json: title must be a string, not 3",
                "lessons/x.json: summary must be a string, not a list",
                "lessons/x.json: run must be an object such as {\"flow\": \"spa\"}, not \"spa\"",
                "lessons/x.json: stops must be a list of stops, not an object",
            ]
        );
        assert_eq!(
            problems(r#"{"title": " ", "run": {"flow": "spa"}, "stops": []}"#),
            [
                "lessons/x.json: title is empty: write something here",
                "lessons/x.json: stops is empty: a lesson needs at least one stop",
            ]
        );
    }

    #[test]
    fn an_unknown_field_is_named_with_the_nearest_known_one() {
        assert_eq!(
            problems(&lesson_with(r#""sumary": "s""#)),
            [
                "lessons/x.json: the file has a field \"sumary\" that lessons do not use (the \
                 fields are title, summary, run and stops): did you mean \"summary\"?"
            ]
        );
        assert_eq!(
            problems(&lesson_with(r#""author": "me""#)),
            [
                "lessons/x.json: the file has a field \"author\" that lessons do not use (the \
                 fields are title, summary, run and stops)"
            ]
        );
        assert_eq!(
            one_stop(r#"{"at": 1, "txt": "t"}"#),
            [
                "lessons/x.json: stops[0] has a field \"txt\" that lessons do not use (the \
                 fields are at, title, text, ask and request): did you mean \"text\"?",
                "lessons/x.json: stops[0].text is missing: say what happens here, as a string",
            ]
        );
    }

    #[test]
    fn a_run_names_exactly_one_known_thing() {
        assert_eq!(
            one_run("{}"),
            [
                "lessons/x.json: run must name one of flow, attack, compare, storage or cors, \
                 such as {\"flow\": \"spa\"}"
            ]
        );
        assert_eq!(
            one_run(r#"{"storage": "cookie"}"#),
            [
                "lessons/x.json: run.storage must be one of \"local-storage\", \"memory\", \
                 \"token-mediating-backend\" or \"bff\", not \"cookie\""
            ]
        );
        assert_eq!(
            one_run(r#"{"cors": "maybe"}"#),
            ["lessons/x.json: run.cors must be \"allowed\" or \"refused\", not \"maybe\""]
        );
        assert_eq!(
            one_run(r#"{"flow": "spa", "compare": "code"}"#),
            ["lessons/x.json: run names flow and compare: give only one"]
        );
        assert_eq!(
            one_run(r#"{"flow": "pkce"}"#),
            [
                "lessons/x.json: run.flow must be one of \"web-app\", \"spa\", \
                 \"client-credentials\", \"device\", \"refresh\", \"oidc\", \"fapi\", \
                 \"introspection\", \"sign-out\" or \"agent\", not \"pkce\""
            ]
        );
        assert_eq!(
            one_run(r#"{"compare": 1}"#),
            ["lessons/x.json: run.compare must be \"implicit\" or \"code\", not 1"]
        );
        assert_eq!(
            one_run(r#"{"flow": "spa", "defence": "on"}"#),
            [
                "lessons/x.json: run has a field \"defence\" that lessons do not use (the \
                 fields are flow)"
            ]
        );
    }

    #[test]
    fn an_attack_run_needs_a_known_attack_and_its_defence() {
        let slugs: Vec<String> = Attack::ALL
            .iter()
            .map(|a| format!("\"{}\"", a.slug()))
            .collect();
        let (last, rest) = slugs.split_last().unwrap();
        assert_eq!(
            one_run(r#"{"attack": "phishing", "defence": "maybe"}"#),
            [
                format!(
                    "lessons/x.json: run.attack must be one of {} or {last}, not \"phishing\"",
                    rest.join(", ")
                ),
                "lessons/x.json: run.defence must be \"on\" or \"off\", not \"maybe\"".into(),
            ]
        );
        assert_eq!(
            one_run(r#"{"attack": "mix-up"}"#),
            ["lessons/x.json: run.defence is missing: give \"on\" or \"off\""]
        );
        let lesson = parse_lesson(
            "x.json",
            r#"{"title": "T", "run": {"attack": "mix-up", "defence": "on"}, "stops": [{"at": 1, "text": "t"}]}"#,
        )
        .unwrap();
        assert_eq!(
            lesson.run,
            RunSpec::Attack {
                attack: Attack::MixUp,
                defended: true
            }
        );
    }

    #[test]
    fn a_stop_names_each_bad_field_by_its_index() {
        assert_eq!(
            problems(
                r#"{"title": "T", "run": {"flow": "spa"}, "stops": [
                    {"at": 1, "text": "t"},
                    "stop",
                    {"at": 2, "text": "t", "ask": "who"},
                    {"text": "t"},
                    {"at": 0, "text": "t"},
                    {"at": 2.5, "text": ""},
                    {"at": "3", "text": 3, "title": 1}
                ]}"#
            ),
            [
                "lessons/x.json: stops[1] must be an object such as {\"at\": 3, \"text\": \"…\"}, \
                 not \"stop\"",
                "lessons/x.json: stops[2].ask must be \"next_sender\" or \"will_succeed\", not \
                 \"who\"",
                "lessons/x.json: stops[3].at is missing: give the step to stop at, counting from 1",
                "lessons/x.json: stops[4].at must be a whole number from 1 (a step of the run), \
                 not 0",
                "lessons/x.json: stops[5].at must be a whole number from 1 (a step of the run), \
                 not 2.5",
                "lessons/x.json: stops[5].text is empty: write something here",
                "lessons/x.json: stops[6].at must be a whole number from 1 (a step of the run), \
                 not \"3\"",
                "lessons/x.json: stops[6].title must be a string, not 1",
                "lessons/x.json: stops[6].text must be a string, not 3",
            ]
        );
    }

    #[test]
    fn stops_must_go_forward() {
        assert_eq!(
            one_stop(r#"{"at": 5, "text": "t"}, {"at": 3, "text": "t"}"#),
            [
                "lessons/x.json: stops[1].at is 3, but it must come after stops[0].at (5): stops \
                 go forward through the run"
            ]
        );
        assert_eq!(
            one_stop(r#"{"at": 5, "text": "t"}, {"at": 5, "text": "t"}"#).len(),
            1
        );
    }
}
