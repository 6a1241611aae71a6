/**
 * Product photos: staff upload any phone photo (JPEG, PNG, WebP, AVIF; HEIC is refused with a
 * way out), the file is checked (a whole, readable image of at least 160 px) and kept pending;
 * the photo worker then makes the square AVIF/WebP/JPEG sizes once (photo_codec.ts, in a Worker
 * thread) and stores them in shop_photo_media. A photo's sizes share one key, the start of a
 * SHA-256 over their bytes' hashes, which their URLs name: `/shop/media/<key>-<width>.<ext>`,
 * cached forever (new bytes, new key). One key per photo rather than one hash per size keeps
 * the catalogue's HTML small: the 12 URLs of a card repeat one string, which gzip all but drops.
 *
 * Why the database and not files: every instance of the app then serves the same pictures
 * without a shared disk, a backup holds them with the catalog, and the embedded start needs
 * nothing more. The sizes are small (a 960 px AVIF of a product is tens of KB), and the media
 * route is cached forever by browsers and any CDN in front, so the database serves each once.
 */
import type { Sql } from "@/services/platform/db.ts";
import { inTx } from "@/services/platform/tx.ts";
import {
  CONTENT_TYPES,
  EXTENSIONS,
  PHOTO_FORMATS,
  PhotoCodecError,
  type PhotoFormat,
  type PhotoProblem,
  runCodec,
} from "./photo_codec.ts";

/** The largest upload (a 50-megapixel phone JPEG is 10–15 MB). */
export const MAX_PHOTO_BYTES = 15 * 1024 * 1024;
export const MAX_PHOTOS_PER_PRODUCT = 8;
/** How long a worker may take over a photo before another may try it. */
const LEASE = "10 minutes";
const MAX_ATTEMPTS = 3;

export type PhotoErrorCode =
  | PhotoProblem
  | "photo_too_large"
  | "photo_missing"
  | "photo_limit"
  | "photo_not_found";

export class PhotoError extends Error {
  constructor(readonly code: PhotoErrorCode, detail = "") {
    super(detail || code);
    this.name = "PhotoError";
  }
}

interface SizeRef {
  f: PhotoFormat;
  w: number;
  h: number;
}

/** What a page needs to show a photo: a srcset per format and the box size. */
export interface PhotoView {
  id: number;
  width: number;
  height: number;
  /** "url 160w, url 320w, …" per format. */
  srcset: Record<PhotoFormat, string>;
  /** A JPEG for the <img src> (the 640 px one, or the largest below). */
  src: string;
  /** The largest JPEG (for schema.org and sharing). */
  largest: string;
}

export interface AdminPhoto {
  id: number;
  status: "pending" | "ready" | "failed";
  error: string | null;
  sourceType: string;
  sourceWidth: number;
  sourceHeight: number;
  sourceBytes: number;
  position: number;
  createdAt: Date;
  view: PhotoView | null;
  /** Bytes per format at the largest width (what the formats save). */
  weights: Partial<Record<PhotoFormat, number>>;
}

export function mediaUrl(key: string, s: { f: PhotoFormat; w: number }): string {
  return `/shop/media/${key}-${s.w}.${EXTENSIONS[s.f]}`;
}

function viewOf(id: number, key: string | null, variants: SizeRef[]): PhotoView | null {
  if (!key) return null;
  const url = (v: SizeRef) => mediaUrl(key, v);
  const jpegs = variants.filter((v) => v.f === "jpeg").sort((a, b) => a.w - b.w);
  if (jpegs.length === 0) return null;
  const srcset = Object.fromEntries(PHOTO_FORMATS.map((f) => [
    f,
    variants.filter((v) => v.f === f).sort((a, b) => a.w - b.w)
      .map((v) => `${url(v)} ${v.w}w`).join(", "),
  ])) as Record<PhotoFormat, string>;
  const largest = jpegs[jpegs.length - 1];
  const src = [...jpegs].reverse().find((v) => v.w <= 640) ?? jpegs[0];
  return {
    id,
    width: largest.w,
    height: largest.h,
    srcset,
    src: url(src),
    largest: url(largest),
  };
}

