/**
 * The alarm side of the back office through the app: a cold-chain alarm held a tank; the alarm
 * is acknowledged and closed, the hold released by a farm manager only; rules edited; duty
 * contacts kept; rejected messages shown with reason and payload.
 */
import { deepEqual, equal, match, ok } from "node:assert/strict";
import { withTestApp } from "@/tests/helpers/app.ts";
import { evaluateAlarms, getAlarm, listAlarms } from "@/services/iot/alarms.ts";
import { getRule } from "@/services/iot/alarm_rules.ts";
import { listDutyContacts } from "@/services/iot/duty.ts";
import { getTank } from "@/services/iot/tanks.ts";
import { insertDeadLetters } from "@/services/iot/telemetry.ts";
import type { TestApp } from "@/tests/helpers/app.ts";
import { staff } from "./web_helpers.ts";
import { makeTankWithThermometer, putReadings } from "./helpers.ts";

/** tank-1 read 9.4 °C a minute ago: the tank-hot rule opened a critical alarm and held it. */
async function hotTank(t: TestApp) {
  const sql = t.db.sql;
  const { device } = await makeTankWithThermometer(sql, "tank-1", { id: "tt-tank-1" });
  const at = new Date(Date.now() - 60_000);
  await putReadings(sql, [{
    deviceId: device.id,
    metric: "temperature_c",
    at,
    value: 9.4,
    tankId: "tank-1",
  }]);
  await evaluateAlarms(sql, { kinds: ["threshold"] });
  const [alarm] = await listAlarms(sql, { state: "active" });
  equal(alarm?.ruleId, "tank-hot");
  return alarm;
}

Deno.test("alarms: acknowledged by a farm worker's colleague, closed by hand with a note", async () => {
  await withTestApp(async (t) => {
    const sql = t.db.sql;
    const alarm = await hotTank(t);
    // Production staff see alarms and may acknowledge them, not close them.
    const p = await staff(t, ["production"]);
    equal((await p.b.get("/admin/iot/alarms")).status, 200);
    match(p.b.html, new RegExp(`data-alarm="${alarm.id}"`));
    match(p.b.html, /reads 9\.4/);
    ok(!p.b.html.includes('value="resolve"'), "no close button without iot.manage");
    const ack = await p.b.post("/admin/iot/alarms", {
      action: "acknowledge",
      alarmId: alarm.id,
      note: "Checking the compressor",
      back: "/admin/iot/alarms?state=active",
    });
    equal(ack.status, 303);
    equal(ack.headers.get("location"), "/admin/iot/alarms?state=active&acknowledged");
    equal((await getAlarm(sql, alarm.id))?.state, "acknowledged");
    const refused = await p.b.post("/admin/iot/alarms", {
      action: "resolve",
      alarmId: alarm.id,
      note: "x",
    });
    equal(refused.status, 403);

    const { b, user } = await staff(t, ["farm_manager"]);
    const page = `/admin/iot/alarms/${alarm.id}`;
    await b.get(page);
    match(b.html, /Checking the compressor/);
    match(b.html, /Acknowledged/);
    // Closing it by hand on its own page, with a note (the page comes back to itself).
    const resolve = (note: string) =>
      b.post(page, { action: "resolve", alarmId: alarm.id, note, back: page });
    const noNote = await resolve(" ");
    equal(noNote.status, 409);
    match(b.html, /Say why the alarm is closed by hand/);
    const closed = await resolve("Probe moved during cleaning");
    equal(closed.status, 303);
    await b.get(closed.headers.get("location")!);
    match(b.html, /The alarm is closed/);
    match(b.html, /Probe moved during cleaning/);
    const after = await getAlarm(sql, alarm.id);
    equal(after?.state, "resolved");
    equal(after?.resolvedBy, user.id);
    // Off the active list, on the resolved one.
    await b.get("/admin/iot/alarms");
    ok(!b.html.includes(`data-alarm="${alarm.id}"`));
    await b.get("/admin/iot/alarms?state=resolved");
    match(b.html, new RegExp(`data-alarm="${alarm.id}"`));
  });
});

