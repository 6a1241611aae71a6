import type { PageProps } from "@/framework/mod.ts";
import { HttpError } from "@/framework/mod.ts";
import type { Context } from "@/framework/mod.ts";
import { requirePermission, userCan } from "@/plugins/session.ts";
import { type TankHold } from "@/services/iot/mod.ts";
import { fmtNumber, fmtValue, fmtWhen } from "@/components/IotFormat.ts";
import { Notice, PageTitle, TextField } from "@/components/IotUi.tsx";
import { buttonClass, inputClass, linkClass, ListTable, PostForm } from "@/components/ui.tsx";
import type { State } from "@/state.ts";
import { type Errors, formValues, iotPage, serviceErrors } from "@/routes/admin/iot/(_iot)/iot.ts";

interface TankRow {
  id: string;
  name: string;
  capacityL: number | null;
  status: "ok" | "held";
  hold: { reason: string; heldAt: number; alarmId: string | null } | null;
  temperatureC: number | null;
  temperatureAt: number | null;
  thermometerId: string | null;
}

interface Data {
  csrf: string;
  tanks: TankRow[];
  /** The tank whose holds are listed (?tank=). */
  history: { tankId: string; holds: TankHold[]; names: Record<string, string> } | null;
  canRelease: boolean;
  canManage: boolean;
  notice?: "released" | "created";
  /** Errors by form: "release:<tankId>" or "create". */
  errors: Record<string, Errors>;
  values: Record<string, string>;
  now: number;
}

async function pageData(ctx: Context<State>, extra: Partial<Data> = {}): Promise<Data> {
  const iot = ctx.state.deps.iot;
  const now = new Date();
  const overview = await iot.farmOverview({ now });
  const q = ctx.url.searchParams;
  const selected = q.get("tank");
  let history: Data["history"] = null;
  if (selected && overview.tanks.some((t) => t.id === selected)) {
    const holds = await iot.listTankHolds(selected);
    history = {
      tankId: selected,
      holds,
      names: await ctx.state.deps.iot.userNames(holds.map((h) => h.releasedBy)),
    };
  }
  ctx.state.title = `${ctx.state.t.iot.tanks.title} — ${ctx.state.t.site.name}`;
  return {
    csrf: await ctx.csrfToken(),
    tanks: overview.tanks.map((t) => ({
      id: t.id,
      name: t.name,
      capacityL: t.capacityL,
      status: t.status,
      hold: t.hold
        ? { reason: t.hold.reason, heldAt: t.hold.heldAt.getTime(), alarmId: t.hold.alarmId }
        : null,
      temperatureC: t.temperatureC,
      temperatureAt: t.temperatureAt?.getTime() ?? null,
      thermometerId: t.thermometerId,
    })),
    history,
    canRelease: userCan(ctx, "farm.manage"),
    canManage: userCan(ctx, "iot.manage"),
    notice: (["released", "created"] as const).find((n) => q.has(n)),
    errors: {},
    values: {},
    now: now.getTime(),
    ...extra,
  };
}

/**
 * The milk tanks: temperature, hold status and hold history. A farm manager (or administrator)
 * releases a hold with a note; the service re-checks the role and audits the release.
 */
export const handler = iotPage<Data>("iot.view", pageData, async (ctx) => {
  const v = formValues(ctx);
  const iot = ctx.state.deps.iot;
  if (v.action === "release") {
    const user = requirePermission(ctx, "farm.manage");
    try {
      await iot.releaseTankHold({ tankId: v.tankId ?? "", note: v.note ?? "" }, {
        userId: user.id,
        roles: user.roles,
      });
      const to = `/admin/iot/tanks?released&tank=${encodeURIComponent(v.tankId ?? "")}`;
      return new Response(null, { status: 303, headers: { location: to } });
    } catch (e) {
      const errors = { [`release:${v.tankId}`]: serviceErrors(e, ctx) };
      return { status: 422, data: await pageData(ctx, { errors, values: v }) };
    }
  }
  if (v.action === "create") {
    const user = requirePermission(ctx, "iot.manage");
    try {
      await iot.createTank({
        id: v.id ?? "",
        name: v.name ?? "",
        capacityL: v.capacityL ? v.capacityL : null,
      }, { actorId: user.id });
      return new Response(null, {
        status: 303,
        headers: { location: "/admin/iot/tanks?created" },
      });
    } catch (e) {
      const errors = { create: serviceErrors(e, ctx) };
      return { status: 422, data: await pageData(ctx, { errors, values: v }) };
    }
  }
  throw new HttpError(400, "Unknown action");
});

