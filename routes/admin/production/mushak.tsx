import type { Handlers, PageProps, RouteConfig } from "@/framework/mod.ts";
import type { State } from "@/state.ts";
import { messages } from "@/services/i18n/mod.ts";
import { type BomListRow, isoDate, type Mushak43 } from "@/services/production/mod.ts";
import { buttonClass, linkClass, selectClass } from "@/components/ui.tsx";
import { num, pct, productionActor } from "./(_prod)/prod.tsx";

/** A sheet of its own: no back-office sidebar on paper. */
export const config: RouteConfig = { skipInheritedLayouts: true };

interface Data {
  products: BomListRow[];
  item: string;
  on: string;
  form: Mushak43 | null;
  today: string;
}

export const handler: Handlers<Data, State> = {
  async GET(ctx) {
    productionActor(ctx);
    const production = ctx.state.deps.production;
    const p = ctx.url.searchParams;
    const today = production.today();
    const date = isoDate().safeParse(p.get("on") ?? "");
    const on = date.success ? date.data : today;
    const products = await production.listBoms({ on });
    const item = products.find((b) => b.outputItemCode === p.get("item"))?.outputItemCode ?? "";
    let form: Mushak43 | null = null;
    if (item) form = await production.mushak43(item, on).catch(() => null);
    ctx.state.title = `${ctx.state.t.production.mushak.title} ${item} — Smart Dairy`;
    return { data: { products, item, on, form, today } };
  },
};

/** Both languages on one sheet: Bangla first, English under it. */
function Both(props: { k: keyof ReturnType<typeof messages>["production"]["mushak"] }) {
  const bn = messages("bn").production.mushak[props.k];
  const en = messages("en").production.mushak[props.k];
  return (
    <>
      <span lang="bn">{bn}</span>
      <br />
      <span lang="en" class="text-xs text-gray-600">{en}</span>
    </>
  );
}

const th = "border border-gray-500 px-2 py-1 align-top text-left";
const cell = "border border-gray-500 px-2 py-1 align-top";

