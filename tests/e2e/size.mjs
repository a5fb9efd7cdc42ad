// Size check: the bytes a first visit downloads (every file the browser
// requests to show the home page: HTML, JS, wasm, CSS, icon), each
// compressed with gzip -9, against the budget below. Prints a table; exits
// non-zero over budget. Run after `trunk build --release`.
import { gzipSync } from "node:zlib";
import { readFile } from "node:fs/promises";
import { join } from "node:path";
import { DIST, launch } from "./support.mjs";
import { serve } from "./server.mjs";

// The one place the budget lives. The whole finished app must stay under
// 250 KB; this foundation gets 150 KB. 1 KB = 1000 bytes.
export const FIRST_VISIT_BUDGET_KB = 150;

const server = await serve(DIST, "/");
const browser = await launch();
try {
  const page = await browser.newPage();
  const paths = new Set();
  page.on("request", (request) => {
    const url = new URL(request.url());
    if (url.origin === server.origin) paths.add(url.pathname);
  });
  await page.goto(server.url, { waitUntil: "networkidle" });
  await page.waitForSelector("header.site-header");

  const rows = [];
  for (const path of paths) {
    const file = path === "/" ? "index.html" : decodeURIComponent(path.slice(1));
    const bytes = await readFile(join(DIST, file));
    rows.push({ file, raw: bytes.length, gzip: gzipSync(bytes, { level: 9 }).length });
  }
  rows.sort((a, b) => b.gzip - a.gzip);
  const total = rows.reduce((sum, row) => sum + row.gzip, 0);
  const kb = (n) => (n / 1000).toFixed(1).padStart(7) + " KB";
  console.log("First visit download (gzip -9):");
  for (const row of rows) console.log(`  ${kb(row.gzip)}  (raw ${kb(row.raw).trim()})  ${row.file}`);
  console.log(`  ${kb(total)}  total, budget ${FIRST_VISIT_BUDGET_KB} KB`);
  if (total > FIRST_VISIT_BUDGET_KB * 1000) {
    console.error(`Over budget by ${((total - FIRST_VISIT_BUDGET_KB * 1000) / 1000).toFixed(1)} KB.`);
    process.exitCode = 1;
  }
} finally {
  await browser.close();
  await server.close();
}
