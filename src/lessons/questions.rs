//! The questions a stop asks, the feedback on an answer, and the score,
//! every answer read from the run's trace: who sends the next message is
//! the next exchange's sender, and whether it succeeds is read from its
//! response.

use super::answers::Answers;
use std::fmt::Write as _;

use oauth_engine::form::decode_form;
use oauth_engine::http::{Response, Url};
use oauth_engine::sim::trace::{Party, lanes};

use super::lesson::{Ask, Lesson};
use super::run::LessonRun;

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
        match answers.get(i) {
            Some(chosen) if chosen == question.answer => right += 1,
            Some(_) => {}
            None => unanswered += 1,
        }
    }
    (right, asked, unanswered)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::flow::model::Preset;
    use crate::lessons::format::parse_lesson;
    use crate::lessons::format::tests::GOOD;
    use crate::lessons::run::RunSpec;

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
        RunSpec::Flow(Preset::Spa)
            .run(crate::lessons::run::Loaded::default())
            .unwrap()
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
        let device = RunSpec::Flow(Preset::Device)
            .run(crate::lessons::run::Loaded::default())
            .unwrap();
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
    fn the_score_counts_right_wrong_and_unanswered() {
        let lesson = parse_lesson("pkce.json", GOOD).unwrap();
        let run = spa();
        let mut answers = Answers::new();
        answers.insert(0, "browser".into());
        assert_eq!(score(&lesson, &run, &answers), (1, 2, 1));
        answers.insert(1, "no".into());
        assert_eq!(score(&lesson, &run, &answers), (1, 2, 0));
    }
}
