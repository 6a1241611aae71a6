import type { Context, PageProps } from "@/framework/mod.ts";
import { HttpError } from "@/framework/mod.ts";
import { CheckField, PageTitle, SelectField, TextField } from "@/components/IotUi.tsx";
import { buttonClass, linkClass, PostForm } from "@/components/ui.tsx";
import { type Account, ACCOUNT_TYPES, optionalId } from "@/services/accounting/mod.ts";
import type { State } from "@/state.ts";
import { actorOf, blankForm, type FormData, formPage, saveOr } from "../(_accounting)/lib.ts";
import { AccountingTabs, Done, Errors, Table, td } from "../(_accounting)/ui.tsx";

interface Data extends FormData {
  accounts: Account[];
  editing: number | null;
  saved: boolean;
}

const toForm = (a: Account): Record<string, string> => ({
  code: a.code,
  nameEn: a.nameEn,
  nameBn: a.nameBn,
  type: a.type,
  parentCode: a.parentCode ?? "",
  isGroup: a.isGroup ? "on" : "",
  active: a.active ? "on" : "",
});

async function pageData(ctx: Context<State>, extra: Partial<Data> = {}): Promise<Data> {
  const accounts = await ctx.state.deps.accounting.listAccounts();
  const editId = optionalId(ctx.url.searchParams.get("edit"));
  const editing = accounts.find((a) => a.id === editId) ?? null;
  ctx.state.title = ctx.state.t.accounting.accounts.title;
  return {
    ...await blankForm(ctx),
    accounts,
    editing: editing?.id ?? null,
    values: editing ? toForm(editing) : { type: "asset", active: "on" },
    saved: ctx.url.searchParams.has("saved"),
    ...extra,
  };
}

export const handler = formPage(pageData, async (ctx, v) => {
  const input = {
    code: v.code ?? "",
    nameEn: v.nameEn ?? "",
    nameBn: v.nameBn ?? "",
    type: (v.type ?? "") as Account["type"],
    parentCode: v.parentCode ?? "",
    isGroup: v.isGroup === "on",
    active: v.active === "on",
  };
  const id = optionalId(v.id);
  if (v.id && !id) throw new HttpError(400, "Bad account id");
  const accounting = ctx.state.deps.accounting;
  return await saveOr(ctx, async () => {
    const a = id
      ? await accounting.updateAccount(id, input, actorOf(ctx))
      : await accounting.createAccount(input, actorOf(ctx));
    return `/admin/accounting/accounts?saved=${a.id}#account-${a.id}`;
  }, (errors) => pageData(ctx, { editing: id, values: v, errors }));
});

export default function Accounts({ data, state }: PageProps<Data, State>) {
  const m = state.t.accounting;
  const t = m.accounts;
  const form = { values: data.values, errors: data.errors };
  const byId = new Map(data.accounts.map((a) => [a.id, a]));
  const depth = (a: Account) => {
    let d = 0;
    for (let p = a.parentId; p !== null && d < 8; p = byId.get(p)?.parentId ?? null) d++;
    return d;
  };
  const name = (a: Account) => (state.lang === "bn" ? a.nameBn : a.nameEn);
  return (
    <>
      <PageTitle title={t.title} />
      <AccountingTabs m={m} current="accounts" />
      <Done text={data.saved ? t.saved : null} />
      <Table head={[t.code, m.common.account, t.type, ""]}>
        {data.accounts.map((a) => (
          <tr
            id={`account-${a.id}`}
            data-account={a.code}
            class={`${a.isGroup ? "font-semibold" : ""} ${a.active ? "" : "text-gray-500"}`}
          >
            <td class={`${td} font-mono`}>{a.code}</td>
            <td class={td} style={`padding-left:${0.75 + depth(a) * 1.25}rem`}>
              {name(a)}
              {a.isGroup && <span class="ml-1 text-xs text-gray-500">({t.heading})</span>}
              {!a.active && <span class="ml-1 text-xs">({t.inactive})</span>}
            </td>
            <td class={td}>{m.types[a.type]}</td>
            <td class={`${td} whitespace-nowrap`}>
              <a class={linkClass} href={`/admin/accounting/accounts?edit=${a.id}#edit`}>
                {t.edit}
              </a>
              {!a.isGroup && (
                <>
                  {" · "}
                  <a
                    class={linkClass}
                    href={`/admin/accounting/reports/ledger?account=${encodeURIComponent(a.code)}`}
                  >
                    {t.ledger}
                  </a>
                </>
              )}
            </td>
          </tr>
        ))}
      </Table>
      <h2 id="edit" class="text-lg font-semibold mb-2">{data.editing ? t.edit : t.add}</h2>
      <Errors errors={data.errors} m={m} />
      <PostForm csrf={data.csrf} action="/admin/accounting/accounts" novalidate class="max-w-2xl">
        {data.editing && <input type="hidden" name="id" value={String(data.editing)} />}
        <div class="grid sm:grid-cols-2 gap-x-4">
          <TextField id="code" label={t.code} maxLength={20} {...form} />
          <SelectField
            id="type"
            label={t.type}
            options={ACCOUNT_TYPES.map((x) => [x, m.types[x]])}
            {...form}
          />
          <TextField id="nameEn" label={t.nameEn} maxLength={120} {...form} />
          <TextField id="nameBn" label={t.nameBn} maxLength={120} {...form} />
          <TextField id="parentCode" label={t.parent} maxLength={20} {...form} />
        </div>
        <CheckField id="isGroup" label={t.isGroup} values={data.values} class="mb-2" />
        <CheckField id="active" label={t.active} values={data.values} />
        <button type="submit" class={buttonClass()}>{m.common.save}</button>
      </PostForm>
    </>
  );
}
