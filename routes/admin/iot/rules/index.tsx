import type { Handlers, PageProps } from "@/framework/mod.ts";
import { HttpError } from "@/framework/mod.ts";
import { requirePermission, userCan } from "@/plugins/session.ts";
import { type AlarmRule } from "@/services/iot/mod.ts";
import { ruleSummary } from "@/components/IotRuleForm.tsx";
import { Notice, PageTitle, SeverityBadge } from "@/components/IotUi.tsx";
import { buttonClass, linkClass, PostForm } from "@/components/ui.tsx";
import type { State } from "@/state.ts";
import { formValues } from "@/routes/admin/iot/(_iot)/iot.ts";

interface Data {
  csrf: string;
  rules: AlarmRule[];
  canManage: boolean;
  notice?: "saved";
}

/** The alarm rules, with a switch each (iot.manage). */
export const handler: Handlers<Data, State> = {
  async GET(ctx) {
    requirePermission(ctx, "iot.view");
    ctx.state.title = `${ctx.state.t.iot.rules.title} — ${ctx.state.t.site.name}`;
    return {
      data: {
        csrf: await ctx.csrfToken(),
        rules: await ctx.state.deps.iot.listRules(),
        canManage: userCan(ctx, "iot.manage"),
        notice: ctx.url.searchParams.has("saved") ? "saved" : undefined,
      },
    };
  },
  async POST(ctx) {
    requirePermission(ctx, "iot.manage");
    const v = formValues(ctx);
    if (v.action !== "enable" && v.action !== "disable") throw new HttpError(400, "Unknown action");
    try {
      await ctx.state.deps.iot.setRuleEnabled(v.ruleId ?? "", v.action === "enable");
    } catch (e) {
      if ((e as { status?: number }).status === 404) throw new HttpError(404);
      throw e;
    }
    return new Response(null, { status: 303, headers: { location: "/admin/iot/rules?saved" } });
  },
};

export default function Rules({ data, state }: PageProps<Data, State>) {
  const m = state.t.iot;
  const r = m.rules;
  return (
    <>
      <PageTitle title={r.title} intro={r.intro}>
        {data.canManage && <a href="/admin/iot/rules/new" class={buttonClass()}>{r.new}</a>}
      </PageTitle>
      {data.notice && <Notice>{r.saved}</Notice>}
      {data.rules.length === 0 ? <p>{r.none}</p> : (
        <ul class="space-y-3">
          {data.rules.map((x) => (
            <li
              class={`rounded-lg border bg-white p-3 ${
                x.enabled ? "border-gray-200" : "border-dashed border-gray-300 opacity-75"
              }`}
              data-rule={x.id}
            >
              <div class="flex flex-wrap items-center gap-2">
                <SeverityBadge severity={x.severity} m={m} />
                <a
                  href={`/admin/iot/rules/${encodeURIComponent(x.id)}`}
                  class={`${linkClass} font-medium`}
                >
                  {x.name}
                </a>
                {!x.enabled && (
                  <span class="text-xs rounded bg-gray-200 px-2 py-0.5">{r.disabled}</span>
                )}
              </div>
              <p class="text-sm text-gray-700 mt-1">
                {r.kinds[x.kind]} · {ruleSummary(x, m, state.lang)}
              </p>
              <p class="text-xs text-gray-600">
                {r.appliesTo}: {x.deviceId ?? (x.deviceType ? m.typesPlural[x.deviceType] : "—")}
                {x.holdsTank && (
                  <>
                    {" · "}
                    <strong>{r.holdsTank}</strong>
                  </>
                )}
              </p>
              {data.canManage && (
                <PostForm csrf={data.csrf} action="/admin/iot/rules" class="mt-2">
                  <input type="hidden" name="ruleId" value={x.id} />
                  <input type="hidden" name="action" value={x.enabled ? "disable" : "enable"} />
                  <button type="submit" class={buttonClass("small")}>
                    {x.enabled ? r.disable : r.enable}
                  </button>
                </PostForm>
              )}
            </li>
          ))}
        </ul>
      )}
    </>
  );
}
