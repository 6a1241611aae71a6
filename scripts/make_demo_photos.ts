/**
 * Renders the demo shop's product photos: studio-like product shots, each a scene of HTML and CSS
 * (gradients for the light on glass, clay and wood, soft contact shadows, a window's highlight, a
 * little film grain) photographed by headless Chromium at 960 × 960 and saved as JPEG in
 * scripts/demo_photos/. Made for this project and licensed with it; no outside picture is used.
 * The seed (scripts/seed_shop_photos.ts) uploads them like any staff photo, so the shop's own
 * pipeline makes their AVIF/WebP/JPEG sizes.
 *
 *   deno run -A scripts/make_demo_photos.ts      (needs Chromium: CHROMIUM_PATH or /usr/bin/chromium)
 */
import { chromium } from "playwright-core";

const SIZE = 960;
const OUT = new URL("./demo_photos/", import.meta.url);

/** The room: a warm wall lit from the upper left, a wooden table, grain and a vignette. */
const STAGE = `
* { box-sizing: border-box; margin: 0; }
body { width: ${SIZE}px; height: ${SIZE}px; overflow: hidden; font-family: "DejaVu Sans", sans-serif; }
.stage { position: relative; width: ${SIZE}px; height: ${SIZE}px; overflow: hidden;
  background: radial-gradient(ellipse 80% 70% at 28% 20%, #fbf6ee 0%, #efe4d3 45%, #d9c7ad 100%); }
.table { position: absolute; left: -10%; right: -10%; top: 64%; bottom: 0;
  background:
    linear-gradient(180deg, rgba(0,0,0,.18) 0%, rgba(0,0,0,0) 6%),
    repeating-linear-gradient(92deg, rgba(90,50,20,.10) 0 3px, rgba(0,0,0,0) 3px 17px),
    repeating-linear-gradient(88deg, rgba(255,230,190,.10) 0 2px, rgba(0,0,0,0) 2px 29px),
    linear-gradient(180deg, #a86f43 0%, #8c5532 55%, #6c3f22 100%); }
.table::before { content: ""; position: absolute; inset: 0;
  background: radial-gradient(ellipse 60% 60% at 30% 0%, rgba(255,240,215,.35), rgba(0,0,0,0) 70%); }
.shadow { position: absolute; border-radius: 50%; filter: blur(14px);
  background: radial-gradient(ellipse at center, rgba(40,20,5,.55), rgba(40,20,5,0) 70%); }
.grain { position: absolute; inset: 0; opacity: .10; mix-blend-mode: multiply; pointer-events: none;
  background-image: url("data:image/svg+xml;utf8,<svg xmlns='http://www.w3.org/2000/svg' width='240' height='240'><filter id='n'><feTurbulence type='fractalNoise' baseFrequency='.9' numOctaves='2' stitchTiles='stitch'/><feColorMatrix type='saturate' values='0'/></filter><rect width='100%' height='100%' filter='url(%23n)'/></svg>"); }
.vignette { position: absolute; inset: 0; pointer-events: none;
  background: radial-gradient(ellipse 75% 75% at 45% 45%, rgba(0,0,0,0) 55%, rgba(30,15,0,.35) 100%); }
.label { position: absolute; display: flex; flex-direction: column; align-items: center;
  justify-content: center; text-align: center; }
.brand { font-weight: 700; letter-spacing: .06em; }
`;

