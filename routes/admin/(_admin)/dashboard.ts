/**
 * The back office's home page figures (/admin): each context is asked once, through its door and
 * all at the same time, for what the signed-in user may see; every figure links to its screen and
 * is shown only to those whose permissions open that screen. Route-private: the "(_admin)" folder
 * keeps it out of the router.
 */
import { can, type Permission, type Role } from "@/services/identity/mod.ts";
import { formatTaka, type Lang, toBanglaDigits } from "@/services/i18n/mod.ts";
import { dhakaDate, dhakaTime } from "@/services/shop/mod.ts";
import type { AppDeps } from "@/state.ts";
import { dashboardText } from "./dashboard_text.ts";

export type SectionId = "sales" | "deliveries" | "farm" | "stock" | "approvals" | "cash" | "system";

export interface Card {
  /** A stable name for tests and the page (data-figure). */
  id: string;
  label: string;
  value: string;
  /** A line under the value (orders behind a sum, the average to compare with). */
  note?: string;
  href: string;
  /** Something needs attention (late deliveries, critical alarms…). */
  alert?: boolean;
}

export interface Section {
  id: SectionId;
  title: string;
  cards: Card[];
  /** A sentence under the cards (what is missing, how a figure is counted). */
  note?: string;
}

export interface Dashboard {
  day: string;
  time: string;
  sections: Section[];
}

/** The screen each figure links to and the permission that screen asks for. */
export const SCREENS = {
  shopSales: { href: "/admin/shop/orders", permission: "sales.manage" },
  subscriptionSales: { href: "/admin/shop/subscriptions", permission: "sales.manage" },
  dueToday: { href: "/admin/shop/picking", permission: "sales.manage" },
  late: { href: "/admin/shop/orders", permission: "sales.manage" },
  milk: { href: "/farm/dashboard", permission: "farm.manage" },
  tanks: { href: "/admin/iot/tanks", permission: "iot.view" },
  alarms: { href: "/admin/iot/alarms", permission: "iot.view" },
  onHold: { href: "/admin/inventory/stock?status=hold", permission: "inventory.manage" },
  nearExpiry: { href: "/admin/inventory/expiry", permission: "inventory.manage" },
  releases: { href: "/admin/quality", permission: "quality.manage" },
  bills: { href: "/admin/purchase/bills?status=entered", permission: "purchase.manage" },
  requests: { href: "/admin/purchase/requests", permission: "purchase.manage" },
  received: { href: "/admin/shop/payments", permission: "sales.manage" },
  codOwed: { href: "/admin/shop/reconciliation", permission: "accounting.manage" },
  staff: { href: "/admin/users?kind=staff", permission: "users.manage" },
  customers: { href: "/admin/users?kind=customers", permission: "users.manage" },
  outbox: { href: "/admin/outbox?status=queued", permission: "outbox.view" },
  audit: { href: "/admin/audit", permission: "audit.view" },
} as const satisfies Record<string, { href: string; permission: Permission }>;

type Screen = keyof typeof SCREENS;

/** The near-expiry window in days: the near-expiry screen's default. */
const NEAR_DAYS = 7;

const none = Promise.resolve(null);

