/**
 * Sales documents (issue 13 §3): the Mushak 6.3 tax invoice and Mushak 6.7 credit note carry
 * every field the NBR form asks for (shared/reference/bd-vat-and-accounting.md), VAT and SD are
 * rounded per line half away from zero and the totals are sums of the rounded lines; the printable
 * HTML has both copies; serial numbers restart on 1 July, Dhaka time.
 */
import { deepStrictEqual as equal, match, ok, throws } from "node:assert/strict";
import {
  computeLine,
  DocumentError,
  documentNumber,
  fiscalYearOf,
  mushak63,
  mushak67,
  parseDocumentNumber,
  rateAmount,
  type SalesDocument,
  salesDocumentHtml,
} from "@/services/accounting/documents/mod.ts";
import { dhakaInstant } from "@/services/platform/dhaka.ts";
import {
  BUYER_BIN,
  sampleCreditNote,
  sampleInvoice,
  SELLER_BIN,
} from "./documents_fixtures/sample.ts";

const code = (c: string) => (e: unknown) => e instanceof DocumentError && e.code === c;
const field = (doc: SalesDocument, key: string) =>
  [...doc.seller, ...doc.buyer, ...doc.meta, ...doc.adjustment, ...doc.signature].find((f) =>
    f.key === key
  );

Deno.test("Mushak 6.3 shows every field the form requires, in English", () => {
  const doc = mushak63(sampleInvoice("en"));
  equal(doc.formCode, "Mushak-6.3");
  equal(doc.title, "Tax invoice");
  equal(doc.copies.map((c) => c.key), ["original", "duplicate"]);
  const want: Record<string, string> = {
    sellerName: "Smart Dairy Ltd.",
    sellerBin: SELLER_BIN,
    sellerAddress: "Plot 12, Savar Dairy Road, Savar, Dhaka 1340",
    buyerName: "Dhaka Hotel Corporation",
    buyerBin: BUYER_BIN,
    buyerAddress: "Store of the institution, Gulshan 2, Dhaka",
    vehicle: "Covered van DHAKA METRO-NA 11-2345",
    number: "DHK-2627-000042",
    issueDate: "07/12/2026",
    issueTime: "14:35",
    location: "Savar factory (DHK)",
    officerName: "Rahima Akter",
    officerDesignation: "Sales accountant",
  };
  for (const [key, value] of Object.entries(want)) equal(field(doc, key)?.value, value, key);
  equal(doc.columns.map((c) => c.key), [
    "sl",
    "description",
    "unit",
    "quantity",
    "unitPrice",
    "value",
    "discount",
    "valueAfterDiscount",
    "sdRate",
    "sd",
    "vatRate",
    "vat",
    "total",
  ]);
  equal(doc.rows[0].description, {
    text: "Smart Dairy kheer 250 g",
    sub: "স্মার্ট ডেইরি ক্ষীর ২৫০ গ্রাম",
  });
  equal(doc.rows[2].quantity.text, "2.5");
  equal(doc.rows[2].sdRate.text, "10%");
  equal(doc.rows[2].vatRate.text, "7.5%");
  ok(doc.notes.some((n) => n.includes("half away from zero")), "the rounding rule is printed");
  ok(doc.notes.some((n) => n.includes("withholding certificate")), "withholding buyer noted");
  ok(doc.signature.some((f) => f.key === "signature"), "room for signature and seal");
});

Deno.test("Mushak 6.3 in Bangla: Bangla labels and digits, ৳ amounts; BIN and number stay Latin", () => {
  const doc = mushak63(sampleInvoice("bn"));
  equal(doc.formCode, "মূসক-৬.৩");
  equal(doc.title, "কর চালানপত্র");
  equal(field(doc, "buyerName")?.value, "ঢাকা হোটেল কর্পোরেশন");
  equal(field(doc, "buyerBin")?.value, BUYER_BIN);
  equal(field(doc, "number")?.value, "DHK-2627-000042");
  equal(field(doc, "issueDate")?.value, "০৭/১২/২০২৬");
  equal(field(doc, "issueTime")?.value, "১৪:৩৫");
  equal(doc.rows[1].description.text, "স্মার্ট ডেইরি মিষ্টি দই ৫০০ গ্রাম");
  equal(doc.rows[1].vat.text, "৳২৫৬.৪৯");
  equal(doc.totals.total, "৳৭,৫৪৪.৬৮");
  equal(doc.totalsLabel, "সর্বমোট");
  equal(doc.rows[0].vatRate.text, "১৫%");
});

