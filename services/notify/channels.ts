/**
 * Which channel a customer's order update goes by (issue 15 §5): the channel chosen in their
 * preferences (kept on their phone number's row, with the email address to use), when it can
 * reach them — email needs that address not bounced, push a subscribed device, WhatsApp goes to
 * the phone — else SMS. Only notify's own tables are read: it runs inside the caller's
 * transaction. Codes and security notices never come here: they keep their own channel.
 */
import type { Db } from "@/services/platform/tx.ts";
import type { Channel } from "./outbox.ts";
import type { PreferredChannel } from "./receipts.ts";

export interface Reach {
  /** +8801… */
  phone: string;
  /** The customer's account (push goes to their devices). */
  userId?: string | null;
}

export async function preferredRoute(
  db: Db,
  reach: Reach,
): Promise<{ channel: Channel; to: string; chosen: PreferredChannel }> {
  const [p] = await db`
    select channel, email from notify_preferences where address = ${reach.phone}`;
  const chosen: PreferredChannel = p?.channel ?? "sms";
  if (chosen === "whatsapp") return { channel: "whatsapp", to: reach.phone, chosen };
  if (chosen === "email" && p?.email) {
    const [b] = await db`select bounced_at from notify_preferences where address = ${p.email}`;
    if (!b?.bounced_at) return { channel: "email", to: p.email, chosen };
  }
  if (chosen === "push" && reach.userId) {
    const [d] = await db`
      select 1 from notify_push_subscriptions where user_id = ${reach.userId}::uuid limit 1`;
    if (d) return { channel: "push", to: reach.userId, chosen };
  }
  return { channel: "sms", to: reach.phone, chosen };
}
