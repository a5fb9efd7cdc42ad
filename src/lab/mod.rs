//! The lab screens: Implicit vs Code side by side, and the attack lab.
//! Both draw engine runs with the Flow screen's diagram.

pub mod attacks;
mod choice;
pub mod compare;
mod stepper;

/// The lab's runs are seeded: the same page shows the same codes and
/// tokens to everyone in a room, and a link reproduces them.
pub const LAB_SEED: u64 = 1;

/// How long the packet takes over one exchange when a step is shown (the
/// lessons step at the same pace).
pub const STEP_MILLIS: u64 = 700;
