// Contract farmers' phone and bKash numbers are personal data: the database holds them only
// encrypted (with a blind index for lookups); staff still see them, the farmer still signs in by
// phone, the back office still finds a farmer by phone number; rows written before migration 0441
// are encrypted by the intake door and keep no plaintext.
import { strict as assert } from "node:assert";
import { Browser, lastCodeSentTo, makeUser, PASSWORD, signIn } from "../identity/_web.ts";
import { testClock, withTestApp } from "@/tests/helpers/app.ts";
import { sealFarmerNumbers } from "@/services/intake/farmer_numbers.ts";
import { makeFarmer } from "./_helpers.ts";

/** The national part of a number (17…), as it would appear in any readable form. */
const digits = (phone: string) => phone.slice(-10);

Deno.test("farmer numbers: stored encrypted, shown to staff, found by phone, sign-in by phone works", async () => {
  const clock = testClock(new Date("2026-02-05T04:00:00Z"));
  await withTestApp(async (t) => {
    const sql = t.db.sql;
    const { intake } = t.deps;
    const a = await makeFarmer(intake, { name: "Rahima Begum" });
    await makeFarmer(intake, { name: "Karim Mia" });

    // The row holds no readable phone or bKash number, only ciphertext and the index.
    const [row] = await sql`select * from intake_farmers where id = ${a.id}`;
    assert.equal(row.phone, null);
    assert.equal(row.bkash, null);
    assert.match(row.phone_enc, /^v1\.1\./);
    assert.match(row.bkash_enc, /^v1\.1\./);
    assert.ok(row.phone_hash);
    assert.ok(!JSON.stringify(row).includes(digits(a.phone)), "no readable number in the row");
    // Nor can plaintext be written past the service.
    await assert.rejects(
      () => sql`update intake_farmers set phone = ${a.phone} where id = ${a.id}`,
      /intake_farmers_phone_sealed/,
    );

    // Staff see the numbers and find the farmer by the whole number as people type it.
    await makeUser(sql, t.deps.keyring, { email: "store@example.com", roles: ["warehouse"] });
    const b = new Browser(t);
    assert.equal((await signIn(b, "store@example.com", PASSWORD)).status, 303);
    assert.equal((await b.get("/admin/intake/farmers")).status, 200);
    assert.match(b.html, /Rahima Begum/);
    assert.ok(b.html.includes(a.phone), "the list shows the phone");
    assert.ok(b.html.includes(`0${digits(a.phone)}`), "the list shows the bKash number");
    await b.get(`/admin/intake/farmers?q=0${digits(a.phone)}`);
    assert.match(b.html, /Rahima Begum/);
    assert.doesNotMatch(b.html, /Karim Mia/);
    await b.get(`/admin/intake/farmers?q=Karim`);
    assert.match(b.html, /Karim Mia/);
    assert.doesNotMatch(b.html, /Rahima Begum/);
    const [edited] = await intake.listFarmers({ search: a.phone });
    assert.equal(edited.phone, a.phone);
    // A second farmer with the same number is refused on the phone field.
    await assert.rejects(
      () => makeFarmer(intake, { phone: `0${digits(a.phone)}` }),
      (e: Error & { field?: string }) => e.field === "phone",
    );

    // The farmer signs in by phone (the lookup goes through the blind index).
    const farmer = new Browser(t);
    const res = await farmer.submit("/farmer/signin", {
      step: "phone",
      phone: `0${digits(a.phone)}`,
    });
    assert.equal(res.status, 200);
    const code = await lastCodeSentTo(sql, a.phone);
    const ok = await farmer.post("/farmer/signin", { step: "code", phone: a.phone, code });
    assert.equal(ok.status, 303);
    assert.equal((await farmer.get("/farmer")).status, 200);
    assert.match(farmer.html, /Rahima Begum/);
  }, { clock });
});

Deno.test("farmer numbers: rows written before the encryption are sealed once, before first use", async () => {
  const clock = testClock(new Date("2026-02-05T04:00:00Z"));
  await withTestApp(async (t) => {
    const sql = t.db.sql;
    // A row as it stood before migration 0441 (its checks are NOT VALID: old rows pass them).
    await sql.begin(async (tx) => {
      await tx`alter table intake_farmers drop constraint intake_farmers_phone_sealed,
        drop constraint intake_farmers_bkash_sealed`;
      await tx`insert into intake_farmers (code, name, phone, bkash, village)
        values ('OLD-1', 'Amena Bibi', '+8801711000109', '01711000109', 'Rautara'),
          ('OLD-2', 'Jalal Uddin', '+8801711000106', null, 'Rautara')`;
      await tx`alter table intake_farmers
        add constraint intake_farmers_phone_sealed check (phone is null) not valid,
        add constraint intake_farmers_bkash_sealed check (bkash is null) not valid`;
    });
    const { intake } = t.deps;
    // The first use of the farmers seals them; the phone still finds the farmer.
    const [found] = await intake.listFarmers({ search: "01711000109" });
    assert.equal(found?.name, "Amena Bibi");
    assert.equal(found.phone, "+8801711000109");
    assert.equal(found.bkash, "01711000109");
    const rows = await sql`select * from intake_farmers order by code`;
    assert.equal(rows.length, 2);
    for (const r of rows) {
      assert.equal(r.phone, null);
      assert.equal(r.bkash, null);
      assert.match(r.phone_enc, /^v1\./);
      assert.ok(!JSON.stringify(r).includes("1711000"), `${r.code} keeps no readable number`);
    }
    // Idempotent: a second run (another process, the start-up) has nothing left to do.
    assert.equal(await sealFarmerNumbers(sql, t.deps.keyring), 0);
    const [{ n }] = await sql`select count(*)::int as n from intake_farmers
      where phone is not null or bkash is not null`;
    assert.equal(n, 0);
    // The sealed farmer signs in by phone.
    await intake.startFarmerSignIn({ phone: "01711000106" });
    const code = await lastCodeSentTo(sql, "+8801711000106");
    const { farmerId } = await intake.completeFarmerSignIn({ phone: "+8801711000106", code });
    assert.equal(farmerId, rows[1].id);
  }, { clock });
});
