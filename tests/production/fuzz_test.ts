/** Hostile values in every production form and query, as production staff: never a 5xx. */
import { withTestApp } from "@/tests/helpers/app.ts";
import { assertNoFindings, fuzzRoutes, Visitor } from "../fuzz/_fuzz.ts";
import { Browser, makeUser, PASSWORD, signIn } from "../identity/_web.ts";
import { actor, arrange, NOW, TODAY } from "./_helpers.ts";

Deno.test("fuzz: the production pages as production staff, no 5xx", async () => {
  await withTestApp(async (t) => {
    await arrange(t);
    const p = t.deps.production;
    const plan = (qty: number) =>
      p.createOrder({ outputItemCode: "FG-TMILK-1000", plannedQty: qty, plannedOn: TODAY }, actor);
    await plan(10);
    const started = await plan(20);
    await p.startOrder(started.id, { mode: "fefo", on: TODAY }, actor);
    await makeUser(t.db.sql, t.deps.keyring, { email: "fz@example.com", roles: ["production"] });
    const b = new Browser(t);
    await signIn(b, "fz@example.com", PASSWORD);
    const v = new Visitor(t, "production", b.cookieHeader());
    assertNoFindings(await fuzzRoutes(v, { only: /^\/admin\/production/, runsPerForm: 4 }));
  }, { clock: { now: () => NOW } });
});
