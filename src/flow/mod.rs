//! The Flow screen: pick a flow, tweak it, and watch every message of the
//! run on a sequence diagram, step by step.

pub mod agent;
mod audience;
mod browser_window;
pub mod controls;
pub mod diagram;
mod export;
mod fields;
mod handout;
mod inspector;
pub mod layout;
pub mod model;
pub mod narration;
mod presenter;
mod settings;
pub mod share;
mod share_link;
mod zoom;

use std::sync::Arc;

use crate::components::{bool_memo, effect};
use leptos::prelude::*;
use oauth_engine::clock::UnixTime;
use oauth_engine::es256::Es256;
use oauth_engine::jose::SigningKey;
use oauth_engine::keys::demo_signing_key;
use oauth_engine::rng::{Rng, SeededRng};
use oauth_engine::sim::deployed;
use oauth_engine::sim::flow::Flow;
use oauth_engine::sim::network::Support;
use oauth_engine::sim::page_fetch;
use oauth_engine::sim::run::PageMaker;
use oauth_engine::sim::scenario::Scenario;
use oauth_engine::sim::trace::Exchange;

use self::fields::FieldValues;
use self::model::{FieldErrors, FlowForm, Preset};
use self::share::{Opened, Shared, stored_form};
use crate::browser::{
    BrowserRng, Store, current_query, load_setting, replace_query, save_setting, set_title,
};
use crate::deployed::{LOADING_ES256, es256_when};
use crate::talk::open_audience_window;

/// A finished run, as the screen shows it.
#[derive(Debug, Clone, PartialEq)]
pub struct Played {
    /// What the screen reads of the scenario played; not the scenario
    /// itself, which a run would otherwise copy.
    pub flow: Flow,
    pub sign_out: bool,
    pub start_time: u64,
    pub trace: Arc<[Exchange]>,
    /// Why the flow stopped early, if it did.
    pub stopped: Option<String>,
    pub end_time: UnixTime,
}

impl Played {
    pub fn flow(&self) -> Flow {
        self.flow
    }

    pub fn len(&self) -> usize {
        self.trace.len()
    }

    pub fn is_empty(&self) -> bool {
        self.trace.is_empty()
    }

    /// The exchange at `step`, clamped to the run.
    pub fn exchange(&self, step: usize) -> Option<&Exchange> {
        self.trace.get(step.min(self.len().saturating_sub(1)))
    }
}

/// Runs `scenario` with the simulated server's key, and with `support`
/// when it uses DPoP, PAR, `private_key_jwt`, introspection or revocation.
pub fn play(scenario: Scenario, key: &SigningKey, support: Option<Support>) -> Played {
    play_given(scenario, key, support, Some(page_fetch::page))
}

/// [`play`], with `page` for a client in the page (CORS) only if given:
/// the lessons, which run their flows without it, leave its code out of
/// the lab's chunk.
pub fn play_given(
    scenario: Scenario,
    key: &SigningKey,
    support: Option<Support>,
    page: Option<PageMaker>,
) -> Played {
    let mut rng = SeededRng::new(scenario.seed);
    let run = scenario.run_given(key.clone(), &mut rng, support, page, &mut |_| {});
    Played {
        flow: scenario.flow,
        sign_out: scenario.sign_out,
        start_time: scenario.start_time,
        trace: run.trace.into(),
        stopped: run.stopped,
        end_time: run.end_time,
    }
}

/// How fast playback goes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Speed {
    Half,
    Normal,
    Double,
    Quadruple,
}

impl Speed {
    pub const ALL: [Speed; 4] = [Self::Half, Self::Normal, Self::Double, Self::Quadruple];

    pub fn label(self) -> &'static str {
        match self {
            Self::Half => "0.5×",
            Self::Normal => "1×",
            Self::Double => "2×",
            Self::Quadruple => "4×",
        }
    }

    pub fn value(self) -> &'static str {
        match self {
            Self::Half => "0.5",
            Self::Normal => "1",
            Self::Double => "2",
            Self::Quadruple => "4",
        }
    }

    /// Milliseconds each step stays on screen while playing.
    pub fn step_millis(self) -> u64 {
        match self {
            Self::Half => 3200,
            Self::Normal => 1600,
            Self::Double => 800,
            Self::Quadruple => 400,
        }
    }
}

