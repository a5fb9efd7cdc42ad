//! The attack lab: eight attacks from RFC 9700, each run for real through
//! the in-page network, once with its defence off and once with it on.
//! The attacker's requests are on the trace like anyone's; the outcome is
//! read from the responses, never assumed.
//!
//! One file per attack; `attack.rs` holds what an attack and a run of it
//! are, `moves.rs` the attacker's moves and checks several attacks share.
//! This module only dispatches: the types live in `attack.rs`, not here, so
//! that no attack imports the module that runs it.

mod attack;
mod code_interception;
mod code_replay;
mod implicit_leakage;
mod login_csrf;
mod mix_up;
pub(super) mod moves;
mod pkce_downgrade;
mod redirect_uri;
mod refresh_token_theft;

pub use attack::{Attack, AttackRun, Outcome};
pub use moves::NATIVE_REDIRECT_URI;
pub use pkce_downgrade::Downgrade;

use crate::jose::SigningKey;
use crate::server::{PkcePolicy, RedirectMatching};
use crate::sim::scenario::{Scenario, code_scenario, implicit_scenario};
use code_interception::code_interception;
use code_replay::code_replay;
use implicit_leakage::implicit_leakage;
use login_csrf::login_csrf;
use mix_up::mix_up;
use moves::{native_app, stage};
use pkce_downgrade::pkce_downgrade;
use redirect_uri::redirect_uri_manipulation;
use refresh_token_theft::refresh_token_theft;

/// Runs `attack` with its defence on or off, signed with the demo key.
pub fn run_attack(attack: Attack, defended: bool, seed: u64) -> AttackRun {
    run_attack_with(attack, defended, seed, crate::keys::demo_key())
}

/// The PKCE downgrade in the chosen variant (`run_attack` strips).
pub fn run_pkce_downgrade(how: Downgrade, defended: bool, seed: u64) -> AttackRun {
    stage(
        Attack::PkceDowngrade,
        defended,
        native_app(seed, downgrade_policy(defended)),
        crate::keys::demo_key(),
        |scenario, network, browser, client| {
            pkce_downgrade(scenario, network, browser, client, how)
        },
    )
}

/// Runs `attack` with its defence on or off, signed with `key`.
pub fn run_attack_with(attack: Attack, defended: bool, seed: u64, key: SigningKey) -> AttackRun {
    match attack {
        Attack::LoginCsrf => {
            let mut scenario = Scenario {
                seed,
                ..Scenario::default()
            };
            // State is the defence in play: no PKCE in this scenario.
            scenario.client.safeguards.use_pkce = false;
            scenario.policy.pkce = PkcePolicy::Optional;
            scenario.client.safeguards.send_state = defended;
            scenario.client.safeguards.check_state = defended;
            stage(attack, defended, scenario, key, login_csrf)
        }
        Attack::CodeInterception => {
            let mut scenario = native_app(seed, PkcePolicy::Optional);
            scenario.client.safeguards.use_pkce = defended;
            stage(attack, defended, scenario, key, code_interception)
        }
        Attack::PkceDowngrade => stage(
            attack,
            defended,
            native_app(seed, downgrade_policy(defended)),
            key,
            |scenario, network, browser, client| {
                pkce_downgrade(scenario, network, browser, client, Downgrade::Strip)
            },
        ),
        Attack::CodeReplay => {
            let mut scenario = Scenario {
                seed,
                ..Scenario::default()
            };
            // No PKCE: only single use stands between the leaked code and
            // the attacker.
            scenario.client.safeguards.use_pkce = false;
            scenario.policy.pkce = PkcePolicy::Optional;
            scenario.policy.single_use_codes = defended;
            scenario.policy.revoke_on_code_reuse = defended;
            stage(attack, defended, scenario, key, code_replay)
        }
        Attack::RedirectUriManipulation => {
            let mut scenario = Scenario {
                seed,
                ..Scenario::default()
            };
            scenario.policy.redirect_matching = if defended {
                RedirectMatching::Exact
            } else {
                RedirectMatching::Prefix
            };
            stage(attack, defended, scenario, key, redirect_uri_manipulation)
        }
        Attack::RefreshTokenTheft => {
            let mut scenario = Scenario {
                seed,
                ..Scenario::default()
            };
            scenario.policy.rotate_refresh_tokens = defended;
            scenario.policy.detect_refresh_reuse = defended;
            stage(attack, defended, scenario, key, refresh_token_theft)
        }
        Attack::MixUp => {
            let mut scenario = Scenario {
                seed,
                ..Scenario::default()
            };
            scenario.client.safeguards.check_issuer = defended;
            stage(attack, defended, scenario, key, mix_up)
        }
        Attack::ImplicitLeakage => {
            let scenario = if defended {
                code_scenario(seed)
            } else {
                implicit_scenario(seed)
            };
            stage(attack, defended, scenario, key, implicit_leakage)
        }
    }
}

/// The server policy of the PKCE downgrade: PKCE optional (and plain
/// accepted), or required with S256 (RFC 9700 section 2.1.1).
fn downgrade_policy(defended: bool) -> PkcePolicy {
    if defended {
        PkcePolicy::RequireS256
    } else {
        PkcePolicy::Optional
    }
}
