#!/usr/bin/env bash
# Benchmarks (numbers, not pass/fail): the engine's full scenario natively
# and in headless Chromium, with the wasm/native ratio; then the Flow
# screen in the release build (step to paint, long tasks); each screen's
# load on a first visit, throttled as a phone and not; then JWT decode
# and verify, the engine against jose in one Chromium page, and the JWT
# debugger per keystroke. Writes the report to target/bench-report.txt as
# well.
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/env.sh"
cd "$ROOT"
bash scripts/setup.sh >/dev/null

echo "Running the engine scenario benchmark (release build, native then wasm)..."
native=$(cargo bench -q -p oauth-engine --bench scenario 2>/dev/null | grep '^bench native:')
wasm=$(cargo bench -q -p oauth-engine --bench scenario --target wasm32-unknown-unknown 2>&1 | grep '^bench wasm:')

field() { sed -E "s/.*$1=\"?([^\" ]+)\"?.*/\1/" <<<"$2"; }
step() { sed -E 's/.*slowest_step="([^"]+)".*/\1/' <<<"$1"; }

report=$(
  cat <<REPORT
Engine benchmark: one full scenario (authorize with PKCE, token, API call,
refresh, API call), median of $(field runs "$native") runs; release build.

                  whole scenario   slowest step          first step (key load included)
  native          $(field scenario_ms "$native") ms         $(field slowest_step_ms "$native") ms ($(step "$native"))   $(field first_step_ms "$native") ms
  wasm (Chromium) $(field scenario_ms "$wasm") ms        $(field slowest_step_ms "$wasm") ms ($(step "$wasm"))   $(field first_step_ms "$wasm") ms
  wasm / native   $(awk -v w="$(field scenario_ms "$wasm")" -v n="$(field scenario_ms "$native")" 'BEGIN { printf "%.1fx", w / n }')

Goals in the browser: a whole scenario under 50 ms, no step over one frame (16 ms),
the first step well inside the 100 ms the page has to show it:
  scenario $(awk -v w="$(field scenario_ms "$wasm")" 'BEGIN { print (w < 50 ? "met" : "NOT met") }'), slowest step $(awk -v w="$(field slowest_step_ms "$wasm")" 'BEGIN { print (w < 16 ? "met" : "NOT met") }'), first step $(awk -v w="$(field first_step_ms "$wasm")" 'BEGIN { print (w < 100 ? "met" : "NOT met") }') (engine side; the Flow screen adds its render)
REPORT
)
echo "Building the release app for the Flow screen benchmark..."
trunk build --release --locked >/dev/null 2>&1
report="$report

$(node tests/e2e/flow-bench.mjs)"
# Each screen's first visit, throttled as a phone on slow 4G and not.
report="$report

$(node tests/e2e/load-bench.mjs)"

# The engine's JWT functions for JavaScript (crates/jwt-bench-web), built
# and optimized as the app's wasm is (release profile, then wasm-opt with
# the app's flags from index.html). A plain wasm-bindgen call like this one
# goes straight through scripts/split/wasm-bindgen to the real CLI.
echo "Building the engine's JWT functions for the JWT benchmark..."
cargo build -q --release --locked --target wasm32-unknown-unknown -p jwt-bench-web
rm -rf target/jwt-bench
wasm-bindgen --target web --out-dir target/jwt-bench target/wasm32-unknown-unknown/release/jwt_bench_web.wasm
# --emit-relocs (.cargo/config.toml, for the app's wasm-split) leaves the
# linker's "linking" and "reloc.*" sections in this wasm; wasm-opt cannot
# keep them right and nothing here needs them, so they go first.
node scripts/strip-link-sections.mjs target/jwt-bench/jwt_bench_web_bg.wasm
read -r -a opt_params <<<"$(sed -n 's/.*data-wasm-opt-params="\([^"]*\)".*/\1/p' index.html)"
wasm-opt -Oz "${opt_params[@]}" target/jwt-bench/jwt_bench_web_bg.wasm -o target/jwt-bench/jwt_bench_web_bg.wasm
report="$report

$(node tests/e2e/jwt-bench.mjs)"
echo "$report"
mkdir -p target
echo "$report" >target/bench-report.txt
