/**
 * The fuzz engine: walks every route of the app's route tree as one visitor (anonymous, a customer
 * or a member of staff) and sends hostile values to every path parameter, query field, form field
 * and JSON body it can find, failing on any 5xx. Routes come from `app.routes` (new routes are
 * fuzzed without anyone listing them); form fields come from the <form>s of the rendered pages;
 * requests carry a valid CSRF token so that they reach the handlers. Deterministic: fixed seeds.
 */
import fc from "fast-check";
import { join, toFileUrl } from "@/framework/path.ts";
import type { TestApp } from "@/tests/helpers/app.ts";
import { badInputNet } from "@/framework/errors.ts";

/** Fixed seed: a failure found once is found on every run. */
export const SEED = 20261201;

const ROOT = new URL("../../", import.meta.url).pathname;

/** Hand-picked values that broke things before, or break things in general. */
export const HOSTILE: readonly string[] = [
  "\u0000",
  "milk\u0000",
  "x".repeat(100_000),
  "ক".repeat(3_000),
  "99999999999999999999",
  "-99999999999999999999",
  "9223372036854775808",
  "2147483648",
  "1e308",
  "-1",
  "0",
  "1.5",
  "NaN",
  "Infinity",
  "0x10",
  "",
  " ",
  "2026-02-30",
  "0000-00-00",
  "99999-12-31",
  "275760-09-14T00:00",
  "2026-13-01T25:61",
  "\uD800",
  "a\uDFFFb",
  "\u202Eevil\u202C",
  "\u200F\u200Eשלום",
  "👩‍👩‍👧‍👦🐄",
  "ﬁ Ｍｉｌｋ ℌ",
  "e\u0301".repeat(500),
  "' or 1=1 --",
  "<script>alert(1)</script>",
  "%00",
  "../../etc/passwd",
  "a\r\nSet-Cookie: x=1",
  "\t\x1b[31m\x7f",
  "[object Object]",
  "true",
  "null",
];

/** What path parameters get (each route, each method). */
const PATH_VALUES = [
  "\u0000",
  "99999999999999999999",
  "9223372036854775808",
  "-1",
  "1e308",
  "\uD800",
  "k".repeat(3000),
  "../..%2F",
  "\u202Eevil",
];

/** Hostile strings: the fixed list and random ones (any code point, graphemes, numbers, dates). */
export const hostileString: fc.Arbitrary<string> = fc.oneof(
  { weight: 4, arbitrary: fc.constantFrom(...HOSTILE) },
  { weight: 1, arbitrary: fc.string({ unit: "binary", maxLength: 40 }) },
  { weight: 1, arbitrary: fc.string({ unit: "grapheme", maxLength: 40 }) },
  { weight: 1, arbitrary: fc.bigInt().map(String) },
  { weight: 1, arbitrary: fc.double().map(String) },
  {
    weight: 1,
    arbitrary: fc.date({ noInvalidDate: false }).map((d) =>
      Number.isNaN(d.getTime()) ? "Invalid Date" : d.toISOString()
    ),
  },
);

/** Hostile JSON values: wrong types, huge numbers, nested junk, hostile strings. */
export const hostileJson: fc.Arbitrary<unknown> = fc.oneof(
  { weight: 3, arbitrary: hostileString },
  {
    weight: 1,
    arbitrary: fc.constantFrom(
      1e308,
      -1e308,
      99999999999999999999,
      2 ** 31,
      -1,
      0.5,
      null,
      true,
      [],
      {},
      [null],
    ),
  },
  { weight: 1, arbitrary: fc.jsonValue({ maxDepth: 2 }) },
);

/** Requests the schemas let through and only the error mapping's safety net refused (a 400). */
export const netCatches = new Set<string>();

function watchNet(who: string, method: string, path: string, before: number) {
  if (badInputNet.hits > before) {
    netCatches.add(
      `${who}: ${method} ${path.split("?")[0].slice(0, 80)}: ${badInputNet.last.slice(0, 80)}`,
    );
  }
}

/** Keys JSON bodies are made of, besides the fields of the route's forms. */
const JSON_KEYS = [
  "id",
  "action",
  "entries",
  "type",
  "kind",
  "at",
  "date",
  "animalId",
  "clientId",
  "value",
  "amount",
  "status",
  "paymentID",
  "tran_id",
  "val_id",
  "token",
];

/** A JSON body: a bare value, an object of hostile fields, or `{ entries: [objects] }`. */
function jsonBody(keys: string[]): fc.Arbitrary<unknown> {
  const obj = fc.dictionary(fc.constantFrom(...keys), hostileJson, { maxKeys: 6 });
  return fc.oneof(
    hostileJson,
    obj,
    fc.record({ entries: fc.array(obj, { maxLength: 3 }) }),
    fc.array(obj, { maxLength: 3 }),
  );
}

