/**
 * The production screens over HTTP: staff with production.manage plan, start (FEFO) and finish an
 * order and see its yield; the BoM and Mushak 4.3 pages; other roles are refused; bad input gets a
 * 4xx with the form back, never a 500.
 */
import { deepStrictEqual as equal, ok } from "node:assert/strict";
import { withTestApp } from "@/tests/helpers/app.ts";
import { Browser, makeUser, PASSWORD, signIn } from "../identity/_web.ts";
import { arrange, NOW, TODAY } from "./_helpers.ts";

Deno.test("production pages: plan, start FEFO, finish, yield; BoMs and Mushak 4.3; other roles refused", async () => {
  await withTestApp(async (t) => {
    await arrange(t);
    await makeUser(t.db.sql, t.deps.keyring, { email: "maker@example.com", roles: ["production"] });
    await makeUser(t.db.sql, t.deps.keyring, { email: "seller@example.com", roles: ["sales"] });

    // Anonymous → sign in; sales staff → 403 on every production page and form.
    equal((await t.fetch("/admin/production/orders", { redirect: "manual" })).status, 303);
    const s = new Browser(t);
    await signIn(s, "seller@example.com", PASSWORD);
    for (
      const path of [
        "/admin/production/orders",
        "/admin/production/orders/new",
        "/admin/production/boms",
        "/admin/production/boms/new",
        "/admin/production/mushak?item=FG-TMILK-1000",
      ]
    ) {
      equal((await s.get(path)).status, 403, path);
    }
    await s.get("/admin");
    equal(
      (await s.post("/admin/production/orders/new", { outputItemCode: "FG-TMILK-1000" })).status,
      403,
    );
    ok(!s.html.includes("/admin/production/orders/"));

    const b = new Browser(t);
    await signIn(b, "maker@example.com", PASSWORD);
    equal((await b.get("/admin")).status, 200);
    ok(b.html.includes('href="/admin/production/orders"'), "the nav shows production");

    // BoMs list, one version page, the Mushak 4.3 sheet with the coefficients in both languages.
    equal((await b.get("/admin/production/boms")).status, 200);
    ok(b.html.includes('data-bom="FG-TMILK-1000"'));
    equal((await b.get("/admin/production/mushak?item=FG-TMILK-1000&on=2026-03-10")).status, 200);
    ok(b.html.includes('data-coefficient="RAW-MILK"'));
    ok(b.html.includes("1,015 ml"), "raw milk per pouch");
    ok(b.html.includes("1.01 pc"), "pouches per pouch");
    ok(b.html.includes("1.5 %"));
    ok(b.html.includes("মূসক-৪.৩") && b.html.includes("Input-output coefficient"));
    ok(!b.html.includes('aria-label="Admin"'), "printed without the sidebar");
    equal((await b.get("/admin/production/mushak?item=FG-TMILK-1000&on=2025-01-01")).status, 200);
    ok(b.html.includes("No bill of materials is in force"));

    // A new version through the form; a bad one gets the form back with messages.
    await b.get("/admin/production/boms/new");
    const postBom = (fields: Record<string, string>) =>
      b.post("/admin/production/boms/new", {
        outputItemCode: "FG-TMILK-1000",
        outputQty: "1000",
        tolerancePct: "1",
        validFrom: "2026-04-01",
        in_item_0: "RAW-MILK",
        in_role_0: "main",
        ...fields,
      });
    const badBom = await postBom({
      nameEn: "Test milk",
      nameBn: "দুধ",
      lossPct: "abc",
      in_qty_0: "-5",
    });
    equal(badBom.status, 422);
    ok(b.html.includes("Enter a percentage"));
    ok(b.html.includes('name="in_qty_0" value="-5"'), "the values come back");
    const goodBom = await postBom({
      nameEn: "Test milk 1 L",
      nameBn: "পরীক্ষার দুধ ১ লিটার",
      lossPct: "1.2",
      in_qty_0: "1012000",
      in_wastage_0: "1.2",
      in_item_1: "PKG-POUCH-1L",
      in_role_1: "packaging",
      in_qty_1: "1010",
    });
    equal(goodBom.status, 303);
    equal((await b.get(goodBom.headers.get("location")!)).status, 200);
    ok(b.html.includes("Version 2"));

    // Plan: bad input → 422 with the message; good → the order page.
    await b.get("/admin/production/orders/new");
    ok(b.html.includes("FG-TMILK-1000"));
    const bad = await b.post("/admin/production/orders/new", {
      outputItemCode: "FG-TMILK-1000",
      plannedQty: "-1",
      plannedOn: TODAY,
    });
    equal(bad.status, 422);
    ok(b.html.includes("Enter a whole quantity above zero"));
    const planned = await b.post("/admin/production/orders/new", {
      outputItemCode: "FG-TMILK-1000",
      plannedQty: "200",
      plannedOn: TODAY,
      outputLocation: "PLANT-COLD1",
    });
    equal(planned.status, 303);
    const orderUrl = planned.headers.get("location")!.replace(/\?.*$/, "");
    equal((await b.get(orderUrl)).status, 200);
    ok(b.html.includes("203,000"), "raw milk required for 200 pouches");

    // Start: the FEFO lots are shown with the standardisation from their tests.
    equal((await b.get(`${orderUrl}/start`)).status, 200);
    ok(b.html.includes("data-std"), "the calculator ran on the lots' fat and SNF");
    ok(b.html.includes("Separate"));
    ok(b.html.includes("data-candidate="), "released lots to choose by hand");
    const started = await b.post(`${orderUrl}/start`, { mode: "fefo" });
    equal(started.status, 303);
    await b.get(orderUrl);
    ok(b.html.includes("data-consumed="));
    // Starting again: 409 with the reason, nothing changes.
    equal((await b.post(`${orderUrl}/start`, { mode: "fefo" })).status, 409);

    // Finish: bad quantity → 422; then 190 made (beyond the tolerance) → flagged.
    await b.get(`${orderUrl}/finish`);
    equal(
      (await b.post(`${orderUrl}/finish`, { actualQty: "lots", producedOn: TODAY })).status,
      422,
    );
    const done = await b.post(`${orderUrl}/finish`, { actualQty: "190", producedOn: TODAY });
    equal(done.status, 303);
    await b.get(orderUrl);
    ok(b.html.includes("data-yield"));
    ok(b.html.includes("Loss above tolerance"));
    ok(b.html.includes("data-output="));

    await b.get("/admin/production/orders?status=finished");
    ok(b.html.includes("Loss above tolerance"));

    // Bangla.
    await b.get(`/lang?to=bn&next=${encodeURIComponent(orderUrl)}`);
    equal((await b.get(orderUrl)).status, 200);
    ok(b.html.includes("ক্ষতি সহনসীমার বেশি"));

    // Unknown or malformed ids.
    equal((await b.get("/admin/production/orders/999999")).status, 404);
    equal((await b.get("/admin/production/orders/abc")).status, 404);
    equal((await b.get("/admin/production/boms/0")).status, 404);
    equal((await b.get("/admin/production/orders/new?calc=1&milkMl=x")).status, 200);
  }, { clock: { now: () => NOW } });
});
