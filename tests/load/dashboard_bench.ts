/**
 * The back office's home page (/admin, the management dashboard) on the demo data: server time of
 * the page for an admin (every figure) through the whole app, and of gathering the figures alone.
 * On PostgreSQL when TEST_DATABASE_URL is set, else on the embedded database. The demo data is
 * seeded first (scripts/seed_demo.ts, as the first embedded start does); that takes a while.
 */
import { withTestApp } from "../helpers/app.ts";
import { seedDemoData } from "@/scripts/seed_demo.ts";
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
    for (let i = 0; i < 3; i++) await page(); // warm up (plans, caches, page CSS)
    const pages: number[] = [], gathers: number[] = [];
    for (let i = 0; i < rounds; i++) {
      pages.push(await page());
      gathers.push(await gather());
    }
    // What the admin saw, for the reader (stderr: the figures on stdout stay machine-readable).
    const seen = await loadDashboard(deps, ["admin"], "en", labels);
    console.error(
      `# ${where} demo data, ${seen.day} ${seen.time}: ` +
        seen.sections.flatMap((s) => s.cards.map((c) => `${c.id}=${c.value} (${c.note ?? ""})`))
          .join("; "),
    );
    return [
      figure(`dashboard.${where}.seed_demo`, seedS, "s"),
      figure(`dashboard.${where}.page_p50`, pct(pages, 0.5), "ms"),
      figure(`dashboard.${where}.page_p95`, pct(pages, 0.95), "ms"),
      figure(`dashboard.${where}.figures_p50`, pct(gathers, 0.5), "ms"),
      figure(`dashboard.${where}.figures_p95`, pct(gathers, 0.95), "ms"),
    ];
  });
}
