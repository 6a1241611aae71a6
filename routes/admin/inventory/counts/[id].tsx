import type { PageProps } from "@/framework/mod.ts";
import { HttpError } from "@/framework/mod.ts";
import { type Count, UNITS_OF } from "@/services/inventory/mod.ts";
import {
  Badge,
  CodeCell,
  Csrf,
  FormErrors,
  Notice,
  OpForm,
  Qty,
  QtyCell,
  QtyField,
  SelectInput,
  StockTitle,
  Table,
  td,
  tdNum,
  TextInput,
  UnitSelect,
  when,
} from "@/components/InventoryUi.tsx";
import { Button, inputClass } from "@/components/ui.tsx";
import type { State } from "@/state.ts";
import { idParam, type PageBase, stockPage, title } from "@/routes/admin/inventory/(_inv)/inv.ts";

interface Data {
  count: Count;
  /** The signed-in person counted it (and is no manager): they may not approve it. */
  ownCount: boolean;
  /** Items for a found lot with no record: [code, English name, Bangla name]. */
  items: [string, string, string][];
}

/** The counted quantities of the form (`counted.<lotId>` and `unit.<lotId>`). */
function entries(v: Record<string, string>) {
  return Object.keys(v).filter((k) => /^counted\.[0-9]{1,15}$/.test(k)).map((k) => {
    const lotId = Number(k.slice(8));
    return { lotId, qty: v[k] ?? "", unit: v[`unit.${lotId}`] ?? "" };
  });
}

/**
 * A count sheet: expected per lot, the counted quantities to enter (open), the variance; a
 * second person (or a manager) approves — which adjusts stock — or rejects it.
 */
export const handler = stockPage<Data>(async (ctx) => {
  const count = await ctx.state.deps.inventory.count(idParam(ctx));
  if (!count) throw new HttpError(404, ctx.state.t.stock.errors.notFound);
  title(ctx, ctx.state.t.stock.counts.sheet(count.locationCode));
  const user = ctx.state.user!;
  return {
    count,
    ownCount: count.countedById === user.id && !user.roles.includes("admin"),
    items: count.status === "open"
      ? (await ctx.state.deps.inventory.items()).map((i) => [i.code, i.nameEn, i.nameBn])
      : [],
  };
}, {
  async addLine(ctx, v, actor) {
    const id = idParam(ctx);
    await ctx.state.deps.inventory.addCountLine(id, {
      lotCode: v.lotCode,
      item: v.item,
      newLotCode: v.newLotCode,
      expiresOn: v.expiresOn,
      qty: v.qty ?? "",
      unit: v.unit ?? "",
    }, actor);
    return `/admin/inventory/counts/${id}?done=lineAdded`;
  },
  async save(ctx, v) {
    const id = idParam(ctx);
    await ctx.state.deps.inventory.recordCounted(id, entries(v));
    return `/admin/inventory/counts/${id}?done=saved`;
  },
  async submit(ctx, v, actor) {
    const id = idParam(ctx);
    const inv = ctx.state.deps.inventory;
    await inv.recordCounted(id, entries(v));
    await inv.submitCount(id, actor);
    return `/admin/inventory/counts/${id}?done=submitted`;
  },
  async approve(ctx, _v, actor) {
    const id = idParam(ctx);
    await ctx.state.deps.inventory.approveCount(id, actor);
    return `/admin/inventory/counts/${id}?done=approved`;
  },
  async reject(ctx, v, actor) {
    const id = idParam(ctx);
    await ctx.state.deps.inventory.rejectCount(id, v.reason ?? "", actor);
    return `/admin/inventory/counts/${id}?done=rejected`;
  },
});

