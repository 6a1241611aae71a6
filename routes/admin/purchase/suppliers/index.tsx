import type { Context, PageProps } from "@/framework/mod.ts";
import { HttpError } from "@/framework/mod.ts";
import { CheckField, PageTitle, SelectField, TextField } from "@/components/IotUi.tsx";
import { buttonClass, linkClass, PostForm } from "@/components/ui.tsx";
import { optionalId } from "@/services/purchase/mod.ts";
import { type Supplier, SUPPLIER_CATEGORIES } from "@/services/purchase/mod.ts";
import type { State } from "@/state.ts";
import { actorOf, type FormData, formPage, formValues, saveOr } from "../(_purchase)/lib.ts";
import { Badge, Errors as ErrorList, PurchaseTabs, Table, td } from "../(_purchase)/ui.tsx";
import { fieldsOf } from "@/routes/(_lib)/form.ts";

interface Data extends FormData {
  suppliers: Supplier[];
  editing: number | null;
}

const toForm = (s: Supplier): Record<string, string> => ({
  name: s.name,
  bin: s.bin ?? "",
  category: s.category,
  paymentTermsDays: String(s.paymentTermsDays),
  contactName: s.contactName,
  contactPhone: s.contactPhone,
  contactEmail: s.contactEmail,
  address: s.address,
  active: s.active ? "on" : "",
});

async function pageData(ctx: Context<State>, extra: Partial<Data> = {}): Promise<Data> {
  const suppliers = await ctx.state.deps.purchase.listSuppliers();
  const editId = optionalId(ctx.url.searchParams.get("edit"));
  const editing = suppliers.find((s) => s.id === editId) ?? null;
  ctx.state.title = ctx.state.t.purchase.suppliers.title;
  return {
    csrf: await ctx.csrfToken(),
    suppliers,
    editing: editing?.id ?? null,
    values: editing ? toForm(editing) : { paymentTermsDays: "30", active: "on" },
    errors: {},
    ...extra,
  };
}

export const handler = formPage<Data>(pageData, async (ctx) => {
  const v = formValues(ctx);
  const input = {
    name: v.name ?? "",
    bin: v.bin ?? "",
    category: (v.category ?? "") as Supplier["category"],
    ...fieldsOf(v, ["paymentTermsDays", "contactName", "contactPhone", "contactEmail", "address"]),
    active: v.active === "on",
  } as Parameters<State["deps"]["purchase"]["createSupplier"]>[0];
  const id = optionalId(v.id);
  if (v.id && !id) throw new HttpError(400, "Bad supplier id");
  const purchase = ctx.state.deps.purchase;
  return await saveOr(ctx, async () => {
    const s = id
      ? await purchase.updateSupplier(id, input, actorOf(ctx))
      : await purchase.createSupplier(input, actorOf(ctx));
    return `/admin/purchase/suppliers/${s.id}`;
  }, (errors) => pageData(ctx, { editing: id, values: v, errors }));
});

export default function Suppliers({ data, state }: PageProps<Data, State>) {
  const m = state.t.purchase;
  const t = m.suppliers;
  const form = { values: data.values, errors: data.errors };
  return (
    <>
      <PageTitle title={t.title} />
      <PurchaseTabs m={m} current="suppliers" />
      <Table head={[t.name, t.bin, t.category, t.terms, t.contactName, ""]} empty={t.empty}>
        {data.suppliers.map((s) => (
          <tr data-supplier={s.id} class={s.active ? "" : "text-gray-500"}>
            <td class={td}>
              <a class={linkClass} href={`/admin/purchase/suppliers/${s.id}`}>{s.name}</a>
              {!s.active && <span class="ml-1 text-xs">({t.inactive})</span>}
            </td>
            <td class={`${td} font-mono`}>{s.bin ?? <Badge value="" label={t.unregistered} />}</td>
            <td class={td}>{m.categories[s.category]}</td>
            <td class={td}>{s.paymentTermsDays}</td>
            <td class={td}>{[s.contactName, s.contactPhone].filter(Boolean).join(", ")}</td>
            <td class={td}>
              <a class={linkClass} href={`/admin/purchase/suppliers?edit=${s.id}#supplier-form`}>
                {m.common.edit}
              </a>
            </td>
          </tr>
        ))}
      </Table>
      <section id="supplier-form" class="max-w-2xl">
        <h2 class="text-lg font-semibold mb-2">
          {data.editing ? `${m.common.edit}: ${data.values.name ?? ""}` : t.add}
        </h2>
        <ErrorList errors={data.errors} m={m} />
        <PostForm csrf={data.csrf} action="/admin/purchase/suppliers" novalidate>
          {data.editing && <input type="hidden" name="id" value={String(data.editing)} />}
          <div class="grid sm:grid-cols-2 gap-x-4">
            <TextField id="name" label={t.name} maxLength={160} {...form} />
            <TextField id="bin" label={t.bin} hint={t.binHint} maxLength={20} {...form} />
            <SelectField
              id="category"
              label={t.category}
              options={SUPPLIER_CATEGORIES.map((c) => [c, m.categories[c]])}
              {...form}
            />
            <TextField id="paymentTermsDays" label={t.terms} type="number" min={0} {...form} />
            <TextField id="contactName" label={t.contactName} maxLength={120} {...form} />
            <TextField id="contactPhone" label={t.contactPhone} maxLength={20} {...form} />
            <TextField id="contactEmail" label={t.contactEmail} maxLength={254} {...form} />
            <TextField id="address" label={t.address} maxLength={300} {...form} />
          </div>
          <CheckField id="active" label={t.active} values={data.values} />
          <button type="submit" class={buttonClass()}>{m.common.save}</button>
        </PostForm>
      </section>
    </>
  );
}
