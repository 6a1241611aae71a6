/**
 * GraphQL at /api/graphql (issue 16 §5) through the app: the same API keys and scopes as REST
 * (a field outside the key's scopes is 403, no key 401), a query nested too deep refused before
 * it runs, and a subscription over server-sent events receiving a reading a device published
 * over MQTT (embedded broker and the ingest, as in production).
 */
import { deepStrictEqual as assertEquals, equal, match, ok } from "node:assert/strict";
import { type TestApp, withTestApp } from "@/tests/helpers/app.ts";
import { liveStack, sseReader } from "@/tests/iot/web_helpers.ts";
import { brokerTestOpts, makeDevice } from "@/tests/iot/helpers.ts";
import type { ApiScope } from "@/services/api/mod.ts";

const staff = { id: null, name: "test" };

async function keyWith(t: TestApp, scopes: ApiScope[]): Promise<string> {
  const client = await t.deps.api.createClient(
    { name: "Dashboard Co", kind: "partner", scopes },
    staff,
  );
  return (await t.deps.api.createKey(client.id, { name: "dash" }, staff)).key;
}

function gql(t: TestApp, key: string | null, query: string, variables?: unknown) {
  return t.fetch("/api/graphql", {
    method: "POST",
    headers: {
      "content-type": "application/json",
      accept: "application/graphql-response+json, application/json",
      ...(key ? { authorization: `Bearer ${key}` } : {}),
    },
    body: JSON.stringify({ query, variables }),
  });
}

Deno.test("graphql: scopes enforced per root field, no key refused, limits counted", async () => {
  await withTestApp(async (t) => {
    await makeDevice(t.db.sql, "room_sensor", { id: "rs-gql" });
    const catalogOnly = await keyWith(t, ["catalog:read"]);
    const iot = await keyWith(t, ["iot:read"]);

    const ok1 = await gql(
      t,
      catalogOnly,
      "{ products { total items { slug variants { sku priceMinor } } } }",
    );
    equal(ok1.status, 200, await ok1.clone().text());
    const b1 = await ok1.json();
    equal(b1.errors, undefined);
    equal(typeof b1.data.products.total, "number");
    equal(ok1.headers.get("ratelimit-limit"), "1000");

    // devices needs iot:read: refused, and nothing is run.
    const refused = await gql(t, catalogOnly, "{ devices { id } }");
    equal(refused.status, 403);
    equal((await refused.json()).errors[0].extensions.code, "insufficient_scope");
    // Both in one operation: refused as a whole.
    equal((await gql(t, catalogOnly, "{ products { total } devices { id } }")).status, 403);
    // Hidden in a fragment on the root type: still seen.
    equal(
      (await gql(t, catalogOnly, "query { ...F } fragment F on Query { devices { id } }")).status,
      403,
    );

    const withIot = await gql(t, iot, "{ devices { id type latestAlarms { id } } }");
    equal(withIot.status, 200);
    const b2 = await withIot.json();
    assertEquals(b2.data.devices.map((d: { id: string }) => d.id), ["rs-gql"]);

    // No key, a wrong key.
    const none = await gql(t, null, "{ devices { id } }");
    equal(none.status, 401);
    match(none.headers.get("www-authenticate") ?? "", /Bearer/);
    equal((await gql(t, "sd_live_" + "x".repeat(32), "{ devices { id } }")).status, 401);
    // Another body form, a document too long to read, an unknown root field: refused, not run.
    const raw = await t.fetch("/api/graphql", {
      method: "POST",
      headers: { "content-type": "application/graphql" },
      body: "{ devices { id } }",
    });
    equal(raw.status, 400);
    equal(raw.headers.get("content-type")?.startsWith("application/json"), true);
    ok(!(await raw.text()).includes("rs-gql"));
    const long = `{ ${"__typename ".repeat(6000)}}`;
    equal((await gql(t, null, long)).status, 400);
    equal((await gql(t, null, "{ nothingHere }")).status, 400);
    // The schema itself is public, like the OpenAPI document.
    const intro = await gql(t, null, "{ __schema { queryType { name } } }");
    equal(intro.status, 200);
    equal((await intro.json()).data.__schema.queryType.name, "Query");
  });
});

