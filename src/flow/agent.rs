//! The flow "AI agent connecting to a tool server (MCP)": the engine's agent run
//! (`sim::agent`), its settings and its glossary, in a chunk of their own
//! that loads the first time the flow is picked, an attack on the agent in
//! the attack lab, or the agent's lesson. The rest of the screen (diagram, narration,
//! inspector, exports) is the Flow screen's own.

use leptos::prelude::*;
use oauth_engine::jose::SigningKey;
use oauth_engine::keys::demo_key;
use oauth_engine::rng::SeededRng;
use oauth_engine::sim::agent::attacks::{AgentAttack, run_agent_attack};
use oauth_engine::sim::agent::glossary::{self, Meaning};
use oauth_engine::sim::agent::{AgentScenario, Downstream};
use oauth_engine::sim::attacks::Outcome;
use oauth_engine::sim::flow::Flow;
use oauth_engine::sim::trace::Exchange;
use oauth_engine::types::Scope;

use super::Played;
use super::share::Opened;
use crate::browser::{Store, load_setting, save_setting};
use crate::components::{CheckBox, ChoiceBox, SettingsHead, TextBox, drawn, text_memo};

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

/// The two scopes a learner types: what the first tool needs (and every
/// request), and what the second does.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum ScopeField {
    First,
    Second,
}

impl ScopeField {
    const ALL: [Self; 2] = [Self::First, Self::Second];

    fn id(self) -> &'static str {
        match self {
            Self::First => "agent-first-scope",
            Self::Second => "agent-second-scope",
        }
    }

    fn label(self) -> &'static str {
        match self {
            Self::First => "Scope the first tool (list_events) needs",
            Self::Second => "Scope the second tool (create_event) needs",
        }
    }

    fn text(self, settings: &AgentScenario) -> &str {
        match self {
            Self::First => &settings.first_tool_scope,
            Self::Second => &settings.second_tool_scope,
        }
    }

    fn text_mut(self, settings: &mut AgentScenario) -> &mut String {
        match self {
            Self::First => &mut settings.first_tool_scope,
            Self::Second => &mut settings.second_tool_scope,
        }
    }

    /// Why the text cannot be used, if it cannot: a scope is one or more
    /// space-separated tokens (RFC 6749 section 3.3).
    fn problem(self, settings: &AgentScenario) -> Option<String> {
        match Scope::parse(self.text(settings)) {
            Ok(scope) if scope.is_empty() => {
                Some("Name at least one scope, such as calendar.read.".to_owned())
            }
            Ok(_) => None,
            Err(problem) => Some(problem),
        }
    }
}

/// A yes/no setting of the agent's run.
struct Check {
    id: &'static str,
    label: &'static str,
    get: fn(&AgentScenario) -> bool,
    set: fn(&mut AgentScenario, bool),
}

const REGISTRATION: [Check; 3] = [
    Check {
        id: "agent-pre-registered",
        label: "The agent was given a client ID for this server beforehand",
        get: |s| s.pre_registered,
        set: |s, on| s.pre_registered = on,
    },
    Check {
        id: "agent-metadata-documents",
        label: "The server accepts Client ID Metadata Documents",
        get: |s| s.server_takes_metadata_documents,
        set: |s, on| s.server_takes_metadata_documents = on,
    },
    Check {
        id: "agent-dynamic-registration",
        label: "The server offers Dynamic Client Registration (RFC 7591)",
        get: |s| s.server_offers_registration,
        set: |s, on| s.server_offers_registration = on,
    },
];

const SAFEGUARDS: [Check; 4] = [
    Check {
        id: "agent-send-resource",
        label: "The agent names the tool server as resource (RFC 8707)",
        get: |s| s.safeguards.send_resource,
        set: |s, on| s.safeguards.send_resource = on,
    },
    Check {
        id: "agent-check-resource-metadata",
        label: "The agent checks the metadata's resource against the URL it called (RFC 9728)",
        get: |s| s.safeguards.check_resource_metadata,
        set: |s, on| s.safeguards.check_resource_metadata = on,
    },
    Check {
        id: "agent-check-audience",
        label: "The tool server and the API refuse a token whose aud is not theirs",
        get: |s| s.safeguards.check_audience,
        set: |s, on| s.safeguards.check_audience = on,
    },
    Check {
        id: "agent-check-client-documents",
        label: "The server checks a metadata document's address and redirect URIs",
        get: |s| s.safeguards.check_client_documents,
        set: |s, on| s.safeguards.check_client_documents = on,
    },
];

const USER: [Check; 1] = [Check {
    id: "agent-approve",
    label: "The user approves the agent's access",
    get: |s| s.user.approve,
    set: |s, on| s.user.approve = on,
}];

/// What the tool server does downstream, each in the place of its option.
const DOWNSTREAM: [Downstream; 3] = [
    Downstream::None,
    Downstream::Passthrough,
    Downstream::Exchange,
];

const DOWNSTREAM_OPTIONS: [(&str, &str); 3] = [
    ("none", "Nothing: the tools answer on their own"),
    (
        "passthrough",
        "Forwards the user's token to the calendar API (token passthrough)",
    ),
    (
        "exchange",
        "Exchanges it for a token for the calendar API (RFC 8693)",
    ),
];

fn downstream_value(downstream: Downstream) -> &'static str {
    let at = DOWNSTREAM
        .iter()
        .position(|d| *d == downstream)
        .unwrap_or(0);
    DOWNSTREAM_OPTIONS[at].0
}

