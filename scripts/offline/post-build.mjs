// Trunk post_build step (scripts/post-build.sh): writes the list of the
// build's files and a version into the staged service worker (sw.js), so it
// can cache the whole app at install. The version is a hash of every file,
// so any change to the build makes the browser install the new worker.
// Development builds keep the worker's empty list: it caches nothing.
import { createHash } from "node:crypto";
import { readdir, readFile, writeFile } from "node:fs/promises";
import { join } from "node:path";

const stage = process.env.TRUNK_STAGING_DIR;
const worker = join(stage, "sw.js");
if (process.env.TRUNK_PROFILE !== "release") process.exit(0);

// Not cached: the worker itself (the browser fetches it fresh to find
// updates) and 404.html (a copy of index.html for hosts without an SPA
// fallback; the worker answers from index.html).
const files = (await readdir(stage, { recursive: true, withFileTypes: true }))
  .filter((entry) => entry.isFile())
  .map((entry) => join(entry.parentPath ?? entry.path, entry.name).slice(stage.length + 1))
  .filter((file) => file !== "sw.js" && file !== "404.html")
  .sort();
const hash = createHash("sha256");
for (const file of files) {
  hash.update(file);
  hash.update(await readFile(join(stage, file)));
}
const version = hash.digest("hex").slice(0, 16);

const source = await readFile(worker, "utf8");
const written = source
  .replace('const VERSION = "development";', `const VERSION = "${version}";`)
  .replace("const FILES = [];", `const FILES = ${JSON.stringify(files)};`);
if (written === source) throw new Error("post-build: sw.js has no VERSION/FILES lines to fill in");
await writeFile(worker, written);
console.log(`post-build: service worker ${version} caches ${files.length} files`);
