//! The attack lab: thirteen attacks from RFC 9700 and its neighbours, each run for real through
//! the in-page network, once with its defence off and once with it on.
//! The attacker's requests are on the trace like anyone's; the outcome is
//! read from the responses, never assumed.
//!
//! Three of them (a stolen access token, a tampered authorization request,
//! a replayed DPoP proof) are defended by OAuth as deployed now, DPoP and
//! PAR: a run of them needs that code, handed to it as a
//! [`Support`](crate::sim::network::Support) like any run's, and without
//! it does not start ([`Stop::NotSupported`]).
//!
//! One file per attack; `attack.rs` holds what an attack and a run of it
//! are, `moves.rs` the attacker's moves and checks several attacks share.
//! This module only dispatches: the types live in `attack.rs`, not here, so
//! that no attack imports the module that runs it.

mod attack;
mod code_interception;
mod code_replay;
mod dpop_proof_replay;
mod implicit_leakage;
mod login_csrf;
mod mix_up;
pub(super) mod moves;
mod pkce_downgrade;
mod redirect_uri;
mod refresh_token_theft;
mod request_tampering;
mod secret_in_bundle;
mod stolen_token;
mod tokens_in_storage;

pub use attack::{Attack, AttackRun, Outcome};
pub use moves::NATIVE_REDIRECT_URI;
pub use pkce_downgrade::Downgrade;

use crate::jose::SigningKey;
use crate::server::{ClientAuthMethod, PkcePolicy, RedirectMatching};
use crate::sim::network::Support;
use crate::sim::scenario::{ANALYTICS_SCRIPT, Scenario, code_scenario, implicit_scenario};
use crate::sim::stop::Stop;
use code_interception::code_interception;
use code_replay::code_replay;
use dpop_proof_replay::dpop_proof_replay;
use implicit_leakage::implicit_leakage;
use login_csrf::login_csrf;
use mix_up::mix_up;
use moves::{native_app, stage};
use pkce_downgrade::pkce_downgrade;
use redirect_uri::redirect_uri_manipulation;
use refresh_token_theft::refresh_token_theft;
use request_tampering::request_tampering;
use secret_in_bundle::secret_in_bundle;
use stolen_token::stolen_token_replay;
use tokens_in_storage::tokens_in_storage;

/// Runs `attack` with its defence on or off, signed with the demo key.
/// `support` is the code for DPoP, PAR and the rest: the attacks that
/// need it ([`Attack::needs_support`]) do not run without it
/// ([`Stop::NotSupported`]); the others never use it.
pub fn run_attack(
    attack: Attack,
    defended: bool,
    seed: u64,
    support: Option<Support>,
) -> Result<AttackRun, Stop> {
    run_attack_with(attack, defended, seed, crate::keys::demo_key(), support)
}

/// The PKCE downgrade in the chosen variant (`run_attack` strips).
pub fn run_pkce_downgrade(how: Downgrade, defended: bool, seed: u64) -> AttackRun {
    stage(
        Attack::PkceDowngrade,
        defended,
        native_app(seed, downgrade_policy(defended)),
        crate::keys::demo_key(),
        None,
        &|scenario, network, browser, client| {
            pkce_downgrade(scenario, network, browser, client, how)
        },
    )
}

