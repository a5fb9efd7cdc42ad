//! The flow "AI agent connecting to a tool server (MCP)": the engine's
//! agent run (`sim::agent`), its settings (`fields`, `panel`, `link`),
//! its glossary and its attacks, in a chunk of their own that loads the
//! first time the flow is picked, an attack on the agent in the attack
//! lab, or the agent's lesson. The rest of the screen (diagram, narration,
//! inspector, exports) is the Flow screen's own.

mod fields;
mod link;
mod panel;

use leptos::prelude::*;
use oauth_engine::jose::SigningKey;
use oauth_engine::keys::demo_key;
use oauth_engine::rng::SeededRng;
use oauth_engine::sim::agent::AgentScenario;
use oauth_engine::sim::agent::attacks::{AgentAttack, run_agent_attack};
use oauth_engine::sim::agent::glossary::{self, Meaning};
use oauth_engine::sim::attacks::Outcome;
use oauth_engine::sim::flow::Flow;
use oauth_engine::sim::trace::Exchange;

use super::Played;
use super::share::Opened;
use crate::browser::{Store, load_setting, save_setting};
use crate::components::drawn;
use fields::ScopeField;
use link::{from_link, link_pairs};
use panel::agent_settings;

/// A share link's parameter: its name and its value.
pub type LinkPair = (String, String);

/// What the agent's chunk gives the screen once loaded.
#[derive(Clone, Copy)]
pub struct AgentFlow {
    /// The settings as the learner left them (kept for the tab).
    pub settings: RwSignal<AgentScenario>,
    /// Runs the agent with the settings (a tracked read), the tab's seed
    /// and start time, and the server's key; or says which field to fix.
    pub play: fn(RwSignal<AgentScenario>, u64, u64, &SigningKey) -> Result<Played, String>,
    /// The settings panel.
    pub panel: fn(RwSignal<AgentScenario>) -> AnyView,
    /// The meaning of a name the agent's messages carry, and its section.
    pub meaning: fn(&str) -> Option<Meaning>,
    /// Runs an attack on the agent profile (for the attack lab), with its
    /// defence on or off and the lab's seed: the trace and the outcome.
    pub run_attack: fn(AgentAttack, bool, u64) -> (Vec<Exchange>, Outcome),
    /// The settings that differ from the flow's own, as a share link names
    /// them (`flow::share`). Read here, not by the screen, so that the
    /// code reading them is the agent's chunk's alone.
    pub link_pairs: fn(RwSignal<AgentScenario>) -> Vec<LinkPair>,
    /// Sets the settings up from a share link's `agent_` parameters, on the
    /// flow's own, and keeps them for the tab; then the link's note, with
    /// the parameters it could not use.
    pub open_link: fn(RwSignal<AgentScenario>, Opened) -> Option<String>,
    /// The flow with its default settings and a given seed (for lessons,
    /// whose runs every learner sees the same): its trace.
    pub run_default: fn(u64) -> Vec<Exchange>,
}

/// Fetches the agent's chunk the first time; afterwards it is at hand. A
/// split point only in the app's build (feature "split"), as
/// `jwt::crypto::load` is.
#[cfg_attr(feature = "split", leptos::lazy)]
pub async fn load() -> AgentFlow {
    // The chunk cutter (scripts/split/) puts a function in a chunk of its
    // own for each set of split points that reach it. Without this
    // reference the agent reaches only part of what the Flow screen does,
    // and each chunk the two share is cut in two, with calls between the
    // halves: 7.5 KB more on /flow, 7 KB on the lab and 2.7 KB on /jwt
    // (measured). Reaching the whole screen from here keeps those chunks
    // whole: the agent's chunk holds only what the agent alone needs, and
    // everything else it uses is what /flow has already loaded.
    let screen: fn() -> AnyView = super::screen;
    core::hint::black_box(screen);
    contents(stored())
}

/// What the chunk gives, with the learner's `settings`. Only `load` calls
/// this outside tests: any other caller would carry the agent's code in
/// its own chunk.
pub(crate) fn contents(settings: AgentScenario) -> AgentFlow {
    AgentFlow {
        settings: RwSignal::new(settings),
        play,
        panel: |settings| drawn(move || agent_settings(settings)),
        meaning: glossary::meaning,
        run_attack: |attack, defended, seed| {
            let run = run_agent_attack(attack, defended, seed, demo_key());
            (run.trace, run.outcome)
        },
        link_pairs: |settings| settings.with(link_pairs),
        open_link: |settings, mut opened| {
            let (linked, not_understood) = from_link(&opened.agent);
            // Unchanged settings are left alone: a talk's windows post
            // them on every step (`flow::audience`).
            if settings.with_untracked(|settings| *settings != linked) {
                edit(settings, |settings| *settings = linked);
            }
            opened.not_understood.extend(not_understood);
            opened.note()
        },
        run_default: |seed| {
            let scenario = AgentScenario {
                seed,
                ..AgentScenario::default()
            };
            scenario
                .run(demo_key(), &mut SeededRng::new(seed), &mut |_| {})
                .trace
        },
    }
}

/// Where the tab keeps the settings.
const SETTINGS_KEY: &str = "flow.agent";

fn stored() -> AgentScenario {
    load_setting(Store::Session, SETTINGS_KEY)
        .and_then(|json| serde_json::from_str(&json).ok())
        .unwrap_or_default()
}

fn edit(settings: RwSignal<AgentScenario>, change: impl FnOnce(&mut AgentScenario)) {
    settings.update(change);
    settings.with_untracked(|settings| {
        let json = serde_json::to_string(settings).ok();
        save_setting(Store::Session, SETTINGS_KEY, json.as_deref());
    });
}

fn play(
    settings: RwSignal<AgentScenario>,
    seed: u64,
    start_time: u64,
    key: &SigningKey,
) -> Result<Played, String> {
    settings.with(|settings| {
        if let Some(problem) = ScopeField::ALL
            .into_iter()
            .find_map(|field| field.problem(settings))
        {
            return Err(problem);
        }
        let scenario = AgentScenario {
            seed,
            start_time,
            ..settings.clone()
        };
        let run = scenario.run(key.clone(), &mut SeededRng::new(seed), &mut |_| {});
        Ok(Played {
            flow: Flow::Agent,
            sign_out: false,
            start_time,
            trace: run.trace.into(),
            stopped: run.stopped,
            end_time: run.end_time,
        })
    })
}
