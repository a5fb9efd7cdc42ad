#!/usr/bin/env bash
# Interop: client libraries nobody here wrote (oauth4webapi, openid-client,
# jose) run every flow against the simulated servers. The engine is built
# for Node (crates/engine-node) and handed to them as their fetch
# (tests/interop/harness.mjs). Arguments pick test files by name:
#   bash scripts/interop.sh                 # all of them
#   bash scripts/interop.sh openid-client   # tests/interop/openid-client.test.mjs
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/env.sh"
cd "$ROOT"

out=target/engine-node
# A debug build: it shares its dependencies with the wasm32 browser tests'.
cargo build -q --locked --target wasm32-unknown-unknown -p engine-node
# A plain wasm-bindgen call goes straight through scripts/split/wasm-bindgen.
wasm-bindgen --target nodejs --out-dir "$out" target/wasm32-unknown-unknown/debug/engine_node.wasm
# The generated glue is CommonJS; the project's package.json says "module".
echo '{ "type": "commonjs" }' >"$out/package.json"

files=()
for name in "$@"; do files+=("tests/interop/$name.test.mjs"); done
[ ${#files[@]} -gt 0 ] || files=(tests/interop/*.test.mjs)
node --test --test-concurrency=1 "${files[@]}"
