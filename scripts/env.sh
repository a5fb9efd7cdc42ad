# Sourced by the other scripts: where the project's tools live.
# shellcheck shell=bash
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
# scripts/split first: its wasm-bindgen wraps the real one to split the wasm
# at the app's lazy routes (see scripts/split/wasm-bindgen).
export PATH="$ROOT/scripts/split:$HOME/.cargo/bin:$ROOT/node_modules/.bin:$PATH"
export CHROMEDRIVER="${CHROMEDRIVER:-/usr/bin/chromedriver}"
export CHROMIUM="${CHROMIUM:-/usr/bin/chromium}"
# playwright-core drives Debian's Chromium; it must never fetch a browser.
export PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD=1

# Versions that must match each other (see Cargo.toml and Trunk.toml).
TRUNK_VERSION="0.21.14"
WASM_BINDGEN_VERSION="0.2.130"
WASM_OPT_VERSION="132"
WASM_SPLIT_VERSION="0.2.4"
