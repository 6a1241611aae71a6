/**
 * Pieces the bank pages share (not a route): their tabs, refusals as messages in the page's
 * language (a bad file lists every problem with its line), the posted action's redirect.
 */
import type { Context } from "@/framework/mod.ts";
import { SectionTabs } from "@/components/ui.tsx";
import { fillParams, type Lang } from "@/services/i18n/mod.ts";
import {
  AccountingError,
  BankError,
  BankImportError,
  type BankMessages,
  bankMessages,
} from "@/services/accounting/mod.ts";
import type { State } from "@/state.ts";
import { type Errors, serviceErrors } from "../../(_accounting)/lib.ts";

export function bankText(lang: Lang): BankMessages {
  return bankMessages[lang];
}

export function BankTabs(
  props: { b: BankMessages; current: "import" | "review" | "reconciliation" },
) {
  const tabs = [
    ["/admin/accounting/bank", "import", props.b.tabs.import],
    ["/admin/accounting/bank/review", "review", props.b.tabs.review],
    ["/admin/accounting/bank/reconciliation", "reconciliation", props.b.tabs.reconciliation],
  ] as const;
  return <SectionTabs label={props.b.title} current={props.current} tabs={tabs} />;
}

/** A refusal a person can fix as messages by field ("_" for the whole form); else re-thrown. */
export function bankErrors(e: unknown, lang: Lang): Errors {
  const b = bankMessages[lang];
  if (e instanceof BankImportError) {
    return {
      file: e.problems.map((p) => {
        const text = fillParams(b.problems[p.code] ?? p.message, p.params);
        return p.line ? `${fillParams(b.problems.line, { line: p.line })}: ${text}` : text;
      }),
    };
  }
  if (e instanceof BankError) {
    return { [e.field ?? "_"]: [fillParams(b.errors[e.reason] ?? e.message, e.params)] };
  }
  return serviceErrors(e, lang);
}

/** The HTTP status of a refusal (422 unless the service says otherwise). */
export const refusalStatus = (e: unknown) => e instanceof AccountingError ? e.status : 422;

/** 303 to a bank page with a notice in the query string. */
export function seeBank(ctx: Context<State>, path: string, params: Record<string, string>) {
  const u = new URL(path, ctx.url);
  for (const [k, v] of Object.entries(params)) u.searchParams.set(k, v);
  return new Response(null, { status: 303, headers: { location: u.pathname + u.search } });
}

/** A positive integer form or query value, or null. */
export function idOf(v: string | null | undefined): number | null {
  return v && /^\d{1,9}$/.test(v) && Number(v) > 0 ? Number(v) : null;
}
