//! The app shell in headless Chromium: theme switch, panic screen.
#![cfg(target_arch = "wasm32")]

mod support;

use leptos::prelude::*;
use oauth_playground::panic_screen;
use oauth_playground::theme::ThemeSwitch;
use support::mount;
use wasm_bindgen::JsCast;
use wasm_bindgen_test::*;

wasm_bindgen_test_configure!(run_in_browser);

fn theme_attribute() -> Option<String> {
    document()
        .document_element()
        .unwrap()
        .get_attribute("data-theme")
}

fn radio(root: &web_sys::Element, label: &str) -> web_sys::HtmlElement {
    root.query_selector(&format!("input[value='{label}']"))
        .unwrap()
        .unwrap()
        .unchecked_into()
}

fn stored_theme() -> Option<String> {
    let storage = window().local_storage().unwrap().unwrap();
    storage.get_item("theme").unwrap()
}

#[wasm_bindgen_test]
async fn theme_switch_pins_a_theme_and_system_follows_the_os_again() {
    let (root, _handle) = mount(|| view! { <ThemeSwitch /> });
    radio(&root, "Dark").click();
    support::settle().await;
    assert_eq!(theme_attribute().as_deref(), Some("dark"));
    assert_eq!(stored_theme().as_deref(), Some("dark"));

    radio(&root, "Light").click();
    support::settle().await;
    assert_eq!(theme_attribute().as_deref(), Some("light"));

    radio(&root, "System").click();
    support::settle().await;
    assert_eq!(theme_attribute(), None);
    assert_eq!(stored_theme(), None);
}

#[wasm_bindgen_test]
fn panic_screen_shows_the_message_as_text_with_a_reload_button() {
    let container = document().create_element("div").unwrap();
    document().body().unwrap().append_child(&container).unwrap();
    container.set_inner_html("<p>the app</p>");
    panic_screen::render_into(
        &container,
        "index out of bounds <img src=x onerror=alert(1)>",
    );
    // The app's content is gone, replaced by the screen.
    assert_eq!(container.children().length(), 1);
    let screen = document()
        .get_element_by_id(panic_screen::SCREEN_ID)
        .unwrap();
    assert_eq!(screen.get_attribute("role").as_deref(), Some("alert"));
    assert!(
        screen
            .text_content()
            .unwrap()
            .contains("The playground stopped")
    );
    // The message is shown as text, never parsed as markup.
    assert!(screen.query_selector("img").unwrap().is_none());
    let pre = screen.query_selector("pre").unwrap().unwrap();
    assert_eq!(
        pre.text_content().unwrap(),
        "index out of bounds <img src=x onerror=alert(1)>"
    );
    let reload = screen
        .query_selector("[data-testid='panic-reload']")
        .unwrap()
        .unwrap();
    assert_eq!(
        reload.get_attribute("onclick").as_deref(),
        Some("location.reload()")
    );
    assert_eq!(document().active_element().unwrap(), reload);
}

#[wasm_bindgen_test]
fn a_chunk_that_could_not_be_fetched_is_named_as_such_not_as_an_internal_error() {
    let container = document().create_element("div").unwrap();
    document().body().unwrap().append_child(&container).unwrap();
    panic_screen::render_into(
        &container,
        "panicked at wasm_split_helpers/src/lib.rs:1:1:\nload callback should succeed: SplitLoaderError",
    );
    let text = container.text_content().unwrap();
    assert!(
        text.contains("This screen could not be downloaded"),
        "{text}"
    );
    assert!(text.contains("you may be offline"), "{text}");
    assert!(!text.contains("internal error"), "{text}");
    container.remove();
}
