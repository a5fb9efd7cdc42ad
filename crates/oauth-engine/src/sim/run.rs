//! Running a scenario: its flow is played on the network the scenario sets
//! up, every message goes through that network, and the run keeps the
//! trace. Kept apart from the scenario so that the flows, which the run
//! dispatches to, import the scenario without importing their dispatcher.

use super::browser::Browser;
use super::client::Client;
use super::flow::Flow;
use super::flows::{client_credentials, code, device, implicit};
use super::network::{Network, Page, Support};
use super::page_fetch::{self, BrowserApp};
use super::scenario::Scenario;
use super::stop::Stop;
use super::trace::Exchange;
use crate::clock::UnixTime;
use crate::jose::SigningKey;
use crate::rng::{Rng, SeededRng};

/// Makes the client in the page of a scenario that has one
/// ([`page_fetch::page`]).
pub type PageMaker = fn(&BrowserApp) -> Box<dyn Page>;

/// The result of a run.
#[derive(Debug, Clone)]
pub struct Run {
    pub trace: Vec<Exchange>,
    pub browser: Browser,
    pub client: Client,
    /// Why the flow stopped early, or `None` if it ran to the end.
    pub stopped: Option<String>,
    /// Simulated time at the end.
    pub end_time: UnixTime,
}

impl Run {
    /// The run that ended with `result` on `network`.
    pub(crate) fn new(
        network: Network<'_>,
        browser: Browser,
        client: Client,
        result: Result<(), Stop>,
    ) -> Self {
        Self {
            end_time: network.clock.now(),
            trace: network.trace,
            browser,
            client,
            stopped: result.err().map(|error| error.to_string()),
        }
    }
}

impl Scenario {
    /// Runs the scenario with a seeded random source: the same scenario and
    /// key give the same trace, byte for byte.
    pub fn run(&self, key: SigningKey) -> Run {
        self.run_with(key, &mut SeededRng::new(self.seed))
    }

    /// Runs the scenario with the given random source (the browser's, in
    /// the app, when the user has not asked for "same tokens for everyone").
    pub fn run_with(&self, key: SigningKey, rng: &mut dyn Rng) -> Run {
        self.run_observed(key, rng, &mut |_| {})
    }

    /// Runs the scenario, calling `observer` after each exchange.
    pub fn run_observed(
        &self,
        key: SigningKey,
        rng: &mut dyn Rng,
        observer: &mut dyn FnMut(&Exchange),
    ) -> Run {
        self.run_supported(key, rng, None, observer)
    }

    /// Runs the scenario with `support` for DPoP, PAR, `private_key_jwt`,
    /// introspection and revocation. Without it a scenario that uses them
    /// stops before its first step ([`Stop::NotSupported`]).
    pub fn run_supported(
        &self,
        key: SigningKey,
        rng: &mut dyn Rng,
        support: Option<Support>,
        observer: &mut dyn FnMut(&Exchange),
    ) -> Run {
        self.run_given(key, rng, support, Some(page_fetch::page), observer)
    }

    /// [`Scenario::run_supported`], with `page` to make the client in the
    /// page of a scenario that has one ([`Scenario::browser_app`]): handed
    /// over, so that a build whose runs never have one can leave its code
    /// out. Without it such a scenario stops before its first step
    /// ([`Stop::PageNotLoaded`]).
    pub fn run_given(
        &self,
        key: SigningKey,
        rng: &mut dyn Rng,
        support: Option<Support>,
        page: Option<PageMaker>,
        observer: &mut dyn FnMut(&Exchange),
    ) -> Run {
        let mut network = self.network(key, Box::new(rng));
        network.observer = Some(Box::new(observer));
        let mut browser = Browser::new(self.referrer_policy);
        let mut client = Client::new(self.client.clone());
        let result = match (&self.browser_app, page) {
            (Some(_), None) => Err(Stop::PageNotLoaded),
            (Some(app), Some(make)) => {
                network.page = Some(make(app));
                Ok(())
            }
            (None, _) => Ok(()),
        };
        let result = result.and_then(|()| match support {
            Some(support) => {
                network.give_support(support, &client);
                play(self, &mut network, &mut browser, &mut client)
            }
            None if self.needs_support() => Err(Stop::NotSupported),
            None => play(self, &mut network, &mut browser, &mut client),
        });
        Run::new(network, browser, client, result)
    }
}

/// Plays `scenario`'s flow on `network`.
pub(crate) fn play(
    scenario: &Scenario,
    network: &mut Network<'_>,
    browser: &mut Browser,
    client: &mut Client,
) -> Result<(), Stop> {
    match scenario.flow {
        Flow::AuthorizationCode => code::authorization_code(scenario, network, browser, client),
        Flow::ClientCredentials => {
            client_credentials::client_credentials(scenario, network, client)
        }
        Flow::Device => device::device_flow(scenario, network, browser, client),
        Flow::Implicit => implicit::implicit(scenario, network, browser, client),
        Flow::Agent => Err(Stop::AgentRunsApart),
    }
}
