//! Guided lessons: a run of the engine, paused at stops where the learner
//! predicts what comes next (who sends the next message, whether the next
//! request succeeds) before it is shown, with feedback read from the run.
//!
//! Lessons are data: JSON files in `public/lessons/`, loaded at run time
//! (see `fetch`), so an instructor adds one without a rebuild. A lesson file
//! never holds an answer: "who sends the next message" is the next
//! exchange's sender, and "will it succeed" is read from its response, so a
//! lesson cannot disagree with the protocol it teaches.
//!
//! The lessons' logic, free of the DOM and tested natively, in modules that
//! each use only those listed before them:
//! - `wording`, `files`: how a message quotes what it names, and the lesson
//!   files' names and paths;
//! - `problems`, `index`, `run`, `lesson`, `format`: reading the index and a
//!   lesson file, with a message naming the file and the field for every
//!   problem, and running what the lesson names through the engine;
//! - `check`: a lesson's stops against its run;
//! - `questions`: the questions, feedback and score, every answer read from
//!   the run's trace;
//! - `links`: where a learner is, as the address bar keeps it.
//!
//! On screen: `list` and `player`, and `audience` for a talk (`crate::talk`).

mod answers;
mod audience;
pub mod check;
mod fetch;
pub mod files;
pub mod format;
pub mod index;
pub mod lesson;
pub mod links;
mod list;
mod player;
mod problems;
pub mod questions;
pub mod run;
mod wording;

use leptos::prelude::*;

use crate::components::drawn;
use leptos_router::hooks::use_query_map;

use self::links::{LessonLink, Place};

/// `/lessons`: the list of lessons, or with `?file=…` the lesson itself.
#[component]
pub fn LessonsScreen() -> impl IntoView {
    let query = use_query_map();
    let file = Memo::new(move |_| query.with(|query| query.get("file")));
    move || match file.get() {
        None => drawn(list::LessonList),
        Some(file) => {
            // Where in the lesson: read once, as the lesson opens (the
            // player keeps the address bar in step from then on).
            let place = query
                .with_untracked(|query| query.get("stop"))
                .and_then(|stop| Place::parse(&stop));
            drawn(move || view! { <player::LessonPlayer file place /> })
        }
    }
}

/// `/lessons` within the app, as an href (the app may live under a
/// sub-path).
fn lessons_href(query: &str) -> String {
    let crate::components::AppBase(base) = expect_context();
    crate::components::app_href(&base, &format!("/lessons{query}"))
}

/// Starting a lesson from its beginning.
fn lesson_href(file: &str) -> String {
    lessons_href(&format!(
        "?{}",
        oauth_engine::form::encode_form(&[("file", file)])
    ))
}

/// Puts `?file=…&stop=…` in the address bar, so a reload or a copied link
/// comes back to the same stop.
fn write_place_to_url(file: &str, place: Place) {
    crate::browser::replace_query(&LessonLink::to_query(file, place));
}
