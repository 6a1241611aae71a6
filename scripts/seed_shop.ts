/**
 * Shop demo data: categories, the dairy's products with their packs and prices, their stock
 * (inventory: an item FG-<sku> per pack and opening lots — an older one in the plant's store and
 * a fresh one at the Dhaka depot for chilled goods — with expiry from the shelf life), and two
 * discount codes. Idempotent (existing slugs, codes and items are left alone). The main seed and
 * the first embedded start call `seedShop(sql)`; benchmarks ask for `extraProducts` generated ones.
 *
 *   deno run -A scripts/seed_shop.ts [--extra=10000]
 */
import type { Sql } from "@/services/platform/db.ts";
import { createInventory, type OpeningLine } from "@/services/inventory/mod.ts";
import { defaultLocation, itemOfVariant } from "@/services/shop/mod.ts";
import { addDays, dhakaDate } from "@/services/platform/dhaka.ts";

export interface SeedShopOptions {
  /** Generated products added on top of the real catalogue (search benchmarks). */
  extraProducts?: number;
  /** Units of stock per pack for the real catalogue (default 200). */
  stock?: number;
  /** The day the stock is counted (default: today in Dhaka); lots are produced up to it. */
  on?: string;
  /**
   * Every lot's expiry (tests whose clock runs days ahead want stock that lasts); default: by
   * each product's shelf life.
   */
  expiresOn?: string;
}

export interface SeedShopResult {
  categories: number;
  products: number;
  variants: number;
}

type Unit = "ml" | "l" | "g" | "kg" | "pcs";
interface SeedProduct {
  slug: string;
  category: string;
  en: string;
  bn: string;
  descEn: string;
  descBn: string;
  shelf: number;
  tax: "exempt" | "reduced" | "standard";
  style: "bottle" | "pouch" | "cup" | "tub" | "block" | "jar";
  color: string;
  sub?: boolean;
  storage?: "chilled" | "frozen" | "ambient";
  packs: [string, number, Unit, number][]; // sku, qty, unit, price in taka
}

const CATEGORIES = [
  ["milk", "Milk", "দুধ", 1],
  ["doi-yogurt", "Doi & yogurt", "দই ও ইয়োগার্ট", 2],
  ["butter-ghee", "Butter & ghee", "মাখন ও ঘি", 3],
  ["cheese-cream", "Cheese & cream", "পনির ও ক্রিম", 4],
  ["drinks", "Milk drinks", "দুধের পানীয়", 5],
] as const;

