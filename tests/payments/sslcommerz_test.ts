import { equal, ok, rejects } from "node:assert/strict";
import { FakeSslcommerz } from "@/services/payments/fakes/sslcommerz.ts";
import { SslcommerzError, SslcommerzProvider, verifySign } from "@/services/payments/sslcommerz.ts";
import { refFor, startInput, withFake } from "./_fakes.ts";

function withSsl(fn: (fake: FakeSslcommerz, ssl: SslcommerzProvider) => Promise<void>) {
  const fake = new FakeSslcommerz("store", "store@pass");
  fake.faults.noIpn = true;
  return withFake(
    fake,
    (fake) =>
      new SslcommerzProvider({
        baseUrl: fake.baseUrl,
        storeId: "store",
        storePassword: "store@pass",
        timeoutMs: 500,
      }),
    fn,
  );
}

const start = (merchantRef = "SD-2026-000020-1") =>
  startInput({
    merchantRef,
    amountMinor: 120000,
    customer: { name: "Nusrat", phone: "+8801552000103", email: "n@example.com" },
  });
const ref = (merchantRef = "SD-2026-000020-1", trxId: string | null = null) =>
  refFor({ merchantRef, providerRef: merchantRef, trxId, amountMinor: 120000 });
const session = (s: FakeSslcommerz, tran: string) => s.byTranId(tran)!.sessionkey;

Deno.test("sslcommerz: session, payment by Rocket, validation VALID then VALIDATED", async () => {
  await withSsl(async (fake, ssl) => {
    const s = await ssl.start(start());
    ok(s.redirectUrl.includes("SESSIONKEY="));
    const back = await fake.complete(
      session(fake, "SD-2026-000020-1"),
      "pay",
      "DBBLMOBILEB-Dbbl Mobile Banking",
    );
    equal(back.url, "https://shop.example/webhooks/sslcommerz/success");
    ok(await verifySign(back.fields, "store@pass"), "the IPN signature checks out");
    ok(
      !(await verifySign({ ...back.fields, amount: "1.00" }, "store@pass")),
      "a changed field breaks it",
    );
    const v = await ssl.confirm(ref(), back.fields);
    equal(v.outcome, "succeeded");
    equal(v.amountMinor, 120000);
    equal(v.merchantRef, "SD-2026-000020-1");
    equal(v.trxId, back.fields.bank_tran_id);
    const again = await ssl.confirm(ref(), back.fields);
    equal(again.outcome, "succeeded", "VALIDATED on the second look counts too");
  });
});

Deno.test("sslcommerz: forged val_id, failed and cancelled payments are not paid", async () => {
  await withSsl(async (fake, ssl) => {
    await ssl.start(start());
    const forged = await ssl.confirm(ref(), {
      tran_id: "SD-2026-000020-1",
      val_id: "FORGED123",
      status: "VALID",
    });
    // An invented val_id is no answer about this tran_id: SSLCommerz is asked by tran_id.
    equal(forged.outcome, "pending");
    // Another payment's genuine val_id is not an answer about this one either.
    await ssl.start(start("SD-2026-000022-1"));
    const other = await fake.complete(session(fake, "SD-2026-000022-1"), "pay");
    const borrowed = await ssl.confirm(ref(), { ...other.fields, tran_id: "SD-2026-000020-1" });
    equal(borrowed.outcome, "pending");
    equal(borrowed.trxId, null);
    equal(
      (await ssl.confirm(ref(), { tran_id: "SD-2026-000020-1", status: "VALID" })).outcome,
      "pending",
    );
    await fake.complete(session(fake, "SD-2026-000020-1"), "fail");
    equal((await ssl.query(ref())).outcome, "failed");
    await ssl.start(start("SD-2026-000021-1"));
    await fake.complete(session(fake, "SD-2026-000021-1"), "cancel");
    equal((await ssl.query(ref("SD-2026-000021-1"))).outcome, "cancelled");
  });
});

Deno.test("sslcommerz: risky payments are flagged; tampered amounts reported; timeouts fall back to query", async () => {
  await withSsl(async (fake, ssl) => {
    await ssl.start(start());
    fake.faults.risky = true;
    const back = await fake.complete(session(fake, "SD-2026-000020-1"), "pay");
    const v = await ssl.confirm(ref(), back.fields);
    ok(v.risky);
    fake.faults = { noIpn: true, amountOverride: "12.00" };
    equal((await ssl.query(ref())).amountMinor, 1200);
    fake.faults = { noIpn: true, validation: "timeout" };
    const q = await ssl.confirm(ref(), back.fields);
    equal(q.outcome, "succeeded", "the query by tran_id answered instead");
  });
});

Deno.test("sslcommerz: refunds through the API; refusals for bad sessions", async () => {
  await withSsl(async (fake, ssl) => {
    await ssl.start(start());
    const back = await fake.complete(session(fake, "SD-2026-000020-1"), "pay");
    const paid = ref("SD-2026-000020-1", back.fields.bank_tran_id);
    equal(
      (await ssl.refund(paid, 20000, "short delivery", crypto.randomUUID())).status,
      "succeeded",
    );
    equal((await ssl.refund(paid, 200000, "too much", crypto.randomUUID())).status, "failed");
    fake.faults = { noIpn: true, refund: "processing" };
    const r = await ssl.refund(paid, 10000, "later", crypto.randomUUID());
    equal(r.status, "processing");
    equal((await ssl.refundStatus(r.providerRefundRef!)).status, "processing");
    await rejects(ssl.start(start("SD-2026-000020-1")), SslcommerzError, "a tran_id is used once");
    const wrong = new SslcommerzProvider({
      baseUrl: fake.baseUrl,
      storeId: "store",
      storePassword: "x",
      timeoutMs: 500,
    });
    await rejects(wrong.start(start("SD-2026-000022-1")), SslcommerzError);
  });
});
