//! The lab screens: Implicit vs Code side by side, and the attack lab.
//! Both draw engine runs with the Flow screen's diagram.

pub mod attacks;
pub mod compare;
mod stepper;

/// The lab's runs are seeded: the same page shows the same codes and
/// tokens to everyone in a room, and a link reproduces them.
pub const LAB_SEED: u64 = 1;

/// How long the packet takes over one exchange when a step is shown.
const STEP_MILLIS: u64 = 700;

/// The page's query, `?` included (empty when there is none).
fn current_query() -> String {
    web_sys::window()
        .and_then(|window| window.location().search().ok())
        .unwrap_or_default()
}

/// Puts `query` in the address bar without a navigation, so a copied link
/// opens the same view and stepping does not fill the history.
fn replace_query(query: &str) {
    let Some(window) = web_sys::window() else {
        return;
    };
    let path = window.location().pathname().unwrap_or_default();
    if let Ok(history) = window.history() {
        let url = format!("{path}{query}");
        let _ = history.replace_state_with_url(&wasm_bindgen::JsValue::NULL, "", Some(&url));
    }
}
