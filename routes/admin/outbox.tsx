import type { Handlers, PageProps } from "@/framework/mod.ts";
import { PostForm } from "@/components/ui.tsx";
import { type Channel, CHANNELS, type MessageStatus, STATUSES } from "@/services/notify/mod.ts";
import { formatWhen, normalizeEmail, normalizePhone } from "@/services/identity/mod.ts";
import { requirePermission } from "@/plugins/session.ts";
import { field } from "@/plugins/auth_forms.ts";
import type { State } from "@/state.ts";
import { AuthNotice } from "@/components/AuthCard.tsx";
import { FilterForm, FilterSelect, FilterText, Pager } from "@/components/AdminFilters.tsx";
import { oneOf, pageParam } from "@/routes/admin/(_admin)/list_query.ts";

const PAGE = 50;

interface Row {
  id: string;
  channel: Channel;
  recipient: string;
  subject: string | null;
  body: string;
  status: MessageStatus;
  attempts: number;
  lastError: string | null;
  createdAt: string;
  /** A one-time code's text, hidden because a real transport is configured. */
  masked?: boolean;
  erased?: boolean;
  /** Which provider took it and what it last reported (delivered, read, failed…). */
  transport: string | null;
  deliveryStatus: string | null;
}

interface Data {
  csrf: string;
  rows: Row[];
  total: number;
  filters: { status: string; channel: string; to: string; page: number };
  requeued: boolean;
}

/**
 * Outgoing messages, newest first, with their full text: with the development transport this is
 * where one-time codes are read.
 */
export const handler: Handlers<Data, State> = {
  async GET(ctx) {
    requirePermission(ctx, "outbox.view");
    const p = ctx.url.searchParams;
    const status = p.get("status") ?? "";
    const channel = p.get("channel") ?? "";
    const to = (p.get("to") ?? "").trim().slice(0, 320);
    const page = pageParam(p);
    // People type 01712-345678; the outbox stores +8801712345678.
    const recipient = to ? (normalizePhone(to) ?? normalizeEmail(to) ?? to) : undefined;
    const { rows, total } = await ctx.state.deps.notify.list({
      status: oneOf(STATUSES, status),
      channel: oneOf(CHANNELS, channel),
      recipient,
      limit: PAGE,
      offset: (page - 1) * PAGE,
    });
    ctx.state.title = `${ctx.state.t.identity.admin.outboxTitle} — ${ctx.state.t.site.name}`;
    return {
      data: {
        csrf: await ctx.csrfToken(),
        rows: rows.map((r) => ({
          id: r.id,
          channel: r.channel,
          recipient: r.recipient,
          subject: r.subject,
          body: r.body,
          status: r.status,
          attempts: r.attempts,
          lastError: r.lastError,
          createdAt: r.createdAt.toISOString(),
          masked: (r as { masked?: boolean }).masked ?? false,
          erased: r.bodyErasedAt !== null,
          transport: r.transport,
          deliveryStatus: r.deliveryStatus,
        })),
        total,
        filters: { status, channel, to, page },
        requeued: p.has("requeued"),
      },
    };
  },

  async POST(ctx) {
    requirePermission(ctx, "outbox.view");
    await ctx.state.deps.notify.requeue(field(ctx, "id"));
    return new Response(null, { status: 303, headers: { location: "/admin/outbox?requeued=1" } });
  },
};

const STATUS_CLASS: Record<MessageStatus, string> = {
  queued: "bg-yellow-100 text-yellow-900",
  sending: "bg-blue-100 text-blue-900",
  sent: "bg-green-100 text-green-900",
  failed: "bg-orange-100 text-orange-900",
  dead: "bg-red-100 text-red-900",
  suppressed: "bg-gray-200 text-gray-800",
};

/** The one-off notices in the query, dropped from the links to other pages. */
const NOTICES = ["requeued"];

export default function Outbox({ data, state, url }: PageProps<Data, State>) {
  const a = state.t.identity.admin;
  const f = data.filters;
  return (
    <>
      <h1 class="text-2xl font-bold mb-1">{a.outboxTitle}</h1>
      <p class="mb-4 text-gray-700 max-w-3xl">{a.outboxIntro}</p>
      {data.requeued && <AuthNotice kind="ok">{a.requeued}</AuthNotice>}
      <FilterForm action="/admin/outbox" submit={a.filter}>
        <FilterText label={a.recipient} name="to" value={f.to} placeholder="01712-345678" />
        <FilterSelect
          label={a.status}
          name="status"
          value={f.status}
          any={a.anyStatus}
          options={STATUSES}
        />
        <FilterSelect
          label={a.channel}
          name="channel"
          value={f.channel}
          any={a.anyChannel}
          options={CHANNELS}
        />
      </FilterForm>
      {data.rows.length === 0 ? <p class="text-gray-700">{a.noMessages}</p> : (
        <ul class="space-y-3">
          {data.rows.map((r) => (
            <li class="bg-white border border-gray-200 rounded-lg p-3" data-message={r.id}>
              <div class="flex flex-wrap items-center gap-2 text-sm mb-1">
                <span class={`rounded px-2 py-0.5 ${STATUS_CLASS[r.status]}`}>{r.status}</span>
                <span class="uppercase text-xs text-gray-600">{r.channel}</span>
                <span class="font-semibold break-all">{r.recipient}</span>
                {r.transport && <span class="text-xs text-gray-600">{r.transport}</span>}
                {r.deliveryStatus && (
                  <span class="rounded px-2 py-0.5 bg-gray-100 text-gray-800" data-delivery>
                    {r.deliveryStatus}
                  </span>
                )}
                <span class="text-gray-600 ml-auto whitespace-nowrap">
                  {formatWhen(state.lang, new Date(r.createdAt))}
                </span>
              </div>
              {r.subject && <p class="font-semibold text-sm">{r.subject}</p>}
              {r.masked
                ? (
                  <p class="italic text-gray-700" data-masked>
                    {state.lang === "bn"
                      ? r.body.replace("code sent to", "কোড পাঠানো হয়েছে:")
                      : r.body}
                  </p>
                )
                : r.erased
                ? (
                  <p class="italic text-gray-700" data-erased>
                    {state.lang === "bn" ? "পৌঁছানোর পর মুছে ফেলা হয়েছে" : "erased after delivery"}
                  </p>
                )
                : <p class="whitespace-pre-wrap break-words">{r.body}</p>}
              {(r.lastError || r.attempts > 1) && (
                <p class="text-xs text-gray-600 mt-1">
                  {a.attempts}: {r.attempts}
                  {r.lastError && <>· {r.lastError}</>}
                </p>
              )}
              {(r.status === "dead" || r.status === "failed") && (
                <PostForm csrf={data.csrf} action="/admin/outbox" class="mt-2">
                  <input type="hidden" name="id" value={r.id} />
                  <button
                    type="submit"
                    class="rounded border border-gray-400 bg-white px-3 py-1 text-sm"
                  >
                    {a.requeue}
                  </button>
                </PostForm>
              )}
            </li>
          ))}
        </ul>
      )}
      <Pager
        url={url}
        page={f.page}
        hasNext={f.page * PAGE < data.total}
        labels={a}
        drop={NOTICES}
      />
    </>
  );
}
