import type { Context, PageProps } from "@/framework/mod.ts";
import { HttpError } from "@/framework/mod.ts";
import { PageTitle, TextField } from "@/components/IotUi.tsx";
import { buttonClass, inputClass, linkClass, PostForm, selectClass } from "@/components/ui.tsx";
import { optionalId } from "@/services/purchase/mod.ts";
import type { PurchaseRequest, Supplier } from "@/services/purchase/mod.ts";
import type { State } from "@/state.ts";
import { actorOf, type FormData, formPage, formValues, saveOr } from "./(_purchase)/lib.ts";
import {
  ActionForm,
  ActionSubmit,
  Badge,
  Errors as ErrorList,
  ItemQtyUnit,
  PurchaseTabs,
  qty,
  Table,
  td,
} from "./(_purchase)/ui.tsx";
import { fieldsOf } from "@/routes/(_lib)/form.ts";

interface Data extends FormData {
  requests: PurchaseRequest[];
  suppliers: Supplier[];
}

async function pageData(ctx: Context<State>, extra: Partial<Data> = {}): Promise<Data> {
  const purchase = ctx.state.deps.purchase;
  ctx.state.title = ctx.state.t.purchase.requests.title;
  return {
    csrf: await ctx.csrfToken(),
    requests: await purchase.listRequests(),
    suppliers: await purchase.listSuppliers({ activeOnly: true }),
    values: { unit: "kg", neededBy: purchase.today() },
    errors: {},
    ...extra,
  };
}

export const handler = formPage<Data>(pageData, async (ctx) => {
  const v = formValues(ctx);
  const purchase = ctx.state.deps.purchase;
  const actor = actorOf(ctx);
  return await saveOr(ctx, async () => {
    if (v.action === "create") {
      await purchase.createRequest({
        itemCode: (v.itemCode ?? "").trim().toUpperCase(),
        ...fieldsOf(v, ["unit", "qty", "neededBy", "reason"]),
      }, actor);
      return "/admin/purchase/requests";
    }
    const id = optionalId(v.id);
    if (!id || (v.action !== "approve" && v.action !== "reject")) {
      throw new HttpError(400, "Unknown action");
    }
    const r = await purchase.decideRequest(id, {
      approve: v.action === "approve",
      supplierId: optionalId(v.supplierId) ?? undefined,
      unitPriceMinor: v.unitPriceMinor || undefined,
      note: v.note ?? "",
    }, actor);
    return r.orderId ? `/admin/purchase/orders/${r.orderId}` : "/admin/purchase/requests";
  }, (errors) => pageData(ctx, { values: v.action === "create" ? v : {}, errors }));
});

export default function Requests({ data, state }: PageProps<Data, State>) {
  const m = state.t.purchase;
  const t = m.requests;
  const form = { values: data.values, errors: data.errors };
  return (
    <>
      <PageTitle title={t.title} />
      <PurchaseTabs m={m} current="requests" />
      <ErrorList errors={data.errors} m={m} />
      <Table
        head={[
          m.common.item,
          m.common.qty,
          t.neededBy,
          t.reason,
          t.requestedBy,
          m.common.status,
          "",
        ]}
        empty={t.empty}
      >
        {data.requests.map((r) => (
          <tr data-request={r.id}>
            <td class={`${td} font-mono`}>{r.itemCode}</td>
            <td class={td}>{qty(m, r.qtyBase, r.unit)}</td>
            <td class={td}>{r.neededBy}</td>
            <td class={td}>{r.reason}</td>
            <td class={td}>{r.requestedByName}</td>
            <td class={td}>
              <Badge value={r.status} label={m.requestStatus[r.status]} />
              {r.orderId && (
                <a class={`${linkClass} ml-1`} href={`/admin/purchase/orders/${r.orderId}`}>
                  {r.orderNumber}
                </a>
              )}
            </td>
            <td class={td}>
              {r.status === "open" && (
                <PostForm csrf={data.csrf} class="flex flex-wrap gap-1 items-center">
                  <input type="hidden" name="id" value={String(r.id)} />
                  <select name="supplierId" class={selectClass} aria-label={m.common.supplier}>
                    <option value="">{t.supplierHint}</option>
                    {data.suppliers.map((s) => <option value={String(s.id)}>{s.name}</option>)}
                  </select>
                  <input
                    name="unitPriceMinor"
                    class={`${inputClass()} w-28`}
                    inputMode="numeric"
                    placeholder={m.common.price}
                    aria-label={m.common.price}
                  />
                  <ActionSubmit action="approve" kind="small">{t.approve}</ActionSubmit>
                  <ActionSubmit action="reject" kind="secondary">{t.reject}</ActionSubmit>
                </PostForm>
              )}
            </td>
          </tr>
        ))}
      </Table>
      <section class="max-w-2xl">
        <h2 class="text-lg font-semibold mb-2">{t.add}</h2>
        <ActionForm csrf={data.csrf} action="create">
          <div class="grid sm:grid-cols-3 gap-x-4">
            <ItemQtyUnit m={m} itemMaxLength={60} {...form} />
          </div>
          <TextField id="neededBy" label={t.neededBy} placeholder="YYYY-MM-DD" {...form} />
          <TextField id="reason" label={t.reason} maxLength={300} {...form} />
          <button type="submit" class={buttonClass()}>{m.common.save}</button>
        </ActionForm>
      </section>
    </>
  );
}