const PRODUCTS: SeedProduct[] = [
  {
    slug: "fresh-milk",
    category: "milk",
    en: "Fresh pasteurised milk",
    bn: "পাস্তুরিত তাজা দুধ",
    descEn:
      "Whole milk from our own herd, pasteurised and chilled within two hours of milking. Nothing added, nothing taken away.",
    descBn: "আমাদের নিজস্ব খামারের গাভীর দুধ, দোহনের দুই ঘণ্টার মধ্যে পাস্তুরিত ও ঠান্ডা করা। কিছু মেশানো হয়নি।",
    shelf: 3,
    tax: "exempt",
    style: "bottle",
    color: "#1d5fbf",
    sub: true,
    packs: [["MILK-500", 500, "ml", 50], ["MILK-1000", 1, "l", 95]],
  },
  {
    slug: "full-cream-milk",
    category: "milk",
    en: "Full cream milk",
    bn: "ফুল ক্রিম দুধ",
    descEn: "Creamy, rich milk with 4.5% fat — for tea, payesh and growing children.",
    descBn: "৪.৫% ফ্যাটের ঘন দুধ — চা, পায়েস ও শিশুদের জন্য।",
    shelf: 3,
    tax: "exempt",
    style: "pouch",
    color: "#0f2f5f",
    sub: true,
    packs: [["FCMILK-1000", 1, "l", 110]],
  },
  {
    slug: "low-fat-milk",
    category: "milk",
    en: "Low-fat milk",
    bn: "লো-ফ্যাট দুধ",
    descEn: "1.5% fat milk with all the protein and calcium.",
    descBn: "১.৫% ফ্যাটের দুধ, প্রোটিন ও ক্যালসিয়াম অটুট।",
    shelf: 3,
    tax: "exempt",
    style: "bottle",
    color: "#0ea5e9",
    sub: true,
    packs: [["LFMILK-1000", 1, "l", 100]],
  },
  {
    slug: "sweet-doi",
    category: "doi-yogurt",
    en: "Sweet doi (mishti doi)",
    bn: "মিষ্টি দই",
    descEn: "Slow-set in clay pots with caramelised sugar, the Bogura way.",
    descBn: "বগুড়ার ধাঁচে মাটির পাত্রে ধীরে জমানো মিষ্টি দই।",
    shelf: 5,
    tax: "reduced",
    style: "cup",
    color: "#b45309",
    packs: [["SDOI-500", 500, "g", 120], ["SDOI-1000", 1, "kg", 220]],
  },
  {
    slug: "plain-doi",
    category: "doi-yogurt",
    en: "Plain doi (tok doi)",
    bn: "টক দই",
    descEn: "Unsweetened set yogurt for raita, borhani and cooking.",
    descBn: "রায়তা, বোরহানি ও রান্নার জন্য চিনি ছাড়া টক দই।",
    shelf: 5,
    tax: "reduced",
    style: "cup",
    color: "#65a30d",
    packs: [["PDOI-500", 500, "g", 100]],
  },
  {
    slug: "greek-yogurt",
    category: "doi-yogurt",
    en: "Greek-style yogurt",
    bn: "গ্রিক স্টাইল ইয়োগার্ট",
    descEn: "Strained thick yogurt, high in protein.",
    descBn: "ছেঁকে ঘন করা ইয়োগার্ট, প্রোটিনে ভরপুর।",
    shelf: 10,
    tax: "reduced",
    style: "tub",
    color: "#7c3aed",
    packs: [["GYOG-200", 200, "g", 90]],
  },
  {
    slug: "butter-salted",
    category: "butter-ghee",
    en: "Salted butter",
    bn: "লবণযুক্ত মাখন",
    descEn: "Churned from our own cream with a pinch of salt.",
    descBn: "আমাদের নিজস্ব ক্রিম থেকে তৈরি, সামান্য লবণসহ।",
    shelf: 60,
    tax: "standard",
    style: "block",
    color: "#ca8a04",
    packs: [["BUTS-200", 200, "g", 250]],
  },
  {
    slug: "butter-unsalted",
    category: "butter-ghee",
    en: "Unsalted butter",
    bn: "লবণ ছাড়া মাখন",
    descEn: "Sweet cream butter for baking.",
    descBn: "বেকিংয়ের জন্য লবণ ছাড়া মাখন।",
    shelf: 60,
    tax: "standard",
    style: "block",
    color: "#eab308",
    packs: [["BUTU-200", 200, "g", 260]],
  },
  {
    slug: "pure-ghee",
    category: "butter-ghee",
    en: "Pure cow ghee",
    bn: "খাঁটি গাওয়া ঘি",
    descEn: "Slow-cooked from butter until golden and fragrant.",
    descBn: "মাখন ধীরে জ্বাল দিয়ে তৈরি সোনালি, সুগন্ধি ঘি।",
    shelf: 365,
    tax: "standard",
    style: "jar",
    color: "#d97706",
    storage: "ambient",
    packs: [["GHEE-250", 250, "g", 450], ["GHEE-500", 500, "g", 850], ["GHEE-1000", 1, "kg", 1650]],
  },
  {
    slug: "paneer",
    category: "cheese-cream",
    en: "Fresh paneer",
    bn: "তাজা পনির",
    descEn: "Soft cottage cheese pressed the same morning.",
    descBn: "একই সকালে চেপে তৈরি নরম পনির।",
    shelf: 5,
    tax: "reduced",
    style: "block",
    color: "#94a3b8",
    packs: [["PANEER-200", 200, "g", 180]],
  },
  {
    slug: "mozzarella",
    category: "cheese-cream",
    en: "Mozzarella",
    bn: "মোজারেলা চিজ",
    descEn: "Stretched-curd cheese that melts well on pizza.",
    descBn: "পিৎজায় সুন্দর গলে যাওয়া চিজ।",
    shelf: 21,
    tax: "standard",
    style: "block",
    color: "#f59e0b",
    packs: [["MOZZ-200", 200, "g", 320]],
  },
  {
    slug: "fresh-cream",
    category: "cheese-cream",
    en: "Fresh cream",
    bn: "তাজা ক্রিম",
    descEn: "35% fat cream for desserts and curries.",
    descBn: "ডেজার্ট ও তরকারির জন্য ৩৫% ফ্যাটের ক্রিম।",
    shelf: 7,
    tax: "standard",
    style: "cup",
    color: "#f472b6",
    packs: [["CREAM-200", 200, "ml", 150]],
  },
  {
    slug: "mango-lassi",
    category: "drinks",
    en: "Mango lassi",
    bn: "আমের লাচ্ছি",
    descEn: "Doi blended with ripe mango.",
    descBn: "পাকা আমের সঙ্গে দই মিশিয়ে তৈরি।",
    shelf: 5,
    tax: "standard",
    style: "bottle",
    color: "#f97316",
    packs: [["LASSI-250", 250, "ml", 50]],
  },
  {
    slug: "chocolate-milk",
    category: "drinks",
    en: "Chocolate milk",
    bn: "চকলেট দুধ",
    descEn: "Our milk with real cocoa, lightly sweetened.",
    descBn: "আসল কোকোসহ আমাদের দুধ, হালকা মিষ্টি।",
    shelf: 5,
    tax: "standard",
    style: "bottle",
    color: "#78350f",
    packs: [["CHOCO-250", 250, "ml", 45]],
  },
  {
    slug: "borhani",
    category: "drinks",
    en: "Borhani",
    bn: "বোরহানি",
    descEn: "Spiced yogurt drink with mint — perfect with biryani.",
    descBn: "পুদিনা ও মশলাদার দইয়ের পানীয় — বিরিয়ানির সঙ্গে জমে।",
    shelf: 3,
    tax: "standard",
    style: "bottle",
    color: "#16a34a",
    packs: [["BORHANI-250", 250, "ml", 40]],
  },
];

