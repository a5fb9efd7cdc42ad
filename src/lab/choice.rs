//! What the attack lab can run: the engine's attacks on OAuth
//! (`sim::attacks`), and those on an AI agent's authorization to its tool
//! servers (`sim::agent::attacks`), whose code comes with the agent's
//! (`flow::agent`) the first time one is picked.

use oauth_engine::sim::agent::attacks::AgentAttack;
use oauth_engine::sim::attacks::Attack;
use oauth_engine::sim::flow::Flow;
use oauth_engine::sim::trace::RfcRef;

/// One attack of the lab's.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum LabAttack {
    OAuth(Attack),
    Agent(AgentAttack),
}

impl LabAttack {
    /// Every attack, in the picker's order: OAuth's, then the agent's.
    pub fn all() -> impl Iterator<Item = Self> {
        Attack::ALL
            .into_iter()
            .map(Self::OAuth)
            .chain(AgentAttack::ALL.into_iter().map(Self::Agent))
    }

    /// The attack's name in a URL (`?attack=mix-up`).
    pub fn slug(self) -> &'static str {
        match self {
            Self::OAuth(attack) => attack.slug(),
            Self::Agent(attack) => attack.slug(),
        }
    }

    pub fn from_slug(slug: &str) -> Option<Self> {
        Self::all().find(|attack| attack.slug() == slug)
    }

    pub fn title(self) -> &'static str {
        match self {
            Self::OAuth(attack) => attack.title(),
            Self::Agent(attack) => attack.title(),
        }
    }

    /// How the attack works, and why the defence stops it.
    pub fn explanation(self) -> &'static str {
        match self {
            Self::OAuth(attack) => attack.explanation(),
            Self::Agent(attack) => attack.explanation(),
        }
    }

    /// What the defence toggle switches on.
    pub fn defence(self) -> &'static str {
        match self {
            Self::OAuth(attack) => attack.defence(),
            Self::Agent(attack) => attack.defence(),
        }
    }

    /// Every RFC section that bears on the attack.
    pub fn refs(self) -> Vec<RfcRef> {
        match self {
            Self::OAuth(attack) => attack.refs(),
            Self::Agent(attack) => attack.refs(),
        }
    }

    /// The flow whose lanes the run's diagram has: the agent's attacks
    /// name the client's lane "AI agent (MCP client)".
    pub fn flow(self) -> Flow {
        match self {
            Self::OAuth(_) => Flow::AuthorizationCode,
            Self::Agent(_) => Flow::Agent,
        }
    }

    /// Whether it is one of the agent's, whose code loads when picked.
    pub fn is_on_agent(self) -> bool {
        matches!(self, Self::Agent(_))
    }

    /// Whether its run needs DPoP's and PAR's code (`crate::deployed`).
    pub fn needs_support(self) -> bool {
        matches!(self, Self::OAuth(attack) if attack.needs_support())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_lab_attack_has_a_slug_of_its_own() {
        let all: Vec<LabAttack> = LabAttack::all().collect();
        assert_eq!(all.len(), Attack::ALL.len() + AgentAttack::ALL.len());
        for attack in &all {
            assert_eq!(LabAttack::from_slug(attack.slug()), Some(*attack));
        }
    }
}
