#!/usr/bin/env bash
# Trunk post_build hook (Trunk.toml): ships the lazy-loaded wasm chunks that
# scripts/split/wasm-bindgen cut out of the app. Each chunk is optimized with
# the wasm features and options index.html gives Trunk for the main wasm, and
# the loader (split-<hash>.js) is pointed at the main JS under its hashed
# name. Everything is resolved relative to the JS files' own URLs, so a
# --public-url sub-path needs nothing more here.
set -euo pipefail
stage="$TRUNK_STAGING_DIR"
target_dir="$(cargo metadata --format-version 1 --no-deps --offline |
  node -e 'let s="";process.stdin.on("data",d=>s+=d).on("end",()=>console.log(JSON.parse(s).target_directory))')"
split_dir="$target_dir/wasm-bindgen/$TRUNK_PROFILE/wasm_split"
[ -d "$split_dir" ] || exit 0

# Keep in step with data-wasm-opt / data-wasm-opt-params in index.html.
opt_params="--enable-bulk-memory --enable-bulk-memory-opt --enable-multivalue --enable-mutable-globals --enable-nontrapping-float-to-int --enable-reference-types --enable-sign-ext --low-memory-unused --strip-producers --strip-target-features --converge"

for loader in "$split_dir"/split-*.js; do
  [ -e "$loader" ] || exit 0
  name="$(basename "$loader")"
  main_js="$(grep -l -F "./$name" "$stage"/*.js | head -n 1)"
  [ -n "$main_js" ] || { echo "post-build: no JS in $stage imports $name" >&2; exit 1; }
  # The loader imports the main JS as "./<out-name>.js"; Trunk hashed it.
  sed -E "s|from \"\./[^\"]+\.js\"|from \"./$(basename "$main_js")\"|" "$loader" >"$stage/$name"
  grep -o '"\./[^"]*\.wasm"' "$loader" | tr -d '"' | sed 's|^\./||' | while read -r chunk; do
    if [ "$TRUNK_PROFILE" = release ]; then
      # -Oz and -Os, and the one that compresses smaller ships: the
      # smallest raw code is not always the smallest download (-Os took
      # 0.3 KB off the engine's chunk, -Oz is smaller for the Flow screen's).
      # shellcheck disable=SC2086
      wasm-opt -Oz $opt_params "$split_dir/$chunk" -o "$stage/$chunk"
      # shellcheck disable=SC2086
      wasm-opt -Os $opt_params "$split_dir/$chunk" -o "$stage/$chunk.s"
      if [ "$(gzip -9c "$stage/$chunk.s" | wc -c)" -lt "$(gzip -9c "$stage/$chunk" | wc -c)" ]; then
        mv "$stage/$chunk.s" "$stage/$chunk"
      else
        rm "$stage/$chunk.s"
      fi
    else
      cp "$split_dir/$chunk" "$stage/$chunk"
    fi
  done
done
