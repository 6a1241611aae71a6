import type { PageProps } from "@/framework/mod.ts";
import type { Location } from "@/services/inventory/mod.ts";
import {
  formOf,
  OpForm,
  placeName,
  SelectInput,
  StockTitle,
  TextInput,
  TransferLineFields,
} from "@/components/InventoryUi.tsx";
import { Button, buttonClass } from "@/components/ui.tsx";
import type { State } from "@/state.ts";
import { type PageBase, stockPage, title } from "@/routes/admin/inventory/(_inv)/inv.ts";

/** Lines offered on the new-transfer form (more are added on the transfer's page). */
const LINES = 3;

interface Data {
  locations: Location[];
  /** From the lot page's link: ?from=LOC&lot=CODE. */
  preset: Record<string, string>;
}

/** A new draft transfer: from, to, vehicle, up to three lines of lot and quantity. */
export const handler = stockPage<Data>(async (ctx) => {
  const p = ctx.url.searchParams;
  title(ctx, ctx.state.t.stock.transfers.newTitle);
  return {
    locations: await ctx.state.deps.inventory.locations(),
    preset: {
      from: (p.get("from") ?? "").slice(0, 40),
      "lines.0.lot": (p.get("lot") ?? "").slice(0, 80),
    },
  };
}, {
  async create(ctx, v, actor) {
    const lines = [];
    for (let i = 0; i < LINES; i++) {
      const lot = (v[`lines.${i}.lot`] ?? "").trim();
      const qty = (v[`lines.${i}.qty`] ?? "").trim();
      if (lot || qty) lines.push({ lot, qty, unit: v[`lines.${i}.unit`] ?? "" });
    }
    const { id } = await ctx.state.deps.inventory.createTransfer({
      from: v.from ?? "",
      to: v.to ?? "",
      vehicle: v.vehicle,
      note: v.note,
      lines,
    }, actor);
    return `/admin/inventory/transfers/${id}?done=created`;
  },
});

export default function NewTransfer({ data, state, url }: PageProps<Data & PageBase, State>) {
  const m = state.t.stock;
  const T = m.transfers;
  const form = formOf(data, data.preset);
  const places = data.locations.map((l) => [l.code, placeName(l, state.lang)] as const);
  return (
    <>
      <StockTitle m={m} path={url.pathname} title={T.newTitle} />
      <OpForm csrf={data.csrf} op="create" m={m} errors={data.errors} class="max-w-2xl">
        <div class="grid md:grid-cols-2 gap-x-4">
          <SelectInput
            name="from"
            label={T.from}
            options={places}
            form={form}
          />
          <SelectInput
            name="to"
            label={T.to}
            options={places}
            form={form}
          />
        </div>
        <TextInput
          name="vehicle"
          label={T.vehicle}
          hint={T.vehicleHint}
          form={form}
          maxLength={60}
        />
        <TextInput
          name="note"
          label={m.common.note}
          form={form}
          maxLength={500}
        />
        <h2 class="font-semibold mb-2">{T.lines}</h2>
        {Array.from(
          { length: LINES },
          (_, i) => (
            <TransferLineFields
              m={m}
              lang={state.lang}
              prefix={`lines.${i}`}
              label={`${T.lineLot} ${i + 1}`}
              form={form}
              optional
              class="border-t border-gray-100 pt-2"
            />
          ),
        )}
        <p class="text-xs text-gray-600 mb-3">{T.addLine}</p>
        <div class="flex gap-2">
          <Button>{T.create}</Button>
          <a href="/admin/inventory/transfers" class={buttonClass("secondary")}>
            {m.common.cancel}
          </a>
        </div>
      </OpForm>
    </>
  );
}
