/**
 * The offline-first recorder of the staff PWA: milking, heat, insemination, calving and treatment
 * entries go into an outbox in IndexedDB first, then to POST /farm/sync (JSON, x-csrf-token) when
 * the phone is online. Each entry has a client-generated UUID, so a repeated send adds nothing
 * (docs/farm_sync.md). Works from a page the service worker served while offline: everything it
 * needs (animals, bulls, medicines, words) comes in its props, which are part of that page.
 */
import { useEffect, useRef, useState } from "preact/hooks";
import { dhakaDate, dhakaHour } from "@/services/platform/dhaka.ts";
import { useOutboxSync, useSyncPost, uuid } from "@/islands/(_lib)/offline_sync.ts";

type Kind = "milking" | "heat" | "insemination" | "calving" | "treatment";
/** [id, tag, name, status, milk withdrawal end (ISO) or null] */
type AnimalT = [number, string, string | null, string, string | null];

interface Entry {
  id: string;
  kind: Kind;
  recordedAt: string;
  data: Record<string, unknown>;
  userId: string;
  label: string;
  state: "waiting" | "rejected";
  reason?: string;
}

export interface RecorderProps {
  csrf: string;
  userId: string;
  animals: AnimalT[];
  bulls: [number, string][];
  medicines: [number, string][];
  /**
   * Medicine lots in the farm store when the page was loaded (cached with the page for offline
   * use): [lot id, medicine id, label], earliest expiry first.
   */
  lots?: [number, number, string][];
  canTreat: boolean;
  /** Words: recorder labels, sessions, reasons, conditions, routes. */
  t: Record<string, string>;
  reasons: Record<string, string>;
  sessions: Record<string, string>;
  conditions: Record<string, string>;
  routes: Record<string, string>;
}

// ---- IndexedDB outbox ---------------------------------------------------------------------

const STORE = "outbox";
function openDb(): Promise<IDBDatabase> {
  return new Promise((res, rej) => {
    const r = indexedDB.open("sd-farm", 1);
    r.onupgradeneeded = () => r.result.createObjectStore(STORE, { keyPath: "id" });
    r.onsuccess = () => res(r.result);
    r.onerror = () => rej(r.error);
  });
}
async function store<T>(
  mode: IDBTransactionMode,
  fn: (s: IDBObjectStore) => IDBRequest<T> | void,
): Promise<T | undefined> {
  const db = await openDb();
  return new Promise((res, rej) => {
    const tx = db.transaction(STORE, mode);
    const req = fn(tx.objectStore(STORE));
    tx.oncomplete = () => res(req ? req.result : undefined);
    tx.onerror = () => rej(tx.error);
  });
}
const allEntries = async () =>
  (((await store("readonly", (s) => s.getAll())) ?? []) as Entry[])
    .sort((a, b) => a.recordedAt.localeCompare(b.recordedAt));

/** The farm day and session now (Asia/Dhaka). */
function farmNow(): [string, string] {
  const now = Date.now();
  const h = dhakaHour(now);
  return [dhakaDate(now), h < 12 ? "am" : h < 15 ? "noon" : "pm"];
}

const fill = (s: string, p: Record<string, unknown> = {}) =>
  s.replace(/\{(\w+)\}/g, (_, k) => String(p[k] ?? ""));
// Whole class strings (not inside template literals) so that the island's class hints find them.
const ONLINE = "bg-green-100 text-green-900";
const OFFLINE = "bg-amber-100 text-amber-900";
const input = "w-full rounded border border-gray-300 px-3 py-2 bg-white";
const label = "block text-sm font-medium mb-1 mt-3";

