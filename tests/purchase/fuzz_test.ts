/** Hostile values on every purchasing form, with demo orders, bills and suppliers present: no 5xx. */
import { assertNoFindings, fuzzRoutes } from "../fuzz/_fuzz.ts";
import { signedIn, withFuzzWorld } from "../fuzz/_setup.ts";
import { seedPurchase } from "@/services/purchase/seed.ts";

Deno.test("fuzz: the purchasing screens with demo data, as a warehouse clerk, no 5xx", async () => {
  await withFuzzWorld(async (s) => {
    await seedPurchase(s.sql);
    const failures = await fuzzRoutes(await signedIn(s, ["warehouse"]), {
      only: /^\/admin\/purchase/,
      runsPerForm: 4,
    });
    assertNoFindings(failures);
  });
});
