/**
 * Product photos as staff and shoppers meet them: a phone photo uploaded in the back office
 * becomes AVIF, WebP and JPEG sizes that the product page lists in a <picture>, served forever
 * from a URL naming their content; bad files are refused with a clear message and leave nothing;
 * a product without a photo keeps its drawing.
 */
import { equal, match, ok } from "node:assert/strict";
import { encode as encodeJpeg } from "@jsquash/jpeg";
import { decode as decodeAvif } from "@jsquash/avif";
import { decode as decodeWebp } from "@jsquash/webp";
import { decode as decodeJpeg } from "@jsquash/jpeg";
import { pageForm, type ShopTest, withShop } from "./_helpers.ts";

/** A photo-like JPEG (gradients, not one flat colour) of w × h pixels. */
async function phoneJpeg(w: number, h: number): Promise<Uint8Array> {
  const d = new Uint8ClampedArray(w * h * 4);
  for (let y = 0; y < h; y++) {
    for (let x = 0; x < w; x++) {
      const i = (y * w + x) * 4;
      d[i] = 120 + 100 * Math.sin(x / 40);
      d[i + 1] = (y * 255) / h;
      d[i + 2] = 200 - (x * 150) / w;
      d[i + 3] = 255;
    }
  }
  return new Uint8Array(await encodeJpeg(new ImageData(d, w, h), { quality: 85 }));
}

async function productId(s: ShopTest, slug: string): Promise<number> {
  const [p] = await s.sql`select id from shop_products where slug = ${slug}`;
  return Number(p.id);
}

/** Posts the upload form (multipart) as a browser does. */
async function upload(
  s: ShopTest,
  id: number,
  file: Uint8Array,
  staff: { cookie: string },
  name = "photo.jpg",
) {
  const page = await pageForm(s, `/admin/shop/products/${id}/photos`, staff.cookie);
  const form = new FormData();
  form.set("_csrf", page.token);
  form.set("action", "upload");
  form.set("photo", new File([file as Uint8Array<ArrayBuffer>], name, { type: "image/jpeg" }));
  const res = await s.fetch(`/admin/shop/products/${id}/photos`, {
    method: "POST",
    body: form,
    redirect: "manual",
    headers: { cookie: page.cookie, origin: "http://localhost", host: "localhost" },
  });
  return { res, html: res.status === 303 ? "" : await res.text() };
}

const photoRows = async (s: ShopTest, id: number) =>
  (await s.sql`select count(*)::int as n from shop_product_photos where product_id = ${id}`)[0].n;

Deno.test("photos: a phone JPEG becomes AVIF, WebP and JPEG sizes listed by the product page", async () => {
  await withShop(async (s) => {
    const staff = await s.user(["admin"]);
    const id = await productId(s, "plain-doi");
    // A landscape phone photo: the shop makes square sizes from its centre.
    const up = await upload(s, id, await phoneJpeg(1400, 1000), staff);
    equal(up.res.status, 303);
    match(up.res.headers.get("location")!, /photos\?done=uploaded$/);
    const pending = await pageForm(s, `/admin/shop/products/${id}/photos`, staff.cookie);
    ok(pending.html.includes("Making sizes…"), "staff see the photo waiting for its sizes");
    ok(pending.html.includes("Original 1400 × 1000 px"));
    // Until the sizes exist the shop still shows the drawing. (Signed-in pages: anonymous ones
    // are shared renders for a minute, so a change shows there within that minute.)
    const signedIn = { headers: { cookie: staff.cookie } };
    ok(!(await (await s.fetch("/shop/products/plain-doi", signedIn)).text()).includes("<picture>"));

    const made = await s.deps.shop.processPhotos(5);
    equal(made.length, 1);
    ok(made[0].ok);
    console.log(`  sizes of a 1400 × 1000 JPEG made in ${made[0].ms} ms`, made[0].timings);

    const media = await s.sql`
      select format, width, height, sha256, bytes from shop_photo_media m
      join shop_product_photos p on p.id = m.photo_id where p.product_id = ${id}
      order by format, width`;
    equal(media.length, 12, "4 widths × 3 formats");
    for (const m of media) {
      const buf = new Uint8Array(m.bytes).slice().buffer;
      const img = m.format === "avif"
        ? await decodeAvif(buf)
        : m.format === "webp"
        ? await decodeWebp(buf)
        : await decodeJpeg(buf);
      equal(img!.width, m.width, `${m.format} ${m.width}`);
      equal(img!.height, m.width, `${m.format} ${m.width} is square`);
    }
    equal(media.filter((m) => m.format === "avif").map((m) => m.width).join(), "160,320,640,960");

    const html = await (await s.fetch("/shop/products/plain-doi")).text();
    const picture = html.match(/<picture>[\s\S]*?<\/picture>/)?.[0] ?? "";
    ok(picture, "the product page shows a <picture>");
    match(picture, /<source type="image\/avif" srcset="[^"]*\.avif 160w, [^"]*\.avif 960w"/);
    match(picture, /<source type="image\/webp" srcset="[^"]*\.webp 160w,[^"]*960w"/);
    match(picture, /<img src="\/shop\/media\/[0-9a-f]{32}-640\.jpg" srcset="[^"]*\.jpg 160w,/);
    match(picture, /width="320" height="320"/);
    match(picture, /fetchpriority="high"/);
    ok(!picture.includes('loading="lazy"'), "the product page's photo is not lazy");
    ok(!html.includes("/shop/img/cup/"), "the drawing is gone from the product page");

    // The catalogue's card shows the photo too.
    const list = await (await s.fetch("/shop")).text();
    ok(list.includes(picture.match(/\/shop\/media\/[0-9a-f]{32}-\d+\.avif/)![0]));

    // Each size is served forever, with its type; its URL's key is made from the bytes.
    const avifUrl = picture.match(/\/shop\/media\/([0-9a-f]{32})-(\d+)\.avif/)!;
    const res = await s.fetch(avifUrl[0]);
    equal(res.status, 200);
    equal(res.headers.get("content-type"), "image/avif");
    equal(res.headers.get("cache-control"), "public, max-age=31536000, immutable");
    const body = new Uint8Array(await res.arrayBuffer());
    const sha = Array.from(new Uint8Array(await crypto.subtle.digest("SHA-256", body)))
      .map((b) => b.toString(16).padStart(2, "0")).join("");
    equal(`"${sha}"`, res.headers.get("etag"), "the ETag is the SHA-256 of the bytes");
    const jpg = await s.fetch(picture.match(/\/shop\/media\/[0-9a-f]{32}-\d+\.jpg/)![0]);
    equal(jpg.headers.get("content-type"), "image/jpeg");
    await jpg.body?.cancel();
    equal((await s.fetch(`/shop/media/${"0".repeat(32)}-640.avif`)).status, 404);
    equal(
      (await s.fetch(`/shop/media/${avifUrl[1]}-500.avif`)).status,
      404,
      "no such width",
    );

    // Removing the photo brings the drawing back.
    const page = await pageForm(s, `/admin/shop/products/${id}/photos`, staff.cookie);
    ok(page.html.includes("Shown in the shop"));
    const photoId = page.html.match(/name="photo_id" value="(\d+)"/)![1];
    const del = await s.fetch(`/admin/shop/products/${id}/photos`, {
      method: "POST",
      body: new URLSearchParams({ _csrf: page.token, action: "delete", photo_id: photoId }),
      redirect: "manual",
      headers: {
        cookie: page.cookie,
        origin: "http://localhost",
        host: "localhost",
        "content-type": "application/x-www-form-urlencoded",
      },
    });
    equal(del.status, 303);
    ok(
      (await (await s.fetch("/shop/products/plain-doi", signedIn)).text()).includes(
        "/shop/img/cup/",
      ),
    );
    equal((await s.fetch(avifUrl[0])).status, 404);
  });
});

