/**
 * The sales representative's phone page: their outlets with each account's balance and overdue
 * invoices; an order (code and quantity lines), a visit note or the cash collected is kept in the
 * phone's outbox first and sent to POST /field/sync when online (the shared offline outbox,
 * islands/(_lib)/offline_sync.ts). The server answers each entry once; a repeat is a duplicate.
 */
import { useEffect, useRef, useState } from "preact/hooks";
import type { B2bMoneyMessages, RouteOutlet } from "@/services/b2b/mod.ts";
import {
  loadJson,
  saveJson,
  useOutboxSync,
  useSyncPost,
  uuid,
} from "@/islands/(_lib)/offline_sync.ts";

export interface FieldProps {
  csrf: string;
  userId: string;
  lang: "en" | "bn";
  outlets: RouteOutlet[];
  t: Pick<
    B2bMoneyMessages,
    | "balance"
    | "overdue"
    | "visit"
    | "recordVisit"
    | "collect"
    | "recordCollection"
    | "takeOrder"
    | "waiting"
    | "sync"
    | "synced"
    | "offline"
    | "sku"
    | "qty"
    | "reason"
  >;
}

interface Entry {
  id: string;
  kind: "order" | "visit" | "collection";
  outletId: number;
  recordedAt: string;
  note?: string;
  amountMinor?: number;
  lines?: { sku: string; qty: number }[];
}

const KEY = (user: string) => `sd-field-outbox:${user}`;
const taka = (minor: number) => `৳${(minor / 100).toFixed(2)}`;
const box = "border rounded px-2 py-1";

export default function FieldSales(p: FieldProps) {
  const { t } = p;
  const [outbox, setOutbox] = useState<Entry[]>([]);
  const [answers, setAnswers] = useState<Record<string, string>>({});
  const [online, setOnline] = useState(true);
  const [ready, setReady] = useState(false);
  const sending = useRef(false);
  const post = useSyncPost("/field/sync", p.csrf);

  const save = (entries: Entry[]) => {
    saveJson(KEY(p.userId), entries);
    setOutbox(entries);
  };

  async function sync() {
    if (sending.current || !navigator.onLine) return;
    const entries = loadJson<Entry[]>(KEY(p.userId), []);
    if (!entries.length) return;
    sending.current = true;
    try {
      const res = await post({ entries: entries.slice(0, 100) });
      if (!res.ok) return;
      const { results } = await res.json() as {
        results: { id: string; status: string; code?: string; orderNumber?: string }[];
      };
      const a = { ...answers };
      const left = entries.filter((e) => {
        const r = results.find((x) => x.id === e.id);
        if (!r || r.status === "error") return true;
        a[e.outletId] = r.status === "rejected"
          ? `✗ ${r.code ?? ""}`
          : `✓ ${r.orderNumber ?? e.kind}`;
        return false;
      });
      setAnswers(a);
      save(left);
    } catch {
      // Offline or unreachable: the entries stay on the phone.
    } finally {
      sending.current = false;
    }
  }

  useEffect(() => {
    setOutbox(loadJson<Entry[]>(KEY(p.userId), []));
    setReady(true);
  }, []);
  useOutboxSync(sync, setOnline);

  function record(e: Omit<Entry, "id" | "recordedAt">) {
    const entry: Entry = { ...e, id: uuid(), recordedAt: new Date().toISOString() };
    save([...loadJson<Entry[]>(KEY(p.userId), []), entry]);
    sync();
  }

  function orderLines(form: HTMLFormElement) {
    const f = new FormData(form);
    const lines: { sku: string; qty: number }[] = [];
    for (let i = 0; i < 5; i++) {
      const sku = String(f.get(`sku.${i}`) ?? "").trim().toUpperCase();
      const qty = Number(f.get(`qty.${i}`) ?? "");
      if (sku && Number.isInteger(qty) && qty > 0) lines.push({ sku, qty });
    }
    return lines;
  }

  return (
    <div data-field-ready={ready ? "1" : undefined}>
      {!online && <p class="p-2 bg-yellow-100 rounded mb-2" data-offline>{t.offline}</p>}
      <p class="mb-2 text-sm" data-outbox={outbox.length}>
        {outbox.length ? t.waiting.replace("{n}", String(outbox.length)) : t.synced}{" "}
        <button type="button" class="underline" onClick={() => sync()}>{t.sync}</button>
      </p>
      <ol class="space-y-3">
        {p.outlets.map((o) => (
          <li class="border rounded p-3 bg-white" data-outlet={o.outletId}>
            <div class="font-semibold">{o.company} · {o.outletName}</div>
            <div class="text-sm">{o.address}</div>
            <div class="text-sm" data-balance={o.openMinor}>
              {t.balance}: {taka(o.openMinor)}
              {o.overdueMinor > 0 && (
                <span class="text-red-700 font-semibold" data-overdue={o.overdueMinor}>
                  {" · "}
                  {t.overdue}: {taka(o.overdueMinor)}
                </span>
              )}
            </div>
            {o.overdue.length > 0 && (
              <ul class="text-xs text-red-800">
                {o.overdue.map((i) => <li>{i.number} · {i.dueDate} · {taka(i.openMinor)}</li>)}
              </ul>
            )}
            {answers[o.outletId] && <p class="text-sm" data-answer>{answers[o.outletId]}</p>}
            <details class="mt-2">
              <summary class="underline">{t.takeOrder}</summary>
              <form
                class="grid gap-1 mt-1"
                data-order-form
                onSubmit={(ev) => {
                  ev.preventDefault();
                  const lines = orderLines(ev.currentTarget);
                  if (lines.length) {
                    record({ kind: "order", outletId: o.outletId, lines });
                    ev.currentTarget.reset();
                  }
                }}
              >
                {[0, 1, 2, 3, 4].map((i) => (
                  <div class="flex gap-1">
                    <input name={`sku.${i}`} placeholder={t.sku} class={box} aria-label={t.sku} />
                    <input
                      name={`qty.${i}`}
                      inputMode="numeric"
                      placeholder={t.qty}
                      class={box}
                      aria-label={t.qty}
                    />
                  </div>
                ))}
                <button class="bg-brand-600 text-white rounded p-2" type="submit">
                  {t.takeOrder}
                </button>
              </form>
            </details>
            <form
              class="flex gap-1 mt-2"
              data-visit-form
              onSubmit={(ev) => {
                ev.preventDefault();
                const note = String(new FormData(ev.currentTarget).get("note") ?? "").trim();
                record({ kind: "visit", outletId: o.outletId, note: note || undefined });
                ev.currentTarget.reset();
              }}
            >
              <input name="note" placeholder={t.visit} class={box} maxLength={500} />
              <button class="border rounded px-2" type="submit">{t.recordVisit}</button>
            </form>
            <form
              class="flex gap-1 mt-2"
              data-collect-form
              onSubmit={(ev) => {
                ev.preventDefault();
                const v = String(new FormData(ev.currentTarget).get("amount") ?? "");
                const minor = Math.round(Number(v.replace(/[,\s]/g, "")) * 100);
                if (Number.isSafeInteger(minor) && minor >= 100) {
                  record({ kind: "collection", outletId: o.outletId, amountMinor: minor });
                  ev.currentTarget.reset();
                }
              }}
            >
              <input
                name="amount"
                inputMode="decimal"
                placeholder={t.collect}
                class={box}
                aria-label={t.collect}
              />
              <button class="border rounded px-2" type="submit">{t.recordCollection}</button>
            </form>
          </li>
        ))}
      </ol>
    </div>
  );
}
