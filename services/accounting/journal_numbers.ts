/**
 * Journal numbers (issue 13): every posted entry gets a gap-free number per journal and fiscal
 * year, "SALES/2026-27/000123". Posters never wait for a counter: each INSERT statement on
 * acc_entries queues its entries (acc_entry_batches, migrations/0550) and `numberEntries` — one
 * runner at a time, the others return 0 at once — numbers the committed ones in entry id order
 * from a counter row per journal and year. Only committed entries get numbers and entries are
 * never deleted, so a journal's numbers in a year have no gaps. The pages showing entries run it
 * first (a few milliseconds when nothing waits), so an entry is numbered when first seen.
 */
import type { Db } from "@/services/platform/tx.ts";

/** Numbers the entries committed since the last run; returns how many. */
export async function numberEntries(db: Db): Promise<number> {
  const [r] = await db<{ n: number }[]>`select acc_number_entries() as n`;
  return r.n;
}

/** "SALES/2026-27/000123". */
export function formatEntryNumber(journal: string, fiscalYear: string, seq: number): string {
  return `${journal}/${fiscalYear}/${String(seq).padStart(6, "0")}`;
}