export default function Mushak({ data, state }: PageProps<Data, State>) {
  const m = state.t.production;
  const t = m.mushak;
  const f = data.form;
  const lang = state.lang;
  const n = (x: number) => num("en", x, 4);
  return (
    <main class="p-4 md:p-8 max-w-6xl mx-auto bg-white text-gray-900">
      <div class="print:hidden mb-6">
        <p class="mb-2">
          <a href="/admin/production/boms" class={linkClass}>{m.common.back}</a>
        </p>
        <form method="get" action="/admin/production/mushak" class="flex flex-wrap gap-2 items-end">
          <label class="flex flex-col text-sm">
            {t.product}
            <select name="item" class={selectClass}>
              {data.products.map((b) => (
                <option value={b.outputItemCode} selected={b.outputItemCode === data.item}>
                  {lang === "bn" ? b.nameBn : b.nameEn} ({b.outputItemCode})
                </option>
              ))}
            </select>
          </label>
          <label class="flex flex-col text-sm">
            {t.on}
            <input type="date" name="on" value={data.on} class={selectClass} />
          </label>
          <button type="submit" class={buttonClass("secondary")}>{t.show}</button>
        </form>
      </div>
      {data.item && !f && <p role="alert">{t.none}</p>}
      {f && (
        <article data-mushak={f.product.code}>
          <header class="text-center mb-4">
            <p class="font-bold text-lg">
              <span lang="bn">মূসক-৪.৩</span> / Mushak-4.3
            </p>
            <h1 class="font-bold text-xl">
              <Both k="formTitle" />
            </h1>
            <p class="text-sm">
              <Both k="rule" />
            </p>
          </header>
          <dl class="grid grid-cols-2 gap-x-6 gap-y-1 text-sm mb-4">
            <dt>
              <Both k="company" />
            </dt>
            <dd>{t.companyName}</dd>
            <dt>
              <Both k="bin" />
            </dt>
            <dd>{t.binValue}</dd>
            <dt>
              <Both k="address" />
            </dt>
            <dd>{t.addressValue}</dd>
            <dt>
              <Both k="submitted" />
            </dt>
            <dd>{data.today}</dd>
            <dt>
              <Both k="firstSupply" />
            </dt>
            <dd data-valid-from>{f.bom.validFrom}</dd>
            <dt>
              <Both k="version" />
            </dt>
            <dd>{f.bom.version}</dd>
          </dl>
          <table class="w-full text-sm border-collapse mb-6">
            <thead>
              <tr>
                <th class={th} rowSpan={2}>
                  <Both k="serial" />
                </th>
                <th class={th} rowSpan={2}>
                  <Both k="hs" />
                </th>
                <th class={th} rowSpan={2}>
                  <Both k="goods" />
                </th>
                <th class={th} rowSpan={2}>
                  <Both k="unitOfSupply" />
                </th>
                <th class={th} colSpan={5}>
                  <Both k="materials" />
                </th>
                <th class={th} rowSpan={2}>
                  <Both k="remarks" />
                </th>
              </tr>
              <tr>
                <th class={th}>
                  <Both k="material" />
                </th>
                <th class={th}>
                  <Both k="qtyWithWastage" />
                </th>
                <th class={th}>
                  <Both k="wastageQty" />
                </th>
                <th class={th}>
                  <Both k="wastagePct" />
                </th>
                <th class={th}>
                  <Both k="value" />
                </th>
              </tr>
            </thead>
            <tbody>
              {f.inputs.map((i, k) => (
                <tr data-coefficient={i.itemCode}>
                  {k === 0 && (
                    <>
                      <td class={cell} rowSpan={f.inputs.length}>1</td>
                      <td class={cell} rowSpan={f.inputs.length}>{f.bom.hsCode ?? ""}</td>
                      <td class={cell} rowSpan={f.inputs.length}>
                        <span lang="bn">{f.product.nameBn}</span>
                        <br />
                        {f.product.nameEn}
                        <br />
                        <span class="text-xs">{f.product.code}</span>
                      </td>
                      <td class={cell} rowSpan={f.inputs.length}>
                        <span lang="bn">{f.unit.bn}</span>
                        <br />
                        {f.unit.en}
                      </td>
                    </>
                  )}
                  <td class={cell}>
                    <span lang="bn">{i.nameBn}</span>
                    <br />
                    {i.nameEn} <span class="text-xs">({i.itemCode})</span>
                  </td>
                  <td class={cell}>{n(i.perUnit)} {i.base}</td>
                  <td class={cell}>{n(i.wastagePerUnit)} {i.base}</td>
                  <td class={cell}>{pct("en", i.wastageBp)}</td>
                  <td class={cell}></td>
                  {k === 0 && <td class={cell} rowSpan={f.inputs.length}>{f.bom.note ?? ""}</td>}
                </tr>
              ))}
            </tbody>
          </table>
          {f.byproducts.length > 0 && (
            <>
              <h2 class="font-semibold mb-1">
                <Both k="byproducts" />
              </h2>
              <table class="w-full text-sm border-collapse mb-6">
                <thead>
                  <tr>
                    <th class={th}>
                      <Both k="serial" />
                    </th>
                    <th class={th}>
                      <Both k="material" />
                    </th>
                    <th class={th}>
                      <Both k="perUnit" />
                    </th>
                  </tr>
                </thead>
                <tbody>
                  {f.byproducts.map((b) => (
                    <tr data-byproduct={b.itemCode}>
                      <td class={cell}>{b.serial}</td>
                      <td class={cell}>
                        <span lang="bn">{b.nameBn}</span>
                        <br />
                        {b.nameEn} <span class="text-xs">({b.itemCode})</span>
                      </td>
                      <td class={cell}>{n(b.perUnit)} {b.base}</td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </>
          )}
          <p class="mt-16 text-right text-sm">
            ______________________________
            <br />
            <Both k="signature" />
          </p>
        </article>
      )}
    </main>
  );
}
