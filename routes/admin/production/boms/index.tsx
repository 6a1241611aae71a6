import type { Handlers, PageProps } from "@/framework/mod.ts";
import type { State } from "@/state.ts";
import { type BomListRow, cleanQuery } from "@/services/production/mod.ts";
import { FilterForm, FilterText } from "@/components/AdminFilters.tsx";
import { buttonClass, linkClass } from "@/components/ui.tsx";
import { day, PageTitle, productionActor, Table, td } from "../(_prod)/prod.tsx";

interface Data {
  rows: BomListRow[];
  q: string;
  saved: boolean;
}

export const handler: Handlers<Data, State> = {
  async GET(ctx) {
    productionActor(ctx);
    const q = cleanQuery(ctx.url.searchParams.get("q"), 60);
    const rows = await ctx.state.deps.production.listBoms({ q });
    ctx.state.title = `${ctx.state.t.production.boms.title} — Smart Dairy`;
    return { data: { rows, q, saved: ctx.url.searchParams.has("saved") } };
  },
};

export default function Boms({ data, state }: PageProps<Data, State>) {
  const m = state.t.production;
  const t = m.boms;
  const lang = state.lang;
  return (
    <>
      <PageTitle title={t.title} intro={t.intro}>
        <a href="/admin/production/boms/new" class={buttonClass()}>{t.newBom}</a>
      </PageTitle>
      <FilterForm action="/admin/production/boms" submit={m.common.filter}>
        <FilterText label={m.common.search} name="q" value={data.q} placeholder="FG-MILK-1000" />
      </FilterForm>
      {data.rows.length === 0
        ? <p class="text-gray-700">{m.common.none}</p>
        : (
          <Table head={[t.product, t.outputItem, t.inForce, t.latest, t.versions, ""]}>
            {data.rows.map((r) => (
              <tr data-bom={r.outputItemCode}>
                <td class={td}>{lang === "bn" ? r.nameBn : r.nameEn}</td>
                <td class={td}>{r.outputItemCode}</td>
                <td class={td}>
                  {r.inForce
                    ? (
                      <a href={`/admin/production/boms/${r.inForce.id}`} class={linkClass}>
                        {t.version(r.inForce.version)} · {day(lang, r.inForce.validFrom)}
                      </a>
                    )
                    : t.noneInForce}
                </td>
                <td class={td}>
                  <a href={`/admin/production/boms/${r.latest.id}`} class={linkClass}>
                    {t.version(r.latest.version)} · {day(lang, r.latest.validFrom)}
                  </a>
                </td>
                <td class={td}>{r.versions}</td>
                <td class={td}>
                  <a
                    href={`/admin/production/mushak?item=${encodeURIComponent(r.outputItemCode)}`}
                    class={linkClass}
                  >
                    {m.nav.mushak}
                  </a>
                </td>
              </tr>
            ))}
          </Table>
        )}
    </>
  );
}
