/**
 * The storage plan is not a secret kept in a table: /readyz and the back office's storage page say
 * which plan runs and why, and a downgrade is shown as one.
 */
import { equal, match, ok } from "node:assert/strict";
import { withTestApp } from "@/tests/helpers/app.ts";
import { staff } from "./web_helpers.ts";

Deno.test("storage plan: /readyz details and the admin page name the plan and the reason", async () => {
  await withTestApp(async (t) => {
    const sql = t.db.sql;
    const [{ mode, reason }] = await sql`select mode, reason from iot_storage`;
    const ready = await t.fetch("/readyz");
    equal(ready.status, 200);
    const body = await ready.json();
    equal(body.details.iotStorage.mode, mode);
    equal(body.details.iotStorage.allowed, mode);
    equal(body.details.iotStorage.downgraded, false);
    equal(body.details.iotStorage.reason, reason);

    const { b } = await staff(t, ["farm_manager"]);
    const page = await b.get("/admin/iot/storage");
    equal(page.status, 200);
    match(b.html, new RegExp(`data-field="mode"[^]*?<code>${mode}</code>`));
    ok(b.html.includes(reason.replace(/&/g, "&amp;").slice(0, 40)), "the reason is shown");
    ok(!b.html.includes('role="alert"'), "no downgrade warning");

    // A recorded fallback below what the server allows is shown as a downgrade.
    if (mode !== "plain") {
      await sql`update iot_storage set mode = 'plain'`;
      await b.get("/admin/iot/storage");
      match(b.html, /role="alert"/);
      equal((await (await t.fetch("/readyz")).json()).details.iotStorage.downgraded, true);
    }
  });
});

Deno.test("storage plan: the page is for people who may view the IoT screens", async () => {
  await withTestApp(async (t) => {
    const { b } = await staff(t, ["warehouse"]);
    const res = await b.get("/admin/iot/storage");
    ok(res.status === 403 || res.status === 404, `status ${res.status}`);
  });
});