Deno.test("VAT is rate × (value after discount + SD), rounded per line half away from zero; totals add the rounded lines", () => {
  equal(rateAmount(10_050, 1500), 1508, "1507.5 poisha rounds up");
  equal(rateAmount(-10_050, 1500), -1508, "and away from zero when negative");
  equal(rateAmount(10_030, 1500), 1505, "1504.5 → 1505");
  equal(rateAmount(10_020, 1500), 1503, "1503.0");
  const doc = mushak63(sampleInvoice("en"));
  const [kheer, doi, butter] = doc.amounts.lines;
  equal([kheer.valueMinor, kheer.vatMinor, kheer.totalMinor], [228_000, 34_200, 262_200]);
  // 12 × ৳143.33 = ৳1,719.96, less ৳10 discount = ৳1,709.96; 15 % = 256.494 → ৳256.49
  equal([doi.valueMinor, doi.valueAfterDiscountMinor, doi.vatMinor], [171_996, 170_996, 25_649]);
  // 2.5 × ৳999.99 = 2499.975 → ৳2,499.98; SD 10 % = ৳250.00 (24999.8 → 25000);
  // VAT 7.5 % of (2499.98 + 250.00) = 20624.85 → ৳206.25
  equal([butter.valueMinor, butter.sdMinor, butter.vatMinor, butter.totalMinor], [
    249_998,
    25_000,
    20_625,
    295_623,
  ]);
  const t = doc.amounts.totals;
  const sum = (k: keyof typeof kheer) =>
    doc.amounts.lines.reduce((s, l) => s + (l[k] as number), 0);
  equal(t.vatMinor, sum("vatMinor"));
  equal(t.sdMinor, sum("sdMinor"));
  equal(t.totalMinor, t.valueAfterDiscountMinor + t.sdMinor + t.vatMinor);
  equal(t.valueAfterDiscountMinor, t.valueMinor - t.discountMinor);
  equal(t.totalMinor, 754_468);
  equal(doc.totals.total, "৳7,544.68");
  equal(doc.totals.vat, "৳804.74");
});

Deno.test("amounts given by the ledger must agree with the rounding rule, or the document is refused", () => {
  const inv = sampleInvoice("en");
  const ok1 = { ...inv, lines: [{ ...inv.lines[1], vatMinor: 25_649, totalMinor: 196_645 }] };
  equal(mushak63(ok1).amounts.totals.totalMinor, 196_645);
  throws(
    () => mushak63({ ...inv, lines: [{ ...inv.lines[1], vatMinor: 25_650 }] }),
    code("amount_mismatch"),
  );
  throws(() => computeLine({ ...inv.lines[0], quantity: "1.2345" }), code("quantity_invalid"));
  throws(() => computeLine({ ...inv.lines[0], quantity: "-1" }), code("quantity_invalid"));
  throws(() => computeLine({ ...inv.lines[0], unitPriceMinor: 10.5 }), code("price_invalid"));
  throws(() => computeLine({ ...inv.lines[0], vatRateBp: 15.5 }), code("rate_invalid"));
  throws(
    () => computeLine({ ...inv.lines[0], discountMinor: 999_999_999 }),
    code("discount_invalid"),
  );
});

Deno.test("missing or malformed required fields are refused with a reason", () => {
  const inv = sampleInvoice("en");
  throws(() => mushak63({ ...inv, seller: { ...inv.seller, bin: "12345" } }), code("bin_invalid"));
  throws(() => mushak63({ ...inv, seller: { ...inv.seller, bin: null } }), code("bin_required"));
  throws(() => mushak63({ ...inv, lines: [] }), code("lines_required"));
  throws(() => mushak63({ ...inv, number: " " }), code("field_required"));
  throws(
    () => mushak63({ ...inv, buyer: { ...inv.buyer, address: { en: "" } } }),
    code("field_required"),
  );
  throws(
    () => mushak63({ ...inv, officer: { ...inv.officer, designation: { en: "" } } }),
    code("field_required"),
  );
  // an unregistered buyer is allowed, and said so
  const walkIn = mushak63({ ...inv, buyer: { ...inv.buyer, bin: null } });
  equal(field(walkIn, "buyerBin")?.value, "Not registered");
  equal(
    field(mushak63({ ...sampleInvoice("bn"), buyer: { ...inv.buyer, bin: "" } }), "buyerBin")
      ?.value,
    "নিবন্ধিত নয়",
  );
  // 13 digits without the dash are shown in the NNNNNNNNN-NNNN shape
  equal(
    field(mushak63({ ...inv, buyer: { ...inv.buyer, bin: "0045678910203" } }), "buyerBin")?.value,
    "004567891-0203",
  );
});

Deno.test("the date and time of issue are Dhaka's, also just after midnight", () => {
  const doc = mushak63({ ...sampleInvoice("en"), issuedAt: new Date("2026-12-06T18:30:00Z") });
  equal(field(doc, "issueDate")?.value, "07/12/2026");
  equal(field(doc, "issueTime")?.value, "00:30");
});

