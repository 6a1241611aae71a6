/**
 * Papers of an application (issue 14 §1): trade licence, TIN and BIN certificates, the owner's
 * national ID. PDF, JPEG or PNG — told by the file's first bytes, not its name — up to
 * MAX_DOCUMENT_BYTES, at most MAX_DOCUMENTS per account; kept in the database and handed out only
 * to the account's own users (or its applicant) and to sales staff, as attachments.
 */
import type { Db, Sql } from "@/services/platform/tx.ts";
import { inTx } from "@/services/platform/tx.ts";
import { ConflictError, NotFoundError, ValidationError } from "@/services/platform/errors.ts";
import { appendAudit } from "@/services/audit/mod.ts";

export const DOCUMENT_KINDS = ["trade_licence", "tin", "bin", "nid"] as const;
export type DocumentKind = typeof DOCUMENT_KINDS[number];
/** 1.5 MB: a scanned page or a phone photo of one, within the request body limit (2 MB). */
export const MAX_DOCUMENT_BYTES = 1_536 * 1024;
export const MAX_DOCUMENTS = 12;

export interface DocumentInfo {
  id: number;
  kind: DocumentKind;
  filename: string;
  contentType: string;
  sizeBytes: number;
  createdAt: Date;
}

/** The type a file's first bytes say it is (PDF, JPEG, PNG), or null. */
export function sniffType(b: Uint8Array): "application/pdf" | "image/jpeg" | "image/png" | null {
  const starts = (sig: number[]) => sig.every((x, i) => b[i] === x);
  if (starts([0x25, 0x50, 0x44, 0x46, 0x2d])) return "application/pdf"; // %PDF-
  if (starts([0xff, 0xd8, 0xff])) return "image/jpeg";
  if (starts([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a])) return "image/png";
  return null;
}

/** A file name safe to show and to send back in Content-Disposition. */
function safeName(name: string, type: string): string {
  const ext = type === "application/pdf" ? "pdf" : type === "image/png" ? "png" : "jpg";
  const base = name.replace(/\.[A-Za-z0-9]{1,5}$/, "").replace(/[^A-Za-z0-9 _-]+/g, "_")
    .replace(/_+/g, "_").trim().slice(0, 80) || "document";
  return `${base}.${ext}`;
}

/** Who may see an account's papers: its users, and its applicant while it is being reviewed. */
async function mayAccess(db: Db, userId: string, accountId: number): Promise<boolean> {
  const [r] = await db`
    select 1 from b2b_accounts a where a.id = ${accountId} and (a.applicant_user_id = ${userId}
      or exists (select 1 from b2b_members m where m.account_id = a.id and m.user_id = ${userId}))`;
  return !!r;
}

export async function uploadDocument(
  db: Sql,
  userId: string,
  accountId: number,
  f: { kind: string; filename: string; bytes: Uint8Array },
  now: Date,
): Promise<number> {
  const bad: Record<string, string> = {};
  if (!(DOCUMENT_KINDS as readonly string[]).includes(f.kind)) bad.kind = "docKind";
  if (f.bytes.length === 0) bad.file = "docMissing";
  else if (f.bytes.length > MAX_DOCUMENT_BYTES) bad.file = "docTooBig";
  const type = f.bytes.length ? sniffType(f.bytes) : null;
  if (!bad.file && !type) bad.file = "docType";
  if (Object.keys(bad).length) throw new ValidationError(bad);
  if (!(await mayAccess(db, userId, accountId))) throw new NotFoundError("b2b account");
  const hash = Array.from(
    new Uint8Array(await crypto.subtle.digest("SHA-256", new Uint8Array(f.bytes))),
    (x) => x.toString(16).padStart(2, "0"),
  ).join("");
  return await inTx(db, async (tx) => {
    const [a] = await tx`select status from b2b_accounts where id = ${accountId} for update`;
    if (a.status === "closed") throw new ConflictError("account_closed");
    const [{ n }] = await tx`select count(*)::int as n from b2b_documents
      where account_id = ${accountId}`;
    if (n >= MAX_DOCUMENTS) throw new ValidationError({ file: "docTooMany" });
    const [r] = await tx`
      insert into b2b_documents (account_id, kind, filename, content_type, size_bytes, sha256,
        data, uploaded_by, created_at)
      values (${accountId}, ${f.kind}, ${safeName(f.filename, type!)}, ${type}, ${f.bytes.length},
        ${hash}, ${f.bytes}, ${userId}, ${now})
      returning id`;
    await appendAudit(tx, {
      actorId: userId,
      action: "b2b.document.uploaded",
      entity: "b2b_account",
      entityId: accountId,
      data: { documentId: Number(r.id), kind: f.kind, sizeBytes: f.bytes.length, sha256: hash },
      at: now,
    });
    return Number(r.id);
  });
}

export async function documentsOf(db: Db, accountId: number): Promise<DocumentInfo[]> {
  const rows = await db`select id, kind, filename, content_type, size_bytes, created_at
    from b2b_documents where account_id = ${accountId} order by id`;
  return rows.map((r) => ({
    id: Number(r.id),
    kind: r.kind,
    filename: r.filename,
    contentType: r.content_type,
    sizeBytes: Number(r.size_bytes),
    createdAt: new Date(r.created_at),
  }));
}

/**
 * One document's bytes: for `viewer` "staff" any account's; for a user only when the document is
 * of an account they use or applied for (else null, as if it did not exist).
 */
export async function documentFile(
  db: Db,
  id: number,
  viewer: { staff: true } | { userId: string },
) {
  if (!Number.isSafeInteger(id) || id <= 0) return null;
  const [r] = await db`select account_id, filename, content_type, data from b2b_documents
    where id = ${id}`;
  if (!r) return null;
  if (!("staff" in viewer) && !(await mayAccess(db, viewer.userId, Number(r.account_id)))) {
    return null;
  }
  return {
    accountId: Number(r.account_id),
    filename: r.filename as string,
    contentType: r.content_type as string,
    bytes: new Uint8Array(r.data),
  };
}
