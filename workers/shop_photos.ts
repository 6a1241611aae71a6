/**
 * The photo worker: makes the AVIF/WebP/JPEG sizes of uploaded product photos (the shop's
 * `photoJobs`), one photo per step, in a Worker thread so that the web server never waits on
 * an encoder. Photos are leased in the database, so several of these may run side by side.
 *
 * Inside main.ts: `startPhotoWorker({ sql })`; alone: `deno task worker shop_photos`.
 */
import type { Sql } from "@/services/platform/db.ts";
import { photoJobs } from "@/services/shop/mod.ts";
import { loop, type Worker } from "@/services/platform/loop.ts";

export interface PhotoWorkerOptions {
  sql: Sql;
  /** Pause between steps (default 3 s). */
  intervalMs?: number;
  onError?: (e: unknown) => void;
  /** Told about each photo made (main.ts logs the time it took). */
  onDone?: (r: { photoId: number; ok: boolean; ms: number }) => void;
}

export function startPhotoWorker(opts: PhotoWorkerOptions): Worker {
  const jobs = photoJobs(opts.sql);
  const onError = opts.onError ??
    ((e: unknown) => console.error(`photo worker: ${(e as Error).message}`));
  return loop(
    opts.intervalMs ?? 3_000,
    async () => {
      for (const r of await jobs.process(1)) opts.onDone?.(r);
    },
    onError,
    "shop_photos",
  );
}

// (Imported here, next to its one use, so that this bootstrap part stays apart from the rest.)
import { runWorker } from "./bootstrap.ts";

/** `deno task worker shop_photos`: the worker as its own process. */
export function main(args: string[] = Deno.args): Promise<void> {
  return runWorker("shop_photos", ({ db }) => startPhotoWorker({ sql: db.sql }), { args });
}

if (import.meta.main) await main();
