/**
 * The B2B papers as downloads, for the portal (`accountId`: only that account's) and for staff
 * (null: any): `?note=<order id>` delivery note, `?doc=<number>` Mushak 6.3/6.7,
 * `?month=YYYY-MM` statement. Anything not the account's is a 404, like a wrong number.
 */
import type { Context } from "@/framework/mod.ts";
import { HttpError } from "@/framework/mod.ts";
import type { State } from "@/state.ts";
import { ValidationError } from "@/services/b2b/mod.ts";

export async function pdfDownload(ctx: Context<State>, accountId: number | null) {
  const b2b = ctx.state.deps.b2b;
  const q = ctx.url.searchParams;
  const l = q.get("lang");
  const lang = l === "bn" || l === "en" ? l : ctx.state.lang;
  let pdf: Uint8Array | null = null;
  let name = "document";
  if (q.get("note")) {
    name = `delivery-note-${q.get("note")!.slice(0, 8)}`;
    pdf = await b2b.deliveryNotePdf(q.get("note")!, accountId, lang);
  } else if (q.get("doc")) {
    name = q.get("doc")!.replace(/[^A-Za-z0-9-]/g, "_");
    pdf = await b2b.documentPdf(q.get("doc")!, accountId, lang);
  } else if (q.get("month") && accountId !== null) {
    name = `statement-${q.get("month")}`;
    try {
      pdf = await b2b.statementPdf(accountId, q.get("month")!, lang);
    } catch (e) {
      if (e instanceof ValidationError) pdf = null;
      else throw e;
    }
  }
  if (!pdf) throw new HttpError(404, "No such document");
  return new Response(pdf as BodyInit, {
    headers: {
      "content-type": "application/pdf",
      "content-disposition": `attachment; filename="${name}.pdf"`,
      "cache-control": "private, no-store",
    },
  });
}
