/**
 * Carts in Deno KV under ["cart", owner]: owner "u:<user id>" for a signed-in customer,
 * "g:<random id>" for a guest (the id lives in the sd_cart cookie). A cart holds only variant
 * ids and quantities: prices, names and stock are read fresh whenever the cart is shown or
 * ordered. Guest carts expire after 30 days; at sign-in the guest cart is merged into the user's.
 */
import { keys, updateAtomic } from "@/services/platform/kv.ts";
import type { StockOf } from "./stock.ts";
import type { Queryable } from "@/services/platform/db.ts";
import { type VariantInfo, variantsByIds } from "./catalog.ts";
import { priceOrder } from "./pricing.ts";

export const MAX_QTY = 99;
export const MAX_LINES = 50;
const GUEST_TTL_MS = 30 * 24 * 60 * 60 * 1000;

export interface CartItem {
  variantId: number;
  qty: number;
}
export interface Cart {
  items: CartItem[];
  discountCode?: string;
  updatedAt: number;
}

export const userOwner = (userId: string) => `u:${userId}`;
export const guestOwner = (guestId: string) => `g:${guestId}`;

/** A fresh guest cart id for the cookie. */
export function newGuestId(): string {
  return crypto.randomUUID().replaceAll("-", "");
}
export function isGuestId(id: string | undefined): id is string {
  return !!id && /^[0-9a-f]{32}$/.test(id);
}

const empty = (): Cart => ({ items: [], updatedAt: Date.now() });
const ttl = (owner: string) => (owner.startsWith("g:") ? GUEST_TTL_MS : undefined);

export async function getCart(kv: Deno.Kv, owner: string): Promise<Cart> {
  return (await kv.get<Cart>(keys.cart(owner))).value ?? empty();
}

function clampQty(q: number): number {
  return Math.max(0, Math.min(MAX_QTY, Math.floor(q)));
}

/** Changes a cart with `fn` atomically (concurrent tabs never lose an update). */
async function change(kv: Deno.Kv, owner: string, fn: (c: Cart) => Cart): Promise<Cart> {
  const next = await updateAtomic<Cart>(kv, keys.cart(owner), (cur) => {
    const c = fn(structuredClone(cur ?? empty()));
    c.items = c.items.filter((i) => i.qty > 0).slice(0, MAX_LINES);
    c.updatedAt = Date.now();
    return c.items.length === 0 && !c.discountCode ? null : c;
  }, { expireIn: ttl(owner) });
  return next ?? empty();
}

export function addToCart(kv: Deno.Kv, owner: string, variantId: number, qty: number) {
  return change(kv, owner, (c) => {
    const line = c.items.find((i) => i.variantId === variantId);
    if (line) line.qty = clampQty(line.qty + qty);
    else c.items.push({ variantId, qty: clampQty(qty) });
    return c;
  });
}

export function setQty(kv: Deno.Kv, owner: string, variantId: number, qty: number) {
  return change(kv, owner, (c) => {
    const line = c.items.find((i) => i.variantId === variantId);
    if (line) line.qty = clampQty(qty);
    else if (qty > 0) c.items.push({ variantId, qty: clampQty(qty) });
    return c;
  });
}

export function setDiscountCode(kv: Deno.Kv, owner: string, code: string | undefined) {
  return change(kv, owner, (c) => ({ ...c, discountCode: code || undefined }));
}

/** Replaces the whole cart (reorder). */
export function replaceCart(kv: Deno.Kv, owner: string, items: CartItem[]) {
  return change(
    kv,
    owner,
    (c) => ({ ...c, items: items.map((i) => ({ ...i, qty: clampQty(i.qty) })) }),
  );
}

export async function clearCart(kv: Deno.Kv, owner: string): Promise<void> {
  await kv.delete(keys.cart(owner));
}

/**
 * Moves a guest's cart into the user's cart (quantities of the same variant add up, capped at
 * MAX_QTY) and deletes the guest cart, in one atomic commit. Call it when a guest signs in.
 * Returns the merged cart (the user's cart unchanged when the guest had none).
 */
export async function mergeGuestCart(kv: Deno.Kv, guestId: string, userId: string): Promise<Cart> {
  const gKey = keys.cart(guestOwner(guestId));
  const uKey = keys.cart(userOwner(userId));
  for (let attempt = 0; attempt < 10; attempt++) {
    const [g, u] = await kv.getMany<[Cart, Cart]>([gKey, uKey]);
    if (!g.value) return u.value ?? empty();
    const merged: Cart = structuredClone(u.value ?? empty());
    for (const item of g.value.items) {
      const line = merged.items.find((i) => i.variantId === item.variantId);
      if (line) line.qty = clampQty(line.qty + item.qty);
      else merged.items.push({ ...item });
    }
    merged.items = merged.items.slice(0, MAX_LINES);
    merged.discountCode ??= g.value.discountCode;
    merged.updatedAt = Date.now();
    const res = await kv.atomic()
      .check(g).check(u)
      .set(uKey, merged)
      .delete(gKey)
      .commit();
    if (res.ok) return merged;
  }
  throw new Error("The cart changed too often while merging; try again");
}

export interface CartLine {
  variantId: number;
  qty: number;
  variant: VariantInfo | null;
  /** The line can be ordered as it is (sellable and enough stock). */
  ok: boolean;
  problem: "unavailable" | "short" | null;
  lineTotalMinor: number;
}

export interface CartView {
  lines: CartLine[];
  subtotalMinor: number;
  vatMinor: number;
  count: number;
  discountCode?: string;
  /** Every line can be ordered. */
  ok: boolean;
}

/** The cart with current names, prices and stock (inventory's, by SKU). */
export async function viewCart(sql: Queryable, cart: Cart, stockOf: StockOf): Promise<CartView> {
  const variants = await variantsByIds(sql, cart.items.map((i) => i.variantId), stockOf);
  const lines: CartLine[] = cart.items.map((i) => {
    const v = variants.get(i.variantId) ?? null;
    const problem = !v || !v.sellable ? "unavailable" : v.stockAvailable < i.qty ? "short" : null;
    return {
      variantId: i.variantId,
      qty: i.qty,
      variant: v,
      ok: problem === null,
      problem,
      lineTotalMinor: v ? v.priceMinor * i.qty : 0,
    };
  });
  const priced = priceOrder(
    lines.filter((l) => l.variant?.sellable).map((l) => ({
      qty: l.qty,
      unitPriceMinor: l.variant!.priceMinor,
      vatRateBp: l.variant!.vatRateBp,
    })),
    { deliveryFeeMinor: 0 },
  );
  return {
    lines,
    subtotalMinor: priced.subtotalMinor,
    vatMinor: priced.vatMinor,
    count: cart.items.reduce((a, i) => a + i.qty, 0),
    discountCode: cart.discountCode,
    ok: lines.length > 0 && lines.every((l) => l.ok),
  };
}
