/**
 * The papers of a B2B delivery (issue 14 §5): the delivery note with the lots each line was
 * picked from, proof of delivery (who received it, recorded by staff or the rider at delivery),
 * the Mushak 6.3 invoice and 6.7 credit notes and the monthly statement — each only for the
 * account the document belongs to (another account's id, number or month gives nothing).
 */
import type { Sql } from "@/services/platform/db.ts";
import { inTx } from "@/services/platform/tx.ts";
import { addDays, dhakaDate, dhakaTime, isDate } from "@/services/platform/dhaka.ts";
import { NotFoundError, ValidationError } from "@/services/platform/errors.ts";
import { formatTaka } from "@/services/i18n/mod.ts";
import { tablePdf } from "@/services/accounting/mod.ts";
import type { MoneyDeps } from "./money.ts";
import { type Actor, type B2bDeps, getOrder, markDelivered } from "./service.ts";
import { b2bMoneyMessages } from "./money_messages.ts";
import { partyOf } from "./payments.ts";

export interface Proof {
  receivedBy: string;
  note: string | null;
  recordedByName: string;
  recordedAt: Date;
}

export async function proofOf(sql: Sql, orderId: string): Promise<Proof | null> {
  if (!/^[0-9a-f-]{36}$/i.test(orderId)) return null;
  const [r] = await sql`select * from b2b_proofs where order_id = ${orderId}`;
  return r
    ? {
      receivedBy: r.received_by,
      note: r.note,
      recordedByName: r.recorded_by_name,
      recordedAt: new Date(r.recorded_at),
    }
    : null;
}

/**
 * Staff or the rider deliver a confirmed order: the lots are sold, the invoice on account is
 * issued and who received it is kept as the proof of delivery — one transaction.
 */
export async function deliver(
  deps: B2bDeps,
  id: string,
  proof: { receivedBy: string; note?: string },
  actor: Actor,
  now: Date,
): Promise<string> {
  const receivedBy = (proof.receivedBy ?? "").trim();
  const note = (proof.note ?? "").trim();
  const bad: Record<string, string> = {};
  if (receivedBy.length < 2 || receivedBy.length > 120) bad.receivedBy = "receivedBy";
  if (note.length > 500) bad.note = "reason";
  if (Object.keys(bad).length) throw new ValidationError(bad);
  return await inTx(deps.sql, async (tx) => {
    // markDelivered runs in this transaction (inTx reuses it).
    const invoice = await markDelivered({ ...deps, sql: tx as unknown as Sql }, id, actor, now);
    await tx`insert into b2b_proofs (order_id, received_by, note, recorded_by, recorded_by_name,
        recorded_at)
      values (${id}, ${receivedBy}, ${note || null}, ${actor.id}, ${actor.name}, ${now})`;
    return invoice;
  });
}

/** The delivery note's lines: each order line with the lots it was picked from. */
export async function deliveryLines(m: MoneyDeps, sql: Sql, orderId: string) {
  const picks = await m.stock.picksOf(sql, [{ kind: "b2b", id: orderId }]);
  return (lineNo: number) =>
    picks.filter((p) => p.lineIndex === lineNo - 1).map((p) => ({
      lotCode: p.lotCode,
      expiresOn: p.expiresOn,
      qty: p.qty,
    }));
}

/** The delivery note as PDF, or null when the order is not the account's (or not delivered). */
export async function deliveryNotePdf(
  m: MoneyDeps,
  sql: Sql,
  orderId: string,
  accountId: number | null,
  lang: "en" | "bn",
  now: Date,
): Promise<Uint8Array | null> {
  const o = await getOrder(sql, orderId, accountId);
  if (!o || (o.status !== "delivered" && o.status !== "confirmed")) return null;
  const t = b2bMoneyMessages[lang];
  const lots = await deliveryLines(m, sql, orderId);
  const proof = await proofOf(sql, orderId);
  const rows: string[][] = [];
  for (const l of o.lines) {
    const ls = lots(l.lineNo);
    const name = lang === "bn" ? l.nameBn : l.nameEn;
    if (ls.length === 0) rows.push([String(l.lineNo), name, l.sku, "—", "", String(l.qty)]);
    ls.forEach((p, i) =>
      rows.push([
        i === 0 ? String(l.lineNo) : "",
        i === 0 ? name : "",
        i === 0 ? l.sku : "",
        p.lotCode,
        p.expiresOn ?? "",
        String(p.qty),
      ])
    );
  }
  return await tablePdf({
    lang,
    seller: lang === "bn" ? "স্মার্ট ডেইরি লিমিটেড" : "Smart Dairy Ltd.",
    title: `${t.deliveryNoteTitle} ${o.number}`,
    heading: [
      o.company,
      `${t.outlet}: ${o.outletName}, ${o.outletAddress}`,
      `${t.deliveryDate}: ${o.deliveryDate}`,
      ...(o.invoiceNumber ? [`${t.invoice}: ${o.invoiceNumber}`] : []),
    ],
    columns: [
      { label: t.line, share: 0.5 },
      { label: t.product, share: 4 },
      { label: t.sku, share: 1.6 },
      { label: t.lot, share: 2.4 },
      { label: t.expires, share: 1.4 },
      { label: t.qty, share: 1, right: true },
    ],
    rows,
    footer: [
      `*${t.total}: ${formatTaka(o.totalMinor, lang)}`,
      proof
        ? `${t.receivedBy}: ${proof.receivedBy} — ${dhakaDate(proof.recordedAt)} ${
          dhakaTime(proof.recordedAt)
        } (${t.recordedBy}: ${proof.recordedByName})`
        : `${t.receivedBy}: ____________________`,
      "",
      `${t.signature}: ____________________`,
    ],
  }, { createdAt: now });
}

/** An invoice or credit note of the account as PDF (null: not the account's document). */
export async function documentPdf(
  m: MoneyDeps,
  number: string,
  accountId: number | null,
  lang: "en" | "bn",
): Promise<Uint8Array | null> {
  if (!/^[A-Za-z0-9/_-]{1,60}$/.test(number)) return null;
  const d = await m.books.getDocument(number);
  if (!d || !d.partyRef.startsWith("b2b:")) return null;
  if (accountId !== null && d.partyRef !== partyOf(accountId)) return null;
  return await m.books.documentPdf(d, lang);
}

/** The account's statement of one month ("2026-11") as PDF. */
export async function statementPdf(
  m: MoneyDeps,
  accountId: number,
  month: string,
  lang: "en" | "bn",
  now: Date,
): Promise<Uint8Array> {
  if (!/^\d{4}-(0[1-9]|1[0-2])$/.test(month) || !isDate(`${month}-01`)) {
    throw new ValidationError({ month: "month" });
  }
  const from = `${month}-01`;
  const next = addDays(`${month}-28`, 4).slice(0, 7);
  let to = addDays(`${next}-01`, -1);
  const today = dhakaDate(now);
  if (from > today) throw new ValidationError({ month: "month" });
  if (to > today) to = today;
  try {
    return await m.books.statementPdf({
      side: "receivable",
      party: partyOf(accountId),
      from,
      to,
      lang,
    });
  } catch (e) {
    // An account with nothing on its books yet has no party: an empty month, not an error.
    if (e instanceof NotFoundError) throw new ValidationError({ month: "empty" });
    throw e;
  }
}
