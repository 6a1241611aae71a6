/**
 * Herd apps and milk meters over HTTP: an animal registered, a milking recorded (idempotent),
 * read back; a herd event; and the Deprecation/Sunset headers an endpoint carries when it is
 * retired in favour of v2.
 */
import { deepStrictEqual, equal } from "node:assert/strict";
import { z } from "zod";
import { withShop } from "@/tests/shop/_helpers.ts";
import { api, partnerKey } from "./_helpers.ts";
import { dhakaDate } from "@/services/platform/dhaka.ts";
import { endpoint, handlers } from "@/routes/api/(_api)/endpoint.ts";
import type { Context } from "@/framework/mod.ts";
import type { State } from "@/state.ts";

Deno.test("api farm: register an animal, record milkings and an event, read them back", async () => {
  await withShop(async (s) => {
    const { key } = await partnerKey(s, ["farm:read", "farm:write"]);
    const cow = {
      tag: "BD-2041",
      breed: "Holstein Friesian",
      sex: "female",
      origin: "born",
      birthDate: "2022-03-01",
      status: "lactating",
      lastCalvedOn: "2026-10-01",
      parity: 2,
    };
    const made = await api(s, key, "/api/v1/farm/animals", {
      method: "POST",
      json: cow,
      idem: "cow-1",
    });
    equal(made.status, 201, await made.clone().text());
    const animal = await made.json();
    equal(animal.tag, "BD-2041");
    const dup = await api(s, key, "/api/v1/farm/animals", {
      method: "POST",
      json: cow,
      idem: "cow-2",
    });
    equal(dup.status >= 400 && dup.status < 500, true, "the same tag twice is refused");
    const bad = await api(s, key, "/api/v1/farm/animals", {
      method: "POST",
      json: { ...cow, tag: "BD-2042", sex: "cow" },
      idem: "cow-3",
    });
    equal(bad.status, 422);
    deepStrictEqual((await bad.json()).errors.map((e: { pointer: string }) => e.pointer), ["/sex"]);

    const milkedAt = new Date(s.clock.now().getTime() - 3 * 3_600_000).toISOString();
    const milking = { animalId: animal.id, milkedAt, yieldKg: 12.5, fatPct: 4.1 };
    const rec = await api(s, key, "/api/v1/farm/milk-records", {
      method: "POST",
      json: milking,
      idem: "m-1",
    });
    equal(rec.status, 201, await rec.clone().text());
    equal((await rec.json()).status, "applied");
    const again = await api(s, key, "/api/v1/farm/milk-records", {
      method: "POST",
      json: milking,
      idem: "m-1",
    });
    equal(again.headers.get("idempotent-replayed"), "true");
    const list = await (await api(s, key, `/api/v1/farm/animals/${animal.id}/milk-records`)).json();
    equal(list.data.length, 1);
    equal(list.data[0].yieldKg, 12.5);

    const listed = await (await api(s, key, "/api/v1/farm/animals?q=BD-2041")).json();
    deepStrictEqual(listed.data.map((a: { id: number }) => a.id), [animal.id]);
    equal((await api(s, key, "/api/v1/farm/animals/999999")).status, 404);

    const heat = await api(s, key, "/api/v1/farm/events", {
      method: "POST",
      idem: "e-1",
      json: {
        id: crypto.randomUUID(),
        kind: "heat",
        recordedAt: s.clock.now().toISOString(),
        data: { animalId: animal.id, date: dhakaDate(s.clock.now()) },
      },
    });
    equal(heat.status, 201, await heat.clone().text());
    equal((await heat.json()).status, "applied");
    const events = await (await api(s, key, `/api/v1/farm/animals/${animal.id}/events`)).json();
    deepStrictEqual(events.data.map((e: { kind: string }) => e.kind), ["heat"]);
    // The creating calls are audited with the key.
    const [{ n }] = await s.sql`select count(*)::int as n from audit_log
      where action in ('api.createAnimal', 'api.createMilkRecord')`;
    equal(n, 2);
  });
});

Deno.test("api: a deprecated endpoint announces Deprecation, Sunset and its successor", async () => {
  await withShop(async (s) => {
    const { key } = await partnerKey(s, ["catalog:read"]);
    const old = endpoint({
      id: "oldThing",
      method: "GET",
      path: "/api/v1/old-thing",
      scope: "catalog:read",
      tag: "catalog",
      summary: "Retired",
      response: z.object({ ok: z.boolean() }),
      deprecated: {
        since: new Date("2026-12-01T00:00:00Z"),
        sunset: new Date("2027-06-01T00:00:00Z"),
        successor: "/api/v2/thing",
      },
      run: () => Promise.resolve({ ok: true }),
    });
    const get = handlers(old).GET!;
    const req = new Request("http://localhost/api/v1/old-thing", {
      headers: { authorization: `Bearer ${key}` },
    });
    const res = await get({
      req,
      url: new URL(req.url),
      params: {},
      state: { deps: s.deps } as State,
    } as Context<State>) as Response;
    equal(res.status, 200);
    equal(res.headers.get("deprecation"), `@${Date.parse("2026-12-01T00:00:00Z") / 1000}`);
    equal(res.headers.get("sunset"), "Tue, 01 Jun 2027 00:00:00 GMT");
    equal(res.headers.get("link"), '</api/v2/thing>; rel="successor-version"');
  });
});
