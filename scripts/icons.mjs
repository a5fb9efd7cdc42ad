// Renders the app's icons for the web app manifest from public/favicon.svg,
// in headless Chromium: icon-192.png and icon-512.png, and maskable-512.png
// (the mark inside the safe zone, on the brand colour to the edges, for
// launchers that cut icons to a circle or a squircle). The PNGs are
// committed; run this again after changing the SVG:
//   node scripts/icons.mjs
import { readFile } from "node:fs/promises";
import { join } from "node:path";
import { ROOT, launch } from "../tests/e2e/support.mjs";

const svg = await readFile(join(ROOT, "public", "favicon.svg"), "utf8");
const browser = await launch();
try {
  const icons = [
    ["icon-192.png", 192, 1, "transparent"],
    ["icon-512.png", 512, 1, "transparent"],
    // The maskable safe zone is the central circle of 80% of the size.
    ["maskable-512.png", 512, 0.7, "#1d4ed8"],
  ];
  for (const [file, size, scale, background] of icons) {
    const page = await browser.newPage({ viewport: { width: size, height: size } });
    const mark = Math.round(size * scale);
    await page.setContent(
      `<body style="margin:0;display:grid;place-items:center;width:${size}px;height:${size}px;background:${background}">` +
        `<img src="data:image/svg+xml,${encodeURIComponent(svg)}" width="${mark}" height="${mark}"></body>`,
    );
    await page.screenshot({ path: join(ROOT, "public", file), omitBackground: background === "transparent" });
    await page.close();
  }
} finally {
  await browser.close();
}
