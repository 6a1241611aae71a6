import type { Handlers, PageProps } from "@/framework/mod.ts";
import { HttpError } from "@/framework/mod.ts";
import type { Context } from "@/framework/mod.ts";
import { requirePermission, userCan } from "@/plugins/session.ts";
import { type AlarmRule } from "@/services/iot/mod.ts";
import { IotRuleForm, ruleField, ruleFromForm, ruleToForm } from "@/components/IotRuleForm.tsx";
import { FormErrors, PageTitle } from "@/components/IotUi.tsx";
import { buttonClass, linkClass, PostForm } from "@/components/ui.tsx";
import type { State } from "@/state.ts";
import { type Errors, formValues, saveForm } from "@/routes/admin/iot/(_iot)/iot.ts";

interface Data {
  csrf: string;
  rule: AlarmRule;
  values: Record<string, string>;
  errors: Errors;
  canManage: boolean;
}

async function load(ctx: Context<State>): Promise<AlarmRule> {
  const rule = await ctx.state.deps.iot.getRule(ctx.params.id);
  if (!rule) throw new HttpError(404);
  ctx.state.title = `${ctx.state.t.iot.rules.editTitle(rule.name)} — ${ctx.state.t.site.name}`;
  return rule;
}

/** One alarm rule: read by anyone who sees alarms, changed with iot.manage. */
export const handler: Handlers<Data, State> = {
  async GET(ctx) {
    requirePermission(ctx, "iot.view");
    const rule = await load(ctx);
    return {
      data: {
        csrf: await ctx.csrfToken(),
        rule,
        values: ruleToForm(rule),
        errors: {},
        canManage: userCan(ctx, "iot.manage"),
      },
    };
  },
  async POST(ctx) {
    requirePermission(ctx, "iot.manage");
    const rule = await load(ctx);
    const save = () =>
      ctx.state.deps.iot.saveRule(rule.id, ruleFromForm(rule.kind, formValues(ctx)));
    return await saveForm(
      ctx,
      save,
      "/admin/iot/rules?saved",
      { rule, canManage: true },
      ruleField,
    );
  },
};

export default function EditRule({ data, state }: PageProps<Data, State>) {
  const m = state.t.iot;
  const r = m.rules;
  return (
    <>
      <p class="text-sm mb-2">
        <a href="/admin/iot/rules" class={linkClass}>← {r.title}</a>
      </p>
      <PageTitle title={r.editTitle(data.rule.name)} />
      <p class="text-sm text-gray-600 mb-3">
        {r.id}: <code>{data.rule.id}</code>
      </p>
      <FormErrors m={m} errors={data.errors} />
      <PostForm csrf={data.csrf} novalidate>
        <fieldset disabled={!data.canManage}>
          <IotRuleForm
            m={m}
            kind={data.rule.kind}
            values={data.values}
            errors={data.errors}
            withId={false}
          />
          {data.canManage && <button type="submit" class={buttonClass()}>{m.common.save}</button>}
        </fieldset>
      </PostForm>
    </>
  );
}
