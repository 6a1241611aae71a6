/**
 * The device pages through the app: who may open what, registering a device (its secret shown
 * once, never again), editing, a new secret, revoking.
 */
import { equal, match, ok } from "node:assert/strict";
import { withTestApp } from "@/tests/helpers/app.ts";
import { getDevice, verifyDeviceCredentials } from "@/services/iot/devices.ts";
import { listAudit } from "@/services/audit/audit_log.ts";
import { Browser, staff } from "./web_helpers.ts";
import { makeDevice, makeTank, makeTankWithThermometer } from "./helpers.ts";
import { enrolTotp } from "@/tests/identity/_web.ts";

const secretOf = (html: string) => html.match(/data-secret[^>]*>([^<]+)</)?.[1]?.trim();

Deno.test("IoT pages: anonymous visitors are sent to sign in", async () => {
  await withTestApp(async (t) => {
    const b = new Browser(t);
    for (
      const path of [
        "/farm/live",
        "/farm/live/devices/tt-1",
        "/farm/live/events",
        "/admin/iot/devices",
        "/admin/iot/devices/new",
        "/admin/iot/alarms",
      ]
    ) {
      const res = await b.get(path);
      equal(res.status, 303, path);
      equal(res.headers.get("location"), `/signin?next=${encodeURIComponent(path)}`, path);
    }
  });
});

Deno.test("RBAC: a farm worker sees the live farm but may not register devices", async () => {
  await withTestApp(async (t) => {
    const sql = t.db.sql;
    await makeTankWithThermometer(sql, "tank-1", { id: "tt-tank-1" });
    const { b } = await staff(t, ["farm_worker"]);
    equal((await b.get("/farm/live")).status, 200);
    match(b.html, /data-tank="tank-1"/);
    match(b.html, /Live farm/);
    equal((await b.get("/farm/live/devices/tt-tank-1")).status, 200);
    equal((await b.get("/farm/live/devices/nope-1")).status, 404);
    ok(!b.html.includes("/admin/iot"), "no back-office links for a farm worker");

    equal((await b.get("/admin/iot/devices/new")).status, 403);
    await b.get("/farm/live");
    const post = await b.post("/admin/iot/devices/new", {
      id: "sneaky-1",
      type: "room_sensor",
      name: "Sneaky",
    });
    equal(post.status, 403);
    equal(await getDevice(sql, "sneaky-1"), null);

    // Production staff may enter the back office and see devices, but not register them.
    const p = await staff(t, ["production"]);
    equal((await p.b.get("/admin/iot/devices")).status, 200);
    match(p.b.html, /tt-tank-1/);
    ok(!p.b.html.includes('href="/admin/iot/devices/new"'), "no register button");
    equal((await p.b.get("/admin/iot/devices/new")).status, 403);
    equal((await p.b.get("/admin/iot/duty")).status, 403, "duty phones need iot.manage");
  });
});

Deno.test("register a device: the secret is shown once, works, and never shows again", async () => {
  await withTestApp(async (t) => {
    const sql = t.db.sql;
    await makeTank(sql, "tank-3");
    const { b, user } = await staff(t, ["farm_manager"]);

    equal((await b.get("/admin/iot/devices/new")).status, 200);
    // A bad form comes back with the person's values and messages.
    const bad = await b.post("/admin/iot/devices/new", {
      id: "Bad Id!",
      type: "tank_thermometer",
      name: "",
      location: "Cold room",
    });
    equal(bad.status, 422);
    match(b.html, /lower-case letters, digits or hyphens/);
    match(b.html, /A name is required/);
    match(b.html, /value="Cold room"/);

    const res = await b.post("/admin/iot/devices/new", {
      id: "tt-tank-3",
      type: "tank_thermometer",
      name: "Tank 3 thermometer",
      locationKind: "tank",
      location: "Dairy shed",
      tankId: "tank-3",
    });
    equal(res.status, 201);
    equal(res.headers.get("cache-control"), "no-store");
    const secret = secretOf(b.html);
    ok(secret && secret.length >= 40, "the secret is on the page");
    match(b.html, /sd\/v1\/tt-tank-3\/telemetry/);
    const check = await verifyDeviceCredentials(sql, "tt-tank-3", secret!);
    equal(check.ok, true);
    equal((await getDevice(sql, "tt-tank-3"))?.tankId, "tank-3");
    const audit = await listAudit(sql, { entity: "device", entityId: "tt-tank-3" });
    equal(audit.rows[0]?.action, "iot.device.create");
    ok(JSON.stringify(audit.rows[0]).includes(user.id), "audited with its author");

    // Never again: not on the device page, the list, or a second registration.
    for (const path of ["/admin/iot/devices/tt-tank-3", "/admin/iot/devices", "/farm/live"]) {
      equal((await b.get(path)).status, 200, path);
      ok(!b.html.includes(secret!), `${path} does not show the secret`);
      ok(secretOf(b.html) === undefined, path);
    }
    const again = await b.submit("/admin/iot/devices/new", {
      id: "tt-tank-3",
      type: "tank_thermometer",
      name: "Again",
    });
    equal(again.status, 422);
    match(b.html, /exists already/);
    ok(!b.html.includes(secret!));
  });
});

