import { chromium } from "playwright-core";
const base = Deno.args[0];
const paths = Deno.args.slice(1);
const browser = await chromium.launch({ executablePath: "/usr/bin/chromium", args: ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking"] });
const email = Deno.env.get("EMAIL") ?? "farm_manager@smartdairy.test";
const password = Deno.env.get("PASSWORD")!;
for (const width of [390, 1200]) {
  const ctx = await browser.newContext({ viewport: { width, height: 900 } });
  const page = await ctx.newPage();
  page.on("console", (m) => console.log("console:", m.type(), m.text()));
  page.on("pageerror", (e) => console.log("pageerror:", e.message));
  await page.goto(`${base}/signin`);
  await page.fill("#identifier", email);
  await page.fill("#password", password);
  await page.click("button[type=submit]");
  await page.waitForLoadState("networkidle").catch(() => {});
  if (Deno.env.get("BN")) await page.goto(`${base}/lang?to=bn&next=%2F`);
  for (const p of paths) {
    await page.goto(base + p, { waitUntil: "domcontentloaded" });
    await page.waitForTimeout(Number(Deno.env.get("WAIT") ?? 4000));
    const name = p.replace(/[^a-z0-9]+/gi, "_") + "_" + width;
    await page.screenshot({ path: `/tmp/shots/${name}.png`, fullPage: true });
    const wide = await page.evaluate(() => document.documentElement.scrollWidth > globalThis.innerWidth + 1);
    console.log(name, "status", await page.evaluate(() => document.querySelector("[data-live-status]")?.getAttribute("data-live-status")), "wide", wide);
  }
  await ctx.close();
}
await browser.close();
