// Trunk post_build step (scripts/post-build.sh), after the chunks are
// staged: lets a first visit fetch every wasm chunk its screen needs while
// the main wasm is still downloading, instead of one round trip after the
// app has started and its router has asked for them.
//
// The split loader (split-<hash>.js) names above each shared chunk the
// split points that use it, and each route's own chunk is
// split___<route>_route_view_<id>-<hash>.wasm. From those, a small script
// goes into index.html ahead of the stylesheets (a script after them waits
// for them): it reads the route from the address, relative to the page's
// <base>, so a sub-path needs nothing more, and adds a preload for each of
// that route's files, with the credentials mode of the loader's fetch().
// The loader itself, which the main JS imports, gets a modulepreload.
import { readdir, readFile, writeFile } from "node:fs/promises";
import { join } from "node:path";

const stage = process.env.TRUNK_STAGING_DIR;
if (process.env.TRUNK_PROFILE !== "release") process.exit(0);

// Each screen's path and the split point that draws it (src/app.rs).
const ROUTES = { flow: "flow", jwt: "jwt", compare: "lab", attacks: "lab", lessons: "lab" };

const loaderName = (await readdir(stage)).find((file) => /^split-[\w-]+\.js$/.test(file));
if (!loaderName) process.exit(0);
const loader = await readFile(join(stage, loaderName), "utf8");

// Every chunk with the split points that load it: a chunk's own comment
// lists them; a route's own chunk carries its split point in its name.
const chunks = [];
for (const [, users, file] of loader.matchAll(/\/\* ([^*]+) \*\/\s*const __chunk_\d+ = makeLoad\(\(\) => \{\s*const src = fetch\(new URL\("\.\/([^"]+)"/g)) {
  chunks.push({ file, users: users.split(",").map((user) => user.trim()) });
}
for (const [, file, point] of loader.matchAll(/new URL\("\.\/(split_(__\w+_route_view_\d+)-\w+\.wasm)"/g)) {
  chunks.push({ file, users: [point] });
}
const filesFor = (splitPoint) =>
  chunks.filter((chunk) => chunk.users.some((user) => user.startsWith(`__${splitPoint}_route_view_`))).map((chunk) => chunk.file);
const routes = Object.fromEntries(Object.entries(ROUTES).map(([path, point]) => [path, filesFor(point)]));
for (const [path, files] of Object.entries(routes)) {
  if (files.length === 0) throw new Error(`preload: no chunk found for /${path} in ${loaderName}`);
}

const script =
  `<link rel=modulepreload crossorigin href=${loaderName}>` +
  `<script>(function(){var r=${JSON.stringify(routes)},b=new URL(document.baseURI).pathname,p=location.pathname,` +
  `f=p.indexOf(b)===0&&r[p.slice(b.length).split("/")[0]]||[];f.forEach(function(h){` +
  `var l=document.createElement("link");l.rel="preload";l.as="fetch";l.crossOrigin="anonymous";` +
  `l.type="application/wasm";l.href=h;document.head.appendChild(l)})})()</script>`;

const index = join(stage, "index.html");
const html = await readFile(index, "utf8");
const at = html.indexOf("<link");
if (at < 0) throw new Error("preload: index.html has no <link> to put the preloads before");
await writeFile(index, html.slice(0, at) + script + html.slice(at));
console.log(`preload: ${Object.entries(routes).map(([path, files]) => `/${path} ${files.length}`).join(", ")} chunks`);
