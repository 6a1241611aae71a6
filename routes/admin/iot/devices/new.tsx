import type { Context, Handlers, PageProps } from "@/framework/mod.ts";
import { requirePermission } from "@/plugins/session.ts";
import { topicsFor } from "@/services/iot/mod.ts";
import { IotDeviceFormPage } from "@/components/IotDeviceForm.tsx";
import { IotSecret } from "@/components/IotSecret.tsx";
import { FormErrors, Notice, PageTitle } from "@/components/IotUi.tsx";
import { buttonClass } from "@/components/ui.tsx";
import type { State } from "@/state.ts";
import { type Errors, formValues, serviceErrors } from "@/routes/admin/iot/(_iot)/iot.ts";

interface Data {
  csrf: string;
  values: Record<string, string>;
  errors: Errors;
  tanks: { id: string; name: string }[];
  /** After registering: the device and its secret, shown this once. */
  created?: { id: string; name: string; secret: string; topic: string };
}

async function tanksOf(ctx: Context<State>) {
  return (await ctx.state.deps.iot.listTanks()).map((t) => ({ id: t.id, name: t.name }));
}

/** Registers a device; the answer shows its MQTT secret once (never cached, never again). */
export const handler: Handlers<Data, State> = {
  async GET(ctx) {
    requirePermission(ctx, "iot.manage");
    ctx.state.title = `${ctx.state.t.iot.devices.newTitle} — ${ctx.state.t.site.name}`;
    const p = ctx.url.searchParams;
    return {
      data: {
        csrf: await ctx.csrfToken(),
        values: { type: p.get("type") ?? "", tankId: p.get("tank") ?? "" },
        errors: {},
        tanks: await tanksOf(ctx),
      },
    };
  },

  async POST(ctx) {
    const user = requirePermission(ctx, "iot.manage");
    ctx.state.title = `${ctx.state.t.iot.devices.newTitle} — ${ctx.state.t.site.name}`;
    const values = formValues(ctx);
    try {
      const { device, secret } = await ctx.state.deps.iot.createDevice({
        id: values.id ?? "",
        type: values.type as never,
        name: values.name ?? "",
        locationKind: values.locationKind as never,
        location: values.location,
        animalTag: values.animalTag,
        tankId: values.tankId,
        firmwareVersion: values.firmwareVersion,
        notes: values.notes,
      }, { actorId: user.id });
      return {
        status: 201,
        headers: { "cache-control": "no-store" },
        data: {
          csrf: "",
          values: {},
          errors: {},
          tanks: [],
          created: {
            id: device.id,
            name: device.name,
            secret,
            topic: topicsFor().device(device.id, "telemetry"),
          },
        },
      };
    } catch (e) {
      return {
        status: 422,
        data: {
          csrf: await ctx.csrfToken(),
          values,
          errors: serviceErrors(e, ctx),
          tanks: await tanksOf(ctx),
        },
      };
    }
  },
};

export default function NewDevice({ data, state }: PageProps<Data, State>) {
  const m = state.t.iot;
  const d = m.devices;
  if (data.created) {
    const c = data.created;
    return (
      <>
        <PageTitle title={c.name} />
        <Notice>{d.created}</Notice>
        <IotSecret m={m} deviceId={c.id} secret={c.secret} topic={c.topic} />
        <p class="mt-4">
          <a href={`/admin/iot/devices/${encodeURIComponent(c.id)}`} class={buttonClass()}>
            {m.common.open}
          </a>
        </p>
      </>
    );
  }
  return (
    <>
      <PageTitle title={d.newTitle} />
      <FormErrors m={m} errors={data.errors} />
      <IotDeviceFormPage
        m={m}
        mode="create"
        data={data}
        action="/admin/iot/devices/new"
        submit={d.register}
        back="/admin/iot/devices"
      />
    </>
  );
}