export interface Failure {
  who: string;
  method: string;
  url: string;
  field?: string;
  value?: string;
  status: number;
}

export interface FormSpec {
  method: string;
  action: string;
  fields: [string, string][];
}

const show = (v: unknown) => {
  const s = typeof v === "string" ? v : JSON.stringify(v);
  return s.length > 60
    ? `${JSON.stringify(s.slice(0, 40))}… (${s.length} chars)`
    : JSON.stringify(s);
};

const decode = (s: string) =>
  s.replace(/&amp;/g, "&").replace(/&quot;/g, '"').replace(/&#39;/g, "'").replace(/&lt;/g, "<")
    .replace(/&gt;/g, ">");

function attr(tag: string, name: string): string | null {
  const m = tag.match(new RegExp(`\\s${name}\\s*=\\s*(?:"([^"]*)"|'([^']*)'|([^\\s>]+))`, "i"));
  return m ? decode(m[1] ?? m[2] ?? m[3] ?? "") : null;
}

/** The <form>s of a page: method, action and each named field with a plausible value. */
export function parseForms(html: string, pageUrl: string): FormSpec[] {
  const forms: FormSpec[] = [];
  for (const m of html.matchAll(/<form\b([^>]*)>([\s\S]*?)<\/form>/gi)) {
    const tag = m[1], body = m[2];
    const method = (attr(tag, "method") ?? "get").toUpperCase();
    const action = new URL(attr(tag, "action") || pageUrl, "http://localhost" + pageUrl);
    if (action.origin !== "http://localhost") continue;
    const fields: [string, string][] = [];
    for (
      const f of body.matchAll(/<(input|select|textarea|button)\b([^>]*)>([\s\S]*?<\/select>)?/gi)
    ) {
      const kind = f[1].toLowerCase(), t = f[2];
      const name = attr(t, "name");
      if (!name) continue;
      if (kind === "select") {
        const opt = (f[3] ?? "").match(/<option\b[^>]*\bselected\b[^>]*>/i) ??
          (f[3] ?? "").match(/<option\b[^>]*value="[^"]+"[^>]*>/i);
        fields.push([name, opt ? attr(opt[0], "value") ?? "" : ""]);
      } else if (kind === "button") {
        if (attr(t, "value") !== null) fields.push([name, attr(t, "value")!]);
      } else if (kind === "textarea") {
        fields.push([name, "fuzz note"]);
      } else {
        const type = (attr(t, "type") ?? "text").toLowerCase();
        if ((type === "checkbox" || type === "radio") && !/\schecked\b/i.test(t)) {
          if (!fields.some(([n]) => n === name)) fields.push([name, attr(t, "value") ?? "on"]);
          continue;
        }
        fields.push([name, attr(t, "value") ?? defaultFor(type, name)]);
      }
    }
    forms.push({ method, action: action.pathname + action.search, fields });
  }
  return forms;
}

function defaultFor(type: string, name: string): string {
  if (type === "number") return "1";
  if (type === "date") return "2026-12-02";
  if (type === "datetime-local") return "2026-12-02T06:00";
  if (type === "email") return "fuzz@example.com";
  if (type === "tel") return "+8801711000000";
  if (/phone/i.test(name)) return "+8801711000000";
  return "fuzz";
}

/** A visitor: cookie jar (session + CSRF cookie) and the CSRF token. */
export class Visitor {
  /** Status counts per route path, for seeing what the walk reached (FUZZ_STATS=1). */
  stats = new Map<string, Map<number, number>>();
  count(path: string, status: number) {
    const k = path.split("?")[0];
    const m = this.stats.get(k) ?? new Map<number, number>();
    m.set(status, (m.get(status) ?? 0) + 1);
    this.stats.set(k, m);
  }
  jar = new Map<string, string>();
  token = "";
  constructor(readonly t: TestApp, readonly who: string, cookie = "") {
    for (const c of cookie.split(/;\s*/).filter(Boolean)) {
      const i = c.indexOf("=");
      this.jar.set(c.slice(0, i), c.slice(i + 1));
    }
  }
  cookie() {
    return [...this.jar].map(([k, v]) => `${k}=${v}`).join("; ");
  }
  keep(res: Response) {
    for (const c of res.headers.getSetCookie()) {
      const [pair] = c.split(";");
      const i = pair.indexOf("=");
      const name = pair.slice(0, i).trim(), value = pair.slice(i + 1).trim();
      // Keep the session even if a fuzzed request signs us out: we want to stay signed in.
      if (/session/.test(name) && this.jar.has(name)) continue;
      if (value) this.jar.set(name, value);
    }
  }
  async get(path: string, headers: Record<string, string> = {}) {
    const before = badInputNet.hits;
    const res = await this.t.fetch(path, {
      redirect: "manual",
      headers: { cookie: this.cookie(), accept: "text/html", ...headers },
    });
    this.keep(res);
    this.count(path, res.status);
    watchNet(this.who, "GET", path, before);
    const html = await res.text();
    const token = html.match(/name="_csrf" value="([^"]+)"/)?.[1];
    if (token) this.token = token;
    return { status: res.status, html, location: res.headers.get("location") };
  }
  async send(method: string, path: string, body: BodyInit | null, type?: string, accept?: string) {
    const headers: Record<string, string> = {
      cookie: this.cookie(),
      origin: "http://localhost",
      host: "localhost",
      "x-csrf-token": this.token,
      accept: accept ?? "text/html",
    };
    if (type) headers["content-type"] = type;
    const before = badInputNet.hits;
    const res = await this.t.fetch(path, { method, body, redirect: "manual", headers });
    watchNet(this.who, method, path, before);
    this.keep(res);
    this.count(path, res.status);
    await res.body?.cancel();
    return res.status;
  }
  postForm(path: string, fields: [string, string][]) {
    const body = new URLSearchParams();
    body.append("_csrf", this.token);
    for (const [k, v] of fields) body.append(k, v);
    return this.send("POST", path, body, "application/x-www-form-urlencoded");
  }
}

