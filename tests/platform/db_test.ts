import assert from "node:assert/strict";
import { DatabaseError, openDatabase, redactUrl, toMinor } from "@/services/platform/db.ts";
import { EmbeddedPgLockedError } from "@/services/platform/embedded_pg.ts";
import { testConfig, withTestDb } from "../helpers/db.ts";

Deno.test("db: the embedded database keeps its data across close and reopen", async () => {
  const config = testConfig(); // no DATABASE_URL → embedded in DATA_DIR/pg
  const first = await openDatabase(config);
  assert.equal(first.kind, "embedded");
  try {
    await first.sql`create table notes (id int primary key, body text not null)`;
    await first.sql`insert into notes values (1, 'first milking 05:30')`;
  } finally {
    await first.close();
  }
  const again = await openDatabase(config);
  try {
    const rows = await again.sql<{ body: string }[]>`select body from notes where id = 1`;
    assert.deepEqual(rows.map((r) => r.body), ["first milking 05:30"]);
  } finally {
    await again.close();
  }
});

Deno.test("db: a second open of the same embedded data directory is refused", async () => {
  const config = testConfig();
  const db = await openDatabase(config);
  try {
    await assert.rejects(() => openDatabase(config), EmbeddedPgLockedError);
    assert.deepEqual([...await db.sql`select 1 as one`], [{ one: 1 }]); // first one unharmed
  } finally {
    await db.close();
  }
  const reopened = await openDatabase(config); // the lock went with close()
  await reopened.close();
});

Deno.test("db: sequential queries and transactions on the pool do not deadlock", async () => {
  await withTestDb(async ({ sql }) => {
    await sql`create table counters (id int primary key, n int not null)`;
    await sql`insert into counters values (1, 0)`;
    for (let i = 0; i < 30; i++) await sql`update counters set n = n + 1 where id = 1`;
    for (let i = 0; i < 10; i++) {
      await sql.begin(async (tx) => {
        const [{ n }] = await tx<{ n: number }[]>`select n from counters where id = 1 for update`;
        await tx`update counters set n = ${n + 1} where id = 1`;
      });
    }
    // A failing transaction rolls back and leaves the connection usable.
    await assert.rejects(
      sql.begin(async (tx) => {
        await tx`update counters set n = n + 1000 where id = 1`;
        await tx`select 1 / 0`;
      }),
      /division by zero/,
    );
    // Transactions started together queue for the connection(s) instead of interleaving.
    await Promise.all(Array.from({ length: 20 }, () =>
      sql.begin(async (tx) => {
        const [{ n }] = await tx<{ n: number }[]>`select n from counters where id = 1 for update`;
        await tx`update counters set n = ${n + 1} where id = 1`;
      })));
    const [{ n }] = await sql<{ n: number }[]>`select n from counters where id = 1`;
    assert.equal(n, 60);
  });
});

Deno.test("db: bigint money comes back as a string and toMinor converts it exactly", async () => {
  await withTestDb(async ({ sql }) => {
    const [row] = await sql<{ total_minor: string; qty: string }[]>`
      select 123456789012::bigint as total_minor, 12.500::numeric as qty`;
    assert.equal(row.total_minor, "123456789012");
    assert.equal(row.qty, "12.500");
    assert.equal(toMinor(row.total_minor), 123456789012);
  });
  assert.equal(toMinor(-250n), -250);
  assert.throws(() => toMinor("9007199254740993"), RangeError);
  assert.throws(() => toMinor("12.5"), /Not an integer/);
  assert.throws(() => toMinor(1.5), RangeError);
});

Deno.test("db: trigram search works on this backend, with and without its index", async () => {
  await withTestDb(async ({ sql }) => {
    await sql`create table products (name text not null)`;
    await sql`insert into products values ('Fresh milk 1 L'), ('Greek yogurt'), ('Butter 200 g')`;
    const search = async () =>
      (await sql<{ name: string }[]>`
        select name from products where name % 'yoghurt'
        order by similarity(name, 'yoghurt') desc`).map((r) => r.name);
    assert.deepEqual(await search(), ["Greek yogurt"]);
    await sql`create index products_name_trgm on products using gin (name gin_trgm_ops)`;
    await sql`set enable_seqscan = off`;
    assert.deepEqual(await search(), ["Greek yogurt"]);
  });
});

Deno.test("db: an unreachable DATABASE_URL fails with a clear error and no password", async () => {
  const url = "postgres://app:s3cret-pass@127.0.0.1:1/dairy";
  const err = await openDatabase(testConfig({ DATABASE_URL: url })).then(
    () => assert.fail("expected a failure"),
    (e) => e,
  );
  assert.ok(err instanceof DatabaseError);
  assert.match(
    err.message,
    /Cannot connect to DATABASE_URL postgres:\/\/app:\*\*\*@127\.0\.0\.1:1/,
  );
  assert.doesNotMatch(err.message, /s3cret/);
  assert.equal(redactUrl("postgres://u@h/db"), "postgres://u@h/db");
});
