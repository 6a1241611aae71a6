import { type Context, HttpError, type PageProps } from "@/framework/mod.ts";
import { PageTitle } from "@/components/IotUi.tsx";
import { buttonClass, inputClass, PostForm, selectClass } from "@/components/ui.tsx";
import {
  type BankAccount,
  CSV_PRESETS,
  DATE_FORMATS,
  poishaToTaka,
  SETTLEMENT_PRESETS,
  takaToPoisha,
} from "@/services/accounting/mod.ts";
import type { State } from "@/state.ts";
import { blankForm, type Errors, formPage, serviceErrors } from "../(_accounting)/lib.ts";
import { AccountingTabs, Done, Errors as ErrorList } from "../(_accounting)/ui.tsx";
import { bankErrors, BankTabs, bankText, idOf, seeBank } from "./(_bank)/ui.tsx";

interface Data {
  csrf: string;
  id: number | null;
  banks: BankAccount[];
  values: Record<string, string>;
  errors: Errors;
  saved: boolean;
}

const COLUMNS = ["date", "amount", "debit", "credit", "reference", "description", "balance"];
const SETTLEMENT_COLUMNS = ["date", "reference", "gross", "fee", "net"];

function valuesOf(a: BankAccount): Record<string, string> {
  const f = a.format as unknown as Record<string, string | number | undefined>;
  const out: Record<string, string> = {
    code: a.code,
    kind: a.kind,
    provider: a.provider ?? "",
    bankName: a.bankName,
    accountNumber: a.accountNumber,
    windowDays: String(a.windowDays),
    opening: poishaToTaka(a.openingBalanceMinor),
    settlesTo: a.settlesTo ? String(a.settlesTo) : "",
    preset: String(f.preset ?? ""),
    delimiter: String(f.delimiter ?? ","),
    headerRows: String(f.headerRows ?? 1),
    dateFormat: String(f.dateFormat ?? "YYYY-MM-DD"),
  };
  for (const c of [...COLUMNS, ...SETTLEMENT_COLUMNS]) {
    out[`col.${c}`] = f[c] === undefined ? "" : String(f[c]);
  }
  return out;
}

async function pageData(ctx: Context<State>, extra: Partial<Data> = {}): Promise<Data> {
  const bank = ctx.state.deps.accounting.bank;
  const raw = ctx.params.id;
  const id = raw === "new" ? null : idOf(raw);
  if (raw !== "new" && !id) throw new HttpError(404, "No such bank account");
  const banks = (await bank.listAccounts()).filter((a) => a.kind === "bank");
  let values: Record<string, string> = {
    kind: "bank",
    preset: "generic",
    windowDays: "3",
    opening: "0.00",
    delimiter: ",",
    headerRows: "1",
    dateFormat: "YYYY-MM-DD",
  };
  if (id) {
    try {
      values = valuesOf(await bank.getAccount(id));
    } catch (e) {
      serviceErrors(e, ctx.state.lang);
    }
  }
  ctx.state.title = bankText(ctx.state.lang).settings.title;
  return {
    ...await blankForm(ctx),
    id,
    banks,
    values,
    saved: ctx.url.searchParams.get("saved") === "1",
    ...extra,
  };
}

export const handler = formPage(pageData, async (ctx, v) => {
  const raw = ctx.params.id;
  const id = raw === "new" ? null : idOf(raw);
  if (raw !== "new" && !id) throw new HttpError(404, "No such bank account");
  const wallet = v.kind === "wallet";
  const cols = wallet ? SETTLEMENT_COLUMNS : COLUMNS;
  const custom = cols.some((c) => (v[`col.${c}`] ?? "").trim() !== "");
  const format: Record<string, unknown> = custom
    ? {
      preset: v.preset || undefined,
      delimiter: v.delimiter === "tab" ? "\t" : v.delimiter,
      headerRows: v.headerRows,
      dateFormat: v.dateFormat,
      ...Object.fromEntries(
        cols.map((c) => [c, (v[`col.${c}`] ?? "").trim() || undefined]).filter(([, x]) => x),
      ),
    }
    : { preset: v.preset || undefined };
  const opening = takaToPoisha((v.opening ?? "").replace(/^-/, ""));
  if (opening === null) {
    return {
      status: 422,
      data: await pageData(ctx, {
        values: v,
        errors: {
          opening: [ctx.state.t.accounting.csv.amount.replace("{value}", v.opening ?? "")],
        },
      }),
    };
  }
  try {
    const saved = await ctx.state.deps.accounting.bank.saveAccount(id, {
      code: (v.code ?? "").trim().toUpperCase(),
      kind: wallet ? "wallet" : "bank",
      provider: wallet ? (v.provider || null) as never : null,
      bankName: v.bankName ?? "",
      accountNumber: v.accountNumber ?? "",
      windowDays: v.windowDays || "3",
      openingBalanceMinor: (v.opening ?? "").trim().startsWith("-") ? -opening : opening,
      settlesTo: idOf(v.settlesTo),
      format,
    } as never);
    return seeBank(ctx, `/admin/accounting/bank/${saved}`, { saved: "1" });
  } catch (e) {
    return {
      status: 422,
      data: await pageData(ctx, { values: v, errors: bankErrors(e, ctx.state.lang) }),
    };
  }
});

