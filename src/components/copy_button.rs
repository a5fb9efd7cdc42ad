use std::time::Duration;

use leptos::prelude::*;
use leptos::task::spawn_local;

use crate::browser::copy_to_clipboard;

#[derive(Debug, Clone, PartialEq, Eq)]
enum CopyStatus {
    Idle,
    Copied,
    Failed,
}

/// A "Copy" button for `text`, with a status that screen readers announce.
/// `what` names the value for the accessible label ("Copy code_verifier").
#[component]
pub fn CopyButton(
    #[prop(into)] text: Signal<Option<String>>,
    what: &'static str,
    #[prop(optional, into)] testid: String,
) -> impl IntoView {
    let status = RwSignal::new(CopyStatus::Idle);
    let copy = move |_| {
        let Some(value) = text.get_untracked() else {
            return;
        };
        spawn_local(async move {
            let outcome = match copy_to_clipboard(&value).await {
                Ok(()) => CopyStatus::Copied,
                Err(_) => CopyStatus::Failed,
            };
            status.set(outcome.clone());
            if outcome == CopyStatus::Copied {
                set_timeout(move || status.set(CopyStatus::Idle), Duration::from_secs(2));
            }
        });
    };
    view! {
        <span class="copy">
            <button
                type="button"
                class="button button--small"
                data-testid=testid
                aria-label=format!("Copy {what}")
                disabled=move || text.with(Option::is_none)
                on:click=copy
            >
                "Copy"
            </button>
            <span class="copy__status" role="status">
                {move || match status.get() {
                    CopyStatus::Idle => "",
                    CopyStatus::Copied => "Copied",
                    CopyStatus::Failed => {
                        "The browser blocked the clipboard: select the text and press Ctrl+C"
                    }
                }}
            </span>
        </span>
    }
}