/// The screen's state, shared with its panels through context.
#[derive(Clone, Copy)]
pub struct FlowState {
    pub preset: RwSignal<Preset>,
    /// Each flow's form as the user left it, kept for the tab's lifetime;
    /// `None`: as the flow comes.
    forms: RwSignal<Forms>,
    pub form: Memo<FlowForm>,
    pub checked: Memo<Result<Scenario, FieldErrors>>,
    /// The run of the last valid form: while a field is wrong, the diagram
    /// keeps showing what the previous values did.
    pub played: Memo<Result<Played, String>>,
    /// The selected step, from 0.
    pub step: RwSignal<usize>,
    pub playing: RwSignal<bool>,
    pub speed: RwSignal<Speed>,
    /// The P-256 functions, once a flow has needed them.
    pub es256: ReadSignal<Option<Es256>>,
    /// The agent's run and settings, once the agent's flow was picked.
    pub agent: ReadSignal<Option<agent::AgentFlow>>,
    /// The tab's seed and simulated start time: every run uses them.
    pub seed: u64,
    pub start_time: u64,
}

type Forms = FieldValues<Preset, Option<FlowForm>, { Preset::ALL.len() }>;

/// Where the tab keeps `preset`'s form (`share::stored_form`).
fn form_key(preset: Preset) -> String {
    format!("flow.form.{}", preset.slug())
}
const SEED_KEY: &str = "flow.seed";
const START_KEY: &str = "flow.start";

impl FlowState {
    fn new(initial_preset: Preset, initial_step: usize) -> Self {
        let mut stored = Forms::default();
        for preset in Preset::ALL {
            let form = load_setting(Store::Session, &form_key(preset))
                .and_then(|query| Opened::parse(&query).form(preset));
            stored.insert(preset, form);
        }
        let forms = RwSignal::new(stored);
        let preset = RwSignal::new(initial_preset);
        // Only the current flow's form changes (`edit`, `reset`, a share
        // link), so only it is written back.
        effect(Box::new(move || {
            let preset = preset.get();
            forms.with(|forms| {
                let query = forms.get(preset).as_ref().map(|f| stored_form(preset, f));
                save_setting(Store::Session, &form_key(preset), query.as_deref());
            })
        }));
        let form = Memo::new(move |_| {
            let preset = preset.get();
            forms.with(|forms| {
                forms
                    .get(preset)
                    .clone()
                    .unwrap_or_else(|| FlowForm::from_scenario(&preset.scenario()))
            })
        });
        let checked = Memo::new(move |_| form.with(|form| form.scenario(preset.get())));
        let es256 = es256_when(move || {
            preset.get().scenario().needs_support()
                || checked.with(|checked| checked.as_ref().is_ok_and(Scenario::needs_support))
        });
        let agent = agent_when(move || preset.get() == Preset::Agent);
        let (seed, start_time) = session_seed_and_start();
        let key = demo_signing_key().map_err(|error| error.to_string());
        let played = Memo::new(move |previous: Option<&Result<Played, String>>| {
            let key = match &key {
                Ok(key) => key,
                Err(error) => {
                    return Err(format!("The simulated server's key did not load: {error}"));
                }
            };
            let support = es256.get().map(deployed::support);
            let play = |mut scenario: Scenario| {
                if support.is_none() && scenario.needs_support() {
                    return Err(LOADING_ES256.to_owned());
                }
                scenario.seed = seed;
                scenario.start_time = start_time;
                Ok(play(scenario, key, support))
            };
            if !preset.get().uses_form() {
                return match agent.get() {
                    None => Err(LOADING_AGENT.to_owned()),
                    Some(agent) => match (agent.play)(agent.settings, seed, start_time, key) {
                        Ok(played) => Ok(played),
                        // A field to fix: the diagram keeps the last run.
                        Err(problem) => previous.cloned().unwrap_or(Err(problem)),
                    },
                };
            }
            // Made anew rather than copied from `checked`: a run only reads
            // it, and a copy is the only clone of a Scenario on the screen.
            match form.with(|form| form.scenario(preset.get())) {
                Ok(scenario) => play(scenario),
                // No valid run yet in this tab: show the flow as it comes,
                // while the fields say what to fix.
                Err(_) => previous
                    .cloned()
                    .unwrap_or_else(|| play(preset.get_untracked().scenario())),
            }
        });
        Self {
            preset,
            forms,
            form,
            checked,
            played,
            step: RwSignal::new(initial_step),
            playing: RwSignal::new(false),
            speed: RwSignal::new(Speed::Normal),
            es256,
            agent,
            seed,
            start_time,
        }
    }

