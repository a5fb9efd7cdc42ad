//! Lessons as data, free of the DOM: reading a lesson file (and the index
//! that lists them) with a message naming the file and the field for every
//! problem, running what the lesson names through the engine, and the
//! questions, answers and feedback, every answer read from the run's trace.
//!
//! A lesson file never holds an answer: "who sends the next message" is the
//! next exchange's sender, and "will it succeed" is read from its response,
//! so a lesson cannot disagree with the protocol it teaches.

use std::collections::BTreeMap;
use std::fmt::Write as _;
use std::sync::Arc;

use oauth_engine::form::{decode_form, encode_form};
use oauth_engine::http::{Response, Url};
use oauth_engine::keys::demo_signing_key;
use oauth_engine::sim::attacks::{Attack, run_attack};
use oauth_engine::sim::compare::compare;
use oauth_engine::sim::scenario::Flow;
use oauth_engine::sim::trace::{Exchange, Party, lanes};
use serde_json::{Map, Value};

use crate::flow::model::Preset;
use crate::flow::narration::exchange_summary;
use crate::flow::play;
use crate::lab::LAB_SEED;

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

/// A file's text as JSON, or a message naming the file, the line and the
/// column. A byte order mark, which some editors write, is skipped.
fn parse_json(file: &str, text: &str) -> Result<Value, String> {
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    serde_json::from_str(text)
        .map_err(|error| format!("{} is not JSON: {error}", lesson_path(file)))
}

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

/// What a lesson runs: a flow of the Flow screen, an attack of the attack
/// lab with its defence on or off, or one side of Implicit vs Code.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum RunSpec {
    Flow(Preset),
    Attack { attack: Attack, defended: bool },
    Compare(CompareSide),
}

/// One side of Implicit vs Code.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CompareSide {
    Implicit,
    Code,
}

impl CompareSide {
    pub const ALL: [CompareSide; 2] = [Self::Implicit, Self::Code];

    pub fn slug(self) -> &'static str {
        match self {
            Self::Implicit => "implicit",
            Self::Code => "code",
        }
    }
}

/// The question a stop asks before the next step is shown.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Ask {
    /// Which party sends the next message?
    NextSender,
    /// Will the next request succeed?
    WillSucceed,
}

impl Ask {
    pub fn value(self) -> &'static str {
        match self {
            Self::NextSender => "next_sender",
            Self::WillSucceed => "will_succeed",
        }
    }
}

/// A point where the lesson pauses: the run is shown up to step `at`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Stop {
    /// Counts from 1, as the diagram numbers the steps.
    pub at: usize,
    pub title: Option<String>,
    pub text: String,
    pub ask: Option<Ask>,
    /// The request line the author expects at step `at` (`POST /token`):
    /// checked against the run, so a lesson whose steps have moved says
    /// so instead of describing the wrong message.
    pub request: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Lesson {
    /// The file name in `lessons/`.
    pub file: String,
    pub title: String,
    pub summary: Option<String>,
    pub run: RunSpec,
    pub stops: Vec<Stop>,
}

impl Lesson {
    /// How many stops ask a question.
    pub fn question_count(&self) -> usize {
        self.stops.iter().filter(|stop| stop.ask.is_some()).count()
    }
}

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

/// The problems found in one file, each a full message.
struct Problems<'f>(Vec<String>, &'f str);

impl<'f> Problems<'f> {
    fn new(file: &'f str) -> Self {
        Self(Vec::new(), file)
    }

    /// `lessons/pkce.json: stops[2].ask must be …`; a message about the
    /// whole file (no path) reads `lessons/pkce.json: the file must be …`.
    fn add(&mut self, path: &str, message: impl AsRef<str>) {
        let mut line = format!("{}: ", lesson_path(self.1));
        if !path.is_empty() {
            line.push_str(path);
            line.push(' ');
        }
        line.push_str(message.as_ref());
        self.0.push(line);
    }

    fn finish<T>(self, value: T) -> Result<T, Vec<String>> {
        if self.0.is_empty() {
            Ok(value)
        } else {
            Err(self.0)
        }
    }

    fn object<'v>(
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

