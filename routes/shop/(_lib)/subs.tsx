/** The weekday × pack quantity grid shared by the new-subscription and edit forms. */
import { formatTaka } from "@/services/i18n/mod.ts";
import {
  packLabel,
  type ShopMessages,
  type SubItem,
  type VariantInfo,
} from "@/services/shop/mod.ts";

export function readItems(form: FormData | null, variants: VariantInfo[]): SubItem[] {
  const items: SubItem[] = [];
  for (const v of variants) {
    for (let wd = 1; wd <= 7; wd++) {
      const raw = form?.get(`q.${v.id}.${wd}`)?.toString().trim() ?? "";
      const qty = raw === "" ? 0 : Number(raw);
      if (Number.isInteger(qty) && qty > 0 && qty <= 50) {
        items.push({ variantId: v.id, weekday: wd, qty });
      }
    }
  }
  return items;
}

export function QuantityGrid(
  props: { variants: VariantInfo[]; items: SubItem[]; t: ShopMessages; lang: "en" | "bn" },
) {
  const { t, lang } = props;
  const qty = (v: number, wd: number) =>
    props.items.find((i) => i.variantId === v && i.weekday === wd)?.qty ?? "";
  return (
    <div class="space-y-3">
      {props.variants.map((v) => (
        <fieldset class="border border-gray-200 rounded p-2">
          <legend class="text-sm font-medium px-1">
            {lang === "bn" ? v.nameBn : v.nameEn} {packLabel(v.packQty, v.unit, lang)} ·{" "}
            {formatTaka(v.priceMinor, lang)}
          </legend>
          <div class="grid grid-cols-7 gap-1">
            {t.subs.weekdays.map((d, i) => (
              <label class="flex flex-col items-center text-xs">
                {d}
                <input
                  name={`q.${v.id}.${i + 1}`}
                  type="number"
                  min="0"
                  max="50"
                  inputmode="numeric"
                  value={qty(v.id, i + 1)}
                  aria-label={`${lang === "bn" ? v.nameBn : v.nameEn} ${t.subs.weekdaysLong[i]}`}
                  class="w-full rounded border border-gray-300 px-1 py-1 text-center"
                />
              </label>
            ))}
          </div>
        </fieldset>
      ))}
    </div>
  );
}
