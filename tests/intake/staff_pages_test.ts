// The intake staff screens: warehouse staff register farmers, points and a price chart, record
// deliveries (a rejected one says why and is not paid), receive a point's day and a tank, build
// statements and download the payout file; bad input is a 4xx with a message; others get 403.
import { strict as assert } from "node:assert";
import { Browser, makeUser, PASSWORD, signIn } from "../identity/_web.ts";
import { testClock, withTestApp } from "@/tests/helpers/app.ts";
import { makeTank } from "../iot/helpers.ts";
import { CHART, tankForm } from "./_helpers.ts";

/** Form fields as the browser posts them (text). */
const strings = (o: Record<string, unknown>) =>
  Object.fromEntries(Object.entries(o).map(([k, v]) => [k, String(v)]));

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

    /** Posts a form; the answer must have `status` and, after a redirect, the page says `text`. */
    const expect = async (res: Response | Promise<Response>, status: number, text?: RegExp) => {
      const r = await res;
      assert.equal(r.status, status);
      if (status === 303 && text) await b.get(r.headers.get("location")!);
      if (text) assert.match(b.html, text);
      return r;
    };

    // Registers.
    const noLimits = { penaltyFat: "", penaltySnf: "", penaltyMinor: "", maxTempC: "" };
    const phone = "01712345678";
    const registers: [string, Record<string, unknown>][] = [
      ["points", { code: "BAG-1", name: "Baghabari", village: "Baghabari", upazilaCode: "5012" }],
      ["chart", { ...CHART, effectiveFrom: "2026-01-01", ...noLimits }],
      ["farmers", { code: "F-001", name: "Rahima Begum", phone, village: "Char", bkash: phone }],
    ];
    for (const [path, form] of registers) {
      const action = path === "farmers" ? "save" : "create";
      const extra = path === "farmers" ? { upazilaCode: "5012", active: "on" } : {};
      await expect(b.submit(`/admin/intake/${path}`, strings({ action, ...form, ...extra })), 303);
    }
    // Bad input: the form comes back with the messages.
    const save = (over: Record<string, string>) =>
      b.submit("/admin/intake/farmers", { action: "save", ...over });
    await expect(
      save({ code: "F-002", name: "", phone: "12345" }),
      422,
      /Enter a mobile number like 01712345678/,
    );
    await expect(
      save({ code: "F-001", name: "Copy", phone: "01812345678" }),
      409,
      /Another farmer has this code/,
    );

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
    await expect(deliver({}), 303, /Saved: 10\.5 L at ৳59\.30 \/ L = ৳622\.65/);
    await expect(
      deliver({ session: "pm", antibiotic: "positive" }),
      303,
      /rejected \(Antibiotic positive\): not paid/,
    );
    const many = { session: "pm", day: "2026-02-04", litres: "many" };
    await expect(deliver(many), 422, /Litres must be a number/);
    // … and in Bangla.
    b.cookies.set("lang", "bn");
    await expect(deliver(many), 422, /লিটার একটি সংখ্যা হতে হবে/);
    b.cookies.delete("lang");
    await expect(deliver({ day: "2026-02-03" }), 409, /recorded already/);

    // The point's day into stock.
    const receiveDay = { action: "receiveDay", pointId: String(point.id), day: "2026-02-03" };
    await expect(b.submit("/admin/intake/deliveries", receiveDay), 303, /Received as lot/);

    // A tank on hold is refused with the reason.
    const tank = await makeTank(sql, "tank-p");
    await sql.begin((tx) =>
      t.deps.iot.forFarm().holdTank(tx, { tankId: tank.id, reason: "Warm tank", at: new Date() })
    );
    await expect(
      b.submit("/admin/intake/tanks", {
        action: "receive",
        ...strings(tankForm(tank.id, "2026-02-11", ["am", "pm"], { litres: 300, tempC: 4 })),
        sessions: ["am", "pm"],
      }),
      409,
      /Refused as saleable milk|not.*saleable/i,
    );
    assert.match(b.html, /The tank is on hold: Warm tank/);

    // Statements and the payout file.
    const build = (day: string) => b.submit("/admin/intake/statements", { action: "build", day });
    await expect(build("2026-02-01"), 303, /1 statements built for 2026-02-01 – 2026-02-10/);
    assert.match(b.html, /৳622\.65/);
    await expect(build("2026-02-12"), 409, /not over yet/);
    const res = await expect(b.get("/admin/intake/payout?day=2026-02-05&kind=bkash"), 200);
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