    /// The scenario on screen, as a share link carries it.
    pub fn shared(&self) -> Shared {
        let preset = self.preset.get();
        let agent = match self.agent.get() {
            Some(agent) if !preset.uses_form() => (agent.link_pairs)(agent.settings),
            _ => Vec::new(),
        };
        Shared {
            preset,
            form: self.form.get(),
            step: self.current(),
            seed: self.seed,
            start_time: self.start_time,
            agent,
        }
    }

    /// Changes the current flow's form.
    pub fn edit(&self, change: impl FnOnce(&mut FlowForm)) {
        let preset = self.preset.get_untracked();
        let mut form = self.form.get_untracked();
        change(&mut form);
        self.forms.update(|forms| {
            forms.insert(preset, Some(form));
        });
    }

    /// Puts the current flow's form back to how the flow comes.
    pub fn reset(&self) {
        let preset = self.preset.get_untracked();
        self.forms.update(|forms| {
            forms.insert(preset, None);
        });
    }

    /// Whether the current form differs from the flow as it comes.
    pub fn is_tweaked(&self) -> bool {
        let preset = self.preset.get();
        self.form
            .with(|form| *form != FlowForm::from_scenario(&preset.scenario()))
    }

    pub fn choose(&self, preset: Preset) {
        self.playing.set(false);
        self.preset.set(preset);
        self.step.set(0);
    }

    /// Reads the current run, if there is one (there is none only when the
    /// server's key failed to load).
    pub fn with_played<R>(&self, read: impl FnOnce(&Played) -> R) -> Option<R> {
        self.played.with(|played| played.as_ref().ok().map(read))
    }

    /// The number of steps of the current run.
    pub fn step_count(&self) -> usize {
        self.with_played(Played::len).unwrap_or(0)
    }

    /// The selected step, clamped to the run (edits can shorten it).
    pub fn current(&self) -> usize {
        self.step.get().min(self.step_count().saturating_sub(1))
    }

    pub fn go_to(&self, step: usize) {
        self.step.set(step.min(self.step_count().saturating_sub(1)));
    }

    pub fn forward(&self) {
        self.go_to(self.current() + 1);
    }

    pub fn back(&self) {
        self.go_to(self.current().saturating_sub(1));
    }

    pub fn at_end(&self) -> bool {
        self.current() + 1 >= self.step_count()
    }

    /// Play from the start when at the end, as media players do.
    pub fn toggle_play(&self) {
        if self.playing.get_untracked() {
            self.playing.set(false);
        } else {
            if self.at_end() {
                self.step.set(0);
            }
            self.playing.set(true);
        }
    }
}

pub fn use_flow_state() -> FlowState {
    expect_context()
}

/// What the screen says while the agent's code loads.
pub const LOADING_AGENT: &str = "Loading the agent's code…";

/// The agent's chunk, loaded once `needed` first says so.
pub fn agent_when(
    needed: impl Fn() -> bool + Send + Sync + 'static,
) -> ReadSignal<Option<agent::AgentFlow>> {
    let (loaded, set_loaded) = signal(None);
    effect(Box::new(move || {
        if needed() && loaded.get_untracked().is_none() {
            leptos::task::spawn_local(async move {
                set_loaded.set(Some(agent::load().await));
            });
        }
    }));
    loaded
}

/// The Flow screen as its route draws it (`app`): drawn once, not copied.
pub fn screen() -> AnyView {
    crate::components::drawn(FlowScreen)
}

/// The tab's seed and start time: fixed for the tab, so that editing a
/// field changes only what the field affects, not every random value.
fn session_seed_and_start() -> (u64, u64) {
    let stored = |key: &str| load_setting(Store::Session, key)?.parse::<u64>().ok();
    let seed = stored(SEED_KEY).unwrap_or_else(|| {
        let mut bytes = [0u8; 8];
        // Without a random source every tab shares seed 1: still a valid run.
        let seed = BrowserRng
            .fill_bytes(&mut bytes)
            .map(|()| u64::from_le_bytes(bytes))
            .unwrap_or(1);
        save_setting(Store::Session, SEED_KEY, Some(&seed.to_string()));
        seed
    });
    let start = stored(START_KEY).unwrap_or_else(|| {
        // Whole minutes: times read better in the narration.
        let now = (js_sys::Date::now() / 1000.0) as u64;
        let start = now - now % 60;
        save_setting(Store::Session, START_KEY, Some(&start.to_string()));
        start
    });
    (seed, start)
}

