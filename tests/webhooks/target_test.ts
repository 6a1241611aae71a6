/**
 * Partners' webhook URLs may not reach this network's insides (SSRF): internal addresses are
 * refused when written out, and host names that resolve inside are refused at delivery.
 */
import { equal, match } from "node:assert/strict";
import { isInternalAddress, refusedTarget } from "@/services/webhooks/target.ts";
import { subscriptionSchema } from "@/services/webhooks/subscriptions.ts";

Deno.test("webhook targets: internal addresses are refused, public ones pass", async () => {
  for (
    const ip of [
      "10.1.2.3",
      "127.0.0.1",
      "169.254.169.254",
      "172.20.0.1",
      "192.168.1.10",
      "100.64.0.1",
      "0.0.0.0",
      "::1",
      "fd00::1",
      "fe80::1",
      "::ffff:10.0.0.1",
    ]
  ) equal(isInternalAddress(ip), true, ip);
  for (const ip of ["8.8.8.8", "103.4.145.2", "172.32.0.1", "2606:4700::1111"]) {
    equal(isInternalAddress(ip), false, ip);
  }

  const dns = (answers: Record<string, string[]>) => (name: string, type: "A" | "AAAA") =>
    Promise.resolve((answers[`${name}/${type}`] ?? []) as string[]);
  // A name that points inside (e.g. the cloud's metadata service) is refused before any request.
  match(
    (await refusedTarget(
      "https://metadata.partner.example/hook",
      dns({ "metadata.partner.example/A": ["169.254.169.254"] }),
    ))!,
    /internal address 169\.254\.169\.254/,
  );
  equal(
    await refusedTarget(
      "https://erp.partner.example/hook",
      dns({ "erp.partner.example/A": ["8.8.4.4"] }),
    ),
    null,
  );
  match((await refusedTarget("https://nowhere.example/", dns({})))!, /does not resolve/);
  match((await refusedTarget("https://[fd00::5]/x", dns({})))!, /internal address/);
  // This machine over plain http stays possible for development and tests.
  equal(await refusedTarget("http://127.0.0.1:8080/hooks", dns({})), null);

  // Written out, an internal address is refused when subscribing (a public one is taken).
  const base = { eventTypes: ["order.created"], partnerRef: "client:1" };
  equal(subscriptionSchema.safeParse({ ...base, url: "https://203.0.113.9/hook" }).success, true);
  equal(subscriptionSchema.safeParse({ ...base, url: "https://10.0.0.8/hook" }).success, false);
  equal(
    subscriptionSchema.safeParse({ ...base, url: "https://169.254.169.254/latest" }).success,
    false,
  );
});
