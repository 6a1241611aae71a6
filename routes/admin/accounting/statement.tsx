import type { Context, PageProps } from "@/framework/mod.ts";
import { PageTitle } from "@/components/IotUi.tsx";
import { buttonClass, inputClass, linkClass, PostForm, selectClass } from "@/components/ui.tsx";
import { dhakaDate, dhakaTime, type Party, type Statement } from "@/services/accounting/mod.ts";
import type { State } from "@/state.ts";
import { blankForm, type FormData, formValues, seeOther } from "./(_accounting)/lib.ts";
import { AccountingTabs, Done, Errors, num, Table, taka, td } from "./(_accounting)/ui.tsx";
import { arap, arapErrors, partyRef, sideOf, statementHref } from "./(_accounting)/arap.tsx";
import { DateField, yearToDate } from "./(_accounting)/finance.tsx";

interface Data extends FormData {
  st: Statement;
  party: Party | null;
  reminders: { sentAt: Date; channels: string[]; overdueMinor: number; lang: string }[];
  done: string | null;
  pdfUrl: string;
}

function query(ctx: Context<State>) {
  const p = ctx.url.searchParams;
  const { from, to } = yearToDate(ctx, ctx.state.deps.accounting);
  return { side: sideOf(p.get("side")), party: partyRef(p.get("party")), from, to };
}

async function pageData(ctx: Context<State>, extra: Partial<Data> = {}): Promise<Data> {
  const q = query(ctx);
  const acc = ctx.state.deps.accounting;
  const t = arap(ctx.state.lang);
  const st = await acc.statement({ ...q, lang: ctx.state.lang });
  const party = await acc.getParty(q.party);
  const done = ctx.url.searchParams.get("done");
  const u = new URL(ctx.url);
  u.searchParams.set("format", "pdf");
  u.searchParams.delete("done");
  ctx.state.title = `${t.statementTitle(q.side)}: ${st.name}`;
  return {
    st,
    party,
    reminders: q.side === "receivable" ? await acc.dunningLog(q.party) : [],
    done: done === "emailed" && party?.email
      ? t.emailed(party.email)
      : done === "saved"
      ? t.saved
      : null,
    pdfUrl: u.pathname + u.search,
    ...await blankForm(ctx),
    ...extra,
  };
}

export const handler = {
  GET: async (ctx: Context<State>) => {
    if (ctx.url.searchParams.get("format") === "pdf") {
      const q = query(ctx);
      const lang = ctx.url.searchParams.get("lang") === "bn" ? "bn" : ctx.state.lang;
      const pdf = await ctx.state.deps.accounting.statementPdf({ ...q, lang });
      return new Response(pdf as BodyInit, {
        headers: {
          "content-type": "application/pdf",
          "content-disposition": `attachment; filename="statement-${
            q.party.replace(/[^A-Za-z0-9_-]/g, "_")
          }-${q.to}.pdf"`,
        },
      });
    }
    return { data: await pageData(ctx) };
  },
  POST: async (ctx: Context<State>) => {
    const q = query(ctx);
    const v = formValues(ctx);
    const acc = ctx.state.deps.accounting;
    const back = `${statementHref(q.side, q.party)}&from=${q.from}&to=${q.to}`;
    try {
      if (v.action === "email") {
        await acc.emailStatement(q);
        return seeOther(`${back}&done=emailed`);
      }
      const days = Number(v.interval);
      await acc.saveParty({
        ref: q.party,
        side: q.side,
        name: v.name ?? "",
        nameBn: (v.nameBn ?? "").slice(0, 200),
        email: v.email?.trim() || null,
        phone: v.phone?.trim() || null,
        lang: v.lang === "bn" ? "bn" : "en",
        dunningIntervalDays: Number.isInteger(days) ? days : -1,
      });
      return seeOther(`${back}&done=saved`);
    } catch (e) {
      const errors = arapErrors(e, ctx.state.lang);
      return { status: 422, data: await pageData(ctx, { values: v, errors }) };
    }
  },
};

