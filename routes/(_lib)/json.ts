/**
 * JSON bodies of machine-facing routes: courier webhooks and the phones' offline sync endpoints.
 */
import { type Context, type Handlers, HttpError } from "@/framework/mod.ts";
import { requirePermission } from "@/plugins/session.ts";
import type { Permission, SessionUser } from "@/services/identity/mod.ts";
import type { State } from "@/state.ts";

/** The request's body parsed as JSON; anything else answers 400 with `message`. */
export async function readJson(req: Request, message = "The body must be JSON"): Promise<unknown> {
  try {
    return await req.json();
  } catch {
    throw new HttpError(400, message);
  }
}

/** A JSON answer no cache keeps (the phones' offline caches must not serve it again). */
export const noStoreJson = (body: unknown, status = 200): Response =>
  Response.json(body, { status, headers: { "cache-control": "no-store" } });

/** What a sync endpoint makes of a body: the entries to apply, or why they are refused (422). */
export type SyncEntries = { entries: unknown[] } | { refused: string };

/**
 * An offline sync endpoint for the holders of `permission`. GET: a fresh CSRF token for a page
 * served from the offline cache. POST (JSON, x-csrf-token): { entries } → { results }, one answer
 * per entry; entries `parse` refuses answer 422 { error: { status, message } }.
 */
export function offlineSyncHandler(opts: {
  permission: Permission;
  parse: (body: unknown) => SyncEntries;
  sync: (ctx: Context<State>, user: SessionUser, entries: unknown[]) => Promise<unknown>;
  /** A service's own refusal of the entries as the 422 message (null: not a refusal). */
  refusal?: (e: unknown) => string | null;
}): Handlers<unknown, State> {
  const refused = (message: string) => noStoreJson({ error: { status: 422, message } }, 422);
  return {
    async GET(ctx) {
      const user = requirePermission(ctx, opts.permission);
      return noStoreJson({ csrf: await ctx.csrfToken(), userId: user.id });
    },
    async POST(ctx) {
      const user = requirePermission(ctx, opts.permission);
      const parsed = opts.parse(
        await readJson(ctx.req, "The body must be JSON: { entries: [...] }"),
      );
      if ("refused" in parsed) return refused(parsed.refused);
      try {
        return noStoreJson({ results: await opts.sync(ctx, user, parsed.entries) });
      } catch (e) {
        const message = opts.refusal?.(e) ?? null;
        if (message === null) throw e;
        return refused(message);
      }
    },
  };
}

/** `parse` for a sync endpoint whose body a Zod schema checks: the schema's issues are the 422. */
export function entriesBySchema(schema: {
  safeParse(body: unknown):
    | { success: true; data: { entries: unknown[] } }
    | { success: false; error: { issues: { message: string }[] } };
}): (body: unknown) => SyncEntries {
  return (body) => {
    const parsed = schema.safeParse(body);
    return parsed.success
      ? { entries: parsed.data.entries }
      : { refused: parsed.error.issues.map((i) => i.message).join("; ") };
  };
}