function codeOf(e: unknown): never {
  if (e instanceof PhotoCodecError) throw new PhotoError(e.problem, e.message);
  throw e;
}

/**
 * Checks an uploaded file and keeps it for the worker; returns the photo's id. Refusals
 * (PhotoError) leave nothing behind.
 */
export async function uploadPhoto(
  sql: Sql,
  productId: number,
  bytes: Uint8Array,
  actorId: string,
): Promise<number> {
  if (bytes.byteLength === 0) throw new PhotoError("photo_missing");
  if (bytes.byteLength > MAX_PHOTO_BYTES) throw new PhotoError("photo_too_large");
  const probe = await runCodec({ op: "probe", bytes }).catch(codeOf);
  return await inTx(sql, async (tx) => {
    const [p] = await tx`select id from shop_products where id = ${productId} for update`;
    if (!p) throw new PhotoError("photo_not_found");
    const [{ n, last }] = await tx`
      select count(*)::int as n, coalesce(max(position), -1)::int as last
      from shop_product_photos where product_id = ${productId}`;
    if (n >= MAX_PHOTOS_PER_PRODUCT) throw new PhotoError("photo_limit");
    const [row] = await tx`
      insert into shop_product_photos (product_id, source, source_type, source_width,
        source_height, source_bytes, position, uploaded_by)
      values (${productId}, ${bytes}, ${probe.type}, ${probe.width}, ${probe.height},
        ${bytes.byteLength}, ${last + 1}, ${actorId})
      returning id`;
    return Number(row.id);
  });
}

export interface ProcessResult {
  photoId: number;
  ok: boolean;
  ms: number;
  timings?: Record<string, number>;
}

/**
 * Makes the sizes of pending photos, one at a time, up to `limit`; returns what it did. Each
 * photo is leased (several workers never make the same sizes at once; a crashed worker's photo
 * is taken over after the lease), and its sizes and its "ready" land in one transaction.
 */
export async function processPendingPhotos(
  sql: Sql,
  now: () => Date,
  limit = 10,
): Promise<ProcessResult[]> {
  const done: ProcessResult[] = [];
  while (done.length < limit) {
    const [job] = await sql`
      update shop_product_photos set claimed_until = now() + ${LEASE}::interval,
        attempts = attempts + 1
      where id = (
        select id from shop_product_photos
        where status = 'pending' and (claimed_until is null or claimed_until < now())
        order by id for update skip locked limit 1)
      returning id, source, attempts`;
    if (!job) break;
    const id = Number(job.id);
    const t0 = performance.now();
    try {
      const r = await runCodec({ op: "sizes", bytes: new Uint8Array(job.source) });
      const refs: SizeRef[] = r.sizes.map((s) => ({ f: s.format, w: s.width, h: s.height }));
      const hashes: string[] = [];
      for (const s of r.sizes) hashes.push(await sha256(s.bytes));
      const key = (await sha256(new TextEncoder().encode(hashes.join(",")))).slice(0, 32);
      await inTx(sql, async (tx) => {
        const [still] = await tx`
          select id from shop_product_photos where id = ${id} and status = 'pending' for update`;
        if (!still) return; // deleted (or finished by another) meanwhile
        for (const [i, s] of r.sizes.entries()) {
          await tx`
            insert into shop_photo_media (photo_id, format, width, height, sha256, bytes)
            values (${id}, ${s.format}, ${s.width}, ${s.height}, ${hashes[i]}, ${s.bytes})
            on conflict do nothing`;
        }
        await tx`
          update shop_product_photos set status = 'ready', variants = ${tx.json(refs as never)},
            media_key = ${key},
            source = null, error = null, claimed_until = null, processed_at = ${now()}
          where id = ${id}`;
      });
      done.push({
        photoId: id,
        ok: true,
        ms: Math.round(performance.now() - t0),
        timings: r.timings,
      });
    } catch (e) {
      const message = e instanceof Error ? e.message : String(e);
      const final = e instanceof PhotoCodecError || job.attempts >= MAX_ATTEMPTS;
      await sql`
        update shop_product_photos set claimed_until = null, error = ${message.slice(0, 500)},
          status = ${
        final ? "failed" : "pending"
      }, source = case when ${final} then null else source end
        where id = ${id} and status = 'pending'`;
      done.push({ photoId: id, ok: false, ms: Math.round(performance.now() - t0) });
    }
  }
  return done;
}

