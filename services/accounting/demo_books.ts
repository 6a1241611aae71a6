/**
 * Demo data into the books (issue 13 §8): the seeded history of operations posts through the
 * same posting rules as the live ledger port (rules/*.ts), dated by the seed's clock as the live
 * port would date them, so the demo books are what the operations would have posted. The seeds
 * receive `books.port` in place of `accounting.ledger`; it only records (rule, event, date) in
 * memory, and `books.flush(sql)` posts everything at the end with `postMany` in batches (a few
 * statements per thousand entries instead of four round trips per event), keeping the embedded
 * first start quick. Idempotent like every posting: (source, reference) posts once.
 *
 * Other postings from operations (production, milk intake, farmer payouts, scrap…) join here:
 * add the port method to `createDemoBooks` below with its rule, next to the others.
 */
import { dhakaDate } from "@/services/platform/dhaka.ts";
import type { Sql } from "@/services/platform/db.ts";
import type { Tx } from "@/services/platform/tx.ts";
import type { LedgerPort } from "./port.ts";
import { postMany } from "./poster.ts";
import type { Posting } from "./types.ts";
import { saleEntry, saleReturnEntry } from "./rules/shop.ts";
import { codCollectedEntry, codHandinEntry, paymentEntry, refundEntry } from "./rules/payments.ts";
import { billEntry, receiptEntry } from "./rules/purchase.ts";

/** The ledger port's methods the demo books record (more join as their rules arrive). */
export type DemoBooksPort = Pick<
  LedgerPort,
  | "shopSale"
  | "shopReturn"
  | "payment"
  | "refund"
  | "codCollected"
  | "codHandedIn"
  | "purchaseReceipt"
  | "supplierBill"
>;

export interface DemoBooks {
  /** Hand this to the seeds in place of `accounting.ledger`. */
  port: DemoBooksPort;
  /** Postings recorded and not yet flushed. */
  pending(): number;
  /** Posts what was recorded, `batch` entries a transaction; returns how many were new. */
  flush(sql: Sql, opts?: { batch?: number }): Promise<{ created: number; seconds: number }>;
}

const ACTOR = { id: null, name: "Demo data" };

export function createDemoBooks(clock?: { now(): Date }): DemoBooks {
  const today = () => dhakaDate(clock?.now() ?? new Date());
  let recorded: Posting[] = [];
  /** The rule's posting, dated today by the seed's clock (as the live port dates it). */
  const record = <E>(rule: (e: E, date: string) => Posting | null) => (_tx: Tx, e: E) => {
    const p = rule(e, today());
    if (p) recorded.push({ ...p, actor: ACTOR });
    return Promise.resolve();
  };
  const port: DemoBooksPort = {
    shopSale: record(saleEntry),
    shopReturn: record(saleReturnEntry),
    payment: record(paymentEntry),
    refund: record(refundEntry),
    codCollected: record(codCollectedEntry),
    codHandedIn: record(codHandinEntry),
    purchaseReceipt: record(receiptEntry),
    supplierBill: record(billEntry),
    // Production, intake, farmer payouts, scrap (acc-ops): `name: record(ruleEntry),` here.
  };
  return {
    port,
    pending: () => recorded.length,
    async flush(sql, opts = {}) {
      const started = performance.now();
      const batch = opts.batch ?? 1_000;
      // The same event recorded twice (a seed re-run inside one start) posts once.
      const seen = new Set<string>();
      const todo = recorded.filter((p) => {
        const k = `${p.source}\u0000${p.sourceRef}`;
        if (seen.has(k)) return false;
        seen.add(k);
        return true;
      }).sort((a, b) => (a.date < b.date ? -1 : a.date > b.date ? 1 : 0));
      recorded = [];
      let created = 0;
      for (let i = 0; i < todo.length; i += batch) {
        const posted = await sql.begin((tx) => postMany(tx, todo.slice(i, i + batch)));
        created += posted.filter((p) => p.created).length;
      }
      return { created, seconds: (performance.now() - started) / 1000 };
    },
  };
}
