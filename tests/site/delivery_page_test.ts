// The public delivery page promises only what checkout offers: every active slot with its
// order-by time, in both languages; a slot staff switch off disappears from it.
import { match, ok } from "node:assert/strict";
import { withTestApp } from "@/tests/helpers/app.ts";

Deno.test("delivery page: lists the morning and evening slots with their order-by times", async () => {
  await withTestApp(async (t) => {
    const en = await (await t.fetch("/delivery")).text();
    match(en, /Morning 6–9 am<\/strong> — Order by 10 pm the day before/);
    match(en, /Evening 5–8 pm<\/strong> — Order by 12 pm the same day · ৳\s?20(\.00)? extra/);
    ok(!/every morning between 6 and 9/.test(en), "no promise of mornings only");

    const bn = await (await t.fetch("/delivery", { headers: { cookie: "lang=bn" } })).text();
    match(bn, /আগের দিন রাত ১০টা-এর মধ্যে অর্ডার করুন/);
    match(bn, /একই দিন দুপুর ১২টা-এর মধ্যে অর্ডার করুন/);

    await t.db.sql`update shop_delivery_slots set active = false where code = 'evening'`;
    const after = await (await t.fetch("/delivery?fresh=1")).text();
    ok(!/Evening 5–8 pm/.test(after), "a slot switched off is not offered");
  });
});
