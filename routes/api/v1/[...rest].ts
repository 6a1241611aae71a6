/** Anything else under /api/v1: a problem+json 404 (never an HTML page). */
import { problemFor } from "../(_api)/problem.ts";
import { HttpError } from "@/framework/mod.ts";

export const handler = (ctx: { req: Request }) =>
  problemFor(new HttpError(404, "No such API resource"), ctx.req);
