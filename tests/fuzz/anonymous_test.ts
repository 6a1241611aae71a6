/** Fuzz every route as an anonymous visitor and as a signed-in customer. No 5xx. */
import { assertNoFindings, fuzzRoutes, Visitor } from "./_fuzz.ts";
import { signedIn, withFuzzWorld } from "./_setup.ts";

const only = new RegExp(Deno.env.get("FUZZ_ONLY") ?? "");

Deno.test("fuzz: every route as an anonymous visitor and a customer, no 5xx", async () => {
  await withFuzzWorld(async (s) => {
    const failures = [
      ...await fuzzRoutes(new Visitor(s, "anonymous"), { only }),
      ...await fuzzRoutes(await signedIn(s, ["customer"]), { only }),
    ];
    assertNoFindings(failures);
  });
});
