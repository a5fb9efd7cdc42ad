#!/usr/bin/env bash
# Trunk's post_build hook (Trunk.toml), in order:
# 1. 404.html as a copy of index.html: static hosts without an SPA fallback
#    serve it for unknown paths, so a deep link or a reload on /pkce works;
# 2. the lazily loaded wasm chunks (scripts/split/);
# 3. the service worker's list of files, last, once every file is staged
#    (scripts/offline/).
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
cp "$TRUNK_STAGING_DIR/index.html" "$TRUNK_STAGING_DIR/404.html"
bash scripts/split/post-build.sh
node scripts/offline/post-build.mjs