/** encodeURIComponent, but lone surrogates (which it refuses) go as their raw UTF-16 escapes. */
function encodePath(v: string): string {
  try {
    return encodeURIComponent(v);
  } catch {
    return encodeURIComponent(v.replace(/[\uD800-\uDFFF]/g, "\uFFFD")) + "%ED%A0%80";
  }
}

interface RouteInfo {
  pattern: string;
  file: string;
  methods: Set<string>;
  params: string[];
}

async function routeInfo(t: TestApp): Promise<RouteInfo[]> {
  const out: RouteInfo[] = [];
  for (const r of t.app.routes.routes) {
    const mod = await import(toFileUrl(join(ROOT, "routes", r.file)).href);
    const methods = new Set<string>();
    const h = mod.handler;
    if (typeof h === "function") {
      ["GET", "POST", "PUT", "PATCH", "DELETE"].forEach((m) => methods.add(m));
    } else if (h) Object.keys(h).forEach((m) => methods.add(m.toUpperCase()));
    if (mod.default) methods.add("GET");
    const params = [...r.pattern.matchAll(/:([A-Za-z_][A-Za-z0-9_]*)/g)].map((m) => m[1]);
    out.push({ pattern: r.pattern, file: r.file, methods, params });
  }
  return out;
}

function toUrlPattern(p: string) {
  return new URLPattern({ pathname: p.replace(/\{\.\+\}/g, "+") });
}

/** Paths never fuzzed while signed in: they end the session the walk depends on. */
const SESSION_ENDERS = /^\/(signout|account\/sessions|account\/password|account\/two-factor)/;
/** Streams that never end (server-sent events). */
const STREAMS = /\/events$/;

export interface FuzzOptions {
  /** Random cases per form (besides the sweep of every field with every fixed value). */
  runsPerForm?: number;
  /** Which fixed hostile values each field gets in the deterministic sweep. */
  sweep?: readonly string[];
  /** Restrict to routes whose pattern matches. */
  only?: RegExp;
  log?: boolean;
}

