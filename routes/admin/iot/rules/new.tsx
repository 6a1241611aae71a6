import type { Handlers, PageProps } from "@/framework/mod.ts";
import { requirePermission } from "@/plugins/session.ts";
import { ConflictError, RULE_KINDS, type RuleKind } from "@/services/iot/mod.ts";
import { IotRuleForm, ruleField, ruleFromForm } from "@/components/IotRuleForm.tsx";
import { FormErrors, PageTitle } from "@/components/IotUi.tsx";
import { buttonClass, linkClass, PostForm } from "@/components/ui.tsx";
import type { State } from "@/state.ts";
import { type Errors, formValues, saveForm } from "@/routes/admin/iot/(_iot)/iot.ts";

interface Data {
  csrf: string;
  kind: RuleKind | null;
  values: Record<string, string>;
  errors: Errors;
}

const DEFAULTS: Record<RuleKind, Record<string, string>> = {
  threshold: { p_op: ">", p_durationS: "0", p_staleS: "60" },
  rate: { p_op: ">", p_windowS: "15", p_staleS: "60" },
  silence: { p_silentS: "30" },
  activity_spike: {
    p_windowH: "2",
    p_baselineDays: "10",
    p_minDays: "5",
    p_sigma: "2.5",
    p_minRatio: "1.6",
  },
  rumination_drop: {
    p_windowH: "6",
    p_baselineDays: "10",
    p_minDays: "5",
    p_sigma: "2",
    p_maxRatio: "0.7",
  },
};

const kindOf = (v: string | null | undefined): RuleKind | null =>
  (RULE_KINDS as readonly string[]).includes(v ?? "") ? v as RuleKind : null;

/** A new alarm rule: first its kind, then its fields. */
export const handler: Handlers<Data, State> = {
  async GET(ctx) {
    requirePermission(ctx, "iot.manage");
    ctx.state.title = `${ctx.state.t.iot.rules.newTitle} — ${ctx.state.t.site.name}`;
    const kind = kindOf(ctx.url.searchParams.get("kind"));
    return {
      data: {
        csrf: await ctx.csrfToken(),
        kind,
        values: kind ? { severity: "warning", enabled: "on", ...DEFAULTS[kind] } : {},
        errors: {},
      },
    };
  },
  async POST(ctx) {
    requirePermission(ctx, "iot.manage");
    ctx.state.title = `${ctx.state.t.iot.rules.newTitle} — ${ctx.state.t.site.name}`;
    const v = formValues(ctx);
    const kind = kindOf(v.kind);
    if (!kind) {
      return { status: 422, data: { csrf: await ctx.csrfToken(), kind, values: v, errors: {} } };
    }
    const iot = ctx.state.deps.iot;
    const save = async () => {
      const id = (v.id ?? "").trim();
      if (id && await iot.getRule(id)) {
        throw new ConflictError(`A rule with id ${id} exists already`, "id");
      }
      await iot.saveRule(id, ruleFromForm(kind, v));
    };
    return await saveForm(ctx, save, "/admin/iot/rules?saved", { kind }, ruleField);
  },
};

export default function NewRule({ data, state }: PageProps<Data, State>) {
  const m = state.t.iot;
  const r = m.rules;
  if (!data.kind) {
    return (
      <>
        <p class="text-sm mb-2">
          <a href="/admin/iot/rules" class={linkClass}>← {r.title}</a>
        </p>
        <PageTitle title={r.newTitle} />
        <h2 class="font-semibold mb-2">{r.chooseKind}</h2>
        <ul class="grid gap-3 sm:grid-cols-2 max-w-3xl">
          {RULE_KINDS.map((k) => (
            <li>
              <a
                href={`/admin/iot/rules/new?kind=${k}`}
                class="block rounded-lg border border-gray-200 bg-white p-3 hover:border-brand-600"
              >
                <span class="font-medium text-brand-700">{r.kinds[k]}</span>
                <span class="block text-sm text-gray-700">{r.kindHints[k]}</span>
              </a>
            </li>
          ))}
        </ul>
      </>
    );
  }
  return (
    <>
      <p class="text-sm mb-2">
        <a href="/admin/iot/rules/new" class={linkClass}>← {r.chooseKind}</a>
      </p>
      <PageTitle title={r.newTitle} />
      <FormErrors m={m} errors={data.errors} />
      <PostForm csrf={data.csrf} action="/admin/iot/rules/new" novalidate>
        <input type="hidden" name="kind" value={data.kind} />
        <IotRuleForm m={m} kind={data.kind} values={data.values} errors={data.errors} withId />
        <button type="submit" class={buttonClass()}>{m.common.save}</button>
      </PostForm>
    </>
  );
}
