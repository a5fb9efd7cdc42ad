//! The lesson player: the run on the diagram up to the current stop and
//! nothing after it, the stop's text, its question, the feedback, and a
//! summary at the end. Keyboard first: after Check the focus goes to
//! Continue, after Continue to the new stop's heading.

use std::sync::Arc;

use crate::components::{bool_memo, effect};
use leptos::prelude::*;

use crate::components::{Shown, drawn};
use leptos::task::spawn_local;

use super::answers::Answers;
use super::audience;
use super::check::check_against_run;
use super::fetch::load_lesson;
use super::files::{check_file_name, lesson_path};
use super::lesson::{Ask, Lesson};
use super::links::Place;
use super::questions::{Question, SUCCESS_RULE, feedback, question, score};
use super::run::{LessonRun, Loaded, RunSpec, step_line};
use super::{lessons_href, write_place_to_url};
use crate::browser::{Store, load_setting, save_setting, set_title};
use crate::components::{AppBase, app_href};
use crate::deployed::load_support;
use crate::flow::diagram::SequenceDiagram;
use crate::flow::layout::Layout;
use crate::flow::narration::Explanation;
use crate::lab::STEP_MILLIS;
use crate::talk::open_audience_window;

/// A lesson read, and its run made and checked against it.
#[derive(Clone)]
struct Ready {
    lesson: Arc<Lesson>,
    run: Arc<LessonRun>,
}

/// Runs the lesson, loading first the code for DPoP, PAR and the rest,
/// the AI agent's or Where tokens live's, if its run needs it, and checks
/// the run against the lesson.
async fn prepare(lesson: Lesson) -> Result<Ready, Vec<String>> {
    let spec = lesson.run;
    let loaded = Loaded {
        support: if spec.needs_support() {
            Some(load_support().await)
        } else {
            None
        },
        agent: if spec.needs_agent() {
            Some(crate::flow::agent::load().await)
        } else {
            None
        },
        side_by_side: if spec.needs_side_by_side() {
            Some(crate::lab::side_by_side::load_side_by_side().await)
        } else {
            None
        },
    };
    let run = spec.run(loaded).map_err(|problem| vec![problem])?;
    check_against_run(&lesson, &run.trace)?;
    Ok(Ready {
        lesson: Arc::new(lesson),
        run: Arc::new(run),
    })
}

#[component]
pub fn LessonPlayer(file: String, place: Option<Place>) -> impl IntoView {
    set_title("Lesson");
    let loaded = RwSignal::new(None::<Result<Ready, Vec<String>>>);
    match check_file_name(&file) {
        // Refused before any request is made.
        Err(problem) => loaded.set(Some(Err(vec![problem]))),
        Ok(()) => {
            let file = file.clone();
            spawn_local(async move {
                let ready = match load_lesson(&file).await {
                    Ok(lesson) => prepare(lesson).await,
                    Err(problems) => Err(problems),
                };
                let _ = loaded.try_set(Some(ready));
            });
        }
    }
    let all_lessons = lessons_href("");
    move || match loaded.get() {
        None => {
            let loading = format!("Loading {}…", lesson_path(&file));
            drawn(move || {
                view! {
                    <article class="lesson" aria-labelledby="lesson-title">
                        <header class="screen-header">
                            <h1 id="lesson-title">"Lesson"</h1>
                            <p role="status" data-testid="lesson-loading">
                                {loading}
                            </p>
                        </header>
                    </article>
                }
            })
        }
        Some(Err(problems)) => {
            set_title("Lesson not opened");
            let all_lessons = all_lessons.clone();
            drawn(move || {
                view! {
                    <article class="lesson" aria-labelledby="lesson-title">
                        <header class="screen-header">
                            <h1 id="lesson-title">"This lesson could not be opened"</h1>
                        </header>
                        <div class="lesson-problems" role="alert" data-testid="lesson-problems">
                            <ul>
                                {problems
                                    .into_iter()
                                    .map(|problem| view! { <li>{problem}</li> })
                                    .collect_view()}
                            </ul>
                            <p>
                                "The format is in \"Writing a lesson\" in the README."
                            </p>
                        </div>
                        <p>
                            <a href=all_lessons data-testid="lesson-back">
                                "Back to the lessons"
                            </a>
                        </p>
                    </article>
                }
            })
        }
        Some(Ok(Ready { lesson, run })) => {
            drawn(move || view! { <Walkthrough lesson run place /> })
        }
    }
}

