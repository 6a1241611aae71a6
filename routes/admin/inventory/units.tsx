import type { PageProps } from "@/framework/mod.ts";
import { toBanglaDigits } from "@/services/i18n/mod.ts";
import { CONVERSIONS, formatQty, UNIT_LABELS } from "@/services/inventory/mod.ts";
import { StockTitle, Table, td } from "@/components/InventoryUi.tsx";
import type { State } from "@/state.ts";
import { type PageBase, stockPage, title } from "@/routes/admin/inventory/(_inv)/inv.ts";

/** Units of measure and their conversions to the base units stock is kept in. */
export const handler = stockPage<Record<never, never>>((ctx) => {
  title(ctx, ctx.state.t.stock.units.title);
  return Promise.resolve({});
});

const EXAMPLES = { l: [1500, "ml"], kg: [2250, "g"], crate: [30, "pc"] } as const;

export default function Units({ state, url }: PageProps<PageBase, State>) {
  const m = state.t.stock;
  const U = m.units;
  const lang = state.lang;
  const L = UNIT_LABELS[lang];
  const num = (n: number) =>
    lang === "bn" ? toBanglaDigits(n.toLocaleString("en-US")) : n.toLocaleString("en-US");
  return (
    <>
      <StockTitle m={m} path={url.pathname} title={U.title} intro={U.intro} />
      <Table head={[U.unit, U.factor, U.base, U.example]} testid="units">
        {CONVERSIONS.map((c) => {
          const [qty, base] = EXAMPLES[c.from as keyof typeof EXAMPLES];
          return (
            <tr data-unit={c.from}>
              <td class={td}>{num(1)} {L[c.from]}</td>
              <td class={td}>{num(c.factor)} {L[c.to]}</td>
              <td class={td}>{L[c.to]}</td>
              <td class={td}>{num(qty)} {L[base]} = {formatQty(qty, base, lang)}</td>
            </tr>
          );
        })}
      </Table>
    </>
  );
}