/** Fuzzes every route as `v`; returns the 5xx answers found (empty when all is well). */
export async function fuzzRoutes(v: Visitor, opts: FuzzOptions = {}): Promise<Failure[]> {
  const failures: Failure[] = [];
  const runs = opts.runsPerForm ?? 12;
  // NUL, over-long, past bigint and past int4: what broke before. (Lone surrogates cannot travel in
  // a form body, which is UTF-8: they go in the JSON cases.)
  const sweep = opts.sweep ??
    ["milk\u0000", "x".repeat(100_000), "99999999999999999999", "2147483648"];
  const routes = (await routeInfo(v.t)).filter((r) =>
    (!opts.only || opts.only.test(r.pattern)) && !STREAMS.test(r.pattern) &&
    !(v.jar.size && SESSION_ENDERS.test(r.pattern))
  );
  const note = (f: Omit<Failure, "who">) => {
    failures.push({ who: v.who, ...f });
    if (opts.log !== false) {
      console.error(
        `5xx as ${v.who}: ${f.method} ${f.url}${
          f.field ? ` field ${f.field}=${show(f.value)}` : ""
        } → ${f.status}`,
      );
    }
  };

  // A CSRF cookie and token, from any page that has a form.
  await v.get("/contact");

  // 1. Crawl: static pages first, then the links they show, to find real values for params.
  const concrete = new Map<string, string>(); // pattern → a real URL
  const patterns = routes.filter((r) => r.params.length).map((r) => ({
    r,
    p: toUrlPattern(r.pattern),
  }));
  const pages: string[] = routes.filter((r) => !r.params.length && r.methods.has("GET")).map((r) =>
    r.pattern
  );
  const seen = new Set<string>();
  const statics = new Set(routes.filter((r) => !r.params.length).map((r) => r.pattern));
  const htmlOf = new Map<string, string>();
  for (let i = 0; i < pages.length && i < 400; i++) {
    const path = pages[i];
    if (seen.has(path)) continue;
    seen.add(path);
    const res = await v.get(path);
    if (res.status >= 500) note({ method: "GET", url: path, status: res.status });
    htmlOf.set(path, res.html);
    for (const m of res.html.matchAll(/href="(\/[^"#]*)"/g)) {
      const u = new URL(decode(m[1]), "http://localhost");
      if (statics.has(u.pathname)) continue; // "/admin/iot/devices/new" is not a device
      for (const { r, p } of patterns) {
        if (!concrete.has(r.pattern) && p.test({ pathname: u.pathname })) {
          concrete.set(r.pattern, u.pathname);
          pages.push(u.pathname);
        }
      }
    }
  }

  const fill = (r: RouteInfo, value?: string) => {
    let path = r.pattern.replace(/\{\.\+\}/g, "");
    for (const p of r.params) {
      path = path.replace(`:${p}`, value === undefined ? "1" : encodePath(value));
    }
    return path;
  };

  const timing: [number, string][] = [];
  for (const r of routes) {
    const started = performance.now();
    try {
      await fuzzRoute(r);
    } finally {
      timing.push([performance.now() - started, r.pattern]);
    }
  }
  if (Deno.env.get("FUZZ_STATS")) {
    console.log(
      timing.sort((a, b) => b[0] - a[0]).slice(0, 15).map(([t, p]) => `${p} ${t | 0} ms`),
    );
  }
  async function fuzzRoute(r: RouteInfo) {
    const base = concrete.get(r.pattern) ?? (r.params.length ? fill(r) : r.pattern);

    // 2. Path params: each hostile value in every param.
    if (r.params.length) {
      for (const value of PATH_VALUES) {
        const url = fill(r, value);
        for (const method of r.methods) {
          if (method !== "GET" && method !== "POST") continue;
          const status = method === "GET"
            ? (await v.get(url)).status
            : await v.postForm(url, [["action", "fuzz"]]);
          if (status >= 500) note({ method, url, field: r.params.join(","), value, status });
        }
      }
    }

    if (!r.methods.has("GET") && !r.methods.has("POST")) return;
    let html = htmlOf.get(base);
    if (html === undefined && r.methods.has("GET")) {
      const res = await v.get(base);
      if (res.status >= 500) note({ method: "GET", url: base, status: res.status });
      html = res.html;
    }
    const forms = html ? parseForms(html, base) : [];

    // 3. Query strings: hostile values for the fields of GET forms and the usual names.
    if (r.methods.has("GET")) {
      const names = new Set(["q", "page"]);
      for (const f of forms.filter((f) => f.method === "GET")) {
        f.fields.forEach(([n]) => names.add(n));
      }
      for (const name of names) {
        for (const value of sweep) {
          const url = `${base}?${new URLSearchParams([[name, value]])}`;
          const res = await v.get(url);
          if (res.status >= 500) {
            note({ method: "GET", url: base, field: `?${name}`, value, status: res.status });
          }
        }
      }
    }

    // 4. POST forms found on the page (and posting to this route's own pattern).
    const own = toUrlPattern(r.pattern);
    const posts = forms.filter((f) =>
      f.method === "POST" && own.test({ pathname: new URL(f.action, "http://localhost").pathname })
    );
    if (r.methods.has("POST") && !posts.length) {
      posts.push({ method: "POST", action: base, fields: [["action", "fuzz"], ["id", "1"]] });
    }
    // Every POST route: broken JSON, then JSON bodies of hostile shape (APIs, sync, webhooks).
    if (r.methods.has("POST")) {
      const keys = [...new Set([...posts.flatMap((f) => f.fields.map(([n]) => n)), ...JSON_KEYS])];
      const raw = await v.send("POST", base, "{not json", "application/json", "application/json");
      if (raw >= 500) {
        note({ method: "POST", url: base, field: "json", value: "{not json", status: raw });
      }
      await fc.assert(
        fc.asyncProperty(jsonBody(keys), async (body) => {
          const status = await v.send(
            "POST",
            base,
            JSON.stringify(body),
            "application/json",
            "application/json",
          );
          if (status >= 500) {
            note({ method: "POST", url: base, field: "json", value: JSON.stringify(body), status });
          }
          return true;
        }),
        { seed: SEED, numRuns: runs },
      );
    }
    // One form per distinct set of field names is enough.
    const distinct = new Map<string, FormSpec>();
    for (const f of posts) {
      distinct.set(f.action.split("?")[0] + "|" + f.fields.map(([n]) => n).sort().join(","), f);
    }
    for (const form of distinct.values()) {
      const names = form.fields.map(([n]) => n).filter((n) => n !== "_csrf");
      const withValue = (i: number, value: string): [string, string][] =>
        form.fields.filter(([n]) => n !== "_csrf").map(([n, d]) => [n, n === names[i] ? value : d]);
      // Deterministic sweep: every field with every sweep value.
      for (let i = 0; i < names.length; i++) {
        for (const value of sweep) {
          const status = await v.postForm(form.action, withValue(i, value));
          if (status >= 500) {
            note({ method: "POST", url: form.action, field: names[i], value, status });
          }
        }
      }
      // Random: one or all fields hostile, duplicated fields, the wrong body type.
      await fc.assert(
        fc.asyncProperty(
          fc.nat(Math.max(names.length - 1, 0)),
          hostileString,
          fc.boolean(),
          async (i, value, all) => {
            const fields: [string, string][] = all
              ? form.fields.filter(([n]) => n !== "_csrf").map(([n]) => [n, value])
              : withValue(i, value);
            const status = await v.postForm(form.action, fields);
            if (status >= 500) {
              note({
                method: "POST",
                url: form.action,
                field: all ? "*" : names[i],
                value,
                status,
              });
            }
            return true;
          },
        ),
        { seed: SEED, numRuns: runs },
      );
      // The same fields as JSON with hostile types.
      await fc.assert(
        fc.asyncProperty(
          fc.array(hostileJson, { minLength: names.length, maxLength: names.length }),
          async (vals) => {
            const obj = Object.fromEntries(names.map((n, i) => [n, vals[i]]));
            const status = await v.send(
              "POST",
              form.action,
              JSON.stringify(obj),
              "application/json",
              "application/json",
            );
            if (status >= 500) {
              note({
                method: "POST",
                url: form.action,
                field: "json",
                value: JSON.stringify(obj),
                status,
              });
            }
            return true;
          },
        ),
        { seed: SEED, numRuns: Math.max(2, runs / 4) },
      );
    }
  }
  const total = [...v.stats.values()].reduce(
    (n, m) => n + [...m.values()].reduce((a, b) => a + b, 0),
    0,
  );
  const caught = [...netCatches].filter((c) => c.startsWith(`${v.who}:`));
  if (caught.length) console.log(`caught only by the safety net (400):\n${caught.join("\n")}`);
  console.log(
    `fuzz as ${v.who}: ${total} requests, ${routes.length} routes, ${failures.length} 5xx`,
  );
  if (Deno.env.get("FUZZ_STATS")) {
    for (const [k, m] of [...v.stats].sort()) {
      console.log(v.who, k, JSON.stringify(Object.fromEntries(m)));
    }
  }
  return failures;
}

/**
 * Fails (with every finding listed) on any 5xx, and on input that only the error mapping's safety
 * net refused: the schemas must refuse it first, with a message next to the field.
 */
export function assertNoFindings(failures: Failure[]): void {
  const net = [...netCatches];
  if (!failures.length && !net.length) return;
  throw new Error(
    [
      failures.length ? report(failures) : "",
      net.length
        ? `${net.length} input(s) refused only by the database (a schema should refuse them):\n${
          net.join("\n")
        }`
        : "",
    ].filter(Boolean).join("\n\n"),
  );
}

export function report(failures: Failure[]): string {
  const lines = failures.map((f) =>
    `${f.who}: ${f.method} ${f.url}${f.field ? ` [${f.field}=${show(f.value)}]` : ""} → ${f.status}`
  );
  return `${failures.length} server error(s):\n` + [...new Set(lines)].join("\n");
}
