/**
 * The demo shop's product photos: the studio-like shots of scripts/demo_photos/ (rendered for this
 * project by scripts/make_demo_photos.ts, licensed with it) are uploaded through the shop's own
 * photo pipeline and their AVIF/WebP/JPEG sizes made while the rest of the demo is seeded, so
 * /shop shows photos on the first embedded start. Products that already have a photo are left
 * alone (idempotent).
 */
import type { Sql } from "@/services/platform/db.ts";
import { photoJobs } from "@/services/shop/mod.ts";

const DIR = new URL("./demo_photos/", import.meta.url);
export const DEMO_PHOTOS = ["fresh-milk", "sweet-doi", "pure-ghee", "butter-salted"] as const;

export async function seedShopPhotos(
  sql: Sql,
  log: (msg: string) => void = console.log,
): Promise<{ photos: number; ms: number; done: Promise<number> }> {
  const t0 = performance.now();
  const rows = await sql`
    select p.id, p.slug from shop_products p
    where p.slug = any(${DEMO_PHOTOS as unknown as string[]})
      and not exists (select 1 from shop_product_photos f where f.product_id = p.id)`;
  if (rows.length === 0) return { photos: 0, ms: 0, done: Promise.resolve(0) };
  const jobs = photoJobs(sql);
  for (const r of rows) {
    const bytes = await Deno.readFile(new URL(`${r.slug}.jpg`, DIR));
    await jobs.upload(Number(r.id), bytes, "seed");
  }
  // The sizes are made in a Worker thread: the caller may go on seeding meanwhile and await
  // `done` at the end (the first embedded start does), so the photos cost it little time.
  const done = jobs.process(rows.length).then((made) => {
    const ok = made.filter((m) => m.ok).length;
    log(
      `demo photos: ${ok} product photos in 3 formats (${Math.round(performance.now() - t0)} ms)`,
    );
    return ok;
  }, (e) => {
    // The photo worker takes over whatever is left; the seed goes on.
    log(`demo photos: ${e instanceof Error ? e.message : e}`);
    return 0;
  });
  return { photos: rows.length, ms: Math.round(performance.now() - t0), done };
}
