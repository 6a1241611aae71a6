import type { Context, Handlers, PageProps } from "@/framework/mod.ts";
import { HttpError } from "@/framework/mod.ts";
import { FormErrors, Notice, PageTitle } from "@/components/IotUi.tsx";
import { Button, Field, linkClass, selectClass } from "@/components/ui.tsx";
import {
  ITEM_KINDS,
  optionalId,
  type Parameter,
  type Plan,
  STAGES,
  ValidationError,
} from "@/services/quality/mod.ts";
import type { State } from "@/state.ts";
import { actorOf, type Errors, formValues, refusal } from "./(_quality)/quality.ts";
import { limitsText, TextField } from "./(_quality)/ui.tsx";

const HERE = "/admin/quality/plans";

interface Data {
  csrf: string;
  plans: Plan[];
  items: { code: string; nameEn: string; nameBn: string }[];
  /** The plan being changed (`?plan=`), and the parameter (`&param=`). */
  plan: Plan | null;
  param: Parameter | null;
  saved: boolean;
  /** The posted form ("plan" or "param") with its values and messages. */
  form: string | null;
  values: Record<string, string>;
  errors: Errors;
}

async function pageData(ctx: Context<State>, extra: Partial<Data> = {}): Promise<Data> {
  const quality = ctx.state.deps.quality;
  ctx.state.title = `${ctx.state.t.quality.plans.title} — ${ctx.state.t.site.name}`;
  const q = ctx.url.searchParams;
  // A refused form shows again on its plan (and parameter), as posted.
  const posted = extra.values ?? {};
  const planId = optionalId(posted.planId) ?? optionalId(q.get("plan"));
  const plan = planId ? await quality.getPlan(planId) : null;
  if (planId && !plan) throw new HttpError(404);
  const paramId = extra.form === "param"
    ? optionalId(posted.parameterId)
    : optionalId(q.get("param"));
  const param = paramId ? plan?.parameters.find((p) => p.id === paramId) ?? null : null;
  if (paramId && !param) throw new HttpError(404);
  return {
    csrf: await ctx.csrfToken(),
    plans: await quality.listPlans({ all: true }),
    items: await quality.planItems(),
    plan,
    param,
    saved: q.has("saved"),
    form: null,
    values: {},
    errors: {},
    ...extra,
  };
}

/**
 * The test plans: per item or item kind and stage, each parameter with its limits. Quality staff
 * (quality.manage, checked by the folder's middleware) add and change plans and parameters,
 * deactivate plans and remove parameters; past results keep what they were judged by.
 */
export const handler: Handlers<Data, State> = {
  async GET(ctx) {
    return { data: await pageData(ctx) };
  },
  async POST(ctx) {
    const v = formValues(ctx);
    const quality = ctx.state.deps.quality;
    const actor = actorOf(ctx);
    const planId = optionalId(v.planId);
    const back = (id: number | null) =>
      new Response(null, {
        status: 303,
        headers: { location: id ? `${HERE}?plan=${id}&saved#plan-${id}` : `${HERE}?saved` },
      });
    const form = v.action === "saveParameter" ? "param" : "plan";
    try {
      switch (v.action) {
        case "savePlan": {
          const plan = await quality.savePlan(v, actor, planId ?? undefined);
          return back(plan.id);
        }
        case "deactivate":
        case "activate":
          if (!planId) throw new HttpError(404);
          await quality.setPlanActive(planId, v.action === "activate", actor);
          return back(planId);
        case "saveParameter":
          if (!planId) throw new HttpError(404);
          await quality.saveParameter(planId, v, actor, optionalId(v.parameterId) ?? undefined);
          return back(planId);
        case "removeParameter": {
          const paramId = optionalId(v.parameterId);
          if (!planId || !paramId) throw new HttpError(404);
          await quality.retireParameter(planId, paramId, actor);
          return back(planId);
        }
        default:
          throw new ValidationError({ form: "chooseOne" });
      }
    } catch (e) {
      const r = refusal(e, ctx);
      return { status: r.status, data: await pageData(ctx, { form, values: v, errors: r.errors }) };
    }
  },
};

