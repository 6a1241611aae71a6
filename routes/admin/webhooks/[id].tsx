/**
 * One webhook subscription: its deliveries (status, attempts, last answer), the delivery log
 * (every attempt's response code and time), sending a delivery again, disabling and enabling.
 */
import type { Handlers, PageProps } from "@/framework/mod.ts";
import { HttpError } from "@/framework/mod.ts";
import { requirePermission } from "@/plugins/session.ts";
import { field } from "@/plugins/auth_forms.ts";
import type { State } from "@/state.ts";
import {
  type Attempt,
  type DeliveryRow,
  type Subscription,
  webhookMessages,
} from "@/services/webhooks/mod.ts";
import { AuthNotice } from "@/components/AuthCard.tsx";
import { Button, linkClass, ListTable, PostForm, StatusPill } from "@/components/ui.tsx";
import { formatWhen } from "@/services/identity/mod.ts";
import { DELIVERY_COLORS, SUBSCRIPTION_COLORS } from "./(_webhooks)/colors.ts";

interface Data {
  csrf: string;
  sub: Subscription;
  deliveries: DeliveryRow[];
  attempts: Attempt[];
  notice: string | null;
}

export const handler: Handlers<Data, State> = {
  async GET(ctx) {
    requirePermission(ctx, "outbox.view");
    const hooks = ctx.state.deps.webhooks;
    const sub = await hooks.get(ctx.params.id);
    if (!sub) throw new HttpError(404, webhookMessages(ctx.state.lang).notFound);
    ctx.state.title = `${webhookMessages(ctx.state.lang).title} — ${sub.partnerId}`;
    const [deliveries, attempts] = await Promise.all([
      hooks.deliveries({ subscriptionId: sub.id, limit: 100 }),
      hooks.attempts({ subscriptionId: sub.id, limit: 200 }),
    ]);
    return {
      data: {
        csrf: await ctx.csrfToken(),
        sub,
        deliveries,
        attempts,
        notice: ctx.url.searchParams.get("done"),
      },
    };
  },
  async POST(ctx) {
    requirePermission(ctx, "outbox.view");
    const hooks = ctx.state.deps.webhooks;
    const id = ctx.params.id;
    if (!(await hooks.get(id))) throw new HttpError(404, webhookMessages(ctx.state.lang).notFound);
    const op = field(ctx, "op");
    let done = "";
    if (op === "redeliver") {
      const a = await hooks.redeliver(field(ctx, "delivery"));
      if (!a) throw new HttpError(404, webhookMessages(ctx.state.lang).notFound);
      done = "redelivered";
    } else if (op === "enable" || op === "disable") {
      await hooks.update(id, { status: op === "enable" ? "active" : "disabled" });
      done = op === "enable" ? "enabled" : "disabled";
    } else throw new HttpError(400, "Unknown action");
    return ctx.redirect(`/admin/webhooks/${id}?done=${done}`, 303);
  },
};

export default function WebhookSubscription({ data, state }: PageProps<Data, State>) {
  const m = webhookMessages(state.lang);
  const s = data.sub;
  const notices: Record<string, string> = {
    redelivered: m.redelivered,
    enabled: m.enabled,
    disabled: m.disabled,
  };
  const when = (d: Date | string) => formatWhen(state.lang, new Date(d));
  return (
    <>
      <p class="mb-2">
        <a class={linkClass} href="/admin/webhooks">← {m.back}</a>
      </p>
      <h1 class="text-2xl font-bold mb-1 break-all">{s.url}</h1>
      {data.notice && notices[data.notice] && (
        <AuthNotice kind="ok">{notices[data.notice]}</AuthNotice>
      )}
      <dl class="grid grid-cols-[auto_1fr] gap-x-4 gap-y-1 mb-4 text-sm">
        <dt class="font-medium">{m.partner}</dt>
        <dd>{s.partnerId}</dd>
        <dt class="font-medium">{m.events}</dt>
        <dd>{s.eventTypes.join(", ")}</dd>
        <dt class="font-medium">{m.status}</dt>
        <dd>
          <StatusPill status={s.status} label={m.statuses[s.status]} colors={SUBSCRIPTION_COLORS} />
          {s.disabledReason && (
            <span class="ml-2 text-gray-700" data-disabled-reason>
              {m.disabledBecause}: {s.disabledReason}
              {s.disabledAt && <>· {when(s.disabledAt)}</>}
            </span>
          )}
        </dd>
        <dt class="font-medium">{m.failures}</dt>
        <dd>{s.consecutiveFailures}</dd>
      </dl>
      <PostForm csrf={data.csrf} class="mb-6">
        {s.status === "disabled"
          ? <Button name="op" value="enable">{m.enable}</Button>
          : <Button kind="danger" name="op" value="disable">{m.disable}</Button>}
      </PostForm>

      <h2 class="text-xl font-semibold mb-2">{m.deliveries}</h2>
      <ListTable
        heads={[m.event, m.status, m.attempts, m.lastCode, m.when, ""]}
        empty={m.noDeliveries}
      >
        {data.deliveries.map((d) => (
          <tr class="border-t border-gray-100" data-delivery={d.id}>
            <td class="px-3 py-2">
              <span class="font-medium">{d.eventType}</span>
              <span class="block text-xs text-gray-600">{d.messageId}</span>
            </td>
            <td class="px-3 py-2">
              <StatusPill
                status={d.status}
                label={m.deliveryStatuses[d.status]}
                colors={DELIVERY_COLORS}
              />
            </td>
            <td class="px-3 py-2">{d.attempts}</td>
            <td class="px-3 py-2">{d.lastStatus ?? (d.lastError ? m.noAnswer : "")}</td>
            <td class="px-3 py-2 whitespace-nowrap">{when(d.createdAt)}</td>
            <td class="px-3 py-2">
              <PostForm csrf={data.csrf}>
                <input type="hidden" name="delivery" value={d.id} />
                <Button kind="secondary" name="op" value="redeliver">{m.redeliver}</Button>
              </PostForm>
            </td>
          </tr>
        ))}
      </ListTable>

      <h2 class="text-xl font-semibold mt-8 mb-2">{m.log}</h2>
      <ListTable heads={[m.when, m.lastCode, m.duration, ""]} empty={m.noDeliveries}>
        {data.attempts.map((a) => (
          <tr class="border-t border-gray-100" data-attempt={a.id}>
            <td class="px-3 py-2 whitespace-nowrap">{when(a.attemptedAt)}</td>
            <td class="px-3 py-2">
              {a.statusCode ?? m.noAnswer}
              {a.error && <span class="block text-xs text-gray-600 break-all">{a.error}</span>}
            </td>
            <td class="px-3 py-2">{a.durationMs} ms</td>
            <td class="px-3 py-2 text-xs">{a.manual ? m.manual : ""}</td>
          </tr>
        ))}
      </ListTable>
    </>
  );
}
