//! Where everything sits on the sequence diagram. The screen draws from
//! this layout and the SVG export writes it out, so the two always agree.

use oauth_engine::channel::Channel;
use oauth_engine::http::escape_html;
use oauth_engine::sim::flow::Flow;
use oauth_engine::sim::trace::{Exchange, Party, lanes};

// Whole pixels: the diagram's coordinates are integers, so drawing them
// needs no float formatting (7.8 KB gzip off the Flow and lab screens).
pub const LANE_GAP: i32 = 190;
/// Lanes closer together, for two diagrams side by side (Implicit vs
/// Code): still wide enough for two lane labels ("Authorization server")
/// next to each other.
pub const COMPACT_LANE_GAP: i32 = 140;
pub const MARGIN_X: i32 = 100;
pub const HEADER_HEIGHT: i32 = 56;
pub const ROW_HEIGHT: i32 = 30;
pub const FOOTER: i32 = 16;

#[derive(Debug, Clone, PartialEq)]
pub struct Lane {
    pub party: Party,
    pub label: &'static str,
    pub x: i32,
}

/// The request or the response of an exchange.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Leg {
    Request,
    Response,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Arrow {
    /// The exchange this arrow belongs to.
    pub step: usize,
    pub leg: Leg,
    pub channel: Channel,
    pub x1: i32,
    pub x2: i32,
    pub y: i32,
    pub label: String,
    /// Sent or received by an attacker: drawn in the warning colour.
    pub attacker: bool,
}

impl Arrow {
    /// Where the label sits: centred over the arrow.
    pub fn label_x(&self) -> i32 {
        (self.x1 + self.x2) / 2
    }

    pub fn class(&self) -> String {
        let channel = match self.channel {
            Channel::Front => "front",
            Channel::Back => "back",
        };
        let leg = match self.leg {
            Leg::Request => "request",
            Leg::Response => "response",
        };
        format!("arrow arrow--{channel} arrow--{leg}")
    }
}

#[derive(Debug, Clone, PartialEq)]
pub struct Layout {
    pub width: i32,
    pub height: i32,
    pub lanes: Vec<Lane>,
    pub arrows: Vec<Arrow>,
}

impl Layout {
    /// One lane per party in the run; two rows per exchange: the request,
    /// then the response coming back.
    pub fn new(trace: &[Exchange], flow: Flow) -> Self {
        Self::with_lane_gap(trace, flow, LANE_GAP)
    }

    /// [`Layout::new`] with the lanes `lane_gap` apart.
    pub fn with_lane_gap(trace: &[Exchange], flow: Flow, lane_gap: i32) -> Self {
        let lanes: Vec<Lane> = lanes(trace)
            .into_iter()
            .enumerate()
            .map(|(i, party)| Lane {
                party,
                label: party.lane_label(flow),
                x: MARGIN_X + i as i32 * lane_gap,
            })
            .collect();
        let x_of = |party: Party| {
            lanes
                .iter()
                .find(|lane| lane.party == party)
                .map_or(MARGIN_X, |lane| lane.x)
        };
        let mut arrows = Vec::with_capacity(trace.len() * 2);
        for (step, exchange) in trace.iter().enumerate() {
            let (from, to) = (x_of(exchange.from), x_of(exchange.to));
            let attacker = [exchange.from, exchange.to].contains(&Party::Attacker);
            let top = HEADER_HEIGHT + (2 * step) as i32 * ROW_HEIGHT + ROW_HEIGHT * 3 / 4;
            arrows.push(Arrow {
                step,
                leg: Leg::Request,
                channel: exchange.channel,
                x1: from,
                x2: to,
                y: top,
                label: exchange.request_line(),
                attacker,
            });
            arrows.push(Arrow {
                step,
                leg: Leg::Response,
                channel: exchange.channel,
                x1: to,
                x2: from,
                y: top + ROW_HEIGHT,
                label: exchange.status_line(),
                attacker,
            });
        }
        let width = MARGIN_X * 2 + lanes.len().saturating_sub(1) as i32 * lane_gap;
        let height = HEADER_HEIGHT + (2 * trace.len()) as i32 * ROW_HEIGHT + FOOTER;
        Self {
            width,
            height,
            lanes,
            arrows,
        }
    }

