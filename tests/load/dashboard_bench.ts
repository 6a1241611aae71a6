/**
 * The back office's home page (/admin, the management dashboard) on the demo data: server time of
 * the page for an admin (every figure) through the whole app, and of gathering the figures alone.
 * On PostgreSQL when TEST_DATABASE_URL is set, else on the embedded database. The demo data is
 * seeded first (accounts and scripts/seed_demo.ts, as the first embedded start does; that takes a
 * while); then again with two years of shop history added (HISTORY_ORDERS orders with their
 * payments and riders' cash), to see the figures do not grow with the years behind them.
 */
import { withTestApp } from "../helpers/app.ts";
import { seedDemoData } from "@/scripts/seed_demo.ts";
import { seedIdentity } from "@/scripts/seed.ts";
import { addDays, dhakaDate, dhakaDayStart } from "@/services/platform/dhaka.ts";
import type { Sql } from "@/services/platform/db.ts";
import { createUser } from "@/services/identity/users.ts";
import { sessionStore } from "@/services/identity/sessions.ts";
import { toSessionUser } from "@/plugins/session.ts";
import { loadDashboard } from "@/routes/admin/(_admin)/dashboard.ts";
import { type Figure, figure } from "./harness.ts";

const pct = (xs: number[], p: number) => {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.floor(s.length * p))];
};

export async function benchDashboard(opts: { rounds?: number } = {}): Promise<Figure[]> {
  const rounds = opts.rounds ?? 30;
  const where = Deno.env.get("TEST_DATABASE_URL") ? "postgres" : "embedded";
  return await withTestApp(async ({ db, deps, fetch }) => {
    const started = performance.now();
    await seedIdentity(db.sql, deps.keyring);
    await seedDemoData(db, deps.appSecret, () => {}, {
      kv: deps.kv,
      keyring: deps.keyring,
      config: deps.config,
    });
    const seedS = (performance.now() - started) / 1000;
    const user = await createUser(db.sql, deps.keyring, {
      email: "bench-admin@example.com",
      displayName: "Bench admin",
      password: "correct horse battery staple",
      locale: "en",
      roles: ["admin"],
    });
    const { token } = await sessionStore(deps.kv).create({
      user: toSessionUser(user),
      stage: "signed_in",
      totpEnabled: false,
      secondFactorAt: Date.now(),
    });
    const headers = { cookie: `sd_session=${token}` };
    const page = async () => {
      const t0 = performance.now();
      const res = await fetch("/admin", { headers });
      await res.arrayBuffer();
      if (res.status !== 200) throw new Error(`/admin answered ${res.status}`);
      return performance.now() - t0;
    };
    const labels = { staff: "", customers: "", outboxQueued: "", auditEntries: "" };
    const gather = async () => {
      const t0 = performance.now();
      await loadDashboard(deps, ["admin"], "en", labels);
      return performance.now() - t0;
    };
    const measure = async (tag: string): Promise<Figure[]> => {
      for (let i = 0; i < 3; i++) await page(); // warm up (plans, caches, page CSS)
      const pages: number[] = [], gathers: number[] = [];
      for (let i = 0; i < rounds; i++) {
        pages.push(await page());
        gathers.push(await gather());
      }
      // What the admin saw, for the reader (stderr: stdout's figures stay machine-readable).
      const seen = await loadDashboard(deps, ["admin"], "en", labels);
      console.error(
        `# ${where} ${tag}, ${seen.day} ${seen.time}: ` +
          seen.sections.flatMap((s) => s.cards.map((c) => `${c.id}=${c.value} (${c.note ?? ""})`))
            .join("; "),
      );
      return [
        figure(`dashboard.${where}.${tag}.page_p50`, pct(pages, 0.5), "ms"),
        figure(`dashboard.${where}.${tag}.page_p95`, pct(pages, 0.95), "ms"),
        figure(`dashboard.${where}.${tag}.figures_p50`, pct(gathers, 0.5), "ms"),
        figure(`dashboard.${where}.${tag}.figures_p95`, pct(gathers, 0.95), "ms"),
      ];
    };
    const out = [figure(`dashboard.${where}.seed_demo`, seedS, "s"), ...await measure("demo")];
    const t0 = performance.now();
    const n = await addHistory(db.sql, dhakaDate(deps.clock.now()));
    out.push(figure(`dashboard.${where}.history_orders`, n, "orders"));
    out.push(figure(`dashboard.${where}.history_seed`, (performance.now() - t0) / 1000, "s"));
    out.push(...await measure("history"));
    return out;
  });
}

/** Orders of the two years before today (a few each day, some today), bench data only. */
const HISTORY_ORDERS = 100_000;

/**
 * Two years of delivered shop orders straight into the tables (checkout would take hours): every
 * order paid (cash on delivery every third, collected by one of five riders, handed in), about
 * 137 a day, the last ones this morning. Returns how many orders were added.
 */
async function addHistory(sql: Sql, today: string): Promise<number> {
  const [geo] = await sql`
    select z.id as zone_id, u.id as upazila_id, d.id as district_id, d.division_id
    from delivery_zones z join shop_zone_upazilas zu on zu.zone_id = z.id
    join geo_upazilas u on u.id = zu.upazila_id join geo_districts d on d.id = u.district_id
    limit 1`;
  const [slot] = await sql`select code from shop_delivery_slots order by code limit 1`;
  const from = dhakaDayStart(addDays(today, -730));
  const span = dhakaDayStart(today).getTime() + 9 * 3600_000 - from.getTime();
  await sql`
    insert into shop_orders (number, status, payment_method, subtotal_minor, delivery_fee_minor,
      vat_minor, total_minor, paid_minor, zone_id, delivery_date, slot_code, cutoff_at,
      recipient_enc, phone_enc, line_enc, division_id, district_id, upazila_id, placed_at)
    select 'SD-2000-' || lpad((900000 + i)::text, 6, '0'), 'delivered',
      case when i % 3 = 0 then 'cod' else 'bkash' end, 50000, 5000, 0, 55000, 55000,
      ${geo.zone_id}, (at + interval '1 day')::date, ${slot.code}, at, 'x', 'x', 'x',
      ${geo.division_id}, ${geo.district_id}, ${geo.upazila_id}, at
    from generate_series(1, ${HISTORY_ORDERS}) i,
      lateral (select ${from}::timestamptz
        + i * ${span / HISTORY_ORDERS}::float8 * interval '1 millisecond' as at) t`;
  await sql`
    insert into shop_payments (order_id, order_number, method, status, amount_minor, merchant_ref,
      completed_at)
    select id, number, payment_method, 'succeeded', total_minor,
      replace(number, 'SD-', 'B') || '-1', placed_at + interval '1 hour'
    from shop_orders where number like 'SD-2000-%'`;
  await sql`
    insert into shop_cod_collections (order_id, rider, amount_minor, collected_on)
    select id, 'Rider ' || (abs(hashtext(number)) % 5), total_minor, delivery_date
    from shop_orders where number like 'SD-2000-%' and payment_method = 'cod'`;
  await sql`
    insert into shop_cod_handins (rider, handed_on, amount_minor)
    select rider, collected_on, sum(amount_minor) from shop_cod_collections
    where collected_on < ${today}::date group by rider, collected_on`;
  await sql`analyze`;
  return HISTORY_ORDERS;
}
