// A static file server for the built app, behaving like a plain static host
// (GitHub Pages, S3): files are served from `root` under the URL prefix
// `base`, and any unknown path gets 404.html with status 404. The app ships
// 404.html as a copy of index.html, so deep links still load the app.
import { createServer } from "node:http";
import { gzipSync } from "node:zlib";
import { readFile, stat } from "node:fs/promises";
import { extname, join, normalize, sep } from "node:path";

const TYPES = {
  ".html": "text/html; charset=utf-8",
  ".js": "text/javascript; charset=utf-8",
  ".wasm": "application/wasm",
  ".css": "text/css; charset=utf-8",
  ".svg": "image/svg+xml",
  ".json": "application/json",
  ".webmanifest": "application/manifest+json",
  ".png": "image/png",
};

async function fileAt(root, relative) {
  const path = normalize(join(root, relative));
  if (path !== root && !path.startsWith(root + sep)) return null;
  try {
    const info = await stat(path);
    if (info.isDirectory()) return fileAt(root, join(relative, "index.html"));
    return path;
  } catch {
    return null;
  }
}

/**
 * Starts serving `root` at http://127.0.0.1:<free port><base>, adding
 * `headers` to every answer. With `gzip`, bodies go compressed to a
 * browser that accepts it, at zlib's default level, as static hosts
 * serve them.
 */
export async function serve(root, base = "/", headers = {}, { gzip = false } = {}) {
  const compressed = new Map();
  const server = createServer(async (request, response) => {
    const url = new URL(request.url, "http://127.0.0.1");
    const path = decodeURIComponent(url.pathname);
    let file = null;
    if (path.startsWith(base)) file = await fileAt(root, path.slice(base.length));
    const status = file ? 200 : 404;
    file ??= join(root, "404.html");
    try {
      let body = await readFile(file);
      const encoding = {};
      if (gzip && /\bgzip\b/.test(request.headers["accept-encoding"] ?? "")) {
        if (!compressed.has(file)) compressed.set(file, gzipSync(body));
        body = compressed.get(file);
        encoding["content-encoding"] = "gzip";
      }
      response.writeHead(status, {
        "content-type": TYPES[extname(file)] ?? "application/octet-stream",
        "cache-control": "no-store",
        ...encoding,
        ...headers,
      });
      response.end(body);
    } catch {
      response.writeHead(404, { "content-type": "text/plain" });
      response.end("not found");
    }
  });
  await new Promise((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address();
  return {
    origin: `http://127.0.0.1:${port}`,
    url: `http://127.0.0.1:${port}${base}`,
    // Also drops the browser's kept-alive connections: after close() nothing
    // answers on the port, as when the network is gone.
    close: () =>
      new Promise((resolve) => {
        server.close(resolve);
        server.closeAllConnections();
      }),
  };
}
