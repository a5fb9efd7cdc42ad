//! The lab screens: Implicit vs Code side by side, the attack lab, and
//! where tokens live. They draw engine runs with the Flow screen's
//! diagram, and share one code-split chunk with the lessons (`app`); the
//! two screens of runs side by side have a chunk of their own behind it
//! (`side_by_side`).

pub mod attacks;
mod choice;
pub mod compare;
pub mod side_by_side;
mod stepped;
mod stepper;
mod storage;

use leptos::prelude::*;

use crate::browser::load_screen_styles;
use crate::components::drawn;
use side_by_side::{Pick, side_by_side_screen};

/// The last segment of each lab screen's path, in `LabScreen::ALL`'s
/// order: the lab route's paths (`app::LAB_SCREENS`).
pub const SCREEN_NAMES: [&str; 4] = ["compare", "attacks", "lessons", "token-storage"];

/// The lab's screens, one route.
#[derive(Clone, Copy, PartialEq)]
enum LabScreen {
    Compare,
    Attacks,
    Lessons,
    TokenStorage,
}

impl LabScreen {
    const ALL: [Self; 4] = [
        Self::Compare,
        Self::Attacks,
        Self::Lessons,
        Self::TokenStorage,
    ];

    /// The screen at `path`, by its last segment; none for another path.
    fn at(path: &str) -> Option<Self> {
        let last = path.trim_end_matches('/').rsplit('/').next()?;
        let at = SCREEN_NAMES.iter().position(|name| *name == last)?;
        Some(Self::ALL[at])
    }
}

/// The lab route's screen, by the path. The router keeps a route's view
/// when a link leads to another of its paths and only changes the path it
/// matched, so the screen follows that path, with its stylesheets.
pub fn screen() -> AnyView {
    let matched = leptos_router::hooks::use_matched();
    // One closure for both: one copy of the drawing code.
    let side_by_side = |title, pick: Pick| drawn(move || side_by_side_screen(title, pick));
    (move || {
        let screen = matched.with(|path| LabScreen::at(path));
        load_screen_styles();
        match screen.unwrap_or(LabScreen::Lessons) {
            LabScreen::Compare => side_by_side("Implicit vs Code", |chunk| chunk.compare_screen),
            LabScreen::Attacks => drawn(attacks::AttackLab),
            LabScreen::TokenStorage => {
                side_by_side("Where tokens live", |chunk| chunk.storage_screen)
            }
            LabScreen::Lessons => drawn(crate::lessons::LessonsScreen),
        }
    })
    .into_any()
}

/// The lab's runs are seeded: the same page shows the same codes and
/// tokens to everyone in a room, and a link reproduces them.
pub const LAB_SEED: u64 = 1;

/// How long the packet takes over one exchange when a step is shown (the
/// lessons step at the same pace).
pub const STEP_MILLIS: u64 = 700;

#[cfg(test)]
mod tests {
    use super::LabScreen;

    #[test]
    fn the_lab_screen_is_the_paths_last_segment_at_the_root_or_under_a_sub_path() {
        assert!(LabScreen::at("/compare") == Some(LabScreen::Compare));
        assert!(LabScreen::at("/attacks/") == Some(LabScreen::Attacks));
        assert!(LabScreen::at("/tools/oauth-playground/lessons") == Some(LabScreen::Lessons));
        assert!(LabScreen::at("/token-storage") == Some(LabScreen::TokenStorage));
        for other in ["/", "", "/flow", "/compare-x"] {
            assert!(LabScreen::at(other).is_none(), "{other}");
        }
    }
}
