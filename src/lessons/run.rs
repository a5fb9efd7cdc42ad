//! What a lesson runs, and running it through the engine, seeded so every
//! learner sees the same run.

use std::sync::Arc;

use oauth_engine::keys::demo_signing_key;
use oauth_engine::sim::attacks::{Attack, run_attack};
use oauth_engine::sim::compare::compare;
use oauth_engine::sim::flow::Flow;
use oauth_engine::sim::network::Support;
use oauth_engine::sim::trace::Exchange;

use crate::flow::agent::AgentFlow;
use crate::flow::model::Preset;
use crate::flow::narration::exchange_summary;
use crate::flow::play_given;
use crate::lab::LAB_SEED;

/// What a lesson runs: a flow of the Flow screen, an attack of the attack
/// lab with its defence on or off, or one side of Implicit vs Code.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum RunSpec {
    Flow(Preset),
    Attack { attack: Attack, defended: bool },
    Compare(CompareSide),
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
            Self::Compare(_) => false,
        }
    }

    /// Whether the run is the AI agent's, whose code it is then given
    /// (`crate::flow::agent`).
    pub fn needs_agent(self) -> bool {
        self == Self::Flow(Preset::Agent)
    }

    /// Runs it, with `support` and `agent` if it needs them. Seeded (the
    /// lab's seed), so every learner sees the same codes and tokens.
    pub fn run(
        self,
        support: Option<Support>,
        agent: Option<AgentFlow>,
    ) -> Result<LessonRun, String> {
        Ok(match self {
            // The agent's run is its own (`AgentScenario::run`), with its
            // default settings.
            Self::Flow(Preset::Agent) => LessonRun {
                trace: (agent.ok_or("The agent's code did not load.")?.run_default)(LAB_SEED)
                    .into(),
                flow: Flow::Agent,
            },
            Self::Flow(preset) => {
                let key = demo_signing_key()
                    .map_err(|error| format!("The simulated server's key did not load: {error}"))?;
                let mut scenario = preset.scenario();
                scenario.seed = LAB_SEED;
                // Lessons run a flow as its servers see it, without the
                // browser's CORS in front of an app in the page: what
                // they teach is OAuth's own steps, and the lab's chunk
                // stays without the CORS code (`flow::play_given`).
                scenario.browser_app = None;
                let played = play_given(scenario, &key, support, None);
                LessonRun {
                    trace: played.trace,
                    flow: preset.flow(),
                }
            }
            Self::Attack { attack, defended } => LessonRun {
                trace: run_attack(attack, defended, LAB_SEED, support)
                    .map_err(|stop| format!("The attack did not run: {stop}"))?
                    .trace
                    .into(),
                flow: Flow::AuthorizationCode,
            },
            Self::Compare(side) => {
                let comparison = compare(LAB_SEED);
                let side = match side {
                    CompareSide::Implicit => comparison.implicit,
                    CompareSide::Code => comparison.code,
                };
                LessonRun {
                    trace: side.run.trace.into(),
                    flow: Flow::AuthorizationCode,
                }
            }
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

    #[test]
    fn a_lesson_runs_the_single_page_app_without_its_cors_steps_and_links_to_that_run() {
        let run = RunSpec::Flow(Preset::Spa).run(None, None).unwrap();
        assert!(
            run.trace
                .iter()
                .all(|exchange| exchange.request_line() != "OPTIONS /profile")
        );
        let link = RunSpec::Flow(Preset::Spa).screen_link(2);
        assert_eq!(link, "/flow?flow=spa&step=3&in_browser=no");
        // The Flow screen, opening the link, runs the same steps.
        let query = link.split_once('?').unwrap().1;
        let scenario = Opened::parse(query)
            .form(Preset::Spa)
            .unwrap()
            .scenario(Preset::Spa)
            .unwrap();
        let played = crate::flow::play(scenario, &demo_signing_key().unwrap(), None);
        let lines =
            |trace: &[Exchange]| trace.iter().map(Exchange::request_line).collect::<Vec<_>>();
        assert_eq!(lines(&played.trace), lines(&run.trace));
    }

    #[test]
    fn a_flow_whose_client_is_not_in_the_browser_links_with_flow_and_step_only() {
        assert_eq!(
            RunSpec::Flow(Preset::WebApp).screen_link(0),
            "/flow?flow=web-app&step=1"
        );
    }
}
