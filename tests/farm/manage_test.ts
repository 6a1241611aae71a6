// The manager's reference-data screens over HTTP on the demo herd: groups, feeds, rations,
// medicines and vaccination schedules are created and edited; bad input comes back as a 422
// with the typed values and a message; workers get 403, vets only the medicines; a group with
// animals is not deactivated; every change leaves an audit entry.
import { strict as assert } from "node:assert";
import { withTestApp } from "@/tests/helpers/app.ts";
import { Browser, makeUser, PASSWORD, signIn } from "../identity/_web.ts";
import { seedFarm } from "@/scripts/seed_farm.ts";
import { count } from "./_helpers.ts";
import { addDays, farmDay } from "@/services/farm/dates.ts";
import { vaccinationsDue } from "@/services/farm/health.ts";

const text = (html: string) =>
  html.replace(/<style[^]*?<\/style>/g, "").replace(/<script[^]*?<\/script>/g, "")
    .replace(/&amp;/g, "&").replace(/&quot;/g, '"').replace(/&#x27;|&#39;/g, "'");

/** The screen refused the form just sent: a 422 whose page (as text) says each message. */
function refusedWith(b: Browser, res: Response, messages: string[]) {
  assert.equal(res.status, 422);
  const page = text(b.html);
  for (const m of messages) assert.ok(page.includes(m), m);
}

Deno.test("farm manage: permissions, groups, feeds and rations", async () => {
  await withTestApp(async (t) => {
    const sql = t.db.sql;
    await seedFarm(sql, { days: 20 });
    await makeUser(sql, t.deps.keyring, { email: "w@example.com", roles: ["farm_worker"] });
    await makeUser(sql, t.deps.keyring, { email: "vet@example.com", roles: ["vet"] });
    await makeUser(sql, t.deps.keyring, { email: "boss@example.com", roles: ["farm_manager"] });

    // A worker sees no Manage link and gets 403 on every screen, also when posting.
    const w = new Browser(t);
    await signIn(w, "w@example.com", PASSWORD);
    await w.get("/farm/milk");
    assert.ok(!w.html.includes('href="/farm/manage"'));
    for (const p of ["", "/groups", "/feeds", "/rations", "/medicines", "/vaccines"]) {
      assert.equal((await w.get(`/farm/manage${p}`)).status, 403, p);
    }
    const groupsBefore = await count(sql, "farm_groups");
    await w.get("/farm/milk");
    const denied = await w.post("/farm/manage/groups", {
      _action: "create",
      code: "NEW",
      name: "x",
      kind: "other",
    });
    assert.equal(denied.status, 403);
    assert.equal(await count(sql, "farm_groups"), groupsBefore);

    // A vet: the link, the medicines, but not the groups.
    const v = new Browser(t);
    await signIn(v, "vet@example.com", PASSWORD);
    await v.get("/farm/manage");
    assert.ok(v.html.includes('href="/farm/manage"'), "nav link");
    assert.ok(v.html.includes('href="/farm/manage/medicines"'));
    assert.ok(!v.html.includes('href="/farm/manage/groups"'));
    assert.equal((await v.get("/farm/manage/medicines")).status, 200);
    assert.equal((await v.get("/farm/manage/groups")).status, 403);

    const b = new Browser(t);
    await signIn(b, "boss@example.com", PASSWORD);
    assert.equal((await b.get("/farm/manage")).status, 200);
    for (const p of ["groups", "feeds", "rations", "medicines", "vaccines"]) {
      assert.ok(b.html.includes(`href="/farm/manage/${p}"`), p);
    }

    // Groups: create, bad input kept with messages, duplicate code, rename, deactivate.
    let res = await b.submit("/farm/manage/groups", {
      _action: "create",
      code: "quarantine",
      name: "Quarantine",
      kind: "hospital",
      pen: "Shed Q",
    });
    assert.equal(res.status, 303);
    const [q] = await sql`select id, code, name, pen, active from farm_groups
      where code = 'QUARANTINE'`;
    assert.deepEqual({ ...q, id: 0 }, {
      id: 0,
      code: "QUARANTINE",
      name: "Quarantine",
      pen: "Shed Q",
      active: true,
    });
    refusedWith(
      b,
      await b.submit("/farm/manage/groups", {
        _action: "create",
        code: "bad code!",
        name: "Still typed",
        kind: "",
      }),
      ["Use up to 16 capital letters", "Choose a kind."],
    );
    assert.ok(b.html.includes('value="Still typed"'), "the typed name is kept");
    refusedWith(
      b,
      await b.submit("/farm/manage/groups", {
        _action: "create",
        code: "HIGH",
        name: "Again",
        kind: "lactating",
      }),
      ["The code HIGH is already used by another group."],
    );

    refusedWith(
      b,
      await b.submit(`/farm/manage/groups?edit=${q.id}`, {
        _action: "rename",
        id: String(q.id),
        name: "  ",
        pen: "",
      }, "/farm/manage/groups"),
      ["Enter a name of up to 80 characters."],
    );
    res = await b.post("/farm/manage/groups", {
      _action: "rename",
      id: String(q.id),
      name: "Isolation",
      pen: "",
    });
    assert.equal(res.status, 303);
    const [renamed] = await sql`select name, pen from farm_groups where id = ${q.id}`;
    assert.deepEqual({ ...renamed }, { name: "Isolation", pen: null });

    const [high] = await sql`select g.id, count(a.id)::int as n from farm_groups g
      join animals a on a.group_id = g.id and a.exit_date is null where g.code = 'HIGH'
      group by g.id`;
    assert.ok(high.n > 0, "the seed puts cows in HIGH");
    res = await b.submit("/farm/manage/groups", { _action: "deactivate", id: String(high.id) });
    assert.equal(res.status, 422);
    assert.ok(
      text(b.html).includes(`still has ${high.n} animals. Move them to another group`),
      "a clear refusal",
    );
    assert.equal((await sql`select active from farm_groups where id = ${high.id}`)[0].active, true);
    res = await b.submit("/farm/manage/groups", { _action: "deactivate", id: String(q.id) });
    assert.equal(res.status, 303);
    assert.equal((await sql`select active from farm_groups where id = ${q.id}`)[0].active, false);

    // Bangla: the refusal in Bangla.
    await b.get("/lang?to=bn&next=/farm/manage/groups");
    refusedWith(
      b,
      await b.submit("/farm/manage/groups", { _action: "deactivate", id: String(high.id) }),
      ["বন্ধ করার আগে সেগুলো অন্য দলে সরান"],
    );
    await b.get("/lang?to=en&next=/farm/manage");

    // Feeds: price typed in taka, kept in poisha, shown as taka.
    res = await b.submit("/farm/manage/feeds", {
      name: "Soybean meal",
      kind: "concentrate",
      costPerKg: "62.5",
      dryMatterPct: "89",
    });
    assert.equal(res.status, 303);
    const [soy] = await sql`select id, cost_per_kg_minor, active from feed_items
      where name = 'Soybean meal'`;
    assert.equal(Number(soy.cost_per_kg_minor), 6250);
    assert.equal(soy.active, true);
    await b.get("/farm/manage/feeds");
    assert.ok(/62\.50/.test(text(b.html)), "price shown in taka");
    refusedWith(
      b,
      await b.submit(`/farm/manage/feeds?edit=${soy.id}`, {
        id: String(soy.id),
        name: "Soybean meal",
        kind: "concentrate",
        costPerKg: "12.345",
        dryMatterPct: "120",
        active: "on",
      }, "/farm/manage/feeds"),
      [
        "Enter a price of 0 or more taka, with at most 2 decimals.",
        "Enter a percentage between 0 and 100",
      ],
    );
    assert.ok(b.html.includes('value="12.345"'), "typed price kept");
    res = await b.post("/farm/manage/feeds", {
      id: String(soy.id),
      name: "Soybean meal (local)",
      kind: "concentrate",
      costPerKg: "65",
      dryMatterPct: "",
      active: "on",
    });
    assert.equal(res.status, 303);
    const [soy2] = await sql`select name, cost_per_kg_minor, dry_matter_pct from feed_items
      where id = ${soy.id}`;
    assert.deepEqual(
      [soy2.name, Number(soy2.cost_per_kg_minor), soy2.dry_matter_pct],
      ["Soybean meal (local)", 6500, null],
    );

    // Rations: create for a group, refused without items, edited.
    const from = addDays(farmDay(), 1);
    const rationsBefore = await count(sql, "rations");
    refusedWith(
      b,
      await b.submit("/farm/manage/rations", {
        groupId: String(high.id),
        name: "Early lactation + soy",
        validFrom: from,
        [`kg_${soy.id}`]: "",
      }),
      ["Give at least one feed a quantity above 0"],
    );
    assert.ok(b.html.includes('value="Early lactation + soy"'));
    assert.equal(await count(sql, "rations"), rationsBefore, "nothing half-written");
    res = await b.submit("/farm/manage/rations", {
      groupId: String(high.id),
      name: "Early lactation + soy",
      validFrom: from,
      [`kg_${soy.id}`]: "1.5",
      kg_1: "30",
    });
    assert.equal(res.status, 303);
    const [ration] = await sql`select id from rations where group_id = ${high.id}
      and valid_from = ${from}`;
    const items = await sql`select feed_item_id, kg_per_head::float8 as kg from ration_items
      where ration_id = ${ration.id} order by feed_item_id`;
    assert.deepEqual(items.map((r) => [r.feed_item_id, r.kg]), [[1, 30], [soy.id, 1.5]]);
    res = await b.submit(`/farm/manage/rations?edit=${ration.id}`, {
      id: String(ration.id),
      groupId: String(high.id),
      name: "Early lactation + soy",
      validFrom: from,
      [`kg_${soy.id}`]: "-2",
    }, "/farm/manage/rations");
    assert.equal(res.status, 422);
    assert.equal(await count(sql, "ration_items", `ration_id = ${ration.id}`), 2, "kept");
    res = await b.post("/farm/manage/rations", {
      id: String(ration.id),
      groupId: String(high.id),
      name: "Early lactation, soy only",
      validFrom: from,
      [`kg_${soy.id}`]: "2",
    });
    assert.equal(res.status, 303);
    const after = await sql`select feed_item_id, kg_per_head::float8 as kg from ration_items
      where ration_id = ${ration.id}`;
    assert.deepEqual(after.map((r) => [r.feed_item_id, r.kg]), [[soy.id, 2]]);
    await b.get("/farm/manage/rations");
    assert.ok(text(b.html).includes("Early lactation, soy only"));

    const actions = (await sql`select action from audit_log where action like 'farm.%'`)
      .map((r) => r.action);
    for (
      const a of [
        "farm.group.create",
        "farm.group.rename",
        "farm.group.deactivate",
        "farm.feed_item.save",
        "farm.feed_item.update",
        "farm.ration.save",
        "farm.ration.update",
      ]
    ) assert.ok(actions.includes(a), a);
  });
});

Deno.test("farm manage: medicines and vaccination schedules feed the due list", async () => {
  await withTestApp(async (t) => {
    const sql = t.db.sql;
    await seedFarm(sql, { days: 20 });
    await makeUser(sql, t.deps.keyring, { email: "vet@example.com", roles: ["vet"] });
    await makeUser(sql, t.deps.keyring, { email: "boss@example.com", roles: ["farm_manager"] });

    // A vet adds and edits a medicine.
    const v = new Browser(t);
    await signIn(v, "vet@example.com", PASSWORD);
    let res = await v.submit("/farm/manage/medicines", {
      name: "Penicillin G",
      activeIngredient: "Benzylpenicillin procaine",
      kind: "antibiotic",
      unit: "ml",
      milkWithdrawalHours: "72",
      meatWithdrawalDays: "10",
    });
    assert.equal(res.status, 303);
    const [pen] = await sql`select id, active_ingredient, milk_withdrawal_hours, active
      from medicines where name = 'Penicillin G'`;
    assert.equal(pen.active_ingredient, "Benzylpenicillin procaine");
    assert.equal(pen.milk_withdrawal_hours, 72);
    assert.equal(pen.active, true);
    refusedWith(
      v,
      await v.submit("/farm/manage/medicines", {
        name: "Cloxacillin intramammary",
        kind: "antibiotic",
        unit: "bucket",
        milkWithdrawalHours: "3000",
        meatWithdrawalDays: "x",
      }),
      ["Choose a unit.", "Enter whole hours from 0 to 2000.", "Enter whole days from 0 to 400."],
    );
    assert.ok(v.html.includes('value="3000"'), "typed value kept");
    refusedWith(
      v,
      await v.submit("/farm/manage/medicines", {
        name: "cloxacillin INTRAMAMMARY",
        kind: "antibiotic",
        unit: "tube",
        milkWithdrawalHours: "96",
        meatWithdrawalDays: "7",
      }),
      ["This name is already in use."],
    );
    res = await v.submit(`/farm/manage/medicines?edit=${pen.id}`, {
      id: String(pen.id),
      name: "Penicillin G",
      activeIngredient: "",
      kind: "antibiotic",
      unit: "ml",
      milkWithdrawalHours: "96",
      meatWithdrawalDays: "10",
      active: "on",
    }, "/farm/manage/medicines");
    assert.equal(res.status, 303);
    const [pen2] = await sql`select active_ingredient, milk_withdrawal_hours from medicines
      where id = ${pen.id}`;
    assert.deepEqual({ ...pen2 }, { active_ingredient: null, milk_withdrawal_hours: 96 });
    // The vet may not touch the schedules.
    assert.equal((await v.get("/farm/manage/vaccines")).status, 403);

    // The manager adds a vaccine and a schedule limited to one group.
    const b = new Browser(t);
    await signIn(b, "boss@example.com", PASSWORD);
    res = await b.submit("/farm/manage/medicines", {
      name: "Lumpy skin vaccine",
      activeIngredient: "Neethling strain",
      kind: "vaccine",
      unit: "dose",
      milkWithdrawalHours: "0",
      meatWithdrawalDays: "0",
    });
    assert.equal(res.status, 303);
    const [lsd] = await sql`select id from medicines where name = 'Lumpy skin vaccine'`;
    const [heif] = await sql`select id from farm_groups where code = 'HEIF'`;
    refusedWith(
      b,
      await b.submit("/farm/manage/vaccines", {
        name: "",
        medicineId: String(pen.id), // not a vaccine
        firstAgeDays: "30",
        intervalDays: "7",
        groupId: String(heif.id),
      }),
      [
        "Enter a name of up to 80 characters.",
        "Enter whole days from 14 to 800.",
        "Choose at least one kind of animal.",
      ],
    );
    const heifersYearly = {
      name: "LSD yearly (heifers)",
      firstAgeDays: "120",
      intervalDays: "365",
      groupId: String(heif.id),
      statuses: ["heifer", "calf"],
    };
    // A medicine that is not a vaccine is refused.
    refusedWith(
      b,
      await b.submit("/farm/manage/vaccines", { ...heifersYearly, medicineId: String(pen.id) }),
      ["Unknown medicine."],
    );
    res = await b.submit("/farm/manage/vaccines", {
      ...heifersYearly,
      medicineId: String(lsd.id),
    });
    assert.equal(res.status, 303);
    const [s] = await sql`select id, statuses, group_id from vaccination_schedules
      where name = 'LSD yearly (heifers)'`;
    assert.deepEqual([s.statuses, s.group_id], [["heifer", "calf"], heif.id]);

    // The due list: only animals of that group, none vaccinated yet, are due.
    const today = farmDay();
    const due = (await vaccinationsDue(sql, today, addDays(today, 30)))
      .filter((d) => d.scheduleId === s.id);
    const inGroup = await sql`select id from animals where group_id = ${heif.id}
      and status in ('heifer', 'calf') and birth_date <= ${addDays(today, -90)}`;
    assert.ok(due.length > 0, "heifers are due");
    const ids = new Set(inGroup.map((r) => r.id));
    assert.ok(due.every((d) => ids.has(d.animalId)), "only the group's animals");
    await b.get("/farm/calendar");
    assert.ok(text(b.html).includes("LSD yearly (heifers)"), "shown on the Due page");

    // Whole herd after an edit: more animals become due.
    res = await b.submit(`/farm/manage/vaccines?edit=${s.id}`, {
      id: String(s.id),
      name: "LSD yearly",
      medicineId: String(lsd.id),
      firstAgeDays: "120",
      intervalDays: "365",
      groupId: "",
      statuses: ["heifer", "calf", "lactating", "dry"],
      active: "on",
    }, "/farm/manage/vaccines");
    assert.equal(res.status, 303);
    const dueAll = (await vaccinationsDue(sql, today, addDays(today, 30)))
      .filter((d) => d.scheduleId === s.id);
    assert.ok(dueAll.length > due.length, "the whole herd is due now");

    const actions = (await sql`select action from audit_log where action like 'farm.%'`)
      .map((r) => r.action);
    for (
      const a of [
        "farm.medicine.create",
        "farm.medicine.update",
        "farm.vaccination_schedule.create",
        "farm.vaccination_schedule.update",
      ]
    ) assert.ok(actions.includes(a), a);
  });
});