/// The tab's storage key for a lesson's answers.
fn answers_key(file: &str) -> String {
    format!("lessons.answers.{file}")
}

/// Moves the focus to the element `id` once the screen has caught up
/// with the change just made.
fn focus_soon(id: &'static str) {
    request_animation_frame(move || {
        if let Some(element) = document().get_element_by_id(id) {
            use wasm_bindgen::JsCast;
            let _ = element.unchecked_into::<web_sys::HtmlElement>().focus();
        }
    });
}

/// The step the diagram shows at `place`, from 0: the stop's step, and the
/// next one too once its question is answered; the whole run at the end.
fn shown_step(lesson: &Lesson, run: &LessonRun, answers: &Answers, place: Place) -> usize {
    match place {
        Place::Stop(i) => {
            let stop = &lesson.stops[i];
            let revealed = stop.ask.is_some() && answers.contains(i);
            stop.at - 1 + usize::from(revealed)
        }
        Place::End => run.trace.len().saturating_sub(1),
    }
}

#[component]
fn Walkthrough(lesson: Arc<Lesson>, run: Arc<LessonRun>, place: Option<Place>) -> impl IntoView {
    set_title(&format!("{} (lesson)", lesson.title));
    let file = lesson.file.clone();
    let key = answers_key(&file);
    // A lesson opened without a stop starts afresh; with one (a reload, a
    // link) it keeps the answers this tab gave.
    let stored = match place {
        Some(_) => load_setting(Store::Session, &key)
            .and_then(|json| Answers::from_json(&json))
            .unwrap_or_default(),
        None => Answers::new(),
    };
    let answers = RwSignal::new(stored);
    let last = lesson.stops.len() - 1;
    let place = RwSignal::new(match place.unwrap_or(Place::Stop(0)) {
        Place::Stop(i) => Place::Stop(i.min(last)),
        Place::End => Place::End,
    });
    effect(Box::new(move || {
        answers.with(|answers| {
            save_setting(Store::Session, &key, Some(&answers.to_json()));
        });
        write_place_to_url(&file, place.get());
    }));

    let talk = audience::join(Arc::clone(&lesson), answers, place);
    let shown = {
        let (lesson, run) = (Arc::clone(&lesson), Arc::clone(&run));
        Signal::derive(move || answers.with(|a| shown_step(&lesson, &run, a, place.get())))
    };
    let layout = Layout::new(&run.trace, run.flow);
    let summary = lesson.summary.clone();
    let title = lesson.title.clone();
    let described = lesson.run.describe();
    let all_lessons = lessons_href("");
    let notes = audience::lesson_speaker_notes(talk, Arc::clone(&lesson), Arc::clone(&run), place);
    let body = {
        let (lesson, run) = (Arc::clone(&lesson), Arc::clone(&run));
        move || match place.get() {
            Place::Stop(index) => {
                let (lesson, run) = (Arc::clone(&lesson), Arc::clone(&run));
                drawn(move || view! { <StopPanel lesson run index answers place /> })
            }
            Place::End => {
                let (lesson, run) = (Arc::clone(&lesson), Arc::clone(&run));
                drawn(move || view! { <Summary lesson run answers place /> })
            }
        }
    };
    view! {
        <article
            class="lesson"
            class:flow--presenter=move || talk.is_audience()
            class:lesson--audience=move || talk.is_audience()
            aria-labelledby="lesson-title"
        >
            <header class="screen-header lesson__header">
                <p class="lesson__crumb">
                    <a href=all_lessons data-testid="lesson-all">
                        "All lessons"
                    </a>
                </p>
                <h1 id="lesson-title" data-testid="lesson-title">
                    {title}
                </h1>
                {summary.map(|summary| view! { <p class="screen-header__lead">{summary}</p> })}
                <p class="lesson__run" data-testid="lesson-run">
                    "Runs: "
                    {described}
                </p>
                {open_audience_window(talk)}
            </header>
            <div class="lesson__stage">
                <section class="panel lesson__diagram" aria-labelledby="lesson-diagram-heading">
                    <h2 id="lesson-diagram-heading" class="visually-hidden">
                        "The run so far"
                    </h2>
                    <SequenceDiagram
                        layout=Signal::stored(Some(layout))
                        current=shown
                        step_millis=Signal::stored(STEP_MILLIS)
                        on_select=Callback::new(|_| {})
                        region_label="The run so far: sequence diagram, scrollable"
                        hide_future=true
                    />
                </section>
                {body}
                {notes}
            </div>
        </article>
    }
}

