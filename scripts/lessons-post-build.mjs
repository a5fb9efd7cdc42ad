// Trunk post_build step (scripts/post-build.sh), release builds only, for
// the lessons shipped in lessons/:
//
// 1. Into index.json, each listed lesson's card: what the Lessons screen
//    shows of it (its title, summary and run, how many stops and
//    questions), so the list draws from one file instead of fetching every
//    lesson (src/lessons/index.rs reads them; 18 requests and 12 KB of
//    gzip fewer on a first visit to /lessons). A lesson opens from its own
//    file, always. A lesson an instructor adds to a deployed lessons/
//    folder has no card, and the list reads its file. A shipped lesson
//    edited there opens as edited, but keeps its old card on the list
//    until the app is rebuilt (or its card is taken out of index.json).
// 2. Every file written without the indentation it is kept with here, where
//    the lessons are examples to read. A file that is not JSON is left as it
//    is, so the app can name the problem (src/lessons/problems.rs).
import { readdir, readFile, writeFile } from "node:fs/promises";
import { join } from "node:path";

const stage = process.env.TRUNK_STAGING_DIR;
if (process.env.TRUNK_PROFILE !== "release") process.exit(0);

const folder = join(stage, "lessons");
const read = async (file) => {
  try {
    return JSON.parse(await readFile(join(folder, file), "utf8"));
  } catch {
    return undefined;
  }
};

const index = await read("index.json");
if (index && Array.isArray(index.lessons)) {
  const cards = {};
  for (const file of index.lessons) {
    const lesson = await read(file);
    if (!lesson || !Array.isArray(lesson.stops)) continue;
    cards[file] = {
      title: lesson.title,
      summary: lesson.summary,
      run: lesson.run,
      stops: lesson.stops.length,
      questions: lesson.stops.filter((stop) => stop && stop.ask !== undefined).length,
    };
  }
  index.cards = cards;
  await writeFile(join(folder, "index.json"), JSON.stringify(index));
}

let before = 0;
let after = 0;
for (const file of (await readdir(folder)).filter((name) => name.endsWith(".json") && name !== "index.json")) {
  const path = join(folder, file);
  const source = await readFile(path, "utf8");
  const lesson = await read(file);
  if (lesson === undefined) continue;
  const compact = JSON.stringify(lesson);
  await writeFile(path, compact);
  before += source.length;
  after += compact.length;
}
console.log(`lessons-post-build: ${Object.keys(index?.cards ?? {}).length} cards in index.json; lessons ${before} -> ${after} bytes`);
