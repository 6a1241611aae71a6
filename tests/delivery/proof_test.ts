import { equal, match, ok } from "node:assert/strict";
import { MAX_PROOF_CHARS } from "@/services/delivery/mod.ts";
import { withShop } from "@/tests/shop/_helpers.ts";
import { dispatchedStops } from "./_helpers.ts";

// A real 1×1 PNG (a drawn signature is a PNG too) and the start of a JPEG.
const PNG =
  "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNkYPhfDwAChwGA60e6kgAAAABJRU5ErkJggg==";
// A phone photo's size (~150 KB): above the usual 20,000-character text limit, under the proof's.
const JPEG = btoa(
  Array.from(
    [0xff, 0xd8, 0xff, 0xe0, ...new Array(150_000).fill(0).map((_, i) => i % 251)],
    (b) => String.fromCharCode(b),
  ).join(""),
);

Deno.test("proof of delivery: a photo or a signature travels with the rider's step, is kept once and shown to staff on the route and the order", async () => {
  await withShop(async (s) => {
    const { rider, staff, routeId, stops, at } = await dispatchedStops(s, 4);
    const step = (i: number, proof: unknown) => ({
      id: crypto.randomUUID(),
      stopId: stops[i].id,
      action: "delivered",
      at,
      codMinor: stops[i].codDueMinor,
      proof,
    });
    const photo = step(0, { kind: "photo", dataUrl: `data:image/jpeg;base64,${JPEG}` });
    const signed = step(1, { kind: "signature", dataUrl: `data:image/png;base64,${PNG}` });
    const big = step(2, {
      kind: "photo",
      dataUrl: `data:image/jpeg;base64,${"A".repeat(MAX_PROOF_CHARS)}`,
    });
    const liar = step(3, { kind: "photo", dataUrl: `data:image/jpeg;base64,${PNG}` });
    const r = await s.deps.delivery.syncRider([photo, signed, big, liar], { id: rider.user.id });
    equal(r.map((x) => x.status).join(), "applied,applied,rejected,rejected");
    match(r[2].message!, /too large/);
    match(r[3].message!, /not that image type/);
    // Sent again (a lost answer): nothing doubled.
    const again = await s.deps.delivery.syncRider([photo, signed], { id: rider.user.id });
    equal(again.map((x) => x.status).join(), "duplicate,duplicate");
    const kept = await s.sql`select kind, mime, bytes from delivery_proofs order by stop_id`;
    equal(kept.map((k) => `${k.kind}:${k.mime}`).join(), "photo:image/jpeg,signature:image/png");
    equal(kept[1].bytes, Uint8Array.from(atob(PNG), (c) => c.charCodeAt(0)).length);
    equal((await s.deps.shop.order(stops[2].orderNumber))!.status, "out_for_delivery");

    // Staff see them on the route and on the order; the image is served to staff only.
    const route = await (await s.fetch(`/admin/delivery/${routeId}`, {
      headers: { cookie: staff.cookie },
    })).text();
    ok(route.includes(`src="/admin/delivery/proof/${stops[0].id}"`));
    ok(route.includes(`src="/admin/delivery/proof/${stops[1].id}"`));
    const order = await (await s.fetch(`/admin/shop/orders/${stops[1].orderNumber}`, {
      headers: { cookie: staff.cookie },
    })).text();
    ok(order.includes('data-proof="signature"'));
    ok(
      order.includes("The recipient&#39;s signature") ||
        order.includes("The recipient's signature"),
    );
    const img = await s.fetch(`/admin/delivery/proof/${stops[1].id}`, {
      headers: { cookie: staff.cookie },
    });
    equal(img.status, 200);
    equal(img.headers.get("content-type"), "image/png");
    equal(
      new Uint8Array(await img.arrayBuffer()).slice(0, 4).join(),
      [0x89, 0x50, 0x4e, 0x47].join(),
    );
    for (const cookie of [rider.cookie, (await s.user(["customer"])).cookie]) {
      const r = await s.fetch(`/admin/delivery/proof/${stops[1].id}`, { headers: { cookie } });
      equal(r.status, 403);
      await r.body?.cancel();
    }
    const none = await s.fetch(`/admin/delivery/proof/${stops[3].id}`, {
      headers: { cookie: staff.cookie },
    });
    equal(none.status, 404);
    await none.body?.cancel();
    // The one-time code path stays: a code-proven stop shows no image.
    const [code] = await s.sql`select handover_code from delivery_stops where id = ${stops[3].id}`;
    const byCode = await s.deps.delivery.syncRider([
      {
        id: crypto.randomUUID(),
        stopId: stops[3].id,
        action: "delivered",
        at,
        code: code.handover_code,
        codMinor: stops[3].codDueMinor,
      },
    ], { id: rider.user.id });
    equal(byCode[0].status, "applied");
    equal((await s.deps.delivery.proofOf(stops[3].orderNumber))!.proof, "code");
  });
});