/// The stop's text, in paragraphs (a blank line starts a new one).
fn paragraphs(text: &str) -> impl IntoView + use<> {
    text.split("\n\n")
        .map(str::trim)
        .filter(|paragraph| !paragraph.is_empty())
        .map(|paragraph| view! { <p>{paragraph.to_owned()}</p> })
        .collect_view()
}

/// One stop: where the run is, the lesson's text, the question and its
/// feedback, and the way on.
#[component]
fn StopPanel(
    lesson: Arc<Lesson>,
    run: Arc<LessonRun>,
    index: usize,
    answers: RwSignal<Answers>,
    place: RwSignal<Place>,
) -> impl IntoView {
    let stop = lesson.stops[index].clone();
    let count = lesson.stops.len();
    let is_last = index + 1 == count;
    let step = stop.at - 1;
    let heading = match &stop.title {
        Some(title) => format!("Stop {} of {count}: {title}", index + 1),
        None => format!("Stop {} of {count}", index + 1),
    };
    // The steps revealed since the last stop, when there are several.
    let first_new = match index.checked_sub(1).map(|i| &lesson.stops[i]) {
        None => 0,
        Some(previous) => previous.at + usize::from(previous.ask.is_some()),
    };
    let since: Vec<String> = (first_new..step)
        .filter_map(|step| step_line(&run, step))
        .collect();
    let question = stop
        .ask
        .and_then(|ask| question(ask, &run, stop.at))
        .map(Arc::new);
    let answered = bool_memo(Box::new(move || {
        answers.with(|answers| answers.contains(index))
    }));
    let can_go_on = {
        let asks = question.is_some();
        move || !asks || answered.get()
    };
    let go_on = move |_| {
        if is_last {
            place.set(Place::End);
            focus_soon("lesson-end-heading");
        } else {
            place.set(Place::Stop(index + 1));
            focus_soon("lesson-stop-heading");
        }
    };
    let go_back = move |_| {
        place.set(Place::Stop(index.saturating_sub(1)));
        focus_soon("lesson-stop-heading");
    };
    let progress = format!("width: {}%", (index + 1) * 100 / count);
    let exchange = run.trace[step].clone();
    let revealed = run.trace.get(stop.at).cloned();
    let revealed_line = step_line(&run, stop.at);
    view! {
        <section
            class="panel lesson__stop"
            aria-labelledby="lesson-stop-heading"
            data-testid="lesson-stop"
            data-stop=index + 1
        >
            <div class="lesson__progress" aria-hidden="true">
                <span style=progress></span>
            </div>
            <h2 id="lesson-stop-heading" tabindex="-1" data-testid="lesson-stop-heading">
                {heading}
            </h2>
            <p class="lesson__step" data-testid="lesson-step">
                {step_line(&run, step)}
            </p>
            {(since.len() > 1)
                .then(|| {
                    view! {
                        <details class="lesson__since">
                            <summary>
                                {if index == 0 {
                                    format!("The {} steps before this one", since.len())
                                } else {
                                    format!("The {} steps since the last stop", since.len())
                                }}
                            </summary>
                            <ol>
                                {since.into_iter().map(|line| view! { <li>{line}</li> }).collect_view()}
                            </ol>
                        </details>
                    }
                })}
            <div class="lesson__text" data-testid="lesson-text">
                {paragraphs(&stop.text)}
            </div>
            <details class="lesson__why">
                <summary>{format!("What step {} does", stop.at)}</summary>
                <Explanation exchange testid="lesson-explanation" />
            </details>
            {question
                .clone()
                .map(|question| {
                    view! { <Prediction question index answers revealed revealed_line /> }
                })}
            <div class="lesson__actions">
                {(index > 0)
                    .then(|| {
                        view! {
                            <button
                                type="button"
                                class="button"
                                data-testid="lesson-previous"
                                on:click=go_back
                            >
                                "Previous stop"
                            </button>
                        }
                    })}
                <Shown when=can_go_on>
                    <button
                        type="button"
                        class="button button--primary"
                        id="lesson-continue"
                        data-testid="lesson-continue"
                        on:click=go_on
                    >
                        {if is_last { "See how you did" } else { "Continue" }}
                    </button>
                </Shown>
            </div>
        </section>
    }
}

