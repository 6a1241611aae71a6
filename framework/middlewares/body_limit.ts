/**
 * `bodyLimit({ maxBytes })`: request bodies are counted as they stream, so a chunked upload (no
 * Content-Length) is stopped at the limit just like a declared one, and nothing past the limit is
 * ever read into memory. A body that stalls (no bytes for `idleMs`) or takes longer than
 * `timeoutMs` in all is abandoned with 408. Whoever reads the body — the CSRF check's formData(),
 * a handler's json() — reads it through the limit, because the middleware replaces `ctx.req`.
 *
 * Requests without a body (GET, HEAD) pass straight through: no wrapping, no timers.
 */
import { HttpError } from "../http_error.ts";
import type { Middleware } from "../types.ts";

export interface BodyLimitOptions {
  maxBytes: number;
  /** Longest wait for the next chunk of the body (default 15 s). */
  idleMs?: number;
  /** Longest time for the whole body (default 60 s). */
  timeoutMs?: number;
}

export function bodyLimit(opts: BodyLimitOptions): Middleware {
  const { maxBytes, idleMs = 15_000, timeoutMs = 60_000 } = opts;
  const limited: Middleware = async (ctx) => {
    const req = ctx.req;
    const declared = req.headers.get("content-length");
    if (declared !== null && !(Number(declared) <= maxBytes)) throw tooLarge(maxBytes);
    const guard = new CountingBody(req.body!, maxBytes, idleMs, timeoutMs);
    ctx.req = new Request(req.url, {
      method: req.method,
      headers: req.headers,
      body: guard.stream,
      // @ts-ignore: required for a stream body by the fetch spec; Deno's types lack it
      duplex: "half",
    });
    let res: Response;
    try {
      res = await ctx.next();
    } catch (e) {
      // The reader (formData(), json()…) reports the stream's error in its own words.
      throw guard.failure ?? e;
    } finally {
      guard.done();
    }
    // A handler that caught the read error and answered something else still gets refused.
    if (guard.failure) {
      await res.body?.cancel();
      throw guard.failure;
    }
    return res;
  };
  // (Not async on the common path: a GET costs no extra promise.)
  return (ctx) => {
    const req = ctx.req;
    if (req.method === "GET" || req.method === "HEAD" || !req.body) return ctx.next();
    return limited(ctx);
  };
}

function tooLarge(maxBytes: number): HttpError {
  const mib = maxBytes / (1024 * 1024);
  // (Deno.serve closes the connection itself when a body is left unread.)
  return new HttpError(
    413,
    `Request too large (at most ${mib >= 1 ? `${+mib.toFixed(1)} MB` : `${maxBytes} bytes`})`,
  );
}

class CountingBody {
  failure: HttpError | null = null;
  readonly stream: ReadableStream<Uint8Array>;
  #reader: ReadableStreamDefaultReader<Uint8Array>;
  #seen = 0;
  #deadline: number;
  #timer: ReturnType<typeof setTimeout> | undefined;

  constructor(
    body: ReadableStream<Uint8Array>,
    maxBytes: number,
    idleMs: number,
    timeoutMs: number,
  ) {
    this.#reader = body.getReader();
    this.#deadline = Date.now() + timeoutMs;
    this.stream = new ReadableStream<Uint8Array>({
      pull: async (controller) => {
        const wait = Math.min(idleMs, this.#deadline - Date.now());
        const chunk = await Promise.race([
          this.#reader.read(),
          new Promise<"timeout">((resolve) => {
            this.#timer = setTimeout(() => resolve("timeout"), Math.max(0, wait));
          }),
        ]).finally(() => clearTimeout(this.#timer));
        if (chunk === "timeout") {
          return this.#fail(controller, new HttpError(408, "The request body took too long"));
        }
        if (chunk.done) return controller.close();
        this.#seen += chunk.value.byteLength;
        if (this.#seen > maxBytes) return this.#fail(controller, tooLarge(maxBytes));
        controller.enqueue(chunk.value);
      },
      cancel: (reason) => this.#reader.cancel(reason),
    }, { highWaterMark: 0 });
  }

  #fail(controller: ReadableStreamDefaultController<Uint8Array>, e: HttpError) {
    this.failure = e;
    controller.error(e);
    this.#reader.cancel(e).catch(() => {});
  }

  /** The request is answered: stop any pending timer. */
  done() {
    clearTimeout(this.#timer);
  }
}
