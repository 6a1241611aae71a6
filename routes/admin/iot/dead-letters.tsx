import type { Handlers, PageProps } from "@/framework/mod.ts";
import { requirePermission } from "@/plugins/session.ts";
import { DEAD_LETTER_MAX_BYTES, type Iot } from "@/services/iot/mod.ts";
import { fmtNumber, fmtWhen } from "@/components/IotFormat.ts";
import { PageTitle } from "@/components/IotUi.tsx";
import { linkClass } from "@/components/ui.tsx";
import type { State } from "@/state.ts";
import { FilterForm, FilterText } from "@/components/AdminFilters.tsx";

type Letter = Awaited<ReturnType<Iot["listDeadLetters"]>>[number];

interface Data {
  letters: Letter[];
  device: string;
  now: number;
}

/** Payloads longer than this are shown folded. */
const SHOW_CHARS = 600;

/** The newest 200 messages the ingest could not store, with the reason and the raw payload. */
export const handler: Handlers<Data, State> = {
  async GET(ctx) {
    requirePermission(ctx, "iot.view");
    const device = (ctx.url.searchParams.get("device") ?? "").trim().slice(0, 64);
    ctx.state.title = `${ctx.state.t.iot.dead.title} — ${ctx.state.t.site.name}`;
    const letters = await ctx.state.deps.iot.listDeadLetters({
      deviceId: device || undefined,
      limit: 200,
    });
    return { data: { letters, device, now: Date.now() } };
  },
};

export default function DeadLetters({ data, state }: PageProps<Data, State>) {
  const m = state.t.iot;
  const t = m.dead;
  const lang = state.lang;
  return (
    <>
      <PageTitle title={t.title} intro={t.intro} />
      <FilterForm action="/admin/iot/dead-letters" submit={m.common.filter}>
        <FilterText label={t.deviceFilter} name="device" value={data.device} width="w-48" />
      </FilterForm>
      {data.letters.length === 0 ? <p class="text-gray-700">{t.none}</p> : (
        <ul class="space-y-3">
          {data.letters.map((l) => (
            <li class="rounded-lg border border-gray-200 bg-white p-3" data-dead-letter={l.id}>
              <div class="flex flex-wrap gap-x-3 gap-y-1 text-sm items-baseline">
                <code class="break-all">{l.topic}</code>
                {l.deviceId && (
                  <a
                    href={`/admin/iot/devices/${encodeURIComponent(l.deviceId)}`}
                    class={linkClass}
                  >
                    {l.deviceId}
                  </a>
                )}
                <span class="ml-auto text-gray-600 whitespace-nowrap">
                  {fmtWhen(lang, l.receivedAt.getTime(), "", data.now)}
                </span>
              </div>
              <p class="mt-1 text-sm text-red-800 break-words">
                <span class="font-medium">{t.reason}:</span> {l.reason}
              </p>
              <p class="text-xs text-gray-600 mt-1">
                {t.payload} · {t.size(fmtNumber(lang, l.payloadSize, 0))}
                {l.payloadSize > DEAD_LETTER_MAX_BYTES && <>{t.cut}</>}
              </p>
              {l.payload.length > SHOW_CHARS
                ? (
                  <details>
                    <summary class="cursor-pointer text-sm">
                      <code class="break-all">{l.payload.slice(0, 120)}…</code>
                    </summary>
                    <pre class="mt-1 max-h-96 overflow-auto bg-gray-50 border border-gray-200 rounded p-2 text-xs whitespace-pre-wrap break-all">{l.payload}</pre>
                  </details>
                )
                : (
                  <pre class="mt-1 bg-gray-50 border border-gray-200 rounded p-2 text-xs whitespace-pre-wrap break-all">{l.payload}</pre>
                )}
            </li>
          ))}
        </ul>
      )}
    </>
  );
}