export default function StatementPage({ data, state }: PageProps<Data, State>) {
  const t = arap(state.lang);
  const lang = state.lang;
  const { st, party } = data;
  const val = (k: string, d: string) => data.values[k] ?? d;
  return (
    <>
      <PageTitle title={`${t.statementTitle(st.side)}: ${st.name}`} />
      <AccountingTabs
        m={state.t.accounting}
        current={st.side === "receivable" ? "receivables" : "payables"}
      />
      <Done text={data.done} />
      <Errors errors={data.errors} m={state.t.accounting} />
      <form method="get" class="flex flex-wrap items-end gap-3 mb-4">
        <input type="hidden" name="side" value={st.side} />
        <input type="hidden" name="party" value={st.party} />
        <DateField name="from" label={t.from} value={st.from} />
        <DateField name="to" label={t.to} value={st.to} />
        <button type="submit" class={buttonClass("secondary")}>{t.show}</button>
        <a class={linkClass} href={data.pdfUrl} download>{t.pdf}</a>
        <a
          class={linkClass}
          href={`/admin/accounting/allocate?side=${st.side}&party=${encodeURIComponent(st.party)}`}
        >
          {t.allocate}
        </a>
      </form>
      <Table head={[t.date, t.reference, t.memo, t.charge, t.settled, t.balance]}>
        <tr data-opening>
          <td class={td}>{st.from}</td>
          <td class={td}></td>
          <td class={td}>{t.opening}</td>
          <td class={num}></td>
          <td class={num}></td>
          <td class={num}>{taka(st.openingMinor, lang)}</td>
        </tr>
        {st.lines.map((l) => (
          <tr data-reference={l.reference}>
            <td class={td}>{l.date}</td>
            <td class={td}>
              {/^[A-Z0-9]{2,8}-(CN-)?\d{4}-\d{6,}$/.test(l.reference)
                ? (
                  <a class={linkClass} href={`/admin/accounting/invoices/${l.reference}`}>
                    {l.reference}
                  </a>
                )
                : l.reference}
            </td>
            <td class={td}>{l.memo}</td>
            <td class={num}>{l.chargeMinor ? taka(l.chargeMinor, lang) : ""}</td>
            <td class={num}>{l.settleMinor ? taka(l.settleMinor, lang) : ""}</td>
            <td class={num}>{taka(l.balanceMinor, lang)}</td>
          </tr>
        ))}
        <tr class="font-semibold" data-closing>
          <td class={td}>{st.to}</td>
          <td class={td}></td>
          <td class={td}>{t.closing}</td>
          <td class={num}></td>
          <td class={num}></td>
          <td class={num}>{taka(st.closingMinor, lang)}</td>
        </tr>
      </Table>
      <h2 class="text-lg font-semibold mb-2">{t.openItems}</h2>
      <Table head={[t.reference, t.date, t.dueDate, t.open]}>
        {st.open.map((i) => (
          <tr data-item={i.id}>
            <td class={td}>{i.documentNumber ?? `${i.source} ${i.sourceRef}`}</td>
            <td class={td}>{i.date}</td>
            <td class={td}>
              {i.dueDate}
              {i.openMinor > 0 && i.daysOverdue > 0 ? ` (${t.daysOverdue(i.daysOverdue)})` : ""}
            </td>
            <td class={num}>{taka(i.openMinor, lang)}</td>
          </tr>
        ))}
      </Table>
      <PostForm csrf={data.csrf} class="mb-6">
        <button type="submit" name="action" value="email" class={buttonClass("secondary")}>
          {t.email}
        </button>
        {party?.email && <span class="ml-2 text-sm">{party.email}</span>}
      </PostForm>
      <h2 class="text-lg font-semibold mb-2">{t.contacts}</h2>
      <PostForm csrf={data.csrf} actionField="contacts" class="grid gap-3 max-w-xl mb-6">
        <label class="text-sm">
          {t.party}
          <input
            name="name"
            required
            maxLength={200}
            value={val("name", party?.name ?? st.name)}
            class={`${inputClass(!!data.errors.name)} block w-full`}
          />
        </label>
        <label class="text-sm">
          {t.party} (বাংলা)
          <input
            name="nameBn"
            maxLength={200}
            value={val("nameBn", party?.nameBn ?? "")}
            class={`${inputClass()} block w-full`}
          />
        </label>
        <label class="text-sm">
          Email
          <input
            name="email"
            type="email"
            maxLength={320}
            value={val("email", party?.email ?? "")}
            class={`${inputClass(!!data.errors.email)} block w-full`}
          />
        </label>
        <label class="text-sm">
          {t.phone}
          <input
            name="phone"
            maxLength={16}
            value={val("phone", party?.phone ?? "")}
            class={`${inputClass(!!data.errors.phone)} block w-full`}
          />
        </label>
        <label class="text-sm">
          {t.lang}
          <select name="lang" class={`${selectClass} block`}>
            <option value="en" selected={val("lang", party?.lang ?? "en") === "en"}>English</option>
            <option value="bn" selected={val("lang", party?.lang ?? "en") === "bn"}>বাংলা</option>
          </select>
        </label>
        <label class="text-sm">
          {t.interval}
          <input
            name="interval"
            type="number"
            min={1}
            max={365}
            value={val("interval", String(party?.dunningIntervalDays ?? 7))}
            class={`${inputClass(!!data.errors.dunningIntervalDays)} block w-32`}
          />
        </label>
        <div>
          <button type="submit" class={buttonClass()}>{t.save}</button>
        </div>
      </PostForm>
      {data.reminders.length > 0 && (
        <>
          <h2 class="text-lg font-semibold mb-2">{t.reminders}</h2>
          <Table head={[t.date, "", t.amount]}>
            {data.reminders.map((r) => (
              <tr>
                <td class={td}>{dhakaDate(r.sentAt)} {dhakaTime(r.sentAt)}</td>
                <td class={td}>{r.channels.join(", ")} · {r.lang}</td>
                <td class={num}>{taka(r.overdueMinor, lang)}</td>
              </tr>
            ))}
          </Table>
        </>
      )}
    </>
  );
}
