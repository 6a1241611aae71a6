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
        const rider = String(f.get("rider") ?? "").trim();
        const day = String(f.get("day") ?? "");
        const amount = takaSchema.safeParse(String(f.get("amount") ?? ""));
        if (rider.length < 2 || !isDate(day) || !amount.success) {
          return await render(ctx, "Enter the rider, the day and the cash handed in.", 422);
        }
        await payments.recordHandin({
          rider,
          handedOn: day,
          amountMinor: amount.data,
          actorId: user.id,
        });
        return ctx.redirect("/admin/shop/reconciliation?done=Hand-in%20recorded");
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
            </tr>
          </thead>
          <tbody>
            {data.riders.length === 0 && (
              <tr data-empty>
                <td colSpan={5} class="text-gray-600 py-1">
                  No cash-on-delivery collections in these days.
                </td>
              </tr>
            )}
            {data.riders.map((r) => (
              <tr
                class={`border-t ${
                  r.handedInMinor !== null && r.handedInMinor !== r.collectedMinor
                    ? "text-red-700"
                    : ""
                }`}
              >
                <td>{r.day}</td>
                <td>{r.rider}</td>
                <td class="text-right">{r.orders}</td>
                <td class="text-right">{formatTaka(r.collectedMinor, "en")}</td>
                <td class="text-right">
                  {r.handedInMinor === null ? "—" : formatTaka(r.handedInMinor, "en")}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
        <form method="post" class="flex flex-wrap gap-2 items-end">
          {csrf}
          <input type="hidden" name="action" value="handin" />
          <label class="flex flex-col">
            Rider<input name="rider" required class={adminInput} />
          </label>
          <label class="flex flex-col">
            Day<input name="day" type="date" value={data.today} class={adminInput} />
          </label>
          <label class="flex flex-col">
            Cash handed in ৳<input name="amount" required class={`${adminInput} w-28`} />
          </label>
          <button type="submit" class={adminButton}>Record hand-in</button>
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
