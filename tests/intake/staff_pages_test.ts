// The intake staff screens: warehouse staff register farmers, points and a price chart, record
// deliveries (a rejected one says why and is not paid), receive a point's day and a tank, build
// statements and download the payout file; bad input is a 4xx with a message; others get 403.
import { strict as assert } from "node:assert";
import { Browser, makeUser, PASSWORD, signIn } from "../identity/_web.ts";
import { testClock, withTestApp } from "@/tests/helpers/app.ts";
import { makeTank } from "../iot/helpers.ts";

Deno.test("intake staff screens: farmers, chart, deliveries, point day, tank, statements, payout file", async () => {
  const clock = testClock(new Date("2026-02-12T04:00:00Z"));
  await withTestApp(async (t) => {
    const sql = t.db.sql;
    await makeUser(sql, t.deps.keyring, { email: "store@example.com", roles: ["warehouse"] });
    await makeUser(sql, t.deps.keyring, { email: "worker@example.com", roles: ["farm_worker"] });
    const b = new Browser(t);
    assert.equal((await signIn(b, "store@example.com", PASSWORD)).status, 303);

    for (
      const path of ["farmers", "points", "chart", "deliveries", "tanks", "statements"]
    ) {
      assert.equal((await b.get(`/admin/intake/${path}`)).status, 200, path);
    }
    assert.equal((await b.get("/admin/intake")).status, 303);

    // Registers.
    let res = await b.submit("/admin/intake/points", {
      action: "create",
      code: "BAG-1",
      name: "Baghabari",
      village: "Baghabari",
      upazilaCode: "5012",
    });
    assert.equal(res.status, 303);
    res = await b.submit("/admin/intake/chart", {
      action: "create",
      effectiveFrom: "2026-01-01",
      baseMinor: "5000",
      refFat: "3.5",
      refSnf: "8.0",
      fatStepMinor: "50",
      snfStepMinor: "30",
      bonusFat: "4.5",
      bonusSnf: "8.5",
      bonusMinor: "200",
      penaltyFat: "",
      penaltySnf: "",
      penaltyMinor: "",
      maxTempC: "",
    });
    assert.equal(res.status, 303);
    res = await b.submit("/admin/intake/farmers", {
      action: "save",
      code: "F-001",
      name: "Rahima Begum",
      phone: "01712345678",
      village: "Char",
      upazilaCode: "5012",
      bkash: "01712345678",
      bankName: "",
      bankAccount: "",
      active: "on",
    });
    assert.equal(res.status, 303);
    // Bad input: the form comes back with the messages.
    res = await b.submit("/admin/intake/farmers", {
      action: "save",
      code: "F-002",
      name: "",
      phone: "12345",
    });
    assert.equal(res.status, 422);
    assert.match(b.html, /Enter a mobile number like 01712345678/);
    res = await b.submit("/admin/intake/farmers", {
      action: "save",
      code: "F-001",
      name: "Copy",
      phone: "01812345678",
    });
    assert.equal(res.status, 409);
    assert.match(b.html, /Another farmer has this code/);

    const [farmer] = await t.deps.intake.listFarmers();
    const [point] = await t.deps.intake.listPoints();
    const deliver = (over: Record<string, string>) =>
      b.submit("/admin/intake/deliveries", {
        action: "record",
        pointId: String(point.id),
        day: "2026-02-03",
        session: "am",
        farmerId: String(farmer.id),
        litres: "10.5",
        fatPct: "4.6",
        snfPct: "8.6",
        tempC: "29",
        antibiotic: "negative",
        note: "",
        ...over,
      });
    res = await deliver({});
    assert.equal(res.status, 303);
    await b.get(res.headers.get("location")!);
    assert.match(b.html, /Saved: 10\.5 L at ৳59\.30 \/ L = ৳622\.65/);
    res = await deliver({ session: "pm", antibiotic: "positive" });
    assert.equal(res.status, 303);
    await b.get(res.headers.get("location")!);
    assert.match(b.html, /rejected \(Antibiotic positive\): not paid/);
    res = await deliver({ session: "pm", day: "2026-02-04", litres: "many" });
    assert.equal(res.status, 422);
    assert.match(b.html, /Litres must be a number/);
    // … and in Bangla.
    b.cookies.set("lang", "bn");
    res = await deliver({ session: "pm", day: "2026-02-04", litres: "many" });
    assert.equal(res.status, 422);
    assert.match(b.html, /লিটার একটি সংখ্যা হতে হবে/);
    b.cookies.delete("lang");
    res = await deliver({ day: "2026-02-03" });
    assert.equal(res.status, 409);
    assert.match(b.html, /recorded already/);

    // The point's day into stock.
    res = await b.submit("/admin/intake/deliveries", {
      action: "receiveDay",
      pointId: String(point.id),
      day: "2026-02-03",
    });
    assert.equal(res.status, 303);
    await b.get(res.headers.get("location")!);
    assert.match(b.html, /Received as lot/);

    // A tank on hold is refused with the reason.
    const tank = await makeTank(sql, "tank-p");
    await sql.begin((tx) =>
      t.deps.iot.forFarm().holdTank(tx, { tankId: tank.id, reason: "Warm tank", at: new Date() })
    );
    res = await b.submit("/admin/intake/tanks", {
      action: "receive",
      tankId: tank.id,
      day: "2026-02-11",
      sessions: ["am", "pm"],
      litres: "300",
      fatPct: "4",
      snfPct: "8.5",
      tempC: "4",
    });
    assert.equal(res.status, 409);
    assert.match(b.html, /Refused as saleable milk|not.*saleable/i);
    assert.match(b.html, /The tank is on hold: Warm tank/);

    // Statements and the payout file.
    res = await b.submit("/admin/intake/statements", { action: "build", day: "2026-02-01" });
    assert.equal(res.status, 303);
    await b.get(res.headers.get("location")!);
    assert.match(b.html, /1 statements built for 2026-02-01 – 2026-02-10/);
    assert.match(b.html, /৳622\.65/);
    res = await b.submit("/admin/intake/statements", { action: "build", day: "2026-02-12" });
    assert.equal(res.status, 409);
    assert.match(b.html, /not over yet/);
    res = await b.get("/admin/intake/payout?day=2026-02-05&kind=bkash");
    assert.equal(res.status, 200);
    assert.equal(res.headers.get("content-type"), "text/csv; charset=utf-8");
    assert.equal(b.html, "wallet,amount,reference\r\n01712345678,622.65,SD-20260201-F-001\r\n");
    assert.equal((await b.get("/admin/intake/payout?day=nope&kind=bkash")).status, 422);

    // Other staff: no entry.
    const w = new Browser(t);
    await signIn(w, "worker@example.com", PASSWORD);
    assert.equal((await w.get("/admin/intake/deliveries")).status, 403);
    // Unknown action: 400.
    await b.get("/admin/intake/points");
    assert.equal((await b.post("/admin/intake/points", { action: "drop" })).status, 400);
  }, { clock });
});
