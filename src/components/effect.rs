//! Effects compiled once.

use leptos::prelude::*;

/// `Effect::new` for an effect that needs no previous value, through one
/// closure type: an effect's machinery is compiled once per closure type,
/// and the screens have a dozen of them.
pub fn effect(run: Box<dyn Fn()>) {
    Effect::new(run);
}
