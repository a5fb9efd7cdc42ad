#!/usr/bin/env bash
# Sets everything up, then runs every check and test, stopping at the first
# failure, and prints a summary. CI runs this same script (.ci/run).
set -uo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/env.sh"
cd "$ROOT"

bash scripts/setup.sh || exit 1
# Again, now that Cargo's registry exists (the wasm flags, scripts/env.sh).
source scripts/env.sh

SUBPATH_DIST="target/dist-subpath"
declare -a SUMMARY=()
started_all=$SECONDS

summary() {
  echo
  echo "Summary"
  for line in "${SUMMARY[@]}"; do echo "  $line"; done
  echo "  total $((SECONDS - started_all)) s"
  local passed failed
  passed=$(printf '%s\n' "${SUMMARY[@]}" | grep -c '^passed')
  failed=$(printf '%s\n' "${SUMMARY[@]}" | grep -c '^FAILED')
  echo
  echo "steps: $passed passed, $failed failed"
}

# step NAME COMMAND...: runs one step; on failure prints the summary and stops.
step() {
  local name="$1"
  shift
  echo
  echo "==> $name"
  local started=$SECONDS
  if "$@"; then
    SUMMARY+=("passed  $name ($((SECONDS - started)) s)")
  else
    SUMMARY+=("FAILED  $name ($((SECONDS - started)) s)")
    summary
    echo
    echo "FAILED at: $name"
    exit 1
  fi
}

step "format (cargo fmt --check)" cargo fmt --all -- --check
step "lint, native (cargo clippy -D warnings)" \
  cargo clippy --workspace --all-targets --locked -- -D warnings
step "lint, wasm32 (cargo clippy -D warnings)" \
  cargo clippy --workspace --all-targets --locked --target wasm32-unknown-unknown -- -D warnings
# The app as Trunk builds it, with its split points (feature "split").
step "lint, wasm32 app with code splitting (cargo clippy -D warnings)" \
  cargo clippy -p oauth-playground --features split --locked --target wasm32-unknown-unknown -- -D warnings
step "native tests (cargo test)" cargo test --workspace --locked
# --tests: doctests cannot run on wasm32.
# The runner gives a test binary 20 s to load and run by default; a debug
# build of the Flow screen's tests can take longer on a busy 2-core machine.
step "browser tests (wasm-bindgen-test, headless Chromium)" \
  env WASM_BINDGEN_TEST_TIMEOUT="${WASM_BINDGEN_TEST_TIMEOUT:-120}" \
  cargo test --workspace --locked --tests --target wasm32-unknown-unknown
# Client libraries nobody here wrote against the simulated servers.
step "interop tests (oauth4webapi, openid-client, jose, the MCP SDK)" bash scripts/interop.sh
step "release build (trunk build --release)" trunk build --release --locked
step "release build under a sub-path" \
  trunk build --release --locked --public-url /tools/oauth-playground/ --dist "$SUBPATH_DIST"
step "end-to-end tests (Playwright, axe-core)" \
  env SUBPATH_DIST="$ROOT/$SUBPATH_DIST" node --test --test-concurrency=1 tests/e2e/*.test.mjs
step "size budget (first visit, gzip -9)" node tests/e2e/size.mjs

summary
