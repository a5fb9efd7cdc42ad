//! The agent's settings in a share link (`flow::share`): each one that
//! differs from the flow's own, as an `agent_` parameter named after its
//! element id, and back.

use oauth_engine::sim::agent::AgentScenario;

use super::LinkPair;
use super::fields::{DOWNSTREAM_ID, ScopeField, all_checks, downstream_from, downstream_value};

/// A setting's name in a share link: its element id in snake case
/// (`agent-first-scope` is `agent_first_scope`), so the two cannot drift
/// apart.
fn param(id: &str) -> String {
    id.replace('-', "_")
}

/// The settings that differ from the flow's own, as link parameters.
pub(super) fn link_pairs(settings: &AgentScenario) -> Vec<LinkPair> {
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
pub(super) fn from_link(pairs: &[LinkPair]) -> (AgentScenario, Vec<String>) {
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

#[cfg(test)]
mod tests {
    use super::*;
    use oauth_engine::sim::agent::Downstream;

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
}