/// What the address bar's query asks for: a flow and step, or a whole
/// scenario from a share link (see `share`).
fn opened_from_url() -> Opened {
    Opened::parse(&current_query())
}

/// A share link's AI agent settings (on the agent's own, as a link's form
/// settings are on the flow's own), applied once the agent's code is in;
/// the parameters it cannot use join the link's note.
fn open_agent_link(state: FlowState, opened: Opened, note: RwSignal<Option<String>>) {
    let pending = std::cell::Cell::new(Some(opened));
    effect(Box::new(move || {
        if let Some(agent) = state.agent.get()
            && let Some(opened) = pending.take()
        {
            note.set((agent.open_link)(agent.settings, opened));
        }
    }));
}

/// Keeps `?flow=…&step=…` in the address bar in step with the screen, so a
/// copied link opens the same flow at the same step. `replaceState`, not a
/// navigation: stepping must not fill the history. A share link's other
/// parameters go once they are applied: from then on the tab's storage
/// holds the scenario, secrets included, so a reload keeps all of it.
fn write_flow_and_step_to_url(preset: Preset, step: usize) {
    replace_query(&format!("?flow={}&step={}", preset.slug(), step + 1));
}

const LAST_PRESET_KEY: &str = "flow.preset";

#[component]
pub fn FlowScreen() -> impl IntoView {
    set_title("Flow simulator");
    let opened = opened_from_url();
    let preset = opened
        .preset
        .or_else(|| {
            load_setting(Store::Session, LAST_PRESET_KEY).and_then(|s| Preset::from_slug(&s))
        })
        .unwrap_or(Preset::Spa);
    // A share link's scenario wins over what the tab had, and is kept as
    // the tab's own from now on.
    for (key, value) in [(SEED_KEY, opened.seed), (START_KEY, opened.start_time)] {
        if let Some(value) = value {
            save_setting(Store::Session, key, Some(&value.to_string()));
        }
    }
    let state = FlowState::new(preset, opened.step.unwrap_or(0));
    if let Some(form) = opened.form(preset) {
        state.forms.update(|forms| {
            forms.insert(preset, Some(form));
        });
    }
    provide_context(state);
    let link_note = RwSignal::new(opened.note());
    if !preset.uses_form() && opened.is_scenario() {
        open_agent_link(state, opened, link_note);
    }
    effect(Box::new(move || {
        let preset = state.preset.get();
        save_setting(Store::Session, LAST_PRESET_KEY, Some(preset.slug()));
        write_flow_and_step_to_url(preset, state.current());
    }));
    let is_agent = bool_memo(Box::new(move || state.preset.get() == Preset::Agent));
    let presenting = presenter::Presenting::new();
    let talk = audience::join(state);
    view! {
        <article
            class="flow"
            class:flow--presenter=move || presenting.get() || talk.is_audience()
            class:flow--audience=move || talk.is_audience()
            aria-labelledby="flow-title"
        >
            <header class="screen-header flow__header">
                // Focusable from script only: dismissing the link note moves the
                // focus here.
                <h1 id="flow-title" tabindex="-1">
                    "Flow simulator"
                </h1>
                <presenter::PresenterToggle presenting talk />
                {open_audience_window(talk)}
                <p class="screen-header__lead">
                    "Four parties run OAuth inside this page: your browser, the client app, the \
                     authorization server and the API. Pick a flow, change what you like, and \
                     step through every message. Violet dashed arrows travel through the \
                     browser (front channel); teal solid ones go directly to a server (back channel)."
                </p>
                <share_link::LinkNote note=link_note />
            </header>
            <settings::FlowPicker />
            <div class="flow__stage">
                <controls::Player />
                <div class="flow__side">
                    <narration::Narration />
                    {audience::flow_speaker_notes(talk)}
                    <browser_window::BrowserWindow />
                </div>
            </div>
            <inspector::Inspector />
            <div class="flow__lower">
                <settings::Settings />
                // The agent's own settings, from its chunk, in their place.
                {move || {
                    state
                        .agent
                        .get()
                        .filter(|_| is_agent.get())
                        .map(|agent| (agent.panel)(agent.settings))
                }}
                <export::Exports />
            </div>
            <handout::Handout />
        </article>
    }
}
