import assert from "node:assert/strict";
import { openDatabase, type Sql } from "@/services/platform/db.ts";
import {
  DEFAULT_MIGRATIONS_DIR,
  migrate,
  MigrationError,
  migrationStatus,
  readMigrations,
  timescaleInfo,
} from "@/services/platform/migrate.ts";
import { testConfig, withEmptyDb, withTestDb } from "../helpers/db.ts";

const made: string[] = [];
globalThis.addEventListener("unload", () => {
  for (const dir of made) Deno.removeSync(dir, { recursive: true });
});

/** A temporary migrations folder holding `files`, removed when the test process ends. */
async function migrationsDir(files: Record<string, string>): Promise<string> {
  const dir = await Deno.makeTempDir({ prefix: "sd_migrations_" });
  made.push(dir);
  for (const [name, sql] of Object.entries(files)) await Deno.writeTextFile(`${dir}/${name}`, sql);
  return dir;
}

async function tableExists(sql: Sql, name: string): Promise<boolean> {
  const [{ exists }] = await sql<{ exists: boolean }[]>`
    select to_regclass(${name}) is not null as exists`;
  return exists;
}

async function recorded(sql: Sql): Promise<string[]> {
  const rows = await sql<{ version: string }[]>`select version from schema_migrations order by 1`;
  return rows.map((r) => r.version);
}

Deno.test("migrate: the project's migrations apply to an empty database, then nothing", async () => {
  const files = await readMigrations(DEFAULT_MIGRATIONS_DIR);
  assert.ok(files.some((f) => f.file === "0000_platform.sql"));
  await withEmptyDb(async ({ sql }) => {
    const first = await migrate(sql);
    assert.deepEqual(first.applied, files.map((f) => f.file));
    assert.deepEqual(await migrate(sql), { applied: [] });
    const rows = await sql<{ version: string; checksum: string }[]>`
      select version, checksum from schema_migrations order by version`;
    assert.deepEqual([...rows], files.map((f) => ({ version: f.version, checksum: f.checksum })));
    assert.ok((await migrationStatus(sql)).every((s) => s.state === "applied"));
  });
});

Deno.test("migrate: withTestDb hands out an already migrated database", async () => {
  await withTestDb(async ({ sql }) => {
    assert.deepEqual(await migrate(sql), { applied: [] });
  });
});