Deno.test("graphql: a query nested too deep or too costly is refused before it runs", async () => {
  await withTestApp(async (t) => {
    const key = await keyWith(t, ["iot:read"]);
    // Six levels are allowed…
    const fine = await gql(t, key, "{ alarms { device { latestAlarms { device { id } } } } }");
    equal(fine.status, 200);
    equal((await fine.json()).errors, undefined);
    // …eight are not.
    const deep = await gql(
      t,
      key,
      "{ alarms { device { latestAlarms { device { latestAlarms { device { latestAlarms { id } } } } } } } }",
    );
    ok(deep.status >= 400 && deep.status < 500, `status ${deep.status}`);
    const body = await deep.json();
    equal(body.data, undefined);
    ok(
      body.errors.some((e: { extensions?: { code?: string } }) =>
        e.extensions?.code === "QUERY_TOO_DEEP"
      ),
    );
    // Wide and shallow, but each list item asks for a lot: too costly.
    const fields =
      "id rule deviceId tankId animalTag severity state message value openedAt resolvedAt";
    const costly = await gql(
      t,
      key,
      `{ devices { latestAlarms { ${fields} device { latestAlarms { ${fields} } } } } }`,
    );
    const c = await costly.json();
    ok(
      c.errors.some((e: { extensions?: { code?: string } }) =>
        e.extensions?.code === "QUERY_TOO_COSTLY"
      ),
    );
    // A syntax error is the caller's, never a 500.
    const broken = await gql(t, key, "{ devices { id ");
    ok(broken.status >= 400 && broken.status < 500);
  });
});

Deno.test(
  "graphql subscription over SSE receives a reading published over MQTT",
  brokerTestOpts,
  async () => {
    await withTestApp(async (t) => {
      const sensor = await makeDevice(t.db.sql, "tank_thermometer", { id: "tt-gql" });
      const live = await liveStack(t);
      const key = await keyWith(t, ["iot:read"]);
      const ac = new AbortController();
      try {
        // A key without iot:read gets no stream.
        const other = await keyWith(t, ["catalog:read"]);
        const no = await t.fetch("/api/graphql", {
          method: "POST",
          headers: {
            "content-type": "application/json",
            accept: "text/event-stream",
            authorization: `Bearer ${other}`,
          },
          body: JSON.stringify({ query: "subscription { telemetry { deviceId } }" }),
        });
        equal(no.status, 403);
        await no.body?.cancel();

        const res = await t.fetch("/api/graphql", {
          method: "POST",
          signal: ac.signal,
          headers: {
            "content-type": "application/json",
            accept: "text/event-stream",
            authorization: `Bearer ${key}`,
          },
          body: JSON.stringify({
            query:
              "subscription ($d: [ID!]) { telemetry(deviceIds: $d) { deviceId values { metric value at } } }",
            variables: { d: ["tt-gql"] },
          }),
        });
        equal(res.status, 200);
        match(res.headers.get("content-type") ?? "", /^text\/event-stream/);
        const events = sseReader(res);
        // The subscription is in place a moment after the answer starts: publish until it shows.
        let stop = false;
        const publishing = (async () => {
          while (!stop) {
            await live.publish(sensor.device.id, sensor.secret, { temperature_c: 4.2 });
            await new Promise((r) => setTimeout(r, 300));
          }
        })();
        try {
          const e = await events.next((e) => e.event === "next", "next");
          const payload = JSON.parse(e.data);
          equal(payload.data.telemetry.deviceId, "tt-gql");
          assertEquals(payload.data.telemetry.values[0].metric, "temperature_c");
          equal(payload.data.telemetry.values[0].value, 4.2);
        } finally {
          stop = true;
          await publishing;
          ac.abort();
          await events.cancel().catch(() => {});
        }
      } finally {
        await live.close();
      }
    });
  },
);
