// Trunk post_build step (scripts/post-build.sh), after the chunks are
// staged and before the JavaScript is minified (it reads the loader's
// comments). Two things a code-split screen needs on a first visit:
//
// Its wasm chunks, fetched while the main wasm is still downloading rather
// than one round trip after the app has started and its router has asked
// for them. The split loader (split-<hash>.js) names above each shared
// chunk the split points that use it, and each route's own chunk is
// split___<route>_route_view_<id>-<hash>.wasm.
//
// Its stylesheets, and no other screen's. Trunk links every stylesheet in
// index.html; those of the code-split screens are taken out here, and the
// page adds them when a screen asks (window.screenStyles, which the app
// calls as a route starts: src/browser.rs, load_screen_styles), after the
// stylesheets every screen uses, so the cascade keeps its order.
//
// Both are done by a small script that goes into index.html ahead of the
// stylesheets (a script after them waits for them): it reads the route from
// the address, relative to the page's <base>, so a sub-path needs nothing
// more, preloads that route's chunks (with the credentials mode of the
// loader's fetch()) and stylesheets. The loader itself, which the main JS
// imports, gets a modulepreload.
import { readdir, readFile, writeFile } from "node:fs/promises";
import { join } from "node:path";

const stage = process.env.TRUNK_STAGING_DIR;
if (process.env.TRUNK_PROFILE !== "release") process.exit(0);

// Each screen's path and the chunks it needs first, by name (src/app.rs).
const ROUTES = {
  flow: "flow",
  jwt: "jwt",
  pkce: "pkce",
  compare: "runs",
  attacks: "lab",
  lessons: "lab",
  "token-storage": "runs",
};
// Each name's split points: a route's, and for the lab's two screens of
// runs side by side, the chunk of theirs that they load at once
// (src/lab/side_by_side.rs), preloaded with the lab's.
const POINTS = {
  flow: ["__flow_route_view_"],
  jwt: ["__jwt_route_view_"],
  pkce: ["__pkce_route_view_"],
  lab: ["__lab_route_view_"],
  runs: ["__lab_route_view_", "load_side_by_side_"],
};
// The stylesheets (style/*.css) each screen uses, in cascade order, by its
// path: the lab's three screens share a split point, not their styles.
// Every other stylesheet is for every screen.
const STYLES = {
  flow: ["diagram", "flow"],
  jwt: ["jwt"],
  pkce: ["pkce"],
  compare: ["diagram", "lab"],
  attacks: ["diagram", "lab"],
  lessons: ["diagram", "lab", "lessons"],
  "token-storage": ["diagram", "lab"],
};

const loaderName = (await readdir(stage)).find((file) => /^split-[\w-]+\.js$/.test(file));
if (!loaderName) process.exit(0);
const loader = await readFile(join(stage, loaderName), "utf8");

// Every chunk with the split points that load it: a chunk's own comment
// lists them; a route's own chunk carries its split point in its name.
const chunks = [];
for (const [, users, file] of loader.matchAll(/\/\* ([^*]+) \*\/\s*const __chunk_\d+ = makeLoad\(\(\) => \{\s*const src = fetch\(new URL\("\.\/([^"]+)"/g)) {
  chunks.push({ file, users: users.split(",").map((user) => user.trim()) });
}
for (const [, file, point] of loader.matchAll(/new URL\("\.\/(split_(\w+_\d+)-\w+\.wasm)"/g)) {
  chunks.push({ file, users: [point] });
}
const filesFor = (prefixes) =>
  chunks.filter((chunk) => chunk.users.some((user) => prefixes.some((prefix) => user.startsWith(prefix)))).map((chunk) => chunk.file);
// Each name's files once; the lab's screens share theirs.
const points = Object.fromEntries(Object.entries(POINTS).map(([name, prefixes]) => [name, filesFor(prefixes)]));
for (const [point, files] of Object.entries(points)) {
  if (files.length === 0) throw new Error(`preload: no chunk found for the ${point} split point in ${loaderName}`);
}

// Trunk's <link>s of the screens' stylesheets come out of the page; their
// hashed names go into the script.
const index = join(stage, "index.html");
let html = await readFile(index, "utf8");
const sheetNames = new Set(Object.values(STYLES).flat());
const sheets = {};
html = html.replace(/<link\b[^>]*>/g, (tag) => {
  const href = /\bhref="?([^" >]+)/.exec(tag)?.[1] ?? "";
  const file = href.split("/").pop();
  const name = /^([a-z]+)-[0-9a-f]+\.css$/.exec(file)?.[1];
  if (!/\brel="?stylesheet\b/.test(tag) || !sheetNames.has(name)) return tag;
  sheets[name] = file;
  return "";
});
const styles = Object.fromEntries(
  Object.entries(STYLES).map(([screen, names]) => [
    screen,
    names.map((name) => sheets[name] ?? (() => { throw new Error(`preload: index.html links no ${name}-<hash>.css`); })()),
  ]),
);

// The shared chunks go in as their numbers (chunk_<n>-<suffix>.wasm), which
// the script spells out again: a shorter page for every visit.
const suffix = /^split(-[\w-]+)\.js$/.exec(loaderName)[1];
const numbered = Object.fromEntries(
  Object.entries(points).map(([name, files]) => [
    name,
    files.map((file) => {
      const number = new RegExp(`^chunk_(\\d+)${suffix}\\.wasm$`).exec(file)?.[1];
      return number ? Number(number) : file;
    }),
  ]),
);

const script =
  `<link rel=modulepreload crossorigin href=${loaderName}>` +
  `<script>(function(){var g=${JSON.stringify(ROUTES)},r=${JSON.stringify(numbered)},s=${JSON.stringify(styles)},` +
  `b=new URL(document.baseURI).pathname,p=location.pathname,k=p.indexOf(b)===0&&p.slice(b.length).split("/")[0];` +
  `function a(t,h,e){var l=document.createElement("link");l.rel=t;l.href=h;` +
  `if(e){l.as=e;if(e=="fetch"){l.crossOrigin="anonymous";l.type="application/wasm"}}document.head.appendChild(l)}` +
  `window.screenStyles=function(p){(s[p.replace(/\\/$/,"").split("/").pop()]||[]).forEach(function(h){` +
  `document.querySelector('link[rel=stylesheet][href="'+h+'"]')||a("stylesheet",h)})};` +
  `if(r[g[k]]){r[g[k]].forEach(function(h){a("preload",h>0?"chunk_"+h+"${suffix}.wasm":h,"fetch")});s[k].forEach(function(h){a("preload",h,"style")})}})()</script>`;

const at = html.indexOf("<link");
if (at < 0) throw new Error("preload: index.html has no <link> to put the preloads before");
await writeFile(index, html.slice(0, at) + script + html.slice(at));
console.log(
  `preload: ${Object.entries(points).map(([point, files]) => `${point} ${files.length} chunks`).join("; ")}; ` +
    Object.entries(styles).map(([screen, sheets]) => `${screen} ${sheets.length} stylesheets`).join("; "),
);
