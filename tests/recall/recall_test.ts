// Lineage and recall from cow to customer and back (issue 12 §7): a cow's milk goes into a tank,
// the tank is received as an intake lot, made into sweet doi, sold in the shop; the trace forward
// from the cow finds the customer, the trace back from the order finds the cow, a recall holds the
// stock left and tells the customer once.
import { strict as assert } from "node:assert";
import { makeTank } from "../iot/helpers.ts";
import { addDays } from "@/services/platform/dhaka.ts";
import { makeCow } from "../farm/_helpers.ts";
import { checkoutFor, type ShopTest, variantId, withShop } from "../shop/_helpers.ts";
import { placeOrder } from "@/services/shop/orders.ts";
import { offeredMethods } from "@/services/payments/settings.ts";
import { dhakaDate } from "@/services/platform/dhaka.ts";
import { NotFoundError, ValidationError } from "@/services/platform/errors.ts";
import { postForm } from "../helpers/app.ts";
import { milkIntoTank, STAFF, tankForm } from "../intake/_helpers.ts";

const PRODUCTION = { id: null, name: "Plant supervisor" };

/** Milk of cow `tag` (and a herd mate) in tank on `day`, received, released, made into doi. */
async function milkToDoi(s: ShopTest, tag: string, day: string) {
  const sql = s.sql;
  const { intake, inventory } = s.deps;
  const tank = await makeTank(sql, `tank-${tag.toLowerCase()}`);
  const cow = await makeCow(sql, { tag });
  const mate = await makeCow(sql, { tag: `${tag}-MATE` });
  await milkIntoTank(sql, [cow, mate], day, ["am"], 8);
  const receipt = tankForm(tank.id, day, ["am"], { litres: 16, fatPct: 4.2, tempC: 4 });
  const received = await intake.receiveTank(receipt, STAFF);
  assert.equal(received.status, "accepted");
  if (received.status !== "accepted") throw new Error("unreachable");
  await inventory.setLotStatus({
    lotId: received.lotId,
    status: "released",
    reason: "Tests passed",
    actor: PRODUCTION,
  });
  // A production batch: 10 L of the raw milk become 20 cups of sweet doi (500 g).
  const doi = await sql.begin(async (tx) => {
    const ref = { kind: "production" as const, id: `PO-${tag}` };
    await inventory.port.consume(tx, {
      lotId: received.lotId,
      qty: 10_000,
      reason: "production",
      ref,
      actor: PRODUCTION,
    });
    const out = await inventory.port.receive(tx, {
      itemCode: "FG-SDOI-500",
      locationCode: "PLANT-COLD1",
      qty: 20,
      producedOn: addDays(day, 1),
      status: "released",
      ref,
      actor: PRODUCTION,
    });
    await inventory.port.linkLots(tx, {
      parentLotId: received.lotId,
      childLotId: out.lotId,
      qty: 10_000,
      ref,
    });
    return out;
  });
  return { tank, rawLotId: received.lotId, doi };
}

async function buyDoi(s: ShopTest, qty: number, phone: string) {
  return await placeOrder(s.sql, s.od, {
    userId: null,
    locale: "en",
    items: [{ variantId: await variantId(s.sql, "SDOI-500"), qty }],
    checkout: await checkoutFor(s.sql, { paymentMethod: "cod", phone }, s.clock.now()),
    allowedMethods: offeredMethods(s.pay.providers, false),
  });
}

Deno.test("recall: from the cow forward to the customer, back from the order to the cow; a recall holds what is left and tells each customer once", async () => {
  await withShop(async (s) => {
    const today = dhakaDate(s.clock.now());
    const day = addDays(today, -1);
    const { doi } = await milkToDoi(s, "LAL-12", day);
    const first = await buyDoi(s, 3, "+8801711000301");
    const second = await buyDoi(s, 3, "+8801711000302");
    const recall = s.deps.recall;

    const forward = await recall.trace(recall.parseStart({ kind: "cow", value: "LAL-12" }));
    assert.equal(forward.cow?.tag, "LAL-12");
    assert.deepEqual(
      forward.orders.map((o) => o.number).sort(),
      [first.number, second.number].sort(),
    );
    assert.equal(forward.orderCount, 2);
    const got = forward.orders.find((o) => o.number === first.number)!;
    assert.deepEqual(got.got.map((g) => [g.lotCode, g.qty]), [[doi.lotCode, 3]]);
    assert.equal(got.customer, "Rahima Begum");
    assert.equal(got.phoneEnd, "0301");
    const left = forward.remaining.find((l) => l.id === doi.lotId)!;
    assert.equal(left.onHand, 20, "reserved packs are still in the cold room until they leave");

    const back = await recall.trace(recall.parseStart({ kind: "order", value: first.number }));
    assert.deepEqual(back.cows.map((c) => c.tag).sort(), ["LAL-12", "LAL-12-MATE"]);
    assert.equal(back.origins.length, 1);
    assert.equal(back.origins[0].kind, "tank");
    assert.deepEqual(back.orders.map((o) => o.number), [first.number]);

    const opened = await recall.openRecall(
      recall.parseStart({ kind: "cow", value: "LAL-12" }),
      { reason: "Antibiotic residue found in a retained sample" },
      PRODUCTION,
    );
    const { campaign, orders } = await recall.recall(opened.code);
    assert.equal(orders.length, 2);
    assert.equal((await s.deps.inventory.lot(doi.lotId))!.status, "hold");
    // Held stock is no longer sold.
    await assert.rejects(() => buyDoi(s, 3, "+8801711000303"));

    const sent = await recall.notifyRecall(campaign.code, PRODUCTION);
    assert.equal(sent.queued, 2);
    const again = await recall.notifyRecall(campaign.code, PRODUCTION);
    assert.equal(again.queued, 0, "a customer is told once");
    const sms = await s.sql`
      select recipient, body from outbox_messages where template = 'shop.product_recall'
      order by recipient`;
    assert.deepEqual(sms.map((m) => m.recipient), ["+8801711000301", "+8801711000302"]);
    assert.match(sms[0].body, new RegExp(`${first.number}.*${campaign.code}`));
  }, { stock: 0 });
});

