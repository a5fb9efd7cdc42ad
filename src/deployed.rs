//! OAuth as deployed now (DPoP, PAR, `private_key_jwt`, introspection and
//! revocation) for the screens' runs: the engine's code for them
//! (`sim::deployed`) with the P-256 functions it signs and checks with.
//! The app has those in the JWT debugger's key chunk, so they come from
//! there, fetched the first time a run needs them and kept: one copy of the
//! curve arithmetic, and a screen whose runs do not use them downloads
//! nothing more.

use crate::components::{bool_memo, effect};
use leptos::prelude::*;
use oauth_engine::es256::Es256;
use oauth_engine::sim::deployed;
use oauth_engine::sim::network::Support;

/// What a screen says while the P-256 code loads.
pub const LOADING_ES256: &str =
    "Loading the P-256 code this run signs and checks signatures with (DPoP, private_key_jwt)…";

/// The P-256 functions, fetched the first time.
pub async fn load_es256() -> Es256 {
    crate::jwt::crypto::load().await.es256
}

/// The support, once loaded.
pub async fn load_support() -> Support {
    deployed::support(load_es256().await)
}

/// The P-256 functions, loaded once `needed` first says so.
pub fn es256_when(needed: impl Fn() -> bool + Send + Sync + 'static) -> ReadSignal<Option<Es256>> {
    let needed = bool_memo(Box::new(needed));
    let (es256, set_es256) = signal(None);
    effect(Box::new(move || {
        if needed.get() && es256.get_untracked().is_none() {
            leptos::task::spawn_local(async move {
                set_es256.set(Some(load_es256().await));
            });
        }
    }));
    es256
}