Deno.test("tanks: a held tank is released by a farm manager with a note, not by others", async () => {
  await withTestApp(async (t) => {
    const sql = t.db.sql;
    await hotTank(t);
    equal((await getTank(sql, "tank-1"))?.status, "held");

    const p = await staff(t, ["production"]);
    await p.b.get("/admin/iot/tanks");
    match(p.b.html, /On hold/);
    match(p.b.html, /Only a farm manager or an administrator/);
    const refused = await p.b.post("/admin/iot/tanks", {
      action: "release",
      tankId: "tank-1",
      note: "Looks fine",
    });
    equal(refused.status, 403);
    equal((await getTank(sql, "tank-1"))?.status, "held");

    // The live farm shows the hold too.
    const w = await staff(t, ["farm_worker"]);
    await w.b.get("/farm/live");
    match(w.b.html, /Milk on hold/);
    match(w.b.html, /data-level="hot"/);

    const { b, user } = await staff(t, ["farm_manager"]);
    const short = await b.submit("/admin/iot/tanks", {
      action: "release",
      tankId: "tank-1",
      note: "",
    });
    equal(short.status, 422);
    match(b.html, /Say why the milk may be released/);
    const ok1 = await b.post("/admin/iot/tanks", {
      action: "release",
      tankId: "tank-1",
      note: "Antibiotic and TPC test negative (lab slip 114)",
    });
    equal(ok1.status, 303);
    equal((await getTank(sql, "tank-1"))?.status, "ok");
    await b.get(ok1.headers.get("location")!);
    match(b.html, /The hold is released/);
    match(b.html, /lab slip 114/, "the history shows the note");
    match(b.html, new RegExp(user.displayName), "and who released it");

    // Adding a tank.
    const bad = await b.post("/admin/iot/tanks", { action: "create", id: "T 2", name: "" });
    equal(bad.status, 422);
    match(b.html, /A name is required/);
    const created = await b.post("/admin/iot/tanks", {
      action: "create",
      id: "tank-9",
      name: "Chiller 9",
      capacityL: "2000",
    });
    equal(created.status, 303);
    equal((await getTank(sql, "tank-9"))?.capacityL, 2000);
  });
});

Deno.test("rules: a threshold edited in minutes is stored in seconds; bad values come back", async () => {
  await withTestApp(async (t) => {
    const sql = t.db.sql;
    const { b } = await staff(t, ["farm_manager"]);
    await b.get("/admin/iot/rules");
    match(b.html, /Bulk milk above 4/);
    await b.get("/admin/iot/rules/tank-warm");
    match(b.html, /name="p_durationS" value="30"/, "1800 s shown as 30 minutes");
    const bad = await b.post("/admin/iot/rules/tank-warm", {
      name: "Bulk milk above 4.5 °C",
      deviceType: "tank_thermometer",
      metric: "temperature_c",
      severity: "warning",
      p_op: ">",
      p_value: "warm",
      p_durationS: "20",
      enabled: "on",
    });
    equal(bad.status, 422);
    match(b.html, /id="p_value"/);
    match(b.html, /value="warm"/, "the person's input is kept");
    const saved = await b.post("/admin/iot/rules/tank-warm", {
      name: "Bulk milk above 4.5 °C",
      deviceType: "tank_thermometer",
      metric: "temperature_c",
      severity: "warning",
      p_op: ">",
      p_value: "4.5",
      p_durationS: "20",
      p_graceS: "90",
      p_staleS: "60",
      enabled: "on",
    });
    equal(saved.status, 303);
    const rule = await getRule(sql, "tank-warm");
    equal(rule?.name, "Bulk milk above 4.5 °C");
    equal((rule?.params as { value: number }).value, 4.5);
    equal((rule?.params as { durationS: number }).durationS, 1200);
    equal((rule?.params as { graceS: number }).graceS, 5400);

    // Switching a rule off and on from the list.
    await b.submit("/admin/iot/rules", { action: "disable", ruleId: "collar-silent" });
    equal((await getRule(sql, "collar-silent"))?.enabled, false);

    // A new rule, with its kind chosen first.
    const gps = {
      kind: "silence",
      id: "gps-silent",
      deviceType: "gps_tracker",
      severity: "info",
      p_silentS: "60",
    };
    const made = await b.submit("/admin/iot/rules/new?kind=silence", {
      ...gps,
      name: "GPS tracker silent for 1 h",
      enabled: "on",
    }, "/admin/iot/rules/new");
    equal(made.status, 303);
    deepEqual((await getRule(sql, "gps-silent"))?.params, { silentS: 3600 });
    // The same id again.
    const dup = await b.submit(
      "/admin/iot/rules/new?kind=silence",
      { ...gps, name: "Again" },
      "/admin/iot/rules/new",
    );
    equal(dup.status, 422);
    match(b.html, /exists already/);

    // Read-only for those without iot.manage.
    const p = await staff(t, ["production"]);
    await p.b.get("/admin/iot/rules/tank-warm");
    match(p.b.html, /<fieldset disabled/);
    equal((await p.b.post("/admin/iot/rules/tank-warm", { name: "x" })).status, 403);
  });
});

