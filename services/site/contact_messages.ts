/** Messages from the public contact form: validated, stored, and announced to the office. */
import { z } from "@/services/platform/schema.ts";
import { normalizeEmail, normalizePhone } from "@/services/identity/mod.ts";
import type { Queryable } from "@/services/platform/db.ts";
import { decryptField, encryptField, type Keyring } from "@/services/crypto/field_crypto.ts";

export const TOPICS = ["order", "subscription", "wholesale", "other"] as const;

/** Error texts are message keys; the page shows them in the visitor's language. */
export const contactSchema = z.object({
  name: z.string().trim().min(2, "tooShort").max(100, "tooLong"),
  phone: z.string().trim().min(1, "required").transform((v, ctx) => {
    const p = normalizePhone(v);
    if (!p) ctx.addIssue({ code: "custom", message: "phone" });
    return p ?? v;
  }),
  email: z.string().trim().max(254, "tooLong").transform((v, ctx) => {
    if (!v) return null;
    const e = normalizeEmail(v);
    if (!e) ctx.addIssue({ code: "custom", message: "email" });
    return e ?? v;
  }),
  topic: z.enum(TOPICS, { message: "choose" }),
  message: z.string().trim().min(10, "tooShort").max(2000, "tooLong"),
});

export type ContactInput = z.infer<typeof contactSchema>;

export async function saveContactMessage(
  sql: Queryable,
  keyring: Keyring,
  input: ContactInput,
  locale: "en" | "bn",
): Promise<number> {
  const phone = await encryptField(keyring, input.phone, "contact_messages.phone");
  const email = input.email
    ? await encryptField(keyring, input.email, "contact_messages.email")
    : null;
  const [row] = await sql<{ id: string }[]>`
    insert into contact_messages (name, phone_enc, email_enc, topic, message, locale)
    values (${input.name}, ${phone}, ${email}, ${input.topic}, ${input.message}, ${locale})
    returning id`;
  return Number(row.id);
}

export async function listContactMessages(sql: Queryable, keyring: Keyring, limit = 50) {
  const rows = await sql<
    {
      id: string;
      name: string;
      phone_enc: string;
      email_enc: string | null;
      topic: string;
      message: string;
      status: string;
      created_at: Date;
    }[]
  >`select id, name, phone_enc, email_enc, topic, message, status, created_at
    from contact_messages order by created_at desc limit ${limit}`;
  return await Promise.all(rows.map(async (r) => ({
    id: Number(r.id),
    name: r.name,
    phone: await decryptField(keyring, r.phone_enc, "contact_messages.phone"),
    email: r.email_enc ? await decryptField(keyring, r.email_enc, "contact_messages.email") : null,
    topic: r.topic,
    message: r.message,
    status: r.status,
    createdAt: r.created_at,
  })));
}
