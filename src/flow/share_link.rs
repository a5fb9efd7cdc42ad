//! "Share this scenario": a link that opens the run on screen for anyone,
//! same step and same bytes; and the note a link's unusable parameters
//! leave.

use leptos::prelude::*;
use wasm_bindgen::JsCast;

use super::model::TextField;
use super::use_flow_state;
use crate::components::CopyButton;

/// This page's address without its query or fragment: the share link's
/// base (it keeps the sub-path the app is hosted under).
fn page_address() -> String {
    let Some(location) = web_sys::window().map(|window| window.location()) else {
        return String::new();
    };
    let origin = location.origin().unwrap_or_default();
    let path = location.pathname().unwrap_or_default();
    format!("{origin}{path}")
}

/// Beside the checkbox once it is ticked.
const SECRETS_WARNING: &str = "The link now reveals the secrets and the password you typed, in \
     plain text, to anyone who gets it, and they stay in browser history and wherever the link \
     is pasted. Include them only if they are made up.";

#[component]
pub fn ShareScenario() -> impl IntoView {
    let state = use_flow_state();
    let include_secrets = RwSignal::new(false);
    let page = page_address();
    // A link opens what the form says; while a field is wrong the diagram
    // shows an older run, which the link could not reproduce.
    let link = Memo::new(move |_| {
        let include = include_secrets.get();
        state
            .checked
            .with(Result::is_ok)
            .then(|| format!("{page}?{}", state.shared().to_query(include)))
    });
    // The warning once secrets are in; else which changed secrets are out.
    let about_secrets = move || {
        if include_secrets.get() {
            return SECRETS_WARNING.to_owned();
        }
        let changed = state.shared().changed_secrets();
        if changed.is_empty() {
            return String::new();
        }
        let names: Vec<&str> = changed.into_iter().map(TextField::label).collect();
        format!(
            "Left out of this link, though you changed them: {}. The link's run uses this \
             flow's own values instead, so its steps and tokens may differ from yours.",
            names.join("; ")
        )
    };
    let intro = format!(
        "A link that opens this flow at this step, with your changes. It carries this tab's \
         seed ({}) and start time, so whoever opens it sees the same codes, tokens and \
         signatures, byte for byte: same tokens for everyone.",
        state.seed
    );
    view! {
        <div class="exports__item share" data-testid="flow-share">
            <h3>"Share this scenario"</h3>
            <p class="muted" data-testid="flow-share-intro">{intro}</p>
            <div class="field">
                <label for="flow-share-link">"Link to this scenario"</label>
                <div class="share__link">
                    <input
                        id="flow-share-link"
                        data-testid="flow-share-link"
                        type="text"
                        class="mono"
                        readonly
                        prop:value=move || {
                            link.get().unwrap_or_else(|| "Fix the fields marked in the form first.".into())
                        }
                    />
                    <CopyButton text=link what="the link to this scenario" testid="flow-share-copy" />
                </div>
            </div>
            <div class="check">
                // The box is the only writer of its state: no prop:checked.
                <input
                    type="checkbox"
                    id="flow-share-secrets"
                    data-testid="flow-share-secrets"
                    on:change=move |event| include_secrets.set(event_target_checked(&event))
                    aria-describedby="flow-share-secrets-help flow-share-secrets-note"
                />
                <label for="flow-share-secrets">"Include the secrets I typed"</label>
            </div>
            <p id="flow-share-secrets-help" class="muted">
                "The client secrets and the user's password. Without them, whoever opens the \
                 link gets this flow's own values; if you changed one, their run, tokens \
                 included, may differ from yours."
            </p>
            <p
                id="flow-share-secrets-note"
                data-testid="flow-share-secrets-note"
                class=move || {
                    if include_secrets.get() { "callout callout--warning" } else { "muted" }
                }
            >
                {about_secrets}
            </p>
        </div>
    }
}

/// Says which of the link's parameters were left out, until dismissed.
/// Hidden, not removed, when there is nothing to say.
#[component]
pub fn LinkNote(note: RwSignal<Option<String>>) -> impl IntoView {
    let dismiss = move |_| {
        note.set(None);
        // The button goes with the note: keep the keyboard focus on the
        // screen rather than losing it to the page's start.
        if let Some(heading) = document()
            .get_element_by_id("flow-title")
            .and_then(|element| element.dyn_into::<web_sys::HtmlElement>().ok())
        {
            let _ = heading.focus();
        }
    };
    view! {
        <div
            class="callout callout--warning flow__link-note"
            role="note"
            data-testid="flow-link-note"
            hidden=move || note.with(Option::is_none)
        >
            <p>{move || note.get()}</p>
            <button
                type="button"
                class="button button--small"
                data-testid="flow-link-note-dismiss"
                on:click=dismiss
            >
                "Dismiss"
            </button>
        </div>
    }
}
