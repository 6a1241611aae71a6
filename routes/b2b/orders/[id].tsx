import type { Context, Handlers, PageProps } from "@/framework/mod.ts";
import { assertSignedIn } from "@/plugins/session.ts";
import type { State } from "@/state.ts";
import { formatTaka } from "@/services/i18n/mod.ts";
import {
  ConflictError,
  type MemberRole,
  NotFoundError,
  type OrderDetail,
} from "@/services/b2b/mod.ts";
import { ListTable, PostForm, StatusPill } from "@/components/ui.tsx";
import { B2bLayout, errorText, msgs, portalTitle, STATUS_COLORS } from "../(_lib)/web.tsx";
import { OrderPapers, type Papers, papersOf } from "../(_lib)/papers.tsx";

interface Data {
  /** Documents and money (§5): proof of delivery, returns with their credit notes. */
  papers: Papers;
  order: OrderDetail;
  role: MemberRole;
  csrf: string;
  error: string | null;
}

/** The order, only when it is of the signed-in user's account (else 404). */
async function load(ctx: Context<State>) {
  const user = assertSignedIn(ctx);
  const b2b = ctx.state.deps.b2b;
  const m = await b2b.membershipOf(user.id);
  const order = m ? await b2b.order(ctx.params.id, m.account.id) : null;
  if (!m || !order) throw new NotFoundError("b2b order");
  return { user, m, order };
}

async function show(ctx: Context<State>, error: string | null = null, status = 200) {
  const { m, order } = await load(ctx);
  portalTitle(ctx, order.number);
  const papers = await papersOf(ctx, order.id);
  return { status, data: { papers, order, role: m.role, csrf: await ctx.csrfToken(), error } };
}

export const handler: Handlers<Data, State> = {
  GET: (ctx) => show(ctx),
  async POST(ctx) {
    const { user, m, order } = await load(ctx);
    try {
      await ctx.state.deps.b2b.approveOrder(user.id, m.account.id, order.id);
    } catch (e) {
      if (e instanceof ConflictError) {
        return await show(ctx, errorText(msgs(ctx.state), e.message, ctx.state.lang), 409);
      }
      throw e;
    }
    return ctx.redirect(`/b2b/orders/${order.id}`);
  },
};

export default function B2bOrder({ data, state, url }: PageProps<Data, State>) {
  const t = msgs(state);
  const lang = state.lang;
  const o = data.order;
  return (
    <B2bLayout state={state} path={url.pathname}>
      <p class="mb-2 text-sm">
        <a href="/b2b" class="text-brand-700 underline">{t.back}</a>
      </p>
      <h1 class="text-2xl font-bold mb-2">
        {t.number} {o.number}{" "}
        <StatusPill status={o.status} label={t.orderStatuses[o.status]} colors={STATUS_COLORS} />
      </h1>
      <p class="text-sm text-gray-700 mb-4">
        {t.outlet}: {o.outletName}, {o.outletAddress} · {t.date}: {o.deliveryDate}
        {o.invoiceNumber && (
          <>
            {" · "}
            <span data-testid="invoice">{t.invoice}: {o.invoiceNumber}</span>
          </>
        )}
      </p>
      {data.error && <p class="text-red-700 mb-2" role="alert">{data.error}</p>}
      <p class="mb-4">
        <a href={`/b2b/order?from=${o.id}`} class="text-brand-700 underline">{t.reorder}</a>
      </p>
      <OrderPapers lang={lang} order={o} papers={data.papers} base="/b2b/docs" />
      {o.status === "credit_hold" && <p class="bg-red-50 border p-3 mb-4">{t.holdNote}</p>}
      {o.status === "pending_approval" && data.role !== "buyer" && (
        <PostForm csrf={data.csrf} class="mb-4">
          <button type="submit" class="bg-brand-700 text-white rounded px-4 py-2">
            {t.approve}
          </button>
        </PostForm>
      )}
      <ListTable heads={[t.sku, t.product, t.qty, t.unitPrice, t.lineTotal]} empty="—">
        {o.lines.map((l) => (
          <tr class="border-t" data-line={l.sku}>
            <td class="px-3 py-2 font-mono">{l.sku}</td>
            <td class="px-3 py-2">
              {lang === "bn" ? l.nameBn : l.nameEn}
              {l.contract && <span class="ml-1 text-xs text-green-800">({t.contract})</span>}
            </td>
            <td class="px-3 py-2">{l.qty}</td>
            <td class="px-3 py-2" data-unit>{formatTaka(l.unitPriceMinor, lang)}</td>
            <td class="px-3 py-2">{formatTaka(l.unitPriceMinor * l.qty, lang)}</td>
          </tr>
        ))}
      </ListTable>
      <p class="mt-4 text-right">
        {t.subtotal}: {formatTaka(o.subtotalMinor, lang)} · {t.vat}: {formatTaka(o.vatMinor, lang)}
        {" · "}
        <strong data-testid="total">{t.total}: {formatTaka(o.totalMinor, lang)}</strong>
      </p>
    </B2bLayout>
  );
}
