/**
 * Retention: transactions and audit entries older than 7 years are written once to compressed
 * archives (the VAT fields, no recipient), delivered messages' bodies are erased after N days.
 */
import { deepStrictEqual as equal, ok } from "node:assert/strict";
import { placeOrder } from "@/services/shop/orders.ts";
import { deliverDue, devTransport } from "@/services/notify/mod.ts";
import { checkoutFor, variantId, withShop } from "@/tests/shop/_helpers.ts";

async function readArchive(path: string): Promise<Record<string, unknown>[]> {
  const file = await Deno.open(path);
  const text = await new Response(
    file.readable.pipeThrough(new DecompressionStream("gzip")),
  ).text();
  return text.trim().split("\n").map((l) => JSON.parse(l));
}

Deno.test("retention: 7-year-old orders, payments and audit archived once; old message bodies erased", async () => {
  const dataDir = await Deno.makeTempDir();
  try {
    await withShop(async (s) => {
      const ghee = await variantId(s.sql, "GHEE-250");
      const place = async (recipient: string) =>
        await placeOrder(s.sql, s.od, {
          userId: null,
          locale: "en",
          items: [{ variantId: ghee, qty: 1 }],
          checkout: await checkoutFor(s.sql, { recipient, paymentMethod: "cod" }, s.clock.now()),
          allowedMethods: ["cod"],
        });
      const old = await place("Old Customer");
      const recent = await place("Recent Customer");
      const now = s.clock.now();
      const eightYears = new Date(now);
      eightYears.setUTCFullYear(now.getUTCFullYear() - 8);
      // Arranged: the first order (and its payment) placed 8 years ago.
      await s.sql`update shop_orders set placed_at = ${eightYears} where id = ${old.id}`;
      await s.sql`update shop_payments set created_at = ${eightYears} where order_id = ${old.id}`;
      await s.deps.audit.append(s.sql, {
        actorId: null,
        action: "test.old_event",
        entity: "test",
        entityId: "1",
        at: eightYears,
      });
      // Both order SMSes are sent; the first one 31 days ago.
      await deliverDue(s.sql, { sms: devTransport() });
      const [sentOld] = await s.sql`
        update outbox_messages set sent_at = ${new Date(now.getTime() - 31 * 86_400_000)}
        where template = 'shop.order_placed' and body like ${"%" + old.number + "%"}
        returning id::text`;
      ok(sentOld);

      const r = await s.deps.privacy.retention({ dataDir, outboxBodyDays: 30 });
      const byName = Object.fromEntries(r.archived.map((a) => [a.name, a]));
      equal(byName.orders.rows, 1);
      equal(byName.audit.rows, 1);
      const orders = await readArchive(`${dataDir}/${byName.orders.file}`);
      equal(orders.map((o) => o.number), [old.number]);
      const o = orders[0];
      equal(Number(o.total_minor), old.totalMinor);
      ok(Array.isArray(o.lines) && (o.lines as { sku: string }[])[0].sku === "GHEE-250");
      ok(!JSON.stringify(o).includes("Old Customer"), "no recipient in the archive");
      ok(!("recipient_enc" in o));
      const audit = await readArchive(`${dataDir}/${byName.audit.file}`);
      equal(audit.map((a) => a.action), ["test.old_event"]);
      const payments = byName.payments.rows
        ? await readArchive(`${dataDir}/${byName.payments.file}`)
        : [];
      ok(payments.every((p) => p.order_number === old.number));
      // The rows stay in the database (the books refer to them).
      const [still] = await s.sql`select count(*)::int as n from shop_orders where id = ${old.id}`;
      equal(still.n, 1);

      // The old message's body is erased, the recent one's kept.
      equal(r.outboxBodiesErased, 1);
      const msgs = await s.sql`
        select id::text, body, body_erased_at from outbox_messages
        where template = 'shop.order_placed' order by id`;
      const oldMsg = msgs.find((m) => m.id === sentOld.id)!;
      equal(oldMsg.body, "");
      ok(oldMsg.body_erased_at);
      ok(msgs.find((m) => m.id !== sentOld.id)!.body.includes(recent.number));

      // A second run archives nothing again.
      const again = await s.deps.privacy.retention({ dataDir, outboxBodyDays: 30 });
      equal(again.archived.reduce((n, a) => n + a.rows, 0), 0);
      equal(again.outboxBodiesErased, 0);
      const files = [...Deno.readDirSync(`${dataDir}/archive/orders`)].map((f) => f.name);
      equal(files.length, 1);
      const runs = await s.sql`
        select data_class, rows_archived from privacy_retention_runs order by id`;
      ok(runs.some((x) => x.data_class === "orders" && x.rows_archived === 1));
    });
  } finally {
    await Deno.remove(dataDir, { recursive: true });
  }
});