export async function seedShop(sql: Sql, opts: SeedShopOptions = {}): Promise<SeedShopResult> {
  const stock = opts.stock ?? 200;
  await sql.begin(async (tx) => {
    for (const [slug, en, bn, sort] of CATEGORIES) {
      await tx`
        insert into shop_categories (slug, name_en, name_bn, sort_order)
        values (${slug}, ${en}, ${bn}, ${sort}) on conflict (slug) do nothing`;
    }
    for (const p of PRODUCTS) {
      const [row] = await tx`
        insert into shop_products (slug, category_id, name_en, name_bn, description_en,
          description_bn, shelf_life_days, storage, tax_class, image_style, image_color,
          subscribable)
        select ${p.slug}, c.id, ${p.en}, ${p.bn}, ${p.descEn}, ${p.descBn}, ${p.shelf},
          ${p.storage ?? "chilled"}, ${p.tax}, ${p.style}, ${p.color}, ${p.sub ?? false}
        from shop_categories c where c.slug = ${p.category}
        on conflict (slug) do nothing returning id`;
      if (!row) continue;
      for (const [i, [sku, qty, unit, taka]] of p.packs.entries()) {
        await tx`
          insert into shop_variants (product_id, sku, pack_qty, unit, price_minor, sort_order)
          values (${row.id}, ${sku}, ${qty}, ${unit}, ${taka * 100}, ${i})
          on conflict (sku) do nothing`;
      }
    }
    await tx`
      insert into shop_discount_codes (code, description, kind, value, min_order_minor,
        once_per_customer)
      values ('WELCOME10', '10% off your first order', 'percent', 1000, 30000, true),
        ('FREEMILK50', '৳50 off orders above ৳500', 'fixed', 5000, 50000, false)
      on conflict (code) do nothing`;
  });
  if (opts.extraProducts && opts.extraProducts > 0) {
    await seedGeneratedProducts(sql, opts.extraProducts);
  }
  await seedStock(sql, stock, opts);
  const [c] = await sql`
    select (select count(*) from shop_categories)::int as categories,
      (select count(*) from shop_products)::int as products,
      (select count(*) from shop_variants)::int as variants`;
  return c as unknown as SeedShopResult;
}

const ADJ = [
  "Organic",
  "Farm",
  "Creamy",
  "Light",
  "Classic",
  "Village",
  "Premium",
  "Fresh",
  "Golden",
  "Spiced",
  "Honey",
  "Rose",
  "Cardamom",
  "Saffron",
  "Vanilla",
  "Mango",
  "Date",
  "Lemon",
];
const NOUN = [
  "milk",
  "doi",
  "yogurt",
  "lassi",
  "butter",
  "ghee",
  "paneer",
  "cheese",
  "cream",
  "kheer",
  "rasmalai",
  "shake",
  "curd",
  "buttermilk",
  "labneh",
  "kulfi",
];
const BN = [
  "দুধ",
  "দই",
  "ইয়োগার্ট",
  "লাচ্ছি",
  "মাখন",
  "ঘি",
  "পনির",
  "চিজ",
  "ক্রিম",
  "ক্ষীর",
  "রসমালাই",
  "শেক",
  "ছানা",
  "মাঠা",
  "লাবনেহ",
  "কুলফি",
];

