/** A lineage trace as staff read it: origins and cows, the lots on the chain, customers, stock left. */
import type { ComponentChildren } from "preact";
import type { TraceResult } from "@/services/recall/mod.ts";
import type { RecallMessages } from "@/services/recall/mod.ts";
import { ListTable, LotStatusBadge } from "@/components/ui.tsx";
import { fillParams } from "@/services/i18n/mod.ts";

/** Rows shown on the page; the recall report prints every one. */
const SHOWN = 200;

function qty(n: number, base: string): string {
  if (base === "ml") return `${(n / 1000).toLocaleString("en", { maximumFractionDigits: 3 })} L`;
  if (base === "g") return `${(n / 1000).toLocaleString("en", { maximumFractionDigits: 3 })} kg`;
  return `${n} pc`;
}

function More({ total }: { total: number }) {
  return total > SHOWN ? <p class="text-sm text-gray-600">… +{total - SHOWN}</p> : null;
}

/** One part of the trace: its heading, its list, and how many more there are than shown. */
function Part(props: { title: string; total?: number; children: ComponentChildren }) {
  return (
    <div>
      <h2 class="text-lg font-semibold mb-2">{props.title}</h2>
      {props.children}
      {props.total !== undefined && <More total={props.total} />}
    </div>
  );
}

export function TraceOrders(
  { orders, lang, m, all = false }: {
    orders: TraceResult["orders"];
    lang: "en" | "bn";
    m: RecallMessages;
    all?: boolean;
  },
) {
  if (orders.length === 0) return <p class="text-gray-700">{m.noOrders}</p>;
  const rows = all ? orders : orders.slice(0, SHOWN);
  return (
    <ListTable cell="p-2" heads={[m.order, m.customer, m.phoneEnd, m.delivery, m.got]}>
      {rows.map((o) => (
        <tr class="border-t" data-order={o.number}>
          <td class="p-2 whitespace-nowrap">{o.number}</td>
          <td class="p-2">{o.customer}</td>
          <td class="p-2">…{o.phoneEnd}</td>
          <td class="p-2 whitespace-nowrap">{o.deliveryDate}</td>
          <td class="p-2">
            {o.got.map((g) => (
              <div>
                {g.itemName[lang]} · {m.lotCode} {g.lotCode} · {qty(g.qty, g.base)}
                {g.state === "reserved" && <>({m.reserved})</>}
              </div>
            ))}
          </td>
        </tr>
      ))}
    </ListTable>
  );
}

export function TraceView(
  { result, lang, m, lotStatus }: {
    result: TraceResult;
    lang: "en" | "bn";
    m: RecallMessages;
    /** The lot statuses in the page's language (inventory's words). */
    lotStatus: Record<string, string>;
  },
) {
  const byId = new Map(result.lots.map((l) => [l.id, l]));
  const parents = (id: number) =>
    result.edges.filter((e) => e.childLotId === id).map((e) => byId.get(e.parentLotId)?.code)
      .filter(Boolean).join(", ");
  if (result.lots.length === 0) return <p class="text-gray-700 mb-4">{m.none}</p>;
  return (
    <section class="space-y-6 mb-6">
      {result.cow && (
        <p data-cow={result.cow.tag}>
          <strong>{m.cow}:</strong> {result.cow.tag}
          {result.cow.name && <>({result.cow.name})</>}
        </p>
      )}
      {result.origins.length > 0 && (
        <Part title={m.origins} total={result.origins.length}>
          <ul class="list-disc ml-6 text-sm">
            {result.origins.slice(0, SHOWN).map((o) =>
              o.kind === "tank"
                ? (
                  <li>
                    {fillParams(m.tankOrigin, {
                      tank: o.tankId,
                      day: o.day,
                      sessions: o.sessions.join(", "),
                      litres: o.litres,
                    })}
                  </li>
                )
                : (
                  <li>
                    {fillParams(m.pointOrigin, { point: o.pointName, day: o.day })}:{" "}
                    {o.deliveries.map((d) => `${d.farmerName} (${d.farmerCode}) ${d.litres} L`)
                      .join("; ")}
                  </li>
                )
            )}
          </ul>
        </Part>
      )}
      {result.cows.length > 0 && (
        <Part title={m.cows} total={result.cows.length}>
          <ul class="flex flex-wrap gap-2 text-sm">
            {result.cows.slice(0, SHOWN).map((c) => (
              <li class="bg-white border rounded px-2 py-1" data-traced-cow={c.tag}>
                {c.tag}
                {c.name && <>({c.name})</>} ·{" "}
                {fillParams(m.sessionsCount, { n: c.sessions.length })}
              </li>
            ))}
          </ul>
        </Part>
      )}
      <Part title={m.lots} total={result.lots.length}>
        <ListTable
          cell="p-2"
          heads={[m.lotCode, m.item, m.produced, m.expires, m.status, m.onHand, m.madeFrom]}
        >
          {result.lots.slice(0, SHOWN).map((l) => (
            <tr class="border-t" data-lot={l.code}>
              <td class="p-2 whitespace-nowrap">{l.code}</td>
              <td class="p-2">{l.itemName[lang]}</td>
              <td class="p-2 whitespace-nowrap">{l.producedOn}</td>
              <td class="p-2 whitespace-nowrap">{l.expiresOn ?? "—"}</td>
              <td class="p-2">
                <LotStatusBadge status={l.status} label={lotStatus[l.status] ?? l.status} />
              </td>
              <td class="p-2 whitespace-nowrap">{qty(l.onHand, l.base)}</td>
              <td class="p-2">{parents(l.id)}</td>
            </tr>
          ))}
        </ListTable>
      </Part>
      <div>
        <h2 class="text-lg font-semibold mb-2" data-order-count={result.orderCount}>
          {m.orders} ({result.orderCount})
        </h2>
        <TraceOrders orders={result.orders} lang={lang} m={m} />
        <More total={result.orderCount} />
      </div>
      {result.remaining.length > 0 && (
        <Part title={m.remaining}>
          <ul class="list-disc ml-6 text-sm">
            {result.remaining.slice(0, SHOWN).map((l) => (
              <li>
                {l.code} · {l.itemName[lang]} · {qty(l.onHand, l.base)} ·{" "}
                <LotStatusBadge status={l.status} label={lotStatus[l.status] ?? l.status} />
              </li>
            ))}
          </ul>
        </Part>
      )}
    </section>
  );
}
