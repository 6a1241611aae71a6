/**
 * Quality on a real database (both backends): verdicts per parameter, a failed test blocks the
 * release unless overridden with a reason, a release makes the lot sellable, and a critical
 * cold-room alarm (through IoT's ingest write and alarm evaluation) holds that room's lots.
 */
import { deepStrictEqual as equal, ok, rejects } from "node:assert/strict";
import { withTestDb } from "@/tests/helpers/db.ts";
import type { Sql } from "@/services/platform/db.ts";
import { ConflictError, ValidationError } from "@/services/quality/mod.ts";
import {
  actor,
  DAY,
  doors,
  FINISHED_OK,
  milkPackLot,
  RAW_OK,
  rawMilkLot,
  reading,
} from "./_helpers.ts";

Deno.test("quality: out-of-range results fail; no release without an override and its reason", async () => {
  await withTestDb(async ({ sql }) => {
    const d = doors(sql);
    const lot = await rawMilkLot(d, sql);
    equal((await d.inventory.lot(lot.lotId))?.status, "quarantine");

    // Watered milk: low fat and SNF, positive for added water.
    const test = await d.quality.recordResults({
      lotId: lot.lotId,
      values: { ...RAW_OK, fat_pct: "2.9", snf_pct: "7.4", added_water: "positive" },
      actor,
    });
    equal(test.verdict, "fail");
    equal(
      test.results.filter((r) => r.verdict === "fail").map((r) => r.code),
      ["fat_pct", "snf_pct", "added_water"],
    );
    equal(test.results.find((r) => r.code === "temp_c")?.verdict, "pass");

    await rejects(
      d.quality.decide({ lotId: lot.lotId, decision: "release", actor }),
      (e) => e instanceof ConflictError && e.message === "testFailed" && e.field === "override",
    );
    await rejects(
      d.quality.decide({
        lotId: lot.lotId,
        decision: "release",
        override: true,
        reason: "ok",
        actor,
      }),
      (e) => e instanceof ValidationError && e.fieldErrors.reason === "overrideReason",
    );
    equal((await d.inventory.lot(lot.lotId))?.status, "quarantine");

    const decision = await d.quality.decide({
      lotId: lot.lotId,
      decision: "release",
      override: true,
      reason: "Retested at the lab: fat 3.6 %, goes to ghee only",
      actor,
    });
    equal(decision.override, true);
    equal(decision.testId, test.id);
    equal((await d.inventory.lot(lot.lotId))?.status, "released");
    const [audit] = await sql`
      select action, data from audit_log where action = 'quality.release' and entity_id = ${
      String(lot.lotId)
    }`;
    equal(audit.data.override, true);
    equal(audit.data.from, "quarantine");

    // Rejected is final.
    await d.quality.decide({
      lotId: lot.lotId,
      decision: "reject",
      reason: "Ghee plan cancelled",
      actor,
    });
    await rejects(
      d.quality.decide({
        lotId: lot.lotId,
        decision: "release",
        override: true,
        reason: "changed my mind again",
        actor,
      }),
      (e) => e instanceof ConflictError && e.message === "alreadyRejected",
    );
    equal((await d.quality.lotFile(lot.lotId))?.decisions.map((x) => x.decision), [
      "reject",
      "release",
    ]);
  });
});

Deno.test("quality: bad values are refused per parameter; hold and reject need a reason", async () => {
  await withTestDb(async ({ sql }) => {
    const d = doors(sql);
    const lot = await rawMilkLot(d, sql);
    await rejects(
      d.quality.recordResults({
        lotId: lot.lotId,
        values: { ...RAW_OK, fat_pct: "lots", antibiotic: "maybe", urea: "" },
        actor,
      }),
      (e) =>
        e instanceof ValidationError &&
        e.fieldErrors.fat_pct === "notNumber" && e.fieldErrors.antibiotic === "notAChoice" &&
        e.fieldErrors.urea === "required",
    );
    equal((await d.quality.lotFile(lot.lotId))?.tests, []);
    await rejects(
      d.quality.decide({ lotId: lot.lotId, decision: "hold", reason: " ", actor }),
      (e) => e instanceof ValidationError && e.fieldErrors.reason === "reasonRequired",
    );
    // No test at all: a release is an override.
    await rejects(
      d.quality.decide({ lotId: lot.lotId, decision: "release", actor }),
      (e) => e instanceof ConflictError && e.message === "noTest",
    );
  });
});

Deno.test("quality: a release after a passing test makes the lot sellable (available goes up)", async () => {
  await withTestDb(async ({ sql }) => {
    const d = doors(sql);
    const lot = await milkPackLot(d, sql, { qty: 40 });
    equal((await d.inventory.port.availableBySku(["MILK-1L"], DAY)).get("MILK-1L"), 0);
    const queue = await d.quality.awaitingDecision();
    equal(queue.map((e) => [e.lot.id, e.lot.status, e.lastVerdict]), [[
      lot.lotId,
      "quarantine",
      null,
    ]]);

    const test = await d.quality.recordResults({ lotId: lot.lotId, values: FINISHED_OK, actor });
    equal(test.verdict, "pass");
    const decision = await d.quality.decide({ lotId: lot.lotId, decision: "release", actor });
    equal(decision.override, false);
    equal((await d.inventory.lot(lot.lotId))?.status, "released");
    equal((await d.inventory.port.availableBySku(["MILK-1L"], DAY)).get("MILK-1L"), 40);
    equal(await d.quality.awaitingDecision(), []);
  });
});

