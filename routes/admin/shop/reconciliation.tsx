import type { PageProps } from "@/framework/mod.ts";
import type { State } from "@/state.ts";
import { formatTaka } from "@/services/i18n/mod.ts";
import type { Issue, RiderDay } from "@/services/payments/mod.ts";
import { dhakaDate, isDate, takaSchema } from "@/services/shop/mod.ts";
import { adminButton, adminInput, RowAction, ShopAdminHeader } from "@/components/ShopAdmin.tsx";
import { type AdminCtx, noticeScreen, staffScreen, stamp } from "./(_lib)/admin.ts";

interface Data {
  issues: Issue[];
  resolved: Issue[];
  riders: RiderDay[];
  /** Our riders (staff users with the rider role), for the hand-in form. */
  riderUsers: { id: string; name: string }[];
  today: string;
  csrf: string;
  notice: string | null;
  error: string | null;
}

const KIND_LABEL: Record<string, string> = {
  provider_paid_we_did_not: "Provider shows paid, we do not",
  we_paid_provider_did_not: "We show paid, provider does not",
  amount_mismatch: "Amount or reference differs",
  duplicate_payment: "Paid twice — refund one",
  provider_unreachable: "Provider could not be asked",
  cod_not_collected: "Cash on delivery not (fully) collected",
  cod_rider_difference: "Rider hand-in differs from collections",
  bank_unmatched: "Bank credit not matched",
  refund_mismatch: "Refund differs",
};

async function render(ctx: AdminCtx, error: string | null, status = 200) {
  const payments = ctx.state.deps.payments;
  return await noticeScreen(
    ctx,
    "Reconciliation",
    {
      issues: await payments.issues("open"),
      resolved: await payments.issues("resolved", 20),
      riders: await payments.riderDays(),
      riderUsers: await ctx.state.deps.delivery.riders(),
      today: dhakaDate(ctx.state.deps.shop.now()),
    },
    error,
    status,
  );
}

export const handler = staffScreen<Data>(
  "accounting.manage",
  (ctx) => render(ctx, null),
  async (ctx, user) => {
    const f = ctx.form!;
    const payments = ctx.state.deps.payments;
    switch (f.get("action")) {
      case "run": {
        const s = await payments.sweep();
        const r = await payments.reconcile();
        return ctx.redirect(`/admin/shop/reconciliation?done=${
          encodeURIComponent(
            `Checked ${r.checked} payments, ${
              r.flagged + r.codFlagged
            } findings; ${s.confirmed} late payments confirmed, ${s.ordersCancelled} unpaid orders cancelled${
              r.unreachable.length ? `; unreachable: ${r.unreachable.join(", ")}` : ""
            }`,
          )
        }`);
      }
      case "resolve": {
        const note = String(f.get("resolution") ?? "").trim();
        if (note.length < 3) {
          return await render(ctx, "Say how it was resolved (at least 3 characters).", 422);
        }
        await payments.resolveIssue(Number(f.get("id")), note.slice(0, 300), user.id);
        return ctx.redirect("/admin/shop/reconciliation?done=Resolved");
      }
      case "handin": {
        // The cashier receives a rider's cash: the rider is one of our rider users.
        const riderId = String(f.get("riderId") ?? "");
        const rider = (await ctx.state.deps.delivery.riders()).find((r) => r.id === riderId);
        const day = String(f.get("day") ?? "");
        const amount = takaSchema.safeParse(String(f.get("amount") ?? ""));
        if (!rider || !isDate(day) || !amount.success) {
          return await render(ctx, "Choose the rider, the day and enter the cash handed in.", 422);
        }
        const name = rider.name.trim().length >= 2 ? rider.name.trim().slice(0, 80) : "Rider";
        const r = await payments.recordHandin({
          riderId: rider.id,
          rider: name,
          handedOn: day,
          amountMinor: amount.data,
          actorId: user.id,
          note: String(f.get("note") ?? "").trim().slice(0, 300) || undefined,
        });
        const diff = r.differenceMinor === 0
          ? "matches the collections"
          : `${r.differenceMinor < 0 ? "short" : "over"} by ${
            formatTaka(Math.abs(r.differenceMinor), "en")
          }`;
        return ctx.redirect(`/admin/shop/reconciliation?done=${
          encodeURIComponent(
            `Hand-in from ${name} for ${day}: ${formatTaka(r.amountMinor, "en")} against ${
              formatTaka(r.expectedMinor, "en")
            } collected — ${diff}`,
          )
        }`);
      }
    }
    return ctx.redirect("/admin/shop/reconciliation");
  },
);

