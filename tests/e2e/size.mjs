// Size check: the bytes a visit downloads (every file the browser requests:
// HTML, JS, wasm, CSS, icon), each compressed with gzip -9, against the
// budgets below. Two visits: the home page, and the Flow screen opened
// directly (the home page's files plus the lazily loaded simulator chunks).
// Prints a table each; exits non-zero over budget. A visit straight to /jwt
// is measured the same way, before and after a key is typed. Run after
// `trunk build --release`.
import { gzipSync } from "node:zlib";
import { readFile } from "node:fs/promises";
import { join } from "node:path";
import { DIST, launch } from "./support.mjs";
import { serve } from "./server.mjs";

// The one place the budgets live. 1 KB = 1000 bytes.
// A first visit (home page): the shell, the PKCE screen, the loader of the
// lazily loaded chunks, and every screen's stylesheet.
export const FIRST_VISIT_BUDGET_KB = 170;
// A first visit straight to /flow: the above plus the simulator chunk (the
// engine with RSA signing and the Flow screen). The project's goal is a
// whole app under 250 KB; this budget only stops it growing while that
// goal is open (see the README's "Size").
export const FLOW_VISIT_BUDGET_KB = 470;
// A first visit straight to /jwt: the home page's files plus the
// debugger's chunk (decoding, claims, the editors and panels) and the code
// it shares with the Flow screen. Over the 250 KB goal by its signing UI;
// the signature code is not in it (next budget). Raised from 283 when the
// decoder was compiled for speed (crates/jose-parse, 1.8 KB) to decode
// faster than jose, and from 285 by issue 14's defect 7 (a token too long
// to draw is shown in part, edited in part and copied whole: 3.5 KB); issue
// 15 brings it to 250.
export const JWT_VISIT_BUDGET_KB = 289;
// The same visit once a key is typed: plus the key and signature chunk
// (RSA, P-256, P-384, P-521, Ed25519, PEM), which loads only then. Raised
// from 420 with the one above, and from 422 by issue 14, which puts ES512
// in this chunk: P-521's arithmetic is 24 KB of it.
export const JWT_WITH_KEY_BUDGET_KB = 450;
// A first visit straight to /lessons: the home page's files plus the lab
// chunk (the lessons, Implicit vs Code and the attack lab share one), the
// engine's simulated servers it shares with /flow, and the lesson files
// the list reads (lessons/*.json).
export const LESSONS_VISIT_BUDGET_KB = 470;
// A first visit straight to /attacks: the same chunks without the lessons.
export const ATTACKS_VISIT_BUDGET_KB = 460;

const server = await serve(DIST, "/");
const browser = await launch();

async function visit(path, ready, act = async () => {}) {
  const page = await browser.newPage();
  const paths = new Set();
  page.on("request", (request) => {
    const url = new URL(request.url());
    if (url.origin === server.origin) paths.add(url.pathname.split("?")[0]);
  });
  await page.goto(server.url + path, { waitUntil: "networkidle" });
  await page.waitForSelector(ready);
  await act(page);
  await page.waitForLoadState("networkidle");
  await page.close();
  const rows = [];
  for (const path of paths) {
    const file = ["/", "/flow", "/jwt", "/lessons", "/attacks"].includes(path) ? "index.html" : decodeURIComponent(path.slice(1));
    const bytes = await readFile(join(DIST, file));
    rows.push({ file, raw: bytes.length, gzip: gzipSync(bytes, { level: 9 }).length });
  }
  return rows.sort((a, b) => b.gzip - a.gzip);
}

const kb = (n) => (n / 1000).toFixed(1).padStart(7) + " KB";

function report(title, rows, budgetKb) {
  const total = rows.reduce((sum, row) => sum + row.gzip, 0);
  console.log(`${title} (gzip -9):`);
  for (const row of rows) console.log(`  ${kb(row.gzip)}  (raw ${kb(row.raw).trim()})  ${row.file}`);
  console.log(`  ${kb(total)}  total, budget ${budgetKb} KB`);
  if (total > budgetKb * 1000) {
    console.error(`Over budget by ${((total - budgetKb * 1000) / 1000).toFixed(1)} KB.`);
    process.exitCode = 1;
  }
}

try {
  report("First visit download, home page", await visit("", "header.site-header"), FIRST_VISIT_BUDGET_KB);
  report("First visit download, straight to /flow", await visit("flow", '[data-testid="diagram"]'), FLOW_VISIT_BUDGET_KB);
  report("First visit download, straight to /jwt", await visit("jwt", '[data-testid="jwt-token"]'), JWT_VISIT_BUDGET_KB);
  report(
    "First visit download, straight to /lessons",
    await visit("lessons", '[data-testid="lesson-link"]'),
    LESSONS_VISIT_BUDGET_KB,
  );
  report(
    "First visit download, straight to /attacks",
    await visit("attacks", '[data-testid="attack-steps-counter"]'),
    ATTACKS_VISIT_BUDGET_KB,
  );
  const typeKey = async (page) => {
    await page.fill('[data-testid="jwt-token"]', "eyJhbGciOiJIUzI1NiJ9.e30.ZRrHA1JJJW8opsbCGfG_HACGpVUMN_a9IV7pAx_Zmeo");
    await page.fill('[data-testid="jwt-key"]', "secret");
    await page.waitForSelector('[data-testid="jwt-verify-result"]:has-text("verified")');
  };
  report(
    "Straight to /jwt, then a key typed",
    await visit("jwt", '[data-testid="jwt-token"]', typeKey),
    JWT_WITH_KEY_BUDGET_KB,
  );
  // After the first visit the service worker downloads the rest of the app
  // in the background, for offline use: reported, not budgeted.
  const { readdir } = await import("node:fs/promises");
  const offline = [];
  for (const entry of await readdir(DIST, { recursive: true, withFileTypes: true })) {
    if (!entry.isFile() || entry.name === "404.html") continue;
    const file = join(entry.parentPath, entry.name);
    const bytes = await readFile(file);
    offline.push({ file, raw: bytes.length, gzip: gzipSync(bytes, { level: 9 }).length });
  }
  const offlineTotal = offline.reduce((sum, row) => sum + row.gzip, 0);
  console.log(`The whole app, cached for offline use after the first visit: ${kb(offlineTotal).trim()} (gzip -9)`);
} finally {
  await browser.close();
  await server.close();
}
