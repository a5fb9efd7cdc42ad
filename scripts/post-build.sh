#!/usr/bin/env bash
# Trunk's post_build hook (Trunk.toml), in order:
# 1. the lazily loaded wasm chunks (scripts/split/);
# 2. in index.html, the preloads of each screen's chunks, which it reads
#    from the loader's comments (scripts/split/preload.mjs); then the
#    JavaScript minified (scripts/minify-js.mjs); the lessons' cards
#    written into their index, and their JSON without indentation
#    (scripts/lessons-post-build.mjs);
# 3. 404.html as a copy of index.html: static hosts without an SPA fallback
#    serve it for unknown paths, so a deep link or a reload on /pkce works;
# 4. the service worker's list of files, last, once every file is staged
#    (scripts/offline/).
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
bash scripts/split/post-build.sh
node scripts/split/preload.mjs
node scripts/minify-js.mjs
node scripts/lessons-post-build.mjs
cp "$TRUNK_STAGING_DIR/index.html" "$TRUNK_STAGING_DIR/404.html"
node scripts/offline/post-build.mjs
