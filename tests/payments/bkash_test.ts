import { equal, ok, rejects } from "node:assert/strict";
import { FakeBkash } from "@/services/payments/fakes/bkash.ts";
import { BkashError, BkashProvider } from "@/services/payments/bkash.ts";
import { ProviderUnavailableError } from "@/services/payments/types.ts";
import { refFor, startInput, withFake } from "./_fakes.ts";

const creds = { username: "u", password: "p", appKey: "key", appSecret: "secret" };

const withBkash = (fn: (fake: FakeBkash, bkash: BkashProvider) => Promise<void>) =>
  withFake(
    new FakeBkash(creds),
    (fake) => new BkashProvider({ ...creds, baseUrl: fake.baseUrl, timeoutMs: 500 }),
    fn,
  );

const start = (merchantRef = "SD-2026-000001-1", amountMinor = 56000) =>
  startInput({ merchantRef, amountMinor, customer: { name: "Rahima", phone: "+8801711000101" } });

const ref = (providerRef: string, trxId: string | null = null) =>
  refFor({ merchantRef: "SD-2026-000001-1", providerRef, trxId, amountMinor: 56000 });

/** The customer's browser back from the wallet with "success": confirm asks bKash. */
const confirmSuccess = (bkash: BkashProvider, providerRef: string) =>
  bkash.confirm(ref(providerRef), { paymentID: providerRef, status: "success" });

Deno.test("bkash: grant, create, customer confirms, execute → Completed with our amount and invoice", async () => {
  await withBkash(async (fake, bkash) => {
    const s = await bkash.start(start());
    ok(s.redirectUrl.startsWith(fake.origin));
    const created = fake.calls.find((c) => c.path === "create")!.body as Record<string, string>;
    equal(created.amount, "560.00");
    equal(created.callbackURL, "https://shop.example/webhooks/bkash/callback");
    equal(created.mode, "0011");
    const cb = new URL(fake.approve(s.providerRef));
    equal(cb.searchParams.get("status"), "success");
    const v = await bkash.confirm(ref(s.providerRef), Object.fromEntries(cb.searchParams));
    equal(v.outcome, "succeeded");
    equal(v.amountMinor, 56000);
    equal(v.currency, "BDT");
    equal(v.merchantRef, "SD-2026-000001-1");
    ok(v.trxId);
    equal(fake.calls.filter((c) => c.path === "token/grant").length, 1, "token reused");
  });
});

Deno.test("bkash: a second execute (2062) and an execute timeout are settled by query", async () => {
  await withBkash(async (fake, bkash) => {
    const s = await bkash.start(start());
    fake.approve(s.providerRef);
    const first = await confirmSuccess(bkash, s.providerRef);
    const again = await confirmSuccess(bkash, s.providerRef);
    equal(again.outcome, "succeeded");
    equal(again.trxId, first.trxId, "the same transaction, not a second one");
    ok(fake.calls.some((c) => c.path === "payment/status"), "queried after 2062");

    const t = await bkash.start(start("SD-2026-000002-1"));
    fake.approve(t.providerRef);
    fake.faults.execute = "complete_then_timeout";
    const v = await bkash.confirm(ref(t.providerRef), {
      paymentID: t.providerRef,
      status: "success",
    });
    equal(v.outcome, "succeeded", "completed at bKash although execute timed out");
  });
});

Deno.test("bkash: forged success callbacks, cancels and failures never come back as paid", async () => {
  await withBkash(async (fake, bkash) => {
    const s = await bkash.start(start());
    // The customer never confirmed: bKash refuses to execute, the query says Initiated.
    const forged = await confirmSuccess(bkash, s.providerRef);
    equal(forged.outcome, "pending");
    // A "cancel" in the callback URL is not bKash's word: still pending while bKash says so.
    const cancel = await bkash.confirm(ref(s.providerRef), {
      paymentID: s.providerRef,
      status: "cancel",
    });
    equal(cancel.outcome, "pending");
    fake.cancel(s.providerRef);
    equal(
      (await bkash.confirm(ref(s.providerRef), { paymentID: s.providerRef, status: "cancel" }))
        .outcome,
      "cancelled",
    );
    const t = await bkash.start(start("SD-2026-000003-1"));
    fake.fail(t.providerRef);
    equal(
      (await bkash.confirm(ref(t.providerRef), { paymentID: t.providerRef, status: "success" }))
        .outcome,
      "failed",
    );
    const unknown = await bkash.query(ref("TR0011NOPE"));
    equal(unknown.outcome, "failed");
  });
});

Deno.test("bkash: a tampered amount is reported as such, not as ours", async () => {
  await withBkash(async (fake, bkash) => {
    const s = await bkash.start(start());
    fake.approve(s.providerRef);
    fake.faults.amountOverride = "1.00";
    const v = await confirmSuccess(bkash, s.providerRef);
    equal(v.outcome, "succeeded");
    equal(v.amountMinor, 100, "the caller compares this with the order and refuses");
  });
});

Deno.test("bkash: refunds, partial and full, never beyond what was paid", async () => {
  await withBkash(async (fake, bkash) => {
    const s = await bkash.start(start());
    fake.approve(s.providerRef);
    const v = await confirmSuccess(bkash, s.providerRef);
    const paid = ref(s.providerRef, v.trxId);
    const part = await bkash.refund(paid, 10000, "one bottle broken", "r1");
    equal(part.status, "succeeded");
    ok(part.providerRefundRef);
    const rest = await bkash.refund(paid, 46000, "order cancelled", "r2");
    equal(rest.status, "succeeded");
    const over = await bkash.refund(paid, 100, "too much", "r3");
    equal(over.status, "failed");
  });
});

Deno.test("bkash: unreachable or timing out is an unknown outcome, wrong credentials a refusal", async () => {
  await withBkash(async (fake, bkash) => {
    fake.faults.create = "timeout";
    await rejects(bkash.start(start()), ProviderUnavailableError);
    fake.faults.create = "error";
    await rejects(bkash.start(start()), ProviderUnavailableError);
    const wrong = new BkashProvider({
      ...creds,
      appSecret: "nope",
      baseUrl: fake.baseUrl,
      timeoutMs: 500,
    });
    await rejects(wrong.start(start()), BkashError);
    const gone = new BkashProvider({
      ...creds,
      baseUrl: "http://127.0.0.1:9/v1.2.0-beta",
      timeoutMs: 500,
    });
    await rejects(gone.start(start()), ProviderUnavailableError);
  });
});
