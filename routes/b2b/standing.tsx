import type { Context, Handlers, PageProps } from "@/framework/mod.ts";
import { formLines, formValues } from "@/plugins/forms.ts";
import type { State } from "@/state.ts";
import { type StandingOrder, ValidationError } from "@/services/b2b/mod.ts";
import { ListTable, PostForm } from "@/components/ui.tsx";
import {
  B2bLayout,
  blankPortalForm,
  FieldError,
  fieldErrors,
  formInput,
  memberPage,
  more,
  msgs,
  PortalField,
  type PortalForm,
  portalMember,
} from "./(_lib)/web.tsx";

/** Standing orders per outlet and weekday: the account's users list and set them. */

const ROWS = 10;

interface Data {
  standing: StandingOrder[];
  outlets: { id: number; name: string }[];
  values: Record<string, string>;
  errors: Record<string, string>;
  csrf: string;
}

function show(ctx: Context<State>, form: PortalForm = blankPortalForm(), status = 200) {
  const b2b = ctx.state.deps.b2b;
  return memberPage(ctx, more(ctx.state.lang).standingTitle, status, async (m) => ({
    standing: await b2b.standingOrders(m.account.id),
    outlets: await b2b.outlets(m.account.id),
    ...form,
  }));
}

export const handler: Handlers<Data, State> = {
  GET: (ctx) => show(ctx),
  async POST(ctx) {
    const { user, m } = await portalMember(ctx);
    const b2b = ctx.state.deps.b2b;
    const v = formValues(ctx);
    const rows = formLines(v, ["sku", "qty"], { keepGaps: true });
    const lines: { sku: string; qty: number }[] = [];
    const errors: Record<string, string> = {};
    rows.forEach((r, i) => {
      const sku = r.sku.trim().toUpperCase();
      if (!sku && !r.qty.trim()) return;
      if (!/^\d{1,6}$/.test(r.qty.trim())) errors[`lines.${i}.qty`] = "qty";
      lines.push({ sku, qty: Number(r.qty.trim()) || 0 });
    });
    try {
      if (Object.keys(errors).length) throw new ValidationError(errors);
      await b2b.saveStanding(user.id, m.account.id, {
        outletId: Number(v.outletId),
        weekday: Number(v.weekday),
        lines,
      });
    } catch (e) {
      if (e instanceof ValidationError) {
        return await show(ctx, { values: v, errors: e.fieldErrors }, 422);
      }
      throw e;
    }
    return ctx.redirect("/b2b/standing");
  },
};

export default function B2bStanding({ data, state, url }: PageProps<Data, State>) {
  const m = more(state.lang);
  const t = msgs(state);
  const err = fieldErrors(data.errors, state);
  const text = formInput(data, state);
  const outletName = (id: number) => data.outlets.find((o) => o.id === id)?.name ?? "—";
  const input = "border rounded px-2 py-1";
  return (
    <B2bLayout state={state} path={url.pathname}>
      <h1 class="text-2xl font-bold mb-2">{m.standingTitle}</h1>
      <p class="mb-4 text-gray-700">{m.standingIntro}</p>
      <ListTable heads={[t.outlet, m.weekday, m.lines]} empty={m.noStanding} class="mb-6">
        {data.standing.map((s) => (
          <tr class="border-t" data-standing={s.id}>
            <td class="px-3 py-2">{outletName(s.outletId)}</td>
            <td class="px-3 py-2">{m.weekdays[s.weekday - 1]}</td>
            <td class="px-3 py-2">{s.lines.map((l) => `${l.sku} × ${l.qty}`).join(", ")}</td>
          </tr>
        ))}
      </ListTable>
      <PostForm csrf={data.csrf} class="bg-white border rounded p-4 grid gap-3">
        <div class="flex flex-wrap gap-3">
          <PortalField label={t.outlet} error={err("outletId")}>
            <select name="outletId" class={input}>
              {data.outlets.map((o) => (
                <option value={o.id} selected={data.values.outletId === String(o.id)}>
                  {o.name}
                </option>
              ))}
            </select>
          </PortalField>
          <PortalField label={m.weekday} error={err("weekday")}>
            <select name="weekday" class={input}>
              {m.weekdays.map((w, i) => (
                <option value={i + 1} selected={data.values.weekday === String(i + 1)}>{w}</option>
              ))}
            </select>
          </PortalField>
        </div>
        <FieldError msg={err("lines")} />
        {Array.from({ length: ROWS }, (_, i) => (
          <div class="flex gap-3">
            {text(`lines.${i}.sku`, t.sku)}
            <PortalField label={t.qty} error={err(`lines.${i}.qty`)}>
              <input
                name={`lines.${i}.qty`}
                inputMode="numeric"
                value={data.values[`lines.${i}.qty`] ?? ""}
                class={input}
              />
            </PortalField>
          </div>
        ))}
        <div>
          <button type="submit" class="bg-brand-700 text-white rounded px-4 py-2">{m.save}</button>
        </div>
      </PostForm>
    </B2bLayout>
  );
}
