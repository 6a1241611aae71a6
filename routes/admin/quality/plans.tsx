import type { Handlers, PageProps } from "@/framework/mod.ts";
import { PageTitle } from "@/components/IotUi.tsx";
import { fmtNumber } from "@/components/IotFormat.ts";
import type { Plan } from "@/services/quality/mod.ts";
import type { State } from "@/state.ts";

interface Data {
  plans: Plan[];
}

/** The test plans: per item or item kind and stage, each parameter with its limits. */
export const handler: Handlers<Data, State> = {
  async GET(ctx) {
    ctx.state.title = `${ctx.state.t.quality.plans.title} — ${ctx.state.t.site.name}`;
    return { data: { plans: await ctx.state.deps.quality.listPlans() } };
  },
};

export default function Plans({ data, state }: PageProps<Data, State>) {
  const q = state.t.quality;
  const lang = state.lang;
  const n = (v: number) => fmtNumber(lang, v, 2);
  return (
    <>
      <PageTitle title={q.plans.title} />
      {data.plans.map((p) => (
        <section class="rounded-lg border border-gray-200 bg-white p-3 mb-4" data-plan={p.code}>
          <h2 class="text-lg font-semibold">{lang === "bn" ? p.nameBn : p.nameEn}</h2>
          <p class="text-sm text-gray-700 mb-2">
            {q.plans.stage}: {q.stages[p.stage]} · {q.plans.appliesTo}:{" "}
            <code>{p.itemCode ?? p.itemKind}</code>
          </p>
          <table class="w-full text-sm">
            <thead class="text-left bg-gray-100">
              <tr>
                <th class="p-1">{q.columns.parameter}</th>
                <th class="p-1">{q.plans.limits}</th>
              </tr>
            </thead>
            <tbody>
              {p.parameters.map((x) => (
                <tr class="border-t border-gray-200">
                  <td class="p-1">{lang === "bn" ? x.nameBn : x.nameEn}</td>
                  <td class="p-1">
                    {x.kind === "range"
                      ? [x.min !== null && `≥ ${n(x.min)}`, x.max !== null && `≤ ${n(x.max)}`]
                        .filter(Boolean).join(", ") + (x.unit ? ` ${x.unit}` : "")
                      : x.passValues.map((v) => q.choices[v] ?? v).join(" / ")}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </section>
      ))}
    </>
  );
}