export default function CountSheet({ data, state }: PageProps<Data & PageBase, State>) {
  const m = state.t.stock;
  const C = m.counts;
  const lang = state.lang;
  const c = data.count;
  const open = c.status === "open";
  return (
    <>
      <StockTitle
        m={m}
        path="/admin/inventory/counts"
        title={C.sheet(
          `${lang === "bn" ? c.locationNameBn : c.locationNameEn} (${c.locationCode})`,
        )}
      />
      {data.done === "approved" && <Notice>{C.adjusted}</Notice>}
      {data.done === "lineAdded" && <Notice>{C.lineAdded}</Notice>}
      {data.done && data.done !== "approved" && C.status[data.done] && (
        <Notice>{C.status[data.done]}</Notice>
      )}
      <p class="mb-3 flex flex-wrap gap-3 items-center">
        <Badge status={c.status} text={C.status[c.status]} />
        <span>#{c.id} · {when(c.createdAt, lang)} · {c.createdBy}</span>
        {c.countedBy && <span>{C.countedBy}: {c.countedBy} ({when(c.countedAt, lang)})</span>}
        {c.decidedBy && <span>{C.approvedBy}: {c.decidedBy} ({when(c.decidedAt, lang)})</span>}
        {c.reason && <span>{C.reason}: {c.reason}</span>}
      </p>
      <FormErrors m={m} errors={data.errors} />
      <form method="post">
        <Csrf token={data.csrf} />
        <Table
          head={[
            m.common.lot,
            m.common.item,
            m.stock.expires,
            `#${C.expected}`,
            C.counted,
            `#${C.variance}`,
          ]}
          testid="count-sheet"
        >
          {c.lines.map((l) => {
            const field = `counted.${l.lotId}`;
            const err = data.errors[field];
            const unit = data.values[`unit.${l.lotId}`] ?? UNITS_OF[l.base][0];
            return (
              <tr data-lot={l.lotCode}>
                <CodeCell code={l.lotCode} />
                <td class={td}>{lang === "bn" ? l.itemNameBn : l.itemNameEn}</td>
                <td class={td}>{l.expiresOn ?? m.common.none}</td>
                <QtyCell qty={l.expected} base={l.base} lang={lang} />
                <td class={td}>
                  {open
                    ? (
                      <div>
                        <div class="flex gap-1">
                          <input
                            name={field}
                            id={field}
                            inputmode="decimal"
                            aria-label={`${C.counted} ${l.lotCode}`}
                            value={data.values[field] ??
                              (l.counted === null ? "" : String(l.counted))}
                            class={`${inputClass(!!err)} w-28`}
                          />
                          <UnitSelect
                            name={`unit.${l.lotId}`}
                            value={data.values[field] === undefined && l.counted !== null
                              ? UNITS_OF[l.base].at(-1)
                              : unit}
                            base={l.base}
                            lang={lang}
                            label={m.common.unit}
                          />
                        </div>
                        {err && <p class="text-sm text-red-700" role="alert">{err.join(" ")}</p>}
                      </div>
                    )
                    : l.counted === null
                    ? C.notCounted
                    : <Qty qty={l.counted} base={l.base} lang={lang} />}
                </td>
                <td
                  class={`${tdNum} ${l.variance ? "font-semibold text-red-700" : ""}`}
                  data-variance={l.variance ?? ""}
                >
                  {l.variance === null ? "—" : (
                    <>
                      {l.variance > 0 ? "+" : ""}
                      <Qty qty={l.variance} base={l.base} lang={lang} />
                    </>
                  )}
                </td>
              </tr>
            );
          })}
        </Table>
        {open && (
          <div class="flex flex-wrap gap-2 mb-4">
            <Button kind="secondary" name="op" value="save">{C.saveCounts}</Button>
            <Button name="op" value="submit">{C.submit}</Button>
          </div>
        )}
      </form>
      {open && (
        <OpForm csrf={data.csrf} op="addLine" class="max-w-xl mb-4">
          <h2 class="font-semibold mb-1">{C.addFound}</h2>
          <p class="text-sm text-gray-600 mb-3">{C.addFoundHint}</p>
          <TextInput name="lotCode" label={C.foundLotCode} form={data} maxLength={80} />
          <SelectInput
            name="item"
            label={C.foundItem}
            options={data.items.map((
              [code, en, bn],
            ) => [code, `${code} — ${lang === "bn" ? bn : en}`])}
            form={data}
          />
          <TextInput name="newLotCode" label={C.newLotCode} form={data} maxLength={80} />
          <TextInput name="expiresOn" label={C.expiresOn} hint="YYYY-MM-DD" form={data} />
          <QtyField m={m} lang={lang} name="qty" unitName="unit" label={C.counted} form={data} />
          <Button kind="secondary">{C.addLine}</Button>
        </OpForm>
      )}
      {c.status === "submitted" && (
        <div class="bg-white border border-gray-200 rounded-lg p-4 max-w-xl">
          <p class="mb-3 text-sm">{C.secondPerson}</p>
          {!data.ownCount && (
            <form method="post" class="mb-4">
              <Csrf token={data.csrf} />
              <Button name="op" value="approve">{C.approve}</Button>
            </form>
          )}
          <form method="post">
            <Csrf token={data.csrf} />
            <TextInput
              name="reason"
              label={C.reason}
              form={data}
              required
              maxLength={500}
            />
            <Button kind="danger" name="op" value="reject">{C.reject}</Button>
          </form>
        </div>
      )}
    </>
  );
}
