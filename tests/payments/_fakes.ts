/**
 * Set-up the payment tests share: a provider adapter against its local fake (started and stopped
 * around the test), the StartInput and PaymentRef an adapter is called with, and a guest's order
 * whose payment was started through the app's payment context.
 */
import { ok } from "node:assert/strict";
import { startPayment } from "@/services/payments/payments.ts";
import type { PaymentMethod, PaymentRef, StartInput } from "@/services/payments/types.ts";
import { guestGheeOrder, type ShopTest } from "../shop/_helpers.ts";

/**
 * Runs `fn` with a fake provider and the adapter `connect` builds for it (500 ms timeouts; the
 * fake hangs 3 s when told to time out), and stops the fake afterwards.
 */
export async function withFake<F extends { hangMs: number; stop(): Promise<void> }, P>(
  fake: F,
  connect: (fake: F) => P,
  fn: (fake: F, provider: P) => Promise<void>,
): Promise<void> {
  fake.hangMs = 3000;
  try {
    await fn(fake, connect(fake));
  } finally {
    await fake.stop();
  }
}

/** What payments hands an adapter to start a payment (BDT, a test shop's origin). */
export const startInput = (
  p: Pick<StartInput, "merchantRef" | "amountMinor" | "customer"> & Partial<StartInput>,
): StartInput => ({
  paymentId: crypto.randomUUID(),
  currency: "BDT",
  origin: "https://shop.example",
  description: "test",
  ...p,
});

/** Our record of a started payment, as an adapter's confirm, query and refund get it. */
export const refFor = (
  p: Pick<PaymentRef, "merchantRef" | "providerRef" | "amountMinor"> & Partial<PaymentRef>,
): PaymentRef => ({ id: "p", trxId: null, ...p });

/**
 * A guest's ghee order paid by `method`, its payment started with the provider (unless `start`
 * is false, or the method has nothing to start), and the payment's row.
 */
export async function startedOrder(s: ShopTest, method: PaymentMethod, start = true) {
  const placed = await guestGheeOrder(s, method);
  let redirect: string | undefined;
  if (start && placed.paymentId && method !== "bank_transfer") {
    const started = await startPayment(s.pay, placed.paymentId, { origin: "http://localhost" });
    ok(started.ok, "payment started");
    redirect = started.redirectUrl;
  }
  const [payment] = await s.sql`select * from shop_payments where order_id = ${placed.id}`;
  return { placed, payment, redirect };
}

/**
 * The customer approves a bKash or Nagad payment on the provider's page and their browser comes
 * back to our callback (faults set on the fake beforehand apply to our server's questions).
 */
export async function approveAndReturn(
  s: ShopTest,
  method: "bkash" | "nagad",
  providerRef: string,
): Promise<Response> {
  const cb = new URL(s.fakes![method].approve(providerRef));
  const res = await s.fetch(cb.pathname + cb.search, { redirect: "manual" });
  await res.body?.cancel();
  return res;
}

/** Staff refund a payment in full with the reason "the jar leaked" (no actor: the system). */
export function refundInFull(
  s: ShopTest,
  paymentId: Parameters<ShopTest["deps"]["payments"]["refund"]>[0]["paymentId"],
  amountMinor: number,
) {
  return s.deps.payments.refund({
    paymentId,
    amountMinor,
    reason: "the jar leaked",
    actorId: null,
  });
}
