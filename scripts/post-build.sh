#!/usr/bin/env bash
# Trunk's post_build hook (Trunk.toml), in order:
# 1. the lazily loaded wasm chunks (scripts/split/), and in index.html the
#    preloads of each screen's chunks (scripts/split/preload.mjs);
# 2. 404.html as a copy of index.html: static hosts without an SPA fallback
#    serve it for unknown paths, so a deep link or a reload on /pkce works;
# 3. the service worker's list of files, last, once every file is staged
#    (scripts/offline/).
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
bash scripts/split/post-build.sh
node scripts/split/preload.mjs
cp "$TRUNK_STAGING_DIR/index.html" "$TRUNK_STAGING_DIR/404.html"
node scripts/offline/post-build.mjs
