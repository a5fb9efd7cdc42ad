//! Light and dark theme. By default the page follows the OS
//! (`prefers-color-scheme`); the switch overrides it and is remembered.
//!
//! The CSS reads `<html data-theme="light|dark">`; without the attribute it
//! follows the OS. An inline script in index.html applies the stored choice
//! before first paint, so a reload never flashes the other theme.

use leptos::prelude::*;

use crate::browser::{Store, load_setting, save_setting};

const STORAGE_KEY: &str = "theme";

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ThemeChoice {
    System,
    Light,
    Dark,
}

impl ThemeChoice {
    pub const ALL: [Self; 3] = [Self::System, Self::Light, Self::Dark];

    /// The value stored and written to `data-theme`; `None` follows the OS.
    pub fn attribute(self) -> Option<&'static str> {
        match self {
            Self::System => None,
            Self::Light => Some("light"),
            Self::Dark => Some("dark"),
        }
    }

    pub fn from_attribute(value: Option<&str>) -> Self {
        match value {
            Some("light") => Self::Light,
            Some("dark") => Self::Dark,
            _ => Self::System,
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            Self::System => "System",
            Self::Light => "Light",
            Self::Dark => "Dark",
        }
    }
}

pub fn stored_choice() -> ThemeChoice {
    ThemeChoice::from_attribute(load_setting(Store::Local, STORAGE_KEY).as_deref())
}

/// Writes the choice to `<html data-theme>`.
pub fn apply(choice: ThemeChoice) {
    let Some(root) = web_sys::window()
        .and_then(|window| window.document())
        .and_then(|document| document.document_element())
    else {
        return;
    };
    // Setting an attribute on <html> cannot fail for a valid name.
    let _ = match choice.attribute() {
        Some(value) => root.set_attribute("data-theme", value),
        None => root.remove_attribute("data-theme"),
    };
}

/// Three radio buttons: System, Light, Dark.
#[component]
pub fn ThemeSwitch() -> impl IntoView {
    let choice = RwSignal::new(stored_choice());
    let choose = move |next: ThemeChoice| {
        choice.set(next);
        apply(next);
        save_setting(Store::Local, STORAGE_KEY, next.attribute());
    };
    view! {
        <fieldset class="theme-switch" data-testid="theme-switch">
            <legend class="visually-hidden">"Colour theme"</legend>
            {ThemeChoice::ALL
                .into_iter()
                .map(|option| {
                    view! {
                        <label class="theme-switch__option">
                            <input
                                type="radio"
                                name="theme"
                                value=option.label()
                                prop:checked=move || choice.get() == option
                                on:change=move |_| choose(option)
                            />
                            <span>{option.label()}</span>
                        </label>
                    }
                })
                .collect_view()}
        </fieldset>
    }
}

#[cfg(test)]
mod tests {
    use super::ThemeChoice;

    #[test]
    fn every_choice_round_trips_through_its_stored_value() {
        for choice in ThemeChoice::ALL {
            assert_eq!(ThemeChoice::from_attribute(choice.attribute()), choice);
        }
    }

    #[test]
    fn an_unknown_stored_value_follows_the_os() {
        assert_eq!(
            ThemeChoice::from_attribute(Some("sepia")),
            ThemeChoice::System
        );
    }
}
