import { type Handlers, HttpError } from "@/framework/mod.ts";

/**
 * Product photo sizes (`/shop/media/<key>-<width>.avif|webp|jpg`): the key is made from the
 * sizes' bytes, so a URL always means the same bytes and is cached forever, by browsers and by
 * any CDN in front. The ETag is the size's own SHA-256.
 */
export const handler: Handlers = {
  async GET(ctx) {
    const m = /^([0-9a-f]{32})-(\d{2,4})\.(avif|webp|jpg)$/.exec(ctx.params.file);
    const media = m && await ctx.state.deps.shop.photoMedia(m[1], Number(m[2]), m[3]);
    if (!media) throw new HttpError(404);
    return new Response(media.bytes as Uint8Array<ArrayBuffer>, {
      headers: {
        "content-type": media.contentType,
        "content-length": String(media.bytes.byteLength),
        "cache-control": "public, max-age=31536000, immutable",
        etag: `"${media.sha256}"`,
        "x-content-type-options": "nosniff",
      },
    });
  },
};
