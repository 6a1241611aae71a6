import type { Context, Handlers, PageProps } from "@/framework/mod.ts";
import { PostForm } from "@/components/ui.tsx";
import { formValues } from "@/plugins/forms.ts";
import type { State } from "@/state.ts";
import {
  addDays,
  ConflictError,
  dhakaDate,
  fill,
  NotFoundError,
  type OrderLineInput,
  parseCsv,
  ValidationError,
} from "@/services/b2b/mod.ts";
import {
  B2bLayout,
  errorText,
  FieldError,
  fieldErrors,
  msgs,
  PortalField,
  portalMember,
  portalTitle,
} from "./(_lib)/web.tsx";

const ROWS = 20;

interface Data {
  outlets: { id: number; name: string; address: string }[];
  values: Record<string, string>;
  errors: Record<string, string>;
  /** Errors of pasted CSV lines, already in words. */
  csvErrors: string[];
  csrf: string;
}

async function show(
  ctx: Context<State>,
  over: { values?: Record<string, string>; errors?: Record<string, string>; csvErrors?: string[] } =
    {},
  status = 200,
) {
  const { m } = await portalMember(ctx);
  portalTitle(ctx, msgs(ctx.state).quickOrder);
  const outlets = await ctx.state.deps.b2b.outlets(m.account.id);
  const tomorrow = addDays(dhakaDate(ctx.state.deps.clock.now()), 1);
  // Reorder: the rows of a past order of the same account (another account's: not found).
  const from = ctx.url.searchParams.get("from");
  const past = from && !over.values ? await ctx.state.deps.b2b.order(from, m.account.id) : null;
  if (from && !over.values && !past) throw new NotFoundError("b2b order");
  const prefill: Record<string, string> = {};
  past?.lines.slice(0, ROWS).forEach((l, i) => {
    prefill[`lines.${i}.sku`] = l.sku;
    prefill[`lines.${i}.qty`] = String(l.qty);
  });
  return {
    status,
    data: {
      outlets,
      values: over.values ?? {
        deliveryDate: tomorrow,
        outletId: String(past?.outletId ?? outlets[0]?.id ?? ""),
        ...prefill,
      },
      errors: over.errors ?? {},
      csvErrors: over.csvErrors ?? [],
      csrf: await ctx.csrfToken(),
    },
  };
}

export const handler: Handlers<Data, State> = {
  GET: (ctx) => show(ctx),
  async POST(ctx) {
    const { user, m } = await portalMember(ctx);
    const t = msgs(ctx.state);
    const lang = ctx.state.lang;
    const v = formValues(ctx);
    // The grid's rows first, then the pasted lines; each order line remembers where it came from.
    const lines: OrderLineInput[] = [];
    const origin: ({ row: number } | { csv: number })[] = [];
    const errors: Record<string, string> = {};
    for (let i = 0; i < ROWS; i++) {
      const sku = (v[`lines.${i}.sku`] ?? "").trim().toUpperCase();
      const qty = (v[`lines.${i}.qty`] ?? "").trim();
      if (!sku && !qty) continue;
      if (!sku) {
        errors[`lines.${i}.sku`] = "sku";
        continue;
      }
      lines.push({ sku, qty: /^\d{1,6}$/.test(qty) ? Number(qty) : NaN });
      origin.push({ row: i });
    }
    const csv = parseCsv(v.csv ?? "");
    const csvErrors = csv.errors.map((e) =>
      e.code === "csvLine"
        ? fill(t.errors.csvLine, { line: e.line, text: e.text })
        : `${fill(t.errors.csvLine, { line: e.line, text: e.text })} ${errorText(t, e.code, lang)}`
    );
    // The CSV lines' numbers in the pasted text (non-blank, not the header).
    const csvLineNos: number[] = [];
    (v.csv ?? "").replace(/\r\n?/g, "\n").split("\n").forEach((l, i) => {
      const s = l.trim();
      if (!s || (i === 0 && /^sku\s*[,;]\s*(qty|quantity)$/i.test(s))) return;
      if (
        /^([A-Za-z0-9_-]{1,40})\s*[,;\t]\s*(\d{1,6})$/.test(s) && Number(s.split(/[,;\t]/)[1]) > 0
      ) {
        csvLineNos.push(i + 1);
      }
    });
    csv.lines.forEach((l, k) => {
      lines.push(l);
      origin.push({ csv: csvLineNos[k] ?? k + 1 });
    });
    if (Object.keys(errors).length || csvErrors.length) {
      return await show(ctx, { values: v, errors, csvErrors }, 422);
    }
    try {
      const placed = await ctx.state.deps.b2b.placeOrder(user.id, m.account.id, {
        outletId: Number(v.outletId),
        deliveryDate: (v.deliveryDate ?? "").trim(),
        lines,
      });
      return ctx.redirect(`/b2b/orders/${placed.id}`);
    } catch (e) {
      if (e instanceof ValidationError || e instanceof ConflictError) {
        const fields: Record<string, string> = e instanceof ValidationError
          ? e.fieldErrors
          : { lines: e.message };
        const out: Record<string, string> = {};
        const csvOut: string[] = [];
        for (const [k, code] of Object.entries(fields)) {
          const mm = /^lines\.(\d+)\.(\w+)$/.exec(k);
          if (!mm) {
            out[k] = code;
            continue;
          }
          const o = origin[Number(mm[1])];
          if (o && "row" in o) out[`lines.${o.row}.${mm[2]}`] = code;
          else if (o) {
            csvOut.push(
              `${fill(t.errors.csvLine, { line: o.csv, text: lines[Number(mm[1])].sku })} ${
                errorText(t, code, lang)
              }`,
            );
          }
        }
        return await show(ctx, { values: v, errors: out, csvErrors: csvOut }, 422);
      }
      throw e;
    }
  },
};

