import type { ComponentChildren } from "preact";
import type { Context, Handlers, PageProps } from "@/framework/mod.ts";
import { HttpError } from "@/framework/mod.ts";
import { FormErrors, Notice, PageTitle } from "@/components/IotUi.tsx";
import { fmtWhen } from "@/components/IotFormat.ts";
import { Button, Field, inputClass, linkClass, PostForm, selectClass } from "@/components/ui.tsx";
import {
  DECISIONS,
  type LotFile,
  type Parameter,
  pathId,
  ValidationError,
} from "@/services/quality/mod.ts";
import type { State } from "@/state.ts";
import { actorOf, type Errors, formValues, refusal } from "../(_quality)/quality.ts";
import { fmtQty, limitsText, StatusBadge, TextField, VerdictBadge } from "../(_quality)/ui.tsx";

interface Data {
  csrf: string;
  file: LotFile;
  notice?: "recorded" | "decided";
  /** Errors by form: "record" or "decide". */
  errors: Record<string, Errors>;
  values: Record<string, string>;
  now: number;
}

async function pageData(ctx: Context<State>, extra: Partial<Data> = {}): Promise<Data> {
  const file = await ctx.state.deps.quality.lotFile(pathId(ctx.params.id));
  if (!file) throw new HttpError(404);
  ctx.state.title = `${ctx.state.t.quality.lot.title(file.lot.code)} — ${ctx.state.t.site.name}`;
  const q = ctx.url.searchParams;
  return {
    csrf: await ctx.csrfToken(),
    file,
    notice: (["recorded", "decided"] as const).find((n) => q.has(n)),
    errors: {},
    values: {},
    now: Date.now(),
    ...extra,
  };
}

/** "2026-03-10T14:05" in farm time (Asia/Dhaka) → an instant; blank → undefined. */
function parseLocal(v: string | undefined): Date | undefined | null {
  const s = (v ?? "").trim();
  if (!s) return undefined;
  if (!/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}$/.test(s)) return null;
  const d = new Date(`${s}:00+06:00`);
  return Number.isNaN(d.getTime()) ? null : d;
}

/**
 * One lot's quality file: its plan's parameters as a results form, its tests with the verdict per
 * value, its decisions (release / hold / reject with who and why) and cold-chain holds.
 */
export const handler: Handlers<Data, State> = {
  async GET(ctx) {
    return { data: await pageData(ctx) };
  },
  async POST(ctx) {
    const lotId = pathId(ctx.params.id);
    const v = formValues(ctx);
    const quality = ctx.state.deps.quality;
    const done = (n: string) =>
      new Response(null, {
        status: 303,
        headers: { location: `/admin/quality/lots/${lotId}?${n}` },
      });
    if (v.action === "record") {
      const testedAt = parseLocal(v.testedAt);
      try {
        if (testedAt === null) throw new ValidationError({ testedAt: "badDate" });
        const values: Record<string, string> = {};
        for (const [k, x] of Object.entries(v)) if (k.startsWith("p_")) values[k.slice(2)] = x;
        await quality.recordResults({
          lotId,
          values,
          testedAt,
          note: v.note,
          actor: actorOf(ctx),
        });
        return done("recorded");
      } catch (e) {
        const r = refusal(e, ctx, (f) => (f === "testedAt" || f === "note" ? f : `p_${f}`));
        return {
          status: r.status,
          data: await pageData(ctx, { errors: { record: r.errors }, values: v }),
        };
      }
    }
    if (v.action === "decide") {
      try {
        await quality.decide({
          lotId,
          decision: v.decision as never,
          reason: v.reason,
          override: v.override === "on" || v.override === "1",
          actor: actorOf(ctx),
        });
        return done("decided");
      } catch (e) {
        const r = refusal(e, ctx);
        return {
          status: r.status,
          data: await pageData(ctx, { errors: { decide: r.errors }, values: v }),
        };
      }
    }
    throw new HttpError(400, "Unknown action");
  },
};