/// Runs `attack` with its defence on or off, signed with `key`, given
/// `support` as [`run_attack`] is.
pub fn run_attack_with(
    attack: Attack,
    defended: bool,
    seed: u64,
    key: SigningKey,
    support: Option<Support>,
) -> Result<AttackRun, Stop> {
    if attack.needs_support() && support.is_none() {
        return Err(Stop::NotSupported);
    }
    // The first eight run as they always have, without the support even
    // when given it, so that their traces do not change.
    Ok(match attack {
        Attack::LoginCsrf => {
            let mut scenario = seeded(seed);
            // State is the defence in play: no PKCE in this scenario.
            scenario.client.safeguards.use_pkce = false;
            scenario.policy.pkce = PkcePolicy::Optional;
            scenario.client.safeguards.send_state = defended;
            scenario.client.safeguards.check_state = defended;
            stage(attack, defended, scenario, key, None, &login_csrf)
        }
        Attack::CodeInterception => {
            let mut scenario = native_app(seed, PkcePolicy::Optional);
            scenario.client.safeguards.use_pkce = defended;
            stage(attack, defended, scenario, key, None, &code_interception)
        }
        Attack::PkceDowngrade => stage(
            attack,
            defended,
            native_app(seed, downgrade_policy(defended)),
            key,
            None,
            &|scenario, network, browser, client| {
                pkce_downgrade(scenario, network, browser, client, Downgrade::Strip)
            },
        ),
        Attack::CodeReplay => {
            let mut scenario = seeded(seed);
            // No PKCE: only single use stands between the leaked code and
            // the attacker.
            scenario.client.safeguards.use_pkce = false;
            scenario.policy.pkce = PkcePolicy::Optional;
            scenario.policy.single_use_codes = defended;
            scenario.policy.revoke_on_code_reuse = defended;
            stage(attack, defended, scenario, key, None, &code_replay)
        }
        Attack::RedirectUriManipulation => {
            let mut scenario = seeded(seed);
            scenario.policy.redirect_matching = if defended {
                RedirectMatching::Exact
            } else {
                RedirectMatching::Prefix
            };
            stage(
                attack,
                defended,
                scenario,
                key,
                None,
                &redirect_uri_manipulation,
            )
        }
        Attack::RefreshTokenTheft => {
            let mut scenario = seeded(seed);
            scenario.policy.rotate_refresh_tokens = defended;
            scenario.policy.detect_refresh_reuse = defended;
            stage(attack, defended, scenario, key, None, &refresh_token_theft)
        }
        Attack::MixUp => {
            let mut scenario = seeded(seed);
            scenario.client.safeguards.check_issuer = defended;
            stage(attack, defended, scenario, key, None, &mix_up)
        }
        Attack::ImplicitLeakage => {
            let scenario = if defended {
                code_scenario(seed)
            } else {
                implicit_scenario(seed)
            };
            stage(attack, defended, scenario, key, None, &implicit_leakage)
        }
        Attack::StolenTokenReplay => {
            let mut scenario = seeded(seed);
            // RFC 9449 sections 5 and 7: the client proves its key, and
            // the server binds every token to it.
            scenario.client.dpop = defended;
            scenario.policy.require_dpop = defended;
            stage(
                attack,
                defended,
                scenario,
                key,
                support,
                &stolen_token_replay,
            )
        }
        Attack::RequestTampering => {
            let mut scenario = seeded(seed);
            // The app needs only to read; it is registered for more.
            scenario.client.scope = "read".into();
            scenario.registration.allowed_scope = "read write".into();
            // RFC 9126 sections 4 and 5: the client pushes its request,
            // and the server refuses one that was not pushed.
            scenario.client.use_par = defended;
            scenario.policy.require_par = defended;
            stage(attack, defended, scenario, key, support, &request_tampering)
        }
        Attack::DpopProofReplay => {
            let mut scenario = seeded(seed);
            // DPoP throughout: only the API's checks of the proof differ,
            // which the attack sets once the API has its DPoP check.
            scenario.client.dpop = true;
            scenario.policy.require_dpop = true;
            stage(attack, defended, scenario, key, support, &|s, n, b, c| {
                dpop_proof_replay(s, n, b, c, defended)
            })
        }
        Attack::SecretInBundle => {
            let mut scenario = seeded(seed);
            // The callback page loads the analytics script the code leaks
            // through.
            scenario.callback_page_loads = vec![ANALYTICS_SCRIPT.into()];
            if !defended {
                // Registered as confidential, its secret built into the
                // bundle, and PKCE dropped: "we have a secret".
                let secret = "spa-secret-from-the-build";
                scenario.client.client_secret = Some(secret.into());
                scenario.client.auth_method = ClientAuthMethod::ClientSecretPost;
                scenario.registration.client_secret = Some(secret.into());
                scenario.client.safeguards.use_pkce = false;
                scenario.policy.pkce = PkcePolicy::Optional;
            }
            stage(attack, defended, scenario, key, None, &secret_in_bundle)
        }
        Attack::TokensInStorage => {
            let mut scenario = seeded(seed);
            // RFC 9449 section 5: a public client's refresh token is bound
            // to the key its proofs are signed with, as the access token is.
            scenario.client.dpop = defended;
            scenario.policy.require_dpop = defended;
            stage(attack, defended, scenario, key, support, &tokens_in_storage)
        }
    })
}

/// The default scenario (a single-page app, code with PKCE), with `seed`.
fn seeded(seed: u64) -> Scenario {
    Scenario {
        seed,
        ..Scenario::default()
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
