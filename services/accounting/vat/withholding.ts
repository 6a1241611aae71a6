/**
 * VAT deducted at source certificates (Mushak 6.6) received from withholding customers (issue 13
 * §6). A withholding entity (a government office, a bank, a large company) pays our invoice less
 * the VAT it deducted and deposited in our name, and gives us its 6.6 certificate. Recording the
 * certificate posts, in the same transaction:
 *
 *   Dr 1420 VAT deducted at source by customers   amount withheld
 *   Cr the customer's receivable (12xx)           amount withheld
 *
 * and the month's return counts it as a decreasing adjustment (Mushak 9.1 note 29).
 */
import { parseInput, ValidationError } from "@/services/platform/errors.ts";
import { isoDate, text, z } from "@/services/platform/schema.ts";
import { type Db, inTx } from "@/services/platform/tx.ts";
import { takaToPoisha } from "../money.ts";
import { postMany } from "../poster.ts";
import type { Actor } from "../types.ts";
import { chartOf, VAT_ACCOUNTS, WITHHOLDING_SOURCE } from "./sources.ts";

/** The heading whose accounts are receivables (a certificate clears one of them). */
export const RECEIVABLES_HEADING = "1200";

const schema = z.object({
  certificateNo: text(60, { min: 1 }),
  certificateDate: isoDate(),
  customerName: text(120, { min: 1 }),
  customerBin: z.string().trim().transform((s) => s.replace(/[\s-]/g, "")).refine(
    (s) => s === "" || /^[0-9]{13}$/.test(s),
    "A BIN has 13 digits (NNNNNNNNN-NNNN)",
  ),
  partnerRef: text(80).optional().default(""),
  invoiceNo: text(60, { min: 1 }),
  invoiceDate: z.union([z.literal(""), isoDate()]).optional().default(""),
  amount: z.string().trim().transform((s, ctx) => {
    const v = takaToPoisha(s);
    if (v === null || v <= 0) {
      ctx.addIssue({ code: "custom", message: "Enter an amount in taka above 0" });
      return z.NEVER;
    }
    return v;
  }),
  receivableAccount: z.string().trim().min(1, "Choose one"),
});

export type WithholdingInput = z.input<typeof schema>;

export interface Withholding {
  id: number;
  certificateNo: string;
  certificateDate: string;
  customerName: string;
  customerBin: string | null;
  partnerRef: string | null;
  invoiceNo: string;
  invoiceDate: string | null;
  amountWithheldMinor: number;
  receivableAccount: string;
  entryId: number;
  createdByName: string;
}

/** Records a certificate and posts it; refuses the same certificate of a customer twice. */
export async function recordWithholding(
  db: Db,
  input: WithholdingInput,
  actor: Actor,
): Promise<{ id: number; entryId: number }> {
  const v = parseInput(schema, input);
  return await inTx(db, async (tx) => {
    const chart = await chartOf(tx);
    const receivable = chart.under(RECEIVABLES_HEADING).find((a) =>
      a.code === v.receivableAccount && a.active
    );
    if (!receivable) {
      throw new ValidationError({ receivableAccount: "Choose a receivables account" });
    }
    const [dup] = await tx`
      select id from acc_vat_withholdings
       where lower(customer_name) = lower(${v.customerName})
         and lower(certificate_no) = lower(${v.certificateNo})`;
    if (dup) {
      throw new ValidationError({ certificateNo: "This certificate is already recorded" });
    }
    const ref = `${
      v.customerBin || v.customerName.toLowerCase().slice(0, 60)
    }:${v.certificateNo.toLowerCase()}`;
    const partnerRef = v.partnerRef || (v.customerBin ? `bin:${v.customerBin}` : undefined);
    const [posted] = await postMany(tx, [{
      source: WITHHOLDING_SOURCE,
      sourceRef: ref.slice(0, 120),
      date: v.certificateDate,
      journal: "GENERAL",
      memo: `VAT deducted at source, Mushak 6.6 ${v.certificateNo} from ${
        v.customerName.slice(0, 100)
      } (invoice ${v.invoiceNo})`.slice(0, 300),
      lines: [
        {
          account: VAT_ACCOUNTS.withheld,
          debitMinor: v.amount,
          memo: `Mushak 6.6 ${v.certificateNo}`.slice(0, 200),
          partnerRef,
        },
        {
          account: receivable.code,
          creditMinor: v.amount,
          memo: `Invoice ${v.invoiceNo}`.slice(0, 200),
          partnerRef,
        },
      ],
      actor,
    }]);
    if (!posted.created) {
      throw new ValidationError({ certificateNo: "This certificate is already recorded" });
    }
    const [row] = await tx<{ id: number }[]>`
      insert into acc_vat_withholdings (certificate_no, certificate_date, customer_name,
        customer_bin, partner_ref, invoice_no, invoice_date, amount_withheld_minor,
        receivable_account, entry_id, created_by, created_by_name)
      values (${v.certificateNo}, ${v.certificateDate}, ${v.customerName}, ${
      v.customerBin || null
    }, ${partnerRef ?? null}, ${v.invoiceNo}, ${v.invoiceDate || null}, ${v.amount},
        ${receivable.code}, ${posted.id}, ${actor.id}, ${actor.name})
      returning id`;
    return { id: row.id, entryId: posted.id };
  });
}

/** Certificates dated in the range, newest first. */
export async function listWithholdings(db: Db, from: string, to: string): Promise<Withholding[]> {
  const rows = await db`
    select id, certificate_no, to_char(certificate_date, 'YYYY-MM-DD') as certificate_date,
           customer_name, customer_bin, partner_ref, invoice_no,
           to_char(invoice_date, 'YYYY-MM-DD') as invoice_date, amount_withheld_minor,
           receivable_account, entry_id, created_by_name
      from acc_vat_withholdings
     where certificate_date between ${from}::date and ${to}::date
     order by certificate_date desc, id desc`;
  return rows.map((r) => ({
    id: r.id,
    certificateNo: r.certificate_no,
    certificateDate: r.certificate_date,
    customerName: r.customer_name,
    customerBin: r.customer_bin,
    partnerRef: r.partner_ref,
    invoiceNo: r.invoice_no,
    invoiceDate: r.invoice_date,
    amountWithheldMinor: Number(r.amount_withheld_minor),
    receivableAccount: r.receivable_account,
    entryId: Number(r.entry_id),
    createdByName: r.created_by_name,
  }));
}

/** The receivables accounts a certificate may clear (for the form). */
export async function receivableAccounts(db: Db) {
  return (await chartOf(db)).under(RECEIVABLES_HEADING).filter((a) => a.active);
}
