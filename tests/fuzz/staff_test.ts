/** Fuzz every route as staff: an admin (every permission) and a farm worker. No 5xx. */
import { fuzzRoutes, report } from "./_fuzz.ts";
import { signedIn, withFuzzWorld } from "./_setup.ts";

Deno.test("fuzz: every route as admin and farm worker answers hostile input without a 5xx", async () => {
  await withFuzzWorld(async (s) => {
    const failures = [
      ...await fuzzRoutes(await signedIn(s, ["admin"]), {
        only: new RegExp(Deno.env.get("FUZZ_ONLY") ?? ""),
      }),
    ];
    if (failures.length) throw new Error(report(failures));
  });
});
