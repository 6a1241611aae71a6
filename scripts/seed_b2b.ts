/**
 * B2B demo data (issue 14 §8), through the b2b context's door only: three approved business
 * accounts with outlets (area, slot, receiving hours), contract prices with a quantity break,
 * standing orders and a few weeks of delivered orders with their invoices on account (one of them
 * overdue). "Dhaka Sweets" is run by the demo users b2b_admin@ (account admin) and b2b_buyer@
 * (buyer). Skips everything when the accounts exist already.
 */
import { addDays, dhakaDate, dhakaInstant } from "@/services/platform/dhaka.ts";
import type { createContexts } from "@/contexts.ts";
import { SEED_DOMAIN } from "@/scripts/demo_credentials.ts";

type Contexts = ReturnType<typeof createContexts>;

const ACCOUNTS = [
  {
    company: "Dhaka Sweets",
    admin: `b2b_admin@${SEED_DOMAIN}`,
    buyer: `b2b_buyer@${SEED_DOMAIN}`,
    group: "sweets",
    limit: 50_000_000,
    terms: "15" as const,
    rep: "Sabina Yasmin",
    outlets: [
      { name: "Dhanmondi shop", address: "Road 27, Dhanmondi, Dhaka", zone: "dhanmondi" },
      {
        name: "Mohammadpur kitchen",
        address: "Tajmahal Road, Mohammadpur, Dhaka",
        zone: "mohammadpur",
      },
    ],
  },
  {
    company: "Lake View Hotel",
    admin: "+8801552000103",
    buyer: null,
    group: "horeca",
    limit: 80_000_000,
    terms: "30" as const,
    rep: "Sabina Yasmin",
    outlets: [{ name: "Main kitchen", address: "Road 71, Gulshan 2, Dhaka", zone: "gulshan" }],
  },
  {
    company: "Banani Café",
    admin: "+8801913000104",
    buyer: null,
    group: "horeca",
    limit: 5_000_000,
    terms: "7" as const,
    rep: "Rashed Khan",
    outlets: [{ name: "Café", address: "Road 11, Banani, Dhaka", zone: "banani" }],
  },
];

export async function seedB2b(
  c: Contexts,
  clock: { set(d: Date): void },
  now: Date,
  log: (msg: string) => void,
) {
  const b2b = c.b2b;
  const existing = await b2b.listAccounts(null);
  if (existing.some((a) => a.company === ACCOUNTS[0].company)) return;
  const staff = { id: null, name: "demo seed" };
  const today = dhakaDate(now);
  const packs = [...(await c.shop.packsBySku(null)).values()].filter((p) => p.sellable).slice(0, 6);
  if (packs.length < 3) return;
  let orders = 0;
  const routeOutlets: number[] = [];
  for (const [k, a] of ACCOUNTS.entries()) {
    const admin = await c.identity.findUserByIdentifier(a.admin);
    if (!admin) continue;
    // The application and its approval, 60 days ago.
    clock.set(dhakaInstant(addDays(today, -60), "10:00"));
    const id = await b2b.apply(admin.id, {
      company: a.company,
      tradeLicenceNo: `TRAD/DNCC/0${40_120 + k}`,
      tradeLicenceExpires: addDays(today, 300),
      bin: `00${1234567890 + k}1`.slice(0, 13),
      tin: `${123456789012 + k}`,
      ownerNid: `19901234567${80 + k}`,
      outlets: a.outlets.map((o) => ({ name: o.name, address: o.address })),
      contacts: [{ name: admin.displayName, phone: "01711000222" }],
    });
    await b2b.setStatus(id, "active", "", staff);
    await b2b.setCredit(id, {
      creditLimitMinor: a.limit,
      terms: a.terms,
      requiresApproval: a.buyer !== null,
      minOrderMinor: 0,
      customerGroup: a.group,
    }, staff);
    await b2b.setSalesRep(id, a.rep);
    if (a.buyer) {
      const buyer = await c.identity.findUserByIdentifier(a.buyer);
      if (buyer) await b2b.setMember(id, buyer.id, "buyer", staff);
    }
    const outlets = await b2b.outlets(id);
    routeOutlets.push(...outlets.map((o) => o.id));
    for (const [i, o] of outlets.entries()) {
      await b2b.saveOutlet(admin.id, id, {
        id: o.id,
        name: o.name,
        address: o.address,
        zoneCode: a.outlets[i].zone,
        slotCode: "morning",
        receivingFrom: "06:30",
        receivingTo: "09:30",
      });
    }
    // Contract prices: 8 % under the shop's price without VAT, 12 % from 50 packs.
    const list = await b2b.priceList((await b2b.account(id))!);
    for (const p of list.slice(0, 6)) {
      for (const [minQty, off] of [[1, 0.92], [50, 0.88]] as const) {
        await b2b.savePrice({
          accountId: id,
          customerGroup: null,
          sku: p.pack.sku,
          minQty,
          priceMinor: Math.round((p.unitMinor * off) / 100) * 100,
          validFrom: addDays(today, -60),
          validTo: addDays(today, 305),
        }, staff);
      }
    }
    // A delivered order every week for the last five weeks: invoices on account.
    for (let w = 5; w >= 1; w--) {
      clock.set(dhakaInstant(addDays(today, -7 * w - 1), "11:00"));
      try {
        const placed = await b2b.placeOrder(admin.id, id, {
          outletId: outlets[0].id,
          deliveryDate: addDays(today, -7 * w),
          lines: packs.slice(k % 2, k % 2 + 3 + (w % 2)).map((p, j) => ({
            sku: p.sku,
            qty: 2 + j + w,
          })),
        });
        if (placed.status === "credit_hold") {
          await b2b.releaseHold(placed.id, "Demo: regular customer", staff);
        }
        clock.set(dhakaInstant(addDays(today, -7 * w), "08:00"));
        await b2b.deliver(placed.id, { receivedBy: "Outlet manager" }, staff);
        orders++;
      } catch (e) {
        log(`demo b2b: an order of ${a.company} was not placed (${(e as Error).message})`);
      }
    }
    // Standing orders: every outlet on Saturday and Tuesday.
    clock.set(dhakaInstant(addDays(today, -30), "10:00"));
    for (const o of outlets) {
      for (const weekday of [2, 6]) {
        await b2b.saveStanding(admin.id, id, {
          outletId: o.id,
          weekday,
          lines: packs.slice(0, 2).map((p, j) => ({ sku: p.sku, qty: 12 + 6 * j })),
        });
      }
    }
  }
  // The demo's sales user walks every demo outlet on the phone page (/field).
  const rep = await c.identity.findUserByIdentifier(`sales@${SEED_DOMAIN}`);
  if (rep) await b2b.setRoute(rep.id, routeOutlets, staff);
  clock.set(now);
  log(`demo b2b: ${ACCOUNTS.length} accounts, ${orders} delivered orders with invoices on account`);
}
