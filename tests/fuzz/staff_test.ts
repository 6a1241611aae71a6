/** Fuzz every route as staff: an admin (every permission) and a farm worker. No 5xx. */
import { assertNoFindings, fuzzRoutes } from "./_fuzz.ts";
import { signedIn, withFuzzWorld } from "./_setup.ts";

const only = new RegExp(Deno.env.get("FUZZ_ONLY") ?? "");

Deno.test("fuzz: every route as an admin and a farm worker, no 5xx", async () => {
  await withFuzzWorld(async (s) => {
    const failures = [
      ...await fuzzRoutes(await signedIn(s, ["admin"]), { only }),
      ...await fuzzRoutes(await signedIn(s, ["farm_worker"]), {
        only: new RegExp(`(?=^/(farm|account))${only.source}`),
      }),
    ];
    assertNoFindings(failures);
  });
});
