/**
 * Couriers' COD remittances: record a courier's payment report (pasted lines), see each line
 * matched against our delivered COD parcels with the differences, and the delivered parcels no
 * remittance covers yet.
 */
import type { Handlers, PageProps } from "@/framework/mod.ts";
import type { State } from "@/state.ts";
import { requirePermission } from "@/plugins/session.ts";
import {
  courierName,
  deliveryMessages,
  dhakaDate,
  type Remittance,
  REMITTING_COURIERS,
} from "@/services/delivery/mod.ts";
import { formatTaka } from "@/services/i18n/mod.ts";
import { buttonClass, inputClass, ListTable, PostForm, selectClass } from "@/components/ui.tsx";

interface Data {
  list: Remittance[];
  outstanding: { courier: string; consignmentId: string; orderNumber: string; codMinor: number }[];
  today: string;
  csrf: string;
  error: string | null;
  form: Record<string, string>;
  done: boolean;
}

type Ctx = Parameters<NonNullable<Handlers<Data, State>["GET"]>>[0];

async function render(ctx: Ctx, error: string | null, form: Record<string, string>, status = 200) {
  const { delivery, shop } = ctx.state.deps;
  ctx.state.title = deliveryMessages(ctx.state.lang).remittances.title;
  return {
    status,
    data: {
      list: await delivery.remittances.list(),
      outstanding: await delivery.remittances.outstanding(),
      today: dhakaDate(shop.now()),
      csrf: await ctx.csrfToken(),
      error,
      form,
      done: ctx.url.searchParams.has("done"),
    },
  };
}

export const handler: Handlers<Data, State> = {
  async GET(ctx) {
    requirePermission(ctx, "accounting.manage");
    return await render(ctx, null, {});
  },
  async POST(ctx) {
    const user = requirePermission(ctx, "accounting.manage");
    const f = ctx.form!;
    const form = {
      courier: String(f.get("courier") ?? ""),
      reference: String(f.get("reference") ?? ""),
      paidOn: String(f.get("paidOn") ?? ""),
      report: String(f.get("report") ?? "").slice(0, 200_000),
    };
    try {
      await ctx.state.deps.delivery.remittances.record(form, user.id);
    } catch (e) {
      const status = (e as { status?: number }).status;
      if (!status || status >= 500) throw e;
      const fields = (e as { fieldErrors?: Record<string, string> }).fieldErrors;
      const message = fields ? Object.values(fields).join("; ") : (e as Error).message;
      return await render(ctx, message, form, status);
    }
    return ctx.redirect("/admin/delivery/remittances?done=1");
  },
};

export default function Remittances({ data, state }: PageProps<Data, State>) {
  const m = deliveryMessages(state.lang).remittances;
  const taka = (v: number | null) => v === null ? "—" : formatTaka(v, state.lang);
  return (
    <>
      <h1 class="text-2xl font-bold mb-2">{m.title}</h1>
      <p class="mb-3 text-gray-700">{m.intro}</p>
      {data.done && <p class="text-green-800 mb-3" role="status">{m.recorded}</p>}
      {data.error && <p class="text-red-700 mb-3" role="alert" data-error>{data.error}</p>}
      <PostForm csrf={data.csrf} class="flex flex-col gap-2 mb-6 max-w-xl">
        <label class="flex flex-col">
          {m.courier}
          <select name="courier" class={selectClass}>
            {REMITTING_COURIERS.map((c) => (
              <option value={c} selected={data.form.courier === c}>{courierName(c)}</option>
            ))}
          </select>
        </label>
        <label class="flex flex-col">
          {m.reference}
          <input name="reference" required class={inputClass()} value={data.form.reference ?? ""} />
        </label>
        <label class="flex flex-col">
          {m.paidOn}
          <input
            name="paidOn"
            type="date"
            required
            class={inputClass()}
            value={data.form.paidOn ?? data.today}
          />
        </label>
        <label class="flex flex-col">
          {m.report}
          <textarea name="report" rows={6} required class={inputClass()}>
            {data.form.report ?? ""}
          </textarea>
        </label>
        <button class={buttonClass()} type="submit">{m.record}</button>
      </PostForm>

      <h2 class="text-xl font-semibold mb-2">{m.outstanding}</h2>
      <ListTable
        heads={[m.courier, m.consignment, m.order, m.expected]}
        empty={m.noOutstanding}
        class="mb-6"
      >
        {data.outstanding.map((p) => (
          <tr class="border-t" data-outstanding={p.consignmentId}>
            <td class="px-3 py-2">{courierName(p.courier)}</td>
            <td class="px-3 py-2">{p.consignmentId}</td>
            <td class="px-3 py-2">{p.orderNumber}</td>
            <td class="px-3 py-2">{taka(p.codMinor)}</td>
          </tr>
        ))}
      </ListTable>

      {data.list.length === 0 && <p class="text-gray-600">{m.none}</p>}
      {data.list.map((r) => (
        <section class="mb-6" data-remittance={r.reference}>
          <h2 class="text-lg font-semibold mb-1">
            {courierName(r.courier)} · {r.reference} · {r.paidOn} · {m.net} {taka(r.netMinor)}
          </h2>
          <ListTable
            heads={[m.consignment, m.order, m.collected, m.charge, m.expected, m.outcome]}
            empty=""
          >
            {r.lines.map((l) => (
              <tr
                class={`border-t ${l.outcome === "matched" ? "" : "text-red-700"}`}
                data-line={l.consignmentId}
                data-outcome={l.outcome}
              >
                <td class="px-3 py-2">{l.consignmentId}</td>
                <td class="px-3 py-2">{l.orderNumber ?? "—"}</td>
                <td class="px-3 py-2">{taka(l.codMinor)}</td>
                <td class="px-3 py-2">{taka(l.chargeMinor)}</td>
                <td class="px-3 py-2">{taka(l.expectedMinor)}</td>
                <td class="px-3 py-2">
                  {m.outcomes[l.outcome]}
                  {l.outcome === "differs" && l.expectedMinor !== null &&
                    ` (${l.codMinor < l.expectedMinor ? "−" : "+"}${
                      taka(Math.abs(l.codMinor - l.expectedMinor))
                    })`}
                </td>
              </tr>
            ))}
          </ListTable>
        </section>
      ))}
    </>
  );
}
