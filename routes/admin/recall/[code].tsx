import type { Context, Handlers, PageProps } from "@/framework/mod.ts";
import { HttpError } from "@/framework/mod.ts";
import type { Campaign, TracedOrder } from "@/services/recall/mod.ts";
import { formatWhen } from "@/services/identity/mod.ts";
import { NotFoundError } from "@/services/platform/mod.ts";
import { requirePermission } from "@/plugins/session.ts";
import type { State } from "@/state.ts";
import { fillParams } from "@/services/i18n/mod.ts";
import { Button, linkClass, PostForm } from "@/components/ui.tsx";
import { TraceOrders } from "@/components/RecallTrace.tsx";

interface Data {
  csrf: string;
  campaign: Campaign;
  orders: TracedOrder[];
  queued: number | null;
}

async function pageData(ctx: Context<State>, queued: number | null): Promise<Data> {
  try {
    const { campaign, orders } = await ctx.state.deps.recall.recall(ctx.params.code);
    ctx.state.title = `${campaign.code} — ${ctx.state.t.recall.report}`;
    return { csrf: await ctx.csrfToken(), campaign, orders, queued };
  } catch (e) {
    if (e instanceof NotFoundError) throw new HttpError(404, ctx.state.t.recall.errors.no_recall);
    throw e;
  }
}

/** One recall: what it covers, the customers (printable report), and the one-click notice. */
export const handler: Handlers<Data, State> = {
  async GET(ctx) {
    requirePermission(ctx, "quality.manage");
    const queued = ctx.url.searchParams.get("queued");
    return { data: await pageData(ctx, queued === null ? null : Number(queued) || 0) };
  },
  async POST(ctx) {
    const user = requirePermission(ctx, "quality.manage");
    try {
      const { queued } = await ctx.state.deps.recall.notifyRecall(ctx.params.code, {
        id: user.id,
        name: user.displayName,
      });
      return ctx.redirect(`/admin/recall/${encodeURIComponent(ctx.params.code)}?queued=${queued}`);
    } catch (e) {
      if (e instanceof NotFoundError) throw new HttpError(404, ctx.state.t.recall.errors.no_recall);
      throw e;
    }
  },
};

export default function RecallReport({ data, state }: PageProps<Data, State>) {
  const m = state.t.recall;
  const c = data.campaign;
  return (
    <article class="max-w-5xl">
      <p class="print:hidden mb-2">
        <a href="/admin/recall" class={linkClass}>← {m.title}</a>
      </p>
      <h1 class="text-2xl font-bold mb-1">{m.report} {c.code}</h1>
      <p class="mb-1">{c.reason}</p>
      <p class="text-sm text-gray-700 mb-4">
        {fillParams(m.opened, { when: formatWhen(state.lang, c.openedAt), who: c.openedBy })} ·{" "}
        {m.from}: {m.kinds[c.start.kind]} {"tag" in c.start
          ? c.start.tag
          : "tankId" in c.start
          ? c.start.tankId
          : "code" in c.start
          ? c.start.code
          : c.start.number}
        {"from" in c.start && <>· {c.start.from} – {c.start.to}</>}
      </p>
      {data.queued !== null && (
        <p class="rounded bg-green-50 border border-green-200 p-2 mb-4" role="status">
          {fillParams(m.queued, { n: data.queued })}
        </p>
      )}
      <div class="flex flex-wrap gap-3 items-center mb-6 print:hidden">
        {c.notifiedAt
          ? (
            <p class="text-sm" data-notified>
              {fillParams(m.notified, {
                when: formatWhen(state.lang, c.notifiedAt),
                who: c.notifiedBy ?? "",
              })}
            </p>
          )
          : data.orders.length > 0 && (
            <PostForm csrf={data.csrf}>
              <Button type="submit" kind="danger">
                {fillParams(m.notify, { n: data.orders.length })}
              </Button>
            </PostForm>
          )}
      </div>
      <h2 class="text-lg font-semibold mb-2">{m.orders} ({data.orders.length})</h2>
      <TraceOrders orders={data.orders} lang={state.lang} m={m} all />
      <p class="text-sm text-gray-600 mt-4">{m.lots}: {c.lotIds.length}</p>
    </article>
  );
}