export default function BankSettings({ data, state }: PageProps<Data, State>) {
  const m = state.t.accounting;
  const b = bankText(state.lang);
  const t = b.settings;
  const v = data.values;
  const wallet = v.kind === "wallet";
  const field = (name: string, label: string, type = "text", width = "w-full") => (
    <label class="block text-sm mb-3">
      {label}
      <input
        name={name}
        type={type}
        value={v[name] ?? ""}
        class={`${inputClass(!!data.errors[name])} block ${width}`}
      />
    </label>
  );
  const presets = wallet
    ? Object.entries(SETTLEMENT_PRESETS).map(([k, p]) => [k, p.label] as const)
    : Object.entries(CSV_PRESETS).map(([k, p]) => [k, p.label] as const);
  const labels: Record<string, string> = {
    date: t.date,
    amount: t.amount,
    debit: t.debit,
    credit: t.credit,
    reference: t.reference,
    description: t.description,
    balance: t.balance,
    gross: t.gross,
    fee: t.fee,
    net: t.net,
  };
  return (
    <>
      <PageTitle title={t.title} />
      <AccountingTabs m={m} current="bank" />
      <BankTabs b={b} current="import" />
      <Done text={data.saved ? t.saved : null} />
      <ErrorList errors={data.errors} m={m} />
      <PostForm csrf={data.csrf} novalidate class="max-w-2xl">
        <input type="hidden" name="kind" value={v.kind ?? "bank"} />
        {wallet && <input type="hidden" name="provider" value={v.provider ?? ""} />}
        {field("code", b.accounts.account, "text", "w-32")}
        {field("bankName", b.accounts.bank)}
        {field("accountNumber", b.accounts.number)}
        {field("windowDays", t.window, "number", "w-24")}
        {!wallet && field("opening", t.opening, "text", "w-48")}
        {wallet && (
          <label class="block text-sm mb-3">
            {t.settlesTo}
            <select name="settlesTo" class={`${selectClass} block`}>
              {data.banks.map((a) => (
                <option value={String(a.id)} selected={String(a.id) === v.settlesTo}>
                  {a.code} · {a.bankName}
                </option>
              ))}
            </select>
          </label>
        )}
        <label class="block text-sm mb-1">
          {t.preset}
          <select name="preset" class={`${selectClass} block`}>
            {presets.map(([k, label]) => (
              <option value={k} selected={k === v.preset}>{label}</option>
            ))}
          </select>
        </label>
        <p class="text-xs text-gray-600 mb-3">{t.presetNote}</p>
        <fieldset class="border rounded p-3 mb-4">
          <legend class="text-sm font-medium px-1">{t.custom}</legend>
          <div class="flex flex-wrap gap-3">
            <label class="text-sm">
              {t.delimiter}
              <select name="delimiter" class={`${selectClass} block`}>
                {[",", ";", "tab", "|"].map((d) => (
                  <option
                    value={d}
                    selected={(v.delimiter === "\t" ? "tab" : v.delimiter) === d}
                  >
                    {d}
                  </option>
                ))}
              </select>
            </label>
            <label class="text-sm">
              {t.headerRows}
              <input
                name="headerRows"
                type="number"
                min={0}
                max={20}
                value={v.headerRows ?? "1"}
                class={`${inputClass()} block w-20`}
              />
            </label>
            <label class="text-sm">
              {t.dateFormat}
              <select name="dateFormat" class={`${selectClass} block`}>
                {DATE_FORMATS.map((d) => (
                  <option value={d} selected={d === v.dateFormat}>{d}</option>
                ))}
              </select>
            </label>
            {(wallet ? SETTLEMENT_COLUMNS : COLUMNS).map((c) => (
              <label class="text-sm">
                {labels[c]}
                <input
                  name={`col.${c}`}
                  type="number"
                  min={1}
                  max={50}
                  value={v[`col.${c}`] ?? ""}
                  class={`${inputClass(!!data.errors[`format.${c}`])} block w-20`}
                />
              </label>
            ))}
          </div>
        </fieldset>
        <button type="submit" class={buttonClass()}>{t.save}</button>
      </PostForm>
    </>
  );
}
