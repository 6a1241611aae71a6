import type { Handlers, PageProps } from "@/framework/mod.ts";
import { HttpError } from "@/framework/mod.ts";
import { PageTitle } from "@/components/IotUi.tsx";
import { buttonClass, PostForm } from "@/components/ui.tsx";
import { optionalId } from "@/services/purchase/mod.ts";
import type { Proposal } from "@/services/purchase/mod.ts";
import type { State } from "@/state.ts";
import { actorOf, type Errors, formValues, saveOr } from "./(_purchase)/lib.ts";
import { Errors as ErrorList, PurchaseTabs, qty, Table, taka, td } from "./(_purchase)/ui.tsx";

interface Data {
  csrf: string;
  proposals: Proposal[];
  errors: Errors;
}

async function pageData(ctx: Parameters<NonNullable<Handlers<Data, State>["GET"]>>[0]) {
  ctx.state.title = ctx.state.t.purchase.reorder.title;
  return {
    csrf: await ctx.csrfToken(),
    proposals: await ctx.state.deps.purchase.reorderProposals(),
    errors: {},
  };
}

/** Items below their reorder point by preferred supplier; one click makes the draft order. */
export const handler: Handlers<Data, State> = {
  async GET(ctx) {
    return { data: await pageData(ctx) };
  },
  async POST(ctx) {
    const supplierId = optionalId(formValues(ctx).supplierId);
    if (!supplierId) throw new HttpError(400, "Choose a supplier");
    return await saveOr(ctx, async () => {
      const o = await ctx.state.deps.purchase.orderFromProposal(supplierId, actorOf(ctx));
      return `/admin/purchase/orders/${o.id}`;
    }, async (errors) => ({ ...(await pageData(ctx)), errors }));
  },
};

export default function Reorder({ data, state }: PageProps<Data, State>) {
  const m = state.t.purchase;
  const t = m.reorder;
  const lang = state.lang;
  return (
    <>
      <PageTitle title={t.title} intro={t.intro} />
      <PurchaseTabs m={m} current="reorder" />
      <ErrorList errors={data.errors} m={m} />
      {data.proposals.length === 0 && <p>{t.none}</p>}
      {data.proposals.map((p) => (
        <section class="mb-6" data-proposal={p.supplierId ?? "none"}>
          <div class="flex items-center gap-3 mb-2">
            <h2 class="text-lg font-semibold">{p.supplierName ?? t.noSupplier}</h2>
            {p.supplierId !== null && (
              <PostForm csrf={data.csrf}>
                <input type="hidden" name="supplierId" value={String(p.supplierId)} />
                <button type="submit" class={buttonClass("small")}>{t.makeOrder}</button>
              </PostForm>
            )}
          </div>
          <Table
            head={[m.common.item, t.available, t.onOrder, t.point, t.propose, m.common.price]}
          >
            {p.lines.map((l) => (
              <tr data-item={l.itemCode}>
                <td class={td}>
                  <span class="font-mono">{l.itemCode}</span>{" "}
                  {lang === "bn" ? l.itemNameBn : l.itemName}
                </td>
                <td class={td}>{qty(m, l.available, l.base)}</td>
                <td class={td}>{qty(m, l.onOrder, l.base)}</td>
                <td class={td}>{qty(m, l.reorderPoint, l.base)}</td>
                <td class={td}>{qty(m, l.qtyBase, l.unit)}</td>
                <td class={td}>
                  {l.unitPriceMinor === null ? "" : taka(l.unitPriceMinor, lang)}
                </td>
              </tr>
            ))}
          </Table>
        </section>
      ))}
    </>
  );
}
