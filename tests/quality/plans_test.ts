/**
 * Test plans are edited in the back office by quality staff: a plan for an item with a range and
 * a pass/fail parameter, a parameter's limits changed (new tests are judged by the new limits,
 * the past result keeps the limits it was judged by), a parameter removed, a plan deactivated;
 * every change audited; bad input is a 4xx with the field marked; other staff get 403.
 */
import { equal, match, ok } from "node:assert/strict";
import { withTestApp } from "@/tests/helpers/app.ts";
import { staff } from "@/tests/iot/web_helpers.ts";
import { milkPackLot, RAW_OK, rawMilkLot } from "./_helpers.ts";

const field = (values: Record<string, string>) =>
  Object.fromEntries(Object.entries(values).map(([k, v]) => [`p_${k}`, v]));
const PLANS = "/admin/quality/plans";

Deno.test("quality plans: edited by quality staff; past results keep the limits they were judged by", async () => {
  await withTestApp(async (t) => {
    const sql = t.db.sql;
    const { quality } = t.deps;
    const qc = await staff(t, ["quality"]);
    const raw = await rawMilkLot(t.deps, sql, 500);
    const lotPage = `/admin/quality/lots/${raw.lotId}`;
    // A test judged by today's fat limit (≥ 3.5 %): 3.6 passes.
    let res = await qc.b.submit(lotPage, {
      action: "record",
      ...field({ ...RAW_OK, fat_pct: "3.6" }),
    });
    equal(res.status, 303);

    // Only quality staff change plans.
    const sales = await staff(t, ["sales"]);
    equal((await sales.b.post(PLANS, { action: "savePlan", code: "X-1" })).status, 403);

    const plan = (await quality.listPlans()).find((p) => p.code === "RAW-MILK-INTAKE")!;
    const fat = plan.parameters.find((p) => p.code === "fat_pct")!;
    equal((await qc.b.get(`${PLANS}?plan=${plan.id}&param=${fat.id}`)).status, 200);
    match(qc.b.html, /Change parameter: fat_pct/);
    const fatForm = {
      action: "saveParameter",
      planId: String(plan.id),
      parameterId: String(fat.id),
      code: "fat_pct",
      nameEn: "Fat",
      nameBn: "চর্বি",
      kind: "range",
      unit: "%",
      min: "3.8",
      max: "8",
    };
    // Bad limits: 422 with the field marked, nothing changed.
    res = await qc.b.post(`${PLANS}?plan=${plan.id}&param=${fat.id}`, { ...fatForm, min: "9" });
    equal(res.status, 422);
    match(qc.b.html, /must not be below the minimum/);
    res = await qc.b.post(PLANS, { ...fatForm, min: "", max: "" });
    equal(res.status, 422);
    match(qc.b.html, /Give a minimum, a maximum or both/);
    res = await qc.b.post(PLANS, { ...fatForm, min: "three" });
    equal(res.status, 422);
    equal((await quality.getPlan(plan.id))!.parameters.find((p) => p.code === "fat_pct")!.min, 3.5);
    // Raised to 3.8 %.
    res = await qc.b.post(PLANS, fatForm);
    equal(res.status, 303);
    await qc.b.get(res.headers.get("location")!);
    match(qc.b.html, /Saved\./);
    const changed = (await quality.getPlan(plan.id))!.parameters.find((p) => p.code === "fat_pct")!;
    equal(changed.min, 3.8);
    ok(changed.id !== fat.id, "a new version of the parameter");

    // The past test keeps its verdict and the limit it was judged by; a new 3.6 fails.
    await qc.b.get(lotPage);
    match(qc.b.html, /data-result="fat_pct"[^>]*>[^<]*Fat: 3\.6[\s\S]*?≥ 3\.50/);
    res = await qc.b.post(lotPage, { action: "record", ...field({ ...RAW_OK, fat_pct: "3.6" }) });
    equal(res.status, 303);
    const file = (await quality.lotFile(raw.lotId))!;
    const [latest, first] = file.tests;
    equal(latest.verdict, "fail");
    equal(latest.results.find((r) => r.code === "fat_pct")!.parameter.min, 3.8);
    equal(first.verdict, "pass");
    equal(first.results.find((r) => r.code === "fat_pct")!.parameter.min, 3.5);

    // A new plan for one item, with a pass/fail parameter.
    await milkPackLot(t.deps, sql);
    const newPlan = {
      action: "savePlan",
      code: "qc-milk-pack",
      nameEn: "Milk pack check",
      nameBn: "দুধের প্যাকেট পরীক্ষা",
      stage: "finished",
      itemCode: "FG-MILK-1L",
    };
    res = await qc.b.post(PLANS, { ...newPlan, itemCode: "NO-SUCH-ITEM" });
    equal(res.status, 422);
    match(qc.b.html, /no such item/);
    res = await qc.b.post(PLANS, { ...newPlan, itemCode: "", stage: "somewhere" });
    equal(res.status, 422);
    match(qc.b.html, /Choose a stage/);
    res = await qc.b.post(PLANS, { ...newPlan, code: "RAW-MILK-INTAKE" });
    equal(res.status, 409);
    match(qc.b.html, /exists already/);
    res = await qc.b.post(PLANS, newPlan);
    equal(res.status, 303);
    const pack = (await quality.listPlans()).find((p) => p.code === "QC-MILK-PACK")!;
    const seal = {
      action: "saveParameter",
      planId: String(pack.id),
      code: "seal",
      nameEn: "Seal",
      nameBn: "সিল",
      kind: "choice",
      choices: "intact, damaged",
      passValues: "intact",
    };
    res = await qc.b.post(PLANS, { ...seal, passValues: "sealed" });
    equal(res.status, 422);
    match(qc.b.html, /must be one of the choices/);
    res = await qc.b.post(PLANS, seal);
    equal(res.status, 303);
    res = await qc.b.post(PLANS, { ...seal, code: "temp_c", kind: "range", unit: "°C", max: "5" });
    equal(res.status, 303);
    await qc.b.get(PLANS);
    match(qc.b.html, /data-plan="QC-MILK-PACK"/);
    match(qc.b.html, /Milk pack check/);
    match(qc.b.html, /≤ 5\.00 °C/);
    // The item's own plan now tests its lots.
    const packLot = await milkPackLot(t.deps, sql);
    await qc.b.get(`/admin/quality/lots/${packLot.lotId}`);
    match(qc.b.html, /name="p_seal"/);
    match(qc.b.html, /name="p_temp_c"/);

    // A parameter removed (the last one cannot be), then the plan deactivated.
    const withSeal = (await quality.getPlan(pack.id))!;
    const sealId = withSeal.parameters.find((p) => p.code === "seal")!.id;
    const tempId = withSeal.parameters.find((p) => p.code === "temp_c")!.id;
    const remove = (id: number) =>
      qc.b.post(PLANS, {
        action: "removeParameter",
        planId: String(pack.id),
        parameterId: String(id),
      });
    equal((await remove(sealId)).status, 303);
    equal((await remove(tempId)).status, 409);
    match(qc.b.html, /at least one parameter/);
    equal((await quality.getPlan(pack.id))!.parameters.map((p) => p.code).join(), "temp_c");
    res = await qc.b.post(PLANS, { action: "deactivate", planId: String(pack.id) });
    equal(res.status, 303);
    await qc.b.get(PLANS);
    match(qc.b.html, /data-plan="QC-MILK-PACK"[\s\S]*?data-inactive/);
    await qc.b.get(`/admin/quality/lots/${packLot.lotId}`);
    // Back to the finished-goods kind plan (the seeded one).
    match(qc.b.html, /name="p_tpc"/);
    ok(!qc.b.html.includes('name="p_seal"'));
    // Unknown plan or parameter: 404.
    equal((await qc.b.get(`${PLANS}?plan=999999`)).status, 404);
    equal((await qc.b.post(PLANS, { ...seal, planId: "999999" })).status, 404);

    // Every change is in the audit log, a change with what it was before.
    const audit = await sql`select action, data from audit_log where action like 'quality.p%'
                            order by id`;
    equal(
      audit.map((a) => a.action).join(),
      [
        "quality.parameter.update",
        "quality.plan.create",
        "quality.parameter.create",
        "quality.parameter.create",
        "quality.parameter.retire",
        "quality.plan.deactivate",
      ].join(),
    );
    const upd = audit[0].data as { before: { min: number }; after: { min: number } };
    equal(upd.before.min, 3.5);
    equal(upd.after.min, 3.8);
  });
});
