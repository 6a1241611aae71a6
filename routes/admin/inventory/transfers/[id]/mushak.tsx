import type { PageProps, RouteConfig } from "@/framework/mod.ts";
import { HttpError } from "@/framework/mod.ts";
import { messages } from "@/services/i18n/mod.ts";
import {
  type Base,
  type EntryUnit,
  formatBin,
  qtyInUnit,
  type Transfer,
  UNIT_LABELS,
} from "@/services/inventory/mod.ts";
import { when } from "@/components/InventoryUi.tsx";
import type { State } from "@/state.ts";
import { idParam, type PageBase, stockPage, title } from "@/routes/admin/inventory/(_inv)/inv.ts";

/** Printed on paper: no back-office frame around it. */
export const config: RouteConfig = { skipInheritedLayouts: true };

interface Data {
  transfer: Transfer;
}

/** The unit a line is printed in: litres, kilograms, pieces. */
const PRINT_UNIT: Record<Base, EntryUnit> = { ml: "l", g: "kg", pc: "pc" };

/**
 * The transfer invoice (Mushak 6.5) of a transfer between the company's premises, in Bangla and
 * English, laid out for paper (A4, the browser's Print).
 */
export const handler = stockPage<Data>(async (ctx) => {
  const transfer = await ctx.state.deps.inventory.transfer(idParam(ctx));
  if (!transfer) throw new HttpError(404, ctx.state.t.stock.errors.notFound);
  title(ctx, `${ctx.state.t.stock.mushak.title} ${transfer.number}`);
  return { transfer };
});

export default function Mushak65({ data, state }: PageProps<Data & PageBase, State>) {
  const en = messages("en").stock;
  const bn = messages("bn").stock;
  const t = data.transfer;
  const both = (k: keyof typeof en.mushak) => (
    <>
      {bn.mushak[k] as string} <span class="text-gray-600">/ {en.mushak[k] as string}</span>
    </>
  );
  const issued = t.dispatchedAt ?? t.createdAt;
  const place = (l: Transfer["from"]) => (
    <>
      <div class="font-semibold">{l.nameBn} / {l.nameEn} ({l.code})</div>
      {l.address && <div>{l.address}</div>}
      {l.bin && (
        <div>
          {both("bin")}: <span data-bin>{formatBin(l.bin)}</span>
        </div>
      )}
    </>
  );
  return (
    <main class="max-w-4xl mx-auto p-6 bg-white text-black text-sm" data-mushak="6.5">
      <p class="print:hidden mb-4 text-gray-700">
        <a href={`/admin/inventory/transfers/${t.id}`} class="underline">
          {state.t.stock.common.back}
        </a>
        {" · "}
        {state.t.stock.common.print}: Ctrl+P
      </p>
      {!t.needsMushak && (
        <p class="border border-amber-400 bg-amber-50 p-2 mb-4" role="note">
          {bn.mushak.notVat} / {en.mushak.notVat}
        </p>
      )}
      <header class="text-center mb-4">
        <p>{bn.mushak.govt}</p>
        <p class="text-gray-600">{en.mushak.govt}</p>
        <p>{bn.mushak.nbr} / {en.mushak.nbr}</p>
        <h1 class="text-xl font-bold mt-2">{bn.mushak.title}</h1>
        <p class="font-semibold">{en.mushak.title}</p>
        <p class="text-xs">{bn.mushak.rule}</p>
        <p class="text-xs text-gray-600">{en.mushak.rule}</p>
      </header>
      <section class="grid grid-cols-2 gap-4 mb-4">
        <div>
          <p>
            {both("company")}: <strong>{state.t.site.name}</strong>
          </p>
          <p>
            {both("number")}: <strong data-number>{t.number}</strong>
          </p>
          <p>{both("issuedAt")}: {when(issued, "en")}</p>
          <p>{both("vehicle")}: {t.vehicle ?? "—"}</p>
        </div>
        <div>
          <p class="mb-1">{both("fromAddress")}:</p>
          {place(t.from)}
          <p class="mt-2 mb-1">{both("toAddress")}:</p>
          {place(t.to)}
        </div>
      </section>
      <table class="w-full border-collapse border border-black mb-6" data-testid="mushak-lines">
        <thead>
          <tr>
            {(["serial", "description", "lot", "expires", "qty", "unit"] as const).map((k) => (
              <th class="border border-black p-1 text-left align-top">
                {bn.mushak[k]}
                <div class="font-normal text-xs">{en.mushak[k]}</div>
              </th>
            ))}
          </tr>
        </thead>
        <tbody>
          {t.lines.map((l) => {
            const u = PRINT_UNIT[l.base];
            return (
              <tr>
                <td class="border border-black p-1">{l.lineNo}</td>
                <td class="border border-black p-1">
                  {l.itemNameBn} / {l.itemNameEn} <span class="text-xs">({l.itemCode})</span>
                </td>
                <td class="border border-black p-1">{l.lotCode}</td>
                <td class="border border-black p-1">{l.expiresOn ?? "—"}</td>
                <td class="border border-black p-1 text-right" data-qty={l.qty}>
                  {qtyInUnit(l.qty, u)}
                </td>
                <td class="border border-black p-1">{UNIT_LABELS.bn[u]} / {UNIT_LABELS.en[u]}</td>
              </tr>
            );
          })}
        </tbody>
      </table>
      <footer class="grid grid-cols-2 gap-8 mt-12">
        <div>
          <p>{both("officer")}:</p>
          <p class="mt-1">{t.dispatchedBy ?? t.createdBy}</p>
        </div>
        <div class="text-right">
          <p class="border-t border-black pt-1 mt-8">{both("signature")}</p>
        </div>
      </footer>
    </main>
  );
}
