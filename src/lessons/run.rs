//! What a lesson runs, and running it through the engine, seeded so every
//! learner sees the same run.

use std::sync::Arc;

use oauth_engine::keys::demo_signing_key;
use oauth_engine::sim::attacks::{Attack, run_attack};
use oauth_engine::sim::flow::Flow;
use oauth_engine::sim::network::Support;
use oauth_engine::sim::token_storage::Architecture;
use oauth_engine::sim::trace::Exchange;

use crate::flow::agent::AgentFlow;
use crate::flow::model::Preset;
use crate::flow::narration::exchange_summary;
use crate::flow::play_given;
use crate::lab::LAB_SEED;
use crate::lab::side_by_side::SideBySide;

/// What a lesson runs: a flow of the Flow screen, an attack of the attack
/// lab with its defence on or off, one side of Implicit vs Code, one
/// architecture of Where tokens live, or the single-page app under the
/// browser's CORS, its origin allowed by the authorization server or not.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum RunSpec {
    Flow(Preset),
    Attack { attack: Attack, defended: bool },
    Compare(CompareSide),
    Storage(Architecture),
    Cors { allowed: bool },
}

/// The code-split code a run may need, loaded by the player first.
#[derive(Default)]
pub struct Loaded {
    /// DPoP's, PAR's and the rest (`crate::deployed`).
    pub support: Option<Support>,
    /// The AI agent's (`crate::flow::agent`).
    pub agent: Option<AgentFlow>,
    /// Implicit vs Code's and Where tokens live's, with the browser's
    /// CORS (`crate::lab::side_by_side`).
    pub side_by_side: Option<SideBySide>,
}

/// One side of Implicit vs Code.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CompareSide {
    Implicit,
    Code,
}

impl CompareSide {
    pub const ALL: [CompareSide; 2] = [Self::Implicit, Self::Code];

    pub fn slug(self) -> &'static str {
        match self {
            Self::Implicit => "implicit",
            Self::Code => "code",
        }
    }
}

/// A lesson's run: the engine's trace, and the flow its lanes are named for.
#[derive(Debug, Clone, PartialEq)]
pub struct LessonRun {
    pub trace: Arc<[Exchange]>,
    pub flow: Flow,
}

impl RunSpec {
    /// Whether the run uses DPoP, PAR, `private_key_jwt`, introspection or
    /// revocation, whose code it is then given (`crate::deployed`).
    pub fn needs_support(self) -> bool {
        match self {
            Self::Flow(preset) => preset.scenario().needs_support(),
            Self::Attack { attack, .. } => attack.needs_support(),
            Self::Compare(_) | Self::Storage(_) | Self::Cors { .. } => false,
        }
    }

    /// Whether the run is one of Implicit vs Code's or Where tokens
    /// live's, or under CORS, whose code it is then given
    /// (`crate::lab::side_by_side`).
    pub fn needs_side_by_side(self) -> bool {
        matches!(
            self,
            Self::Compare(_) | Self::Storage(_) | Self::Cors { .. }
        )
    }

    /// Whether the run is the AI agent's, whose code it is then given
    /// (`crate::flow::agent`).
    pub fn needs_agent(self) -> bool {
        self == Self::Flow(Preset::Agent)
    }

    /// Runs it, with the code it needs from `loaded`. Seeded (the lab's
    /// seed), so every learner sees the same codes and tokens.
    pub fn run(self, loaded: Loaded) -> Result<LessonRun, String> {
        let side_by_side = || {
            loaded
                .side_by_side
                .ok_or("The code of the screens side by side did not load.")
        };
        let key = || {
            demo_signing_key()
                .map_err(|error| format!("The simulated server's key did not load: {error}"))
        };
        Ok(match self {
            // The agent's run is its own (`AgentScenario::run`), with its
            // default settings.
            Self::Flow(Preset::Agent) => LessonRun {
                trace: (loaded
                    .agent
                    .ok_or("The agent's code did not load.")?
                    .run_default)(LAB_SEED)
                .into(),
                flow: Flow::Agent,
            },
            Self::Flow(preset) => {
                let key = key()?;
                let mut scenario = preset.scenario();
                scenario.seed = LAB_SEED;
                // Lessons run a flow as its servers see it, without the
                // browser's CORS in front of an app in the page: what
                // they teach is OAuth's own steps, and the lab's chunk
                // stays without the CORS code (`flow::play_given`).
                scenario.browser_app = None;
                let played = play_given(scenario, &key, loaded.support, None);
                LessonRun {
                    trace: played.trace,
                    flow: preset.flow(),
                }
            }
            // The single-page app as the Flow screen runs it, under CORS,
            // with the browser's CORS from the side-by-side chunk.
            Self::Cors { allowed } => {
                let key = key()?;
                let mut scenario = Preset::Spa.scenario();
                scenario.seed = LAB_SEED;
                if let Some(app) = scenario.browser_app.as_mut().filter(|_| !allowed) {
                    app.server_allows.clear();
                }
                let played = play_given(scenario, &key, None, Some(side_by_side()?.page));
                LessonRun {
                    trace: played.trace,
                    flow: Preset::Spa.flow(),
                }
            }
            Self::Storage(architecture) => LessonRun {
                trace: (side_by_side()?.storage_run)(architecture, LAB_SEED).into(),
                flow: Flow::AuthorizationCode,
            },
            Self::Attack { attack, defended } => LessonRun {
                trace: run_attack(attack, defended, LAB_SEED, loaded.support)
                    .map_err(|stop| format!("The attack did not run: {stop}"))?
                    .trace
                    .into(),
                flow: Flow::AuthorizationCode,
            },
            Self::Compare(side) => LessonRun {
                trace: {
                    let comparison = (side_by_side()?.compare)();
                    match side {
                        CompareSide::Implicit => comparison.implicit,
                        CompareSide::Code => comparison.code,
                    }
                    .run
                    .trace
                    .into()
                },
                flow: Flow::AuthorizationCode,
            },
        })
    }

