/** Swagger UI's script and stylesheet, from the npm package (see (_assets)/assets.ts). */
import type { Handlers } from "@/framework/mod.ts";
import type { State } from "@/state.ts";
import { HttpError } from "@/framework/mod.ts";
import { asset, ASSETS } from "./(_assets)/assets.ts";

export const handler: Handlers<unknown, State> = {
  async GET(ctx) {
    const name = ctx.params.asset;
    const a = asset(name);
    if (!a) throw new HttpError(404);
    const { raw, gzip } = await a;
    const headers = new Headers({
      "content-type": ASSETS[name],
      "cache-control": "public, max-age=31536000, immutable",
      vary: "accept-encoding",
    });
    if (/\bgzip\b/.test(ctx.req.headers.get("accept-encoding") ?? "")) {
      headers.set("content-encoding", "gzip");
      return new Response(gzip as BodyInit, { headers });
    }
    return new Response(raw as BodyInit, { headers });
  },
};