/** Generated products (multi-row unnest inserts, in batches), named like real ones. */
async function seedGeneratedProducts(sql: Sql, count: number): Promise<void> {
  const [{ n }] = await sql`select count(*)::int as n from shop_products where slug like 'gen-%'`;
  const cats = (await sql`select id from shop_categories order by id`).map((r) => String(r.id));
  const styles = ["bottle", "pouch", "cup", "tub", "block", "jar"];
  for (let start = n; start < count; start += 1000) {
    const end = Math.min(count, start + 1000);
    const idx = Array.from({ length: end - start }, (_, i) => start + i);
    const name = (i: number) => `${ADJ[i % ADJ.length]} ${NOUN[(i * 7) % NOUN.length]} ${i}`;
    await sql.begin(async (tx) => {
      const rows = await tx`
        insert into shop_products (slug, category_id, name_en, name_bn, description_en,
          shelf_life_days, tax_class, image_style, image_color)
        select * from unnest(
          ${idx.map((i) => `gen-${i}`)}::text[], ${idx.map((i) => cats[i % cats.length])}::bigint[],
          ${idx.map(name)}::text[],
          ${idx.map((i) => `${BN[(i * 7) % BN.length]} ${i}`)}::text[],
          ${idx.map((i) => `A ${name(i).toLowerCase()} from our dairy, batch ${i}.`)}::text[],
          ${idx.map((i) => 3 + (i % 30))}::int[],
          ${idx.map((i) => ["exempt", "reduced", "standard"][i % 3])}::text[],
          ${idx.map((i) => styles[i % styles.length])}::text[],
          ${
        idx.map((i) => `#${((i * 2654435761) % 0xffffff).toString(16).padStart(6, "0")}`)
      }::text[])
        returning id, slug`;
      await tx`
        insert into shop_variants (product_id, sku, pack_qty, unit, price_minor)
        select * from unnest(
          ${rows.map((r) => String(r.id))}::bigint[],
          ${rows.map((r) => `GEN-${r.slug.slice(4)}`)}::text[],
          ${rows.map(() => "500")}::numeric[], ${rows.map(() => "g")}::text[],
          ${rows.map((_, i) => String((40 + ((start + i) * 37) % 900) * 100))}::bigint[])`;
    });
  }
}

/**
 * Inventory for every variant that has no item yet: the item, and its packs as opening lots.
 * Real packs: `stock` split between an older lot (a quarter of its shelf life gone) in the
 * plant's store for its storage and a fresh one at the Dhaka depot (chilled goods; others stay
 * in the plant). Generated packs: 50 in the plant's cold room, none for every fifth.
 */
async function seedStock(sql: Sql, stock: number, opts: SeedShopOptions): Promise<void> {
  const inv = createInventory({ sql });
  const known = new Set((await inv.items(false)).map((i) => i.shopSku));
  const variants = (await sql`
    select v.sku, v.pack_qty, v.unit, p.name_en, p.name_bn, p.shelf_life_days, p.storage
    from shop_variants v join shop_products p on p.id = v.product_id order by v.id`)
    .filter((v) => !known.has(v.sku));
  const on = opts.on ?? dhakaDate(new Date());
  for (let i = 0; i < variants.length; i += 2000) {
    const batch = variants.slice(i, i + 2000);
    const items = batch.map((v) =>
      itemOfVariant(
        { nameEn: v.name_en, nameBn: v.name_bn, shelfLifeDays: v.shelf_life_days },
        { sku: v.sku, packQty: v.pack_qty, unit: v.unit },
      )
    );
    const lines: OpeningLine[] = batch.flatMap((v, k): OpeningLine[] => {
      const itemCode = items[k].code;
      const expiresOn = opts.expiresOn;
      const home = defaultLocation(v.storage);
      if (v.sku.startsWith("GEN-")) {
        const n = Number(v.sku.slice(4));
        return n % 5 === 0
          ? []
          : [{ itemCode, locationCode: home, qty: 50, producedOn: on, expiresOn }];
      }
      const older = Math.ceil(stock / 2);
      const age = Math.floor(v.shelf_life_days / 4);
      return [
        { itemCode, locationCode: home, qty: older, producedOn: addDays(on, -age), expiresOn },
        {
          itemCode,
          locationCode: v.storage === "chilled" ? "DEPOT-DHK" : home,
          qty: stock - older,
          producedOn: on,
          expiresOn,
        },
      ];
    });
    await inv.openingStock(items, lines, { id: null, name: "seed" });
  }
}

if (import.meta.main) {
  const { loadConfig } = await import("@/services/platform/config.ts");
  const { openDatabase } = await import("@/services/platform/db.ts");
  const { migrate } = await import("@/services/platform/migrate.ts");
  const extra = Number(Deno.args.find((a) => a.startsWith("--extra="))?.slice(8) ?? 0);
  const db = await openDatabase(loadConfig());
  try {
    await migrate(db.sql);
    console.log(await seedShop(db.sql, { extraProducts: extra }));
  } finally {
    await db.close();
  }
}
