import type { Handlers } from "@/framework/mod.ts";
import { can } from "@/services/identity/mod.ts";
import { assertSignedIn } from "@/plugins/session.ts";
import type { State } from "@/state.ts";

/**
 * This device's Web Push subscription for the signed-in staff member: POST the browser's
 * PushSubscription JSON (plus `device`, a label) to keep it, DELETE `{ endpoint }` to drop it.
 * JSON in and out; the CSRF token travels in the x-csrf-token header.
 */
export const handler: Handlers<unknown, State> = {
  async POST(ctx) {
    const me = assertSignedIn(ctx);
    if (!["admin.access", "farm.record", "iot.view"].some((p) => can(me.roles, p as any))) {
      return Response.json({ error: "Alerts on a device are for staff" }, { status: 403 });
    }
    const body = await ctx.req.json().catch(() => null);
    const r = await ctx.state.deps.notify.subscribePush(me.id, body);
    if (!r.ok) return Response.json({ error: r.message }, { status: 422 });
    return Response.json({ ok: true }, { status: 201 });
  },
  async DELETE(ctx) {
    const me = assertSignedIn(ctx);
    const body = await ctx.req.json().catch(() => null);
    const endpoint = typeof body?.endpoint === "string" ? body.endpoint : "";
    if (!endpoint) return Response.json({ error: "endpoint is required" }, { status: 422 });
    await ctx.state.deps.notify.unsubscribePush(me.id, endpoint);
    return Response.json({ ok: true });
  },
};
