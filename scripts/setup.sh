#!/usr/bin/env bash
# Installs everything the app needs to build, serve and test. Idempotent:
# each step checks first and is skipped when the right version is there, so
# only a fresh machine pays (about 30 minutes, mostly compiling trunk and
# wasm-bindgen-cli).
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/env.sh"
cd "$ROOT"

ok() { printf '  ok    %s\n' "$1"; }
doing() { printf '  setup %s\n' "$1"; }
fail() {
  printf '\nsetup failed: %s\nhow to fix: %s\n' "$1" "$2" >&2
  exit 1
}

as_root() {
  if [ "$(id -u)" -eq 0 ]; then "$@"; elif command -v sudo >/dev/null; then sudo "$@"; else return 1; fi
}

echo "Setting up OAuth Playground (scripts/setup.sh)"

# 1. Rust and the wasm32 target.
command -v cargo >/dev/null && command -v rustup >/dev/null ||
  fail "cargo and rustup are not on PATH" "install Rust with rustup (the machine's toolchain, 1.95)"
if rustup target list --installed | grep -qx wasm32-unknown-unknown; then
  ok "Rust target wasm32-unknown-unknown"
else
  doing "Rust target wasm32-unknown-unknown"
  rustup target add wasm32-unknown-unknown ||
    fail "could not add the wasm32-unknown-unknown target" "run: rustup target add wasm32-unknown-unknown"
fi

# 2. Trunk, which builds and serves the app. 0.22 needs a newer rustc.
if [ "$(trunk --version 2>/dev/null)" = "trunk $TRUNK_VERSION" ]; then
  ok "trunk $TRUNK_VERSION"
else
  doing "trunk $TRUNK_VERSION (cargo install, 15-25 minutes on 2 cores)"
  cargo install --locked trunk --version "$TRUNK_VERSION" ||
    fail "cargo install trunk $TRUNK_VERSION failed" "check that crates.io is reachable and rerun scripts/setup.sh"
fi

# 3. wasm-bindgen CLI and test runner, same version as the crate in Cargo.lock.
#    No --locked: a locked dependency of it is missing from the registry.
if [ "$(wasm-bindgen --version 2>/dev/null)" = "wasm-bindgen $WASM_BINDGEN_VERSION" ] &&
  command -v wasm-bindgen-test-runner >/dev/null; then
  ok "wasm-bindgen-cli $WASM_BINDGEN_VERSION"
else
  doing "wasm-bindgen-cli $WASM_BINDGEN_VERSION (cargo install, about 10 minutes)"
  cargo install wasm-bindgen-cli --version "$WASM_BINDGEN_VERSION" ||
    fail "cargo install wasm-bindgen-cli $WASM_BINDGEN_VERSION failed" \
      "rerun scripts/setup.sh; the version must equal wasm-bindgen in Cargo.lock"
fi

# 3b. wasm-split-cli (crate wasm_split_cli_support): cuts the lazy routes'
#     code out of the release wasm (scripts/split/). About 2 minutes.
if cargo install --list | grep -qx "wasm_split_cli_support v$WASM_SPLIT_VERSION:"; then
  ok "wasm-split-cli $WASM_SPLIT_VERSION"
else
  doing "wasm-split-cli $WASM_SPLIT_VERSION (cargo install, about 2 minutes)"
  cargo install --locked wasm_split_cli_support --version "$WASM_SPLIT_VERSION" --features build-binary ||
    fail "cargo install wasm_split_cli_support $WASM_SPLIT_VERSION failed" \
      "check that crates.io is reachable and rerun scripts/setup.sh"
fi

# 4. Chromium and ChromeDriver from Debian, for browser and end-to-end tests.
if [ -x "$CHROMIUM" ] && [ -x "$CHROMEDRIVER" ]; then
  ok "chromium and chromedriver"
else
  doing "chromium and chromedriver (apt-get)"
  { as_root apt-get update -qq && as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium chromium-driver >/dev/null; } ||
    fail "apt-get could not install chromium and chromium-driver" \
      "run as root: apt-get update && apt-get install -y chromium chromium-driver"
fi

# 5. Node packages: playwright-core, axe-core, jose (an independent JOSE
#    implementation for the JWT tests and benchmark) and binaryen's wasm-opt.
command -v npm >/dev/null ||
  fail "node and npm are not on PATH" "install Node.js 20 or newer (apt-get install nodejs npm)"
# npm ci runs again whenever package-lock.json changes (its hash is stamped)
# or a package the tests and scripts load is missing.
lock_hash="$(sha256sum package-lock.json | cut -d' ' -f1)"
node_packages_present() {
  local package
  for package in playwright-core @axe-core/playwright binaryen jose; do
    [ -f "node_modules/$package/package.json" ] || return 1
  done
}
if [ "$(cat node_modules/.setup-stamp 2>/dev/null)" = "$lock_hash" ] && node_packages_present; then
  ok "node packages (package-lock.json)"
else
  doing "node packages (npm ci)"
  npm ci --no-audit --no-fund --loglevel=error ||
    fail "npm ci failed" "check that the npm registry is reachable and rerun scripts/setup.sh"
  echo "$lock_hash" >node_modules/.setup-stamp
fi

# 6. wasm-opt must be binaryen 132 from npm: Debian's (108) builds an app
#    that fails at run time.
[ "$(wasm-opt --version 2>/dev/null)" = "wasm-opt version $WASM_OPT_VERSION (version_$WASM_OPT_VERSION)" ] ||
  fail "wasm-opt on PATH is not version $WASM_OPT_VERSION ($(command -v wasm-opt || echo missing))" \
    "run npm ci; node_modules/.bin must come before any system wasm-opt on PATH"
ok "wasm-opt $WASM_OPT_VERSION"

echo "Setup complete."