/// A stop's question: the choices, Check, the feedback in a live region,
/// and, once answered, the step it was about.
#[component]
fn Prediction(
    question: Arc<Question>,
    index: usize,
    answers: RwSignal<Answers>,
    revealed: Option<oauth_engine::sim::trace::Exchange>,
    revealed_line: Option<String>,
) -> impl IntoView {
    let chosen = move || answers.with(|answers| answers.get(index).map(str::to_owned));
    let selection = RwSignal::new(chosen());
    let nudge = RwSignal::new(false);
    let answered = move || chosen().is_some();
    let check = move |event: leptos::ev::SubmitEvent| {
        event.prevent_default();
        match selection.get_untracked() {
            None => nudge.set(true),
            Some(value) => {
                answers.update(|answers| {
                    answers.insert(index, value);
                });
                focus_soon("lesson-continue");
            }
        }
    };
    let name = format!("lesson-answer-{index}");
    let verdict = {
        let question = Arc::clone(&question);
        Memo::new(move |_| chosen().map(|value| feedback(&question, &value)))
    };
    let is_success_question = question.ask == Ask::WillSucceed;
    view! {
        <form class="lesson__question" data-testid="lesson-question" on:submit=check>
            <fieldset class="lesson__choices" prop:disabled=answered>
                <legend>{question.prompt}</legend>
                {question.context.clone().map(|context| view! { <p class="lesson__context">{context}</p> })}
                {question
                    .choices
                    .iter()
                    .map(|choice| {
                        let value = choice.value.clone();
                        let checked = value.clone();
                        view! {
                            <label class="lesson__choice">
                                <input
                                    type="radio"
                                    name=name.clone()
                                    value=value.clone()
                                    data-testid=format!("lesson-choice-{value}")
                                    prop:checked=move || {
                                        selection.with(|s| s.as_deref() == Some(checked.as_str()))
                                    }
                                    on:change=move |_| {
                                        selection.set(Some(value.clone()));
                                        nudge.set(false);
                                    }
                                />
                                <span>{choice.label.clone()}</span>
                            </label>
                        }
                    })
                    .collect_view()}
            </fieldset>
            <Shown when=move || !answered()>
                <button type="submit" class="button button--primary" data-testid="lesson-check">
                    "Check"
                </button>
            </Shown>
        </form>
        // Always in the page, so that screen readers announce what appears.
        <p
            class="lesson__feedback"
            class:lesson__feedback--right=move || verdict.get().is_some_and(|v| v.right)
            class:lesson__feedback--wrong=move || verdict.get().is_some_and(|v| !v.right)
            role="status"
            data-testid="lesson-feedback"
        >
            {move || match verdict.get() {
                Some(verdict) => verdict.text,
                None if nudge.get() => "Choose an answer first, then press Check.".to_owned(),
                None => String::new(),
            }}
        </p>
        <Shown when=answered>
            <div class="lesson__revealed" data-testid="lesson-revealed">
                <h3>"What happened"</h3>
                <p class="lesson__step">{revealed_line.clone()}</p>
                {is_success_question.then(|| view! { <p class="lesson__rule">{SUCCESS_RULE}</p> })}
                {revealed
                    .clone()
                    .map(|exchange| view! { <Explanation exchange testid="lesson-revealed-explanation" /> })}
            </div>
        </Shown>
    }
}

