// Smart Dairy service worker: keeps the farm app's shell and an offline page so staff can open
// the app without signal. Pages are fetched network-first; when the network fails, the cached
// copy (or the offline page) is shown. Static assets are cache-first (their URLs are versioned).
const VERSION = "sd-v1";
const SHELL = ["/offline", "/farm", "/manifest.webmanifest", "/icons/icon-192.png"];

self.addEventListener("install", (event) => {
  event.waitUntil(
    caches.open(VERSION).then((c) => c.addAll(SHELL)).then(() => self.skipWaiting()),
  );
});

self.addEventListener("activate", (event) => {
  event.waitUntil(
    caches.keys()
      .then((keys) => Promise.all(keys.filter((k) => k !== VERSION).map((k) => caches.delete(k))))
      .then(() => self.clients.claim()),
  );
});

self.addEventListener("fetch", (event) => {
  const req = event.request;
  if (req.method !== "GET") return;
  const url = new URL(req.url);
  if (url.origin !== location.origin) return;
  if (req.mode === "navigate") {
    event.respondWith(
      fetch(req).then((res) => {
        if (res.ok && url.pathname.startsWith("/farm")) {
          const copy = res.clone();
          caches.open(VERSION).then((c) => c.put(req, copy));
        }
        return res;
      }).catch(async () =>
        (await caches.match(req)) ?? (await caches.match("/offline")) ??
          new Response("Offline", { status: 503 })
      ),
    );
    return;
  }
  if (url.pathname.startsWith("/_frsh/js/") || url.searchParams.has("v") || url.pathname.startsWith("/icons/")) {
    event.respondWith(
      caches.match(req).then((hit) =>
        hit ?? fetch(req).then((res) => {
          if (res.ok) {
            const copy = res.clone();
            caches.open(VERSION).then((c) => c.put(req, copy));
          }
          return res;
        })
      ),
    );
  }
});