    /// What the run is, for the player's heading.
    pub fn describe(self) -> String {
        match self {
            Self::Flow(preset) => preset.title().to_owned(),
            Self::Attack { attack, defended } => format!(
                "{}, defence {}",
                attack.title(),
                if defended { "on" } else { "off" }
            ),
            Self::Compare(CompareSide::Implicit) => "The implicit grant".to_owned(),
            Self::Compare(CompareSide::Code) => "Authorization code with PKCE".to_owned(),
            Self::Storage(architecture) => architecture.title().to_owned(),
            Self::Cors { allowed: true } => "A single-page app under CORS".to_owned(),
            Self::Cors { allowed: false } => {
                "A single-page app whose origin the server does not allow".to_owned()
            }
        }
    }

    /// The same run on its own screen, at `step` (from 0): a path and query
    /// within the app.
    pub fn screen_link(self, step: usize) -> String {
        match self {
            // The Flow screen's run as the lesson's: an app in the page
            // without its CORS steps.
            Self::Flow(preset) => {
                let in_browser = if preset.scenario().browser_app.is_some() {
                    "&in_browser=no"
                } else {
                    ""
                };
                format!("/flow?flow={}&step={}{in_browser}", preset.slug(), step + 1)
            }
            Self::Attack { attack, defended } => format!(
                "/attacks?attack={}&defence={}&step={}",
                attack.slug(),
                if defended { "on" } else { "off" },
                step + 1
            ),
            Self::Compare(_) => "/compare".to_owned(),
            Self::Storage(_) => format!("/token-storage?step={}", step + 1),
            // The Flow screen's single-page app, with the server's allowed
            // origins emptied when the lesson's were.
            Self::Cors { allowed } => format!(
                "/flow?flow=spa&step={}{}",
                step + 1,
                if allowed {
                    ""
                } else {
                    "&server_allowed_origins="
                }
            ),
        }
    }
}

/// The one-line summary of step `step` (from 0) of the run.
pub fn step_line(run: &LessonRun, step: usize) -> Option<String> {
    let exchange = run.trace.get(step)?;
    Some(exchange_summary(exchange, step, run.trace.len(), run.flow))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::flow::share::Opened;

    /// The single-page app's scenario, as the Flow screen opens `link`.
    fn opened_scenario(link: &str) -> oauth_engine::sim::scenario::Scenario {
        let query = link.split_once('?').unwrap().1;
        Opened::parse(query)
            .form(Preset::Spa)
            .unwrap()
            .scenario(Preset::Spa)
            .unwrap()
    }

    fn request_lines(trace: &[Exchange]) -> Vec<String> {
        trace.iter().map(Exchange::request_line).collect()
    }

    #[test]
    fn a_lesson_runs_the_single_page_app_without_its_cors_steps_and_links_to_that_run() {
        let run = RunSpec::Flow(Preset::Spa).run(Loaded::default()).unwrap();
        assert!(
            run.trace
                .iter()
                .all(|exchange| exchange.request_line() != "OPTIONS /profile")
        );
        let link = RunSpec::Flow(Preset::Spa).screen_link(2);
        assert_eq!(link, "/flow?flow=spa&step=3&in_browser=no");
        // The Flow screen, opening the link, runs the same steps.
        let played = crate::flow::play(opened_scenario(&link), &demo_signing_key().unwrap(), None);
        assert_eq!(request_lines(&played.trace), request_lines(&run.trace));
    }

    /// A lesson under CORS whose origin the server refuses links to the
    /// Flow screen with the server's allowed origins emptied, and the
    /// screen, opening the link, runs the same steps, the blocked token
    /// request last.
    #[test]
    fn a_lesson_whose_origin_is_refused_links_to_the_same_run_on_the_flow_screen() {
        let loaded = Loaded {
            side_by_side: Some(crate::lab::side_by_side::contents()),
            ..Loaded::default()
        };
        let spec = RunSpec::Cors { allowed: false };
        let run = spec.run(loaded).unwrap();
        assert_eq!(run.trace.last().unwrap().request_line(), "POST /token");
        let link = spec.screen_link(run.trace.len() - 1);
        assert_eq!(link, "/flow?flow=spa&step=5&server_allowed_origins=");
        let scenario = opened_scenario(&link);
        assert_eq!(
            scenario
                .browser_app
                .as_ref()
                .map(|app| app.server_allows.len()),
            Some(0)
        );
        let played = crate::flow::play(scenario, &demo_signing_key().unwrap(), None);
        assert_eq!(request_lines(&played.trace), request_lines(&run.trace));
    }

    #[test]
    fn a_flow_whose_client_is_not_in_the_browser_links_with_flow_and_step_only() {
        assert_eq!(
            RunSpec::Flow(Preset::WebApp).screen_link(0),
            "/flow?flow=web-app&step=1"
        );
    }
}
