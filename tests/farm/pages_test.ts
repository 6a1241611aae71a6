// The farm pages over HTTP: the PWA start page for anonymous visitors, the recorder for workers,
// every screen for the manager on the seeded herd, permissions, and the forms' error handling.
import { strict as assert } from "node:assert";
import { withTestApp } from "@/tests/helpers/app.ts";
import { Browser, makeUser, PASSWORD, signIn } from "../identity/_web.ts";
import { seedFarm } from "@/scripts/seed_farm.ts";
import { count } from "./_helpers.ts";
import { addDays, farmDay } from "@/services/farm/dates.ts";

const text = (html: string) =>
  html.replace(/<style[^]*?<\/style>/g, "").replace(/<script[^]*?<\/script>/g, "");

Deno.test("farm pages: anonymous start page, worker recorder, manager screens on the demo herd", async () => {
  await withTestApp(async (t) => {
    const sql = t.db.sql;
    await seedFarm(sql, { days: 150 });
    await makeUser(sql, t.deps.keyring, {
      email: "worker@example.com",
      roles: ["farm_worker"],
      displayName: "Jamal",
    });
    await makeUser(sql, t.deps.keyring, { email: "boss@example.com", roles: ["farm_manager"] });

    // Anonymous: 200 with the sign-in prompt and the service worker registration.
    const anon = await t.fetch("/farm");
    assert.equal(anon.status, 200);
    const anonHtml = await anon.text();
    assert.ok(anonHtml.includes("serviceWorker.register"), "registers the service worker");
    assert.ok(anonHtml.includes('href="/signin?next=/farm"'));
    assert.equal(anonHtml.match(/without signal/g)?.length, 1, "the offline promise is said once");
    assert.equal((await t.fetch("/farm/animals", { redirect: "manual" })).status, 303);
    assert.equal(
      (await t.fetch("/farm/sync", { headers: { accept: "application/json" } })).status,
      401,
    );

    const w = new Browser(t);
    await signIn(w, "worker@example.com", PASSWORD);
    assert.equal((await w.get("/farm")).status, 200);
    assert.ok(w.html.includes("frsh:island:FarmRecorder"), "the recorder island");
    assert.ok(w.html.includes("serviceWorker.register"));
    assert.ok(w.html.includes("SD-1001"), "the herd's tags are in the page for offline use");
    for (
      const path of ["/farm/animals", "/farm/milk", "/farm/calendar", "/farm/health", "/farm/feed"]
    ) {
      assert.equal((await w.get(path)).status, 200, path);
    }
    for (const path of ["/farm/dashboard", "/farm/settings", "/farm/animals/new"]) {
      assert.equal((await w.get(path)).status, 403, path);
    }

    const b = new Browser(t);
    await signIn(b, "boss@example.com", PASSWORD);
    await b.get("/farm/dashboard");
    const dash = text(b.html);
    for (
      const label of [
        "Days in milk",
        "305-day yield",
        "Calving interval",
        "Days open",
        "Heat detection rate",
        "Conception rate",
        "21-day pregnancy rate",
        "linear score",
        "Feed cost per litre",
      ]
    ) {
      assert.ok(dash.toLowerCase().includes(label.toLowerCase()), label);
    }
    assert.equal((await b.get("/farm/animals?status=all&q=SD-10")).status, 200);
    const [cow] =
      await sql`select id, tag from animals where status = 'lactating' order by id limit 1`;
    assert.equal((await b.get(`/farm/animals/${cow.id}`)).status, 200);
    assert.ok(text(b.html).includes("Pedigree"));
    assert.equal((await b.get("/farm/animals/999999")).status, 404);
    assert.equal((await b.get("/farm/animals/abc")).status, 404);

    // Bangla.
    const bn = await t.fetch("/farm/dashboard", {
      headers: { cookie: `${b.cookieHeader()}; lang=bn` },
    });
    assert.ok(text(await bn.text()).includes("পালের ড্যাশবোর্ড"));

    // Register an animal: errors come back on the form with the values kept.
    const bad = await b.submit("/farm/animals/new", {
      tag: "NEW 1",
      breed: "",
      sex: "female",
      origin: "purchased",
      status: "lactating",
    });
    assert.equal(bad.status, 422);
    const page = text(b.html);
    assert.ok(page.includes("An ear tag is 1–40 letters"));
    assert.ok(page.includes("A purchased animal needs its arrival date"));
    assert.ok(page.includes('value="NEW 1"'));
    const ok = await b.post("/farm/animals/new", {
      tag: "NEW-1",
      breed: "Sahiwal",
      sex: "female",
      origin: "born",
      status: "calf",
      birthDate: addDays(farmDay(), -30),
      damTag: cow.tag,
      sireTag: "DLS-SH-0207",
    });
    assert.equal(
      ok.status,
      303,
      text(b.html).match(/role="alert"[^<]*>([^<]*)/g)?.join(" | ") ?? "",
    );
    const [created] =
      await sql`select a.status, d.tag as dam, b.code from animals a join animals d on d.id = a.dam_id
      join bulls b on b.id = a.sire_bull_id where a.tag = 'NEW-1'`;
    assert.deepEqual({ ...created }, { status: "calf", dam: cow.tag, code: "DLS-SH-0207" });

    // Settings: the voluntary waiting period is validated and saved.
    await b.get("/farm/settings");
    const vals = {
      pregnancyCheckDays: "35",
      gestationDays: "280",
      dryPeriodDays: "60",
      minCalvingGapDays: "240",
      heiferBreedingAgeDays: "450",
    };
    assert.equal(
      (await b.post("/farm/settings", { ...vals, voluntaryWaitingPeriodDays: "5" })).status,
      422,
    );
    assert.equal(
      (await b.post("/farm/settings", { ...vals, voluntaryWaitingPeriodDays: "60" })).status,
      303,
    );
    const [s] = await sql`select voluntary_waiting_period_days as v from farm_settings`;
    assert.equal(s.v, 60);

    // Tank intake and feeding forms.
    await b.get("/farm/milk");
    assert.equal(
      (await b.post("/farm/milk", { intakeOn: "2020-01-01", session: "am", volumeL: "-3" })).status,
      422,
    );
    const intakes = await count(sql, "bulk_tank_intakes");
    await b.get("/farm/feed");
    const [group] = await sql`select id from farm_groups where code = 'DRY'`;
    assert.equal(
      (await b.post("/farm/feed", { action: "ration", groupId: String(group.id) })).status,
      303,
    );
    assert.ok(
      await count(
        sql,
        "feedings",
        `group_id = ${group.id} and fed_on = (select max(fed_on) from feedings)`,
      ) > 0,
    );
    assert.equal(await count(sql, "bulk_tank_intakes"), intakes);
  });
});