Deno.test("photos: a bad file is refused with a clear message and leaves nothing behind", async () => {
  await withShop(async (s) => {
    const staff = await s.user(["admin"]);
    const id = await productId(s, "paneer");
    const good = await phoneJpeg(400, 300);

    const text = await upload(s, id, new TextEncoder().encode("name,qty\nmilk,2\n"), staff);
    equal(text.res.status, 422);
    ok(text.html.includes("This file is not a photo."));

    const cut = await upload(s, id, good.subarray(0, Math.floor(good.length / 2)), staff);
    equal(cut.res.status, 422);
    ok(cut.html.includes("The photo arrived incomplete."));

    const heic = new Uint8Array(64);
    heic.set(new TextEncoder().encode("\0\0\0\x18ftypheic"), 0);
    const h = await upload(s, id, heic, staff, "IMG_0001.HEIC");
    equal(h.res.status, 422);
    ok(h.html.includes("HEIC photos (iPhone) cannot be read yet."));

    const tiny = await upload(s, id, await phoneJpeg(120, 90), staff);
    equal(tiny.res.status, 422);
    ok(tiny.html.includes("at least 160 × 160 pixels"));

    // Larger than a photo may be (but within the request limit): refused by the screen.
    const big = new Uint8Array(15 * 1024 * 1024 + 10);
    big.set(good);
    const large = await upload(s, id, big, staff);
    equal(large.res.status, 413);
    ok(large.html.includes("The file is too large (at most 15 MB)."));
    // Far larger: the request itself is cut off while it streams.
    const huge = await upload(s, id, new Uint8Array(20 * 1024 * 1024), staff);
    equal(huge.res.status, 413);
    ok(huge.html.includes("Request too large"));

    equal(await photoRows(s, id), 0, "nothing half-written");
    // Other forms keep the usual 2 MB limit.
    const other = await s.fetch(`/admin/shop/products/${id}`, {
      method: "POST",
      body: "nameEn=" + "x".repeat(3 * 1024 * 1024),
      headers: {
        cookie: staff.cookie,
        origin: "http://localhost",
        host: "localhost",
        "content-type": "application/x-www-form-urlencoded",
      },
    });
    equal(other.status, 413);
    await other.body?.cancel();
  });
});

Deno.test("photos: the upload screen speaks Bangla, and a product without photo keeps its drawing", async () => {
  await withShop(async (s) => {
    const staff = await s.user(["admin"], { locale: "bn" });
    const id = await productId(s, "mozzarella");
    const page = await pageForm(s, `/admin/shop/products/${id}/photos`, staff.cookie);
    equal(page.status, 200);
    ok(page.html.includes("ছবি আপলোড করুন"), page.html.slice(0, 200));
    ok(page.html.includes("এখনো কোনো ছবি নেই"));
    const en = await pageForm(
      s,
      `/admin/shop/products/${id}/photos`,
      (await s.user(["admin"])).cookie,
    );
    ok(en.html.includes("Upload photo"));
    ok(en.html.includes("No photos yet: the shop shows the drawing of this product."));

    const html = await (await s.fetch("/shop/products/mozzarella")).text();
    ok(!html.includes("<picture>"));
    match(html, /<img src="\/shop\/img\/block\/[0-9a-f]{6}\/320\.svg"/);
    // Customers may not upload.
    const customer = await s.user(["customer"]);
    const refused = await s.fetch(`/admin/shop/products/${id}/photos`, {
      headers: { cookie: customer.cookie },
      redirect: "manual",
    });
    ok(refused.status === 403 || refused.status === 303, `status ${refused.status}`);
    await refused.body?.cancel();
  });
});
