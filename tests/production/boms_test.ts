/**
 * Bills of materials by version: the version in force on a date, a new version ending the one
 * before, orders planned on the version of their day; the Mushak 4.3 coefficients per unit of
 * supply; the fat/SNF standardisation calculator.
 */
import { deepStrictEqual as equal, ok, rejects } from "node:assert/strict";
import { withTestDb } from "../helpers/db.ts";
import { ProductionError } from "@/services/production/mod.ts";
import { standardise } from "@/services/production/standardise.ts";
import { actor, doorsOn, milkBom, milkItems } from "./_helpers.ts";

Deno.test("a new BoM version supersedes the old one from its date; orders use the version in force", async () => {
  await withTestDb(async (db) => {
    const sql = db.sql;
    const d = doorsOn(sql);
    await milkItems(d, sql);
    const v1 = await d.production.saveBomVersion(milkBom({ lossPct: "2" }), actor);
    const v2 = await d.production.saveBomVersion(
      milkBom({
        validFrom: "2026-03-01",
        inputs: [
          { itemCode: "RAW-MILK", role: "main", qty: 1_010_000, wastagePct: "1" },
          { itemCode: "PKG-POUCH-1L", role: "packaging", qty: 1005 },
        ],
      }),
      actor,
    );
    equal([v1.version, v2.version], [1, 2]);
    equal((await d.production.getBom(v1.id)).validTo, "2026-02-28");
    equal(v2.validTo, null);
    equal((await d.production.bomInForce("FG-TMILK-1000", "2026-02-28"))?.version, 1);
    equal((await d.production.bomInForce("FG-TMILK-1000", "2026-03-01"))?.version, 2);
    equal(await d.production.bomInForce("FG-TMILK-1000", "2025-12-31"), null);
    equal((await d.production.bomVersions("FG-TMILK-1000")).map((b) => b.version), [2, 1]);
    const [row] = await d.production.listBoms({ on: "2026-02-15" });
    equal([row.versions, row.inForce?.version, row.latest.version], [2, 1, 2]);

    const feb = await d.production.createOrder({
      outputItemCode: "FG-TMILK-1000",
      plannedQty: 10,
      plannedOn: "2026-02-20",
    }, actor);
    const mar = await d.production.createOrder({
      outputItemCode: "FG-TMILK-1000",
      plannedQty: 10,
      plannedOn: "2026-03-02",
    }, actor);
    equal((await d.production.getOrder(feb.id)).inputs.map((i) => i.requiredQty), [10_150, 11]);
    equal((await d.production.getOrder(mar.id)).inputs.map((i) => i.requiredQty), [10_100, 11]);
    equal((await d.production.getOrder(feb.id)).bom.version, 1);

    // A declaration already filed is never rewritten: a start on or before the latest is refused.
    await rejects(
      d.production.saveBomVersion(milkBom({ validFrom: "2026-03-01" }), actor),
      (e: unknown) => e instanceof ProductionError && e.code === "bom_date" && e.status === 422,
    );
    // Unknown items, no main input, bad numbers.
    await rejects(
      d.production.saveBomVersion(
        milkBom({ validFrom: "2026-04-01", byproducts: [{ itemCode: "NOPE-1", qty: 5 }] }),
        actor,
      ),
      (e: unknown) => e instanceof ProductionError && e.code === "unknown_item",
    );
    await rejects(
      d.production.saveBomVersion(
        milkBom({
          validFrom: "2026-04-01",
          inputs: [{ itemCode: "RAW-MILK", role: "ingredient", qty: 5, wastagePct: "" }],
        }),
        actor,
      ),
      (e: unknown) => e instanceof ProductionError && e.code === "main_input",
    );
    for (
      const bad of [{ lossPct: "150" }, { outputQty: "-3" }, { validFrom: "soon" }, { inputs: [] }]
    ) {
      await rejects(
        d.production.saveBomVersion(milkBom({ validFrom: "2026-04-01", ...bad }), actor),
        (e: Error & { status?: number }) => e.status === 422,
      );
    }
    equal((await d.production.bomVersions("FG-TMILK-1000")).length, 2);
  });
});

Deno.test("Mushak 4.3 states each input per unit of supply with its wastage, and the by-products", async () => {
  await withTestDb(async (db) => {
    const sql = db.sql;
    const d = doorsOn(sql);
    await milkItems(d, sql);
    await d.inventory.port.ensureItem(sql, {
      code: "BYP-SKIM",
      nameEn: "Skim milk",
      nameBn: "ননী তোলা দুধ",
      kind: "byproduct",
      base: "ml",
      shelfLifeDays: 2,
    });
    await d.production.saveBomVersion(
      milkBom({ byproducts: [{ itemCode: "BYP-SKIM", qty: 20_000 }] }),
      actor,
    );
    const f = await d.production.mushak43("FG-TMILK-1000", "2026-03-10");
    equal(f.unit.en, "1 piece");
    equal(f.product.nameBn, "পরীক্ষার দুধ ১ লিটার");
    equal(
      f.inputs.map((i) => [i.itemCode, i.perUnit, i.wastagePerUnit, i.wastageBp, i.base]),
      [
        ["RAW-MILK", 1015, 15.225, 150, "ml"],
        ["PKG-POUCH-1L", 1.01, 0.0101, 100, "pc"],
      ],
    );
    equal(f.byproducts.map((b) => [b.itemCode, b.perUnit]), [["BYP-SKIM", 20]]);
    await rejects(d.production.mushak43("FG-TMILK-1000", "2025-01-01"), { status: 404 });
  });
});

Deno.test("standardisation: cream off for rich milk, cream and powder in for thin milk", () => {
  // 1000 L at 4.2 % fat to 3.5 %: (4.2 − 3.5) / (40 − 3.5) of it is cream.
  const rich = standardise({
    milkMl: 1_000_000,
    fatPct: 4.2,
    snfPct: 8.3,
    targetFatPct: 3.5,
    targetSnfPct: 8.5,
  });
  // (a little less: the powder that lifts the SNF to target thins the fat too)
  ok(rich.creamMl > 18_500 && rich.creamMl < 19_178, String(rich.creamMl));
  equal(rich.resultMl, 1_000_000 - rich.creamMl);
  equal([rich.resultFatPct, rich.resultSnfPct], [3.5, 8.5]);
  ok(rich.smpG > 0);
  const thin = standardise({
    milkMl: 100_000,
    fatPct: 3,
    snfPct: 8.6,
    targetFatPct: 3.5,
    targetSnfPct: 8.5,
  });
  ok(thin.creamMl < 0, "cream is added");
  equal(thin.smpG, 0);
  const onTarget = standardise({
    milkMl: 1000,
    fatPct: 3.5,
    snfPct: 9,
    targetFatPct: 3.5,
    targetSnfPct: 8.5,
  });
  equal([onTarget.creamMl, onTarget.smpG, onTarget.snfAboveTarget], [0, 0, true]);
});
