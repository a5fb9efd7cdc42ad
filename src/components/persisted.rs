use leptos::prelude::*;

use super::effect;

use crate::browser::{Store, load_setting, save_setting};

/// A text signal kept in `sessionStorage` under `key`, so that what the user
/// typed survives a reload of the tab. Starts from `initial()` when nothing
/// is stored.
pub fn session_text(key: &'static str, initial: impl FnOnce() -> String) -> RwSignal<String> {
    let signal = RwSignal::new(load_setting(Store::Session, key).unwrap_or_else(initial));
    effect(Box::new(move || {
        signal.with(|value| save_setting(Store::Session, key, Some(value)))
    }));
    signal
}