export default function Tanks({ data, state }: PageProps<Data, State>) {
  const m = state.t.iot;
  const t = m.tanks;
  const lang = state.lang;
  const when = (ms: number | null) => fmtWhen(lang, ms, m.common.never, data.now);
  const create = data.errors.create ?? {};
  const form = { values: data.values.action === "create" ? data.values : {}, errors: create };
  const history = data.history;
  const historyTank = history && data.tanks.find((x) => x.id === history.tankId);
  return (
    <>
      <PageTitle title={t.title} intro={t.intro} />
      {data.notice === "released" && <Notice>{t.released}</Notice>}
      {data.notice === "created" && <Notice>{t.createdTank}</Notice>}
      {data.tanks.length === 0 && <p class="text-gray-700">{t.none}</p>}
      <ul class="grid gap-4 md:grid-cols-2 xl:grid-cols-3 mb-8">
        {data.tanks.map((x) => {
          const errs = data.errors[`release:${x.id}`] ?? {};
          const noteErr = [...(errs.note ?? []), ...(errs._ ?? [])];
          return (
            <li
              class={`rounded-lg border bg-white p-3 ${
                x.status === "held" ? "border-red-400" : "border-gray-200"
              }`}
              data-tank={x.id}
            >
              <div class="flex items-baseline gap-2">
                <h2 class="font-semibold text-lg">{x.name}</h2>
                <code class="text-xs text-gray-600">{x.id}</code>
                <span
                  class={`ml-auto rounded px-2 py-0.5 text-xs ${
                    x.status === "held" ? "bg-red-700 text-white" : "bg-green-100 text-green-900"
                  }`}
                >
                  {t.statuses[x.status]}
                </span>
              </div>
              <p class="text-sm text-gray-700 mt-1">
                {t.temperature}:{" "}
                <strong>
                  {x.temperatureC === null ? "—" : fmtValue(lang, "temperature_c", x.temperatureC)}
                </strong>
                {x.temperatureAt !== null && ` · ${when(x.temperatureAt)}`}
                {x.capacityL !== null && ` · ${fmtNumber(lang, x.capacityL, 0)} L`}
              </p>
              {x.hold && (
                <div class="mt-2 rounded bg-red-50 border border-red-200 p-2 text-sm">
                  <p>
                    <span class="font-medium">{t.heldSince}:</span> {when(x.hold.heldAt)}
                  </p>
                  <p class="break-words">
                    <span class="font-medium">{t.reason}:</span> {x.hold.reason}
                  </p>
                  {x.hold.alarmId && (
                    <a href={`/admin/iot/alarms/${x.hold.alarmId}`} class={linkClass}>
                      {m.alarms.detail(x.hold.alarmId)}
                    </a>
                  )}
                  {data.canRelease
                    ? (
                      <PostForm
                        csrf={data.csrf}
                        actionField="release"
                        action="/admin/iot/tanks"
                        class="mt-2"
                      >
                        <input type="hidden" name="tankId" value={x.id} />
                        <label for={`note-${x.id}`} class="block text-sm font-medium mb-1">
                          {t.releaseNote}
                        </label>
                        <textarea
                          id={`note-${x.id}`}
                          name="note"
                          rows={2}
                          required
                          maxLength={1000}
                          class={inputClass(noteErr.length > 0)}
                        >
                          {data.values.tankId === x.id ? data.values.note ?? "" : ""}
                        </textarea>
                        {noteErr.map((e) => <p class="text-sm text-red-700" role="alert">{e}</p>)}
                        <button type="submit" class={`${buttonClass()} mt-2`}>{t.release}</button>
                      </PostForm>
                    )
                    : <p class="text-xs text-gray-600 mt-2">{t.onlyManagers}</p>}
                </div>
              )}
              <p class="mt-2 text-sm flex gap-3">
                <a
                  href={`/admin/iot/tanks?tank=${encodeURIComponent(x.id)}#history`}
                  class={linkClass}
                >
                  {t.history}
                </a>
                {x.thermometerId && (
                  <a
                    href={`/admin/iot/devices/${encodeURIComponent(x.thermometerId)}`}
                    class={linkClass}
                  >
                    {m.live.thermometer}
                  </a>
                )}
              </p>
            </li>
          );
        })}
      </ul>

      {history && historyTank && (
        <section id="history" class="mb-8" aria-labelledby="history-title">
          <h2 id="history-title" class="text-lg font-semibold mb-2">
            {t.historyOf(historyTank.name)}
          </h2>
          {history.holds.length === 0 ? <p class="text-gray-700">{t.noHolds}</p> : (
            <ListTable
              heads={[t.heldSince, t.reason, t.releasedAt, t.releasedBy, t.releaseNoteCol]}
            >
              {history.holds.map((h) => (
                <tr class="border-t border-gray-100 align-top">
                  <td class="px-3 py-2 whitespace-nowrap">{when(h.heldAt.getTime())}</td>
                  <td class="px-3 py-2 break-words">{h.reason}</td>
                  <td class="px-3 py-2 whitespace-nowrap">
                    {h.releasedAt
                      ? when(h.releasedAt.getTime())
                      : <span class="text-red-700">{t.stillHeld}</span>}
                  </td>
                  <td class="px-3 py-2">
                    {h.releasedBy ? history.names[h.releasedBy] ?? "" : ""}
                  </td>
                  <td class="px-3 py-2 break-words">{h.releaseNote ?? ""}</td>
                </tr>
              ))}
            </ListTable>
          )}
        </section>
      )}

      {data.canManage && (
        <section aria-labelledby="new-tank" class="max-w-xl">
          <h2 id="new-tank" class="text-lg font-semibold mb-2">{t.newTank}</h2>
          {create._ && <Notice kind="error">{create._.join(" ")}</Notice>}
          <PostForm csrf={data.csrf} actionField="create" action="/admin/iot/tanks" novalidate>
            <div class="grid sm:grid-cols-3 gap-x-4">
              <TextField id="id" label={t.id} maxLength={64} {...form} />
              <TextField id="name" label={t.name} maxLength={120} {...form} />
              <TextField id="capacityL" label={t.capacity} type="number" min={1} {...form} />
            </div>
            <button type="submit" class={buttonClass("secondary")}>{t.create}</button>
          </PostForm>
        </section>
      )}
    </>
  );
}