    /// The diagram as a standalone SVG file, styled inline so that it looks
    /// the same opened anywhere, `scale` times its size: the file is 1,
    /// the PNG export draws it at 2, sharp on slides.
    pub fn to_svg(&self, title: &str, scale: i32) -> String {
        let mut svg = format!(
            "<svg xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 {w} {h}\" width=\"{sw}\" \
             height=\"{sh}\" font-family=\"system-ui, sans-serif\" font-size=\"12\">\n\
             <title>{title}</title>\n\
             <style>\
             .lane{{stroke:#8a94a3;stroke-dasharray:2 4}}\
             .lane-label{{font-weight:600;fill:#161b22}}\
             .arrow--front{{stroke:#6d28d9;stroke-dasharray:8 5}}\
             .arrow--back{{stroke:#0f6e66}}\
             .arrow{{stroke-width:2;fill:none}}\
             .arrow--response{{stroke-width:1.25}}\
             .arrow-label{{fill:#161b22;text-anchor:middle}}\
             .arrow-label--response{{fill:#4a5361}}\
             </style>\n\
             <rect width=\"100%\" height=\"100%\" fill=\"#ffffff\"/>\n{markers}\n",
            w = self.width,
            h = self.height,
            sw = self.width * scale,
            sh = self.height * scale,
            title = escape_html(title),
            markers = MARKERS,
        );
        for lane in &self.lanes {
            svg.push_str(&format!(
                "<line class=\"lane\" x1=\"{x}\" y1=\"{top}\" x2=\"{x}\" y2=\"{bottom}\"/>\n\
                 <text class=\"lane-label\" x=\"{x}\" y=\"24\" text-anchor=\"middle\">{label}</text>\n",
                x = lane.x,
                top = HEADER_HEIGHT - 16,
                bottom = self.height - FOOTER / 2,
                label = escape_html(lane.label),
            ));
        }
        for arrow in &self.arrows {
            let (marker, label_class) = match arrow.leg {
                Leg::Request => ("head", "arrow-label"),
                Leg::Response => ("open", "arrow-label arrow-label--response"),
            };
            let channel = match arrow.channel {
                Channel::Front => "front",
                Channel::Back => "back",
            };
            svg.push_str(&format!(
                "<line class=\"{class}\" x1=\"{x1}\" y1=\"{y}\" x2=\"{x2}\" y2=\"{y}\" \
                 marker-end=\"url(#{marker}-{channel})\"/>\n\
                 <text class=\"{label_class}\" x=\"{lx}\" y=\"{ly}\">{number}. {label}</text>\n",
                class = arrow.class(),
                x1 = arrow.x1,
                x2 = arrow.x2,
                y = arrow.y,
                lx = arrow.label_x(),
                ly = arrow.y - 5,
                number = arrow.step + 1,
                label = escape_html(&arrow.label),
            ));
        }
        svg.push_str("</svg>\n");
        svg
    }
}

/// Arrowheads: filled for requests, open for responses, one per channel
/// colour, sized in user space so that the current, thicker arrow keeps
/// the same heads. Shared by the screen and the export.
pub const MARKERS: &str = "<defs>\
<marker id=\"head-front\" viewBox=\"0 0 10 10\" refX=\"9\" refY=\"5\" markerUnits=\"userSpaceOnUse\" markerWidth=\"11\" markerHeight=\"11\" orient=\"auto-start-reverse\"><path d=\"M0 0L10 5L0 10z\" fill=\"#6d28d9\"/></marker>\
<marker id=\"head-back\" viewBox=\"0 0 10 10\" refX=\"9\" refY=\"5\" markerUnits=\"userSpaceOnUse\" markerWidth=\"11\" markerHeight=\"11\" orient=\"auto-start-reverse\"><path d=\"M0 0L10 5L0 10z\" fill=\"#0f6e66\"/></marker>\
<marker id=\"open-front\" viewBox=\"0 0 10 10\" refX=\"9\" refY=\"5\" markerUnits=\"userSpaceOnUse\" markerWidth=\"11\" markerHeight=\"11\" orient=\"auto-start-reverse\"><path d=\"M0 0L10 5L0 10\" fill=\"none\" stroke=\"#6d28d9\" stroke-width=\"1.5\"/></marker>\
<marker id=\"open-back\" viewBox=\"0 0 10 10\" refX=\"9\" refY=\"5\" markerUnits=\"userSpaceOnUse\" markerWidth=\"11\" markerHeight=\"11\" orient=\"auto-start-reverse\"><path d=\"M0 0L10 5L0 10\" fill=\"none\" stroke=\"#0f6e66\" stroke-width=\"1.5\"/></marker>\
</defs>";

