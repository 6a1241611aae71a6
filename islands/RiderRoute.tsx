/**
 * The rider's phone page: today's stops in route order (call, navigate), mark delivered (the
 * recipient's code or a note, the cash collected) or failed (a reason). Each step goes into an
 * outbox kept in localStorage first, then to POST /rider/sync (JSON, x-csrf-token) when online;
 * the page itself is kept by the service worker, so it works without signal. A step the server
 * answers (applied, duplicate, rejected) leaves the outbox; an error stays and is sent again.
 * Proof by photo (taken with the camera, shrunk to a JPEG on the phone) or by the recipient's
 * signature drawn on a canvas (PNG) rides in the outbox with the step; steps go in batches that
 * stay under the server's body limit.
 */
import { useEffect, useRef, useState } from "preact/hooks";
import type { DeliveryMessages, StopView } from "@/services/delivery/mod.ts";
import {
  loadJson as load,
  saveJson,
  useOutboxSync,
  useSyncPost,
  uuid,
} from "@/islands/(_lib)/offline_sync.ts";

export interface RiderProps {
  csrf: string;
  userId: string;
  stops: StopView[];
  t: DeliveryMessages["rider"];
}

interface Step {
  id: string;
  stopId: number;
  action: "delivered" | "failed";
  at: string;
  code?: string;
  note?: string;
  reason?: string;
  codMinor?: number;
  proof?: { kind: "photo" | "signature"; dataUrl: string };
}

/** As the server takes them (services/delivery/sync.ts MAX_PROOF_CHARS). */
const MAX_PROOF_CHARS = 400_000;
/** One sync request's body at most (the server accepts 2 MB). */
const MAX_BATCH_CHARS = 1_500_000;

/** A camera photo as a JPEG data: URL small enough to keep and send, or null. */
async function shrinkPhoto(file: File): Promise<string | null> {
  const bitmap = await createImageBitmap(file).catch(() => null);
  if (!bitmap) return null;
  for (const [side, quality] of [[1024, 0.7], [800, 0.55], [640, 0.45]] as const) {
    const scale = Math.min(1, side / Math.max(bitmap.width, bitmap.height));
    const c = document.createElement("canvas");
    c.width = Math.round(bitmap.width * scale);
    c.height = Math.round(bitmap.height * scale);
    c.getContext("2d")!.drawImage(bitmap, 0, 0, c.width, c.height);
    const url = c.toDataURL("image/jpeg", quality);
    if (url.length <= MAX_PROOF_CHARS) return url;
  }
  return null;
}

/** A signature pad: the recipient draws with a finger; `signed` tells whether anything is drawn. */
function SignaturePad(
  p: { label: string; clear: string; onChange: (dataUrl: string | null) => void },
) {
  const ref = useRef<HTMLCanvasElement>(null);
  const drawing = useRef(false);
  const point = (e: PointerEvent) => {
    const r = ref.current!.getBoundingClientRect();
    return [
      (e.clientX - r.left) * (ref.current!.width / r.width),
      (e.clientY - r.top) * (ref.current!.height / r.height),
    ] as const;
  };
  return (
    <div>
      <span>{p.label}</span>
      <canvas
        ref={ref}
        width={300}
        height={120}
        class="border bg-white w-full touch-none"
        data-signature
        onPointerDown={(e) => {
          drawing.current = true;
          ref.current!.setPointerCapture(e.pointerId);
          const ctx = ref.current!.getContext("2d")!;
          ctx.lineWidth = 2;
          ctx.lineCap = "round";
          ctx.beginPath();
          ctx.moveTo(...point(e));
        }}
        onPointerMove={(e) => {
          if (!drawing.current) return;
          const ctx = ref.current!.getContext("2d")!;
          ctx.lineTo(...point(e));
          ctx.stroke();
        }}
        onPointerUp={() => {
          if (!drawing.current) return;
          drawing.current = false;
          p.onChange(ref.current!.toDataURL("image/png"));
        }}
      />
      <button
        type="button"
        class="underline text-sm"
        onClick={() => {
          const c = ref.current!;
          c.getContext("2d")!.clearRect(0, 0, c.width, c.height);
          p.onChange(null);
        }}
      >
        {p.clear}
      </button>
    </div>
  );
}