/** A room sensor watches cold room 1 (set on the location as the warehouse would) with a critical rule. */
async function watchedColdRoom(d: ReturnType<typeof doors>, sql: Sql) {
  await d.iot.createDevice({ id: "cold1-sensor", type: "room_sensor", name: "Cold room 1" });
  await sql`update inv_locations set device_id = 'cold1-sensor' where code = 'PLANT-COLD1'`;
  await d.iot.saveRule("cold-room-hot", {
    name: "Cold room above 8 °C",
    kind: "threshold",
    deviceType: "room_sensor",
    metric: "temperature_c",
    severity: "critical",
    holdsTank: false,
    params: { op: ">", value: 8, durationS: 0 },
  });
}

Deno.test("quality: a critical cold-room alarm holds the lots stored there; release needs a new test", async () => {
  await withTestDb(async ({ sql }) => {
    const d = doors(sql);
    await watchedColdRoom(d, sql);
    const inRoom = await milkPackLot(d, sql, { qty: 30, status: "quarantine" });
    await d.quality.recordResults({ lotId: inRoom.lotId, values: FINISHED_OK, actor });
    await d.quality.decide({ lotId: inRoom.lotId, decision: "release", actor });
    const elsewhere = await milkPackLot(d, sql, {
      qty: 12,
      location: "DEPOT-DHK",
      status: "released",
    });
    equal((await d.inventory.port.availableBySku(["MILK-1L"], DAY)).get("MILK-1L"), 42);

    // Nothing fired yet: the job holds nothing.
    equal(await d.quality.runColdChain(), { alarms: 0, lotsHeld: 0 });

    const now = new Date();
    await reading(d, "cold1-sensor", 3.5, new Date(now.getTime() - 120_000));
    await reading(d, "cold1-sensor", 11.2, new Date(now.getTime() - 60_000));
    const evaluated = await d.iot.evaluateAlarms({ now, kinds: ["threshold"] });
    equal(evaluated.changes.map((c) => [c.ruleId, c.state]), [["cold-room-hot", "open"]]);

    equal(await d.quality.runColdChain(), { alarms: 1, lotsHeld: 1 });
    equal((await d.inventory.lot(inRoom.lotId))?.status, "hold");
    equal((await d.inventory.lot(elsewhere.lotId))?.status, "released");
    equal((await d.inventory.port.availableBySku(["MILK-1L"], DAY)).get("MILK-1L"), 12);
    // Idempotent: a second run holds nothing more.
    equal(await d.quality.runColdChain(), { alarms: 0, lotsHeld: 0 });
    const holds = await d.quality.coldChainHolds({ openOnly: true });
    equal(holds.map((h) => [h.lotId, h.deviceId]), [[inRoom.lotId, "cold1-sensor"]]);
    ok(/Cold room above 8/.test(holds[0].message));
    const queue = await d.quality.awaitingDecision({ status: "hold" });
    equal(queue.map((e) => [e.lot.id, e.coldChain]), [[inRoom.lotId, true]]);

    // The passing test predates the hold: a release needs a new test (or an override).
    await rejects(
      d.quality.decide({ lotId: inRoom.lotId, decision: "release", actor }),
      (e) => e instanceof ConflictError && e.message === "testBeforeHold",
    );
    await d.quality.recordResults({
      lotId: inRoom.lotId,
      values: { ...FINISHED_OK, temp_c: "4.8" },
      testedAt: new Date(Date.now() + 1000),
      actor,
    });
    await d.quality.decide({ lotId: inRoom.lotId, decision: "release", actor });
    equal((await d.inventory.lot(inRoom.lotId))?.status, "released");
    equal((await d.inventory.port.availableBySku(["MILK-1L"], DAY)).get("MILK-1L"), 42);
    equal(await d.quality.coldChainHolds({ openOnly: true }), []);
  });
});

Deno.test("quality: an alarm from days ago (history, a job that was down) holds nothing", async () => {
  await withTestDb(async ({ sql }) => {
    const d = doors(sql);
    await watchedColdRoom(d, sql);
    const lot = await milkPackLot(d, sql, { status: "released" });
    const then = new Date(Date.now() - 2 * 86_400_000);
    await reading(d, "cold1-sensor", 12, new Date(then.getTime() - 60_000));
    equal((await d.iot.evaluateAlarms({ now: then, kinds: ["threshold"] })).changes.length, 1);
    equal(await d.quality.runColdChain(), { alarms: 1, lotsHeld: 0 });
    equal((await d.inventory.lot(lot.lotId))?.status, "released");
    equal(await d.quality.runColdChain(), { alarms: 0, lotsHeld: 0 });
  });
});
