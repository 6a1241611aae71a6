/**
 * The offline outbox pattern shared by the phone pages (the farm recorder, the rider's route, the
 * field sales rep): entries get an id on the phone, wait in the phone's storage, and go to the
 * page's sync endpoint (POST JSON with the CSRF token) when online — now, when the connection
 * comes back, and every 30 s. The server answers per entry; a repeated send is a duplicate there.
 */
import { useEffect, useRef } from "preact/hooks";

/** A v4 UUID (crypto.randomUUID needs a secure context; this does not). */
export function uuid(): string {
  const b = crypto.getRandomValues(new Uint8Array(16));
  b[6] = (b[6] & 15) | 64;
  b[8] = (b[8] & 63) | 128;
  const h = [...b].map((x) => x.toString(16).padStart(2, "0")).join("");
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20)}`;
}

/** A JSON value kept in localStorage, or `fallback` when absent or unreadable. */
export function loadJson<T>(key: string, fallback: T): T {
  try {
    return JSON.parse(localStorage.getItem(key) ?? "") as T;
  } catch {
    return fallback;
  }
}

export function saveJson(key: string, value: unknown): void {
  localStorage.setItem(key, JSON.stringify(value));
}

/**
 * Posts to the sync endpoint `url` with the page's CSRF token. A page served from the offline
 * cache may carry an old token: on 403 it asks `GET url` for a fresh one and tries once more.
 */
export function useSyncPost(url: string, csrf: string): (body: unknown) => Promise<Response> {
  const token = useRef(csrf);
  const post = (body: unknown) =>
    fetch(url, {
      method: "POST",
      headers: {
        "content-type": "application/json",
        accept: "application/json",
        "x-csrf-token": token.current,
      },
      body: JSON.stringify(body),
    });
  return async (body: unknown) => {
    let res = await post(body);
    if (res.status === 403) {
      const r = await fetch(url, { headers: { accept: "application/json" } });
      if (r.ok) token.current = (await r.json()).csrf;
      res = await post(body);
    }
    return res;
  };
}

/**
 * Runs `sync` now, whenever the phone comes online and every 30 s; `onLine` follows the
 * connection (called at once with the current state). `sync` must guard against running twice.
 */
export function useOutboxSync(sync: () => unknown, onLine: (online: boolean) => void): void {
  useEffect(() => {
    onLine(navigator.onLine);
    const on = () => {
      onLine(navigator.onLine);
      if (navigator.onLine) sync();
    };
    addEventListener("online", on);
    addEventListener("offline", on);
    sync();
    const timer = setInterval(sync, 30_000);
    return () => {
      removeEventListener("online", on);
      removeEventListener("offline", on);
      clearInterval(timer);
    };
  }, []);
}