const KEY = (user: string) => `sd-rider-outbox:${user}`;
const DONE = (user: string) => `sd-rider-done:${user}`;

export default function RiderRoute(p: RiderProps) {
  const { t } = p;
  const [outbox, setOutbox] = useState<Step[]>([]);
  // Steps the server answered, by stop: shown until the page is fetched again.
  const [done, setDone] = useState<Record<number, string>>({});
  const [messages, setMessages] = useState<Record<number, string>>({});
  const [online, setOnline] = useState(true);
  const [ready, setReady] = useState(false);
  // The proof waiting to go with each stop's delivered step (photo or signature).
  const [proofs, setProofs] = useState<Record<number, Step["proof"]>>({});
  const sending = useRef(false);
  const post = useSyncPost("/rider/sync", p.csrf);

  const save = (steps: Step[]) => {
    saveJson(KEY(p.userId), steps);
    setOutbox(steps);
  };

  async function sync() {
    if (sending.current || !navigator.onLine) return;
    const steps = load<Step[]>(KEY(p.userId), []);
    if (!steps.length) return;
    sending.current = true;
    try {
      // Batches under the body limit (photos are large); each answered batch counts.
      const batches: Step[][] = [[]];
      let size = 0;
      for (const s of steps) {
        const n = JSON.stringify(s).length;
        if (size + n > MAX_BATCH_CHARS && batches[batches.length - 1].length) {
          batches.push([]);
          size = 0;
        }
        batches[batches.length - 1].push(s);
        size += n;
      }
      const results: { id: string; status: string; stopStatus?: string; message?: string }[] = [];
      for (const batch of batches) {
        const res = await post({ entries: batch });
        if (!res.ok) break;
        results.push(...(await res.json()).results);
      }
      if (!results.length) return;
      const left: Step[] = [];
      const d = { ...load<Record<number, string>>(DONE(p.userId), {}) };
      const msg: Record<number, string> = {};
      for (const s of steps) {
        const r = results.find((x) => x.id === s.id);
        if (!r || r.status === "error") {
          left.push(s);
          continue;
        }
        if (r.status === "rejected") msg[s.stopId] = r.message ?? "";
        else d[s.stopId] = r.stopStatus ?? s.action;
      }
      saveJson(DONE(p.userId), d);
      setDone(d);
      setMessages(msg);
      save(left);
    } catch {
      // Offline or unreachable: the steps stay in the outbox.
    } finally {
      sending.current = false;
    }
  }

  useEffect(() => {
    setOutbox(load<Step[]>(KEY(p.userId), []));
    setDone(load<Record<number, string>>(DONE(p.userId), {}));
    setReady(true);
  }, []);
  useOutboxSync(sync, setOnline);

  function record(stopId: number, form: HTMLFormElement, action: Step["action"]) {
    const f = new FormData(form);
    const text = (k: string) => String(f.get(k) ?? "").trim() || undefined;
    const cod = text("cod");
    const step: Step = {
      id: uuid(),
      stopId,
      action,
      at: new Date().toISOString(),
      code: action === "delivered" ? text("code") : undefined,
      note: action === "delivered" ? text("note") : undefined,
      reason: action === "failed" ? text("reason") : undefined,
      codMinor: action === "delivered" && cod !== undefined
        ? Math.round(Number(cod) * 100)
        : undefined,
      proof: action === "delivered" ? proofs[stopId] : undefined,
    };
    save([...load<Step[]>(KEY(p.userId), []).filter((s) => s.stopId !== stopId), step]);
    sync();
  }

  const stateOf = (s: StopView): string => {
    const waiting = outbox.find((x) => x.stopId === s.id);
    if (waiting) return `${waiting.action}:waiting`;
    return done[s.id] ?? s.status;
  };

  return (
    <div data-rider-ready={ready ? "1" : undefined}>
      {!online && <p class="p-2 bg-yellow-100 rounded mb-2" data-offline>{t.offline}</p>}
      <p class="mb-2 text-sm" data-outbox={outbox.length}>
        {outbox.length ? `${outbox.length} ${t.waiting}` : t.synced}{" "}
        <button type="button" class="underline" onClick={() => sync()}>{t.sync}</button>
      </p>
      {p.stops.length === 0 && <p data-empty>{t.empty}</p>}
      <ol class="space-y-3">
        {p.stops.map((s) => {
          const st = stateOf(s);
          return (
            <li class="border rounded p-3 bg-white" data-stop={s.orderNumber} data-state={st}>
              <div class="font-semibold">
                {s.seq}. {s.recipient} · {s.orderNumber}
              </div>
              <div class="text-sm">{s.address}</div>
              <div class="flex gap-3 my-1">
                <a class="underline" href={`tel:${s.phone}`}>{t.call}</a>
                <a class="underline" href={s.mapUrl} target="_blank" rel="noopener">
                  {t.navigate}
                </a>
              </div>
              {s.codDueMinor > 0 && (
                <div class="text-sm" data-cod-due={s.codDueMinor}>
                  {t.codDue}: ৳{(s.codDueMinor / 100).toFixed(2)}
                </div>
              )}
              {messages[s.id] && <p class="text-red-700 text-sm" role="alert">{messages[s.id]}</p>}
              {st === "pending"
                ? (
                  <div class="grid gap-2 mt-2">
                    <form
                      class="grid gap-1"
                      data-deliver-form
                      onSubmit={(ev) => {
                        ev.preventDefault();
                        record(s.id, ev.currentTarget, "delivered");
                      }}
                    >
                      <label>
                        {t.code}{" "}
                        <input name="code" inputMode="numeric" pattern="[0-9]{4}" class="border" />
                      </label>
                      <label>
                        {t.note} <input name="note" class="border" maxLength={500} />
                      </label>
                      <label>
                        {t.photo}{" "}
                        <input
                          type="file"
                          accept="image/*"
                          capture="environment"
                          data-photo
                          onChange={async (ev) => {
                            const file = ev.currentTarget.files?.[0];
                            if (!file) return;
                            const url = await shrinkPhoto(file);
                            if (!url) {
                              setMessages((m) => ({ ...m, [s.id]: t.tooLarge }));
                              return;
                            }
                            setProofs((x) => ({ ...x, [s.id]: { kind: "photo", dataUrl: url } }));
                          }}
                        />
                      </label>
                      {proofs[s.id]?.kind === "photo" && (
                        <img
                          src={proofs[s.id]!.dataUrl}
                          alt={t.photo}
                          class="h-20"
                          data-photo-preview
                        />
                      )}
                      <SignaturePad
                        label={t.signature}
                        clear={t.clear}
                        onChange={(url) =>
                          setProofs((x) => ({
                            ...x,
                            [s.id]: url
                              ? { kind: "signature", dataUrl: url }
                              : x[s.id]?.kind === "photo"
                              ? x[s.id]
                              : undefined,
                          }))}
                      />
                      {s.codDueMinor > 0 && (
                        <label>
                          {t.cod}{" "}
                          <input
                            name="cod"
                            inputMode="decimal"
                            class="border"
                            value={(s.codDueMinor / 100).toFixed(2)}
                          />
                        </label>
                      )}
                      <button class="bg-brand-600 text-white rounded p-2" type="submit">
                        {t.markDelivered}
                      </button>
                    </form>
                    <form
                      class="grid gap-1"
                      data-fail-form
                      onSubmit={(ev) => {
                        ev.preventDefault();
                        record(s.id, ev.currentTarget, "failed");
                      }}
                    >
                      <label>
                        {t.reason} <input name="reason" class="border" required maxLength={500} />
                      </label>
                      <button class="border rounded p-2" type="submit">{t.markFailed}</button>
                    </form>
                  </div>
                )
                : (
                  <p class="mt-1 font-semibold">
                    {st.startsWith("delivered") ? t.delivered : t.failed}
                    {st.endsWith(":waiting") && ` (${t.waiting})`}
                  </p>
                )}
            </li>
          );
        })}
      </ol>
    </div>
  );
}
