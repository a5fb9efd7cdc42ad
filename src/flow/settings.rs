//! The flow picker and the forms: every parameter a learner wants to
//! change, a message beside any field that cannot be used, and one-click
//! ways down each error path.

use leptos::prelude::*;

use crate::components::{CheckBox, ChoiceBox, SettingsHead, Shown, TextBox, TextShape, text_memo};
use oauth_engine::sim::flow::Flow;

use super::model::{Breakage, CheckField, ChoiceField, Preset, TextField, preset_is_confidential};
use super::use_flow_state;

#[component]
pub fn FlowPicker() -> impl IntoView {
    let state = use_flow_state();
    view! {
        <fieldset class="flow-picker" data-testid="flow-picker">
            <legend>"Flow"</legend>
            <div class="flow-picker__options">
                {Preset::ALL
                    .into_iter()
                    .map(|preset| {
                        let id = format!("flow-preset-{}", preset.slug());
                        view! {
                            <div
                                class="flow-picker__option"
                                class:flow-picker__option--selected=move || state.preset.get() == preset
                            >
                                <input
                                    type="radio"
                                    name="flow-preset"
                                    id=id.clone()
                                    data-testid=id.clone()
                                    prop:checked=move || state.preset.get() == preset
                                    on:change=move |_| state.choose(preset)
                                />
                                <label for=id>{preset.title()}</label>
                            </div>
                        }
                    })
                    .collect_view()}
            </div>
            <p class="flow-picker__when" data-testid="flow-when-to-use">
                <strong>"When to use it: "</strong>
                {move || state.preset.get().when_to_use()}
            </p>
        </fieldset>
    }
}

#[component]
fn TextSetting(field: TextField, #[prop(optional)] multiline: bool) -> impl IntoView {
    let state = use_flow_state();
    let problem = text_memo(Box::new(move || {
        state.checked.with(|checked| {
            checked
                .as_ref()
                .err()
                .and_then(|e| e.get(field))
                .map(str::to_owned)
        })
    }));
    let shape = if multiline {
        TextShape::Lines
    } else if field.is_seconds() {
        TextShape::Seconds
    } else {
        TextShape::Code
    };
    view! {
        <TextBox
            id=field.id()
            label=field.label()
            shape
            value=Box::new(move || state.form.with(|form| form.text(field).to_owned()))
            on_input=Box::new(move |text| {
                state.edit(|form| {
                    form.texts.insert(field, text);
                })
            })
            problem
        />
    }
}

#[component]
fn CheckSetting(field: CheckField) -> impl IntoView {
    let state = use_flow_state();
    view! {
        <CheckBox
            id=field.id()
            label=field.label()
            checked=Box::new(move || state.form.with(|form| form.check(field)))
            on_change=Box::new(move |checked| {
                state.edit(|form| {
                    form.checks.insert(field, checked);
                })
            })
        />
    }
}

#[component]
fn ChoiceSetting(field: ChoiceField) -> impl IntoView {
    let state = use_flow_state();
    view! {
        <ChoiceBox
            id=field.id()
            label=field.label()
            options=field.options()
            chosen=Box::new(move || state.form.with(|form| form.choice(field).to_owned()))
            on_change=Box::new(move |value| {
                state.edit(|form| {
                    form.choices.insert(field, value);
                })
            })
        />
    }
}

