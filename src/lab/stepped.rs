//! The frame of a screen whose runs step together, Implicit vs Code and
//! Where tokens live: its heading and lead, the step controls and their
//! keys, and the step kept in the address.

use leptos::prelude::*;

use super::attacks::LabLink;
use super::stepper::{StepControls, Stepper};
use crate::browser::{current_query, replace_query};
use crate::components::effect;

/// What a screen of runs stepped together says about itself.
pub struct SteppedScreen {
    /// The heading's id, which names the screen.
    pub heading_id: &'static str,
    pub title: &'static str,
    pub lead: &'static str,
    /// The step controls' test id and accessible name.
    pub controls: &'static str,
    pub label: &'static str,
    /// What the keys do.
    pub keys: &'static str,
}

/// A stepper over `longest` steps that opens at the address's `?step=4`
/// (counted from 1) and keeps the step there, so a reload keeps it and a
/// link shares it.
pub fn linked_stepper(longest: usize) -> Stepper {
    let link = LabLink::parse(&current_query());
    let stepper = Stepper::new(link.step.unwrap_or(0), Signal::stored(longest));
    effect(Box::new(move || {
        replace_query(&format!("?step={}", stepper.current() + 1))
    }));
    stepper
}

/// `screen`'s frame around its `runs`: the arrow keys step them anywhere
/// on the screen.
pub fn stepped_screen(
    screen: &'static SteppedScreen,
    stepper: Stepper,
    runs: AnyView,
) -> impl IntoView {
    view! {
        <article
            class="compare"
            aria-labelledby=screen.heading_id
            on:keydown=move |event| stepper.handle_key(&event)
        >
            <header class="screen-header">
                <h1 id=screen.heading_id>{screen.title}</h1>
                <p class="screen-header__lead">{screen.lead}</p>
            </header>
            <div class="compare__controls panel">
                <StepControls stepper testid=screen.controls label=screen.label />
                <p class="player__keys">{screen.keys}</p>
            </div>
            {runs}
        </article>
    }
}
