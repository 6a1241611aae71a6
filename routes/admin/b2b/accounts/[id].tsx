import type { Context, Handlers, PageProps } from "@/framework/mod.ts";
import type { State } from "@/state.ts";
import { formValues } from "@/plugins/forms.ts";
import { formatTaka } from "@/services/i18n/mod.ts";
import {
  type Account,
  type AccountStatus,
  b2bMoneyMessages,
  ConflictError,
  type MemberRole,
  NotFoundError,
  type OrderSummary,
  type PriceRow,
  type Terms,
  ValidationError,
} from "@/services/b2b/mod.ts";
import { ListTable, StatusPill } from "@/components/ui.tsx";
import {
  adminB2bPage,
  b2bStaff,
  errorText,
  more,
  msgs,
  STATUS_COLORS,
  takaToMinor,
} from "@/routes/b2b/(_lib)/web.tsx";

interface Data {
  account: Account;
  outlets: { id: number; name: string; address: string }[];
  contacts: { name: string; phone: string }[];
  members: { userId: string; role: MemberRole }[];
  prices: PriceRow[];
  orders: OrderSummary[];
  exposure: { receivableMinor: number; overdueMinor: number; openOrdersMinor: number };
  errors: Record<string, string>;
  csrf: string;
}

async function show(ctx: Context<State>, errors: Record<string, string> = {}, status = 200) {
  const b2b = ctx.state.deps.b2b;
  const id = Number(ctx.params.id);
  const account = Number.isSafeInteger(id) ? await b2b.account(id) : null;
  if (!account) throw new NotFoundError("b2b account");
  return await adminB2bPage(ctx, account.company, status, {
    account,
    outlets: await b2b.outlets(id),
    contacts: await b2b.contacts(id),
    members: await b2b.members(id),
    prices: await b2b.priceRows(account),
    orders: await b2b.orders({ accountId: id }),
    exposure: await b2b.exposure(id),
    errors,
  });
}

export const handler: Handlers<Data, State> = {
  GET: (ctx) => show(ctx),
  async POST(ctx) {
    const actor = b2bStaff(ctx);
    const b2b = ctx.state.deps.b2b;
    const id = Number(ctx.params.id);
    if (!Number.isSafeInteger(id) || !(await b2b.account(id))) {
      throw new NotFoundError("b2b account");
    }
    const v = formValues(ctx);
    const orderOf = async () => {
      const o = await b2b.order(v.orderId ?? "", id);
      if (!o) throw new NotFoundError("b2b order");
      return o.id;
    };
    try {
      switch (v.action) {
        case "status":
          await b2b.setStatus(id, v.to as AccountStatus, v.reason ?? "", actor);
          break;
        case "credit": {
          const limit = takaToMinor(v.creditLimit ?? "");
          const min = takaToMinor(v.minOrder ?? "0");
          await b2b.setCredit(id, {
            creditLimitMinor: limit ?? -1,
            terms: v.terms as Terms,
            requiresApproval: v.requiresApproval === "on",
            minOrderMinor: min ?? -1,
            customerGroup: (v.customerGroup ?? "").trim(),
          }, actor);
          break;
        }
        case "price": {
          const group = v.scope === "group";
          const account = (await b2b.account(id))!;
          await b2b.savePrice({
            accountId: group ? null : id,
            customerGroup: group ? account.customerGroup : null,
            sku: (v.sku ?? "").trim().toUpperCase(),
            minQty: Number(v.minQty || "1"),
            priceMinor: takaToMinor(v.price ?? "") ?? -1,
            validFrom: (v.validFrom ?? "").trim(),
            validTo: (v.validTo ?? "").trim() || null,
          }, actor);
          break;
        }
        case "member":
          await b2b.setMember(
            id,
            (v.userId ?? "").trim(),
            v.role === "remove" ? null : v.role as MemberRole,
            actor,
          );
          break;
        case "release":
          await b2b.releaseHold(await orderOf(), v.reason ?? "", actor);
          break;
        case "deliver":
          await b2b.deliver(await orderOf(), {
            receivedBy: v.receivedBy ?? "",
            note: v.note ?? "",
          }, actor);
          break;
        case "cancel":
          await b2b.cancelOrder(await orderOf(), actor);
          break;
        default:
          return await show(ctx, { form: "action" }, 422);
      }
    } catch (e) {
      if (e instanceof ValidationError) return await show(ctx, e.fieldErrors, 422);
      if (e instanceof ConflictError) return await show(ctx, { form: e.message }, 409);
      throw e;
    }
    return ctx.redirect(`/admin/b2b/accounts/${id}?saved=1`);
  },
};

