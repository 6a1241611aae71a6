import type { PageProps } from "@/framework/mod.ts";
import { HttpError } from "@/framework/mod.ts";
import type { Context } from "@/framework/mod.ts";
import { requirePermission } from "@/plugins/session.ts";
import { type DutyContact, SEVERITIES } from "@/services/iot/mod.ts";
import { Notice, PageTitle, SelectField, SeverityBadge, TextField } from "@/components/IotUi.tsx";
import { buttonClass, linkClass, ListTable, PostForm } from "@/components/ui.tsx";
import type { State } from "@/state.ts";
import { type Errors, formValues, iotPage, serviceErrors } from "@/routes/admin/iot/(_iot)/iot.ts";

interface Data {
  csrf: string;
  contacts: DutyContact[];
  /** The contact being edited (?edit=id), else null for the "add" form. */
  editing: string | null;
  values: Record<string, string>;
  errors: Errors;
  notice?: "saved";
}

const blank = { channel: "sms", minSeverity: "warning", active: "on" };

function toForm(c: DutyContact): Record<string, string> {
  return {
    name: c.name,
    channel: c.channel,
    address: c.address,
    minSeverity: c.minSeverity,
    onDutyFrom: c.onDutyFrom ?? "",
    onDutyTo: c.onDutyTo ?? "",
    active: c.active ? "on" : "",
  };
}

async function pageData(ctx: Context<State>, extra: Partial<Data> = {}): Promise<Data> {
  const contacts = await ctx.state.deps.iot.listDutyContacts();
  const q = ctx.url.searchParams;
  const editing = contacts.find((c) => c.id === q.get("edit")) ?? null;
  ctx.state.title = `${ctx.state.t.iot.duty.title} — ${ctx.state.t.site.name}`;
  return {
    csrf: await ctx.csrfToken(),
    contacts,
    editing: editing?.id ?? null,
    values: editing ? toForm(editing) : blank,
    errors: {},
    notice: q.has("saved") ? "saved" : undefined,
    ...extra,
  };
}

/**
 * Who gets alarm messages: name, channel and address, severity and farm-time hours. Phone
 * numbers of duty phones are shown here, so the page needs iot.manage.
 */
export const handler = iotPage<Data>("iot.manage", pageData, async (ctx) => {
  requirePermission(ctx, "iot.manage");
  const v = formValues(ctx);
  const input = {
    name: v.name ?? "",
    channel: (v.channel ?? "") as DutyContact["channel"],
    address: (v.address ?? "").replace(/[\s-]/g, ""),
    minSeverity: (v.minSeverity ?? "") as DutyContact["minSeverity"],
    onDutyFrom: v.onDutyFrom ?? "",
    onDutyTo: v.onDutyTo ?? "",
    active: v.active === "on",
  };
  const iot = ctx.state.deps.iot;
  try {
    if (v.id) await iot.updateDutyContact(v.id, input);
    else if (v.action === "create") await iot.createDutyContact(input);
    else throw new HttpError(400, "Unknown action");
    return new Response(null, { status: 303, headers: { location: "/admin/iot/duty?saved" } });
  } catch (e) {
    if (e instanceof HttpError) throw e;
    return {
      status: 422,
      data: await pageData(ctx, {
        editing: v.id || null,
        values: v,
        errors: serviceErrors(e, ctx),
      }),
    };
  }
});

export default function Duty({ data, state }: PageProps<Data, State>) {
  const m = state.t.iot;
  const t = m.duty;
  const v = data.values;
  const errors = data.errors;
  const form = { values: v, errors };
  const hours = (c: DutyContact) =>
    c.onDutyFrom && c.onDutyTo ? `${c.onDutyFrom}–${c.onDutyTo}` : t.always;
  return (
    <>
      <PageTitle title={t.title} intro={t.intro} />
      {data.notice && <Notice>{t.saved}</Notice>}
      {data.contacts.length === 0 ? <p class="text-gray-700 mb-6">{t.none}</p> : (
        <ListTable
          heads={[
            t.name,
            t.address,
            { label: t.minSeverity, class: "hidden sm:table-cell" },
            { label: t.hours, class: "hidden sm:table-cell" },
            "",
          ]}
          class="mb-8"
        >
          {data.contacts.map((c) => (
            <tr
              class={`border-t border-gray-100 ${c.active ? "" : "text-gray-500"}`}
              data-contact={c.id}
            >
              <td class="px-3 py-2">
                {c.name}
                {!c.active && <span class="ml-1 text-xs">({t.inactive})</span>}
              </td>
              <td class="px-3 py-2 break-all">
                <span class="text-xs uppercase text-gray-600">{t.channels[c.channel]}</span>{" "}
                {c.address}
              </td>
              <td class="px-3 py-2 hidden sm:table-cell">
                <SeverityBadge severity={c.minSeverity} m={m} />
              </td>
              <td class="px-3 py-2 hidden sm:table-cell whitespace-nowrap">{hours(c)}</td>
              <td class="px-3 py-2">
                <a href={`/admin/iot/duty?edit=${c.id}#contact-form`} class={linkClass}>
                  {m.common.edit}
                </a>
              </td>
            </tr>
          ))}
        </ListTable>
      )}
      <section id="contact-form" aria-labelledby="contact-form-title" class="max-w-2xl">
        <h2 id="contact-form-title" class="text-lg font-semibold mb-2">
          {data.editing ? `${m.common.edit}: ${v.name ?? ""}` : t.add}
        </h2>
        {Object.keys(errors).length > 0 && <Notice kind="error">{m.common.fixErrors}</Notice>}
        <PostForm csrf={data.csrf} action="/admin/iot/duty" novalidate>
          {data.editing
            ? <input type="hidden" name="id" value={data.editing} />
            : <input type="hidden" name="action" value="create" />}
          <div class="grid sm:grid-cols-2 gap-x-4">
            <TextField id="name" label={t.name} maxLength={120} {...form} />
            <SelectField
              id="channel"
              label={t.channel}
              options={(["sms", "whatsapp", "email"] as const).map((c) => [c, t.channels[c]])}
              {...form}
            />
          </div>
          <TextField
            id="address"
            label={t.address}
            hint={t.addressHint}
            maxLength={320}
            placeholder="+8801712345678"
            {...form}
          />
          <div class="grid grid-cols-2 sm:grid-cols-3 gap-x-4">
            <SelectField
              id="minSeverity"
              label={t.minSeverity}
              options={SEVERITIES.map((s) => [s, m.severity[s]])}
              class="mb-4 col-span-2 sm:col-span-1"
              {...form}
            />
            <TextField id="onDutyFrom" label={t.from} type="time" {...form} />
            <TextField id="onDutyTo" label={t.to} type="time" {...form} />
          </div>
          <p class="text-xs text-gray-600 -mt-2 mb-4">{t.hoursHint}</p>
          <label class="flex items-center gap-2 mb-4">
            <input type="checkbox" name="active" checked={v.active === "on"} />
            {t.active}
          </label>
          <div class="flex gap-3">
            <button type="submit" class={buttonClass()}>{m.common.save}</button>
            {data.editing && (
              <a href="/admin/iot/duty" class="px-4 py-2 text-brand-700 underline">
                {m.common.cancel}
              </a>
            )}
          </div>
        </PostForm>
      </section>
    </>
  );
}
