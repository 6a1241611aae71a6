/**
 * The quality screens through the app: only quality staff (quality, production, admin) open
 * them; a failed test shows its verdict and the release is refused (409) until overridden with a
 * reason; bad values come back as 422 with the fields marked; unknown lots are 404.
 */
import { equal, match, ok } from "node:assert/strict";
import { withTestApp } from "@/tests/helpers/app.ts";
import { staff } from "@/tests/iot/web_helpers.ts";
import { DAY, FINISHED_OK, milkPackLot, RAW_OK, rawMilkLot } from "./_helpers.ts";

const field = (values: Record<string, string>) =>
  Object.fromEntries(Object.entries(values).map(([k, v]) => [`p_${k}`, v]));

Deno.test("quality pages: refused to other staff, open to quality and production", async () => {
  await withTestApp(async (t) => {
    const sales = await staff(t, ["sales"]);
    for (
      const path of [
        "/admin/quality",
        "/admin/quality/cold-chain",
        "/admin/quality/plans",
        "/admin/quality/lots/1",
      ]
    ) {
      equal((await sales.b.get(path)).status, 403, path);
    }
    equal(
      (await sales.b.post("/admin/quality/lots/1", { action: "decide", decision: "release" }))
        .status,
      403,
    );
    ok(!sales.b.html.includes('href="/admin/quality"'));

    const qc = await staff(t, ["quality"]);
    equal((await qc.b.get("/admin/quality")).status, 200);
    match(qc.b.html, /Lots awaiting a decision/);
    match(qc.b.html, /href="\/admin\/quality\/cold-chain"/);
    equal((await qc.b.get("/admin/quality/plans")).status, 200);
    match(qc.b.html, /Raw milk at intake/);
    match(qc.b.html, /Antibiotic residue/);
    equal((await qc.b.get("/admin/quality/lots/999999")).status, 404);
    equal((await qc.b.get("/admin/quality/lots/abc")).status, 404);

    const prod = await staff(t, ["production"]);
    equal((await prod.b.get("/admin/quality/cold-chain")).status, 200);
    equal(
      (await prod.b.get("/admin/quality", { cookie: `${prod.b.cookieHeader()}; lang=bn` })).status,
      200,
    );
  });
});

Deno.test("quality pages: results entered, a failed verdict blocks the release until overridden", async () => {
  await withTestApp(async (t) => {
    const { inventory } = t.deps;
    const lot = await rawMilkLot(t.deps, t.db.sql, 800);
    const page = `/admin/quality/lots/${lot.lotId}`;
    const qc = await staff(t, ["quality"]);
    equal((await qc.b.get("/admin/quality")).status, 200);
    match(qc.b.html, new RegExp(`data-queue-lot="${lot.lotId}"`));
    equal((await qc.b.get(page)).status, 200);
    match(qc.b.html, /name="p_fat_pct"/);
    match(qc.b.html, /name="p_antibiotic"/);

    // Bad input: 422 with the fields marked, nothing recorded.
    let res = await qc.b.post(page, {
      action: "record",
      ...field({ ...RAW_OK, fat_pct: "x", formalin: "" }),
    });
    equal(res.status, 422);
    match(qc.b.html, /Enter a number/);
    match(qc.b.html, /Enter a value/);
    equal((await t.deps.quality.lotFile(lot.lotId))?.tests.length, 0);
    res = await qc.b.post(page, { action: "record", testedAt: "yesterday", ...field(RAW_OK) });
    equal(res.status, 422);
    const decide = async (decision: string, reason: string, override?: "on") =>
      (await qc.b.post(page, { action: "decide", decision, reason, ...(override && { override }) }))
        .status;
    equal(await decide("destroy", "no"), 422);
    match(qc.b.html, /Choose a decision/);
    res = await qc.b.post(page, { action: "dance" });
    equal(res.status, 400);

    // Antibiotic residue: the test fails.
    res = await qc.b.post(page, {
      action: "record",
      ...field({ ...RAW_OK, antibiotic: "positive" }),
      note: "Beta-lactam strip",
    });
    equal(res.status, 303);
    equal(res.headers.get("location"), `${page}?recorded`);
    await qc.b.get(`${page}?recorded`);
    match(qc.b.html, /Test results recorded/);
    match(qc.b.html, /data-verdict="fail"/);
    match(qc.b.html, /data-blocker="testFailed"/);

    equal(await decide("release", ""), 409);
    match(qc.b.html, /cannot be released without an override/);
    equal(await decide("release", "short", "on"), 422);
    match(qc.b.html, /at least 10 characters/);
    equal((await inventory.lot(lot.lotId))?.status, "quarantine");

    equal(await decide("reject", "Antibiotic residue: discard"), 303);
    equal((await inventory.lot(lot.lotId))?.status, "rejected");
    await qc.b.get(`${page}?decided`);
    match(qc.b.html, /data-decision="reject"/);
    match(qc.b.html, /Antibiotic residue: discard/);
    equal(await decide("release", "It was a false positive", "on"), 409);
  });
});

Deno.test("quality pages: a passing finished-goods test released from the form makes it sellable", async () => {
  await withTestApp(async (t) => {
    const { inventory } = t.deps;
    const lot = await milkPackLot(t.deps, t.db.sql, { qty: 24 });
    const page = `/admin/quality/lots/${lot.lotId}`;
    const qc = await staff(t, ["quality"]);
    await qc.b.get(page);
    equal((await qc.b.post(page, { action: "record", ...field(FINISHED_OK) })).status, 303);
    equal((await inventory.port.availableBySku(["MILK-1L"], DAY)).get("MILK-1L"), 0);
    equal(
      (await qc.b.post(page, { action: "decide", decision: "release", reason: "" })).status,
      303,
    );
    equal((await inventory.port.availableBySku(["MILK-1L"], DAY)).get("MILK-1L"), 24);
    await qc.b.get(page);
    match(qc.b.html, /data-status="released"/);
  });
});
