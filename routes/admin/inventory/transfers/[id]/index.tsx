import type { PageProps } from "@/framework/mod.ts";
import { HttpError } from "@/framework/mod.ts";
import type { Transfer } from "@/services/inventory/mod.ts";
import {
  Badge,
  Csrf,
  Facts,
  FormErrors,
  LotLink,
  Notice,
  OpForm,
  placeName,
  QtyCell,
  StockTitle,
  Table,
  td,
  TransferLineFields,
  when,
} from "@/components/InventoryUi.tsx";
import { Button, buttonClass } from "@/components/ui.tsx";
import type { State } from "@/state.ts";
import {
  type Action,
  idParam,
  type PageBase,
  stockPage,
  title,
} from "@/routes/admin/inventory/(_inv)/inv.ts";

interface Data {
  transfer: Transfer;
}

const back = (id: number, done: string) => `/admin/inventory/transfers/${id}?done=${done}`;

/** A step of the transfer by the form's `op`, then back to the transfer. */
const step = (
  run: (
    inv: State["deps"]["inventory"],
    id: number,
    a: { id: string; name: string },
  ) => Promise<unknown>,
  done: string,
): Action =>
async (ctx, _v, actor) => {
  const id = idParam(ctx);
  await run(ctx.state.deps.inventory, id, actor);
  return back(id, done);
};

/** One transfer: its lines, and the next step (add/remove lines, dispatch, receive, cancel). */
export const handler = stockPage<Data>(async (ctx) => {
  const transfer = await ctx.state.deps.inventory.transfer(idParam(ctx));
  if (!transfer) throw new HttpError(404, ctx.state.t.stock.errors.notFound);
  title(ctx, `${ctx.state.t.stock.transfers.title} ${transfer.number}`);
  return { transfer };
}, {
  async add(ctx, v, actor) {
    const id = idParam(ctx);
    await ctx.state.deps.inventory.addTransferLine(id, {
      lot: v["line.lot"] ?? "",
      qty: v["line.qty"] ?? "",
      unit: v["line.unit"] ?? "",
    }, actor);
    return back(id, "added");
  },
  async remove(ctx, v) {
    const id = idParam(ctx);
    await ctx.state.deps.inventory.removeTransferLine(id, Number(v.line) || 0);
    return back(id, "removed");
  },
  dispatch: step((inv, id, a) => inv.dispatchTransfer(id, a), "dispatched"),
  receive: step((inv, id, a) => inv.receiveTransfer(id, a), "received"),
  cancel: step((inv, id, a) => inv.cancelTransfer(id, a), "cancelled"),
});

function OpButton(
  props: { csrf: string; op: string; text: string; kind?: "primary" | "danger" | "secondary" },
) {
  return (
    <OpForm csrf={props.csrf} op={props.op} plain class="inline">
      <Button kind={props.kind}>{props.text}</Button>
    </OpForm>
  );
}

export default function TransferPage({ data, state }: PageProps<Data & PageBase, State>) {
  const m = state.t.stock;
  const T = m.transfers;
  const lang = state.lang;
  const t = data.transfer;
  const draft = t.status === "draft";
  return (
    <>
      <StockTitle m={m} path="/admin/inventory/transfers" title={`${T.title} ${t.number}`}>
        <a href={`/admin/inventory/transfers/${t.id}/mushak`} class={buttonClass("secondary")}>
          {T.mushak}
        </a>
      </StockTitle>
      {data.done && T.status[data.done] && <Notice>{T.status[data.done]}</Notice>}
      <FormErrors m={m} errors={data.errors} />
      {t.needsMushak && t.status !== "cancelled" && <Notice>{T.mushakNeeded}</Notice>}
      <Facts
        facts={[
          [m.common.status, <Badge status={t.status} text={T.status[t.status]} />],
          [T.from, placeName(t.from, lang)],
          [T.to, placeName(t.to, lang)],
          [T.vehicle, t.vehicle ?? m.common.none],
          [T.created, `${when(t.createdAt, lang)} · ${t.createdBy}`],
          [
            T.dispatched,
            t.dispatchedAt ? `${when(t.dispatchedAt, lang)} · ${t.dispatchedBy}` : m.common.none,
          ],
          [
            T.received,
            t.receivedAt ? `${when(t.receivedAt, lang)} · ${t.receivedBy}` : m.common.none,
          ],
          [m.common.note, t.note ?? m.common.none],
        ]}
      />
      {t.lines.length === 0 ? <p class="mb-4">{T.noLines}</p> : (
        <Table
          head={["#", m.common.lot, m.common.item, m.stock.expires, `#${m.common.quantity}`, ""]}
          testid="transfer-lines"
        >
          {t.lines.map((l) => (
            <tr data-lot={l.lotCode}>
              <td class={td}>{l.lineNo}</td>
              <td class={td}>
                <LotLink id={l.lotId} code={l.lotCode} />
              </td>
              <td class={td}>{lang === "bn" ? l.itemNameBn : l.itemNameEn}</td>
              <td class={td}>{l.expiresOn ?? m.common.none}</td>
              <QtyCell qty={l.qty} base={l.base} lang={lang} />
              <td class={td}>
                {draft && (
                  <form method="post">
                    <Csrf token={data.csrf} />
                    <input type="hidden" name="op" value="remove" />
                    <input type="hidden" name="line" value={String(l.lineNo)} />
                    <Button kind="small">{T.remove}</Button>
                  </form>
                )}
              </td>
            </tr>
          ))}
        </Table>
      )}
      {draft && (
        <OpForm csrf={data.csrf} op="add" class="max-w-2xl">
          <h2 class="font-semibold mb-2">{T.addLineTitle}</h2>
          <TransferLineFields m={m} lang={lang} prefix="line" label={T.lineLot} form={data} />
          <Button kind="secondary">{T.add}</Button>
        </OpForm>
      )}
      <div class="flex flex-wrap gap-2">
        {draft && <OpButton csrf={data.csrf} op="dispatch" text={T.dispatch} />}
        {t.status === "dispatched" && <OpButton csrf={data.csrf} op="receive" text={T.receive} />}
        {draft && <OpButton csrf={data.csrf} op="cancel" text={T.cancelTransfer} kind="danger" />}
      </div>
    </>
  );
}