async function sha256(b: Uint8Array): Promise<string> {
  const d = new Uint8Array(await crypto.subtle.digest("SHA-256", b as Uint8Array<ArrayBuffer>));
  return Array.from(d, (x) => x.toString(16).padStart(2, "0")).join("");
}

/** The first ready photo of each product (by position), for cards and product pages. */
export async function mainPhotos(
  sql: Sql,
  productIds: readonly number[],
): Promise<Map<number, PhotoView>> {
  const out = new Map<number, PhotoView>();
  if (productIds.length === 0) return out;
  const rows = await sql`
    select distinct on (product_id) id, product_id, variants, media_key from shop_product_photos
    where product_id = any(${productIds as number[]}) and status = 'ready'
    order by product_id, position, id`;
  for (const r of rows) {
    const v = viewOf(Number(r.id), r.media_key, r.variants as SizeRef[]);
    if (v) out.set(Number(r.product_id), v);
  }
  return out;
}

/** A product's photos for the back office, in shop order. */
export async function productPhotos(sql: Sql, productId: number): Promise<AdminPhoto[]> {
  const rows = await sql`
    select id, status, error, source_type, source_width, source_height, source_bytes, position,
      created_at, variants, media_key,
      (select jsonb_object_agg(format, length(bytes)) from shop_photo_media m
        where m.photo_id = p.id
          and m.width = (select max(width) from shop_photo_media where photo_id = p.id)) as weights
    from shop_product_photos p where product_id = ${productId} order by position, id`;
  return rows.map((r) => ({
    id: Number(r.id),
    status: r.status,
    error: r.error,
    sourceType: r.source_type,
    sourceWidth: r.source_width,
    sourceHeight: r.source_height,
    sourceBytes: r.source_bytes,
    position: r.position,
    createdAt: r.created_at,
    view: r.status === "ready" ? viewOf(Number(r.id), r.media_key, r.variants as SizeRef[]) : null,
    weights: r.weights ?? {},
  }));
}

/** Removes a photo and its sizes (their URLs then answer 404). */
export async function deletePhoto(sql: Sql, productId: number, photoId: number): Promise<void> {
  const r = await sql`
    delete from shop_product_photos where id = ${photoId} and product_id = ${productId}
    returning id`;
  if (r.length === 0) throw new PhotoError("photo_not_found");
}

/** Puts a photo first (the one the shop shows). */
export async function makeMainPhoto(sql: Sql, productId: number, photoId: number): Promise<void> {
  const r = await sql`
    update shop_product_photos set position = (
      select coalesce(min(position), 0) - 1 from shop_product_photos where product_id = ${productId})
    where id = ${photoId} and product_id = ${productId} returning id`;
  if (r.length === 0) throw new PhotoError("photo_not_found");
}

/** One size by the key and width its URL names: its bytes, type and own SHA-256; or null. */
export async function photoMedia(
  sql: Sql,
  key: string,
  width: number,
  ext: string,
): Promise<{ bytes: Uint8Array; contentType: string; sha256: string } | null> {
  const format = (Object.keys(EXTENSIONS) as PhotoFormat[]).find((f) => EXTENSIONS[f] === ext);
  if (!format || !/^[0-9a-f]{32}$/.test(key) || !Number.isSafeInteger(width)) return null;
  const [r] = await sql`
    select m.bytes, m.sha256 from shop_photo_media m
    join shop_product_photos p on p.id = m.photo_id
    where p.media_key = ${key} and m.format = ${format} and m.width = ${width}`;
  return r
    ? { bytes: new Uint8Array(r.bytes), contentType: CONTENT_TYPES[format], sha256: r.sha256 }
    : null;
}
