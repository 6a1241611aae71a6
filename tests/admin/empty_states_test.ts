/**
 * Empty states: on a new installation every list page of the back office and the farm app says
 * what an empty list means (and where to start) instead of showing a bare table header.
 */
import { equal, ok } from "node:assert/strict";
import { withShop } from "@/tests/shop/_helpers.ts";
import type { Role } from "@/services/identity/roles.ts";

/** The pages without path parameters under a routes folder, as URLs. */
function staticPages(dir: string, base: string): string[] {
  const out: string[] = [];
  for (const e of Deno.readDirSync(dir)) {
    if (e.name.startsWith("_") || e.name.startsWith("(_") || e.name.includes("[")) continue;
    if (e.isDirectory) {
      out.push(
        ...staticPages(`${dir}/${e.name}`, e.name.startsWith("(") ? base : `${base}/${e.name}`),
      );
    } else if (e.name.endsWith(".tsx")) {
      const name = e.name.slice(0, -4);
      out.push(name === "index" ? base : `${base}/${name}`);
    }
  }
  return out;
}

Deno.test("empty states: no list page shows a bare header on a new installation", async () => {
  await withShop(async (s) => {
    const roles: Role[] = [
      "admin",
      "farm_manager",
      "accountant",
      "warehouse",
      "quality",
      "production",
      "purchase",
      "sales",
    ];
    const { cookie } = await s.user(roles);
    const pages = [
      ...staticPages("routes/admin", "/admin"),
      ...staticPages("routes/farm", "/farm"),
    ];
    ok(pages.length > 40, `found ${pages.length} pages`);
    const bare: string[] = [];
    for (const page of pages) {
      const res = await s.fetch(page, { headers: { cookie } });
      const html = await res.text();
      ok(res.status < 500, `${page}: ${res.status}`);
      if (res.status === 200 && /<tbody[^>]*>\s*<\/tbody>/.test(html)) bare.push(page);
    }
    equal(bare.join(", "), "", "pages with an empty table and nothing said");

    const milk = await (await s.fetch("/farm/milk", { headers: { cookie } })).text();
    ok(milk.includes("No milk recorded for this day yet."));
    ok(milk.includes('href="/farm">Record the morning milking'));
  });
});
