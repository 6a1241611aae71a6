/**
 * The rider's phone's offline sync, modelled on the farm's (services/farm/sync.ts): the phone
 * keeps each step (delivered / failed) in its outbox with a client UUID and sends them when
 * online. Each answer: applied, duplicate (already done: sent twice, or the stop was done by an
 * earlier step), rejected (with a code and a reason the phone shows) or error (sent again later).
 */
import { z } from "@/services/platform/schema.ts";

export const MAX_RIDER_SYNC_ENTRIES = 200;

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
}).superRefine((e, ctx) => {
  if (e.action === "delivered" && !e.code && !e.note) {
    ctx.addIssue({
      code: "custom",
      path: ["code"],
      message: "Enter the recipient's code or a note",
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