Deno.test("duty contacts: added, validated, edited", async () => {
  await withTestApp(async (t) => {
    const sql = t.db.sql;
    const { b } = await staff(t, ["farm_manager"]);
    await b.get("/admin/iot/duty");
    match(b.html, /No duty contacts/);
    const night = {
      action: "create",
      name: "Night herdsman",
      channel: "sms",
      minSeverity: "warning",
      onDutyFrom: "22:00",
      active: "on",
    };
    const bad = await b.post("/admin/iot/duty", { ...night, address: "01711", onDutyTo: "" });
    equal(bad.status, 422);
    match(b.html, /international form/);
    match(b.html, /both ends of the duty hours/);
    match(b.html, /value="Night herdsman"/);
    const ok1 = await b.post("/admin/iot/duty", {
      ...night,
      address: "+880 1711-000001",
      onDutyTo: "06:00",
    });
    equal(ok1.status, 303);
    const [c] = await listDutyContacts(sql);
    equal(c.address, "+8801711000001");
    equal(c.onDutyFrom, "22:00");

    await b.get(`/admin/iot/duty?edit=${c.id}`);
    match(b.html, new RegExp(`name="id" value="${c.id}"`));
    const edited = await b.post("/admin/iot/duty", {
      id: c.id,
      name: "Night herdsman (Rahim)",
      channel: "whatsapp",
      address: "+8801711000001",
      minSeverity: "critical",
      onDutyFrom: "",
      onDutyTo: "",
    });
    equal(edited.status, 303);
    const [c2] = await listDutyContacts(sql);
    equal(c2.name, "Night herdsman (Rahim)");
    equal(c2.channel, "whatsapp");
    equal(c2.active, false, "an unticked box pauses the contact");
    equal(c2.onDutyFrom, null);
  });
});

Deno.test("rejected messages: reason and the raw payload, filtered by device", async () => {
  await withTestApp(async (t) => {
    const sql = t.db.sql;
    const enc = new TextEncoder();
    await insertDeadLetters(sql, [
      {
        topic: "sd/v1/rs-1/telemetry",
        deviceId: "rs-1",
        reason: "values.temperature_c: Too big: expected number to be <=90",
        payload: enc.encode('{"values":{"temperature_c":<b>120</b>}}'),
        receivedAt: Date.now() - 1000,
      },
      {
        topic: "sd/v1/ghost-9/telemetry",
        deviceId: "ghost-9",
        reason: "unknown device",
        payload: enc.encode("not json"),
        receivedAt: Date.now(),
      },
    ]);
    const { b } = await staff(t, ["production"]);
    equal((await b.get("/admin/iot/dead-letters")).status, 200);
    match(b.html, /Too big: expected number to be &lt;=90/);
    match(
      b.html,
      /\{(&quot;|")values(&quot;|"):\{(&quot;|")temperature_c(&quot;|"):&lt;b(&gt;|>)120&lt;\/b(&gt;|>)\}\}/,
    );
    ok(!b.html.includes("<b>120</b>"), "payloads are escaped");
    match(b.html, /unknown device/);
    await b.get("/admin/iot/dead-letters?device=ghost-9");
    match(b.html, /not json/);
    ok(!b.html.includes("temperature_c&quot;") && !b.html.includes('temperature_c"'));
  });
});
