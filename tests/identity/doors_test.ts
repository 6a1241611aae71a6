/**
 * The house rule for the identity, audit, notify and public-site routes: no SQL, no deps.db, only
 * the contexts' doors (services/<context>/mod.ts) — and one message accessor (no `im(`).
 */
import { deepStrictEqual as assertEquals } from "node:assert/strict";

const root = new URL("../../", import.meta.url);

const AREA = [
  "routes/signin.tsx",
  "routes/signin",
  "routes/signup.tsx",
  "routes/signup",
  "routes/signout.ts",
  "routes/reset",
  "routes/account",
  "routes/admin/users",
  "routes/admin/audit.tsx",
  "routes/admin/outbox.tsx",
  "routes/admin/index.tsx",
  "routes/admin/_middleware.ts",
  "routes/contact.tsx",
  "routes/sitemap.xml.ts",
  "routes/robots.txt.ts",
  "routes/readyz.ts",
  "routes/metrics.ts",
  "routes/healthz.ts",
  "routes/_middleware.ts",
  "routes/lang.ts",
  "routes/index.tsx",
  "routes/about.tsx",
  "routes/delivery.tsx",
  "routes/offline.tsx",
  "plugins/session.ts",
  "plugins/auth_forms.ts",
];

async function* files(path: string): AsyncGenerator<string> {
  const url = new URL(path, root);
  const info = await Deno.stat(url);
  if (info.isFile) {
    yield path;
    return;
  }
  for await (const e of Deno.readDir(url)) yield* files(`${path}/${e.name}`);
}

Deno.test("identity and site routes reach services only through doors, without SQL", async () => {
  const offences: string[] = [];
  for (const area of AREA) {
    for await (const f of files(area)) {
      const text = await Deno.readTextFile(new URL(f, root));
      if (/sql`/.test(text)) offences.push(`${f}: sql\``);
      if (/deps\.db\b/.test(text)) offences.push(`${f}: deps.db`);
      if (/\bim\(/.test(text)) offences.push(`${f}: im(`);
      for (const m of text.matchAll(/from "@\/services\/([a-z_]+)\/([a-z_/]+)\.tsx?"/g)) {
        if (m[2] !== "mod") offences.push(`${f}: ${m[0]}`);
      }
    }
  }
  assertEquals(offences, []);
});