function ParameterInput(
  props: { p: Parameter; lang: "en" | "bn"; t: State["t"]; value: string; error?: string[] },
) {
  const { p, t } = props;
  const id = `p_${p.code}`;
  const label = `${props.lang === "bn" ? p.nameBn : p.nameEn}${p.unit ? ` (${p.unit})` : ""}`;
  const limits = limitsText({ ...p, unit: null }, props.lang, t);
  return (
    <Field id={id} label={label} hint={limits} error={props.error}>
      {p.kind === "choice"
        ? (
          <select id={id} name={id} class={selectClass} required>
            <option value="">—</option>
            {p.choices.map((c) => (
              <option value={c} selected={props.value === c}>{t.quality.choices[c] ?? c}</option>
            ))}
          </select>
        )
        : (
          <input
            id={id}
            name={id}
            inputMode="decimal"
            value={props.value}
            required
            class={inputClass(!!props.error?.length)}
            aria-describedby={props.error?.length ? `${id}-error` : undefined}
          />
        )}
    </Field>
  );
}

export default function LotPage({ data, state }: PageProps<Data, State>) {
  const t = state.t;
  const q = t.quality;
  const lang = state.lang;
  const { lot, plan, tests, decisions, holds, blocker } = data.file;
  const when = (d: Date) => fmtWhen(lang, d.getTime(), "—", data.now);
  const rec = data.errors.record ?? {};
  const dec = data.errors.decide ?? {};
  const recValues = data.values.action === "record" ? data.values : {};
  const decValues = data.values.action === "decide" ? data.values : {};
  const facts: [string, ComponentChildren, string?][] = [
    [
      q.columns.item,
      <>
        {lot.itemName} <code class="text-xs">{lot.itemCode}</code>
      </>,
    ],
    [q.columns.status, <StatusBadge status={lot.status} t={t} />, lot.status],
    [q.columns.location, lot.locationCode ?? "—"],
    [q.columns.onHand, fmtQty(lang, lot.onHand, lot.base)],
    [q.lot.produced, lot.producedOn ?? "—"],
    [q.lot.expires, lot.expiresOn ?? "—"],
    [q.lot.plan, plan ? (lang === "bn" ? plan.nameBn : plan.nameEn) : q.lot.noPlan],
  ];
  return (
    <>
      <p class="text-sm mb-2">
        <a href="/admin/quality" class={linkClass}>← {q.queue.title}</a>
      </p>
      <PageTitle title={q.lot.title(lot.code)} />
      {data.notice === "recorded" && <Notice>{q.lot.recorded}</Notice>}
      {data.notice === "decided" && <Notice>{q.lot.decided}</Notice>}
      <section class="rounded-lg border border-gray-200 bg-white p-3 mb-6">
        <dl class="grid grid-cols-2 sm:grid-cols-4 gap-x-4 gap-y-2 text-sm">
          {facts.map(([label, value, status]) => (
            <div>
              <dt class="text-gray-600">{label}</dt>
              <dd data-status={status}>{value}</dd>
            </div>
          ))}
        </dl>
      </section>

      {holds.length > 0 && (
        <section
          class="rounded-lg border border-red-300 bg-red-50 p-3 mb-6"
          aria-labelledby="holds"
        >
          <h2 id="holds" class="text-lg font-semibold mb-2">{q.lot.holds}</h2>
          <ul class="text-sm space-y-1">
            {holds.map((h) => (
              <li>
                {when(h.heldAt)} · <code>{h.deviceId}</code> · {h.message}
              </li>
            ))}
          </ul>
        </section>
      )}

      <div class="grid gap-6 lg:grid-cols-2 mb-6">
        {plan && (
          <section aria-labelledby="record" class="rounded-lg border border-gray-200 bg-white p-3">
            <h2 id="record" class="text-lg font-semibold mb-2">{q.lot.recordTitle}</h2>
            <FormErrors m={t.iot} errors={rec} />
            <PostForm
              csrf={data.csrf}
              actionField="record"
              action={`/admin/quality/lots/${lot.id}`}
            >
              {plan.parameters.map((p) => (
                <ParameterInput
                  p={p}
                  lang={lang}
                  t={t}
                  value={recValues[`p_${p.code}`] ?? ""}
                  error={rec[`p_${p.code}`]}
                />
              ))}
              <TextField
                id="testedAt"
                label={q.lot.testedAt}
                type="datetime-local"
                value={recValues.testedAt}
                error={rec.testedAt}
              />
              <TextField
                id="note"
                label={q.lot.note}
                rows={2}
                maxLength={2000}
                value={recValues.note}
                error={rec.note}
              />
              <Button>{q.lot.recordButton}</Button>
            </PostForm>
          </section>
        )}
        <section aria-labelledby="decide" class="rounded-lg border border-gray-200 bg-white p-3">
          <h2 id="decide" class="text-lg font-semibold mb-2">{q.lot.decideTitle}</h2>
          {blocker && (
            <p class="text-sm text-red-700 mb-2" data-blocker={blocker.code}>
              {q.errors[blocker.code]}
            </p>
          )}
          <FormErrors m={t.iot} errors={dec} />
          <PostForm csrf={data.csrf} actionField="decide" action={`/admin/quality/lots/${lot.id}`}>
            <Field id="decision" label={q.lot.decision} error={dec.decision}>
              <select id="decision" name="decision" class={selectClass} required>
                {DECISIONS.map((d) => (
                  <option value={d} selected={decValues.decision === d}>{q.decisions[d]}</option>
                ))}
              </select>
            </Field>
            <TextField
              id="reason"
              label={q.lot.reason}
              rows={2}
              maxLength={1000}
              value={decValues.reason}
              error={dec.reason}
            />
            <div class="mb-4">
              <label class="text-sm">
                <input
                  type="checkbox"
                  name="override"
                  value="on"
                  checked={decValues.override === "on"}
                />{" "}
                {q.lot.override}
              </label>
              {(dec.override ?? []).map((e) => <p class="text-sm text-red-700" role="alert">{e}
              </p>)}
            </div>
            <Button>{q.lot.decideButton}</Button>
          </PostForm>
        </section>
      </div>

      <section aria-labelledby="tests" class="mb-6">
        <h2 id="tests" class="text-lg font-semibold mb-2">{q.lot.tests}</h2>
        {tests.length === 0
          ? <p class="text-gray-700">{q.lot.noTests}</p>
          : tests.map((x) => (
            <div class="rounded border border-gray-200 bg-white p-2 mb-2 text-sm" data-test={x.id}>
              <p>
                <VerdictBadge verdict={x.verdict} t={t} /> · {when(x.testedAt)} · {x.testedByName}
                {x.note && <span class="text-gray-700">· {x.note}</span>}
              </p>
              <ul class="flex flex-wrap gap-x-4">
                {x.results.map((r) => (
                  <li data-result={r.code} title={limitsText(r.parameter, lang, t)}>
                    {lang === "bn" ? r.parameter.nameBn : r.parameter.nameEn}:{" "}
                    {q.choices[r.value] ?? r.value}
                    {r.parameter.unit ? ` ${r.parameter.unit}` : ""}{" "}
                    <span class="text-gray-600" data-limits>
                      ({limitsText(r.parameter, lang, t)})
                    </span>{" "}
                    <VerdictBadge verdict={r.verdict} t={t} />
                  </li>
                ))}
              </ul>
            </div>
          ))}
      </section>

      <section aria-labelledby="decisions">
        <h2 id="decisions" class="text-lg font-semibold mb-2">{q.lot.decisions}</h2>
        {decisions.length === 0
          ? <p class="text-gray-700">{q.lot.noDecisions}</p>
          : (
            <ol class="border-l-2 border-gray-300 pl-4 space-y-2 text-sm">
              {decisions.map((d) => (
                <li data-decision={d.decision}>
                  <span class="font-medium">{q.decisions[d.decision]}</span>
                  {d.override && <span class="text-red-700">({q.lot.overrideNote})</span>} ·{" "}
                  {when(d.decidedAt)} · {d.decidedByName}
                  <p class="break-words text-gray-800">{d.reason}</p>
                </li>
              ))}
            </ol>
          )}
      </section>
    </>
  );
}
