import type { Context, Handlers, PageProps } from "@/framework/mod.ts";
import { formValues } from "@/plugins/forms.ts";
import type { State } from "@/state.ts";
import type { OutletDetail } from "@/services/b2b/mod.ts";
import {
  B2bLayout,
  fieldErrors,
  formInput,
  memberPage,
  more,
  msgs,
  PortalField,
  portalMember,
  refusedForm,
} from "./(_lib)/web.tsx";
import { fieldsOf } from "@/routes/(_lib)/form.ts";
import { PostForm } from "@/components/ui.tsx";

/** The account's outlets: delivery address, area, slot and receiving hours (its admin edits). */

type Options = Awaited<ReturnType<State["deps"]["b2b"]["deliveryOptions"]>>;

interface Data {
  outlets: OutletDetail[];
  options: Options;
  isAdmin: boolean;
  /** The form that came back with errors ("new" or an outlet id), its values and errors. */
  failed: { key: string; values: Record<string, string>; errors: Record<string, string> } | null;
  csrf: string;
}

function show(ctx: Context<State>, failed: Data["failed"] = null, status = 200) {
  const b2b = ctx.state.deps.b2b;
  return memberPage(ctx, more(ctx.state.lang).outletsTitle, status, async (m) => ({
    outlets: await b2b.outletDetails(m.account.id),
    options: await b2b.deliveryOptions(),
    isAdmin: m.role === "admin",
    failed,
  }));
}

export const handler: Handlers<Data, State> = {
  GET: (ctx) => show(ctx),
  async POST(ctx) {
    const { user, m } = await portalMember(ctx);
    const b2b = ctx.state.deps.b2b;
    const v = formValues(ctx);
    const id = v.id ? Number(v.id) : null;
    try {
      await b2b.saveOutlet(user.id, m.account.id, {
        id,
        ...fieldsOf(v, ["name", "address", "zoneCode", "slotCode", "receivingFrom", "receivingTo"]),
      });
    } catch (e) {
      const { form, status } = refusedForm(e, v, { field: "name", status: 403 });
      return await show(ctx, { key: v.id || "new", ...form }, status);
    }
    return ctx.redirect("/b2b/outlets");
  },
};

function OutletForm(
  props: { data: Data; state: State; outlet: OutletDetail | null },
) {
  const { data, state, outlet } = props;
  const m = more(state.lang);
  const t = msgs(state);
  const bn = state.lang === "bn";
  const key = outlet ? String(outlet.id) : "new";
  // The refused post of this form again, else the outlet as it is saved.
  const form = data.failed?.key === key ? data.failed : {
    values: {
      name: outlet?.name ?? "",
      address: outlet?.address ?? "",
      zoneCode: outlet?.zoneCode ?? "",
      slotCode: outlet?.slotCode ?? "",
      receivingFrom: outlet?.receivingFrom ?? "",
      receivingTo: outlet?.receivingTo ?? "",
    },
    errors: {},
  };
  const err = fieldErrors(form.errors, state);
  const text = formInput(form, state);
  const input = "border rounded px-2 py-1";
  return (
    <PostForm
      csrf={data.csrf}
      class="bg-white border rounded p-4 mb-4 grid gap-3 sm:grid-cols-2"
      data-outlet={key}
    >
      {outlet && <input type="hidden" name="id" value={outlet.id} />}
      {text("name", t.outletName)}
      {text("address", t.address)}
      <PortalField label={m.zone} error={err("zoneCode")}>
        <select name="zoneCode" class={input}>
          <option value="">{m.none}</option>
          {data.options.zones.map((z) => (
            <option value={z.code} selected={form.values.zoneCode === z.code}>
              {bn ? z.nameBn : z.nameEn}
            </option>
          ))}
        </select>
      </PortalField>
      <PortalField label={m.slot} error={err("slotCode")}>
        <select name="slotCode" class={input}>
          <option value="">{m.none}</option>
          {data.options.slots.map((s) => (
            <option value={s.code} selected={form.values.slotCode === s.code}>
              {bn ? s.nameBn : s.nameEn} ({s.startsAt.slice(0, 5)}–{s.endsAt.slice(0, 5)})
            </option>
          ))}
        </select>
      </PortalField>
      {text("receivingFrom", `${m.receiving} — ${m.from}`, "time")}
      {text("receivingTo", `${m.receiving} — ${m.to}`, "time")}
      <div>
        <button type="submit" class="bg-brand-700 text-white rounded px-4 py-2">
          {outlet ? m.save : m.newOutlet}
        </button>
      </div>
    </PostForm>
  );
}

export default function B2bOutlets({ data, state, url }: PageProps<Data, State>) {
  const m = more(state.lang);
  const bn = state.lang === "bn";
  const zoneName = (c: string | null) => {
    const z = data.options.zones.find((z) => z.code === c);
    return z ? (bn ? z.nameBn : z.nameEn) : m.none;
  };
  const slotName = (c: string | null) => {
    const s = data.options.slots.find((s) => s.code === c);
    return s ? (bn ? s.nameBn : s.nameEn) : m.none;
  };
  return (
    <B2bLayout state={state} path={url.pathname}>
      <h1 class="text-2xl font-bold mb-2">{m.outletsTitle}</h1>
      <p class="mb-4 text-gray-700">{m.outletsIntro}</p>
      {data.isAdmin
        ? (
          <>
            {data.outlets.map((o) => <OutletForm data={data} state={state} outlet={o} />)}
            <h2 class="text-xl font-semibold mb-2">{m.newOutlet}</h2>
            <OutletForm data={data} state={state} outlet={null} />
          </>
        )
        : (
          <ul class="grid gap-2">
            {data.outlets.map((o) => (
              <li class="bg-white border rounded p-3" data-outlet={o.id}>
                <strong>{o.name}</strong> — {o.address}
                <br />
                {m.zone}: {zoneName(o.zoneCode)} · {m.slot}: {slotName(o.slotCode)} · {m.receiving}:
                {" "}
                {o.receivingFrom && o.receivingTo ? `${o.receivingFrom}–${o.receivingTo}` : m.none}
              </li>
            ))}
          </ul>
        )}
    </B2bLayout>
  );
}
