//! Benchmark (not a test: it asserts nothing about time). One full
//! scenario, as the Flow screen runs it: authorize with PKCE, token, API
//! call, refresh, API call. Prints the median whole-scenario time and the
//! median slowest single step, natively (`cargo bench`) or in headless
//! Chromium (`--target wasm32-unknown-unknown`). `scripts/bench.sh` runs
//! both and reports the wasm/native ratio.

use oauth_engine::jose::SigningKey;
use oauth_engine::rng::SeededRng;
use oauth_engine::sim::scenario::{Scenario, Timeline};

const WARM_UP: usize = 3;
const RUNS: usize = 50;

fn scenario() -> Scenario {
    Scenario {
        // Late enough for the second call to need a refresh first.
        timeline: Timeline {
            between_api_calls: 290,
            ..Timeline::default()
        },
        ..Scenario::default()
    }
}

fn key() -> SigningKey {
    oauth_engine::keys::demo_signing_key().unwrap()
}

/// (whole scenario, slowest step, that step's name), in milliseconds.
fn measure(scenario: &Scenario, key: &SigningKey, now_ms: &dyn Fn() -> f64) -> (f64, f64, String) {
    let start = now_ms();
    let mut last = start;
    let mut slowest = (0.0, String::new());
    let run = scenario.run_observed(
        key.clone(),
        &mut SeededRng::new(scenario.seed),
        &mut |exchange| {
            let now = now_ms();
            if now - last > slowest.0 {
                let name = format!(
                    "{} {}",
                    exchange.request.method.as_str(),
                    exchange.request.url.path
                );
                slowest = (now - last, name);
            }
            last = now;
        },
    );
    let total = now_ms() - start;
    // A run that stopped early would time the wrong thing.
    assert_eq!(
        run.stopped, None,
        "the benchmark scenario must run to the end"
    );
    assert_eq!(run.trace.len(), 8);
    (total, slowest.0, slowest.1)
}

/// From nothing to the first exchange, loading the key included: the
/// engine's share of the time between the page becoming interactive and
/// the first simulated step on screen.
fn first_step(scenario: &Scenario, now_ms: &dyn Fn() -> f64) -> f64 {
    let start = now_ms();
    let mut first = None;
    scenario.run_observed(key(), &mut SeededRng::new(scenario.seed), &mut |_| {
        first.get_or_insert_with(now_ms);
    });
    first.unwrap_or(f64::NAN) - start
}

fn median(mut values: Vec<f64>) -> f64 {
    values.sort_by(f64::total_cmp);
    values[values.len() / 2]
}

/// Runs the benchmark and returns its report line.
fn report(platform: &str, now_ms: &dyn Fn() -> f64) -> String {
    let (scenario, key) = (scenario(), key());
    for _ in 0..WARM_UP {
        measure(&scenario, &key, now_ms);
    }
    let samples: Vec<(f64, f64, String)> = (0..RUNS)
        .map(|_| measure(&scenario, &key, now_ms))
        .collect();
    let step = samples[0].2.clone();
    let total = median(samples.iter().map(|s| s.0).collect());
    let slowest = median(samples.iter().map(|s| s.1).collect());
    let first = median((0..RUNS).map(|_| first_step(&scenario, now_ms)).collect());
    format!(
        "bench {platform}: scenario_ms={total:.3} slowest_step_ms={slowest:.3} first_step_ms={first:.3} slowest_step=\"{step}\" runs={RUNS}"
    )
}

#[cfg(not(target_arch = "wasm32"))]
fn main() {
    let start = std::time::Instant::now();
    println!(
        "{}",
        report("native", &|| start.elapsed().as_secs_f64() * 1000.0)
    );
}

#[cfg(target_arch = "wasm32")]
fn main() {}

#[cfg(target_arch = "wasm32")]
mod browser {
    use wasm_bindgen_test::{
        Criterion, console_log, wasm_bindgen_bench, wasm_bindgen_test_configure,
    };

    wasm_bindgen_test_configure!(run_in_browser);

    /// A bench (the runner runs only these under `cargo bench`); it times
    /// the scenario itself rather than through Criterion, to report the
    /// slowest step as well as the whole.
    #[wasm_bindgen_bench]
    fn scenario_benchmark(_: &mut Criterion) {
        let performance = web_sys::window()
            .and_then(|w| w.performance())
            .expect("performance");
        console_log!("{}", super::report("wasm", &|| performance.now()));
    }
}