export async function loadDashboard(
  deps: AppDeps,
  roles: readonly Role[],
  lang: Lang,
  labels: { staff: string; customers: string; outboxQueued: string; auditEntries: string },
): Promise<Dashboard> {
  const may = (s: Screen) => can(roles, SCREENS[s].permission);
  const at = deps.clock.now();
  const day = dhakaDate(at);
  const sales = may("shopSales");
  const iot = may("tanks");
  const stock = may("onHold") || may("releases");
  const purchase = may("bills");
  const cash = may("received") || may("codOwed");
  // One call per context, all at once; a context none of the user's figures needs is not asked.
  const [shopF, farmF, iotF, invF, purF, payF, staffN, customersN, outboxN, auditN] = await Promise
    .all([
      sales ? deps.shop.dashboardFigures(day) : none,
      may("milk") ? deps.farm.dashboardFigures(day) : none,
      iot ? deps.iot.dashboardFigures() : none,
      stock ? deps.inventory.dashboardFigures(day, NEAR_DAYS) : none,
      purchase ? deps.purchase.dashboardFigures() : none,
      cash ? deps.payments.dashboardFigures(day) : none,
      may("staff") ? deps.identity.listUsers({ staff: true, limit: 1 }).then((r) => r.total) : none,
      may("customers")
        ? deps.identity.listUsers({ staff: false, limit: 1 }).then((r) => r.total)
        : none,
      may("outbox") ? deps.notify.list({ status: "queued", limit: 1 }).then((r) => r.total) : none,
      may("audit") ? deps.audit.list({ limit: 1 }).then((r) => r.total) : none,
    ]);

  const m = dashboardText[lang];
  const digits = (s: string) => (lang === "bn" ? toBanglaDigits(s) : s);
  const count = (n: number) => digits(n.toLocaleString("en-US"));
  const taka = (minor: number) => formatTaka(minor, lang);
  const litres = (l: number) =>
    m.litres(
      digits(l.toLocaleString("en-US", { minimumFractionDigits: 1, maximumFractionDigits: 1 })),
    );
  const card = (s: Screen, c: Omit<Card, "href">, href?: string): Card[] =>
    may(s) ? [{ ...c, href: href ?? SCREENS[s].href }] : [];

  const sections: Section[] = [];
  const add = (id: SectionId, cards: Card[], note?: string) => {
    if (cards.length) sections.push({ id, title: m.sections[id], cards, note });
  };

  if (shopF) {
    add("sales", [
      ...card("shopSales", {
        id: "shop-sales",
        label: m.shopSales,
        value: taka(shopF.shop.revenueMinor),
        note: m.orders(shopF.shop.orders, count(shopF.shop.orders)),
      }),
      ...card("subscriptionSales", {
        id: "subscription-sales",
        label: m.subscriptionSales,
        value: taka(shopF.subscription.revenueMinor),
        note: m.orders(shopF.subscription.orders, count(shopF.subscription.orders)),
      }),
    ], m.salesNote);
    add("deliveries", [
      ...card("dueToday", {
        id: "due-today",
        label: m.dueToday,
        value: count(shopF.dueToday),
        note: m.dueTodayNote,
      }, `${SCREENS.dueToday.href}?date=${day}`),
      ...card("late", {
        id: "late",
        label: m.late,
        value: count(shopF.late),
        note: m.lateNote,
        alert: shopF.late > 0,
      }),
    ]);
  }

  add("farm", [
    ...(farmF
      ? card("milk", {
        id: "milk-today",
        label: m.milkToday,
        value: litres(farmF.milkTodayL),
        note: farmF.milkAvg7dL === null ? m.milkNoAvg : m.milkAvg(litres(farmF.milkAvg7dL)),
      })
      : []),
    ...(iotF
      ? [
        ...card("tanks", {
          id: "tanks",
          label: m.tanks,
          value: count(iotF.tanks),
          note: m.tanksHeld(count(iotF.tanksHeld)),
          alert: iotF.tanksHeld > 0,
        }),
        ...card("alarms", {
          id: "open-alarms",
          label: m.openAlarms,
          value: count(iotF.openAlarms),
          note: m.critical(count(iotF.criticalAlarms)),
          alert: iotF.criticalAlarms > 0,
        }),
      ]
      : []),
  ]);

  if (invF) {
    add("stock", [
      ...card("onHold", {
        id: "lots-on-hold",
        label: m.onHold,
        value: count(invF.onHold),
        note: m.onHoldNote,
        alert: invF.onHold > 0,
      }),
      ...card("nearExpiry", {
        id: "near-expiry",
        label: m.nearExpiry(digits(String(invF.nearDays))),
        value: count(invF.nearExpiry),
        note: m.expired(count(invF.expired)),
        alert: invF.expired > 0,
      }),
    ]);
  }

  add("approvals", [
    ...(invF
      ? card("releases", {
        id: "releases",
        label: m.releases,
        value: count(invF.quarantine),
        note: m.releasesNote,
      })
      : []),
    ...(purF
      ? [
        ...card("bills", {
          id: "bills",
          label: m.bills,
          value: count(purF.billsToApprove),
          note: taka(purF.billsToApproveMinor),
        }),
        ...card("requests", {
          id: "requests",
          label: m.requests,
          value: count(purF.requestsToApprove),
        }),
      ]
      : []),
  ]);

  if (payF) {
    add("cash", [
      ...card("received", {
        id: "received-today",
        label: m.received,
        value: taka(payF.receivedMinor),
        note: payF.received.length
          ? payF.received.map((r) => `${m.methods[r.method]} ${taka(r.amountMinor)}`).join(" · ")
          : m.receivedNone,
      }),
      ...card("codOwed", {
        id: "cod-owed",
        label: m.codOwed,
        value: taka(payF.codOwedMinor),
        note: m.riders(payF.ridersOwing, count(payF.ridersOwing), digits(String(payF.codDays))),
        alert: payF.codOwedMinor > 0,
      }),
    ], m.cashGap);
  }

  const system = (s: Screen, id: string, label: string, n: number | null) =>
    n === null ? [] : card(s, { id, label, value: count(n) });
  add("system", [
    ...system("staff", "staff", labels.staff, staffN),
    ...system("customers", "customers", labels.customers, customersN),
    ...system("outbox", "outbox-queued", labels.outboxQueued, outboxN),
    ...system("audit", "audit-entries", labels.auditEntries, auditN),
  ]);

  return { day, time: dhakaTime(at), sections };
}
