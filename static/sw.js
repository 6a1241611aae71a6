// Smart Dairy service worker: the staff PWA works in the barn without signal.
// - Farm pages (/farm…) are fetched network-first (with a time limit, for weak signal) and a copy
//   is kept; offline, the kept copy is shown, else the recorder (/farm), else the offline page.
//   The recorder keeps its entries in IndexedDB and sends them when the phone is back online.
// - Static assets and island bundles have versioned URLs: cache-first.
// - Signing out forgets the kept farm pages (they hold names and a CSRF token).
// - JSON and form posts (the sync itself) always go to the network.
const VERSION = "sd-v2";
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
      .then(() => self.clients.claim()),
  );
});

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

async function forgetFarmPages() {
  const cache = await caches.open(VERSION);
  for (const req of await cache.keys()) {
    const path = new URL(req.url).pathname;
    if (path.startsWith("/farm/")) await cache.delete(req);
  }
}

self.addEventListener("fetch", (event) => {
  const req = event.request;
  const url = new URL(req.url);
  if (url.origin !== location.origin) return;
  if (req.method === "POST" && url.pathname === "/signout") {
    event.waitUntil(forgetFarmPages());
    return;
  }
  if (req.method !== "GET") return;
  if (req.mode === "navigate") {
    const farm = url.pathname === "/farm" || url.pathname.startsWith("/farm/") ||
      url.pathname === "/rider" || // the rider's phone page works offline the same way
      url.pathname === "/field"; // and the field sales rep's
    event.respondWith(
      (farm ? fetchWithin(req, NETWORK_TIMEOUT_MS) : fetch(req)).then((res) => {
        // Keep plain pages only (no query: searches would fill the cache), never redirects.
        if (farm && res.ok && !res.redirected && !url.search) {
          const copy = res.clone();
          caches.open(VERSION).then((c) => c.put(url.pathname, copy));
        }
        return res;
      }).catch(async () =>
        (await caches.match(url.pathname)) ??
          (farm ? await caches.match("/farm") : undefined) ??
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
