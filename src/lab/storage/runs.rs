//! The four runs, stepped together: each with its diagram, its step, and
//! what the page's JavaScript can reach at that step.

use std::sync::Arc;

use leptos::prelude::*;
use oauth_engine::sim::flow::Flow;
use oauth_engine::sim::token_storage::{Architecture, Held, StorageRun, compare_storage};

use super::outcome::OutcomeTable;
use crate::components::drawn;
use crate::flow::diagram::SequenceDiagram;
use crate::flow::layout::{COMPACT_LANE_GAP, Layout};
use crate::flow::narration::{Explanation, exchange_summary};
use crate::lab::LAB_SEED;
use crate::lab::STEP_MILLIS;
use crate::lab::stepped::{SteppedScreen, linked_stepper, stepped_screen};
use crate::lab::stepper::Stepper;

/// The screen, with its four runs.
pub fn draw() -> AnyView {
    let runs: Arc<[StorageRun]> = compare_storage(LAB_SEED).into();
    drawn(move || screen(runs))
}

/// What Where tokens live says about itself.
const SCREEN: SteppedScreen = SteppedScreen {
    heading_id: "storage-title",
    title: "Where tokens live",
    lead: "The same app built four ways, signed in for real, then attacked by the same \
           injected script (a cross-site scripting payload, or a compromised library the page \
           loads). The script reads storage, wraps fetch to see the tokens the app uses, asks \
           for new tokens in a hidden frame and calls the API through the page. Then the user \
           closes the tab, and the attacker tries what it took from its own machine. Step the \
           four runs together; the table below them is read from the runs.",
    controls: "storage-steps",
    label: "Step all four runs",
    keys: "Keys: ← → step all four runs, Home and End jump to the first and last step.",
};

fn screen(runs: Arc<[StorageRun]>) -> impl IntoView {
    let longest = runs.iter().map(|run| run.trace.len()).max().unwrap_or(0);
    let stepper = linked_stepper(longest);
    let drawn_runs = drawn(move || {
        view! {
            <div class="compare__sides storage__sides">
                {(0..runs.len())
                    .map(|index| view! { <RunView runs=Arc::clone(&runs) index stepper /> })
                    .collect_view()}
            </div>
            <OutcomeTable runs />
        }
    });
    stepped_screen(&SCREEN, stepper, drawn_runs)
}

/// Where a run is at `step`: signing in, under the script, or closed.
pub fn phase(run: &StorageRun, step: usize) -> &'static str {
    if step >= run.closed_at {
        "The tab is closed: the attacker, from its own machine"
    } else if !run.script_steps.is_empty() && step >= run.script_from {
        "The injected script runs in the page"
    } else {
        "The app signs in and fetches the user's data"
    }
}

/// What the page's JavaScript can reach at `step`: the newest snapshot
/// taken at or before it.
pub fn reach_at(run: &StorageRun, step: usize) -> &[Held] {
    run.reach
        .iter()
        .rev()
        .find(|reach| reach.from <= step)
        .map_or(&[], |reach| reach.held.as_slice())
}

/// Names each diagram's scroll region apart from the other three.
fn region_label(architecture: Architecture) -> &'static str {
    match architecture {
        Architecture::LocalStorage => "Tokens in localStorage: sequence diagram, scrollable",
        Architecture::Memory => "Tokens in memory: sequence diagram, scrollable",
        Architecture::TokenMediatingBackend => {
            "Token-mediating backend: sequence diagram, scrollable"
        }
        Architecture::Bff => "Backend for frontend: sequence diagram, scrollable",
    }
}

