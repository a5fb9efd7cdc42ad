//! What a settings panel is made of: a yes/no box, a text box with the
//! reason its text cannot be used, a drop-down, and the panel's head (its
//! reset button and status line). The Flow screen's settings
//! (`flow::settings`) and the agent's (`flow::agent`) both draw theirs
//! with these; each screen keeps its own state and says how to read and
//! change it.

use leptos::prelude::*;

use super::drawn;

/// How a control reads what it shows (a tracked read, so it follows).
/// Boxed rather than a `Signal`: each `Signal<T>` compiles its machinery
/// for each `T`, and these controls are on the Flow screen's first
/// download (3 KB more there with `Signal` and `Callback`, measured).
pub type Getter<T> = Box<dyn Fn() -> T + Send + Sync>;
/// What a control does with what the learner entered.
pub type Setter<T> = Box<dyn Fn(T) + Send + Sync>;

/// A checkbox with its label beside it. `data-testid` is `id`.
#[component]
pub fn CheckBox(
    id: &'static str,
    label: &'static str,
    checked: Getter<bool>,
    on_change: Setter<bool>,
) -> impl IntoView {
    view! {
        <div class="check">
            <input
                type="checkbox"
                id=id
                data-testid=id
                prop:checked=checked
                on:change=move |event| on_change(event_target_checked(&event))
            />
            <label for=id>{label}</label>
        </div>
    }
}

/// What a text box holds, which decides how it is typed.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub enum TextShape {
    /// A protocol value on one line, in monospace.
    #[default]
    Code,
    /// Protocol values one per line, in monospace.
    Lines,
    /// A number of seconds (a numeric keypad on phones).
    Seconds,
}

/// A labelled text box, and below it why its text cannot be used, when it
/// cannot (`aria-invalid`, and the message tied by `aria-describedby`).
/// `data-testid`s: `id` for the box, `{id}-message` for the message.
#[component]
pub fn TextBox(
    id: &'static str,
    label: &'static str,
    #[prop(optional)] shape: TextShape,
    value: Getter<String>,
    on_input: Setter<String>,
    problem: Memo<Option<String>>,
) -> impl IntoView {
    let message_id = format!("{id}-message");
    let described = message_id.clone();
    let invalid = move || problem.with(Option::is_some).to_string();
    let input = if shape == TextShape::Lines {
        drawn(move || {
            view! {
                <textarea
                    id=id
                    data-testid=id
                    class="mono"
                    rows="2"
                    spellcheck="false"
                    prop:value=value
                    on:input=move |event| on_input(event_target_value(&event))
                    aria-invalid=invalid
                    aria-describedby=described
                ></textarea>
            }
        })
    } else {
        let seconds = shape == TextShape::Seconds;
        drawn(move || {
            view! {
                <input
                    id=id
                    data-testid=id
                    class:mono=!seconds
                    type="text"
                    inputmode=seconds.then_some("numeric")
                    spellcheck="false"
                    autocomplete="off"
                    prop:value=value
                    on:input=move |event| on_input(event_target_value(&event))
                    aria-invalid=invalid
                    aria-describedby=described
                />
            }
        })
    };
    view! {
        <div class="field">
            <label for=id>{label}</label>
            {input}
            <p
                id=message_id.clone()
                data-testid=message_id
                class="field-message field-message--error"
                hidden=move || problem.with(Option::is_none)
            >
                {move || problem.get()}
            </p>
        </div>
    }
}

/// A labelled drop-down of `options` (each its value and its label), the
/// `chosen` value selected. `data-testid` is `id`.
#[component]
pub fn ChoiceBox(
    id: &'static str,
    label: &'static str,
    options: &'static [(&'static str, &'static str)],
    chosen: Getter<String>,
    on_change: Setter<String>,
) -> impl IntoView {
    // Each option asks whether it is the chosen one.
    let chosen = std::sync::Arc::new(chosen);
    view! {
        <div class="field">
            <label for=id>{label}</label>
            <select
                id=id
                data-testid=id
                on:change=move |event| on_change(event_target_value(&event))
            >
                {options
                    .iter()
                    .map(|&(value, label)| {
                        let chosen = chosen.clone();
                        view! {
                            <option value=value selected=move || chosen() == value>
                                {label}
                            </option>
                        }
                    })
                    .collect_view()}
            </select>
        </div>
    }
}

/// The head of a settings panel: its heading, a button putting every
/// setting back, and a status line that says whether the diagram follows
/// the settings or shows the last run they allowed. `data-testid`s:
/// `{name}-reset` and `{name}-settings-status`.
#[component]
pub fn SettingsHead(
    /// The heading's `id`, which the panel's `aria-labelledby` names.
    heading_id: &'static str,
    name: &'static str,
    tweaked: Getter<bool>,
    reset: Setter<()>,
    /// How many fields cannot be used as they are.
    errors: Getter<usize>,
) -> impl IntoView {
    view! {
        <div class="settings__head">
            <h2 id=heading_id>"Change the scenario"</h2>
            <button
                type="button"
                class="button button--small"
                data-testid=format!("{name}-reset")
                disabled=move || !tweaked()
                on:click=move |_| reset(())
            >
                "Reset this flow"
            </button>
        </div>
        <p class="settings__status" data-testid=format!("{name}-settings-status") role="status">
            {move || match errors() {
                0 => "Every change re-runs the flow at once.".to_owned(),
                1 => "One field needs fixing; the diagram shows the last valid run.".to_owned(),
                n => format!("{n} fields need fixing; the diagram shows the last valid run."),
            }}
        </p>
    }
}
