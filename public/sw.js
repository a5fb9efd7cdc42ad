// The service worker: after one visit, the app runs with no network at all.
//
// At install it caches every file of the build (the list and the version
// below are written in by scripts/offline/post-build.mjs at each release
// build). Pages are fetched from the network first, so a new deploy shows
// at once, and from the cache when there is no network. So are the lesson
// files, which keep their names when an instructor edits them. Every other
// file has a content hash in its name, so the cached copy is always the
// right one. A new build has a new version: the browser installs it beside the
// old one, and once no tab runs the old version it takes over and deletes
// the old cache.
const VERSION = "development";
const FILES = [];

const CACHE = `oauth-playground-${VERSION}`;
const scope = new URL(self.registration.scope);

self.addEventListener("install", (event) => {
  event.waitUntil(
    caches.open(CACHE).then((cache) => cache.addAll(FILES.map((file) => new URL(file, scope).href))),
  );
});

self.addEventListener("activate", (event) => {
  event.waitUntil(
    caches
      .keys()
      .then((names) =>
        Promise.all(
          names
            .filter((name) => name.startsWith("oauth-playground-") && name !== CACHE)
            .map((name) => caches.delete(name)),
        ),
      )
      .then(() => self.clients.claim()),
  );
});

self.addEventListener("fetch", (event) => {
  const { request } = event;
  const url = new URL(request.url);
  // Only the app's own files: anything else (a JWKS the user fetches from
  // another site) goes to the network untouched.
  if (request.method !== "GET" || url.origin !== scope.origin || !url.pathname.startsWith(scope.pathname)) {
    return;
  }
  if (FILES.length === 0) return; // a development build caches nothing
  // Lesson files (lessons/*.json) are the one part of the app an instructor
  // changes without a rebuild: from the network first, so an edited or an
  // added lesson shows at once, each fresh copy kept for offline use.
  if (url.pathname.startsWith(`${scope.pathname}lessons/`)) {
    event.respondWith(
      fetch(request)
        .then((response) => {
          if (response.ok) {
            const copy = response.clone();
            caches.open(CACHE).then((cache) => cache.put(url.href, copy));
          }
          return response;
        })
        .catch(() => caches.match(request, { ignoreSearch: true }).then((cached) => cached ?? Response.error())),
    );
    return;
  }
  if (request.mode === "navigate") {
    event.respondWith(
      fetch(request).catch(() =>
        caches.match(new URL("index.html", scope).href).then((page) => page ?? Response.error()),
      ),
    );
    return;
  }
  event.respondWith(caches.match(request, { ignoreSearch: true }).then((cached) => cached ?? fetch(request)));
});
