/**
 * The stock valuation page (/admin/accounting/valuation): the accountant chooses FIFO or moving
 * average by default, per item kind and per item; a bad item code is refused on its field (422,
 * nothing saved); the stock valued is shown against the inventory accounts; others are refused.
 * English and Bangla.
 */
import { deepStrictEqual as equal, match, ok } from "node:assert/strict";
import "@/tests/identity/_fixtures.ts";
import { withTestApp } from "../helpers/app.ts";
import { staffBrowser } from "@/tests/identity/_web.ts";
import { receiptBooked } from "./_helpers.ts";

const staff = staffBrowser;

const PAGE = "/admin/accounting/valuation";

Deno.test("valuation page: methods by default, kind and item; bad input on its field; the stock valued", async () => {
  await withTestApp(async (t) => {
    const warehouse = await staff(t, ["warehouse"]);
    equal((await warehouse.get(PAGE)).status, 403);
    const sales = await staff(t, ["sales"]);
    equal((await sales.get(PAGE)).status, 403);
    equal((await sales.post(PAGE, { action: "set", scope: "*", method: "average" })).status, 403);

    const acc = await staff(t, ["accountant"]);
    equal((await acc.get(PAGE)).status, 200);
    match(acc.html, /data-scope="\*" data-method="fifo"/);
    match(acc.html, /data-scope="kind:finished" data-method="inherit"/);
    match(acc.html, /No stock valued yet/);

    let res = await acc.post(PAGE, { action: "set", scope: "kind:finished", method: "average" });
    equal(res.status, 303);
    equal(res.headers.get("location"), `${PAGE}?done=1`);
    await acc.get(`${PAGE}?done=1`);
    match(acc.html, /Saved\./);
    match(acc.html, /data-scope="kind:finished" data-method="average"/);

    res = await acc.post(PAGE, {
      action: "set",
      scope: "item",
      itemCode: "fg-ghee-500",
      method: "fifo",
    });
    equal(res.status, 303);
    await acc.get(PAGE);
    match(acc.html, /data-scope="item:FG-GHEE-500" data-method="fifo"/);
    equal(
      (await t.deps.accounting.valuationMethods()).map((m) => [m.scope, m.method]),
      [["*", "fifo"], ["item:FG-GHEE-500", "fifo"], ["kind:finished", "average"]],
    );

    // Refused: a bad item code (on its field), an unknown method, removing the default.
    res = await acc.post(PAGE, {
      action: "set",
      scope: "item",
      itemCode: "bad code!",
      method: "fifo",
    });
    equal(res.status, 422);
    match(acc.html, /aria-invalid="true"/);
    match(acc.html, /Choose an item kind or enter an item code/);
    res = await acc.post(PAGE, { action: "set", scope: "*", method: "lifo" });
    equal(res.status, 422);
    match(acc.html, /Choose FIFO or moving average/);
    res = await acc.post(PAGE, { action: "set", scope: "*", method: "" });
    equal(res.status, 422);
    match(acc.html, /The default method cannot be removed/);
    equal((await t.deps.accounting.valuationMethods()).length, 3);

    // The item's own setting removed: the kind's applies again.
    res = await acc.post(PAGE, { action: "set", scope: "item:FG-GHEE-500", method: "" });
    equal(res.status, 303);
    ok(!(await t.deps.accounting.valuationMethods()).some((m) => m.scope === "item:FG-GHEE-500"));

    // Stock valued appears with the inventory account against the ledger.
    await receiptBooked(t.deps.accounting, t.db.sql, {
      receiptNumber: "GRN-PAGE-1",
      orderNumber: "PO-PAGE-1",
    }, { itemCode: "ING-SUGAR", kind: "ingredient", valueMinor: 123_456, qty: 5_000 });
    await acc.get(PAGE);
    match(acc.html, /data-item="ING-SUGAR"/);
    match(acc.html, /data-account="1320"[\s\S]*?1,234\.56[\s\S]*?1,234\.56/);

    // In Bangla.
    await acc.get(`/lang?to=bn&next=${PAGE}`);
    await acc.get(PAGE);
    match(acc.html, /মজুদ মূল্যায়ন/);
    match(acc.html, /চলমান গড়/);
  });
});
