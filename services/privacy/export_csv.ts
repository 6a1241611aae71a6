/**
 * The CSV half of a customer's download: one file with a section per table (orders, order
 * lines, payments, messages), RFC 4180 quoting, a UTF-8 BOM so that spreadsheet programs read
 * Bangla right. Formula-looking cells (=, +, -, @) are prefixed with ' (CSV injection).
 */
type Row = Record<string, unknown>;

function cell(v: unknown): string {
  if (v === null || v === undefined) return "";
  let s = v instanceof Date
    ? v.toISOString()
    : typeof v === "object"
    ? JSON.stringify(v)
    : String(v);
  if (/^[=+\-@\t\r]/.test(s) && !/^[+-]?\d+(\.\d+)?$/.test(s)) s = `'${s}`;
  return /[",\r\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
}

function table(title: string, rows: Row[]): string {
  const cols = [...new Set(rows.flatMap((r) => Object.keys(r)))];
  const lines = [`# ${title}`, cols.map(cell).join(",")];
  for (const r of rows) lines.push(cols.map((c) => cell(r[c])).join(","));
  return lines.join("\r\n");
}

// deno-lint-ignore no-explicit-any
export function exportCsv(data: any): string {
  const orders: Row[] = data.shop?.orders ?? [];
  const sections = [
    table("account", data.identity?.account ? [data.identity.account] : []),
    table("addresses", data.shop?.addresses ?? []),
    table("orders", orders.map(({ lines: _l, ...o }) => o)),
    table(
      "order lines",
      orders.flatMap((o) => (o.lines as Row[]).map((l) => ({ order: o.number, ...l }))),
    ),
    table("subscriptions", data.shop?.subscriptions ?? []),
    table("payments", data.payments?.payments ?? []),
    table("balance", data.payments?.balanceEntries ?? []),
    table("messages", data.notify?.messages ?? []),
    table("consents", data.notify?.consents ?? []),
  ];
  return "\uFEFF" + sections.join("\r\n\r\n") + "\r\n";
}