export default function FarmRecorder(p: RecorderProps) {
  const { t } = p;
  const [tab, setTab] = useState<Kind>("milking");
  const [online, setOnline] = useState(true);
  const [ready, setReady] = useState(false);
  const [entries, setEntries] = useState<Entry[]>([]);
  const [busy, setBusy] = useState(false);
  const [note, setNote] = useState("");
  const [needSignIn, setNeedSignIn] = useState(false);
  const [withdrawal, setWithdrawal] = useState<string | null>(null);
  const [err, setErr] = useState("");
  // The medicine chosen on the treatment form: its lots only are offered.
  const [medicine, setMedicine] = useState<number | null>(p.medicines[0]?.[0] ?? null);
  const post = useSyncPost("/farm/sync", p.csrf);
  const sending = useRef(false);
  const [today, session] = farmNow();

  const refresh = async () => setEntries(await allEntries());

  async function sync() {
    if (sending.current || !navigator.onLine) return;
    const mine = (await allEntries()).filter((e) => e.state === "waiting" && e.userId === p.userId);
    if (!mine.length) return refresh();
    sending.current = true;
    setBusy(true);
    try {
      const body = {
        entries: mine.slice(0, 100).map(({ id, kind, recordedAt, data }) => ({
          id,
          kind,
          recordedAt,
          data,
        })),
      };
      const res = await post(body);
      if (res.status === 401) return setNeedSignIn(true);
      if (!res.ok) return;
      setNeedSignIn(false);
      const { results } = await res.json() as {
        results: {
          id: string;
          status: string;
          original?: string;
          code?: string;
          params?: Record<string, unknown>;
          info?: Record<string, unknown>;
        }[];
      };
      const notes: string[] = [];
      for (const r of results) {
        const e = mine.find((x) => x.id === r.id);
        if (!e || r.status === "error") continue;
        const status = r.status === "duplicate" ? r.original : r.status;
        if (status === "rejected") {
          const reason = fill(p.reasons[r.code ?? "invalid"] ?? p.reasons.invalid, r.params);
          await store("readwrite", (s) => s.put({ ...e, state: "rejected", reason }));
        } else {
          await store("readwrite", (s) => s.delete(e.id));
          if (status === "superseded") notes.push(`${e.label}: ${t.superseded}`);
          else if (r.info?.alert) notes.push(`${e.label}: ${t.alert}`);
          else if (r.info?.discarded) notes.push(`${e.label}: ${t.discarded}`);
        }
      }
      setNote(notes.join(" · ") || t.sent);
    } catch {
      // Offline or the server is unreachable: the entries stay in the outbox.
    } finally {
      sending.current = false;
      setBusy(false);
      await refresh();
    }
  }

  useEffect(() => setReady(true), []);
  useOutboxSync(sync, setOnline);

  const find = (text: string): AnimalT | undefined => {
    const tag = text.trim().split(/\s+/)[0]?.toLowerCase();
    return p.animals.find((a) => a[1].toLowerCase() === tag);
  };

  function onAnimal(e: Event) {
    const a = find((e.currentTarget as HTMLInputElement).value);
    setWithdrawal(a?.[4] && a[4] > new Date().toISOString() ? a[4].slice(0, 10) : null);
  }

  async function save(e: Event) {
    e.preventDefault();
    const form = e.currentTarget as HTMLFormElement;
    const f = Object.fromEntries(new FormData(form)) as Record<string, string>;
    const a = find(f.animal ?? "");
    if (!a) return setErr(t.needAnimal);
    const numOr = (
      v: string | undefined,
    ) => (v && v.trim() !== "" ? Number(v.replace(",", ".")) : null);
    const data: Record<string, unknown> = { animalId: a[0], date: f.date || today };
    let label = `${a[1]} · ${t[tab] ?? tab}`;
    if (tab === "milking") {
      const kg = numOr(f.yieldKg);
      if (kg === null || !Number.isFinite(kg) || kg < 0) return setErr(t.needNumber);
      Object.assign(data, {
        session: f.session,
        yieldKg: kg,
        toTank: f.toTank !== "discard",
        fatPct: numOr(f.fatPct),
        snfPct: numOr(f.snfPct),
        scc: numOr(f.scc),
      });
      if (data.date === today && f.session === session) data.milkedAt = new Date().toISOString();
      label = `${a[1]} · ${p.sessions[f.session]} · ${kg} kg`;
    } else if (tab === "heat") {
      Object.assign(data, { source: f.source, notes: f.notes });
    } else if (tab === "insemination") {
      Object.assign(data, {
        serviceType: "ai",
        bullId: numOr(f.bullId),
        strawCode: f.strawCode,
        technician: f.technician,
      });
    } else if (tab === "calving") {
      Object.assign(data, {
        ease: numOr(f.ease),
        notes: f.notes,
        calves: f.calfTag ? [{ tag: f.calfTag.trim(), sex: f.calfSex }] : [],
      });
    } else {
      const dose = numOr(f.dose);
      if (dose === null || !(dose > 0)) return setErr(t.needNumber);
      Object.assign(data, {
        treatedAt: new Date().toISOString(),
        medicineId: numOr(f.medicineId),
        dose,
        route: f.route,
        batch: f.batch,
        lotId: numOr(f.lotId),
        vet: f.vet,
        condition: f.condition || null,
        notes: f.notes,
      });
    }
    setErr("");
    const entry: Entry = {
      id: uuid(),
      kind: tab,
      recordedAt: new Date().toISOString(),
      data,
      userId: p.userId,
      label,
      state: "waiting",
    };
    await store("readwrite", (s) => s.put(entry));
    form.reset();
    setWithdrawal(null);
    setNote(t.saved);
    await refresh();
    (form.querySelector("input[name=animal]") as HTMLInputElement | null)?.focus();
    sync();
  }

  async function dismiss(id: string) {
    await store("readwrite", (s) => s.delete(id));
    await refresh();
  }

  const waiting = entries.filter((e) => e.state === "waiting" && e.userId === p.userId);
  const others = entries.filter((e) => e.state === "waiting" && e.userId !== p.userId).length;
  const rejected = entries.filter((e) => e.state === "rejected" && e.userId === p.userId);
  const tabs: Kind[] = p.canTreat
    ? ["milking", "heat", "insemination", "calving", "treatment"]
    : ["milking", "heat", "insemination", "calving"];

  // Each tab is its own form with the same field names: ids carry the form's kind.
  const animalField = (k: string) => (
    <>
      <label class={label} for={`${k}-animal`}>{t.animal}</label>
      <input
        id={`${k}-animal`}
        name="animal"
        list="farm-animals"
        class={input}
        autocomplete="off"
        placeholder={t.animalHint}
        onInput={onAnimal}
        required
      />
    </>
  );
  const dateField = (k: string) => (
    <>
      <label class={label} for={`${k}-date`}>{t.date}</label>
      <input id={`${k}-date`} name="date" type="date" class={input} value={today} max={today} />
    </>
  );
  const sel = (id: string, name: string, opts: [string | number, string][]) => (
    <select id={id} name={name} class={input}>
      {opts.map(([v, l]) => <option value={v}>{l}</option>)}
    </select>
  );

  return (
    <div data-ready={ready ? "1" : undefined}>
      <p
        role="status"
        data-testid="net"
        class={`rounded px-3 py-2 mb-3 text-sm ${online ? ONLINE : OFFLINE}`}
      >
        {online ? t.online : t.offline}
      </p>
      <div role="tablist" class="flex gap-1 mb-3 overflow-x-auto">
        {tabs.map((k) => (
          <button
            type="button"
            role="tab"
            aria-selected={tab === k}
            onClick={() => setTab(k)}
            class={`rounded px-3 py-2 text-sm font-medium whitespace-nowrap ${
              tab === k ? "bg-brand-600 text-white" : "bg-white border border-gray-300"
            }`}
          >
            {t[k]}
          </button>
        ))}
      </div>
      <datalist id="farm-animals">
        {p.animals.map((a) => <option value={`${a[1]}${a[2] ? " " + a[2] : ""}`} />)}
      </datalist>
      {tabs.map((k) => (
        <form
          hidden={tab !== k}
          data-kind={k}
          onSubmit={save}
          class="bg-white rounded-lg border border-gray-200 p-3 mb-4"
          novalidate
        >
          {animalField(k)}
          {k === "milking" && withdrawal && (
            <p role="alert" class="rounded bg-red-100 text-red-900 p-2 mt-2 text-sm">
              {fill(t.withdrawal, { date: withdrawal })}
            </p>
          )}
          {dateField(k)}
          {k === "milking" && (
            <>
              <label class={label} for={`${k}-session`}>{t.session}</label>
              <select id={`${k}-session`} name="session" class={input}>
                {Object.entries(p.sessions).map(([v, l]) => (
                  <option value={v} selected={v === session}>{l}</option>
                ))}
              </select>
              <label class={label} for={`${k}-yieldKg`}>{t.yieldKg}</label>
              <input
                id={`${k}-yieldKg`}
                name="yieldKg"
                inputMode="decimal"
                class={input}
                required
              />
              <label class={label} for={`${k}-toTank`}>{t.toTank}</label>
              <select id={`${k}-toTank`} name="toTank" class={input}>
                <option value="tank" selected={!withdrawal}>{t.tank}</option>
                <option value="discard" selected={!!withdrawal}>{t.discard}</option>
              </select>
              <details class="mt-3">
                <summary class="text-sm text-brand-700">{t.test}</summary>
                <label class={label} for={`${k}-fatPct`}>{t.fat}</label>
                <input id={`${k}-fatPct`} name="fatPct" inputMode="decimal" class={input} />
                <label class={label} for={`${k}-snfPct`}>{t.snf}</label>
                <input id={`${k}-snfPct`} name="snfPct" inputMode="decimal" class={input} />
                <label class={label} for={`${k}-scc`}>{t.scc}</label>
                <input id={`${k}-scc`} name="scc" inputMode="numeric" class={input} />
              </details>
            </>
          )}
          {k === "heat" && (
            <>
              <label class={label} for={`${k}-source`}>{t.source}</label>
              {sel(`${k}-source`, "source", [["seen", t.seen], ["collar", t.collar]])}
            </>
          )}
          {k === "insemination" && (
            <>
              <label class={label} for={`${k}-bullId`}>{t.bull}</label>
              {sel(`${k}-bullId`, "bullId", p.bulls)}
              <label class={label} for={`${k}-strawCode`}>{t.straw}</label>
              <input id={`${k}-strawCode`} name="strawCode" class={input} />
              <label class={label} for={`${k}-technician`}>{t.technician}</label>
              <input id={`${k}-technician`} name="technician" class={input} />
            </>
          )}
          {k === "calving" && (
            <>
              <label class={label} for={`${k}-ease`}>{t.ease}</label>
              {sel(`${k}-ease`, "ease", [[1, "1"], [2, "2"], [3, "3"], [4, "4"], [5, "5"]])}
              <label class={label} for={`${k}-calfTag`}>{t.calfTag}</label>
              <input id={`${k}-calfTag`} name="calfTag" class={input} />
              <label class={label} for={`${k}-calfSex`}>{t.calfSex}</label>
              {sel(`${k}-calfSex`, "calfSex", [["female", t.female], ["male", t.male]])}
            </>
          )}
          {k === "treatment" && (
            <>
              <label class={label} for={`${k}-condition`}>{t.condition}</label>
              {sel(`${k}-condition`, "condition", [["", "—"], ...Object.entries(p.conditions)])}
              <label class={label} for={`${k}-medicineId`}>{t.medicine}</label>
              <select
                id={`${k}-medicineId`}
                name="medicineId"
                class={input}
                onChange={(ev) => setMedicine(Number((ev.target as HTMLSelectElement).value))}
              >
                {p.medicines.map(([v, l]) => <option value={v}>{l}</option>)}
              </select>
              {(p.lots ?? []).some(([, m]) => m === medicine) && (
                <>
                  <label class={label} for={`${k}-lotId`}>{t.lot}</label>
                  {sel(`${k}-lotId`, "lotId", [
                    ["", t.lotAuto],
                    ...(p.lots ?? []).filter(([, m]) => m === medicine).map(([id, , l]) =>
                      [id, l] as [number, string]
                    ),
                  ])}
                </>
              )}
              <label class={label} for={`${k}-dose`}>{t.dose}</label>
              <input id={`${k}-dose`} name="dose" inputMode="decimal" class={input} />
              <label class={label} for={`${k}-route`}>{t.route}</label>
              {sel(`${k}-route`, "route", Object.entries(p.routes))}
              <label class={label} for={`${k}-batch`}>{t.batch}</label>
              <input id={`${k}-batch`} name="batch" class={input} />
              <label class={label} for={`${k}-vet`}>{t.vet}</label>
              <input id={`${k}-vet`} name="vet" class={input} />
            </>
          )}
          {(k === "heat" || k === "calving" || k === "treatment") && (
            <>
              <label class={label} for={`${k}-notes`}>{t.notes}</label>
              <input id={`${k}-notes`} name="notes" class={input} />
            </>
          )}
          {err && tab === k && <p role="alert" class="text-sm text-red-700 mt-2">{err}</p>}
          <button
            type="submit"
            class="mt-4 w-full rounded bg-brand-600 text-white font-semibold px-4 py-3"
          >
            {t.save}
          </button>
        </form>
      ))}
      <section class="bg-white rounded-lg border border-gray-200 p-3 mb-4" aria-live="polite">
        <div class="flex items-center gap-2">
          <h2 class="font-semibold">{t.waiting}</h2>
          <span data-testid="waiting-count" class="rounded bg-gray-100 px-2 text-sm">
            {waiting.length}
          </span>
          <button
            type="button"
            onClick={sync}
            disabled={busy}
            class="ml-auto rounded border border-brand-600 text-brand-700 px-3 py-1 text-sm"
          >
            {busy ? t.sending : t.syncNow}
          </button>
        </div>
        {note && <p class="text-sm text-gray-600 mt-1">{note}</p>}
        {needSignIn && (
          <p role="alert" class="text-sm text-red-700 mt-2">
            <a class="underline" href="/signin?next=/farm">{t.signInAgain}</a>
          </p>
        )}
        {waiting.length === 0 && <p class="text-sm text-gray-500 mt-2">{t.none}</p>}
        <ul data-testid="waiting">
          {waiting.map((e) => <li class="py-1 border-b border-gray-100 text-sm">{e.label}</li>)}
        </ul>
        {others > 0 && <p class="text-sm text-gray-500 mt-2">{others} {t.otherUser}</p>}
        {rejected.length > 0 && (
          <>
            <h3 class="font-semibold mt-3 text-red-700">{t.rejected}</h3>
            <ul data-testid="rejected">
              {rejected.map((e) => (
                <li class="py-1 border-b border-gray-100 text-sm flex gap-2">
                  <span class="flex-1">{e.label}: {e.reason}</span>
                  <button type="button" class="underline" onClick={() => dismiss(e.id)}>
                    {t.dismiss}
                  </button>
                </li>
              ))}
            </ul>
          </>
        )}
      </section>
      {/* Single-word classes used only after hydration (the class hints cover hyphenated ones). */}
      <div hidden class="flex underline" />
    </div>
  );
}
