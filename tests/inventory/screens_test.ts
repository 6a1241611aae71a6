/**
 * The warehouse pages: every one renders for warehouse staff (English and Bangla), none for a
 * customer or staff without inventory.manage; locations are created and edited with clear
 * messages for bad input; stock by item and by location; units convert exactly.
 */
import { deepEqual, equal, match, ok } from "node:assert/strict";
import { formatQty, toBase } from "@/services/inventory/units.ts";
import { Browser, items, lot, staff, withStockApp } from "./screens_helpers.ts";

const PAGES = [
  "/admin/inventory/stock",
  "/admin/inventory/stock?view=lots&location=PLANT-COLD1",
  "/admin/inventory/locations",
  "/admin/inventory/locations/new",
  "/admin/inventory/locations/DEPOT-DHK",
  "/admin/inventory/transfers",
  "/admin/inventory/transfers/new",
  "/admin/inventory/counts",
  "/admin/inventory/scrap",
  "/admin/inventory/expiry",
  "/admin/inventory/units",
];

Deno.test("warehouse pages: render for warehouse staff, refused to customers and other staff", async () => {
  await withStockApp(async (t) => {
    await items(t);
    const cups = await lot(t, "FG-YOG-CUP", 30);
    const pages = [...PAGES, `/admin/inventory/lots/${cups.lotId}`];
    const w = await staff(t, ["warehouse"]);
    for (const p of pages) {
      equal((await w.b.get(p)).status, 200, p);
      ok(w.b.html.includes('href="/admin/inventory/transfers"'), `${p}: stock tabs`);
    }
    await w.b.get("/admin");
    match(w.b.html, /href="\/admin\/inventory\/stock"/, "nav entry");
    await w.b.get("/admin/inventory/stock");
    match(w.b.html, /data-item="FG-YOG-CUP"/);
    match(w.b.html, /30 pc \(2 crate \+ 6\)/);
    // By location: the depot's lot after the cold room's, though it expires first.
    const early = await lot(t, "FG-YOG-CUP", 12, {
      location: "DEPOT-DHK",
      producedOn: "2026-03-01",
    });
    await w.b.get("/admin/inventory/stock?view=lots");
    ok(
      w.b.html.indexOf(`data-lot="${early.lotCode}"`) <
        w.b.html.indexOf(`data-lot="${cups.lotCode}"`),
    );
    await w.b.get("/admin/inventory/stock?view=lots&by=location");
    ok(
      w.b.html.indexOf(`data-lot="${early.lotCode}"`) >
        w.b.html.indexOf(`data-lot="${cups.lotCode}"`),
    );

    // Bangla.
    await w.b.get(`/lang?to=bn&next=/admin/inventory/stock`);
    await w.b.get("/admin/inventory/stock");
    match(w.b.html, /মজুদ/);
    match(w.b.html, /৪২ টি \(৩ ক্রেট \+ ৬\)/);

    // Production staff hold inventory.manage too.
    equal((await (await staff(t, ["production"])).b.get("/admin/inventory/stock")).status, 200);

    for (const roles of [["customer"], ["sales"], ["farm_worker"]] as const) {
      const o = await staff(t, [...roles]);
      for (const p of pages) {
        const s = (await o.b.get(p)).status;
        ok(s === 403, `${roles[0]} ${p}: ${s}`);
      }
      // …and may not post either.
      const res = await o.b.submit("/admin/inventory/scrap", {
        op: "scrap",
        lot: cups.lotCode,
        location: "PLANT-COLD1",
        qty: "1",
        unit: "pc",
        reason: "other",
      });
      equal(res.status, 403);
    }
    const anon = new Browser(t);
    equal((await anon.get("/admin/inventory/stock")).status, 303);
    equal((await w.b.get("/admin/inventory/lots/999999")).status, 404);
  });
});

