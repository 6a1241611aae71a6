/**
 * Inventory's words in English and Bangla (namespace `inventory` of services/i18n). bn is typed to
 * en's shape. `errors` translates InventoryError codes (translateError fills `{params}`).
 */
import type { InventoryErrorCode } from "./errors.ts";

const en = {
  statuses: {
    quarantine: "Quarantine",
    released: "Released",
    hold: "On hold",
    rejected: "Rejected",
  } as Record<string, string>,
  errors: {
    unknown_item: "There is no such item.",
    unknown_location: "There is no such location.",
    unknown_lot: "There is no such lot.",
    bad_qty: "Enter a whole quantity above zero.",
    bad_date: "Enter a valid date.",
    short: "Lot {lot} has only {available} free.",
    not_released: "Lot {lot} is not released.",
    sku_taken: "Another item already stocks SKU {sku}.",
    base_changed: "The item has stock: its base unit cannot change.",
    lot_code_taken: "This lot code is already used.",
    bad_status: "Choose a lot status and give a reason.",
  } satisfies Record<InventoryErrorCode, string>,
  picking: {
    lot: "Lot",
    location: "Location",
    expires: "Expires",
    notReserved: "No stock reserved",
  },
};

export type InventoryMessages = typeof en;

const bn: InventoryMessages = {
  statuses: {
    quarantine: "কোয়ারেন্টাইন",
    released: "ছাড়কৃত",
    hold: "আটক",
    rejected: "বাতিল",
  },
  errors: {
    unknown_item: "এমন কোনো পণ্য নেই।",
    unknown_location: "এমন কোনো স্থান নেই।",
    unknown_lot: "এমন কোনো লট নেই।",
    bad_qty: "শূন্যের বেশি একটি পূর্ণ সংখ্যা দিন।",
    bad_date: "একটি সঠিক তারিখ দিন।",
    short: "লট {lot}-এ মাত্র {available} খালি আছে।",
    not_released: "লট {lot} এখনো ছাড়া হয়নি।",
    sku_taken: "SKU {sku} অন্য একটি পণ্যে আছে।",
    base_changed: "পণ্যটির মজুদ আছে: এর মূল একক বদলানো যাবে না।",
    lot_code_taken: "এই লট কোড আগেই ব্যবহৃত হয়েছে।",
    bad_status: "লটের অবস্থা বেছে নিন এবং কারণ লিখুন।",
  },
  picking: {
    lot: "লট",
    location: "স্থান",
    expires: "মেয়াদ",
    notReserved: "কোনো মজুদ সংরক্ষিত নেই",
  },
};

export const inventoryCatalogs: Record<"en" | "bn", InventoryMessages> = { en, bn };