/// One architecture's run: its diagram, the step, and what the page's
/// JavaScript can reach.
#[component]
fn RunView(runs: Arc<[StorageRun]>, index: usize, stepper: Stepper) -> impl IntoView {
    let run = &runs[index];
    let architecture = run.architecture;
    let slug = architecture.slug();
    let len = run.trace.len();
    // Each run stays on its last step once the others run longer.
    let step = Signal::derive(move || stepper.current().min(len.saturating_sub(1)));
    let layout = Layout::with_lane_gap(&run.trace, Flow::AuthorizationCode, COMPACT_LANE_GAP);
    let heading = format!("storage-{slug}-title");
    let stopped = run.stopped.clone().map(|reason| {
        view! {
            <p class="notice" role="note">
                {format!("The run stopped early: {reason}")}
            </p>
        }
    });
    let now = move || {
        let run = &runs[index];
        let step = step.get();
        let exchange = run.trace.get(step)?.clone();
        let summary = exchange_summary(&exchange, step, len, Flow::AuthorizationCode);
        let closed = step >= run.closed_at;
        let held = reach_at(run, step);
        let reach = if held.is_empty() {
            let nothing = if closed {
                "Nothing: the page's memory went with the tab."
            } else {
                "Nothing yet: the app holds no token or session."
            };
            view! { <p data-testid=format!("storage-{slug}-reach")>{nothing}</p> }.into_any()
        } else {
            view! {
                <ul class="exposures" data-testid=format!("storage-{slug}-reach")>
                    {held
                        .iter()
                        .map(|held| {
                            view! {
                                <li class="exposure" data-place=held.place.label()>
                                    <strong>
                                        {format!(
                                            "{}, in {}",
                                            held.credential.label(),
                                            held.place.label(),
                                        )}
                                    </strong>
                                    {format!(": a script {}.", held.script.label())}
                                </li>
                            }
                        })
                        .collect_view()}
                </ul>
            }
            .into_any()
        };
        Some(view! {
            <p data-testid=format!("storage-{slug}-phase")>
                <strong>{phase(run, step)}</strong>
            </p>
            <p class="compare__summary" data-testid=format!("storage-{slug}-summary")>
                {summary}
            </p>
            <Explanation exchange testid="storage-explanation" />
            <h3>
                {if closed {
                    "What a script of the app's origin could still read"
                } else {
                    "What the page's JavaScript can reach"
                }}
            </h3>
            {reach}
        })
    };
    view! {
        <section
            class="compare__side panel"
            aria-labelledby=format!("storage-{slug}-title")
            data-testid=format!("storage-{slug}")
        >
            <h2 id=heading>{architecture.title()}</h2>
            <p>
                {architecture.summary()}
                {format!(
                    " (draft-ietf-oauth-browser-based-apps, section {}.)",
                    architecture.section(),
                )}
            </p>
            {stopped}
            <SequenceDiagram
                layout=Signal::stored(Some(layout))
                current=step
                step_millis=Signal::stored(STEP_MILLIS)
                on_select=Callback::new(move |step| stepper.go_to(step))
                region_label=region_label(architecture)
            />
            <div class="compare__now" aria-live="polite">
                {now}
            </div>
        </section>
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn run(architecture: Architecture) -> StorageRun {
        compare_storage(LAB_SEED)
            .into_iter()
            .find(|run| run.architecture == architecture)
            .expect("every architecture runs")
    }

    #[test]
    fn each_phase_starts_where_the_run_says() {
        let run = run(Architecture::LocalStorage);
        let first = run.script_from;
        assert_eq!(
            phase(&run, first - 1),
            "The app signs in and fetches the user's data"
        );
        assert_eq!(phase(&run, first), "The injected script runs in the page");
        assert_eq!(
            phase(&run, run.closed_at),
            "The tab is closed: the attacker, from its own machine"
        );
    }

    #[test]
    fn the_page_reaches_nothing_before_sign_in_and_only_storage_after_close() {
        let run = run(Architecture::LocalStorage);
        assert!(reach_at(&run, 0).is_empty());
        let after = reach_at(&run, run.closed_at);
        assert_eq!(after.len(), 2, "both tokens stay in localStorage");
        let memory = super::tests::run(Architecture::Memory);
        assert!(
            reach_at(&memory, memory.closed_at).is_empty(),
            "memory goes with the tab"
        );
        assert!(!reach_at(&memory, memory.closed_at - 1).is_empty());
    }
}
