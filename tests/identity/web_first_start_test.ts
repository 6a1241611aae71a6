import { equal, match, ok } from "node:assert/strict";
import "./_fixtures.ts";
import { testKeyring } from "./_fixtures.ts";
import { withTestDb } from "@/tests/helpers/db.ts";
import { seedOnFirstStart } from "@/scripts/first_start.ts";
import { authenticate, listUsers } from "@/services/identity/users.ts";
import { demoAccountsText, readDemoPassword } from "@/scripts/demo_credentials.ts";

Deno.test("first start: an empty users table gets an admin whose password is printed once", async () => {
  await withTestDb(async (db) => {
    const keyring = await testKeyring();
    const banner = await seedOnFirstStart(db, keyring, {});
    ok(banner);
    match(banner, /admin@smartdairy\.test/);
    match(banner, /second factor/);
    const password = banner.match(/password\s+(\S{20})/)![1];
    const r = await authenticate(db.sql, keyring, {
      identifier: "admin@smartdairy.test",
      password,
      ip: "127.0.0.1",
    });
    ok(r.ok && r.mustEnrollSecondFactor, "the admin must set up a second factor");
    const { total } = await listUsers(db.sql, keyring, { limit: 1 });
    if (db.kind === "embedded") ok(total > 1, "demo accounts on the embedded database");
    else equal(total, 1, "only the admin on a server database");
    equal(await seedOnFirstStart(db, keyring, {}), null, "the next start prints nothing");
  });
});

Deno.test("first start: the embedded demo keeps its demo password for `seed --credentials`, a server never", async () => {
  await withTestDb(async (db) => {
    const keyring = await testKeyring();
    const dataDir = await Deno.makeTempDir();
    try {
      const banner = await seedOnFirstStart(db, keyring, { DATA_DIR: dataDir });
      ok(banner);
      const kept = await readDemoPassword(dataDir);
      if (db.kind === "embedded") {
        const shown = banner.match(/customers by phone .*password (\S+)/)![1];
        equal(kept, shown, "the kept password is the one the banner showed");
        const text = demoAccountsText(kept!);
        match(text, /sales@smartdairy\.test/);
        match(text, /01711000101/);
        ok(!/^\s*admin@/m.test(text), "the admin is not listed (its password was shown once)");
        const r = await authenticate(db.sql, keyring, {
          identifier: "01711000101",
          password: kept!,
          ip: "127.0.0.1",
        });
        ok(r.ok, "a demo customer signs in with the kept password");
        equal((await Deno.stat(`${dataDir}/demo_password`)).mode! & 0o077, 0, "owner-only file");
      } else {
        equal(kept, null, "no shared demo password on a server database");
      }
    } finally {
      await Deno.remove(dataDir, { recursive: true });
    }
  });
});

Deno.test("`deno task seed --credentials` prints the demo accounts kept in DATA_DIR", async () => {
  const dataDir = await Deno.makeTempDir();
  try {
    const run = () =>
      new Deno.Command(Deno.execPath(), {
        args: ["run", "-A", "scripts/seed.ts", "--credentials"],
        cwd: new URL("../..", import.meta.url).pathname,
        env: { DATA_DIR: dataDir, DATABASE_URL: "", DEMO_PASSWORD: "" },
        stdout: "piped",
        stderr: "piped",
      }).output();
    const none = await run();
    equal(none.code, 1, "nothing kept yet");
    match(new TextDecoder().decode(none.stderr), /No demo password is kept here/);
    await Deno.writeTextFile(`${dataDir}/demo_password`, "kept-demo-password-42\n");
    const out = await run();
    const text = new TextDecoder().decode(out.stdout);
    equal(out.code, 0, new TextDecoder().decode(out.stderr));
    match(text, /sales@smartdairy\.test/);
    match(text, /password: kept-demo-password-42/);
  } finally {
    await Deno.remove(dataDir, { recursive: true });
  }
});
