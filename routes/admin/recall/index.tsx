import type { Handlers, PageProps } from "@/framework/mod.ts";
import type { TraceResult } from "@/services/recall/mod.ts";
import { formatWhen } from "@/services/identity/mod.ts";
import { fillParams } from "@/services/i18n/mod.ts";
import { requirePermission } from "@/plugins/session.ts";
import type { State } from "@/state.ts";
import { Button, Field, linkClass, selectClass } from "@/components/ui.tsx";
import { TextField } from "@/routes/admin/quality/(_quality)/ui.tsx";
import { TraceView } from "@/components/RecallTrace.tsx";
import { formValues, recallErrors } from "./(_recall)/recall.ts";

const KINDS = ["cow", "tank", "farmer", "lot", "order"] as const;

interface Data {
  csrf: string;
  values: Record<string, string>;
  errors: Record<string, string>;
  result: TraceResult | null;
  tookMs: number | null;
  recalls: Awaited<ReturnType<State["deps"]["recall"]["recalls"]>>;
}

/** Values of the trace form in the query (a trace is a GET: it can be bookmarked and shared). */
function queryValues(url: URL): Record<string, string> {
  const out: Record<string, string> = {};
  for (const k of ["kind", "value", "from", "to"]) {
    const v = url.searchParams.get(k);
    if (v) out[k] = v.slice(0, 100);
  }
  return out;
}

/**
 * Trace and recall: from a cow, tank, farmer or lot forward to the customers who got the milk, or
 * back from an order to the cows; open a recall from the trace shown.
 */
export const handler: Handlers<Data, State> = {
  async GET(ctx) {
    requirePermission(ctx, "quality.manage");
    const recall = ctx.state.deps.recall;
    const values = queryValues(ctx.url);
    let result: TraceResult | null = null;
    let errors: Record<string, string> = {};
    let tookMs: number | null = null;
    let status = 200;
    if (values.kind) {
      try {
        const started = performance.now();
        result = await recall.trace(recall.parseStart(values));
        tookMs = Math.round(performance.now() - started);
      } catch (e) {
        errors = recallErrors(ctx, e);
        status = 422;
      }
    }
    ctx.state.title = `${ctx.state.t.recall.title} — ${ctx.state.t.site.name}`;
    const data = {
      csrf: await ctx.csrfToken(),
      values,
      errors,
      result,
      tookMs,
      recalls: await recall.recalls(),
    };
    return status === 200 ? { data } : { status, data };
  },

  async POST(ctx) {
    const user = requirePermission(ctx, "quality.manage");
    const recall = ctx.state.deps.recall;
    const values = formValues(ctx);
    try {
      const opened = await recall.openRecall(recall.parseStart(values), values, {
        id: user.id,
        name: user.displayName,
      });
      return ctx.redirect(`/admin/recall/${opened.code}`);
    } catch (e) {
      const errors = recallErrors(ctx, e);
      // Show the trace again beside the message (when the start itself is sound).
      const result = await recall.trace(recall.parseStart(values)).catch(() => null);
      ctx.state.title = `${ctx.state.t.recall.title} — ${ctx.state.t.site.name}`;
      const data = { csrf: await ctx.csrfToken(), values, errors, result, tookMs: null };
      return { status: 422, data: { ...data, recalls: await recall.recalls() } };
    }
  },
};

export default function RecallPage({ data, state }: PageProps<Data, State>) {
  const m = state.t.recall;
  const v = data.values;
  const e = data.errors;
  const dated = v.kind !== "lot" && v.kind !== "order";
  return (
    <>
      <h1 class="text-2xl font-bold mb-1">{m.title}</h1>
      <p class="mb-4 text-gray-700 max-w-3xl">{m.intro}</p>
      <form
        method="get"
        action="/admin/recall"
        class="bg-white border rounded-lg p-4 mb-6 max-w-3xl"
      >
        <div class="grid gap-x-4 sm:grid-cols-2">
          <Field id="kind" label={m.from} error={e.kind}>
            <select id="kind" name="kind" class={selectClass}>
              {KINDS.map((k) => <option value={k} selected={v.kind === k}>{m.kinds[k]}</option>)}
            </select>
          </Field>
          <TextField
            id="value"
            label={m.value}
            value={v.value}
            required
            maxLength={80}
            error={e.value}
          />
          <TextField id="from" label={m.periodFrom} type="date" value={v.from} error={e.from} />
          <TextField id="to" label={m.periodTo} type="date" value={v.to} error={e.to} />
        </div>
        <Button type="submit">{m.trace}</Button>
      </form>

      {data.result && (
        <>
          {data.tookMs !== null && (
            <p class="text-sm text-gray-600 mb-2" data-took-ms={data.tookMs}>
              {fillParams(m.tookMs, { ms: data.tookMs })}
            </p>
          )}
          <TraceView
            result={data.result}
            lang={state.lang}
            m={m}
            lotStatus={state.t.stock.lotStatus}
          />
          {(data.result.lots.length > 0) && (
            <form
              method="post"
              action="/admin/recall"
              class="bg-red-50 border border-red-200 rounded-lg p-4 my-6 max-w-3xl"
            >
              <h2 class="text-lg font-semibold mb-1">{m.openTitle}</h2>
              <p class="text-sm text-gray-700 mb-3">{m.openIntro}</p>
              <input type="hidden" name="_csrf" value={data.csrf} />
              {["kind", "value", ...(dated ? ["from", "to"] : [])].map((k) => (
                <input type="hidden" name={k} value={v[k] ?? ""} />
              ))}
              <TextField
                id="reason"
                label={m.reason}
                required
                minLength={3}
                maxLength={500}
                error={e.reason}
              />
              <Button type="submit" kind="danger">{m.open}</Button>
            </form>
          )}
        </>
      )}

      <h2 class="text-lg font-semibold mt-8 mb-2">{m.recalls}</h2>
      {data.recalls.length === 0
        ? <p class="text-gray-700">{m.noRecalls}</p>
        : (
          <ul class="space-y-2">
            {data.recalls.map((r) => (
              <li class="bg-white border rounded p-3" data-recall={r.code}>
                <a href={`/admin/recall/${r.code}`} class={linkClass}>{r.code}</a> · {r.reason} ·
                {" "}
                {m.orders}: {r.orders} · {formatWhen(state.lang, r.openedAt)}
              </li>
            ))}
          </ul>
        )}
    </>
  );
}
