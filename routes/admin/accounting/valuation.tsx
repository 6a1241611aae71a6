/**
 * Stock valuation settings (issue 13 §2): FIFO or moving average by default, per item kind and per
 * item; below, the stock the books value and each inventory account against the ledger.
 */
import type { Context, PageProps } from "@/framework/mod.ts";
import { HttpError } from "@/framework/mod.ts";
import { PageTitle } from "@/components/IotUi.tsx";
import { buttonClass, inputClass, PostForm, selectClass } from "@/components/ui.tsx";
import {
  AccountingError,
  dhakaDate,
  type MethodSetting,
  STOCK_KINDS,
  valuationMessages,
  type ValuationReport,
} from "@/services/accounting/mod.ts";
import { fillParams } from "@/services/i18n/mod.ts";
import type { State } from "@/state.ts";
import { actorOf, blankForm, type FormData, formPage, seeOther } from "./(_accounting)/lib.ts";
import { AccountingTabs, Done, Errors, num, Table, taka, td } from "./(_accounting)/ui.tsx";

interface Data extends FormData {
  methods: MethodSetting[];
  report: ValuationReport;
  done: boolean;
}

async function pageData(ctx: Context<State>, extra: Partial<Data> = {}): Promise<Data> {
  const accounting = ctx.state.deps.accounting;
  ctx.state.title = valuationMessages[ctx.state.lang].title;
  return {
    ...await blankForm(ctx),
    methods: await accounting.valuationMethods(),
    report: await accounting.stockValuation(),
    done: ctx.url.searchParams.get("done") === "1",
    ...extra,
  };
}

export const handler = formPage(pageData, async (ctx, v) => {
  if (v.action !== "set") throw new HttpError(400, "Unknown action");
  const scope = v.scope === "item" ? `item:${(v.itemCode ?? "").trim().toUpperCase()}` : v.scope;
  const method = v.method === "" || v.method === undefined ? null : v.method;
  try {
    await ctx.state.deps.accounting.setValuationMethod(
      { scope: scope ?? "", method: method as never },
      actorOf(ctx),
    );
    return seeOther("/admin/accounting/valuation?done=1");
  } catch (e) {
    if (!(e instanceof AccountingError)) throw e;
    const m = valuationMessages[ctx.state.lang];
    const field = e.field === "scope" && v.scope === "item" ? "itemCode" : e.field ?? "_";
    return {
      status: e.status,
      data: await pageData(ctx, {
        values: v,
        errors: { [field]: [m.errors[e.message] ?? e.message] },
      }),
    };
  }
});

export default function Valuation({ data, state }: PageProps<Data, State>) {
  const am = state.t.accounting;
  const m = valuationMessages[state.lang];
  const lang = state.lang;
  const by = new Map(data.methods.map((x) => [x.scope, x]));
  const items = data.methods.filter((x) => x.scope.startsWith("item:"));
  const label = (scope: string) =>
    scope === "*"
      ? m.default
      : scope.startsWith("kind:")
      ? m.kinds[scope.slice(5)]
      : fillParams(m.item, { code: scope.slice(5) });
  const MethodForm = (p: { scope: string; allowInherit: boolean }) => {
    const cur = by.get(p.scope)?.method ?? "";
    return (
      <PostForm csrf={data.csrf} class="flex flex-wrap gap-2 items-center">
        <input type="hidden" name="scope" value={p.scope} />
        <select name="method" aria-label={`${m.method}: ${label(p.scope)}`} class={selectClass}>
          {p.allowInherit && <option value="" selected={cur === ""}>{m.inherit}</option>}
          <option value="fifo" selected={cur === "fifo"}>{m.fifo}</option>
          <option value="average" selected={cur === "average"}>{m.average}</option>
        </select>
        <button type="submit" name="action" value="set" class={buttonClass("small")}>
          {m.save}
        </button>
      </PostForm>
    );
  };
  const changed = (scope: string) => {
    const s = by.get(scope);
    return s ? `${dhakaDate(s.changedAt)} · ${s.changedByName}` : "";
  };
  const itemError = data.errors.itemCode?.[0];
  return (
    <>
      <PageTitle title={m.title} intro={m.intro} />
      <AccountingTabs m={am} current="valuation" />
      <Done text={data.done ? m.saved : null} />
      <Errors errors={data.errors} m={am} />

      <h2 class="text-lg font-semibold mb-2">{m.methods}</h2>
      <Table head={[m.scope, m.method, m.changed]}>
        {["*", ...STOCK_KINDS.map((k) => `kind:${k}`)].map((scope) => (
          <tr data-scope={scope} data-method={by.get(scope)?.method ?? "inherit"}>
            <td class={td}>{label(scope)}</td>
            <td class={td}>
              <MethodForm scope={scope} allowInherit={scope !== "*"} />
            </td>
            <td class={`${td} text-xs`}>{changed(scope)}</td>
          </tr>
        ))}
        {items.map((x) => (
          <tr data-scope={x.scope} data-method={x.method}>
            <td class={td}>{label(x.scope)}</td>
            <td class={td}>
              <MethodForm scope={x.scope} allowInherit />
            </td>
            <td class={`${td} text-xs`}>{changed(x.scope)}</td>
          </tr>
        ))}
      </Table>

      <PostForm csrf={data.csrf} class="flex flex-wrap gap-2 items-end mb-8">
        <input type="hidden" name="scope" value="item" />
        <label class="text-sm">
          {m.itemCode}
          <input
            name="itemCode"
            value={data.values.itemCode ?? ""}
            maxLength={60}
            aria-invalid={itemError ? "true" : undefined}
            class={`${inputClass(Boolean(itemError))} block`}
          />
          {itemError && <span class="block text-red-700 text-sm">{itemError}</span>}
        </label>
        <label class="text-sm">
          {m.method}
          <select name="method" class={`${selectClass} block`}>
            <option value="fifo">{m.fifo}</option>
            <option value="average">{m.average}</option>
          </select>
        </label>
        <button type="submit" name="action" value="set" class={buttonClass("secondary")}>
          {m.addItem}
        </button>
      </PostForm>

      <h2 class="text-lg font-semibold mb-2">{m.accounts}</h2>
      <Table head={[m.account, m.valued, m.ledger, m.difference]}>
        {data.report.accounts.map((a) => (
          <tr data-account={a.code}>
            <td class={td}>{a.code} {lang === "bn" ? a.nameBn : a.nameEn}</td>
            <td class={num}>{taka(a.valuedMinor, lang)}</td>
            <td class={num}>{taka(a.ledgerMinor, lang)}</td>
            <td class={num}>{taka(a.ledgerMinor - a.valuedMinor, lang)}</td>
          </tr>
        ))}
      </Table>

      <h2 class="text-lg font-semibold mb-2">{m.held}</h2>
      {data.report.rows.length === 0
        ? <p class="mb-6">{m.none}</p>
        : (
          <Table head={[m.itemCode, m.kind, m.method, m.qty, m.value, m.layers]}>
            {data.report.rows.map((r) => (
              <tr data-item={r.itemCode}>
                <td class={td}>{r.itemCode}</td>
                <td class={td}>{m.kinds[r.kind]}</td>
                <td class={td}>{m[r.method]}</td>
                <td class={num}>{r.qty.toLocaleString(lang === "bn" ? "bn-BD" : "en-US")}</td>
                <td class={num}>{taka(r.valueMinor, lang)}</td>
                <td class={num}>{r.layers}</td>
              </tr>
            ))}
          </Table>
        )}
    </>
  );
}
