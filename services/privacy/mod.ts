/**
 * The privacy context's door: a customer's data download and deletion request, through the
 * doors of the contexts that hold personal data (identity, shop, payments, notify: each one's
 * `exportCustomer` / `anonymiseCustomer`). Owns the table privacy_requests (and
 * privacy_retention_runs, retention.ts).
 *
 * A deletion anonymises: the account and its orders keep their ids, numbers, dates, amounts and
 * VAT (the VAT and audit rules need them for years), every personal field (name, email, phone,
 * addresses, recipients, message texts, payer details, sessions, cart) is erased. The request
 * and its completion are audited (counts only, never the personal data).
 */
import type { Sql } from "@/services/platform/db.ts";
import type { Audit } from "@/services/audit/mod.ts";
import { exportCsv } from "./export_csv.ts";
import type { ShopCustomerExport } from "@/services/shop/mod.ts";
import { type ArchiveBatch, type RetentionReport, runRetention } from "./retention.ts";
export type { RetentionReport } from "./retention.ts";

/** Transactions and the audit log stay this many years in the database, then are archived. */
export const KEEP_YEARS = 7;

export { PRIVACY_TEXT } from "./messages.ts";
export { dhakaDate, dhakaTime } from "@/services/platform/dhaka.ts";

type Counts = Record<string, number>;

/** The parts of the other doors privacy uses. */
export interface PrivacyDeps {
  sql: Sql;
  clock: { now(): Date };
  audit: Audit;
  identity: {
    exportCustomer(userId: string): Promise<{
      account: { email: string | null; phone: string | null } | null;
    }>;
    anonymiseCustomer(userId: string): Promise<Counts>;
  };
  shop: {
    exportCustomer(userId: string): Promise<ShopCustomerExport>;
    anonymiseCustomer(userId: string): Promise<Counts>;
    archiveOrders: ArchiveBatch;
  };
  payments: {
    exportCustomer(userId: string): Promise<unknown>;
    anonymiseCustomer(userId: string): Promise<Counts>;
    archivePayments: ArchiveBatch;
  };
  notify: {
    exportCustomer(userId: string, addresses: readonly string[]): Promise<unknown>;
    anonymiseCustomer(userId: string, addresses: readonly string[]): Promise<Counts>;
    eraseDeliveredBodies(days: number): Promise<number>;
  };
  /** The public site's contact-form messages, found by phone or email. */
  site?: {
    exportCustomer(addresses: readonly string[]): Promise<unknown>;
    anonymiseCustomer(addresses: readonly string[]): Promise<Counts>;
  };
}

export interface PrivacyRequest {
  id: string;
  kind: "export" | "deletion";
  status: "requested" | "completed";
  requestedAt: Date;
  completedAt: Date | null;
}

