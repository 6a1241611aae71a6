import type { Context, Handlers, PageProps } from "@/framework/mod.ts";
import { assertSignedIn } from "@/plugins/session.ts";
import { formValues } from "@/plugins/forms.ts";
import type { State } from "@/state.ts";
import { formatTaka } from "@/services/i18n/mod.ts";
import { type Account, type MemberRole, type OrderSummary } from "@/services/b2b/mod.ts";
import { ListTable, PostForm, StatusPill } from "@/components/ui.tsx";
import {
  B2bLayout,
  COMPANY_FIELDS,
  CompanyFields,
  formInput,
  more,
  msgs,
  type PortalForm,
  portalTitle,
  refusedForm,
  STATUS_COLORS,
} from "./(_lib)/web.tsx";
import { fieldsOf } from "@/routes/(_lib)/form.ts";

type PriceLine = Awaited<ReturnType<State["deps"]["b2b"]["priceList"]>>[number];

type Data =
  | {
    kind: "member";
    account: Account;
    role: MemberRole;
    prices: PriceLine[];
    orders: OrderSummary[];
  }
  | { kind: "application"; account: Account }
  | { kind: "form"; values: Record<string, string>; errors: Record<string, string>; csrf: string };

const OUTLET_ROWS = 3;
const CONTACT_ROWS = 2;

async function show(
  ctx: Context<State>,
  form?: PortalForm,
  status = 200,
) {
  const user = assertSignedIn(ctx);
  const b2b = ctx.state.deps.b2b;
  portalTitle(ctx, msgs(ctx.state).portal);
  if (!form) {
    const m = await b2b.membershipOf(user.id);
    if (m) {
      return {
        data: {
          kind: "member" as const,
          account: m.account,
          role: m.role,
          prices: await b2b.priceList(m.account),
          orders: await b2b.orders({ accountId: m.account.id }),
        },
      };
    }
    const app = await b2b.applicationOf(user.id);
    if (app && app.status !== "closed") {
      return { data: { kind: "application" as const, account: app } };
    }
  }
  return {
    status,
    data: {
      kind: "form" as const,
      values: form?.values ?? {},
      errors: form?.errors ?? {},
      csrf: await ctx.csrfToken(),
    },
  };
}

export const handler: Handlers<Data, State> = {
  GET: (ctx) => show(ctx),
  async POST(ctx) {
    const user = assertSignedIn(ctx);
    const v = formValues(ctx);
    const rows = (prefix: string, n: number, keys: string[]) =>
      Array.from(
        { length: n },
        (_, i) => Object.fromEntries(keys.map((k) => [k, v[`${prefix}.${i}.${k}`] ?? ""])),
      );
    try {
      await ctx.state.deps.b2b.apply(user.id, {
        ...fieldsOf(v, COMPANY_FIELDS),
        lang: ctx.state.lang === "bn" ? "bn" : "en",
        outlets: rows("outlets", OUTLET_ROWS, ["name", "address"]) as {
          name: string;
          address: string;
        }[],
        contacts: rows("contacts", CONTACT_ROWS, ["name", "phone"]) as {
          name: string;
          phone: string;
        }[],
      });
    } catch (e) {
      const { form, status } = refusedForm(e, v, { field: "company", status: 409 });
      return await show(ctx, form, status);
    }
    return ctx.redirect("/b2b");
  },
};

