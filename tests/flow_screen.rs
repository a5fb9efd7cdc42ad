//! The Flow screen mounted in headless Chromium: the default flow on the
//! diagram, stepping, a field's message, a flow without a browser, and
//! share links.
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
    assert_eq!(text(&root, "flow-step-counter"), "Step 1 of 8");
    assert_eq!(count(&root, ".diagram__step"), 16); // the preflight and its answer among them
    assert_eq!(count(&root, "[data-testid=diagram-lane]"), 4);
    assert!(text(&root, "flow-step-summary").starts_with("Step 1 of 8: User and browser to"));
    assert!(input_value(&root, "flow-address-bar").starts_with("https://as.example/authorize?"));
}

#[wasm_bindgen_test]
async fn stepping_forward_moves_the_narration_the_browser_and_the_url() {
    fresh_tab();
    let (root, _handle) = mount(flow_screen);
    settle().await;
    find(&root, "flow-forward").click();
    settle().await;
    assert_eq!(text(&root, "flow-step-counter"), "Step 2 of 8");
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
    assert_eq!(text(&root, "flow-step-counter"), "Step 1 of 8");
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

/// Puts `query` in the address bar, as if the page were opened with it.
fn open_with(query: &str) {
    let path = window().location().pathname().unwrap();
    window()
        .history()
        .unwrap()
        .replace_state_with_url(
            &wasm_bindgen::JsValue::NULL,
            "",
            Some(&format!("{path}{query}")),
        )
        .unwrap();
}

fn session(key: &str) -> Option<String> {
    window()
        .session_storage()
        .unwrap()
        .unwrap()
        .get_item(key)
        .unwrap()
}

#[wasm_bindgen_test]
async fn a_share_link_sets_the_screen_up_and_names_what_it_left_out() {
    fresh_tab();
    open_with("?flow=web-app&step=5&seed=42&start=1767225600&scope=read&pkce_method=xyz");
    let (root, _handle) = mount(flow_screen);
    settle().await;
    assert_eq!(input_value(&root, "flow-scope"), "read");
    assert_eq!(text(&root, "flow-step-counter"), "Step 5 of 7");
    assert!(text(&root, "flow-share-intro").contains("seed (42)"));
    assert_eq!(session("flow.seed").as_deref(), Some("42"));
    assert_eq!(session("flow.start").as_deref(), Some("1767225600"));
    assert_eq!(
        text(&root, "flow-link-note"),
        "The link's 'pkce_method=xyz' was not understood and was left out.Dismiss"
    );
    // Applied once: the address bar goes back to the flow and step, and the
    // tab's storage holds the rest.
    assert_eq!(
        window().location().search().unwrap(),
        "?flow=web-app&step=5"
    );
    // In a link's words (`share::stored_form`).
    assert_eq!(session("flow.form.web-app").as_deref(), Some("scope=read"));
    assert!(
        input_value(&root, "flow-share-link")
            .ends_with("?flow=web-app&step=5&seed=42&start=1767225600&scope=read")
    );
    assert!(!find(&root, "flow-link-note").hidden());
    find(&root, "flow-link-note-dismiss").click();
    settle().await;
    assert!(find(&root, "flow-link-note").hidden());
}

#[wasm_bindgen_test]
async fn the_share_link_leaves_a_typed_secret_out_until_asked() {
    fresh_tab();
    let (root, _handle) = mount(flow_screen);
    settle().await;
    find(&root, "flow-preset-web-app").click();
    settle().await;
    type_into(&find(&root, "flow-client-secret"), "typed-secret");
    settle().await;
    let link = input_value(&root, "flow-share-link");
    assert!(link.contains("?flow=web-app&step=1&seed="), "{link}");
    assert!(!link.contains("typed-secret"), "{link}");
    let note = text(&root, "flow-share-secrets-note");
    assert!(note.contains("client_secret the client sends"), "{note}");

    find(&root, "flow-share-secrets").click();
    settle().await;
    let link = input_value(&root, "flow-share-link");
    assert!(link.ends_with("&client_secret=typed-secret"), "{link}");
    let note = find(&root, "flow-share-secrets-note");
    assert!(note.text_content().unwrap().contains("reveals the secrets"));
    assert!(note.class_name().contains("callout--warning"));
}

#[wasm_bindgen_test]
async fn a_form_with_a_wrong_field_offers_no_link() {
    fresh_tab();
    let (root, _handle) = mount(flow_screen);
    settle().await;
    type_into(&find(&root, "flow-redirect-uri"), "/callback");
    settle().await;
    assert!(text(&root, "flow-redirect-uri-message").contains("absolute URL"));
    // The link field follows a tick after the field's message.
    settle().await;
    assert_eq!(
        input_value(&root, "flow-share-link"),
        "Fix the fields marked in the form first."
    );
    assert!(find(&root, "flow-share-copy").has_attribute("disabled"));
}