function Select(props: {
  id: string;
  label: string;
  options: [string, string][];
  value: string;
  error?: string[];
  hint?: string;
}) {
  return (
    <Field id={props.id} label={props.label} error={props.error} hint={props.hint}>
      <select id={props.id} name={props.id} class={`${selectClass} w-full`}>
        <option value="">—</option>
        {props.options.map(([v, text]) => (
          <option value={v} selected={props.value === v}>{text}</option>
        ))}
      </select>
    </Field>
  );
}

function Hidden(props: { name: string; value: string | number | null | undefined }) {
  return props.value === null || props.value === undefined
    ? null
    : <input type="hidden" name={props.name} value={String(props.value)} />;
}

export default function Plans({ data, state }: PageProps<Data, State>) {
  const t = state.t;
  const q = t.quality;
  const P = q.plans;
  const lang = state.lang;
  const name = (x: { nameEn: string; nameBn: string }) => (lang === "bn" ? x.nameBn : x.nameEn);
  // The posted form keeps what was typed; otherwise the plan or parameter being changed.
  const planVals: Record<string, string> = data.form === "plan" ? data.values : data.plan
    ? {
      code: data.plan.code,
      nameEn: data.plan.nameEn,
      nameBn: data.plan.nameBn,
      stage: data.plan.stage,
      itemCode: data.plan.itemCode ?? "",
      itemKind: data.plan.itemKind ?? "",
    }
    : {};
  const p = data.param;
  const paramVals: Record<string, string> = data.form === "param" ? data.values : p
    ? {
      code: p.code,
      nameEn: p.nameEn,
      nameBn: p.nameBn,
      kind: p.kind,
      unit: p.unit ?? "",
      min: p.min === null ? "" : String(p.min),
      max: p.max === null ? "" : String(p.max),
      choices: p.choices.join(", "),
      passValues: p.passValues.join(", "),
    }
    : {};
  const planErr = data.form === "plan" ? data.errors : {};
  const paramErr = data.form === "param" ? data.errors : {};
  /** A text box of a form, keeping what was typed (`vals`) and showing its messages. */
  const fieldOf =
    (vals: Record<string, string>, errs: Errors) =>
    (id: string, label: string, maxLength: number, required = false) => (
      <TextField
        id={id}
        label={label}
        value={vals[id]}
        error={errs[id]}
        maxLength={maxLength}
        required={required}
      />
    );
  const planField = (id: string, label: string, maxLength: number) =>
    fieldOf(planVals, planErr)(id, label, maxLength, true);
  const paramField = fieldOf(paramVals, paramErr);
  const csrf = <input type="hidden" name="_csrf" value={data.csrf} />;
  const card = "rounded-lg border border-gray-200 bg-white p-3 mb-4";
  return (
    <>
      <PageTitle title={P.title} />
      <p class="text-sm text-gray-700 mb-3 max-w-3xl">{P.intro}</p>
      {data.saved && <Notice>{P.saved}</Notice>}
      <FormErrors m={t.iot} errors={data.errors} />
      <form method="post" class={`${card} max-w-3xl`} id="plan-form">
        {csrf}
        <input type="hidden" name="action" value="savePlan" />
        <Hidden name="planId" value={data.plan?.id} />
        <h2 class="text-lg font-semibold mb-2">
          {data.plan ? `${P.editPlan}: ${data.plan.code}` : P.addPlan}
        </h2>
        <div class="grid sm:grid-cols-2 gap-x-3">
          {!data.plan && planField("code", P.code, 40)}
          <Select
            id="stage"
            label={P.stage}
            options={STAGES.map((s) => [s, q.stages[s]])}
            value={planVals.stage ?? ""}
            error={planErr.stage}
          />
          {planField("nameEn", P.nameEn, 120)}
          {planField("nameBn", P.nameBn, 120)}
          <Select
            id="itemCode"
            label={P.item}
            options={data.items.map((i) => [i.code, `${i.code} — ${name(i)}`])}
            value={planVals.itemCode ?? ""}
            error={planErr.itemCode}
            hint={P.targetHint}
          />
          <Select
            id="itemKind"
            label={P.itemKind}
            options={ITEM_KINDS.map((k) => [k, P.kindsOf[k] ?? k])}
            value={planVals.itemKind ?? ""}
            error={planErr.itemKind}
          />
        </div>
        <div class="flex gap-3 items-center">
          <Button>{P.savePlan}</Button>
          {data.plan && <a href={HERE} class={linkClass}>{P.cancel}</a>}
        </div>
      </form>

      {data.plans.map((plan) => (
        <section
          class={`${card} ${plan.active ? "" : "opacity-75"}`}
          data-plan={plan.code}
          id={`plan-${plan.id}`}
        >
          <div class="flex flex-wrap gap-3 items-baseline">
            <h2 class="text-lg font-semibold">{name(plan)}</h2>
            {!plan.active && (
              <span class="rounded bg-gray-200 px-2 text-xs" data-inactive>{P.inactive}</span>
            )}
            <a href={`${HERE}?plan=${plan.id}#plan-form`} class={linkClass}>{P.edit}</a>
            <form method="post" class="inline">
              {csrf}
              <input type="hidden" name="planId" value={plan.id} />
              <button
                type="submit"
                name="action"
                value={plan.active ? "deactivate" : "activate"}
                class={linkClass}
              >
                {plan.active ? P.deactivate : P.activate}
              </button>
            </form>
          </div>
          <p class="text-sm text-gray-700 mb-2">
            {P.stage}: {q.stages[plan.stage]} · {P.appliesTo}:{" "}
            <code>{plan.itemCode ?? plan.itemKind}</code>
          </p>
          <table class="w-full text-sm">
            <thead class="text-left bg-gray-100">
              <tr>
                <th class="p-1">{q.columns.parameter}</th>
                <th class="p-1">{P.limits}</th>
                <th class="p-1"></th>
              </tr>
            </thead>
            <tbody>
              {plan.parameters.map((x) => (
                <tr class="border-t border-gray-200" data-parameter={x.code}>
                  <td class="p-1">{name(x)}</td>
                  <td class="p-1">{limitsText(x, lang, t)}</td>
                  <td class="p-1 text-right whitespace-nowrap">
                    <a
                      href={`${HERE}?plan=${plan.id}&param=${x.id}#param-form`}
                      class={linkClass}
                    >
                      {P.edit}
                    </a>{" "}
                    <form method="post" class="inline">
                      {csrf}
                      <input type="hidden" name="planId" value={plan.id} />
                      <input type="hidden" name="parameterId" value={x.id} />
                      <button type="submit" name="action" value="removeParameter" class={linkClass}>
                        {P.remove}
                      </button>
                    </form>
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
          {data.plan?.id === plan.id && (
            <form method="post" class="mt-3 border-t pt-3" id="param-form">
              {csrf}
              <input type="hidden" name="action" value="saveParameter" />
              <input type="hidden" name="planId" value={plan.id} />
              <Hidden name="parameterId" value={p?.id} />
              <h3 class="font-semibold mb-2">
                {p ? `${P.editParameter}: ${p.code}` : P.addParameter}
              </h3>
              <div class="grid sm:grid-cols-3 gap-x-3">
                {paramField("code", P.parameterCode, 40, true)}
                {paramField("nameEn", P.nameEn, 120, true)}
                {paramField("nameBn", P.nameBn, 120, true)}
                <Select
                  id="kind"
                  label={P.kind}
                  options={[["range", P.kinds.range], ["choice", P.kinds.choice]]}
                  value={paramVals.kind ?? "range"}
                  error={paramErr.kind}
                />
                {paramField("unit", P.unit, 20)}
                <div></div>
                {paramField("min", P.min, 20)}
                {paramField("max", P.max, 20)}
                <p class="text-xs text-gray-500 self-center">{P.limitsHint}</p>
                {paramField("choices", `${P.choices} — ${P.choicesHint}`, 400)}
                {paramField("passValues", `${P.passValues} — ${P.passHint}`, 400)}
              </div>
              <div class="flex gap-3 items-center">
                <Button>{P.saveParameter}</Button>
                {p && (
                  <a href={`${HERE}?plan=${plan.id}#param-form`} class={linkClass}>{P.cancel}</a>
                )}
              </div>
            </form>
          )}
        </section>
      ))}
    </>
  );
}
