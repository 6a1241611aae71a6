/** The ledger on a test database: the accounting door on a fixed clock, posting shortcuts. */
import type { Sql } from "@/services/platform/db.ts";
import {
  type Accounting,
  createAccounting,
  type Posting,
  type StockLine,
} from "@/services/accounting/mod.ts";
import type { InventoryPort } from "@/services/inventory/types.ts";
import type { SaleEvent } from "@/services/accounting/port.ts";

export const actor = { id: null, name: "Nasrin (accounts)" };
/** A fixed noon in Dhaka: tests pass at any hour. */
export const NOW = new Date("2026-12-07T06:00:00Z");
export const TODAY = "2026-12-07";

export function ledgerOn(sql: Sql, now: Date = NOW): Accounting {
  return createAccounting({ sql, clock: { now: () => now } });
}

let n = 0;
/** A balanced posting: `amount` poisha from `credit` to `debit` (a cash sale by default). */
export function sale(
  amount: number,
  over: Partial<Posting> & { debit?: string; credit?: string } = {},
): Posting {
  n++;
  const { debit = "1110", credit = "4110", ...rest } = over;
  return {
    source: "test.sale",
    sourceRef: `S-${n}-${crypto.randomUUID().slice(0, 8)}`,
    date: TODAY,
    journal: "SALES",
    memo: `Sale ${n}`,
    lines: [
      { account: debit, debitMinor: amount },
      { account: credit, creditMinor: amount },
    ],
    ...rest,
  };
}

/** Posts in its own transaction through the port. */
export function post(a: Accounting, sql: Sql, p: Posting) {
  return sql.begin((tx) => a.poster.post(tx, p));
}

/** Count of rows in a ledger table. */
export async function count(sql: Sql, table: "acc_entries" | "acc_entry_lines"): Promise<number> {
  const [r] = await sql.unsafe(`select count(*)::int as n from ${table}`);
  return r.n as number;
}

/** A bank receipt from a party on account (what a matched bank line posts). */
export function received(acc: Accounting, sql: Sql, party: string, amount: number, date: string) {
  return sql.begin((tx) =>
    acc.poster.post(tx, {
      source: "test.receipt",
      sourceRef: crypto.randomUUID(),
      date,
      journal: "BANK",
      lines: [
        { account: "1151", debitMinor: amount },
        { account: "1210", creditMinor: amount, partnerRef: party },
      ],
    })
  );
}

/**
 * Stock bought as purchasing books it: the lot received (released) and the receipt's value on the
 * books (supplier 1), in one transaction. Returns the lot.
 */
export function boughtLot(
  deps: { inventory: { port: InventoryPort }; accounting: Accounting },
  sql: Sql,
  b: StockLine & {
    locationCode: string;
    valueMinor: number;
    producedOn: string;
    receiptNumber: string;
    orderNumber: string;
    attrs?: Record<string, unknown>;
  },
) {
  return sql.begin(async (tx) => {
    const lot = await deps.inventory.port.receive(tx, {
      itemCode: b.itemCode,
      locationCode: b.locationCode,
      qty: b.qty,
      producedOn: b.producedOn,
      status: "released",
      ref: { kind: "purchase", id: b.receiptNumber },
      actor,
      attrs: b.attrs,
    });
    await deps.accounting.ledger.purchaseReceipt(tx, {
      receiptNumber: b.receiptNumber,
      supplierId: 1,
      orderNumber: b.orderNumber,
      lines: [{ itemCode: b.itemCode, kind: b.kind, valueMinor: b.valueMinor, qty: b.qty }],
    });
    return lot;
  });
}

/** A shop sale at two VAT rates: yogurt at 15 % (৳115 with ৳15 VAT), milk exempt (৳90), delivery ৳50. */
export const TWO_RATES_SALE: SaleEvent = {
  orderId: "11111111-1111-1111-1111-111111111111",
  orderNumber: "SD-1001",
  totalMinor: 25500,
  discountMinor: 0,
  deliveryFeeMinor: 5000,
  vatMinor: 1500,
  lines: [
    { vatRateBp: 1500, lineTotalMinor: 11500, discountMinor: 0, vatMinor: 1500 },
    { vatRateBp: 0, lineTotalMinor: 9000, discountMinor: 0, vatMinor: 0 },
  ],
};

/** A second bank account (City Bank) under the bank accounts of the chart. */
export const CITY_BANK = {
  code: "1153",
  nameEn: "City Bank current account",
  nameBn: "সিটি ব্যাংক চলতি হিসাব",
  type: "asset",
  parentCode: "1150",
} as const;

/** The balance of account `code` (debits less credits, in poisha) over every posted line. */
export async function balanceOf(sql: Sql, code: string): Promise<number> {
  const [r] = await sql`
    select coalesce(sum(l.debit_minor - l.credit_minor), 0)::bigint as v
    from acc_entry_lines l join acc_accounts a on a.id = l.account_id where a.code = ${code}`;
  return Number(r.v);
}

/** A purchase receipt's value on the books (supplier 1), one line, in its own transaction. */
export function receiptBooked(
  a: Accounting,
  sql: Sql,
  numbers: { receiptNumber: string; orderNumber: string },
  line: StockLine & { valueMinor: number },
) {
  return sql.begin((tx) =>
    a.ledger.purchaseReceipt(tx, { ...numbers, supplierId: 1, lines: [line] })
  );
}