#[cfg(test)]
mod tests {
    use super::*;
    use oauth_engine::keys::demo_signing_key;
    use oauth_engine::sim::scenario::Scenario;

    fn layout() -> Layout {
        let run = Scenario::default().run(demo_signing_key().unwrap());
        Layout::new(&run.trace, Flow::AuthorizationCode)
    }

    #[test]
    fn every_exchange_has_a_request_and_a_response_arrow_in_order() {
        let layout = layout();
        assert!(layout.arrows.len() >= 12);
        for pair in layout.arrows.chunks(2) {
            assert_eq!(pair[0].leg, Leg::Request);
            assert_eq!(pair[1].leg, Leg::Response);
            assert_eq!((pair[0].x1, pair[0].x2), (pair[1].x2, pair[1].x1));
            assert!(pair[0].y < pair[1].y);
        }
        assert!(layout.arrows.last().unwrap().y < layout.height);
    }

    #[test]
    fn a_compact_layout_only_brings_the_lanes_closer() {
        let run = Scenario::default().run(demo_signing_key().unwrap());
        let wide = Layout::new(&run.trace, Flow::AuthorizationCode);
        let compact = Layout::with_lane_gap(&run.trace, Flow::AuthorizationCode, COMPACT_LANE_GAP);
        let gaps = |layout: &Layout| {
            let xs: Vec<i32> = layout.lanes.iter().map(|lane| lane.x).collect();
            xs.windows(2)
                .map(|pair| pair[1] - pair[0])
                .collect::<Vec<_>>()
        };
        assert!(gaps(&compact).iter().all(|gap| *gap == COMPACT_LANE_GAP));
        assert!(gaps(&wide).iter().all(|gap| *gap == LANE_GAP));
        let lanes = wide.lanes.len() as i32 - 1;
        assert_eq!(
            wide.width - compact.width,
            lanes * (LANE_GAP - COMPACT_LANE_GAP)
        );
        assert_eq!(compact.height, wide.height);
        assert_eq!(compact.arrows.len(), wide.arrows.len());
        for (a, b) in compact.arrows.iter().zip(&wide.arrows) {
            assert_eq!((&a.label, a.y, a.step), (&b.label, b.y, b.step));
        }
    }

    #[test]
    fn the_svg_export_is_one_standalone_document_with_every_arrow() {
        let layout = layout();
        let svg = layout.to_svg("Authorization Code <PKCE>", 1);
        assert!(svg.starts_with("<svg xmlns=\"http://www.w3.org/2000/svg\""));
        assert!(svg.contains("<title>Authorization Code &lt;PKCE&gt;</title>"));
        assert_eq!(svg.matches("marker-end=").count(), layout.arrows.len());
        assert!(svg.contains("1. GET /authorize"));
        assert!(!svg.contains("code="), "no code or token in a label");
    }

    #[test]
    fn at_twice_the_size_the_svg_keeps_its_drawing_and_doubles_its_pixels() {
        let layout = layout();
        let (w, h) = (layout.width, layout.height);
        let svg = layout.to_svg("x", 2);
        assert!(svg.contains(&format!(
            "viewBox=\"0 0 {w} {h}\" width=\"{}\" height=\"{}\"",
            2 * w,
            2 * h
        )));
        let plain = layout.to_svg("x", 1);
        let drawing = |svg: &str| svg.split_once('>').map(|(_, rest)| rest.to_owned());
        assert_eq!(drawing(&svg), drawing(&plain));
    }

    #[test]
    fn a_lane_or_title_with_markup_is_escaped_in_the_svg() {
        let svg = layout().to_svg("<script>alert('x')</script>", 1);
        assert!(svg.contains("<title>&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt;</title>"));
        assert!(!svg.contains("<script>"));
    }
}
