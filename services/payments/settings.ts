/**
 * Which payment providers are configured (PAYMENT_* variables in services/platform/config.ts) and
 * the adapters built from them. Cash on delivery and bank transfer need no provider and are always
 * offered; the prepaid balance is offered to signed-in customers.
 */
import type { Config } from "@/services/platform/config.ts";
import { BkashProvider, type BkashSettings } from "./bkash.ts";
import { NagadProvider, type NagadSettings } from "./nagad.ts";
import { SslcommerzProvider, type SslcommerzSettings } from "./sslcommerz.ts";
import type { OnlineMethod, PaymentMethod, PaymentProvider } from "./types.ts";

export interface PaymentSettings {
  timeoutMs: number;
  bkash: BkashSettings | null;
  nagad: NagadSettings | null;
  sslcommerz: SslcommerzSettings | null;
  bankAccount: string;
}

type PaymentConfig = Pick<Config, Extract<keyof Config, `PAYMENT_${string}`>>;

export function paymentSettings(c: PaymentConfig): PaymentSettings {
  const timeoutMs = c.PAYMENT_TIMEOUT_MS ?? 30_000;
  const all = <T>(v: (string | undefined)[], make: () => T): T | null =>
    v.every((x) => x && x.length > 0) ? make() : null;
  return {
    timeoutMs,
    bkash: all(
      [
        c.PAYMENT_BKASH_BASE_URL,
        c.PAYMENT_BKASH_USERNAME,
        c.PAYMENT_BKASH_PASSWORD,
        c.PAYMENT_BKASH_APP_KEY,
        c.PAYMENT_BKASH_APP_SECRET,
      ],
      () => ({
        baseUrl: c.PAYMENT_BKASH_BASE_URL!.replace(/\/+$/, ""),
        username: c.PAYMENT_BKASH_USERNAME!,
        password: c.PAYMENT_BKASH_PASSWORD!,
        appKey: c.PAYMENT_BKASH_APP_KEY!,
        appSecret: c.PAYMENT_BKASH_APP_SECRET!,
        timeoutMs,
      }),
    ),
    nagad: all(
      [
        c.PAYMENT_NAGAD_BASE_URL,
        c.PAYMENT_NAGAD_MERCHANT_ID,
        c.PAYMENT_NAGAD_MERCHANT_NUMBER,
        c.PAYMENT_NAGAD_PUBLIC_KEY,
        c.PAYMENT_NAGAD_PRIVATE_KEY,
      ],
      () => ({
        baseUrl: c.PAYMENT_NAGAD_BASE_URL!.replace(/\/+$/, ""),
        merchantId: c.PAYMENT_NAGAD_MERCHANT_ID!,
        merchantNumber: c.PAYMENT_NAGAD_MERCHANT_NUMBER!,
        nagadPublicKey: c.PAYMENT_NAGAD_PUBLIC_KEY!,
        merchantPrivateKey: c.PAYMENT_NAGAD_PRIVATE_KEY!,
        timeoutMs,
      }),
    ),
    sslcommerz: all(
      [
        c.PAYMENT_SSLCOMMERZ_BASE_URL,
        c.PAYMENT_SSLCOMMERZ_STORE_ID,
        c.PAYMENT_SSLCOMMERZ_STORE_PASSWORD,
      ],
      () => ({
        baseUrl: c.PAYMENT_SSLCOMMERZ_BASE_URL!.replace(/\/+$/, ""),
        storeId: c.PAYMENT_SSLCOMMERZ_STORE_ID!,
        storePassword: c.PAYMENT_SSLCOMMERZ_STORE_PASSWORD!,
        timeoutMs,
      }),
    ),
    bankAccount: c.PAYMENT_BANK_ACCOUNT ?? "",
  };
}

export type Providers = Partial<Record<OnlineMethod, PaymentProvider>>;

// Adapters keep state (bKash's token), so one set per configuration object.
const cache = new WeakMap<object, Providers>();

/** The adapters of the configured providers (the same objects for the same config). */
export function paymentProviders(config: PaymentConfig): Providers {
  let p = cache.get(config);
  if (!p) {
    const s = paymentSettings(config);
    p = {};
    if (s.bkash) p.bkash = new BkashProvider(s.bkash);
    if (s.nagad) p.nagad = new NagadProvider(s.nagad);
    if (s.sslcommerz) p.sslcommerz = new SslcommerzProvider(s.sslcommerz);
    cache.set(config, p);
  }
  return p;
}

/** Methods to offer at checkout, in display order. */
export function offeredMethods(providers: Providers, signedIn: boolean): PaymentMethod[] {
  const out: PaymentMethod[] = [];
  if (providers.bkash) out.push("bkash");
  if (providers.nagad) out.push("nagad");
  if (providers.sslcommerz) out.push("sslcommerz");
  out.push("cod", "bank_transfer");
  if (signedIn) out.push("balance");
  return out;
}
