//! Exports of a trace into other tools' languages: a Mermaid sequence
//! diagram to paste into documentation. (A single request exports as curl:
//! `Request::to_curl`.)

use std::fmt::Write;

use super::flow::Flow;
use super::trace::{Exchange, lanes};
use crate::channel::Channel;

/// Background of a front-channel exchange: warm, like the browser's lane.
const FRONT_COLOUR: &str = "rgba(255, 183, 77, 0.18)";
/// Background of a back-channel exchange: cool, server to server.
const BACK_COLOUR: &str = "rgba(100, 149, 237, 0.18)";

/// The trace as a Mermaid `sequenceDiagram`: one participant per lane, one
/// solid arrow per request and one dotted arrow per response, each
/// exchange shaded by its channel and labelled with it. Labels carry the
/// method and path only, never a query, so no code or token is exported.
pub fn to_mermaid(trace: &[Exchange], flow: Flow) -> String {
    let mut out = String::from("sequenceDiagram\n    autonumber\n");
    for party in lanes(trace) {
        // Writing to a String cannot fail.
        let _ = writeln!(
            out,
            "    participant {} as {}",
            party.mermaid_id(),
            label(party.lane_label(flow))
        );
    }
    for exchange in trace {
        let colour = match exchange.channel {
            Channel::Front => FRONT_COLOUR,
            Channel::Back => BACK_COLOUR,
        };
        let from = exchange.from.mermaid_id();
        let to = exchange.to.mermaid_id();
        let request = label(&format!(
            "{} ({})",
            exchange.request_line(),
            exchange.channel.label()
        ));
        let status = label(&exchange.status_line());
        let _ = write!(
            out,
            "    rect {colour}\n        {from}->>{to}: {request}\n        \
             {to}-->>{from}: {status}\n    end\n"
        );
    }
    out
}

/// `text` reduced to what Mermaid reads as plain message text. `;` and a
/// newline end a statement, `#` starts an entity code, `:` separates the
/// text, `%%` starts a comment and `<` can open HTML: only letters, digits,
/// space and `/._()-` are kept, anything else becomes a space.
fn label(text: &str) -> String {
    let kept: String = text
        .chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() || " /._()-".contains(c) {
                c
            } else {
                ' '
            }
        })
        .collect();
    kept.split_whitespace().collect::<Vec<_>>().join(" ")
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::clock::UnixTime;
    use crate::http::{Request, Response, Url};
    use crate::sim::trace::Party;
    #[cfg(target_arch = "wasm32")]
    use wasm_bindgen_test::wasm_bindgen_test as test;

    fn exchange(
        from: Party,
        to: Party,
        channel: Channel,
        request: Request,
        status: u16,
    ) -> Exchange {
        Exchange {
            from,
            to,
            channel,
            navigates: channel == Channel::Front,
            fragment: None,
            request,
            response: Response::new(status),
            at: UnixTime(0),
            explanation: String::new(),
            rfc_refs: Vec::new(),
        }
    }

    fn url(text: &str) -> Url {
        Url::parse(text).unwrap()
    }

    #[test]
    fn a_small_trace_renders_as_a_sequence_diagram() {
        let trace = [
            exchange(
                Party::Browser,
                Party::AuthorizationServer,
                Channel::Front,
                Request::get(url("https://as.example/authorize?state=secret")),
                200,
            ),
            exchange(
                Party::Client,
                Party::AuthorizationServer,
                Channel::Back,
                Request::post_form(url("https://as.example/token"), &[("code", "secret")]),
                400,
            ),
        ];
        assert_eq!(
            to_mermaid(&trace, Flow::AuthorizationCode),
            "sequenceDiagram\n    autonumber\n\
             \x20   participant B as User and browser\n\
             \x20   participant C as Client\n\
             \x20   participant AS as Authorization server\n\
             \x20   rect rgba(255, 183, 77, 0.18)\n\
             \x20       B->>AS: GET /authorize (front channel)\n\
             \x20       AS-->>B: 200 OK\n\
             \x20   end\n\
             \x20   rect rgba(100, 149, 237, 0.18)\n\
             \x20       C->>AS: POST /token (back channel)\n\
             \x20       AS-->>C: 400 Bad Request\n\
             \x20   end\n"
        );
    }

    #[test]
    fn the_device_is_the_client_lane_of_the_device_flow() {
        let trace = [exchange(
            Party::Client,
            Party::AuthorizationServer,
            Channel::Back,
            Request::get(url("https://as.example/device_authorization")),
            200,
        )];
        assert!(to_mermaid(&trace, Flow::Device).contains("participant C as Device (client)\n"));
    }

    #[test]
    fn the_attacker_has_a_lane_of_its_own_last() {
        let trace = [
            exchange(
                Party::Attacker,
                Party::AuthorizationServer,
                Channel::Back,
                Request::post_form(url("https://as.example/token"), &[("code", "stolen")]),
                400,
            ),
            exchange(
                Party::Browser,
                Party::ThirdParty,
                Channel::Front,
                Request::get(url("https://analytics.example/a.js")),
                200,
            ),
        ];
        let diagram = to_mermaid(&trace, Flow::AuthorizationCode);
        assert!(
            diagram
                .contains("participant TP as Third-party site\n    participant ATK as Attacker\n")
        );
        assert!(diagram.contains("ATK->>AS: POST /token (back channel)\n"));
    }

    #[test]
    fn a_hostile_path_yields_only_safe_labels() {
        let hostile = Url {
            path: "/a;#:%0A<script>\nalert(1)%%x".into(),
            ..url("https://evil.example/")
        };
        let trace = [exchange(
            Party::Browser,
            Party::ThirdParty,
            Channel::Front,
            Request::get(hostile),
            999,
        )];
        let diagram = to_mermaid(&trace, Flow::AuthorizationCode);
        for line in diagram.lines() {
            let Some((_, text)) = line.split_once(": ") else {
                continue;
            };
            assert!(
                text.chars()
                    .all(|c| c.is_ascii_alphanumeric() || " /._()-".contains(c)),
                "{text:?}"
            );
        }
        assert!(diagram.contains("B->>TP: GET /a 0A script alert(1) x (front channel)\n"));
        assert!(diagram.contains("TP-->>B: 999\n"));
        // One statement per line: the newline in the path did not split one.
        assert_eq!(diagram.lines().count(), 2 + 2 + 4);
    }
}