Deno.test("edit, new secret and revoke a device from its page", async () => {
  await withTestApp(async (t) => {
    const sql = t.db.sql;
    await makeTank(sql, "tank-1");
    const { device, secret } = await makeDevice(sql, "room_sensor", { id: "rs-barn-x" });
    const { b } = await staff(t, ["farm_manager"]);

    await b.get("/admin/iot/devices/rs-barn-x/edit");
    match(b.html, /value="rs-barn-x"/);
    const both = await b.post("/admin/iot/devices/rs-barn-x/edit", {
      name: "Barn X sensor",
      tankId: "tank-1",
      animalTag: "SD-0001",
    });
    equal(both.status, 422);
    match(
      b.html,
      /id="tankId-hint"[^>]*>[^<]*<\/p><p[^>]*role="alert">[^<]+</,
      "the tank field is marked",
    );
    const saved = await b.post("/admin/iot/devices/rs-barn-x/edit", {
      name: "Barn X sensor",
      locationKind: "barn",
      location: "Barn X",
      notes: "Above the feed alley",
    });
    equal(saved.status, 303);
    equal(saved.headers.get("location"), "/admin/iot/devices/rs-barn-x?saved");
    await b.get("/admin/iot/devices/rs-barn-x?saved");
    match(b.html, /Changes saved/);
    match(b.html, /Above the feed alley/);

    // A new secret: the old one stops working, the new one is shown once. Key rotation needs a
    // fresh second factor (issue 9 step-up): this farm manager enrols TOTP first.
    await enrolTotp(b, Date.now, "/admin/iot/devices/rs-barn-x");
    const rotated = await b.submit("/admin/iot/devices/rs-barn-x", { action: "rotate" });
    equal(rotated.status, 200);
    equal(rotated.headers.get("cache-control"), "no-store");
    const fresh = secretOf(b.html)!;
    ok(fresh && fresh !== secret);
    equal((await verifyDeviceCredentials(sql, device.id, secret)).ok, false);
    equal((await verifyDeviceCredentials(sql, device.id, fresh)).ok, true);
    await b.get("/admin/iot/devices/rs-barn-x");
    ok(!b.html.includes(fresh), "shown once");

    const revoked = await b.post("/admin/iot/devices/rs-barn-x", { action: "revoke" });
    equal(revoked.status, 303);
    await b.get(revoked.headers.get("location")!);
    match(b.html, /can no longer connect/);
    match(b.html, /Revoked/);
    ok(!b.html.includes('value="rotate"'), "no more actions on a revoked device");
    const check = await verifyDeviceCredentials(sql, device.id, fresh);
    equal(check.ok ? "ok" : check.reason, "revoked");
    equal((await b.get("/admin/iot/devices/rs-barn-x/edit")).status, 404);
    // The list hides revoked devices unless asked.
    await b.get("/admin/iot/devices");
    ok(!b.html.includes('data-device="rs-barn-x"'));
    await b.get("/admin/iot/devices?revoked=1");
    match(b.html, /data-device="rs-barn-x"/);
  });
});
