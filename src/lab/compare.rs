//! Implicit vs Code: the same login run twice, side by side and stepped
//! together, with where each credential is exposed as it happens and a
//! verdict table read from the two runs.

use std::sync::Arc;

use leptos::prelude::*;
use oauth_engine::sim::compare::{Cell, Comparison, Side, compare};
use oauth_engine::sim::flow::Flow;
use oauth_engine::sim::trace::browser_at;

use super::stepped::{SteppedScreen, linked_stepper, stepped_screen};
use super::stepper::Stepper;
use super::{LAB_SEED, STEP_MILLIS};
use crate::components::drawn;
use crate::flow::diagram::SequenceDiagram;
use crate::flow::layout::{COMPACT_LANE_GAP, Layout};
use crate::flow::narration::{Explanation, exchange_summary};

/// What Implicit vs Code says about itself.
const SCREEN: SteppedScreen = SteppedScreen {
    heading_id: "compare-title",
    title: "Implicit vs Authorization Code + PKCE",
    lead: "The same sign-in, run twice: on the left the implicit grant \
           (response_type=token), on the right the authorization code grant with PKCE. Step \
           both together and watch where the access token can be read: the address bar, the \
           history, a Referer, any script on the page, a server's log.",
    controls: "compare-steps",
    label: "Step both runs",
    keys: "Keys: ← → step both runs, Home and End jump to the first and last step.",
};

#[component]
pub fn CompareScreen() -> impl IntoView {
    let comparison = Arc::new(compare(LAB_SEED));
    let longest = comparison
        .implicit
        .run
        .trace
        .len()
        .max(comparison.code.run.trace.len());
    let stepper = linked_stepper(longest);
    let runs = drawn(move || {
        view! {
            <div class="compare__sides">
                <SideView comparison=Arc::clone(&comparison) pick=|c| &c.implicit id="implicit" stepper />
                <SideView comparison=Arc::clone(&comparison) pick=|c| &c.code id="code" stepper />
            </div>
            <Verdicts comparison />
        }
    });
    stepped_screen(&SCREEN, stepper, runs)
}

/// One run, the one `pick` takes from the comparison (shared, not copied):
/// its diagram, the step, the address bar, and where each credential is
/// exposed so far.
#[component]
fn SideView(
    comparison: Arc<Comparison>,
    pick: fn(&Comparison) -> &Side,
    id: &'static str,
    stepper: Stepper,
) -> impl IntoView {
    let side = pick(&comparison);
    let len = side.run.trace.len();
    // Each side stays on its last step once the other runs longer.
    let step = Signal::derive(move || stepper.current().min(len.saturating_sub(1)));
    let layout = Layout::with_lane_gap(&side.run.trace, Flow::AuthorizationCode, COMPACT_LANE_GAP);
    let heading = format!("compare-{id}-title");
    let current = {
        let comparison = Arc::clone(&comparison);
        move || {
            let side = pick(&comparison);
            let step = step.get();
            let exchange = side.run.trace.get(step)?.clone();
            let summary = exchange_summary(&exchange, step, len, Flow::AuthorizationCode);
            let address = browser_at(&side.run.trace, step)
                .address
                .map(|url| url.to_string())
                .unwrap_or_else(|| "(no page yet)".into());
            let exposures = side.exposures_at(step);
            Some(view! {
                <p class="compare__summary" data-testid=format!("compare-{id}-summary")>
                    {summary}
                </p>
                <Explanation exchange testid="compare-explanation" />
                <p class="compare__address">
                    <span class="compare__address-label">"Address bar"</span>
                    <code data-testid=format!("compare-{id}-address")>{address}</code>
                </p>
                <h3>"Exposed so far"</h3>
                {if exposures.is_empty() {
                    view! {
                        <p data-testid=format!("compare-{id}-exposures")>
                            "Nothing yet: no credential has been issued."
                        </p>
                    }
                        .into_any()
                } else {
                    view! {
                        <ul class="exposures" data-testid=format!("compare-{id}-exposures")>
                            {exposures
                                .into_iter()
                                .map(|exposure| {
                                    view! {
                                        <li
                                            class="exposure"
                                            data-credential=exposure.credential.label()
                                            data-place=exposure.place.label()
                                        >
                                            <strong>
                                                {format!(
                                                    "{} in the {}",
                                                    exposure.credential.label(),
                                                    exposure.place.label().to_lowercase(),
                                                )}
                                            </strong>
                                            <span class="exposure__step">
                                                {format!(" (since step {})", exposure.step + 1)}
                                            </span>
                                            <br />
                                            {exposure.detail}
                                        </li>
                                    }
                                })
                                .collect_view()}
                        </ul>
                    }
                        .into_any()
                }}
            })
        }
    };
    view! {
        <section
            class="compare__side panel"
            aria-labelledby=format!("compare-{id}-title")
            data-testid=format!("compare-{id}")
        >
            <h2 id=heading>{side.title}</h2>
            <SequenceDiagram
                layout=Signal::stored(Some(layout))
                current=step
                step_millis=Signal::stored(STEP_MILLIS)
                on_select=Callback::new(move |step| stepper.go_to(step))
                region_label=if id == "implicit" {
                    "Implicit grant: sequence diagram, scrollable"
                } else {
                    "Authorization code with PKCE: sequence diagram, scrollable"
                }
            />
            <div class="compare__now" aria-live="polite">
                {current}
            </div>
        </section>
    }
}

/// The verdict table: every row read from the two runs.
#[component]
fn Verdicts(comparison: Arc<Comparison>) -> impl IntoView {
    view! {
        <section class="panel compare__verdicts" aria-labelledby="verdicts-heading">
            <h2 id="verdicts-heading">"Verdict"</h2>
            <div class="table-scroll" tabindex="0" role="region" aria-label="Verdict table">
                <table class="verdicts" data-testid="compare-verdicts">
                    <caption>"What each run exposed, read from the runs above"</caption>
                    <thead>
                        <tr>
                            <th scope="col">"Question"</th>
                            <th scope="col">{comparison.implicit.title}</th>
                            <th scope="col">{comparison.code.title}</th>
                        </tr>
                    </thead>
                    <tbody>
                        {comparison
                            .verdicts
                            .iter()
                            .map(|verdict| {
                                view! {
                                    <tr data-row=verdict.row.label()>
                                        <th scope="row">{verdict.row.label()}</th>
                                        {cell_view(&verdict.implicit, "implicit")}
                                        {cell_view(&verdict.code, "code")}
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

pub(super) fn cell_view(cell: &Cell, side: &'static str) -> impl IntoView + use<> {
    let (mark, meaning) = if cell.good {
        ("✓", "Safe: ")
    } else {
        ("✗", "Unsafe: ")
    };
    view! {
        <td
            class="verdict"
            class:verdict--good=cell.good
            class:verdict--bad=!cell.good
            data-side=side
            data-good=cell.good.to_string()
        >
            <span class="verdict__mark" aria-hidden="true">
                {mark}
            </span>
            <span class="visually-hidden">{meaning}</span>
            {cell.text.clone()}
        </td>
    }
}