Deno.test("Mushak 6.7 names the original invoice, its date and the reason, and credits the amounts", () => {
  const doc = mushak67(sampleCreditNote("en"));
  equal(doc.formCode, "Mushak-6.7");
  equal(doc.title, "Credit note");
  equal(field(doc, "number")?.value, "DHK-CN-2627-000007");
  equal(field(doc, "originalNumber")?.value, "DHK-2627-000042");
  equal(field(doc, "originalDate")?.value, "07/12/2026");
  equal(field(doc, "reason")?.value, "Returned: 2 pots of mishti doi damaged in transport");
  for (
    const k of [
      "sellerName",
      "sellerBin",
      "buyerName",
      "buyerBin",
      "issueDate",
      "issueTime",
      "officerName",
    ]
  ) {
    ok(field(doc, k)?.value, k);
  }
  equal(doc.columns.find((c) => c.key === "vat")?.label, "VAT decreased");
  // 2 × ৳143.33 = ৳286.66; VAT 15 % = 42.999 → ৳43.00
  equal(doc.amounts.totals, {
    valueMinor: 28_666,
    discountMinor: 0,
    valueAfterDiscountMinor: 28_666,
    sdMinor: 0,
    vatMinor: 4_300,
    totalMinor: 32_966,
  });
  ok(doc.notes.some((n) => n.includes("Output VAT is decreased")));
  const bn = mushak67(sampleCreditNote("bn"));
  equal(bn.formCode, "মূসক-৬.৭");
  equal(field(bn, "reason")?.value, "ফেরত: পরিবহনে ক্ষতিগ্রস্ত ২ পাত্র মিষ্টি দই");
  const cn = sampleCreditNote("en");
  throws(
    () => mushak67({ ...cn, original: { ...cn.original, number: "" } }),
    code("original_required"),
  );
  throws(() => mushak67({ ...cn, reason: { en: "" } }), code("field_required"));
  throws(
    () => mushak67({ ...cn, original: { ...cn.original, issuedAt: dhakaInstant("2026-12-10") } }),
    code("original_after_note"),
  );
});

Deno.test("printable HTML: both copies, each on its own A4 landscape sheet, with every field", () => {
  const doc = mushak63(sampleInvoice("bn"));
  const html = salesDocumentHtml(doc, { fontHref: "/static/fonts/nsb.ttf" });
  equal(html.match(/<section class="copy"/g)?.length, 2);
  match(
    html,
    /data-copy="original"[\s\S]*মূল কপি — ক্রেতার জন্য[\s\S]*data-copy="duplicate"[\s\S]*দ্বিতীয় কপি — বিক্রেতার জন্য/,
  );
  match(html, /@page\{size:A4 landscape/);
  match(html, /break-after:page/);
  match(
    html,
    /<style>@font-face\{font-family:"Noto Sans Bengali";font-weight:400;src:url\("\/static\/fonts\/nsb.ttf"\)/,
  );
  for (const f of [...doc.seller, ...doc.buyer, ...doc.meta]) {
    ok(html.includes(f.label), f.label);
    ok(html.includes(f.value), f.value);
  }
  for (const t of Object.values(doc.totals)) ok(html.includes(t!), t);
  ok(html.includes("ক্ষীর") && html.includes("মিষ্টি দই"));
  // text from the books is escaped, never markup
  const evil = salesDocumentHtml(mushak63({
    ...sampleInvoice("en"),
    buyer: { ...sampleInvoice("en").buyer, name: { en: "<script>alert(1)</script>" } },
  }));
  ok(!evil.includes("<script>alert(1)"));
  ok(evil.includes("&lt;script"));
});

Deno.test("numbers: <LOC>-<FY>-<SEQ> per fiscal year and location, restarting at 1 July 00:00 Dhaka", () => {
  const lastMoment = new Date("2027-06-30T17:59:59.999Z"); // 30 June 23:59:59.999 in Dhaka
  const newYear = new Date("2027-06-30T18:00:00Z"); // 1 July 00:00 in Dhaka (still 30 June in UTC)
  equal(fiscalYearOf(lastMoment).label, "2026-27");
  equal(fiscalYearOf(newYear).label, "2027-28");
  equal(fiscalYearOf(newYear).from, "2027-07-01");
  equal(fiscalYearOf(dhakaInstant("2027-01-15")).code, "2627");
  equal(
    documentNumber({ kind: "invoice", location: "DHK", at: lastMoment, seq: 9_999 }),
    "DHK-2627-009999",
  );
  equal(
    documentNumber({ kind: "invoice", location: "DHK", at: newYear, seq: 1 }),
    "DHK-2728-000001",
  );
  equal(
    documentNumber({ kind: "credit_note", location: "CTG2", at: newYear, seq: 7 }),
    "CTG2-CN-2728-000007",
  );
  equal(
    documentNumber({ kind: "invoice", location: "DHK", at: newYear, seq: 1_234_567 }),
    "DHK-2728-1234567",
  );
  equal(fiscalYearOf(dhakaInstant("2099-12-31")).code, "9900");
  equal(parseDocumentNumber("DHK-2627-000042"), {
    kind: "invoice",
    location: "DHK",
    fiscalYearCode: "2627",
    seq: 42,
  });
  equal(parseDocumentNumber("CTG2-CN-2728-000007")?.kind, "credit_note");
  equal(parseDocumentNumber("DHK-2628-000042"), null, "not a fiscal year");
  equal(parseDocumentNumber("DHK-2627-42"), null);
  equal(parseDocumentNumber("dhk-2627-000042"), null);
  throws(
    () => documentNumber({ kind: "invoice", location: "dhk", at: newYear, seq: 1 }),
    code("location_invalid"),
  );
  throws(
    () => documentNumber({ kind: "invoice", location: "DHK", at: newYear, seq: 0 }),
    code("seq_invalid"),
  );
});