export default function B2bHome({ data, state, url }: PageProps<Data, State>) {
  const t = msgs(state);
  const lang = state.lang;
  if (data.kind === "application") {
    return (
      <B2bLayout state={state} path={url.pathname}>
        <h1 class="text-2xl font-bold mb-4">{t.statusOf}</h1>
        <p class="bg-white border rounded p-4" data-testid="application-status">
          {t.applied.replace("{company}", data.account.company)}{" "}
          <StatusPill
            status={data.account.status}
            label={t.statuses[data.account.status]}
            colors={STATUS_COLORS}
          />
        </p>
        <p class="mt-3">
          <a href="/b2b/documents" class="text-brand-700 underline">
            {more(lang).documentsTitle}
          </a>
        </p>
      </B2bLayout>
    );
  }
  if (data.kind === "member") {
    const a = data.account;
    return (
      <B2bLayout state={state} path={url.pathname}>
        <h1 class="text-2xl font-bold mb-2">{a.company}</h1>
        <p class="text-sm text-gray-700 mb-4">
          {t.role}: {t.roles[data.role]} · {t.creditLimit}: {formatTaka(a.creditLimitMinor, lang)}
          {" · "}
          {t.terms}: {t.termNames[a.terms]} · {t.minOrder}: {formatTaka(a.minOrderMinor, lang)}
          {" · "}
          <StatusPill status={a.status} label={t.statuses[a.status]} colors={STATUS_COLORS} />
        </p>
        <p class="mb-6">
          <a href="/b2b/order" class="bg-brand-700 text-white rounded px-4 py-2 inline-block">
            {t.quickOrder}
          </a>
        </p>
        <h2 class="text-xl font-semibold mb-2">{t.orders}</h2>
        <ListTable
          heads={[t.number, t.status, t.date, t.total]}
          empty={t.noOrders}
          class="mb-6"
        >
          {data.orders.map((o) => (
            <tr class="border-t" data-order={o.number}>
              <td class="px-3 py-2">
                <a class="text-brand-700 underline" href={`/b2b/orders/${o.id}`}>{o.number}</a>
              </td>
              <td class="px-3 py-2">
                <StatusPill
                  status={o.status}
                  label={t.orderStatuses[o.status]}
                  colors={STATUS_COLORS}
                />
              </td>
              <td class="px-3 py-2">{o.deliveryDate}</td>
              <td class="px-3 py-2">{formatTaka(o.totalMinor, lang)}</td>
            </tr>
          ))}
        </ListTable>
        <h2 class="text-xl font-semibold mb-2">{t.prices}</h2>
        <ListTable
          heads={[t.sku, t.product, t.priceNet, t.priceGross, t.publicPrice, t.breaks]}
          empty={t.noPrices}
        >
          {data.prices.map((p) => (
            <tr class="border-t" data-sku={p.pack.sku}>
              <td class="px-3 py-2 font-mono">{p.pack.sku}</td>
              <td class="px-3 py-2">
                {lang === "bn"
                  ? `${p.pack.nameBn} ${p.pack.packBn}`
                  : `${p.pack.nameEn} ${p.pack.packEn}`}
                {p.source !== "public" && (
                  <span class="ml-1 text-xs text-green-800">({t.contract})</span>
                )}
              </td>
              <td class="px-3 py-2" data-net>{formatTaka(p.unitMinor, lang)}</td>
              <td class="px-3 py-2" data-gross>{formatTaka(p.withVatMinor, lang)}</td>
              <td class="px-3 py-2">{formatTaka(p.publicMinor, lang)}</td>
              <td class="px-3 py-2">
                {p.breaks.map((b) => `${b.minQty}+ ${formatTaka(b.unitMinor, lang)}`).join(", ")}
              </td>
            </tr>
          ))}
        </ListTable>
      </B2bLayout>
    );
  }
  const input = formInput(data, state);
  return (
    <B2bLayout state={state} path={url.pathname}>
      <h1 class="text-2xl font-bold mb-2">{t.applyTitle}</h1>
      <p class="mb-4 text-gray-700">{t.applyIntro}</p>
      <PostForm csrf={data.csrf} class="bg-white border rounded p-4 space-y-4" novalidate>
        <div class="grid gap-3 sm:grid-cols-2">
          <CompanyFields input={input} t={t} />
        </div>
        <fieldset>
          <legend class="font-semibold">{t.outlets}</legend>
          {Array.from(
            { length: OUTLET_ROWS },
            (_, i) => (
              <div class="grid gap-3 sm:grid-cols-2 mt-2">
                {input(`outlets.${i}.name`, t.outletName)}
                {input(`outlets.${i}.address`, t.address)}
              </div>
            ),
          )}
        </fieldset>
        <fieldset>
          <legend class="font-semibold">{t.contacts}</legend>
          {Array.from(
            { length: CONTACT_ROWS },
            (_, i) => (
              <div class="grid gap-3 sm:grid-cols-2 mt-2">
                {input(`contacts.${i}.name`, t.contactName)}
                {input(`contacts.${i}.phone`, t.phone, "tel")}
              </div>
            ),
          )}
        </fieldset>
        <button type="submit" class="bg-brand-700 text-white rounded px-4 py-2">{t.submit}</button>
      </PostForm>
    </B2bLayout>
  );
}