fn downstream_from(value: &str) -> Option<Downstream> {
    let at = DOWNSTREAM_OPTIONS.iter().position(|(v, _)| *v == value)?;
    Some(DOWNSTREAM[at])
}

/// A setting's name in a share link: its element id in snake case
/// (`agent-first-scope` is `agent_first_scope`), so the two cannot drift
/// apart.
fn param(id: &str) -> String {
    id.replace('-', "_")
}

/// Every yes/no setting.
fn all_checks() -> impl Iterator<Item = &'static Check> {
    REGISTRATION.iter().chain(&SAFEGUARDS).chain(&USER)
}

const DOWNSTREAM_ID: &str = "agent-downstream";

fn link_pairs(settings: &AgentScenario) -> Vec<(String, String)> {
    let defaults = AgentScenario::default();
    let mut pairs = Vec::new();
    for check in all_checks() {
        let on = (check.get)(settings);
        if on != (check.get)(&defaults) {
            pairs.push((param(check.id), if on { "yes" } else { "no" }.to_owned()));
        }
    }
    for field in ScopeField::ALL {
        if field.text(settings) != field.text(&defaults) {
            pairs.push((param(field.id()), field.text(settings).to_owned()));
        }
    }
    if settings.downstream != defaults.downstream {
        let value = downstream_value(settings.downstream);
        pairs.push((param(DOWNSTREAM_ID), value.to_owned()));
    }
    pairs
}

/// The settings a link's pairs set up, on the flow's own; and each pair
/// that names no setting, or a value it cannot take. Scopes are taken as
/// typed: the panel says what is wrong beside the field.
fn from_link(pairs: &[(String, String)]) -> (AgentScenario, Vec<String>) {
    let mut settings = AgentScenario::default();
    let mut not_understood = Vec::new();
    for (name, value) in pairs {
        let understood = if let Some(check) = all_checks().find(|c| param(c.id) == *name) {
            match value.as_str() {
                "yes" => (check.set)(&mut settings, true),
                "no" => (check.set)(&mut settings, false),
                _ => {}
            }
            matches!(value.as_str(), "yes" | "no")
        } else if let Some(field) = ScopeField::ALL.into_iter().find(|f| param(f.id()) == *name) {
            *field.text_mut(&mut settings) = value.clone();
            true
        } else if *name == param(DOWNSTREAM_ID) {
            downstream_from(value)
                .map(|way| settings.downstream = way)
                .is_some()
        } else {
            false
        };
        if !understood {
            not_understood.push(format!("{name}={value}"));
        }
    }
    (settings, not_understood)
}

/// The settings panel, in the Flow screen's shape.
fn agent_settings(settings: RwSignal<AgentScenario>) -> impl IntoView {
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_scope_field_must_name_a_valid_scope() {
        let mut settings = AgentScenario::default();
        assert_eq!(ScopeField::First.problem(&settings), None);
        settings.first_tool_scope = "  ".into();
        assert_eq!(
            ScopeField::First.problem(&settings).as_deref(),
            Some("Name at least one scope, such as calendar.read.")
        );
        settings.second_tool_scope = "calendar\"write".into();
        assert!(ScopeField::Second.problem(&settings).is_some());
    }

    #[test]
    fn each_downstream_option_names_one_way() {
        for downstream in DOWNSTREAM {
            assert_eq!(
                downstream_from(downstream_value(downstream)),
                Some(downstream)
            );
        }
        assert_eq!(downstream_from("forward"), None);
    }

    #[test]
    fn a_share_link_carries_every_changed_setting_and_only_those() {
        assert_eq!(link_pairs(&AgentScenario::default()), []);
        let mut settings = AgentScenario::default();
        for check in all_checks() {
            let on = (check.get)(&settings);
            (check.set)(&mut settings, !on);
        }
        settings.first_tool_scope = "calendar.read profile".into();
        settings.second_tool_scope = "calendar write".into();
        settings.downstream = Downstream::Exchange;
        let pairs = link_pairs(&settings);
        assert_eq!(pairs.len(), all_checks().count() + 3);
        assert!(pairs.contains(&("agent_downstream".into(), "exchange".into())));
        assert!(pairs.contains(&("agent_pre_registered".into(), "yes".into())));
        assert_eq!(from_link(&pairs), (settings, Vec::new()));
    }

    #[test]
    fn a_share_link_names_what_it_cannot_use_and_keeps_the_rest() {
        let pairs = [
            ("agent_approve".to_owned(), "maybe".to_owned()),
            ("agent_downstream".to_owned(), "forward".to_owned()),
            ("agent_colour".to_owned(), "red".to_owned()),
            ("agent_check_audience".to_owned(), "no".to_owned()),
        ];
        let (settings, not_understood) = from_link(&pairs);
        assert_eq!(
            not_understood,
            [
                "agent_approve=maybe",
                "agent_downstream=forward",
                "agent_colour=red"
            ]
        );
        assert!(!settings.safeguards.check_audience);
        assert!(settings.user.approve);
        assert_eq!(settings.downstream, Downstream::None);
    }

    #[test]
    fn each_check_reads_what_it_writes() {
        for check in all_checks() {
            let mut settings = AgentScenario::default();
            for on in [false, true] {
                (check.set)(&mut settings, on);
                assert_eq!((check.get)(&settings), on, "{}", check.id);
            }
        }
    }
}
