/**
 * The back office's navigation, one line per screen. Each module adds its own entries here;
 * the layout shows only those the signed-in user has the permission for.
 */
import type { Permission } from "@/services/identity/roles.ts";

export interface AdminNavItem {
  href: string;
  en: string;
  bn: string;
  section:
    | "overview"
    | "sales"
    | "catalog"
    | "stock"
    | "intake"
    | "production"
    | "quality"
    | "purchase"
    | "farm"
    | "iot"
    | "people"
    | "system"
    | "accounting";
  permission: Permission;
}

export const ADMIN_NAV: AdminNavItem[] = [
  {
    href: "/admin",
    en: "Dashboard",
    bn: "ড্যাশবোর্ড",
    section: "overview",
    permission: "admin.access",
  },
  {
    href: "/admin/shop/orders",
    en: "Shop orders",
    bn: "দোকানের অর্ডার",
    section: "sales",
    permission: "sales.manage",
  },
  {
    href: "/admin/shop/products",
    en: "Products",
    bn: "পণ্য",
    section: "catalog",
    permission: "catalog.manage",
  },
  {
    href: "/admin/delivery",
    en: "Delivery routes",
    bn: "ডেলিভারি রুট",
    section: "sales",
    permission: "sales.manage",
  },
  {
    href: "/admin/delivery/couriers",
    en: "Couriers",
    bn: "কুরিয়ার",
    section: "sales",
    permission: "sales.manage",
  },
  {
    href: "/admin/delivery/remittances",
    en: "Courier remittances",
    bn: "কুরিয়ারের টাকা জমা",
    section: "sales",
    permission: "accounting.manage",
  },
  {
    href: "/admin/shop/payments",
    en: "Shop payments",
    bn: "পেমেন্ট",
    section: "sales",
    permission: "sales.manage",
  },
  {
    href: "/admin/shop/reconciliation",
    en: "Reconciliation",
    bn: "মিলানো",
    section: "sales",
    permission: "accounting.manage",
  },
  // Business accounts (services/b2b: routes/admin/b2b/).
  {
    href: "/admin/b2b",
    en: "Business accounts",
    bn: "ব্যবসায়িক অ্যাকাউন্ট",
    section: "sales",
    permission: "b2b.accounts.manage",
  },
  // The warehouse (services/inventory: routes/admin/inventory/).
  {
    href: "/admin/inventory/stock",
    en: "Stock",
    bn: "মজুদ",
    section: "stock",
    permission: "inventory.manage",
  },
  {
    href: "/admin/inventory/transfers",
    en: "Transfers",
    bn: "স্থানান্তর",
    section: "stock",
    permission: "inventory.manage",
  },
  {
    href: "/admin/inventory/counts",
    en: "Cycle counts",
    bn: "চক্রাকার গণনা",
    section: "stock",
    permission: "inventory.manage",
  },
  {
    href: "/admin/inventory/expiry",
    en: "Near expiry",
    bn: "মেয়াদ শেষের কাছে",
    section: "stock",
    permission: "inventory.manage",
  },
  {
    href: "/admin/inventory/locations",
    en: "Locations",
    bn: "স্থানসমূহ",
    section: "stock",
    permission: "inventory.manage",
  },
  {
    href: "/admin/users",
    en: "Users",
    bn: "ব্যবহারকারী",
    section: "people",
    permission: "users.manage",
  },
  { href: "/farm/live", en: "Live farm", bn: "খামার সরাসরি", section: "iot", permission: "iot.view" },
  { href: "/admin/iot/devices", en: "Devices", bn: "যন্ত্র", section: "iot", permission: "iot.view" },
  { href: "/admin/iot/alarms", en: "Alarms", bn: "অ্যালার্ম", section: "iot", permission: "iot.view" },
  {
    href: "/admin/iot/rules",
    en: "Alarm rules",
    bn: "অ্যালার্ম নিয়ম",
    section: "iot",
    permission: "iot.view",
  },
  {
    href: "/admin/iot/tanks",
    en: "Milk tanks",
    bn: "দুধের ট্যাংক",
    section: "iot",
    permission: "iot.view",
  },
  {
    href: "/admin/iot/duty",
    en: "Duty contacts",
    bn: "দায়িত্বে যোগাযোগ",
    section: "iot",
    permission: "iot.manage",
  },
  {
    href: "/admin/iot/dead-letters",
    en: "Rejected messages",
    bn: "প্রত্যাখ্যাত বার্তা",
    section: "iot",
    permission: "iot.view",
  },
  {
    href: "/admin/iot/storage",
    en: "Telemetry storage",
    bn: "টেলিমেট্রি সংরক্ষণ",
    section: "iot",
    permission: "iot.view",
  },
  {
    href: "/admin/outbox",
    en: "Outbox",
    bn: "আউটবক্স",
    section: "system",
    permission: "outbox.view",
  },
  {
    href: "/admin/audit",
    en: "Audit log",
    bn: "অডিট লগ",
    section: "system",
    permission: "audit.view",
  },
  // Milk intake (services/intake: routes/admin/intake/).
  {
    href: "/admin/intake/deliveries",
    en: "Milk collection",
    bn: "দুধ সংগ্রহ",
    section: "stock",
    permission: "inventory.manage",
  },
  {
    href: "/admin/intake/tanks",
    en: "Tank milk intake",
    bn: "ট্যাংকের দুধ গ্রহণ",
    section: "stock",
    permission: "inventory.manage",
  },
  {
    href: "/admin/intake/farmers",
    en: "Contract farmers",
    bn: "চুক্তিবদ্ধ খামারি",
    section: "stock",
    permission: "inventory.manage",
  },
  {
    href: "/admin/intake/statements",
    en: "Farmer statements",
    bn: "খামারির বিবরণী",
    section: "stock",
    permission: "inventory.manage",
  },
  {
    href: "/farm/dashboard",
    en: "Herd dashboard",
    bn: "পালের ড্যাশবোর্ড",
    section: "farm",
    permission: "farm.manage",
  },
  {
    href: "/admin/quality",
    en: "Lots awaiting decision",
    bn: "সিদ্ধান্তের অপেক্ষায় লট",
    section: "quality",
    permission: "quality.manage",
  },
  {
    href: "/admin/quality/cold-chain",
    en: "Cold-chain holds",
    bn: "কোল্ড চেইন স্থগিত",
    section: "quality",
    permission: "quality.manage",
  },
  {
    href: "/admin/recall",
    en: "Trace and recall",
    bn: "উৎস সন্ধান ও রিকল",
    section: "quality",
    permission: "quality.manage",
  },
  {
    href: "/admin/quality/plans",
    en: "Test plans",
    bn: "পরীক্ষার পরিকল্পনা",
    section: "quality",
    permission: "quality.manage",
  },
  {
    href: "/admin/production/orders",
    en: "Production orders",
    bn: "উৎপাদন অর্ডার",
    section: "production",
    permission: "production.manage",
  },
  {
    href: "/admin/production/boms",
    en: "Bills of materials",
    bn: "উপকরণ তালিকা (BoM)",
    section: "production",
    permission: "production.manage",
  },
  {
    href: "/admin/production/mushak",
    en: "Mushak 4.3",
    bn: "মূসক ৪.৩",
    section: "production",
    permission: "production.manage",
  },
  {
    href: "/admin/purchase/orders",
    en: "Purchase orders",
    bn: "ক্রয় আদেশ",
    section: "purchase",
    permission: "purchase.manage",
  },
  {
    href: "/admin/purchase/suppliers",
    en: "Suppliers",
    bn: "সরবরাহকারী",
    section: "purchase",
    permission: "purchase.manage",
  },
  {
    href: "/admin/purchase/requests",
    en: "Purchase requests",
    bn: "ক্রয় চাহিদা",
    section: "purchase",
    permission: "purchase.manage",
  },
  {
    href: "/admin/purchase/receipts",
    en: "Goods received",
    bn: "মাল গ্রহণ",
    section: "purchase",
    permission: "purchase.manage",
  },
  {
    href: "/admin/purchase/bills",
    en: "Supplier bills",
    bn: "সরবরাহকারীর বিল",
    section: "purchase",
    permission: "purchase.manage",
  },
  {
    href: "/admin/purchase/reorder",
    en: "Reorder proposals",
    bn: "পুনঃক্রয় প্রস্তাব",
    section: "purchase",
    permission: "purchase.manage",
  },
  // The ledger (services/accounting: routes/admin/accounting/).
  {
    href: "/admin/accounting/entries",
    en: "Journal entries",
    bn: "জার্নাল এন্ট্রি",
    section: "accounting",
    permission: "accounting.manage",
  },
  {
    href: "/admin/accounting/accounts",
    en: "Chart of accounts",
    bn: "হিসাবের তালিকা",
    section: "accounting",
    permission: "accounting.manage",
  },
  {
    href: "/admin/accounting/periods",
    en: "Accounting periods",
    bn: "হিসাবকাল",
    section: "accounting",
    permission: "accounting.manage",
  },
  {
    href: "/admin/accounting/reports/trial-balance",
    en: "Trial balance",
    bn: "রেওয়ামিল",
    section: "accounting",
    permission: "reports.view",
  },
  {
    href: "/admin/accounting/reports/ledger",
    en: "General ledger",
    bn: "সাধারণ খতিয়ান",
    section: "accounting",
    permission: "reports.view",
  },
  {
    href: "/admin/accounting/bank",
    en: "Bank and wallets",
    bn: "ব্যাংক ও ওয়ালেট",
    section: "accounting",
    permission: "accounting.manage",
  },
];
// The public API's partner clients and keys (services/api: routes/admin/api/).
ADMIN_NAV.push({
  href: "/admin/api",
  en: "API access",
  bn: "এপিআই অ্যাক্সেস",
  section: "system",
  permission: "api.manage",
});
// Outbound webhooks (services/webhooks: routes/admin/webhooks/).
ADMIN_NAV.push({
  href: "/admin/webhooks",
  en: "Webhooks",
  bn: "ওয়েবহুক",
  section: "system",
  permission: "outbox.view",
});
