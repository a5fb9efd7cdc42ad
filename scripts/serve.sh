#!/usr/bin/env bash
# Sets everything up, then builds the release app and serves it at
# http://127.0.0.1:8080 (Ctrl+C stops it).
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/env.sh"
cd "$ROOT"
bash scripts/setup.sh
# Again, now that Cargo's registry exists (the wasm flags, scripts/env.sh).
source scripts/env.sh
echo
echo "Serving OAuth Playground at http://127.0.0.1:8080"
# Exactly the release build users get: no live-reload script injected.
exec trunk serve --release --locked --no-autoreload
