//! The agent's settings panel, in the Flow screen's shape and with its
//! controls (`components::form`).

use leptos::prelude::*;
use oauth_engine::sim::agent::AgentScenario;

use super::edit;
use super::fields::{
    Check, DOWNSTREAM_ID, DOWNSTREAM_OPTIONS, REGISTRATION, SAFEGUARDS, ScopeField, USER,
    downstream_from, downstream_value,
};
use crate::components::{CheckBox, ChoiceBox, SettingsHead, TextBox, text_memo};

/// The settings panel, in the Flow screen's shape.
pub(super) fn agent_settings(settings: RwSignal<AgentScenario>) -> impl IntoView {
    let checks = |checks: &'static [Check]| {
        checks
            .iter()
            .map(|check| {
                view! {
                    <CheckBox
                        id=check.id
                        label=check.label
                        checked=Box::new(move || settings.with(check.get))
                        on_change=Box::new(move |on| edit(settings, |s| (check.set)(s, on)))
                    />
                }
            })
            .collect_view()
    };
    let scope = |field: ScopeField| {
        view! {
            <TextBox
                id=field.id()
                label=field.label()
                value=Box::new(move || settings.with(|s| field.text(s).to_owned()))
                on_input=Box::new(move |text| edit(settings, |s| *field.text_mut(s) = text))
                problem=text_memo(Box::new(move || settings.with(|s| field.problem(s))))
            />
        }
    };
    view! {
        <section class="settings panel" aria-labelledby="agent-settings-heading">
            <SettingsHead
                heading_id="agent-settings-heading"
                name="agent"
                tweaked=Box::new(move || settings.with(|s| *s != AgentScenario::default()))
                reset=Box::new(move |()| edit(settings, |s| *s = AgentScenario::default()))
                errors=Box::new(move || {
                    settings.with(|s| ScopeField::ALL.iter().filter(|f| f.problem(s).is_some()).count())
                })
            />
            <div class="settings__groups">
                <fieldset class="settings__group">
                    <legend>"How the agent gets a client ID (first that applies)"</legend>
                    {checks(&REGISTRATION)}
                </fieldset>
                <fieldset class="settings__group">
                    <legend>"Tools"</legend>
                    {scope(ScopeField::First)}
                    {scope(ScopeField::Second)}
                    <ChoiceBox
                        id=DOWNSTREAM_ID
                        label="When a tool runs, the tool server"
                        options=&DOWNSTREAM_OPTIONS
                        chosen=Box::new(move || settings.with(|s| downstream_value(s.downstream).to_owned()))
                        on_change=Box::new(move |value: String| {
                            if let Some(downstream) = downstream_from(&value) {
                                edit(settings, |s| s.downstream = downstream);
                            }
                        })
                    />
                </fieldset>
                <fieldset class="settings__group">
                    <legend>"Safeguards"</legend>
                    {checks(&SAFEGUARDS)}
                </fieldset>
                <fieldset class="settings__group">
                    <legend>"User"</legend>
                    {checks(&USER)}
                </fieldset>
            </div>
        </section>
    }
}
