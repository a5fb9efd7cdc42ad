//! The player: the diagram with play/pause, step, scrubber, speed and
//! restart, and the keyboard keys that drive them.

use leptos::ev::KeyboardEvent;
use leptos::prelude::*;
use wasm_bindgen::JsCast;

use super::diagram::Diagram;
use super::{FlowState, Speed, use_flow_state};

/// What a key does on the player, if anything. Keys typed into a form
/// control belong to it: the scrubber steps with its own arrows, and a
/// button activates with Space.
pub fn key_action(key: &str, target_tag: &str) -> Option<KeyAction> {
    if matches!(target_tag, "INPUT" | "TEXTAREA" | "SELECT") {
        return None;
    }
    match key {
        "ArrowRight" | "PageDown" => Some(KeyAction::Forward),
        "ArrowLeft" | "PageUp" => Some(KeyAction::Back),
        "Home" => Some(KeyAction::First),
        "End" => Some(KeyAction::Last),
        " " if target_tag != "BUTTON" => Some(KeyAction::PlayPause),
        _ => None,
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum KeyAction {
    Forward,
    Back,
    First,
    Last,
    PlayPause,
}

impl KeyAction {
    fn apply(self, state: FlowState) {
        if self != Self::PlayPause {
            state.playing.set(false);
        }
        match self {
            Self::Forward => state.forward(),
            Self::Back => state.back(),
            Self::First => state.go_to(0),
            Self::Last => state.go_to(usize::MAX),
            Self::PlayPause => state.toggle_play(),
        }
    }
}

/// Does what `event`'s key does on the player, if anything, and then keeps
/// the browser from doing it too (scrolling, say).
pub fn handle_key(event: &KeyboardEvent, state: FlowState) {
    if let Some(action) = claim_key(event) {
        action.apply(state);
    }
}

/// The player action `event`'s key asks for, if any; the browser's own
/// action for that key (scrolling, say) is then cancelled. Every screen
/// that steps through a trace reads its keys with this.
pub fn claim_key(event: &KeyboardEvent) -> Option<KeyAction> {
    let action = event_key_action(event)?;
    event.prevent_default();
    Some(action)
}

/// What `event`'s key does on the player, if anything, where it was typed.
pub fn event_key_action(event: &KeyboardEvent) -> Option<KeyAction> {
    let tag = event
        .target()
        .and_then(|target| target.dyn_into::<web_sys::Element>().ok())
        .map(|element| element.tag_name())
        .unwrap_or_default();
    key_action(&event.key(), &tag)
}

#[component]
pub fn Player() -> impl IntoView {
    let state = use_flow_state();

    // While playing, move on one step per tick; stop at the end.
    Effect::new(move |previous: Option<Option<TimeoutHandle>>| {
        if let Some(Some(handle)) = previous {
            handle.clear();
        }
        if !state.playing.get() {
            return None;
        }
        state.step.track();
        let delay = std::time::Duration::from_millis(state.speed.get().step_millis());
        set_timeout_with_handle(
            move || {
                if state.at_end() {
                    state.playing.set(false);
                } else {
                    state.forward();
                }
            },
            delay,
        )
        .ok()
    });

    view! {
        <section
            class="player panel"
            aria-labelledby="player-heading"
            aria-describedby="player-keys"
            on:keydown=move |event| handle_key(&event, state)
        >
            <h2 id="player-heading" class="visually-hidden">
                "Sequence diagram and playback"
            </h2>
            <Diagram />
            <Controls />
            <p id="player-keys" class="player__keys">
                "Keys: ← → step, Space plays or pauses, Home and End jump to the first and last step."
            </p>
        </section>
    }
}

#[component]
fn Controls() -> impl IntoView {
    let state = use_flow_state();
    let len = Memo::new(move |_| state.step_count());
    let stop_then = move |action: fn(&FlowState)| {
        move |_| {
            state.playing.set(false);
            action(&state);
        }
    };
    view! {
        <div class="controls" role="group" aria-label="Playback">
            <button
                type="button"
                class="button"
                data-testid="flow-restart"
                on:click=stop_then(|state| state.go_to(0))
            >
                "Restart"
            </button>
            <button
                type="button"
                class="button"
                data-testid="flow-back"
                disabled=move || state.current() == 0
                on:click=stop_then(FlowState::back)
            >
                "◀ Back"
            </button>
            <button
                type="button"
                class="button button--primary controls__play"
                data-testid="flow-play"
                aria-pressed=move || state.playing.get().to_string()
                on:click=move |_| state.toggle_play()
            >
                {move || if state.playing.get() { "Pause" } else { "Play" }}
            </button>
            <button
                type="button"
                class="button"
                data-testid="flow-forward"
                disabled=move || state.at_end()
                on:click=stop_then(FlowState::forward)
            >
                "Step ▶"
            </button>
            <label class="controls__scrubber">
                <span class="visually-hidden">"Step"</span>
                <input
                    type="range"
                    data-testid="flow-scrubber"
                    min="1"
                    max=move || len.get().max(1)
                    prop:value=move || state.current() + 1
                    aria-valuetext=move || format!("Step {} of {}", state.current() + 1, len.get())
                    on:input=move |event| {
                        state.playing.set(false);
                        let step = event_target_value(&event).parse::<usize>().unwrap_or(1);
                        state.go_to(step.saturating_sub(1));
                    }
                />
            </label>
            <span class="controls__counter" data-testid="flow-step-counter">
                {move || format!("Step {} of {}", state.current() + 1, len.get())}
            </span>
            <label class="controls__speed">
                "Speed "
                <select
                    data-testid="flow-speed"
                    on:change=move |event| {
                        let value = event_target_value(&event);
                        if let Some(speed) = Speed::ALL.into_iter().find(|s| s.value() == value) {
                            state.speed.set(speed);
                        }
                    }
                >
                    {Speed::ALL
                        .into_iter()
                        .map(|speed| {
                            view! {
                                <option
                                    value=speed.value()
                                    selected=move || state.speed.get() == speed
                                >
                                    {speed.label()}
                                </option>
                            }
                        })
                        .collect_view()}
                </select>
            </label>
        </div>
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn arrows_home_end_and_space_drive_the_player_outside_form_controls() {
        assert_eq!(key_action("ArrowRight", "DIV"), Some(KeyAction::Forward));
        assert_eq!(key_action("ArrowLeft", "BUTTON"), Some(KeyAction::Back));
        assert_eq!(key_action("PageDown", "SECTION"), Some(KeyAction::Forward));
        assert_eq!(key_action("Home", "svg"), Some(KeyAction::First));
        assert_eq!(key_action("End", "DIV"), Some(KeyAction::Last));
        assert_eq!(key_action(" ", "DIV"), Some(KeyAction::PlayPause));
    }

    #[test]
    fn keys_typed_into_fields_and_space_on_a_button_are_left_alone() {
        assert_eq!(key_action("ArrowRight", "INPUT"), None);
        assert_eq!(key_action("Home", "TEXTAREA"), None);
        assert_eq!(key_action(" ", "SELECT"), None);
        assert_eq!(key_action(" ", "BUTTON"), None);
        assert_eq!(key_action("a", "DIV"), None);
    }
}
