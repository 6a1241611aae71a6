/** A sample invoice and credit note with the Bangla words whose shaping the PDF tests look at. */
import type { CreditNoteInput, InvoiceInput } from "@/services/accounting/documents/mod.ts";
import { dhakaInstant } from "@/services/platform/dhaka.ts";

export const SELLER_BIN = "000123456-0101";
export const BUYER_BIN = "004567891-0203";

export function sampleInvoice(lang: "en" | "bn" = "bn"): InvoiceInput {
  return {
    lang,
    seller: {
      name: { en: "Smart Dairy Ltd.", bn: "স্মার্ট ডেইরি লিমিটেড" },
      bin: SELLER_BIN,
      address: {
        en: "Plot 12, Savar Dairy Road, Savar, Dhaka 1340",
        bn: "প্লট ১২, সাভার ডেইরি রোড, সাভার, ঢাকা ১৩৪০",
      },
    },
    buyer: {
      name: { en: "Dhaka Hotel Corporation", bn: "ঢাকা হোটেল কর্পোরেশন" },
      bin: BUYER_BIN,
      address: {
        en: "Store of the institution, Gulshan 2, Dhaka",
        bn: "প্রতিষ্ঠানের ভাণ্ডার, গুলশান ২, ঢাকা (চাহিদাপত্র নং ৭৭)",
      },
    },
    number: "DHK-2627-000042",
    issuedAt: dhakaInstant("2026-12-07", "14:35"),
    location: { code: "DHK", name: { en: "Savar factory", bn: "সাভার কারখানা" } },
    lines: [
      {
        description: { en: "Smart Dairy kheer 250 g", bn: "স্মার্ট ডেইরি ক্ষীর ২৫০ গ্রাম" },
        unit: { en: "cup", bn: "কাপ" },
        quantity: 24,
        unitPriceMinor: 9_500,
        vatRateBp: 1500,
      },
      {
        description: { en: "Smart Dairy mishti doi 500 g", bn: "স্মার্ট ডেইরি মিষ্টি দই ৫০০ গ্রাম" },
        unit: { en: "pot", bn: "পাত্র" },
        quantity: "12",
        unitPriceMinor: 14_333,
        discountMinor: 1_000,
        vatRateBp: 1500,
      },
      {
        description: { en: "Butter 200 g", bn: "মাখন ২০০ গ্রাম" },
        unit: { en: "kg", bn: "কেজি" },
        quantity: "2.5",
        unitPriceMinor: 99_999,
        sdRateBp: 1000,
        vatRateBp: 750,
      },
    ],
    officer: {
      name: { en: "Rahima Akter", bn: "রহিমা আক্তার" },
      designation: { en: "Sales accountant", bn: "বিক্রয় হিসাবরক্ষক" },
    },
    vehicle: "Covered van DHAKA METRO-NA 11-2345",
    buyerWithholds: true,
  };
}

export function sampleCreditNote(lang: "en" | "bn" = "bn"): CreditNoteInput {
  const inv = sampleInvoice(lang);
  return {
    lang,
    seller: inv.seller,
    buyer: inv.buyer,
    number: "DHK-CN-2627-000007",
    issuedAt: dhakaInstant("2026-12-09", "10:05"),
    location: inv.location,
    original: { number: inv.number, issuedAt: inv.issuedAt },
    reason: {
      en: "Returned: 2 pots of mishti doi damaged in transport",
      bn: "ফেরত: পরিবহনে ক্ষতিগ্রস্ত ২ পাত্র মিষ্টি দই",
    },
    lines: [inv.lines[1]].map((l) => ({ ...l, quantity: "2", discountMinor: 0 })),
    officer: inv.officer,
  };
}
