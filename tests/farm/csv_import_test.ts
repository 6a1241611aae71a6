// Herd register CSV import: good rows registered, bad rows reported line by line with reasons.
import { strict as assert } from "node:assert";
import { withTestDb } from "@/tests/helpers/db.ts";
import { withTestApp } from "@/tests/helpers/app.ts";
import { importAnimalsCsv, readAnimalCsv } from "@/services/farm/csv_import.ts";
import { createBull } from "@/services/farm/animals.ts";
import { ValidationError } from "@/services/platform/errors.ts";
import { Browser, makeUser, PASSWORD, signIn } from "../identity/_web.ts";
import { count, makeCow } from "./_helpers.ts";

const CSV = [
  "identifier,rfid,name,primaryBreed,gender,birthDate,damIdentifier,sireIdentifier,origin,arrivalDate,group,status,lastCalvingDate,parity",
  "BD-100,050000000000100,Moyna,Holstein Friesian,F,2020-03-01,,HF-007,purchased,2022-01-10,,lactating,2025-09-01,3", // 2 ok
  "BD-101,,Lali,Sahiwal,female,2024-05-05,BD-100,,,,,heifer,,", //                                 3 ok, dam in file
  "BD-102,,,Sahiwal,F,2031-01-01,,,,,,calf,,", //                                                   4 future birth
  "BD-103,12345,,Jersey,X,,,,,,,,,", //                                                             5 rfid + sex
  "BD-100,,,Sahiwal,F,2021-01-01,,,,,,heifer,,", //                                                 6 duplicate in file
  ",,,Sahiwal,F,2021-01-01,,,,,,heifer,,", //                                                       7 no tag
  "BD-104,,,Sahiwal,F,2021-01-01,NOPE-1,,,,,heifer,,", //                                           8 unknown dam
  "BD-105,,,Sahiwal,M,2024-01-01,,,,,,lactating,,", //                                              9 male in milk
  "OLD-1,,,Sahiwal,F,2021-01-01,,,,,,heifer,,", //                                                 10 tag in the herd
  '"BD-106",,"Rupa, the second",Sahiwal,F,2023-02-02,,,born,,,,,', //                              11 ok, quoted comma
  "BD-107,,,Sahiwal,F,2021-01-01", //                                                               12 short row
].join("\n");

Deno.test("CSV import: good rows are registered, bad rows reported by line with every reason", async () => {
  await withTestDb(async (db) => {
    await makeCow(db.sql, { tag: "OLD-1" });
    await createBull(db.sql, { code: "HF-007", name: "Samson", breed: "Holstein Friesian" }, null);
    const r = await importAnimalsCsv(db.sql, CSV, null);
    assert.equal(r.rows, 11);
    assert.deepEqual(r.created.map((c) => [c.line, c.tag]), [[2, "BD-100"], [3, "BD-101"], [
      11,
      "BD-106",
    ]]);
    const why = new Map(r.rejected.map((x) => [x.line, x.reasons.join(" | ")]));
    assert.deepEqual([...why.keys()], [4, 5, 6, 7, 8, 9, 10, 12]);
    assert.match(why.get(4)!, /birthDate: The birth date is in the future/);
    assert.match(why.get(5)!, /rfid: .*15 digits/);
    assert.match(why.get(5)!, /gender: Sex must be female or male/);
    assert.match(why.get(6)!, /Tag BD-100 appears already on line 2/);
    assert.match(why.get(7)!, /identifier: An ear tag is required/);
    assert.match(why.get(8)!, /damIdentifier: No female with tag NOPE-1/);
    assert.match(why.get(9)!, /status: A male animal is registered as a calf/);
    assert.match(why.get(10)!, /identifier: Tag OLD-1 is already in use/);
    assert.match(why.get(12)!, /columns/);

    const rows = await db.sql`
      select a.tag, a.name, a.status, a.origin, a.rfid, d.tag as dam, b.code as bull,
        (select parity from lactations l where l.animal_id = a.id) as parity
      from animals a left join animals d on d.id = a.dam_id left join bulls b on b.id = a.sire_bull_id
      where a.tag like 'BD-%' order by a.tag`;
    assert.deepEqual(rows.map((x) => ({ ...x })), [
      {
        tag: "BD-100",
        name: "Moyna",
        status: "lactating",
        origin: "purchased",
        rfid: "050000000000100",
        dam: null,
        bull: "HF-007",
        parity: 3,
      },
      {
        tag: "BD-101",
        name: "Lali",
        status: "heifer",
        origin: "born",
        rfid: null,
        dam: "BD-100",
        bull: null,
        parity: null,
      },
      {
        tag: "BD-106",
        name: "Rupa, the second",
        status: "heifer",
        origin: "born",
        rfid: null,
        dam: null,
        bull: null,
        parity: null,
      },
    ]);
  });
});

Deno.test("CSV import: a file that is not a herd CSV is refused as a whole", () => {
  assert.throws(() => readAnimalCsv(""), ValidationError);
  assert.throws(() => readAnimalCsv("name,colour\nx,y"), /identifier/);
  assert.throws(
    () => readAnimalCsv('identifier,primaryBreed,gender\n"BD-1,Sahiwal,F'),
    /not valid CSV/,
  );
});

Deno.test("CSV import page: a manager uploads a file and sees the rejected lines", async () => {
  await withTestApp(async (t) => {
    const sql = t.db.sql;
    await makeUser(sql, t.deps.keyring, { email: "boss@example.com", roles: ["farm_manager"] });
    await makeUser(sql, t.deps.keyring, { email: "hand@example.com", roles: ["farm_worker"] });
    await createBull(sql, { code: "HF-007", name: "Samson", breed: "Holstein Friesian" }, null);
    const worker = new Browser(t);
    await signIn(worker, "hand@example.com", PASSWORD);
    assert.equal((await worker.get("/farm/animals/import")).status, 403);

    const b = new Browser(t);
    await signIn(b, "boss@example.com", PASSWORD);
    await b.get("/farm/animals/import");
    const form = new FormData();
    form.set("_csrf", b.token);
    form.set("file", new File([CSV.replace("OLD-1", "BD-110")], "herd.csv", { type: "text/csv" }));
    const res = await t.fetch("/farm/animals/import", {
      method: "POST",
      body: form,
      headers: { cookie: b.cookieHeader(), origin: "http://localhost", host: "localhost" },
    });
    assert.equal(res.status, 422);
    const html = await res.text();
    const text = html.replace(/<style[^]*?<\/style>/, "");
    for (
      const want of [
        "4 animals registered",
        "7 lines rejected",
        'data-line="4"',
        "The birth date is in the future",
      ]
    ) {
      assert.ok(text.includes(want), `the report shows "${want}"`);
    }
    assert.equal(await count(sql, "animals"), 4);
  });
});