export function createPrivacy(deps: PrivacyDeps) {
  const { sql, clock, audit } = deps;

  /** Every address (+8801…, email) the customer's messages may have gone to. */
  async function addressesOf(userId: string) {
    const [id, shop] = await Promise.all([
      deps.identity.exportCustomer(userId),
      deps.shop.exportCustomer(userId),
    ]);
    const set = new Set<string>();
    if (id.account?.email) set.add(id.account.email);
    if (id.account?.phone) set.add(id.account.phone);
    for (const x of [...shop.addresses, ...shop.orders, ...shop.subscriptions]) {
      if (x.phone?.startsWith("+")) set.add(x.phone);
    }
    return { identity: id, shop, addresses: [...set] };
  }

  async function record(userId: string, kind: "export" | "deletion", completed: boolean) {
    const now = clock.now();
    const [r] = await sql.begin(async (tx) => {
      const rows = await tx`
        insert into privacy_requests (user_id, kind, status, requested_at, completed_at)
        values (${userId}, ${kind}, ${completed ? "completed" : "requested"}, ${now},
                ${completed ? now : null})
        returning id::text`;
      await audit.append(tx, {
        actorId: userId,
        action: kind === "export" ? "privacy.export" : "privacy.deletion_requested",
        entity: "user",
        entityId: userId,
        data: { request: rows[0].id },
        at: now,
      });
      return rows;
    });
    return r.id as string;
  }

  return {
    /**
     * The customer's data, every context's part, as one JSON document (and its tables as CSV,
     * `exportCsv`). The download is recorded and audited.
     */
    async exportCustomer(userId: string) {
      const { identity, shop, addresses } = await addressesOf(userId);
      const [payments, notify, contactMessages] = await Promise.all([
        deps.payments.exportCustomer(userId),
        deps.notify.exportCustomer(userId, addresses),
        deps.site?.exportCustomer(addresses) ?? [],
      ]);
      await record(userId, "export", true);
      return {
        exportedAt: clock.now().toISOString(),
        identity,
        shop,
        payments,
        notify,
        contactMessages,
      };
    },
    exportCsv,

    /**
     * Deletion: recorded and audited, then each context anonymises its part; the request is
     * completed (and audited with the counts) once all did. A failure leaves the request open
     * (listed by `requests`), and running it again finishes it: every step is repeatable.
     */
    async requestDeletion(userId: string): Promise<{ requestId: string; counts: Counts }> {
      const requestId = await record(userId, "deletion", false);
      return await completeDeletion(userId, requestId);
    },

    /** The customer's own requests, newest first. */
    async requests(userId: string): Promise<PrivacyRequest[]> {
      const rows = await sql`
        select id::text, kind, status, requested_at, completed_at from privacy_requests
        where user_id = ${userId} order by requested_at desc, id desc limit 50`;
      return rows.map((r) => ({
        id: r.id,
        kind: r.kind,
        status: r.status,
        requestedAt: r.requested_at,
        completedAt: r.completed_at,
      }));
    },

    /**
     * The retention run (daily, main.ts): transactions and audit past KEEP_YEARS archived as
     * compressed exports under `dataDir/archive`, delivered messages' bodies erased after
     * `outboxBodyDays` (services/privacy/retention.ts).
     */
    retention(opts: { dataDir: string; outboxBodyDays: number }): Promise<RetentionReport> {
      return runRetention({
        sql,
        clock,
        dataDir: opts.dataDir,
        archived: [
          { name: "orders", years: KEEP_YEARS, batch: deps.shop.archiveOrders },
          { name: "payments", years: KEEP_YEARS, batch: deps.payments.archivePayments },
          { name: "audit", years: KEEP_YEARS, batch: audit.archiveBatch },
        ],
        eraseOutboxBodies: (days) => deps.notify.eraseDeliveredBodies(days),
        outboxBodyDays: opts.outboxBodyDays,
      });
    },

    /** Finishes deletion requests left open (a crash mid-way); returns how many. */
    async completeOpenDeletions(): Promise<number> {
      const open = await sql`
        select id::text, user_id from privacy_requests
        where kind = 'deletion' and status = 'requested' order by id`;
      for (const r of open) await completeDeletion(r.user_id, r.id);
      return open.length;
    },
  };

  async function completeDeletion(userId: string, requestId: string) {
    // Addresses first: after identity's and shop's erasure nobody knows them any more.
    const { addresses } = await addressesOf(userId);
    const notify = await deps.notify.anonymiseCustomer(userId, addresses);
    const site = (await deps.site?.anonymiseCustomer(addresses)) ?? {};
    const payments = await deps.payments.anonymiseCustomer(userId);
    const shop = await deps.shop.anonymiseCustomer(userId);
    const identity = await deps.identity.anonymiseCustomer(userId);
    const counts: Counts = {};
    for (const [ctx, c] of Object.entries({ identity, shop, payments, notify, site })) {
      for (const [k, v] of Object.entries(c)) counts[`${ctx}.${k}`] = v;
    }
    const now = clock.now();
    await sql.begin(async (tx) => {
      await tx`
        update privacy_requests set status = 'completed', completed_at = ${now},
          summary = ${tx.json(counts)}
        where id = ${requestId}::bigint`;
      await audit.append(tx, {
        actorId: userId,
        action: "privacy.deletion_completed",
        entity: "user",
        entityId: userId,
        data: { request: requestId, ...counts },
        at: now,
      });
    });
    return { requestId, counts };
  }
}

export type Privacy = ReturnType<typeof createPrivacy>;