/** A glass milk bottle with a blue cap and a paper label, and a glass of milk beside it. */
const MILK = `
<div class="shadow" style="left:300px;top:760px;width:360px;height:60px"></div>
<div class="shadow" style="left:600px;top:790px;width:220px;height:40px"></div>
<div style="position:absolute;left:370px;top:150px;width:220px;height:640px">
  <div style="position:absolute;left:68px;top:0;width:84px;height:58px;border-radius:10px 10px 6px 6px;
    background:linear-gradient(90deg,#123f86,#2d6fd0 35%,#5d95e6 50%,#1d56ad 75%,#0f3370)"></div>
  <div style="position:absolute;left:74px;top:56px;width:72px;height:80px;
    background:linear-gradient(90deg,#cfd4d6,#ffffff 30%,#f4f6f6 55%,#c9cfd1)"></div>
  <div style="position:absolute;left:0;top:120px;width:220px;height:520px;border-radius:60px 60px 34px 34px;
    background:linear-gradient(90deg,#c6ccce 0%,#f7f8f8 18%,#ffffff 34%,#f2f4f4 60%,#d5dadb 85%,#aeb5b8 100%);
    box-shadow: inset 0 -18px 30px rgba(120,130,135,.35)"></div>
  <div style="position:absolute;left:34px;top:150px;width:22px;height:440px;border-radius:12px;
    background:linear-gradient(90deg,rgba(255,255,255,0),rgba(255,255,255,.95),rgba(255,255,255,0))"></div>
  <div class="label" style="left:0;top:300px;width:220px;height:170px;
    background:linear-gradient(90deg,#1a4f9e,#2e6cc9 30%,#3b7ad6 50%,#2a62b8 75%,#163f80);color:#fff">
    <div class="brand" style="font-size:20px">SMART DAIRY</div>
    <div style="font-size:34px;font-weight:700;margin-top:8px">FRESH MILK</div>
    <div style="font-size:18px;margin-top:8px;opacity:.9">1 LITRE · PASTEURISED</div>
  </div>
</div>
<div style="position:absolute;left:640px;top:560px;width:150px;height:250px">
  <div style="position:absolute;left:0;top:0;width:150px;height:250px;border-radius:8px 8px 26px 26px;
    background:linear-gradient(90deg,rgba(210,220,225,.7),rgba(255,255,255,.5) 30%,rgba(235,240,242,.4) 70%,rgba(190,200,205,.7))"></div>
  <div style="position:absolute;left:6px;top:60px;width:138px;height:184px;border-radius:4px 4px 22px 22px;
    background:linear-gradient(90deg,#e4e6e2,#fffffb 30%,#fbfbf7 60%,#dcdfdc)"></div>
  <div style="position:absolute;left:6px;top:52px;width:138px;height:18px;border-radius:50%;
    background:radial-gradient(ellipse at 40% 40%,#ffffff,#eceee9)"></div>
</div>`;

/** Mishti doi in a terracotta pot on a banana leaf. */
const DOI = `
<div style="position:absolute;left:130px;top:600px;width:700px;height:250px;border-radius:50%;transform:rotate(-6deg);
  background:linear-gradient(100deg,#2f6b1f,#4f9a2c 40%,#6cb53d 55%,#3f7f22 80%,#2a5a1a)"></div>
<div style="position:absolute;left:220px;top:712px;width:520px;height:4px;transform:rotate(-6deg);background:rgba(200,240,160,.6)"></div>
<div class="shadow" style="left:270px;top:700px;width:440px;height:90px"></div>
<div style="position:absolute;left:250px;top:330px;width:460px;height:420px">
  <div style="position:absolute;left:0;top:60px;width:460px;height:360px;border-radius:40px 40px 200px 200px / 40px 40px 260px 260px;
    background:linear-gradient(90deg,#7a3516 0%,#b35a2c 22%,#cf7445 38%,#c2663a 60%,#94441f 85%,#65290f 100%);
    box-shadow: inset 0 -40px 60px rgba(60,20,5,.45)"></div>
  <div style="position:absolute;left:70px;top:120px;width:30px;height:220px;border-radius:20px;
    background:linear-gradient(90deg,rgba(255,200,160,0),rgba(255,210,170,.45),rgba(255,200,160,0))"></div>
  <div style="position:absolute;left:-6px;top:30px;width:472px;height:80px;border-radius:50%;
    background:linear-gradient(180deg,#c56a3b,#8f4220)"></div>
  <div style="position:absolute;left:18px;top:42px;width:424px;height:58px;border-radius:50%;
    background:radial-gradient(ellipse 70% 80% at 40% 35%,#f3d9b0 0%,#e3b57c 45%,#c98d52 80%,#a8703d 100%)"></div>
  <div style="position:absolute;left:120px;top:52px;width:120px;height:14px;border-radius:50%;
    background:rgba(255,246,225,.7);filter:blur(3px)"></div>
</div>`;