/// The end: how many predictions were right, each question's result, and
/// the ways on.
#[component]
fn Summary(
    lesson: Arc<Lesson>,
    run: Arc<LessonRun>,
    answers: RwSignal<Answers>,
    place: RwSignal<Place>,
) -> impl IntoView {
    let (right, asked, unanswered) = answers.with_untracked(|a| score(&lesson, &run, a));
    let mut score_text = format!(
        "You predicted {right} of {asked} {} right.",
        if asked == 1 { "step" } else { "steps" }
    );
    if unanswered > 0 {
        score_text.push_str(&format!(
            " {unanswered} not answered (a link skipped them)."
        ));
    }
    let results = answers.with_untracked(|answers| {
        lesson
            .stops
            .iter()
            .enumerate()
            .filter_map(|(i, stop)| {
                let question = question(stop.ask?, &run, stop.at)?;
                let verdict = answers.get(i).map(|value| feedback(&question, value));
                Some((i, question, verdict))
            })
            .collect::<Vec<_>>()
    });
    let restart = move |_| {
        answers.set(Answers::new());
        place.set(Place::Stop(0));
        focus_soon("lesson-stop-heading");
    };
    let AppBase(base) = expect_context();
    let last = run.trace.len().saturating_sub(1);
    let (screen, screen_name) = match lesson.run {
        RunSpec::Flow(_) => (lesson.run.screen_link(last), "the Flow simulator"),
        RunSpec::Attack { .. } => (lesson.run.screen_link(last), "the attack lab"),
        RunSpec::Compare(_) => (lesson.run.screen_link(last), "Implicit vs Code"),
        RunSpec::Storage(_) => (lesson.run.screen_link(last), "Where tokens live"),
        RunSpec::Cors { .. } => (lesson.run.screen_link(last), "the Flow simulator"),
    };
    view! {
        <section class="panel lesson__end" aria-labelledby="lesson-end-heading" data-testid="lesson-end">
            <h2 id="lesson-end-heading" tabindex="-1">
                "Lesson complete"
            </h2>
            <p class="lesson__score" data-testid="lesson-score">
                {score_text}
            </p>
            <ol class="lesson__results">
                {results
                    .into_iter()
                    .map(|(i, question, verdict)| {
                        let (class, mark, hidden, text) = match verdict {
                            Some(v) if v.right => ("lesson__result--right", "✓", "Right. ", question.reason.clone()),
                            Some(v) => ("lesson__result--wrong", "✗", "Wrong. ", v.text),
                            None => ("lesson__result--skipped", "–", "Not answered. ", question.reason.clone()),
                        };
                        view! {
                            <li class=format!("lesson__result {class}")>
                                <strong>{format!("Stop {}: {}", i + 1, question.prompt)}</strong>
                                <br />
                                <span class="lesson__mark" aria-hidden="true">
                                    {mark}
                                </span>
                                <span class="visually-hidden">{hidden}</span>
                                {text}
                            </li>
                        }
                    })
                    .collect_view()}
            </ol>
            <div class="lesson__actions">
                <a class="button button--primary" href=lessons_href("") data-testid="lesson-back">
                    "Back to the lessons"
                </a>
                <button type="button" class="button" data-testid="lesson-restart" on:click=restart>
                    "Start again"
                </button>
                <a class="button" href=app_href(&base, &screen)>
                    {format!("Explore this run in {screen_name}")}
                </a>
            </div>
        </section>
    }
}
