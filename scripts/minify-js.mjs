// Trunk post_build step (scripts/post-build.sh), release builds only:
// minifies the JavaScript every visit downloads (wasm-bindgen's glue and
// the split loader), which Trunk leaves as wasm-bindgen wrote it: 9.9 KB
// of gzip becomes 7.6 on every first visit. Names that other files import
// (the exports, the import object's keys) are kept: terser mangles only
// local names in module mode. Trunk gave index.html a subresource
// integrity hash of each file it links; a minified file gets its new hash
// there, or the browser would refuse it.
import { createHash } from "node:crypto";
import { readdir, readFile, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { minify } from "terser";

const stage = process.env.TRUNK_STAGING_DIR;
if (process.env.TRUNK_PROFILE !== "release") process.exit(0);

const integrity = (text) => "sha384-" + createHash("sha384").update(text).digest("base64");

const indexPath = join(stage, "index.html");
let index = await readFile(indexPath, "utf8");
// The service worker (public/sw.js) is small and gets its file list later.
const scripts = (await readdir(stage)).filter((file) => file.endsWith(".js") && file !== "sw.js");
for (const file of scripts) {
  const path = join(stage, file);
  const source = await readFile(path, "utf8");
  const { code } = await minify(source, { module: true, compress: true, mangle: true });
  await writeFile(path, code);
  const before = integrity(source);
  if (index.includes(before)) index = index.replaceAll(before, integrity(code));
  console.log(`minify-js: ${file} ${source.length} -> ${code.length} bytes`);
}
await writeFile(indexPath, index);
