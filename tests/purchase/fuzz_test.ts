/** Hostile values on every purchasing form, with demo orders, bills and suppliers present: no 5xx. */
import "@/tests/identity/_fixtures.ts";
import { assertNoFindings, fuzzRoutes, Visitor } from "../fuzz/_fuzz.ts";
import { withTestApp } from "../helpers/app.ts";
import { Browser, makeUser, PASSWORD, signIn } from "@/tests/identity/_web.ts";
import { seedPurchase } from "@/services/purchase/seed.ts";

Deno.test("fuzz: the purchasing screens with demo data, as a warehouse clerk, no 5xx", async () => {
  await withTestApp(async (t) => {
    await seedPurchase(t.db.sql);
    const user = await makeUser(t.db.sql, t.deps.keyring, {
      email: "clerk.fuzz@example.com",
      roles: ["warehouse"],
    });
    const b = new Browser(t);
    await signIn(b, user.email!, PASSWORD);
    const failures = await fuzzRoutes(new Visitor(t, "warehouse", b.cookieHeader()), {
      only: /^\/admin\/purchase/,
      runsPerForm: 4,
    });
    assertNoFindings(failures);
  });
});