export default function B2bAccountAdmin({ data, state, url }: PageProps<Data, State>) {
  const t = msgs(state);
  const lang = state.lang;
  const bn = lang === "bn";
  const a = data.account;
  const e = data.errors;
  const err = (k: string) =>
    e[k] ? <span class="text-red-700 text-sm" role="alert">{errorText(t, e[k], lang)}</span> : null;
  const csrf = <input type="hidden" name="_csrf" value={data.csrf} />;
  const box = "bg-white border rounded p-4 mb-4 text-sm";
  const field = "border rounded px-2 py-1";
  const btn = "bg-brand-700 text-white rounded px-3 py-1";
  return (
    <>
      <p class="text-sm mb-2">
        <a href="/admin/b2b" class="underline">{t.title}</a>
      </p>
      <h1 class="text-2xl font-bold mb-2">
        {a.company}{" "}
        <StatusPill status={a.status} label={t.statuses[a.status]} colors={STATUS_COLORS} />
      </h1>
      {url.searchParams.has("saved") && (
        <p class="text-green-800 mb-2">{bn ? "সংরক্ষিত।" : "Saved."}</p>
      )}
      {err("form")}
      <dl class={`${box} grid sm:grid-cols-3 gap-2`}>
        <div>
          <dt class="text-gray-600">{t.tradeLicenceNo}</dt>
          <dd>{a.tradeLicenceNo} ({a.tradeLicenceExpires})</dd>
        </div>
        <div>
          <dt class="text-gray-600">BIN</dt>
          <dd>{a.bin}</dd>
        </div>
        <div>
          <dt class="text-gray-600">TIN</dt>
          <dd>{a.tin}</dd>
        </div>
        <div>
          <dt class="text-gray-600">{t.ownerNid}</dt>
          <dd>{a.ownerNid}</dd>
        </div>
        <div>
          <dt class="text-gray-600">{t.contacts}</dt>
          <dd>{data.contacts.map((c) => `${c.name} ${c.phone}`).join(", ")}</dd>
        </div>
        <div>
          <dt class="text-gray-600">{bn ? "ঝুঁকি" : "Exposure"}</dt>
          <dd data-testid="exposure">
            {bn ? "বকেয়া" : "Receivable"} {formatTaka(data.exposure.receivableMinor, lang)} ·{" "}
            {bn ? "মেয়াদোত্তীর্ণ" : "overdue"} {formatTaka(data.exposure.overdueMinor, lang)} ·{" "}
            {bn ? "খোলা অর্ডার" : "open orders"} {formatTaka(data.exposure.openOrdersMinor, lang)}
          </dd>
        </div>
      </dl>

      <form method="post" class={box}>
        {csrf}
        <input type="hidden" name="action" value="status" />
        <label>
          {t.status}{" "}
          <select name="to" class={field}>
            {(["active", "on_hold", "closed"] as const).map((s) => (
              <option value={s}>{t.statuses[s]}</option>
            ))}
          </select>
        </label>{" "}
        <label>
          {bn ? "কারণ" : "Reason"} <input name="reason" class={field} />
        </label>{" "}
        <button type="submit" class={btn}>{bn ? "অবস্থা বদলান" : "Change status"}</button>{" "}
        {err("status")}
        {err("reason")}
      </form>

      <form method="post" class={`${box} flex flex-wrap gap-3 items-end`}>
        {csrf}
        <input type="hidden" name="action" value="credit" />
        <label class="flex flex-col">
          {t.creditLimit} (৳)
          <input name="creditLimit" value={(a.creditLimitMinor / 100).toFixed(2)} class={field} />
          {err("creditLimit")}
        </label>
        <label class="flex flex-col">
          {t.terms}
          <select name="terms" class={field}>
            {(["cash", "7", "15", "30"] as const).map((x) => (
              <option value={x} selected={a.terms === x}>{t.termNames[x]}</option>
            ))}
          </select>
        </label>
        <label class="flex flex-col">
          {t.minOrder} (৳)
          <input name="minOrder" value={(a.minOrderMinor / 100).toFixed(2)} class={field} />
          {err("minOrder")}
        </label>
        <label class="flex flex-col">
          {bn ? "গ্রাহক দল" : "Customer group"}
          <input name="customerGroup" value={a.customerGroup} class={field} />
          {err("customerGroup")}
        </label>
        <label>
          <input type="checkbox" name="requiresApproval" checked={a.requiresApproval} />{" "}
          {bn ? "অর্ডারে অনুমোদন লাগে" : "Orders need approval"}
        </label>
        <button type="submit" class={btn}>{bn ? "সংরক্ষণ" : "Save"}</button>
      </form>

      <p class="mb-3">
        <a
          href={`/admin/b2b/accounts/${data.account.id}/documents`}
          class="text-brand-700 underline"
        >
          {more(lang).documentsTitle}
        </a>
      </p>
      <h2 class="text-xl font-semibold mb-2">{t.outlets}</h2>
      <ListTable
        heads={[t.outletName, t.address]}
        empty={bn ? "কোনো আউটলেট নেই।" : "No outlets."}
        class="mb-4"
      >
        {data.outlets.map((o) => (
          <tr class="border-t">
            <td class="px-3 py-2">{o.name}</td>
            <td class="px-3 py-2">{o.address}</td>
          </tr>
        ))}
      </ListTable>

      <h2 class="text-xl font-semibold mb-2">{bn ? "ব্যবহারকারী" : "Users"}</h2>
      <ListTable
        heads={[bn ? "ব্যবহারকারী" : "User", t.role]}
        empty={bn
          ? "এখনো কোনো ব্যবহারকারী নেই — অনুমোদনে আবেদনকারী প্রশাসক হন।"
          : "No users yet — approving the application makes the applicant the account admin."}
        class="mb-2"
      >
        {data.members.map((m) => (
          <tr class="border-t">
            <td class="px-3 py-2 font-mono">{m.userId}</td>
            <td class="px-3 py-2">{t.roles[m.role]}</td>
          </tr>
        ))}
      </ListTable>
      <form method="post" class={box}>
        {csrf}
        <input type="hidden" name="action" value="member" />
        <label>
          {bn ? "ব্যবহারকারীর আইডি" : "User id"} <input name="userId" class={field} />
        </label>{" "}
        <select name="role" class={field}>
          {(["buyer", "approver", "admin"] as const).map((r) => (
            <option value={r}>{t.roles[r]}</option>
          ))}
          <option value="remove">{bn ? "সরান" : "Remove"}</option>
        </select>{" "}
        <button type="submit" class={btn}>{bn ? "সংরক্ষণ" : "Save"}</button> {err("userId")}
      </form>

      <h2 class="text-xl font-semibold mb-2">{t.prices}</h2>
      <ListTable
        heads={[
          t.sku,
          bn ? "কার জন্য" : "For",
          bn ? "ন্যূনতম পরিমাণ" : "From qty",
          t.priceNet,
          bn ? "মেয়াদ" : "Valid",
        ]}
        empty={bn
          ? "কোনো চুক্তিমূল্য নেই — দোকানের দাম (ভ্যাট ছাড়া) প্রযোজ্য।"
          : "No contract prices — the shop price (without VAT) applies."}
        class="mb-2"
      >
        {data.prices.map((p) => (
          <tr class="border-t" data-price={p.sku}>
            <td class="px-3 py-2 font-mono">{p.sku}</td>
            <td class="px-3 py-2">{p.accountId ? t.contract : p.customerGroup}</td>
            <td class="px-3 py-2">{p.minQty}</td>
            <td class="px-3 py-2">{formatTaka(p.priceMinor, lang)}</td>
            <td class="px-3 py-2">{p.validFrom} → {p.validTo ?? "…"}</td>
          </tr>
        ))}
      </ListTable>
      <form method="post" class={`${box} flex flex-wrap gap-3 items-end`}>
        {csrf}
        <input type="hidden" name="action" value="price" />
        <label class="flex flex-col">
          {t.sku}
          <input name="sku" class={field} />
          {err("sku")}
        </label>
        <label class="flex flex-col">
          {bn ? "ন্যূনতম পরিমাণ" : "From qty"}
          <input name="minQty" value="1" class={field} />
          {err("minQty")}
        </label>
        <label class="flex flex-col">
          {t.priceNet} (৳)<input name="price" class={field} />
          {err("price")}
        </label>
        <label class="flex flex-col">
          {bn ? "শুরু" : "From"}
          <input type="date" name="validFrom" class={field} />
          {err("validFrom")}
        </label>
        <label class="flex flex-col">
          {bn ? "শেষ" : "To"}
          <input type="date" name="validTo" class={field} />
          {err("validTo")}
        </label>
        <select name="scope" class={field}>
          <option value="account">{t.contract}</option>
          <option value="group">{bn ? "গ্রাহক দল" : "Customer group"} ({a.customerGroup})</option>
        </select>
        <button type="submit" class={btn}>{bn ? "দাম যোগ করুন" : "Add price"}</button>
      </form>

      <h2 class="text-xl font-semibold mb-2">{t.orders}</h2>
      <p class="mb-2">
        <a class="text-brand-700 underline" href={`/admin/b2b/money/${a.id}`}>
          {b2bMoneyMessages[lang].money} · {b2bMoneyMessages[lang].returns}
        </a>
      </p>
      <ListTable
        heads={[t.number, t.status, t.date, t.total, bn ? "কাজ" : "Actions"]}
        empty={bn ? "এই অ্যাকাউন্টের কোনো অর্ডার নেই।" : "No orders from this account yet."}
      >
        {data.orders.map((o) => (
          <tr class="border-t" data-order={o.number}>
            <td class="px-3 py-2">{o.number}</td>
            <td class="px-3 py-2">
              <StatusPill
                status={o.status}
                label={t.orderStatuses[o.status]}
                colors={STATUS_COLORS}
              />
              {o.holdReason && <span class="text-xs">({o.holdReason})</span>}
              {o.invoiceNumber && <span class="text-xs">{o.invoiceNumber}</span>}
            </td>
            <td class="px-3 py-2">{o.deliveryDate}</td>
            <td class="px-3 py-2">{formatTaka(o.totalMinor, lang)}</td>
            <td class="px-3 py-2">
              {o.status === "credit_hold" && (
                <form method="post" class="inline">
                  {csrf}
                  <input type="hidden" name="action" value="release" />
                  <input type="hidden" name="orderId" value={o.id} />
                  <input name="reason" placeholder={bn ? "কারণ" : "Reason"} class={field} />{" "}
                  <button type="submit" class={btn}>{bn ? "হোল্ড তুলুন" : "Release"}</button>
                </form>
              )}
              {o.status === "confirmed" && (
                <form method="post" class="inline">
                  {csrf}
                  <input type="hidden" name="action" value="deliver" />
                  <input type="hidden" name="orderId" value={o.id} />
                  <input
                    name="receivedBy"
                    required
                    placeholder={bn ? "গ্রহণকারী" : "Received by"}
                    class={field}
                  />{" "}
                  <button type="submit" class={btn}>{bn ? "ডেলিভারি হয়েছে" : "Delivered"}</button>
                </form>
              )}
            </td>
          </tr>
        ))}
      </ListTable>
    </>
  );
}
