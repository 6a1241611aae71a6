import type { PageProps } from "@/framework/mod.ts";
import { HttpError } from "@/framework/mod.ts";
import type { Context } from "@/framework/mod.ts";
import { requireFreshSecondFactor, requirePermission, userCan } from "@/plugins/session.ts";
import { type DeviceView, parseRange, topicsFor } from "@/services/iot/mod.ts";
import { fmtWhen } from "@/components/IotFormat.ts";
import { IotDeviceView } from "@/components/IotDeviceView.tsx";
import { IotSecret } from "@/components/IotSecret.tsx";
import { Notice, PageTitle } from "@/components/IotUi.tsx";
import { buttonClass, linkClass, PostForm } from "@/components/ui.tsx";

import type { State } from "@/state.ts";
import { type Errors, iotPage, serviceErrors } from "@/routes/admin/iot/(_iot)/iot.ts";

type NoticeKind = "saved" | "revoked";

interface Data {
  csrf: string;
  view: DeviceView;
  canManage: boolean;
  notice?: NoticeKind;
  errors: Errors;
  /** After a rotation: the new secret, shown this once. */
  secret?: { value: string; topic: string };
}

async function pageData(ctx: Context<State>, extra: Partial<Data> = {}): Promise<Data> {
  const view = await ctx.state.deps.iot.loadDeviceView(
    ctx.params.id,
    parseRange(ctx.url.searchParams.get("range")),
  );
  if (!view) throw new HttpError(404);
  ctx.state.title = `${view.device.name} — ${ctx.state.t.site.name}`;
  const q = ctx.url.searchParams;
  return {
    csrf: await ctx.csrfToken(),
    view,
    canManage: userCan(ctx, "iot.manage"),
    notice: (["saved", "revoked"] as const).find((n) => q.has(n)),
    errors: {},
    ...extra,
  };
}

/** One device in the back office: the live view plus edit, new secret and revoke. */
export const handler = iotPage<Data>("iot.view", pageData, async (ctx) => {
  const user = requirePermission(ctx, "iot.manage");
  const iot = ctx.state.deps.iot;
  const id = ctx.params.id;
  const action = ctx.form?.get("action");
  // A new device secret is key rotation: a second factor at most 5 minutes old (step-up).
  if (action === "rotate") await requireFreshSecondFactor(ctx);
  try {
    if (action === "revoke") {
      await iot.revokeDevice(id, { actorId: user.id });
      return new Response(null, {
        status: 303,
        headers: { location: `/admin/iot/devices/${encodeURIComponent(id)}?revoked` },
      });
    }
    if (action === "rotate") {
      const { secret } = await iot.rotateDeviceSecret(id, { actorId: user.id });
      return {
        headers: { "cache-control": "no-store" },
        data: await pageData(ctx, {
          secret: { value: secret, topic: topicsFor().device(id, "telemetry") },
        }),
      };
    }
  } catch (e) {
    return { status: 409, data: await pageData(ctx, { errors: serviceErrors(e, ctx) }) };
  }
  throw new HttpError(400, "Unknown action");
});

export default function AdminDevice({ data, state, url }: PageProps<Data, State>) {
  const m = state.t.iot;
  const d = m.devices;
  const v = data.view;
  const dev = v.device;
  const lang = state.lang;
  const enc = encodeURIComponent(dev.id);
  const errors = Object.values(data.errors).flat();
  return (
    <>
      <p class="text-sm mb-2">
        <a href="/admin/iot/devices" class={linkClass}>← {d.title}</a>
      </p>
      <PageTitle title={dev.name}>
        <a href={`/farm/live/devices/${enc}`} class={buttonClass("secondary")}>{d.viewLive}</a>
        {data.canManage && !dev.revokedAt && (
          <a href={`/admin/iot/devices/${enc}/edit`} class={buttonClass("secondary")}>
            {m.common.edit}
          </a>
        )}
      </PageTitle>
      {data.notice === "saved" && <Notice>{d.saved}</Notice>}
      {data.notice === "revoked" && <Notice>{d.revoked}</Notice>}
      {errors.length > 0 && <Notice kind="error">{errors.join(" ")}</Notice>}
      {data.secret && (
        <div class="mb-6">
          <Notice>{d.rotated}</Notice>
          <IotSecret m={m} deviceId={dev.id} secret={data.secret.value} topic={data.secret.topic} />
        </div>
      )}
      <IotDeviceView
        view={v}
        m={m}
        lang={lang}
        stream={`/farm/live/events?device=${enc}`}
        path={url.pathname}
        alarmHref="/admin/iot/alarms/"
      >
        <dl class="grid grid-cols-2 sm:grid-cols-3 gap-x-4 gap-y-2 text-sm mt-2">
          <div>
            <dt class="text-gray-600">{d.registered}</dt>
            <dd>{fmtWhen(lang, dev.createdAt, m.common.never, v.now)}</dd>
          </div>
          <div>
            <dt class="text-gray-600">{d.secretRotatedAt}</dt>
            <dd>{fmtWhen(lang, dev.secretRotatedAt, m.common.never, v.now)}</dd>
          </div>
          {dev.revokedAt !== null && (
            <div>
              <dt class="text-gray-600">{d.revokedAt}</dt>
              <dd class="text-red-700">{fmtWhen(lang, dev.revokedAt, "", v.now)}</dd>
            </div>
          )}
        </dl>
        {dev.notes && <p class="text-sm mt-2 whitespace-pre-wrap">{dev.notes}</p>}
        <p class="text-sm mt-2">
          <a href={`/admin/iot/dead-letters?device=${enc}`} class={linkClass}>{d.deadLetters}</a>
        </p>
      </IotDeviceView>
      {data.canManage && !dev.revokedAt && (
        <section aria-labelledby="dev-actions" class="mt-8 space-y-4 max-w-2xl">
          <h2 id="dev-actions" class="text-lg font-semibold">{d.actions}</h2>
          <PostForm
            csrf={data.csrf}
            actionField="rotate"
            class="rounded-lg border border-gray-200 bg-white p-3"
          >
            <p class="text-sm text-gray-700 mb-2">{d.rotateHint}</p>
            <button type="submit" class={buttonClass("secondary")}>{d.rotate}</button>
          </PostForm>
          <details class="rounded-lg border border-red-200 bg-white p-3">
            <summary class="cursor-pointer font-medium text-red-800">{d.revoke}</summary>
            <PostForm csrf={data.csrf} actionField="revoke" class="mt-2">
              <p class="text-sm text-gray-700 mb-2">{d.revokeHint}</p>
              <button type="submit" class={buttonClass("danger")}>{d.revokeConfirm}</button>
            </PostForm>
          </details>
        </section>
      )}
    </>
  );
}
