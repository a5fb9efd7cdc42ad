// Trunk post_build step (scripts/post-build.sh), release builds only:
// writes the shipped lessons (lessons/*.json, index.json included) without
// the indentation they are written with. The Lessons screen fetches every
// listed file to draw its cards: 0.6 KB less of gzip on each first visit to
// /lessons. The repository keeps them indented, as examples to read; a
// lesson an instructor drops into a deployed lessons/ folder is served as
// they wrote it. A file that is not JSON is left as it is, so the app can
// name the problem (src/lessons/problems.rs).
import { readdir, readFile, writeFile } from "node:fs/promises";
import { join } from "node:path";

const stage = process.env.TRUNK_STAGING_DIR;
if (process.env.TRUNK_PROFILE !== "release") process.exit(0);

const folder = join(stage, "lessons");
let before = 0;
let after = 0;
for (const file of (await readdir(folder)).filter((name) => name.endsWith(".json"))) {
  const path = join(folder, file);
  const source = await readFile(path, "utf8");
  let value;
  try {
    value = JSON.parse(source);
  } catch {
    continue;
  }
  const compact = JSON.stringify(value);
  await writeFile(path, compact);
  before += source.length;
  after += compact.length;
}
console.log(`minify-lessons: ${before} -> ${after} bytes`);