Deno.test("recall: wrong starts are refused with a reason, not a crash", async () => {
  await withShop(async (s) => {
    const recall = s.deps.recall;
    assert.throws(() => recall.parseStart({ kind: "planet", value: "x" }), ValidationError);
    assert.throws(() => recall.parseStart({ kind: "cow", value: "" }), ValidationError);
    assert.throws(
      () => recall.parseStart({ kind: "cow", value: "A1", from: "2026-05-01", to: "2026-01-01" }),
      ValidationError,
    );
    assert.throws(
      () => recall.parseStart({ kind: "tank", value: "t", from: "2020-01-01", to: "2026-01-01" }),
      ValidationError,
    );
    await assert.rejects(
      () => recall.trace({ kind: "cow", tag: "NOBODY", from: "2026-01-01", to: "2026-02-01" }),
      NotFoundError,
    );
    await assert.rejects(
      () => recall.trace({ kind: "order", number: "SD-2026-999999" }),
      NotFoundError,
    );
    await assert.rejects(() => recall.recall("RC-2026-999"), NotFoundError);
  }, { stock: 0 });
});

Deno.test("recall pages: production staff trace and open a recall; a customer or warehouse clerk may not", async () => {
  await withShop(async (s) => {
    const day = addDays(dhakaDate(s.clock.now()), -1);
    await milkToDoi(s, "KALO-3", day);
    const order = await buyDoi(s, 3, "+8801711000311");
    const staff = await s.user(["production"]);
    const res = await s.fetch(`/admin/recall?kind=order&value=${order.number}`, {
      headers: { cookie: staff.cookie },
    });
    assert.equal(res.status, 200);
    const html = await res.text();
    assert.match(html, /KALO-3/);
    assert.match(html, new RegExp(order.number));

    const bad = await s.fetch("/admin/recall?kind=cow&value=NOPE-1", {
      headers: { cookie: staff.cookie },
    });
    assert.equal(bad.status, 422);
    assert.match(await bad.text(), /No cow has that tag/);

    const page = await s.fetch(`/admin/recall?kind=cow&value=KALO-3`, {
      headers: { cookie: staff.cookie },
    });
    const token = (await page.text()).match(/name="_csrf" value="([^"]+)"/)![1];
    const cookie = [staff.cookie, ...page.headers.getSetCookie().map((c) => c.split(";")[0])].join(
      "; ",
    );
    const short = await postForm(
      s,
      "/admin/recall",
      { kind: "cow", value: "KALO-3", reason: "x" },
      { cookie, token },
    );
    assert.equal(short.status, 422);
    const opened = await postForm(s, "/admin/recall", {
      kind: "cow",
      value: "KALO-3",
      reason: "Off taste reported",
    }, { cookie, token });
    assert.equal(opened.status, 303);
    const where = opened.headers.get("location")!;
    assert.match(where, /^\/admin\/recall\/RC-\d{4}-\d{3}$/);
    const report = await s.fetch(where, { headers: { cookie: staff.cookie } });
    assert.match(await report.text(), new RegExp(order.number));

    for (const roles of [["customer"], ["warehouse"]] as const) {
      const other = await s.user([...roles]);
      const denied = await s.fetch("/admin/recall", { headers: { cookie: other.cookie } });
      assert.equal(denied.status, 403, roles.join());
      const report2 = await s.fetch(where, { headers: { cookie: other.cookie } });
      assert.equal(report2.status, 403);
    }
  }, { stock: 0 });
});
