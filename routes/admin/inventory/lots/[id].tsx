import type { PageProps } from "@/framework/mod.ts";
import { HttpError } from "@/framework/mod.ts";
import type { Lot } from "@/services/inventory/mod.ts";
import {
  CodeCell,
  Facts,
  Notice,
  OpForm,
  Qty,
  QtyCell,
  ScrapFields,
  StockTitle,
  Table,
  td,
  tdNum,
  when,
} from "@/components/InventoryUi.tsx";
import { buttonClass, LotStatusBadge } from "@/components/ui.tsx";
import type { State } from "@/state.ts";
import {
  idParam,
  type PageBase,
  scrapInput,
  stockPage,
  title,
} from "@/routes/admin/inventory/(_inv)/inv.ts";

interface Data {
  lot: Lot;
  moves: Awaited<ReturnType<State["deps"]["inventory"]["movesOfLot"]>>;
}

/** One lot: item, dates, status, where its stock is, every move of its ledger; scrap from it. */
export const handler = stockPage<Data>(async (ctx) => {
  const inv = ctx.state.deps.inventory;
  const id = idParam(ctx);
  const lot = await inv.lot(id);
  if (!lot) throw new HttpError(404, ctx.state.t.stock.errors.notFound);
  title(ctx, ctx.state.t.stock.lot.title(lot.code));
  return { lot, moves: await inv.movesOfLot(id) };
}, {
  async scrap(ctx, v, actor) {
    const inv = ctx.state.deps.inventory;
    const lot = await inv.lot(idParam(ctx));
    if (!lot) throw new HttpError(404, ctx.state.t.stock.errors.notFound);
    await inv.scrap(scrapInput(v, lot.code), actor);
    return `/admin/inventory/lots/${lot.id}?done=scrapped`;
  },
});

export default function LotPage({ data, state }: PageProps<Data & PageBase, State>) {
  const m = state.t.stock;
  const lang = state.lang;
  const l = data.lot;
  const held = l.balances.filter((b) => b.onHand > 0);
  return (
    <>
      <StockTitle m={m} path="/admin/inventory/stock" title={m.lot.title(l.code)}>
        {held.length > 0 && (
          <a
            href={`/admin/inventory/transfers/new?from=${held[0].locationCode}&lot=${l.code}`}
            class={buttonClass("secondary")}
          >
            {m.lot.transferIt}
          </a>
        )}
      </StockTitle>
      {data.done === "scrapped" && <Notice>{m.scrap.done}</Notice>}
      <Facts
        facts={[
          [
            m.lot.item,
            <>
              {lang === "bn" ? l.itemName.bn : l.itemName.en} <code>{l.itemCode}</code>
            </>,
          ],
          [m.common.status, <LotStatusBadge status={l.status} label={m.lotStatus[l.status]} />],
          [m.stock.produced, l.producedOn],
          [m.stock.expires, l.expiresOn ?? m.common.none],
          [m.lot.receivedAt, <code>{l.locationCode}</code>],
          [m.lot.receivedQty, <Qty qty={l.receivedQty} base={l.base} lang={lang} />],
          [m.lot.ref, `${l.ref.kind} ${l.ref.id}`],
          [m.stock.available, <Qty qty={l.available} base={l.base} lang={lang} />],
        ]}
      />
      <h2 class="text-lg font-semibold mb-2">{m.lot.where}</h2>
      <Table
        head={[
          m.common.location,
          `#${m.stock.onHand}`,
          `#${m.stock.reserved}`,
          `#${m.stock.available}`,
        ]}
        testid="lot-stock"
      >
        {l.balances.map((b) => (
          <tr data-location={b.locationCode}>
            <CodeCell code={b.locationCode} />
            <QtyCell qty={b.onHand} base={l.base} lang={lang} />
            <QtyCell qty={b.reserved} base={l.base} lang={lang} />
            <QtyCell qty={b.onHand - b.reserved} base={l.base} lang={lang} />
          </tr>
        ))}
      </Table>
      <h2 class="text-lg font-semibold mb-2">{m.lot.moves}</h2>
      {data.moves.length === 0 ? <p class="mb-4">{m.lot.noMoves}</p> : (
        <Table
          head={[
            m.common.when,
            m.common.location,
            m.common.status,
            `#${m.common.quantity}`,
            m.lot.ref,
            m.common.who,
            m.common.note,
          ]}
          testid="lot-moves"
        >
          {data.moves.map((mv) => (
            <tr data-move={mv.kind}>
              <td class={td}>{when(mv.at, lang)}</td>
              <CodeCell code={mv.locationCode} />
              <td class={td}>{m.moveKinds[mv.kind] ?? mv.kind}</td>
              <td class={`${tdNum} ${mv.qty < 0 ? "text-red-700" : "text-green-800"}`}>
                {mv.qty > 0 ? "+" : ""}
                <Qty qty={mv.qty} base={l.base} lang={lang} />
              </td>
              <td class={td}>{mv.ref.kind} {mv.ref.id}</td>
              <td class={td}>{mv.actorName}</td>
              <td class={td}>{mv.note ?? ""}</td>
            </tr>
          ))}
        </Table>
      )}
      {held.length > 0 && (
        <OpForm csrf={data.csrf} op="scrap" m={m} errors={data.errors} class="max-w-xl">
          <h2 class="text-lg font-semibold mb-2" id="scrap">{m.lot.scrapIt}</h2>
          <ScrapFields
            m={m}
            lang={lang}
            locations={held.map((b) => [b.locationCode, b.locationCode])}
            base={l.base}
            form={data}
          />
        </OpForm>
      )}
    </>
  );
}
