//! The diagrams' zoom: one level for every diagram in the tab (Implicit vs
//! Code draws two, and they must stay comparable), kept in local storage so
//! a reload, or the next workshop on the same machine, keeps it.

use leptos::ev::KeyboardEvent;
use leptos::prelude::*;
use wasm_bindgen::JsValue;

use crate::browser::{Store, load_setting, save_setting};

const ZOOM_KEY: &str = "diagram.zoom";

/// Zoom levels in percent, a step apart.
const MIN: usize = 50;
const MAX: usize = 250;
const STEP: usize = 25;
pub const ACTUAL_SIZE: usize = 100;

/// A stored level, when it is one this control could have set.
pub fn parse_level(stored: &str) -> Option<usize> {
    let level = stored.trim().parse::<usize>().ok()?;
    ((MIN..=MAX).contains(&level) && level % STEP == 0).then_some(level)
}

pub fn zoomed_in(level: usize) -> usize {
    (level + STEP).min(MAX)
}

pub fn zoomed_out(level: usize) -> usize {
    level.saturating_sub(STEP).max(MIN)
}

/// The level as the stylesheet's `--zoom` factor: 125 becomes "1.25",
/// written with integers only (float formatting costs kilobytes of wasm).
pub fn css_factor(level: usize) -> String {
    format!("{}.{:02}", level / 100, level % 100)
}

/// What a key does to the zoom: `+` (or `=`, the same key unshifted) in,
/// `-` out, `0` back to actual size.
pub fn key_level(key: &str, level: usize) -> Option<usize> {
    match key {
        "+" | "=" => Some(zoomed_in(level)),
        "-" | "_" => Some(zoomed_out(level)),
        "0" => Some(ACTUAL_SIZE),
        _ => None,
    }
}

/// The tab's zoom level, in percent.
#[derive(Clone, Copy)]
pub struct Zoom(RwSignal<usize>);

thread_local! {
    // Every diagram the tab draws shares it, whichever screen is open, so
    // it belongs to no screen: a signal made while a screen draws would be
    // the screen's, and gone once the screen is left (the next visit's
    // diagram would then read a disposed signal, and the wasm panic). Its
    // owner is a root of its own, kept for the tab's life.
    static ZOOM: (Owner, Zoom) = {
        let stored = load_setting(Store::Local, ZOOM_KEY).and_then(|stored| parse_level(&stored));
        let make = || {
            let owner = Owner::new_root(None);
            (owner, Zoom(RwSignal::new(stored.unwrap_or(ACTUAL_SIZE))))
        };
        // `new_root` makes the new owner the current one; inside the
        // current owner's `with`, which puts that one back after.
        match Owner::current() {
            Some(current) => current.with(make),
            None => make(),
        }
    };
}

impl Zoom {
    pub fn shared() -> Self {
        ZOOM.with(|(_, zoom)| *zoom)
    }

    pub fn get(self) -> usize {
        self.0.get()
    }

    fn get_untracked(self) -> usize {
        self.0.get_untracked()
    }

    pub fn set(self, level: usize) {
        self.0.set(level);
        save_setting(Store::Local, ZOOM_KEY, Some(&level.to_string()));
    }

    /// Zooms as `event`'s key asks, if it asks.
    pub fn handle_key(self, event: &KeyboardEvent) {
        if modifier_held(event) {
            // Ctrl and + zooms the whole page: the browser's, not ours.
            return;
        }
        if let Some(level) = key_level(&event.key(), self.get_untracked()) {
            event.prevent_default();
            self.set(level);
        }
    }
}

/// Whether Ctrl, Meta or Alt is held. Read by name: web-sys's three
/// getters would each add an import to the bundle every page loads.
fn modifier_held(event: &KeyboardEvent) -> bool {
    ["ctrlKey", "metaKey", "altKey"].into_iter().any(|name| {
        js_sys::Reflect::get(event, &JsValue::from_str(name)).is_ok_and(|held| held.is_truthy())
    })
}

/// Zoom out, the level (a click goes back to actual size), zoom in.
#[component]
pub fn ZoomControl() -> impl IntoView {
    let zoom = Zoom::shared();
    view! {
        <div class="zoom" role="group" aria-label="Diagram zoom">
            <ZoomStep text="−" label="Zoom out (-)" testid="diagram-zoom-out" to=zoomed_out />
            <button
                type="button"
                class="button button--small zoom__level"
                aria-label=move || format!("{}%, back to actual size (0)", zoom.get())
                data-testid="diagram-zoom-level"
                on:click=move |_| zoom.set(ACTUAL_SIZE)
            >
                {move || format!("{}%", zoom.get())}
            </button>
            <ZoomStep text="+" label="Zoom in (+)" testid="diagram-zoom-in" to=zoomed_in />
        </div>
    }
}

/// A button that moves the zoom one step (`to`), disabled where that
/// step would change nothing.
#[component]
fn ZoomStep(
    text: &'static str,
    label: &'static str,
    testid: &'static str,
    to: fn(usize) -> usize,
) -> impl IntoView {
    let zoom = Zoom::shared();
    view! {
        <button
            type="button"
            class="button button--small"
            aria-label=label
            data-testid=testid
            disabled=move || to(zoom.get()) == zoom.get()
            on:click=move |_| zoom.set(to(zoom.get_untracked()))
        >
            {text}
        </button>
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn zoom_steps_by_a_quarter_and_stops_at_its_limits() {
        assert_eq!(zoomed_in(100), 125);
        assert_eq!(zoomed_out(100), 75);
        assert_eq!(zoomed_in(MAX), MAX);
        assert_eq!(zoomed_out(MIN), MIN);
    }

    #[test]
    fn only_a_level_the_control_could_set_is_read_back() {
        assert_eq!(parse_level("150"), Some(150));
        assert_eq!(parse_level(" 50 "), Some(50));
        for stored in ["", "abc", "0", "25", "275", "110", "-100", "1e2"] {
            assert_eq!(parse_level(stored), None, "{stored:?}");
        }
    }

    #[test]
    fn the_css_factor_is_the_level_as_a_decimal_number() {
        assert_eq!(css_factor(100), "1.00");
        assert_eq!(css_factor(125), "1.25");
        assert_eq!(css_factor(50), "0.50");
        assert_eq!(css_factor(250), "2.50");
    }

    #[test]
    fn plus_and_equals_zoom_in_minus_out_and_zero_resets() {
        assert_eq!(key_level("+", 100), Some(125));
        assert_eq!(key_level("=", 100), Some(125));
        assert_eq!(key_level("-", 100), Some(75));
        assert_eq!(key_level("_", 100), Some(75));
        assert_eq!(key_level("0", 200), Some(ACTUAL_SIZE));
        assert_eq!(key_level("PageDown", 100), None);
    }
}
