import type { PageProps } from "@/framework/mod.ts";
import type { State } from "@/state.ts";
import { formatTaka } from "@/services/i18n/mod.ts";
import { StatementError, type StatementLineRow } from "@/services/payments/mod.ts";
import {
  adminButton,
  adminInput,
  AdminTable,
  RowAction,
  ShopAdminHeader,
} from "@/components/ShopAdmin.tsx";
import { type AdminCtx, noticeScreen, staffScreen } from "./(_lib)/admin.ts";

interface Data {
  lines: StatementLineRow[];
  csrf: string;
  notice: string | null;
  error: string | null;
}

async function render(ctx: AdminCtx, error: string | null, status = 200) {
  const lines = await ctx.state.deps.payments.bankReviewQueue();
  return await noticeScreen(ctx, "Bank transfers", { lines }, error, status);
}

/** Statement import (CSV) and the review queue of credits that did not match by themselves. */
export const handler = staffScreen<Data>(
  "accounting.manage",
  (ctx) => render(ctx, null),
  async (ctx, user) => {
    const f = ctx.form!;
    const payments = ctx.state.deps.payments;
    const action = f.get("action");
    if (action === "import") {
      const file = f.get("file");
      const text = file instanceof File && file.size
        ? await file.text()
        : String(f.get("csv") ?? "");
      if (!text.trim()) {
        return await render(ctx, "Choose a CSV file or paste the statement lines.", 422);
      }
      if (text.length > 1_000_000) {
        return await render(ctx, "The statement is too large (1 MB at most).", 413);
      }
      try {
        const r = await payments.importStatement(text, user.id);
        return ctx.redirect(
          `/admin/shop/bank?done=${
            encodeURIComponent(
              `${r.lines} lines: ${r.matched} matched, ${r.review} to review, ${r.duplicates} already imported`,
            )
          }`,
        );
      } catch (e) {
        if (e instanceof StatementError) return await render(ctx, e.message, 422);
        throw e;
      }
    }
    const lineId = Number(f.get("lineId"));
    if (action === "ignore") await payments.ignoreStatementLine(lineId, user.id);
    if (action === "match") {
      const paymentRef = String(f.get("merchantRef") ?? "").trim().toUpperCase();
      const outcome = await payments.matchStatementLine(lineId, paymentRef, user.id);
      if (outcome === null) {
        return await render(ctx, `No bank-transfer payment ${paymentRef}`, 422);
      }
      return ctx.redirect(
        `/admin/shop/bank?done=${encodeURIComponent(`Line ${lineId}: ${outcome}`)}`,
      );
    }
    return ctx.redirect("/admin/shop/bank");
  },
);

export default function Bank({ data, url }: PageProps<Data, State>) {
  const csrf = <input type="hidden" name="_csrf" value={data.csrf} />;
  return (
    <>
      <ShopAdminHeader title="Bank transfers" path={url.pathname} screen={data} />
      <form
        method="post"
        enctype="multipart/form-data"
        class="bg-white border rounded p-4 text-sm mb-4"
      >
        {csrf}
        <input type="hidden" name="action" value="import" />
        <h2 class="font-semibold mb-1">Import a statement</h2>
        <p class="text-gray-600 mb-2">
          CSV lines: date (YYYY-MM-DD), amount in taka, reference, description. Credits naming an
          order number with the exact amount are applied; importing the same line twice counts once.
        </p>
        <input type="file" name="file" accept=".csv,text/csv" class="mb-2 block" />
        <textarea
          name="csv"
          rows={3}
          placeholder="2026-03-01,560.00,SD-2026-000123,Transfer from R. Begum"
          class={`${adminInput} w-full font-mono`}
        />
        <button type="submit" class={`${adminButton} mt-2`}>Import</button>
      </form>
      <AdminTable
        heads={["Date", ["Amount", "right"], "Reference", "Status", "Action"]}
        empty="No statement lines yet — import the bank's CSV above."
      >
        {data.lines.map((l) => (
          <tr class="border-t align-top">
            <td class="p-2">{l.valueDate}</td>
            <td class="p-2 text-right">{formatTaka(l.amountMinor, "en")}</td>
            <td class="p-2">
              {l.reference}
              <div class="text-gray-500">{l.description}</div>
            </td>
            <td class="p-2">
              {l.status}
              {l.orderNumber ? ` → ${l.orderNumber}` : ""}
              {l.note && <div class="text-amber-800">{l.note}</div>}
            </td>
            <td class="p-2">
              {l.status === "review" && (
                <div class="flex flex-wrap gap-2">
                  <RowAction
                    csrf={data.csrf}
                    action="match"
                    row={["lineId", l.id]}
                    text={["merchantRef", "Payment reference", "SD-2026-000123-1", "w-40"]}
                    button="Match"
                    class="flex gap-1"
                  />
                  <RowAction
                    csrf={data.csrf}
                    action="ignore"
                    row={["lineId", l.id]}
                    button="Ignore"
                  />
                </div>
              )}
            </td>
          </tr>
        ))}
      </AdminTable>
    </>
  );
}
