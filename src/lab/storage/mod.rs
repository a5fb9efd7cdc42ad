//! Where tokens live: the same browser app built four ways, each signed in
//! for real, attacked by the same injected script, and closed, after
//! draft-ietf-oauth-browser-based-apps (the engine's
//! `sim::token_storage`). The four runs step together, each with its
//! diagram and what the page's JavaScript can reach, over a table of what
//! the attacker got, read from the runs.
//!
//! The runs and their views are in the lab's side-by-side chunk
//! (`lab::side_by_side`), with Implicit vs Code.

mod outcome;
mod runs;

pub use runs::draw;
