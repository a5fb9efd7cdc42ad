//! A panic aborts the wasm module and would leave a page that no longer
//! answers. The hook replaces the page with a readable error and a reload
//! button that works without wasm.

use std::panic::PanicHookInfo;

pub const SCREEN_ID: &str = "panic-screen";

/// What wasm-split's loader panics with when a lazily loaded chunk cannot
/// be fetched: Leptos's `#[lazy_route]` and `#[lazy]` do not ask it for
/// the variant that returns an error instead. It happens when a screen is
/// first opened without a network before the service worker has cached
/// the app.
const CHUNK_NOT_FETCHED: &str = "load callback should succeed";

/// The screen's heading and explanation for a panic `message`.
fn texts(message: &str) -> (&'static str, &'static str) {
    if message.contains(CHUNK_NOT_FETCHED) {
        (
            "This screen could not be downloaded",
            "Each screen's code is downloaded the first time it is opened, and this time \
             the network did not answer: you may be offline. Nothing was sent anywhere. \
             Reload when the connection is back; after one complete visit the playground \
             works offline.",
        )
    } else {
        (
            "The playground stopped",
            "An internal error stopped the app. Nothing was sent anywhere. \
             Reload the page to start again.",
        )
    }
}

pub fn install() {
    std::panic::set_hook(Box::new(|info: &PanicHookInfo<'_>| {
        // "panicked at src/file.rs:12:5:\n<message>"
        let message = info.to_string();
        web_sys::console::error_1(&format!("OAuth Playground crashed: {message}").into());
        show(&message);
    }));
}

/// Replaces the page with the error screen.
pub fn show(message: &str) {
    if let Some(body) = web_sys::window()
        .and_then(|window| window.document())
        .and_then(|document| document.body())
    {
        render_into(&body, message);
    }
}

/// Replaces the content of `container` with the error screen. Built with
/// plain DOM calls, since after a panic nothing in the app can be trusted to
/// run again.
pub fn render_into(container: &web_sys::Element, message: &str) {
    let Some(document) = container.owner_document() else {
        return;
    };
    let build = || -> Result<web_sys::Element, wasm_bindgen::JsValue> {
        let screen = document.create_element("main")?;
        screen.set_id(SCREEN_ID);
        screen.set_class_name("panic-screen");
        screen.set_attribute("role", "alert")?;

        let (title, why) = texts(message);
        let heading = document.create_element("h1")?;
        heading.set_text_content(Some(title));
        let explanation = document.create_element("p")?;
        explanation.set_text_content(Some(why));
        let reload = document.create_element("button")?;
        reload.set_attribute("type", "button")?;
        reload.set_attribute("data-testid", "panic-reload")?;
        // An inline handler, because the wasm module may no longer run.
        reload.set_attribute("onclick", "location.reload()")?;
        reload.set_text_content(Some("Reload"));
        let details = document.create_element("details")?;
        let summary = document.create_element("summary")?;
        summary.set_text_content(Some("Technical details"));
        let code = document.create_element("pre")?;
        // Text, never markup: the message may echo user input.
        code.set_text_content(Some(message));
        details.append_child(&summary)?;
        details.append_child(&code)?;

        for child in [&heading, &explanation, &reload, &details] {
            screen.append_child(child)?;
        }
        Ok(screen)
    };
    if let Ok(screen) = build() {
        container.set_text_content(None);
        let _ = container.append_child(&screen);
        if let Some(button) = screen.query_selector("button").ok().flatten() {
            let _ = wasm_bindgen::JsCast::unchecked_ref::<web_sys::HtmlElement>(&button).focus();
        }
    }
}
