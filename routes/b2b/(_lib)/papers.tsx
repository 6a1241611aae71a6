/** An order's papers (delivery note, invoice, credit notes) and proof of delivery. */
import type { Context } from "@/framework/mod.ts";
import type { State } from "@/state.ts";
import { b2bMoneyMessages, dhakaDate, dhakaTime, type OrderDetail } from "@/services/b2b/mod.ts";
import { linkClass } from "@/components/ui.tsx";

export interface Papers {
  proof: Awaited<ReturnType<State["deps"]["b2b"]["proof"]>>;
  returns: Awaited<ReturnType<State["deps"]["b2b"]["returnsOf"]>>;
}

export async function papersOf(ctx: Context<State>, orderId: string): Promise<Papers> {
  const b2b = ctx.state.deps.b2b;
  return { proof: await b2b.proof(orderId), returns: await b2b.returnsOf(orderId) };
}

export function OrderPapers(
  props: { lang: "en" | "bn"; order: OrderDetail; papers: Papers; base: string },
) {
  const t = b2bMoneyMessages[props.lang];
  const o = props.order;
  if (o.status !== "delivered") return null;
  const doc = (n: string) => `${props.base}?doc=${encodeURIComponent(n)}`;
  const p = props.papers.proof;
  return (
    <section class="border rounded p-3 mb-4" data-testid="papers">
      <h2 class="font-semibold mb-1">{t.documents}</h2>
      <ul class="flex flex-wrap gap-4 mb-2">
        <li>
          <a class={linkClass} href={`${props.base}?note=${o.id}`} data-testid="delivery-note">
            {t.deliveryNote} (PDF)
          </a>
        </li>
        {o.invoiceNumber && (
          <li>
            <a class={linkClass} href={doc(o.invoiceNumber)} data-testid="tax-invoice">
              {t.taxInvoice} {o.invoiceNumber} (PDF)
            </a>
          </li>
        )}
        {props.papers.returns.map((r) => (
          <li>
            <a class={linkClass} href={doc(r.creditNoteNumber)}>
              {t.creditNote} {r.creditNoteNumber} — {t.kinds[r.kind]}
            </a>
          </li>
        ))}
      </ul>
      <p class="text-sm" data-testid="proof">
        {t.proof}: {p
          ? `${t.receivedBy} ${p.receivedBy}, ${dhakaDate(p.recordedAt)} ${
            dhakaTime(p.recordedAt)
          } (${t.recordedBy}: ${p.recordedByName})`
          : t.noProof}
      </p>
    </section>
  );
}
