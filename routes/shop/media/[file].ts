import { type Handlers, HttpError } from "@/framework/mod.ts";

/**
 * Product photo sizes by the SHA-256 of their bytes (`/shop/media/<sha256>.avif|webp|jpg`): the
 * URL names the content, so it is cached forever, by browsers and by any CDN in front.
 */
export const handler: Handlers = {
  async GET(ctx) {
    const m = /^([0-9a-f]{64})\.(avif|webp|jpg)$/.exec(ctx.params.file);
    const media = m && await ctx.state.deps.shop.photoMedia(m[1], m[2]);
    if (!media) throw new HttpError(404);
    return new Response(media.bytes as Uint8Array<ArrayBuffer>, {
      headers: {
        "content-type": media.contentType,
        "content-length": String(media.bytes.byteLength),
        "cache-control": "public, max-age=31536000, immutable",
        "x-content-type-options": "nosniff",
      },
    });
  },
};
