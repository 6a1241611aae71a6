import type { PageProps } from "@/framework/mod.ts";
import type { ScrapRecord } from "@/services/inventory/mod.ts";
import {
  CodeCell,
  ListPager,
  LotLink,
  Notice,
  OpForm,
  placeName,
  QtyCell,
  ScrapFields,
  StockTitle,
  Table,
  td,
  TextInput,
  when,
} from "@/components/InventoryUi.tsx";
import type { State } from "@/state.ts";
import {
  listPage,
  type PageBase,
  type PagedList,
  scrapInput,
} from "@/routes/admin/inventory/(_inv)/inv.ts";

type Data = PagedList<ScrapRecord>;

/** Scrap stock of a lot at a location with a reason; the scrap record, newest first. */
export const handler = listPage((m) => m.scrap.title, (inv) => inv.scraps, {
  async scrap(ctx, v, actor) {
    await ctx.state.deps.inventory.scrap(scrapInput(v, v.lot ?? ""), actor);
    return "/admin/inventory/scrap?done=scrapped";
  },
}, false);

export default function Scrap({ data, state, url }: PageProps<Data & PageBase, State>) {
  const m = state.t.stock;
  const S = m.scrap;
  const lang = state.lang;
  return (
    <>
      <StockTitle m={m} path={url.pathname} title={S.title} intro={S.intro} />
      {data.done === "scrapped" && <Notice>{S.done}</Notice>}
      <OpForm csrf={data.csrf} op="scrap" m={m} errors={data.errors} class="max-w-xl">
        <TextInput
          name="lot"
          label={S.lotCode}
          form={data}
          required
          maxLength={80}
        />
        <ScrapFields
          m={m}
          lang={lang}
          locations={data.locations.map((l) => [l.code, placeName(l, lang)])}
          form={data}
        />
      </OpForm>
      <h2 class="text-lg font-semibold mb-2">{S.recent}</h2>
      {data.rows.length === 0 ? <p>{S.none}</p> : (
        <Table
          head={[
            m.common.when,
            m.common.lot,
            m.common.item,
            m.common.location,
            `#${m.common.quantity}`,
            S.reason,
            m.common.who,
          ]}
          testid="scraps"
        >
          {data.rows.map((r) => (
            <tr data-scrap={r.id}>
              <td class={td}>{when(r.at, lang)}</td>
              <td class={td}>
                <LotLink id={r.lotId} code={r.lotCode} />
              </td>
              <td class={td}>{lang === "bn" ? r.itemNameBn : r.itemNameEn}</td>
              <CodeCell code={r.locationCode} />
              <QtyCell qty={r.qty} base={r.base} lang={lang} />
              <td class={td}>{S.reasons[r.reason]}{r.note ? ` — ${r.note}` : ""}</td>
              <td class={td}>{r.actorName}</td>
            </tr>
          ))}
        </Table>
      )}
      <ListPager m={m} url={url} page={data.page} total={data.total} />
    </>
  );
}
