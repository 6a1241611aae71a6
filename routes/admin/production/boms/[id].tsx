import type { Handlers, PageProps } from "@/framework/mod.ts";
import type { State } from "@/state.ts";
import { type Bom, pathId } from "@/services/production/mod.ts";
import { buttonClass, linkClass } from "@/components/ui.tsx";
import { day, Notice, num, PageTitle, pct, productionActor, Table, td } from "../(_prod)/prod.tsx";

interface Data {
  bom: Bom;
  versions: Bom[];
  saved: boolean;
}

export const handler: Handlers<Data, State> = {
  async GET(ctx) {
    productionActor(ctx);
    const production = ctx.state.deps.production;
    const bom = await production.getBom(pathId(ctx.params.id));
    const versions = await production.bomVersions(bom.outputItemCode);
    ctx.state.title = `${bom.outputItemCode} v${bom.version} — Smart Dairy`;
    return { data: { bom, versions, saved: ctx.url.searchParams.has("saved") } };
  },
};

export default function BomPage({ data, state }: PageProps<Data, State>) {
  const m = state.t.production;
  const t = m.boms;
  const lang = state.lang;
  const b = data.bom;
  return (
    <>
      <PageTitle
        title={`${lang === "bn" ? b.nameBn : b.nameEn} · ${t.version(b.version)}`}
        intro={`${b.outputItemCode} · ${t.perBatch(num(lang, b.outputQty))} · ${t.validFrom} ${
          day(lang, b.validFrom)
        } ${t.validTo} ${b.validTo ? day(lang, b.validTo) : t.open}`}
      >
        <a href={`/admin/production/boms/new?from=${b.id}`} class={buttonClass("secondary")}>
          {t.newVersion}
        </a>
        <a
          href={`/admin/production/mushak?item=${
            encodeURIComponent(b.outputItemCode)
          }&on=${b.validFrom}`}
          class={buttonClass()}
        >
          {t.printMushak}
        </a>
      </PageTitle>
      {data.saved && <Notice>{t.saved}</Notice>}
      <p class="mb-4 text-sm">
        {t.lossPct}: <strong data-loss>{pct(lang, b.lossBp)}</strong> · {t.tolerancePct}:{" "}
        <strong>{pct(lang, b.toleranceBp)}</strong>
        {b.targetFatBp !== null && <>· {t.targetFat}: {pct(lang, b.targetFatBp)}</>}
        {b.targetSnfBp !== null && <>· {t.targetSnf}: {pct(lang, b.targetSnfBp)}</>}
        {b.hsCode && <>· {t.hsCode}: {b.hsCode}</>}
      </p>
      <h2 class="text-lg font-semibold mb-2">{t.inputs}</h2>
      <Table head={[m.common.item, t.role, m.common.qty, t.wastage]}>
        {b.inputs.map((i) => (
          <tr data-input={i.itemCode}>
            <td class={td}>{i.itemCode}</td>
            <td class={td}>{m.roles[i.role]}</td>
            <td class={td}>{num(lang, i.qty)}</td>
            <td class={td}>{pct(lang, i.wastageBp)}</td>
          </tr>
        ))}
      </Table>
      {b.byproducts.length > 0 && (
        <>
          <h2 class="text-lg font-semibold mb-2">{t.byproducts}</h2>
          <Table head={[m.common.item, m.common.qty]}>
            {b.byproducts.map((x) => (
              <tr>
                <td class={td}>{x.itemCode}</td>
                <td class={td}>{num(lang, x.qty)}</td>
              </tr>
            ))}
          </Table>
        </>
      )}
      {b.note && <p class="text-sm mb-4">{t.note}: {b.note}</p>}
      <h2 class="text-lg font-semibold mb-2">{t.history}</h2>
      <Table head={[t.versions, t.validFrom, t.validTo, t.lossPct]}>
        {data.versions.map((v) => (
          <tr data-version={v.version}>
            <td class={td}>
              {v.id === b.id
                ? <strong>{t.version(v.version)}</strong>
                : (
                  <a href={`/admin/production/boms/${v.id}`} class={linkClass}>
                    {t.version(v.version)}
                  </a>
                )}
            </td>
            <td class={td}>{day(lang, v.validFrom)}</td>
            <td class={td}>{v.validTo ? day(lang, v.validTo) : t.open}</td>
            <td class={td}>{pct(lang, v.lossBp)}</td>
          </tr>
        ))}
      </Table>
      <p>
        <a href="/admin/production/boms" class={linkClass}>{m.common.back}</a>
      </p>
    </>
  );
}
