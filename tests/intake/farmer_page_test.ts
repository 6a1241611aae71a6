// The farmer's phone page: sign-in with the registered phone and an SMS code; a farmer sees only
// their own deliveries, tests and payments (another farmer's are "not found"); bad input is a 4xx.
import { strict as assert } from "node:assert";
import { Browser, lastCodeSentTo, UA_PHONE } from "../identity/_web.ts";
import { otherCode } from "../identity/_fixtures.ts";
import { testClock, withTestApp } from "@/tests/helpers/app.ts";
import { delivery, makeFarmer, setup, STAFF } from "./_helpers.ts";

Deno.test("farmer page: a farmer signs in with a code and sees only their own deliveries and payments", async () => {
  const clock = testClock(new Date("2026-02-05T04:00:00Z"));
  await withTestApp(async (t) => {
    const { intake } = t.deps;
    const { pointId } = await setup(intake);
    const a = await makeFarmer(intake, { name: "Rahima Begum" });
    const b = await makeFarmer(intake, { name: "Karim Mia" });
    const mine = await intake.recordDelivery(
      delivery(a.id, pointId, "2026-01-22", { litres: 12.5, fatPct: 4.2 }),
      STAFF,
    );
    const rejected = await intake.recordDelivery(
      delivery(a.id, pointId, "2026-01-23", { antibiotic: "positive" }),
      STAFF,
    );
    const theirs = await intake.recordDelivery(
      delivery(b.id, pointId, "2026-01-22", { litres: 8 }),
      STAFF,
    );
    await intake.buildStatements({ day: "2026-01-22" }, STAFF);
    const [stA] = await intake.listStatements({ farmerId: a.id });
    const [stB] = await intake.listStatements({ farmerId: b.id });
    await intake.markPaid({ ids: [stA.id], via: "bkash", ref: "TX-1" }, STAFF);

    const web = new Browser(t, UA_PHONE);
    // Not signed in: sent to the sign-in page.
    let res = await web.get("/farmer");
    assert.equal(res.status, 303);
    assert.equal(res.headers.get("location"), "/farmer/signin");
    assert.equal((await web.get("/farmer/signin")).status, 200);
    // The phone as people type it (local form).
    res = await web.post("/farmer/signin", { step: "phone", phone: `0${a.phone.slice(4)}` });
    assert.equal(res.status, 200);
    assert.match(web.html, /name="code"/);
    const code = await lastCodeSentTo(t.db.sql, a.phone);
    // A wrong code: 422 and still signed out.
    res = await web.post("/farmer/signin", {
      step: "code",
      phone: a.phone,
      code: otherCode(code),
    });
    assert.equal(res.status, 422);
    assert.match(web.html, /wrong or has expired/);
    res = await web.post("/farmer/signin", { step: "code", phone: a.phone, code });
    assert.equal(res.status, 303);
    assert.equal(res.headers.get("location"), "/farmer");

    res = await web.get("/farmer");
    assert.equal(res.status, 200);
    assert.match(web.html, /Rahima Begum/);
    assert.match(web.html, new RegExp(`data-delivery="${mine.id}"`));
    assert.match(web.html, new RegExp(`data-delivery="${rejected.id}"`));
    assert.match(web.html, /Antibiotic positive/);
    assert.match(web.html, new RegExp(`data-statement="${stA.id}"`));
    assert.match(web.html, /Paid · bKash/);
    assert.doesNotMatch(web.html, /Karim Mia/);
    assert.doesNotMatch(web.html, new RegExp(`data-delivery="${theirs.id}"`));

    assert.equal((await web.get(`/farmer/deliveries/${mine.id}`)).status, 200);
    assert.match(web.html, /12\.5/);
    assert.match(web.html, /4\.20/);
    // Another farmer's delivery and statement: not found; nonsense ids too.
    assert.equal((await web.get(`/farmer/deliveries/${theirs.id}`)).status, 404);
    assert.equal((await web.get(`/farmer/statements/${stB.id}`)).status, 404);
    assert.equal((await web.get(`/farmer/statements/${stA.id}`)).status, 200);
    assert.equal((await web.get("/farmer/deliveries/abc")).status, 404);
    assert.equal((await web.get("/farmer/deliveries/99999999999999999999")).status, 404);

    // In Bangla too.
    res = await web.get("/farmer", { cookie: `${web.cookieHeader()}; lang=bn` });
    assert.match(web.html, /আমার সরবরাহ/);

    // A forged cookie opens nothing.
    const forged = new Browser(t, UA_PHONE);
    const [id, exp] = web.cookies.get("sd_farmer")!.split(".");
    forged.cookies.set(
      "sd_farmer",
      `${id === String(a.id) ? b.id : a.id}.${exp}.${"A".repeat(43)}`,
    );
    assert.equal((await forged.get("/farmer")).status, 303);

    // Signing out drops the cookie.
    await web.get("/farmer");
    res = await web.post("/farmer/signout", {});
    assert.equal(res.status, 303);
    assert.equal((await web.get("/farmer")).status, 303);

    // Bad input: 4xx, never a crash; an unknown number looks the same as a known one.
    const anon = new Browser(t, UA_PHONE);
    await anon.get("/farmer/signin");
    assert.equal(
      (await anon.post("/farmer/signin", { step: "phone", phone: "\u0000" })).status,
      422,
    );
    assert.equal(
      (await anon.post("/farmer/signin", { step: "phone", phone: "01999999999" })).status,
      200,
    );
    assert.equal(
      (await anon.post("/farmer/signin", { step: "code", phone: "x", code: "12" })).status,
      422,
    );
    assert.equal((await anon.post("/farmer/signin", { step: "nope" })).status, 400);
  }, { clock });
});
