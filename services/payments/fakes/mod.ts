/**
 * The local fake payment providers as one unit: `startFakeProviders()` starts bKash, Nagad and
 * SSLCommerz fakes on loopback ports with generated credentials and keys, and returns the PAYMENT_*
 * configuration that points the adapters at them. main.ts calls it when no real provider URL is
 * configured (see `needsFakeProviders`), so a newcomer can pay with every method.
 */
import type { Config } from "@/services/platform/config.ts";
import { FakeBkash } from "./bkash.ts";
import { FakeNagad, generateNagadKeys } from "./nagad.ts";
import { FakeSslcommerz } from "./sslcommerz.ts";

export { FakeBkash } from "./bkash.ts";
export { FakeNagad } from "./nagad.ts";
export { FakeSslcommerz } from "./sslcommerz.ts";

export type PaymentConfig = Pick<Config, Extract<keyof Config, `PAYMENT_${string}`>>;

export interface FakeProviders {
  urls: { bkash: string; nagad: string; sslcommerz: string };
  /** PAYMENT_* values that point the adapters at the fakes (merge into the Config). */
  config: Partial<PaymentConfig>;
  bkash: FakeBkash;
  nagad: FakeNagad;
  sslcommerz: FakeSslcommerz;
  stop(): Promise<void>;
}

/** True when PAYMENT_FAKES is "auto" and no provider has a real base URL configured. */
export function needsFakeProviders(config: PaymentConfig): boolean {
  return config.PAYMENT_FAKES !== "off" && !config.PAYMENT_BKASH_BASE_URL &&
    !config.PAYMENT_NAGAD_BASE_URL && !config.PAYMENT_SSLCOMMERZ_BASE_URL;
}

export function startFakeProviders(opts: { hostname?: string } = {}): FakeProviders {
  const bkashCreds = {
    username: "sandboxTokenizedUser02",
    password: "sandboxTokenizedUser02@12345",
    appKey: "4f6o0cjiki2rfm34kfdadl1eqq",
    appSecret: "2is7hdktrekvrbljjh44ll3d9l1dtjo4pasmjvs5vl5qr3fug4b",
  };
  const bkash = new FakeBkash(bkashCreds, opts);
  const keys = generateNagadKeys();
  const nagad = new FakeNagad("683002007104225", "01711428036", keys, opts);
  const sslcommerz = new FakeSslcommerz("smartdairytest", "smartdairytest@ssl", opts);
  return {
    urls: { bkash: bkash.baseUrl, nagad: nagad.baseUrl, sslcommerz: sslcommerz.baseUrl },
    config: {
      PAYMENT_BKASH_BASE_URL: bkash.baseUrl,
      PAYMENT_BKASH_USERNAME: bkashCreds.username,
      PAYMENT_BKASH_PASSWORD: bkashCreds.password,
      PAYMENT_BKASH_APP_KEY: bkashCreds.appKey,
      PAYMENT_BKASH_APP_SECRET: bkashCreds.appSecret,
      PAYMENT_BKASH_SNS_CERT_PREFIX: `${bkash.origin}/sns/`,
      PAYMENT_NAGAD_BASE_URL: nagad.baseUrl,
      PAYMENT_NAGAD_MERCHANT_ID: nagad.merchantId,
      PAYMENT_NAGAD_MERCHANT_NUMBER: nagad.merchantNumber,
      PAYMENT_NAGAD_PUBLIC_KEY: keys.nagadPublicKey,
      PAYMENT_NAGAD_PRIVATE_KEY: keys.merchantPrivateKey,
      PAYMENT_SSLCOMMERZ_BASE_URL: sslcommerz.baseUrl,
      PAYMENT_SSLCOMMERZ_STORE_ID: sslcommerz.storeId,
      PAYMENT_SSLCOMMERZ_STORE_PASSWORD: sslcommerz.storePassword,
    },
    bkash,
    nagad,
    sslcommerz,
    async stop() {
      await Promise.all([bkash.stop(), nagad.stop(), sslcommerz.stop()]);
    },
  };
}
