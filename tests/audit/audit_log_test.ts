import assert from "node:assert/strict";
import { testDatabaseUrl, withEmptyDb, withTestDb } from "@/tests/helpers/db.ts";
import { migrate } from "@/services/platform/migrate.ts";
import type { Sql } from "@/services/platform/db.ts";
import { appendAudit, hashEntry, listAudit, verifyAuditChain } from "@/services/audit/audit_log.ts";
import { runAuditVerify } from "@/scripts/audit_verify.ts";

const actor = "2b1f6f2e-6d8e-4a59-9d55-3c4c1a7d0e01";

async function appendSome(sql: Sql, n: number) {
  const ids: string[] = [];
  for (let i = 0; i < n; i++) {
    const e = await appendAudit(sql, {
      actorId: i % 2 ? actor : null,
      action: "order.priced",
      entity: "order",
      entityId: 1000 + i,
      data: {
        total_minor: 125_050 + i,
        items: [{ sku: "MILK-1L", qty: 2 }],
        note: "দুধ",
        at: new Date(0),
      },
    });
    ids.push(e.id);
  }
  return ids;
}

Deno.test("audit: entries chain and verify; data comes back as written", async () => {
  await withTestDb(async ({ sql }) => {
    assert.deepEqual(await verifyAuditChain(sql), {
      ok: true,
      count: 0,
      headHash: "0".repeat(64),
    });
    const ids = await appendSome(sql, 3);
    const r = await verifyAuditChain(sql);
    assert.equal(r.ok, true);
    assert.equal(r.count, 3);
    const { rows, total } = await listAudit(sql, { entity: "order", entityId: "1001" });
    assert.equal(total, 1);
    assert.equal(rows[0].id, ids[1]);
    assert.equal(rows[0].actorId, actor);
    assert.deepEqual(rows[0].data, {
      total_minor: 125_051,
      items: [{ sku: "MILK-1L", qty: 2 }],
      note: "দুধ",
      at: "1970-01-01T00:00:00.000Z",
    });
    assert.equal((await listAudit(sql, { actorId: actor })).total, 1);
  });
});

Deno.test("audit: the database refuses UPDATE, DELETE and TRUNCATE", async () => {
  await withTestDb(async ({ sql }) => {
    await appendSome(sql, 2);
    await assert.rejects(() => sql`update audit_log set action = 'x'`, /append-only/);
    await assert.rejects(() => sql`delete from audit_log`, /append-only/);
    await assert.rejects(() => sql`truncate audit_log`, /append-only/);
    assert.equal((await verifyAuditChain(sql)).count, 2);
  });
});

Deno.test("audit: a row changed by hand (trigger disabled) is named by the verifier", async () => {
  await withTestDb(async ({ sql }) => {
    const ids = await appendSome(sql, 5);
    await sql.begin(async (tx) => {
      await tx`alter table audit_log disable trigger all`;
      await tx`update audit_log set data = jsonb_set(data, '{total_minor}', '1') where id = ${
        ids[2]
      }::bigint`;
      await tx`alter table audit_log enable trigger all`;
    });
    const r = await verifyAuditChain(sql);
    assert.equal(r.ok, false);
    if (r.ok) return;
    assert.equal(r.firstBadId, ids[2]);
    assert.match(r.reason, /changed after it was written/);
    assert.equal(r.count, 2);
  });
});

Deno.test("audit: a deleted row breaks the chain at the row after it", async () => {
  await withTestDb(async ({ sql }) => {
    const ids = await appendSome(sql, 4);
    await sql.begin(async (tx) => {
      await tx`alter table audit_log disable trigger all`;
      await tx`delete from audit_log where id = ${ids[1]}::bigint`;
      await tx`alter table audit_log enable trigger all`;
    });
    const r = await verifyAuditChain(sql, { batch: 2 });
    assert.equal(r.ok, false);
    if (!r.ok) {
      assert.equal(r.firstBadId, ids[2]);
      assert.match(r.reason, /does not chain/);
    }
  });
});

