// Smart Dairy service worker: the staff PWA works in the barn (and on the road) without signal.
// - The offline pages (farm pages /farm…, the rider's /rider, the field rep's /field) are fetched
//   network-first (with a time limit, for weak signal) and a copy is kept — also of the page that
//   installed this worker, whose first load it did not see; offline, the kept copy is shown, else
//   for a farm page the recorder (/farm), else the offline page. The pages keep their entries on
//   the phone and send them when it is back online.
// - Static assets and island bundles have versioned URLs: cache-first.
// - Signing out forgets the kept pages (they hold names and a CSRF token).
// - JSON and form posts (the sync itself) always go to the network.
const VERSION = "sd-v3";
const SHELL = ["/offline", "/farm", "/manifest.webmanifest", "/icons/icon-192.png"];
const NETWORK_TIMEOUT_MS = 6000;

self.addEventListener("install", (event) => {
  event.waitUntil(
    caches.open(VERSION).then((c) => c.addAll(SHELL)).then(() => self.skipWaiting()),
  );
});

self.addEventListener("activate", (event) => {
  event.waitUntil(
    caches.keys()
      .then((keys) => Promise.all(keys.filter((k) => k !== VERSION).map((k) => caches.delete(k))))
      .then(() => self.clients.claim())
      .then(() => self.clients.matchAll({ type: "window" }))
      .then((open) => Promise.all(open.map((c) => keepOpenPage(new URL(c.url))))),
  );
});

/** A page that works offline (its copy is kept). */
function isOfflinePage(path) {
  return path === "/farm" || path.startsWith("/farm/") || path === "/rider" || path === "/field";
}

/**
 * A page open when this worker took over: fetched again and kept, as a visit would be, with the
 * scripts and icons it names (the first load fetched them before this worker could keep them).
 */
async function keepOpenPage(url) {
  if (url.origin !== location.origin || url.search || !isOfflinePage(url.pathname)) return;
  try {
    const res = await fetch(url.pathname, { credentials: "same-origin" });
    if (!res.ok || res.redirected) return;
    const html = await res.clone().text();
    const cache = await caches.open(VERSION);
    const assets = [...html.matchAll(/(?:src|href)="(\/_frsh\/js\/[^"]+|\/[^"]+\?v=[^"]+)"/g)]
      .map((m) => m[1].replaceAll("&amp;", "&"));
    await Promise.all(assets.map(async (a) => {
      if (await cache.match(a)) return;
      const r = await fetch(a);
      if (r.ok) await cache.put(a, r);
    }));
    await cache.put(url.pathname, res); // last: a kept page has its scripts
  } catch {
    // Offline already: the next visit keeps it.
  }
}

/** fetch() that gives up after `ms` (a barn with one bar of signal can hang for minutes). */
function fetchWithin(req, ms) {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error("timeout")), ms);
    fetch(req).then((res) => {
      clearTimeout(timer);
      resolve(res);
    }, (err) => {
      clearTimeout(timer);
      reject(err);
    });
  });
}

async function forgetKeptPages() {
  const cache = await caches.open(VERSION);
  for (const req of await cache.keys()) {
    if (isOfflinePage(new URL(req.url).pathname)) await cache.delete(req);
  }
}

self.addEventListener("fetch", (event) => {
  const req = event.request;
  const url = new URL(req.url);
  if (url.origin !== location.origin) return;
  if (req.method === "POST" && url.pathname === "/signout") {
    event.waitUntil(forgetKeptPages());
    return;
  }
  if (req.method !== "GET") return;
  if (req.mode === "navigate") {
    const offline = isOfflinePage(url.pathname);
    event.respondWith(
      (offline ? fetchWithin(req, NETWORK_TIMEOUT_MS) : fetch(req)).then((res) => {
        // Keep plain pages only (no query: searches would fill the cache), never redirects.
        if (offline && res.ok && !res.redirected && !url.search) {
          const copy = res.clone();
          caches.open(VERSION).then((c) => c.put(url.pathname, copy));
        }
        return res;
      }).catch(async () =>
        (await caches.match(url.pathname)) ??
          (url.pathname.startsWith("/farm/") ? await caches.match("/farm") : undefined) ??
          (await caches.match("/offline")) ??
          new Response("Offline", { status: 503, headers: { "content-type": "text/plain" } })
      ),
    );
    return;
  }
  if (
    url.pathname.startsWith("/_frsh/js/") || url.searchParams.has("v") ||
    url.pathname.startsWith("/icons/")
  ) {
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

// Web Push (services/notify/transports/push.ts): alarms and tasks shown even when no page is
// open; a tap opens (or focuses) the page the message points at.
self.addEventListener("push", (event) => {
  let data = {};
  try {
    data = event.data ? event.data.json() : {};
  } catch {
    data = { body: event.data ? event.data.text() : "" };
  }
  event.waitUntil(
    self.registration.showNotification(data.title || "Smart Dairy", {
      body: data.body || "",
      tag: data.tag,
      data: { url: data.url || "/admin" },
      icon: "/icons/icon-192.png",
      badge: "/icons/icon-192.png",
    }),
  );
});

self.addEventListener("notificationclick", (event) => {
  event.notification.close();
  const url = new URL(event.notification.data?.url || "/admin", self.location.origin).href;
  event.waitUntil(
    self.clients.matchAll({ type: "window", includeUncontrolled: true }).then((list) => {
      for (const c of list) if (c.url === url && "focus" in c) return c.focus();
      return self.clients.openWindow(url);
    }),
  );
});
