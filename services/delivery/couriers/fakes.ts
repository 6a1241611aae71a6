/**
 * The local fake couriers as one unit, like the payment fakes (services/payments/fakes/mod.ts):
 * with no courier configured and COURIER_FAKES "auto", main.ts starts fakes of Pathao, Steadfast
 * and Paperfly on loopback ports and merges their COURIER_* settings into the configuration, so
 * that booking, webhooks and polling can be tried on `deno task start`. Each fake refuses to
 * start in production (assertNotProduction) unless explicitly forced.
 */
import type { Config } from "@/services/platform/config.ts";
import { FakePathao } from "./fake_pathao.ts";
import { FakeSteadfast } from "./fake_steadfast.ts";
import { FakePaperfly } from "./fake_paperfly.ts";

type CourierConfig = Pick<Config, Extract<keyof Config, `COURIER_${string}`>>;

export interface FakeCouriers {
  pathao: FakePathao;
  steadfast: FakeSteadfast;
  paperfly: FakePaperfly;
  /** COURIER_* values that point the adapters at the fakes (merge into the Config). */
  config: Partial<CourierConfig>;
  stop(): Promise<void>;
}

/** True when COURIER_FAKES is "auto" and no courier has a base URL configured. */
export function needsFakeCouriers(c: CourierConfig): boolean {
  return c.COURIER_FAKES !== "off" && !c.COURIER_PATHAO_BASE_URL &&
    !c.COURIER_STEADFAST_BASE_URL && !c.COURIER_PAPERFLY_BASE_URL;
}

export function startFakeCouriers(): FakeCouriers {
  const started: { stop(): Promise<void> }[] = [];
  try {
    const pathao = new FakePathao();
    started.push(pathao);
    const steadfast = new FakeSteadfast();
    started.push(steadfast);
    const paperfly = new FakePaperfly();
    started.push(paperfly);
    return {
      pathao,
      steadfast,
      paperfly,
      config: { ...pathao.config, ...steadfast.config, ...paperfly.config },
      stop: async () => {
        await Promise.all(started.map((f) => f.stop()));
      },
    };
  } catch (e) {
    for (const f of started) f.stop();
    throw e;
  }
}
