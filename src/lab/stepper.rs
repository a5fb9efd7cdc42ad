//! Stepping through a finished trace by hand: the lab screens' controls
//! and keys (the Flow screen's keys, without playback).

use leptos::ev::KeyboardEvent;
use leptos::prelude::*;

use crate::flow::controls::{KeyAction, claim_key};

/// The step shown, out of `len`.
#[derive(Clone, Copy)]
pub struct Stepper {
    pub step: RwSignal<usize>,
    pub len: Signal<usize>,
}

impl Stepper {
    pub fn new(initial: usize, len: Signal<usize>) -> Self {
        Self {
            step: RwSignal::new(initial),
            len,
        }
    }

    /// The step shown, clamped to the trace: a run that got shorter (a
    /// defence switched on) never leaves the screen past its end.
    pub fn current(self) -> usize {
        self.step.get().min(self.len.get().saturating_sub(1))
    }

    pub fn go_to(self, step: usize) {
        self.step
            .set(step.min(self.len.get_untracked().saturating_sub(1)));
    }

    pub fn forward(self) {
        self.go_to(self.step.get_untracked().saturating_add(1));
    }

    pub fn back(self) {
        let step = self
            .step
            .get_untracked()
            .min(self.len.get_untracked().saturating_sub(1));
        self.go_to(step.saturating_sub(1));
    }

    pub fn at_end(self) -> bool {
        self.current() + 1 >= self.len.get()
    }

    /// The player's keys: arrows and Page Up/Down step, Home and End jump.
    pub fn handle_key(self, event: &KeyboardEvent) {
        match claim_key(event) {
            Some(KeyAction::Forward) => self.forward(),
            Some(KeyAction::Back) => self.back(),
            Some(KeyAction::First) => self.go_to(0),
            Some(KeyAction::Last) => self.go_to(usize::MAX),
            // Nothing plays here: the steps are read side by side.
            Some(KeyAction::PlayPause) | None => {}
        }
    }
}

/// Restart, Back, Step, End and a "Step n of m" counter.
#[component]
pub fn StepControls(stepper: Stepper, testid: &'static str, label: &'static str) -> impl IntoView {
    view! {
        <div class="controls" role="group" aria-label=label data-testid=testid>
            <button
                type="button"
                class="button"
                data-testid=format!("{testid}-restart")
                on:click=move |_| stepper.go_to(0)
            >
                "Restart"
            </button>
            <button
                type="button"
                class="button"
                data-testid=format!("{testid}-back")
                disabled=move || stepper.current() == 0
                on:click=move |_| stepper.back()
            >
                "◀ Back"
            </button>
            <button
                type="button"
                class="button button--primary"
                data-testid=format!("{testid}-forward")
                disabled=move || stepper.at_end()
                on:click=move |_| stepper.forward()
            >
                "Step ▶"
            </button>
            <button
                type="button"
                class="button"
                data-testid=format!("{testid}-end")
                disabled=move || stepper.at_end()
                on:click=move |_| stepper.go_to(usize::MAX)
            >
                "Last step"
            </button>
            <span class="controls__counter" data-testid=format!("{testid}-counter") aria-live="polite">
                {move || format!("Step {} of {}", stepper.current() + 1, stepper.len.get())}
            </span>
        </div>
    }
}
