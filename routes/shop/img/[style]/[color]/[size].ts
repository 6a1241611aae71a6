import { type Handlers, HttpError } from "@/framework/mod.ts";
import { IMAGE_WIDTHS, isImageStyle, productSvg } from "@/services/shop/mod.ts";

/** Generated product pictures; the URL names everything in them, so they are cached forever. */
export const handler: Handlers = {
  GET(ctx) {
    const { style, color, size } = ctx.params;
    const width = Number(size.replace(/\.svg$/, ""));
    if (
      !isImageStyle(style) || !/^[0-9a-f]{6}$/.test(color) || !size.endsWith(".svg") ||
      !(IMAGE_WIDTHS as readonly number[]).includes(width)
    ) {
      throw new HttpError(404);
    }
    return new Response(productSvg(style, `#${color}`, width), {
      headers: {
        "content-type": "image/svg+xml",
        "cache-control": "public, max-age=31536000, immutable",
      },
    });
  },
};
