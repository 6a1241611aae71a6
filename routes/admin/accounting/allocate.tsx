import type { Context, PageProps } from "@/framework/mod.ts";
import { PageTitle } from "@/components/IotUi.tsx";
import { buttonClass, inputClass, linkClass, PostForm, selectClass } from "@/components/ui.tsx";
import {
  type OpenItem,
  optionalId,
  poishaToTaka,
  type Side,
  takaToPoisha,
} from "@/services/accounting/mod.ts";
import type { State } from "@/state.ts";
import { actorOf, blankForm, type FormData, formPage, seeOther } from "./(_accounting)/lib.ts";
import { AccountingTabs, Done, Errors, num, Table, taka, td } from "./(_accounting)/ui.tsx";
import { arap, arapErrors, partyRef, sideOf, statementHref } from "./(_accounting)/arap.tsx";

interface Data extends FormData {
  side: Side;
  party: string | null;
  parties: { ref: string; name: string; openMinor: number }[];
  items: OpenItem[];
  done: string | null;
}

async function pageData(ctx: Context<State>, extra: Partial<Data> = {}): Promise<Data> {
  const p = ctx.url.searchParams;
  const side = sideOf(p.get("side"));
  const party = p.get("party") ? partyRef(p.get("party")) : null;
  const acc = ctx.state.deps.accounting;
  const t = arap(ctx.state.lang);
  ctx.state.title = t.allocate;
  return {
    side,
    party,
    parties: party ? [] : await acc.partiesWithOpenItems(side),
    items: party ? await acc.openItems({ side, party }) : [],
    done: p.get("done") === "1" ? t.allocated : null,
    ...await blankForm(ctx),
    ...extra,
  };
}

export const handler = formPage(pageData, async (ctx, v) => {
  const p = ctx.url.searchParams;
  const side = sideOf(p.get("side"));
  const party = partyRef(p.get("party"));
  const t = arap(ctx.state.lang);
  const amount = takaToPoisha(v.amount ?? "");
  const chargeId = optionalId(v.charge, Number.MAX_SAFE_INTEGER);
  const settleId = optionalId(v.settle, Number.MAX_SAFE_INTEGER);
  const errors: Record<string, string[]> = {};
  if (!chargeId) errors.charge = [t.fieldErrors.charge];
  if (!settleId) errors.settle = [t.fieldErrors.settle];
  if (!amount) errors.amount = [t.fieldErrors.amount];
  if (Object.keys(errors).length === 0) {
    try {
      await ctx.state.deps.accounting.allocate(
        { side, chargeId: chargeId!, settleId: settleId!, amountMinor: amount! },
        actorOf(ctx),
      );
      return seeOther(
        `/admin/accounting/allocate?side=${side}&party=${encodeURIComponent(party)}&done=1`,
      );
    } catch (e) {
      Object.assign(errors, arapErrors(e, ctx.state.lang));
    }
  }
  return { status: 422, data: await pageData(ctx, { values: v, errors }) };
});

export default function Allocate({ data, state }: PageProps<Data, State>) {
  const t = arap(state.lang);
  const lang = state.lang;
  const charges = data.items.filter((i) => i.openMinor > 0);
  const settles = data.items.filter((i) => i.openMinor < 0);
  const label = (i: OpenItem) =>
    `${i.documentNumber ?? `${i.source} ${i.sourceRef}`} · ${i.date} · ${
      taka(Math.abs(i.openMinor), lang)
    }`;
  const sel = (k: string, id: number) => data.values[k] === String(id);
  return (
    <>
      <PageTitle title={t.allocate} intro={t.allocateHint} />
      <AccountingTabs
        m={state.t.accounting}
        current={data.side === "receivable" ? "receivables" : "payables"}
      />
      <Done text={data.done} />
      <Errors errors={data.errors} m={state.t.accounting} />
      {!data.party && (
        data.parties.length === 0 ? <p>{t.none}</p> : (
          <Table head={[t.party, t.open]}>
            {data.parties.map((p) => (
              <tr data-party={p.ref}>
                <td class={td}>
                  <a
                    class={linkClass}
                    href={`/admin/accounting/allocate?side=${data.side}&party=${
                      encodeURIComponent(p.ref)
                    }`}
                  >
                    {p.name}
                  </a>
                </td>
                <td class={num}>{taka(p.openMinor, lang)}</td>
              </tr>
            ))}
          </Table>
        )
      )}
      {data.party && (
        <>
          <p class="mb-3">
            <a class={linkClass} href={statementHref(data.side, data.party)}>{t.statement}</a>
          </p>
          <PostForm csrf={data.csrf} class="grid gap-3 max-w-2xl">
            <label class="text-sm">
              {t.chargeItem}
              <select name="charge" required class={`${selectClass} block w-full`}>
                <option value="">{t.choose}</option>
                {charges.map((i) => (
                  <option value={String(i.id)} selected={sel("charge", i.id)}>{label(i)}</option>
                ))}
              </select>
            </label>
            <label class="text-sm">
              {t.settleItem}
              <select name="settle" required class={`${selectClass} block w-full`}>
                <option value="">{t.choose}</option>
                {settles.map((i) => (
                  <option value={String(i.id)} selected={sel("settle", i.id)}>{label(i)}</option>
                ))}
              </select>
            </label>
            <label class="text-sm">
              {t.amount} (৳)
              <input
                name="amount"
                inputMode="decimal"
                maxLength={20}
                value={data.values.amount ??
                  (charges[0] && settles[0]
                    ? poishaToTaka(Math.min(charges[0].openMinor, -settles[0].openMinor))
                    : "")}
                class={`${inputClass(!!data.errors.amount)} block w-48`}
              />
            </label>
            <div>
              <button type="submit" class={buttonClass()}>{t.allocate}</button>
            </div>
          </PostForm>
        </>
      )}
    </>
  );
}
