//! The table under the runs: what the attacker got from each
//! architecture, every cell read from the run's outcome (the engine's
//! `token_storage::Outcome`), none written per architecture.

use std::sync::Arc;

use leptos::prelude::*;
use oauth_engine::jwt::duration;
use oauth_engine::sim::compare::Cell;
use oauth_engine::sim::token_storage::{Lasts, Outcome, StorageRun};

use crate::lab::compare::cell_view;

/// One question of the table, asked of each run's outcome.
pub struct Question {
    pub label: &'static str,
    pub answer: fn(&Outcome) -> Cell,
}

pub const QUESTIONS: [Question; 5] = [
    Question {
        label: "Access token taken",
        answer: |outcome| at_step(outcome.access_token, "Yes"),
    },
    Question {
        label: "Refresh token taken",
        answer: |outcome| at_step(outcome.refresh_token, "Yes"),
    },
    Question {
        label: "The user's API called, tab open",
        answer: |outcome| at_step(outcome.while_open, "Yes, through the user's browser"),
    },
    Question {
        label: "The user's API called, tab closed",
        answer: |outcome| at_step(outcome.after_close, "Yes, from the attacker's machine"),
    },
    Question {
        label: "For how long, once the tab is closed",
        answer: |outcome| lasts(outcome.lasts),
    },
];

/// "No", or `yes` with the step it happened at: something the attacker
/// should not have got.
fn at_step(step: Option<usize>, yes: &str) -> Cell {
    match step {
        Some(step) => Cell {
            good: false,
            text: format!("{yes}, at step {}", step + 1),
        },
        None => Cell {
            good: true,
            text: "No".into(),
        },
    }
}

fn lasts(lasts: Lasts) -> Cell {
    match lasts {
        Lasts::NotAtAll => Cell {
            good: true,
            text: "Not at all: nothing it took works without the page".into(),
        },
        Lasts::AccessToken(seconds) => Cell {
            good: false,
            text: format!("{}, until the access token expires", duration(seconds)),
        },
        Lasts::RefreshToken(seconds) => Cell {
            good: false,
            text: format!(
                "{}, the refresh token's lifetime: it refreshes again and again",
                duration(seconds)
            ),
        },
    }
}

#[component]
pub fn OutcomeTable(runs: Arc<[StorageRun]>) -> impl IntoView {
    let outcomes: Vec<_> = runs
        .iter()
        .map(|run| (run.architecture.slug(), run.outcome()))
        .collect();
    view! {
        <section class="panel compare__verdicts" aria-labelledby="storage-outcome-heading">
            <h2 id="storage-outcome-heading">"What the attacker got"</h2>
            <div
                class="table-scroll"
                tabindex="0"
                role="region"
                aria-label="Table: what the attacker got"
            >
                <table class="verdicts" data-testid="storage-outcome">
                    <caption>"Read from the four runs above"</caption>
                    <thead>
                        <tr>
                            <th scope="col">"Question"</th>
                            {runs
                                .iter()
                                .map(|run| view! { <th scope="col">{run.architecture.title()}</th> })
                                .collect_view()}
                        </tr>
                    </thead>
                    <tbody>
                        {QUESTIONS
                            .iter()
                            .map(|question| {
                                view! {
                                    <tr data-row=question.label>
                                        <th scope="row">{question.label}</th>
                                        {outcomes
                                            .iter()
                                            .map(|(slug, outcome)| {
                                                cell_view(&(question.answer)(outcome), slug)
                                            })
                                            .collect_view()}
                                    </tr>
                                }
                            })
                            .collect_view()}
                    </tbody>
                </table>
            </div>
        </section>
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use oauth_engine::sim::token_storage::{Architecture, compare_storage};

    fn answers(architecture: Architecture) -> Vec<Cell> {
        let run = compare_storage(crate::lab::LAB_SEED)
            .into_iter()
            .find(|run| run.architecture == architecture)
            .expect("every architecture runs");
        let outcome = run.outcome();
        QUESTIONS
            .iter()
            .map(|question| (question.answer)(&outcome))
            .collect()
    }

    fn goods(cells: &[Cell]) -> Vec<bool> {
        cells.iter().map(|cell| cell.good).collect()
    }

    #[test]
    fn local_storage_loses_both_tokens_for_the_refresh_tokens_lifetime() {
        let cells = answers(Architecture::LocalStorage);
        assert_eq!(goods(&cells), [false; 5]);
        assert!(cells[4].text.ends_with("it refreshes again and again"));
    }

    #[test]
    fn a_bff_leaves_only_calls_through_the_open_tab() {
        let cells = answers(Architecture::Bff);
        assert_eq!(goods(&cells), [true, true, false, true, true]);
        assert!(cells[2].text.starts_with("Yes, through the user's browser"));
        assert_eq!(
            cells[4].text,
            "Not at all: nothing it took works without the page"
        );
    }

    #[test]
    fn a_token_mediating_backend_loses_the_access_token_until_it_expires() {
        let cells = answers(Architecture::TokenMediatingBackend);
        assert_eq!(goods(&cells), [false, true, false, false, false]);
        assert!(cells[4].text.ends_with("until the access token expires"));
    }

    #[test]
    fn durations_read_as_people_say_them() {
        assert_eq!(
            lasts(Lasts::AccessToken(240)).text,
            "4 min, until the access token expires"
        );
        assert!(
            lasts(Lasts::RefreshToken(86_400 * 30))
                .text
                .starts_with("30 days")
        );
        assert_eq!(at_step(Some(0), "Yes").text, "Yes, at step 1");
        assert_eq!(at_step(None, "Yes, anyhow").text, "No");
    }
}
