/** Pieces of the sales documents, receivables and payables pages (not a route). */
import { type Context, HttpError } from "@/framework/mod.ts";
import type { ComponentChildren } from "preact";
import { buttonClass, linkClass } from "@/components/ui.tsx";
import type { Lang } from "@/services/i18n/mod.ts";
import {
  type Ageing,
  type ArapTexts,
  arapTexts,
  BUCKETS,
  type Side,
} from "@/services/accounting/mod.ts";
import type { State } from "@/state.ts";
import { num, Table, taka, td } from "./ui.tsx";
import { DateField } from "./finance.tsx";

export const arap = (lang: Lang): ArapTexts => arapTexts[lang];

/** A party reference from the query or form: "b2b:17", "customer:<uuid>", "order:SD-…". */
export function partyRef(v: string | null | undefined): string {
  const s = (v ?? "").trim();
  if (!/^[a-z][a-z0-9_-]{0,19}:[A-Za-z0-9_.-]{1,60}$/.test(s)) {
    throw new HttpError(404, "No such party");
  }
  return s;
}

export function sideOf(v: string | null | undefined): Side {
  return v === "payable" ? "payable" : "receivable";
}

export const statementHref = (side: Side, party: string) =>
  `/admin/accounting/statement?side=${side}&party=${encodeURIComponent(party)}`;

/**
 * An ageing page below its tabs: the "as of" form, the link to allocate payments of `side`, the
 * page's own actions (`children`), then the table (or "none").
 */
export function AgeingBody(
  props: { ageing: Ageing; lang: Lang; side: Side; children?: ComponentChildren },
) {
  const t = arap(props.lang);
  return (
    <>
      <div class="flex flex-wrap items-end gap-3 mb-4">
        <form method="get" class="flex items-end gap-3">
          <DateField name="asOf" label={t.asOf} value={props.ageing.asOf} />
          <button type="submit" class={buttonClass("secondary")}>{t.show}</button>
        </form>
        <a class={linkClass} href={`/admin/accounting/allocate?side=${props.side}`}>{t.allocate}</a>
        {props.children}
      </div>
      {props.ageing.rows.length === 0
        ? <p>{t.none}</p>
        : <AgeingTable ageing={props.ageing} lang={props.lang} />}
    </>
  );
}

/** The ageing table of receivables or payables. */
export function AgeingTable(props: { ageing: Ageing; lang: Lang }) {
  const t = arap(props.lang);
  const { ageing, lang } = props;
  return (
    <Table head={[t.party, ...BUCKETS.map((b) => t.buckets[b]), t.credit, t.balance]}>
      {ageing.rows.map((r) => (
        <tr data-party={r.party}>
          <td class={td}>
            <a class={linkClass} href={statementHref(ageing.side, r.party)}>{r.name}</a>
          </td>
          {BUCKETS.map((b) => <td class={num} data-bucket={b}>{taka(r.buckets[b], lang)}</td>)}
          <td class={num}>{taka(r.creditMinor, lang)}</td>
          <td class={num} data-balance>{taka(r.balanceMinor, lang)}</td>
        </tr>
      ))}
      <tr class="font-semibold" data-totals>
        <td class={td}>{t.total}</td>
        {BUCKETS.map((b) => <td class={num}>{taka(ageing.totals.buckets[b], lang)}</td>)}
        <td class={num}>{taka(ageing.totals.creditMinor, lang)}</td>
        <td class={num}>{taka(ageing.totals.balanceMinor, lang)}</td>
      </tr>
    </Table>
  );
}

export type Ctx = Context<State>;

/** A refusal of the receivables' use cases as messages by field, in the page's language. */
export function arapErrors(e: unknown, lang: Lang): Record<string, string[]> {
  const fields = (e as { fieldErrors?: Record<string, string> })?.fieldErrors;
  if (e instanceof Error && e.name === "ValidationError" && fields) {
    const t = arap(lang);
    return Object.fromEntries(
      Object.entries(fields).map((
        [k, v],
      ) => [k, [lang === "en" ? v : t.fieldErrors[k] ?? t.fieldErrors[k.split(".")[0]] ?? v]]),
    );
  }
  if (e instanceof Error && e.name === "NotFoundError") throw new HttpError(404, e.message);
  throw e;
}
