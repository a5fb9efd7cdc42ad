//! A lesson in a talk (`crate::talk`): the stop and the answers it posts,
//! how it takes another window's, the clicker's keys from anywhere on the
//! page, and the instructor's notes: the stop's question with its answer.

use std::sync::Arc;

use leptos::ev;
use leptos::prelude::*;

use super::answers::Answers;
use super::lesson::Lesson;
use super::links::{LessonLink, Place};
use super::questions::question;
use super::run::LessonRun;
use crate::flow::controls::{KeyAction, event_key_action};
use crate::talk::{Talk, open_here, speaker_notes};

/// Takes part in the talk with the lesson's place and answers, and moves
/// between stops on the clicker's keys wherever the focus is.
pub fn join(lesson: Arc<Lesson>, answers: RwSignal<Answers>, place: RwSignal<Place>) -> Talk {
    let file = lesson.file.clone();
    let talk = Talk::join(
        Box::new(move || {
            let query = LessonLink::to_query(&file, place.get());
            let query = query.strip_prefix('?').unwrap_or(&query).to_owned();
            Some((query, answers.with(Answers::to_json)))
        }),
        Box::new({
            let file = lesson.file.clone();
            move |_, query, rest| apply(&file, answers, place, query, rest)
        }),
    );
    let keys = window_event_listener(ev::keydown, move |event| {
        if !talk.is_on() || event.default_prevented() {
            return;
        }
        let to = match event_key_action(&event) {
            Some(KeyAction::Forward) => answers
                .with_untracked(|answers| next_place(&lesson, answers, place.get_untracked())),
            Some(KeyAction::Back) => previous_place(&lesson, place.get_untracked()),
            _ => None,
        };
        if let Some(to) = to {
            event.prevent_default();
            place.set(to);
        }
    });
    on_cleanup(move || keys.remove());
    talk
}

/// Shows the stop and answers another window posted; another lesson is
/// opened instead.
fn apply(file: &str, answers: RwSignal<Answers>, place: RwSignal<Place>, query: &str, rest: &str) {
    let link = LessonLink::parse(query);
    if link.file.as_deref() != Some(file) {
        open_here(query);
        return;
    }
    // Only what differs: setting the place again would draw the stop
    // anew, and lose a choice not yet checked.
    if let Some(theirs) =
        Answers::from_json(rest).filter(|theirs| answers.with_untracked(|own| own != theirs))
    {
        answers.set(theirs);
    }
    if let Some(theirs) = link.place.filter(|&theirs| place.get_untracked() != theirs) {
        place.set(theirs);
    }
}

/// Where the forward key goes from `place`: the next stop, or the summary
/// after the last, once the stop's question is answered (as Continue).
pub fn next_place(lesson: &Lesson, answers: &Answers, place: Place) -> Option<Place> {
    let Place::Stop(index) = place else {
        return None;
    };
    let stop = lesson.stops.get(index)?;
    if stop.ask.is_some() && !answers.contains(index) {
        return None;
    }
    Some(if index + 1 < lesson.stops.len() {
        Place::Stop(index + 1)
    } else {
        Place::End
    })
}

/// Where the back key goes from `place`: the stop before, or from the
/// summary the last stop.
pub fn previous_place(lesson: &Lesson, place: Place) -> Option<Place> {
    match place {
        Place::Stop(index) => index.checked_sub(1).map(Place::Stop),
        Place::End => lesson.stops.len().checked_sub(1).map(Place::Stop),
    }
}

/// The speaker notes at `place`: the stop's question with its answer,
/// and why.
pub fn stop_notes(lesson: &Lesson, run: &LessonRun, place: Place) -> (String, String) {
    let stop = match place {
        Place::Stop(index) => lesson.stops.get(index),
        Place::End => None,
    };
    let Some(stop) = stop else {
        return (
            "The summary: how the predictions went.".into(),
            String::new(),
        );
    };
    match stop.ask.and_then(|ask| question(ask, run, stop.at)) {
        Some(question) => {
            let answer = question
                .choices
                .iter()
                .find(|choice| choice.value == question.answer)
                .map_or(question.answer.as_str(), |choice| choice.label.as_str());
            (
                format!("{} Answer: {answer}.", question.prompt),
                question.reason,
            )
        }
        None => ("This stop asks no question.".into(), String::new()),
    }
}

/// The instructor's notes: this stop's question and its answer.
pub fn lesson_speaker_notes(
    talk: Talk,
    lesson: Arc<Lesson>,
    run: Arc<LessonRun>,
    place: RwSignal<Place>,
) -> impl IntoView {
    speaker_notes(
        talk,
        "Speaker notes: the answer",
        Arc::new(move || stop_notes(&lesson, &run, place.get())),
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::lessons::format::parse_lesson;
    use crate::lessons::format::tests::GOOD;

    fn lesson_and_run() -> (Lesson, LessonRun) {
        let lesson = parse_lesson("pkce.json", GOOD).unwrap();
        let run = lesson
            .run
            .run(crate::lessons::run::Loaded::default())
            .unwrap();
        (lesson, run)
    }

    #[test]
    fn forward_waits_for_the_answer_then_goes_to_the_next_stop_and_the_summary() {
        let (lesson, _) = lesson_and_run();
        let mut answers = Answers::new();
        // Stops 1 and 2 ask; stop 3 does not.
        assert_eq!(next_place(&lesson, &answers, Place::Stop(0)), None);
        answers.insert(0, "client".into());
        assert_eq!(
            next_place(&lesson, &answers, Place::Stop(0)),
            Some(Place::Stop(1))
        );
        assert_eq!(next_place(&lesson, &answers, Place::Stop(1)), None);
        assert_eq!(
            next_place(&lesson, &answers, Place::Stop(2)),
            Some(Place::End)
        );
        assert_eq!(next_place(&lesson, &answers, Place::End), None);
    }

    #[test]
    fn back_goes_to_the_stop_before_and_from_the_summary_to_the_last() {
        let (lesson, _) = lesson_and_run();
        assert_eq!(previous_place(&lesson, Place::Stop(0)), None);
        assert_eq!(
            previous_place(&lesson, Place::Stop(2)),
            Some(Place::Stop(1))
        );
        assert_eq!(previous_place(&lesson, Place::End), Some(Place::Stop(2)));
    }

    #[test]
    fn the_notes_give_the_question_its_answer_and_why() {
        let (lesson, run) = lesson_and_run();
        // Stop 2 asks at step 4 whether the token request succeeds.
        let (line, why) = stop_notes(&lesson, &run, Place::Stop(1));
        assert_eq!(
            line,
            "Will the next request succeed? Answer: Yes, it succeeds."
        );
        assert_eq!(why, "It succeeds (200 OK).");
        // Stop 1 asks at step 1 who sends step 2: the browser, logging in.
        let (line, why) = stop_notes(&lesson, &run, Place::Stop(0));
        assert_eq!(
            line,
            "Which party sends the next message? Answer: User and browser."
        );
        assert_eq!(
            why,
            "User and browser sends the next message: POST /login to Authorization server."
        );
        assert_eq!(
            stop_notes(&lesson, &run, Place::Stop(2)),
            ("This stop asks no question.".into(), String::new())
        );
        assert_eq!(
            stop_notes(&lesson, &run, Place::End).0,
            "The summary: how the predictions went."
        );
    }
}