export default function QuickOrder({ data, state, url }: PageProps<Data, State>) {
  const t = msgs(state);
  const v = data.values;
  const err = fieldErrors(data.errors, state);
  return (
    <B2bLayout state={state} path={url.pathname}>
      <h1 class="text-2xl font-bold mb-2">{t.quickOrder}</h1>
      <p class="mb-4 text-gray-700">{t.quickIntro}</p>
      <PostForm csrf={data.csrf} class="bg-white border rounded p-4 space-y-4" novalidate>
        {err("lines") && <p class="text-red-700" role="alert" data-error="lines">{err("lines")}</p>}
        {data.csvErrors.length > 0 && (
          <ul class="text-red-700 list-disc pl-5" role="alert" data-testid="csv-errors">
            {data.csvErrors.map((e) => <li>{e}</li>)}
          </ul>
        )}
        <div class="grid gap-3 sm:grid-cols-2">
          <PortalField label={t.outlet} error={err("outletId")}>
            <select name="outletId" class="border rounded px-2 py-1">
              {data.outlets.map((o) => (
                <option value={String(o.id)} selected={v.outletId === String(o.id)}>
                  {o.name} — {o.address}
                </option>
              ))}
            </select>
          </PortalField>
          <PortalField label={t.deliveryDate} error={err("deliveryDate")}>
            <input
              type="date"
              name="deliveryDate"
              value={v.deliveryDate ?? ""}
              class="border rounded px-2 py-1"
            />
          </PortalField>
        </div>
        <table class="text-sm">
          <thead>
            <tr>
              <th class="text-left pr-2">{t.sku}</th>
              <th class="text-left">{t.qty}</th>
            </tr>
          </thead>
          <tbody>
            {Array.from({ length: ROWS }, (_, i) => (
              <tr>
                <td class="pr-2 py-1">
                  <input
                    name={`lines.${i}.sku`}
                    value={v[`lines.${i}.sku`] ?? ""}
                    class="border rounded px-2 py-1 font-mono w-40"
                    aria-label={`${t.sku} ${i + 1}`}
                  />
                  <FieldError msg={err(`lines.${i}.sku`)} />
                </td>
                <td class="py-1">
                  <input
                    name={`lines.${i}.qty`}
                    value={v[`lines.${i}.qty`] ?? ""}
                    inputMode="numeric"
                    class="border rounded px-2 py-1 w-24"
                    aria-label={`${t.qty} ${i + 1}`}
                  />
                  <FieldError msg={err(`lines.${i}.qty`)} />
                </td>
              </tr>
            ))}
          </tbody>
        </table>
        <label class="flex flex-col text-sm">
          {t.csv}
          <textarea name="csv" rows={6} class="border rounded px-2 py-1 font-mono">
            {v.csv ?? ""}
          </textarea>
        </label>
        <button type="submit" class="bg-brand-700 text-white rounded px-4 py-2">{t.place}</button>
      </PostForm>
    </B2bLayout>
  );
}
