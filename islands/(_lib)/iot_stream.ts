/**
 * Browser side of the live screens: one EventSource per stream URL shared by every island on
 * the page (a device page has a chart per metric; browsers allow only ~6 connections per host
 * over HTTP/1.1). Imported by islands only.
 *
 * Status: "connecting" until the server says `ready` (its MQTT subscription is in place), then
 * "live"; "offline" when the browser gave up (e.g. the session ended) — a new attempt follows
 * after a pause.
 */
export type LiveStatus = "connecting" | "live" | "offline";

type Handler = (data: unknown) => void;

interface Conn {
  es: EventSource | null;
  handlers: Map<string, Set<Handler>>;
  watchers: Set<(s: LiveStatus) => void>;
  status: LiveStatus;
  retry?: ReturnType<typeof setTimeout>;
}

const conns = new Map<string, Conn>();
const RETRY_AFTER_CLOSE_MS = 15_000;

function setStatus(c: Conn, s: LiveStatus) {
  if (c.status === s) return;
  c.status = s;
  for (const w of c.watchers) w(s);
}

function open(url: string, c: Conn) {
  const es = new EventSource(url);
  c.es = es;
  es.addEventListener("ready", () => setStatus(c, "live"));
  es.onerror = () => {
    if (es.readyState === EventSource.CLOSED) {
      setStatus(c, "offline");
      c.retry = setTimeout(() => {
        if (conns.get(url) === c) open(url, c);
      }, RETRY_AFTER_CLOSE_MS);
    } else setStatus(c, "connecting");
  };
  for (const name of c.handlers.keys()) listen(c, name);
}

function listen(c: Conn, name: string) {
  c.es?.addEventListener(name, (e) => {
    let data: unknown;
    try {
      data = JSON.parse((e as MessageEvent).data);
    } catch {
      return;
    }
    for (const h of c.handlers.get(name) ?? []) h(data);
  });
}

function connection(url: string): Conn {
  let c = conns.get(url);
  if (!c) {
    c = { es: null, handlers: new Map(), watchers: new Set(), status: "connecting" };
    conns.set(url, c);
    open(url, c);
  }
  return c;
}

function release(url: string, c: Conn) {
  const used = c.watchers.size || [...c.handlers.values()].some((s) => s.size);
  if (used) return;
  clearTimeout(c.retry);
  c.es?.close();
  conns.delete(url);
}

/** Calls `handler` with each `event` of the stream; returns the unsubscribe function. */
export function onLive<T>(url: string, event: string, handler: (data: T) => void): () => void {
  const c = connection(url);
  let set = c.handlers.get(event);
  if (!set) {
    c.handlers.set(event, set = new Set());
    listen(c, event);
  }
  set.add(handler as Handler);
  return () => {
    set!.delete(handler as Handler);
    release(url, c);
  };
}

/** Calls `fn` with the stream's status now and on every change; returns the unsubscribe. */
export function watchLive(url: string, fn: (s: LiveStatus) => void): () => void {
  const c = connection(url);
  c.watchers.add(fn);
  fn(c.status);
  return () => {
    c.watchers.delete(fn);
    release(url, c);
  };
}