export default function Reconciliation({ data, url }: PageProps<Data, State>) {
  const csrf = <input type="hidden" name="_csrf" value={data.csrf} />;
  return (
    <>
      <ShopAdminHeader title="Reconciliation" path={url.pathname} screen={data} />
      <form method="post" class="mb-4">
        {csrf}
        <input type="hidden" name="action" value="run" />
        <button type="submit" class={adminButton} data-testid="run-reconciliation">
          Check with the providers now
        </button>
        <span class="text-sm text-gray-600 ml-2">The worker also does this every hour.</span>
      </form>
      <section class="bg-white border rounded p-4 mb-4 text-sm">
        <h2 class="font-semibold mb-2">Open findings ({data.issues.length})</h2>
        {data.issues.length === 0
          ? <p class="text-gray-600">Nothing to look at.</p>
          : (
            <ul data-testid="issues">
              {data.issues.map((i) => (
                <li class="border-t py-2">
                  <p>
                    <span class="font-semibold">{KIND_LABEL[i.kind] ?? i.kind}</span> ·{" "}
                    {stamp(i.foundAt)}
                    {i.orderNumber && (
                      <>
                        ·{" "}
                        <a class="underline" href={`/admin/shop/orders/${i.orderNumber}`}>
                          {i.orderNumber}
                        </a>
                      </>
                    )}
                    {i.paymentId && (
                      <>
                        ·{" "}
                        <a class="underline" href={`/admin/shop/payments/${i.paymentId}`}>
                          payment
                        </a>
                      </>
                    )}
                  </p>
                  <p class="font-mono text-xs text-gray-700 break-all">
                    {JSON.stringify(i.detail)}
                  </p>
                  <RowAction
                    csrf={data.csrf}
                    action="resolve"
                    row={["id", i.id]}
                    text={["resolution", "Resolution", "How it was resolved", "flex-1"]}
                    button="Resolve"
                    class="flex gap-2 mt-1"
                  />
                </li>
              ))}
            </ul>
          )}
      </section>
      <section class="bg-white border rounded p-4 mb-4 text-sm">
        <h2 class="font-semibold mb-2">Cash on delivery by rider</h2>
        <table class="w-full text-left mb-3">
          <thead>
            <tr>
              <th>Day</th>
              <th>Rider</th>
              <th class="text-right">Orders</th>
              <th class="text-right">Collected</th>
              <th class="text-right">Handed in</th>
              <th class="text-right">Difference</th>
            </tr>
          </thead>
          <tbody>
            {data.riders.length === 0 && (
              <tr data-empty>
                <td colSpan={6} class="text-gray-600 py-1">
                  No cash-on-delivery collections in these days.
                </td>
              </tr>
            )}
            {data.riders.map((r) => (
              <tr
                data-rider-day={`${r.riderId}:${r.day}`}
                class={`border-t ${
                  r.differenceMinor !== null && r.differenceMinor !== 0 ? "text-red-700" : ""
                }`}
              >
                <td>{r.day}</td>
                <td>{r.rider}</td>
                <td class="text-right">{r.orders}</td>
                <td class="text-right">{formatTaka(r.collectedMinor, "en")}</td>
                <td class="text-right">
                  {r.handedInMinor === null ? "—" : formatTaka(r.handedInMinor, "en")}
                </td>
                <td class="text-right" data-difference>
                  {r.differenceMinor === null
                    ? "—"
                    : r.differenceMinor === 0
                    ? "0"
                    : `${r.differenceMinor < 0 ? "short" : "over"} ${
                      formatTaka(Math.abs(r.differenceMinor), "en")
                    }`}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
        <form method="post" class="flex flex-wrap gap-2 items-end">
          {csrf}
          <input type="hidden" name="action" value="handin" />
          <label class="flex flex-col">
            Rider
            <select name="riderId" required class={adminInput}>
              {data.riderUsers.length === 0 && <option value="">No rider user yet</option>}
              {data.riderUsers.map((r) => <option value={r.id}>{r.name}</option>)}
            </select>
          </label>
          <label class="flex flex-col">
            Day<input name="day" type="date" value={data.today} class={adminInput} />
          </label>
          <label class="flex flex-col">
            Cash handed in ৳<input name="amount" required class={`${adminInput} w-28`} />
          </label>
          <label class="flex flex-col">
            Note<input name="note" maxLength={300} class={adminInput} />
          </label>
          <button type="submit" class={adminButton}>Receive hand-in</button>
        </form>
      </section>
      {data.resolved.length > 0 && (
        <section class="bg-white border rounded p-4 text-sm">
          <h2 class="font-semibold mb-2">Recently resolved</h2>
          <ul>
            {data.resolved.map((i) => (
              <li class="border-t py-1">
                {KIND_LABEL[i.kind] ?? i.kind} · {i.resolution} · {stamp(i.resolvedAt)}
              </li>
            ))}
          </ul>
        </section>
      )}
    </>
  );
}
