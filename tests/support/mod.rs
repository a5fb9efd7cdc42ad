//! Helpers for the browser tests: mount a view in a fresh element, and
//! drive it the way the browser does (events, not signal writes).
// Each test binary uses a different subset of these helpers.
#![allow(dead_code)]

use leptos::prelude::*;
use wasm_bindgen::JsCast;
use web_sys::{Element, HtmlElement};

/// Mounts `view` in a new `<section>` appended to the body, and returns the
/// section with the handle that keeps the view alive.
pub fn mount<V: IntoView + 'static>(view: impl FnOnce() -> V + 'static) -> (Element, impl Drop) {
    let section = document().create_element("section").unwrap();
    document().body().unwrap().append_child(&section).unwrap();
    let handle = leptos::mount::mount_to(section.clone().unchecked_into(), view);
    (section, handle)
}

pub fn find(root: &Element, testid: &str) -> HtmlElement {
    root.query_selector(&format!("[data-testid='{testid}']"))
        .unwrap()
        .unwrap_or_else(|| panic!("no element with data-testid={testid}"))
        .unchecked_into()
}

pub fn text(root: &Element, testid: &str) -> String {
    find(root, testid).text_content().unwrap_or_default()
}

/// Types `value` into an input or textarea: sets it and fires `input`.
pub fn type_into(element: &HtmlElement, value: &str) {
    if let Some(area) = element.dyn_ref::<web_sys::HtmlTextAreaElement>() {
        area.set_value(value);
    } else {
        element
            .unchecked_ref::<web_sys::HtmlInputElement>()
            .set_value(value);
    }
    let init = web_sys::EventInit::new();
    init.set_bubbles(true);
    let event = web_sys::Event::new_with_event_init_dict("input", &init).unwrap();
    element.dispatch_event(&event).unwrap();
}

/// A fresh tab: nothing in `sessionStorage`.
pub fn clear_session() {
    window()
        .session_storage()
        .unwrap()
        .unwrap()
        .clear()
        .unwrap();
}

/// Lets the reactive system update the DOM.
pub async fn settle() {
    leptos::task::tick().await;
}