Deno.test("audit: a forged row with a recomputed hash breaks the link to the next row", async () => {
  await withTestDb(async ({ sql }) => {
    const ids = await appendSome(sql, 3);
    // The forger rewrites row 1 and gives it a self-consistent hash; row 2 still chains to the
    // original hash.
    const [first] = (await listAudit(sql, { entityId: "1000" })).rows;
    const forged = { ...first, data: { total_minor: 1 } };
    const hash = await hashEntry(forged);
    await sql.begin(async (tx) => {
      await tx`alter table audit_log disable trigger all`;
      await tx`update audit_log set data = ${tx.json(forged.data)}, hash = ${hash}
               where id = ${ids[0]}::bigint`;
      await tx`alter table audit_log enable trigger all`;
    });
    const r = await verifyAuditChain(sql);
    assert.equal(r.ok, false);
    if (!r.ok) {
      assert.equal(r.firstBadId, ids[1]);
      assert.match(r.reason, /does not chain/);
    }
  });
});

Deno.test("audit: concurrent appenders keep one valid chain", async () => {
  await withTestDb(async ({ sql }) => {
    await Promise.all(
      Array.from({ length: 24 }, (_, i) =>
        sql.begin(async (tx) => {
          await tx`select 1`; // the transaction has already started when it appends
          await appendAudit(tx, {
            actorId: null,
            action: "test.concurrent",
            entity: "t",
            entityId: i,
          });
        })),
    );
    const r = await verifyAuditChain(sql);
    assert.deepEqual({ ok: r.ok, count: r.count }, { ok: true, count: 24 });
    const [{ n }] = await sql`select count(distinct prev_hash)::int as n from audit_log`;
    assert.equal(n, 24, "no two rows chain to the same predecessor");
  });
});

Deno.test("audit: an entry in a rolled-back transaction leaves no trace", async () => {
  await withTestDb(async ({ sql }) => {
    await appendSome(sql, 1);
    await assert.rejects(() =>
      sql.begin(async (tx) => {
        await appendAudit(tx, { actorId: null, action: "x.y", entity: "x" });
        throw new Error("business rule failed");
      })
    );
    assert.deepEqual((await verifyAuditChain(sql)).count, 1);
    await appendSome(sql, 1);
    assert.equal((await verifyAuditChain(sql)).ok, true);
  });
});

Deno.test("audit: appends refuse a snapshot transaction", async () => {
  await withTestDb(async ({ sql }) => {
    await assert.rejects(
      () =>
        sql.begin(
          "isolation level repeatable read",
          (tx) => appendAudit(tx, { actorId: null, action: "x.y", entity: "x" }),
        ),
      /READ COMMITTED/,
    );
  });
});

Deno.test("audit:verify reports an intact log and names a tampered row", async () => {
  await withTestDb(async ({ sql }) => {
    const ids = await appendSome(sql, 3);
    const out: string[] = [];
    assert.equal(await runAuditVerify(sql, (l) => out.push(l)), 0);
    assert.match(out.join("\n"), /intact: 3 entries/);
    await sql.begin(async (tx) => {
      await tx`alter table audit_log disable trigger all`;
      await tx`update audit_log set action = 'order.cancelled' where id = ${ids[1]}::bigint`;
      await tx`alter table audit_log enable trigger all`;
    });
    out.length = 0;
    assert.equal(await runAuditVerify(sql, (l) => out.push(l)), 1);
    assert.match(out[0], new RegExp(`TAMPERED at row ${ids[1]}:`));
  });
});

Deno.test({
  name: "audit:verify as a process exits 1 on a tampered log (server database only)",
  ignore: !testDatabaseUrl(),
  fn: async () => {
    await withEmptyDb(async (db, url) => {
      await migrate(db.sql);
      const ids = await appendSome(db.sql, 2);
      const run = async () => {
        const out = await new Deno.Command(Deno.execPath(), {
          args: ["run", "-A", "scripts/audit_verify.ts"],
          env: { DATABASE_URL: url! },
          cwd: new URL("../../", import.meta.url).pathname,
        }).output();
        return {
          code: out.code,
          text: new TextDecoder().decode(out.stdout) + new TextDecoder().decode(out.stderr),
        };
      };
      const good = await run();
      assert.equal(good.code, 0, good.text);
      await db.sql.begin(async (tx) => {
        await tx`alter table audit_log disable trigger all`;
        await tx`update audit_log set entity_id = '9' where id = ${ids[0]}::bigint`;
        await tx`alter table audit_log enable trigger all`;
      });
      const bad = await run();
      assert.equal(bad.code, 1);
      assert.match(bad.text, new RegExp(`TAMPERED at row ${ids[0]}`));
    });
  },
});
