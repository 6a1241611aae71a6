/** B2B test fixtures: an application posted through /b2b and approved by sales at /admin/b2b. */
import { equal } from "node:assert/strict";
import { pageForm, post, type ShopTest } from "@/tests/shop/_helpers.ts";
import { addDays, dhakaDate } from "@/services/platform/dhaka.ts";

export function application(s: ShopTest, company: string): Record<string, string> {
  return {
    company,
    tradeLicenceNo: "TRAD/DNCC/012345",
    tradeLicenceExpires: addDays(dhakaDate(s.clock.now()), 200),
    bin: "0012345678901",
    tin: "123456789012",
    ownerNid: "1990123456789",
    "outlets.0.name": "Gulshan kitchen",
    "outlets.0.address": "House 5, Road 11, Gulshan 1, Dhaka",
    "contacts.0.name": "Karim Uddin",
    "contacts.0.phone": "01711000222",
  };
}

/** A signed-in applicant whose application was approved; the account's id. */
export async function approvedAccount(
  s: ShopTest,
  sales: { cookie: string },
  company: string,
  credit: { limit: string; terms?: string; approval?: boolean } = { limit: "100000" },
) {
  const applicant = await s.user(["customer"]);
  const form = await pageForm(s, "/b2b", applicant.cookie);
  const res = await post(s, "/b2b", application(s, company), form);
  equal(res.status, 303);
  const [row] = await s.sql`select id from b2b_accounts where company = ${company}`;
  const id = Number(row.id);
  const page = await pageForm(s, `/admin/b2b/accounts/${id}`, sales.cookie);
  equal(page.status, 200);
  equal(
    (await post(s, `/admin/b2b/accounts/${id}`, { action: "status", to: "active" }, page)).status,
    303,
  );
  const c = await post(s, `/admin/b2b/accounts/${id}`, {
    action: "credit",
    creditLimit: credit.limit,
    terms: credit.terms ?? "30",
    minOrder: "0",
    customerGroup: "horeca",
    ...(credit.approval ? { requiresApproval: "on" } : {}),
  }, page);
  equal(c.status, 303);
  return { id, applicant, page };
}

/** Places a quick order through the form; the response (303 to the order, or 422). */
export async function quickOrder(
  s: ShopTest,
  cookie: string,
  rows: [string, number][],
  csv = "",
) {
  const form = await pageForm(s, "/b2b/order", cookie);
  const outletId = form.html.match(/name="outletId"[\s\S]*?<option value="(\d+)"/)![1];
  const fields: Record<string, string> = {
    outletId,
    deliveryDate: addDays(dhakaDate(s.clock.now()), 1),
    csv,
  };
  rows.forEach(([sku, qty], i) => {
    fields[`lines.${i}.sku`] = sku;
    fields[`lines.${i}.qty`] = String(qty);
  });
  return await post(s, "/b2b/order", fields, form);
}

/** An active account made through the door (applied, approved, credit set); its admin signed in. */
export async function doorAccount(
  s: ShopTest,
  company: string,
  credit: Partial<
    { limit: number; terms: "cash" | "7" | "30"; approval: boolean; min: number }
  > = {},
) {
  const staff = { id: null, name: "sales" };
  const b2b = s.deps.b2b;
  const { user, cookie } = await s.user(["customer"]);
  const id = await b2b.apply(user.id, {
    company,
    tradeLicenceNo: "TL-0001",
    tradeLicenceExpires: addDays(dhakaDate(s.clock.now()), 100),
    bin: "0012345678901",
    tin: "123456789012",
    ownerNid: "1234567890",
    outlets: [{ name: "Main", address: "Road 2, Dhanmondi, Dhaka" }],
    contacts: [{ name: "Rana", phone: "01811000333" }],
  });
  await b2b.setStatus(id, "active", "", staff);
  await b2b.setCredit(id, {
    creditLimitMinor: credit.limit ?? 10_000_000,
    terms: credit.terms ?? "30",
    requiresApproval: credit.approval ?? false,
    minOrderMinor: credit.min ?? 0,
    customerGroup: "horeca",
  }, staff);
  const outletId = (await b2b.outlets(id))[0].id;
  /** Places an order for tomorrow (as the admin unless `who`). */
  const place = (lines: { sku: string; qty: number }[], who = user.id) =>
    b2b.placeOrder(who, id, {
      outletId,
      deliveryDate: addDays(dhakaDate(s.clock.now()), 1),
      lines,
    });
  return { id, user, cookie, outletId, place };
}
