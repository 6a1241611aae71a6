import { equal, ok, rejects } from "node:assert/strict";
import { FakeNagad, generateNagadKeys } from "@/services/payments/fakes/nagad.ts";
import { NagadError, nagadOrderId, NagadProvider } from "@/services/payments/nagad.ts";
import { ProviderUnavailableError } from "@/services/payments/types.ts";
import { refFor, startInput, withFake } from "./_fakes.ts";

const keys = generateNagadKeys();

const withNagad = (fn: (fake: FakeNagad, nagad: NagadProvider) => Promise<void>) =>
  withFake(
    new FakeNagad("683002007104225", "01711428036", keys),
    (fake) =>
      new NagadProvider({
        baseUrl: fake.baseUrl,
        merchantId: fake.merchantId,
        merchantNumber: fake.merchantNumber,
        nagadPublicKey: keys.nagadPublicKey,
        merchantPrivateKey: keys.merchantPrivateKey,
        timeoutMs: 500,
      }),
    fn,
  );

const start = (merchantRef = "SD-2026-000010-1") =>
  startInput({
    merchantRef,
    amountMinor: 31500,
    customer: { name: "Abdul", phone: "+8801819000102" },
    clientIp: "203.0.113.9",
  });
const ref = (providerRef: string, merchantRef = "SD-2026-000010-1") =>
  refFor({ merchantRef, providerRef, amountMinor: 31500 });

Deno.test("nagad: initialize and complete with encrypted, signed data; verify decides", async () => {
  await withNagad(async (fake, nagad) => {
    const s = await nagad.start(start());
    ok(s.redirectUrl.includes("/checkout/"));
    const init = fake.calls.find((c) => c.path === "initialize")!.body as Record<string, string>;
    ok(!JSON.stringify(init).includes("SD2026000010X1"), "order data travels encrypted");
    equal(nagadOrderId("SD-2026-000010-1"), "SD2026000010X1");
    equal(nagadOrderId("SD2026000010-K7Q2M4ZPAXWMRTEB"), "SDK7Q2M4ZPAXWMRTEB");
    // Before the customer approves, the payment is not paid whatever a callback says.
    const early = await nagad.confirm(ref(s.providerRef), {
      payment_ref_id: s.providerRef,
      status: "Success",
    });
    equal(early.outcome, "pending");
    const cb = new URL(fake.approve(s.providerRef));
    equal(cb.searchParams.get("payment_ref_id"), s.providerRef);
    const v = await nagad.confirm(ref(s.providerRef), Object.fromEntries(cb.searchParams));
    equal(v.outcome, "succeeded");
    equal(v.amountMinor, 31500);
    equal(v.merchantRef, "SD-2026-000010-1");
    ok(v.trxId);
    equal(nagad.refund, null, "Nagad documents no refund API");
  });
});

Deno.test("nagad: aborted payments, tampered amounts and verify timeouts", async () => {
  await withNagad(async (fake, nagad) => {
    const s = await nagad.start(start());
    fake.cancel(s.providerRef);
    equal((await nagad.query(ref(s.providerRef))).outcome, "cancelled");
    const t = await nagad.start(start("SD-2026-000011-1"));
    fake.approve(t.providerRef);
    fake.faults.amountOverride = "3.15";
    equal((await nagad.query(ref(t.providerRef, "SD-2026-000011-1"))).amountMinor, 315);
    fake.faults = { verify: "timeout" };
    await rejects(nagad.query(ref(t.providerRef)), ProviderUnavailableError);
  });
});

Deno.test("nagad: a merchant key Nagad does not know is refused at initialize", async () => {
  await withNagad(async (fake) => {
    const other = generateNagadKeys();
    const impostor = new NagadProvider({
      baseUrl: fake.baseUrl,
      merchantId: fake.merchantId,
      merchantNumber: fake.merchantNumber,
      nagadPublicKey: keys.nagadPublicKey,
      merchantPrivateKey: other.merchantPrivateKey,
      timeoutMs: 500,
    });
    await rejects(impostor.start(start()), NagadError);
  });
});
