//! The Flow screen mounted in headless Chromium: the default flow on the
//! diagram, stepping, a field's message, and a flow without a browser.
#![cfg(target_arch = "wasm32")]

mod support;

use leptos::prelude::*;
use leptos_router::components::Router;
use oauth_playground::components::AppBase;
use oauth_playground::flow::FlowScreen;
use support::{clear_session, find, mount, settle, text, type_into};
use wasm_bindgen::JsCast;
use wasm_bindgen_test::*;

wasm_bindgen_test_configure!(run_in_browser);

/// A fresh tab: no stored forms, no flow or step in the address bar.
fn fresh_tab() {
    clear_session();
    let path = window().location().pathname().unwrap();
    window()
        .history()
        .unwrap()
        .replace_state_with_url(&wasm_bindgen::JsValue::NULL, "", Some(&path))
        .unwrap();
}

/// The screen as the app mounts it: inside the router, with the app's base
/// path (its links need both).
fn flow_screen() -> impl IntoView {
    provide_context(AppBase(String::new()));
    view! {
        <Router>
            <FlowScreen />
        </Router>
    }
}

fn count(root: &web_sys::Element, selector: &str) -> u32 {
    root.query_selector_all(selector).unwrap().length()
}

fn input_value(root: &web_sys::Element, testid: &str) -> String {
    find(root, testid)
        .unchecked_into::<web_sys::HtmlInputElement>()
        .value()
}

#[wasm_bindgen_test]
async fn the_single_page_app_flow_is_drawn_with_two_arrows_per_message() {
    fresh_tab();
    let (root, _handle) = mount(flow_screen);
    settle().await;
    assert_eq!(text(&root, "flow-step-counter"), "Step 1 of 7");
    assert_eq!(count(&root, ".diagram__step"), 14);
    assert_eq!(count(&root, "[data-testid=diagram-lane]"), 4);
    assert!(text(&root, "flow-step-summary").starts_with("Step 1 of 7: User and browser to"));
    assert!(input_value(&root, "flow-address-bar").starts_with("https://as.example/authorize?"));
}

#[wasm_bindgen_test]
async fn stepping_forward_moves_the_narration_the_browser_and_the_url() {
    fresh_tab();
    let (root, _handle) = mount(flow_screen);
    settle().await;
    find(&root, "flow-forward").click();
    settle().await;
    assert_eq!(text(&root, "flow-step-counter"), "Step 2 of 7");
    assert!(text(&root, "flow-step-summary").contains("POST /login"));
    assert_eq!(
        input_value(&root, "flow-address-bar"),
        "https://as.example/login"
    );
    let search = window().location().search().unwrap();
    assert_eq!(search, "?flow=spa&step=2");
}

#[wasm_bindgen_test]
async fn an_invalid_scope_gets_its_message_and_keeps_the_last_valid_run() {
    fresh_tab();
    let (root, _handle) = mount(flow_screen);
    settle().await;
    type_into(&find(&root, "flow-scope"), "read \\write");
    settle().await;
    assert!(text(&root, "flow-scope-message").contains("RFC 6749 section 3.3"));
    assert_eq!(input_value(&root, "flow-scope"), "read \\write");
    assert_eq!(text(&root, "flow-step-counter"), "Step 1 of 7");
    type_into(&find(&root, "flow-scope"), "read");
    settle().await;
    assert!(text(&root, "flow-scope-message").is_empty());
}

#[wasm_bindgen_test]
async fn client_credentials_has_no_browser_and_three_messages() {
    fresh_tab();
    let (root, _handle) = mount(flow_screen);
    settle().await;
    find(&root, "flow-preset-client-credentials").click();
    settle().await;
    assert_eq!(text(&root, "flow-step-counter"), "Step 1 of 3");
    assert!(text(&root, "flow-no-browser").contains("No browser"));
    assert!(text(&root, "flow-when-to-use").contains("on its own behalf"));
    // Step 1 returns an access token: decoded, with its debugger link.
    assert!(text(&root, "flow-jwts").contains("Open in the JWT debugger"));
}
