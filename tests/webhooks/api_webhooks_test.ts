/**
 * Partners manage their own webhook subscriptions over REST /api/v1/webhooks with their API key:
 * the secret once, only their own subscriptions, event types limited by their read scopes, the
 * delivery log and a redelivery; disabling after failures, then enabling again.
 */
import { deepStrictEqual as assertEquals, equal, ok } from "node:assert/strict";
import { type TestApp, withTestApp } from "@/tests/helpers/app.ts";
import type { ApiScope } from "@/services/api/mod.ts";

const STAFF = { id: null, name: "test" };

async function keyFor(t: TestApp, scopes: ApiScope[], name = "Partner"): Promise<string> {
  const c = await t.deps.api.createClient({ name, kind: "partner", scopes }, STAFF);
  return (await t.deps.api.createKey(c.id, { name: "k" }, STAFF)).key;
}

function call(t: TestApp, key: string, path: string, method = "GET", json?: unknown) {
  return t.fetch(path, {
    method,
    headers: {
      authorization: `Bearer ${key}`,
      ...(json ? { "content-type": "application/json" } : {}),
    },
    body: json ? JSON.stringify(json) : undefined,
  });
}

Deno.test("REST /api/v1/webhooks: a partner's own subscriptions, scopes, log and redelivery", async () => {
  let answer = 500;
  const got: string[] = [];
  const server = Deno.serve({ port: 0, hostname: "127.0.0.1", onListen: () => {} }, async (r) => {
    got.push(await r.text());
    return new Response("ok", { status: answer });
  });
  const url = `http://127.0.0.1:${server.addr.port}/hook`;
  try {
    await withTestApp(async (t) => {
      const key = await keyFor(t, ["webhooks:read", "webhooks:write", "orders:read"]);
      const other = await keyFor(t, ["webhooks:read", "webhooks:write", "iot:read"], "Other");

      let res = await call(t, key, "/api/v1/webhooks", "POST", {
        url,
        events: ["order.created", "payment.confirmed"],
      });
      equal(res.status, 201, await res.clone().text());
      const created = await res.json();
      ok(created.secret.startsWith("whsec_"));
      equal(created.status, "active");

      // No orders:read: cannot subscribe to order events.
      res = await call(t, other, "/api/v1/webhooks", "POST", { url, events: ["order.created"] });
      equal(res.status, 403);
      // A bad address: 422 problem, not 500.
      res = await call(t, key, "/api/v1/webhooks", "POST", {
        url: "http://partner.example/x",
        events: ["order.created"],
      });
      equal(res.status, 422);
      ok((res.headers.get("content-type") ?? "").includes("problem+json"));
      // An unknown event type: 4xx with a field pointer.
      res = await call(t, key, "/api/v1/webhooks", "POST", { url, events: ["order.eaten"] });
      ok(res.status === 400 || res.status === 422);
      await res.body?.cancel();

      // Only one's own.
      res = await call(t, key, "/api/v1/webhooks");
      const list = await res.json();
      assertEquals(list.data.map((s: { id: string }) => s.id), [created.id]);
      ok(!JSON.stringify(list).includes("whsec_"), "the secret is never listed");
      equal((await call(t, other, `/api/v1/webhooks/${created.id}`)).status, 404);
      equal((await call(t, other, "/api/v1/webhooks").then((r) => r.json())).data.length, 0);
      // Without the webhooks scope: 403.
      const noHooks = await keyFor(t, ["orders:read"], "Plain");
      equal((await call(t, noHooks, "/api/v1/webhooks")).status, 403);

      // An event, a failed delivery, the log, a redelivery that works.
      await t.deps.webhooks.emit({ type: "order.created", data: { number: "SD-9" } });
      await t.deps.webhooks.deliverDue();
      res = await call(t, key, `/api/v1/webhooks/${created.id}/deliveries`);
      const page = await res.json();
      equal(page.data.length, 1);
      const d = page.data[0];
      assertEquals([d.event, d.status, d.lastStatus, d.log[0].statusCode], [
        "order.created",
        "failed",
        500,
        500,
      ]);
      answer = 200;
      res = await call(
        t,
        key,
        `/api/v1/webhooks/${created.id}/deliveries/${d.id}/redeliver`,
        "POST",
      );
      equal(res.status, 200);
      const attempt = await res.json();
      assertEquals([attempt.statusCode, attempt.manual], [200, true]);
      equal(got.length, 2);
      // Someone else's delivery cannot be redelivered.
      equal(
        (await call(
          t,
          other,
          `/api/v1/webhooks/${created.id}/deliveries/${d.id}/redeliver`,
          "POST",
        ))
          .status,
        404,
      );

      // A new secret; then unsubscribe.
      res = await call(t, key, `/api/v1/webhooks/${created.id}/rotate-secret`, "POST");
      const rotated = await res.json();
      ok(rotated.secret.startsWith("whsec_") && rotated.secret !== created.secret);
      equal((await call(t, key, `/api/v1/webhooks/${created.id}`, "DELETE")).status, 200);
      equal((await call(t, key, `/api/v1/webhooks/${created.id}`)).status, 404);
    });
  } finally {
    await server.shutdown();
  }
});
