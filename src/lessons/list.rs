//! The lessons `lessons/index.json` lists, a card each, and a way to open
//! a lesson file that is not listed.

use leptos::prelude::*;

use crate::components::drawn;
use leptos::task::spawn_local;
use leptos_router::hooks::use_navigate;

use super::fetch::{load_index, load_lesson};
use super::files::lesson_path;
use super::index::Listed;
use super::{lesson_href, lessons_href};
use crate::browser::set_title;

#[component]
pub fn LessonList() -> impl IntoView {
    set_title("Lessons");
    let index = RwSignal::new(None::<Result<Vec<Listed>, Vec<String>>>);
    spawn_local(async move {
        let _ = index.try_set(Some(load_index().await));
    });
    view! {
        <article class="lessons" aria-labelledby="lessons-title">
            <header class="screen-header">
                <h1 id="lessons-title">"Guided lessons"</h1>
                <p class="screen-header__lead">
                    "Each lesson runs a flow or an attack through the simulated servers and \
                     stops along the way to ask you what happens next: which party sends the \
                     next message, and whether the next request will succeed. Answer, check, \
                     and the step is revealed with what really happened and why."
                </p>
            </header>
            {move || match index.get() {
                None => {
                    drawn(move || view! {
                        <p class="lessons__loading" role="status" data-testid="lessons-loading">
                            "Loading the lessons…"
                        </p>
                    })
                }
                Some(Err(problems)) => {
                    drawn(move || view! {
                        <div class="lesson-problems" role="alert" data-testid="lessons-problems">
                            <h2>"The list of lessons could not be read"</h2>
                            <ul>
                                {problems
                                    .into_iter()
                                    .map(|problem| view! { <li>{problem}</li> })
                                    .collect_view()}
                            </ul>
                        </div>
                    })
                }
                Some(Ok(listed)) => {
                    drawn(move || view! {
                        <ul class="lessons__cards" data-testid="lessons-list">
                            {listed
                                .into_iter()
                                .map(|listed| view! { <LessonCard listed /> })
                                .collect_view()}
                        </ul>
                    })
                }
            }}
            <OpenFile />
        </article>
    }
}

/// One lesson: its title (the link), summary and size, from the card the
/// index has of it, or else read from its file.
#[component]
fn LessonCard(listed: Listed) -> impl IntoView {
    let Listed { file, card } = listed;
    let has_card = card.is_some();
    let lesson = RwSignal::new(card.map(Ok));
    if !has_card {
        let file = file.clone();
        spawn_local(async move {
            let read = load_lesson(&file).await.map(|lesson| lesson.card());
            let _ = lesson.try_set(Some(read));
        });
    }
    let href = lesson_href(&file);
    let data_file = file.clone();
    view! {
        <li class="card lesson-card" data-testid="lesson-card" data-file=data_file>
            {move || match lesson.get() {
                None => {
                    let loading = format!("Loading {}…", lesson_path(&file));
                    drawn(move || view! { <p class="lesson-card__loading">{loading}</p> })
                }
                Some(Err(problems)) => {
                    let file = file.clone();
                    drawn(move || view! {
                        <h2 class="card__title">{file}</h2>
                        <ul class="lesson-card__problems" data-testid="lesson-card-problems">
                            {problems
                                .into_iter()
                                .map(|problem| view! { <li>{problem}</li> })
                                .collect_view()}
                        </ul>
                    })
                }
                Some(Ok(lesson)) => {
                    let size = format!(
                        "{} stops, {} {}",
                        lesson.stops,
                        lesson.questions,
                        if lesson.questions == 1 { "question" } else { "questions" },
                    );
                    let href = href.clone();
                    drawn(move || view! {
                        <h2 class="card__title">
                            <a href=href data-testid="lesson-link">
                                {lesson.title.clone()}
                            </a>
                        </h2>
                        <p class="lesson-card__run">{lesson.run.describe()}</p>
                        {lesson.summary.clone().map(|summary| view! { <p>{summary}</p> })}
                        <p class="lesson-card__size" data-testid="lesson-size">
                            {size}
                        </p>
                    })
                }
            }}
        </li>
    }
}

/// Opens a lesson file by name: one an instructor dropped in `lessons/`
/// without listing it.
#[component]
fn OpenFile() -> impl IntoView {
    let name = RwSignal::new(String::new());
    let navigate = use_navigate();
    let open = move |event: leptos::ev::SubmitEvent| {
        event.prevent_default();
        let file = name.get_untracked().trim().to_owned();
        if !file.is_empty() {
            navigate(&lesson_href(&file), Default::default());
        }
    };
    let example = lessons_href("?file=my-lesson.json");
    view! {
        <section class="panel lessons__own" aria-labelledby="lessons-own-heading">
            <h2 id="lessons-own-heading">"Your own lesson"</h2>
            <p>
                "A lesson is a JSON file: a title, what to run, and the stops (see \"Writing a \
                 lesson\" in the README). Put it in the "
                <code>"lessons/"</code>
                " folder beside the app and open it here, or at "
                <code>{example}</code>
                ". No rebuild: add it to "
                <code>"lessons/index.json"</code>
                " to list it above."
            </p>
            <form class="lessons__open" on:submit=open>
                <label for="lessons-file">"Lesson file in lessons/"</label>
                <input
                    id="lessons-file"
                    type="text"
                    placeholder="my-lesson.json"
                    spellcheck="false"
                    autocomplete="off"
                    data-testid="lessons-file"
                    prop:value=move || name.get()
                    on:input=move |event| name.set(event_target_value(&event))
                />
                <button type="submit" class="button" data-testid="lessons-open">
                    "Open"
                </button>
            </form>
        </section>
    }
}
