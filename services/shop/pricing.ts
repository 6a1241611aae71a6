/**
 * Order arithmetic, pure and in integer poisha. Shop prices include VAT (as retail prices in
 * Bangladesh do); the VAT inside a line is gross × rate / (1 + rate), rounded half up. An order
 * discount is shared over the lines in proportion to their value (largest remainder), so that
 * each line's VAT is on what the customer really pays for it.
 */

export interface PriceLineInput {
  qty: number;
  unitPriceMinor: number;
  /** VAT rate in basis points (1500 = 15 %). */
  vatRateBp: number;
}

export interface PricedLine extends PriceLineInput {
  grossMinor: number;
  discountMinor: number;
  vatMinor: number;
  lineTotalMinor: number;
}

export interface DiscountRule {
  kind: "percent" | "fixed";
  /** percent: basis points; fixed: poisha. */
  value: number;
  maxDiscountMinor?: number | null;
}

export interface PricedOrder<L extends PriceLineInput = PriceLineInput> {
  lines: (L & PricedLine)[];
  subtotalMinor: number;
  discountMinor: number;
  deliveryFeeMinor: number;
  vatMinor: number;
  totalMinor: number;
}

/** VAT contained in a VAT-inclusive amount. */
export function includedVat(grossMinor: number, rateBp: number): number {
  if (rateBp <= 0 || grossMinor <= 0) return 0;
  // round(gross * rate / (10000 + rate)), half up, in integers.
  const num = 2 * grossMinor * rateBp + (10_000 + rateBp);
  return Math.floor(num / (2 * (10_000 + rateBp)));
}

/** The discount a rule gives on a subtotal (never more than the subtotal). */
export function discountFor(rule: DiscountRule | null | undefined, subtotalMinor: number): number {
  if (!rule || subtotalMinor <= 0) return 0;
  let d = rule.kind === "percent"
    ? Math.floor((subtotalMinor * rule.value + 5_000) / 10_000)
    : rule.value;
  if (rule.maxDiscountMinor) d = Math.min(d, rule.maxDiscountMinor);
  return Math.max(0, Math.min(d, subtotalMinor));
}

/** Splits `total` over `weights` proportionally; the parts sum to `total` exactly. */
export function allocate(total: number, weights: number[]): number[] {
  const sum = weights.reduce((a, b) => a + b, 0);
  if (sum <= 0 || total <= 0) return weights.map(() => 0);
  const exact = weights.map((w) => (total * w) / sum);
  const parts = exact.map(Math.floor);
  let rest = total - parts.reduce((a, b) => a + b, 0);
  const order = exact.map((e, i) => ({ i, frac: e - Math.floor(e) }))
    .sort((a, b) => b.frac - a.frac || a.i - b.i);
  for (const { i } of order) {
    if (rest <= 0) break;
    parts[i]++;
    rest--;
  }
  return parts;
}

export function priceOrder<L extends PriceLineInput>(
  lines: L[],
  opts: { discount?: DiscountRule | null; deliveryFeeMinor: number },
): PricedOrder<L> {
  for (const l of lines) {
    if (!Number.isInteger(l.qty) || l.qty < 1) throw new RangeError("quantity must be ≥ 1");
    if (!Number.isSafeInteger(l.unitPriceMinor) || l.unitPriceMinor < 0) {
      throw new RangeError("unit price must be whole poisha");
    }
  }
  const gross = lines.map((l) => l.qty * l.unitPriceMinor);
  const subtotalMinor = gross.reduce((a, b) => a + b, 0);
  const discountMinor = discountFor(opts.discount, subtotalMinor);
  const shares = allocate(discountMinor, gross);
  const priced = lines.map((l, i) => {
    const lineTotalMinor = gross[i] - shares[i];
    return {
      ...l,
      grossMinor: gross[i],
      discountMinor: shares[i],
      vatMinor: includedVat(lineTotalMinor, l.vatRateBp),
      lineTotalMinor,
    };
  });
  return {
    lines: priced,
    subtotalMinor,
    discountMinor,
    deliveryFeeMinor: opts.deliveryFeeMinor,
    vatMinor: priced.reduce((a, l) => a + l.vatMinor, 0),
    totalMinor: subtotalMinor - discountMinor + opts.deliveryFeeMinor,
  };
}
