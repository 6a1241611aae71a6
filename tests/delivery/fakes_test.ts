import { equal, ok, throws } from "node:assert/strict";
import { asProduction } from "@/tests/helpers/production_env.ts";
import { loadConfig } from "@/services/platform/config.ts";
import { needsFakeCouriers, startFakeCouriers } from "@/services/delivery/mod.ts";
import { ProductionGuardError } from "@/services/platform/production_guard.ts";
import { withShop } from "@/tests/shop/_helpers.ts";
import { ordersForOneDay } from "./_helpers.ts";

Deno.test("courier fakes: the embedded default (nothing configured) gets Pathao, Steadfast and Paperfly fakes that book for real", async () => {
  const bare = loadConfig({});
  ok(needsFakeCouriers(bare), "nothing configured: fakes");
  ok(!needsFakeCouriers(loadConfig({ COURIER_FAKES: "off" })));
  ok(!needsFakeCouriers(loadConfig({ COURIER_PAPERFLY_BASE_URL: "https://api.paperfly.com.bd/" })));
  const fakes = startFakeCouriers();
  try {
    await withShop(async (s) => {
      const couriers = s.deps.delivery.couriers;
      ok(couriers.pathaoConfigured() && couriers.steadfastConfigured());
      ok(couriers.paperflyConfigured());
      const { placed, zoneId } = await ordersForOneDay(s, 3);
      const staff = await s.user(["sales"]);
      // Each fake takes a parcel through its own API.
      for (const [i, courier] of (["pathao", "steadfast", "paperfly"] as const).entries()) {
        await couriers.setZoneCourier({
          zoneId,
          courier,
          pathaoCity: courier === "pathao" ? 1 : null,
          pathaoZone: courier === "pathao" ? 298 : null,
        });
        const p = await couriers.book(placed[i].number, staff.user.id);
        equal(p.courier, courier);
      }
      equal(fakes.pathao.orders.size, 1);
      equal(fakes.steadfast.orders.size, 1);
      equal(fakes.paperfly.orders.size, 1);
    }, { config: fakes.config });
  } finally {
    await fakes.stop();
  }
});

Deno.test("courier fakes refuse to start in production unless forced", async () => {
  await asProduction(async () => {
    throws(() => startFakeCouriers(), ProductionGuardError);
    Deno.env.set("ALLOW_FAKES_IN_PRODUCTION", "1");
    const forced = startFakeCouriers();
    ok(forced.config.COURIER_PAPERFLY_BASE_URL?.startsWith("http://127.0.0.1:"));
    await forced.stop();
  });
});
