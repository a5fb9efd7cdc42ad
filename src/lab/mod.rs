//! The lab screens: Implicit vs Code side by side, the attack lab, and
//! where tokens live. They draw engine runs with the Flow screen's
//! diagram, and share one code-split chunk with the lessons (`app`); the
//! two screens of runs side by side have a chunk of their own behind it
//! (`side_by_side`).

pub mod attacks;
mod choice;
pub mod compare;
pub mod side_by_side;
mod stepper;
mod storage;

use leptos::prelude::*;

use crate::components::drawn;
use side_by_side::{Pick, side_by_side_screen};

/// The lab route's screen, by the path it was opened at.
pub fn screen() -> AnyView {
    let path = leptos_router::hooks::use_location()
        .pathname
        .get_untracked();
    // One closure for both: one copy of the drawing code.
    let side_by_side = |title, pick: Pick| drawn(move || side_by_side_screen(title, pick));
    if path.ends_with("/compare") {
        side_by_side("Implicit vs Code", |chunk| chunk.compare_screen)
    } else if path.ends_with("/attacks") {
        drawn(attacks::AttackLab)
    } else if path.ends_with("/token-storage") {
        side_by_side("Where tokens live", |chunk| chunk.storage_screen)
    } else {
        drawn(crate::lessons::LessonsScreen)
    }
}

/// The lab's runs are seeded: the same page shows the same codes and
/// tokens to everyone in a room, and a link reproduces them.
pub const LAB_SEED: u64 = 1;

/// How long the packet takes over one exchange when a step is shown (the
/// lessons step at the same pace).
pub const STEP_MILLIS: u64 = 700;
