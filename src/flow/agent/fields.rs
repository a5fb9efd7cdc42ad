//! The agent's settings as the panel and the share link name them: the
//! two scopes a learner types, the yes/no settings, and what the tool
//! server does downstream.

use oauth_engine::sim::agent::{AgentScenario, Downstream};
use oauth_engine::types::Scope;

/// The two scopes a learner types: what the first tool needs (and every
/// request), and what the second does.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum ScopeField {
    First,
    Second,
}

impl ScopeField {
    pub(super) const ALL: [Self; 2] = [Self::First, Self::Second];

    pub(super) fn id(self) -> &'static str {
        match self {
            Self::First => "agent-first-scope",
            Self::Second => "agent-second-scope",
        }
    }

    pub(super) fn label(self) -> &'static str {
        match self {
            Self::First => "Scope the first tool (list_events) needs",
            Self::Second => "Scope the second tool (create_event) needs",
        }
    }

    pub(super) fn text(self, settings: &AgentScenario) -> &str {
        match self {
            Self::First => &settings.first_tool_scope,
            Self::Second => &settings.second_tool_scope,
        }
    }

    pub(super) fn text_mut(self, settings: &mut AgentScenario) -> &mut String {
        match self {
            Self::First => &mut settings.first_tool_scope,
            Self::Second => &mut settings.second_tool_scope,
        }
    }

    /// Why the text cannot be used, if it cannot: a scope is one or more
    /// space-separated tokens (RFC 6749 section 3.3).
    pub(super) fn problem(self, settings: &AgentScenario) -> Option<String> {
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
pub(super) struct Check {
    pub(super) id: &'static str,
    pub(super) label: &'static str,
    pub(super) get: fn(&AgentScenario) -> bool,
    pub(super) set: fn(&mut AgentScenario, bool),
}

pub(super) const REGISTRATION: [Check; 3] = [
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

pub(super) const SAFEGUARDS: [Check; 4] = [
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

pub(super) const USER: [Check; 1] = [Check {
    id: "agent-approve",
    label: "The user approves the agent's access",
    get: |s| s.user.approve,
    set: |s, on| s.user.approve = on,
}];

/// What the tool server does downstream, each in the place of its option.
pub(super) const DOWNSTREAM: [Downstream; 3] = [
    Downstream::None,
    Downstream::Passthrough,
    Downstream::Exchange,
];

pub(super) const DOWNSTREAM_OPTIONS: [(&str, &str); 3] = [
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

pub(super) fn downstream_value(downstream: Downstream) -> &'static str {
    let at = DOWNSTREAM
        .iter()
        .position(|d| *d == downstream)
        .unwrap_or(0);
    DOWNSTREAM_OPTIONS[at].0
}

pub(super) fn downstream_from(value: &str) -> Option<Downstream> {
    let at = DOWNSTREAM_OPTIONS.iter().position(|(v, _)| *v == value)?;
    Some(DOWNSTREAM[at])
}

/// Every yes/no setting.
pub(super) fn all_checks() -> impl Iterator<Item = &'static Check> {
    REGISTRATION.iter().chain(&SAFEGUARDS).chain(&USER)
}

/// The downstream drop-down's element id.
pub(super) const DOWNSTREAM_ID: &str = "agent-downstream";

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
