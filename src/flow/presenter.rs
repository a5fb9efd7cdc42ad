//! Presenter view, for a projector: large type, high contrast, nothing but
//! the diagram, the narration and the step counter. The player's keys work
//! from anywhere on the page, so a presentation clicker (which sends Page
//! Up and Page Down) steps through the flow, as do the diagram's zoom keys
//! (`+`, `-`, `0`); Escape leaves. In a talk (`crate::talk`) the player's
//! keys work so in both windows.

use leptos::ev;
use leptos::prelude::*;

use super::controls::handle_key;
use super::use_flow_state;
use super::zoom::Zoom;
use crate::components::session_text;
use crate::talk::Talk;

/// Where the tab remembers the view, so a reload keeps it.
const PRESENTING_KEY: &str = "flow.presenting";

/// Whether the Flow screen is in presenter view.
#[derive(Clone, Copy)]
pub struct Presenting(RwSignal<String>);

impl Presenting {
    pub fn new() -> Self {
        Self(session_text(PRESENTING_KEY, String::new))
    }

    pub fn get(self) -> bool {
        self.0.with(|value| value == "yes")
    }

    fn get_untracked(self) -> bool {
        self.0.with_untracked(|value| value == "yes")
    }

    fn set(self, on: bool) {
        self.0.set(if on { "yes".into() } else { String::new() });
    }
}

/// The button that enters and leaves presenter view, and the page-wide
/// keys while it is on or the window is in a talk.
#[component]
pub fn PresenterToggle(presenting: Presenting, talk: Talk) -> impl IntoView {
    let state = use_flow_state();
    let keys = window_event_listener(ev::keydown, move |event| {
        let on = presenting.get_untracked();
        // The audience window is presenter view, whatever the tab keeps.
        let shown_as_presenter = on || talk.is_audience();
        if !(shown_as_presenter || talk.is_on()) || event.default_prevented() {
            return;
        }
        if on && event.key() == "Escape" {
            presenting.set(false);
            return;
        }
        // The diagram's zoom keys, from anywhere on the page too; not in
        // the instructor's window, where `+` may be typed in a form.
        if shown_as_presenter {
            Zoom::shared().handle_key(&event);
        }
        if !event.default_prevented() {
            handle_key(&event, state);
        }
    });
    on_cleanup(move || keys.remove());
    view! {
        <button
            type="button"
            class="button presenter-toggle"
            data-testid="flow-presenter"
            aria-pressed=move || presenting.get().to_string()
            on:click=move |_| presenting.set(!presenting.get_untracked())
        >
            {move || {
                if presenting.get() { "Leave presenter view (Esc)" } else { "Presenter view" }
            }}
        </button>
    }
}