/** Golden ghee in a glass jar with a gold lid and a label. */
const GHEE = `
<div class="shadow" style="left:290px;top:770px;width:400px;height:70px"></div>
<div style="position:absolute;left:320px;top:230px;width:320px;height:570px">
  <div style="position:absolute;left:10px;top:0;width:300px;height:80px;border-radius:14px;
    background:linear-gradient(90deg,#7a5a12,#c89b2e 25%,#f3d77a 42%,#d8ab3c 60%,#8d6816 90%)"></div>
  <div style="position:absolute;left:10px;top:66px;width:300px;height:14px;background:rgba(70,45,5,.35)"></div>
  <div style="position:absolute;left:0;top:80px;width:320px;height:490px;border-radius:40px 40px 46px 46px;
    background:linear-gradient(90deg,#a86b0c 0%,#e2a630 18%,#f7cf5e 34%,#f1c14a 55%,#d1932a 80%,#8f5608 100%);
    box-shadow: inset 0 -30px 50px rgba(110,60,0,.45), inset 0 30px 40px rgba(255,240,190,.25)"></div>
  <div style="position:absolute;left:40px;top:110px;width:26px;height:420px;border-radius:14px;
    background:linear-gradient(90deg,rgba(255,255,255,0),rgba(255,255,240,.85),rgba(255,255,255,0))"></div>
  <div class="label" style="left:60px;top:260px;width:200px;height:200px;border-radius:8px;
    background:linear-gradient(180deg,#fffaf0,#f3e6c8);color:#6b3d06;box-shadow:0 2px 6px rgba(80,40,0,.3)">
    <div class="brand" style="font-size:17px">SMART DAIRY</div>
    <div style="font-size:38px;font-weight:700;margin-top:6px">PURE</div>
    <div style="font-size:38px;font-weight:700">GHEE</div>
    <div style="font-size:15px;margin-top:6px">COW MILK · 400 g</div>
  </div>
</div>`;

/** A block of butter on a wooden board, a slice cut, the paper folded back. */
const BUTTER = `
<div class="shadow" style="left:180px;top:700px;width:620px;height:110px"></div>
<div style="position:absolute;left:170px;top:610px;width:640px;height:130px;border-radius:20px;
  background:linear-gradient(180deg,#e0b47c,#c8925a 40%,#a87342);box-shadow:0 14px 0 #7d5026"></div>
<div style="position:absolute;left:200px;top:520px;width:470px;height:150px;transform:skewX(-18deg);
  background:linear-gradient(160deg,#fffdf6,#efe9da);box-shadow:0 3px 8px rgba(0,0,0,.2)"></div>
<div style="position:absolute;left:270px;top:380px;width:360px;height:200px">
  <div style="position:absolute;inset:0;clip-path:polygon(0 60px,300px 60px,350px 0,50px 0);
    background:linear-gradient(180deg,#fff6c6,#ffe27a)"></div>
  <div style="position:absolute;inset:0;clip-path:polygon(0 60px,300px 60px,300px 200px,0 200px);
    background:linear-gradient(180deg,#ffe070,#f6c93e 60%,#e9b52c)"></div>
  <div style="position:absolute;inset:0;clip-path:polygon(300px 60px,350px 0,350px 140px,300px 200px);
    background:linear-gradient(90deg,#e8b733,#cf9b1d)"></div>
</div>
<div style="position:absolute;left:640px;top:520px;width:90px;height:120px;transform:rotate(12deg)">
  <div style="position:absolute;left:0;top:0;width:90px;height:28px;background:linear-gradient(180deg,#fff6c4,#ffe587)"></div>
  <div style="position:absolute;left:0;top:28px;width:90px;height:80px;background:linear-gradient(180deg,#ffdd66,#efbd35)"></div>
</div>
<div style="position:absolute;left:480px;top:470px;width:360px;height:22px;transform:rotate(-14deg);border-radius:10px;
  background:linear-gradient(180deg,#f4f6f7,#aeb4b8 60%,#7d8488)"></div>
<div style="position:absolute;left:780px;top:400px;width:120px;height:34px;transform:rotate(-14deg);border-radius:14px;
  background:linear-gradient(180deg,#5b3a22,#3a2212)"></div>`;

export const SCENES: Record<string, string> = {
  "fresh-milk": MILK,
  "sweet-doi": DOI,
  "pure-ghee": GHEE,
  "butter-salted": BUTTER,
};

if (import.meta.main) {
  const browser = await chromium.launch({
    executablePath: Deno.env.get("CHROMIUM_PATH") ?? "/usr/bin/chromium",
    args: ["--headless", "--no-sandbox", "--disable-gpu"],
  });
  try {
    const page = await browser.newPage({ viewport: { width: SIZE, height: SIZE } });
    await Deno.mkdir(OUT, { recursive: true });
    for (const [slug, scene] of Object.entries(SCENES)) {
      await page.setContent(
        `<!doctype html><style>${STAGE}</style><div class="stage"><div class="table"></div>` +
          `${scene}<div class="grain"></div><div class="vignette"></div></div>`,
      );
      const jpeg = await page.screenshot({ type: "jpeg", quality: 80 });
      await Deno.writeFile(new URL(`${slug}.jpg`, OUT), jpeg);
      console.log(`${slug}.jpg: ${Math.round(jpeg.byteLength / 1024)} KB`);
    }
  } finally {
    await browser.close();
  }
}
