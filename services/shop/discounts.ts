/**
 * Discount codes: percent or fixed, with a minimum order, a validity window, a cap on total uses
 * (taken atomically when an order is placed) and optionally once per customer.
 */
import { z } from "@/services/platform/schema.ts";
import type { Queryable, Tx } from "@/services/platform/db.ts";
import { toMinor } from "@/services/platform/db.ts";
import { appendAudit } from "@/services/audit/mod.ts";
import { ShopError } from "./errors.ts";
import { discountFor, type DiscountRule } from "./pricing.ts";
import { takaSchema } from "./catalog.ts";

export interface DiscountCode extends DiscountRule {
  id: number;
  code: string;
  description: string;
  minOrderMinor: number;
  startsAt: Date | null;
  endsAt: Date | null;
  maxUses: number | null;
  uses: number;
  oncePerCustomer: boolean;
  active: boolean;
}

function toCode(r: Record<string, any>): DiscountCode {
  return {
    id: Number(r.id),
    code: r.code,
    description: r.description,
    kind: r.kind,
    value: r.value,
    maxDiscountMinor: r.max_discount_minor === null ? null : toMinor(r.max_discount_minor),
    minOrderMinor: toMinor(r.min_order_minor),
    startsAt: r.starts_at,
    endsAt: r.ends_at,
    maxUses: r.max_uses,
    uses: r.uses,
    oncePerCustomer: r.once_per_customer,
    active: r.active,
  };
}

export function normalizeCode(input: string): string {
  return input.trim().toUpperCase().replace(/\s+/g, "");
}

export async function findCode(sql: Queryable, code: string): Promise<DiscountCode | null> {
  const c = normalizeCode(code);
  if (!/^[A-Z0-9][A-Z0-9_-]{2,29}$/.test(c)) return null;
  const [r] = await sql`select * from shop_discount_codes where code = ${c}`;
  return r ? toCode(r) : null;
}

/**
 * Checks a code for a subtotal and customer at `now`; returns the code and the discount it gives.
 * Does not take a use (see redeemCode).
 */
export async function checkCode(
  sql: Queryable,
  code: string,
  subtotalMinor: number,
  userId: string | null,
  now: Date,
): Promise<{ code: DiscountCode; discountMinor: number }> {
  const c = await findCode(sql, code);
  if (!c || !c.active) throw new ShopError("discount_invalid");
  if (c.startsAt && c.startsAt > now) throw new ShopError("discount_not_started");
  if (c.endsAt && c.endsAt <= now) throw new ShopError("discount_expired");
  if (c.maxUses !== null && c.uses >= c.maxUses) throw new ShopError("discount_used_up");
  if (subtotalMinor < c.minOrderMinor) {
    throw new ShopError("discount_min_order", undefined, { minMinor: c.minOrderMinor });
  }
  if (c.oncePerCustomer && userId) {
    const [used] = await sql`
      select 1 from shop_discount_redemptions r join shop_orders o on o.id = r.order_id
      where r.code_id = ${c.id} and r.user_id = ${userId} and o.status <> 'cancelled' limit 1`;
    if (used) throw new ShopError("discount_already_used");
  }
  return { code: c, discountMinor: discountFor(c, subtotalMinor) };
}

/** Takes one use of the code in the order's transaction; refuses when the cap was reached. */
export async function redeemCode(
  tx: Tx,
  c: DiscountCode,
  orderId: string,
  userId: string | null,
  amountMinor: number,
): Promise<void> {
  const rows = await tx`
    update shop_discount_codes set uses = uses + 1
    where id = ${c.id} and (max_uses is null or uses < max_uses) returning id`;
  if (!rows.length) throw new ShopError("discount_used_up");
  await tx`
    insert into shop_discount_redemptions (code_id, order_id, user_id, amount_minor)
    values (${c.id}, ${orderId}, ${userId}, ${amountMinor})`;
}

// ---- back office -----------------------------------------------------------------------------

const optionalDate = z.string().trim().optional().transform((v, ctx) => {
  if (!v) return null;
  const d = new Date(/^\d{4}-\d{2}-\d{2}$/.test(v) ? `${v}T00:00:00+06:00` : `${v}+06:00`);
  if (Number.isNaN(d.getTime())) {
    ctx.addIssue({ code: "custom", message: "Enter a date like 2026-03-01" });
    return z.NEVER;
  }
  return d;
});

