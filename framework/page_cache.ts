/**
 * Rendered pages shared between visitors, for routes with `config.cache` (anonymous visitors: the
 * app's `pageCacheKey` decides). A cached page carries no per-request bytes — its inline scripts
 * and styles are allowed by CSP hashes computed at render, and its forms carry no CSRF token
 * (anonymous posts are checked by Origin and Fetch Metadata) — so it is stored once, already
 * compressed (brotli, gzip and identity, framework/encoding.ts), and serving it is a copy with a
 * strong ETag per coding.
 *
 * Invalidation: `clear()` forgets every page (app.clearPageCache()); pages also expire after a
 * minute. Storage is this process's memory.
 */
import { encodeAll, type Encoded } from "./encoding.ts";
import type { InlineHashes } from "./types.ts";

const TTL_MS = 60_000;
const MAX_PAGES = 1000;

export interface CachedPage {
  encoded: Encoded;
  /** The page's headers without the coding-specific ones (content-encoding, etag). */
  headers: [string, string][];
  /** The CSP sources for the page's inline scripts and styles. */
  hashes: InlineHashes;
  at: number;
  /** The full headers of each coding's answer, made once. */
  answers: Partial<Record<string, [string, string][]>>;
  /**
   * The fast path's answers (app.ts sharedPageKey) with the headers the chain adds, per coding
   * (and status for empty ones): each hit gets a copy.
   */
  shared: Partial<Record<string, Response>>;
}

export class PageCache {
  #pages = new Map<string, CachedPage>();
  /** Bumped by clear(): a render that started before it is not stored. */
  #generation = 0;
  #now: () => number;

  constructor(opts: { now?: () => number } = {}) {
    this.#now = opts.now ?? (() => Date.now());
  }

  get generation(): number {
    return this.#generation;
  }

  get(key: string): CachedPage | null {
    const page = this.#pages.get(key);
    if (!page) return null;
    if (this.#now() - page.at >= TTL_MS) {
      this.#pages.delete(key);
      return null;
    }
    return page;
  }

  /**
   * Compresses and stores a rendered page under `key`. `generation` is `this.generation` read
   * before rendering: when the cache was cleared meanwhile the page is returned but not kept.
   */
  async store(
    key: string,
    html: string,
    headers: Headers,
    hashes: InlineHashes,
    generation = this.#generation,
  ): Promise<CachedPage> {
    const body = new TextEncoder().encode(html);
    const encoded = await encodeAll(body, headers.get("content-type") ?? "text/html");
    const page: CachedPage = {
      encoded,
      headers: [...headers],
      hashes,
      at: this.#now(),
      answers: {},
      shared: {},
    };
    if (generation === this.#generation) {
      this.#pages.delete(key);
      if (this.#pages.size >= MAX_PAGES) this.#pages.delete(this.#pages.keys().next().value!);
      this.#pages.set(key, page);
    }
    return page;
  }

  /**
   * Forgets every page (what they show changed; services/platform/page_changes.ts). A render
   * under way when this is called is served but not stored: it may show the old data.
   */
  clear(): void {
    this.#generation++;
    this.#pages.clear();
  }

  get size(): number {
    return this.#pages.size;
  }
}