Deno.test("migrate: an applied migration that was edited is refused, nothing else runs", async () => {
  const dir = await migrationsDir({
    "0001_herd.sql": "create table cows (id int primary key, tag text not null);",
    "0002_milk.sql": "create table milkings (cow_id int references cows, litres numeric);",
  });
  await withEmptyDb(async ({ sql }) => {
    assert.deepEqual((await migrate(sql, dir)).applied, ["0001_herd.sql", "0002_milk.sql"]);
    await Deno.writeTextFile(
      `${dir}/0001_herd.sql`,
      "create table cows (id int primary key, tag text not null, breed text);",
    );
    await Deno.writeTextFile(`${dir}/0003_feed.sql`, "create table feeds (id int);");
    const err = await migrate(sql, dir).catch((e) => e);
    assert.ok(err instanceof MigrationError, String(err));
    assert.match(
      err.message,
      /^0001_herd\.sql was edited after it was applied \(checksum [0-9a-f]/,
    );
    assert.equal(err.file, "0001_herd.sql");
    assert.equal(await tableExists(sql, "feeds"), false);
    const status = await migrationStatus(sql, dir);
    assert.deepEqual(status.map((s) => [s.file, s.state]), [
      ["0001_herd.sql", "edited"],
      ["0002_milk.sql", "applied"],
      ["0003_feed.sql", "pending"],
    ]);
    assert.ok(status[1].applied_at instanceof Date);
    assert.equal(status[2].applied_at, null);
  });
});

Deno.test("migrate: CRLF line ends do not count as an edit", async () => {
  const dir = await migrationsDir({ "0001_a.sql": "create table a (\n  id int\n);\n" });
  await withEmptyDb(async ({ sql }) => {
    await migrate(sql, dir);
    await Deno.writeTextFile(`${dir}/0001_a.sql`, "create table a (\r\n  id int\r\n);\r\n");
    assert.deepEqual(await migrate(sql, dir), { applied: [] });
  });
});

Deno.test("migrate: a failing migration rolls back completely and names file and cause", async () => {
  const dir = await migrationsDir({
    "0001_herd.sql": "create table cows (id int primary key);",
    "0002_milk.sql": [
      "create table milkings (cow_id int references cows, litres numeric);",
      "insert into milkings values (1, 12.5);", // no cow 1: foreign key violation
      "",
    ].join("\n"),
  });
  await withEmptyDb(async ({ sql }) => {
    const err = await migrate(sql, dir).catch((e) => e);
    assert.ok(err instanceof MigrationError, String(err));
    assert.match(err.message, /^0002_milk\.sql failed.*violates foreign key constraint/);
    assert.match(err.message, /nothing from it was applied/);
    assert.equal(err.file, "0002_milk.sql");
    assert.equal(await tableExists(sql, "milkings"), false);
    assert.deepEqual(await recorded(sql), ["0001"]);
    assert.equal(await tableExists(sql, "cows"), true);

    // A file that was never applied may be fixed; the next run applies it.
    await Deno.writeTextFile(
      `${dir}/0002_milk.sql`,
      "create table milkings (cow_id int references cows, litres numeric);\n",
    );
    assert.deepEqual((await migrate(sql, dir)).applied, ["0002_milk.sql"]);
    assert.deepEqual(await recorded(sql), ["0001", "0002"]);
  });
});

Deno.test("migrate: a syntax error reports the line in the file", async () => {
  const dir = await migrationsDir({
    "0001_bad.sql": "create table ok_one (id int);\n\ncreate tabel broken (id int);\n",
  });
  await withEmptyDb(async ({ sql }) => {
    const err = await migrate(sql, dir).catch((e) => e);
    assert.ok(err instanceof MigrationError, String(err));
    assert.match(err.message, /^0001_bad\.sql failed \(line 3\): syntax error at or near "tabel"/);
    assert.equal(await tableExists(sql, "ok_one"), false);
  });
});

Deno.test("migrate: badly named, duplicate or self-committing files are refused", async () => {
  const cases: [Record<string, string>, RegExp][] = [
    [{ "1_herd.sql": "select 1;" }, /^1_herd\.sql in .* is not a migration: .*NNNN_name\.sql/],
    [{ "0001_Herd.sql": "select 1;" }, /^0001_Herd\.sql in .* is not a migration/],
    [
      { "0001_herd.sql": "select 1;", "0001_milk.sql": "select 1;" },
      /0001_herd\.sql and 0001_milk\.sql share version 0001/,
    ],
    [
      { "0001_herd.sql": "create table cows (id int);\ncommit;\n" },
      /^0001_herd\.sql contains its own BEGIN\/COMMIT/,
    ],
  ];
  await withEmptyDb(async ({ sql }) => {
    for (const [files, message] of cases) {
      const dir = await migrationsDir(files);
      await assert.rejects(
        migrate(sql, dir),
        (e) => e instanceof MigrationError && message.test(e.message),
      );
    }
    // plpgsql blocks with BEGIN … END; are fine.
    const dir = await migrationsDir({
      "0001_herd.sql": "do $$\nbegin\n  create table cows (id int);\nend;\n$$;\n",
    });
    assert.deepEqual((await migrate(sql, dir)).applied, ["0001_herd.sql"]);
  });
});

Deno.test("migrate: an applied migration whose file is gone stops the run", async () => {
  const dir = await migrationsDir({ "0001_a.sql": "create table a (id int);" });
  await withEmptyDb(async ({ sql }) => {
    await migrate(sql, dir);
    await Deno.remove(`${dir}/0001_a.sql`);
    await Deno.writeTextFile(`${dir}/0002_c.sql`, "create table c (id int);");
    const err = await migrate(sql, dir).catch((e) => e);
    assert.ok(err instanceof MigrationError, String(err));
    assert.match(err.message, /^0001_a\.sql was applied to this database but is not in /);
    assert.equal(await tableExists(sql, "c"), false);
    assert.deepEqual((await migrationStatus(sql, dir)).map((s) => [s.file, s.state]), [
      ["0001_a.sql", "missing"],
      ["0002_c.sql", "pending"],
    ]);
  });
});

Deno.test("migrate: a lower-numbered file added later is applied", async () => {
  const dir = await migrationsDir({
    "0001_a.sql": "create table a (id int);",
    "0300_shop.sql": "create table shop (id int);",
  });
  await withEmptyDb(async ({ sql }) => {
    assert.deepEqual((await migrationStatus(sql, dir)).map((s) => s.state), ["pending", "pending"]);
    await migrate(sql, dir);
    await Deno.writeTextFile(`${dir}/0100_iot.sql`, "create table iot (id int);");
    assert.deepEqual((await migrate(sql, dir)).applied, ["0100_iot.sql"]);
    assert.deepEqual(await recorded(sql), ["0001", "0100", "0300"]);
  });
});

Deno.test("migrate: instances migrating at the same time apply each file once", async () => {
  // Not idempotent on purpose: a second application would fail on "already exists".
  const files: Record<string, string> = {};
  for (let i = 1; i <= 5; i++) {
    files[`000${i}_step.sql`] = `create table step_${i} (id int);\nselect pg_sleep(0.02);\n`;
  }
  const dir = await migrationsDir(files);
  await withEmptyDb(async (db, url) => {
    // On a server: separate pools, as two processes would have. Embedded has a single
    // connection, so the two runs share it (and still must not apply anything twice).
    const others = url
      ? await Promise.all([1, 2].map(() => openDatabase(testConfig({ DATABASE_URL: url }))))
      : [db, db];
    try {
      const results = await Promise.all(others.map((o) => migrate(o.sql, dir)));
      const applied = results.flatMap((r) => r.applied).sort();
      assert.deepEqual(applied, Object.keys(files).sort());
      assert.deepEqual(await recorded(db.sql), ["0001", "0002", "0003", "0004", "0005"]);
    } finally {
      if (url) await Promise.all(others.map((o) => o.close()));
    }
  });
});

Deno.test("migrate: timescaleInfo reports what exists in the catalog, for the plan applied here", async () => {
  await withTestDb(async ({ sql, kind }) => {
    const info = await timescaleInfo(sql);
    const [row] = await sql<
      { available: boolean; license: string | null; community: boolean; mode: string }[]
    >`
      select sd_timescale_available() as available, sd_timescale_license() as license,
        sd_timescale_community() as community, (select mode from iot_storage) as mode`;
    // The SQL helpers and the catalog agree, whichever server this is.
    assert.equal(info.license, row.license, `on the ${kind} database`);
    assert.equal(info.installed, row.mode !== "plain");
    assert.equal(row.community, info.installed && info.license === "timescale");
    if (row.mode === "timescale") {
      assert.deepEqual(info.hypertables, ["telemetry"]);
      assert.deepEqual(info.continuousAggregates, ["telemetry_daily", "telemetry_hourly"]);
      assert.deepEqual(info.compression, ["telemetry"]);
      assert.deepEqual(info.jobs, [
        { proc: "policy_compression", target: "telemetry" },
        { proc: "policy_refresh_continuous_aggregate", target: "telemetry_daily" },
        { proc: "policy_refresh_continuous_aggregate", target: "telemetry_hourly" },
        { proc: "policy_retention", target: "telemetry_daily" },
        { proc: "policy_retention", target: "telemetry_hourly" },
      ]);
    } else if (row.mode === "hypertable") {
      assert.deepEqual(info.hypertables, ["telemetry"]);
      assert.deepEqual(
        [info.continuousAggregates, info.compression, info.jobs],
        [[], [], []],
      );
    } else {
      assert.deepEqual(info, {
        available: info.available,
        installed: false,
        version: null,
        license: row.license,
        hypertables: [],
        continuousAggregates: [],
        compression: [],
        jobs: [],
      });
    }
  });
});

Deno.test("migrate: a database migrated up to 0100_iot is brought to the plan the server allows, rollups kept", async () => {
  const all = await readMigrations(DEFAULT_MIGRATIONS_DIR);
  const upTo0100 = Object.fromEntries(
    all.filter((f) => f.version <= "0100").map((f) => [f.file, f.sql]),
  );
  const old = await migrationsDir(upTo0100);
  await withEmptyDb(async ({ sql }) => {
    await migrate(sql, old);
    // Readings and fallback rollups (0100 on a Community server also ended with rollup tables).
    await sql`
      insert into telemetry (device_id, metric, at, value) values
        ('dev-1', 'temperature_c', '2026-03-10T17:30:00Z', 10),
        ('dev-1', 'temperature_c', '2026-03-10T17:45:00Z', 14),
        ('dev-1', 'temperature_c', '2026-03-10T18:10:00Z', 20)`;
    const [{ relkind }] =
      await sql`select relkind from pg_class where relname = 'telemetry_hourly'`;
    if (relkind === "r") {
      await sql`
        insert into telemetry_hourly values
          ('2026-03-10T17:00:00Z', 'dev-1', 'temperature_c', 2, 24, 296, 10, 14, 12),
          ('2026-03-10T18:00:00Z', 'dev-1', 'temperature_c', 1, 20, 400, 20, 20, 20)`;
      await sql`
        insert into telemetry_daily values
          ('2026-03-09T18:00:00Z', 'dev-1', 'temperature_c', 2, 24, 296, 10, 14, 12),
          ('2026-03-10T18:00:00Z', 'dev-1', 'temperature_c', 1, 20, 400, 20, 20, 20)`;
    }
    await migrate(sql);
    const [st] = await sql`
      select mode, expected, reason,
        iot_storage_plan(sd_timescale_available(), sd_timescale_license()) as allowed
      from iot_storage`;
    assert.equal(st.mode, st.allowed);
    assert.equal(st.expected, st.allowed);
    assert.doesNotMatch(st.reason, /DOWNGRADE/);
    // Same names and figures either way (under continuous aggregates once the IoT jobs ran).
    const { runRollups } = await import("@/services/iot/rollups.ts");
    await runRollups(sql);
    const hourly = await sql`
      select bucket, samples::int, value_sum, value_min, value_max from telemetry_hourly
      order by bucket`;
    assert.deepEqual(hourly.map((r) => ({ ...r })), [
      {
        bucket: new Date("2026-03-10T17:00:00Z"),
        samples: 2,
        value_sum: 24,
        value_min: 10,
        value_max: 14,
      },
      {
        bucket: new Date("2026-03-10T18:00:00Z"),
        samples: 1,
        value_sum: 20,
        value_min: 20,
        value_max: 20,
      },
    ]);
    const daily = await sql`select bucket, samples::int from telemetry_daily order by bucket`;
    assert.deepEqual(daily.map((r) => ({ ...r })), [
      { bucket: new Date("2026-03-09T18:00:00Z"), samples: 2 },
      { bucket: new Date("2026-03-10T18:00:00Z"), samples: 1 },
    ]);
  });
});
