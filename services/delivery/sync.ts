/**
 * The rider's phone's offline sync, modelled on the farm's (services/farm/sync.ts): the phone
 * keeps each step (delivered / failed) in its outbox with a client UUID and sends them when
 * online. Each answer: applied, duplicate (already done: sent twice, or the stop was done by an
 * earlier step), rejected (with a code and a reason the phone shows) or error (sent again later).
 */
import { z } from "@/services/platform/schema.ts";

export const MAX_RIDER_SYNC_ENTRIES = 200;
/** A proof image as the phone sends it (a data: URL): at most this many characters (~290 KB). */
export const MAX_PROOF_CHARS = 400_000;
const PROOF_URL = /^data:image\/(jpeg|png|webp);base64,[A-Za-z0-9+/]+={0,2}$/;

export const riderSyncRequestSchema = z.object({
  entries: z.array(z.unknown()).max(
    MAX_RIDER_SYNC_ENTRIES,
    `At most ${MAX_RIDER_SYNC_ENTRIES} entries per sync`,
  ),
});

const entrySchema = z.object({
  id: z.uuid("Each entry needs a UUID id"),
  stopId: z.number().int().positive("stopId must be a stop's number"),
  action: z.enum(["delivered", "failed"], { error: "action must be delivered or failed" }),
  at: z.iso.datetime({ offset: true, error: "at must be an ISO date-time" }),
  code: z.string().regex(/^[0-9]{4}$/, "The code has 4 digits").optional(),
  note: z.string().trim().max(500, "At most 500 characters").optional(),
  reason: z.string().trim().max(500, "At most 500 characters").optional(),
  codMinor: z.number().int().min(0, "Cash collected cannot be negative").max(100_000_000)
    .optional(),
  /** A photo of the hand-over or the recipient's signature drawn on the phone. */
  proof: z.object({
    kind: z.enum(["photo", "signature"], { error: "proof.kind must be photo or signature" }),
    // Longer than the house's usual text limit, and only base64 characters (no control
    // characters can pass the pattern).
    dataUrl: z.custom<string>(
      (v) => typeof v === "string" && v.length <= MAX_PROOF_CHARS,
      "The photo is too large (at most about 290 KB)",
    ).refine((v) => PROOF_URL.test(v), "The proof must be a JPEG, PNG or WebP image"),
  }).optional(),
}).superRefine((e, ctx) => {
  if (e.action === "delivered" && !e.code && !e.note && !e.proof) {
    ctx.addIssue({
      code: "custom",
      path: ["code"],
      message: "Enter the recipient's code or a note, or add a photo or signature",
    });
  }
  if (e.action === "failed" && !e.reason) {
    ctx.addIssue({ code: "custom", path: ["reason"], message: "Say why it failed" });
  }
});
export type RiderSyncEntry = z.infer<typeof entrySchema>;

export type RiderSyncResult = {
  id: string;
  status: "applied" | "duplicate" | "rejected" | "error";
  stopStatus?: string;
  code?: string;
  message?: string;
};

export function parseSyncEntry(
  raw: unknown,
): { ok: true; entry: RiderSyncEntry } | { ok: false; result: RiderSyncResult } {
  const r = entrySchema.safeParse(raw);
  if (r.success) return { ok: true, entry: r.data };
  const id = typeof (raw as { id?: unknown })?.id === "string" ? (raw as { id: string }).id : "";
  return {
    ok: false,
    result: {
      id,
      status: "rejected",
      code: "invalid",
      message: r.error.issues.map((i) => i.message).join("; "),
    },
  };
}

/**
 * A proof's image bytes and type from its data: URL, or why not: the bytes must be what the URL
 * says (JPEG, PNG or WebP by their first bytes).
 */
export function decodeProof(
  dataUrl: string,
): { ok: true; mime: string; bytes: Uint8Array } | { ok: false; message: string } {
  const m = dataUrl.match(/^data:(image\/(?:jpeg|png|webp));base64,(.+)$/);
  if (!m) return { ok: false, message: "The proof must be a JPEG, PNG or WebP image" };
  let bytes: Uint8Array;
  try {
    bytes = Uint8Array.from(atob(m[2]), (c) => c.charCodeAt(0));
  } catch {
    return { ok: false, message: "The proof image is damaged" };
  }
  const head = (sig: number[], at = 0) => sig.every((b, i) => bytes[at + i] === b);
  const fits = m[1] === "image/jpeg"
    ? head([0xff, 0xd8, 0xff])
    : m[1] === "image/png"
    ? head([0x89, 0x50, 0x4e, 0x47])
    : head([0x52, 0x49, 0x46, 0x46]) && head([0x57, 0x45, 0x42, 0x50], 8);
  if (!fits || bytes.length < 16) return { ok: false, message: "The proof is not that image type" };
  return { ok: true, mime: m[1], bytes };
}
