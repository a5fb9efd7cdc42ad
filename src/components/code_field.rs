use leptos::prelude::*;

/// A labelled textarea for a protocol value (a verifier, a challenge, a
/// token): monospace, no spellcheck or autocorrect, and a message below it
/// that `aria-describedby` ties to the field. The message shows as an error
/// while `invalid`, otherwise as a confirmation. `data-testid`s: `id` for
/// the field, `{id}-message` for the message. `children` go beside the
/// message (a copy button, say).
#[component]
pub fn CodeField(
    id: &'static str,
    label: &'static str,
    #[prop(optional)] hint: &'static str,
    value: RwSignal<String>,
    #[prop(into)] invalid: Signal<bool>,
    #[prop(into)] message: Signal<String>,
    #[prop(optional)] children: Option<Children>,
) -> impl IntoView {
    let message_id = format!("{id}-message");
    view! {
        <div class="field">
            <label for=id>
                <code>{label}</code>
                {hint}
            </label>
            <textarea
                id=id
                data-testid=id
                class="mono"
                rows="2"
                spellcheck="false"
                autocomplete="off"
                autocapitalize="off"
                prop:value=move || value.get()
                on:input=move |event| value.set(event_target_value(&event))
                aria-invalid=move || invalid.get().to_string()
                aria-describedby=message_id.clone()
            ></textarea>
            <div class="field__footer">
                <p
                    id=message_id.clone()
                    data-testid=message_id
                    class="field-message"
                    class:field-message--error=move || invalid.get()
                    class:field-message--ok=move || !invalid.get()
                >
                    {move || message.get()}
                </p>
                {children.map(|children| children())}
            </div>
        </div>
    }
}
