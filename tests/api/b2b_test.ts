/**
 * A B2B account's own key: places orders (Idempotency-Key replays the first answer), reads,
 * cancels and follows them, reads its invoices and statement — and nothing of another account's
 * (404 as if it did not exist). Creating calls are audited with the key.
 */
import { deepStrictEqual, equal, ok } from "node:assert/strict";
import { withShop } from "@/tests/shop/_helpers.ts";
import { approvedAccount } from "@/tests/b2b/_helpers.ts";
import { addDays, dhakaDate } from "@/services/platform/dhaka.ts";
import { api } from "./_helpers.ts";

Deno.test("api b2b: own orders and invoices only; idempotent order creation; audited", async () => {
  await withShop(async (s) => {
    const sales = await s.user(["sales"]);
    const a = await approvedAccount(s, sales, "Hotel Alpha");
    const b = await approvedAccount(s, sales, "Cafe Beta");
    const actorA = { id: a.applicant.user.id, name: "Alpha admin" };
    const clientA = await s.deps.api.accountClient(a.id, "Hotel Alpha", actorA);
    equal(clientA.kind, "b2b");
    const { key } = await s.deps.api.createKey(clientA.id, { name: "ERP" }, actorA);
    const [outletA] = await s.sql`select id from b2b_outlets where account_id = ${a.id}`;
    const [outletB] = await s.sql`select id from b2b_outlets where account_id = ${b.id}`;
    const [{ sku }] = await s
      .sql`select v.sku from shop_variants v where v.active order by v.id limit 1`;
    const tomorrow = addDays(dhakaDate(s.clock.now()), 1);
    const order = {
      outletId: Number(outletA.id),
      deliveryDate: tomorrow,
      lines: [{ sku, qty: 3 }],
    };

    // Without the header: refused, nothing placed.
    const noKey = await api(s, key, "/api/v1/orders", { method: "POST", json: order });
    equal(noKey.status, 400);
    equal((await noKey.json()).errors[0].pointer, "Idempotency-Key");
    const first = await api(s, key, "/api/v1/orders", {
      method: "POST",
      json: order,
      idem: "po-1",
    });
    equal(first.status, 201, await first.clone().text());
    const placed = await first.json();
    equal(placed.accountId, a.id);
    equal(placed.lines[0].sku, sku);
    const again = await api(s, key, "/api/v1/orders", {
      method: "POST",
      json: order,
      idem: "po-1",
    });
    equal(again.status, 201);
    equal(again.headers.get("idempotent-replayed"), "true");
    equal((await again.json()).id, placed.id);
    const [{ n }] = await s
      .sql`select count(*)::int as n from b2b_orders where account_id = ${a.id}`;
    equal(n, 1, "the repeat placed nothing");
    const other = await api(s, key, "/api/v1/orders", {
      method: "POST",
      json: { ...order, lines: [{ sku, qty: 4 }] },
      idem: "po-1",
    });
    equal(other.status, 422, "same key, another body");
    // Another account's outlet: refused with the field named.
    const wrongOutlet = await api(s, key, "/api/v1/orders", {
      method: "POST",
      json: { ...order, outletId: Number(outletB.id) },
      idem: "po-2",
    });
    equal(wrongOutlet.status, 422);
    equal((await wrongOutlet.json()).errors[0].pointer, "/outletId");

    // Account B's order, placed in the portal's way.
    const placedB = await s.deps.b2b.placeOrder(b.applicant.user.id, b.id, {
      outletId: Number(outletB.id),
      deliveryDate: tomorrow,
      lines: [{ sku, qty: 2 }],
    });
    const list = await (await api(s, key, "/api/v1/orders")).json();
    deepStrictEqual(list.data.map((o: { id: string }) => o.id), [placed.id]);
    equal((await api(s, key, `/api/v1/orders/${placedB.id}`)).status, 404);
    equal(
      (await api(s, key, `/api/v1/orders/${placedB.id}/cancel`, { method: "POST" })).status,
      404,
    );

    // Delivered: the invoice on account is A's, and B's invoices are not there for A's key.
    await s.deps.b2b.markDelivered(placed.id, { id: null, name: "sales" });
    await s.deps.b2b.markDelivered(placedB.id, { id: null, name: "sales" }).catch(() => {});
    const inv = await api(s, key, `/api/v1/accounts/${a.id}/invoices`);
    equal(inv.status, 200);
    const invoices = (await inv.json()).data;
    equal(invoices.length, 1);
    ok(invoices[0].totalMinor > 0);
    const forB = await api(s, key, `/api/v1/accounts/${b.id}/invoices`);
    equal(forB.status, 404);
    equal(forB.headers.get("content-type"), "application/problem+json");
    equal(
      (await api(s, key, `/api/v1/accounts/${b.id}/statement?from=2026-01-01&to=2026-12-31`))
        .status,
      404,
    );
    const today = dhakaDate(s.clock.now());
    const st = await api(
      s,
      key,
      `/api/v1/accounts/${a.id}/statement?from=${addDays(today, -30)}&to=${addDays(today, 30)}`,
    );
    equal(st.status, 200, await st.clone().text());
    ok((await st.json()).closingMinor > 0);

    // History, and a cancel of a delivered order is a conflict.
    const history = (await (await api(s, key, `/api/v1/orders/${placed.id}/history`)).json()).data;
    deepStrictEqual(history.map((h: { event: string }) => h.event), ["placed", "delivered"]);
    equal(
      (await api(s, key, `/api/v1/orders/${placed.id}/cancel`, { method: "POST" })).status,
      409,
    );

    // A B2B key has no farm, IoT or delivery scopes.
    equal((await api(s, key, "/api/v1/farm/animals")).status, 403);

    // The creating call is in the audit log, attributed to the key.
    const audit = await s
      .sql`select actor_id, data from audit_log where action = 'api.createOrder'`;
    equal(audit.length, 1);
    equal(audit[0].actor_id, a.applicant.user.id);
    ok(String(audit[0].data.via).startsWith("api:key:"));
  });
});
