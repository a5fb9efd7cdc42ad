//! Guided lessons: a run of the engine, paused at stops where the learner
//! predicts what comes next (who sends the next message, whether the next
//! request succeeds) before it is shown, with feedback read from the run.
//!
//! Lessons are data: JSON files in `public/lessons/`, loaded at run time
//! (see `fetch`), so an instructor adds one without a rebuild. The format
//! and every check on it: `model`.

mod fetch;
mod list;
pub mod model;
mod player;

use leptos::prelude::*;
use leptos_router::hooks::use_query_map;

use self::model::{LessonLink, Place};

/// `/lessons`: the list of lessons, or with `?file=…` the lesson itself.
#[component]
pub fn LessonsScreen() -> impl IntoView {
    let query = use_query_map();
    let file = Memo::new(move |_| query.with(|query| query.get("file")));
    move || match file.get() {
        None => list::LessonList().into_any(),
        Some(file) => {
            // Where in the lesson: read once, as the lesson opens (the
            // player keeps the address bar in step from then on).
            let place = query
                .with_untracked(|query| query.get("stop"))
                .and_then(|stop| Place::parse(&stop));
            view! { <player::LessonPlayer file place /> }.into_any()
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