    fn unknown_fields(&mut self, object: &Map<String, Value>, path: &str, known: &[&str]) {
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

    fn required_text(
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

    fn optional_text(
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

    fn run(&mut self, value: &Value) -> Option<RunSpec> {
        let object = self.object(
            value,
            "run",
            "must be an object such as {\"flow\": \"spa\"}",
        )?;
        let kinds: Vec<&str> = ["flow", "attack", "compare"]
            .into_iter()
            .filter(|kind| object.contains_key(*kind))
            .collect();
        let kind = match kinds.as_slice() {
            [kind] => *kind,
            [] => {
                self.add(
                    "run",
                    "must name one of flow, attack or compare, such as {\"flow\": \"spa\"}",
                );
                // Still name the fields it has, typos included.
                self.unknown_fields(object, "run", &["flow", "attack", "defence", "compare"]);
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
                self.one_of(&path, value, &slugs, Preset::from_slug)
                    .map(RunSpec::Flow)
            }
            "attack" => {
                let slugs: Vec<&str> = Attack::ALL.iter().map(|a| a.slug()).collect();
                let attack = self.one_of(&path, value, &slugs, Attack::from_slug);
                let defended = match object.get("defence") {
                    None => {
                        self.add("run.defence", "is missing: give \"on\" or \"off\"");
                        None
                    }
                    Some(value) => self.one_of("run.defence", value, &["on", "off"], |s| match s {
                        "on" => Some(true),
                        "off" => Some(false),
                        _ => None,
                    }),
                };
                Some(RunSpec::Attack {
                    attack: attack?,
                    defended: defended?,
                })
            }
            _ => {
                let slugs: Vec<&str> = CompareSide::ALL.iter().map(|s| s.slug()).collect();
                self.one_of(&path, value, &slugs, |slug| {
                    CompareSide::ALL
                        .into_iter()
                        .find(|side| side.slug() == slug)
                })
                .map(RunSpec::Compare)
            }
        }
    }

    /// A string that must be one of `allowed`.
    fn one_of<T>(
        &mut self,
        path: &str,
        value: &Value,
        allowed: &[&str],
        read: impl Fn(&str) -> Option<T>,
    ) -> Option<T> {
        let found = value.as_str().and_then(read);
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
                        |s| match s {
                            "next_sender" => Some(Ask::NextSender),
                            "will_succeed" => Some(Ask::WillSucceed),
                            _ => None,
                        },
                    )
                    .map(Some),
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

fn join(parent: &str, name: &str) -> String {
    if parent.is_empty() {
        name.to_owned()
    } else {
        format!("{parent}.{name}")
    }
}

/// `a, b and c`.
fn list(items: &[&str], last: &str) -> String {
    match items {
        [] => String::new(),
        [one] => (*one).to_owned(),
        [rest @ .., end] => format!("{} {last} {end}", rest.join(", ")),
    }
}

/// A JSON value as a message quotes it: strings in quotes (shortened),
/// numbers and literals as written, lists and objects by kind.
fn describe(value: &Value) -> String {
    match value {
        Value::String(text) => format!("\"{}\"", shorten(text, 40)),
        Value::Array(_) => "a list".into(),
        Value::Object(_) => "an object".into(),
        other => other.to_string(),
    }
}

fn shorten(text: &str, max: usize) -> String {
    if text.chars().count() <= max {
        text.to_owned()
    } else {
        let cut: String = text.chars().take(max).collect();
        format!("{cut}…")
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

/// A lesson's run: the engine's trace, and the flow its lanes are named for.
#[derive(Debug, Clone, PartialEq)]
pub struct LessonRun {
    pub trace: Arc<[Exchange]>,
    pub flow: Flow,
}

impl RunSpec {
    /// Runs it. Seeded (the lab's seed), so every learner sees the same
    /// codes and tokens.
    pub fn run(self) -> Result<LessonRun, String> {
        Ok(match self {
            Self::Flow(preset) => {
                let key = demo_signing_key()
                    .map_err(|error| format!("The simulated server's key did not load: {error}"))?;
                let mut scenario = preset.scenario();
                scenario.seed = LAB_SEED;
                let played = play(scenario, &key);
                LessonRun {
                    trace: played.trace,
                    flow: preset.flow(),
                }
            }
            Self::Attack { attack, defended } => LessonRun {
                trace: run_attack(attack, defended, LAB_SEED).trace.into(),
                flow: Flow::AuthorizationCode,
            },
            Self::Compare(side) => {
                let comparison = compare(LAB_SEED);
                let side = match side {
                    CompareSide::Implicit => comparison.implicit,
                    CompareSide::Code => comparison.code,
                };
                LessonRun {
                    trace: side.run.trace.into(),
                    flow: Flow::AuthorizationCode,
                }
            }
        })
    }

    /// What the run is, for the player's heading.
    pub fn describe(self) -> String {
        match self {
            Self::Flow(preset) => preset.title().to_owned(),
            Self::Attack { attack, defended } => format!(
                "{}, defence {}",
                attack.title(),
                if defended { "on" } else { "off" }
            ),
            Self::Compare(CompareSide::Implicit) => "The implicit grant".to_owned(),
            Self::Compare(CompareSide::Code) => "Authorization code with PKCE".to_owned(),
        }
    }

    /// The same run on its own screen, at `step` (from 0): a path and query
    /// within the app.
    pub fn screen_link(self, step: usize) -> String {
        match self {
            Self::Flow(preset) => format!("/flow?flow={}&step={}", preset.slug(), step + 1),
            Self::Attack { attack, defended } => format!(
                "/attacks?attack={}&defence={}&step={}",
                attack.slug(),
                if defended { "on" } else { "off" },
                step + 1
            ),
            Self::Compare(_) => "/compare".to_owned(),
        }
    }
}

/// Whether a request succeeded, read from its response: a 2xx answer, or a
/// 3xx redirect whose Location carries no `error` parameter (in its query,
/// or in its fragment as the implicit grant answers), succeeded. A 4xx or
/// 5xx answer, or a redirect carrying `error` (RFC 6749 sections 4.1.2.1
/// and 4.2.2.1), failed.
pub fn succeeded(response: &Response) -> bool {
    match response.status {
        200..=299 => true,
        300..=399 => redirect_error(response).is_none(),
        _ => false,
    }
}

/// The `error` a redirect carries in its Location, if any.
fn redirect_error(response: &Response) -> Option<String> {
    let location = Url::parse(response.headers.get("Location")?).ok()?;
    [location.query.as_deref(), location.fragment.as_deref()]
        .into_iter()
        .flatten()
        .filter_map(|part| decode_form(part).ok())
        .flatten()
        .find(|(name, _)| name == "error")
        .map(|(_, value)| value)
}

/// The OAuth error code of a response: in its JSON body, in its redirect,
/// or in a bearer challenge (RFC 6750 section 3).
fn error_code(response: &Response) -> Option<String> {
    if let Some(code) = response
        .json_body()
        .and_then(|body| body.get("error")?.as_str().map(str::to_owned))
    {
        return Some(code);
    }
    if let Some(code) = redirect_error(response) {
        return Some(code);
    }
    let challenge = response.headers.get("WWW-Authenticate")?;
    let start = challenge.find("error=\"")? + "error=\"".len();
    let end = challenge[start..].find('"')?;
    Some(challenge[start..start + end].to_owned())
}

/// The rule `succeeded` applies, as the feedback states it.
pub const SUCCESS_RULE: &str = "A request succeeds when the answer is a 2xx, or a redirect \
                                (3xx) that carries no error parameter; a 4xx or 5xx answer, or \
                                a redirect carrying error=…, means it failed.";

/// One answer a learner can pick.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Choice {
    /// Stable across runs, kept in the tab's storage: `client`, `yes`.
    pub value: String,
    pub label: String,
}

/// A stop's question, with its answer read from the trace.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Question {
    pub ask: Ask,
    pub prompt: &'static str,
    /// What the learner may know before answering (for "will it succeed":
    /// which request).
    pub context: Option<String>,
    pub choices: Vec<Choice>,
    /// The value of the right choice.
    pub answer: String,
    /// Why, in a sentence: the real answer.
    pub reason: String,
}

fn party_value(party: Party) -> String {
    serde_json::to_value(party)
        .ok()
        .and_then(|value| value.as_str().map(str::to_owned))
        .unwrap_or_else(|| party.label().to_owned())
}

/// The question `ask` poses at step `at` (from 1) of `run`: about the
/// exchange that comes next, `run.trace[at]`. `None` when no step follows
/// (`check_against_run` refuses such a lesson).
pub fn question(ask: Ask, run: &LessonRun, at: usize) -> Option<Question> {
    let next = run.trace.get(at)?;
    let flow = run.flow;
    Some(match ask {
        Ask::NextSender => {
            let choices = lanes(&run.trace)
                .into_iter()
                .map(|party| Choice {
                    value: party_value(party),
                    label: party.lane_label(flow).to_owned(),
                })
                .collect();
            Question {
                ask,
                prompt: "Which party sends the next message?",
                context: None,
                choices,
                answer: party_value(next.from),
                reason: format!(
                    "{} sends the next message: {} to {}.",
                    next.from.lane_label(flow),
                    next.request_line(),
                    next.to.lane_label(flow),
                ),
            }
        }
        Ask::WillSucceed => {
            let ok = succeeded(&next.response);
            let mut answer = next.status_line();
            if let Some(code) = error_code(&next.response) {
                let _ = write!(answer, " with error={code}");
            }
            let verdict = if ok {
                if (300..400).contains(&next.response.status) {
                    "It succeeds: a redirect with no error parameter"
                } else {
                    "It succeeds"
                }
            } else if (300..400).contains(&next.response.status) {
                "It fails: a redirect that carries an error"
            } else {
                "It fails"
            };
            Question {
                ask,
                prompt: "Will the next request succeed?",
                context: Some(format!(
                    "The next request: {} to {}, {}.",
                    next.from.lane_label(flow),
                    next.to.lane_label(flow),
                    next.request_line(),
                )),
                choices: vec![
                    Choice {
                        value: "yes".into(),
                        label: "Yes, it succeeds".into(),
                    },
                    Choice {
                        value: "no".into(),
                        label: "No, it fails".into(),
                    },
                ],
                answer: if ok { "yes" } else { "no" }.into(),
                reason: format!("{verdict} ({answer})."),
            }
        }
    })
}

/// The learner's answer judged: right or not, and the real answer.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Feedback {
    pub right: bool,
    pub text: String,
}

pub fn feedback(question: &Question, chosen: &str) -> Feedback {
    let right = chosen == question.answer;
    let text = if right {
        format!("Right! {}", question.reason)
    } else {
        let picked = question
            .choices
            .iter()
            .find(|choice| choice.value == chosen)
            .map_or(chosen, |choice| choice.label.as_str());
        format!("Not quite: you chose \"{picked}\". {}", question.reason)
    };
    Feedback { right, text }
}

/// The one-line summary of step `step` (from 0) of the run.
pub fn step_line(run: &LessonRun, step: usize) -> Option<String> {
    let exchange = run.trace.get(step)?;
    Some(exchange_summary(exchange, step, run.trace.len(), run.flow))
}

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

/// The answers a learner gave in one lesson: stop (from 0) to the value
/// chosen. Kept in the tab's storage as JSON, so a reload keeps them.
pub type Answers = BTreeMap<usize, String>;

/// How the learner did: right answers out of the questions, and how many
/// were left unanswered (skipped by a link past them).
pub fn score(lesson: &Lesson, run: &LessonRun, answers: &Answers) -> (usize, usize, usize) {
    let mut right = 0;
    let mut asked = 0;
    let mut unanswered = 0;
    for (i, stop) in lesson.stops.iter().enumerate() {
        let Some(question) = stop.ask.and_then(|ask| question(ask, run, stop.at)) else {
            continue;
        };
        asked += 1;
        match answers.get(&i) {
            Some(chosen) if *chosen == question.answer => right += 1,
            Some(_) => {}
            None => unanswered += 1,
        }
    }
    (right, asked, unanswered)
}

#[cfg(test)]
mod tests {
    use super::*;

    const GOOD: &str = r#"{
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
                "lessons/x.json: run must name one of flow, attack or compare, such as \
                 {\"flow\": \"spa\"}"
            ]
        );
        assert_eq!(
            one_run(r#"{"flow": "spa", "compare": "code"}"#),
            ["lessons/x.json: run names flow and compare: give only one"]
        );
        assert_eq!(
            one_run(r#"{"flow": "pkce"}"#),
            [
                "lessons/x.json: run.flow must be one of \"web-app\", \"spa\", \
                 \"client-credentials\", \"device\", \"refresh\" or \"oidc\", not \"pkce\""
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

    #[test]
    fn rfc6749_4_1_2_1_success_is_a_2xx_or_a_redirect_without_error() {
        assert!(succeeded(&Response::new(200)));
        assert!(succeeded(&Response::new(204)));
        let to = |location: &str| Response::new(302).with_header("Location", location);
        assert!(succeeded(&to("https://spa.example/cb?code=abc&state=x")));
        assert!(!succeeded(&to(
            "https://spa.example/cb?error=access_denied&state=x"
        )));
        // The implicit grant answers in the fragment (RFC 6749 section 4.2.2.1).
        assert!(!succeeded(&to(
            "https://spa.example/cb#error=access_denied"
        )));
        assert!(succeeded(&to("https://spa.example/cb#access_token=t")));
        assert!(!succeeded(&Response::new(400)));
        assert!(!succeeded(&Response::new(401)));
        assert!(!succeeded(&Response::new(500)));
    }

    fn spa() -> LessonRun {
        RunSpec::Flow(Preset::Spa).run().unwrap()
    }

    #[test]
    fn next_sender_is_read_from_the_trace_and_offers_every_lane() {
        let run = spa();
        // Step 4 is the callback (the browser); step 5 the token request.
        let question = question(Ask::NextSender, &run, 4).unwrap();
        assert_eq!(question.answer, "client");
        assert_eq!(question.answer, party_value(run.trace[4].from));
        let labels: Vec<&str> = question.choices.iter().map(|c| c.label.as_str()).collect();
        assert_eq!(
            labels,
            [
                "User and browser",
                "Client",
                "Authorization server",
                "Resource server"
            ]
        );
        assert_eq!(
            question.reason,
            "Client sends the next message: POST /token to Authorization server."
        );
        assert!(feedback(&question, "client").right);
        assert_eq!(
            feedback(&question, "browser").text,
            "Not quite: you chose \"User and browser\". Client sends the next message: POST \
             /token to Authorization server."
        );
        assert_eq!(
            feedback(&question, "client").text,
            "Right! Client sends the next message: POST /token to Authorization server."
        );
    }

    #[test]
    fn will_succeed_is_read_from_the_response_with_its_error() {
        let device = RunSpec::Flow(Preset::Device).run().unwrap();
        // Step 1 asks for a device code; step 2 polls before the user acts.
        let poll = question(Ask::WillSucceed, &device, 1).unwrap();
        assert_eq!(poll.answer, "no");
        assert_eq!(
            poll.context.as_deref(),
            Some("The next request: Device (client) to Authorization server, POST /token.")
        );
        assert_eq!(
            poll.reason,
            "It fails (400 Bad Request with error=authorization_pending)."
        );
        assert_eq!(
            feedback(&poll, "yes").text,
            "Not quite: you chose \"Yes, it succeeds\". It fails (400 Bad Request with \
             error=authorization_pending)."
        );
        let spa = spa();
        let consent = question(Ask::WillSucceed, &spa, 2).unwrap();
        assert_eq!(consent.answer, "yes");
        assert_eq!(
            consent.reason,
            "It succeeds: a redirect with no error parameter (302 Found)."
        );
        assert!(question(Ask::WillSucceed, &spa, spa.trace.len()).is_none());
    }

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

    #[test]
    fn the_score_counts_right_wrong_and_unanswered() {
        let lesson = parse_lesson("pkce.json", GOOD).unwrap();
        let run = spa();
        let mut answers = Answers::new();
        answers.insert(0, "browser".into());
        assert_eq!(score(&lesson, &run, &answers), (1, 2, 1));
        answers.insert(1, "no".into());
        assert_eq!(score(&lesson, &run, &answers), (1, 2, 0));
    }

    /// The example in the README's "Writing a lesson" is a working lesson.
    #[test]
    fn the_readme_example_is_a_valid_lesson() {
        let readme = include_str!("../../README.md");
        let section = readme.split("## Writing a lesson").nth(1).unwrap();
        let example = section.split("```json").nth(1).unwrap();
        let example = example.split("```").next().unwrap();
        let lesson = parse_lesson("my-lesson.json", example).unwrap();
        let run = lesson.run.run().unwrap();
        check_against_run(&lesson, &run.trace).unwrap();
    }

    /// Every lesson shipped in public/lessons is listed in the index, reads
    /// without a problem, and fits its run: a change to the engine that
    /// moves a step shows here, not in front of a class.
    #[test]
    fn every_shipped_lesson_is_listed_valid_and_fits_its_run() {
        let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("public/lessons");
        let index = std::fs::read_to_string(dir.join(INDEX_FILE)).unwrap();
        let listed = parse_index(&index).unwrap();
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
            let run = lesson.run.run().unwrap();
            check_against_run(&lesson, &run.trace).unwrap_or_else(|p| panic!("{p:#?}"));
            assert!(
                lesson.question_count() >= 2,
                "{file} asks at least two questions"
            );
            assert!(
                lesson.stops.iter().all(|stop| stop.request.is_some()),
                "{file}: every stop names its request, so a change to the engine shows here"
            );
        }
    }
}