export const discountInputSchema = z.object({
  code: z.string().transform(normalizeCode).pipe(
    z.string().regex(/^[A-Z0-9][A-Z0-9_-]{2,29}$/, "3–30 letters, digits, - or _"),
  ),
  description: z.string().trim().max(200).default(""),
  kind: z.enum(["percent", "fixed"]),
  /** percent: "10" or "12.5"; fixed: taka. */
  value: z.string().trim().min(1, "Enter the discount"),
  maxDiscount: z.string().trim().optional(),
  minOrder: z.string().trim().optional(),
  startsAt: optionalDate,
  endsAt: optionalDate,
  maxUses: z.string().trim().optional().transform((v, ctx) => {
    if (!v) return null;
    if (!/^\d{1,7}$/.test(v) || Number(v) < 1) {
      ctx.addIssue({ code: "custom", message: "A whole number of uses, at least 1" });
      return z.NEVER;
    }
    return Number(v);
  }),
  oncePerCustomer: z.boolean().default(true),
  active: z.boolean().default(true),
}).transform((d, ctx) => {
  let value = 0;
  if (d.kind === "percent") {
    if (!/^\d{1,3}(\.\d{1,2})?$/.test(d.value) || Number(d.value) <= 0 || Number(d.value) > 100) {
      ctx.addIssue({ code: "custom", path: ["value"], message: "A percentage between 0 and 100" });
      return z.NEVER;
    }
    value = Math.round(Number(d.value) * 100);
  } else {
    const r = takaSchema.safeParse(d.value);
    if (!r.success || r.data <= 0) {
      ctx.addIssue({ code: "custom", path: ["value"], message: "An amount in taka, e.g. 50" });
      return z.NEVER;
    }
    value = r.data;
  }
  const money = (v: string | undefined, path: string) => {
    if (!v) return null;
    const r = takaSchema.safeParse(v);
    if (!r.success) {
      ctx.addIssue({ code: "custom", path: [path], message: "An amount in taka, e.g. 300" });
      return null;
    }
    return r.data;
  };
  const maxDiscountMinor = money(d.maxDiscount, "maxDiscount");
  const minOrderMinor = money(d.minOrder, "minOrder") ?? 0;
  if (d.startsAt && d.endsAt && d.endsAt <= d.startsAt) {
    ctx.addIssue({ code: "custom", path: ["endsAt"], message: "Must be after the start" });
  }
  return { ...d, value, maxDiscountMinor, minOrderMinor };
});
export type DiscountInput = z.output<typeof discountInputSchema>;

export async function listCodes(sql: Queryable): Promise<DiscountCode[]> {
  const rows = await sql`select * from shop_discount_codes order by active desc, code`;
  return rows.map(toCode);
}

export async function getCode(sql: Queryable, id: number): Promise<DiscountCode | null> {
  const [r] = await sql`select * from shop_discount_codes where id = ${id}`;
  return r ? toCode(r) : null;
}

export async function saveCode(
  tx: Tx,
  id: number | null,
  d: DiscountInput,
  actorId: string | null,
): Promise<number> {
  try {
    const [r] = id
      ? await tx`
        update shop_discount_codes set code = ${d.code}, description = ${d.description},
          kind = ${d.kind}, value = ${d.value}, max_discount_minor = ${d.maxDiscountMinor},
          min_order_minor = ${d.minOrderMinor}, starts_at = ${d.startsAt}, ends_at = ${d.endsAt},
          max_uses = ${d.maxUses}, once_per_customer = ${d.oncePerCustomer}, active = ${d.active}
        where id = ${id} returning id`
      : await tx`
        insert into shop_discount_codes (code, description, kind, value, max_discount_minor,
          min_order_minor, starts_at, ends_at, max_uses, once_per_customer, active)
        values (${d.code}, ${d.description}, ${d.kind}, ${d.value}, ${d.maxDiscountMinor},
          ${d.minOrderMinor}, ${d.startsAt}, ${d.endsAt}, ${d.maxUses}, ${d.oncePerCustomer},
          ${d.active})
        returning id`;
    if (!r) throw new ShopError("not_found");
    await appendAudit(tx, {
      actorId,
      action: id ? "shop.discount.updated" : "shop.discount.created",
      entity: "shop_discount_code",
      entityId: Number(r.id),
      data: { ...d, startsAt: d.startsAt?.toISOString(), endsAt: d.endsAt?.toISOString() },
    });
    return Number(r.id);
  } catch (e) {
    const err = e as { code?: string; constraint_name?: string };
    if (err?.code === "23505") throw new ShopError("duplicate", "This code exists already");
    if (err?.code === "23514" && err.constraint_name === "shop_discount_uses_cap") {
      throw new ShopError("discount_used_up", "The code has been used more often than that");
    }
    throw e;
  }
}
