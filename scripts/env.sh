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

# Shorter panic locations in the wasm. A panic's message names its source
# file, and the app carries about two hundred of them, half of them a
# dependency's, whose path would start with this machine's registry directory
# ($CARGO_HOME/registry/src/index.crates.io-<hash>/, 59 characters).
# Dropping that prefix leaves "serde_json-1.0.154/src/read.rs", still
# enough to find the line, and takes 0.1 to 0.6 KB (gzip) off each
# screen's first visit. Cargo adds these flags to .cargo/config.toml's.
# The directory exists once Cargo has fetched a crate: test.sh and serve.sh
# source this file again after setup.sh, for a fresh machine's first run.
# (The standard library's /rustc/<commit>/ paths were compiled into it
# and no flag of a stable rustc shortens them.)
_remap=""
for _dir in "${CARGO_HOME:-$HOME/.cargo}"/registry/src/*/; do
  if [ -d "$_dir" ]; then _remap+=" --remap-path-prefix=$_dir="; fi
done
export CARGO_TARGET_WASM32_UNKNOWN_UNKNOWN_RUSTFLAGS="${_remap# }"
unset _remap _dir
