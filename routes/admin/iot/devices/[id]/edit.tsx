import type { Handlers, PageProps } from "@/framework/mod.ts";
import { HttpError } from "@/framework/mod.ts";
import type { Context } from "@/framework/mod.ts";
import { requirePermission } from "@/plugins/session.ts";
import { type Device } from "@/services/iot/mod.ts";
import { IotDeviceFormPage } from "@/components/IotDeviceForm.tsx";
import { FormErrors, PageTitle } from "@/components/IotUi.tsx";
import { linkClass } from "@/components/ui.tsx";
import type { State } from "@/state.ts";
import { type Errors, formValues, serviceErrors } from "@/routes/admin/iot/(_iot)/iot.ts";
import { fieldsOf } from "@/routes/(_lib)/form.ts";

interface Data {
  csrf: string;
  id: string;
  values: Record<string, string>;
  errors: Errors;
  tanks: { id: string; name: string }[];
}

async function load(ctx: Context<State>): Promise<Device> {
  const d = await ctx.state.deps.iot.getDevice(ctx.params.id);
  if (!d || d.revokedAt) throw new HttpError(404);
  ctx.state.title = `${ctx.state.t.iot.devices.editTitle(d.id)} — ${ctx.state.t.site.name}`;
  return d;
}

async function pageData(
  ctx: Context<State>,
  id: string,
  values: Record<string, string>,
  errors: Errors = {},
): Promise<Data> {
  const tanks = (await ctx.state.deps.iot.listTanks()).map((t) => ({ id: t.id, name: t.name }));
  return { csrf: await ctx.csrfToken(), id, values, errors, tanks };
}

/** Changes a device's name, place, assignment, firmware and notes (audited by the service). */
export const handler: Handlers<Data, State> = {
  async GET(ctx) {
    requirePermission(ctx, "iot.manage");
    const d = await load(ctx);
    return {
      data: await pageData(ctx, d.id, {
        name: d.name,
        locationKind: d.locationKind ?? "",
        location: d.location ?? "",
        animalTag: d.animalTag ?? "",
        tankId: d.tankId ?? "",
        firmwareVersion: d.firmwareVersion ?? "",
        notes: d.notes ?? "",
      }),
    };
  },

  async POST(ctx) {
    const user = requirePermission(ctx, "iot.manage");
    const d = await load(ctx);
    const v = formValues(ctx);
    try {
      await ctx.state.deps.iot.updateDevice(d.id, {
        name: v.name ?? "",
        locationKind: (v.locationKind ?? "") as never,
        ...fieldsOf(v, ["location", "animalTag", "tankId", "firmwareVersion", "notes"]),
      }, { actorId: user.id });
      return new Response(null, {
        status: 303,
        headers: { location: `/admin/iot/devices/${encodeURIComponent(d.id)}?saved` },
      });
    } catch (e) {
      return { status: 422, data: await pageData(ctx, d.id, v, serviceErrors(e, ctx)) };
    }
  },
};

export default function EditDevice({ data, state }: PageProps<Data, State>) {
  const m = state.t.iot;
  const back = `/admin/iot/devices/${encodeURIComponent(data.id)}`;
  return (
    <>
      <p class="text-sm mb-2">
        <a href={back} class={linkClass}>← {data.id}</a>
      </p>
      <PageTitle title={m.devices.editTitle(data.id)} />
      <FormErrors m={m} errors={data.errors} />
      <IotDeviceFormPage m={m} mode="edit" data={data} submit={m.common.save} back={back} />
    </>
  );
}