#[component]
pub fn Settings() -> impl IntoView {
    let state = use_flow_state();
    let flow = Memo::new(move |_| state.preset.get().flow());
    let code = move || flow.get() == Flow::AuthorizationCode;
    let device = move || flow.get() == Flow::Device;
    let user = move || flow.get() != Flow::ClientCredentials;
    let confidential = move || preset_is_confidential(state.preset.get());
    // private_key_jwt: the client signs an assertion, so neither side
    // holds a secret (RFC 7523 section 2.2).
    let with_secret = move || {
        confidential()
            && state
                .form
                .with(|form| form.choice(ChoiceField::AuthMethod) != "private_key_jwt")
    };
    // A public client of the code flow may be an app in the page, whose
    // requests to the servers are cross-origin fetches.
    let browser_app = move || code() && !confidential();
    let in_browser = move || state.form.with(|form| form.check(CheckField::InBrowser));
    // DPoP in every flow but the device grant, whose simulated device
    // keeps to bearer tokens.
    let dpop = move || !device();
    let error_count = move || {
        state
            .checked
            .with(|checked| checked.as_ref().err().map_or(0, |errors| errors.len()))
    };
    view! {
        // The agent's flow has settings of its own (`super::agent`).
        <section
            class="settings panel"
            aria-labelledby="settings-heading"
            hidden=move || flow.get() == Flow::Agent
        >
            <SettingsHead
                heading_id="settings-heading"
                name="flow"
                tweaked=Box::new(move || state.is_tweaked())
                reset=Box::new(move |()| state.reset())
                errors=Box::new(error_count)
            />
            <BreakIt />
            <div class="settings__groups">
                <fieldset class="settings__group">
                    <legend>"Client"</legend>
                    <TextSetting field=TextField::ClientId />
                    <Shown when=confidential>
                        <ChoiceSetting field=ChoiceField::AuthMethod />
                    </Shown>
                    <Shown when=with_secret>
                        <TextSetting field=TextField::ClientSecret />
                    </Shown>
                    <Shown when=code>
                        <TextSetting field=TextField::RedirectUri />
                    </Shown>
                    <TextSetting field=TextField::Scope />
                    <Shown when=code>
                        <CheckSetting field=CheckField::SendState />
                        <CheckSetting field=CheckField::UsePkce />
                        <ChoiceSetting field=ChoiceField::PkceMethod />
                        <CheckSetting field=CheckField::UsePar />
                    </Shown>
                    <Shown when=dpop>
                        <CheckSetting field=CheckField::Dpop />
                    </Shown>
                    <Shown when=code>
                        <CheckSetting field=CheckField::SignOut />
                    </Shown>
                </fieldset>
                <fieldset class="settings__group">
                    <legend>"Authorization server"</legend>
                    <Shown when=with_secret>
                        <TextSetting field=TextField::RegisteredSecret />
                    </Shown>
                    <Shown when=code>
                        <TextSetting field=TextField::RegisteredRedirectUris multiline=true />
                    </Shown>
                    <TextSetting field=TextField::RegisteredScope />
                    <Shown when=code>
                        <ChoiceSetting field=ChoiceField::ServerPkce />
                        <CheckSetting field=CheckField::RequirePar />
                        <TextSetting field=TextField::CodeLifetime />
                    </Shown>
                    <Shown when=dpop>
                        <CheckSetting field=CheckField::RequireDpop />
                        <CheckSetting field=CheckField::DpopNonce />
                    </Shown>
                    <CheckSetting field=CheckField::OpaqueTokens />
                    <TextSetting field=TextField::AccessTokenLifetime />
                    <Shown when=user>
                        <TextSetting field=TextField::RefreshTokenLifetime />
                        <CheckSetting field=CheckField::RotateRefreshTokens />
                    </Shown>
                </fieldset>
                <Shown when=browser_app>
                    <fieldset class="settings__group">
                        <legend>"Cross-origin requests (CORS)"</legend>
                        <CheckSetting field=CheckField::InBrowser />
                        <Shown when=in_browser>
                            <TextSetting field=TextField::ServerAllowedOrigins multiline=true />
                            <TextSetting field=TextField::ApiAllowedOrigins multiline=true />
                        </Shown>
                    </fieldset>
                </Shown>
                <Shown when=user>
                    <fieldset class="settings__group">
                        <legend>"User"</legend>
                        <TextSetting field=TextField::Username />
                        <TextSetting field=TextField::Password />
                        <CheckSetting field=CheckField::Approve />
                    </fieldset>
                </Shown>
                <fieldset class="settings__group">
                    <legend>"Time and mishaps"</legend>
                    <Shown when=code>
                        <TextSetting field=TextField::WaitBeforeTokenRequest />
                    </Shown>
                    <TextSetting field=TextField::WaitBetweenApiCalls />
                    <CheckSetting field=CheckField::ProactiveRefresh />
                    <Shown when=device>
                        <TextSetting field=TextField::DeviceUserDelay />
                        <TextSetting field=TextField::DevicePollEvery />
                    </Shown>
                    <Shown when=code>
                        <CheckSetting field=CheckField::ReloadCallback />
                        <CheckSetting field=CheckField::VerifierLost />
                    </Shown>
                </fieldset>
            </div>
        </section>
    }
}

/// One button per error path of the current flow.
#[component]
fn BreakIt() -> impl IntoView {
    let state = use_flow_state();
    view! {
        <details class="break-it" data-testid="flow-break-it">
            <summary>"Try an error path"</summary>
            <p>
                "Each button changes one setting above; the flow re-runs and the diagram shows \
                 where it fails. \"Reset this flow\" undoes them."
            </p>
            <ul class="break-it__list">
                {move || {
                    let preset = state.preset.get();
                    Breakage::ALL
                        .into_iter()
                        .filter(|breakage| breakage.applies_to(preset))
                        .map(|breakage| {
                            view! {
                                <li>
                                    <button
                                        type="button"
                                        class="button button--small"
                                        data-testid=format!("flow-break-{breakage:?}")
                                        on:click=move |_| {
                                            state.edit(|form| breakage.apply(form));
                                            state.playing.set(false);
                                            state.go_to(usize::MAX);
                                        }
                                    >
                                        {breakage.label()}
                                    </button>
                                    <span class="break-it__expect">"→ " {breakage.expected()}</span>
                                </li>
                            }
                        })
                        .collect_view()
                }}
            </ul>
        </details>
    }
}