Deno.test("locations: create and edit with BIN and address; bad input gets messages", async () => {
  await withStockApp(async (t) => {
    const { b } = await staff(t, ["warehouse"]);
    await b.get("/admin/inventory/locations/new");
    const base = {
      op: "save",
      code: "depot-ctg",
      nameEn: "Chattogram depot",
      nameBn: "চট্টগ্রাম ডিপো",
      kind: "depot",
      tempClass: "chilled",
      deviceId: "rs-ctg-1",
      vatRegistered: "on",
      bin: "000123456-0202",
      address: "Agrabad, Chattogram",
      active: "on",
    };
    let res = await b.post("/admin/inventory/locations/new", { ...base, bin: "" });
    equal(res.status, 422);
    match(b.html, /needs its BIN/);
    res = await b.post("/admin/inventory/locations/new", { ...base, bin: "12-34" });
    equal(res.status, 422);
    match(b.html, /A BIN is 13 digits/);
    res = await b.post("/admin/inventory/locations/new", { ...base, code: "bad code!" });
    equal(res.status, 422);
    match(b.html, /capital letters/);
    res = await b.post("/admin/inventory/locations/new", { ...base, code: "DEPOT-DHK" });
    equal(res.status, 409);
    match(b.html, /exists already/);
    res = await b.post("/admin/inventory/locations/new", { ...base, kind: "castle" });
    equal(res.status, 422);

    res = await b.post("/admin/inventory/locations/new", base);
    equal(res.status, 303);
    const loc = await t.deps.inventory.staffLocation("DEPOT-CTG");
    deepEqual(
      [loc?.kind, loc?.tempClass, loc?.deviceId, loc?.bin, loc?.address, loc?.vatRegistered],
      ["depot", "chilled", "rs-ctg-1", "0001234560202", "Agrabad, Chattogram", true],
    );
    await b.get("/admin/inventory/locations");
    match(b.html, /data-location="DEPOT-CTG"/);
    match(b.html, /000123456-0202/);

    res = await b.submit("/admin/inventory/locations/DEPOT-CTG", {
      ...base,
      tempClass: "frozen",
      deviceId: "",
      vatRegistered: "",
      bin: "",
      active: "",
    });
    equal(res.status, 303);
    const edited = await t.deps.inventory.staffLocation("DEPOT-CTG");
    deepEqual([edited?.tempClass, edited?.deviceId, edited?.vatRegistered, edited?.active], [
      "frozen",
      null,
      false,
      false,
    ]);
    const audits = await t.db.sql`
      select action from audit_log where entity = 'inv_location' order by id`;
    deepEqual(audits.map((a) => a.action), [
      "inventory.location_created",
      "inventory.location_updated",
    ]);
    equal((await b.get("/admin/inventory/locations/NOPE")).status, 404);

    // A seeded location saves as it is shown (its BIN kept).
    await b.get("/admin/inventory/locations/PLANT-COLD1");
    const shown = Object.fromEntries(
      [...b.html.matchAll(/<input id="(\w+)" name="\w+" value="([^"]*)"/g)].map((
        x,
      ) => [x[1], x[2]]),
    );
    equal(shown.bin, "000123456789");
    res = await b.post("/admin/inventory/locations/PLANT-COLD1", {
      ...base,
      ...shown,
      vatRegistered: "on",
      sellable: "on",
      active: "on",
    });
    equal(res.status, 303, b.html.match(/role="alert"[^<]*<[^<]*/)?.[0] ?? "");
  });
});

Deno.test("units: exact conversion to base units and friendly display", () => {
  deepEqual(toBase("1.5", "l", "ml"), { ok: true, qty: 1500 });
  deepEqual(toBase("0.001", "l", "ml"), { ok: true, qty: 1 });
  deepEqual(toBase("0.0005", "l", "ml"), { ok: false, problem: "notWhole" });
  deepEqual(toBase("2", "crate", "pc"), { ok: true, qty: 24 });
  deepEqual(toBase("0.5", "crate", "pc"), { ok: true, qty: 6 });
  deepEqual(toBase("0.25", "crate", "pc"), { ok: true, qty: 3 });
  deepEqual(toBase("0.3", "crate", "pc"), { ok: false, problem: "notWhole" });
  deepEqual(toBase("1,250", "g", "g"), { ok: true, qty: 1250 });
  deepEqual(toBase("২.৫", "kg", "g"), { ok: true, qty: 2500 });
  deepEqual(toBase("1", "kg", "ml"), { ok: false, problem: "wrongUnit" });
  deepEqual(toBase("-1", "l", "ml"), { ok: false, problem: "badQuantity" });
  deepEqual(toBase("1e3", "l", "ml"), { ok: false, problem: "badQuantity" });
  deepEqual(toBase("0", "l", "ml"), { ok: false, problem: "notPositive" });
  deepEqual(toBase("0", "l", "ml", { allowZero: true }), { ok: true, qty: 0 });
  deepEqual(toBase("999999999999999", "l", "ml"), { ok: false, problem: "tooMuch" });
  equal(formatQty(1500, "ml"), "1.5 L");
  equal(formatQty(750, "ml"), "750 ml");
  equal(formatQty(2250, "g"), "2.25 kg");
  equal(formatQty(30, "pc"), "30 pc (2 crate + 6)");
  equal(formatQty(-12, "pc"), "-12 pc (1 crate)");
  equal(formatQty(1500, "ml", "bn"), "১.৫ লি");
});
