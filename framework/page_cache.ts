/**
 * Rendered pages shared between visitors, for routes with `config.cache`. A page is rendered
 * once with placeholders where the per-request values go (the CSP nonce and the visitor's CSRF
 * token) and kept as UTF-8 chunks, so serving it is a copy, not a render or a re-encode.
 *
 * The page is also kept compressed (DESIGN.md §8): each chunk is deflated once, on its own and
 * ending on a byte boundary (a sync flush), so that a gzip answer is the chunks' deflate blocks
 * with the nonce and token spliced in between as stored (uncompressed) blocks, a gzip header, and
 * a trailer whose CRC-32 runs over the chunks and values (zlib's crc32, a few µs a page). Serving
 * a gzip client is then a copy too, not a compression.
 */
import { constants, crc32, deflateRawSync } from "node:zlib";
import { makeNonce } from "./nonce.ts";

const TTL_MS = 60_000;
const MAX_PAGES = 1000;

interface CachedPage {
  chunks: Uint8Array[];
  /** Each chunk deflated on its own (raw deflate, byte-aligned; only the last one is final). */
  deflated: Uint8Array[];
  deflatedLength: number;
  gzipHeaders: [string, string][];
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

  /** Forgets every page (what they show changed; services/platform/page_changes.ts). */
  clear(): void {
    this.#pages.clear();
  }

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
    const deflated = chunks.map((c, i) =>
      deflateRawSync(c, {
        level: 9,
        finishFlush: i < chunks.length - 1 ? constants.Z_SYNC_FLUSH : constants.Z_FINISH,
      })
    );
    const page: CachedPage = {
      chunks,
      deflated,
      deflatedLength: deflated.reduce((n, c) => n + c.length, 0),
      gzipHeaders: [...headers, ["content-encoding", "gzip"], ["vary", "accept-encoding"]],
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

  /** The same page gzipped: the deflated chunks with the values as stored blocks between. */
  fillGzip(page: CachedPage, nonce: string, csrf = ""): Uint8Array<ArrayBuffer> {
    const n = this.#encoder.encode(nonce);
    const c = this.#encoder.encode(csrf);
    let size = GZIP_HEADER.length + page.deflatedLength + 8;
    let plain = page.length;
    for (const s of page.slots) {
      const v = s === "nonce" ? n : c;
      size += 5 + v.length;
      plain += v.length;
    }
    const out = new Uint8Array(size);
    out.set(GZIP_HEADER, 0);
    let o = GZIP_HEADER.length;
    let crc = 0;
    page.deflated.forEach((block, i) => {
      if (i > 0) {
        const v = page.slots[i - 1] === "nonce" ? n : c;
        // A stored block: BFINAL=0, BTYPE=00 (byte-aligned after the sync flush), LEN, NLEN.
        out[o] = 0;
        out[o + 1] = v.length & 0xff;
        out[o + 2] = v.length >> 8;
        out[o + 3] = ~v.length & 0xff;
        out[o + 4] = (~v.length >> 8) & 0xff;
        out.set(v, o + 5);
        o += 5 + v.length;
        crc = crc32(v, crc);
      }
      out.set(block, o);
      o += block.length;
      crc = crc32(page.chunks[i], crc);
    });
    const view = new DataView(out.buffer);
    view.setUint32(o, crc >>> 0, true);
    view.setUint32(o + 4, plain >>> 0, true);
    return out;
  }
}

/** Magic, deflate, no flags, no mtime, no extra flags, unknown OS. */
const GZIP_HEADER = new Uint8Array([0x1f, 0x8b, 8, 0, 0, 0, 0, 0, 0, 0xff]);
