/**
 * Rendered pages shared between visitors, for routes with `config.cache`. A page is rendered
 * once with placeholders where the per-request values go (the CSP nonce and the visitor's CSRF
 * token) and kept as UTF-8 chunks, so serving it is a copy, not a render or a re-encode.
 */
import { makeNonce } from "./security.ts";

const TTL_MS = 60_000;
const MAX_PAGES = 1000;

interface CachedPage {
  chunks: Uint8Array[];
  /** What goes between chunk i and i+1: the nonce or the CSRF token. */
  slots: ("nonce" | "csrf")[];
  length: number;
  at: number;
  headers: [string, string][];
  usesCsrf: boolean;
}

export class PageCache {
  readonly noncePlaceholder = "nonce" + makeNonce();
  readonly csrfPlaceholder = "csrf" + makeNonce();
  #pages = new Map<string, CachedPage>();
  #encoder = new TextEncoder();

  get(key: string): CachedPage | null {
    const page = this.#pages.get(key);
    if (!page) return null;
    if (Date.now() - page.at >= TTL_MS) {
      this.#pages.delete(key);
      return null;
    }
    return page;
  }

  store(key: string, html: string, headers: Headers): CachedPage {
    const parts = html.split(new RegExp(`(${this.noncePlaceholder}|${this.csrfPlaceholder})`));
    const chunks: Uint8Array[] = [];
    const slots: ("nonce" | "csrf")[] = [];
    parts.forEach((p, i) => {
      if (i % 2 === 0) chunks.push(this.#encoder.encode(p));
      else slots.push(p === this.noncePlaceholder ? "nonce" : "csrf");
    });
    const page: CachedPage = {
      chunks,
      slots,
      length: chunks.reduce((n, c) => n + c.length, 0),
      at: Date.now(),
      headers: [...headers],
      usesCsrf: slots.includes("csrf"),
    };
    if (this.#pages.size >= MAX_PAGES) this.#pages.delete(this.#pages.keys().next().value!);
    this.#pages.set(key, page);
    return page;
  }

  /** The page's bytes with this request's nonce and CSRF token in place. */
  fill(page: CachedPage, nonce: string, csrf = ""): Uint8Array<ArrayBuffer> {
    const n = this.#encoder.encode(nonce);
    const c = this.#encoder.encode(csrf);
    let size = page.length;
    for (const s of page.slots) size += s === "nonce" ? n.length : c.length;
    const out = new Uint8Array(size);
    let o = 0;
    page.chunks.forEach((chunk, i) => {
      if (i > 0) {
        const v = page.slots[i - 1] === "nonce" ? n : c;
        out.set(v, o);
        o += v.length;
      }
      out.set(chunk, o);
      o += chunk.length;
    });
    return out;
  }
}
