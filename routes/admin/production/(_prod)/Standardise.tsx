/** The fat/SNF standardisation calculator of the order forms (a GET form: nothing is saved). */
import type { StandardiseResult } from "@/services/production/mod.ts";
import type { Messages } from "@/services/i18n/mod.ts";
import { buttonClass, inputClass } from "@/components/ui.tsx";
import { num } from "./prod.tsx";

export interface CalcState {
  values: Record<string, string>;
  result: StandardiseResult | null;
  error: boolean;
}

const FIELDS = ["milkMl", "fatPct", "snfPct", "targetFatPct", "targetSnfPct"] as const;

/**
 * Reads the calculator's query (calc=1) and runs it; defaults prefill the form, and are worked
 * out at once when every one of them is known (the start page, from the lots' tests).
 */
export function readCalc(
  url: URL,
  run: (v: Record<string, string>) => StandardiseResult,
  defaults: Record<string, string> = {},
): CalcState {
  const p = url.searchParams;
  const values: Record<string, string> = { ...defaults };
  if (!p.has("calc")) {
    if (!FIELDS.every((f) => values[f])) return { values, result: null, error: false };
  } else for (const f of FIELDS) values[f] = (p.get(f) ?? "").slice(0, 20);
  try {
    return { values, result: run(values), error: false };
  } catch {
    return { values, result: null, error: true };
  }
}

export function StandardiseForm(
  props: { t: Messages["production"]; lang: string; action: string; calc: CalcState },
) {
  const t = props.t.orders;
  const { values, result, error } = props.calc;
  const label: Record<(typeof FIELDS)[number], string> = {
    milkMl: t.milkMl,
    fatPct: t.fat,
    snfPct: t.snf,
    targetFatPct: t.targetFat,
    targetSnfPct: t.targetSnf,
  };
  const n = (x: number, d = 0) => num(props.lang, x, d);
  return (
    <section class="mt-8 max-w-3xl" aria-labelledby="std-title" id="standardise">
      <h2 id="std-title" class="text-lg font-semibold">{t.standardise}</h2>
      <p class="text-sm text-gray-700 mb-2">{t.standardiseIntro}</p>
      <form
        method="get"
        action={`${props.action}#standardise`}
        class="flex flex-wrap gap-2 items-end"
      >
        <input type="hidden" name="calc" value="1" />
        {FIELDS.map((f) => (
          <label class="flex flex-col text-sm w-32">
            {label[f]}
            <input name={f} value={values[f] ?? ""} inputMode="decimal" class={inputClass(error)} />
          </label>
        ))}
        <button type="submit" class={buttonClass("secondary")}>{t.calculate}</button>
      </form>
      {error && <p class="text-sm text-red-700 mt-2" role="alert">{t.badCalc}</p>}
      {result && (
        <ul
          class="mt-3 rounded border border-gray-200 bg-white p-3 text-sm list-disc pl-6"
          data-std
        >
          <li>
            {result.creamMl > 0
              ? t.creamOff(n(result.creamMl))
              : result.creamMl < 0
              ? t.creamAdd(n(-result.creamMl))
              : t.creamNone}
          </li>
          <li>{result.smpG > 0 ? t.smpAdd(n(result.smpG)) : t.smpNone}</li>
          {result.snfAboveTarget && <li>{t.snfAbove}</li>}
          <li>
            {t.result(n(result.resultMl), n(result.resultFatPct, 2), n(result.resultSnfPct, 2))}
          </li>
        </ul>
      )}
    </section>
  );
}
